// diff.h: the semantic diff of two policies (`yibao diff OLD NEW`): what an
// analyst asks when a region publishes next year's rules, or when a city
// departs from its province. Which published values changed (parameters,
// table cells, bracket bounds and rates, dates), which rules and result
// fields now compute something else, what was added or removed, and which
// values the source left unspecified and now gives (or no longer gives).
//
// Both programs are compared by qualified name, never by node index: node
// order differs between any two programs. Expressions are compared as text
// printed without node numbers (diff_expr.h), from programs lowered without
// constant folding, so that a rule reads `standard + fiscal_subsidy` rather
// than the folded `1070.00`, and a changed parameter shows once, as a
// parameter, not again in every rule that uses it.
//
// Computing (here) is apart from rendering (diff_render.h) and from the
// impact on requests (diff_impact.h). Nothing here prints.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lang/diagnostics.h"
#include "lang/source.h"
#include "yibao/ir.h"

namespace yibao::compiler {

// The words a policy gives its vocabulary (docs/language.md): labels of
// enumeration members, enumerations, domains and ledgers. Used to say
// `aid[dibao] 低保对象` and `level 3` where the IR has only indices.
struct PolicyLabels {
  std::map<std::string, std::map<std::string, std::string>> members;  // enum -> member -> label
  std::map<std::string, std::string> enums;    // enum -> label
  std::map<std::string, std::string> domains;  // domain -> label
  std::map<std::string, std::string> ledgers;  // ledger -> label
};

// One side of a diff: the checked program without folding, and its labels.
struct DiffSide {
  std::string path;  // as given
  ir::Program program;
  PolicyLabels labels;
};

// Reads, checks and lowers the policy at `path` (without folding) and
// collects its labels; nothing when it has errors (reported in
// `diagnostics`).
std::optional<DiffSide> load_diff_side(SourceManager& sources, const std::string& path, Diagnostics& diagnostics);

// What part of the policies a change is in; the order in which they print.
enum class DiffGroup : std::uint8_t {
  policy,       // header: title, year, region, source
  params,       // published scalar values (money, rates, dates, durations, sets, ...)
  brackets,     // progressive schedules: bounds and rates, per bracket
  tables,       // table cells (and tables added or removed)
  rules,        // rules: their expressions
  sections,     // result sections: conditions, reasons, fields, ledger updates
  ledgers,      // yearly accumulations
  schema,       // request fields and enumeration members
  checks,       // request checks
  unspecified,  // values the source leaves unspecified
};
const char* diff_group_name(DiffGroup group);  // "params", "brackets", ...

enum class ChangeKind : std::uint8_t { added, removed, changed };
const char* change_kind_name(ChangeKind kind);  // "added", "removed", "changed"

// One side of a change: the value or expression as text, and where it is.
struct ChangeSide {
  std::string text;
  std::string at;  // `policies/national/2023.yb:15`; empty when the IR has no location
};

struct Change {
  DiffGroup group = DiffGroup::params;
  ChangeKind kind = ChangeKind::changed;
  std::string name;    // qualified: `standard`, `aid[dibao]`, `critical_rates bracket 2`, `settlement.basic`
  std::string label;   // the policy's words for it where it has them (`低保对象`, `level 3`), else empty
  std::string aspect;  // what about it changed: `value`, `expression`, `rate`, `bounds`, `condition`,
                       // `specified` (was unspecified), `unspecified` (now is), `words`, `label`, ...
  std::optional<ChangeSide> before;  // absent for `added`
  std::optional<ChangeSide> after;   // absent for `removed`
  // Multi-line text (expressions) prints as -/+ lines rather than `a → b`.
  bool expression = false;
};

struct PolicyDiff {
  std::string old_policy, new_policy;  // policy ids
  std::string old_path, new_path;
  std::vector<Change> changes;  // by group, then in the order of the new program (removed ones last)
  bool same() const { return changes.empty(); }
};

// Compares two programs (lowered without folding).
PolicyDiff diff_policies(const DiffSide& before, const DiffSide& after);

}  // namespace yibao::compiler
