// RuleSet: a program and what every Session needs from it, made once.
#include "yibao/rule_set.hpp"

#include "api_resident.h"
#include "yibao/engine_provider.h"
#include "yibao/settle.h"

// The compiled rule-set format (docs/rule-set-format.md) is read by its own
// module; until a build has it, loading a file says so.
#if __has_include("yibao/rule_set_file.h")
#include "yibao/rule_set_file.h"
#define YIBAO_HAVE_RULE_SET_FILE 1
#endif

namespace yibao {

RuleSet::RuleSet(ir::Program program, RuleSetOptions options)
    : program_(std::move(program)), options_(options), slot_names_(yibao::ledger_slot_names(program_)) {}

RuleSet::~RuleSet() = default;

Expected<std::shared_ptr<const RuleSet>> RuleSet::from_program(ir::Program program, RuleSetOptions options) {
  // Asked for the JIT and not given it: a refusal, never the interpreter in
  // its place (the embedder asked for native code for a reason).
  const EngineProvider provider = engine_provider(options.engine);
  if (options.engine == EngineKind::jit && provider == nullptr)
    return Error{"the JIT engine is not installed: link yibao::jit and call yibao::jit::install() "
                 "(yibao_jit_install() in C) before loading with the JIT, or use the interpreter"};
  if (options.engine == EngineKind::jit && (options.jit.opt_level < 0 || options.jit.opt_level > 3))
    return Error{"the JIT's optimisation level (RuleSetOptions::jit.opt_level) must be 0 to 3, not " +
                 std::to_string(options.jit.opt_level)};
  if (const Status s = program.schema.validate(); !s) return Error{"the policy's request schema is invalid: " + s.error()};
  std::shared_ptr<RuleSet> rule_set(new RuleSet(std::move(program), options));
  auto binding = resident::bind(rule_set->program_.schema);
  if (binding) {
    rule_set->binding_ = std::move(*binding);
  } else {
    rule_set->binding_error_ = binding.error();
  }
  // Compiled once, here: the RuleSet is immutable from now on and its
  // Sessions (on any thread) share the compiled code.
  if (provider != nullptr) {
    auto factory = provider(rule_set->program_, options);
    if (!factory) return Error{"the JIT cannot compile " + rule_set->program_.policy_id + ": " + factory.error()};
    if (!*factory) return Error{"the JIT's provider gave no engine for " + rule_set->program_.policy_id};
    rule_set->engine_factory_ = std::move(*factory);
  }
  return std::shared_ptr<const RuleSet>(std::move(rule_set));
}

Expected<std::shared_ptr<const RuleSet>> RuleSet::load(std::span<const std::uint8_t> bytes, RuleSetOptions options) {
#ifdef YIBAO_HAVE_RULE_SET_FILE
  auto program = read_rule_set(bytes);
  if (!program) return Error{program.error()};
  return from_program(std::move(*program), options);
#else
  (void)bytes;
  (void)options;
  return Error{"this build of yibao cannot read compiled rule sets"};
#endif
}

Expected<std::shared_ptr<const RuleSet>> RuleSet::load_file(const std::string& path, RuleSetOptions options) {
#ifdef YIBAO_HAVE_RULE_SET_FILE
  auto program = read_rule_set_file(path);
  if (!program) return Error{program.error()};
  return from_program(std::move(*program), options);
#else
  (void)options;
  return Error{path + ": this build of yibao cannot read compiled rule sets"};
#endif
}

int RuleSet::section_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < program_.sections.size(); ++i) {
    if (program_.sections[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int RuleSet::field_index(int section, std::string_view name) const noexcept {
  if (section < 0 || static_cast<std::size_t>(section) >= program_.sections.size()) return -1;
  const auto& fields = program_.sections[static_cast<std::size_t>(section)].fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string_view RuleSet::rule_name(std::int32_t rule) const noexcept {
  if (rule < 0 || static_cast<std::size_t>(rule) >= program_.rules.size()) return {};
  return program_.rules[static_cast<std::size_t>(rule)].name;
}

}  // namespace yibao
