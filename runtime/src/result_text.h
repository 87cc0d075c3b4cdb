// result_text.h (internal): the pieces of result lines that do not depend
// on the request, escaped once per Settler, and the cursor that writes a
// line from them (settle.cpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "yibao/ir.h"
#include "yibao/json_writer.h"

namespace yibao::detail {

// A fragment of result text in ResultText::arena.
struct Piece {
  std::uint32_t at = 0;
  std::uint32_t size = 0;
};

// Short fragments are copied this many bytes at a time, whatever their
// length: the arena and the output both keep this much room after the end.
constexpr std::size_t kSlack = 32;

// Result text known before any request, in the exact layout JsonWriter
// writes (json_writer.h): `"key": ` with `, ` before all but the first
// member.
struct ResultText {
  std::string arena;  // every fragment back to back, then kSlack bytes
  Piece open_id;      // {"id": 
  Piece policy;       // , "policy": "<policy id>"
  Piece null_text, true_text, false_text;
  Piece reason_key;   // "reason": 
  Piece reason_null;  // "reason": null
  struct Field {
    Piece first;  // "name": 
    Piece later;  // , "name": 
    ir::TypeRef type;
  };
  struct Section {
    Piece key;   // , "name": 
    Piece open;  // , "name": {
    std::vector<Field> fields;
  };
  std::vector<Section> sections;
  std::vector<std::vector<Piece>> members;  // per enum: "member"
  std::vector<std::vector<Piece>> reasons;  // per enum: "reason": "member"
  std::vector<std::size_t> set_bound;       // per enum: room for a whole set: ["a", "b"]
  std::vector<Piece> strings;               // per Program::strings: "text"
  std::vector<Piece> unspecified_errors;    // per Program::unspecifieds: {"error": {...}}
  // Room for a result line, but for request texts, errors other than
  // unspecified_errors, and --explain: write_result makes it once, and then
  // writes the rest unchecked.
  std::size_t bound = 0;

  Piece add(std::string_view text) {
    const Piece p{static_cast<std::uint32_t>(arena.size()), static_cast<std::uint32_t>(text.size())};
    arena.append(text);
    return p;
  }
  Piece add_string(std::string_view text) {
    std::string quoted(json_string_bound(text.size()), '\0');
    quoted.resize(static_cast<std::size_t>(write_json_string(quoted.data(), text) - quoted.data()));
    return add(quoted);
  }
  Piece add_key(std::string_view prefix, std::string_view name) {
    std::string key(prefix);
    key.resize(prefix.size() + json_string_bound(name.size()));
    key.resize(static_cast<std::size_t>(write_json_string(key.data() + prefix.size(), name) - key.data()));
    key.append(": ");
    return add(key);
  }
};

// A string of at most 16 bytes that JSON takes as it is (printable ASCII,
// no quote or backslash), quoted, as write_json_string would write it, with
// a few word-sized copies; nullptr (nothing written that counts) when it is
// not so plain. Writes up to 18 bytes; reads only the string's bytes.
inline char* write_short_plain(char* out, std::string_view s) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const auto special = [](std::uint64_t w) {
    const auto zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHighs; };
    return zero(w ^ (kOnes * '"')) | zero(w ^ (kOnes * '\\')) | ((w - kOnes * 0x20) & ~w & kHighs) | (w & kHighs);
  };
  const std::size_t n = s.size();
  const char* const d = s.data();
  out[0] = '"';
  if (n >= 8) {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::memcpy(&a, d, 8);
    std::memcpy(&b, d + n - 8, 8);  // overlaps a when n < 16
    if (special(a) | special(b)) return nullptr;
    std::memcpy(out + 1, &a, 8);
    std::memcpy(out + 1 + n - 8, &b, 8);
  } else if (n >= 4) {
    std::uint32_t a = 0;
    std::uint32_t b = 0;
    std::memcpy(&a, d, 4);
    std::memcpy(&b, d + n - 4, 4);
    if (special(a | (std::uint64_t{b} << 32))) return nullptr;
    std::memcpy(out + 1, &a, 4);
    std::memcpy(out + 1 + n - 4, &b, 4);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<unsigned char>(d[i]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return nullptr;
      out[1 + i] = d[i];
    }
  }
  out[1 + n] = '"';
  return out + n + 2;
}

// Writes a result through a pointer into an output whose room is kept from
// line to line (Settler::Output: sized, and zero-filled, only while it
// grows): each write checks only that it fits, and finish() moves the
// output's end to where writing stopped.
class ResultCursor {
 public:
  // Writes after the output's present content: the first `used` bytes of
  // `text` (the rest is room).
  ResultCursor(std::string& text, std::size_t& used, const char* arena)
      : text_(text), used_(used), arena_(arena), p_(text.data() + used), end_(text.data() + text.size()) {}
  // Room for n more bytes (and the slack of a short copy).
  char* need(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n + kSlack) grow(n);
    return p_;
  }
  void advance_to(char* p) { p_ = p; }
  void put(Piece piece) {
    need(piece.size);
    if (piece.size <= kSlack) {
      std::memcpy(p_, arena_ + piece.at, kSlack);
    } else {
      std::memcpy(p_, arena_ + piece.at, piece.size);
    }
    p_ += piece.size;
  }
  void put(char c) {
    need(1);
    *p_++ = c;
  }
  // The same, within room made before.
  void put_unchecked(Piece piece) {
    if (piece.size <= kSlack) {
      std::memcpy(p_, arena_ + piece.at, kSlack);
    } else {
      std::memcpy(p_, arena_ + piece.at, piece.size);
    }
    p_ += piece.size;
  }
  void put_unchecked(char c) { *p_++ = c; }
  char* at() const { return p_; }
  void put(std::string_view text) {
    need(text.size());
    std::memcpy(p_, text.data(), text.size());
    p_ += text.size();
  }
  void put_string(std::string_view text) {
    char* const to = need(json_string_bound(text.size()));
    p_ = text.size() <= 16 ? write_short_plain(to, text) : nullptr;
    if (p_ == nullptr) p_ = write_json_string(to, text);
  }
  // Ends the output's content where writing stopped.
  void finish() { used_ = static_cast<std::size_t>(p_ - text_.data()); }

 private:
  void grow(std::size_t n) {
    const auto used = static_cast<std::size_t>(p_ - text_.data());
    text_.resize(std::max(used + n + kSlack, 2 * text_.size()));
    p_ = text_.data() + used;
    end_ = text_.data() + text_.size();
  }

  std::string& text_;
  std::size_t& used_;
  const char* arena_;
  char* p_ = nullptr;
  char* end_ = nullptr;
};

}  // namespace yibao::detail
