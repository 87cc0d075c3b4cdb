// The diff's expression printer: infix, the language's precedence (see
// docs/language.md, "Expressions, from loosest to tightest binding"), and
// parentheses only where the precedence needs them.
#include "compiler/diff_expr.h"

#include <fmt/format.h>

#include "compiler/ir_print.h"

namespace yibao::compiler {
namespace {

// Binding strength, loosest first.
enum Level : int { choice, disjunction, conjunction, negation, comparison, membership, sum, product, unary, atom };

class ExpressionPrinter {
 public:
  explicit ExpressionPrinter(const ir::Program& p) : p_(p) {}

  std::string print(std::int32_t i, int context = choice) const {
    int level = atom;
    std::string text = form(i, level);
    return level < context ? "(" + text + ")" : text;
  }

 private:
  std::string kid(const ir::Node& n, std::uint32_t k, int context = choice) const {
    return print(static_cast<std::int32_t>(p_.kid(n, k)), context);
  }
  std::string kids(const ir::Node& n, std::uint32_t from = 0) const {
    std::string s;
    for (std::uint32_t k = from; k < n.kid_count; ++k) s += (k > from ? ", " : "") + kid(n, k);
    return s;
  }
  ir::TypeRef kid_type(const ir::Node& n, std::uint32_t k) const {
    return p_.node(static_cast<std::int32_t>(p_.kid(n, k))).type;
  }
  std::string member(std::int32_t e, std::int64_t m) const {
    return print_value(p_, ir::TypeRef{ir::Type::enumeration, e}, m);
  }
  // `a op b`, left-associative: the right operand binds one level tighter.
  std::string infix(const ir::Node& n, const char* op, int op_level, int& level) const {
    level = op_level;
    return kid(n, 0, op_level) + " " + op + " " + kid(n, 1, op_level + 1);
  }

  std::string form(std::int32_t i, int& level) const {
    const ir::Node& n = p_.node(i);
    switch (n.op) {
      case ir::Op::constant: return print_value(p_, n.type, n.imm);
      case ir::Op::input: return p_.schema.fields[static_cast<size_t>(n.ref)].path;
      case ir::Op::input_present: return "present(" + p_.schema.fields[static_cast<size_t>(n.ref)].path + ")";
      case ir::Op::record_present: return "present(" + p_.schema.records[static_cast<size_t>(n.ref)].name + ")";
      case ir::Op::rule: return p_.rules[static_cast<size_t>(n.ref)].name;
      case ir::Op::param_ref: return p_.params[static_cast<size_t>(n.ref)].name;
      case ir::Op::ledger: {
        const std::string& name = p_.ledgers[static_cast<size_t>(n.ref)].name;
        return n.kid_count ? name + "[" + kid(n, 0) + "]" : name;
      }
      case ir::Op::table: return p_.tables[static_cast<size_t>(n.ref)].name + "[" + kids(n) + "]";
      case ir::Op::unspecified:
        level = unary;
        return "unspecified \"" + p_.unspecifieds[static_cast<size_t>(n.ref)].words + "\"";
      case ir::Op::add: return infix(n, "+", sum, level);
      case ir::Op::sub: return infix(n, "-", sum, level);
      case ir::Op::date_add: return infix(n, "+", sum, level);
      case ir::Op::date_sub: return infix(n, "-", sum, level);
      case ir::Op::mul:
      case ir::Op::mul_rate: {
        // The language writes `rate * money`; the IR keeps money first.
        level = product;
        if (n.op == ir::Op::mul_rate) return kid(n, 1, product) + " * " + kid(n, 0, product + 1);
        return infix(n, "*", product, level);
      }
      case ir::Op::neg: level = unary; return "-" + kid(n, 0, unary);
      case ir::Op::eq: return infix(n, "==", comparison, level);
      case ir::Op::ne: return infix(n, "!=", comparison, level);
      case ir::Op::lt: return infix(n, "<", comparison, level);
      case ir::Op::le: return infix(n, "<=", comparison, level);
      case ir::Op::gt: return infix(n, ">", comparison, level);
      case ir::Op::ge: return infix(n, ">=", comparison, level);
      case ir::Op::and_: return infix(n, "and", conjunction, level);
      case ir::Op::or_: return infix(n, "or", disjunction, level);
      case ir::Op::not_: {
        // `absent(x)` is how the language says `not present(x)`.
        const ir::Node& k = p_.node(static_cast<std::int32_t>(p_.kid(n, 0)));
        if (k.op == ir::Op::input_present) return "absent(" + p_.schema.fields[static_cast<size_t>(k.ref)].path + ")";
        level = negation;
        return "not " + kid(n, 0, negation);
      }
      case ir::Op::if_:
        level = choice;
        return "if " + kid(n, 0, disjunction) + " then " + kid(n, 1, disjunction) + " else " + kid(n, 2, choice);
      case ir::Op::in_range:
        level = membership;
        return kid(n, 0, sum) + " in " + kid(n, 1, sum) + ".." + kid(n, 2, sum);
      case ir::Op::member_of: level = membership; return kid(n, 0, sum) + " in " + kid(n, 1, sum);
      case ir::Op::set_has: level = membership; return kid(n, 0, sum) + " has " + kid(n, 1, sum);
      case ir::Op::set_has_any: level = membership; return kid(n, 0, sum) + " has any " + kid(n, 1, sum);
      case ir::Op::switch_: {
        const ir::Switch& s = p_.switches[static_cast<size_t>(n.ref)];
        const ir::TypeRef key_type = kid_type(n, 0);
        std::string out = "match " + kid(n, 0, atom) + " {";
        for (size_t k = 0; k < s.arms.size(); ++k) {
          if (s.arms[k] < 0) continue;
          out += fmt::format(" {}: {};", print_value(p_, key_type, s.lo + static_cast<std::int64_t>(k)),
                             kid(n, static_cast<std::uint32_t>(s.arms[k])));
        }
        return out + " }";
      }
      case ir::Op::highest: {
        // One body per member (the member substituted): listed by member.
        const ir::TypeRef set_type = kid_type(n, 0);
        std::string out = "highest in " + kid(n, 0, atom) + " {";
        for (std::uint32_t k = 2; k < n.kid_count; ++k) out += fmt::format(" {}: {};", member(set_type.ref, k - 2), kid(n, k));
        return out + " else " + kid(n, 1) + " }";
      }
      case ir::Op::adjust: {
        const ir::Adjust& a = p_.adjusts[static_cast<size_t>(n.ref)];
        std::string out = "adjust " + kid(n, 0, atom) + " {";
        for (const auto& line : a.lines)
          out += fmt::format(" {}{} when {};", line.is_override ? "override " : "", kid(n, line.value_kid),
                             kid(n, line.cond_kid));
        return out + " }";
      }
      default: return fmt::format("{}({})", ir::op_name(n.op), kids(n));
    }
  }

  const ir::Program& p_;
};

}  // namespace

std::string print_expression(const ir::Program& program, std::int32_t node) {
  return ExpressionPrinter(program).print(node);
}

}  // namespace yibao::compiler
