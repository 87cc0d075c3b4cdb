// rate.h: rates and percentage points as int64 parts per million of 1.
//
// A rate of 80% is 800'000; a percentage point is 10'000, so "+5 points"
// adds 50'000 to a rate and both share one scale (adding points to a rate is
// plain integer addition). Six decimals of a fraction keep every published
// rate exact (rates are given in whole or half percents, sometimes in
// permille).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>

namespace yibao {

using Rate = std::int64_t;  // parts per million of 1

inline constexpr Rate kRateOne = 1'000'000;  // 100%
inline constexpr Rate kPoint = 10'000;       // one percentage point

// percent(80) == 800'000
[[nodiscard]] constexpr Rate percent(std::int64_t whole_percent) noexcept { return whole_percent * kPoint; }
// points(5) == 50'000: the change that "+5 points" makes to a rate.
[[nodiscard]] constexpr Rate points(std::int64_t whole_points) noexcept { return whole_points * kPoint; }

// Adjustments stack (a base rate plus or minus points) and may leave 0..100%;
// a payout rate outside that range means nothing, so it is clamped.
[[nodiscard]] constexpr Rate clamp_rate(Rate r) noexcept {
  if (r < 0) return 0;
  if (r > kRateOne) return kRateOne;
  return r;
}

}  // namespace yibao
