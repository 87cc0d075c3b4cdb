// install(): the JIT as the runtime's provider for EngineKind::jit
// (engine_provider.h). A RuleSet loaded with the JIT compiles its program
// here, once, and hands the factory to every Session.
#include "yibao/engine_provider.h"
#include "yibao/jit.h"
#include "yibao/yibao_jit.h"

namespace yibao::jit {

namespace {

Expected<EngineFactory> provide(const ir::Program& program, const RuleSetOptions& options) {
  auto compiled = JitProgram::compile(program, JitOptions{.opt_level = options.jit.opt_level,
                                                          .tier_up = options.jit.tier_up,
                                                          .cache_dir = options.jit.cache_dir});
  if (!compiled) return Error{compiled.error()};
  return EngineFactory(engine_factory(std::move(*compiled)));
}

}  // namespace

void install() noexcept { set_engine_provider(EngineKind::jit, &provide); }

}  // namespace yibao::jit

extern "C" void yibao_jit_install(void) { yibao::jit::install(); }
