// Example coverage (compiler/coverage.h): which rules and table cells worked
// examples exercise. A small policy whose examples leave known rules and
// cells unused, and the seed policies' own examples.
#include <catch2/catch.hpp>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/coverage.h"
#include "compiler/examples.h"
#include "lang/diagnostics_render.h"
#include "lang/parser.h"

using namespace yibao;
using namespace yibao::compiler;
namespace fs = std::filesystem;

namespace {

const char* const kPolicy = R"(policy cover-2024 "覆盖测试" {
  region "测试"
  year 2024
  source "none.txt"
}
use std.resident
rule eligible: bool = true
rule contribution_standard: money = 380
param window_end: date = 2023-12-31
fn late_start(paid: date): date = paid
param deductible: money by level {
  1: 200
  2: 500
  3: unspecified "三级医院起付标准未公布"
}
rule base: money = max(0, claim.compliant - deductible[claim.hospital_level])
rule outpatient_pay: money = 50% * claim.compliant
payout basic: money = if claim.kind == outpatient then outpatient_pay else 60% * base
payout critical: money = 0
)";

const char* const kExamples = R"(examples for cover-2024
example "住院一级" {
  person.id = "a"
  person.birth_date = 1970-01-01
  claim.kind = inpatient
  claim.date = 2024-03-01
  claim.hospital_level = 1
  claim.total = 1200
  expect settlement.basic = 600.00
}
example "住院三级：起付标准未公布" {
  person.id = "b"
  person.birth_date = 1970-01-01
  claim.kind = inpatient
  claim.date = 2024-03-01
  claim.hospital_level = 3
  claim.total = 1200
  expect settlement.error = unspecified
}
)";

struct Compiled {
  SourceManager sources;
  std::optional<ir::Program> program;
  std::vector<Example> examples;
};

void compile(Compiled& c, const std::string& policy_path, const std::string& policy, const std::string& examples_text,
             bool fold) {
  Diagnostics diagnostics;
  CompileOptions options;
  options.fold = fold;
  const FileId file = c.sources.add(policy_path, policy);
  c.program = compile_policy(c.sources, file, options, diagnostics);
  const FileId ex = c.sources.add("cover.test.yb", examples_text);
  const ParseResult parsed = parse(c.sources, ex, diagnostics);
  INFO(render_text(diagnostics, c.sources));
  REQUIRE(c.program);
  REQUIRE(parsed.file);
  c.examples = lower_examples(*parsed.file, *c.program, c.sources, diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
}

bool listed(const std::vector<CoverageItem>& items, const std::string& name) {
  return std::any_of(items.begin(), items.end(), [&](const CoverageItem& i) { return i.name == name; });
}

}  // namespace

TEST_CASE("coverage: rules and cells the examples leave unused", "[coverage]") {
  Compiled c;
  compile(c, "cover/2024.yb", kPolicy, kExamples, false);
  const auto coverage = measure_coverage(*c.program, c.examples);
  REQUIRE(coverage);
  CHECK(coverage->policy == "cover-2024");
  CHECK(coverage->requests == 2);
  // The deductible table: level 1 read, level 3 read (unspecified counts), level 2 never.
  CHECK(coverage->cells == 3);
  CHECK(coverage->cells_covered == 2);
  REQUIRE(coverage->uncovered_cells.size() == 1);
  CHECK(coverage->uncovered_cells[0].name == "deductible[2]");
  CHECK(coverage->uncovered_cells[0].at == "cover/2024.yb:11");
  // No example is an outpatient claim.
  CHECK(listed(coverage->uncovered_rules, "outpatient_pay"));
  CHECK_FALSE(listed(coverage->uncovered_rules, "base"));
  CHECK_FALSE(listed(coverage->uncovered_rules, "basic"));
  // Parameters are values, not rules.
  CHECK_FALSE(listed(coverage->uncovered_rules, "window_end"));
  CHECK(coverage->rules_covered + static_cast<std::int64_t>(coverage->uncovered_rules.size()) == coverage->rules);

  const std::string text = render_coverage_text(*coverage);
  CHECK(text.find("cover-2024: rules ") == 0);
  CHECK(text.find("table cells 2/3 covered (66.7%)") != std::string::npos);
  CHECK(text.find("cover/2024.yb:11  deductible[2]\n") != std::string::npos);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const std::string json = render_coverage_json(*coverage);
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  CHECK(int64_t(doc["cells_covered"]) == 2);
}

TEST_CASE("coverage: an example more covers more", "[coverage]") {
  Compiled c;
  const std::string more = std::string(kExamples) + R"(example "门诊二级" {
  person.id = "c"
  person.birth_date = 1970-01-01
  claim.kind = outpatient
  claim.date = 2024-03-01
  claim.hospital_level = 2
  claim.total = 100
  expect settlement.basic = 50.00
}
)";
  compile(c, "cover/2024.yb", kPolicy, more, false);
  const auto coverage = measure_coverage(*c.program, c.examples);
  REQUIRE(coverage);
  // The outpatient claim takes the other branch: base (and the table) is not needed for it.
  CHECK_FALSE(listed(coverage->uncovered_rules, "outpatient_pay"));
  CHECK(coverage->cells_covered == 2);
}

TEST_CASE("coverage: the seed policies' examples", "[coverage]") {
  // Every seed policy: counts add up, and what is listed as uncovered exists.
  fs::path saved = fs::current_path();
  fs::current_path(YIBAO_SOURCE_DIR);
  for (const char* path : {"policies/liaoyuan/2023.yb", "policies/national/2024.yb", "policies/dianjiang/2024.yb"}) {
    INFO(path);
    SourceManager sources;
    Diagnostics diagnostics;
    CompileOptions options;
    options.fold = false;
    const auto program = compile_policy(sources, path, options, diagnostics);
    REQUIRE(program);
    const auto file = load_source(sources, examples_path_for(path), diagnostics);
    REQUIRE(file);
    const ParseResult parsed = parse(sources, *file, diagnostics);
    const auto examples = lower_examples(*parsed.file, *program, sources, diagnostics);
    REQUIRE_FALSE(diagnostics.has_errors());
    const auto coverage = measure_coverage(*program, examples);
    REQUIRE(coverage);
    CHECK(coverage->rules_covered > 0);
    CHECK(coverage->rules_covered + static_cast<std::int64_t>(coverage->uncovered_rules.size()) == coverage->rules);
    CHECK(coverage->cells_covered + static_cast<std::int64_t>(coverage->uncovered_cells.size()) == coverage->cells);
    for (const auto& r : coverage->uncovered_rules)
      CHECK(std::any_of(program->rules.begin(), program->rules.end(), [&](const ir::Rule& x) { return x.name == r.name; }));
  }
  fs::current_path(saved);
}
