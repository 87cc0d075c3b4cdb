// The object cache's key (runtime/jit/src/object_cache.h): the same module
// gives the same key from one compile to the next (else a cache would never
// hit), and anything the object depends on changes it: the program, the
// level, whether the module is keyed before or after the passes, and the
// build of the optimiser that a key before the passes stands for.
#include <catch2/catch.hpp>

#include <memory>
#include <regex>
#include <string>

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/TargetSelect.h>

#include "codegen.h"
#include "frame.h"
#include "object_cache.h"
#include "tests/support/seed_policies.h"

using namespace yibao;

namespace {

// The key of `program`'s module as generated, for `optimiser`, at `level`.
std::string key_of(const ir::Program& program, int level, const std::string& optimiser) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::LLVMContext context;
  llvm::Module module(program.policy_id, context);
  jit::JitStats stats;
  const jit::FrameLayout layout(program);
  REQUIRE_FALSE(jit::generate(program, layout, module, stats));
  auto target = llvm::orc::JITTargetMachineBuilder::detectHost();
  REQUIRE(static_cast<bool>(target));
  auto machine = target->createTargetMachine();
  REQUIRE(static_cast<bool>(machine));
  module.setDataLayout((*machine)->createDataLayout());
  module.setTargetTriple((*machine)->getTargetTriple().str());
  return jit::object_cache_key(module, **machine, level, optimiser);
}

}  // namespace

TEST_CASE("JIT object cache keys: stable for one module, changed by whatever the object depends on",
          "[jit][cache]") {
  const auto seeds = test::seed_policies();
  REQUIRE(seeds.size() >= 2);
  const ir::Program& a = *seeds[0].program;
  const ir::Program& b = *seeds[1].program;
  const std::string& optimiser = jit::optimiser_identity();

  const std::string key = key_of(a, 2, optimiser);
  CHECK(std::regex_match(key, std::regex("[0-9a-f]{64}")));
  CHECK(key_of(a, 2, optimiser) == key);  // a module generated again hashes the same
  CHECK(key_of(b, 2, optimiser) != key);
  CHECK(key_of(a, 1, optimiser) != key);
  CHECK(key_of(a, 2, "") != key);                       // keyed after the passes
  CHECK(key_of(a, 2, optimiser + "-rebuilt") != key);   // another build of the optimiser
}

TEST_CASE("JIT object cache: the optimiser's identity is the build ids of yibao's code and LLVM's", "[jit][cache]") {
  // Debian's toolchain links a build id into every ELF file; without one
  // the identity would be empty and keys would take the optimised module.
  CHECK(std::regex_match(jit::optimiser_identity(), std::regex("[0-9a-f]{16,}/[0-9a-f]{16,}")));
  CHECK(&jit::optimiser_identity() == &jit::optimiser_identity());  // read once
}
