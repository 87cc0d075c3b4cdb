// Evaluation of each rule kind, through small policies compiled from text and
// requests settled by the runtime, with hand-computed expectations; overflow
// and unspecified paths; ledgers resumed across batches.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "lang/diagnostics_render.h"
#include "yibao/settle.h"

using namespace yibao;
namespace fs = std::filesystem;

namespace {

// A policy `t-2024` whose settlement pays `basic` (and `critical` = 0) as
// given, under a temporary policy root; `extra` adds declarations.
struct TestPolicy {
  fs::path dir;
  SourceManager sources;
  Diagnostics diagnostics;
  std::optional<ir::Program> program;

  explicit TestPolicy(const std::string& extra, const std::string& basic = "0") {
    static int counter = 0;
    dir = fs::temp_directory_path() / ("yibao-eval-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir / "t");
    std::ofstream(dir / "t" / "2024.yb") << "policy t-2024 \"测试\" {\n  region \"测试\"\n  year 2024\n  source \"none\"\n}\n"
                                            "use std.resident\n"
                                            "rule eligible: bool = not person.employee_insured\n"
                                            "rule contribution_standard: money = 380\n"
                                            "param window_end: date = 2023-12-31\n"
                                            "fn late_start(paid: date): date = paid + 90 days\n"
                                            "payout basic: money = " << basic << "\n"
                                            "payout critical: money = 0\n" << extra;
    program = compiler::compile_policy(sources, (dir / "t" / "2024.yb").string(), {}, diagnostics);
    INFO(render_text(diagnostics, sources));
    REQUIRE(program);
  }
  ~TestPolicy() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  // Settles lines in order with one ledger store; returns the result lines.
  std::vector<std::string> settle(const std::vector<std::string>& lines, LedgerStore* store = nullptr) {
    LedgerStore own(program->policy_id, ledger_slot_names(*program));
    LedgerStore& ledgers = store ? *store : own;
    auto settler = Settler::create(*program, ledgers);
    REQUIRE(settler);
    std::vector<std::string> out;
    uint64_t n = 0;
    for (const auto& line : lines) {
      std::string padded = line + std::string(kReadPadding, ' ');
      std::string result;
      settler->settle_line(std::string_view(padded.data(), line.size()), ++n, result);
      out.push_back(result);
    }
    return out;
  }
  std::string settle_one(const std::string& line) { return settle({line}).front(); }
};

// A claim request; `fields` replace the defaults they name (a key given twice is bad input).
std::string claim(const std::string& fields, const std::string& person = R"("id": "p1", "birth_date": "1980-05-05")") {
  std::string base;
  for (const auto& [key, value] : {std::pair{"kind", R"("inpatient")"}, std::pair{"date", R"("2024-03-05")"},
                                   std::pair{"hospital_level", "2"}})
    if (fields.find(std::string("\"") + key + "\":") == std::string::npos) base += std::string("\"") + key + "\": " + value + ", ";
  return R"({"id": "r", "person": {)" + person + R"(}, "claim": {)" + base + fields + "}}";
}

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("progressive brackets pay each segment at its own rate", "[eval]") {
  TestPolicy p("param rates: brackets { 0 to 10000: 60%  10000 to 100000: 70%  above 100000: 80% }\n",
               "progressive(rates, claim.compliant)");
  // 60% * 10000 + 70% * 5000 = 9500
  CHECK(has(p.settle_one(claim(R"("total": 15000)")), R"("basic": 9500.00)"));
  // exactly on a bound: 60% * 10000 = 6000
  CHECK(has(p.settle_one(claim(R"("total": 10000)")), R"("basic": 6000.00)"));
  // 6000 + 63000 + 80% * 50000 = 109000
  CHECK(has(p.settle_one(claim(R"("total": 150000)")), R"("basic": 109000.00)"));
}

TEST_CASE("progressive_between pays the segments an increment crosses", "[eval]") {
  TestPolicy p("param rates: brackets { 0 to 10000: 60%  above 10000: 80% }\n",
               "progressive_between(rates, 8000, 8000 + claim.compliant)");
  // 8000..12000: 60% * 2000 + 80% * 2000 = 2800
  CHECK(has(p.settle_one(claim(R"("total": 4000)")), R"("basic": 2800.00)"));
}

TEST_CASE("adjust: overrides win, points stack, rates stay within 0..100%", "[eval]") {
  TestPolicy p("param base: rate = 95%\n"
               "rule r: rate = adjust base {\n"
               "  override 20% when claim.remote == self\n"
               "  -10 points when claim.remote == longterm\n"
               "  -10 points when claim.remote != none and not claim.direct_settled\n"
               "  10 points when claim.tcm_hospital\n"
               "}\n",
               "r * claim.compliant");
  CHECK(has(p.settle_one(claim(R"("total": 1000, "remote": "self", "direct_settled": false)")), R"("basic": 200.00)"));
  // 95 - 10 - 10 = 75
  CHECK(has(p.settle_one(claim(R"("total": 1000, "remote": "longterm", "direct_settled": false)")), R"("basic": 750.00)"));
  // 95 + 10 = 105 -> 100%
  CHECK(has(p.settle_one(claim(R"("total": 1000, "tcm_hospital": true)")), R"("basic": 1000.00)"));
}

TEST_CASE("highest applies over a set, with a fallback for none", "[eval]") {
  TestPolicy p("param aid: money by category { tekun: 380  dibao: 190  else: 10 }\n"
               "rule contribution_aid: money = highest c in person.categories: aid[c] else 0\n");
  auto contribution = [&](const std::string& categories) {
    return p.settle_one(R"({"id": "r", "person": {"birth_date": "1980-05-05", "categories": )" + categories + "}}");
  };
  CHECK(has(contribution(R"(["dibao", "tekun"])"), R"("aid": 380.00, "personal": 0.00)"));
  CHECK(has(contribution(R"(["dibao"])"), R"("aid": 190.00)"));
  CHECK(has(contribution(R"(["monitored"])"), R"("aid": 10.00)"));
  CHECK(has(contribution("[]"), R"("aid": 0.00)"));
}

TEST_CASE("match picks one arm and evaluates only it", "[eval]") {
  TestPolicy p("", "match claim.hospital_level { 1: 100, 2: 200  else: unspecified \"not published\" }");
  CHECK(has(p.settle_one(claim(R"("total": 1000, "hospital_level": 1)")), R"("basic": 100.00)"));
  CHECK(has(p.settle_one(claim(R"("total": 1000, "hospital_level": 3)")), R"("code": "unspecified")"));
}

TEST_CASE("a payout is rounded half-up to 0.01 once", "[eval]") {
  TestPolicy p("param share: rate = 50%\n", "share * claim.compliant");
  CHECK(has(p.settle_one(claim(R"("total": 0.01)")), R"("basic": 0.01)"));  // 0.005 -> 0.01
  CHECK(has(p.settle_one(claim(R"("total": 0.03)")), R"("basic": 0.02)"));  // 0.015 -> 0.02
  TestPolicy q("param share: rate = 33.3333%\n", "share * claim.compliant");
  CHECK(has(q.settle_one(claim(R"("total": 0.03)")), R"("basic": 0.01)"));  // 0.0099999 -> 0.01
}

TEST_CASE("date rules: months clamp to the month's end, next month, waiting periods", "[eval]") {
  TestPolicy months("rule start_of_cover: date = 2024-11-30 + 3 months\n");
  CHECK(has(months.settle_one(R"({"id": "r", "person": {"birth_date": "1980-01-01"}})"), R"("coverage": {"reason": "no_coverage"})"));
  TestPolicy next("rule start_of_cover: date = next_month_start(2024-01-31)\n");
  CHECK(has(next.settle_one(R"({"id": "r", "person": {"birth_date": "1980-01-01"}})"), R"("from": "2024-02-01")"));
  TestPolicy clamp("rule start_of_cover: date = 2024-01-31 + 1 months\n");
  CHECK(has(clamp.settle_one(R"({"id": "r", "person": {"birth_date": "1980-01-01"}})"), R"("from": "2024-02-29")"));
  // The stdlib's waiting period through late_start: paid 2024-03-01 + 90 days = 2024-05-30.
  TestPolicy late("");
  CHECK(has(late.settle_one(R"({"id": "r", "person": {"birth_date": "1980-01-01"}, "enrollment": {"paid_on": "2024-03-01"}})"),
            R"("from": "2024-05-30")"));
}

TEST_CASE("age on a birthday: a minor is under 18 on the claim's date", "[eval]") {
  TestPolicy p("", "if minor then 1 else 2");
  CHECK(has(p.settle_one(claim(R"("total": 10, "date": "2024-03-04")", R"("id": "p", "birth_date": "2006-03-05")")), R"("basic": 1.00)"));
  CHECK(has(p.settle_one(claim(R"("total": 10, "date": "2024-03-05")", R"("id": "p", "birth_date": "2006-03-05")")), R"("basic": 2.00)"));
}

TEST_CASE("unspecified answers only where it is needed", "[eval]") {
  TestPolicy p("param rate_unknown: rate = unspecified \"按规定予以报销\"\n", "rate_unknown * claim.compliant");
  const std::string r = p.settle_one(claim(R"("total": 1000)"));
  CHECK(has(r, R"x("settlement": {"error": {"code": "unspecified", "message": "t-2024 does not publish `rate_unknown` (source: 按规定予以报销)", "name": "rate_unknown"}})x"));
  CHECK(has(r, R"("coverage": {"from": "2024-01-01", "to": "2024-12-31"})"));  // other sections unaffected
  // A claim before the year is before_coverage without the rate.
  CHECK(has(p.settle_one(claim(R"("total": 1000, "date": "2023-12-31")")), R"("reason": "before_coverage")"));
}

TEST_CASE("a table's partial key range answers unspecified outside it", "[eval]") {
  TestPolicy p("param ded: money by level 1..2 { 1: 0, 2: 200 }\n", "ded[claim.hospital_level]");
  CHECK(has(p.settle_one(claim(R"("total": 1000, "hospital_level": 2)")), R"("basic": 200.00)"));
  CHECK(has(p.settle_one(claim(R"("total": 1000, "hospital_level": 3)")), R"("name": "ded")"));
}

TEST_CASE("caps and ledgers: assessed claims only, across claims of one person", "[eval]") {
  TestPolicy p("param cap: money = 1000\nledger paid: money\nafter settlement { paid += basic }\n",
               "capped(claim.compliant, cap, paid)");
  const auto results = p.settle({
      claim(R"("total": 600)"),
      claim(R"("total": 600, "date": "2023-05-05")"),  // before the year: not assessed, ledger unchanged
      claim(R"("total": 600)"),                        // 400 left of the cap
      claim(R"("total": 600)"),                        // nothing left
      claim(R"("total": 600)", R"("id": "p2", "birth_date": "1980-05-05")"),  // another person
  });
  CHECK(has(results[0], R"("basic": 600.00)"));
  CHECK(has(results[1], R"("reason": "before_coverage")"));
  CHECK(has(results[2], R"("basic": 400.00)"));
  CHECK(has(results[3], R"("basic": 0.00)"));
  CHECK(has(results[4], R"("basic": 600.00)"));
}

TEST_CASE("overflow is an error of its section, and leaves the ledger unchanged", "[eval]") {
  TestPolicy p("ledger seen: money\nafter settlement { seen += claim.total }\n", "claim.total + seen - seen");
  // Each claim is legal (below 10^12); the ledger passes int64's 9.2 * 10^12 yuan on the 10th.
  std::vector<std::string> lines(11, claim(R"("total": 999999999999.99)"));
  const auto results = p.settle(lines);
  CHECK(has(results[8], R"("reason": null)"));
  CHECK(has(results[9], R"("code": "overflow")"));
  CHECK(has(results[10], R"("code": "overflow")"));  // the failed claim added nothing: still too large
}

TEST_CASE("request checks answer bad_input naming the field", "[eval]") {
  TestPolicy p("");
  CHECK(p.settle_one(claim(R"("total": 100, "compliant": 200)")) ==
        R"({"id": "r", "error": {"code": "bad_input", "message": "line 1: claim.compliant: may not exceed `claim.total`"}})" "\n");
  CHECK(has(p.settle_one(R"({"id": "r", "person": {"birth_date": "1980-05-05"}, "claim": {"kind": "inpatient", "date": "2024-03-05", "hospital_level": 2, "total": 100}})"),
            "person.id: is required when the request has a claim"));
  CHECK(has(p.settle_one(claim(R"("total": 100, "class_b": 60, "tcm_drug": 50)")), "class_b + special_drug + tcm_drug"));
}

TEST_CASE("ledgers saved and resumed: two batches equal one run", "[eval][ledger]") {
  TestPolicy p("param cap: money = 5000\nledger paid: money\nledger seen: money by level\n"
               "after settlement { paid += basic  seen[claim.hospital_level] += claim.total }\n",
               "capped(50% * claim.compliant + 0% * seen[claim.hospital_level], cap, paid)");
  std::mt19937 rng(42);
  std::vector<std::string> lines;
  for (int i = 0; i < 400; ++i) {
    const std::string person = "p" + std::to_string(rng() % 23);
    const std::string level = std::to_string(1 + rng() % 3);
    const std::string total = std::to_string(rng() % 3000) + "." + std::to_string(10 + rng() % 90);
    lines.push_back(claim(R"("hospital_level": )" + level + R"(, "total": )" + total, R"("id": ")" + person + R"(", "birth_date": "1980-05-05")"));
  }
  const auto one_run = p.settle(lines);
  const fs::path ledger_file = p.dir / "ledger.jsonl";
  for (size_t split : {size_t{1}, size_t{57}, size_t{200}, size_t{399}}) {
    LedgerStore first(p.program->policy_id, ledger_slot_names(*p.program));
    auto a = p.settle(std::vector<std::string>(lines.begin(), lines.begin() + static_cast<long>(split)), &first);
    REQUIRE(first.save_file(ledger_file.string()).ok());
    LedgerStore second(p.program->policy_id, ledger_slot_names(*p.program));
    REQUIRE(second.load_file(ledger_file.string()).ok());
    auto b = p.settle(std::vector<std::string>(lines.begin() + static_cast<long>(split), lines.end()), &second);
    a.insert(a.end(), b.begin(), b.end());
    INFO("split at " << split);
    CHECK(a == one_run);
  }
}
