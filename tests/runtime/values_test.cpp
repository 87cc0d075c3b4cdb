// Rates, points, enum sets and the checked helpers shared by all values.
#include <catch2/catch.hpp>

#include <random>

#include "yibao/values.h"

using namespace yibao;

TEST_CASE("rates and points share one scale", "[values]") {
  CHECK(percent(80) == 800'000);
  CHECK(points(5) == 50'000);
  CHECK(percent(80) + points(5) == percent(85));
  CHECK(kRateOne == percent(100));
}

TEST_CASE("rates clamp to 0..100%", "[values]") {
  CHECK(clamp_rate(percent(95) + points(10)) == kRateOne);
  CHECK(clamp_rate(percent(5) - points(10)) == 0);
  CHECK(clamp_rate(percent(55)) == percent(55));
  CHECK(clamp_rate(0) == 0);
  CHECK(clamp_rate(kRateOne) == kRateOne);
}

TEST_CASE("enum sets are bitmasks", "[values]") {
  const EnumSet set = enum_set_of(2) | enum_set_of(7) | enum_set_of(63);
  CHECK(enum_set_contains(set, 2));
  CHECK(enum_set_contains(set, 63));
  CHECK_FALSE(enum_set_contains(set, 3));
  CHECK_FALSE(enum_set_contains(set, -1));
  CHECK_FALSE(enum_set_contains(set, 64));
  CHECK(enum_set_size(set) == 3);
  CHECK(set_from_slot(slot_from_set(set)) == set);
  CHECK(slot_from_set(enum_set_of(63)) < 0);  // the bit pattern survives the int64 slot
}

TEST_CASE("checked helpers", "[values]") {
  CHECK(checked_mul(3, 4) == 12);
  CHECK_FALSE(checked_mul(INT64_MAX, 2));
  CHECK(mul_div_round_half_away(7, 1, 2) == 4);
  CHECK(mul_div_round_half_away(-7, 1, 2) == -4);
  CHECK(mul_div_round_half_away(5, 1, 3) == 2);
  CHECK(narrow_int64(static_cast<Int128>(INT64_MAX) + 1) == std::nullopt);
}

// mul_div_round_half_away divides in 64 bits when the product fits and in
// 128 bits otherwise; both paths must give the exact rounded quotient, which
// this reference computes in 128 bits throughout.
std::optional<std::int64_t> mul_div_reference(std::int64_t a, std::int64_t num, std::int64_t den) {
  const Int128 product = static_cast<Int128>(a) * num;
  Int128 q = product / den;
  const Int128 r = product % den;
  if (r * 2 >= den) ++q;
  if (r * 2 <= -static_cast<Int128>(den)) --q;
  return narrow_int64(q);
}

TEST_CASE("mul_div_round_half_away is exact on both sides of the 64-bit product limit", "[values]") {
  // Half-way cases, signs, and products just inside and just outside int64.
  CHECK(mul_div_round_half_away(1, 500'000, 1'000'000) == 1);
  CHECK(mul_div_round_half_away(-1, 500'000, 1'000'000) == -1);
  CHECK(mul_div_round_half_away(1, 499'999, 1'000'000) == 0);
  CHECK(mul_div_round_half_away(INT64_MAX, 1'000'000, 1'000'000) == INT64_MAX);   // 128-bit path
  CHECK(mul_div_round_half_away(INT64_MIN, 1'000'000, 1'000'000) == INT64_MIN);
  CHECK(mul_div_round_half_away(INT64_MAX, 2'000'000, 1'000'000) == std::nullopt);  // leaves int64
  CHECK(mul_div_round_half_away(INT64_MAX / 3, 3, 7) == mul_div_reference(INT64_MAX / 3, 3, 7));  // fits: 64-bit
  CHECK(mul_div_round_half_away(INT64_MAX / 3 + 1, 3, 7) == mul_div_reference(INT64_MAX / 3 + 1, 3, 7));  // does not
  CHECK(mul_div_round_half_away(5, 3, INT64_MAX) == 0);  // a den too large for the 64-bit path

  std::mt19937_64 random(20261123);
  const std::int64_t dens[] = {1, 2, 3, 7, 100, 10'000, 1'000'000, INT64_MAX / 2, INT64_MAX / 2 + 1, INT64_MAX};
  for (int i = 0; i < 200'000; ++i) {
    // Magnitudes from a few bits to all 63, so that both paths are taken.
    const auto a = static_cast<std::int64_t>(random()) >> (random() % 63);
    const auto num = static_cast<std::int64_t>(random()) >> (random() % 63);
    const std::int64_t den = dens[random() % std::size(dens)];
    INFO(a << " * " << num << " / " << den);
    REQUIRE(mul_div_round_half_away(a, num, den) == mul_div_reference(a, num, den));
  }
}
