// The formatter (lang/format.h): the layout of every construct, comments in
// every position, idempotence, files that do not parse, and the golden files
// of tests/golden/fmt (input `x.yb` -> `x.expected`; YIBAO_UPDATE_GOLDEN=1
// rewrites them).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "format_test_util.h"

using namespace yibao;
using namespace yibao::test;

namespace {

// Formats `text` (which must parse), and checks that formatting the result
// again changes nothing.
std::string format(const std::string& text) {
  const Formatted once = format_text(text);
  INFO("input:\n" << text);
  REQUIRE(once.errors == "");
  REQUIRE(once.result.internal_error == "");
  REQUIRE(once.result.ok);
  const Formatted twice = format_text(once.result.text);
  REQUIRE(twice.result.ok);
  CHECK(twice.result.text == once.result.text);
  return once.result.text;
}

}  // namespace

TEST_CASE("fmt: spaces between tokens", "[fmt]") {
  CHECK(format("module t\nrule  x :money=a+b*  c-(d -e)\n") == "module t\nrule x: money = a + b * c - (d - e)\n");
  CHECK(format("module t\nrule x: bool = not(a)and b  or c==d\n") == "module t\nrule x: bool = not (a) and b or c == d\n");
  CHECK(format("module t\nrule x: money = max( 0 , - y ) * t [ a , b ]\n") ==
        "module t\nrule x: money = max(0, -y) * t[a, b]\n");
  CHECK(format("module t\nrule x: points = -5points - -3 points\n") == "module t\nrule x: points = -5 points - -3 points\n");
  CHECK(format("module t\nrule x: bool = d in 2024-01-01 .. 2024-02-29 and s has  any {a,b} and s has a\n") ==
        "module t\nrule x: bool = d in 2024-01-01..2024-02-29 and s has any {a, b} and s has a\n");
  CHECK(format("module t\nrule x: bool = c in { }\n") == "module t\nrule x: bool = c in {}\n");
  CHECK(format("module t\nrule x: rate = 80%\nfn f( a : money , b:text ? ) : money=a\n") ==
        "module t\nrule x: rate = 80%\nfn f(a: money, b: text?): money = a\n");
  CHECK(format("module t\nrule x: money = if a<=b then c else if a>=b then d else e\n") ==
        "module t\nrule x: money = if a <= b then c else if a >= b then d else e\n");
  CHECK(format("module t\nrule x: money = highest c in s : aid[c] else 0\n") ==
        "module t\nrule x: money = highest c in s: aid[c] else 0\n");
  CHECK(format("module t\nrule x: text = unspecified   name  \"words\"\n") ==
        "module t\nrule x: text = unspecified name \"words\"\n");
}

TEST_CASE("fmt: headers and top-level items", "[fmt]") {
  CHECK(format("policy  a-2024   \"t\"{\nregion \"r\"\n    year 2024\nsource \"s\"   extends b-2023 }\n") ==
        "policy a-2024 \"t\" {\n  region \"r\"\n  year 2024\n  source \"s\"  extends b-2023 }\n");
  CHECK(format("examples  for  a-2024\n") == "examples for a-2024\n");
  CHECK(format("module  std.x  \"t\"\n  use   std.resident\nuse n-2024  as  n\n") ==
        "module std.x \"t\"\nuse std.resident\nuse n-2024 as n\n");
  CHECK(format("module t\ndomain level 1 .. 3 \"l\"\nledger  p :money  by level 1..2  \"l\"\n") ==
        "module t\ndomain level 1..3 \"l\"\nledger p: money by level 1..2 \"l\"\n");
  CHECK(format("module t\n  default  param x: money = 1\noverride fn f(): money\n") ==
        "module t\ndefault param x: money = 1\noverride fn f(): money\n");
}

TEST_CASE("fmt: blocks are indented by two spaces", "[fmt]") {
  CHECK(format("module t\ninput {\nid: text\n      person {\n   birth_date: date\nhmt: bool = false\n"
               "check birth_date > 2000-01-01 else person.birth_date: \"m\"\n }\n claim? {\nkind: kind\n}\n"
               "ledger  key person.id\n}\n") ==
        "module t\ninput {\n  id: text\n  person {\n    birth_date: date\n    hmt: bool = false\n"
        "    check birth_date > 2000-01-01 else person.birth_date: \"m\"\n  }\n  claim? {\n    kind: kind\n  }\n"
        "  ledger key person.id\n}\n");
  CHECK(format("module t\nsection s when present(claim) {\nreason r when a\n x = y otherwise 0 when b\n}\n") ==
        "module t\nsection s when present(claim) {\n  reason r when a\n  x = y otherwise 0 when b\n}\n");
  CHECK(format("module t\nafter settlement {\n p[k]  +=  b when c\n   q += 1\n}\n") ==
        "module t\nafter settlement {\n  p[k] += b when c\n  q += 1\n}\n");
  CHECK(format("examples for a-2024\nexample \"e\" {\nperson.id = \"p\"\nrequest \"r\" {\n"
               "claim.total=1\n  expect settlement.basic = 0.00\n}\n}\n") ==
        "examples for a-2024\nexample \"e\" {\n  person.id = \"p\"\n  request \"r\" {\n"
        "    claim.total = 1\n    expect settlement.basic = 0.00\n  }\n}\n");
  CHECK(format("module t\nrule x: money = match k {\n1, 2: a\n  else: b\n}\n") ==
        "module t\nrule x: money = match k {\n  1, 2: a\n  else: b\n}\n");
  CHECK(format("module t\nrule x: money = match k { 1: a, 2: b }\nrule y: money = match k {1: a 2: b}\n") ==
        "module t\nrule x: money = match k { 1: a, 2: b }\nrule y: money = match k { 1: a  2: b }\n");
  CHECK(format("module t\nrule r: brackets = adjust s {\noverride 20% when a\n-10 points when b\n}\n") ==
        "module t\nrule r: brackets = adjust s {\n  override 20% when a\n  -10 points when b\n}\n");
  CHECK(format("module t\nrule r: rate = adjust s { 5 points when a }\ninput {}\n") ==
        "module t\nrule r: rate = adjust s { 5 points when a }\ninput {}\n");
}

TEST_CASE("fmt: bracket schedules", "[fmt]") {
  CHECK(format("module t\nparam r: brackets {0 to 10000: 60% 10000 to 100000 :70%,above 100000: 80%}\n") ==
        "module t\nparam r: brackets { 0 to 10000: 60%  10000 to 100000: 70%, above 100000: 80% }\n");
  CHECK(format("module t\nparam r: brackets {\n0 to 10000: 60%\n   above 10000: 80%\n}\n") ==
        "module t\nparam r: brackets {\n  0 to 10000: 60%\n  above 10000: 80%\n}\n");
  CHECK(format("module t\nparam r: brackets = {0 to 1: 5%}\n") == "module t\nparam r: brackets = { 0 to 1: 5% }\n");
}

TEST_CASE("fmt: table columns are aligned", "[fmt]") {
  CHECK(format("module t\nparam d: money by level {1:300,2: 600, 3 : 1000}\n") ==
        "module t\nparam d: money by level { 1: 300, 2: 600, 3: 1000 }\n");
  // Numbers right-aligned, other cells left-aligned; keys padded.
  CHECK(format("module t\nparam a: money by category, tier {\nveteran: 0, 755\ntekun, orphan: 380, 38\n"
               "else: 0, 0\n}\n") ==
        "module t\nparam a: money by category, tier {\n  veteran:         0, 755\n  tekun, orphan: 380,  38\n"
        "  else:            0,   0\n}\n");
  CHECK(format("module t\nparam a: text by level {\n1: \"一级\", x\n2: \"b\", yy\n}\n") ==
        "module t\nparam a: text by level {\n  1: \"一级\", x\n  2: \"b\",    yy\n}\n");
  // Brackets tables: segments aligned.
  CHECK(format("module t\nparam r: brackets by level {\n1 { 0 to 300: 80%  above 300: 90% }\n"
               "2 {0 to 30000: 70% above 30000: 80%}\n}\n") ==
        "module t\nparam r: brackets by level {\n  1 { 0 to 300: 80%    above 300: 90% }\n"
        "  2 { 0 to 30000: 70%  above 30000: 80% }\n}\n");
  // A blank line ends an aligned run; a comment line does not.
  CHECK(format("module t\nparam a: money by level {\n1: 1\n# c\n22: 2\n\n333: 3\n}\n") ==
        "module t\nparam a: money by level {\n  1:  1\n  # c\n  22: 2\n\n  333: 3\n}\n");
  // A row over two lines is not aligned.
  CHECK(format("module t\nparam a: money by level {\n1: 1\n22:\n  2\n}\n") ==
        "module t\nparam a: money by level {\n  1: 1\n  22:\n    2\n}\n");
}

TEST_CASE("fmt: enum labels are aligned", "[fmt]") {
  CHECK(format("module t\nenum k \"l\" {\na \"甲\"\n  longer \"乙\"\nc\n}\n") ==
        "module t\nenum k \"l\" {\n  a      \"甲\"\n  longer \"乙\"\n  c\n}\n");
  CHECK(format("module t\nenum k { a \"x\" b \"y\" }\n") == "module t\nenum k { a \"x\"  b \"y\" }\n");
}

TEST_CASE("fmt: continuation lines", "[fmt]") {
  // Inside an open parenthesis: aligned after it.
  CHECK(format("module t\nrule x: money = capped( a,\n b, c)\n") == "module t\nrule x: money = capped(a,\n                       b, c)\n");
  // Otherwise at least two spaces deeper than the statement, the author's extra kept.
  CHECK(format("module t\nrule x: money =\nif a then b\nelse c\n") == "module t\nrule x: money =\n  if a then b\n  else c\n");
  CHECK(format("  module t\n  rule x: bool =\n      a\n         and b\n") == "module t\nrule x: bool =\n    a\n       and b\n");
  // A bracket closed at the start of a line goes back to its opener's line.
  CHECK(format("module t\nrule x: money = f(\n  a,\n     b\n  )\n") == "module t\nrule x: money = f(\n  a,\n     b\n)\n");
  // A set over several lines holds one element per line like a block.
  CHECK(format("module t\nparam s: set of c = {\na,\n     b\n}\n") == "module t\nparam s: set of c = {\n  a,\n  b\n}\n");
  // An adjust line starting with `-` stays a line of its own.
  CHECK(format("module t\nrule r: rate = adjust s {\n 5 points when a == b\n -5 points when c\n}\n") ==
        "module t\nrule r: rate = adjust s {\n  5 points when a == b\n  -5 points when c\n}\n");
}

TEST_CASE("fmt: comments are kept in every position", "[fmt]") {
  const std::string input =
      "# file comment   \n"
      "module t   # header comment\n"
      "\n\n\n"
      "   # before an item\n"
      "param x: money = 1 # trailing\n"
      "param yy: money = 22   # aligned\n"
      "param z: money = 3     # aligned\n"
      "input {\n"
      "# first in a block\n"
      "  id: text   # field\n"
      "    # last in a block\n"
      "}\n"
      "rule r: money = f(a, # inside a call\n"
      "                  b)\n"
      "rule s: money = match k {\n"
      "  1: a  # arm\n"
      "  # between arms\n"
      "  else: b\n"
      "}\n"
      "param t: money by level {   # after an opener\n"
      "  1: 1   # row\n"
      "  # between rows\n"
      "  2: 2\n"
      "}\n"
      "# at the end\n";
  const std::string expected =
      "# file comment\n"
      "module t  # header comment\n"
      "\n"
      "# before an item\n"
      "param x: money = 1  # trailing\n"
      "param yy: money = 22   # aligned\n"
      "param z: money = 3     # aligned\n"
      "input {\n"
      "  # first in a block\n"
      "  id: text  # field\n"
      "  # last in a block\n"
      "}\n"
      "rule r: money = f(a,  # inside a call\n"
      "                  b)\n"
      "rule s: money = match k {\n"
      "  1: a  # arm\n"
      "  # between arms\n"
      "  else: b\n"
      "}\n"
      "param t: money by level {  # after an opener\n"
      "  1: 1  # row\n"
      "  # between rows\n"
      "  2: 2\n"
      "}\n"
      "# at the end\n";
  CHECK(format(input) == expected);
  // A comment-only file, and an empty one.
  CHECK(format("module t\n# only a comment") == "module t\n# only a comment\n");
}

TEST_CASE("fmt: comments inside a declaration and in headers", "[fmt]") {
  CHECK(format("policy a-2024 \"t\" {   # opener\n# a field\n region \"r\"\n  year 2024 # year\n}\n") ==
        "policy a-2024 \"t\" {  # opener\n  # a field\n  region \"r\"\n  year 2024  # year\n}\n");
  CHECK(format("module t\nrule x: money =   # why\n  a\n     # between the lines\n  + b\n") ==
        "module t\nrule x: money =  # why\n  a\n  # between the lines\n  + b\n");
  CHECK(format("module t\nparam r: brackets {\n0 to 1: 5%   # low\nabove 1: 6%  # high\n}\n") ==
        "module t\nparam r: brackets {\n  0 to 1: 5%   # low\n  above 1: 6%  # high\n}\n");
  CHECK(format("module t\ninput {\n person { # p\n  # inside\n   id: text\n }\n}\n") ==
        "module t\ninput {\n  person {  # p\n    # inside\n    id: text\n  }\n}\n");
}

TEST_CASE("fmt: blank lines", "[fmt]") {
  CHECK(format("\n\nmodule t\n\n\n\nparam x: money = 1\nparam y: money = 2\n\n\n") ==
        "module t\n\nparam x: money = 1\nparam y: money = 2\n");
  CHECK(format("module t\ninput {\n\n  id: text\n\n  x: text\n\n}\n") == "module t\ninput {\n  id: text\n\n  x: text\n}\n");
}

TEST_CASE("fmt: line ends, tabs and the byte-order mark", "[fmt]") {
  CHECK(format("\xEF\xBB\xBFmodule t\r\n\tparam x: money = 1 # c\r\n") == "module t\nparam x: money = 1  # c\n");
}

TEST_CASE("fmt: CJK text counts two columns when aligning", "[fmt]") {
  CHECK(format("module t\nparam a: text = \"一二\" # x\nparam b: text = \"ab\"   # x\n") ==
        "module t\nparam a: text = \"一二\"  # x\nparam b: text = \"ab\"    # x\n");
}

TEST_CASE("fmt: a file that does not parse is reported, not formatted", "[fmt]") {
  const Formatted f = format_text("module t\nparam x money = 1\n");
  CHECK_FALSE(f.result.ok);
  CHECK(f.result.text.empty());
  CHECK(f.result.internal_error.empty());
  CHECK(f.errors.find("error[E0001]") != std::string::npos);
}

TEST_CASE("golden: tests/golden/fmt (layout)", "[fmt][golden]") {
  const auto files = golden_cases("tests/golden/fmt");
  REQUIRE(!files.empty());
  for (const auto& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      const std::string actual = format(read_file(file.string()));
      check_golden(file, actual);
    }
  }
}
