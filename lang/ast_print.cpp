#include "lang/ast_print.h"

#include <fmt/format.h>

namespace yibao::ast {
namespace {

std::string quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string type_text(const TypeRef& type) {
  std::string out = type.form == TypeRef::Form::set_of ? "set of " + type.name.text : type.name.text;
  if (type.optional) out += '?';
  return out;
}

// In S-expressions: `money`, `level?`, `(set-of cause)`, `(set-of cause)?`.
std::string sexpr_type(const TypeRef& type) {
  std::string out = type.form == TypeRef::Form::set_of ? "(set-of " + type.name.text + ")" : type.name.text;
  if (type.optional) out += '?';
  return out;
}

std::string date_text(const DateLit& date) { return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day); }

std::string keys_text(const std::vector<Key>& keys, std::string_view separator) {
  std::string out;
  for (const auto& key : keys) {
    if (!out.empty()) out += separator;
    out += key.text;
  }
  return out;
}

// ---------------------------------------------------------------- S-expr

class SexprPrinter {
 public:
  std::string expr(const Expr& e) {
    return visit(e, [&](const auto& node) { return this->node(node); });
  }

  std::string file(const File& f) {
    if (f.policy) {
      const auto& h = *f.policy;
      line(0, fmt::format("(policy {} {}", h.id.text, quote(h.title.value)));
      for (const auto& field : h.fields) {
        std::string value;
        switch (field.kind) {
          case HeaderField::Kind::region:
          case HeaderField::Kind::source: value = quote(field.text.value); break;
          case HeaderField::Kind::year: value = field.year.text; break;
          case HeaderField::Kind::extends: value = field.policy.text; break;
        }
        line(1, fmt::format("({} {})", header_field_name(field.kind), value));
      }
      close();
    }
    if (f.module) {
      line(0, fmt::format("(module {}{})", f.module->name.dotted(),
                          f.module->title ? " " + quote(f.module->title->value) : ""));
    }
    if (f.examples) line(0, fmt::format("(examples-for {})", f.examples->policy.text));
    for (const auto& item : f.items) {
      visit(*item, [&](const auto& node) { this->item(node); });
    }
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
    return std::move(out_);
  }

 private:
  // Starts a new line at `indent` levels with `text`.
  void line(int indent, const std::string& text) {
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
    out_.append(static_cast<size_t>(indent) * 2, ' ');
    out_ += text;
  }
  void close() { out_ += ")\n"; }

  std::string opt_expr(const ExprPtr& e) { return e ? expr(*e) : "<null>"; }

  // Expressions.
  std::string node(const NumberLit& e) {
    switch (e.unit) {
      case Unit::none: return e.number.text;
      case Unit::percent: return e.number.text + "%";
      default: return fmt::format("({} {})", unit_name(e.unit), e.number.text);
    }
  }
  std::string node(const DateLit& e) { return date_text(e); }
  std::string node(const BoolLit& e) { return e.value ? "true" : "false"; }
  std::string node(const StringLit& e) { return quote(e.value); }
  std::string node(const SetLit& e) {
    std::string out = "(set";
    for (const auto& x : e.elements) out += " " + opt_expr(x);
    return out + ")";
  }
  std::string node(const BracketsLit& e) {
    std::string out = "(brackets";
    for (const auto& s : e.segments) {
      out += s.is_above() ? fmt::format(" (above {} {})", s.lo.text, opt_expr(s.rate))
                          : fmt::format(" ({} {} {})", s.lo.text, s.hi->text, opt_expr(s.rate));
    }
    return out + ")";
  }
  std::string node(const NameRef& e) { return e.path.dotted(); }
  std::string node(const Call& e) {
    std::string out = "(call " + e.callee.dotted();
    for (const auto& a : e.args) out += " " + opt_expr(a);
    return out + ")";
  }
  std::string node(const Index& e) {
    std::string out = "(index " + opt_expr(e.base);
    for (const auto& k : e.keys) out += " " + opt_expr(k);
    return out + ")";
  }
  std::string node(const Unary& e) { return fmt::format("({} {})", unary_op_name(e.op), opt_expr(e.operand)); }
  std::string node(const Binary& e) {
    const std::string_view op = e.op == BinaryOp::has_any ? std::string_view("has-any") : binary_op_name(e.op);
    return fmt::format("({} {} {})", op, opt_expr(e.lhs), opt_expr(e.rhs));
  }
  std::string node(const InRange& e) {
    return fmt::format("(in-range {} {} {})", opt_expr(e.value), opt_expr(e.lo), opt_expr(e.hi));
  }
  std::string node(const If& e) {
    return fmt::format("(if {} {} {})", opt_expr(e.condition), opt_expr(e.then_value), opt_expr(e.else_value));
  }
  std::string node(const Match& e) {
    std::string out = "(match " + opt_expr(e.subject);
    for (const auto& arm : e.arms) {
      out += arm.is_else ? fmt::format(" (else {})", opt_expr(arm.value))
                         : fmt::format(" (({}) {})", keys_text(arm.keys, " "), opt_expr(arm.value));
    }
    return out + ")";
  }
  std::string node(const Highest& e) {
    return fmt::format("(highest {} {} {} {})", e.var.text, opt_expr(e.set), opt_expr(e.body), opt_expr(e.fallback));
  }
  std::string node(const Adjust& e) {
    std::string out = "(adjust " + opt_expr(e.base);
    for (const auto& l : e.lines) {
      out += fmt::format(" ({} {} {})", l.is_override ? "override" : "add", opt_expr(l.value), opt_expr(l.condition));
    }
    return out + ")";
  }
  std::string node(const Unspecified& e) {
    std::string out = "(unspecified";
    if (e.name) out += " " + e.name->text;
    if (e.words) out += " " + quote(e.words->value);
    return out + ")";
  }

  // Items.
  void item(const Use& u) {
    if (u.target == Use::Target::policy) {
      line(0, fmt::format("(use-policy {} {})", u.name.dotted(), u.alias ? u.alias->text : "<null>"));
    } else {
      line(0, fmt::format("(use {})", u.name.dotted()));
    }
  }
  void item(const Enum& e) {
    line(0, fmt::format("(enum {}{}", e.name.text, e.label ? " " + quote(e.label->value) : ""));
    for (const auto& m : e.members) {
      line(1, fmt::format("({}{})", m.name.text, m.label ? " " + quote(m.label->value) : ""));
    }
    close();
  }
  void item(const Domain& d) {
    line(0, fmt::format("(domain {} {} {}{})", d.name.text, d.lo.text, d.hi.text,
                        d.label ? " " + quote(d.label->value) : ""));
  }
  void item(const Input& in) {
    line(0, "(input");
    for (const auto& m : in.members) member(*m, 1);
    close();
  }
  void member(const InputMember& m, int indent) {
    if (const auto* f = dyn_cast<InputField>(&m)) {
      line(indent, fmt::format("(field {} {}{})", f->name.text, sexpr_type(f->type),
                               f->default_value ? " " + expr(*f->default_value) : ""));
    } else if (const auto* r = dyn_cast<InputRecord>(&m)) {
      line(indent, fmt::format("(record{} {}", r->optional ? "?" : "", r->name.text));
      for (const auto& x : r->members) member(*x, indent + 1);
      close();
    } else if (const auto* c = dyn_cast<InputCheck>(&m)) {
      line(indent, fmt::format("(check {} {} {})", opt_expr(c->condition), c->field.dotted(), quote(c->message.value)));
    } else if (const auto* k = dyn_cast<InputLedgerKey>(&m)) {
      line(indent, fmt::format("(ledger-key {})", k->path.dotted()));
    }
  }
  static std::string modifier_prefix(Modifier m) {
    return m == Modifier::none ? std::string() : std::string(modifier_name(m)) + " ";
  }
  static std::string key_text(const TableKey& k) {
    return k.has_range() ? fmt::format("({} {} {})", k.name.text, k.lo->text, k.hi->text) : k.name.text;
  }
  void item(const Decl& d) {
    const std::string head =
        fmt::format("({}{} {} {}", modifier_prefix(d.modifier), decl_kind_name(d.decl_kind), d.name.text, sexpr_type(d.type));
    switch (d.body) {
      case Decl::Body::none: line(0, head + ")"); break;
      case Decl::Body::value:
      case Decl::Body::brackets: line(0, head + " " + opt_expr(d.value) + ")"); break;
      case Decl::Body::table: {
        std::string by = "(by";
        for (const auto& k : d.table->keys) by += " " + key_text(k);
        line(0, head + " " + by + ")");
        for (const auto& row : d.table->rows) {
          std::string text = row.is_else ? "(row else" : "(row (" + keys_text(row.keys, " ") + ")";
          for (const auto& v : row.values) text += " " + opt_expr(v);
          line(1, text + ")");
        }
        close();
        break;
      }
    }
  }
  void item(const Fn& f) {
    std::string params;
    for (const auto& p : f.params) {
      if (!params.empty()) params += ' ';
      params += fmt::format("({} {})", p.name.text, sexpr_type(p.type));
    }
    line(0, fmt::format("({}fn {} ({}) {}{})", modifier_prefix(f.modifier), f.name.text, params, sexpr_type(f.result),
                        f.body ? " " + expr(*f.body) : ""));
  }
  void item(const Ledger& l) {
    line(0, fmt::format("(ledger {} {}{}{})", l.name.text, sexpr_type(l.type), l.key ? " (by " + key_text(*l.key) + ")" : "",
                        l.label ? " " + quote(l.label->value) : ""));
  }
  void item(const Section& s) {
    line(0, fmt::format("(section {}{}", s.name.text, s.condition ? " (when " + expr(*s.condition) + ")" : ""));
    for (const auto& m : s.members) {
      if (const auto* r = dyn_cast<SectionReason>(m.get())) {
        line(1, fmt::format("(reason {} {})", r->reason.text, opt_expr(r->condition)));
      } else if (const auto* f = dyn_cast<SectionField>(m.get())) {
        line(1, fmt::format("(field {} {}{}{})", f->name.text, opt_expr(f->value),
                            f->otherwise ? " (otherwise " + expr(*f->otherwise) + ")" : "",
                            f->condition ? " (when " + expr(*f->condition) + ")" : ""));
      }
    }
    close();
  }
  void item(const After& a) {
    line(0, "(after " + a.name.text);
    for (const auto& e : a.entries) {
      line(1, fmt::format("(add {}{} {}{})", e.ledger.text, e.key ? " (key " + expr(*e.key) + ")" : "", opt_expr(e.value),
                          e.condition ? " (when " + expr(*e.condition) + ")" : ""));
    }
    close();
  }
  void example_member(const ExampleMember& m, int indent) {
    if (const auto* s = dyn_cast<ExampleSet>(&m)) {
      line(indent, fmt::format("({} {} {})", s->expect ? "expect" : "set", s->path.dotted(), opt_expr(s->value)));
    } else if (const auto* r = dyn_cast<ExampleRequest>(&m)) {
      line(indent, "(request " + quote(r->name.value));
      for (const auto& x : r->members) example_member(*x, indent + 1);
      close();
    }
  }
  void item(const Example& e) {
    line(0, "(example " + quote(e.name.value));
    for (const auto& m : e.members) example_member(*m, 1);
    close();
  }

  std::string out_;
};

// ---------------------------------------------------------------- source

// Binding strength, loosest first (docs/language.md).
enum Prec : int { kIf = 1, kOr, kAnd, kNot, kCompare, kAdd, kMul, kNeg, kPostfix };

class SourcePrinter {
 public:
  // `e` printed where an expression binding at least as tightly as `min` is needed.
  std::string expr(const Expr& e, int min = kIf) {
    std::string text = visit(e, [&](const auto& node) { return this->node(node); });
    if (e.parenthesized || precedence(e) < min) return "(" + text + ")";
    return text;
  }

  std::string file(const File& f) {
    if (f.policy) {
      const auto& h = *f.policy;
      out_ += fmt::format("policy {} {} {{\n", h.id.text, quote(h.title.value));
      for (const auto& field : h.fields) {
        std::string value;
        switch (field.kind) {
          case HeaderField::Kind::region:
          case HeaderField::Kind::source: value = quote(field.text.value); break;
          case HeaderField::Kind::year: value = field.year.text; break;
          case HeaderField::Kind::extends: value = field.policy.text; break;
        }
        out_ += fmt::format("  {} {}\n", header_field_name(field.kind), value);
      }
      out_ += "}\n";
    }
    if (f.module) {
      out_ += "module " + f.module->name.dotted();
      if (f.module->title) out_ += " " + quote(f.module->title->value);
      out_ += "\n";
    }
    if (f.examples) out_ += "examples for " + f.examples->policy.text + "\n";
    for (const auto& item : f.items) {
      out_ += "\n";
      visit(*item, [&](const auto& node) { this->item(node); });
    }
    return std::move(out_);
  }

 private:
  static int precedence(const Expr& e) {
    switch (e.kind) {
      case NodeKind::If:
      case NodeKind::Highest: return kIf;
      case NodeKind::Unary: return static_cast<const Unary&>(e).op == UnaryOp::neg ? kNeg : kNot;
      case NodeKind::InRange: return kCompare;
      case NodeKind::Binary:
        switch (static_cast<const Binary&>(e).op) {
          case BinaryOp::logical_or: return kOr;
          case BinaryOp::logical_and: return kAnd;
          case BinaryOp::mul: return kMul;
          case BinaryOp::add:
          case BinaryOp::sub: return kAdd;
          default: return kCompare;
        }
      default: return kPostfix;
    }
  }

  std::string opt(const ExprPtr& e, int min = kIf) { return e ? expr(*e, min) : "unspecified"; }

  std::string node(const NumberLit& e) {
    switch (e.unit) {
      case Unit::none: return e.number.text;
      case Unit::percent: return e.number.text + "%";
      default: return fmt::format("{} {}", e.number.text, unit_name(e.unit));
    }
  }
  std::string node(const DateLit& e) { return date_text(e); }
  std::string node(const BoolLit& e) { return e.value ? "true" : "false"; }
  std::string node(const StringLit& e) { return quote(e.value); }
  std::string node(const SetLit& e) {
    std::string out = "{";
    for (size_t i = 0; i < e.elements.size(); ++i) out += (i ? ", " : "") + opt(e.elements[i]);
    return out + "}";
  }
  std::string brackets(const BracketsLit& e) {
    std::string out = "{";
    for (const auto& s : e.segments) {
      out += s.is_above() ? fmt::format(" above {}: {}", s.lo.text, opt(s.rate))
                          : fmt::format(" {} to {}: {}", s.lo.text, s.hi->text, opt(s.rate));
    }
    return out + " }";
  }
  std::string node(const BracketsLit& e) { return brackets(e); }
  std::string node(const NameRef& e) { return e.path.dotted(); }
  std::string node(const Call& e) {
    std::string out = e.callee.dotted() + "(";
    for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + opt(e.args[i]);
    return out + ")";
  }
  std::string node(const Index& e) {
    std::string out = opt(e.base, kPostfix) + "[";
    for (size_t i = 0; i < e.keys.size(); ++i) out += (i ? ", " : "") + opt(e.keys[i]);
    return out + "]";
  }
  std::string node(const Unary& e) {
    if (e.op == UnaryOp::logical_not) return "not " + opt(e.operand, kNot);
    const std::string operand = opt(e.operand, kNeg);
    return (operand.starts_with("-") ? "- " : "-") + operand;
  }
  std::string node(const Binary& e) {
    const int p = precedence(e);
    // Comparisons do not chain: both sides bind tighter.
    const int left = p == kCompare ? kAdd : p;
    return fmt::format("{} {} {}", opt(e.lhs, left), binary_op_name(e.op), opt(e.rhs, p + 1));
  }
  std::string node(const InRange& e) {
    return fmt::format("{} in {}..{}", opt(e.value, kAdd), opt(e.lo, kAdd), opt(e.hi, kAdd));
  }
  std::string node(const If& e) {
    return fmt::format("if {} then {} else {}", opt(e.condition), opt(e.then_value), opt(e.else_value));
  }
  std::string node(const Match& e) {
    std::string out = "match " + opt(e.subject) + " {";
    for (size_t i = 0; i < e.arms.size(); ++i) {
      const auto& arm = e.arms[i];
      out += fmt::format("{} {}: {}", i ? "," : "", arm.is_else ? "else" : keys_text(arm.keys, ", "), opt(arm.value));
    }
    return out + " }";
  }
  std::string node(const Highest& e) {
    return fmt::format("highest {} in {}: {} else {}", e.var.text, opt(e.set), opt(e.body), opt(e.fallback));
  }
  std::string node(const Adjust& e) {
    std::string out = "adjust " + opt(e.base, kPostfix) + " {";
    for (const auto& l : e.lines) {
      out += fmt::format("\n    {}{} when {}", l.is_override ? "override " : "", opt(l.value), opt(l.condition));
    }
    return out + "\n  }";
  }
  std::string node(const Unspecified& e) {
    std::string out = "unspecified";
    if (e.name) out += " " + e.name->text;
    if (e.words) out += " " + quote(e.words->value);
    return out;
  }

  static std::string key_text(const TableKey& k) {
    return k.has_range() ? fmt::format("{} {}..{}", k.name.text, k.lo->text, k.hi->text) : k.name.text;
  }
  static std::string modifier_prefix(Modifier m) {
    return m == Modifier::none ? std::string() : std::string(modifier_name(m)) + " ";
  }

  void item(const Use& u) {
    out_ += "use " + u.name.dotted();
    if (u.alias) out_ += " as " + u.alias->text;
    out_ += "\n";
  }
  void item(const Enum& e) {
    out_ += "enum " + e.name.text + (e.label ? " " + quote(e.label->value) : "") + " {\n";
    for (const auto& m : e.members) out_ += "  " + m.name.text + (m.label ? " " + quote(m.label->value) : "") + "\n";
    out_ += "}\n";
  }
  void item(const Domain& d) {
    out_ += fmt::format("domain {} {}..{}{}\n", d.name.text, d.lo.text, d.hi.text, d.label ? " " + quote(d.label->value) : "");
  }
  void member(const InputMember& m, int indent) {
    const std::string pad(static_cast<size_t>(indent) * 2, ' ');
    if (const auto* f = dyn_cast<InputField>(&m)) {
      out_ += pad + f->name.text + ": " + type_text(f->type);
      if (f->default_value) out_ += " = " + expr(*f->default_value);
      out_ += "\n";
    } else if (const auto* r = dyn_cast<InputRecord>(&m)) {
      out_ += pad + r->name.text + (r->optional ? "? {\n" : " {\n");
      for (const auto& x : r->members) member(*x, indent + 1);
      out_ += pad + "}\n";
    } else if (const auto* c = dyn_cast<InputCheck>(&m)) {
      out_ += pad + "check " + opt(c->condition) + " else " + c->field.dotted() + ": " + quote(c->message.value) + "\n";
    } else if (const auto* k = dyn_cast<InputLedgerKey>(&m)) {
      out_ += pad + "ledger key " + k->path.dotted() + "\n";
    }
  }
  void item(const Input& in) {
    out_ += "input {\n";
    for (const auto& m : in.members) member(*m, 1);
    out_ += "}\n";
  }
  void item(const Decl& d) {
    out_ += fmt::format("{}{} {}: {}", modifier_prefix(d.modifier), decl_kind_name(d.decl_kind), d.name.text,
                        type_text(d.type));
    switch (d.body) {
      case Decl::Body::none: break;
      case Decl::Body::value: out_ += " = " + opt(d.value); break;
      case Decl::Body::brackets:
        out_ += " " + (d.value && d.value->kind == NodeKind::BracketsLit ? brackets(static_cast<const BracketsLit&>(*d.value))
                                                                         : opt(d.value));
        break;
      case Decl::Body::table: {
        out_ += " by ";
        for (size_t i = 0; i < d.table->keys.size(); ++i) out_ += (i ? ", " : "") + key_text(d.table->keys[i]);
        out_ += " {\n";
        for (const auto& row : d.table->rows) {
          out_ += "  " + (row.is_else ? std::string("else") : keys_text(row.keys, ", "));
          if (row.brace_form && row.values.size() == 1 && row.values[0]->kind == NodeKind::BracketsLit &&
              !row.values[0]->parenthesized) {
            out_ += " " + brackets(static_cast<const BracketsLit&>(*row.values[0]));
          } else {
            out_ += ":";
            for (size_t i = 0; i < row.values.size(); ++i) out_ += (i ? ", " : " ") + opt(row.values[i]);
          }
          out_ += "\n";
        }
        out_ += "}";
        break;
      }
    }
    out_ += "\n";
  }
  void item(const Fn& f) {
    out_ += fmt::format("{}fn {}(", modifier_prefix(f.modifier), f.name.text);
    for (size_t i = 0; i < f.params.size(); ++i) {
      out_ += (i ? ", " : "") + f.params[i].name.text + ": " + type_text(f.params[i].type);
    }
    out_ += "): " + type_text(f.result);
    if (f.body) out_ += " = " + expr(*f.body);
    out_ += "\n";
  }
  void item(const Ledger& l) {
    out_ += "ledger " + l.name.text + ": " + type_text(l.type);
    if (l.key) out_ += " by " + key_text(*l.key);
    if (l.label) out_ += " " + quote(l.label->value);
    out_ += "\n";
  }
  void item(const Section& s) {
    out_ += "section " + s.name.text;
    if (s.condition) out_ += " when " + expr(*s.condition);
    out_ += " {\n";
    for (const auto& m : s.members) {
      if (const auto* r = dyn_cast<SectionReason>(m.get())) {
        out_ += "  reason " + r->reason.text + " when " + opt(r->condition) + "\n";
      } else if (const auto* f = dyn_cast<SectionField>(m.get())) {
        out_ += "  " + f->name.text + " = " + opt(f->value);
        if (f->otherwise) out_ += " otherwise " + expr(*f->otherwise);
        if (f->condition) out_ += " when " + expr(*f->condition);
        out_ += "\n";
      }
    }
    out_ += "}\n";
  }
  void item(const After& a) {
    out_ += "after " + a.name.text + " {\n";
    for (const auto& e : a.entries) {
      out_ += "  " + e.ledger.text;
      if (e.key) out_ += "[" + expr(*e.key) + "]";
      out_ += " += " + opt(e.value);
      if (e.condition) out_ += " when " + expr(*e.condition);
      out_ += "\n";
    }
    out_ += "}\n";
  }
  void example_member(const ExampleMember& m, int indent) {
    const std::string pad(static_cast<size_t>(indent) * 2, ' ');
    if (const auto* s = dyn_cast<ExampleSet>(&m)) {
      out_ += pad + (s->expect ? "expect " : "") + s->path.dotted() + " = " + opt(s->value) + "\n";
    } else if (const auto* r = dyn_cast<ExampleRequest>(&m)) {
      out_ += pad + "request " + quote(r->name.value) + " {\n";
      for (const auto& x : r->members) example_member(*x, indent + 1);
      out_ += pad + "}\n";
    }
  }
  void item(const Example& e) {
    out_ += "example " + quote(e.name.value) + " {\n";
    for (const auto& m : e.members) example_member(*m, 1);
    out_ += "}\n";
  }

  std::string out_;
};

}  // namespace

std::string print_ast(const File& file) { return SexprPrinter().file(file); }
std::string print_ast(const Expr& expr) { return SexprPrinter().expr(expr); }
std::string print_source(const File& file) { return SourcePrinter().file(file); }
std::string print_source(const Expr& expr) { return SourcePrinter().expr(expr); }

}  // namespace yibao::ast
