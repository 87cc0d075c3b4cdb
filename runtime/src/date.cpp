// date.cpp: ISO date text and date arithmetic over day counts.
#include "yibao/date.h"

namespace yibao {
namespace {

char* write_digits(char* out, std::int32_t v, int count) noexcept {
  for (int i = count - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out + count;
}

}  // namespace

DateParse parse_iso_date_text(std::string_view s) noexcept {
  if (s.size() != kDateTextSize || s[4] != '-' || s[7] != '-') return {0, DateTextError::format};
  // Written out rather than looped: this runs for every date of every request.
  const auto digit = [&s](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(s[i]) - '0'); };
  const unsigned d0 = digit(0), d1 = digit(1), d2 = digit(2), d3 = digit(3);
  const unsigned m0 = digit(5), m1 = digit(6), a0 = digit(8), a1 = digit(9);
  // Unsigned: a byte below '0' wraps to a large value, so "> 9" rejects it too.
  if (d0 > 9 || d1 > 9 || d2 > 9 || d3 > 9 || m0 > 9 || m1 > 9 || a0 > 9 || a1 > 9) return {0, DateTextError::format};
  const auto year = static_cast<std::int32_t>(d0 * 1000 + d1 * 100 + d2 * 10 + d3);
  const auto month = static_cast<std::int32_t>(m0 * 10 + m1);
  const auto day = static_cast<std::int32_t>(a0 * 10 + a1);
  const auto date = from_ymd(year, month, day);
  if (!date) return {0, DateTextError::no_such_day};
  return {*date, DateTextError::none};
}

char* write_iso_date(char* out, Date d) noexcept {
  const Ymd ymd = civil_from_days(d);
  out = write_digits(out, ymd.year, 4);
  *out++ = '-';
  out = write_digits(out, ymd.month, 2);
  *out++ = '-';
  return write_digits(out, ymd.day, 2);
}

std::string to_iso_string(Date d) {
  char buffer[kDateTextSize];
  return std::string(buffer, write_iso_date(buffer, d));
}

std::optional<Date> add_days(Date d, std::int64_t n) noexcept {
  // Bound n first so that the sum cannot overflow int64.
  if (n > kMaxDate - kMinDate || n < kMinDate - kMaxDate) return std::nullopt;
  const std::int64_t r = d + n;
  if (r < kMinDate || r > kMaxDate) return std::nullopt;
  return static_cast<Date>(r);
}

std::optional<Date> add_months(Date d, std::int64_t n) noexcept {
  constexpr std::int64_t kMonthsInRange = (kMaxYear - kMinYear + 1) * 12;
  if (n > kMonthsInRange || n < -kMonthsInRange) return std::nullopt;
  const Ymd ymd = civil_from_days(d);
  // Months counted from year 0, month 0; floor division keeps negatives right.
  const std::int64_t total = std::int64_t{ymd.year} * 12 + (ymd.month - 1) + n;
  const std::int64_t year = total >= 0 ? total / 12 : (total - 11) / 12;
  const auto month = static_cast<std::int32_t>(total - year * 12 + 1);
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  const auto y = static_cast<std::int32_t>(year);
  const std::int32_t last = days_in_month(y, month);
  return days_from_civil(y, month, ymd.day < last ? ymd.day : last);
}

std::optional<Date> first_day_of_next_month(Date d) noexcept {
  const Ymd ymd = civil_from_days(d);
  if (ymd.month == 12) return from_ymd(ymd.year + 1, 1, 1);
  return from_ymd(ymd.year, ymd.month + 1, 1);
}

std::int32_t age_on(Date birth, Date ref) noexcept {
  const Ymd b = civil_from_days(birth);
  const Ymd r = civil_from_days(ref);
  std::int32_t years = r.year - b.year;
  // Comparing (month, day) pairs gives the March 1 rule for February 29
  // births for free: in a non-leap year (2, 28) < (2, 29) <= (3, 1).
  if (r.month < b.month || (r.month == b.month && r.day < b.day)) --years;
  return years;
}

}  // namespace yibao
