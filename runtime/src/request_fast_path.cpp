// request_fast_path.cpp: decodes a well-formed request line in one direct
// scan of its bytes, or declines it (see request_reader_impl.h for why).
//
// Declining is always safe: the full decoder then reads the line again. So
// this file only has to be right about what it accepts, which is plain JSON
// of the request's shape: strings without escapes or control characters,
// numbers and words in their usual forms, white space where JSON allows it,
// and nothing after the object. Each value is accepted only in a form whose
// meaning is beyond doubt, and decoded to exactly what the full decoder's
// value parsers give (money.h's parse_money_text, date.h's ISO dates, plain
// integers, enum tables); defaults and required fields are then settled by
// the same finish() as the full decoder's.
//
// Speed: the scan needs a zero byte after the line, and readable bytes
// after that (kZeroTail): the zero stops every scan (no rule accepts a zero
// byte, and a zero inside the line leaves the scan short of the line's end,
// which declines), so the scan needs no bounds checks. Lines from a
// LineReader come so (line_reader.h) and are read in place, their text
// values copied out; any other line is first copied into the reader's own
// storage, followed by zeros, and its text values view that copy. Keys and
// enum members are looked up by their raw bytes (RawKeyTable), up to their
// first quote (Scan::name_rest); other strings are scanned sixteen bytes at
// a time; numbers are decoded as they are scanned, dates as two words.
#include <simdjson.h>

#include <array>
#include <bit>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "request_reader_impl.h"
#include "yibao/line_reader.h"
#include "yibao/values.h"

namespace yibao {
namespace {

// Zero bytes after the copy of a line: the stop, and room for reading
// whole words (RawKeyTable reads up to 32 bytes from a key's start, a date
// 12 from its quote, a string scan 16 from a byte before the stop).
constexpr std::size_t kZeroTail = 48;
static_assert(kReadPadding >= kZeroTail, "a line read in place has its zero and the rest of the tail in its padding");

// Ends a number or a word: a separator, a closing bracket, white space, or
// the zero after the line (anywhere else a zero makes the line decline).
constexpr std::array<bool, 256> kTokenEnd = [] {
  std::array<bool, 256> table{};
  for (const char c : {',', '}', ']', ' ', '\t', '\n', '\r', '\0'}) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
#if !defined(__SSE2__)
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
// Flags (high bit of each byte) the bytes of `word` that are '"', '\\' or
// below 0x20, with the classic SWAR zero-byte tests (for string_rest without
// SSE2). The lowest flag is exact (false flags only appear above a true
// one), and bytes are in memory order on little-endian machines.
constexpr std::uint64_t zero_bytes(std::uint64_t x) noexcept { return (x - kOnes) & ~x & kHighs; }
constexpr std::uint64_t special_bytes(std::uint64_t word) noexcept {
  return zero_bytes(word ^ (kOnes * '"')) | zero_bytes(word ^ (kOnes * '\\')) | ((word - kOnes * 0x20) & ~word & kHighs);
}
#endif

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w = 0;
  std::memcpy(&w, p, 8);
  return w;
}

// Calendar tables for Scan::date.
constexpr std::int32_t kMonthDays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
constexpr std::int32_t kDaysBeforeMonth[13] = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
constexpr std::int32_t kDaysTo1970 = 719'162;  // from 0001-01-01 to 1970-01-01
static_assert(365 * 1969 + 1969 / 4 - 1969 / 100 + 1969 / 400 - kDaysTo1970 == 0);

inline std::uint16_t load16(const char* p) noexcept {
  std::uint16_t w = 0;
  std::memcpy(&w, p, 2);
  return w;
}
constexpr std::uint16_t pair(char a, char b) noexcept {
  return std::endian::native == std::endian::little
             ? static_cast<std::uint16_t>(static_cast<unsigned char>(a) | static_cast<unsigned char>(b) << 8)
             : static_cast<std::uint16_t>(static_cast<unsigned char>(a) << 8 | static_cast<unsigned char>(b));
}
constexpr std::uint16_t kColonSpace = pair(':', ' ');
constexpr std::uint16_t kCommaSpace = pair(',', ' ');
constexpr std::uint16_t kCommaQuote = pair(',', '"');

// Bit i set when p[i] is an ASCII digit, for i < 16 (Scan::money_digits).
inline unsigned digit_bits(const char* p) noexcept {
#if defined(__SSE2__)
  const __m128i v = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi8('0'));
  const __m128i nine = _mm_set1_epi8(9);
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, nine), v)));
#else
  unsigned bits = 0;
  for (unsigned i = 0; i < 16; ++i) bits |= (static_cast<unsigned>(static_cast<unsigned char>(p[i]) - '0') <= 9 ? 1U : 0U) << i;
  return bits;
#endif
}

// The number written by the `n` digits at `p` (1 <= n <= 8), converted
// together: the digits are moved to the top of a word (the bytes after
// them shifted out, zeros in at the bottom, which read as leading zeros),
// then pairs, fours and eights of digits are combined by multiplication.
[[gnu::always_inline]] inline std::int64_t short_number(const char* p, unsigned n) noexcept {
  if constexpr (std::endian::native != std::endian::little) {
    std::int64_t v = 0;
    for (unsigned i = 0; i < n; ++i) v = v * 10 + (p[i] - '0');
    return v;
  } else {
    // Subtracting '0' from all eight bytes at once: a byte after the digits
    // may borrow from the bytes above it, which are shifted out anyway.
    std::uint64_t w = (load8(p) - 0x3030303030303030ULL) << (8 * (8 - n));
    w = w * 10 + (w >> 8);                                        // each pair's value in its low byte
    w = (((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
         (((w >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;  // the eight digits
    return static_cast<std::int64_t>(w);
  }
}

// The words of Scan::boolean, as they load from memory.
constexpr std::uint64_t word_of(const char* w, std::size_t n) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto byte = static_cast<std::uint64_t>(static_cast<unsigned char>(w[i]));
    v |= std::endian::native == std::endian::little ? byte << (8 * i) : byte << (8 * (7 - i));
  }
  return v;
}
constexpr std::uint64_t kTrue = word_of("true", 4);
constexpr std::uint64_t kFalse = word_of("false", 5);
constexpr std::uint64_t kLow4 = word_of("\xff\xff\xff\xff", 4);
constexpr std::uint64_t kLow5 = word_of("\xff\xff\xff\xff\xff", 5);

inline unsigned digit(char c) noexcept { return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0'; }

// Whether the `n` bytes at `p` are ASCII. Reads 16 bytes for a short
// string (the line's tail allows it), without a branch on its length.
inline bool is_ascii(const char* p, std::size_t n) noexcept {
#if defined(__SSE2__)
  if (n <= 16) {
    const auto highs = static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
    return (highs & ((1U << n) - 1)) == 0;
  }
#endif
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    if (load8(p + i) & kHighs) return false;
  }
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(p[i]) >= 0x80) return false;
  }
  return true;
}

// The scan of one line (zero-terminated, see above). Every function returns
// false to decline.
struct Scan {
  const char* p;

  [[gnu::always_inline]] void skip_space() noexcept {
    // Usually no space or one: every white-space byte is <= ' '.
    if (static_cast<unsigned char>(*p) > ' ') return;
    if (*p == ' ') {
      ++p;
      if (static_cast<unsigned char>(*p) > ' ') return;
    }
    while (detail::is_json_space(*p)) ++p;
  }
  [[gnu::always_inline]] bool eat(char c) noexcept {
    if (*p != c) return false;
    ++p;
    return true;
  }
  [[gnu::always_inline]] bool at_token_end() const noexcept { return kTokenEnd[static_cast<unsigned char>(*p)]; }

  // A string without escapes or control characters, `p` just after its
  // opening quote; its content. Eight bytes at a time (the zero after the
  // line stops it at the latest).
  [[gnu::always_inline]] bool string_rest(const char*& start, std::size_t& size) noexcept {
    start = p;
#if defined(__SSE2__)
    // Sixteen bytes at a time: quotes, backslashes, and bytes below 0x20
    // (those equal to their maximum with 0x1f).
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1f);
    for (;;) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                        _mm_cmpeq_epi8(_mm_max_epu8(v, control), control));
      const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
      if (mask != 0) {
        p += __builtin_ctz(mask);
        break;
      }
      p += 16;
    }
#else
    if constexpr (std::endian::native != std::endian::little) {
      while (*p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) ++p;
    } else {
      for (;;) {
        const std::uint64_t hits = special_bytes(load8(p));
        if (hits != 0) {
          p += static_cast<unsigned>(__builtin_ctzll(hits)) / 8;
          break;
        }
        p += 8;
      }
    }
#endif
    if (*p != '"') return false;  // an escape, a control character, or the end of the line
    size = static_cast<std::size_t>(p - start);
    ++p;
    return true;
  }
  [[gnu::always_inline]] bool string(const char*& start, std::size_t& size) noexcept {
    return eat('"') && string_rest(start, size);
  }

  // A string to be looked up among names (a key, an enum member), `p` just
  // after its opening quote; its bytes up to the first quote. Only quotes
  // are looked for, in the first sixteen bytes: the names are plain (no
  // quote, backslash, control or zero byte; RawKeyTable's constructor), so
  // a string with an escape or a control byte before that quote matches
  // none, and its line declines at the lookup, as string_rest would have
  // declined it. (So does a line that ends before the quote: its bytes
  // include the zero after the line. RawKeyTable compares the key with its
  // closing quote, so a key with zero bytes after a name's bytes is no
  // name.) A longer string takes string_rest's full scan.
  [[gnu::always_inline]] bool name_rest(const char*& start, std::size_t& size) noexcept {
#if defined(__SSE2__)
    const auto quotes = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi8('"'))));
    if (quotes != 0) {
      start = p;
      p += __builtin_ctz(quotes);
      size = static_cast<std::size_t>(p - start);
      ++p;
      return true;
    }
#endif
    return string_rest(start, size);
  }
  [[gnu::always_inline]] bool name(const char*& start, std::size_t& size) noexcept {
    return eat('"') && name_rest(start, size);
  }

  // Exactly the word `w` (true, false, null), then the end of the token.
  template <std::size_t N>
  [[gnu::always_inline]] bool word(const char (&w)[N]) noexcept {
    constexpr std::size_t n = N - 1;
    if (std::memcmp(p, w, n) != 0) return false;
    p += n;
    return at_token_end();
  }

  // `true` or `false`, then the end of the token. Without a branch on
  // which (a line's booleans are as likely either way, so a branch would be
  // mispredicted often): both words are compared at once, eight bytes read.
  [[gnu::always_inline]] bool boolean(bool& value) noexcept {
    const std::uint64_t w = load8(p);
    const bool is_true = (w & kLow4) == kTrue;
    const bool is_false = (w & kLow5) == kFalse;
    p += is_true ? 4 : 5;
    value = is_true;
    return (is_true || is_false) && at_token_end();
  }

  // Money as parse_money_text accepts it in the usual shape, `p` at the
  // first digit: 0 or up to twelve digits without a leading zero, then
  // nothing or '.' and one or two digits. Anything else declines (the full
  // decoder then says what is wrong, or reads the rarer forms).
  //
  // The digits are found by one 16-byte compare and converted eight at a
  // time, not in a loop over them: amounts differ in length from one to the
  // next, so a loop's exit was mispredicted for most amounts. The 16 bytes
  // cover the longest amount accepted (12 digits, '.', 2 digits) and the
  // byte after it; the line's tail allows the read.
  [[gnu::always_inline]] bool money_digits(std::int64_t& micros) noexcept {
    const unsigned digits = digit_bits(p);         // bit i: p[i] is a digit
    const auto n = static_cast<unsigned>(__builtin_ctz(~digits));  // whole digits (~digits has bit 16 set)
    if (n - 1 >= 12) return false;                 // none, or 10^12 yuan or more
    if (p[0] == '0' && n > 1) return false;        // a leading zero
    const std::int64_t whole = n <= 8 ? short_number(p, n)
                                      : short_number(p, n - 8) * 100'000'000 + short_number(p + n - 8, 8);
    const bool dot = p[n] == '.';
    const unsigned after = digits >> (n + 1);      // digits after the byte that ends the whole part
    const unsigned decimals = dot ? static_cast<unsigned>(__builtin_ctz(~after)) : 0;
    if (dot && decimals - 1 >= 2) return false;    // "1." or more than two decimals
    const std::int64_t tens = decimals >= 1 ? digit(p[n + 1]) : 0;
    const std::int64_t ones = decimals >= 2 ? digit(p[n + 2]) : 0;
    p += n + (dot ? 1 : 0) + decimals;
    micros = whole * kMicrosPerYuan + (tens * 10 + ones) * kMicrosPerCent;
    return true;
  }

  // A plain JSON integer without a sign: 0 or [1-9][0-9]*, at most 18
  // digits, then the end of the token.
  [[gnu::always_inline]] bool whole_number(std::int64_t& v) noexcept {
    if (digit(*p) > 9) return false;
    const char* const first = p;
    v = 0;
    while (digit(*p) <= 9) {
      if (p - first == 18) return false;
      v = v * 10 + digit(*p);
      ++p;
    }
    if (*first == '0' && p - first > 1) return false;
    return at_token_end();
  }

  // The numbers of "YYYY-MM-DD", `p` at the opening quote; false unless
  // the twelve bytes are a quote, four digits, '-', two digits, '-', two
  // digits and a quote. The twelve bytes are read as two words and checked
  // together (the line's tail allows reading them): dates are a large part
  // of a request's bytes, and a compare and a branch for every byte cost
  // several times more.
  [[gnu::always_inline]] bool date_fields(std::int32_t& year, std::int32_t& month, std::int32_t& day) noexcept {
    if constexpr (std::endian::native != std::endian::little) {
      if (p[0] != '"' || p[5] != '-' || p[8] != '-' || p[11] != '"') return false;
      const unsigned y0 = digit(p[1]), y1 = digit(p[2]), y2 = digit(p[3]), y3 = digit(p[4]);
      const unsigned m0 = digit(p[6]), m1 = digit(p[7]), d0 = digit(p[9]), d1 = digit(p[10]);
      if (y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9) return false;
      year = static_cast<std::int32_t>(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
      month = static_cast<std::int32_t>(m0 * 10 + m1);
      day = static_cast<std::int32_t>(d0 * 10 + d1);
      return true;
    } else {
      // Bytes 0-7 (`"YYYY-MM`) and 4-11 (`Y-MM-DD"`), overlapping: the
      // punctuation is compared under a mask, then replaced by '0' so that
      // every byte must be a digit (its high nibble 3, and still 3 after
      // adding 6).
      const std::uint64_t head = load8(p);
      const std::uint64_t tail = load8(p + 4);
      constexpr std::uint64_t kHeadMarks = word_of("\xff\0\0\0\0\xff\0\0", 8);
      constexpr std::uint64_t kTailMarks = word_of("\0\xff\0\0\xff\0\0\xff", 8);
      if ((head & kHeadMarks) != word_of("\"\0\0\0\0-\0\0", 8) ||
          (tail & kTailMarks) != word_of("\0-\0\0-\0\0\"", 8))
        return false;
      constexpr std::uint64_t kZeros = 0x3030303030303030ULL;
      constexpr std::uint64_t kNibbles = 0xF0F0F0F0F0F0F0F0ULL;
      constexpr std::uint64_t kSixes = 0x0606060606060606ULL;
      const std::uint64_t h = (head & ~kHeadMarks) | (kZeros & kHeadMarks);
      const std::uint64_t t = (tail & ~kTailMarks) | (kZeros & kTailMarks);
      if (((h & kNibbles) ^ kZeros) | (((h + kSixes) & kNibbles) ^ kZeros) | ((t & kNibbles) ^ kZeros) |
          (((t + kSixes) & kNibbles) ^ kZeros))
        return false;
      // Each byte's digit, then each pair's value in the pair's first byte
      // (no carries: every byte is at most 9, a pair at most 99).
      const std::uint64_t hd = h - kZeros;  // 0 Y Y Y Y 0 M M
      const std::uint64_t td = t - kZeros;  // Y 0 M M 0 D D 0
      const std::uint64_t hp = hd * 10 + (hd >> 8);
      const std::uint64_t tp = td * 10 + (td >> 8);
      year = static_cast<std::int32_t>(((hp >> 8) & 0xFF) * 100 + ((hp >> 24) & 0xFF));
      month = static_cast<std::int32_t>((hp >> 48) & 0xFF);
      day = static_cast<std::int32_t>((tp >> 40) & 0xFF);
      return true;
    }
  }

  // "YYYY-MM-DD" naming a real day, `p` at the opening quote.
  [[gnu::always_inline]] bool date(std::int64_t& days) noexcept {
    std::int32_t year = 0;
    std::int32_t month = 0;
    std::int32_t day = 0;
    if (!date_fields(year, month, day)) return false;
    // As from_ymd (the same day count: the tests compare this reader with
    // the full decoder, which uses from_ymd, on the ends of February and
    // December of every year 1..9999 and every day of a few), with the era
    // arithmetic written out for whole years, unsigned (year >= 1) so that
    // the divisions by constants need no corrections for the sign.
    if (year < kMinYear || month < 1 || month > 12 || day < 1) return false;
    const auto y = static_cast<std::uint32_t>(year);
    const bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    if (day > kMonthDays[month] + (leap && month == 2 ? 1 : 0)) return false;
    const std::uint32_t before = y - 1;  // whole years since 0001-01-01
    days = static_cast<std::int64_t>(365 * before + before / 4 - before / 100 + before / 400) - kDaysTo1970 +
           kDaysBeforeMonth[month] + (leap && month > 2 ? 1 : 0) + day - 1;
    p += 12;
    return true;
  }

  // A key and its colon, `p` just after the key's opening quote: the key's
  // value in `keys`, or false.
  [[gnu::always_inline]] bool key_rest(const ObjectKeys& keys, int& code) noexcept {
    const char* start = nullptr;
    std::size_t n = 0;
    if (!name_rest(start, n)) return false;
    const int entry = keys.raw.find(start, n, code);
    if (entry < 0) {
      if (entry == -1) return false;
      const int long_entry = keys.table.find_entry(std::string_view(start, n));
      if (long_entry < 0) return false;
      code = keys.raw_codes[static_cast<std::size_t>(long_entry)];
    }
    // The usual forms, `":` and one space or none (producers write both,
    // often on one line), each tested alone: picking the form by
    // arithmetic, without a branch, measured slower.
    if (load16(p) == kColonSpace && static_cast<unsigned char>(p[2]) > ' ') {
      p += 2;
      return true;
    }
    if (p[0] == ':' && static_cast<unsigned char>(p[1]) > ' ') {
      p += 1;
      return true;
    }
    skip_space();
    if (!eat(':')) return false;
    skip_space();
    return true;
  }
  // After a member: true and `more` for ',', true and not `more` for '}'.
  [[gnu::always_inline]] bool next_member(bool& more) noexcept {
    skip_space();
    if (*p == ',') {
      ++p;
      skip_space();
      more = true;
      return true;
    }
    more = false;
    return eat('}');
  }
  // After a member, the usual `, "` or `,"` before the next key (each
  // tested alone, as the colon's forms): true, and `p` just after the quote.
  [[gnu::always_inline]] bool comma_quote() noexcept {
    if (load16(p) == kCommaSpace && p[2] == '"') {
      p += 3;
      return true;
    }
    if (load16(p) == kCommaQuote) {
      p += 2;
      return true;
    }
    return false;
  }
};

}  // namespace

// One field's value, the scanner at its first byte.
template <class Scanner>
[[gnu::always_inline]] inline bool RequestReader::Impl::fast_value(Scanner& in, Request& out, int code,
                                                                  FastSeen& seen) {
  const int field = detail::field_of_fast_code(code);
  const FastField& f = fast_fields[static_cast<std::size_t>(field)];
  // A key given twice: the first 64 fields in registers, the rest in
  // seen_fields. Their presence bits are set in one go at the end of the
  // line (Request::mark_given), from the keys given less the nulls; the
  // others' with each value.
  const bool in_registers = field < 64;
  const std::uint64_t bit = std::uint64_t{1} << (field & 63);
  if (in_registers) {
    if (seen.keys & bit) return false;
    seen.keys |= bit;
  } else {
    if (test(seen_fields, field)) return false;
    mark(seen_fields, field);
  }
  const auto store = [&](std::int64_t value) __attribute__((always_inline)) {
    if (in_registers) {
      out.set_slot(field, value);
    } else {
      out.set(field, value);
    }
  };
  if (*in.p == 'n') {  // null: absent
    if (in_registers) seen.nulls |= bit;
    return !f.required && in.word("null");
  }
  switch (detail::type_of_fast_code(code)) {
    case FieldType::text: {
      const char* start = nullptr;
      std::size_t n = 0;
      if (!in.string(start, n)) return false;
      if (!is_ascii(start, n) && !simdjson::validate_utf8(start, n)) return false;
      if (in_place) {
        // Copied out, into storage sized for the whole line at its start
        // (so earlier views stay put); a short value in one 16-byte move
        // (the line's tail and the storage's slack both allow it).
        char* const to = texts.data() + texts_used;
        if (n <= 16) {
          std::memcpy(to, start, 16);
        } else {
          std::memcpy(to, start, n);
        }
        texts_used += n;
        start = to;
      }
      if (in_registers) {
        out.set_text_slot(field, std::string_view(start, n));
      } else {
        out.set_text(field, std::string_view(start, n));
      }
      return true;
    }
    case FieldType::boolean: {
      bool value = false;
      if (!in.boolean(value)) return false;
      store(value ? 1 : 0);
      return true;
    }
    case FieldType::money: {
      // Quoted ("12.50") or not, without a branch on which: producers mix
      // them, so a branch would be mispredicted often.
      std::int64_t micros = 0;
      const bool quoted = *in.p == '"';
      in.p += quoted ? 1 : 0;
      if (!in.money_digits(micros)) return false;
      const bool ends = quoted ? *in.p == '"' : in.at_token_end();
      in.p += quoted ? 1 : 0;
      if (!ends) return false;
      store(micros);
      return true;
    }
    case FieldType::date: {
      std::int64_t days = 0;
      if (!in.date(days)) return false;
      store(days);
      return true;
    }
    case FieldType::enumeration: {
      const char* start = nullptr;
      std::size_t n = 0;
      if (!in.name(start, n)) return false;
      const detail::RawKeyTable& table = raw_members[static_cast<std::size_t>(f.enum_index)];
      const int m = table.find(start, n);
      if (m < 0) return false;
      store(table.value(m));
      return true;
    }
    case FieldType::integer_range: {
      std::int64_t v = 0;
      if (!in.whole_number(v) || v < f.lo || v > f.hi) return false;
      store(v);
      return true;
    }
    case FieldType::enum_set: {
      if (!in.eat('[')) return false;
      const detail::RawKeyTable& table = raw_members[static_cast<std::size_t>(f.enum_index)];
      EnumSet set = 0;
      in.skip_space();
      if (!in.eat(']')) {
        for (;;) {
          const char* start = nullptr;
          std::size_t n = 0;
          if (!in.name(start, n)) return false;
          const int m = table.find(start, n);
          if (m < 0) return false;
          set |= enum_set_of(table.value(m));
          in.skip_space();
          if (in.eat(']')) break;
          if (!in.eat(',')) return false;
          in.skip_space();
        }
      }
      store(slot_from_set(set));
      return true;
    }
  }
  return false;
}

bool RequestReader::Impl::fast_decode(const char* data, std::size_t size, Request& out) {
  if (size > options.max_request_bytes) return false;
  begin_line(out);
  // A line followed by a zero byte (as LineReader gives them) is read in
  // place, which saves copying it; any other is copied first.
  in_place = data[size] == '\0';
  if (in_place) {
    // Room for every text value, and for the 16-byte move of the last.
    if (texts.size() < size + 16) texts.resize(size + 16);  // grows only (no fill once warm)
    texts_used = 0;
  } else {
    texts.assign(data, size);
    texts.append(kZeroTail, '\0');
  }
  const char* const begin = in_place ? data : texts.data();
  const char* const end = begin + size;
  Scan in{begin};
  FastSeen seen;

  in.skip_space();
  if (!in.eat('{')) return false;
  in.skip_space();
  bool more = !in.eat('}');
  while (more) {
    int code = 0;
    if (!in.eat('"') || !in.key_rest(top, code)) return false;
    if (code >= 0) {
      if (!fast_value(in, out, code, seen)) return false;
    } else {
      const int record = record_of_code(code);
      if (test(seen_records, record)) return false;
      mark(seen_records, record);
      if (*in.p == 'n') {
        if (!schema.records[static_cast<std::size_t>(record)].optional || !in.word("null")) return false;
      } else {
        if (!in.eat('{')) return false;
        out.set_record_present(record);
        // The record's members: after the first key's quote, the usual
        // `, "` or `,"` leads straight to the next key.
        const ObjectKeys& keys = record_keys[static_cast<std::size_t>(record)];
        in.skip_space();
        if (!in.eat('}')) {
          if (!in.eat('"')) return false;
          for (;;) {
            int member = 0;  // fast_code
            if (!in.key_rest(keys, member) || !fast_value(in, out, member, seen)) return false;
            if (in.comma_quote()) continue;
            bool inner = false;
            if (!in.next_member(inner)) return false;
            if (!inner) break;
            if (!in.eat('"')) return false;
          }
        }
      }
    }
    if (!in.next_member(more)) return false;
  }
  in.skip_space();
  if (in.p != end) return false;
  if (out.field_count() > 0) out.mark_given(0, seen.keys & ~seen.nulls);
  return finish(out);
}

}  // namespace yibao
