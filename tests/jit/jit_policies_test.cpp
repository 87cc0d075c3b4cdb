// The JIT against the interpreter on the seed policies: every request of
// policies/*/*.requests.jsonl, settled by a Settler on each engine with its
// own ledger store, must give the same result line, byte for byte, and the
// same ledgers afterwards. (tests/jit/differential.sh does the same through
// `yibao eval` on generated requests, with bad inputs and ledger batches.)
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "yibao/jit.h"
#include "yibao/settle.h"
#include "tests/support/seed_policies.h"

using namespace yibao;

TEST_CASE("the JIT settles the seed policies' requests as the interpreter does", "[jit]") {
  for (const test::Seed& seed : test::seed_policies()) {
    INFO(seed.id);
    const ir::Program& program = *seed.program;
    auto jit = jit::JitProgram::compile(program);
    INFO((jit ? std::string() : jit.error()));
    REQUIRE(jit);
    const auto& lines = seed.lines;
    test::SettlerPair pair(program, jit::engine_factory(*jit));
    std::uint64_t n_interpreter = 0;
    std::uint64_t n_engine = 0;
    const auto expected = test::settle_lines(*pair.interpreter, lines, n_interpreter);
    const auto got = test::settle_lines(*pair.engine, lines, n_engine);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO("line " << i + 1 << ": " << lines[i]);
      REQUIRE(got[i] == expected[i]);
    }
    CHECK(pair.same_ledgers());
  }
}
