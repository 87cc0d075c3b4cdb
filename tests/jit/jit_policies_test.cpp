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
#include "seed_policies.h"

using namespace yibao;

namespace {

std::vector<std::string> settle_all(const ir::Program& program, const std::vector<std::string>& lines,
                                    LedgerStore& ledgers, SettleOptions options) {
  auto settler = Settler::create(program, ledgers, std::move(options));
  REQUIRE(settler);
  std::uint64_t n = 0;
  return test::settle_lines(*settler, lines, n);
}

}  // namespace

TEST_CASE("the JIT settles the seed policies' requests as the interpreter does", "[jit]") {
  for (const test::Seed& seed : test::seed_policies()) {
    INFO(seed.id);
    const ir::Program& program = *seed.program;
    auto jit = jit::JitProgram::compile(program);
    INFO((jit ? std::string() : jit.error()));
    REQUIRE(jit);
    const auto& lines = seed.lines;
    LedgerStore interpreted(program.policy_id, ledger_slot_names(program));
    LedgerStore compiled(program.policy_id, ledger_slot_names(program));
    const auto expected = settle_all(program, lines, interpreted, {});
    SettleOptions options;
    options.engine = jit::engine_factory(*jit);
    const auto got = settle_all(program, lines, compiled, options);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      INFO("line " << i + 1 << ": " << lines[i]);
      REQUIRE(got[i] == expected[i]);
    }
    std::string a;
    std::string b;
    for (std::size_t i = 0; i < interpreted.size(); ++i) interpreted.append_line(i, a);
    for (std::size_t i = 0; i < compiled.size(); ++i) compiled.append_line(i, b);
    CHECK(a == b);
  }
}
