// The flattened declarations of a policy. A policy sees the standard library
// modules it uses, everything of the policy it extends, and its own items.
// Replacing a declaration is explicit: stdlib declarations without a body or
// marked `default` may be defined by a policy; inherited policy declarations
// need `override`; anything else defined twice is an error.
#include <fmt/format.h>

#include "compiler/lowerer.h"

namespace yibao::compiler {
namespace {

std::string type_text(const ast::TypeRef& t) {
  std::string s = t.form == ast::TypeRef::Form::set_of ? "set of " + t.name.text : t.name.text;
  return t.optional ? s + "?" : s;
}

std::string signature(const ast::Fn& fn) {
  std::string s = "(";
  for (size_t i = 0; i < fn.params.size(); ++i) s += (i ? ", " : "") + type_text(fn.params[i].type);
  return s + "): " + type_text(fn.result);
}

}  // namespace

void Lowerer::build_scope(int module, Scope& scope) {
  const LoadedModule& m = modules_.module(module);
  if (m.extends >= 0) build_scope(m.extends, scope);
  for (int used : m.uses) merge_module(used, scope, false);
  merge_module(module, scope, true);
  for (const auto& alias : m.aliases) scope.aliases[alias.name] = alias.module;
}

void Lowerer::merge_module(int module, Scope& scope, bool /*is_parent_chain*/) {
  if (!scope.merged.insert(module).second) return;
  const LoadedModule& m = modules_.module(module);
  const bool stdlib = m.kind == LoadedModule::Kind::stdlib;

  auto add_symbol = [&](Symbol sym, ast::Modifier modifier, Span modifier_span) {
    auto found = scope.symbols.find(sym.name);
    if (found == scope.symbols.end()) {
      if (modifier == ast::Modifier::override_) {
        report(DiagnosticCode::override_of_nothing, modifier_span.empty() ? sym.name_span : modifier_span,
               fmt::format("`override` of `{}`, which no policy this one extends defines", sym.name))
            .help("remove `override` to declare something new");
      }
      scope.symbols.emplace(sym.name, std::move(sym));
      return;
    }
    Symbol& old = found->second;
    if (old.module == module) {
      report(DiagnosticCode::duplicate_definition, sym.name_span, fmt::format("`{}` is defined twice", sym.name))
          .label(old.name_span, "first defined here");
      return;
    }
    if (old.from_stdlib) {
      if (!old.replaceable) {
        report(DiagnosticCode::redefinition_of_fixed, sym.name_span,
               fmt::format("`{}` is fixed by the standard library and cannot be redefined", sym.name))
            .label(old.name_span, "defined here without `default`")
            .help(fmt::format("choose another name, or make the standard library's `{}` a `default`", sym.name));
        return;
      }
    } else if (modifier != ast::Modifier::override_) {
      report(DiagnosticCode::redefinition_without_override, sym.name_span,
             fmt::format("`{}` replaces the definition of `{}` without `override`", sym.name,
                         modules_.module(old.module).name))
          .label(old.name_span, "inherited from here")
          .help(fmt::format("write `override` before the declaration to replace it"));
      return;
    }
    // The replacement must keep the declared type or signature.
    if (old.kind != sym.kind && !(old.kind == Symbol::Kind::decl && sym.kind == Symbol::Kind::decl)) {
      report(DiagnosticCode::signature_mismatch, sym.name_span,
             fmt::format("`{}` must stay a {} where it is replaced", sym.name,
                         old.kind == Symbol::Kind::fn ? "function" : old.kind == Symbol::Kind::ledger ? "ledger" : "value"))
          .label(old.name_span, "declared here");
      return;
    }
    if (old.kind == Symbol::Kind::decl && type_text(old.decl->type) != type_text(sym.decl->type)) {
      report(DiagnosticCode::signature_mismatch, sym.decl->type.span,
             fmt::format("`{}` is declared as `{}` but replaced with `{}`", sym.name, type_text(old.decl->type),
                         type_text(sym.decl->type)))
          .label(old.name_span, "declared here");
      sym.poisoned = true;
    } else if (old.kind == Symbol::Kind::decl && old.decl->decl_kind == ast::DeclKind::payout &&
               sym.decl->decl_kind != ast::DeclKind::payout) {
      report(DiagnosticCode::signature_mismatch, sym.name_span,
             fmt::format("`{}` is a payout (rounded to 0.01) and must be replaced by a `payout`", sym.name))
          .label(old.name_span, "declared here");
      sym.poisoned = true;
      sym.poisoned = true;
    } else if (old.kind == Symbol::Kind::fn && signature(*old.fn) != signature(*sym.fn)) {
      report(DiagnosticCode::signature_mismatch, sym.name_span,
             fmt::format("`{}` is declared as `fn {}{}` but replaced with `fn {}{}`", sym.name, sym.name,
                         signature(*old.fn), sym.name, signature(*sym.fn)))
          .label(old.name_span, "declared here");
      sym.poisoned = true;
    }
    old = std::move(sym);
  };

  for (const auto& item : m.ast->items) {
    if (const auto* d = ast::dyn_cast<ast::Decl>(item.get())) {
      Symbol s;
      s.kind = Symbol::Kind::decl;
      s.decl = d;
      s.module = module;
      s.from_stdlib = stdlib;
      s.abstract = d->body == ast::Decl::Body::none;
      s.replaceable = stdlib && (s.abstract || d->modifier == ast::Modifier::default_);
      s.name = d->name.text;
      s.name_span = d->name.span;
      if (!stdlib && d->modifier == ast::Modifier::default_)
        report(DiagnosticCode::wrong_kind_of_name, d->modifier_span, "`default` is for the standard library")
            .help("in a policy, a declaration is replaced by a policy that extends it with `override`");
      if (!stdlib && s.abstract)
        report(DiagnosticCode::missing_definition, d->name.span, fmt::format("`{}` has no value", d->name.text))
            .help("give it a value with `= ...`, or `= unspecified \"the source's words\"`");
      add_symbol(std::move(s), d->modifier, d->modifier_span);
    } else if (const auto* f = ast::dyn_cast<ast::Fn>(item.get())) {
      Symbol s;
      s.kind = Symbol::Kind::fn;
      s.fn = f;
      s.module = module;
      s.from_stdlib = stdlib;
      s.abstract = f->body == nullptr;
      s.replaceable = stdlib && (s.abstract || f->modifier == ast::Modifier::default_);
      s.name = f->name.text;
      s.name_span = f->name.span;
      if (!stdlib && s.abstract)
        report(DiagnosticCode::missing_definition, f->name.span, fmt::format("function `{}` has no body", f->name.text))
            .help("write its body after `=`");
      add_symbol(std::move(s), f->modifier, f->modifier_span);
    } else if (const auto* l = ast::dyn_cast<ast::Ledger>(item.get())) {
      Symbol s;
      s.kind = Symbol::Kind::ledger;
      s.ledger = l;
      s.module = module;
      s.from_stdlib = stdlib;
      s.name = l->name.text;
      s.name_span = l->name.span;
      add_symbol(std::move(s), ast::Modifier::none, {});
    } else if (const auto* e = ast::dyn_cast<ast::Enum>(item.get())) {
      for (const auto* other : scope.enums)
        if (other->name.text == e->name.text)
          report(DiagnosticCode::duplicate_definition, e->name.span, fmt::format("enumeration `{}` is defined twice", e->name.text))
              .label(other->name.span, "first defined here");
      scope.enums.push_back(e);
    } else if (const auto* dm = ast::dyn_cast<ast::Domain>(item.get())) {
      for (const auto* other : scope.domains)
        if (other->name.text == dm->name.text)
          report(DiagnosticCode::duplicate_definition, dm->name.span, fmt::format("domain `{}` is defined twice", dm->name.text))
              .label(other->name.span, "first defined here");
      scope.domains.push_back(dm);
    } else if (const auto* in = ast::dyn_cast<ast::Input>(item.get())) {
      if (scope.input)
        report(DiagnosticCode::invalid_input, in->span, "the request schema (`input`) is declared twice")
            .label(scope.input->span, "first declared here");
      else
        scope.input = in;
    } else if (const auto* sec = ast::dyn_cast<ast::Section>(item.get())) {
      for (const auto* other : scope.sections)
        if (other->name.text == sec->name.text)
          report(DiagnosticCode::duplicate_definition, sec->name.span, fmt::format("section `{}` is defined twice", sec->name.text))
              .label(other->name.span, "first defined here");
      scope.sections.push_back(sec);
    } else if (const auto* after = ast::dyn_cast<ast::After>(item.get())) {
      scope.afters.emplace_back(after, module);
    } else if (const auto* ex = ast::dyn_cast<ast::Example>(item.get())) {
      if (m.kind != LoadedModule::Kind::examples)
        report(DiagnosticCode::example_invalid, ex->name.span, "worked examples belong in the policy's `.test.yb` file")
            .help("move it to a file that starts with `examples for <policy-id>`");
    }
  }
}

}  // namespace yibao::compiler
