// yibao.hpp: the one include of the C++ embedding API (docs/embedding.md).
//
//   auto rules = yibao::RuleSet::load_file("dianjiang-2024.ybc");   // once, shared
//   auto session = yibao::Session::create(*rules);                  // one per thread
//   std::string_view result = session->settle(request_line);        // the JSON result line
//   const yibao::Outcome& o = session->evaluate(request);           // or values
//   std::optional<yibao::Money> basic = o.money("settlement", "basic");
//
// Errors are values (Expected, Status, a refused Outcome); nothing throws
// out of the library but std::bad_alloc, and nothing prints.
//
// What is promised to stay (docs/embedding.md, "Compatibility"): the names
// declared in this header and in rule_set.hpp, session.hpp, resident.hpp,
// batch.hpp and yibao.h, within a major version. The other headers it
// includes (ir.h, evaluator.h, ...) are the runtime's internals, installed
// because these need them.
#pragma once

#include <memory>

#include "yibao/batch.hpp"
#include "yibao/date.h"
#include "yibao/expected.h"
#include "yibao/ledger.h"
#include "yibao/money.h"
#include "yibao/resident.hpp"
#include "yibao/rule_set.hpp"
#include "yibao/session.hpp"

struct yibao_rule_set;

namespace yibao {

// The library's version (the project's, "0.1.0").
extern const char* const kVersion;

// A C handle (yibao.h) sharing a C++ rule set, for a C++ host that hands
// rules to C code; null when out of memory. Free with yibao_rule_set_free.
yibao_rule_set* c_handle(std::shared_ptr<const RuleSet> rule_set);

}  // namespace yibao
