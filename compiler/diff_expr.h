// diff_expr.h: an IR expression printed in the policy language's own syntax
// (`if newborn_in_time then standard else standard + fiscal_subsidy`), with
// rules, parameters and tables by name and no node numbers, so that the
// same expression prints the same text in any two programs. The semantic
// diff compares rules, conditions and result fields by this text.
#pragma once

#include <cstdint>
#include <string>

#include "yibao/ir.h"

namespace yibao::compiler {

// The expression rooted at `node`, on one line.
std::string print_expression(const ir::Program& program, std::int32_t node);

}  // namespace yibao::compiler
