// coverage.h: which rules and table cells a policy's worked examples
// exercise (`yibao test --coverage`), and which none does: the rules an
// analyst has not yet checked against the source by a worked example.
//
// The examples are settled as `yibao test` settles them (each example with
// fresh ledgers, its requests in order) by the node-walking evaluator with
// tracing on, which reports every rule it computes and every table cell it
// reads (an unspecified cell counts as read). Use the program lowered
// without folding: folding computes constant rules and constant-key cells
// once at compile time, so that the examples would never be seen to use
// them.
//
// Rules that stand for a parameter (`rule standard = 400.00`, which every
// program has for each parameter) are values, not rules: not counted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/examples.h"
#include "yibao/expected.h"
#include "yibao/ir.h"

namespace yibao::compiler {

struct CoverageItem {
  std::string name;  // `critical_threshold_here`, `inpatient_deductible[3]`, `rate[1, local]`
  std::string at;    // `policies/liaoyuan/2023.yb:60` (a cell: its table's line)
};

struct Coverage {
  std::string policy;
  std::int64_t requests = 0;  // example requests settled
  std::int64_t rules = 0, rules_covered = 0;
  std::int64_t cells = 0, cells_covered = 0;
  std::vector<CoverageItem> uncovered_rules;  // in source order
  std::vector<CoverageItem> uncovered_cells;  // by table (source order), then cell
};

// Settles every example of `program` and records what they used.
Expected<Coverage> measure_coverage(const ir::Program& program, const std::vector<Example>& examples);

// `liaoyuan-2023: rules 40/52 covered (76.9%), table cells 9/12 covered (75.0%)`
// and the uncovered ones, one a line with its source line.
std::string render_coverage_text(const Coverage& coverage);
// One JSON object (one line); docs/tools.md gives its members.
std::string render_coverage_json(const Coverage& coverage);

}  // namespace yibao::compiler
