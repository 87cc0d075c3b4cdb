// jit.h: a whole ir::Program compiled to native code through LLVM (ORC
// LLJIT), as another engine behind the Settler (engine.h).
//
// The compiled code computes exactly what the interpreter computes (the
// node walk of evaluator.cpp is the reference): the same sections, reasons,
// values, errors (with the same failing node and unspecified index),
// memoized rules, ledger updates applied only when a section completes, and
// the same request check. Explain traces are not compiled: a Settler asked
// to explain uses the interpreter (settle.h). docs/jit.md says how the IR
// is lowered.
//
// Only this library links LLVM (the shared libLLVM); it is built when the
// CMake option YIBAO_JIT is on.
//
// Thread safety: a JitProgram is immutable once compiled and may be shared;
// each thread makes its own engine (one request's scratch) from it. The
// ir::Program must outlive the JitProgram.
#pragma once

#include <memory>

#include "yibao/engine.h"
#include "yibao/expected.h"
#include "yibao/ir.h"

namespace yibao::jit {

struct JitOptions {
  // 0: no IR passes, quick code generation (FastISel, fast register
  // allocation); 1: a few IR passes chosen for this IR (jit.cpp), quick code
  // generation: compiles in about a third of the time of 2, runs about a
  // quarter slower; 2 (default): the same passes, optimising code
  // generation; 3: LLVM's -O2 pipeline, optimising code generation (far
  // longer to compile for little gain). Figures: docs/performance.md.
  int opt_level = 2;
};

struct JitStats {
  double compile_ms = 0;      // IR -> LLVM IR -> native code, wall time
  double compile_cpu_ms = 0;  // the same, CPU time of the compiling thread
  std::size_t functions = 0;  // LLVM functions generated (rules, sections, checks)
  std::size_t nodes = 0;      // IR nodes lowered (shared nodes once per use)
};

class JitProgram {
 public:
  // Compiles `program`. Fails (with a message) only for programs that the
  // checker never produces: rules that call each other in a cycle, a tree
  // expansion beyond reason, or an LLVM failure.
  static Expected<std::shared_ptr<const JitProgram>> compile(const ir::Program& program, JitOptions options = {});

  ~JitProgram();
  JitProgram(const JitProgram&) = delete;
  JitProgram& operator=(const JitProgram&) = delete;

  const ir::Program& program() const noexcept { return *program_; }
  const JitStats& stats() const noexcept { return stats_; }

  struct Impl;  // the LLJIT and the entry points (jit.cpp)
  const Impl& impl() const noexcept { return *impl_; }

 private:
  JitProgram(const ir::Program& program, std::unique_ptr<Impl> impl, JitStats stats);
  const ir::Program* program_;
  std::unique_ptr<Impl> impl_;
  JitStats stats_;
};

// One thread's engine over a compiled program.
std::unique_ptr<Engine> make_engine(std::shared_ptr<const JitProgram> program);

// A factory for SettleOptions::engine: every Settler gets its own engine
// over the one compiled program.
EngineFactory engine_factory(std::shared_ptr<const JitProgram> program);

// Makes the JIT the runtime's engine for RuleSetOptions{.engine =
// EngineKind::jit} (engine_provider.h): call it once, before loading such a
// RuleSet; each RuleSet then compiles its program at load (JitOptions'
// defaults) and its Sessions settle with the compiled code. An explicit call
// rather than a registration at start-up, because a linker leaves out of a
// program the parts of a static library that nothing calls. Calling it
// again, from any thread, does no harm. (C: yibao_jit_install(), yibao_jit.h.)
void install() noexcept;

}  // namespace yibao::jit
