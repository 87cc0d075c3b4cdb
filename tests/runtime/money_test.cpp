// Money: checked arithmetic, rates, rounding to cents, text written and read.
#include <catch2/catch.hpp>

#include <charconv>
#include <string>
#include <vector>

#include "yibao/money.h"

using namespace yibao;

TEST_CASE("money addition and subtraction detect overflow", "[money]") {
  CHECK(money_add(yuan(1), 500'000) == 1'500'000);
  CHECK(money_sub(yuan(1), yuan(3)) == -yuan(2));
  CHECK_FALSE(money_add(INT64_MAX, 1));
  CHECK_FALSE(money_sub(INT64_MIN, 1));
  CHECK(money_add(INT64_MAX, 0) == INT64_MAX);
}

TEST_CASE("money times a count is checked", "[money]") {
  CHECK(money_times_count(yuan(50), 30) == yuan(1500));
  CHECK(money_times_count(-yuan(2), 3) == -yuan(6));
  CHECK_FALSE(money_times_count(INT64_MAX / 2 + 1, 2));
  CHECK_FALSE(money_times_count(INT64_MIN, -1));
}

TEST_CASE("money times a rate is exact and rounds half away from zero at the micro-yuan", "[money]") {
  CHECK(money_times_rate(yuan(48000), percent(80)) == yuan(38400));
  CHECK(money_times_rate(yuan(100), points(5)) == yuan(5));
  // 0.000001 yuan * 50% = 0.0000005: half rounds up, mirrored for negatives.
  CHECK(money_times_rate(1, 500'000) == 1);
  CHECK(money_times_rate(-1, 500'000) == -1);
  CHECK(money_times_rate(1, 499'999) == 0);
  CHECK(money_times_rate(-1, 499'999) == 0);
  CHECK(money_times_rate(3, 500'000) == 2);  // 1.5 -> 2
  CHECK(money_times_rate(-3, 500'000) == -2);
  CHECK(money_times_rate(yuan(123), 0) == 0);
  // The product needs 128 bits but the result fits.
  CHECK(money_times_rate(INT64_MAX, kRateOne) == INT64_MAX);
  CHECK(money_times_rate(INT64_MAX, 999'999) == 9'223'362'813'482'738'952);
  // The result does not fit.
  CHECK_FALSE(money_times_rate(INT64_MAX, 2 * kRateOne));
  CHECK_FALSE(money_times_rate(INT64_MIN, -kRateOne));
}

TEST_CASE("rounding to cents is half-up, mirrored for negatives", "[money]") {
  CHECK(round_to_cents_half_up(5'000) == 10'000);  // 0.005 -> 0.01
  CHECK(round_to_cents_half_up(4'999) == 0);       // 0.004999 -> 0.00
  CHECK(round_to_cents_half_up(-5'000) == -10'000);
  CHECK(round_to_cents_half_up(-4'999) == 0);
  CHECK(round_to_cents_half_up(10'064'284'999) == 10'064'280'000);  // 10064.284999 -> 10064.28
  CHECK(round_to_cents_half_up(10'064'285'000) == 10'064'290'000);  // 10064.285 -> 10064.29
  CHECK(round_to_cents_half_up(yuan(7)) == yuan(7));
  CHECK(round_to_cents_half_up(0) == 0);
  CHECK_FALSE(round_to_cents_half_up(INT64_MAX));  // rounds up past the limit
  CHECK(round_to_cents_half_up(INT64_MAX - 9'999) == INT64_MAX - 5'807);  // rounds up, still fits
}

TEST_CASE("money is written with exactly two decimals", "[money]") {
  CHECK(money_to_string(yuan(380)) == "380.00");
  CHECK(money_to_string(0) == "0.00");
  CHECK(money_to_string(-1'500'000) == "-1.50");
  CHECK(money_to_string(10'064'280'000) == "10064.28");
  CHECK(money_to_string(10'000) == "0.01");
  // Sub-cent digits round half away from zero in the writer too.
  CHECK(money_to_string(5'000) == "0.01");
  CHECK(money_to_string(4'999) == "0.00");
  CHECK(money_to_string(-5'000) == "-0.01");
  CHECK(money_to_string(-4'999) == "0.00");  // never "-0.00"
  CHECK(money_to_string(INT64_MAX) == "9223372036854.78");
  CHECK(money_to_string(INT64_MIN) == "-9223372036854.78");
}

TEST_CASE("money is written right at every number of digits", "[money]") {
  // Each side of every power of ten, in yuan, both signs, against the
  // digits std::to_chars writes: the writer counts the digits first and
  // puts them in place.
  const auto reference = [](Money micros) {
    const bool negative = micros < 0;
    const std::uint64_t magnitude = negative ? 0U - static_cast<std::uint64_t>(micros) : static_cast<std::uint64_t>(micros);
    const std::uint64_t cents = (magnitude + 5'000) / 10'000;
    char digits[24];
    char* const end = std::to_chars(digits, digits + sizeof digits, cents / 100).ptr;
    std::string text = std::string(negative && cents != 0 ? "-" : "") + std::string(digits, end) + ".";
    text += static_cast<char>('0' + cents % 100 / 10);
    text += static_cast<char>('0' + cents % 10);
    return text;
  };
  std::vector<Money> amounts = {0, 1, 9'999, 10'000, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  for (Money yuan = 1; yuan <= 1'000'000'000'000; yuan *= 10) {
    for (const Money delta : {-10'000, -1, 0, 1, 4'999, 5'000, 990'000}) amounts.push_back(yuan * 1'000'000 + delta);
  }
  for (const Money m : amounts) {
    INFO(m);
    CHECK(money_to_string(m) == reference(m));
    const Money negated = m == INT64_MIN ? INT64_MAX : -m;  // -INT64_MIN does not exist
    CHECK(money_to_string(negated) == reference(negated));
  }
}

TEST_CASE("money is written exactly for ledger files", "[money]") {
  const auto exact = [](Money m) {
    char buffer[kMoneyTextMax];
    return std::string(buffer, write_money_exact(buffer, m));
  };
  CHECK(exact(1'234'560'000) == "1234.56");
  CHECK(exact(0) == "0.00");
  CHECK(exact(1) == "0.000001");
  CHECK(exact(1'500'000) == "1.50");
  CHECK(exact(1'234'500) == "1.2345");
  CHECK(exact(-3'500'000) == "-3.50");
  CHECK(exact(INT64_MIN) == "-9223372036854.775808");
  CHECK(exact(INT64_MAX) == "9223372036854.775807");
}

TEST_CASE("request amounts: digits with at most two decimals", "[money]") {
  const auto ok = [](std::string_view s) {
    const MoneyParse p = parse_money_text(s);
    REQUIRE(p.error == MoneyTextError::none);
    return p.value;
  };
  CHECK(ok("0") == 0);
  CHECK(ok("0.5") == 500'000);
  CHECK(ok("0.50") == 500'000);
  CHECK(ok("52000.00") == yuan(52000));
  CHECK(ok("48000") == yuan(48000));
  CHECK(ok("10064.28") == 10'064'280'000);
  CHECK(ok("999999999999.99") == 999'999'999'999'990'000);
}

TEST_CASE("request amounts that are refused, and why", "[money]") {
  const auto why = [](std::string_view s) { return parse_money_text(s).error; };
  CHECK(why("1.005") == MoneyTextError::too_many_decimals);
  CHECK(why("1.500") == MoneyTextError::too_many_decimals);  // three decimals as written
  CHECK(why("1e2") == MoneyTextError::exponent);
  CHECK(why("1.5E+2") == MoneyTextError::exponent);
  CHECK(why("-3") == MoneyTextError::negative);
  CHECK(why("-0") == MoneyTextError::negative);
  CHECK(why("+3") == MoneyTextError::sign);
  CHECK(why("12,000") == MoneyTextError::not_a_number);
  CHECK(why("007.50") == MoneyTextError::leading_zero);
  CHECK(why("007") == MoneyTextError::leading_zero);
  CHECK(why("00") == MoneyTextError::leading_zero);
  CHECK(why("") == MoneyTextError::not_a_number);
  CHECK(why("1.") == MoneyTextError::not_a_number);
  CHECK(why(".5") == MoneyTextError::not_a_number);
  CHECK(why(" 1") == MoneyTextError::not_a_number);
  CHECK(why("1 ") == MoneyTextError::not_a_number);
  CHECK(why("-abc") == MoneyTextError::not_a_number);
  CHECK(why("1e") == MoneyTextError::not_a_number);
  CHECK(why("1000000000000") == MoneyTextError::too_large);
  CHECK(why("99999999999999999999999") == MoneyTextError::too_large);
}

TEST_CASE("parse_money explains a refusal", "[money]") {
  const auto refused = parse_money("1.005");
  REQUIRE_FALSE(refused);
  CHECK(refused.error() == "expected an amount with at most two decimals, got 1.005");
  CHECK(parse_money("-3").error() == "expected an amount that is not negative, got -3");
  CHECK(parse_money("").error() == "expected an amount in yuan like 1234.56, got nothing");
  CHECK(*parse_money("12.34") == 12'340'000);
}
