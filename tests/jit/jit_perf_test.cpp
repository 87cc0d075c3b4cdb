// YIBAO_JIT_PERF=1 (docs/jit.md, "Profiling"): the JIT describes the code
// it generates to `perf` in a jit-PID.dump under $JITDUMPDIR, and the code
// settles as it does without it. (ctest runs each test case in a process of
// its own: LLVM opens the dump file once per process.)
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>
#include <unistd.h>

#include "tests/support/seed_policies.h"
#include "yibao/jit.h"

using namespace yibao;
using namespace yibao::test;

TEST_CASE("JIT: YIBAO_JIT_PERF=1 writes a perf jitdump and changes no answer", "[jit][perf]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("yibao-jit-perf-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  REQUIRE(::setenv("JITDUMPDIR", dir.c_str(), 1) == 0);
  REQUIRE(::setenv("YIBAO_JIT_PERF", "1", 1) == 0);

  const std::vector<Seed> seeds = seed_policies();
  const Seed& seed = seeds.front();
  auto compiled = jit::JitProgram::compile(*seed.program, jit::JitOptions{.tier_up = false});
  ::unsetenv("YIBAO_JIT_PERF");
  INFO((compiled ? std::string() : compiled.error()));
  REQUIRE(compiled);

  // LLVM's listener writes <dir>/.debug/jit/<session>/jit-<pid>.dump, with
  // a record for each function loaded: more than its header.
  const std::string name = "jit-" + std::to_string(::getpid()) + ".dump";
  std::uintmax_t size = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().filename() == name) size = entry.file_size();
  }
  CHECK(size > 64);

  SettlerPair pair(*seed.program, jit::engine_factory(*compiled));
  std::uint64_t n_interpreter = 0;
  std::uint64_t n_engine = 0;
  CHECK(settle_lines(*pair.engine, seed.lines, n_engine) == settle_lines(*pair.interpreter, seed.lines, n_interpreter));
  fs::remove_all(dir);
}
