// The interpreter's fast engine: the node DAG lowered once per Evaluator into
// a flat stack bytecode, one code unit per rule, per section and for the
// request checks, then run by one loop with threaded dispatch.
//
// Why: walking the DAG costs a recursive call, a 40-byte node load, a kid
// index indirection and a lambda or two per node, and each section root
// and rule another call; a request of a typical policy visits a few hundred
// nodes. Here a node is usually one 16-byte instruction on an int64 stack
// (children are the instructions before it), constant operands are folded
// into the instruction that uses them, and conditions compile to jumps.
//
// Exactness: the code evaluates exactly the nodes the walk would, in the same
// order, and fails with the same EvalError (each instruction keeps its node
// for that), so results, memos, ledger updates and traces are identical:
//   - children left to right; a failing child ends the unit (as in the walk,
//     no op recovers from a failure), after memoizing the failure of every
//     rule being computed, as Evaluator::eval_rule does;
//   - and/or/not/if/switch/highest/adjust jump over what the walk does not
//     evaluate; a condition (an if, a reason, a `when`, a check, and the
//     kids of and/or/not) branches on its comparison instead of making a
//     0/1 first, which evaluates the same nodes;
//   - a constant operand is taken as an immediate, and may be moved past
//     other operands of min, max, add and comparisons (a constant neither
//     fails nor computes a rule, and those operators do not depend on the
//     order of their operands);
//   - a rule reference is one instruction: the memo (errors included), or a
//     call of the rule's unit, with the same trace bookkeeping as eval_rule;
//   - without tracing, a rule referenced by exactly one instruction is
//     lowered in place of that reference instead (single_reference_rules):
//     the reference runs at most once a request, so the rule's nodes are
//     evaluated exactly as its call would, and no other reference reads the
//     memo it would have left; a failure inside it fails the rules being
//     computed around it, as a failed call would;
//   - shared non-rule nodes are compiled once per use, as the walk evaluates
//     them once per use;
//   - for tracing, the program is lowered again with a `note` after each
//     read the walk notes (and without the fused ops that read and jump), so
//     explain's inputs match too; the loop run without tracing
//     (run_code<false>) has no trace bookkeeping at all.
// Jumps and calls are relative to the instruction, and the loop keeps its
// hot state in locals: g++ gives the stack pointer a register only when few
// values live across the whole loop (check with objdump: a stack slot
// used ~150 times in run_code<false> is the stack pointer spilled).
// When the code would be unreasonable (rules that reference each other in a
// cycle, or a DAG whose tree expansion is huge), the Evaluator keeps walking.
#include <algorithm>
#include <optional>

#include "yibao/checked.h"
#include "yibao/date.h"
#include "yibao/evaluator.h"
#include "yibao/money.h"
#include "yibao/rate.h"

namespace yibao {

using ir::Op;

namespace {

// The ops, in one list: the enum and run()'s dispatch table come from it.
// Stack effects are noted as before -> after; `imm` and `arg` are the
// instruction's operands.
#define YIBAO_BYTECODE_OPS(X)                                                                        \
  X(konst)            /* -> imm */                                                                   \
  X(input)            /* -> request field arg (0 when absent) */                                     \
  X(present)          /* -> has(field arg) */                                                        \
  X(record)           /* -> has_record(arg) */                                                       \
  X(rule)             /* -> rule arg: its memo, or a call of its unit */                             \
  X(rule_return)      /* end of a rule's unit: memoize the top, back to the caller */                \
  X(ledger)           /* -> ledger slot arg (0 without a ledger) */                                  \
  X(ledger_keyed)     /* key -> slot of ledger arg */                                                \
  X(table1)           /* key -> cell of one-dimensional table arg */                                 \
  X(table_dim)        /* [index] key -> index within table arg, dimension imm */                     \
  X(table_cell)       /* index -> cell of table arg */                                               \
  X(fail_unspecified) /* fails unspecified, Program::unspecifieds[arg] */                            \
  X(add)              /* a b -> a + b, checked */                                                    \
  X(sub)                                                                                             \
  X(mul)                                                                                             \
  X(neg)                                                                                             \
  X(mul_rate)                                                                                        \
  X(min)                                                                                             \
  X(max)                                                                                             \
  X(add_imm)          /* a -> a + imm, checked */                                                    \
  X(sub_imm)                                                                                         \
  X(mul_rate_imm)                                                                                    \
  X(min_imm)                                                                                         \
  X(max_imm)                                                                                         \
  X(eq)               /* a b -> a == b */                                                            \
  X(ne)                                                                                              \
  X(lt)                                                                                              \
  X(le)                                                                                              \
  X(gt)                                                                                              \
  X(ge)                                                                                              \
  X(eq_imm)           /* a -> a == imm */                                                            \
  X(ne_imm)                                                                                          \
  X(lt_imm)                                                                                          \
  X(le_imm)                                                                                          \
  X(gt_imm)                                                                                          \
  X(ge_imm)                                                                                          \
  X(jump_eq)          /* a b -> ; jump when a == b */                                            \
  X(jump_ne)                                                                                         \
  X(jump_lt)                                                                                         \
  X(jump_le)                                                                                         \
  X(jump_gt)                                                                                         \
  X(jump_ge)                                                                                         \
  X(jump_eq_imm)      /* a -> ; jump when a == imm */                                            \
  X(jump_ne_imm)                                                                                     \
  X(jump_lt_imm)                                                                                     \
  X(jump_le_imm)                                                                                     \
  X(jump_gt_imm)                                                                                     \
  X(jump_ge_imm)                                                                                     \
  X(jump_if_zero)     /* a -> ; jump when a == 0 */                                                  \
  X(jump_if_nonzero)                                                                                 \
  X(jump)                                                                                            \
  X(konst_jump)       /* -> imm; jump */                                                             \
  X(rule_jump_if_zero)    /* rule arg memoized: jump when 0, else skip the next op; not yet: compute \
                             it, and the next op (jump_if_zero) tests it */                          \
  X(rule_jump_if_nonzero)                                                                            \
  X(input_jump_eq_imm)    /* jump when request field arg == imm */                                   \
  X(input_jump_ne_imm)                                                                               \
  X(input_jump_lt_imm)                                                                               \
  X(input_jump_le_imm)                                                                               \
  X(input_jump_gt_imm)                                                                               \
  X(input_jump_ge_imm)                                                                               \
  X(present_jump_if_zero) /* jump when request field arg is absent */                                \
  X(present_jump_if_nonzero)                                                                         \
  X(record_jump_if_zero)  /* jump when request record arg is absent */                               \
  X(record_jump_if_nonzero)                                                                          \
  X(not_)             /* a -> !a */                                                                  \
  X(in_range)         /* a lo hi -> lo <= a <= hi */                                                 \
  X(set_has)          /* set m -> set holds m */                                                     \
  X(set_has_imm)      /* set -> set holds imm */                                                     \
  X(set_has_any)      /* a b -> a & b != 0 */                                                        \
  X(set_has_any_imm)                                                                                 \
  X(member_of)        /* m set -> set holds m */                                                     \
  X(member_of_imm)    /* m -> imm holds m */                                                         \
  X(switch_)          /* key -> ; jump to its arm (switch table arg) or fail */                      \
  X(highest_begin)    /* set -> ; 0: jump (to the default); else -> members left, any, best */       \
  X(highest_next)     /* next member left: jump to its arm; none: best and jump to the end, or the   \
                         default (table arg: arms, then default, then end) */                        \
  X(highest_take)     /* left any best b -> left 1 max(best, b) */                                   \
  X(adjust_begin)     /* base -> base delta=0 overridden=0 rate=0 */                                 \
  X(adjust_add)       /* .. delta .. points -> .. delta + points .., checked */                      \
  X(adjust_override)  /* .. rate -> overridden=1, the rate; jump */                                  \
  X(adjust_finish)    /* base delta overridden rate -> adjusted rate (imm 0) or schedule (imm 1) */  \
  X(date_add)                                                                                        \
  X(date_sub)                                                                                        \
  X(age_on)                                                                                          \
  X(year_of)                                                                                         \
  X(date_of)                                                                                         \
  X(next_month_start)                                                                                \
  X(progressive)                                                                                     \
  X(progressive_between)                                                                             \
  X(round_cents)                                                                                     \
  X(ret)              /* end of a unit: its value is the top */                                      \
  /* The sections' unit answers every section in turn into result_out_: */                           \
  X(section_begin)    /* section arg (imm: its field count) starts, its outcome reset; a failure     \
                         goes on at the target */                                                    \
  X(section_absent)   /* kind absent; jump to the next section */                                    \
  X(section_reason)   /* kind reason: member imm of enum arg */                                      \
  X(section_end)      /* jump to the next section (after a reason and its fields) */                 \
  X(section_store)    /* a -> ; field arg is a, written */                                           \
  X(section_store_imm) /* field arg is imm, written */                                               \
  X(section_fields)   /* kind fields; ledger updates of section arg (imm: it has some) applied;     \
                         jump to the next */                                                         \
  X(update_key)       /* key -> slot of ledger arg (its node is the update's key) */                 \
  X(update_push)      /* slot amount -> ; into pending_ */                                           \
  X(check_begin)      /* check_ = arg */                                                             \
  /* Only in code lowered for tracing: the reads of the rule being computed. */                     \
  X(note)             /* a -> a; input (TraceInputKind imm, index arg) of the rule computed is a */  \
  X(ledger_keyed_noted) /* as ledger_keyed, noting the slot read */                                 \
  X(table1_noted)     /* as table1, noting the cell read */                                          \
  X(table_cell_noted) /* as table_cell, noting the cell read */

enum class B : std::uint8_t {
#define YIBAO_OP_ENUM(name) name,
  YIBAO_BYTECODE_OPS(YIBAO_OP_ENUM)
#undef YIBAO_OP_ENUM
};

struct Insn {
  std::int64_t imm = 0;
  std::int32_t arg = 0;
  // Where a jump goes, relative to the jump (its pc less the jump's): the
  // loop then needs no base pointer live for its jumps.
  std::int32_t target = 0;
  B op = B::ret;
};

constexpr std::uint32_t kNoEntry = UINT32_MAX;
// Beyond this many instructions the DAG's tree expansion is not worth it.
constexpr std::size_t kMaxCode = std::size_t{1} << 22;

// The lowered program; Evaluator::Code is this.
struct Lowered {
  struct JumpTable {
    std::int64_t lo = 0;
    std::uint32_t first = 0;  // into targets
    std::uint32_t count = 0;
  };
  std::vector<Insn> insns;
  std::vector<std::uint32_t> node_of;        // per instruction: the IR node it stands for
  std::size_t inlined_rules = 0;             // computed at their only reference
  std::uint32_t sections_entry = 0;
  std::uint32_t checks_entry = 0;
  std::vector<JumpTable> tables;    // switch and highest jump tables
  std::vector<std::int32_t> targets;  // their pcs, or -1 for no arm
  std::size_t stack_need = 0;
};

// The comparison ops in their three forms, by IR op.
struct Comparison {
  Op op;
  B value, value_imm, jump, jump_imm, input_jump_imm;
  Op negated, swapped;  // not (a op b); b op a
};
constexpr Comparison kComparisons[] = {
    {Op::eq, B::eq, B::eq_imm, B::jump_eq, B::jump_eq_imm, B::input_jump_eq_imm, Op::ne, Op::eq},
    {Op::ne, B::ne, B::ne_imm, B::jump_ne, B::jump_ne_imm, B::input_jump_ne_imm, Op::eq, Op::ne},
    {Op::lt, B::lt, B::lt_imm, B::jump_lt, B::jump_lt_imm, B::input_jump_lt_imm, Op::ge, Op::gt},
    {Op::le, B::le, B::le_imm, B::jump_le, B::jump_le_imm, B::input_jump_le_imm, Op::gt, Op::ge},
    {Op::gt, B::gt, B::gt_imm, B::jump_gt, B::jump_gt_imm, B::input_jump_gt_imm, Op::le, Op::lt},
    {Op::ge, B::ge, B::ge_imm, B::jump_ge, B::jump_ge_imm, B::input_jump_ge_imm, Op::lt, Op::le},
};
const Comparison* comparison(Op op) {
  for (const Comparison& c : kComparisons) {
    if (c.op == op) return &c;
  }
  return nullptr;
}

// The instructions that read a rule (its memo, or a call of its unit).
bool is_rule_reference(B op) {
  return op == B::rule || op == B::rule_jump_if_zero || op == B::rule_jump_if_nonzero;
}

// Lowers a program into Lowered (see the top of this file).
class Lowering {
 public:
  // `inlined`, when not empty, says per rule whether its code goes in
  // place of its one reference instead of into a unit of its own.
  Lowering(const ir::Program& p, bool traced, std::vector<std::uint8_t> inlined = {})
      : p_(p), traced_(traced), inlined_(std::move(inlined)) {}

  // False when the program is better walked.
  bool lower(Lowered& code) {
    code_ = &code;
    rule_entry_.assign(p_.rules.size(), kNoEntry);
    rule_unit_.assign(p_.rules.size(), -1);
    for (std::size_t r = 0; r < p_.rules.size(); ++r) {
      const std::int32_t root = p_.rules[r].root;
      if (root < 0 || static_cast<std::size_t>(root) >= p_.nodes.size()) return false;
      if (inlined(static_cast<std::int32_t>(r))) continue;
      rule_unit_[r] = static_cast<std::int32_t>(units_.size());
      rule_entry_[r] = begin_unit();
      expr(static_cast<std::uint32_t>(root));
      emit(B::rule_return, static_cast<std::uint32_t>(root), static_cast<std::int32_t>(r), 0, -1);
    }
    code.sections_entry = sections_unit();
    code.checks_entry = checks_unit();
    if (give_up_) return false;
    // A call goes straight to the rule's entry, kept in its instruction
    // (relative, as jumps are).
    for (std::size_t at = 0; at < code.insns.size(); ++at) {
      Insn& in = code.insns[at];
      if (is_rule_reference(in.op)) {
        in.imm = static_cast<std::int64_t>(rule_entry_[static_cast<std::size_t>(in.arg)]) -
                 static_cast<std::int64_t>(at);
      }
    }
    // Stack need: a unit's own depth, and at each rule call the depth below
    // it plus what the rule's unit needs. Rules calling each other in a
    // cycle would recurse forever in either engine; they are left to the walk.
    need_.assign(units_.size(), -1);
    state_.assign(units_.size(), 0);
    std::size_t most = 0;
    for (std::size_t u = 0; u < units_.size(); ++u) {
      const auto n = need(u);
      if (!n) return false;
      most = std::max(most, *n);
    }
    code.stack_need = most + 1;
    return true;
  }

 private:
  struct Unit {
    std::size_t depth = 0;                                    // deepest stack of its own
    std::vector<std::pair<std::size_t, std::int32_t>> calls;  // (depth below, rule)
  };
  using Jumps = std::vector<std::uint32_t>;  // instructions to patch with a target

  std::optional<std::size_t> need(std::size_t u) {
    if (state_[u] == 2) return static_cast<std::size_t>(need_[u]);
    if (state_[u] == 1) return std::nullopt;  // a cycle
    state_[u] = 1;
    std::size_t most = units_[u].depth;
    for (const auto& [below, rule] : units_[u].calls) {
      const auto n = need(static_cast<std::size_t>(rule_unit_[static_cast<std::size_t>(rule)]));
      if (!n) return std::nullopt;
      most = std::max(most, below + std::max<std::size_t>(*n, 1));
    }
    state_[u] = 2;
    need_[u] = static_cast<std::int64_t>(most);
    return most;
  }

  std::uint32_t pc() const { return static_cast<std::uint32_t>(code_->insns.size()); }

  std::uint32_t begin_unit() {
    units_.emplace_back();
    current_ = units_.size() - 1;
    depth_ = 0;
    return pc();
  }

  // Appends an instruction; `effect` is its change of the stack depth.
  std::uint32_t emit(B op, std::uint32_t node, std::int32_t arg = 0, std::int64_t imm = 0, int effect = 0) {
    const std::uint32_t at = pc();
    code_->insns.push_back(Insn{imm, arg, 0, op});
    code_->node_of.push_back(node);
    depth_ = static_cast<std::size_t>(static_cast<std::int64_t>(depth_) + effect);
    Unit& u = units_[current_];
    u.depth = std::max(u.depth, depth_);
    if (code_->insns.size() > kMaxCode) give_up_ = true;
    return at;
  }
  void patch(std::uint32_t at) { jump_to(at, pc()); }
  void jump_to(std::uint32_t at, std::uint32_t to) {
    code_->insns[at].target = static_cast<std::int32_t>(to) - static_cast<std::int32_t>(at);
  }
  void patch(const Jumps& jumps) {
    for (const std::uint32_t j : jumps) patch(j);
  }

  const ir::Node& node(std::uint32_t i) const { return p_.nodes[i]; }
  std::uint32_t kid_of(const ir::Node& n, std::uint32_t i) const { return p_.kid(n, i); }
  bool is_constant(std::uint32_t i) const { return node(i).op == Op::constant; }
  void kid(const ir::Node& n, std::uint32_t i) { expr(kid_of(n, i)); }

  // Every section in turn, as Evaluator::evaluate, eval_section and
  // apply_updates do; the ledger sums are checked and applied by
  // section_fields (Evaluator::commit_pending).
  std::uint32_t sections_unit() {
    const std::uint32_t entry = begin_unit();
    Jumps next;  // to the next section
    for (std::size_t s = 0; s < p_.sections.size(); ++s) {
      patch(next);
      next.clear();
      next.push_back(emit(B::section_begin, 0, static_cast<std::int32_t>(s),
                          static_cast<std::int64_t>(p_.sections[s].fields.size())));
      section(p_.sections[s], static_cast<std::int32_t>(s), next);
    }
    patch(next);
    emit(B::konst, 0, 0, 0, 1);
    emit(B::ret, 0, 0, 0, -1);
    return entry;
  }

  void section(const ir::Section& section, std::int32_t index, Jumps& next) {
    const auto at = [](std::int32_t n) { return static_cast<std::uint32_t>(n); };
    const std::uint32_t any = 0;  // these ops cannot fail, so any node does for them
    if (section.when >= 0) {
      Jumps answered;
      branch(at(section.when), true, answered);
      next.push_back(emit(B::section_absent, any));
      patch(answered);
    }
    for (const ir::SectionReason& r : section.reasons) {
      Jumps other;
      branch(at(r.cond), false, other);
      emit(B::section_reason, any, r.reason_enum, r.code);
      for (std::size_t i = 0; i < section.fields.size(); ++i) {
        const ir::SectionField& f = section.fields[i];
        if (f.otherwise < 0) continue;
        store(at(f.otherwise), i);
      }
      next.push_back(emit(B::section_end, any));
      patch(other);
    }
    for (std::size_t i = 0; i < section.fields.size(); ++i) {
      const ir::SectionField& f = section.fields[i];
      Jumps skip;
      if (f.when >= 0) branch(at(f.when), false, skip);
      store(at(f.value), i);
      patch(skip);
    }
    for (const ir::LedgerUpdate& u : section.updates) {
      Jumps skip;
      if (u.when >= 0) branch(at(u.when), false, skip);
      const ir::Ledger& l = p_.ledgers[static_cast<std::size_t>(u.ledger)];
      if (l.keyed) {
        expr(at(u.key));
        emit(B::update_key, at(u.key), u.ledger);
      } else {
        emit(B::konst, any, 0, l.slot, 1);
      }
      expr(at(u.amount));
      emit(B::update_push, any, 0, 0, -2);
      patch(skip);
    }
    next.push_back(emit(B::section_fields, any, index, section.updates.empty() ? 0 : 1));
  }

  // Field `field` of the section is the value of node `i`.
  void store(std::uint32_t i, std::size_t field) {
    if (is_constant(i)) {
      emit(B::section_store_imm, i, static_cast<std::int32_t>(field), node(i).imm);
      return;
    }
    expr(i);
    emit(B::section_store, i, static_cast<std::int32_t>(field), 0, -1);
  }

  // The request checks, as Evaluator::failing_check: gives the first that
  // fails, or -1.
  std::uint32_t checks_unit() {
    const std::uint32_t entry = begin_unit();
    for (std::size_t i = 0; i < p_.checks.size(); ++i) {
      const ir::Check& c = p_.checks[i];
      const auto cond = static_cast<std::uint32_t>(c.cond);
      emit(B::check_begin, cond, static_cast<std::int32_t>(i));
      Jumps next;
      if (c.record >= 0) next.push_back(emit(B::record_jump_if_zero, cond, c.record));
      branch(cond, true, next);
      emit(B::konst, cond, 0, static_cast<std::int64_t>(i), 1);
      emit(B::ret, cond, 0, 0, -1);
      patch(next);
    }
    emit(B::konst, 0, 0, -1, 1);
    emit(B::ret, 0, 0, 0, -1);
    return entry;
  }

  // Code that jumps (to the targets later patched into `jumps`) when the
  // truth of `n` is `when`, and otherwise goes on; the stack is as before.
  void branch(std::uint32_t i, bool when, Jumps& jumps) {
    if (give_up_) return;
    const ir::Node& n = node(i);
    switch (n.op) {
      case Op::not_:
        branch(kid_of(n, 0), !when, jumps);
        return;
      case Op::and_:
      case Op::or_: {
        // and: jump on false as soon as a kid is false; on true, only when
        // both are. or: the mirror image.
        const bool shortcut = n.op == Op::or_;  // the value that decides at once
        if (when == shortcut) {
          branch(kid_of(n, 0), when, jumps);
          branch(kid_of(n, 1), when, jumps);
        } else {
          Jumps decided;
          branch(kid_of(n, 0), shortcut, decided);
          branch(kid_of(n, 1), when, jumps);
          patch(decided);
        }
        return;
      }
      case Op::constant:
        if ((n.imm != 0) == when) jumps.push_back(emit(B::jump, i));
        return;
      case Op::rule:
        if (inlined(n.ref)) {
          branch(rule_root(n.ref), when, jumps);
          return;
        }
        if (traced_) break;  // read, noted, then tested
        // The memo tested in place; a rule not computed yet is called, and
        // returns to the plain test after.
        units_[current_].calls.emplace_back(depth_, n.ref);
        jumps.push_back(emit(when ? B::rule_jump_if_nonzero : B::rule_jump_if_zero, i, n.ref, 0, 1));
        jumps.push_back(emit(when ? B::jump_if_nonzero : B::jump_if_zero, i, 0, 0, -1));
        return;
      case Op::input_present:
        if (traced_) break;
        jumps.push_back(emit(when ? B::present_jump_if_nonzero : B::present_jump_if_zero, i, n.ref));
        return;
      case Op::record_present:
        if (traced_) break;
        jumps.push_back(emit(when ? B::record_jump_if_nonzero : B::record_jump_if_zero, i, n.ref));
        return;
      case Op::eq:
      case Op::ne:
      case Op::lt:
      case Op::le:
      case Op::gt:
      case Op::ge: {
        const Comparison& c = *comparison(n.op);
        const Comparison& test = when ? c : *comparison(c.negated);
        const std::uint32_t a = kid_of(n, 0);
        const std::uint32_t b = kid_of(n, 1);
        if (is_constant(b)) {
          if (node(a).op == Op::input && !traced_) {
            jumps.push_back(emit(test.input_jump_imm, i, node(a).ref, node(b).imm));
            return;
          }
          expr(a);
          jumps.push_back(emit(test.jump_imm, i, 0, node(b).imm, -1));
        } else if (is_constant(a)) {
          const Comparison& swapped = *comparison(test.swapped);
          if (node(b).op == Op::input && !traced_) {
            jumps.push_back(emit(swapped.input_jump_imm, i, node(b).ref, node(a).imm));
            return;
          }
          expr(b);
          jumps.push_back(emit(swapped.jump_imm, i, 0, node(a).imm, -1));
        } else {
          expr(a);
          expr(b);
          jumps.push_back(emit(test.jump, i, 0, 0, -2));
        }
        return;
      }
      default:
        break;
    }
    expr(i);
    jumps.push_back(emit(when ? B::jump_if_nonzero : B::jump_if_zero, i, 0, 0, -1));
  }

  // Code that leaves the value of `n` on the stack.
  void expr(std::uint32_t i) {
    if (give_up_) return;
    const ir::Node& n = node(i);
    switch (n.op) {
      case Op::constant: emit(B::konst, i, 0, n.imm, 1); return;
      case Op::input:
        emit(B::input, i, n.ref, 0, 1);
        noted(i, TraceInputKind::field, n.ref);
        return;
      case Op::input_present:
        emit(B::present, i, n.ref, 0, 1);
        noted(i, TraceInputKind::present, n.ref);
        return;
      case Op::record_present:
        emit(B::record, i, n.ref, 0, 1);
        noted(i, TraceInputKind::record, n.ref);
        return;
      case Op::rule:
        if (inlined(n.ref)) {
          expr(rule_root(n.ref));
          return;
        }
        units_[current_].calls.emplace_back(depth_, n.ref);
        emit(B::rule, i, n.ref, 0, 1);
        noted(i, TraceInputKind::rule, n.ref);
        return;
      case Op::param_ref: {
        const ir::Param& param = p_.params[static_cast<std::size_t>(n.ref)];
        if (param.unspecified) {
          emit(B::fail_unspecified, i, param.unspecified_ref, 0, 1);
        } else {
          emit(B::konst, i, 0, param.value, 1);
          noted(i, TraceInputKind::param, n.ref);
        }
        return;
      }
      case Op::ledger: {
        const ir::Ledger& l = p_.ledgers[static_cast<std::size_t>(n.ref)];
        if (!l.keyed) {
          emit(B::ledger, i, l.slot, 0, 1);
          noted(i, TraceInputKind::ledger, l.slot);
          return;
        }
        kid(n, 0);
        emit(traced_ ? B::ledger_keyed_noted : B::ledger_keyed, i, n.ref);
        return;
      }
      case Op::table: {
        const ir::Table& t = p_.tables[static_cast<std::size_t>(n.ref)];
        if (t.dims.size() == 1) {
          kid(n, 0);
          emit(traced_ ? B::table1_noted : B::table1, i, n.ref);
          return;
        }
        if (t.dims.empty()) emit(B::konst, i, 0, 0, 1);
        for (std::uint32_t d = 0; d < t.dims.size(); ++d) {
          kid(n, d);
          emit(B::table_dim, i, n.ref, d, d == 0 ? 0 : -1);
        }
        emit(traced_ ? B::table_cell_noted : B::table_cell, i, n.ref);
        return;
      }
      case Op::unspecified: emit(B::fail_unspecified, i, n.ref, 0, 1); return;

      case Op::add: commutative(n, i, B::add, B::add_imm); return;
      case Op::sub: with_right_imm(n, i, B::sub, B::sub_imm); return;
      case Op::mul: binary(n, i, B::mul); return;
      case Op::mul_rate: with_right_imm(n, i, B::mul_rate, B::mul_rate_imm); return;
      case Op::eq:
      case Op::ne:
      case Op::lt:
      case Op::le:
      case Op::gt:
      case Op::ge: {
        const Comparison& c = *comparison(n.op);
        const std::uint32_t a = kid_of(n, 0);
        const std::uint32_t b = kid_of(n, 1);
        if (is_constant(b)) {
          expr(a);
          emit(c.value_imm, i, 0, node(b).imm);
        } else if (is_constant(a)) {
          expr(b);
          emit(comparison(c.swapped)->value_imm, i, 0, node(a).imm);
        } else {
          binary(n, i, c.value);
        }
        return;
      }
      case Op::set_has: with_right_imm(n, i, B::set_has, B::set_has_imm); return;
      case Op::set_has_any: commutative(n, i, B::set_has_any, B::set_has_any_imm); return;
      case Op::member_of: with_right_imm(n, i, B::member_of, B::member_of_imm); return;
      case Op::date_add: binary(n, i, B::date_add); return;
      case Op::date_sub: binary(n, i, B::date_sub); return;
      case Op::age_on: binary(n, i, B::age_on); return;
      case Op::progressive: binary(n, i, B::progressive); return;
      case Op::neg: unary(n, i, B::neg); return;
      case Op::year_of: unary(n, i, B::year_of); return;
      case Op::next_month_start: unary(n, i, B::next_month_start); return;
      case Op::round_cents: unary(n, i, B::round_cents); return;
      case Op::in_range: ternary(n, i, B::in_range); return;
      case Op::date_of: ternary(n, i, B::date_of); return;
      case Op::progressive_between: ternary(n, i, B::progressive_between); return;

      case Op::min:
      case Op::max: {
        // The first kid that is not a constant, then the others in order,
        // constants as immediates.
        const bool is_min = n.op == Op::min;
        std::uint32_t first = 0;
        while (first + 1 < n.kid_count && is_constant(kid_of(n, first))) ++first;
        kid(n, first);
        for (std::uint32_t k = 0; k < n.kid_count; ++k) {
          if (k == first) continue;
          const std::uint32_t other = kid_of(n, k);
          if (is_constant(other)) {
            emit(is_min ? B::min_imm : B::max_imm, i, 0, node(other).imm);
          } else {
            expr(other);
            emit(is_min ? B::min : B::max, i, 0, 0, -1);
          }
        }
        return;
      }
      case Op::not_:
        if (is_condition(kid_of(n, 0))) {
          as_condition(i);
        } else {
          unary(n, i, B::not_);
        }
        return;
      case Op::and_:
      case Op::or_: as_condition(i); return;
      case Op::if_: {
        Jumps otherwise;
        branch(kid_of(n, 0), false, otherwise);
        std::uint32_t done = 0;
        if (is_constant(kid_of(n, 1))) {
          done = emit(B::konst_jump, i, 0, node(kid_of(n, 1)).imm);
        } else {
          kid(n, 1);
          done = emit(B::jump, i, 0, 0, -1);
        }
        patch(otherwise);
        kid(n, 2);
        patch(done);
        return;
      }
      case Op::switch_: {
        kid(n, 0);
        const ir::Switch& s = p_.switches[static_cast<std::size_t>(n.ref)];
        const std::uint32_t first = table(s.lo, s.arms.size());
        emit(B::switch_, i, static_cast<std::int32_t>(code_->tables.size() - 1), 0, -1);
        // Each distinct arm once (several keys may share one), each ending
        // with a jump past the others.
        Jumps ends;
        std::vector<std::pair<std::int32_t, std::uint32_t>> placed;  // kid index -> pc
        for (std::size_t k = 0; k < s.arms.size(); ++k) {
          const std::int32_t arm = s.arms[k];
          if (arm < 0) continue;
          std::uint32_t at = kNoEntry;
          for (const auto& [kid_index, where] : placed) {
            if (kid_index == arm) at = where;
          }
          if (at == kNoEntry) {
            at = pc();
            placed.emplace_back(arm, at);
            kid(n, static_cast<std::uint32_t>(arm));
            ends.push_back(emit(B::jump, i, 0, 0, -1));
          }
          code_->targets[first + k] = static_cast<std::int32_t>(at);
        }
        patch(ends);
        depth_ += 1;  // the arm's value
        return;
      }
      case Op::highest: {
        // Only the members in the set are visited, lowest first, as the
        // walk's loop over all members does.
        const std::uint32_t members = n.kid_count - 2;
        kid(n, 0);
        const std::size_t below = depth_ - 1;
        const std::uint32_t begin = emit(B::highest_begin, i, 0, members >= 64 ? -1 : (std::int64_t{1} << members) - 1, 2);
        const std::uint32_t first = table(0, members + 2);  // arms, then the default and the end
        const auto index = static_cast<std::int32_t>(code_->tables.size() - 1);
        const std::uint32_t next = emit(B::highest_next, i, index);
        for (std::uint32_t m = 0; m < members; ++m) {
          code_->targets[first + m] = static_cast<std::int32_t>(pc());
          kid(n, m + 2);
          emit(B::highest_take, i, 0, 0, -1);
          jump_to(emit(B::jump, i), next);
        }
        depth_ = below;
        patch(begin);
        code_->targets[first + members] = static_cast<std::int32_t>(pc());
        kid(n, 1);
        code_->targets[first + members + 1] = static_cast<std::int32_t>(pc());
        return;
      }
      case Op::adjust: {
        kid(n, 0);
        emit(B::adjust_begin, i, 0, 0, 3);
        const ir::Adjust& a = p_.adjusts[static_cast<std::size_t>(n.ref)];
        Jumps finish;
        for (const ir::AdjustLine& line : a.lines) {
          Jumps next;
          branch(kid_of(n, line.cond_kid), false, next);
          kid(n, line.value_kid);
          if (line.is_override) {
            finish.push_back(emit(B::adjust_override, i, 0, 0, -1));
          } else {
            emit(B::adjust_add, i, 0, 0, -1);
          }
          patch(next);
        }
        patch(finish);
        emit(B::adjust_finish, i, 0, n.type.kind == ir::Type::rate ? 0 : 1, -3);
        return;
      }
    }
    give_up_ = true;  // an op this file does not know: walk
  }

  // Whether a boolean is better computed by branching on it.
  bool is_condition(std::uint32_t i) const {
    const Op op = node(i).op;
    return op == Op::and_ || op == Op::or_ || op == Op::not_ || comparison(op) != nullptr;
  }
  // The value 0 or 1 of a condition, through its branches.
  void as_condition(std::uint32_t i) {
    Jumps no;
    branch(i, false, no);
    const std::uint32_t done = emit(B::konst_jump, i, 0, 1);
    patch(no);
    emit(B::konst, i, 0, 0, 1);
    patch(done);
  }

  // A jump table of `count` entries (all -1 for now); its first target.
  std::uint32_t table(std::int64_t lo, std::size_t count) {
    const auto first = static_cast<std::uint32_t>(code_->targets.size());
    code_->tables.push_back(Lowered::JumpTable{lo, first, static_cast<std::uint32_t>(count)});
    code_->targets.resize(code_->targets.size() + count, -1);
    return first;
  }

  void unary(const ir::Node& n, std::uint32_t i, B op) {
    kid(n, 0);
    emit(op, i);
  }
  void binary(const ir::Node& n, std::uint32_t i, B op) {
    kid(n, 0);
    kid(n, 1);
    emit(op, i, 0, 0, -1);
  }
  void with_right_imm(const ir::Node& n, std::uint32_t i, B op, B op_imm) {
    if (!is_constant(kid_of(n, 1))) {
      binary(n, i, op);
      return;
    }
    kid(n, 0);
    emit(op_imm, i, 0, node(kid_of(n, 1)).imm);
  }
  void commutative(const ir::Node& n, std::uint32_t i, B op, B op_imm) {
    if (is_constant(kid_of(n, 0)) && !is_constant(kid_of(n, 1))) {
      kid(n, 1);
      emit(op_imm, i, 0, node(kid_of(n, 0)).imm);
      return;
    }
    with_right_imm(n, i, op, op_imm);
  }
  void ternary(const ir::Node& n, std::uint32_t i, B op) {
    kid(n, 0);
    kid(n, 1);
    kid(n, 2);
    emit(op, i, 0, 0, -2);
  }

  // For tracing: the value on top of the stack is an input of the rule.
  void noted(std::uint32_t i, TraceInputKind kind, std::int32_t index) {
    if (traced_) emit(B::note, i, index, static_cast<std::int64_t>(kind));
  }

  bool inlined(std::int32_t rule) const {
    return !inlined_.empty() && inlined_[static_cast<std::size_t>(rule)] != 0;
  }
  std::uint32_t rule_root(std::int32_t rule) const {
    return static_cast<std::uint32_t>(p_.rules[static_cast<std::size_t>(rule)].root);
  }

  const ir::Program& p_;
  const bool traced_;
  const std::vector<std::uint8_t> inlined_;
  Lowered* code_ = nullptr;
  std::vector<Unit> units_;
  std::size_t current_ = 0;
  std::size_t depth_ = 0;
  bool give_up_ = false;
  std::vector<std::int32_t> rule_unit_;
  std::vector<std::uint32_t> rule_entry_;  // per rule: its unit's first pc (kNoEntry when inlined)
  std::vector<std::int64_t> need_;
  std::vector<std::uint8_t> state_;
};

// The rules referenced by exactly one instruction of `code`, which can be
// inlined there: that instruction is run at most once a request (a unit is
// run once, and a rule's unit once, memoized), so the rule is computed at
// most once either way, at the same point, from the same nodes; and no other
// reference reads its memo. A rule's code is emitted once whether inlined or
// not, so the references counted here are those of the code with inlining.
std::vector<std::uint8_t> single_reference_rules(const Lowered& code, std::size_t rules) {
  std::vector<std::uint32_t> references(rules, 0);
  for (const Insn& in : code.insns) {
    if (is_rule_reference(in.op)) {
      ++references[static_cast<std::size_t>(in.arg)];
    }
  }
  std::vector<std::uint8_t> single(rules, 0);
  for (std::size_t r = 0; r < rules; ++r) single[r] = references[r] == 1 ? 1 : 0;
  return single;
}

}  // namespace

struct Evaluator::Code : Lowered {};

void Evaluator::prepare() {
  prepared_ = true;
  if (!options_.bytecode) return;
  auto code = std::make_shared<Code>();
  Lowering lowering(program_, tracing_);
  if (!lowering.lower(*code)) return;  // walk instead
  // Without tracing, a rule used once is inlined where it is used: no
  // memo, call or return. Tracing keeps every rule a unit, for its step.
  if (!tracing_) {
    auto single = single_reference_rules(*code, program_.rules.size());
    const auto count = static_cast<std::size_t>(std::count(single.begin(), single.end(), 1));
    if (count > 0) {
      auto inlined = std::make_shared<Code>();
      if (Lowering(program_, false, std::move(single)).lower(*inlined)) {
        inlined->inlined_rules = count;
        code = std::move(inlined);
      }
    }
  }
  stack_.assign(code->stack_need, 0);
  frames_.resize(program_.rules.size() + 1);  // rules nest at most once each (no cycles)
  code_ = std::move(code);
}

std::size_t Evaluator::inlined_rules() const noexcept { return code_ ? code_->inlined_rules : 0; }
std::uint32_t Evaluator::sections_entry() const { return code_->sections_entry; }
std::uint32_t Evaluator::checks_entry() const { return code_->checks_entry; }

bool Evaluator::fail_at(EvalErrorCode code, std::uint32_t pc, std::int32_t unspecified) {
  return fail(code, code_->node_of[pc], unspecified);
}

bool Evaluator::run(std::uint32_t entry, std::int64_t& out) {
  return tracing_ ? run_code<true>(entry, out) : run_code<false>(entry, out);
}

// kTracing is tracing_: the code run without tracing (the usual case) has no
// trace bookkeeping to test at each rule call and return.
template <bool kTracing>
bool Evaluator::run_code(std::uint32_t entry, std::int64_t& out) {
  const Code& code = *code_;
  const Insn* const base = code.insns.data();
  const Insn* ip = base + entry;
  std::int64_t* sp = stack_.data();
  std::size_t frames = 0;  // rules being computed (frames_)
  // What the ops read most, taken out of their vectors once: none of them
  // is resized while a unit runs (prepare() sizes the memo and the frames,
  // and the request and the ledger are fixed for the request).
  const std::int64_t* const slots = request_->slots().data();
  const std::uint64_t* const has_bits = request_->has_bits().data();
  const std::uint64_t* const record_bits = request_->record_bits().data();
  Memo* const memo = memo_.data();
  Frame* const frame = frames_.data();
  std::int64_t* const ledger = ledger_.data();
  const bool no_ledger = ledger_.empty();
  const auto bit = [](const std::uint64_t* bits, std::int32_t i) {
    const auto u = static_cast<std::uint32_t>(i);
    return ((bits[u >> 6] >> (u & 63U)) & 1U) != 0;
  };
  // The pc of the instruction being run, for error locations.
  const auto here = [&]() { return static_cast<std::uint32_t>(ip - 1 - base); };

  // Threaded dispatch: every op ends by jumping straight to the next one's
  // code (a GNU extension: one indirect jump per op instead of a switch's
  // bounds check and shared jump).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
  static constexpr void* kOps[] = {
#define YIBAO_OP_LABEL(name) &&op_##name,
      YIBAO_BYTECODE_OPS(YIBAO_OP_LABEL)
#undef YIBAO_OP_LABEL
  };
#define NEXT                                      \
  do {                                            \
    in = ip++;                                    \
    goto* kOps[static_cast<std::size_t>(in->op)]; \
  } while (false)
#define JUMP_IF(condition)               \
  do {                                   \
    if (condition) ip = in + in->target; \
    NEXT;                                \
  } while (false)

  const Insn* in = nullptr;
  NEXT;

op_konst:
  *sp++ = in->imm;
  NEXT;
op_input:
  *sp++ = slots[in->arg];
  NEXT;
op_present:
  *sp++ = bit(has_bits, in->arg) ? 1 : 0;
  NEXT;
op_record:
  *sp++ = bit(record_bits, in->arg) ? 1 : 0;
  NEXT;
op_rule: {
  const auto r = static_cast<std::size_t>(in->arg);
  const Memo& m = memo[r];
  if (m.generation == generation_) {
    if (!m.ok) {
      error_ = memo_errors_[r];
      goto failed;
    }
    *sp++ = m.value;
    NEXT;
  }
  goto call;
}
call: {
  // Rule in->arg, not computed yet: as eval_rule, trace first (when
  // tracing), then the rule's unit on top of the stack, returning to the
  // next op.
  Frame& f = frame[frames++];
  f.return_to = ip;
  f.rule = in->arg;
  if constexpr (kTracing) {
    f.trace_at = static_cast<std::uint32_t>(trace_.size());
    trace_.push_back(TraceStep{in->arg, 0, {}, depth_});
    ++depth_;
  }
  ip = in + in->imm;  // the rule's entry (Lowering::lower)
  NEXT;
}
op_rule_return: {
  const Frame& f = frame[--frames];
  Memo& m = memo[static_cast<std::size_t>(in->arg)];  // the rule, as f.rule
  m.generation = generation_;
  m.ok = true;
  m.value = sp[-1];
  if constexpr (kTracing) {
    --depth_;
    trace_[f.trace_at].value = sp[-1];
    trace_[f.trace_at].error = EvalError{};
  }
  ip = static_cast<const Insn*>(f.return_to);
  NEXT;
}
op_ledger:
  *sp++ = no_ledger ? 0 : ledger[in->arg];
  NEXT;
op_ledger_keyed: {
  const ir::Ledger& l = program_.ledgers[static_cast<std::size_t>(in->arg)];
  const std::int64_t a = sp[-1];
  if (a < l.key_lo || a > l.key_hi) {
    error_ = EvalError{EvalErrorCode::unspecified, -1, static_cast<std::int32_t>(code.node_of[here()]), in->arg, a};
    goto failed;
  }
  const std::int64_t slot = l.slot + (a - l.key_lo);
  sp[-1] = no_ledger ? 0 : ledger[slot];
  NEXT;
}
op_table1: {
  const ir::Table& t = program_.tables[static_cast<std::size_t>(in->arg)];
  const ir::TableDim& dim = t.dims[0];
  const std::int64_t a = sp[-1];
  if (a < dim.lo || a > dim.hi) {
    error_ = EvalError{EvalErrorCode::unspecified, -1, static_cast<std::int32_t>(code.node_of[here()]), in->arg, a};
    goto failed;
  }
  const auto index = static_cast<std::size_t>(a - dim.lo);
  if (t.cell_unspecified[index] >= 0) {
    fail_at(EvalErrorCode::unspecified, here(), t.cell_unspecified[index]);
    goto failed;
  }
  sp[-1] = t.cells[index];
  NEXT;
}
op_table_dim: {
  const ir::Table& t = program_.tables[static_cast<std::size_t>(in->arg)];
  const ir::TableDim& dim = t.dims[static_cast<std::size_t>(in->imm)];
  const std::int64_t a = sp[-1];
  if (a < dim.lo || a > dim.hi) {
    error_ = EvalError{EvalErrorCode::unspecified, -1, static_cast<std::int32_t>(code.node_of[here()]), in->arg, a};
    goto failed;
  }
  if (in->imm == 0) {
    sp[-1] = a - dim.lo;
  } else {
    const auto index = static_cast<std::size_t>(sp[-2]) * static_cast<std::size_t>(dim.hi - dim.lo + 1) +
                       static_cast<std::size_t>(a - dim.lo);
    sp[-2] = static_cast<std::int64_t>(index);
    --sp;
  }
  NEXT;
}
op_table_cell: {
  const ir::Table& t = program_.tables[static_cast<std::size_t>(in->arg)];
  const auto index = static_cast<std::size_t>(sp[-1]);
  if (t.cell_unspecified[index] >= 0) {
    fail_at(EvalErrorCode::unspecified, here(), t.cell_unspecified[index]);
    goto failed;
  }
  sp[-1] = t.cells[index];
  NEXT;
}
op_fail_unspecified:
  fail_at(EvalErrorCode::unspecified, here(), in->arg);
  goto failed;

op_add:
  if (__builtin_add_overflow(sp[-2], sp[-1], &sp[-2])) goto overflowed;
  --sp;
  NEXT;
op_sub:
  if (__builtin_sub_overflow(sp[-2], sp[-1], &sp[-2])) goto overflowed;
  --sp;
  NEXT;
op_mul:
  if (__builtin_mul_overflow(sp[-2], sp[-1], &sp[-2])) goto overflowed;
  --sp;
  NEXT;
op_neg:
  if (__builtin_sub_overflow(std::int64_t{0}, sp[-1], &sp[-1])) goto overflowed;
  NEXT;
op_mul_rate: {
  const auto r = money_times_rate(sp[-2], sp[-1]);
  if (!r) goto overflowed;
  *(--sp - 1) = *r;
  NEXT;
}
op_min:
  --sp;
  sp[-1] = std::min(sp[-1], sp[0]);
  NEXT;
op_max:
  --sp;
  sp[-1] = std::max(sp[-1], sp[0]);
  NEXT;
op_add_imm:
  if (__builtin_add_overflow(sp[-1], in->imm, &sp[-1])) goto overflowed;
  NEXT;
op_sub_imm:
  if (__builtin_sub_overflow(sp[-1], in->imm, &sp[-1])) goto overflowed;
  NEXT;
op_mul_rate_imm: {
  const auto r = money_times_rate(sp[-1], in->imm);
  if (!r) goto overflowed;
  sp[-1] = *r;
  NEXT;
}
op_min_imm:
  sp[-1] = std::min(sp[-1], in->imm);
  NEXT;
op_max_imm:
  sp[-1] = std::max(sp[-1], in->imm);
  NEXT;

op_eq:
  --sp;
  sp[-1] = sp[-1] == sp[0];
  NEXT;
op_ne:
  --sp;
  sp[-1] = sp[-1] != sp[0];
  NEXT;
op_lt:
  --sp;
  sp[-1] = sp[-1] < sp[0];
  NEXT;
op_le:
  --sp;
  sp[-1] = sp[-1] <= sp[0];
  NEXT;
op_gt:
  --sp;
  sp[-1] = sp[-1] > sp[0];
  NEXT;
op_ge:
  --sp;
  sp[-1] = sp[-1] >= sp[0];
  NEXT;
op_eq_imm:
  sp[-1] = sp[-1] == in->imm;
  NEXT;
op_ne_imm:
  sp[-1] = sp[-1] != in->imm;
  NEXT;
op_lt_imm:
  sp[-1] = sp[-1] < in->imm;
  NEXT;
op_le_imm:
  sp[-1] = sp[-1] <= in->imm;
  NEXT;
op_gt_imm:
  sp[-1] = sp[-1] > in->imm;
  NEXT;
op_ge_imm:
  sp[-1] = sp[-1] >= in->imm;
  NEXT;
op_jump_eq:
  sp -= 2;
  JUMP_IF(sp[0] == sp[1]);
op_jump_ne:
  sp -= 2;
  JUMP_IF(sp[0] != sp[1]);
op_jump_lt:
  sp -= 2;
  JUMP_IF(sp[0] < sp[1]);
op_jump_le:
  sp -= 2;
  JUMP_IF(sp[0] <= sp[1]);
op_jump_gt:
  sp -= 2;
  JUMP_IF(sp[0] > sp[1]);
op_jump_ge:
  sp -= 2;
  JUMP_IF(sp[0] >= sp[1]);
op_jump_eq_imm:
  --sp;
  JUMP_IF(sp[0] == in->imm);
op_jump_ne_imm:
  --sp;
  JUMP_IF(sp[0] != in->imm);
op_jump_lt_imm:
  --sp;
  JUMP_IF(sp[0] < in->imm);
op_jump_le_imm:
  --sp;
  JUMP_IF(sp[0] <= in->imm);
op_jump_gt_imm:
  --sp;
  JUMP_IF(sp[0] > in->imm);
op_jump_ge_imm:
  --sp;
  JUMP_IF(sp[0] >= in->imm);
op_jump_if_zero:
  --sp;
  JUMP_IF(sp[0] == 0);
op_jump_if_nonzero:
  --sp;
  JUMP_IF(sp[0] != 0);
op_jump:
  ip = in + in->target;
  NEXT;
op_konst_jump:
  *sp++ = in->imm;
  ip = in + in->target;
  NEXT;
op_rule_jump_if_zero: {
  const auto r = static_cast<std::size_t>(in->arg);
  const Memo& m = memo[r];
  if (m.generation != generation_) goto call;  // then the next op tests the value
  if (!m.ok) {
    error_ = memo_errors_[r];
    goto failed;
  }
  ip = m.value == 0 ? in + in->target : ip + 1;
  NEXT;
}
op_rule_jump_if_nonzero: {
  const auto r = static_cast<std::size_t>(in->arg);
  const Memo& m = memo[r];
  if (m.generation != generation_) goto call;
  if (!m.ok) {
    error_ = memo_errors_[r];
    goto failed;
  }
  ip = m.value != 0 ? in + in->target : ip + 1;
  NEXT;
}
op_input_jump_eq_imm:
  JUMP_IF(slots[in->arg] == in->imm);
op_input_jump_ne_imm:
  JUMP_IF(slots[in->arg] != in->imm);
op_input_jump_lt_imm:
  JUMP_IF(slots[in->arg] < in->imm);
op_input_jump_le_imm:
  JUMP_IF(slots[in->arg] <= in->imm);
op_input_jump_gt_imm:
  JUMP_IF(slots[in->arg] > in->imm);
op_input_jump_ge_imm:
  JUMP_IF(slots[in->arg] >= in->imm);
op_present_jump_if_zero:
  JUMP_IF(!bit(has_bits, in->arg));
op_present_jump_if_nonzero:
  JUMP_IF(bit(has_bits, in->arg));
op_record_jump_if_zero:
  JUMP_IF(!bit(record_bits, in->arg));
op_record_jump_if_nonzero:
  JUMP_IF(bit(record_bits, in->arg));
op_not_:
  sp[-1] = !sp[-1];
  NEXT;
op_in_range:
  sp -= 2;
  sp[-1] = sp[0] <= sp[-1] && sp[-1] <= sp[1];
  NEXT;
op_set_has:
  --sp;
  sp[-1] = (static_cast<std::uint64_t>(sp[-1]) >> sp[0]) & 1U;
  NEXT;
op_set_has_imm:
  sp[-1] = (static_cast<std::uint64_t>(sp[-1]) >> in->imm) & 1U;
  NEXT;
op_set_has_any:
  --sp;
  sp[-1] = (sp[-1] & sp[0]) != 0;
  NEXT;
op_set_has_any_imm:
  sp[-1] = (sp[-1] & in->imm) != 0;
  NEXT;
op_member_of:
  --sp;
  sp[-1] = (static_cast<std::uint64_t>(sp[0]) >> sp[-1]) & 1U;
  NEXT;
op_member_of_imm:
  sp[-1] = (static_cast<std::uint64_t>(in->imm) >> sp[-1]) & 1U;
  NEXT;
op_switch_: {
  const Lowered::JumpTable& s = code.tables[static_cast<std::size_t>(in->arg)];
  const std::int64_t a = *--sp;
  const std::int64_t at = a - s.lo;
  const std::int32_t target =
      at < 0 || at >= static_cast<std::int64_t>(s.count) ? -1 : code.targets[s.first + static_cast<std::size_t>(at)];
  if (target < 0) {
    error_ = EvalError{EvalErrorCode::unspecified, -1, static_cast<std::int32_t>(code.node_of[here()]), -1, a};
    goto failed;
  }
  ip = base + target;
  NEXT;
}
op_highest_begin:
  if (sp[-1] == 0) {
    --sp;
    ip = in + in->target;
    NEXT;
  }
  sp[-1] &= in->imm;  // the members that have a value
  sp[0] = 0;          // any
  sp[1] = 0;          // best
  sp += 2;
  NEXT;
op_highest_next: {
  const Lowered::JumpTable& t = code.tables[static_cast<std::size_t>(in->arg)];
  const auto left = static_cast<std::uint64_t>(sp[-3]);
  if (left != 0) {
    sp[-3] = static_cast<std::int64_t>(left & (left - 1));
    ip = base + code.targets[t.first + static_cast<unsigned>(__builtin_ctzll(left))];
    NEXT;
  }
  sp -= 3;
  if (sp[1] != 0) {  // some member: the best, then the end
    sp[0] = sp[2];
    ++sp;
    ip = base + code.targets[t.first + t.count - 1];
  } else {  // the default
    ip = base + code.targets[t.first + t.count - 2];
  }
  NEXT;
}
op_highest_take: {
  const std::int64_t b = *--sp;
  if (!sp[-2] || b > sp[-1]) sp[-1] = b;
  sp[-2] = 1;
  NEXT;
}
op_adjust_begin:
  sp[0] = 0;  // delta
  sp[1] = 0;  // overridden
  sp[2] = 0;  // override rate
  sp += 3;
  NEXT;
op_adjust_add: {
  const std::int64_t v = *--sp;
  if (__builtin_add_overflow(sp[-3], v, &sp[-3])) goto overflowed;
  NEXT;
}
op_adjust_override: {
  const std::int64_t v = *--sp;
  sp[-2] = 1;  // overridden
  sp[-1] = v;  // the override rate
  ip = in + in->target;
  NEXT;
}
op_adjust_finish: {
  sp -= 3;
  const std::int64_t base_value = sp[-1];
  const std::int64_t delta = sp[0];
  const bool overridden = sp[1] != 0;
  const std::int64_t override_rate = sp[2];
  const auto adjusted = [&](std::int64_t rate) -> std::optional<std::int64_t> {
    if (overridden) return clamp_rate(override_rate);
    const auto r = checked_add(rate, delta);
    if (!r) return std::nullopt;
    return clamp_rate(*r);
  };
  if (in->imm == 0) {
    const auto r = adjusted(base_value);
    if (!r) goto overflowed;
    sp[-1] = *r;
    NEXT;
  }
  const ir::Schedule src = schedules_[static_cast<std::size_t>(base_value)];
  const ir::Schedule copy{static_cast<std::uint32_t>(segments_.size()), src.count};
  for (std::uint32_t k = 0; k < src.count; ++k) {
    ir::Segment seg = segments_[src.first + k];
    const auto r = adjusted(seg.rate);
    if (!r) goto overflowed;
    seg.rate = *r;
    segments_.push_back(seg);
  }
  sp[-1] = static_cast<std::int64_t>(schedules_.size());
  schedules_.push_back(copy);
  NEXT;
}
op_date_add:
op_date_sub: {
  const std::int64_t a = sp[-2];
  const std::int64_t b = sp[-1];
  const std::int64_t sign = in->op == B::date_add ? 1 : -1;
  std::optional<Date> d = static_cast<Date>(a);
  if (ir::duration_months(b) != 0) d = add_months(*d, sign * ir::duration_months(b));
  if (d && ir::duration_days(b) != 0) d = add_days(*d, sign * ir::duration_days(b));
  if (!d) goto overflowed;
  *(--sp - 1) = *d;
  NEXT;
}
op_age_on:
  --sp;
  sp[-1] = age_on(static_cast<Date>(sp[-1]), static_cast<Date>(sp[0]));
  NEXT;
op_year_of:
  sp[-1] = year_of(static_cast<Date>(sp[-1]));
  NEXT;
op_date_of: {
  sp -= 2;
  const std::int64_t y = sp[-1];
  const std::int64_t m = sp[0];
  const std::int64_t d = sp[1];
  if (y < kMinYear || y > kMaxYear || m < 1 || m > 12 || d < 1 || d > 31) goto overflowed;
  const auto date = from_ymd(static_cast<std::int32_t>(y), static_cast<std::int32_t>(m), static_cast<std::int32_t>(d));
  if (!date) goto overflowed;
  sp[-1] = *date;
  NEXT;
}
op_next_month_start: {
  const auto d = first_day_of_next_month(static_cast<Date>(sp[-1]));
  if (!d) goto overflowed;
  sp[-1] = *d;
  NEXT;
}
op_progressive: {
  std::int64_t v = 0;
  if (!progressive(sp[-2], sp[-1], code.node_of[here()], v)) goto failed;
  *(--sp - 1) = v;
  NEXT;
}
op_progressive_between: {
  sp -= 2;
  const std::uint32_t node = code.node_of[here()];
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  if (!progressive(sp[-1], sp[0], node, lo) || !progressive(sp[-1], sp[1], node, hi)) goto failed;
  const auto r = checked_sub(hi, lo);
  if (!r) goto overflowed;
  sp[-1] = *r;
  NEXT;
}
op_round_cents: {
  const auto r = round_to_cents_half_up(sp[-1]);
  if (!r) goto overflowed;
  sp[-1] = *r;
  NEXT;
}
op_ret:
  out = sp[-1];
  return true;

op_section_begin: {
  // As evaluate() and eval_section() before a section.
  section_ = in->arg;
  next_section_ = in + in->target;
  section_out_ = &result_out_->sections[static_cast<std::size_t>(in->arg)];
  SectionOutcome& o = *section_out_;
  o.error = EvalError{};
  const auto fields = static_cast<std::size_t>(in->imm);  // the section's field count
  if (o.values.size() == fields && o.written.size() == fields) {
    // Only the flags: a value counts where its flag is set (SectionOutcome).
    for (std::size_t k = 0; k < fields; ++k) o.written[k] = 0;
  } else {
    o.values.assign(fields, 0);
    o.written.assign(fields, 0);
  }
  pending_.clear();
  NEXT;
}
op_section_absent:
  section_out_->kind = SectionOutcome::Kind::absent;
  ip = in + in->target;
  NEXT;
op_section_reason:
  section_out_->kind = SectionOutcome::Kind::reason;
  section_out_->reason_code = in->imm;
  section_out_->reason_enum = in->arg;
  NEXT;
op_section_end:
  ip = in + in->target;
  NEXT;
op_section_store: {
  const auto field = static_cast<std::size_t>(in->arg);
  section_out_->values[field] = *--sp;
  section_out_->written[field] = 1;
  NEXT;
}
op_section_store_imm: {
  const auto field = static_cast<std::size_t>(in->arg);
  section_out_->values[field] = in->imm;
  section_out_->written[field] = 1;
  NEXT;
}
op_section_fields:
  section_out_->kind = SectionOutcome::Kind::fields;
  // commit_pending has nothing to do without updates pending (no update of
  // the section applied, or it has none).
  if (!pending_.empty() && !commit_pending(program_.sections[static_cast<std::size_t>(in->arg)])) goto failed;
  if (in->imm != 0) result_out_->assessed_any = true;
  ip = in + in->target;
  NEXT;
op_update_key: {
  const ir::Ledger& l = program_.ledgers[static_cast<std::size_t>(in->arg)];
  const std::int64_t v = sp[-1];
  if (v < l.key_lo || v > l.key_hi) {
    error_ = EvalError{EvalErrorCode::unspecified, -1, static_cast<std::int32_t>(code.node_of[here()]), in->arg, v};
    goto failed;
  }
  sp[-1] = l.slot + (v - l.key_lo);
  NEXT;
}
op_update_push:
  sp -= 2;
  pending_.push_back(PendingUpdate{static_cast<std::int32_t>(sp[0]), sp[1]});
  NEXT;
op_check_begin:
  check_ = in->arg;
  NEXT;

// Tracing's reads (only in code lowered for tracing): noted for the rule
// being computed, when there is one, as the walk notes them.
op_note:
  if (frames > 0) {
    note(static_cast<std::int32_t>(frame[frames - 1].trace_at), static_cast<TraceInputKind>(in->imm), in->arg,
         sp[-1]);
  }
  NEXT;
op_ledger_keyed_noted:
  if (frames > 0) {
    const ir::Ledger& l = program_.ledgers[static_cast<std::size_t>(in->arg)];
    const std::int64_t a = sp[-1];
    if (a >= l.key_lo && a <= l.key_hi) {
      const std::int64_t slot = l.slot + (a - l.key_lo);
      note(static_cast<std::int32_t>(frame[frames - 1].trace_at), TraceInputKind::ledger,
           static_cast<std::int32_t>(slot), no_ledger ? 0 : ledger[slot]);
    }
  }
  goto op_ledger_keyed;
op_table1_noted:
  if (frames > 0) {
    const ir::Table& t = program_.tables[static_cast<std::size_t>(in->arg)];
    const ir::TableDim& dim = t.dims[0];
    const std::int64_t a = sp[-1];
    if (a >= dim.lo && a <= dim.hi && t.cell_unspecified[static_cast<std::size_t>(a - dim.lo)] < 0) {
      const auto index = static_cast<std::size_t>(a - dim.lo);
      note(static_cast<std::int32_t>(frame[frames - 1].trace_at), TraceInputKind::table, in->arg, t.cells[index],
           static_cast<std::uint32_t>(index));
    }
  }
  goto op_table1;
op_table_cell_noted:
  if (frames > 0) {
    const ir::Table& t = program_.tables[static_cast<std::size_t>(in->arg)];
    const auto index = static_cast<std::size_t>(sp[-1]);
    if (t.cell_unspecified[index] < 0) {
      note(static_cast<std::int32_t>(frame[frames - 1].trace_at), TraceInputKind::table, in->arg, t.cells[index],
           static_cast<std::uint32_t>(index));
    }
  }
  goto op_table_cell;

#undef JUMP_IF
#undef NEXT
#pragma GCC diagnostic pop

overflowed:
  fail_at(EvalErrorCode::overflow, here());
failed:
  // Every rule being computed fails with the same error, as eval_rule does
  // when its root fails: memoized, and traced, innermost first.
  while (frames > 0) {
    const Frame& f = frame[--frames];
    Memo& m = memo[static_cast<std::size_t>(f.rule)];
    m.generation = generation_;
    m.ok = false;
    m.value = 0;
    memo_errors_[static_cast<std::size_t>(f.rule)] = error_;
    if constexpr (kTracing) {
      --depth_;
      trace_[f.trace_at].value = 0;
      trace_[f.trace_at].error = error_;
    }
  }
  if (section_ < 0) return false;
  // In the sections' unit: this section is an error, and the next one starts.
  section_out_->kind = SectionOutcome::Kind::error;
  section_out_->error = error_;
  section_ = -1;
  sp = stack_.data();
  ip = static_cast<const Insn*>(next_section_);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
  in = ip++;
  goto* kOps[static_cast<std::size_t>(in->op)];
#pragma GCC diagnostic pop
}

}  // namespace yibao
