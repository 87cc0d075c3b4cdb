// Rates, points, enum sets and the checked helpers shared by all values.
#include <catch2/catch.hpp>

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
