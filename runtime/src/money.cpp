// money.cpp: money text, written (two decimals, exact) and read (request rules).
#include "yibao/money.h"

#include <charconv>
#include <cstring>

#include "excerpt.h"

namespace yibao {
namespace {

// Magnitude of an int64 as uint64, defined for INT64_MIN too.
std::uint64_t magnitude(Money m) noexcept {
  return m < 0 ? 0U - static_cast<std::uint64_t>(m) : static_cast<std::uint64_t>(m);
}

char* write_unsigned(char* out, std::uint64_t v) noexcept {
  // kMoneyTextMax bounds the caller's buffer; 20 digits always fit.
  return std::to_chars(out, out + 20, v).ptr;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

}  // namespace

// "00" .. "99": two digits at a time.
constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// How many decimal digits `v` has (1 for 0): from its bit length, then one
// comparison, without a loop over the digits.
unsigned decimal_digits(std::uint64_t v) noexcept {
  static constexpr std::uint64_t kPowers[20] = {1ULL,
                                                10ULL,
                                                100ULL,
                                                1000ULL,
                                                10000ULL,
                                                100000ULL,
                                                1000000ULL,
                                                10000000ULL,
                                                100000000ULL,
                                                1000000000ULL,
                                                10000000000ULL,
                                                100000000000ULL,
                                                1000000000000ULL,
                                                10000000000000ULL,
                                                100000000000000ULL,
                                                1000000000000000ULL,
                                                10000000000000000ULL,
                                                100000000000000000ULL,
                                                1000000000000000000ULL,
                                                10000000000000000000ULL};
  // A number of `bits` bits has `guess` or guess + 1 digits, guess being
  // bits * log10(2) rounded down (1233 / 4096 is log10(2) closely enough for
  // 64 bits); one comparison tells which. 0 is taken as 1: one digit.
  const std::uint64_t at_least_one = v | 1;
  const auto bits = static_cast<unsigned>(64 - __builtin_clzll(at_least_one));
  const unsigned guess = bits * 1233 >> 12;
  return guess + (at_least_one >= kPowers[guess] ? 1 : 0);
}

char* write_money(char* out, Money micros) noexcept {
  // Runs for every amount of every result: the digits go straight to their
  // places in `out`, from the last, two at a time, once their count is
  // known. (Making them in a local buffer and copying it out stalled: the
  // wide load of the copy waited for the two-byte stores before it, which
  // the core cannot forward to it.)
  const std::uint64_t cents = (magnitude(micros) + kMicrosPerCent / 2) / kMicrosPerCent;  // half away from zero
  if (micros < 0 && cents != 0) *out++ = '-';
  std::uint64_t whole = cents / 100;
  const auto fraction = static_cast<unsigned>(cents % 100);
  char* const point = out + decimal_digits(whole);
  char* p = point;
  while (whole >= 100) {
    p -= 2;
    std::memcpy(p, kDigitPairs + 2 * (whole % 100), 2);
    whole /= 100;
  }
  if (whole >= 10) {
    std::memcpy(p - 2, kDigitPairs + 2 * whole, 2);
  } else {
    p[-1] = static_cast<char>('0' + whole);
  }
  *point = '.';
  std::memcpy(point + 1, kDigitPairs + 2 * fraction, 2);
  return point + 3;
}

std::string money_to_string(Money micros) {
  char buffer[kMoneyTextMax];
  return std::string(buffer, write_money(buffer, micros));
}

char* write_money_exact(char* out, Money micros) noexcept {
  const std::uint64_t mag = magnitude(micros);
  if (micros < 0) *out++ = '-';
  out = write_unsigned(out, mag / kMicrosPerYuan);
  *out++ = '.';
  auto fraction = static_cast<std::uint32_t>(mag % kMicrosPerYuan);
  char digits[6];
  for (int i = 5; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  int keep = 6;
  while (keep > 2 && digits[keep - 1] == '0') --keep;
  std::memcpy(out, digits, static_cast<std::size_t>(keep));
  return out + keep;
}

std::string_view money_text_expectation(MoneyTextError error) noexcept {
  switch (error) {
    case MoneyTextError::none: return "an amount";
    case MoneyTextError::not_a_number: return "an amount in yuan like 1234.56";
    case MoneyTextError::negative: return "an amount that is not negative";
    case MoneyTextError::sign: return "an amount without a sign";
    case MoneyTextError::exponent: return "an amount without an exponent";
    case MoneyTextError::leading_zero: return "an amount without leading zeros";
    case MoneyTextError::too_many_decimals: return "an amount with at most two decimals";
    case MoneyTextError::too_large: return "an amount below 1000000000000";
  }
  return "an amount";
}

namespace {

// The full reading of an amount, with the reason for a refusal.
MoneyParse classify_money_text(std::string_view s) noexcept {
  // Shape first (an optional sign, digits, an optional fraction and exponent),
  // then the rules, so that "-abc" is called "not a number" and "-3" is
  // called "negative".
  std::size_t i = 0;
  const char sign = !s.empty() && (s[0] == '-' || s[0] == '+') ? s[0] : '\0';
  if (sign != '\0') ++i;
  const std::size_t int_begin = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::size_t int_digits = i - int_begin;
  std::size_t frac_begin = i;
  std::size_t frac_digits = 0;
  bool dot = false;
  if (i < s.size() && s[i] == '.') {
    dot = true;
    frac_begin = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    frac_digits = i - frac_begin;
  }
  bool exponent = false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    exponent = true;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t exp_begin = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == exp_begin) return {0, MoneyTextError::not_a_number};
  }
  if (i != s.size() || int_digits == 0 || (dot && frac_digits == 0)) return {0, MoneyTextError::not_a_number};
  if (sign == '-') return {0, MoneyTextError::negative};
  if (sign == '+') return {0, MoneyTextError::sign};
  if (exponent) return {0, MoneyTextError::exponent};
  if (int_digits > 1 && s[int_begin] == '0') return {0, MoneyTextError::leading_zero};
  if (frac_digits > 2) return {0, MoneyTextError::too_many_decimals};
  if (int_digits > 12) return {0, MoneyTextError::too_large};  // 12 digits are at most 999'999'999'999

  Money whole = 0;
  for (std::size_t k = int_begin; k < int_begin + int_digits; ++k) whole = whole * 10 + (s[k] - '0');
  Money cents = 0;
  for (std::size_t k = 0; k < 2; ++k) cents = cents * 10 + (k < frac_digits ? s[frac_begin + k] - '0' : 0);
  return {whole * kMicrosPerYuan + cents * kMicrosPerCent, MoneyTextError::none};
}

}  // namespace

MoneyParse parse_money_text(std::string_view s) noexcept {
  // One pass for the usual shape (0 or up to twelve digits without a
  // leading zero, then nothing or '.' and one or two digits); anything else
  // gets the full reading, which also says what is wrong.
  const char* p = s.data();
  const char* const end = p + s.size();
  if (p < end && is_digit(*p) && !(*p == '0' && p + 1 < end && is_digit(p[1]))) {
    Money whole = 0;
    const char* q = p;
    while (q < end && is_digit(*q) && q - p < 12) whole = whole * 10 + (*q++ - '0');
    if (q == end) return {whole * kMicrosPerYuan, MoneyTextError::none};
    if (*q == '.') {
      const auto left = end - q;
      if (left == 2 && is_digit(q[1])) {
        return {whole * kMicrosPerYuan + (q[1] - '0') * 10 * kMicrosPerCent, MoneyTextError::none};
      }
      if (left == 3 && is_digit(q[1]) && is_digit(q[2])) {
        return {whole * kMicrosPerYuan + ((q[1] - '0') * 10 + (q[2] - '0')) * kMicrosPerCent, MoneyTextError::none};
      }
    }
  }
  return classify_money_text(s);
}

Expected<Money> parse_money(std::string_view written) {
  const MoneyParse p = parse_money_text(written);
  if (p.error == MoneyTextError::none) return p.value;
  std::string message = "expected ";
  message.append(money_text_expectation(p.error));
  message.append(", got ");
  if (written.empty()) {
    message.append("nothing");
  } else {
    detail::append_excerpt(message, written);
  }
  return Error{std::move(message)};
}

}  // namespace yibao
