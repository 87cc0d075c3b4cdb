// Dates: civil conversions, strict ISO text, month arithmetic, ages.
#include <catch2/catch.hpp>

#include "yibao/date.h"

using namespace yibao;

namespace {
Date d(std::string_view iso) {
  const auto parsed = parse_iso_date(iso);
  REQUIRE(parsed);
  return *parsed;
}
std::string iso(std::optional<Date> date) { return date ? to_iso_string(*date) : "none"; }
}  // namespace

TEST_CASE("days are counted from 1970-01-01", "[date]") {
  CHECK(from_ymd(1970, 1, 1) == 0);
  CHECK(from_ymd(1970, 1, 2) == 1);
  CHECK(from_ymd(1969, 12, 31) == -1);
  CHECK(from_ymd(2000, 3, 1) == 11'017);
  CHECK(from_ymd(2024, 3, 5) == 19'787);
  CHECK(from_ymd(1, 1, 1) == kMinDate);
  CHECK(kMinDate == -719'162);
  CHECK(kMaxDate == 2'932'896);
}

TEST_CASE("civil conversions round-trip over every day of years 1..9999", "[date]") {
  Ymd expected{1, 1, 1};
  for (Date day = kMinDate; day <= kMaxDate; ++day) {
    const Ymd got = to_ymd(day);
    if (got != expected) {
      FAIL("day " << day << " gave " << got.year << "-" << got.month << "-" << got.day);
    }
    if (days_from_civil(got.year, got.month, got.day) != day) FAIL("days_from_civil disagrees at " << day);
    // Next calendar day.
    if (expected.day < days_in_month(expected.year, expected.month)) {
      ++expected.day;
    } else if (expected.month < 12) {
      ++expected.month;
      expected.day = 1;
    } else {
      expected = Ymd{expected.year + 1, 1, 1};
    }
  }
  SUCCEED();
}

TEST_CASE("from_ymd validates the day", "[date]") {
  CHECK_FALSE(from_ymd(2023, 2, 29));
  CHECK(from_ymd(2024, 2, 29));
  CHECK_FALSE(from_ymd(1900, 2, 29));  // century, not leap
  CHECK(from_ymd(2000, 2, 29));        // 400th year, leap
  CHECK_FALSE(from_ymd(2024, 4, 31));
  CHECK_FALSE(from_ymd(2024, 13, 1));
  CHECK_FALSE(from_ymd(2024, 0, 1));
  CHECK_FALSE(from_ymd(2024, 1, 0));
  CHECK_FALSE(from_ymd(0, 1, 1));
  CHECK_FALSE(from_ymd(10000, 1, 1));
}

TEST_CASE("ISO dates are parsed strictly", "[date]") {
  CHECK(parse_iso_date("2024-02-29") == from_ymd(2024, 2, 29));
  CHECK(parse_iso_date_text("2023-02-29").error == DateTextError::no_such_day);
  CHECK(parse_iso_date_text("2024-13-01").error == DateTextError::no_such_day);
  CHECK(parse_iso_date_text("0000-01-01").error == DateTextError::no_such_day);
  for (const char* bad : {"2024-3-05", "2024-03-5", "24-03-05", "2024/03/05", "2024-03-05 ", " 2024-03-05",
                          "2024-03-05T00:00", "20240305", "", "２０２４-03-05", "+024-03-05", "2024-0a-05"}) {
    INFO(bad);
    CHECK(parse_iso_date_text(bad).error == DateTextError::format);
  }
}

TEST_CASE("ISO dates are written with four-digit years", "[date]") {
  CHECK(to_iso_string(0) == "1970-01-01");
  CHECK(to_iso_string(d("2024-12-31")) == "2024-12-31");
  CHECK(to_iso_string(kMinDate) == "0001-01-01");
  CHECK(to_iso_string(kMaxDate) == "9999-12-31");
}

TEST_CASE("adding days", "[date]") {
  CHECK(iso(add_days(d("2023-11-02"), 91)) == "2024-02-01");
  CHECK(iso(add_days(d("2024-02-28"), 1)) == "2024-02-29");
  CHECK(iso(add_days(d("2024-03-01"), -1)) == "2024-02-29");
  CHECK(iso(add_days(d("2023-03-01"), -1)) == "2023-02-28");
  CHECK_FALSE(add_days(kMaxDate, 1));
  CHECK_FALSE(add_days(kMinDate, -1));
  CHECK_FALSE(add_days(0, INT64_MAX));
  CHECK_FALSE(add_days(0, INT64_MIN));
}

TEST_CASE("adding months clamps to the end of the month", "[date]") {
  CHECK(iso(add_months(d("2024-11-30"), 3)) == "2025-02-28");
  CHECK(iso(add_months(d("2024-01-31"), 1)) == "2024-02-29");
  CHECK(iso(add_months(d("2023-01-31"), 1)) == "2023-02-28");
  CHECK(iso(add_months(d("2024-03-31"), 1)) == "2024-04-30");
  CHECK(iso(add_months(d("2024-01-15"), 12)) == "2025-01-15");
  CHECK(iso(add_months(d("2024-03-31"), -1)) == "2024-02-29");
  CHECK(iso(add_months(d("2024-01-10"), -1)) == "2023-12-10");
  CHECK(iso(add_months(d("2024-01-10"), -13)) == "2022-12-10");
  CHECK(iso(add_months(d("2024-02-29"), 12)) == "2025-02-28");
  CHECK(iso(add_months(d("2024-05-31"), 0)) == "2024-05-31");
  CHECK_FALSE(add_months(d("9999-12-01"), 1));
  CHECK_FALSE(add_months(d("0001-01-01"), -1));
  CHECK_FALSE(add_months(0, INT64_MAX));
  CHECK_FALSE(add_months(0, INT64_MIN));
}

TEST_CASE("first day of the next month", "[date]") {
  CHECK(iso(first_day_of_next_month(d("2024-12-15"))) == "2025-01-01");
  CHECK(iso(first_day_of_next_month(d("2024-02-29"))) == "2024-03-01");
  CHECK(iso(first_day_of_next_month(d("2024-03-01"))) == "2024-04-01");
  CHECK_FALSE(first_day_of_next_month(d("9999-12-31")));
}

TEST_CASE("year of a date", "[date]") {
  CHECK(year_of(d("2024-01-01")) == 2024);
  CHECK(year_of(d("2023-12-31")) == 2023);
  CHECK(year_of(kMinDate) == 1);
}

TEST_CASE("ages change on birthdays", "[date]") {
  CHECK(age_on(d("2006-03-05"), d("2024-03-04")) == 17);
  CHECK(age_on(d("2006-03-05"), d("2024-03-05")) == 18);
  CHECK(age_on(d("2006-03-05"), d("2006-03-05")) == 0);
  CHECK(age_on(d("1961-04-30"), d("2024-03-05")) == 62);
  CHECK(age_on(d("2006-12-31"), d("2024-01-01")) == 17);
  // Born before ref's year boundary.
  CHECK(age_on(d("2006-01-01"), d("2023-12-31")) == 17);
  // Before birth.
  CHECK(age_on(d("2024-03-05"), d("2024-03-04")) == -1);
}

TEST_CASE("born on February 29: the birthday is March 1 in non-leap years", "[date]") {
  const Date born = d("2004-02-29");
  CHECK(age_on(born, d("2022-02-28")) == 17);
  CHECK(age_on(born, d("2022-03-01")) == 18);
  CHECK(age_on(born, d("2024-02-28")) == 19);
  CHECK(age_on(born, d("2024-02-29")) == 20);
  CHECK(age_on(born, d("2005-02-28")) == 0);
  CHECK(age_on(born, d("2005-03-01")) == 1);
}
