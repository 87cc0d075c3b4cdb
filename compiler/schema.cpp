// Enumerations, domains and the request schema (`input`) -> ir::Schema. The
// runtime reads JSON by this schema, so every field's type, presence and
// default is fixed here; request checks become IR conditions.
#include <fmt/format.h>

#include "compiler/lowerer.h"

namespace yibao::compiler {

int Lowerer::enum_index(std::string_view name) const {
  for (size_t i = 0; i < program_.schema.enums.size(); ++i)
    if (program_.schema.enums[i].name == name) return static_cast<int>(i);
  return -1;
}

int Lowerer::domain_index(std::string_view name) const {
  for (size_t i = 0; i < program_.domains.size(); ++i)
    if (program_.domains[i].name == name) return static_cast<int>(i);
  return -1;
}

int Lowerer::field_index(std::string_view path) const { return program_.schema.find_field(path); }
int Lowerer::record_index(std::string_view name) const { return program_.schema.find_record(name); }

std::optional<ir::TypeRef> Lowerer::resolve_type(const ast::TypeRef& type, bool report_errors) {
  using F = ast::TypeRef::Form;
  if (type.form == F::builtin) {
    switch (type.builtin) {
      case ast::BuiltinType::money: return ir::TypeRef{ir::Type::money, -1};
      case ast::BuiltinType::rate: return ir::TypeRef{ir::Type::rate, -1};
      case ast::BuiltinType::points: return ir::TypeRef{ir::Type::points, -1};
      case ast::BuiltinType::count: return ir::TypeRef{ir::Type::count, -1};
      case ast::BuiltinType::boolean: return ir::TypeRef{ir::Type::boolean, -1};
      case ast::BuiltinType::date: return ir::TypeRef{ir::Type::date, -1};
      case ast::BuiltinType::duration: return ir::TypeRef{ir::Type::duration, -1};
      case ast::BuiltinType::text: return ir::TypeRef{ir::Type::text, -1};
      case ast::BuiltinType::brackets: return ir::TypeRef{ir::Type::brackets, -1};
    }
  }
  const int e = enum_index(type.name.text);
  if (type.form == F::set_of) {
    if (e >= 0) return ir::TypeRef{ir::Type::enum_set, e};
  } else {
    if (e >= 0) return ir::TypeRef{ir::Type::enumeration, e};
    const int d = domain_index(type.name.text);
    if (d >= 0) return ir::TypeRef{ir::Type::domain, d};
  }
  if (report_errors) {
    std::vector<std::string> names = {"money", "rate", "points", "count", "bool", "date", "duration", "text", "brackets"};
    for (const auto& en : program_.schema.enums) names.push_back(en.name);
    for (const auto& d : program_.domains) names.push_back(d.name);
    auto d = report(DiagnosticCode::unknown_type, type.name.span, fmt::format("unknown type `{}`", type.name.text));
    const std::string near = nearest_name(type.name.text, names);
    if (!near.empty()) d.help(fmt::format("did you mean `{}`?", near));
  }
  return std::nullopt;
}

void Lowerer::lower_schema() {
  for (const ast::Enum* e : scope_.enums) {
    EnumSpec spec;
    spec.name = e->name.text;
    for (const auto& m : e->members) {
      for (const auto& other : spec.members)
        if (other == m.name.text)
          report(DiagnosticCode::duplicate_definition, m.name.span,
                 fmt::format("`{}` is listed twice in enumeration `{}`", m.name.text, e->name.text));
      spec.members.push_back(m.name.text);
    }
    if (spec.members.size() > 64)
      report(DiagnosticCode::invalid_input, e->name.span,
             fmt::format("enumeration `{}` has {} members; at most 64 are supported", e->name.text, spec.members.size()));
    program_.schema.enums.push_back(std::move(spec));
  }
  for (const ast::Domain* d : scope_.domains) {
    if (!d->lo.is_integer() || !d->hi.is_integer() || d->lo.integer() > d->hi.integer() ||
        d->hi.integer() - d->lo.integer() > 1000) {
      report(DiagnosticCode::invalid_literal, d->span,
             fmt::format("domain `{}` must be a range of whole numbers `lo..hi` with lo <= hi (at most 1000 values)",
                         d->name.text));
      program_.domains.push_back(ir::Domain{d->name.text, 0, 0});
      continue;
    }
    program_.domains.push_back(ir::Domain{d->name.text, d->lo.integer(), d->hi.integer()});
  }
  if (!scope_.input) {
    report(DiagnosticCode::invalid_input, root_file().policy ? root_file().policy->span : Span{},
           "this policy has no request schema")
        .help("add `use std.resident`, which declares the request and result records");
    return;
  }

  // Fields first (checks and defaults refer to them), then checks.
  struct PendingDefault {
    int field;
    const ast::Expr* value;
  };
  std::vector<PendingDefault> defaults;
  std::vector<std::pair<const ast::InputCheck*, int>> checks;

  auto add_field = [&](const ast::InputField& f, int record, const std::string& prefix) {
    FieldSpec spec;
    spec.path = prefix + f.name.text;
    spec.record = record;
    if (field_index(spec.path) >= 0) {
      report(DiagnosticCode::duplicate_definition, f.name.span, fmt::format("field `{}` is declared twice", spec.path));
      return;
    }
    const auto t = resolve_type(f.type);
    if (!t) return;
    switch (t->kind) {
      case ir::Type::text: spec.type = FieldType::text; break;
      case ir::Type::boolean: spec.type = FieldType::boolean; break;
      case ir::Type::money: spec.type = FieldType::money; break;
      case ir::Type::date: spec.type = FieldType::date; break;
      case ir::Type::enumeration: spec.type = FieldType::enumeration; spec.enum_index = t->ref; break;
      case ir::Type::enum_set: spec.type = FieldType::enum_set; spec.enum_index = t->ref; break;
      case ir::Type::domain: {
        spec.type = FieldType::integer_range;
        const auto& d = program_.domains[static_cast<size_t>(t->ref)];
        spec.range_lo = d.lo;
        spec.range_hi = d.hi;
        break;
      }
      default:
        report(DiagnosticCode::invalid_input, f.type.span,
               fmt::format("a request field cannot be of type `{}`", ir::type_name(t->kind)))
            .note("request fields are text, bool, money, date, an enumeration, a domain or a set");
        return;
    }
    spec.presence = f.type.optional ? Presence::optional : f.default_value ? Presence::defaulted : Presence::required;
    if (f.type.optional && f.default_value)
      report(DiagnosticCode::invalid_input, f.default_value->span, "an optional field (`?`) has no default");
    program_.schema.fields.push_back(std::move(spec));
    const int index = static_cast<int>(program_.schema.fields.size()) - 1;
    if (f.default_value) defaults.push_back({index, f.default_value.get()});
  };

  for (const auto& member : scope_.input->members) {
    if (const auto* f = ast::dyn_cast<ast::InputField>(member.get())) {
      add_field(*f, -1, "");
    } else if (const auto* r = ast::dyn_cast<ast::InputRecord>(member.get())) {
      if (record_index(r->name.text) >= 0) {
        report(DiagnosticCode::duplicate_definition, r->name.span, fmt::format("record `{}` is declared twice", r->name.text));
        continue;
      }
      program_.schema.records.push_back(RecordSpec{r->name.text, r->optional});
      const int record = static_cast<int>(program_.schema.records.size()) - 1;
      for (const auto& inner : r->members) {
        if (const auto* field = ast::dyn_cast<ast::InputField>(inner.get())) {
          add_field(*field, record, r->name.text + ".");
        } else if (const auto* c = ast::dyn_cast<ast::InputCheck>(inner.get())) {
          checks.emplace_back(c, r->optional ? record : -1);
        } else if (ast::isa<ast::InputRecord>(*inner)) {
          report(DiagnosticCode::invalid_input, inner->span, "records nest one level: a record cannot hold a record");
        } else if (ast::isa<ast::InputLedgerKey>(*inner)) {
          report(DiagnosticCode::invalid_input, inner->span, "`ledger key` belongs at the top of `input`");
        }
      }
    } else if (const auto* c = ast::dyn_cast<ast::InputCheck>(member.get())) {
      checks.emplace_back(c, -1);
    }
  }
  for (const auto& member : scope_.input->members) {
    const auto* k = ast::dyn_cast<ast::InputLedgerKey>(member.get());
    if (!k) continue;
    const int f = field_index(k->path.dotted());
    if (f < 0 || program_.schema.fields[static_cast<size_t>(f)].type != FieldType::text)
      report(DiagnosticCode::invalid_input, k->path.span,
             fmt::format("the ledger key must be a text field of the request, not `{}`", k->path.dotted()));
    else
      program_.ledger_key_field = f;
  }
  const int id = field_index("id");
  if (id >= 0 && program_.schema.fields[static_cast<size_t>(id)].type == FieldType::text) program_.schema.id_field = id;

  for (const auto& d : defaults) {
    FieldSpec& spec = program_.schema.fields[static_cast<size_t>(d.field)];
    // A default may name another field of the same record (`compliant: money = total`).
    if (const auto* name = ast::dyn_cast<ast::NameRef>(d.value); name && name->path.parts.size() == 1) {
      const auto dot = spec.path.rfind('.');
      const std::string sibling = (dot == std::string::npos ? "" : spec.path.substr(0, dot + 1)) + name->path.parts[0].text;
      const int other = field_index(sibling);
      if (other >= 0) {
        if (program_.schema.fields[static_cast<size_t>(other)].type != spec.type)
          report(DiagnosticCode::type_mismatch, d.value->span, fmt::format("`{}` has another type than `{}`", sibling, spec.path));
        spec.default_from = other;
        continue;
      }
    }
    ir::TypeRef t;
    switch (spec.type) {
      case FieldType::text: t = {ir::Type::text, -1}; break;
      case FieldType::boolean: t = {ir::Type::boolean, -1}; break;
      case FieldType::money: t = {ir::Type::money, -1}; break;
      case FieldType::date: t = {ir::Type::date, -1}; break;
      case FieldType::enumeration: t = {ir::Type::enumeration, spec.enum_index}; break;
      case FieldType::enum_set: t = {ir::Type::enum_set, spec.enum_index}; break;
      case FieldType::integer_range: {
        for (size_t i = 0; i < program_.domains.size(); ++i)
          if (program_.domains[i].lo == spec.range_lo && program_.domains[i].hi == spec.range_hi)
            t = {ir::Type::domain, static_cast<int32_t>(i)};
        break;
      }
    }
    Env env;
    Val v = elab_as(*d.value, Ty::of(t), env);
    if (!v.ty.ok()) continue;
    const ir::Node& n = program_.node(v.node);
    if (n.op != ir::Op::constant || t.kind == ir::Type::text) {
      report(DiagnosticCode::invalid_input, d.value->span, "a default must be a constant or another field of the record");
      continue;
    }
    spec.default_value = n.imm;
  }

  for (const auto& [c, record] : checks) {
    Env env;
    Val cond = elab_as(*c->condition, Ty::of(ir::Type::boolean), env);
    const int f = field_index(c->field.dotted());
    if (f < 0) {
      report(DiagnosticCode::unknown_name, c->field.span, fmt::format("no request field `{}`", c->field.dotted()));
      continue;
    }
    if (!cond.ty.ok()) continue;
    program_.checks.push_back(ir::Check{cond.node, record, f, c->message.value, loc(c->span)});
  }
  if (const Status s = program_.schema.validate(); !s.ok())
    report(DiagnosticCode::invalid_input, scope_.input->span, fmt::format("invalid request schema: {}", s.error()));
}

}  // namespace yibao::compiler
