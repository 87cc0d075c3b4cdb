// ir_print.h: the IR as readable, stable text (`yibao ir POLICY`). Used for
// debugging, golden tests and the semantic diff; the same program always
// prints the same bytes.
#pragma once

#include <string>

#include "yibao/ir.h"

namespace yibao::compiler {

std::string print_program(const ir::Program& program);

// One value of a type, as the IR printer writes it (300.00, 80%, 2024-01-01,
// {tekun, dibao}, 90 days ...).
std::string print_value(const ir::Program& program, ir::TypeRef type, std::int64_t value);

// One expression tree, rules referenced by name.
std::string print_node(const ir::Program& program, std::int32_t node);

}  // namespace yibao::compiler
