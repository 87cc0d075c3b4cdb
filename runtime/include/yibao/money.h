// money.h: amounts of money as int64 micro-yuan; their exact arithmetic,
// rounding to cents, JSON text, and the request text they are read from.
//
// 1 yuan = 1'000'000 micro-yuan. Six decimals keep intermediate amounts exact
// (interchange.md, "Rounding") while int64 still holds 9.2 * 10^12 yuan, well
// above the request limit of 10^12 yuan. Arithmetic never wraps: each
// operation returns std::nullopt on overflow, which the interpreter reports
// as the `overflow` error.
//
// Rounding rule everywhere in this file: half-up at the magnitude, mirrored
// for negatives ("half away from zero"): 0.005 -> 0.01, 0.004999 -> 0.00,
// -0.005 -> -0.01. Negative amounts arise only inside a computation (a
// difference), never from a request.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "yibao/checked.h"
#include "yibao/expected.h"
#include "yibao/rate.h"

namespace yibao {

using Money = std::int64_t;  // micro-yuan

inline constexpr Money kMicrosPerYuan = 1'000'000;
inline constexpr Money kMicrosPerCent = 10'000;
// Request amounts must be below 10^12 yuan (interchange.md, "Values").
inline constexpr Money kMoneyInputLimit = 1'000'000'000'000 * kMicrosPerYuan;

[[nodiscard]] constexpr Money yuan(std::int64_t whole_yuan) noexcept { return whole_yuan * kMicrosPerYuan; }

[[nodiscard]] constexpr std::optional<Money> money_add(Money a, Money b) noexcept { return checked_add(a, b); }
[[nodiscard]] constexpr std::optional<Money> money_sub(Money a, Money b) noexcept { return checked_sub(a, b); }

// money * count, e.g. a per-day allowance times a number of days.
[[nodiscard]] constexpr std::optional<Money> money_times_count(Money m, std::int64_t count) noexcept {
  return checked_mul(m, count);
}

// money * rate, exact in 128 bits, rounded half away from zero at the
// micro-yuan: 0.000001 yuan * 50% = 0.000001 (half rounds up),
// -0.000001 * 50% = -0.000001 (mirrored).
[[nodiscard]] constexpr std::optional<Money> money_times_rate(Money m, Rate rate) noexcept {
  return mul_div_round_half_away(m, rate, kRateOne);
}

// Rounds to whole cents, half away from zero: 0.005 -> 0.01,
// 0.004999 -> 0.00, -0.005 -> -0.01. Fails only within a cent of the int64
// limits.
[[nodiscard]] constexpr std::optional<Money> round_to_cents_half_up(Money micros) noexcept {
  Money cents = micros / kMicrosPerCent;
  const Money rest = micros % kMicrosPerCent;  // same sign as micros
  if (rest >= kMicrosPerCent / 2) ++cents;
  if (rest <= -kMicrosPerCent / 2) --cents;
  return checked_mul(cents, kMicrosPerCent);
}

// ---- writing ---------------------------------------------------------------

// Longest text either writer produces: "-9223372036854.775808" is 21 bytes.
inline constexpr std::size_t kMoneyTextMax = 24;

// Writes a JSON number with exactly two decimals ("380.00", "0.00", "-1.50")
// and returns the end. Sub-cent digits are rounded half away from zero here
// as well, so the writer never fails, but results should be rounded with
// round_to_cents_half_up first (that is the value the ledgers keep). A value
// that rounds to zero is written "0.00", never "-0.00".
// Precondition: `out` has room for kMoneyTextMax bytes.
char* write_money(char* out, Money micros) noexcept;
std::string money_to_string(Money micros);

// Writes the exact value with as many decimals as needed, at least two and
// at most six: 1234.56, 0.00, 0.000001, -3.50. Used by ledger files, where a
// running amount must survive a save and load without any rounding.
char* write_money_exact(char* out, Money micros) noexcept;

// ---- reading ---------------------------------------------------------------

// Why a written amount was refused.
enum class MoneyTextError : std::uint8_t {
  none,
  not_a_number,       // "", "12,000", "abc", "1.", ".5"
  negative,           // "-3", "-0"
  sign,               // "+3"
  exponent,           // "1e2"
  leading_zero,       // "007", "007.50" (but "0", "0.5", "0.50" are fine)
  too_many_decimals,  // "1.005", "1.500"
  too_large,          // 10^12 and above
};

// What was expected, to follow "expected " in a message:
// "an amount with at most two decimals".
std::string_view money_text_expectation(MoneyTextError error) noexcept;

struct MoneyParse {
  Money value = 0;
  MoneyTextError error = MoneyTextError::none;
};

// Reads an amount as written in a request (the JSON number token, or the
// content of a JSON string): digits, optionally '.' and one or two digits,
// no sign, no exponent, no leading zeros, below 10^12 yuan.
MoneyParse parse_money_text(std::string_view written) noexcept;

// The same, with a message like
// "expected an amount with at most two decimals, got 1.005".
Expected<Money> parse_money(std::string_view written);

}  // namespace yibao
