// lowerer.h (private to compiler/): the state shared by the files that check
// a loaded policy and lower it to IR in one walk ("elaboration"): names are
// resolved, types with units checked, and IR nodes built as each expression
// is understood, so every error points at the source and no second tree is
// needed.
//
//   scope.cpp      the flattened declarations of a policy (stdlib, parents,
//                  own; `default` / `override` / abstract rules)
//   schema.cpp     enumerations, domains, the `input` record -> ir::Schema
//   elaborate.cpp  expressions -> IR nodes, with types and units
//   tables.cpp     tables, brackets, `match` keys
//   lower.cpp      declarations, sections, ledgers, updates; the entry point
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/modules.h"
#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "yibao/ir.h"

namespace yibao::compiler {

// A type as the checker sees it: an IR type, or one of the states an
// expression can be in before it has one.
struct Ty {
  enum class K : uint8_t {
    value,   // `t` is the type
    number,  // a plain number literal: takes its unit from where it is used
    bottom,  // `unspecified`: fits any type
    error,   // already reported: stays quiet
  };
  K k = K::error;
  ir::TypeRef t;
  bool optional = false;  // a `T?` request field not known to be present

  static Ty of(ir::TypeRef t, bool optional = false) { return Ty{K::value, t, optional}; }
  static Ty of(ir::Type kind) { return Ty{K::value, ir::TypeRef{kind, -1}, false}; }
  static Ty error() { return Ty{}; }
  bool ok() const { return k != K::error; }
  bool is(ir::Type kind) const { return k == K::value && t.kind == kind; }
};

// An elaborated expression: its node, or for a plain number its value until
// a unit is known.
struct Val {
  int32_t node = -1;
  Ty ty;
  int64_t micros = 0;    // number literals: value * 10^6
  uint8_t decimals = 0;  // number literals: decimals as written
  Span span;
};

// A declaration visible in a policy.
struct Symbol {
  enum class Kind : uint8_t { decl, fn, ledger };
  Kind kind = Kind::decl;
  const ast::Decl* decl = nullptr;
  const ast::Fn* fn = nullptr;
  const ast::Ledger* ledger = nullptr;
  int module = -1;           // where it is defined
  bool from_stdlib = false;
  bool replaceable = false;  // stdlib abstract or `default`
  bool abstract = false;
  bool poisoned = false;     // replaced with the wrong type: uses stay quiet (already reported)
  Span name_span;
  std::string name;
};

// Everything a policy sees: its own declarations over its parents' over the
// standard library's, after `default` and `override` replacements.
struct Scope {
  std::map<std::string, Symbol> symbols;
  std::vector<const ast::Enum*> enums;
  std::vector<const ast::Domain*> domains;
  const ast::Input* input = nullptr;
  std::vector<const ast::Section*> sections;
  std::vector<std::pair<const ast::After*, int>> afters;  // with their module
  std::set<int> merged;  // modules already merged
  std::map<std::string, int> aliases;  // `use ... as alias` -> module
};

// Locals and facts while elaborating one expression.
struct Env {
  struct Local {
    std::string name;
    Val val;
  };
  std::vector<Local> locals;
  std::vector<int> present;   // optional fields known to be present here
  std::string decl_name;      // names inline `unspecified`
};

class Lowerer {
 public:
  Lowerer(const ModuleSet& modules, const SourceManager& sources, Diagnostics& diagnostics);
  // Checks the root policy and builds its IR; nothing when there were errors.
  std::optional<ir::Program> run();

  // ---- scope.cpp
  void build_scope(int module, Scope& scope);
  void merge_module(int module, Scope& scope, bool is_parent_chain);

  // ---- schema.cpp
  void lower_schema();
  std::optional<ir::TypeRef> resolve_type(const ast::TypeRef& type, bool report = true);
  int enum_index(std::string_view name) const;
  int domain_index(std::string_view name) const;
  int field_index(std::string_view path) const;
  int record_index(std::string_view name) const;

  // ---- elaborate.cpp
  // Checks and lowers an expression, within the limits of compile.h (a
  // reported error once they are reached).
  Val elab(const ast::Expr& expr, const Ty* expect, Env& env);
  Val elab_node(const ast::Expr& expr, const Ty* expect, Env& env);  // elab without the limits
  Val elab_as(const ast::Expr& expr, const Ty& want, Env& env);  // elab + coerce, reports mismatch
  bool coerce(Val& v, const Ty& want, Span span, bool report = true);
  void materialize(Val& v);
  bool unify(Val& a, Val& b, Span span, std::string_view what);
  void facts(const ast::Expr& expr, bool when_true, std::vector<int>& out) const;
  std::string describe(const Ty& t) const;

  // ---- tables.cpp
  int32_t lower_table(const Symbol& sym);
  int32_t lower_schedule(const ast::BracketsLit& lit);  // Program::schedules index, or -1
  // A key of a table row or match arm, as the value of `key_type`; nothing if invalid (reported).
  std::optional<int64_t> key_value(const ast::Key& key, ir::TypeRef key_type);
  std::vector<int64_t> key_domain(ir::TypeRef key_type, int64_t lo, int64_t hi) const;
  std::string key_text(ir::TypeRef key_type, int64_t value) const;

  // ---- lower.cpp
  int32_t rule_for(const Symbol& sym, Span use);
  int32_t ledger_for(const Symbol& sym);
  const Symbol* find_symbol(std::string_view name) const;
  std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates) const;

  // ---- nodes
  int32_t node(ir::Op op, ir::TypeRef type, std::initializer_list<int32_t> kids, Span span, int64_t imm = 0,
               int32_t ref = -1);
  int32_t node_v(ir::Op op, ir::TypeRef type, const std::vector<int32_t>& kids, Span span, int64_t imm = 0,
                 int32_t ref = -1);
  int32_t constant(ir::TypeRef type, int64_t value, Span span) {
    return node(ir::Op::constant, type, {}, span, value);
  }
  int32_t unspecified_node(const std::string& name, const std::string& words, Span span);
  ir::Loc loc(Span span);
  DiagnosticBuilder report(DiagnosticCode code, Span span, std::string message) {
    return diags_->report(code, span, std::move(message));
  }
  const ast::File& root_file() const { return *modules_.module(modules_.root).ast; }

  // ---- limits (compile.h): a rule or function elaborated inside another
  // one is a step of `nesting_`; false (reported once) past kMaxRuleDepth.
  class Nested {
   public:
    Nested(Lowerer& lowerer, const std::string& name, Span name_span, Span use);
    ~Nested();
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;
    bool ok() const { return ok_; }

   private:
    Lowerer& lowerer_;
    bool ok_ = false;
  };
  struct NestedDecl {
    const std::string* name;
    Span name_span;
  };
  std::vector<NestedDecl> nesting_;  // the rules and functions being elaborated, outermost first
  uint32_t expression_depth_ = 0;    // elab calls on the stack, through rules and functions
  uint64_t expression_count_ = 0;    // elab calls so far
  bool too_deep_reported_ = false;
  bool too_large_ = false;           // the count is exhausted: everything fails from then on

  const ModuleSet& modules_;
  const SourceManager& sources_;
  Diagnostics* diags_;  // swapped for a scratch sink when re-elaborating quietly
  Diagnostics& real_diags_;
  ir::Program program_;
  Scope scope_;  // the root policy's

  // Lowering state.
  struct RuleState {
    int32_t index = -1;
    bool in_progress = false;
    bool failed = false;  // reported once; later uses stay quiet
  };
  std::map<const ast::Node*, RuleState> rules_;      // decl -> ir rule
  std::map<const ast::Node*, int32_t> tables_;       // decl -> ir table
  std::map<const ast::Node*, int32_t> ledgers_;      // ledger -> ir ledger
  std::map<const ast::Node*, int32_t> param_index_;  // decl -> Program::params
  std::set<const ast::Fn*> fns_checked_;
  std::vector<const ast::Fn*> fn_stack_;
  std::set<std::string> used_;  // symbol names referenced
  std::map<uint32_t, int32_t> file_index_;  // FileId -> Program::files
  std::map<std::string, Scope> alias_scopes_;
};

}  // namespace yibao::compiler
