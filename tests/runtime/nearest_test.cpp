// Did-you-mean suggestions.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "yibao/nearest.h"

using namespace yibao;

TEST_CASE("edit distance counts inserts, deletes, replacements and swaps", "[nearest]") {
  CHECK(edit_distance("total", "total", 3) == 0);
  CHECK(edit_distance("totl", "total", 3) == 1);
  CHECK(edit_distance("totla", "total", 3) == 1);  // swap
  CHECK(edit_distance("totaal", "total", 3) == 1);
  CHECK(edit_distance("tatal", "total", 3) == 1);
  CHECK(edit_distance("kitten", "sitting", 5) == 3);
  CHECK(edit_distance("", "abc", 5) == 3);
  CHECK(edit_distance("abcdef", "", 2) > 2);  // stops at the limit
  CHECK(edit_distance(std::string(1'000'000, 'x'), "total", 3) > 3);
}

TEST_CASE("nearest suggests a close name or nothing", "[nearest]") {
  const std::vector<std::string> keys = {"kind", "date", "hospital_level", "total", "compliant", "class_b"};
  CHECK(nearest("totl", keys) == std::string_view("total"));
  CHECK(nearest("hosptial_level", keys) == std::string_view("hospital_level"));
  CHECK(nearest("complaint", keys) == std::string_view("compliant"));
  CHECK(nearest("classb", keys) == std::string_view("class_b"));
  CHECK_FALSE(nearest("x", keys));
  CHECK_FALSE(nearest("amount", keys));
  CHECK_FALSE(nearest("", keys));
  const std::vector<std::string_view> views = {"id", "person", "claim"};
  CHECK(nearest("i", views) == std::string_view("id"));
  CHECK(nearest("persn", views) == std::string_view("person"));
  // Ties go to the earliest candidate.
  const std::vector<std::string_view> tied = {"ab", "ac"};
  CHECK(nearest("aa", tied) == std::string_view("ab"));
}
