#include "lang/ast.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace yibao::ast {

std::string_view node_kind_name(NodeKind kind) {
  switch (kind) {
#define YIBAO_AST_NODE(Kind, Base) \
  case NodeKind::Kind:             \
    return #Kind;
#include "lang/ast_nodes.def"
  }
  return "?";
}

void unreachable_node_kind(NodeKind kind) {
  std::fprintf(stderr, "yibao: internal error: unexpected AST node kind %d\n", static_cast<int>(kind));
  std::abort();
}

std::string Path::dotted() const {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += '.';
    out += part.text;
  }
  return out;
}

namespace {
constexpr std::array<std::string_view, 9> kBuiltinTypeNames = {"money", "rate",     "points", "count",   "bool",
                                                              "date",  "duration", "text",   "brackets"};
}  // namespace

std::string_view builtin_type_name(BuiltinType type) { return kBuiltinTypeNames.at(static_cast<size_t>(type)); }

std::optional<BuiltinType> builtin_type_from_name(std::string_view word) {
  for (size_t i = 0; i < kBuiltinTypeNames.size(); ++i) {
    if (kBuiltinTypeNames[i] == word) return static_cast<BuiltinType>(i);
  }
  return std::nullopt;
}

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::none: return "";
    case Unit::percent: return "%";
    case Unit::points: return "points";
    case Unit::days: return "days";
    case Unit::months: return "months";
  }
  return "?";
}

std::string_view unary_op_name(UnaryOp op) {
  switch (op) {
    case UnaryOp::neg: return "-";
    case UnaryOp::logical_not: return "not";
  }
  return "?";
}

std::string_view binary_op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::mul: return "*";
    case BinaryOp::add: return "+";
    case BinaryOp::sub: return "-";
    case BinaryOp::eq: return "==";
    case BinaryOp::ne: return "!=";
    case BinaryOp::lt: return "<";
    case BinaryOp::le: return "<=";
    case BinaryOp::gt: return ">";
    case BinaryOp::ge: return ">=";
    case BinaryOp::in: return "in";
    case BinaryOp::has: return "has";
    case BinaryOp::has_any: return "has any";
    case BinaryOp::logical_and: return "and";
    case BinaryOp::logical_or: return "or";
  }
  return "?";
}

std::string_view header_field_name(HeaderField::Kind kind) {
  switch (kind) {
    case HeaderField::Kind::region: return "region";
    case HeaderField::Kind::year: return "year";
    case HeaderField::Kind::source: return "source";
    case HeaderField::Kind::extends: return "extends";
  }
  return "?";
}

std::string_view modifier_name(Modifier modifier) {
  switch (modifier) {
    case Modifier::none: return "";
    case Modifier::default_: return "default";
    case Modifier::override_: return "override";
  }
  return "?";
}

std::string_view decl_kind_name(DeclKind kind) {
  switch (kind) {
    case DeclKind::param: return "param";
    case DeclKind::fact: return "fact";
    case DeclKind::rule: return "rule";
    case DeclKind::payout: return "payout";
  }
  return "?";
}

const HeaderField* PolicyHeader::find(HeaderField::Kind kind) const {
  for (const auto& field : fields) {
    if (field.kind == kind) return &field;
  }
  return nullptr;
}

}  // namespace yibao::ast
