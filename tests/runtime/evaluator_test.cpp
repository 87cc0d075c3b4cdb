// The interpreter's two engines against each other: the bytecode that
// evaluate() runs and the node walk it was lowered from must give the same
// results, errors, traces, checks and ledgers on any program. Programs here
// are random but well typed (as the compiler's would be), with every op of
// ir_ops.def, shared nodes, rules calling rules, unspecified values, keys
// outside tables and ledgers, overflows, and sections with reasons,
// `otherwise`, `when` and ledger updates. Without tracing, rules referenced
// once are inlined by the bytecode, so both ways of computing a rule are
// compared with the walk.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "yibao/evaluator.h"
#include "yibao/ir.h"
#include "yibao/request.h"
#include "yibao/values.h"

#include "random_program.h"

using namespace yibao;
using namespace yibao::testing;
using ir::Op;

TEST_CASE("the bytecode gives what the node walk gives, on random programs", "[evaluator]") {
  std::mt19937_64 rng(20240501);
  int programs_compiled = 0;
  int programs_inlining = 0;  // with rules computed at their only reference
  int sections_seen[4] = {};
  int inputs_seen[7] = {};  // by TraceInputKind
  for (int program = 0; program < 1000; ++program) {
    const ir::Program p = random_program(rng);
    INFO("program " << program);
    for (const bool tracing : {false, true}) {
      Evaluator fast(p);
      Evaluator walk(p, EvaluatorOptions{.bytecode = false});
      fast.set_tracing(tracing);
      walk.set_tracing(tracing);
      Request request(p.schema);
      SideBySide both(p);
      for (int i = 0; i < 40; ++i) {
        INFO("request " << i << (tracing ? " (tracing)" : ""));
        random_request(rng, request);
        both.settle(fast, walk, request, i);
        require_same_trace(fast.trace(), walk.trace());
        // explain's inputs: the same reads, grouped by step the same way.
        REQUIRE(fast.trace_inputs() == walk.trace_inputs());
        for (std::size_t s = 0; s < fast.trace().size(); ++s) {
          REQUIRE(fast.trace()[s].inputs_first == walk.trace()[s].inputs_first);
          REQUIRE(fast.trace()[s].inputs_count == walk.trace()[s].inputs_count);
        }
        if (!tracing) REQUIRE(fast.trace_inputs().empty());
        for (const TraceInput& input : fast.trace_inputs()) ++inputs_seen[static_cast<int>(input.kind)];
        for (const SectionOutcome& o : both.a.sections) ++sections_seen[static_cast<int>(o.kind)];
      }
      if (fast.compiled()) ++programs_compiled;
      if (fast.inlined_rules() > 0) ++programs_inlining;
      if (tracing) CHECK(fast.inlined_rules() == 0);  // every rule keeps its step
      CHECK_FALSE(walk.compiled());
    }
  }
  // The programs exercise what they should: bytecode really ran, and every
  // kind of section outcome came up.
  CHECK(programs_compiled == 2000);
  CHECK(programs_inlining > 200);
  for (const int seen : sections_seen) CHECK(seen > 100);
  for (const int seen : inputs_seen) CHECK(seen > 100);  // every kind of input was traced
}

TEST_CASE("constant folding still walks the nodes", "[evaluator]") {
  ir::Program p;
  p.schema = make_schema();
  std::mt19937_64 rng(1);
  Generator g(rng, p);
  const std::int32_t a = g.constant(T::money, 5'000'000);
  const std::int32_t b = g.constant(T::money, 7'000'000);
  const std::int32_t sum = g.node(Op::add, T::money, {a, b});
  const std::int32_t big = g.constant(T::money, INT64_MAX);
  const std::int32_t overflow = g.node(Op::add, T::money, {big, b});
  Evaluator e(p);
  std::int64_t out = 0;
  REQUIRE(e.fold(static_cast<std::uint32_t>(sum), out));
  CHECK(out == 12'000'000);
  CHECK_FALSE(e.fold(static_cast<std::uint32_t>(overflow), out));
  CHECK_FALSE(e.compiled());  // fold never lowers the program
}
