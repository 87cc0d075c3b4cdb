// engine_provider.h: how an engine that the runtime does not link is made
// available to RuleSetOptions::engine.
//
// The runtime builds and links without LLVM, so it cannot compile a policy
// to native code itself. The JIT library (runtime/jit, CMake target
// yibao::jit) holds the compiler; it installs a provider here when the
// embedder calls yibao::jit::install() (or yibao_jit_install() from C).
// RuleSet::from_program / load / load_file then call the provider once per
// RuleSet, and every Session made from that RuleSet uses the factory it
// returned.
//
// Why an explicit call and not a registrar object that installs itself at
// start-up: the libraries are static by default, and a linker drops an
// object file of a static library that nothing references, so a
// self-registering JIT would silently be absent from some programs. A call
// to install() references the JIT, which is then linked for certain.
//
// Thread safety: set_engine_provider and engine_provider may be called from
// any thread; a provider installed before a RuleSet is loaded is seen by
// that load.
#pragma once

#include "yibao/engine.h"
#include "yibao/expected.h"
#include "yibao/ir.h"
#include "yibao/rule_set.hpp"

namespace yibao {

// Compiles `program` once, as `options` ask (RuleSetOptions::jit), and
// returns the factory of its engines (one per Session, i.e. per thread).
// `program` is the RuleSet's own and outlives every engine the factory
// makes while the RuleSet lives. Fails with a message when the program
// cannot be compiled.
using EngineProvider = Expected<EngineFactory> (*)(const ir::Program& program, const RuleSetOptions& options);

// Installs `provider` for `kind` (null removes it) and returns the one it
// replaces. EngineKind::interpreter is built in: a provider for it is
// ignored (and null is returned).
EngineProvider set_engine_provider(EngineKind kind, EngineProvider provider) noexcept;

// The provider installed for `kind`, or null (always null for the
// interpreter, which needs none).
EngineProvider engine_provider(EngineKind kind) noexcept;

}  // namespace yibao
