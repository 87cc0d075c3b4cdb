// The JIT against the interpreter's node walk (the reference) on random,
// well-typed programs (tests/runtime/random_program.h): the same failing
// check, the same Result (errors with their node, unspecified index, table
// and key), and the same ledgers, request after request.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "runtime/random_program.h"
#include "yibao/jit.h"

using namespace yibao;
using namespace yibao::testing;

TEST_CASE("the JIT gives what the node walk gives, on random programs", "[jit]") {
  std::mt19937_64 rng(20261122);
  int sections_seen[4] = {};
  int failing_checks = 0;
  for (int program = 0; program < 300; ++program) {
    const ir::Program p = random_program(rng);
    INFO("program " << program);
    // No tiering: a background thread per program would only slow the test
    // (jit_tier_test.cpp covers the tiers).
    auto compiled = jit::JitProgram::compile(p, jit::JitOptions{.tier_up = false});
    INFO((compiled ? std::string() : compiled.error()));
    REQUIRE(compiled);
    auto engine = jit::make_engine(*compiled);
    Evaluator walk(p, EvaluatorOptions{.bytecode = false});
    Request request(p.schema);
    SideBySide both(p);
    for (int i = 0; i < 40; ++i) {
      INFO("request " << i);
      random_request(rng, request);
      if (both.settle(*engine, walk, request, i) >= 0) ++failing_checks;
      for (const SectionOutcome& o : both.a.sections) ++sections_seen[static_cast<int>(o.kind)];
    }
  }
  // The programs exercise what they should: every kind of outcome, and checks that fail.
  for (const int seen : sections_seen) CHECK(seen > 100);
  CHECK(failing_checks > 100);
}
