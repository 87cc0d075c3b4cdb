// The JIT's tiers (JitOptions::tier_up, docs/jit.md "Tiers"): level-1 code
// at once, the requested level compiled on a background thread and switched
// to between requests. The results before and after the switch are the
// interpreter's; engines running on other threads during the switch agree
// too; without tiering no thread is started; and a program destroyed right
// after compile() (its background compile still running) goes cleanly.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "compiler/compile.h"
#include "lang/diagnostics_render.h"
#include "yibao/jit.h"
#include "yibao/settle.h"
#include "tests/support/seed_policies.h"

using namespace yibao;
using test::Seed;
using test::seed_policies;
using test::settle_lines;
namespace fs = std::filesystem;

namespace {

// The threads of this process (Linux: one entry per thread in /proc/self/task).
std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& task : fs::directory_iterator("/proc/self/task")) ++n;
  return n;
}

}  // namespace

TEST_CASE("JIT tiers: level-1 code first, then the requested level, both as the interpreter", "[jit][tier]") {
  for (const Seed& seed : seed_policies()) {
    INFO(seed.id);
    auto compiled = jit::JitProgram::compile(*seed.program);  // the defaults: level 3, tier_up
    const int final_level = jit::JitOptions{}.opt_level;
    INFO((compiled ? std::string() : compiled.error()));
    REQUIRE(compiled);
    const auto& jit = *compiled;
    const jit::JitStats first = jit->stats();
    CHECK(first.tiering);
    CHECK(first.level == 1);
    CHECK(first.final_level == final_level);
    CHECK(first.compile_ms > 0);

    test::SettlerPair pair(*seed.program, jit::engine_factory(jit));
    auto& interpreter = pair.interpreter;
    auto& engine = pair.engine;

    // Before the switch (unless the background compile was quicker than
    // this pass: the switch is then between two requests, which must agree
    // as well), and after it, on the same engine, ledgers carried on. (The
    // level-1 code alone, whatever the timing: the opt_level 1 test below.)
    std::uint64_t n_interpreter = 0;
    std::uint64_t n_engine = 0;
    const int level_before = jit->level();
    CHECK((level_before == 1 || level_before == final_level));
    for (int pass = 0; pass < 2; ++pass) {
      INFO("pass " << pass);
      const auto expected = settle_lines(*interpreter, seed.lines, n_interpreter);
      const auto got = settle_lines(*engine, seed.lines, n_engine);
      REQUIRE(got.size() == expected.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("line " << i + 1 << ": " << seed.lines[i]);
        REQUIRE(got[i] == expected[i]);
      }
      if (pass == 0) {
        REQUIRE(jit->wait_for_final_tier());
        CHECK(jit->upgraded());
        CHECK(jit->level() == final_level);
      }
    }
    CHECK(pair.same_ledgers());

    const jit::JitStats last = jit->stats();
    CHECK(last.final_done);
    CHECK(last.upgraded);
    CHECK(last.final_error.empty());
    CHECK(last.final_compile_ms > 0);
    CHECK(last.final_compile_cpu_ms > 0);
    CHECK(last.compile_ms == first.compile_ms);  // the first tier's figures stay
  }
}

TEST_CASE("JIT tiers: engines on other threads switch between requests and agree", "[jit][tier]") {
  const auto all = seed_policies();
  const Seed* liaoyuan = nullptr;
  for (const Seed& s : all) {
    if (s.program->policy_id == "liaoyuan-2023") liaoyuan = &s;
  }
  REQUIRE(liaoyuan != nullptr);
  const ir::Program& program = *liaoyuan->program;
  // The interpreter's lines, without ledgers carried between passes.
  std::vector<std::string> expected;
  {
    LedgerStore ledgers(program.policy_id, ledger_slot_names(program));
    auto interpreter = Settler::create(program, ledgers, {});
    REQUIRE(interpreter);
    std::uint64_t n = 0;
    expected = settle_lines(*interpreter, liaoyuan->lines, n);
  }
  for (int round = 0; round < 3; ++round) {
    auto compiled = jit::JitProgram::compile(program);
    REQUIRE(compiled);
    const auto jit = *compiled;
    // Each thread settles the requests again and again, from fresh ledgers,
    // until three passes after the switch; every pass must be the
    // interpreter's. (Catch2 asserts on the main thread only: the threads
    // count their mismatches.)
    constexpr int kThreads = 2;
    std::vector<int> mismatches(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const auto ti = static_cast<std::size_t>(t);
        SettleOptions options;
        options.engine = jit::engine_factory(jit);
        LedgerStore ledgers(program.policy_id, ledger_slot_names(program));
        auto settler = Settler::create(program, ledgers, options);  // one engine throughout
        if (!settler) {
          ++mismatches[ti];
          return;
        }
        for (int after = 0; after < 3;) {
          const bool upgraded = jit->upgraded();
          if (!upgraded && jit->stats().final_done) return;  // the final tier failed: reported below
          ledgers.clear();
          std::uint64_t n = 0;
          if (settle_lines(*settler, liaoyuan->lines, n) != expected) ++mismatches[ti];
          if (upgraded) ++after;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (int t = 0; t < kThreads; ++t) CHECK(mismatches[static_cast<std::size_t>(t)] == 0);
    CHECK(jit->upgraded());
  }
}

TEST_CASE("JIT tiers: without tier_up, or at level 1, one compile and no thread", "[jit][tier]") {
  const auto all = seed_policies();
  for (const Seed& seed : all) {
    INFO(seed.id);
    for (const jit::JitOptions& options : {jit::JitOptions{.opt_level = 2, .tier_up = false},
                                          jit::JitOptions{.opt_level = 1, .tier_up = true}}) {
      INFO("opt_level " << options.opt_level << ", tier_up " << options.tier_up);
      const std::size_t threads = thread_count();
      auto compiled = jit::JitProgram::compile(*seed.program, options);
      REQUIRE(compiled);
      CHECK(thread_count() == threads);
      const auto& jit = *compiled;
      const jit::JitStats stats = jit->stats();
      CHECK_FALSE(stats.tiering);
      CHECK(stats.level == options.opt_level);
      CHECK(stats.final_level == options.opt_level);
      CHECK(stats.final_done);
      CHECK(jit->level() == options.opt_level);
      CHECK(jit->wait_for_final_tier());  // at once: the requested level is in use
      CHECK_FALSE(jit->upgraded());

      test::SettlerPair pair(*seed.program, jit::engine_factory(jit));
      std::uint64_t n1 = 0;
      std::uint64_t n2 = 0;
      CHECK(settle_lines(*pair.engine, seed.lines, n2) == settle_lines(*pair.interpreter, seed.lines, n1));
    }
  }
}

TEST_CASE("JIT tiers: a program destroyed during its background compile", "[jit][tier]") {
  const auto all = seed_policies();
  const std::size_t threads = thread_count();
  for (const Seed& seed : all) {
    INFO(seed.id);
    // At once, and after one request with the tier-1 code.
    {
      auto compiled = jit::JitProgram::compile(*seed.program);
      REQUIRE(compiled);
      CHECK((*compiled)->stats().tiering);
    }
    {
      auto compiled = jit::JitProgram::compile(*seed.program);
      REQUIRE(compiled);
      LedgerStore ledgers(seed.program->policy_id, ledger_slot_names(*seed.program));
      SettleOptions options;
      options.engine = jit::engine_factory(*compiled);
      auto settler = Settler::create(*seed.program, ledgers, std::move(options));
      REQUIRE(settler);
      std::uint64_t n = 0;
      CHECK(settle_lines(*settler, {seed.lines.front()}, n).size() == 1);
    }
  }
  CHECK(thread_count() == threads);  // every background thread joined
}
