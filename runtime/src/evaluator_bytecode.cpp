// The interpreter's fast engine: the node DAG lowered once per Evaluator into
// a flat stack bytecode, one code unit per rule and per root (section
// conditions and fields, ledger updates, request checks), then run by one
// loop over a switch.
//
// Why: walking the DAG costs a recursive call, a 40-byte node load, a kid
// index indirection and a lambda or two per node; a request of a typical
// policy visits a few hundred nodes. Here a node is one 16-byte instruction
// on an int64 stack, and children are simply the instructions before it.
//
// Exactness: the code evaluates exactly the nodes the walk would, in the same
// order, and fails with the same EvalError (the node of every instruction is
// kept for that), so results, memos and traces are identical:
//   - children in order, left to right; a failing child ends the unit (as in
//     the walk, no op recovers from a failure);
//   - and/or/if/switch/highest/adjust jump over what the walk does not
//     evaluate;
//   - a rule reference is one instruction: the memo (errors included) or a
//     call of the rule's unit, with the same trace bookkeeping as
//     Evaluator::eval_rule;
//   - shared non-rule nodes are compiled once per use, as the walk evaluates
//     them once per use.
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
#define YIBAO_BYTECODE_OPS(X) \
  X(konst) /* push imm */ \
  X(input) /* push request field arg (0 when absent) */ \
  X(present) /* push has(field arg) */ \
  X(record) /* push has_record(arg) */ \
  X(rule) /* push rule arg (memo, or call its unit) */ \
  X(ledger) /* push ledger slot arg (0 without a ledger) */ \
  X(ledger_keyed) /* key -> slot of ledger arg */ \
  X(table1) /* key -> cell of one-dimensional table arg */ \
  X(table_dim) /* [index,] key -> index within table arg, dimension imm */ \
  X(table_cell) /* index -> cell of table arg */ \
  X(fail_unspecified) /* fails unspecified, Program::unspecifieds[arg] */ \
  X(add) \
  X(sub) \
  X(mul) \
  X(neg) \
  X(mul_rate) \
  X(min) \
  X(max) \
  X(eq) \
  X(ne) \
  X(lt) \
  X(le) \
  X(gt) \
  X(ge) \
  X(and_test) /* top false: keep it (0), jump arg; else pop */ \
  X(or_test) /* top true: make it 1, jump arg; else pop */ \
  X(to_bool) /* top = top != 0 */ \
  X(not_) \
  X(jump_if_zero) /* pop; jump arg when it was 0 */ \
  X(jump) /* jump arg */ \
  X(in_range) \
  X(set_has) \
  X(set_has_any) \
  X(member_of) \
  X(switch_) /* pop key; jump to its arm (Code::switches[arg]) or fail */ \
  X(highest_begin) /* pop set; 0: jump arg (the default); else push set, any = 0, best = 0 */ \
  X(highest_bit) /* set (3 below the top) lacks member imm: jump arg */ \
  X(highest_take) /* pop b; best = b when none yet or b > best */ \
  X(highest_end) /* some member: replace the 3 slots by best, jump arg; else pop them */ \
  X(adjust_begin) /* base -> base, delta = 0, overridden = 0, override = 0 */ \
  X(adjust_add) /* pop points; delta += points, checked */ \
  X(adjust_override) /* pop rate; overridden = 1, override = rate; jump arg */ \
  X(adjust_finish) /* 4 slots -> adjusted rate (imm 0) or schedule (imm 1) */ \
  X(date_add) \
  X(date_sub) \
  X(age_on) \
  X(year_of) \
  X(date_of) \
  X(next_month_start) \
  X(progressive) \
  X(progressive_between) \
  X(round_cents) \
  X(rule_return) /* end of a rule's unit: memoize the top, back to the caller */ \
  X(ret) /* end of a unit: its value is the top */ \
  /* Sections (SectionOutcome at section_out_): */ \
  X(section_absent) /* kind absent; the unit ends */ \
  X(section_reason) /* kind reason, reason imm of enum arg */ \
  X(section_end) /* the unit ends (after a reason and its fields) */ \
  X(section_store) /* pop the value of field arg: written */ \
  X(section_fields) /* kind fields; the unit ends (updates are in pending_) */ \
  X(update_key) /* key -> slot of ledger arg (its node is the update's key) */ \
  X(update_push) /* pop amount and slot into pending_ */ \
  /* The checks' unit: */ \
  X(check_begin) /* check_ = arg */ \
  X(check_end) /* pop; false: the unit ends giving arg */

enum class B : std::uint8_t {
#define YIBAO_OP_ENUM(name) name,
  YIBAO_BYTECODE_OPS(YIBAO_OP_ENUM)
#undef YIBAO_OP_ENUM
};

struct Insn {
  std::int64_t imm = 0;
  std::int32_t arg = 0;
  B op = B::ret;
};

constexpr std::uint32_t kNoEntry = UINT32_MAX;
// Beyond this many instructions the DAG's tree expansion is not worth it.
constexpr std::size_t kMaxCode = std::size_t{1} << 22;

// money * rate / 10^6 rounded half away from zero, as money_times_rate, with
// 64-bit arithmetic when the product fits (the usual case) instead of a
// 128-bit division.
inline std::optional<std::int64_t> times_rate(std::int64_t m, std::int64_t rate) noexcept {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(m, rate, &product)) return money_times_rate(m, rate);
  std::int64_t quotient = product / kRateOne;
  const std::int64_t remainder = product % kRateOne;
  if (remainder * 2 >= kRateOne) {
    ++quotient;
  } else if (remainder * 2 <= -kRateOne) {
    --quotient;
  }
  return quotient;
}

// The lowered program; Evaluator::Code is this.
struct Lowered {
  struct SwitchTable {
    std::int64_t lo = 0;
    std::uint32_t first = 0;  // into targets
    std::uint32_t count = 0;
  };
  std::vector<Insn> insns;
  std::vector<std::uint32_t> node_of;     // per instruction: the IR node it stands for
  std::vector<std::uint32_t> rule_entry;  // per rule
  std::vector<std::uint32_t> section_entry;  // per section
  std::uint32_t checks_entry = 0;
  std::vector<SwitchTable> switches;
  std::vector<std::int32_t> targets;      // switch arms: pc, or -1 for no arm
  std::size_t stack_need = 0;
};

// Lowers a program into Evaluator::Code (see the top of this file).
class Lowering {
 public:
  explicit Lowering(const ir::Program& p) : p_(p) {}

  // False when the program is better walked.
  bool lower(Lowered& code) {
    insns_ = &code.insns;
    node_of_ = &code.node_of;
    switches_ = &code.switches;
    targets_ = &code.targets;
    code.rule_entry.assign(p_.rules.size(), kNoEntry);
    rule_unit_.assign(p_.rules.size(), -1);
    for (std::size_t r = 0; r < p_.rules.size(); ++r) {
      const std::int32_t root = p_.rules[r].root;
      if (root < 0 || static_cast<std::size_t>(root) >= p_.nodes.size()) return false;
      rule_unit_[r] = static_cast<std::int32_t>(units_.size());
      code.rule_entry[r] = begin_unit();
      expr(static_cast<std::uint32_t>(root));
      emit(B::rule_return, static_cast<std::uint32_t>(root), static_cast<std::int32_t>(r), 0, -1);
    }
    for (const ir::Section& section : p_.sections) code.section_entry.push_back(section_unit(section));
    code.checks_entry = checks_unit();
    if (give_up_) return false;
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
    std::size_t depth = 0;                                  // deepest stack of its own
    std::vector<std::pair<std::size_t, std::int32_t>> calls;  // (depth below, rule)
  };

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

  std::uint32_t pc() const { return static_cast<std::uint32_t>(insns_->size()); }

  std::uint32_t begin_unit() {
    units_.emplace_back();
    current_ = units_.size() - 1;
    depth_ = 0;
    return pc();
  }

  // A section, as Evaluator::eval_section and apply_updates (up to the
  // ledger sums, which the Evaluator checks and applies).
  std::uint32_t section_unit(const ir::Section& section) {
    const std::uint32_t entry = begin_unit();
    const auto loc = [](std::int32_t node) { return static_cast<std::uint32_t>(node); };
    const std::uint32_t anchor = loc(section.fields.empty() ? section.when : section.fields[0].value);
    const std::uint32_t node0 = anchor == kNoEntry ? 0 : anchor;  // any node: these ops cannot fail
    if (section.when >= 0) {
      expr(loc(section.when));
      const std::uint32_t answered = emit(B::jump_if_zero, loc(section.when), 0, 0, -1);
      const std::uint32_t skip = emit(B::jump, node0);
      patch(answered);
      emit(B::section_absent, node0);
      patch(skip);
    }
    for (const ir::SectionReason& r : section.reasons) {
      expr(loc(r.cond));
      const std::uint32_t next = emit(B::jump_if_zero, loc(r.cond), 0, 0, -1);
      emit(B::section_reason, loc(r.cond), r.reason_enum, r.code);
      for (std::size_t i = 0; i < section.fields.size(); ++i) {
        const ir::SectionField& f = section.fields[i];
        if (f.otherwise < 0) continue;
        expr(loc(f.otherwise));
        emit(B::section_store, loc(f.otherwise), static_cast<std::int32_t>(i), 0, -1);
      }
      emit(B::section_end, loc(r.cond));
      patch(next);
    }
    for (std::size_t i = 0; i < section.fields.size(); ++i) {
      const ir::SectionField& f = section.fields[i];
      std::uint32_t skip = kNoEntry;
      if (f.when >= 0) {
        expr(loc(f.when));
        skip = emit(B::jump_if_zero, loc(f.when), 0, 0, -1);
      }
      expr(loc(f.value));
      emit(B::section_store, loc(f.value), static_cast<std::int32_t>(i), 0, -1);
      if (skip != kNoEntry) patch(skip);
    }
    for (const ir::LedgerUpdate& u : section.updates) {
      std::uint32_t skip = kNoEntry;
      if (u.when >= 0) {
        expr(loc(u.when));
        skip = emit(B::jump_if_zero, loc(u.when), 0, 0, -1);
      }
      const ir::Ledger& l = p_.ledgers[static_cast<std::size_t>(u.ledger)];
      if (l.keyed) {
        expr(loc(u.key));
        emit(B::update_key, loc(u.key), u.ledger);
      } else {
        emit(B::konst, loc(u.amount), 0, l.slot, 1);
      }
      expr(loc(u.amount));
      emit(B::update_push, loc(u.amount), 0, 0, -2);
      if (skip != kNoEntry) patch(skip);
    }
    emit(B::section_fields, node0);
    return entry;
  }

  // The request checks, as Evaluator::failing_check: gives the first that
  // fails, or -1.
  std::uint32_t checks_unit() {
    const std::uint32_t entry = begin_unit();
    std::uint32_t node0 = 0;
    for (std::size_t i = 0; i < p_.checks.size(); ++i) {
      const ir::Check& c = p_.checks[i];
      const auto cond = static_cast<std::uint32_t>(c.cond);
      node0 = cond;
      emit(B::check_begin, cond, static_cast<std::int32_t>(i));
      std::uint32_t skip = kNoEntry;
      if (c.record >= 0) {
        emit(B::record, cond, c.record, 0, 1);
        skip = emit(B::jump_if_zero, cond, 0, 0, -1);
      }
      expr(cond);
      emit(B::check_end, cond, static_cast<std::int32_t>(i), 0, -1);
      if (skip != kNoEntry) patch(skip);
    }
    emit(B::konst, node0, 0, -1, 1);
    emit(B::ret, node0);
    return entry;
  }

  // Appends an instruction; `effect` is its change of the stack depth.
  std::uint32_t emit(B op, std::uint32_t node, std::int32_t arg = 0, std::int64_t imm = 0, int effect = 0) {
    const std::uint32_t at = pc();
    insns_->push_back(Insn{imm, arg, op});
    node_of_->push_back(node);
    depth_ = static_cast<std::size_t>(static_cast<std::int64_t>(depth_) + effect);
    Unit& u = units_[current_];
    u.depth = std::max(u.depth, depth_);
    if (insns_->size() > kMaxCode) give_up_ = true;
    return at;
  }
  void patch(std::uint32_t at) { (*insns_)[at].arg = static_cast<std::int32_t>(pc()); }

  void kid(const ir::Node& n, std::uint32_t i) { expr(p_.kid(n, i)); }

  void expr(std::uint32_t node) {
    if (give_up_) return;
    const ir::Node& n = p_.nodes[node];
    switch (n.op) {
      case Op::constant: emit(B::konst, node, 0, n.imm, 1); return;
      case Op::input: emit(B::input, node, n.ref, 0, 1); return;
      case Op::input_present: emit(B::present, node, n.ref, 0, 1); return;
      case Op::record_present: emit(B::record, node, n.ref, 0, 1); return;
      case Op::rule:
        units_[current_].calls.emplace_back(depth_, n.ref);
        emit(B::rule, node, n.ref, 0, 1);
        return;
      case Op::param_ref: {
        const ir::Param& param = p_.params[static_cast<std::size_t>(n.ref)];
        if (param.unspecified) {
          emit(B::fail_unspecified, node, param.unspecified_ref, 0, 1);
        } else {
          emit(B::konst, node, 0, param.value, 1);
        }
        return;
      }
      case Op::ledger: {
        const ir::Ledger& l = p_.ledgers[static_cast<std::size_t>(n.ref)];
        if (!l.keyed) {
          emit(B::ledger, node, l.slot, 0, 1);
          return;
        }
        kid(n, 0);
        emit(B::ledger_keyed, node, n.ref);
        return;
      }
      case Op::table: {
        const ir::Table& t = p_.tables[static_cast<std::size_t>(n.ref)];
        if (t.dims.size() == 1) {
          kid(n, 0);
          emit(B::table1, node, n.ref);
          return;
        }
        if (t.dims.empty()) emit(B::konst, node, 0, 0, 1);
        for (std::uint32_t d = 0; d < t.dims.size(); ++d) {
          kid(n, d);
          emit(B::table_dim, node, n.ref, d, d == 0 ? 0 : -1);
        }
        emit(B::table_cell, node, n.ref);
        return;
      }
      case Op::unspecified: emit(B::fail_unspecified, node, n.ref, 0, 1); return;

      case Op::add: binary(n, node, B::add); return;
      case Op::sub: binary(n, node, B::sub); return;
      case Op::mul: binary(n, node, B::mul); return;
      case Op::mul_rate: binary(n, node, B::mul_rate); return;
      case Op::eq: binary(n, node, B::eq); return;
      case Op::ne: binary(n, node, B::ne); return;
      case Op::lt: binary(n, node, B::lt); return;
      case Op::le: binary(n, node, B::le); return;
      case Op::gt: binary(n, node, B::gt); return;
      case Op::ge: binary(n, node, B::ge); return;
      case Op::set_has: binary(n, node, B::set_has); return;
      case Op::set_has_any: binary(n, node, B::set_has_any); return;
      case Op::member_of: binary(n, node, B::member_of); return;
      case Op::date_add: binary(n, node, B::date_add); return;
      case Op::date_sub: binary(n, node, B::date_sub); return;
      case Op::age_on: binary(n, node, B::age_on); return;
      case Op::progressive: binary(n, node, B::progressive); return;
      case Op::neg: unary(n, node, B::neg); return;
      case Op::not_: unary(n, node, B::not_); return;
      case Op::year_of: unary(n, node, B::year_of); return;
      case Op::next_month_start: unary(n, node, B::next_month_start); return;
      case Op::round_cents: unary(n, node, B::round_cents); return;
      case Op::in_range: ternary(n, node, B::in_range); return;
      case Op::date_of: ternary(n, node, B::date_of); return;
      case Op::progressive_between: ternary(n, node, B::progressive_between); return;

      case Op::min:
      case Op::max:
        kid(n, 0);
        for (std::uint32_t i = 1; i < n.kid_count; ++i) {
          kid(n, i);
          emit(n.op == Op::min ? B::min : B::max, node, 0, 0, -1);
        }
        return;
      case Op::and_:
      case Op::or_: {
        kid(n, 0);
        const std::uint32_t test = emit(n.op == Op::and_ ? B::and_test : B::or_test, node, 0, 0, -1);
        kid(n, 1);
        emit(B::to_bool, node);
        patch(test);
        return;
      }
      case Op::if_: {
        kid(n, 0);
        const std::uint32_t test = emit(B::jump_if_zero, node, 0, 0, -1);
        kid(n, 1);
        const std::uint32_t skip = emit(B::jump, node, 0, 0, -1);
        patch(test);
        kid(n, 2);
        patch(skip);
        return;
      }
      case Op::switch_: {
        kid(n, 0);
        const ir::Switch& s = p_.switches[static_cast<std::size_t>(n.ref)];
        Lowered::SwitchTable table{s.lo, static_cast<std::uint32_t>(targets_->size()),
                                static_cast<std::uint32_t>(s.arms.size())};
        targets_->resize(targets_->size() + s.arms.size(), -1);
        const auto index = static_cast<std::int32_t>(switches_->size());
        switches_->push_back(table);
        emit(B::switch_, node, index, 0, -1);
        // Each distinct arm once (several keys may share one), each ending
        // with a jump past the others.
        std::vector<std::uint32_t> ends;
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
            ends.push_back(emit(B::jump, node, 0, 0, -1));
          }
          (*targets_)[table.first + k] = static_cast<std::int32_t>(at);
        }
        for (const std::uint32_t e : ends) patch(e);
        depth_ += 1;  // the arm's value
        return;
      }
      case Op::highest: {
        kid(n, 0);
        const std::size_t below = depth_ - 1;
        const std::uint32_t begin = emit(B::highest_begin, node, 0, 0, 2);
        std::vector<std::uint32_t> ends;
        for (std::uint32_t m = 0; m + 2 < n.kid_count; ++m) {
          const std::uint32_t bit = emit(B::highest_bit, node, 0, m);
          kid(n, m + 2);
          emit(B::highest_take, node, 0, 0, -1);
          patch(bit);
        }
        const std::uint32_t end = emit(B::highest_end, node, 0, 0, -3);
        patch(begin);
        depth_ = below;
        kid(n, 1);
        patch(end);
        return;
      }
      case Op::adjust: {
        kid(n, 0);
        emit(B::adjust_begin, node, 0, 0, 3);
        const ir::Adjust& a = p_.adjusts[static_cast<std::size_t>(n.ref)];
        std::vector<std::uint32_t> to_finish;
        for (const ir::AdjustLine& line : a.lines) {
          kid(n, line.cond_kid);
          const std::uint32_t test = emit(B::jump_if_zero, node, 0, 0, -1);
          kid(n, line.value_kid);
          if (line.is_override) {
            to_finish.push_back(emit(B::adjust_override, node, 0, 0, -1));
          } else {
            emit(B::adjust_add, node, 0, 0, -1);
          }
          patch(test);
        }
        for (const std::uint32_t f : to_finish) patch(f);
        emit(B::adjust_finish, node, 0, n.type.kind == ir::Type::rate ? 0 : 1, -3);
        return;
      }
    }
    give_up_ = true;  // an op this file does not know: walk
  }

  void unary(const ir::Node& n, std::uint32_t node, B op) {
    kid(n, 0);
    emit(op, node);
  }
  void binary(const ir::Node& n, std::uint32_t node, B op) {
    kid(n, 0);
    kid(n, 1);
    emit(op, node, 0, 0, -1);
  }
  void ternary(const ir::Node& n, std::uint32_t node, B op) {
    kid(n, 0);
    kid(n, 1);
    kid(n, 2);
    emit(op, node, 0, 0, -2);
  }

  const ir::Program& p_;
  std::vector<Insn>* insns_ = nullptr;
  std::vector<std::uint32_t>* node_of_ = nullptr;
  std::vector<Lowered::SwitchTable>* switches_ = nullptr;
  std::vector<std::int32_t>* targets_ = nullptr;
  std::vector<Unit> units_;
  std::size_t current_ = 0;
  std::size_t depth_ = 0;
  bool give_up_ = false;
  std::vector<std::int32_t> rule_unit_;
  std::vector<std::int64_t> need_;
  std::vector<std::uint8_t> state_;
};

}  // namespace

struct Evaluator::Code : Lowered {};

void Evaluator::prepare() {
  prepared_ = true;
  if (!options_.bytecode) return;
  auto code = std::make_shared<Code>();
  Lowering lowering(program_);
  if (!lowering.lower(*code)) return;  // walk instead
  stack_.assign(code->stack_need, 0);
  frames_.resize(program_.rules.size() + 1);  // rules nest at most once each (no cycles)
  code_ = std::move(code);
}

std::uint32_t Evaluator::section_entry(std::size_t section) const { return code_->section_entry[section]; }
std::uint32_t Evaluator::checks_entry() const { return code_->checks_entry; }

bool Evaluator::fail_at(EvalErrorCode code, std::uint32_t pc, std::int32_t unspecified) {
  return fail(code, code_->node_of[pc], unspecified);
}

bool Evaluator::run(std::uint32_t entry, std::int64_t& out) {
  const Code& code = *code_;
  const Insn* const base = code.insns.data();
  const Insn* ip = base + entry;
  std::int64_t* sp = stack_.data();
  std::size_t frames = 0;  // rules being computed (frames_)
  // The pc of the instruction being run, for error locations.
  const auto here = [&]() { return static_cast<std::uint32_t>(ip - 1 - base); };
  // Threaded dispatch: every op ends by jumping straight to the next one's
  // code (a GNU extension, with one indirect jump per op instead of a
  // switch's bounds check and shared jump).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
  static constexpr void* kOps[] = {
#define YIBAO_OP_LABEL(name) &&op_##name,
      YIBAO_BYTECODE_OPS(YIBAO_OP_LABEL)
#undef YIBAO_OP_LABEL
  };
#define NEXT                                   \
  do {                                         \
    in = ip++;                                 \
    goto* kOps[static_cast<std::size_t>(in->op)]; \
  } while (false)
  const Insn* in = nullptr;
  NEXT;

      op_konst: *sp++ = in->imm; NEXT;
      op_input: *sp++ = request_->value(in->arg); NEXT;
      op_present: *sp++ = request_->has(in->arg) ? 1 : 0; NEXT;
      op_record: *sp++ = request_->has_record(in->arg) ? 1 : 0; NEXT;
      op_rule: {
        const auto r = static_cast<std::size_t>(in->arg);
        const Memo& m = memo_[r];
        if (m.generation == generation_) {
          if (!m.ok) {
            error_ = memo_errors_[r];
            goto failed;
          }
          *sp++ = m.value;
          NEXT;
        }
        // As eval_rule: trace first, then the rule's unit on top of the stack.
        Frame& f = frames_[frames++];
        f.return_pc = static_cast<std::uint32_t>(ip - base);
        f.rule = in->arg;
        f.trace_at = static_cast<std::uint32_t>(trace_.size());
        if (tracing_) trace_.push_back(TraceStep{in->arg, 0, {}, depth_});
        ++depth_;
        ip = base + code.rule_entry[r];
        NEXT;
      }
      op_rule_return: {
        const Frame& f = frames_[--frames];
        --depth_;
        Memo& m = memo_[static_cast<std::size_t>(f.rule)];
        m.generation = generation_;
        m.ok = true;
        m.value = sp[-1];
        if (tracing_) {
          trace_[f.trace_at].value = sp[-1];
          trace_[f.trace_at].error = EvalError{};
        }
        ip = base + f.return_pc;
        NEXT;
      }
      op_ledger: *sp++ = ledger_.empty() ? 0 : ledger_[static_cast<std::size_t>(in->arg)]; NEXT;
      op_ledger_keyed: {
        const ir::Ledger& l = program_.ledgers[static_cast<std::size_t>(in->arg)];
        const std::int64_t a = sp[-1];
        if (a < l.key_lo || a > l.key_hi) {
          error_ = EvalError{EvalErrorCode::unspecified, -1, static_cast<std::int32_t>(code.node_of[here()]), in->arg, a};
          goto failed;
        }
        const std::int64_t slot = l.slot + (a - l.key_lo);
        sp[-1] = ledger_.empty() ? 0 : ledger_[static_cast<std::size_t>(slot)];
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
        const auto r = times_rate(sp[-2], sp[-1]);
        if (!r) goto overflowed;
        *(--sp - 1) = *r;
        NEXT;
      }
      op_min: --sp; sp[-1] = std::min(sp[-1], sp[0]); NEXT;
      op_max: --sp; sp[-1] = std::max(sp[-1], sp[0]); NEXT;
      op_eq: --sp; sp[-1] = sp[-1] == sp[0]; NEXT;
      op_ne: --sp; sp[-1] = sp[-1] != sp[0]; NEXT;
      op_lt: --sp; sp[-1] = sp[-1] < sp[0]; NEXT;
      op_le: --sp; sp[-1] = sp[-1] <= sp[0]; NEXT;
      op_gt: --sp; sp[-1] = sp[-1] > sp[0]; NEXT;
      op_ge: --sp; sp[-1] = sp[-1] >= sp[0]; NEXT;
      op_and_test:
        if (sp[-1] == 0) {
          ip = base + in->arg;
        } else {
          --sp;
        }
        NEXT;
      op_or_test:
        if (sp[-1] != 0) {
          sp[-1] = 1;
          ip = base + in->arg;
        } else {
          --sp;
        }
        NEXT;
      op_to_bool: sp[-1] = sp[-1] != 0; NEXT;
      op_not_: sp[-1] = !sp[-1]; NEXT;
      op_jump_if_zero:
        if (*--sp == 0) ip = base + in->arg;
        NEXT;
      op_jump: ip = base + in->arg; NEXT;
      op_in_range:
        sp -= 2;
        sp[-1] = sp[0] <= sp[-1] && sp[-1] <= sp[1];
        NEXT;
      op_set_has: --sp; sp[-1] = (static_cast<std::uint64_t>(sp[-1]) >> sp[0]) & 1U; NEXT;
      op_set_has_any: --sp; sp[-1] = (sp[-1] & sp[0]) != 0; NEXT;
      op_member_of: --sp; sp[-1] = (static_cast<std::uint64_t>(sp[0]) >> sp[-1]) & 1U; NEXT;
      op_switch_: {
        const Lowered::SwitchTable& s = code.switches[static_cast<std::size_t>(in->arg)];
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
          ip = base + in->arg;
        } else {
          sp[0] = 0;  // any
          sp[1] = 0;  // best
          sp += 2;
        }
        NEXT;
      op_highest_bit:
        if (!((static_cast<std::uint64_t>(sp[-3]) >> in->imm) & 1U)) ip = base + in->arg;
        NEXT;
      op_highest_take: {
        const std::int64_t b = *--sp;
        if (!sp[-2] || b > sp[-1]) sp[-1] = b;
        sp[-2] = 1;
        NEXT;
      }
      op_highest_end:
        sp -= 3;
        if (sp[1]) {
          sp[0] = sp[2];
          ++sp;
          ip = base + in->arg;
        }
        NEXT;
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
        ip = base + in->arg;
        NEXT;
      }
      op_adjust_finish: {
        sp -= 3;
        const std::int64_t base_value = sp[-1];
        const std::int64_t delta = sp[0];
        const bool overridden = sp[1] != 0;
        const std::int64_t override_rate = sp[2];
        auto adjusted = [&](std::int64_t rate) -> std::optional<std::int64_t> {
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
        ir::Schedule copy{static_cast<std::uint32_t>(segments_.size()), src.count};
        for (std::uint32_t i = 0; i < src.count; ++i) {
          ir::Segment seg = segments_[src.first + i];
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
      op_year_of: sp[-1] = year_of(static_cast<Date>(sp[-1])); NEXT;
      op_date_of: {
        sp -= 2;
        const std::int64_t a = sp[-1];
        const std::int64_t b = sp[0];
        const std::int64_t c = sp[1];
        if (a < kMinYear || a > kMaxYear || b < 1 || b > 12 || c < 1 || c > 31) goto overflowed;
        const auto d =
            from_ymd(static_cast<std::int32_t>(a), static_cast<std::int32_t>(b), static_cast<std::int32_t>(c));
        if (!d) goto overflowed;
        sp[-1] = *d;
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

      op_section_absent:
        section_out_->kind = SectionOutcome::Kind::absent;
        return true;
      op_section_reason:
        section_out_->kind = SectionOutcome::Kind::reason;
        section_out_->reason_code = in->imm;
        section_out_->reason_enum = in->arg;
        NEXT;
      op_section_end: return true;
      op_section_store: {
        const auto i = static_cast<std::size_t>(in->arg);
        section_out_->values[i] = *--sp;
        section_out_->written[i] = 1;
        NEXT;
      }
      op_section_fields:
        section_out_->kind = SectionOutcome::Kind::fields;
        return true;
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
      op_check_begin: check_ = in->arg; NEXT;
      op_check_end:
        if (*--sp == 0) {
          out = in->arg;
          return true;
        }
        NEXT;
#undef NEXT
#pragma GCC diagnostic pop

overflowed:
  fail_at(EvalErrorCode::overflow, here());
failed:
  // Every rule being computed fails with the same error, as eval_rule does
  // when its root fails: memoized, and traced, innermost first.
  while (frames > 0) {
    const Frame& f = frames_[--frames];
    --depth_;
    Memo& m = memo_[static_cast<std::size_t>(f.rule)];
    m.generation = generation_;
    m.ok = false;
    m.value = 0;
    memo_errors_[static_cast<std::size_t>(f.rule)] = error_;
    if (tracing_) {
      trace_[f.trace_at].value = 0;
      trace_[f.trace_at].error = error_;
    }
  }
  return false;
}

}  // namespace yibao
