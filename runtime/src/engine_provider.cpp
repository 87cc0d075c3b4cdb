// The engine providers (engine_provider.h): one slot per EngineKind that
// needs one, atomic so that install() may race with loads on other threads.
#include "yibao/engine_provider.h"

#include <atomic>

namespace yibao {

namespace {

std::atomic<EngineProvider> jit_provider{nullptr};

}  // namespace

EngineProvider set_engine_provider(EngineKind kind, EngineProvider provider) noexcept {
  if (kind != EngineKind::jit) return nullptr;
  return jit_provider.exchange(provider);
}

EngineProvider engine_provider(EngineKind kind) noexcept {
  return kind == EngineKind::jit ? jit_provider.load() : nullptr;
}

}  // namespace yibao
