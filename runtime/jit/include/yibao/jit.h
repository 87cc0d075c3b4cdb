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
// Thread safety: a JitProgram may be shared once compiled (the switch to
// the final tier is one atomic pointer, docs/jit.md "Tiers"); each thread
// makes its own engine (one request's scratch) from it. The ir::Program must
// outlive the JitProgram.
#pragma once

#include <memory>
#include <string>

#include "yibao/engine.h"
#include "yibao/expected.h"
#include "yibao/ir.h"

namespace yibao::jit {

struct JitOptions {
  // 0: no IR passes, quick code generation (FastISel, fast register
  // allocation); 1: a few IR passes chosen for this IR (jit.cpp), quick code
  // generation: compiles in about a third of the time of 2, runs about a
  // quarter slower; 2: the same passes, optimising code generation; 3
  // (default): LLVM's -O2 pipeline, optimising code generation (compiles in
  // about twice the time of 2, on the background thread when tiering, and
  // runs liaoyuan-2023 about 10% faster). Figures: docs/performance.md.
  int opt_level = 3;
  // Tiered compilation (docs/jit.md, "Tiers"), for opt_level 2 and 3:
  // compile() compiles at level 1 and returns, and one background thread
  // compiles the program again at opt_level; every engine runs the faster
  // code from its next call once it is ready. false: compile() compiles at
  // opt_level itself and starts no thread. (Levels 0 and 1 never tier.)
  bool tier_up = true;
  // A directory for compiled code kept between runs (docs/jit.md, "The
  // object cache"), or empty for none. Each tier's object is stored there
  // once compiled; when the opt_level's object is already there, compile()
  // loads it and starts no background compile. Whoever can write into the
  // directory can make this process run their code: keep it the user's own
  // (it is created readable by its owner alone).
  std::string cache_dir{};
};

struct JitStats {
  // The code compile() returned with: level 1 when tiering up, else opt_level.
  int level = 0;
  double compile_ms = 0;      // IR -> LLVM IR -> native code, wall time
  double compile_cpu_ms = 0;  // the same, CPU time of the compiling thread
  std::size_t functions = 0;  // LLVM functions generated (rules, sections, checks)
  std::size_t nodes = 0;      // IR nodes lowered (shared nodes once per use)

  // The final tier, compiled in the background at opt_level (tier_up).
  bool tiering = false;            // a background compile was started
  bool final_done = false;         // it has ended: in use, failed or abandoned
  bool upgraded = false;           // its code is in use (JitProgram::upgraded())
  int final_level = 0;             // opt_level when tiering, else `level`
  double final_compile_ms = 0;     // once done: its wall time, on its own thread
  double final_compile_cpu_ms = 0; // the same, CPU time of that thread
  std::string final_error;         // why it is not in use (tier 1 kept), or empty

  // The object cache (JitOptions::cache_dir).
  bool from_cache = false;   // the code compile() returned with was loaded from it
  std::string cache_error;   // why an object could not be stored there, or empty
};

class JitProgram {
 public:
  // Compiles `program`. Fails (with a message) only for programs that the
  // checker never produces: rules that call each other in a cycle, a tree
  // expansion beyond reason, or an LLVM failure. With tiering
  // (JitOptions::tier_up) only the first tier's failure fails here; the
  // final tier's is recorded in stats().final_error and level 1 is kept.
  static Expected<std::shared_ptr<const JitProgram>> compile(const ir::Program& program, JitOptions options = {});

  // Waits for the background compile when there is one: it is told to stop,
  // which skips the phases it has not begun, but LLVM's code generation
  // cannot be interrupted once started, so destroying a program right after
  // compile() can take up to the final tier's compile time.
  ~JitProgram();
  JitProgram(const JitProgram&) = delete;
  JitProgram& operator=(const JitProgram&) = delete;

  const ir::Program& program() const noexcept { return *program_; }
  // A snapshot: the first tier's figures, and the final tier's once done.
  JitStats stats() const;

  // The opt_level of the code the engines run from now on (1, then the
  // requested level once the final tier is in use).
  int level() const noexcept;
  bool upgraded() const noexcept;
  // Blocks until the background compile has ended (at once when there is
  // none); returns whether the requested opt_level's code is in use (false:
  // the final tier failed, stats().final_error). For benchmarks and tests:
  // engines never need it.
  bool wait_for_final_tier() const;

  struct Impl;  // the LLJITs and the entry points (jit.cpp)
  const Impl& impl() const noexcept { return *impl_; }

 private:
  JitProgram(const ir::Program& program, std::unique_ptr<Impl> impl, JitStats stats);
  const ir::Program* program_;
  std::unique_ptr<Impl> impl_;
  JitStats stats_;  // the first tier's; the final tier's live in impl_, under its mutex
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
