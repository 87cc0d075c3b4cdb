// json_writer.cpp: numbers, dates and escaped strings for JsonWriter.
#include "yibao/json_writer.h"

#include <bit>
#include <charconv>
#include <cstring>

namespace yibao {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i] (2..4), or 0 when the
// bytes there are not one (overlong forms, surrogates and values above
// U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  const std::size_t left = s.size() - i;
  const auto continuation = [&](std::size_t k) { return (byte(k) & 0xC0U) == 0x80U; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return left >= 2 && continuation(i + 1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3 || !continuation(i + 1) || !continuation(i + 2)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
    if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4 || !continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3)) return 0;
    const unsigned char b1 = byte(i + 1);
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

void JsonWriter::integer(std::int64_t v) {
  separate();
  char buffer[24];
  out_.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr);
}

void JsonWriter::money(Money micros) {
  separate();
  char buffer[kMoneyTextMax];
  out_.append(buffer, write_money(buffer, micros));
}

void JsonWriter::date(Date d) {
  separate();
  char buffer[kDateTextSize + 2];
  buffer[0] = '"';
  write_iso_date(buffer + 1, d);
  buffer[kDateTextSize + 1] = '"';
  out_.append(buffer, sizeof buffer);
}

namespace {

// Bytes that a JSON string cannot hold as they are, or that need a UTF-8
// check: flags (high bit of each byte) the bytes of `word` that are '"',
// '\\', below 0x20 or above 0x7f. The lowest flag is exact (false flags only
// appear above a true one), and bytes are in memory order on little-endian
// machines.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
constexpr std::uint64_t zero_bytes(std::uint64_t x) noexcept { return (x - kOnes) & ~x & kHighs; }
constexpr std::uint64_t special_bytes(std::uint64_t word) noexcept {
  return zero_bytes(word ^ (kOnes * '"')) | zero_bytes(word ^ (kOnes * '\\')) | ((word - kOnes * 0x20) & ~word & kHighs) |
         (word & kHighs);
}

}  // namespace

char* write_json_string(char* out, std::string_view s) noexcept {
  *out++ = '"';
  const char* const data = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Plain bytes, eight at a time.
    if constexpr (std::endian::native == std::endian::little) {
      while (i + 8 <= n) {
        std::uint64_t word = 0;
        std::memcpy(&word, data + i, 8);
        const std::uint64_t hits = special_bytes(word);
        if (hits == 0) {
          std::memcpy(out, data + i, 8);
          out += 8;
          i += 8;
          continue;
        }
        const std::size_t plain = static_cast<unsigned>(__builtin_ctzll(hits)) / 8;
        std::memcpy(out, data + i, plain);
        out += plain;
        i += plain;
        break;
      }
      if (i >= n) break;
    }
    const auto c = static_cast<unsigned char>(data[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      *out++ = static_cast<char>(c);
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t len = utf8_sequence(s, i);
      if (len != 0) {
        std::memcpy(out, data + i, len);
        out += len;
        i += len;
        continue;
      }
      std::memcpy(out, "\xEF\xBF\xBD", 3);  // U+FFFD for a byte that is not UTF-8
      out += 3;
      ++i;
      continue;
    }
    *out++ = '\\';
    switch (c) {
      case '"': *out++ = '"'; break;
      case '\\': *out++ = '\\'; break;
      case '\b': *out++ = 'b'; break;
      case '\f': *out++ = 'f'; break;
      case '\n': *out++ = 'n'; break;
      case '\r': *out++ = 'r'; break;
      case '\t': *out++ = 't'; break;
      default:
        *out++ = 'u';
        *out++ = '0';
        *out++ = '0';
        *out++ = kHex[c >> 4];
        *out++ = kHex[c & 0xF];
    }
    ++i;
  }
  *out++ = '"';
  return out;
}

void JsonWriter::append_string(std::string_view s) {
  const std::size_t at = out_.size();
  out_.resize(at + json_string_bound(s.size()));
  char* const end = write_json_string(out_.data() + at, s);
  out_.resize(static_cast<std::size_t>(end - out_.data()));
}

}  // namespace yibao
