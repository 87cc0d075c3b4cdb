// The grammar has no PEG problems, and each construct of the language parses
// to the expected AST (compared through print_ast) with the expected spans.
#include <catch2/catch.hpp>

#include <tao/pegtl/contrib/analyze.hpp>

#include "lang/grammar.h"
#include "parser_test_util.h"

using namespace yibao;
using namespace yibao::test;

namespace {

// The AST of `body` after `module t`, without the module line.
std::string items(const std::string& body) {
  auto p = parse_items(body);
  INFO(p->errors());
  CHECK(p->diagnostics.all().empty());
  std::string text = p->ast_text();
  const std::string header = "(module t)\n";
  REQUIRE(text.rfind(header, 0) == 0);
  return text.substr(header.size());
}

// The AST of one expression, written as the value of a rule.
std::string expr(const std::string& source) {
  auto p = parse_items("rule x: money = " + source + "\n");
  INFO(source);
  INFO(p->errors());
  REQUIRE(p->diagnostics.all().empty());
  REQUIRE(p->ast().items.size() == 1);
  const auto* decl = ast::dyn_cast<ast::Decl>(p->ast().items[0].get());
  REQUIRE(decl != nullptr);
  REQUIRE(decl->value != nullptr);
  return ast::print_ast(*decl->value);
}

// The text a span covers.
std::string text_of(const Parsed& p, Span span) { return std::string(p.sources.text(span)); }

}  // namespace

TEST_CASE("the grammar has no PEG problems", "[parser][grammar]") {
  CHECK(tao::pegtl::analyze<grammar::file>(1) == 0);
}

TEST_CASE("literals", "[parser][ast]") {
  CHECK(expr("300") == "300");
  CHECK(expr("8916.5") == "8916.5");
  CHECK(expr("80%") == "80%");
  CHECK(expr("12.5%") == "12.5%");
  CHECK(expr("5 points") == "(points 5)");
  CHECK(expr("-10 points") == "(- (points 10))");
  CHECK(expr("90 days") == "(days 90)");
  CHECK(expr("3 months") == "(months 3)");
  CHECK(expr("1 month") == "(months 1)");
  CHECK(expr("2024-02-29") == "2024-02-29");
  CHECK(expr("true") == "true");
  CHECK(expr("false") == "false");
  CHECK(expr(R"("a \"b\" \\ \n")") == R"("a \"b\" \\ \n")");
  CHECK(expr("\"不符合参保条件\"") == "\"不符合参保条件\"");
  CHECK(expr("{}") == "(set)");
  CHECK(expr("{tekun, dibao}") == "(set tekun dibao)");
  CHECK(expr("{ 0 to 10000: 60%  10000 to 100000: 70%, above 100000: 80% }") ==
        "(brackets (0 10000 60%) (10000 100000 70%) (above 100000 80%))");
}

TEST_CASE("number values are exact", "[parser][ast]") {
  auto p = parse_items("param a: money = 8916.5\nparam b: rate = 12.5%\nparam c: money = 9223372036854.775807\n");
  REQUIRE(p->diagnostics.all().empty());
  auto number = [&](size_t i) {
    const auto& decl = static_cast<const ast::Decl&>(*p->ast().items.at(i));
    return static_cast<const ast::NumberLit&>(*decl.value).number;
  };
  CHECK(number(0).micros == 8'916'500'000);
  CHECK(number(0).decimals == 1);
  CHECK(number(1).micros == 12'500'000);
  CHECK(number(2).micros == INT64_MAX);
  CHECK(number(2).decimals == 6);
}

TEST_CASE("names, calls and lookups", "[parser][ast]") {
  CHECK(expr("basic_cap") == "basic_cap");
  CHECK(expr("claim.total") == "claim.total");
  CHECK(expr("remote.self") == "remote.self");
  CHECK(expr("policy.year") == "policy.year");
  CHECK(expr("national.fiscal_subsidy") == "national.fiscal_subsidy");
  CHECK(expr("capped(a, b, c)") == "(call capped a b c)");
  CHECK(expr("f()") == "(call f)");
  CHECK(expr("t[a]") == "(index t a)");
  CHECK(expr("aid[c, person.tier]") == "(index aid c person.tier)");
  CHECK(expr("f(x)[1]") == "(index (call f x) 1)");
  CHECK(expr("national.f(x)") == "(call national.f x)");
}

TEST_CASE("operators and precedence", "[parser][ast]") {
  CHECK(expr("a - b - c") == "(- (- a b) c)");
  CHECK(expr("a + b * c") == "(+ a (* b c))");
  CHECK(expr("(a + b) * c") == "(* (+ a b) c)");
  CHECK(expr("-a * b") == "(* (- a) b)");
  CHECK(expr("- -a") == "(- (- a))");
  CHECK(expr("-t[1]") == "(- (index t 1))");
  CHECK(expr("a + b == c") == "(== (+ a b) c)");
  CHECK(expr("a != b") == "(!= a b)");
  CHECK(expr("a < b") == "(< a b)");
  CHECK(expr("a <= b") == "(<= a b)");
  CHECK(expr("a > b") == "(> a b)");
  CHECK(expr("a >= b") == "(>= a b)");
  CHECK(expr("not a == b") == "(not (== a b))");
  CHECK(expr("not not a") == "(not (not a))");
  CHECK(expr("a and b or c and d") == "(or (and a b) (and c d))");
  CHECK(expr("a or b or c") == "(or (or a b) c)");
  CHECK(expr("not a and b") == "(and (not a) b)");
  CHECK(expr("claim.kind in {inpatient, special_outpatient}") == "(in claim.kind (set inpatient special_outpatient))");
  CHECK(expr("claim.cause in excluded_causes") == "(in claim.cause excluded_causes)");
  CHECK(expr("d in 2024-01-01..2024-02-29") == "(in-range d 2024-01-01 2024-02-29)");
  CHECK(expr("n in 1..a + 1") == "(in-range n 1 (+ a 1))");
  CHECK(expr("s has tekun") == "(has s tekun)");
  CHECK(expr("s has any {tekun, dibao}") == "(has-any s (set tekun dibao))");
  CHECK(expr("a == b and c in {x}") == "(and (== a b) (in c (set x)))");
  CHECK(expr("a*b+c") == "(+ (* a b) c)");
  CHECK(expr("a-1") == "(- a 1)");
}

TEST_CASE("if, match, highest, adjust, unspecified", "[parser][ast]") {
  CHECK(expr("if a then b else c") == "(if a b c)");
  CHECK(expr("if a then b else if c then d else e") == "(if a b (if c d e))");
  CHECK(expr("if a or b then 1 else 2 + 3") == "(if (or a b) 1 (+ 2 3))");
  CHECK(expr("match k { 1: 1, 2: 1, 3: 2 }") == "(match k ((1) 1) ((2) 1) ((3) 2))");
  CHECK(expr("match claim.kind {\n  outpatient: a\n  inpatient, special_outpatient: b\n  else: 0\n}") ==
        "(match claim.kind ((outpatient) a) ((inpatient special_outpatient) b) (else 0))");
  CHECK(expr("match k {}") == "(match k)");
  CHECK(expr("highest c in person.categories: aid[c, person.tier] else 0") ==
        "(highest c person.categories (index aid c person.tier) 0)");
  CHECK(expr("adjust r { minor_bonus when minor }") == "(adjust r (add minor_bonus minor))");
  CHECK(expr("adjust rates[claim.hospital_level] {\n"
             "  override 20% when claim.remote == self\n"
             "  -10 points when claim.remote == longterm\n"
             "  -10 points when claim.remote != none and not claim.direct_settled\n"
             "}") ==
        "(adjust (index rates claim.hospital_level) (override 20% (== claim.remote self)) "
        "(add (- (points 10)) (== claim.remote longterm)) "
        "(add (- (points 10)) (and (!= claim.remote none) (not claim.direct_settled))))");
  CHECK(expr("unspecified") == "(unspecified)");
  CHECK(expr("unspecified \"未公布\"") == "(unspecified \"未公布\")");
  CHECK(expr("unspecified remote_care \"未规定\"") == "(unspecified remote_care \"未规定\")");
}

TEST_CASE("a line starting with `-` in an adjust block starts the next adjustment", "[parser][ast]") {
  // In the condition, a `-` at the start of a line is the next line's value...
  CHECK(expr("adjust r {\n  1 points when a == b\n  - 2 points when c\n}") ==
        "(adjust r (add (points 1) (== a b)) (add (- (points 2)) c))");
  // ...but not on the same line, nor inside parentheses, nor outside adjust.
  CHECK(expr("adjust r { 1 points when a == b - 2 points }") == "(adjust r (add (points 1) (== a (- b (points 2)))))");
  CHECK(expr("adjust r {\n  1 points when a == (b\n  - c)\n}") == "(adjust r (add (points 1) (== a (- b c))))");
  CHECK(expr("a\n  - b") == "(- a b)");
}

TEST_CASE("types", "[parser][ast]") {
  CHECK(items("param a: money\n") == "(param a money)\n");
  CHECK(items("param a: level\n") == "(param a level)\n");
  CHECK(items("param a: set of cause = {}\n") == "(param a (set-of cause) (set))\n");
  CHECK(items("fn f(a: date?, b: set of category?): bool\n") == "(fn f ((a date?) (b (set-of category)?)) bool)\n");
  auto p = parse_items("param a: set of cause?\nparam b: bool\nparam c: tier\n");
  REQUIRE(p->ast().items.size() == 3);
  const auto& a = static_cast<const ast::Decl&>(*p->ast().items[0]).type;
  CHECK(a.form == ast::TypeRef::Form::set_of);
  CHECK(a.name.text == "cause");
  CHECK(a.optional);
  const auto& b = static_cast<const ast::Decl&>(*p->ast().items[1]).type;
  CHECK(b.form == ast::TypeRef::Form::builtin);
  CHECK(b.builtin == ast::BuiltinType::boolean);
  const auto& c = static_cast<const ast::Decl&>(*p->ast().items[2]).type;
  CHECK(c.form == ast::TypeRef::Form::named);
}

TEST_CASE("headers", "[parser][ast]") {
  auto policy = parse_text(
      "policy changsha-2024 \"长沙\" {\n  region \"湖南省长沙市\"\n  year 2024\n  source \"003.txt\"\n  extends hunan-2024\n}\n");
  INFO(policy->errors());
  CHECK(policy->ast_text() ==
        "(policy changsha-2024 \"长沙\"\n  (region \"湖南省长沙市\")\n  (year 2024)\n  (source \"003.txt\")\n"
        "  (extends hunan-2024))\n");
  CHECK(parse_text("module std.resident \"标准\"\n")->ast_text() == "(module std.resident \"标准\")\n");
  CHECK(parse_text("module std.resident\n")->ast_text() == "(module std.resident)\n");
  CHECK(parse_text("examples for liaoyuan-2023\n")->ast_text() == "(examples-for liaoyuan-2023)\n");
}

TEST_CASE("declarations", "[parser][ast]") {
  CHECK(items("use std.resident\nuse national-2024 as national\n") ==
        "(use std.resident)\n(use-policy national-2024 national)\n");
  CHECK(items("enum remote \"就医地\" {\n  none \"本地\"\n  self\n}\n") ==
        "(enum remote \"就医地\"\n  (none \"本地\")\n  (self))\n");
  CHECK(items("enum e {}\n") == "(enum e)\n");
  CHECK(items("domain level 1..3 \"医院级别\"\ndomain tier 1..2\n") ==
        "(domain level 1 3 \"医院级别\")\n(domain tier 1 2)\n");
  CHECK(items("rule eligible: bool\n") == "(rule eligible bool)\n");
  CHECK(items("default rule ineligibility: text = \"x\"\n") == "(default rule ineligibility text \"x\")\n");
  CHECK(items("override payout basic: money = 0\n") == "(override payout basic money 0)\n");
  CHECK(items("fact fiscal_subsidy: money = 640\n") == "(fact fiscal_subsidy money 640)\n");
  CHECK(items("fn capped(amount: money, cap: money, used: money): money = min(amount, max(0, cap - used))\n") ==
        "(fn capped ((amount money) (cap money) (used money)) money (call min amount (call max 0 (- cap used))))\n");
  CHECK(items("fn late_start(paid: date): date\n") == "(fn late_start ((paid date)) date)\n");
  CHECK(items("override fn f(): date = 2024-01-01\n") == "(override fn f () date 2024-01-01)\n");
  CHECK(items("ledger basic_paid: money \"统筹\"\n") == "(ledger basic_paid money \"统筹\")\n");
  CHECK(items("ledger used: money by level 1..2 \"起付\"\nledger x: money by tier\n") ==
        "(ledger used money (by (level 1 2)) \"起付\")\n(ledger x money (by tier))\n");
}

TEST_CASE("tables", "[parser][ast]") {
  CHECK(items("param d: money by level { 1: 100, 2: 300, 3: 800 }\n") ==
        "(param d money (by level)\n  (row (1) 100)\n  (row (2) 300)\n  (row (3) 800))\n");
  CHECK(items("param r: rate by level, tier {\n  1: 80%, 85%\n  2: 70%, 75%\n}\n") ==
        "(param r rate (by level tier)\n  (row (1) 80% 85%)\n  (row (2) 70% 75%))\n");
  CHECK(items("param aid: money by category, tier {\n"
              "  tekun, orphan: 380, 380\n"
              "  dibao: 342, 380\n"
              "  else: 0, 0\n}\n") ==
        "(param aid money (by category tier)\n  (row (tekun orphan) 380 380)\n  (row (dibao) 342 380)\n"
        "  (row else 0 0))\n");
  CHECK(items("param r: rate by level 1..2 { 1: 60%, 2: 40% }\n") ==
        "(param r rate (by (level 1 2))\n  (row (1) 60%)\n  (row (2) 40%))\n");
  // After a comma, keys and `:` start the next row; otherwise it is another value.
  CHECK(items("param t: kind by level, x { 1: a, b, 2: c, d }\n") ==
        "(param t kind (by level x)\n  (row (1) a)\n  (row (b 2) c d))\n");
  CHECK(items("param t: kind by level, x {\n  1: a, b\n  2, 3: c, d\n}\n") ==
        "(param t kind (by level x)\n  (row (1) a b)\n  (row (2 3) c d))\n");
}

TEST_CASE("brackets", "[parser][ast]") {
  CHECK(items("param c: brackets {\n  0 to 10000: 60%\n  above 10000: 80%\n}\n") ==
        "(param c brackets (brackets (0 10000 60%) (above 10000 80%)))\n");
  CHECK(items("param c: brackets = { above 0: 80% }\n") == "(param c brackets (brackets (above 0 80%)))\n");
  CHECK(items("param r: brackets by level {\n"
              "  1 { 0 to 30000: 80%  above 30000: 90% }\n"
              "  2: { above 0: 70% }\n"
              "  else { above 0: 50% }\n}\n") ==
        "(param r brackets (by level)\n  (row (1) (brackets (0 30000 80%) (above 30000 90%)))\n"
        "  (row (2) (brackets (above 0 70%)))\n  (row else (brackets (above 0 50%))))\n");
  auto p = parse_items("param c: brackets { above 0: 80% }\nparam r: brackets by level { 1 { above 0: 1% } }\n");
  REQUIRE(p->ast().items.size() == 2);
  CHECK(static_cast<const ast::Decl&>(*p->ast().items[0]).body == ast::Decl::Body::brackets);
  const auto& table = static_cast<const ast::Decl&>(*p->ast().items[1]);
  CHECK(table.body == ast::Decl::Body::table);
  CHECK(table.table->rows.at(0).brace_form);
}

TEST_CASE("input", "[parser][ast]") {
  CHECK(items("input {\n"
              "  id: text\n"
              "  person {\n"
              "    id: text?\n"
              "    categories: set of category = {}\n"
              "    tier: tier = 1\n"
              "  }\n"
              "  claim? {\n"
              "    total: money\n"
              "    compliant: money = total\n"
              "    check claim.compliant <= claim.total else claim.compliant: \"may not exceed `claim.total`\"\n"
              "  }\n"
              "  ledger key person.id\n"
              "}\n") ==
        "(input\n"
        "  (field id text)\n"
        "  (record person\n"
        "    (field id text?)\n"
        "    (field categories (set-of category) (set))\n"
        "    (field tier tier 1))\n"
        "  (record? claim\n"
        "    (field total money)\n"
        "    (field compliant money total)\n"
        "    (check (<= claim.compliant claim.total) claim.compliant \"may not exceed `claim.total`\"))\n"
        "  (ledger-key person.id))\n");
  // `check`, `ledger` and `key` are ordinary names where a field is declared.
  CHECK(items("input {\n  check: bool\n  key: text\n}\n") == "(input\n  (field check bool)\n  (field key text))\n");
}

TEST_CASE("sections and after", "[parser][ast]") {
  CHECK(items("section settlement when present(claim) {\n"
              "  reason not_eligible when not eligible\n"
              "  basic = basic otherwise 0\n"
              "  reason = ineligibility when not eligible\n"
              "  from = coverage_start\n"
              "  to = year_end\n"
              "}\n") ==
        "(section settlement (when (call present claim))\n"
        "  (reason not_eligible (not eligible))\n"
        "  (field basic basic (otherwise 0))\n"
        "  (field reason ineligibility (when (not eligible)))\n"
        "  (field from coverage_start)\n"
        "  (field to year_end))\n");
  CHECK(items("after settlement {\n"
              "  basic_paid += basic\n"
              "  used[outpatient_level] += taken when claim.kind == outpatient\n"
              "  total_paid += basic + critical\n"
              "}\n") ==
        "(after settlement\n"
        "  (add basic_paid basic)\n"
        "  (add used (key outpatient_level) taken (when (== claim.kind outpatient)))\n"
        "  (add total_paid (+ basic critical)))\n");
}

TEST_CASE("examples", "[parser][ast]") {
  auto p = parse_text(
      "examples for liaoyuan-2023\n"
      "example \"三级医院住院\" {\n"
      "  person.birth_date = 1961-04-30\n"
      "  claim.kind = inpatient\n"
      "  claim.total = 52000\n"
      "  expect settlement.basic = 26700.00\n"
      "  expect settlement.error = unspecified\n"
      "  request \"first\" { claim.kind = inpatient expect settlement.critical = 0.00 }\n"
      "  expect error = bad_input\n"
      "}\n");
  INFO(p->errors());
  CHECK(p->ast_text() ==
        "(examples-for liaoyuan-2023)\n"
        "(example \"三级医院住院\"\n"
        "  (set person.birth_date 1961-04-30)\n"
        "  (set claim.kind inpatient)\n"
        "  (set claim.total 52000)\n"
        "  (expect settlement.basic 26700.00)\n"
        "  (expect settlement.error (unspecified))\n"
        "  (request \"first\"\n"
        "    (set claim.kind inpatient)\n"
        "    (expect settlement.critical 0.00))\n"
        "  (expect error bad_input))\n");
}

TEST_CASE("spans cover the text of each node", "[parser][ast][span]") {
  auto p = parse_items(
      "# a comment\n"
      "override rule x: money =   # another\n"
      "  (a + b) * claim.total - f(1)[2]\n"
      "param t: rate by level { 1: 80% }\n");
  INFO(p->errors());
  REQUIRE(p->ast().items.size() == 2);
  const auto& rule = static_cast<const ast::Decl&>(*p->ast().items[0]);
  CHECK(text_of(*p, rule.span) == "override rule x: money =   # another\n  (a + b) * claim.total - f(1)[2]");
  CHECK(text_of(*p, rule.modifier_span) == "override");
  CHECK(text_of(*p, rule.name.span) == "x");
  CHECK(text_of(*p, rule.type.span) == "money");
  const auto& sub = static_cast<const ast::Binary&>(*rule.value);
  CHECK(text_of(*p, sub.span) == "(a + b) * claim.total - f(1)[2]");
  CHECK(text_of(*p, sub.op_span) == "-");
  const auto& mul = static_cast<const ast::Binary&>(*sub.lhs);
  CHECK(text_of(*p, mul.span) == "(a + b) * claim.total");
  const auto& add = static_cast<const ast::Binary&>(*mul.lhs);
  CHECK(add.parenthesized);
  CHECK(text_of(*p, add.span) == "a + b");
  const auto& total = static_cast<const ast::NameRef&>(*mul.rhs);
  CHECK(text_of(*p, total.span) == "claim.total");
  CHECK(text_of(*p, total.path.parts.at(1).span) == "total");
  const auto& index = static_cast<const ast::Index&>(*sub.rhs);
  CHECK(text_of(*p, index.span) == "f(1)[2]");
  CHECK(text_of(*p, index.base->span) == "f(1)");
  const auto& table = static_cast<const ast::Decl&>(*p->ast().items[1]);
  CHECK(text_of(*p, table.table->span) == "by level { 1: 80% }");
  CHECK(text_of(*p, table.table->rows.at(0).span) == "1: 80%");
  CHECK(text_of(*p, table.table->rows.at(0).keys.at(0).span) == "1");
}

TEST_CASE("visit and for_each_child reach every node", "[parser][ast]") {
  auto p = parse_items("rule x: money = if a then f(b, -c) else match d { 1: e[1], else: {g} }\n");
  REQUIRE(p->diagnostics.all().empty());
  const auto& decl = static_cast<const ast::Decl&>(*p->ast().items.at(0));
  size_t count = 0;
  std::function<void(const ast::Expr&)> walk = [&](const ast::Expr& e) {
    ++count;
    ast::for_each_child(e, walk);
  };
  walk(*decl.value);
  // if, a, call, b, neg, c, match, d, index, e, 1, set, g
  CHECK(count == 13);
  const std::string kind = ast::visit(*decl.value, [](const auto& node) {
    return std::string(ast::node_kind_name(std::remove_cvref_t<decltype(node)>::node_kind));
  });
  CHECK(kind == "If");
  const auto& item = *p->ast().items.at(0);
  CHECK(ast::visit(item, [](const auto& node) { return ast::isa<ast::Decl>(node); }));
}

TEST_CASE("a byte-order mark and CRLF line ends are accepted", "[parser][ast]") {
  auto p = parse_text("\xEF\xBB\xBFmodule t\r\nparam a: money = 1\r\n# c\r\nparam b: money = 2\r\n");
  INFO(p->errors());
  CHECK(p->diagnostics.all().empty());
  CHECK(p->ast().items.size() == 2);
}
