// fold.h: constant folding over the IR. Rules whose value is a constant
// (published parameters, the benefit year's first day, ...) are replaced by
// that constant where they are used; operations on constants are computed
// once here instead of for every request; `if`, `and` and `or` with a
// constant condition keep only the branch that can run. Must run after
// lowering; changes no result.
#pragma once

#include "yibao/ir.h"

namespace yibao::compiler {

void fold_constants(ir::Program& program);

}  // namespace yibao::compiler
