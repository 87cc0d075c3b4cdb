// Names of IR operations and types, from the single list in ir_ops.def.
#include "yibao/ir.h"

namespace yibao::ir {

const char* op_name(Op op) {
  switch (op) {
#define X(name, arity, doc) \
  case Op::name:            \
    return #name;
#include "yibao/ir_ops.def"
#undef X
  }
  return "?";
}

int op_arity(Op op) {
  switch (op) {
#define X(name, arity, doc) \
  case Op::name:            \
    return arity;
#include "yibao/ir_ops.def"
#undef X
  }
  return -1;
}

const char* type_name(Type t) {
  switch (t) {
    case Type::money: return "money";
    case Type::rate: return "rate";
    case Type::points: return "points";
    case Type::count: return "count";
    case Type::boolean: return "bool";
    case Type::date: return "date";
    case Type::duration: return "duration";
    case Type::text: return "text";
    case Type::enumeration: return "enum";
    case Type::domain: return "domain";
    case Type::enum_set: return "set";
    case Type::brackets: return "brackets";
  }
  return "?";
}

}  // namespace yibao::ir
