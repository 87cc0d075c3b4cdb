// json_writer.h: values -> JSON text, appended to a reused buffer, in the
// exact layout of interchange.md's examples.
//
// Layout: one space after every `:` and after every `,`, nothing else
// (`{"id": "r-17", "eligibility": {"eligible": true}}`), so results compare
// byte for byte with the documented examples and golden files. Money is a
// number with exactly two decimals, a date an ISO string.
//
// Strings are escaped as JSON requires (`"`, `\`, and control characters;
// \b \f \n \r \t by name, others as \u00XX); valid UTF-8 passes through
// unchanged, and any invalid UTF-8 byte is written as U+FFFD so that the
// output is always valid JSON in valid UTF-8 whatever an embedder passes.
//
// The writer checks nothing about structure (a key outside an object, an
// unclosed object): the caller writes well-formed sequences, and tests
// compare the text. It never allocates once its buffer has grown to the
// size of a result.
//
// Thread safety: one writer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "yibao/date.h"
#include "yibao/money.h"

namespace yibao {

// Room write_json_string needs for a string of n bytes: two quotes, and at
// most six bytes per byte (`\u001f`; U+FFFD for a stray byte takes three).
[[nodiscard]] constexpr std::size_t json_string_bound(std::size_t n) noexcept { return 2 + 6 * n; }
// Writes `s` as a JSON string, quotes included, escaped as JsonWriter::string
// does, and returns the end. Precondition: `out` has room for
// json_string_bound(s.size()) bytes.
char* write_json_string(char* out, std::string_view s) noexcept;

class JsonWriter {
 public:
  JsonWriter() { first_.reserve(8); }

  // Empties the text, keeping the capacity.
  void clear() noexcept {
    out_.clear();
    first_.clear();
    after_key_ = false;
  }
  std::string_view view() const noexcept { return out_; }
  // The text so far, to move out or to write elsewhere.
  std::string& buffer() noexcept { return out_; }

  void begin_object() {
    separate();
    out_.push_back('{');
    first_.push_back(true);
  }
  void end_object() {
    out_.push_back('}');
    first_.pop_back();
  }
  void begin_array() {
    separate();
    out_.push_back('[');
    first_.push_back(true);
  }
  void end_array() {
    out_.push_back(']');
    first_.pop_back();
  }

  // Writes `"name": `; the next call writes the member's value.
  void key(std::string_view name) {
    separate();
    append_string(name);
    out_.append(": ");
    after_key_ = true;
  }

  void string(std::string_view s) {
    separate();
    append_string(s);
  }
  void boolean(bool b) {
    separate();
    out_.append(b ? "true" : "false");
  }
  void null() {
    separate();
    out_.append("null");
  }
  void integer(std::int64_t v);
  void money(Money micros);  // two decimals, see write_money
  void date(Date d);         // "YYYY-MM-DD"; precondition: is_valid_date(d)
  // Text that is already JSON (e.g. a cached fragment), written as one value.
  void raw(std::string_view json) {
    separate();
    out_.append(json);
  }

  // Ends a JSON Lines record.
  void end_line() { out_.push_back('\n'); }

 private:
  // ", " before every value but the first of its container, nothing after
  // a key.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (first_.back()) {
      first_.back() = false;
    } else {
      out_.append(", ");
    }
  }
  void append_string(std::string_view s);

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace yibao
