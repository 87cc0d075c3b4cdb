// Expressions -> IR nodes. Each expression is checked (names, types with
// units, optional values) and lowered in the same walk. A plain number has no
// unit until its use gives it one (`300` is money beside money, a count beside
// a count); `unspecified` fits any type; an expression that already failed
// has the error type and reports nothing more, so one mistake gives one error.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/lowerer.h"
#include "yibao/date.h"
#include "yibao/rate.h"

namespace yibao::compiler {
namespace {

using ir::Type;

bool orderable(Type t) {
  return t == Type::money || t == Type::count || t == Type::date || t == Type::rate || t == Type::points ||
         t == Type::domain;
}

std::string_view binary_text(ast::BinaryOp op) { return ast::binary_op_name(op); }

// The names built-in functions answer to, for "did you mean".
const std::vector<std::string>& builtin_functions() {
  static const std::vector<std::string> names = {"min",     "max",           "present",         "absent",
                                                 "age_on",  "year_of",       "date_of",         "next_month_start",
                                                 "progressive", "progressive_between"};
  return names;
}

}  // namespace

std::string Lowerer::describe(const Ty& t) const {
  switch (t.k) {
    case Ty::K::number: return "a number";
    case Ty::K::bottom: return "`unspecified`";
    case Ty::K::error: return "an invalid value";
    case Ty::K::value: break;
  }
  std::string s;
  switch (t.t.kind) {
    case Type::enumeration: s = program_.schema.enums[static_cast<size_t>(t.t.ref)].name; break;
    case Type::enum_set: s = "set of " + program_.schema.enums[static_cast<size_t>(t.t.ref)].name; break;
    case Type::domain: s = program_.domains[static_cast<size_t>(t.t.ref)].name; break;
    default: s = ir::type_name(t.t.kind);
  }
  return "`" + s + (t.optional ? "?`" : "`");
}

// ---------------------------------------------------------------- coercion

void Lowerer::materialize(Val& v) {
  if (v.ty.k != Ty::K::number) return;
  if (v.decimals == 0 && v.micros % 1'000'000 == 0)
    v = Val{constant({Type::count, -1}, v.micros / 1'000'000, v.span), Ty::of(Type::count), 0, 0, v.span};
  else
    v = Val{constant({Type::money, -1}, v.micros, v.span), Ty::of(Type::money), 0, 0, v.span};
}

bool Lowerer::coerce(Val& v, const Ty& want, Span span, bool report_errors) {
  if (!v.ty.ok() || !want.ok()) {
    v.ty = Ty::error();
    return false;
  }
  if (want.k == Ty::K::bottom) return true;
  if (want.k == Ty::K::number) {
    materialize(v);
    return true;
  }
  if (v.ty.k == Ty::K::bottom) {
    v.ty = Ty::of(want.t);
    program_.nodes[static_cast<size_t>(v.node)].type = want.t;
    return true;
  }
  if (v.ty.k == Ty::K::number) {
    const Type k = want.t.kind;
    if (k == Type::money) {
      if (v.decimals > 2 && report_errors) {
        report(DiagnosticCode::invalid_literal, v.span, "an amount of money has at most two decimals")
            .help("amounts are in yuan with fen: `8916.50`");
        v.ty = Ty::error();
        return false;
      }
      v = Val{constant(want.t, v.micros, v.span), Ty::of(want.t), 0, 0, v.span};
      return true;
    }
    if (k == Type::count || k == Type::domain) {
      if (v.micros % 1'000'000 != 0) {
        if (report_errors)
          report(DiagnosticCode::invalid_literal, v.span, fmt::format("expected a whole number for {}", describe(want)));
        v.ty = Ty::error();
        return false;
      }
      const int64_t n = v.micros / 1'000'000;
      if (k == Type::domain) {
        const auto& d = program_.domains[static_cast<size_t>(want.t.ref)];
        if ((n < d.lo || n > d.hi) && report_errors) {
          report(DiagnosticCode::invalid_literal, v.span,
                 fmt::format("{} is not a `{}` (`{}` is {}..{})", n, d.name, d.name, d.lo, d.hi));
          v.ty = Ty::error();
          return false;
        }
      }
      v = Val{constant(want.t, n, v.span), Ty::of(want.t), 0, 0, v.span};
      return true;
    }
    if (report_errors) {
      auto d = report(DiagnosticCode::type_mismatch, span.has_location() ? span : v.span,
                      fmt::format("expected {}, found a plain number", describe(want)));
      if (k == Type::rate) d.help(fmt::format("write a rate with `%`, e.g. `{}%`", v.micros / 1'000'000));
      if (k == Type::points) d.help(fmt::format("write points as `{} points`", v.micros / 1'000'000));
      if (k == Type::duration) d.help(fmt::format("write a duration as `{} days` or `{} months`", v.micros / 1'000'000,
                                                  v.micros / 1'000'000));
    }
    v.ty = Ty::error();
    return false;
  }
  if (v.ty.t == want.t) {
    if (v.ty.optional && !want.optional) {
      if (report_errors)
        report(DiagnosticCode::optional_not_checked, v.span,
               fmt::format("this request field may be absent; check it with `present(...)` first"))
            .help("e.g. `absent(enrollment.paid_on) or enrollment.paid_on <= window_end`");
      v.ty = Ty::error();
      return false;
    }
    return true;
  }
  if (report_errors)
    report(DiagnosticCode::type_mismatch, span.has_location() ? span : v.span,
           fmt::format("expected {}, found {}", describe(want), describe(v.ty)));
  v.ty = Ty::error();
  return false;
}

Val Lowerer::elab_as(const ast::Expr& expr, const Ty& want, Env& env) {
  Val v = elab(expr, &want, env);
  coerce(v, want, expr.span);
  return v;
}

// Makes two values one type: a number takes the other's unit.
bool Lowerer::unify(Val& a, Val& b, Span span, std::string_view what) {
  if (!a.ty.ok() || !b.ty.ok()) return false;
  if (a.ty.k == Ty::K::number && b.ty.k == Ty::K::number) {
    materialize(a);
    materialize(b);
    if (a.ty.t.kind != b.ty.t.kind) {  // 1 and 1.5: both money
      a = Val{constant({Type::money, -1}, program_.node(a.node).imm * (a.ty.is(Type::count) ? 1'000'000 : 1), a.span),
              Ty::of(Type::money), 0, 0, a.span};
      b = Val{constant({Type::money, -1}, program_.node(b.node).imm * (b.ty.is(Type::count) ? 1'000'000 : 1), b.span),
              Ty::of(Type::money), 0, 0, b.span};
    }
    return true;
  }
  if (a.ty.k == Ty::K::number || a.ty.k == Ty::K::bottom) {
    Ty want = b.ty;
    want.optional = false;
    if (b.ty.k == Ty::K::bottom) return true;
    return coerce(a, want, a.span);
  }
  if (b.ty.k == Ty::K::number || b.ty.k == Ty::K::bottom) {
    Ty want = a.ty;
    want.optional = false;
    return coerce(b, want, b.span);
  }
  for (Val* v : {&a, &b}) {
    if (v->ty.optional) {
      report(DiagnosticCode::optional_not_checked, v->span, "this request field may be absent; check it with `present(...)` first")
          .help("e.g. `absent(enrollment.paid_on) or enrollment.paid_on <= window_end`");
      a.ty = Ty::error();
      return false;
    }
  }
  if (a.ty.t == b.ty.t) return true;
  report(DiagnosticCode::type_mismatch, span, fmt::format("{} of {} and {}", what, describe(a.ty), describe(b.ty)));
  a.ty = Ty::error();
  return false;
}

// ------------------------------------------------------------ narrowing

// The optional fields known present when `expr` is true (or false).
void Lowerer::facts(const ast::Expr& expr, bool when_true, std::vector<int>& out) const {
  if (const auto* call = ast::dyn_cast<ast::Call>(&expr)) {
    const std::string callee = call->callee.dotted();
    if ((callee == "present" && when_true) || (callee == "absent" && !when_true)) {
      if (call->args.size() == 1)
        if (const auto* name = ast::dyn_cast<ast::NameRef>(call->args[0].get())) {
          const int f = field_index(name->path.dotted());
          if (f >= 0) out.push_back(f);
        }
    }
    return;
  }
  if (const auto* u = ast::dyn_cast<ast::Unary>(&expr); u && u->op == ast::UnaryOp::logical_not) {
    facts(*u->operand, !when_true, out);
    return;
  }
  if (const auto* b = ast::dyn_cast<ast::Binary>(&expr)) {
    if (b->op == ast::BinaryOp::logical_and && when_true) {
      facts(*b->lhs, true, out);
      facts(*b->rhs, true, out);
    } else if (b->op == ast::BinaryOp::logical_or && !when_true) {
      facts(*b->lhs, false, out);
      facts(*b->rhs, false, out);
    }
  }
}

namespace {
// Adds facts to an environment for the scope of one sub-expression.
struct FactScope {
  Env& env;
  size_t mark;
  FactScope(Env& e, const std::vector<int>& fields) : env(e), mark(e.present.size()) {
    env.present.insert(env.present.end(), fields.begin(), fields.end());
  }
  ~FactScope() { env.present.resize(mark); }
  FactScope(const FactScope&) = delete;
  FactScope& operator=(const FactScope&) = delete;
};
}  // namespace

// ------------------------------------------------------------ limits

Lowerer::Nested::Nested(Lowerer& lowerer, const std::string& name, Span name_span, Span use) : lowerer_(lowerer) {
  auto& chain = lowerer.nesting_;
  if (chain.size() >= kMaxRuleDepth) {
    if (!lowerer.too_deep_reported_) {
      lowerer.too_deep_reported_ = true;
      std::string path;
      for (size_t i = 0; i < chain.size(); ++i) {
        if (i == 3 && chain.size() > 6) {
          path += "... -> ";
          i = chain.size() - 3;
        }
        path += "`" + *chain[i].name + "` -> ";
      }
      path += "`" + name + "`";
      // Into the real sink: the first time may be while a body is re-checked quietly.
      lowerer.real_diags_
          .report(DiagnosticCode::dependency_too_deep, use,
                  fmt::format("a chain of more than {} rules and functions, each needing the next", kMaxRuleDepth))
          .label(fmt::format("`{}` would be number {}", name, chain.size() + 1))
          .label(chain.front().name_span, fmt::format("the chain starts at `{}`", *chain.front().name))
          .note(fmt::format("the chain: {}", path))
          .help("compute the value in fewer steps: a rule can combine several values in one expression");
    }
    return;
  }
  chain.push_back({&name, name_span});
  ok_ = true;
}

Lowerer::Nested::~Nested() {
  if (ok_) lowerer_.nesting_.pop_back();
}

Val Lowerer::elab(const ast::Expr& expr, const Ty* expect, Env& env) {
  auto failed = [&] { return Val{-1, Ty::error(), 0, 0, expr.span}; };
  if (too_large_) return failed();
  if (++expression_count_ > kMaxExpressions) {
    too_large_ = true;
    auto d = real_diags_.report(DiagnosticCode::expansion_too_large, expr.span,
                                fmt::format("this policy expands to more than {} expressions to check", kMaxExpressions));
    d.label("checking stopped here");
    if (!nesting_.empty()) d.label(nesting_.front().name_span, fmt::format("while checking `{}`", *nesting_.front().name));
    d.note("a function's body is checked again at every call, and a `highest` body once per member of its set");
    d.help("a function that calls others several times multiplies their size: compute shared values once, in rules");
    return failed();
  }
  if (expression_depth_ >= kMaxExpressionDepth) {
    if (!too_deep_reported_) {
      too_deep_reported_ = true;
      auto d = real_diags_.report(
          DiagnosticCode::dependency_too_deep, expr.span,
          fmt::format("expressions nested more than {} deep through the rules and functions they use", kMaxExpressionDepth));
      if (!nesting_.empty())
        d.label(nesting_.front().name_span,
                fmt::format("reached from `{}`, through {} rules and functions", *nesting_.front().name, nesting_.size()));
      d.help("compute the value in fewer, shallower steps");
    }
    return failed();
  }
  struct Depth {
    uint32_t& depth;
    explicit Depth(uint32_t& d) : depth(d) { ++depth; }
    ~Depth() { --depth; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;
  } depth(expression_depth_);
  return elab_node(expr, expect, env);
}

// ------------------------------------------------------------ elaboration

Val Lowerer::elab_node(const ast::Expr& expr, const Ty* expect, Env& env) {
  const Span sp = expr.span;
  auto err = [&]() { return Val{-1, Ty::error(), 0, 0, sp}; };
  auto val = [&](int32_t n, ir::TypeRef t) { return Val{n, Ty::of(t), 0, 0, sp}; };
  auto bool_t = ir::TypeRef{Type::boolean, -1};

  switch (expr.kind) {
    case ast::NodeKind::NumberLit: {
      const auto& lit = static_cast<const ast::NumberLit&>(expr);
      const int64_t micros = lit.number.micros;
      switch (lit.unit) {
        case ast::Unit::none: {
          Val v{-1, Ty{Ty::K::number, {}, false}, micros, lit.number.decimals, sp};
          if (expect && expect->k == Ty::K::value) coerce(v, *expect, sp, true);
          return v;
        }
        case ast::Unit::percent:
        case ast::Unit::points: {
          if (micros % 100 != 0) {
            report(DiagnosticCode::invalid_literal, sp, "a rate has at most four decimals of a percent");
            return err();
          }
          const Type t = lit.unit == ast::Unit::percent ? Type::rate : Type::points;
          return val(constant({t, -1}, micros / 100, sp), {t, -1});
        }
        case ast::Unit::days:
        case ast::Unit::months: {
          if (!lit.number.is_integer() || lit.number.integer() > 100'000) {
            report(DiagnosticCode::invalid_literal, sp, "a duration is a whole number of days or months (at most 100000)");
            return err();
          }
          const auto n = static_cast<int32_t>(lit.number.integer());
          const int64_t d = lit.unit == ast::Unit::days ? ir::make_duration(0, n) : ir::make_duration(n, 0);
          return val(constant({Type::duration, -1}, d, sp), {Type::duration, -1});
        }
      }
      return err();
    }
    case ast::NodeKind::DateLit: {
      const auto& lit = static_cast<const ast::DateLit&>(expr);
      const auto d = from_ymd(lit.year, lit.month, lit.day);
      if (!d) {
        report(DiagnosticCode::invalid_literal, sp,
               fmt::format("{:04}-{:02}-{:02} is not a day of the calendar", lit.year, lit.month, lit.day));
        return err();
      }
      return val(constant({Type::date, -1}, *d, sp), {Type::date, -1});
    }
    case ast::NodeKind::BoolLit:
      return val(constant(bool_t, static_cast<const ast::BoolLit&>(expr).value ? 1 : 0, sp), bool_t);
    case ast::NodeKind::StringLit: {
      program_.strings.push_back(static_cast<const ast::StringLit&>(expr).value);
      const auto index = static_cast<int64_t>(program_.strings.size() - 1);
      return val(constant({Type::text, -1}, index, sp), {Type::text, -1});
    }
    case ast::NodeKind::SetLit: {
      const auto& lit = static_cast<const ast::SetLit&>(expr);
      int32_t e = expect && expect->is(Type::enum_set) ? expect->t.ref : -1;
      // Without an expected type, the first member names the enumeration.
      if (e < 0 && !lit.elements.empty())
        if (const auto* first = ast::dyn_cast<ast::NameRef>(lit.elements[0].get()); first && first->path.parts.size() == 1) {
          std::vector<int> owners;
          for (size_t i = 0; i < program_.schema.enums.size(); ++i)
            if (program_.schema.find_member(static_cast<int>(i), first->path.parts[0].text) >= 0) owners.push_back(static_cast<int>(i));
          if (owners.size() == 1) e = owners[0];
        }
      if (e < 0) {
        report(DiagnosticCode::type_mismatch, sp, "cannot tell which enumeration this set is of")
            .help("compare it with a set-valued field, e.g. `person.categories == {}`");
        return err();
      }
      uint64_t bits = 0;
      bool ok = true;
      for (const auto& el : lit.elements) {
        Val m = elab_as(*el, Ty::of(ir::TypeRef{Type::enumeration, e}), env);
        if (!m.ty.ok()) {
          ok = false;
          continue;
        }
        const ir::Node& n = program_.node(m.node);
        if (n.op != ir::Op::constant) {
          report(DiagnosticCode::invalid_literal, el->span, "a set is written with member names");
          ok = false;
          continue;
        }
        if (n.imm < 0 || n.imm >= 64) {  // an enumeration too large for a set: reported with its declaration
          ok = false;
          continue;
        }
        bits |= uint64_t{1} << n.imm;
      }
      if (!ok) return err();
      return val(constant({Type::enum_set, e}, static_cast<int64_t>(bits), sp), {Type::enum_set, e});
    }
    case ast::NodeKind::BracketsLit: {
      const int32_t s = lower_schedule(static_cast<const ast::BracketsLit&>(expr));
      if (s < 0) return err();
      return val(constant({Type::brackets, -1}, s, sp), {Type::brackets, -1});
    }
    case ast::NodeKind::NameRef: {
      const auto& ref = static_cast<const ast::NameRef&>(expr);
      const auto& parts = ref.path.parts;
      const std::string& first = parts[0].text;
      if (parts.size() == 1) {
        for (auto it = env.locals.rbegin(); it != env.locals.rend(); ++it)
          if (it->name == first) {
            Val v = it->val;
            v.span = sp;
            return v;
          }
        if (const Symbol* sym = find_symbol(first)) {
          used_.insert(first);
          if (sym->poisoned) return err();
          if (sym->kind == Symbol::Kind::fn) {
            report(DiagnosticCode::wrong_kind_of_name, sp, fmt::format("`{}` is a function; call it with `{}(...)`", first, first));
            return err();
          }
          if (sym->kind == Symbol::Kind::ledger) {
            const int32_t l = ledger_for(*sym);
            if (l < 0) return err();
            if (program_.ledgers[static_cast<size_t>(l)].keyed) {
              report(DiagnosticCode::wrong_kind_of_name, sp, fmt::format("ledger `{}` is kept per key; write `{}[key]`", first, first));
              return err();
            }
            return val(node(ir::Op::ledger, {Type::money, -1}, {}, sp, 0, l), {Type::money, -1});
          }
          if (sym->decl->body == ast::Decl::Body::table) {
            report(DiagnosticCode::wrong_kind_of_name, sp, fmt::format("`{}` is a table; look a value up with `{}[key]`", first, first));
            return err();
          }
          const int32_t r = rule_for(*sym, sp);
          if (r < 0) return err();
          const ir::TypeRef t = program_.rules[static_cast<size_t>(r)].type;
          return val(node(ir::Op::rule, t, {}, sp, 0, r), t);
        }
        const int f = field_index(first);
        if (f >= 0) {
          const auto& spec = program_.schema.fields[static_cast<size_t>(f)];
          (void)spec;
          return val(node(ir::Op::input, {Type::text, -1}, {}, sp, 0, f), {Type::text, -1});
        }
        // An enumeration member, by the expected type or unambiguously.
        if (expect && expect->is(Type::enumeration)) {
          const int m = program_.schema.find_member(expect->t.ref, first);
          if (m >= 0) return val(constant(expect->t, m, sp), expect->t);
        }
        std::vector<int> owners;
        for (size_t i = 0; i < program_.schema.enums.size(); ++i)
          if (program_.schema.find_member(static_cast<int>(i), first) >= 0) owners.push_back(static_cast<int>(i));
        if (owners.size() == 1) {
          const ir::TypeRef t{Type::enumeration, owners[0]};
          return val(constant(t, program_.schema.find_member(owners[0], first), sp), t);
        }
        if (owners.size() > 1) {
          auto d = report(DiagnosticCode::ambiguous_name, sp, fmt::format("`{}` is a member of several enumerations", first));
          for (int o : owners) d.help(fmt::format("write `{}.{}`", program_.schema.enums[static_cast<size_t>(o)].name, first));
          return err();
        }
        std::vector<std::string> names;
        for (const auto& [n, s] : scope_.symbols) names.push_back(n);
        for (const auto& l : env.locals) names.push_back(l.name);
        for (const auto& r : program_.schema.records) names.push_back(r.name);
        if (expect && expect->is(Type::enumeration))
          for (const auto& m : program_.schema.enums[static_cast<size_t>(expect->t.ref)].members) names.push_back(m);
        auto d = report(DiagnosticCode::unknown_name, sp, fmt::format("unknown name `{}`", first));
        const std::string near = nearest_name(first, names);
        if (!near.empty()) d.help(fmt::format("did you mean `{}`?", near));
        if (record_index(first) >= 0) d.help(fmt::format("`{}` is a record; name one of its fields, e.g. `{}.…`", first, first));
        return err();
      }
      // Dotted: a request field, `policy.…`, an alias, or `enum.member`.
      const std::string dotted = ref.path.dotted();
      if (record_index(first) >= 0) {
        const int f = parts.size() == 2 ? field_index(dotted) : -1;
        if (f < 0) {
          std::vector<std::string> keys;
          for (const auto& fs : program_.schema.fields)
            if (fs.record == record_index(first)) keys.emplace_back(fs.key());
          auto d = report(DiagnosticCode::unknown_name, parts.back().span, fmt::format("unknown field `{}`", dotted));
          d.label(fmt::format("not a field of `{}`", first));
          const std::string near = nearest_name(parts.back().text, keys);
          if (!near.empty()) d.help(fmt::format("did you mean `{}`?", near));
          return err();
        }
        const FieldSpec& spec = program_.schema.fields[static_cast<size_t>(f)];
        ir::TypeRef t;
        switch (spec.type) {
          case FieldType::text: t = {Type::text, -1}; break;
          case FieldType::boolean: t = {Type::boolean, -1}; break;
          case FieldType::money: t = {Type::money, -1}; break;
          case FieldType::date: t = {Type::date, -1}; break;
          case FieldType::enumeration: t = {Type::enumeration, spec.enum_index}; break;
          case FieldType::enum_set: t = {Type::enum_set, spec.enum_index}; break;
          case FieldType::integer_range:
            t = {Type::count, -1};
            for (size_t i = 0; i < program_.domains.size(); ++i)
              if (program_.domains[i].lo == spec.range_lo && program_.domains[i].hi == spec.range_hi) t = {Type::domain, static_cast<int32_t>(i)};
            break;
        }
        const bool known = std::find(env.present.begin(), env.present.end(), f) != env.present.end();
        Val v = val(node(ir::Op::input, t, {}, sp, 0, f), t);
        v.ty.optional = spec.presence == Presence::optional && !known;
        return v;
      }
      if (first == "policy" && parts.size() == 2) {
        if (parts[1].text == "year")
          return val(constant({Type::count, -1}, program_.year, sp), {Type::count, -1});
        if (parts[1].text == "id") {
          program_.strings.push_back(program_.policy_id);
          return val(constant({Type::text, -1}, static_cast<int64_t>(program_.strings.size() - 1), sp), {Type::text, -1});
        }
        report(DiagnosticCode::unknown_name, parts[1].span, fmt::format("`policy` has `year` and `id`, not `{}`", parts[1].text));
        return err();
      }
      if (auto alias = scope_.aliases.find(first); alias != scope_.aliases.end() && parts.size() == 2) {
        // A published value of another policy: its parameter, as a constant.
        const ast::File& other = *modules_.module(alias->second).ast;
        for (const auto& item : other.items) {
          const auto* d = ast::dyn_cast<ast::Decl>(item.get());
          if (!d || d->name.text != parts[1].text) continue;
          if ((d->decl_kind != ast::DeclKind::param && d->decl_kind != ast::DeclKind::fact) ||
              d->body != ast::Decl::Body::value) {
            report(DiagnosticCode::wrong_kind_of_name, sp,
                   fmt::format("only a parameter with a value can be taken from another policy; `{}` is not one", dotted));
            return err();
          }
          const auto t = resolve_type(d->type);
          if (!t) return err();
          Env inner;
          Val v = elab_as(*d->value, Ty::of(*t), inner);
          if (!v.ty.ok()) return err();
          if (program_.node(v.node).op != ir::Op::constant) {
            report(DiagnosticCode::wrong_kind_of_name, sp, fmt::format("`{}` is not a constant", dotted));
            return err();
          }
          return v;
        }
        report(DiagnosticCode::unknown_name, parts[1].span,
               fmt::format("policy `{}` has no parameter `{}`", modules_.module(alias->second).name, parts[1].text));
        return err();
      }
      if (const int e = enum_index(first); e >= 0 && parts.size() == 2) {
        const int m = program_.schema.find_member(e, parts[1].text);
        if (m < 0) {
          auto d = report(DiagnosticCode::unknown_name, parts[1].span, fmt::format("`{}` is not a member of `{}`", parts[1].text, first));
          const std::string near = nearest_name(parts[1].text, program_.schema.enums[static_cast<size_t>(e)].members);
          if (!near.empty()) d.help(fmt::format("did you mean `{}`?", near));
          return err();
        }
        return val(constant({Type::enumeration, e}, m, sp), {Type::enumeration, e});
      }
      std::vector<std::string> roots;
      for (const auto& r : program_.schema.records) roots.push_back(r.name);
      for (const auto& [a, m] : scope_.aliases) roots.push_back(a);
      for (const auto& e : program_.schema.enums) roots.push_back(e.name);
      roots.emplace_back("policy");
      auto d = report(DiagnosticCode::unknown_name, parts[0].span, fmt::format("unknown name `{}`", first));
      const std::string near = nearest_name(first, roots);
      if (!near.empty()) d.help(fmt::format("did you mean `{}`?", near));
      return err();
    }
    case ast::NodeKind::Call: {
      const auto& call = static_cast<const ast::Call&>(expr);
      const std::string callee = call.callee.dotted();
      auto arity = [&](size_t n) {
        if (call.args.size() == n) return true;
        report(DiagnosticCode::wrong_argument_count, sp,
               fmt::format("`{}` takes {} argument{}, found {}", callee, n, n == 1 ? "" : "s", call.args.size()));
        return false;
      };
      auto arg = [&](size_t i, ir::Type t) { return elab_as(*call.args[i], Ty::of(t), env); };
      if (callee == "min" || callee == "max") {
        if (call.args.size() < 2) {
          report(DiagnosticCode::wrong_argument_count, sp, fmt::format("`{}` takes two or more values", callee));
          return err();
        }
        std::vector<Val> vals;
        for (const auto& a : call.args) vals.push_back(elab(*a, expect, env));
        // The first typed value gives the unit of plain numbers.
        const Val* typed = nullptr;
        for (const auto& v : vals)
          if (v.ty.k == Ty::K::value) typed = &v;
        Ty want = typed ? typed->ty : Ty{Ty::K::number, {}, false};
        if (typed) want.optional = false;
        if (!typed && expect && expect->k == Ty::K::value) want = *expect;
        std::vector<int32_t> kids;
        bool ok = true;
        for (auto& v : vals) {
          if (want.k == Ty::K::number) materialize(v);
          ok = coerce(v, want.k == Ty::K::number ? v.ty : want, v.span) && ok;
          kids.push_back(v.node);
        }
        if (!ok) return err();
        const ir::TypeRef t = program_.node(kids[0]).type;
        if (!orderable(t.kind)) {
          report(DiagnosticCode::invalid_operands, sp, fmt::format("`{}` compares amounts, rates, counts or dates, not {}", callee, describe(Ty::of(t))));
          return err();
        }
        return val(node_v(callee == "min" ? ir::Op::min : ir::Op::max, t, kids, sp), t);
      }
      if (callee == "present" || callee == "absent") {
        if (!arity(1)) return err();
        const auto* name = ast::dyn_cast<ast::NameRef>(call.args[0].get());
        int32_t n = -1;
        if (name) {
          const std::string path = name->path.dotted();
          const int f = field_index(path);
          const int r = record_index(path);
          if (f >= 0 && program_.schema.fields[static_cast<size_t>(f)].presence == Presence::optional)
            n = node(ir::Op::input_present, bool_t, {}, sp, 0, f);
          else if (r >= 0 && program_.schema.records[static_cast<size_t>(r)].optional)
            n = node(ir::Op::record_present, bool_t, {}, sp, 0, r);
          else if (f >= 0 || r >= 0) {
            report(DiagnosticCode::invalid_operands, call.args[0]->span, fmt::format("`{}` is always present in a request", path))
                .note("only fields declared with `?` and optional records can be absent");
            return err();
          }
        }
        if (n < 0) {
          report(DiagnosticCode::invalid_operands, call.args[0]->span,
                 fmt::format("`{}` takes an optional request field or record, like `enrollment.paid_on`", callee));
          return err();
        }
        if (callee == "absent") n = node(ir::Op::not_, bool_t, {n}, sp);
        return val(n, bool_t);
      }
      if (callee == "age_on") {
        if (!arity(2)) return err();
        Val a = arg(0, Type::date), b = arg(1, Type::date);
        if (!a.ty.ok() || !b.ty.ok()) return err();
        return val(node(ir::Op::age_on, {Type::count, -1}, {a.node, b.node}, sp), {Type::count, -1});
      }
      if (callee == "year_of" || callee == "next_month_start") {
        if (!arity(1)) return err();
        Val a = arg(0, Type::date);
        if (!a.ty.ok()) return err();
        const bool year = callee == "year_of";
        const ir::TypeRef t{year ? Type::count : Type::date, -1};
        return val(node(year ? ir::Op::year_of : ir::Op::next_month_start, t, {a.node}, sp), t);
      }
      if (callee == "date_of") {
        if (!arity(3)) return err();
        Val y = arg(0, Type::count), m = arg(1, Type::count), d = arg(2, Type::count);
        if (!y.ty.ok() || !m.ty.ok() || !d.ty.ok()) return err();
        return val(node(ir::Op::date_of, {Type::date, -1}, {y.node, m.node, d.node}, sp), {Type::date, -1});
      }
      if (callee == "progressive" || callee == "progressive_between") {
        const bool between = callee == "progressive_between";
        if (!arity(between ? 3 : 2)) return err();
        Val s = arg(0, Type::brackets), a = arg(1, Type::money);
        Val b = between ? arg(2, Type::money) : Val{};
        if (!s.ty.ok() || !a.ty.ok() || (between && !b.ty.ok())) return err();
        const ir::TypeRef t{Type::money, -1};
        if (between) return val(node(ir::Op::progressive_between, t, {s.node, a.node, b.node}, sp), t);
        return val(node(ir::Op::progressive, t, {s.node, a.node}, sp), t);
      }
      // A function of the policy or the standard library, inlined.
      const Symbol* sym = call.callee.parts.size() == 1 ? find_symbol(callee) : nullptr;
      if (!sym || sym->kind != Symbol::Kind::fn) {
        std::vector<std::string> names = builtin_functions();
        for (const auto& [n, s] : scope_.symbols)
          if (s.kind == Symbol::Kind::fn) names.push_back(n);
        auto d = report(DiagnosticCode::unknown_name, call.callee.span,
                        sym ? fmt::format("`{}` is not a function", callee) : fmt::format("unknown function `{}`", callee));
        const std::string near = nearest_name(callee, names);
        if (!near.empty() && near != callee) d.help(fmt::format("did you mean `{}`?", near));
        return err();
      }
      used_.insert(callee);
      if (sym->poisoned) return err();
      const ast::Fn& fn = *sym->fn;
      if (!fn.body) {
        report(DiagnosticCode::missing_definition, sp,
               fmt::format("`{}` needs `fn {}`, which this policy does not define", callee, callee))
            .label(sym->name_span, "declared here without a body")
            .help(fmt::format("define `fn {}(...)` in the policy, or `= unspecified \"the source's words\"`", callee));
        return err();
      }
      if (!arity(fn.params.size())) return err();
      if (std::find(fn_stack_.begin(), fn_stack_.end(), &fn) != fn_stack_.end()) {
        report(DiagnosticCode::rule_cycle, sp, fmt::format("function `{}` calls itself", callee));
        return err();
      }
      Env inner;
      inner.decl_name = callee;
      bool ok = true;
      for (size_t i = 0; i < fn.params.size(); ++i) {
        const auto t = resolve_type(fn.params[i].type);
        if (!t) return err();
        Val a = elab_as(*call.args[i], Ty::of(*t), env);
        ok = a.ty.ok() && ok;
        inner.locals.push_back({fn.params[i].name.text, a});
      }
      const auto result = resolve_type(fn.result);
      if (!ok || !result) return err();
      Nested nested(*this, callee, fn.name.span, sp);
      if (!nested.ok()) return err();
      // The body is checked once; later calls inline it quietly.
      Diagnostics scratch(0);
      const bool quiet = fns_checked_.count(&fn) != 0;
      Diagnostics* saved = diags_;
      if (quiet) diags_ = &scratch;
      fn_stack_.push_back(&fn);
      Val body = elab_as(*fn.body, Ty::of(*result), inner);
      fn_stack_.pop_back();
      diags_ = saved;
      fns_checked_.insert(&fn);
      if (!body.ty.ok()) return err();
      body.span = sp;
      return body;
    }
    case ast::NodeKind::Index: {
      const auto& ix = static_cast<const ast::Index&>(expr);
      const auto* base = ast::dyn_cast<ast::NameRef>(ix.base.get());
      const Symbol* sym = base && base->path.parts.size() == 1 ? find_symbol(base->path.parts[0].text) : nullptr;
      if (!sym || !(sym->kind == Symbol::Kind::ledger ||
                    (sym->kind == Symbol::Kind::decl && sym->decl->body == ast::Decl::Body::table))) {
        report(DiagnosticCode::wrong_kind_of_name, ix.base->span, "only tables and keyed ledgers are looked up with `[...]`");
        return err();
      }
      used_.insert(sym->name);
      if (sym->kind == Symbol::Kind::ledger) {
        const int32_t l = ledger_for(*sym);
        if (l < 0) return err();
        const ir::Ledger& ledger = program_.ledgers[static_cast<size_t>(l)];
        if (!ledger.keyed || ix.keys.size() != 1) {
          report(DiagnosticCode::wrong_argument_count, sp, fmt::format("ledger `{}` takes {} key", sym->name, ledger.keyed ? "one" : "no"));
          return err();
        }
        const int d = domain_index(sym->ledger->key->name.text);
        Val k = elab_as(*ix.keys[0], Ty::of(ir::TypeRef{Type::domain, d}), env);
        if (!k.ty.ok()) return err();
        return val(node(ir::Op::ledger, {Type::money, -1}, {k.node}, sp, 0, l), {Type::money, -1});
      }
      const int32_t t = lower_table(*sym);
      if (t < 0) return err();
      const ir::Table& table = program_.tables[static_cast<size_t>(t)];
      if (ix.keys.size() != table.dims.size()) {
        report(DiagnosticCode::wrong_argument_count, sp,
               fmt::format("table `{}` takes {} key{}, found {}", sym->name, table.dims.size(), table.dims.size() == 1 ? "" : "s", ix.keys.size()));
        return err();
      }
      std::vector<int32_t> kids;
      for (size_t i = 0; i < ix.keys.size(); ++i) {
        Val k = elab(*ix.keys[i], nullptr, env);
        ir::TypeRef want = table.dims[i].key_type;
        Ty want_ty = Ty::of(want);
        // A key of an enumeration may be written as a bare member name.
        if (k.ty.k == Ty::K::error && want.kind == Type::enumeration) return err();
        if (!coerce(k, want_ty, ix.keys[i]->span)) return err();
        kids.push_back(k.node);
      }
      return val(node_v(ir::Op::table, table.value_type, kids, sp, 0, t), table.value_type);
    }
    case ast::NodeKind::Unary: {
      const auto& u = static_cast<const ast::Unary&>(expr);
      if (u.op == ast::UnaryOp::logical_not) {
        Val a = elab_as(*u.operand, Ty::of(Type::boolean), env);
        if (!a.ty.ok()) return err();
        return val(node(ir::Op::not_, bool_t, {a.node}, sp), bool_t);
      }
      Val a = elab(*u.operand, expect, env);
      if (a.ty.k == Ty::K::number) {
        a.micros = -a.micros;
        a.span = sp;
        return a;
      }
      if (!a.ty.ok()) return err();
      if (!(a.ty.is(Type::money) || a.ty.is(Type::count) || a.ty.is(Type::points) || a.ty.is(Type::rate))) {
        report(DiagnosticCode::invalid_operands, sp, fmt::format("cannot negate {}", describe(a.ty)));
        return err();
      }
      return val(node(ir::Op::neg, a.ty.t, {a.node}, sp), a.ty.t);
    }
    case ast::NodeKind::Binary: {
      const auto& b = static_cast<const ast::Binary&>(expr);
      using BO = ast::BinaryOp;
      if (b.op == BO::logical_and || b.op == BO::logical_or) {
        Val l = elab_as(*b.lhs, Ty::of(Type::boolean), env);
        std::vector<int> fs;
        facts(*b.lhs, b.op == BO::logical_and, fs);
        FactScope scope(env, fs);
        Val r = elab_as(*b.rhs, Ty::of(Type::boolean), env);
        if (!l.ty.ok() || !r.ty.ok()) return err();
        return val(node(b.op == BO::logical_and ? ir::Op::and_ : ir::Op::or_, bool_t, {l.node, r.node}, sp), bool_t);
      }
      if (b.op == BO::in || b.op == BO::has || b.op == BO::has_any) {
        if (b.op == BO::in) {
          Val l = elab(*b.lhs, nullptr, env);
          if (!l.ty.ok()) return err();
          if (!l.ty.is(Type::enumeration)) {
            report(DiagnosticCode::invalid_operands, b.lhs->span, fmt::format("`in` tests a member of an enumeration, found {}", describe(l.ty)))
                .help("for a range of dates or numbers write `x in lo..hi`");
            return err();
          }
          Val r = elab_as(*b.rhs, Ty::of(ir::TypeRef{Type::enum_set, l.ty.t.ref}), env);
          if (!r.ty.ok()) return err();
          return val(node(ir::Op::member_of, bool_t, {l.node, r.node}, sp), bool_t);
        }
        Val l = elab(*b.lhs, nullptr, env);
        if (!l.ty.ok()) return err();
        if (!l.ty.is(Type::enum_set)) {
          report(DiagnosticCode::invalid_operands, b.lhs->span, fmt::format("`{}` tests a set, found {}", binary_text(b.op), describe(l.ty)));
          return err();
        }
        if (b.op == BO::has) {
          Val r = elab_as(*b.rhs, Ty::of(ir::TypeRef{Type::enumeration, l.ty.t.ref}), env);
          if (!r.ty.ok()) return err();
          return val(node(ir::Op::set_has, bool_t, {l.node, r.node}, sp), bool_t);
        }
        Val r = elab_as(*b.rhs, Ty::of(l.ty.t), env);
        if (!r.ty.ok()) return err();
        return val(node(ir::Op::set_has_any, bool_t, {l.node, r.node}, sp), bool_t);
      }
      Val l = elab(*b.lhs, nullptr, env);
      // The left side's type lets bare member names and numbers on the right resolve.
      Ty hint = l.ty;
      hint.optional = false;
      // Only bare member names need it; numbers are unified below, after the lint.
      const bool names = hint.k == Ty::K::value && (hint.t.kind == Type::enumeration || hint.t.kind == Type::enum_set);
      Val r = elab(*b.rhs, names ? &hint : nullptr, env);
      if (!l.ty.ok() || !r.ty.ok()) return err();
      switch (b.op) {
        case BO::eq: case BO::ne: case BO::lt: case BO::le: case BO::gt: case BO::ge: {
          // A domain value (a level, a tier) compared with a number that decides the
          // comparison whatever the request: a warning, not an error.
          for (auto [typed, num] : {std::pair{&l, &r}, std::pair{&r, &l}}) {
            if (!typed->ty.is(Type::domain) || num->ty.k != Ty::K::number || num->micros % 1'000'000 != 0) continue;
            const auto& d = program_.domains[static_cast<size_t>(typed->ty.t.ref)];
            const int64_t n = num->micros / 1'000'000;
            // Written as `x op n`; when the number is on the left, mirror the operator.
            BO op = b.op;
            if (typed == &r) op = op == BO::lt ? BO::gt : op == BO::gt ? BO::lt : op == BO::le ? BO::ge : op == BO::ge ? BO::le : op;
            const bool never = (op == BO::eq && (n < d.lo || n > d.hi)) || (op == BO::gt && n >= d.hi) ||
                               (op == BO::lt && n <= d.lo) || (op == BO::ge && n > d.hi) || (op == BO::le && n < d.lo);
            if (never)
              report(DiagnosticCode::condition_never_holds, sp,
                     fmt::format("this condition can never hold: `{}` is {}..{}", d.name, d.lo, d.hi));
            if (n < d.lo || n > d.hi) *num = Val{constant(typed->ty.t, n, num->span), Ty::of(typed->ty.t), 0, 0, num->span};
          }
          if (!unify(l, r, sp, fmt::format("cannot compare with `{}`: comparison", binary_text(b.op)))) return err();
          const ir::Type k = program_.node(l.node).type.kind;
          const bool equality = b.op == BO::eq || b.op == BO::ne;
          if (k == Type::brackets || k == Type::text || (!equality && !orderable(k))) {
            report(DiagnosticCode::invalid_operands, b.op_span, fmt::format("cannot compare {} with `{}`", describe(l.ty), binary_text(b.op)));
            return err();
          }
          const ir::Op op = b.op == BO::eq ? ir::Op::eq : b.op == BO::ne ? ir::Op::ne : b.op == BO::lt ? ir::Op::lt
                          : b.op == BO::le ? ir::Op::le : b.op == BO::gt ? ir::Op::gt : ir::Op::ge;
          return val(node(op, bool_t, {l.node, r.node}, sp), bool_t);
        }
        case BO::add:
        case BO::sub: {
          const ir::Op op = b.op == BO::add ? ir::Op::add : ir::Op::sub;
          if (l.ty.is(Type::date) || r.ty.is(Type::date)) {
            if (l.ty.is(Type::date) && r.ty.is(Type::duration) && !l.ty.optional)
              return val(node(b.op == BO::add ? ir::Op::date_add : ir::Op::date_sub, {Type::date, -1}, {l.node, r.node}, sp), {Type::date, -1});
            if (l.ty.optional) {
              coerce(l, Ty::of(Type::date), l.span);
              return err();
            }
            report(DiagnosticCode::invalid_operands, b.op_span,
                   fmt::format("cannot {} {} and {}", b.op == BO::add ? "add" : "subtract", describe(l.ty), describe(r.ty)))
                .help("a date moves by a duration: `paid_on + 90 days`, `paid_on + 3 months`");
            return err();
          }
          if ((l.ty.is(Type::rate) && (r.ty.is(Type::points) || r.ty.k == Ty::K::number))) {
            if (r.ty.k == Ty::K::number) {
              report(DiagnosticCode::type_mismatch, r.span, "a rate changes by points: write `+ 5 points`");
              return err();
            }
            return val(node(op, {Type::rate, -1}, {l.node, r.node}, sp), {Type::rate, -1});
          }
          if (!unify(l, r, sp, fmt::format("cannot {} values of different units:", b.op == BO::add ? "add" : "subtract"))) {
            return err();
          }
          const ir::TypeRef t = program_.node(l.node).type;
          if (!(t.kind == Type::money || t.kind == Type::count || t.kind == Type::points)) {
            report(DiagnosticCode::invalid_operands, b.op_span, fmt::format("cannot {} {}", b.op == BO::add ? "add" : "subtract", describe(Ty::of(t))))
                .note(t.kind == Type::rate ? "rates change by points: `80% + 5 points`" : "arithmetic is on money, counts and points");
            return err();
          }
          return val(node(op, t, {l.node, r.node}, sp), t);
        }
        case BO::mul: {
          Val* money = l.ty.is(Type::money) ? &l : r.ty.is(Type::money) ? &r : nullptr;
          Val* rate = l.ty.is(Type::rate) ? &l : r.ty.is(Type::rate) ? &r : nullptr;
          Val* other = money == &l ? &r : &l;
          if (rate && rate->ty.optional) return err();
          if (rate) {
            Val* amount = rate == &l ? &r : &l;
            if (!coerce(*amount, Ty::of(Type::money), amount->span)) return err();
            return val(node(ir::Op::mul_rate, {Type::money, -1}, {amount->node, rate->node}, sp), {Type::money, -1});
          }
          if (money) {
            if (!coerce(*other, Ty::of(Type::count), other->span)) {
              report(DiagnosticCode::invalid_operands, b.op_span, "money is multiplied by a rate or a count")
                  .help("a share of an amount is `80% * amount`");
              return err();
            }
            return val(node(ir::Op::mul, {Type::money, -1}, {l.node, r.node}, sp), {Type::money, -1});
          }
          if (l.ty.k == Ty::K::number && r.ty.k == Ty::K::number) {
            materialize(l);
            materialize(r);
          }
          if (!coerce(l, Ty::of(Type::count), l.span) || !coerce(r, Ty::of(Type::count), r.span)) return err();
          return val(node(ir::Op::mul, {Type::count, -1}, {l.node, r.node}, sp), {Type::count, -1});
        }
        default: break;
      }
      return err();
    }
    case ast::NodeKind::InRange: {
      const auto& ir_ = static_cast<const ast::InRange&>(expr);
      Val v = elab(*ir_.value, nullptr, env);
      Ty hint = v.ty;
      hint.optional = false;
      Val lo = elab(*ir_.lo, hint.k == Ty::K::value ? &hint : nullptr, env);
      Val hi = elab(*ir_.hi, hint.k == Ty::K::value ? &hint : nullptr, env);
      if (!unify(v, lo, sp, "range of") || !unify(v, hi, sp, "range of")) return err();
      if (!orderable(program_.node(v.node).type.kind)) {
        report(DiagnosticCode::invalid_operands, sp, "a range holds dates, amounts or numbers");
        return err();
      }
      return val(node(ir::Op::in_range, bool_t, {v.node, lo.node, hi.node}, sp), bool_t);
    }
    case ast::NodeKind::If: {
      const auto& e = static_cast<const ast::If&>(expr);
      Val c = elab_as(*e.condition, Ty::of(Type::boolean), env);
      std::vector<int> yes, no;
      facts(*e.condition, true, yes);
      facts(*e.condition, false, no);
      Val a, b;
      {
        FactScope s(env, yes);
        a = elab(*e.then_value, expect, env);
      }
      {
        FactScope s(env, no);
        b = elab(*e.else_value, expect, env);
      }
      if (!c.ty.ok()) return err();
      if (expect && expect->k == Ty::K::value) {
        // Both branches are checked (and reported) before giving up.
        const bool then_ok = coerce(a, *expect, e.then_value->span);
        const bool else_ok = coerce(b, *expect, e.else_value->span);
        if (!then_ok || !else_ok) return err();
      } else if (!unify(a, b, sp, "the branches of `if` have different types:")) {
        return err();
      }
      if (a.ty.k == Ty::K::bottom && b.ty.k == Ty::K::bottom) return a;
      const ir::TypeRef t = a.ty.k == Ty::K::value ? a.ty.t : b.ty.t;
      return val(node(ir::Op::if_, t, {c.node, a.node, b.node}, sp), t);
    }
    case ast::NodeKind::Match: {
      const auto& m = static_cast<const ast::Match&>(expr);
      Val subject = elab(*m.subject, nullptr, env);
      if (!subject.ty.ok()) return err();
      if (!(subject.ty.is(Type::enumeration) || subject.ty.is(Type::domain))) {
        report(DiagnosticCode::invalid_operands, m.subject->span, fmt::format("`match` takes an enumeration or a domain, found {}", describe(subject.ty)));
        return err();
      }
      const ir::TypeRef key_type = subject.ty.t;
      int64_t lo = 0, hi = 0;
      if (key_type.kind == Type::domain) {
        lo = program_.domains[static_cast<size_t>(key_type.ref)].lo;
        hi = program_.domains[static_cast<size_t>(key_type.ref)].hi;
      } else {
        hi = static_cast<int64_t>(program_.schema.enums[static_cast<size_t>(key_type.ref)].members.size()) - 1;
      }
      ir::Switch sw;
      sw.lo = lo;
      sw.arms.assign(static_cast<size_t>(hi - lo + 1), -1);
      std::vector<Val> values;
      std::vector<Span> first_seen(sw.arms.size());
      int else_arm = -1;
      bool ok = true;
      for (const auto& arm : m.arms) {
        values.push_back(elab(*arm.value, expect, env));
        const int arm_index = static_cast<int>(values.size());  // kid index: subject is kid 0
        if (arm.is_else) {
          else_arm = arm_index;
          continue;
        }
        for (const auto& key : arm.keys) {
          const auto k = key_value(key, key_type);
          if (!k) {
            ok = false;
            continue;
          }
          auto& slot = sw.arms[static_cast<size_t>(*k - lo)];
          if (slot >= 0) {
            report(DiagnosticCode::duplicate_key, key.span, fmt::format("`{}` appears twice in this `match`", key.text))
                .label(first_seen[static_cast<size_t>(*k - lo)], "first here");
            ok = false;
            continue;
          }
          slot = arm_index;
          first_seen[static_cast<size_t>(*k - lo)] = key.span;
        }
      }
      std::vector<std::string> missing;
      for (size_t i = 0; i < sw.arms.size(); ++i) {
        if (sw.arms[i] >= 0) continue;
        if (else_arm >= 0)
          sw.arms[i] = else_arm;
        else
          missing.push_back(key_text(key_type, lo + static_cast<int64_t>(i)));
      }
      if (!missing.empty()) {
        std::string list;
        for (size_t i = 0; i < missing.size(); ++i) list += (i ? ", " : "") + ("`" + missing[i] + "`");
        report(DiagnosticCode::match_incomplete, sp, fmt::format("this `match` has no arm for {}", list))
            .help("add the missing keys, or an `else:` arm");
        ok = false;
      }
      if (!ok || values.empty()) return err();
      // All arms share one type: the expected one, or the first typed arm's.
      Ty want;
      if (expect && expect->k == Ty::K::value) {
        want = *expect;
      } else {
        want = Ty{Ty::K::number, {}, false};
        for (const auto& v : values)
          if (v.ty.k == Ty::K::value) {
            want = v.ty;
            want.optional = false;
            break;
          }
      }
      std::vector<int32_t> kids{subject.node};
      for (size_t i = 0; i < values.size(); ++i) {
        if (want.k == Ty::K::number) materialize(values[i]);
        if (!coerce(values[i], want.k == Ty::K::number ? values[i].ty : want, m.arms[i].value->span)) ok = false;
        kids.push_back(values[i].node);
      }
      if (!ok) return err();
      ir::TypeRef t = want.k == Ty::K::value ? want.t : program_.node(kids[1]).type;
      program_.switches.push_back(std::move(sw));
      return val(node_v(ir::Op::switch_, t, kids, sp, 0, static_cast<int32_t>(program_.switches.size() - 1)), t);
    }
    case ast::NodeKind::Highest: {
      const auto& h = static_cast<const ast::Highest&>(expr);
      Val set = elab(*h.set, nullptr, env);
      if (!set.ty.ok()) return err();
      if (!set.ty.is(Type::enum_set)) {
        report(DiagnosticCode::invalid_operands, h.set->span, fmt::format("`highest` runs over a set, found {}", describe(set.ty)));
        return err();
      }
      const int32_t e = set.ty.t.ref;
      const auto& members = program_.schema.enums[static_cast<size_t>(e)].members;
      std::vector<int32_t> kids{set.node, -1};
      Ty want = expect && expect->k == Ty::K::value ? *expect : Ty{Ty::K::number, {}, false};
      Diagnostics scratch(0);
      for (size_t m = 0; m < members.size(); ++m) {
        Env::Local local{h.var.text, Val{constant({Type::enumeration, e}, static_cast<int64_t>(m), h.var.span),
                                         Ty::of(ir::TypeRef{Type::enumeration, e}), 0, 0, h.var.span}};
        env.locals.push_back(local);
        Diagnostics* saved = diags_;
        if (m > 0) diags_ = &scratch;  // the same body for every member: report once
        Val v = elab(*h.body, want.k == Ty::K::value ? &want : nullptr, env);
        if (want.k == Ty::K::number && v.ty.k == Ty::K::value) {
          want = v.ty;
          want.optional = false;
        }
        if (want.k == Ty::K::number) materialize(v), want = v.ty;
        coerce(v, want, h.body->span);
        diags_ = saved;
        env.locals.pop_back();
        if (!v.ty.ok()) return err();
        kids.push_back(v.node);
      }
      Val fallback = elab_as(*h.fallback, want, env);
      if (!fallback.ty.ok()) return err();
      kids[1] = fallback.node;
      if (!orderable(want.t.kind)) {
        report(DiagnosticCode::invalid_operands, h.body->span, fmt::format("`highest` compares amounts, rates or counts, not {}", describe(want)));
        return err();
      }
      return val(node_v(ir::Op::highest, want.t, kids, sp), want.t);
    }
    case ast::NodeKind::Adjust: {
      const auto& a = static_cast<const ast::Adjust&>(expr);
      Val base = elab(*a.base, nullptr, env);
      if (!base.ty.ok()) return err();
      if (!(base.ty.is(Type::rate) || base.ty.is(Type::brackets))) {
        report(DiagnosticCode::invalid_operands, a.base->span, fmt::format("`adjust` changes a rate or brackets, found {}", describe(base.ty)));
        return err();
      }
      std::vector<int32_t> kids{base.node};
      ir::Adjust adj;
      bool ok = true;
      const ast::AdjustLine* always = nullptr;  // an override whose condition is `true`
      for (int pass = 0; pass < 2; ++pass) {  // overrides first, then additions
        for (const auto& line : a.lines) {
          if (line.is_override != (pass == 0)) continue;
          Val c = elab_as(*line.condition, Ty::of(Type::boolean), env);
          Val v = elab_as(*line.value, Ty::of(line.is_override ? Type::rate : Type::points), env);
          if (!c.ty.ok() || !v.ty.ok()) {
            ok = false;
            continue;
          }
          if (line.is_override && always)
            report(DiagnosticCode::hidden_override, line.span, "this override never applies")
                .label(always->span, "this earlier override always applies");
          if (line.is_override && program_.node(c.node).op == ir::Op::constant && program_.node(c.node).imm != 0 && !always)
            always = &line;
          if (line.is_override)
            for (const auto& earlier : a.lines) {
              if (&earlier == &line) break;
              if (earlier.is_override && sources_.text(earlier.condition->span) == sources_.text(line.condition->span))
                report(DiagnosticCode::hidden_override, line.span, "this override is hidden by an earlier one with the same condition")
                    .label(earlier.span, "this one applies first");
            }
          kids.push_back(c.node);
          kids.push_back(v.node);
          adj.lines.push_back(ir::AdjustLine{line.is_override, static_cast<uint32_t>(kids.size() - 2), static_cast<uint32_t>(kids.size() - 1)});
        }
      }
      if (!ok) return err();
      program_.adjusts.push_back(std::move(adj));
      return val(node_v(ir::Op::adjust, base.ty.t, kids, sp, 0, static_cast<int32_t>(program_.adjusts.size() - 1)), base.ty.t);
    }
    case ast::NodeKind::Unspecified: {
      const auto& u = static_cast<const ast::Unspecified&>(expr);
      if (!u.words) {
        report(DiagnosticCode::missing_words, sp, "`unspecified` needs the source's words")
            .help("quote what the document says, e.g. `unspecified \"按规定予以报销\"`");
        return err();
      }
      const std::string name = u.name ? u.name->text : env.decl_name;
      Val v{unspecified_node(name, u.words->value, sp), Ty{Ty::K::bottom, {}, false}, 0, 0, sp};
      if (expect && expect->k == Ty::K::value) coerce(v, *expect, sp);
      return v;
    }
    default: break;
  }
  report(DiagnosticCode::syntax_error, sp, "this expression is not supported here");
  return err();
}

}  // namespace yibao::compiler
