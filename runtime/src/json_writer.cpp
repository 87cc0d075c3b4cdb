// json_writer.cpp: numbers, dates and escaped strings for JsonWriter.
#include "yibao/json_writer.h"

#include <charconv>

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

void JsonWriter::append_string(std::string_view s) {
  out_.push_back('"');
  std::size_t run = 0;  // start of bytes not yet copied
  std::size_t i = 0;
  // Copies plain bytes in runs; stops only at bytes needing care.
  const auto flush = [&](std::size_t upto) { out_.append(s.data() + run, upto - run); };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence(s, i);
      if (n != 0) {
        i += n;
        continue;
      }
      flush(i);
      out_.append("\xEF\xBF\xBD");  // U+FFFD for a byte that is not UTF-8
      run = ++i;
      continue;
    }
    flush(i);
    switch (c) {
      case '"': out_.append("\\\""); break;
      case '\\': out_.append("\\\\"); break;
      case '\b': out_.append("\\b"); break;
      case '\f': out_.append("\\f"); break;
      case '\n': out_.append("\\n"); break;
      case '\r': out_.append("\\r"); break;
      case '\t': out_.append("\\t"); break;
      default: {
        const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out_.append(escaped, sizeof escaped);
      }
    }
    run = ++i;
  }
  flush(i);
  out_.push_back('"');
}

}  // namespace yibao
