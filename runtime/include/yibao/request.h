// request.h: one decoded request, as int64 slots with presence bits.
//
// Produced by the request reader from a JSON line (request_reader.h) or
// filled directly by an embedder through set()/set_text(); consumed by the
// interpreter. Slot i holds field i of the Schema (values.h says how each
// kind is encoded); text fields also carry a string_view, which points into
// storage the producer owns (for the reader: valid until its next read).
//
// "has" means the field has a value, given in the request or defaulted;
// "given" means it was written in the request. Absent fields hold 0 (and
// absent text reads as ""): clear() zeroes the slots with the presence
// bits, so value(i) is slots()[i] whatever the bits say, and compiled code
// reads a field with one load (the JIT reads slots() in place).
//
// Thread safety: a plain value; use one Request per thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "yibao/schema.h"

namespace yibao {

class Request {
 public:
  Request() = default;
  // Sized for `schema`, with every field and record absent.
  explicit Request(const Schema& schema);

  std::size_t field_count() const noexcept { return slots_.size(); }
  std::size_t record_count() const noexcept { return record_count_; }

  std::int64_t value(int field) const noexcept { return slots_[static_cast<std::size_t>(field)]; }
  // Every field's value, in schema order; 0 for an absent field.
  std::span<const std::int64_t> slots() const noexcept { return slots_; }
  bool has(int field) const noexcept { return test(has_, field); }
  bool given(int field) const noexcept { return test(given_, field); }
  bool has_record(int record) const noexcept { return test(records_, record); }
  // The text of a text field; empty when absent.
  std::string_view text(int field) const noexcept {
    return has(field) ? texts_[static_cast<std::size_t>(field)] : std::string_view();
  }
  // Presence bits, 64 fields to a word, bit (i % 64) of word i / 64: for
  // checking many fields at once.
  std::span<const std::uint64_t> has_bits() const noexcept { return has_; }
  // Record presence bits, in the same layout.
  std::span<const std::uint64_t> record_bits() const noexcept { return records_; }

  // Makes every field and record absent again (zero); keeps the storage.
  void clear() noexcept {
    for (auto& v : slots_) v = 0;
    for (auto& w : has_) w = 0;
    for (auto& w : given_) w = 0;
    for (auto& w : records_) w = 0;
  }
  // Gives field a value. `given` false marks a default. Inline: the reader
  // calls it for every field of every line (always_inline: g++ declined
  // to inline it into the reader's large per-value switch).
  [[gnu::always_inline]] void set(int field, std::int64_t value, bool given = true) noexcept {
    slots_[static_cast<std::size_t>(field)] = value;
    set_bit(has_, field);
    if (given) set_bit(given_, field);
  }
  [[gnu::always_inline]] void set_text(int field, std::string_view text, bool given = true) noexcept {
    texts_[static_cast<std::size_t>(field)] = text;
    set(field, 0, given);
  }
  void set_record_present(int record) noexcept { set_bit(records_, record); }
  // For a producer that gives many fields in one go (the request reader's
  // fast path): a field's value alone, its presence to follow with
  // mark_given, which sets 64 fields' bits at once.
  void set_slot(int field, std::int64_t value) noexcept { slots_[static_cast<std::size_t>(field)] = value; }
  void set_text_slot(int field, std::string_view text) noexcept {
    texts_[static_cast<std::size_t>(field)] = text;
    slots_[static_cast<std::size_t>(field)] = 0;
  }
  // Marks the fields 64 * word + i, for each bit i of `bits`, given (and so
  // present).
  void mark_given(std::size_t word, std::uint64_t bits) noexcept {
    has_[word] |= bits;
    given_[word] |= bits;
  }
  // Makes this request's values, presence bits and records those of
  // `blank`, a request of the same schema (texts are not copied: a text
  // field is only read where it is present). The reader starts every line
  // from a blank that holds the constant defaults already.
  void reset_to(const Request& blank) {
    if (slots_.size() != blank.slots_.size() || records_.size() != blank.records_.size()) {
      slots_ = blank.slots_;  // another schema's request: take the blank's shape
      has_ = blank.has_;
      given_ = blank.given_;
      records_ = blank.records_;
      texts_.assign(slots_.size(), std::string_view());
      record_count_ = blank.record_count_;
      return;
    }
    // The usual case, once per line: plain copies (a vector's operator=
    // costs several times more for a word or two).
    std::copy(blank.slots_.begin(), blank.slots_.end(), slots_.begin());
    for (std::size_t w = 0; w < has_.size(); ++w) {
      has_[w] = blank.has_[w];
      given_[w] = blank.given_[w];
    }
    for (std::size_t w = 0; w < records_.size(); ++w) records_[w] = blank.records_[w];
  }

 private:
  static bool test(const std::vector<std::uint64_t>& bits, int i) noexcept {
    const auto u = static_cast<std::size_t>(i);
    return ((bits[u >> 6] >> (u & 63U)) & 1U) != 0;
  }
  [[gnu::always_inline]] static void set_bit(std::vector<std::uint64_t>& bits, int i) noexcept {
    const auto u = static_cast<std::size_t>(i);
    bits[u >> 6] |= std::uint64_t{1} << (u & 63U);
  }

  std::vector<std::int64_t> slots_;
  std::vector<std::string_view> texts_;
  std::vector<std::uint64_t> has_;
  std::vector<std::uint64_t> given_;
  std::vector<std::uint64_t> records_;
  std::size_t record_count_ = 0;
};

}  // namespace yibao
