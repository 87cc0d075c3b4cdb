// diff_impact.h: what a policy change does to real requests (`yibao diff
// --requests FILE`). Every request is settled against both programs, in
// request order, each program with its own ledgers (so yearly caps and
// deductibles run as they would in production), and the two results are
// compared section by section and field by field, by name.
//
// A result "changes" when any section answers differently: another reason,
// another error, a refusal, or another value in any field. For each payout
// (a section field of money type, in either program) the impact counts the
// requests both programs answer with an amount, sums and averages the
// change, and keeps the largest changes with their request ids.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "yibao/expected.h"
#include "yibao/ir.h"
#include "yibao/line_reader.h"

namespace yibao::compiler {

struct AmountChange {
  std::string id;          // the request's id, or `line N` when it has none
  std::int64_t before = 0;  // micro-yuan
  std::int64_t after = 0;
  std::int64_t change() const { return after - before; }
};

struct PayoutImpact {
  std::string name;            // `settlement.basic`
  std::int64_t compared = 0;   // requests both programs answer with an amount here
  std::int64_t changed = 0;    // of those, with another amount
  std::int64_t only_before = 0;  // answered with an amount by the old program only
  std::int64_t only_after = 0;   // by the new program only
  std::int64_t total_change = 0;  // micro-yuan, new minus old, over the compared requests
  std::int64_t mean_change = 0;   // total_change / compared, rounded half away from zero
  std::vector<AmountChange> largest;  // by |change| descending, then request order
};

struct RequestImpact {
  std::int64_t requests = 0;
  std::int64_t changed = 0;  // results that differ in any way
  std::vector<std::string> changed_ids;  // the first few, in request order
  std::vector<PayoutImpact> payouts;     // in section then field order (new program first)
};

struct ImpactOptions {
  std::size_t largest = 5;      // changes kept per payout
  std::size_t changed_ids = 10;  // ids of changed results kept
};

// Settles every line of `lines` against both programs. Fails when reading
// fails or a sum overflows; refused requests are results like any other.
Expected<RequestImpact> request_impact(const ir::Program& before, const ir::Program& after, LineReader& lines,
                                       const ImpactOptions& options = {});

}  // namespace yibao::compiler
