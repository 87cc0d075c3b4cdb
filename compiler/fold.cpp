// Constant folding: one pass in node order. Children are always created
// before their parents (and a rule's root before any use of the rule), so by
// the time a node is visited its children are as folded as they will get.
#include "compiler/fold.h"

#include "yibao/evaluator.h"

namespace yibao::compiler {
namespace {

bool computable(ir::Op op) {
  switch (op) {
    case ir::Op::constant:
    case ir::Op::input:
    case ir::Op::input_present:
    case ir::Op::record_present:
    case ir::Op::rule:
    case ir::Op::param_ref:
    case ir::Op::ledger:
    case ir::Op::unspecified:
    case ir::Op::adjust:  // may build a schedule per request
      return false;
    default:
      return true;
  }
}

}  // namespace

void fold_constants(ir::Program& program) {
  Evaluator evaluator(program);
  auto is_const = [&](uint32_t n) { return program.nodes[n].op == ir::Op::constant; };
  for (uint32_t i = 0; i < program.nodes.size(); ++i) {
    ir::Node& n = program.nodes[i];
    auto become_constant = [&](int64_t value) {
      n.op = ir::Op::constant;
      n.imm = value;
      n.kid_count = 0;
      n.ref = -1;
    };
    auto become_copy_of = [&](uint32_t other) {
      const ir::Loc keep = n.loc;
      n = program.nodes[other];
      n.loc = keep;
    };
    if (n.op == ir::Op::rule) {
      const ir::Node& root = program.nodes[static_cast<size_t>(program.rules[static_cast<size_t>(n.ref)].root)];
      if (root.op == ir::Op::constant) become_constant(root.imm);
      continue;
    }
    if (n.kid_count > 0 && (n.op == ir::Op::if_ || n.op == ir::Op::and_ || n.op == ir::Op::or_) &&
        is_const(program.kid(n, 0))) {
      const bool c = program.nodes[program.kid(n, 0)].imm != 0;
      if (n.op == ir::Op::if_) {
        become_copy_of(program.kid(n, c ? 1 : 2));
      } else if (n.op == ir::Op::and_) {
        if (!c) become_constant(0); else become_copy_of(program.kid(n, 1));
      } else {
        if (c) become_constant(1); else become_copy_of(program.kid(n, 1));
      }
      continue;
    }
    if (!computable(n.op)) continue;
    bool all = true;
    for (uint32_t k = 0; k < n.kid_count && all; ++k) all = is_const(program.kid(n, k));
    if (!all) continue;
    int64_t value = 0;
    if (evaluator.fold(i, value)) become_constant(value);
  }
}

}  // namespace yibao::compiler
