// The semantic diff (compiler/diff.h) and its impact on requests
// (compiler/diff_impact.h):
//   tests/golden/diff/<case>/{old,new}.yb -> expected.txt, expected.json:
//       hand-written pairs, one kind of change each (with requests.jsonl:
//       the impact on those requests too)
//   tests/golden/diff/seeds/*: national-2023 -> national-2024 and
//       hunan-2024 -> changsha-2024 (a city against its province)
// and properties: a policy against itself has no differences, and the diff
// reversed swaps added and removed.
// YIBAO_UPDATE_GOLDEN=1 rewrites the expectations; review with `git diff`.
#include <catch2/catch.hpp>
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "tests/support/golden_file.h"
#include "compiler/diff.h"
#include "compiler/diff_expr.h"
#include "compiler/diff_impact.h"
#include "compiler/diff_render.h"
#include "lang/diagnostics_render.h"

using namespace yibao;
using namespace yibao::compiler;
namespace fs = std::filesystem;

namespace {

using test::InSourceDir;
std::string read_file(const fs::path& path) { return test::read_whole_file(path); }
void check_golden(const fs::path& expected_path, const std::string& actual) { test::check_golden_file(expected_path, actual); }

DiffSide load(const std::string& path) {
  SourceManager sources;
  Diagnostics diagnostics;
  auto side = load_diff_side(sources, path, diagnostics);
  INFO(render_text(diagnostics, sources));
  REQUIRE(side);
  REQUIRE_FALSE(diagnostics.has_errors());
  return std::move(*side);
}

RequestImpact impact_of(const DiffSide& a, const DiffSide& b, const std::string& requests) {
  const std::string text = read_file(requests);
  LineReader lines = LineReader::from_memory(text);
  auto impact = request_impact(a.program, b.program, lines);
  INFO((impact ? std::string() : impact.error()));
  REQUIRE(impact.has_value());
  return std::move(*impact);
}

void check_pair(const std::string& old_path, const std::string& new_path, const std::string& requests,
                const fs::path& expected_stem) {
  const DiffSide a = load(old_path);
  const DiffSide b = load(new_path);
  const PolicyDiff diff = diff_policies(a, b);
  std::optional<RequestImpact> impact;
  if (!requests.empty()) impact = impact_of(a, b, requests);
  const RequestImpact* i = impact ? &*impact : nullptr;
  check_golden(expected_stem.string() + ".txt", render_diff_text(diff, i, requests));
  const std::string json = render_diff_json(diff, i, requests);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  INFO(json);
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  check_golden(expected_stem.string() + ".json", json);
}

const Change* find(const PolicyDiff& diff, const std::string& name, const std::string& aspect = "") {
  for (const Change& c : diff.changes)
    if (c.name == name && (aspect.empty() || c.aspect == aspect)) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("diff golden files: hand-written pairs", "[diff][golden]") {
  InSourceDir in_source;
  int cases = 0;
  for (const auto& entry : fs::directory_iterator("tests/golden/diff")) {
    if (!entry.is_directory() || !fs::exists(entry.path() / "old.yb")) continue;
    const std::string dir = "tests/golden/diff/" + entry.path().filename().string();
    DYNAMIC_SECTION(dir) {
      const std::string requests = fs::exists(dir + "/requests.jsonl") ? dir + "/requests.jsonl" : "";
      check_pair(dir + "/old.yb", dir + "/new.yb", requests, dir + "/expected");
    }
    ++cases;
  }
  CHECK(cases >= 6);
}

TEST_CASE("diff golden files: seed policies", "[diff][golden]") {
  InSourceDir in_source;
  SECTION("national-2023 -> national-2024") {
    check_pair("policies/national/2023.yb", "policies/national/2024.yb", "tests/golden/diff/seeds/national.requests.jsonl",
               "tests/golden/diff/seeds/national-2023-2024");
  }
  SECTION("hunan-2024 -> changsha-2024") {
    check_pair("policies/hunan/2024.yb", "policies/changsha/2024.yb", "", "tests/golden/diff/seeds/hunan-changsha-2024");
  }
}

TEST_CASE("diff: national-2023 -> national-2024 shows the contribution change", "[diff]") {
  InSourceDir in_source;
  const PolicyDiff diff = diff_policies(load("policies/national/2023.yb"), load("policies/national/2024.yb"));
  const Change* standard = find(diff, "standard");
  REQUIRE(standard);
  CHECK(standard->group == DiffGroup::params);
  CHECK(standard->before->text == "380.00");
  CHECK(standard->after->text == "400.00");
  CHECK(standard->before->at == "policies/national/2023.yb:15");
  CHECK(standard->after->at == "policies/national/2024.yb:16");
  const Change* subsidy = find(diff, "fiscal_subsidy");
  REQUIRE(subsidy);
  CHECK(subsidy->before->text == "640.00");
  CHECK(subsidy->after->text == "670.00");
  const Change* rule = find(diff, "contribution_standard", "expression");
  REQUIRE(rule);
  CHECK(rule->before->text == "standard");
  CHECK(rule->after->text.find("standard + fiscal_subsidy") != std::string::npos);
  // start_of_cover was unspecified in 2023; 2024 gives it.
  const Change* cover = find(diff, "start_of_cover", "specified");
  REQUIRE(cover);
  CHECK(cover->group == DiffGroup::unspecified);
  CHECK(cover->kind == ChangeKind::removed);
}

TEST_CASE("diff: each kind of change, by name", "[diff]") {
  InSourceDir in_source;
  SECTION("parameters") {
    const PolicyDiff d = diff_policies(load("tests/golden/diff/values/old.yb"), load("tests/golden/diff/values/new.yb"));
    REQUIRE(find(d, "standard"));
    CHECK(find(d, "standard")->after->text == "400.00");
    CHECK(find(d, "basic_rate")->after->text == "55%");
    CHECK(find(d, "window_end")->after->text == "2023-12-31");
    CHECK(find(d, "waiting_period")->before->text == "90 days");
    CHECK(find(d, "waiting_period")->after->text == "3 months");
    CHECK_FALSE(find(d, "deductible"));  // unchanged
    REQUIRE(find(d, "critical_rate", "specified"));
    CHECK(find(d, "critical_rate", "specified")->after->text == "60%");
    REQUIRE(find(d, "prenatal_cap"));
    CHECK(find(d, "prenatal_cap")->kind == ChangeKind::removed);
    REQUIRE(find(d, "newborn_rule"));
    CHECK(find(d, "newborn_rule")->after->text == "true");
    CHECK(find(d, "year")->after->text == "2024");
  }
  SECTION("table cells") {
    const PolicyDiff d = diff_policies(load("tests/golden/diff/tables/old.yb"), load("tests/golden/diff/tables/new.yb"));
    const Change* dibao = find(d, "aid[dibao]");
    REQUIRE(dibao);
    CHECK(dibao->label == "低保对象");
    CHECK(dibao->before->text == "190.00");
    CHECK(dibao->after->text == "200.00");
    REQUIRE(find(d, "aid[monitored]", "specified"));
    REQUIRE(find(d, "aid[dibao_edge]", "unspecified"));
    const Change* level3 = find(d, "deductible[3]");
    REQUIRE(level3);
    CHECK(level3->label == "level 3");
    CHECK(level3->before->text == "1000.00");
    CHECK(level3->after->text == "800.00");
    const Change* rate = find(d, "rate[1, other]");
    REQUIRE(rate);
    CHECK(rate->label == "level 1, 非本市户籍");
    CHECK_FALSE(find(d, "rate[1, local]"));
    REQUIRE(find(d, "standard[1]"));
  }
  SECTION("brackets") {
    const PolicyDiff d = diff_policies(load("tests/golden/diff/brackets/old.yb"), load("tests/golden/diff/brackets/new.yb"));
    REQUIRE(find(d, "critical_rates bracket 2", "rate"));
    CHECK(find(d, "critical_rates bracket 2", "rate")->before->text == "70%");
    CHECK(find(d, "critical_rates bracket 2", "rate")->after->text == "75%");
    REQUIRE(find(d, "critical_rates bracket 2", "bounds"));
    CHECK(find(d, "critical_rates bracket 2", "bounds")->after->text == "10000.00 to 120000.00");
    CHECK_FALSE(find(d, "critical_rates bracket 1"));
    REQUIRE(find(d, "outpatient_rates", "brackets"));  // a bracket added: shown whole
    REQUIRE(find(d, "inpatient_rates[3] bracket 1", "rate"));
    REQUIRE(find(d, "inpatient_rates[2] bracket 1", "bounds"));
    CHECK_FALSE(find(d, "inpatient_rates[1] bracket 1"));
  }
  SECTION("rules, sections and ledgers") {
    const PolicyDiff d = diff_policies(load("tests/golden/diff/rules/old.yb"), load("tests/golden/diff/rules/new.yb"));
    const Change* eligible = find(d, "eligible", "expression");
    REQUIRE(eligible);
    CHECK(eligible->before->text == "not person.employee_insured");
    CHECK(eligible->after->text == "not person.employee_insured and not person.insured_elsewhere");
    REQUIRE(find(d, "class_b_share"));
    CHECK(find(d, "class_b_share")->kind == ChangeKind::added);
    REQUIRE(find(d, "inpatient_base"));
    CHECK(find(d, "inpatient_base")->kind == ChangeKind::removed);
    REQUIRE(find(d, "no_benefit_here", "expression"));
    REQUIRE(find(d, "critical_paid"));
    CHECK(find(d, "critical_paid")->group == DiffGroup::ledgers);
    CHECK(find(d, "critical_paid")->label == "大病保险年度累计支付");
    REQUIRE(find(d, "settlement after critical_paid"));
    CHECK(find(d, "settlement after critical_paid")->kind == ChangeKind::added);
    const Change* when = find(d, "subsidy", "condition");
    REQUIRE(when);
    CHECK(when->before->text == "when present(claim)");
    CHECK(when->after->text == "when present(claim) and claim.kind == inpatient");
    const Change* reason = find(d, "subsidy reason no_benefit", "condition");
    REQUIRE(reason);
    CHECK(reason->label == "此类就医不予支付");
    CHECK(reason->after->text == "claim.total < 200.00");
    REQUIRE(find(d, "subsidy reason excluded_cause"));
    CHECK(find(d, "subsidy reason excluded_cause")->kind == ChangeKind::added);
    REQUIRE(find(d, "subsidy.share", "expression"));
    CHECK(find(d, "subsidy.share", "expression")->after->text == "60% * claim.total");
    REQUIRE(find(d, "subsidy.capped_share"));
    CHECK(find(d, "subsidy.capped_share")->kind == ChangeKind::added);
  }
}

TEST_CASE("diff: a policy against itself has no differences; reversed swaps added and removed", "[diff]") {
  InSourceDir in_source;
  std::vector<std::string> policies;
  for (const auto& region : fs::directory_iterator("policies"))
    for (const auto& f : fs::directory_iterator(region.path())) {
      const std::string p = f.path().string();
      if (p.ends_with(".yb") && !p.ends_with(".test.yb")) policies.push_back(p);
    }
  REQUIRE(policies.size() >= 7);
  for (const auto& p : policies) {
    INFO(p);
    const DiffSide side = load(p);
    CHECK(diff_policies(side, side).same());
    // Loaded twice: another program, the same policy.
    CHECK(diff_policies(side, load(p)).same());
  }
  const DiffSide a = load("policies/national/2023.yb");
  const DiffSide b = load("policies/national/2024.yb");
  const PolicyDiff forward = diff_policies(a, b);
  const PolicyDiff backward = diff_policies(b, a);
  REQUIRE(forward.changes.size() == backward.changes.size());
  auto count = [](const PolicyDiff& d, ChangeKind k) {
    return std::count_if(d.changes.begin(), d.changes.end(), [&](const Change& c) { return c.kind == k; });
  };
  CHECK(count(forward, ChangeKind::added) == count(backward, ChangeKind::removed));
  CHECK(count(forward, ChangeKind::removed) == count(backward, ChangeKind::added));
  for (const Change& c : forward.changes) {
    INFO(c.name << " " << c.aspect);
    const auto it = std::find_if(backward.changes.begin(), backward.changes.end(), [&](const Change& r) {
      return r.name == c.name && r.group == c.group;
    });
    REQUIRE(it != backward.changes.end());
    if (c.kind == ChangeKind::changed) {
      CHECK(it->before->text == c.after->text);
      CHECK(it->after->text == c.before->text);
    }
  }
}

TEST_CASE("diff: expressions print in the language's syntax, parenthesized by precedence", "[diff]") {
  InSourceDir in_source;
  const DiffSide side = load("tests/golden/diff/rules/new.yb");
  auto rule = [&](const std::string& name) {
    for (const auto& r : side.program.rules)
      if (r.name == name) return print_expression(side.program, r.root);
    FAIL("no rule " << name);
    return std::string();
  };
  CHECK(rule("class_b_share") == "10% * claim.class_b");
  CHECK(rule("no_benefit_here") == "claim.kind == outpatient and claim.hospital_level == 3");
  CHECK(rule("basic").find("60% * (claim.compliant - class_b_share)") != std::string::npos);
}

TEST_CASE("diff impact: amounts by hand", "[diff][impact]") {
  InSourceDir in_source;
  const DiffSide a = load("tests/golden/diff/impact/old.yb");
  const DiffSide b = load("tests/golden/diff/impact/new.yb");
  const RequestImpact impact = impact_of(a, b, "tests/golden/diff/impact/requests.jsonl");
  CHECK(impact.requests == 7);
  auto payout = [&](const std::string& name) -> const PayoutImpact& {
    for (const auto& p : impact.payouts)
      if (p.name == name) return p;
    FAIL("no payout " << name);
    return impact.payouts.front();
  };
  // q-1: level 3, local: 70% * (4000 - 1000) = 2100.00 before, 70% * (4000 - 800) = 2240.00 after.
  // q-2: level 1, other: 80% * (12000 - 200) = 9440.00 before, 85% * 11800 = 10030.00 after.
  // q-5: level 3, local: 70% * (26000 - 1000) = 17500.00 before, 70% * 25200 = 17640.00 after.
  // q-3: outpatient, level 2, other: 70% * 400 = 280.00 before, 75% * 400 = 300.00 after.
  // q-7: level 2, local, 700 - 500: unchanged 160.00.
  const PayoutImpact& basic = payout("settlement.basic");
  CHECK(basic.compared == 5);
  CHECK(basic.changed == 4);
  CHECK(basic.total_change == (140 + 590 + 140 + 20) * 1'000'000LL);
  CHECK(basic.mean_change == 178 * 1'000'000LL);  // 890 / 5
  REQUIRE(basic.largest.size() == 4);
  CHECK(basic.largest[0].id == "q-2");
  CHECK(basic.largest[0].change() == 590 * 1'000'000LL);
  CHECK(basic.largest[1].id == "q-1");  // 140 each: the earlier request first
  CHECK(basic.largest[2].id == "q-5");
  // Contribution: the tier-1 standard 380 -> 400 (q-1, q-4, q-7; q-2 is
  // tier 2). q-3's aid for `monitored` was unspecified, so its contribution
  // is answered only after; q-5's for `dibao_edge` is unspecified after, so
  // only before. q-6 (tier 3) is refused by both.
  const PayoutImpact& standard = payout("contribution.standard");
  CHECK(standard.compared == 4);
  CHECK(standard.changed == 3);
  CHECK(standard.total_change == 3 * 20 * 1'000'000LL);
  CHECK(standard.only_after == 1);
  CHECK(standard.only_before == 1);
  const PayoutImpact& aid = payout("contribution.aid");
  CHECK(aid.only_after == 1);
  CHECK(aid.only_before == 1);
  CHECK(impact.changed == 6);  // all but q-6, refused by both
}

TEST_CASE("diff impact: a policy against itself changes no result, folded or not", "[diff][impact]") {
  // The diff settles programs lowered without folding; folding changes no
  // result, so each seed policy's requests must come out the same.
  InSourceDir in_source;
  for (const char* path : {"policies/liaoyuan/2023.yb", "policies/dianjiang/2024.yb", "policies/changsha/2024.yb",
                           "policies/national/2024.yb", "policies/sanya/2024.yb"}) {
    INFO(path);
    const DiffSide unfolded = load(path);
    SourceManager sources;
    Diagnostics diagnostics;
    const auto folded = compile_policy(sources, path, {}, diagnostics);
    REQUIRE(folded);
    const std::string requests = std::string(path).substr(0, std::string(path).size() - 3) + ".requests.jsonl";
    const std::string text = read_file(requests);
    LineReader lines = LineReader::from_memory(text);
    const auto impact = request_impact(*folded, unfolded.program, lines);
    REQUIRE(impact.has_value());
    CHECK(impact->requests > 10);
    CHECK(impact->changed == 0);
    for (const auto& p : impact->payouts) {
      CHECK(p.changed == 0);
      CHECK(p.only_before == 0);
      CHECK(p.only_after == 0);
    }
  }
}
