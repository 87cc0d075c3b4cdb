// date.h: calendar dates as int32 days since 1970-01-01 (proleptic
// Gregorian), and the date rules policies use: ISO text, days, months
// clamped to month end, first day of next month, age on a date.
//
// A day count makes comparison and "paid_on + 91 days" plain integer work;
// the civil conversions below are written out here (no <chrono> calendar),
// exact for every day of years 1..9999. Valid dates are exactly those days:
// ISO text needs a four-digit year, so arithmetic that leaves the range
// returns std::nullopt like any other overflow.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yibao {

using Date = std::int32_t;  // days since 1970-01-01

struct Ymd {
  std::int32_t year = 1970;
  std::int32_t month = 1;  // 1..12
  std::int32_t day = 1;    // 1..31
  friend constexpr bool operator==(const Ymd&, const Ymd&) = default;
};

inline constexpr std::int32_t kMinYear = 1;
inline constexpr std::int32_t kMaxYear = 9999;

[[nodiscard]] constexpr bool is_leap_year(std::int32_t y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Precondition: 1 <= m <= 12.
[[nodiscard]] constexpr std::int32_t days_in_month(std::int32_t y, std::int32_t m) noexcept {
  constexpr std::int32_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

// Days from 1970-01-01 to y-m-d, without validation (any year that keeps the
// result in int32). Counts in 400-year eras of 146'097 days, with years
// starting on March 1 so that the leap day falls at the end of a year.
[[nodiscard]] constexpr std::int32_t days_from_civil(std::int32_t y, std::int32_t m, std::int32_t d) noexcept {
  const std::int64_t year = static_cast<std::int64_t>(y) - (m <= 2 ? 1 : 0);  // March-based year
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;                              // 0..399
  const std::int64_t month_from_march = m > 2 ? m - 3 : m + 9;                    // 0..11
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;      // 0..365
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  // 719'468 days separate 0000-03-01 (start of era 0) from 1970-01-01.
  return static_cast<std::int32_t>(era * 146'097 + day_of_era - 719'468);
}

// The inverse of days_from_civil, for every int32 day count.
[[nodiscard]] constexpr Ymd civil_from_days(std::int32_t days) noexcept {
  const std::int64_t z = static_cast<std::int64_t>(days) + 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const std::int64_t day_of_era = z - era * 146'097;  // 0..146096
  // Remove the leap days (every 4th year, except centuries, except the 400th)
  // to find the year within the era.
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1'460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;  // 0..399
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;  // 0..11
  const std::int64_t day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
  const std::int64_t month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return Ymd{static_cast<std::int32_t>(year), static_cast<std::int32_t>(month), static_cast<std::int32_t>(day)};
}

inline constexpr Date kMinDate = days_from_civil(kMinYear, 1, 1);
inline constexpr Date kMaxDate = days_from_civil(kMaxYear, 12, 31);

[[nodiscard]] constexpr bool is_valid_date(Date d) noexcept { return d >= kMinDate && d <= kMaxDate; }

// The day y-m-d, or nullopt when it does not exist (2023-02-29) or lies
// outside years 1..9999.
[[nodiscard]] constexpr std::optional<Date> from_ymd(std::int32_t y, std::int32_t m, std::int32_t d) noexcept {
  if (y < kMinYear || y > kMaxYear || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return days_from_civil(y, m, d);
}

[[nodiscard]] constexpr Ymd to_ymd(Date d) noexcept { return civil_from_days(d); }
[[nodiscard]] constexpr std::int32_t year_of(Date d) noexcept { return civil_from_days(d).year; }

// ---- text ------------------------------------------------------------------

enum class DateTextError : std::uint8_t {
  none,
  format,       // not exactly YYYY-MM-DD
  no_such_day,  // 2023-02-29, 2024-04-31, 2024-13-01, 0000-01-01
};

struct DateParse {
  Date value = 0;
  DateTextError error = DateTextError::none;
};

// Exactly "YYYY-MM-DD" with ASCII digits, naming a real day. No other form
// (no time, no week dates, no surrounding space).
DateParse parse_iso_date_text(std::string_view text) noexcept;
[[nodiscard]] inline std::optional<Date> parse_iso_date(std::string_view text) noexcept {
  const DateParse p = parse_iso_date_text(text);
  if (p.error != DateTextError::none) return std::nullopt;
  return p.value;
}

inline constexpr std::size_t kDateTextSize = 10;
// Writes "YYYY-MM-DD" (10 bytes) and returns the end. Precondition: is_valid_date(d).
char* write_iso_date(char* out, Date d) noexcept;
std::string to_iso_string(Date d);

// ---- arithmetic ------------------------------------------------------------

// d + n days; nullopt when the result leaves years 1..9999.
[[nodiscard]] std::optional<Date> add_days(Date d, std::int64_t n) noexcept;

// Same day of month n months later (or earlier), clamped to the last day of
// the target month: 2024-11-30 + 3 months = 2025-02-28, 2024-01-31 + 1 month
// = 2024-02-29.
[[nodiscard]] std::optional<Date> add_months(Date d, std::int64_t n) noexcept;

// The first day of the month after d's month: 2024-12-15 -> 2025-01-01.
[[nodiscard]] std::optional<Date> first_day_of_next_month(Date d) noexcept;

// Whole years of age on `ref`: a person turns N on the first day that is not
// before the N-th anniversary of birth. Born 2006-03-05: 17 on 2024-03-04,
// 18 on 2024-03-05. Born on February 29, the anniversary in a non-leap year
// would be February 29, which does not exist, so the person turns N on
// March 1 (the first day not before it): born 2004-02-29 is 18 on
// 2022-03-01, still 17 on 2022-02-28, and 20 on 2024-02-29.
// Before birth the result is negative (-1 during the year before birth).
[[nodiscard]] std::int32_t age_on(Date birth, Date ref) noexcept;

}  // namespace yibao
