// rule_set.hpp: a loaded policy, ready to evaluate, shared by every thread
// of an embedder (part of the embedding API, see yibao.hpp).
//
// A RuleSet is immutable once made: it holds the policy's IR and what every
// Session needs from it (ledger slot names, the bindings of the resident
// request structs to the policy's schema), computed once. Share it through
// the std::shared_ptr that the factories return; Sessions keep it alive.
//
// Engines: the interpreter (bytecode over the IR) is always there. The JIT
// is asked for by RuleSetOptions::engine: the runtime links without LLVM, so
// the embedder links yibao::jit and calls yibao::jit::install() once before
// loading (engine_provider.h says why). The policy is then compiled to
// native code once, at load, and every Session made from the RuleSet
// settles with it (explain traces are the interpreter's: a Session with
// explain on interprets). Without the JIT installed, or when it cannot
// compile the policy, loading fails with a message: it never falls back to
// the interpreter silently.
//
// Thread safety: every const member may be called from any number of
// threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "yibao/engine.h"
#include "yibao/expected.h"
#include "yibao/ir.h"
#include "yibao/ledger.h"

namespace yibao {

enum class EngineKind : std::uint8_t {
  interpreter,  // always available
  jit,          // native code through LLVM: needs yibao::jit installed (engine_provider.h)
};

// How the JIT compiles (jit::JitOptions; docs/jit.md, "Tiers"). Here, in
// the runtime's own terms, so that embedders choose it without the JIT's
// header.
struct JitSettings {
  int opt_level = 3;     // 0-3; 3: LLVM's -O2 with optimising code generation
  // Answer from level-1 code at once and switch to opt_level when a
  // background thread has compiled it. False: compile opt_level on the
  // loading thread, and start no thread (e.g. before fork()).
  bool tier_up = true;
  // A directory where compiled code is kept for later loads of the same
  // program (docs/jit.md, "The object cache"), or empty for none. Loading
  // an entry runs its code: keep the directory your own.
  std::string cache_dir{};
};

struct RuleSetOptions {
  EngineKind engine = EngineKind::interpreter;
  // For EngineKind::jit. (Initialised here so that `{.engine = ...}` draws
  // no -Wmissing-field-initializers.)
  JitSettings jit = {};
};

namespace resident {
struct Binding;  // resident.hpp's structs -> this policy's schema (api_resident.cpp)
}

class RuleSet {
 public:
  // Wraps a program the compiler produced (compiler::compile_policy). Fails
  // when the program's request schema or ledgers are inconsistent.
  static Expected<std::shared_ptr<const RuleSet>> from_program(ir::Program program, RuleSetOptions options = {});
  // Loads a compiled rule set (`yibao compile`, docs/rule-set-format.md)
  // from its bytes or from a file. A truncated, corrupted, foreign or newer
  // file is refused with a message.
  static Expected<std::shared_ptr<const RuleSet>> load(std::span<const std::uint8_t> bytes, RuleSetOptions options = {});
  static Expected<std::shared_ptr<const RuleSet>> load_file(const std::string& path, RuleSetOptions options = {});

  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;
  ~RuleSet();

  const ir::Program& program() const noexcept { return program_; }
  EngineKind engine() const noexcept { return options_.engine; }
  // The factory of the engine Sessions settle with: the JIT's (compiled at
  // load) for EngineKind::jit, empty for the interpreter. Its engines read
  // this RuleSet's program: keep the RuleSet alive while they live.
  const EngineFactory& engine_factory() const noexcept { return engine_factory_; }

  // The policy's identity: `dianjiang-2024`, its title, region, benefit year.
  const std::string& policy_id() const noexcept { return program_.policy_id; }
  const std::string& title() const noexcept { return program_.title; }
  const std::string& region() const noexcept { return program_.region; }
  std::int32_t year() const noexcept { return program_.year; }

  // Result sections (`eligibility`, ..., `settlement`), in result order.
  std::size_t section_count() const noexcept { return program_.sections.size(); }
  // Index of the section called `name`, or -1.
  int section_index(std::string_view name) const noexcept;
  // Index of field `name` of section `section`, or -1.
  int field_index(int section, std::string_view name) const noexcept;

  // The names of a ledger entry's slots, in slot order; an empty store for
  // this policy (to load saved ledgers into, or to give Sessions).
  const std::vector<std::string>& ledger_slot_names() const noexcept { return slot_names_; }
  LedgerStore make_ledger_store() const { return LedgerStore(program_.policy_id, slot_names_); }

  // The name of rule `rule` (a TraceStep's rule), `national.fiscal_subsidy`.
  std::string_view rule_name(std::int32_t rule) const noexcept;

  // How resident::Request fields map onto this policy's schema; null when
  // the policy does not use the standard resident schema.
  const resident::Binding* resident_binding() const noexcept { return binding_.get(); }
  // Why resident_binding() is null (empty when it is not).
  const std::string& resident_binding_error() const noexcept { return binding_error_; }

 private:
  RuleSet(ir::Program program, RuleSetOptions options);

  ir::Program program_;
  RuleSetOptions options_;
  EngineFactory engine_factory_;  // after program_: its compiled code refers to it
  std::vector<std::string> slot_names_;
  std::unique_ptr<const resident::Binding> binding_;
  std::string binding_error_;
};

}  // namespace yibao
