// doc_chart.h: what the policy pays against what care costs, for each
// hospital level and contribution tier, and its SVG picture.
//
// The curves are the engine's own answers: for every cost a request line is
// written (an adult of forty, enrolled in the concentrated window, a claim on
// 1 July of the benefit year, all of its cost compliant, no earlier claims
// that year) and settled by the runtime's RequestReader and Evaluator, the
// same path `yibao eval` takes. Nothing of the policy's arithmetic is
// repeated here. A curve the policy cannot answer (a value it leaves
// unspecified, care it does not pay) is left out with the reason.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/doc_model.h"
#include "yibao/ir.h"

namespace yibao::compiler::doc {

struct Curve {
  std::string label;   // 医院级别 1 · 缴费档次 2
  int64_t level = 0;
  int64_t tier = 0;    // 0 when every tier pays the same
  std::vector<int64_t> basic, critical;  // micro-yuan, parallel to Chart::costs
  [[nodiscard]] int64_t paid(size_t i) const { return basic[i] + critical[i]; }
};

struct Chart {
  std::string kind;        // the claim kind's member name: inpatient
  std::string kind_label;  // its label: 住院
  std::vector<int64_t> costs;  // micro-yuan, ascending
  std::vector<Curve> curves;
  std::vector<std::string> notes;  // why some curves are missing
};

// Settles one claim of `kind` (a member of the `kind` enumeration) at each
// of `costs` for every level and tier. Tiers that pay the same as tier 1 at
// every cost and level are folded into one curve per level.
Chart settle_costs(const ir::Program& program, const Labels& labels, const std::string& kind,
                   const std::vector<int64_t>& costs);

// When cover starts for a payment on a given day: the `coverage` section's
// `from`, settled by the engine for a person of forty with no claim.
struct CoverExample {
  int32_t paid = 0;       // days since 1970-01-01
  bool covered = false;   // `from` holds the first covered day
  int32_t from = 0;
  std::string note;       // otherwise: the reason, or the source's words for an unspecified value
};

// Cover for a payment on each of `paid` (days since 1970-01-01).
std::vector<CoverExample> cover_examples(const ir::Program& program, const Labels& labels,
                                         const std::vector<int32_t>& paid);

// `count` costs evenly from 0 to `max` (micro-yuan), both included.
std::vector<int64_t> cost_grid(int64_t max, int count);

// What the vertical axis shows: the amount paid, or the share of the cost
// paid (where deductibles, higher rates by bracket and caps show best).
enum class ChartScale : uint8_t { amount, share };

// The curves as an inline SVG (no scripts, no external references).
std::string chart_svg(const Chart& chart, ChartScale scale = ChartScale::amount);

}  // namespace yibao::compiler::doc
