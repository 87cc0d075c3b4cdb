// request_fast_path.cpp: decodes a well-formed request line in one direct
// scan of its bytes, or declines it (see request_reader_impl.h for why).
//
// Declining is always safe: the full decoder then reads the line again. So
// this file only has to be right about what it accepts, which is plain JSON
// of the request's shape: strings without escapes or control characters,
// numbers and words that the value parsers accept whole, white space where
// JSON allows it, and nothing after the object. Everything a value must
// satisfy is checked by the same functions the full decoder uses (money,
// dates, ranges, enum tables, defaults and required fields in finish()).
#include <simdjson.h>

#include <array>
#include <bit>

#include "request_reader_impl.h"
#include "yibao/values.h"

namespace yibao {
namespace {

using detail::parse_plain_integer;

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Ends a number or a word: a separator, a closing bracket, or white space.
constexpr std::array<bool, 256> kTokenEnd = [] {
  std::array<bool, 256> table{};
  for (const char c : {',', '}', ']', ' ', '\t', '\n', '\r'}) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

// Flags (high bit of each byte) the bytes of `word` that are '"', '\\' or
// below 0x20, with the classic SWAR zero-byte tests.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
constexpr std::uint64_t zero_bytes(std::uint64_t x) noexcept { return (x - kOnes) & ~x & kHighs; }
constexpr std::uint64_t special_bytes(std::uint64_t word) noexcept {
  return zero_bytes(word ^ (kOnes * '"')) | zero_bytes(word ^ (kOnes * '\\')) | ((word - kOnes * 0x20) & ~word & kHighs);
}

class Scanner {
 public:
  Scanner(const char* begin, const char* end) : p_(begin), end_(end) {}

  void skip_space() noexcept {
    // Usually there is no space or one: every white-space byte is <= ' ',
    // and reading at end_ and just after is safe (padding).
    if (static_cast<unsigned char>(*p_) > ' ') return;
    if (p_ < end_ && *p_ == ' ' && static_cast<unsigned char>(p_[1]) > ' ') {
      ++p_;
      return;
    }
    while (p_ < end_ && is_space(*p_)) ++p_;
  }

  // Exactly the bytes of `text` next (no escapes involved: `text` is a
  // schema name in quotes and a colon), compared a word at a time.
  bool eat_text(std::string_view text) noexcept {
    const std::size_t n = text.size();  // at least 3: two quotes and a colon
    if (static_cast<std::size_t>(end_ - p_) < n) return false;
    const auto same = [&](std::size_t at, auto word) {
      decltype(word) a = 0;
      decltype(word) b = 0;
      std::memcpy(&a, p_ + at, sizeof a);
      std::memcpy(&b, text.data() + at, sizeof b);
      return a == b;
    };
    bool equal = true;
    if (n >= 8) {
      for (std::size_t i = 0; equal && i + 8 < n; i += 8) equal = same(i, std::uint64_t{});
      equal = equal && same(n - 8, std::uint64_t{});  // the last word overlaps the previous one
    } else if (n >= 4) {
      equal = same(0, std::uint32_t{}) && same(n - 4, std::uint32_t{});
    } else {
      equal = same(0, std::uint16_t{}) && p_[2] == text[2];
    }
    if (!equal) return false;
    p_ += n;
    return true;
  }
  bool at_end() const noexcept { return p_ == end_; }
  // The next byte, or '\0' at the end (which no rule accepts).
  char peek() const noexcept { return p_ < end_ ? *p_ : '\0'; }
  bool eat(char c) noexcept {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

  // A string without escapes or control characters; its content. Scans
  // eight bytes at a time for a quote, a backslash or a control character
  // (reading past the line is safe: it is padded, see line_reader.h).
  bool string(std::string_view& content) noexcept {
    if (!eat('"')) return false;
    const char* start = p_;
    if constexpr (std::endian::native != std::endian::little) {
      while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
      if (p_ >= end_ || *p_ != '"') return false;
      content = std::string_view(start, static_cast<std::size_t>(p_ - start));
      ++p_;
      return true;
    }
    for (;;) {
      std::uint64_t word = 0;
      std::memcpy(&word, p_, 8);
      const std::uint64_t hits = special_bytes(word);
      if (hits == 0) {
        p_ += 8;
        if (p_ >= end_) return false;  // no closing quote in the line
        continue;
      }
      // The lowest flagged byte is exact (false flags only appear above a
      // true one), and bytes are in memory order on little-endian machines.
      p_ += static_cast<unsigned>(__builtin_ctzll(hits)) / 8;
      if (p_ >= end_ || *p_ != '"') return false;  // past the line, an escape, or a control character
      content = std::string_view(start, static_cast<std::size_t>(p_ - start));
      ++p_;
      return true;
    }
  }

  // A number or word, up to the next separator, bracket or space.
  std::string_view token() noexcept {
    const char* start = p_;
    while (p_ < end_ && !kTokenEnd[static_cast<unsigned char>(*p_)]) ++p_;
    return std::string_view(start, static_cast<std::size_t>(p_ - start));
  }

  // Exactly the word `w` (true, false, null), then the end of the token.
  template <std::size_t N>
  bool word(const char (&w)[N]) noexcept {
    constexpr std::size_t n = N - 1;
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, w, n) != 0) return false;
    if (p_ + n < end_ && !kTokenEnd[static_cast<unsigned char>(p_[n])]) return false;
    p_ += n;
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

bool is_ascii(std::string_view s) noexcept {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

bool RequestReader::Impl::fast_decode(const char* data, std::size_t size, Request& out) {
  if (size > options.max_request_bytes) return false;
  begin_line(out);
  // Texts are copied here so that the request does not depend on the
  // caller's line buffer; they never exceed the line, so after this reserve
  // appending never moves them.
  texts.clear();
  texts.reserve(size);
  Scanner in(data, data + size);

  // One field's value, the scanner at its first byte.
  const auto field_value = [&](int field) -> bool {
    const FieldSpec& f = schema.fields[static_cast<std::size_t>(field)];
    if (test(seen_fields, field)) return false;
    mark(seen_fields, field);
    if (in.peek() == 'n') return in.word("null") && f.presence != Presence::required;  // null: absent
    switch (f.type) {
      case FieldType::text: {
        std::string_view text;
        if (!in.string(text)) return false;
        if (!is_ascii(text) && !simdjson::validate_utf8(text.data(), text.size())) return false;
        const std::size_t at = texts.size();
        texts.append(text);
        out.set_text(field, std::string_view(texts).substr(at, text.size()));
        return true;
      }
      case FieldType::boolean: {
        if (in.word("true")) {
          out.set(field, 1);
        } else if (in.word("false")) {
          out.set(field, 0);
        } else {
          return false;
        }
        return true;
      }
      case FieldType::money: {
        std::string_view written;
        if (in.peek() == '"') {
          if (!in.string(written)) return false;
        } else {
          written = in.token();
        }
        const MoneyParse parsed = parse_money_text(written);
        if (parsed.error != MoneyTextError::none) return false;
        out.set(field, parsed.value);
        return true;
      }
      case FieldType::date: {
        std::string_view text;
        if (!in.string(text)) return false;
        const DateParse parsed = parse_iso_date_text(text);
        if (parsed.error != DateTextError::none) return false;
        out.set(field, parsed.value);
        return true;
      }
      case FieldType::enumeration: {
        std::string_view text;
        if (!in.string(text)) return false;
        const int m = members[static_cast<std::size_t>(f.enum_index)].find(text);
        if (m < 0) return false;
        out.set(field, m);
        return true;
      }
      case FieldType::integer_range: {
        const auto v = parse_plain_integer(in.token());
        if (!v || *v < f.range_lo || *v > f.range_hi) return false;
        out.set(field, *v);
        return true;
      }
      case FieldType::enum_set: {
        if (!in.eat('[')) return false;
        const detail::KeyTable& table = members[static_cast<std::size_t>(f.enum_index)];
        EnumSet set = 0;
        in.skip_space();
        if (!in.eat(']')) {
          for (;;) {
            std::string_view text;
            if (!in.string(text)) return false;
            const int m = table.find(text);
            if (m < 0) return false;
            set |= enum_set_of(m);
            in.skip_space();
            if (in.eat(']')) break;
            if (!in.eat(',')) return false;
            in.skip_space();
          }
        }
        out.set(field, slot_from_set(set));
        return true;
      }
    }
    return false;
  };

  // One object's members, the scanner just after its '{'; `on_member` reads
  // the value of table entry `entry`.
  const auto members_of = [&](ObjectKeys& keys, auto&& on_member) -> bool {
    in.skip_space();
    if (in.eat('}')) return true;
    for (std::size_t position = 0;; ++position) {
      // The key the last line had here, with its quotes and colon, settles
      // the usual case in one comparison.
      const int guess = position < keys.predicted.size() ? keys.predicted[position] : -1;
      int entry = guess;
      if (guess < 0 || !in.eat_text(keys.quoted[static_cast<std::size_t>(guess)])) {
        std::string_view key;
        if (!in.string(key)) return false;
        entry = keys.table.find_entry(key);
        if (entry < 0) return false;
        if (position < keys.predicted.size()) keys.predicted[position] = entry;
        in.skip_space();
        if (!in.eat(':')) return false;
      }
      in.skip_space();
      if (!on_member(keys.table.value(entry))) return false;
      in.skip_space();
      if (in.eat('}')) return true;
      if (!in.eat(',')) return false;
      in.skip_space();
    }
  };

  in.skip_space();
  if (!in.eat('{')) return false;
  const bool read = members_of(top, [&](int code) -> bool {
    if (code >= 0) return field_value(code);
    const int record = record_of_code(code);
    if (test(seen_records, record)) return false;
    mark(seen_records, record);
    if (in.peek() == 'n') return in.word("null") && schema.records[static_cast<std::size_t>(record)].optional;
    if (!in.eat('{')) return false;
    out.set_record_present(record);
    return members_of(record_keys[static_cast<std::size_t>(record)], field_value);
  });
  if (!read) return false;
  in.skip_space();
  if (!in.at_end()) return false;
  return finish(out);
}

}  // namespace yibao
