// The derivation tree of `yibao explain` (compiler/explain.h), drawn from
// result lines written by hand and from real settlements.
#include <string>

#include <catch2/catch.hpp>

#include "compiler/compile.h"
#include "compiler/explain.h"
#include "lang/diagnostics.h"
#include "yibao/line_reader.h"
#include "yibao/settle.h"

using namespace yibao;

namespace {

const char* const kPolicy =
    "rule a: money =\n"
    "  b + c\n"
    "  + 1\n"
    "rule b: money = claim.total\n"
    "rule c: money = 2\n";

}  // namespace

TEST_CASE("explain draws rules nested under the rule that needed them, with source and inputs") {
  SourceManager sources;
  sources.add("p/2024.yb", kPolicy);
  const std::string result =
      R"({"id": "r1", "policy": "p-2024", "settlement": {"reason": null, "basic": 13.00}, "explain": [)"
      R"({"rule": "a", "at": "p/2024.yb:1", "depth": 0, "value": 13.00, "inputs": [{"rule": "b", "value": 10.00}, {"rule": "c", "value": 2.00}]},)"
      R"({"rule": "b", "at": "p/2024.yb:4", "depth": 1, "value": 10.00, "inputs": [{"field": "claim.total", "value": 10.00}]},)"
      R"({"rule": "c", "at": "p/2024.yb:5", "depth": 1, "value": 2.00, "inputs": []},)"
      R"({"rule": "d", "at": "elsewhere.yb:3", "depth": 0, "error": "unspecified", "inputs": [{"table": "rates", "keys": [2, "inpatient"], "value": 80%}, {"present": "claim.class_b", "value": false}, {"ledger": "used[2]", "value": 0.00}]}]})";
  const auto tree = compiler::render_explanation(result, sources);
  REQUIRE(tree.has_value());
  CHECK(*tree ==
        "request r1 · p-2024\n"
        "  settlement  reason = null · basic = 13.00\n"
        "\n"
        "how each value was made (rule = value, where, what it read):\n"
        "a = 13.00   p/2024.yb:1\n"
        "│   rule a: money =\n"
        "│     b + c\n"
        "│     + 1\n"
        "│   reads b = 10.00, c = 2.00\n"
        "├── b = 10.00   p/2024.yb:4\n"
        "│       rule b: money = claim.total\n"
        "│       reads claim.total = 10.00\n"
        "└── c = 2.00   p/2024.yb:5\n"
        "        rule c: money = 2\n"
        "\n"
        "d = error: unspecified   elsewhere.yb:3\n"
        "    reads rates[2, inpatient] = 80%, claim.class_b given = false, ledger used[2] = 0.00\n");
}

TEST_CASE("explain shows a refused request and a result without explanation") {
  SourceManager sources;
  const auto refused = compiler::render_explanation(
      R"({"id": null, "error": {"code": "bad_input", "message": "line 1: person.birth_date: required but missing"}})",
      sources);
  REQUIRE(refused.has_value());
  CHECK(*refused == "request null\n  bad_input: line 1: person.birth_date: required but missing\n");

  const auto plain = compiler::render_explanation(R"({"id": "x", "policy": "p", "eligibility": {"eligible": true}})", sources);
  REQUIRE(plain.has_value());
  CHECK(plain->ends_with("(no explanation in this result)\n"));
}

TEST_CASE("explain rejects what is not a result") {
  SourceManager sources;
  CHECK_FALSE(compiler::render_explanation("not json", sources).has_value());
  CHECK_FALSE(compiler::render_explanation("[1, 2]", sources).has_value());
  CHECK_FALSE(compiler::render_explanation(R"({"explain": 3})", sources).has_value());
  CHECK_FALSE(compiler::render_explanation(R"({"explain": [{"depth": -1}]})", sources).has_value());
}

TEST_CASE("explain of a real settlement names every rule the trace has, with its source line") {
  SourceManager sources;
  Diagnostics diagnostics(0);
  const auto program =
      compiler::compile_policy(sources, YIBAO_SOURCE_DIR "/policies/dianjiang/2024.yb", {}, diagnostics);
  REQUIRE(program.has_value());
  LedgerStore ledgers(program->policy_id, ledger_slot_names(*program));
  auto settler = Settler::create(*program, ledgers, SettleOptions{.explain = true});
  REQUIRE(settler.has_value());
  const std::string line =
      R"({"id": "c1", "person": {"id": "p1", "birth_date": "2015-03-01", "tier": 1, "hukou": "local"}, )"
      R"("enrollment": {"paid_on": "2023-11-20"}, "claim": {"kind": "inpatient", "date": "2024-05-02", )"
      R"("hospital_level": 2, "total": 20000, "compliant": 15000}})";
  const std::string padded = line + std::string(kReadPadding, ' ');
  std::string result;
  settler->settle_line(std::string_view(padded.data(), line.size()), 1, result);
  const auto tree = compiler::render_explanation(result, sources);
  REQUIRE(tree.has_value());
  CHECK(tree->starts_with("request c1 · dianjiang-2024\n"));
  CHECK(tree->find("settlement    reason = null · basic = ") != std::string::npos);  // aligned past "contribution"
  CHECK(tree->find("basic = ") != std::string::npos);
  CHECK(tree->find("payout basic: money") != std::string::npos);  // the payout's own source line
  CHECK(tree->find("reads ") != std::string::npos);
  CHECK(tree->find("claim.compliant = 15000.00") != std::string::npos);
}
