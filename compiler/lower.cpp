// Declarations -> IR: rules (lowered on first use, so cycles are found where
// they close), ledgers, sections and their ledger updates; then the lints.
// `Lowerer::run` is the whole walk for one policy.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/lowerer.h"
#include "yibao/nearest.h"

namespace yibao::compiler {

Lowerer::Lowerer(const ModuleSet& modules, const SourceManager& sources, Diagnostics& diagnostics)
    : modules_(modules), sources_(sources), diags_(&diagnostics), real_diags_(diagnostics) {}

// ------------------------------------------------------------------- nodes

ir::Loc Lowerer::loc(Span span) {
  if (!span.has_location()) return {};
  auto [it, added] = file_index_.emplace(span.file.index, static_cast<int32_t>(program_.files.size()));
  if (added) program_.files.emplace_back(sources_.path(span.file));
  // The line only: line_col would also count the columns, in time linear in the line's length.
  return ir::Loc{it->second, static_cast<int32_t>(sources_.file(span.file).line_of(span.begin))};
}

int32_t Lowerer::node_v(ir::Op op, ir::TypeRef type, const std::vector<int32_t>& kids, Span span, int64_t imm,
                        int32_t ref) {
  ir::Node n;
  n.op = op;
  n.type = type;
  n.ref = ref;
  n.imm = imm;
  n.first_kid = static_cast<uint32_t>(program_.kids.size());
  n.kid_count = static_cast<uint32_t>(kids.size());
  for (int32_t k : kids) program_.kids.push_back(static_cast<uint32_t>(k));
  n.loc = loc(span);
  program_.nodes.push_back(n);
  return static_cast<int32_t>(program_.nodes.size() - 1);
}

int32_t Lowerer::node(ir::Op op, ir::TypeRef type, std::initializer_list<int32_t> kids, Span span, int64_t imm,
                      int32_t ref) {
  return node_v(op, type, std::vector<int32_t>(kids), span, imm, ref);
}

int32_t Lowerer::unspecified_node(const std::string& name, const std::string& words, Span span) {
  program_.unspecifieds.push_back(ir::Unspecified{name, words, loc(span)});
  return node(ir::Op::unspecified, {ir::Type::money, -1}, {}, span, 0,
              static_cast<int32_t>(program_.unspecifieds.size() - 1));
}

// ------------------------------------------------------------------ symbols

const Symbol* Lowerer::find_symbol(std::string_view name) const {
  auto it = scope_.symbols.find(std::string(name));
  return it == scope_.symbols.end() ? nullptr : &it->second;
}

std::string Lowerer::nearest_name(std::string_view name, const std::vector<std::string>& candidates) const {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  const auto near = nearest(name, views);
  return near ? std::string(*near) : std::string();
}

int32_t Lowerer::rule_for(const Symbol& sym, Span use) {
  const ast::Decl& decl = *sym.decl;
  RuleState& state = rules_[&decl];
  if (state.in_progress) {
    report(DiagnosticCode::rule_cycle, use, fmt::format("`{}` depends on itself", decl.name.text))
        .label(decl.name.span, "defined here")
        .help("a rule cannot use its own value, directly or through other rules");
    return -1;
  }
  if (state.index >= 0) return state.index;
  if (state.failed) return -1;
  if (sym.abstract) {
    report(DiagnosticCode::missing_definition, use,
           fmt::format("`{}` is needed here, but this policy does not define it", decl.name.text))
        .label(decl.name.span, "declared without a value here")
        .help(fmt::format("define `{} {}: ...` in the policy, or `= unspecified \"the source's words\"`",
                          ast::decl_kind_name(decl.decl_kind), decl.name.text));
    state.failed = true;  // once, at the first use
    return -1;
  }
  const auto type = resolve_type(decl.type);
  if (!type) {
    state.failed = true;
    return -1;
  }
  if (decl.decl_kind == ast::DeclKind::payout && type->kind != ir::Type::money) {
    report(DiagnosticCode::type_mismatch, decl.type.span, "a payout is an amount of money");
    state.failed = true;
    return -1;
  }
  Nested nested(*this, decl.name.text, decl.name.span, use);
  if (!nested.ok()) return -1;  // reported once; the rule is checked again from the top
  state.in_progress = true;
  Env env;
  env.decl_name = decl.name.text;
  Val v = elab_as(*decl.value, Ty::of(*type), env);
  RuleState& done = rules_[&decl];  // the map may have grown
  done.in_progress = false;
  if (!v.ty.ok()) {
    done.failed = true;
    return -1;
  }
  int32_t root = v.node;
  if (decl.decl_kind == ast::DeclKind::payout) root = node(ir::Op::round_cents, *type, {root}, decl.value->span);
  program_.rules.push_back(ir::Rule{decl.name.text, *type, root, decl.decl_kind == ast::DeclKind::payout, loc(decl.name.span)});
  done.index = static_cast<int32_t>(program_.rules.size() - 1);
  if (decl.decl_kind == ast::DeclKind::param || decl.decl_kind == ast::DeclKind::fact) {
    ir::Param p;
    p.name = decl.name.text;
    p.type = *type;
    p.loc = loc(decl.name.span);
    const ir::Node& n = program_.node(v.node);
    if (n.op == ir::Op::unspecified) {
      p.unspecified = true;
      p.unspecified_ref = n.ref;
    } else {
      p.value = n.imm;
    }
    if (n.op == ir::Op::constant || n.op == ir::Op::unspecified) program_.params.push_back(p);
  }
  return done.index;
}

int32_t Lowerer::ledger_for(const Symbol& sym) {
  const ast::Ledger& l = *sym.ledger;
  if (auto found = ledgers_.find(&l); found != ledgers_.end()) return found->second;
  ledgers_[&l] = -1;
  const auto t = resolve_type(l.type);
  if (!t) return -1;
  if (t->kind != ir::Type::money) {
    report(DiagnosticCode::invalid_ledger, l.type.span, "a ledger accumulates money");
    return -1;
  }
  ir::Ledger out;
  out.name = l.name.text;
  out.slot = program_.ledger_slots;
  out.label = l.label ? l.label->value : "";
  out.loc = loc(l.name.span);
  if (l.key) {
    const int d = domain_index(l.key->name.text);
    if (d < 0) {
      report(DiagnosticCode::invalid_ledger, l.key->span, fmt::format("a ledger is kept per key of a domain; `{}` is not one", l.key->name.text));
      return -1;
    }
    out.keyed = true;
    out.key_lo = program_.domains[static_cast<size_t>(d)].lo;
    out.key_hi = program_.domains[static_cast<size_t>(d)].hi;
    if (l.key->has_range()) {
      if (!l.key->lo->is_integer() || !l.key->hi->is_integer() || l.key->lo->integer() < out.key_lo ||
          l.key->hi->integer() > out.key_hi || l.key->lo->integer() > l.key->hi->integer()) {
        report(DiagnosticCode::invalid_ledger, l.key->span, fmt::format("the keys must lie within `{}` ({}..{})", l.key->name.text, out.key_lo, out.key_hi));
        return -1;
      }
      out.key_lo = l.key->lo->integer();
      out.key_hi = l.key->hi->integer();
    }
  }
  program_.ledger_slots += out.keyed ? static_cast<int32_t>(out.key_hi - out.key_lo + 1) : 1;
  program_.ledgers.push_back(std::move(out));
  const auto index = static_cast<int32_t>(program_.ledgers.size() - 1);
  ledgers_[&l] = index;
  return index;
}

// ------------------------------------------------------------------- run

std::optional<ir::Program> Lowerer::run() {
  const LoadedModule& root = modules_.module(modules_.root);
  const ast::File& file = *root.ast;
  if (!file.policy) {
    report(DiagnosticCode::bad_header, Span{root.file, 0, 0}, "this file is not a policy: it should start with `policy <id> \"title\" { ... }`");
    return std::nullopt;
  }
  const ast::PolicyHeader& header = *file.policy;
  program_.policy_id = header.id.text;
  program_.title = header.title.value;
  auto field = [&](ast::HeaderField::Kind k) { return header.find(k); };
  const ast::HeaderField* year = field(ast::HeaderField::Kind::year);
  if (!year || !year->year.is_integer() || year->year.integer() < 1900 || year->year.integer() > 9999) {
    report(DiagnosticCode::bad_header, year ? year->span : header.id.span, "a policy needs its benefit year: `year 2024`");
  } else {
    program_.year = static_cast<int32_t>(year->year.integer());
    const std::string suffix = fmt::format("-{}", program_.year);
    if (header.id.text.size() < suffix.size() || header.id.text.compare(header.id.text.size() - suffix.size(), suffix.size(), suffix) != 0)
      report(DiagnosticCode::bad_header, header.id.span,
             fmt::format("the policy `{}` should be named `region-{}` after its benefit year", header.id.text, program_.year));
  }
  if (const auto* r = field(ast::HeaderField::Kind::region)) program_.region = r->text.value;
  if (const auto* s = field(ast::HeaderField::Kind::source))
    program_.source = s->text.value;
  else
    report(DiagnosticCode::bad_header, header.id.span, "a policy names the document it encodes: `source \"...\"`");
  for (size_t i = 0; i < header.fields.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (header.fields[i].kind == header.fields[j].kind)
        report(DiagnosticCode::bad_header, header.fields[i].span,
               fmt::format("`{}` is given twice in the header", ast::header_field_name(header.fields[i].kind)))
            .label(header.fields[j].span, "first here");

  build_scope(modules_.root, scope_);
  lower_schema();

  // Every declaration the policy sees is checked, in source order; rules are
  // lowered on first use, so a declaration's place does not matter.
  for (const auto& [name, sym] : scope_.symbols) {
    if (sym.kind == Symbol::Kind::decl) {
      if (sym.abstract || sym.poisoned) continue;  // needed only where used; or already reported
      if (sym.decl->body == ast::Decl::Body::table)
        lower_table(sym);
      else
        rule_for(sym, sym.name_span);
    } else if (sym.kind == Symbol::Kind::ledger) {
      ledger_for(sym);
    } else if (sym.kind == Symbol::Kind::fn && sym.fn->body && !fns_checked_.count(sym.fn)) {
      // Check a function nobody calls yet, with its parameters as stand-ins.
      Env env;
      env.decl_name = sym.name;
      bool ok = true;
      for (const auto& p : sym.fn->params) {
        const auto t = resolve_type(p.type);
        if (!t) {
          ok = false;
          continue;
        }
        // An opaque stand-in: never folded, never evaluated (nothing reaches it).
        env.locals.push_back({p.name.text, Val{node(ir::Op::unspecified, *t, {}, p.span, 0, -1), Ty::of(*t), 0, 0, p.span}});
      }
      const auto result = resolve_type(sym.fn->result);
      if (ok && result) {
        const Nested nested(*this, sym.name, sym.name_span, sym.name_span);  // the first of a chain
        fn_stack_.push_back(sym.fn);
        elab_as(*sym.fn->body, Ty::of(*result), env);
        fn_stack_.pop_back();
      }
      fns_checked_.insert(sym.fn);
    }
  }

  // Sections, in the order the standard library declares them.
  const int reason_enum = enum_index("reason");
  for (const ast::Section* s : scope_.sections) {
    ir::Section out;
    out.name = s->name.text;
    out.loc = loc(s->name.span);
    Env env;
    env.decl_name = s->name.text;
    if (s->condition) {
      Val c = elab_as(*s->condition, Ty::of(ir::Type::boolean), env);
      out.when = c.ty.ok() ? c.node : -1;
    }
    for (const auto& member : s->members) {
      if (const auto* r = ast::dyn_cast<ast::SectionReason>(member.get())) {
        ir::SectionReason reason;
        reason.reason_enum = reason_enum;
        const int m = reason_enum >= 0 ? program_.schema.find_member(reason_enum, r->reason.text) : -1;
        if (m < 0) {
          auto d = report(DiagnosticCode::invalid_section, r->reason.span, fmt::format("`{}` is not a result reason", r->reason.text));
          if (reason_enum >= 0) {
            const std::string near = nearest_name(r->reason.text, program_.schema.enums[static_cast<size_t>(reason_enum)].members);
            if (!near.empty()) d.help(fmt::format("did you mean `{}`?", near));
          } else {
            d.note("reasons are members of the enumeration `reason`");
          }
          continue;
        }
        reason.code = m;
        Val c = elab_as(*r->condition, Ty::of(ir::Type::boolean), env);
        if (!c.ty.ok()) continue;
        reason.cond = c.node;
        reason.loc = loc(r->span);
        out.reasons.push_back(reason);
      } else if (const auto* f = ast::dyn_cast<ast::SectionField>(member.get())) {
        ir::SectionField field_out;
        field_out.name = f->name.text;
        field_out.loc = loc(f->span);
        Val v = elab(*f->value, nullptr, env);
        materialize(v);
        if (!v.ty.ok()) continue;
        if (v.ty.k == Ty::K::bottom) {
          report(DiagnosticCode::invalid_section, f->value->span, "a result field needs a type: give `unspecified` a declaration with one");
          continue;
        }
        if (v.ty.optional) {
          coerce(v, Ty::of(v.ty.t), f->value->span);
          continue;
        }
        field_out.type = v.ty.t;
        field_out.value = v.node;
        if (f->otherwise) {
          Val o = elab_as(*f->otherwise, Ty::of(v.ty.t), env);
          if (!o.ty.ok()) continue;
          field_out.otherwise = o.node;
          out.always_reason = true;
        }
        if (f->condition) {
          Val c = elab_as(*f->condition, Ty::of(ir::Type::boolean), env);
          if (!c.ty.ok()) continue;
          field_out.when = c.node;
        }
        out.fields.push_back(std::move(field_out));
      }
    }
    program_.sections.push_back(std::move(out));
  }

  // Ledger updates after a section, from every module of the chain.
  for (const auto& entry_of_chain : scope_.afters) {
    const ast::After* after = entry_of_chain.first;
    const std::string& section_name = after->name.text;
    auto target = std::find_if(program_.sections.begin(), program_.sections.end(),
                               [&](const ir::Section& s) { return s.name == section_name; });
    if (target == program_.sections.end()) {
      std::vector<std::string> names;
      for (const auto& s : program_.sections) names.push_back(s.name);
      auto d = report(DiagnosticCode::invalid_section, after->name.span, fmt::format("no section `{}`", after->name.text));
      const std::string near = nearest_name(after->name.text, names);
      if (!near.empty()) d.help(fmt::format("did you mean `{}`?", near));
      continue;
    }
    for (const auto& entry : after->entries) {
      const Symbol* sym = find_symbol(entry.ledger.text);
      if (!sym || sym->kind != Symbol::Kind::ledger) {
        report(DiagnosticCode::invalid_ledger, entry.ledger.span, fmt::format("`{}` is not a ledger", entry.ledger.text))
            .help("declare it with `ledger name: money`");
        continue;
      }
      used_.insert(sym->name);
      const int32_t l = ledger_for(*sym);
      if (l < 0) continue;
      const ir::Ledger& ledger = program_.ledgers[static_cast<size_t>(l)];
      ir::LedgerUpdate u;
      u.ledger = l;
      u.loc = loc(entry.span);
      Env env;
      env.decl_name = after->name.text;
      if (ledger.keyed != (entry.key != nullptr)) {
        report(DiagnosticCode::invalid_ledger, entry.ledger.span,
               ledger.keyed ? fmt::format("ledger `{}` is kept per key; write `{}[key] += ...`", ledger.name, ledger.name)
                            : fmt::format("ledger `{}` has no key", ledger.name));
        continue;
      }
      if (entry.key) {
        Val k = elab_as(*entry.key, Ty::of(ir::TypeRef{ir::Type::domain, domain_index(sym->ledger->key->name.text)}), env);
        if (!k.ty.ok()) continue;
        u.key = k.node;
      }
      Val amount = elab_as(*entry.value, Ty::of(ir::Type::money), env);
      if (!amount.ty.ok()) continue;
      u.amount = amount.node;
      if (entry.condition) {
        Val c = elab_as(*entry.condition, Ty::of(ir::Type::boolean), env);
        if (!c.ty.ok()) continue;
        u.when = c.node;
      }
      target->updates.push_back(u);
    }
  }

  // Lint: a parameter of this policy that nothing uses (unknown once checking stopped early).
  for (const auto& [name, sym] : scope_.symbols) {
    if (too_large_) break;
    if (sym.module != modules_.root || sym.kind != Symbol::Kind::decl) continue;
    if (sym.decl->decl_kind != ast::DeclKind::param || sym.abstract) continue;
    // References from any rule count, the standard library's and a parent's included.
    if (used_.count(name)) continue;
    report(DiagnosticCode::unused_parameter, sym.name_span, fmt::format("parameter `{}` is never used", name))
        .help("use it in a rule, or declare a published value that no rule needs as a `fact`");
  }

  if (real_diags_.has_errors()) return std::nullopt;
  return std::move(program_);
}

}  // namespace yibao::compiler
