// Syntax errors: the message, the code and the place of typical mistakes, and
// recovery (several errors per run, the good declarations kept).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "parser_test_util.h"

using namespace yibao;
using namespace yibao::test;

namespace {

// "line:col: CODE message" for each diagnostic of `source` (after `module t`,
// so line 1 is the module line).
std::vector<std::string> errors_of(const std::string& body) {
  auto p = parse_items(body);
  std::vector<std::string> out;
  for (const auto& d : p->diagnostics.all()) out.push_back(brief(*p, d));
  return out;
}

std::string first_error(const std::string& body) {
  const auto all = errors_of(body);
  return all.empty() ? std::string("<no error>") : all.front();
}

}  // namespace

TEST_CASE("declarations: missing pieces", "[parser][errors]") {
  CHECK(first_error("param a money = 5\n") == "2:9: E0001 expected `:` and a type after the name, found `money`");
  CHECK(first_error("param a: = 5\n") ==
        "2:10: E0001 expected a type after `:`, such as `money`, `rate` or `level`, found `=`");
  CHECK(first_error("param a: money =\n") == "3:1: E0001 expected a value after `=`, found the end of the file");
  CHECK(first_error("param : money = 1\n") == "2:7: E0001 expected the name of the declaration, found `:`");
  CHECK(first_error("rule if: bool\n") == "2:6: E0001 expected the name of the declaration, found `if`");
  CHECK(first_error("fn f(a money): money\n") == "2:8: E0001 expected `:` and a type after the parameter name, found `money`");
  CHECK(first_error("fn f(a: money b: money): money\n") == "2:15: E0001 expected `,` or `)` after the parameter, found `b`");
  CHECK(first_error("fn f(a: money) = a\n") == "2:16: E0001 expected `:` and the result type after the parameters, found `=`");
  CHECK(first_error("default x: money\n") ==
        "2:9: E0001 expected `param`, `fact`, `rule`, `payout` or `fn` after `default`, found `x`");
  CHECK(first_error("parameter a: money\n") ==
        "2:1: E0001 expected a declaration (`param`, `rule`, `fn`, `enum`, `section`, ...), found `parameter`");
  CHECK(first_error("use national-2024\n") ==
        "3:1: E0001 expected `as` and a name after the policy identifier, as in `use national-2024 as national`, found "
        "the end of the file");
  CHECK(first_error("domain level 1 3\n") == "2:16: E0001 expected `..` between the bounds of the domain, found `3`");
  CHECK(first_error("ledger x money\n") == "2:10: E0001 expected `:` and the type after the name of the ledger, found `money`");
}

TEST_CASE("expressions: incomplete or malformed", "[parser][errors]") {
  CHECK(first_error("rule a: bool = x and\n") == "3:1: E0001 expected a condition after `and`, found the end of the file");
  CHECK(first_error("rule a: money = (1 + 2\n") == "3:1: E0001 expected `)` to close the parenthesis, found the end of the file");
  CHECK(first_error("rule a: money = f(1 2)\n") == "2:21: E0001 expected `,` or `)` after the argument, found `2`");
  CHECK(first_error("rule a: money = t[]\n") == "2:19: E0001 expected a key inside `[ ]`, found `]`");
  CHECK(first_error("rule a: money = if x then 1\n") ==
        "3:1: E0001 expected `else` after the value of `then` (every `if` has an `else`), found the end of the file");
  CHECK(first_error("rule a: money = if x 1 else 2\n") == "2:22: E0001 expected `then` after the condition of `if`, found `1`");
  CHECK(first_error("rule a: bool = a < b < c\n") ==
        "2:22: E0001 comparisons do not chain: write `a < b and b < c`, found `<`");
  CHECK(first_error("rule a: bool = s has\n") ==
        "3:1: E0001 expected a member, or `any` and a set, after `has`, found the end of the file");
  CHECK(first_error("rule a: bool = {a b}\n") == "2:19: E0001 expected `,` or `}` in the set, found `b`");
  CHECK(first_error("rule a: money = match k { 1 2 }\n") == "2:29: E0001 expected `:` after the keys of the case, found `2`");
  CHECK(first_error("rule a: money = match k 1: 2\n") == "2:25: E0001 expected `{` and the cases of `match`, found `1`");
  CHECK(first_error("rule a: money = highest c of s: 1 else 0\n") ==
        "2:27: E0001 expected `in` after the name in `highest`, found `of`");
  CHECK(first_error("rule a: rate = adjust r { 5 points if minor }\n") ==
        "2:36: E0001 expected `when` and a condition after the adjustment, found `if`");
  CHECK(first_error("rule a: money = x.\n") == "3:1: E0001 expected a name after `.`, found the end of the file");
  CHECK(first_error("rule a: money = 3 * \n") == "3:1: E0001 expected a value after `*`, found the end of the file");
}

TEST_CASE("tables, brackets, blocks", "[parser][errors]") {
  CHECK(first_error("param t: money by level { 1 100 }\n") ==
        "2:29: E0001 expected `:` and the values after the keys of the row, found `100`");
  CHECK(first_error("param t: money by level { 1: 100,, 2: 300 }\n") == "2:34: E0001 expected a value after `,`, found `,`");
  CHECK(first_error("param t: money by { 1: 100 }\n") ==
        "2:19: E0001 expected the key of the table (an enumeration or a domain), found `{`");
  CHECK(first_error("param t: money by level 1 { 1: 100 }\n") ==
        "2:25: E0001 expected `{` and the rows of the table after its keys, found `1`");
  CHECK(first_error("param b: brackets { 0 10000: 60% }\n") ==
        "2:23: E0001 expected `to` after the lower bound of the segment, as in `0 to 10000: 60%`, found `10000`");
  CHECK(first_error("param b: brackets { }\n") ==
        "2:21: E0001 expected a bracket segment such as `0 to 10000: 60%` or `above 100000: 80%`, found `}`");
  CHECK(first_error("param b: brackets { 0 to 10000 60% }\n") ==
        "2:32: E0001 expected `:` and a rate after the bounds of the segment, found `60%`");
  CHECK(first_error("param b: brackets { above 0: 60% 10 }\n") ==
        "2:37: E0001 expected `to` after the lower bound of the segment, as in `0 to 10000: 60%`, found `}`");
  CHECK(first_error("param b: brackets { above 0: 60% ) }\n") ==
        "2:34: E0001 expected another segment (`a to b: rate` or `above a: rate`) or `}`, found `)`");
  CHECK(first_error("enum e { a, b }\n") ==
        "2:11: E0001 expected a member name (optionally followed by its label in quotes) or `}`, found `,`");
  CHECK(first_error("section s { reason x if y }\n") ==
        "2:22: E0001 expected `when` and a condition after the reason, found `if`");
  CHECK(first_error("section s { f: 1 }\n") == "2:14: E0001 expected `=` and a value after the field name, found `:`");
  CHECK(first_error("after settlement { paid = basic }\n") ==
        "2:25: E0001 expected `+=` and an amount after the ledger name, found `=`");
  CHECK(first_error("input { id text }\n") ==
        "2:9: E0001 expected a field `name: type`, a record `name { ... }`, `check`, `ledger key` or `}`, found `id`");
  CHECK(first_error("input { check x > 0 claim.x: \"m\" }\n") ==
        "2:21: E0001 expected `else` and the field to blame after the condition of `check`, found `claim`");
  CHECK(first_error("example \"e\" { claim.kind inpatient }\n") ==
        "2:26: E0001 expected `=` and a value after the field, found `inpatient`");
  CHECK(first_error("example e { }\n") == "2:9: E0001 expected the name of the example in quotes after `example`, found `e`");
}

TEST_CASE("errors in headers", "[parser][errors]") {
  auto missing = parse_text("param a: money = 1\n");
  REQUIRE(missing->diagnostics.all().size() == 1);
  CHECK(brief(*missing, missing->diagnostics.all()[0]) ==
        "1:1: E0001 expected `policy`, `module` or `examples for` at the start of the file, found `param`");
  CHECK(missing->ast().items.size() == 1);  // the declarations are still read

  auto empty = parse_text("");
  REQUIRE(empty->diagnostics.all().size() == 1);
  CHECK(brief(*empty, empty->diagnostics.all()[0]) ==
        "1:1: E0001 expected `policy`, `module` or `examples for` at the start of the file, found the end of the file");

  auto bad_id = parse_text("policy Liaoyuan \"t\" {}\n");
  REQUIRE(!bad_id->diagnostics.all().empty());
  CHECK(brief(*bad_id, bad_id->diagnostics.all()[0]) ==
        "1:8: E0001 expected a policy identifier such as `liaoyuan-2023` after `policy`, found `Liaoyuan`");

  auto bad_field = parse_text("policy a-1 \"t\" {\n  year 2024\n  city \"x\"\n}\nparam a: money = 1\n");
  REQUIRE(bad_field->diagnostics.all().size() == 1);
  CHECK(brief(*bad_field, bad_field->diagnostics.all()[0]) ==
        "3:3: E0001 expected a header field (`region`, `year`, `source`, `extends`) or `}`, found `city`");
  CHECK(bad_field->ast().items.size() == 1);

  auto examples = parse_text("examples liaoyuan-2023\n");
  CHECK(brief(*examples, examples->diagnostics.all().at(0)) == "1:10: E0001 expected `for` after `examples`, found `liaoyuan`");
}

TEST_CASE("lexical errors", "[parser][errors]") {
  CHECK(first_error("rule a: text = \"abc\nrule b: bool = true\n") == "2:16: E0007 unterminated string");
  CHECK(first_error("rule a: text = \"a\\tb\"\n") == "2:18: E0001 unknown escape `\\t` in a string");
  CHECK(first_error("rule a: date = 2024-2-29\n") == "2:16: E0001 expected a date written `YYYY-MM-DD`, found `2024-2-29`");
  CHECK(first_error("rule a: date = 2024-02-290\n") ==
        "2:16: E0001 expected a date written `YYYY-MM-DD`, found `2024-02-290`");
  CHECK(first_error("param a: money = 1.1234567\n") == "2:18: E0008 a number has at most 6 decimals, found `1.1234567`");
  CHECK(first_error("param a: money = 99999999999999\n") == "2:18: E0008 number too large: `99999999999999`");
  CHECK(first_error("param Cap: money = 1\n") == "2:7: E0001 names are written in lower case, found `Cap`");
  CHECK(first_error("param a: rate = 80％\n") == "2:19: E0001 found `％` after the end of the declaration");
  CHECK(first_error("param a：money = 1\n") == "2:8: E0001 expected `:` and a type after the name, found `：`");
  CHECK(first_error(std::string("param a: money = 1\x01\n")) ==
        "2:19: E0001 found the control character U+0001 after the end of the declaration");
  CHECK(first_error(std::string("param a: money = \xff\n")) ==
        "2:18: E0001 expected a value after `=`, found a byte that is not UTF-8 (0xFF)");
  CHECK(first_error(std::string("param a: money = ") + '\0' + "\n") ==
        "2:18: E0001 expected a value after `=`, found a NUL byte");
}

TEST_CASE("full-width punctuation gets a help note", "[parser][errors]") {
  auto p = parse_items("param a：money = 1\n");
  REQUIRE(p->diagnostics.all().size() == 1);
  const auto& d = p->diagnostics.all()[0];
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "write the ASCII `:` instead of `：`");
  CHECK(p->sources.text(d.span) == "：");
}

TEST_CASE("look-alike characters get a help note", "[parser][errors]") {
  auto times = parse_items("rule a: money = b × c\n");
  REQUIRE(times->diagnostics.all().size() == 1);
  CHECK(brief(*times, times->diagnostics.all()[0]) == "2:19: E0001 found `×` after the end of the declaration");
  CHECK(times->diagnostics.all()[0].notes.at(0).message == "write the ASCII `*` instead of `×`");
  auto space = parse_items("param\u3000a: money = 1\n");
  REQUIRE(space->diagnostics.all().size() == 1);
  CHECK(brief(*space, space->diagnostics.all()[0]) ==
        "2:6: E0001 expected the name of the declaration, found a non-ASCII space (U+3000)");
  CHECK(space->diagnostics.all()[0].notes.at(0).message == "write an ASCII space");
}

TEST_CASE("a keyword in upper case gets a help note", "[parser][errors]") {
  auto p = parse_items("Param a: money = 1\n");
  REQUIRE(p->diagnostics.all().size() == 1);
  REQUIRE(p->diagnostics.all()[0].notes.size() == 1);
  CHECK(p->diagnostics.all()[0].notes[0].message == "keywords are lower case: `param`");
}

TEST_CASE("recovery: one error per broken declaration, the rest is kept", "[parser][errors][recovery]") {
  auto p = parse_items(
      "param a: money = 1\n"
      "param b money = 2\n"          // error
      "param c: money = 3\n"
      "rule d: bool = x and\n"       // error at the next line's `param`
      "param e: money = 5\n"
      "enum f {\n"
      "  x \"a\", y\n"               // error
      "  z\n"
      "}\n"
      "section g {\n"
      "  reason r when\n"            // error at `}`
      "}\n"
      "param h: money = 8\n");
  std::vector<std::string> errors;
  for (const auto& d : p->diagnostics.all()) errors.push_back(brief(*p, d));
  CHECK(errors == std::vector<std::string>{
                      "3:9: E0001 expected `:` and a type after the name, found `money`",
                      "6:1: E0001 expected a condition after `and`, found `param`",
                      "8:8: E0001 expected a member name (optionally followed by its label in quotes) or `}`, found `,`",
                      "13:1: E0001 expected a condition after `when`, found `}`",
                  });
  std::vector<std::string> names;
  for (const auto& item : p->ast().items) {
    if (const auto* decl = ast::dyn_cast<ast::Decl>(item.get())) names.push_back(decl->name.text);
  }
  CHECK(names == std::vector<std::string>{"a", "c", "e", "h"});
  CHECK(p->ast().skipped.size() == 4);
  CHECK_FALSE(p->result.ok);
}

TEST_CASE("recovery stops at the error limit", "[parser][errors][recovery]") {
  std::string body;
  for (int i = 0; i < 100; ++i) body += "param x" + std::to_string(i) + " money\n";
  SourceManager sources;
  Diagnostics diagnostics(10);
  const FileId file = sources.add("t.yb", "module t\n" + body);
  const ParseResult result = parse(sources, file, diagnostics);
  CHECK(diagnostics.error_count() == 10);
  CHECK(diagnostics.limit_reached());
  CHECK_FALSE(result.ok);
}

TEST_CASE("nesting beyond the limit is an error, not a crash", "[parser][errors][depth]") {
  const std::string deep_parens = std::string(1000, '(') + "1" + std::string(1000, ')');
  CHECK(first_error("rule a: money = " + deep_parens + "\n").find("E0002 expression nested too deeply") != std::string::npos);
  const std::string ok_parens = std::string(150, '(') + "1" + std::string(150, ')');
  CHECK(errors_of("rule a: money = " + ok_parens + "\n").empty());

  std::string calls;
  for (int i = 0; i < 500; ++i) calls += "f(";
  calls += "1" + std::string(500, ')');
  CHECK(first_error("rule a: money = " + calls + "\n").find("E0002") != std::string::npos);

  // Long flat chains are deep trees: limited too, so that walkers are safe.
  std::string sum = "1";
  for (int i = 0; i < 1000; ++i) sum += " + 1";
  CHECK(first_error("rule a: money = " + sum + "\n").find("E0002") != std::string::npos);
  std::string negs(5000, '-');
  CHECK(first_error("rule a: money = " + negs + "1\n").find("E0002") != std::string::npos);
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  CHECK(first_error("rule a: bool = " + nots + "x\n").find("E0002") != std::string::npos);

  std::string records;
  for (int i = 0; i < 300; ++i) records += "r {";
  records += std::string(300, '}');
  CHECK(first_error("input { " + records + " }\n").find("E0002") != std::string::npos);

  // Parsing goes on after the deep declaration.
  auto p = parse_items("rule a: money = " + deep_parens + "\nparam b: money = 1\n");
  CHECK(p->ast().items.size() == 1);
}
