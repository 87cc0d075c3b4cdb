// ir::Program -> LLVM IR. Each op follows its meaning in ir_ops.def and the
// node walk of evaluator.cpp, which is the reference: the same nodes are
// evaluated in the same order (children left to right, only the chosen
// branch of and/or/if/switch/highest/adjust), and a failure records the same
// EvalError (code, node, unspecified, table, key) before it leaves the
// function's error path. See docs/jit.md.
//
// Shapes:
//   - a rule is an internal function `i1 rule.N(frame)`: it stores its value
//     and memo tag, or on failure copies the error into its memo; a use of
//     the rule tests the memo tag first (value, failure, or a call);
//   - `yibao_sections(frame)` answers every section in order, each with its
//     own error path (a failing section goes on with the next);
//   - `yibao_checks(frame)` returns the first failing check, or -1;
//   - money arithmetic uses llvm.s{add,sub,mul}.with.overflow; money * rate
//     is native when the 64-bit product fits (the usual case) and calls
//     yibao_jit_mul_rate (128 bits) otherwise; tables are constant arrays;
//     brackets, adjusted schedules, dates and the ledger commit call the C++
//     helpers of helpers.cpp.
// Values merging from branches go through allocas, which the optimiser
// turns into registers (SROA/mem2reg).
#include "codegen.h"

#include <algorithm>
#include <cstddef>
#include <string>

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include "yibao/date.h"
#include "yibao/money.h"
#include "yibao/rate.h"

namespace yibao::jit {

namespace {

using ir::Op;
using llvm::BasicBlock;
using llvm::Value;

// Beyond this many nodes (shared nodes counted once per use) the program's
// tree expansion is not worth compiling.
constexpr std::size_t kMaxNodes = std::size_t{1} << 21;

// The return type of a helper.
template <class F>
struct ReturnOf;
template <class R, class... A>
struct ReturnOf<R (*)(A...)> {
  using type = R;
};

class Codegen {
 public:
  // `inline_rules`: per rule, whether its body is generated where it is
  // used instead of as a memoized function (see run()).
  Codegen(const ir::Program& p, const FrameLayout& layout, llvm::Module& m, std::vector<std::uint8_t> inline_rules)
      : p_(p),
        L_(layout),
        M_(m),
        C_(m.getContext()),
        B_(C_),
        i1_(llvm::Type::getInt1Ty(C_)),
        i8_(llvm::Type::getInt8Ty(C_)),
        i32_(llvm::Type::getInt32Ty(C_)),
        i64_(llvm::Type::getInt64Ty(C_)),
        frame_ty_(llvm::Type::getInt8PtrTy(C_)),
        inline_rules_(std::move(inline_rules)) {
    unlikely_ = llvm::MDBuilder(C_).createBranchWeights(1, 1 << 12);
  }

  // How many places compute each rule (after run()): the code generated
  // for sections, checks and rule bodies, each rule body counted once.
  const std::vector<int>& rule_uses() const noexcept { return rule_uses_; }

  std::optional<std::string> run(JitStats& stats) {
    if (auto cycle = find_rule_cycle()) return cycle;
    rule_uses_.assign(p_.rules.size(), 0);
    inline_rules_.resize(p_.rules.size(), 0);
    declare_rules();
    for (std::size_t r = 0; r < p_.rules.size(); ++r) {
      if (!inline_rules_[r]) define_rule(static_cast<std::int32_t>(r));
    }
    define_sections();
    define_checks();
    if (too_big_) return "the program's tree expansion is too large to compile (more than 2^21 nodes)";
    if (!unknown_.empty()) return unknown_;
    stats.functions = static_cast<std::size_t>(std::count(inline_rules_.begin(), inline_rules_.end(), 0)) + 2;
    stats.nodes = nodes_;
    return std::nullopt;
  }

 private:
  // ---- the frame -------------------------------------------------------

  Value* address(std::size_t offset, llvm::Type* type) {
    Value* byte = B_.CreateInBoundsGEP(i8_, frame_, B_.getInt64(offset));
    return B_.CreateBitCast(byte, type->getPointerTo());
  }
  Value* load64(std::size_t offset) { return B_.CreateLoad(i64_, address(offset, i64_)); }
  void store64(std::size_t offset, Value* v) { B_.CreateStore(v, address(offset, i64_)); }
  void store64(std::size_t offset, std::int64_t v) { store64(offset, B_.getInt64(static_cast<std::uint64_t>(v))); }
  llvm::ConstantInt* k64(std::int64_t v) { return B_.getInt64(static_cast<std::uint64_t>(v)); }
  llvm::ConstantInt* k32(std::int64_t v) { return B_.getInt32(static_cast<std::uint32_t>(v)); }
  static constexpr std::size_t kError = offsetof(FrameHeader, error);
  static constexpr std::size_t kGeneration = offsetof(FrameHeader, generation2);

  // Copies an EvalError (three words) between frame offsets.
  void copy_error(std::size_t from, std::size_t to) {
    for (std::size_t w = 0; w < sizeof(EvalError); w += 8) store64(to + w, load64(from + w));
  }

  BasicBlock* block(const char* name) { return BasicBlock::Create(C_, name, fn_); }

  Value* alloca64() {
    llvm::IRBuilder<> at(entry_, entry_->begin());
    return at.CreateAlloca(i64_);
  }

  // Records an error in the header (the interpreter's error_) and leaves by
  // the current error path. `unspecified` and `key` may be run-time values.
  // Every failure of one error path shares one block that stores the error
  // (its fields arrive through phis), which keeps the IR small.
  void raise(EvalErrorCode code, std::int64_t node, Value* unspecified, std::int64_t table, Value* key) {
    if (raise_.block == nullptr) {
      llvm::IRBuilderBase::InsertPointGuard keep(B_);
      raise_.block = block("raise");
      B_.SetInsertPoint(raise_.block);
      raise_.code = B_.CreatePHI(i8_, 4);
      raise_.unspecified = B_.CreatePHI(i32_, 4);
      raise_.node = B_.CreatePHI(i32_, 4);
      raise_.table = B_.CreatePHI(i32_, 4);
      raise_.key = B_.CreatePHI(i64_, 4);
      B_.CreateStore(raise_.code, address(kError + offsetof(EvalError, code), i8_));
      B_.CreateStore(raise_.unspecified, address(kError + offsetof(EvalError, unspecified), i32_));
      B_.CreateStore(raise_.node, address(kError + offsetof(EvalError, node), i32_));
      B_.CreateStore(raise_.table, address(kError + offsetof(EvalError, table), i32_));
      store64(kError + offsetof(EvalError, key), raise_.key);
      B_.CreateBr(fail_);
    }
    BasicBlock* here = B_.GetInsertBlock();
    raise_.code->addIncoming(B_.getInt8(static_cast<std::uint8_t>(code)), here);
    raise_.unspecified->addIncoming(unspecified != nullptr ? unspecified : k32(-1), here);
    raise_.node->addIncoming(k32(node), here);
    raise_.table->addIncoming(k32(table), here);
    raise_.key->addIncoming(key != nullptr ? key : k64(0), here);
    B_.CreateBr(raise_.block);
  }
  // Sets where failures go from now on (a rule's, a section's or a check's exit).
  void set_fail(BasicBlock* exit) {
    fail_ = exit;
    raise_ = Raise{};
  }
  // Fails when `bad` holds; goes on in a fresh block otherwise.
  void fail_if(Value* bad, EvalErrorCode code, std::int64_t node, Value* unspecified = nullptr,
               std::int64_t table = -1, Value* key = nullptr) {
    BasicBlock* err = block("err");
    BasicBlock* ok = block("ok");
    B_.CreateCondBr(bad, err, ok, unlikely_);
    B_.SetInsertPoint(err);
    raise(code, node, unspecified, table, key);
    B_.SetInsertPoint(ok);
  }
  // Fails always; the code after it (in a block nothing reaches) is dropped.
  Value* fail_now(EvalErrorCode code, std::int64_t node, Value* unspecified = nullptr, std::int64_t table = -1,
                  Value* key = nullptr) {
    raise(code, node, unspecified, table, key);
    B_.SetInsertPoint(block("dead"));
    return k64(0);
  }
  void fail_unless(Value* ok, std::int64_t node) { fail_if(B_.CreateNot(ok), EvalErrorCode::overflow, node); }

  // ---- helpers and intrinsics -----------------------------------------------

  // A call of helper `Helper` (frame.h), by its name.
  template <auto Helper>
  Value* call_helper(llvm::ArrayRef<Value*> args) {
    using Ret = typename ReturnOf<decltype(Helper)>::type;
    llvm::Type* ret = std::is_same_v<Ret, bool> ? static_cast<llvm::Type*>(i1_) : static_cast<llvm::Type*>(i64_);
    std::vector<llvm::Type*> params;
    for (Value* a : args) params.push_back(a->getType());
    auto* type = llvm::FunctionType::get(ret, params, false);
    return B_.CreateCall(M_.getOrInsertFunction(HelperName<Helper>::value, type), args);
  }

  // a op b with llvm.s*.with.overflow; fails overflow at `node`.
  Value* checked(llvm::Intrinsic::ID id, Value* a, Value* b, std::int64_t node) {
    llvm::Function* f = llvm::Intrinsic::getDeclaration(&M_, id, {i64_});
    Value* r = B_.CreateCall(f, {a, b});
    fail_if(B_.CreateExtractValue(r, 1), EvalErrorCode::overflow, node);
    return B_.CreateExtractValue(r, 0);
  }

  // money * rate / 10^6 rounded half away from zero (money_times_rate).
  Value* times_rate(Value* money, Value* rate, std::int64_t node) {
    llvm::Function* mul = llvm::Intrinsic::getDeclaration(&M_, llvm::Intrinsic::smul_with_overflow, {i64_});
    Value* r = B_.CreateCall(mul, {money, rate});
    Value* result = alloca64();
    BasicBlock* narrow = block("rate.narrow");
    BasicBlock* wide = block("rate.wide");
    BasicBlock* done = block("rate.done");
    B_.CreateCondBr(B_.CreateExtractValue(r, 1), wide, narrow, unlikely_);
    B_.SetInsertPoint(narrow);
    Value* product = B_.CreateExtractValue(r, 0);
    Value* q = B_.CreateSDiv(product, k64(kRateOne));
    Value* twice = B_.CreateMul(B_.CreateSRem(product, k64(kRateOne)), k64(2));
    q = B_.CreateAdd(q, B_.CreateZExt(B_.CreateICmpSGE(twice, k64(kRateOne)), i64_));
    q = B_.CreateSub(q, B_.CreateZExt(B_.CreateICmpSLE(twice, k64(-kRateOne)), i64_));
    B_.CreateStore(q, result);
    B_.CreateBr(done);
    B_.SetInsertPoint(wide);
    fail_unless(call_helper<&yibao_jit_mul_rate>({money, rate, result}), node);
    B_.CreateBr(done);
    B_.SetInsertPoint(done);
    return B_.CreateLoad(i64_, result);
  }

  // ---- rules ---------------------------------------------------------------

  // A message naming a rule in a cycle of rule references, if any.
  std::optional<std::string> find_rule_cycle() {
    std::vector<std::vector<std::int32_t>> calls(p_.rules.size());
    for (std::size_t r = 0; r < p_.rules.size(); ++r) {
      const std::int32_t root = p_.rules[r].root;
      if (root < 0 || static_cast<std::size_t>(root) >= p_.nodes.size())
        return "rule `" + p_.rules[r].name + "` has no expression";
      std::vector<std::uint8_t> seen(p_.nodes.size(), 0);
      std::vector<std::uint32_t> stack{static_cast<std::uint32_t>(root)};
      while (!stack.empty()) {
        const std::uint32_t n = stack.back();
        stack.pop_back();
        if (seen[n]) continue;
        seen[n] = 1;
        const ir::Node& node = p_.nodes[n];
        if (node.op == Op::rule) calls[r].push_back(node.ref);
        for (std::uint32_t k = 0; k < node.kid_count; ++k) stack.push_back(p_.kid(node, k));
      }
    }
    std::vector<std::uint8_t> state(p_.rules.size(), 0);  // 0 new, 1 on the path, 2 done
    for (std::size_t start = 0; start < p_.rules.size(); ++start) {
      if (state[start]) continue;
      std::vector<std::pair<std::int32_t, std::size_t>> path{{static_cast<std::int32_t>(start), 0}};
      state[start] = 1;
      while (!path.empty()) {
        auto& [rule, next] = path.back();
        const auto& out = calls[static_cast<std::size_t>(rule)];
        if (next == out.size()) {
          state[static_cast<std::size_t>(rule)] = 2;
          path.pop_back();
          continue;
        }
        const std::int32_t callee = out[next++];
        if (state[static_cast<std::size_t>(callee)] == 1)
          return "rules reference each other in a cycle (through `" + p_.rules[static_cast<std::size_t>(callee)].name + "`)";
        if (state[static_cast<std::size_t>(callee)] == 0) {
          state[static_cast<std::size_t>(callee)] = 1;
          path.emplace_back(callee, 0);
        }
      }
    }
    return std::nullopt;
  }

  void declare_rules() {
    auto* type = llvm::FunctionType::get(i1_, {frame_ty_}, false);
    for (std::size_t r = 0; r < p_.rules.size(); ++r) {
      if (inline_rules_[r]) {
        rule_fns_.push_back(nullptr);
        continue;
      }
      auto* f = llvm::Function::Create(type, llvm::Function::InternalLinkage, "rule." + std::to_string(r), M_);
      f->addParamAttr(0, llvm::Attribute::NoAlias);
      f->addFnAttr(llvm::Attribute::NoUnwind);
      rule_fns_.push_back(f);
    }
  }

  // Starts the body of `f`: its entry block (allocas) and frame argument.
  void begin_function(llvm::Function* f) {
    fn_ = f;
    entry_ = BasicBlock::Create(C_, "entry", f);
    frame_ = f->getArg(0);
    B_.SetInsertPoint(entry_);
    // The request's arrays, read in place (frame.h); the pointers do not
    // change during a request, so one load each per call.
    slots_ = load_pointer(offsetof(FrameHeader, slots));
    has_ = load_pointer(offsetof(FrameHeader, has));
    records_ = load_pointer(offsetof(FrameHeader, records));
  }
  Value* load_pointer(std::size_t offset) {
    return B_.CreateLoad(i64_->getPointerTo(), address(offset, i64_->getPointerTo()));
  }
  // Element i of an int64 array the header points to.
  Value* element(Value* array, std::int64_t i) { return B_.CreateLoad(i64_, B_.CreateInBoundsGEP(i64_, array, k64(i))); }
  // Bit i of a bit array in Request's layout (64 to a word), as 0 or 1.
  Value* bit(Value* words, std::int64_t i) {
    return B_.CreateAnd(B_.CreateLShr(element(words, i / 64), k64(i % 64)), k64(1));
  }

  void define_rule(std::int32_t r) {
    const auto ru = static_cast<std::size_t>(r);
    begin_function(rule_fns_[ru]);
    BasicBlock* failed = BasicBlock::Create(C_, "failed", fn_);
    set_fail(failed);
    Value* v = gen(static_cast<std::uint32_t>(p_.rules[ru].root));
    store64(L_.memo_value + 8 * ru, v);
    store64(L_.memo_tag + 8 * ru, load64(kGeneration));
    B_.CreateRet(B_.getInt1(true));
    B_.SetInsertPoint(failed);
    copy_error(kError, L_.memo_error + sizeof(EvalError) * ru);
    store64(L_.memo_tag + 8 * ru, B_.CreateAdd(load64(kGeneration), k64(1)));
    B_.CreateRet(B_.getInt1(false));
  }

  // The value of rule r: its memo (value or failure), or a call.
  Value* rule_value(std::int32_t r) {
    const auto ru = static_cast<std::size_t>(r);
    ++rule_uses_[ru];
    // A rule computed in one place only is computed at most once per
    // request (the code holding that place runs at most once), so it needs
    // no memo and no call: its body is generated right here, and a failure
    // takes the current error path as the call's failure would.
    if (inline_rules_[ru]) return gen(static_cast<std::uint32_t>(p_.rules[ru].root));
    Value* tag = load64(L_.memo_tag + 8 * ru);
    Value* generation = load64(kGeneration);
    BasicBlock* not_known = block("memo.miss");
    BasicBlock* failed = block("memo.failed");
    BasicBlock* call = block("rule.call");
    BasicBlock* done = block("rule.done");
    B_.CreateCondBr(B_.CreateICmpEQ(tag, generation), done, not_known);
    B_.SetInsertPoint(not_known);
    B_.CreateCondBr(B_.CreateICmpEQ(tag, B_.CreateAdd(generation, k64(1))), failed, call, unlikely_);
    B_.SetInsertPoint(failed);
    copy_error(L_.memo_error + sizeof(EvalError) * ru, kError);
    B_.CreateBr(fail_);
    B_.SetInsertPoint(call);
    Value* ok = B_.CreateCall(rule_fns_[ru], {frame_});
    B_.CreateCondBr(ok, done, fail_);
    B_.SetInsertPoint(done);
    return load64(L_.memo_value + 8 * ru);
  }

  // ---- expressions -----------------------------------------------------------

  Value* kid(const ir::Node& n, std::uint32_t i) { return gen(p_.kid(n, i)); }
  Value* flag(Value* b) { return B_.CreateZExt(b, i64_); }
  Value* truth(Value* v) { return B_.CreateICmpNE(v, k64(0)); }

  Value* gen(std::uint32_t node) {
    if (++nodes_ > kMaxNodes) {
      too_big_ = true;
      return k64(0);
    }
    const ir::Node& n = p_.nodes[node];
    const auto at = static_cast<std::int64_t>(node);
    switch (n.op) {
      case Op::constant:
        return k64(n.imm);
      case Op::input:
        return element(slots_, n.ref);
      case Op::input_present:
        return bit(has_, n.ref);
      case Op::record_present:
        return bit(records_, n.ref);
      case Op::rule:
        return rule_value(n.ref);
      case Op::param_ref: {
        const ir::Param& param = p_.params[static_cast<std::size_t>(n.ref)];
        if (param.unspecified) return fail_now(EvalErrorCode::unspecified, at, k32(param.unspecified_ref));
        return k64(param.value);
      }
      case Op::ledger: return ledger(n, at);
      case Op::table: return table(n, at);
      case Op::unspecified: return fail_now(EvalErrorCode::unspecified, at, k32(n.ref));
      case Op::add: {
        Value* a = kid(n, 0);
        Value* b = kid(n, 1);
        return checked(llvm::Intrinsic::sadd_with_overflow, a, b, at);
      }
      case Op::sub: {
        Value* a = kid(n, 0);
        Value* b = kid(n, 1);
        return checked(llvm::Intrinsic::ssub_with_overflow, a, b, at);
      }
      case Op::mul: {
        Value* a = kid(n, 0);
        Value* b = kid(n, 1);
        return checked(llvm::Intrinsic::smul_with_overflow, a, b, at);
      }
      case Op::neg:
        return checked(llvm::Intrinsic::ssub_with_overflow, k64(0), kid(n, 0), at);
      case Op::mul_rate: {
        Value* a = kid(n, 0);
        Value* b = kid(n, 1);
        return times_rate(a, b, at);
      }
      case Op::min:
      case Op::max: {
        Value* best = kid(n, 0);
        for (std::uint32_t i = 1; i < n.kid_count; ++i) {
          Value* b = kid(n, i);
          Value* take = n.op == Op::min ? B_.CreateICmpSLT(b, best) : B_.CreateICmpSGT(b, best);
          best = B_.CreateSelect(take, b, best);
        }
        return best;
      }
      case Op::eq: case Op::ne: case Op::lt: case Op::le: case Op::gt: case Op::ge: {
        if (Value* v = compare_year(n)) return v;
        Value* a = kid(n, 0);
        Value* b = kid(n, 1);
        return flag(compare(n.op, a, b));
      }
      case Op::and_:
      case Op::or_: {
        // and: 0 when kid0 is 0, else kid1 != 0; or: 1 when kid0 holds, else kid1 != 0.
        Value* result = alloca64();
        BasicBlock* second = block("logic.rhs");
        BasicBlock* shortcut = block("logic.short");
        BasicBlock* done = block("logic.done");
        Value* a = truth(kid(n, 0));
        if (n.op == Op::and_)
          B_.CreateCondBr(a, second, shortcut);
        else
          B_.CreateCondBr(a, shortcut, second);
        B_.SetInsertPoint(shortcut);
        B_.CreateStore(k64(n.op == Op::and_ ? 0 : 1), result);
        B_.CreateBr(done);
        B_.SetInsertPoint(second);
        B_.CreateStore(flag(truth(kid(n, 1))), result);
        B_.CreateBr(done);
        B_.SetInsertPoint(done);
        return B_.CreateLoad(i64_, result);
      }
      case Op::not_:
        return flag(B_.CreateICmpEQ(kid(n, 0), k64(0)));
      case Op::if_: {
        Value* result = alloca64();
        BasicBlock* yes = block("if.then");
        BasicBlock* no = block("if.else");
        BasicBlock* done = block("if.done");
        B_.CreateCondBr(truth(kid(n, 0)), yes, no);
        B_.SetInsertPoint(yes);
        B_.CreateStore(kid(n, 1), result);
        B_.CreateBr(done);
        B_.SetInsertPoint(no);
        B_.CreateStore(kid(n, 2), result);
        B_.CreateBr(done);
        B_.SetInsertPoint(done);
        return B_.CreateLoad(i64_, result);
      }
      case Op::in_range: {
        Value* a = kid(n, 0);
        Value* lo = kid(n, 1);
        Value* hi = kid(n, 2);
        return flag(B_.CreateAnd(B_.CreateICmpSLE(lo, a), B_.CreateICmpSLE(a, hi)));
      }
      case Op::set_has: {
        Value* set = kid(n, 0);
        Value* member = kid(n, 1);
        return bit(set, member);
      }
      case Op::set_has_any: {
        Value* a = kid(n, 0);
        Value* b = kid(n, 1);
        return flag(B_.CreateICmpNE(B_.CreateAnd(a, b), k64(0)));
      }
      case Op::member_of: {
        Value* member = kid(n, 0);
        Value* set = kid(n, 1);
        return bit(set, member);
      }
      case Op::switch_: return switch_(n, at);
      case Op::highest: return highest(n);
      case Op::adjust: return adjust(n, at);
      case Op::date_add:
      case Op::date_sub: {
        Value* a = kid(n, 0);
        Value* b = kid(n, 1);
        Value* out = alloca64();
        fail_unless(call_helper<&yibao_jit_date_add>({a, b, k64(n.op == Op::date_add ? 1 : -1), out}), at);
        return B_.CreateLoad(i64_, out);
      }
      case Op::age_on: {
        Value* a = kid(n, 0);
        Value* b = kid(n, 1);
        return call_helper<&yibao_jit_age_on>({a, b});
      }
      case Op::year_of:
        return call_helper<&yibao_jit_year_of>({kid(n, 0)});
      case Op::date_of: {
        Value* y = kid(n, 0);
        Value* m = kid(n, 1);
        Value* d = kid(n, 2);
        Value* out = alloca64();
        fail_unless(call_helper<&yibao_jit_date_of>({y, m, d, out}), at);
        return B_.CreateLoad(i64_, out);
      }
      case Op::next_month_start: {
        Value* a = kid(n, 0);
        Value* out = alloca64();
        fail_unless(call_helper<&yibao_jit_next_month_start>({a, out}), at);
        return B_.CreateLoad(i64_, out);
      }
      case Op::progressive: {
        const ScheduleValue schedule = schedule_value(p_.kid(n, 0));
        Value* amount = kid(n, 1);
        return progressive(schedule, amount, at);
      }
      case Op::progressive_between: {
        const ScheduleValue schedule = schedule_value(p_.kid(n, 0));
        Value* from = kid(n, 1);
        Value* to = kid(n, 2);
        Value* lo = progressive(schedule, from, at);
        Value* hi = progressive(schedule, to, at);
        return checked(llvm::Intrinsic::ssub_with_overflow, hi, lo, at);
      }
      case Op::round_cents: {
        // round_to_cents_half_up: cents = v / 10^4 adjusted by the rest, then * 10^4 checked.
        Value* v = kid(n, 0);
        Value* cents = B_.CreateSDiv(v, k64(kMicrosPerCent));
        Value* rest = B_.CreateSRem(v, k64(kMicrosPerCent));
        cents = B_.CreateAdd(cents, flag(B_.CreateICmpSGE(rest, k64(kMicrosPerCent / 2))));
        cents = B_.CreateSub(cents, flag(B_.CreateICmpSLE(rest, k64(-kMicrosPerCent / 2))));
        return checked(llvm::Intrinsic::smul_with_overflow, cents, k64(kMicrosPerCent), at);
      }
    }
    unknown_ = "the JIT does not know IR op " + std::to_string(static_cast<int>(n.op));
    return k64(0);
  }

  Value* compare(Op op, Value* a, Value* b) {
    switch (op) {
      case Op::eq: return B_.CreateICmpEQ(a, b);
      case Op::ne: return B_.CreateICmpNE(a, b);
      case Op::lt: return B_.CreateICmpSLT(a, b);
      case Op::le: return B_.CreateICmpSLE(a, b);
      case Op::gt: return B_.CreateICmpSGT(a, b);
      default: return B_.CreateICmpSGE(a, b);
    }
  }

  // year_of(date) compared with a constant year, as the standard library's
  // `newborn` rule does for every policy: the same truth from the date
  // itself against the year's first and last days, instead of a helper
  // call that converts the date to a calendar year. nullptr when `n` is not
  // of that shape (or the year is outside the calendar), for the general code.
  Value* compare_year(const ir::Node& n) {
    const ir::Node& left = p_.nodes[p_.kid(n, 0)];
    const ir::Node& right = p_.nodes[p_.kid(n, 1)];
    Op op = n.op;
    const ir::Node* year_of = &left;
    const ir::Node* year = &right;
    if (left.op == Op::constant && right.op == Op::year_of) {
      year_of = &right;
      year = &left;
      op = mirrored(op);
    }
    if (year_of->op != Op::year_of || year->op != Op::constant || year->imm < kMinYear || year->imm > kMaxYear)
      return nullptr;
    const auto y = static_cast<std::int32_t>(year->imm);
    Value* date = kid(*year_of, 0);
    Value* first = k64(days_from_civil(y, 1, 1));
    Value* last = k64(days_from_civil(y, 12, 31));
    switch (op) {
      case Op::eq: return flag(B_.CreateAnd(B_.CreateICmpSGE(date, first), B_.CreateICmpSLE(date, last)));
      case Op::ne: return flag(B_.CreateOr(B_.CreateICmpSLT(date, first), B_.CreateICmpSGT(date, last)));
      case Op::lt: return flag(B_.CreateICmpSLT(date, first));
      case Op::le: return flag(B_.CreateICmpSLE(date, last));
      case Op::gt: return flag(B_.CreateICmpSGT(date, last));
      default: return flag(B_.CreateICmpSGE(date, first));
    }
  }
  // The comparison with its operands swapped: a < b is b > a.
  static Op mirrored(Op op) {
    switch (op) {
      case Op::lt: return Op::gt;
      case Op::le: return Op::ge;
      case Op::gt: return Op::lt;
      case Op::ge: return Op::le;
      default: return op;  // eq, ne
    }
  }

  // (set >> member) & 1; members are below 64 (Schema::validate), the mask
  // keeps the shift defined regardless.
  Value* bit(Value* set, Value* member) {
    return B_.CreateAnd(B_.CreateLShr(set, B_.CreateAnd(member, k64(63))), k64(1));
  }

  Value* ledger(const ir::Node& n, std::int64_t at) {
    const ir::Ledger& l = p_.ledgers[static_cast<std::size_t>(n.ref)];
    Value* slot = k64(l.slot);
    if (l.keyed) {
      Value* key = kid(n, 0);
      Value* outside = B_.CreateOr(B_.CreateICmpSLT(key, k64(l.key_lo)), B_.CreateICmpSGT(key, k64(l.key_hi)));
      fail_if(outside, EvalErrorCode::unspecified, at, nullptr, n.ref, key);
      slot = B_.CreateAdd(slot, B_.CreateSub(key, k64(l.key_lo)));
    }
    // The header's ledger is a zero-filled entry when the request has none.
    Value* base = B_.CreateLoad(i64_->getPointerTo(), address(offsetof(FrameHeader, ledger), i64_->getPointerTo()));
    return B_.CreateLoad(i64_, B_.CreateInBoundsGEP(i64_, base, slot));
  }

  llvm::GlobalVariable* constant_array(const std::vector<std::int64_t>& values, const std::string& name) {
    std::vector<std::uint64_t> raw(values.begin(), values.end());
    llvm::Constant* init = llvm::ConstantDataArray::get(C_, llvm::ArrayRef<std::uint64_t>(raw));
    return new llvm::GlobalVariable(M_, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init, name);
  }
  Value* element(llvm::GlobalVariable* array, Value* index) {
    return B_.CreateLoad(i64_, B_.CreateInBoundsGEP(array->getValueType(), array, {k64(0), index}));
  }

  Value* table(const ir::Node& n, std::int64_t at) {
    const auto ti = static_cast<std::size_t>(n.ref);
    const ir::Table& t = p_.tables[ti];
    if (tables_.size() < p_.tables.size()) tables_.resize(p_.tables.size());
    TableArrays& arrays = tables_[ti];
    if (arrays.cells == nullptr) {
      arrays.cells = constant_array(t.cells, "table." + std::to_string(ti));
      std::vector<std::int64_t> missing(t.cell_unspecified.begin(), t.cell_unspecified.end());
      bool any = false;
      for (std::int64_t u : missing) any = any || u >= 0;
      if (any) arrays.unspecified = constant_array(missing, "table." + std::to_string(ti) + ".unspecified");
    }
    Value* index = k64(0);
    for (std::uint32_t d = 0; d < t.dims.size(); ++d) {
      const ir::TableDim& dim = t.dims[d];
      Value* key = kid(n, d);
      Value* outside = B_.CreateOr(B_.CreateICmpSLT(key, k64(dim.lo)), B_.CreateICmpSGT(key, k64(dim.hi)));
      fail_if(outside, EvalErrorCode::unspecified, at, nullptr, n.ref, key);
      index = B_.CreateAdd(B_.CreateMul(index, k64(dim.hi - dim.lo + 1)), B_.CreateSub(key, k64(dim.lo)));
    }
    if (arrays.unspecified != nullptr) {
      Value* missing = element(arrays.unspecified, index);
      fail_if(B_.CreateICmpSGE(missing, k64(0)), EvalErrorCode::unspecified, at, B_.CreateTrunc(missing, i32_));
    }
    return element(arrays.cells, index);
  }

  Value* switch_(const ir::Node& n, std::int64_t at) {
    const ir::Switch& s = p_.switches[static_cast<std::size_t>(n.ref)];
    Value* key = kid(n, 0);
    Value* result = alloca64();
    BasicBlock* none = block("switch.none");
    BasicBlock* done = block("switch.done");
    llvm::SwitchInst* sw = B_.CreateSwitch(key, none, static_cast<unsigned>(s.arms.size()));
    for (std::size_t i = 0; i < s.arms.size(); ++i) {
      if (s.arms[i] < 0) continue;
      BasicBlock* arm = block("switch.arm");
      sw->addCase(k64(s.lo + static_cast<std::int64_t>(i)), arm);
      B_.SetInsertPoint(arm);
      B_.CreateStore(kid(n, static_cast<std::uint32_t>(s.arms[i])), result);
      B_.CreateBr(done);
    }
    B_.SetInsertPoint(none);
    raise(EvalErrorCode::unspecified, at, nullptr, -1, key);
    B_.SetInsertPoint(done);
    return B_.CreateLoad(i64_, result);
  }

  Value* highest(const ir::Node& n) {
    Value* set = kid(n, 0);
    Value* result = alloca64();
    Value* any = alloca64();
    BasicBlock* members = block("highest.members");
    BasicBlock* fallback = block("highest.default");
    BasicBlock* done = block("highest.done");
    B_.CreateCondBr(B_.CreateICmpEQ(set, k64(0)), fallback, members);
    B_.SetInsertPoint(members);
    B_.CreateStore(k64(0), any);
    B_.CreateStore(k64(0), result);
    for (std::uint32_t m = 0; m + 2 < n.kid_count && m < 64; ++m) {
      BasicBlock* take = block("highest.member");
      BasicBlock* next = block("highest.next");
      B_.CreateCondBr(truth(bit(set, k64(m))), take, next);
      B_.SetInsertPoint(take);
      Value* v = kid(n, m + 2);
      Value* best = B_.CreateLoad(i64_, result);
      Value* first = B_.CreateICmpEQ(B_.CreateLoad(i64_, any), k64(0));
      B_.CreateStore(B_.CreateSelect(B_.CreateOr(first, B_.CreateICmpSGT(v, best)), v, best), result);
      B_.CreateStore(k64(1), any);
      B_.CreateBr(next);
      B_.SetInsertPoint(next);
    }
    B_.CreateCondBr(truth(B_.CreateLoad(i64_, any)), done, fallback);
    B_.SetInsertPoint(fallback);
    B_.CreateStore(kid(n, 1), result);
    B_.CreateBr(done);
    B_.SetInsertPoint(done);
    return B_.CreateLoad(i64_, result);
  }

  // As Evaluator::adjust: lines in listed order; an override that holds
  // sets every rate and stops the additive lines, which sum their points.
  Value* adjust(const ir::Node& n, std::int64_t at) {
    Value* base = kid(n, 0);
    const Adjustment adjustment = adjust_lines(n, at);
    Value* over = adjustment.overridden;
    Value* rate = adjustment.override_rate;
    Value* sum = adjustment.delta;
    if (n.type.kind != ir::Type::rate) {
      Value* out = alloca64();
      fail_unless(call_helper<&yibao_jit_adjust_schedule>({frame_, base, over, rate, sum, out}), at);
      return B_.CreateLoad(i64_, out);
    }
    Value* result = alloca64();
    BasicBlock* by_override = block("adjust.override");
    BasicBlock* by_points = block("adjust.points");
    BasicBlock* done = block("adjust.done");
    B_.CreateCondBr(truth(over), by_override, by_points);
    B_.SetInsertPoint(by_override);
    B_.CreateStore(clamp_rate(rate), result);
    B_.CreateBr(done);
    B_.SetInsertPoint(by_points);
    B_.CreateStore(clamp_rate(checked(llvm::Intrinsic::sadd_with_overflow, base, sum, at)), result);
    B_.CreateBr(done);
    B_.SetInsertPoint(done);
    return B_.CreateLoad(i64_, result);
  }

  // What an adjust node's lines decided: whether an override held (and its
  // rate), else the sum of the holding lines' points.
  struct Adjustment {
    Value* overridden = nullptr;  // i64, 0 or 1
    Value* override_rate = nullptr;
    Value* delta = nullptr;
  };
  // The lines in listed order, as the walk: once overridden, overrides are
  // skipped and an additive line ends the loop.
  Adjustment adjust_lines(const ir::Node& n, std::int64_t at) {
    const ir::Adjust& a = p_.adjusts[static_cast<std::size_t>(n.ref)];
    Value* overridden = alloca64();
    Value* override_rate = alloca64();
    Value* delta = alloca64();
    B_.CreateStore(k64(0), overridden);
    B_.CreateStore(k64(0), override_rate);
    B_.CreateStore(k64(0), delta);
    BasicBlock* end = block("adjust.end");
    for (const ir::AdjustLine& line : a.lines) {
      BasicBlock* test = block("adjust.line");
      BasicBlock* next = block("adjust.next");
      Value* is_over = truth(B_.CreateLoad(i64_, overridden));
      // Once overridden, overrides are skipped and an additive line ends the loop.
      B_.CreateCondBr(is_over, line.is_override ? next : end, test);
      B_.SetInsertPoint(test);
      BasicBlock* holds = block("adjust.holds");
      B_.CreateCondBr(truth(kid(n, line.cond_kid)), holds, next);
      B_.SetInsertPoint(holds);
      Value* v = kid(n, line.value_kid);
      if (line.is_override) {
        B_.CreateStore(k64(1), overridden);
        B_.CreateStore(v, override_rate);
      } else {
        B_.CreateStore(checked(llvm::Intrinsic::sadd_with_overflow, B_.CreateLoad(i64_, delta), v, at), delta);
      }
      B_.CreateBr(next);
      B_.SetInsertPoint(next);
    }
    B_.CreateBr(end);
    B_.SetInsertPoint(end);
    return Adjustment{B_.CreateLoad(i64_, overridden), B_.CreateLoad(i64_, override_rate), B_.CreateLoad(i64_, delta)};
  }

  Value* clamp_rate(Value* r) {
    Value* low = B_.CreateSelect(B_.CreateICmpSLT(r, k64(0)), k64(0), r);
    return B_.CreateSelect(B_.CreateICmpSGT(low, k64(kRateOne)), k64(kRateOne), low);
  }

  // A schedule as progressive() sees it. Where the code can tell which of
  // the program's schedules it is (a constant, a table's cell, either
  // adjusted during the request, also through a rule used only here), the
  // candidates are listed and each is unrolled into its segments, with the
  // adjustment applied to the rates as they are used; otherwise the index
  // is whatever the node computed (an adjusted schedule made by the helper)
  // and the helper walks it.
  struct ScheduleValue {
    Value* index = nullptr;                 // into the engine's schedules
    std::vector<std::int64_t> candidates;   // every value `index` can have; empty: unknown
    std::int64_t adjust_node = -1;          // the adjust node, when adjusted
    Adjustment adjustment;
  };

  static constexpr std::size_t kMaxUnrolledSchedules = 8;

  ScheduleValue schedule_value(std::uint32_t node) {
    const ir::Node& n = p_.nodes[node];
    const auto at = static_cast<std::int64_t>(node);
    if (n.op == Op::rule && inline_rules_[static_cast<std::size_t>(n.ref)]) {
      ++rule_uses_[static_cast<std::size_t>(n.ref)];  // as rule_value counts it
      return schedule_value(static_cast<std::uint32_t>(p_.rules[static_cast<std::size_t>(n.ref)].root));
    }
    if (n.op == Op::constant && n.imm >= 0 && static_cast<std::size_t>(n.imm) < p_.schedules.size())
      return ScheduleValue{k64(n.imm), {n.imm}, -1, {}};
    if (n.op == Op::table) {
      const ir::Table& t = p_.tables[static_cast<std::size_t>(n.ref)];
      std::vector<std::int64_t> candidates;
      for (std::size_t c = 0; c < t.cells.size(); ++c) {
        const std::int64_t s = t.cells[c];
        // An unspecified cell fails before its value is used.
        if (t.cell_unspecified[c] >= 0) continue;
        if (s < 0 || static_cast<std::size_t>(s) >= p_.schedules.size()) return generic_schedule(node);
        if (std::find(candidates.begin(), candidates.end(), s) == candidates.end()) candidates.push_back(s);
      }
      // Each candidate is unrolled (twice in progressive_between): beyond a
      // few, the helper walks the one chosen instead of code for all.
      if (candidates.size() > kMaxUnrolledSchedules) candidates.clear();
      if (++nodes_ > kMaxNodes) too_big_ = true;
      return ScheduleValue{table(n, at), std::move(candidates), -1, {}};
    }
    if (n.op == Op::adjust && n.type.kind == ir::Type::brackets) {
      if (++nodes_ > kMaxNodes) too_big_ = true;
      ScheduleValue v = schedule_value(p_.kid(n, 0));
      // A base the code cannot name, or one adjusted already: this
      // adjustment is made by the helper, as adjust() does.
      const bool by_helper = v.candidates.empty() || v.adjust_node >= 0;
      Value* base = by_helper ? materialise(v) : nullptr;
      ScheduleValue adjusted{by_helper ? base : v.index, by_helper ? std::vector<std::int64_t>{} : v.candidates, at,
                             adjust_lines(n, at)};
      if (by_helper) return ScheduleValue{materialise(adjusted), {}, -1, {}};
      check_adjusted_rates(adjusted);
      return adjusted;
    }
    return generic_schedule(node);
  }
  ScheduleValue generic_schedule(std::uint32_t node) { return ScheduleValue{gen(node), {}, -1, {}}; }

  // yibao_jit_adjust_schedule fails (overflow, at the adjust node) when a
  // segment's rate plus the points overflows, and it runs where the
  // schedule is computed, before the amount: so the same check here, for
  // the candidate the index selects. rate + delta overflows for some
  // segment exactly when it does for the largest or the smallest rate. (An
  // index that is no candidate, which a table lookup cannot give, is left
  // to the helpers.)
  void check_adjusted_rates(const ScheduleValue& v) {
    Value* highest = nullptr;
    Value* lowest = nullptr;
    Value* is_candidate = B_.getFalse();
    for (const std::int64_t c : v.candidates) {
      const ir::Schedule& sch = p_.schedules[static_cast<std::size_t>(c)];
      std::int64_t hi = INT64_MIN;
      std::int64_t lo = INT64_MAX;
      for (std::uint32_t i = 0; i < sch.count; ++i) {
        hi = std::max(hi, p_.segments[sch.first + i].rate);
        lo = std::min(lo, p_.segments[sch.first + i].rate);
      }
      if (sch.count == 0) continue;  // nothing to adjust
      Value* here = B_.CreateICmpEQ(v.index, k64(c));
      highest = highest == nullptr ? k64(hi) : B_.CreateSelect(here, k64(hi), highest);
      lowest = lowest == nullptr ? k64(lo) : B_.CreateSelect(here, k64(lo), lowest);
      is_candidate = B_.CreateOr(is_candidate, here);
    }
    if (highest == nullptr) return;
    llvm::Function* add = llvm::Intrinsic::getDeclaration(&M_, llvm::Intrinsic::sadd_with_overflow, {i64_});
    Value* overflows = B_.CreateOr(B_.CreateExtractValue(B_.CreateCall(add, {highest, v.adjustment.delta}), 1),
                                   B_.CreateExtractValue(B_.CreateCall(add, {lowest, v.adjustment.delta}), 1));
    Value* by_points = B_.CreateNot(truth(v.adjustment.overridden));
    fail_if(B_.CreateAnd(B_.CreateAnd(by_points, is_candidate), overflows), EvalErrorCode::overflow, v.adjust_node);
  }

  // Evaluator::progressive: stop at the first segment the amount does not
  // reach. One candidate: its segments inline; several: a switch on the
  // index, the default (no candidate: not reached) the helpers' way.
  Value* progressive(const ScheduleValue& s, Value* amount, std::int64_t at) {
    if (s.candidates.empty()) return progressive_helper(s, amount, at);
    if (s.candidates.size() == 1) return progressive_segments(s, s.candidates.front(), amount, at);
    Value* result = alloca64();
    BasicBlock* other = block("progressive.other");
    BasicBlock* done = block("progressive.done");
    llvm::SwitchInst* sw = B_.CreateSwitch(s.index, other, static_cast<unsigned>(s.candidates.size()));
    for (const std::int64_t c : s.candidates) {
      BasicBlock* arm = block("progressive.schedule");
      sw->addCase(llvm::cast<llvm::ConstantInt>(k64(c)), arm);
      B_.SetInsertPoint(arm);
      B_.CreateStore(progressive_segments(s, c, amount, at), result);
      B_.CreateBr(done);
    }
    B_.SetInsertPoint(other);
    B_.CreateStore(progressive_helper(s, amount, at), result);
    B_.CreateBr(done);
    B_.SetInsertPoint(done);
    return B_.CreateLoad(i64_, result);
  }

  // The index of schedule `s` among the engine's schedules: `s.index`, or,
  // when `s` is adjusted, the copy yibao_jit_adjust_schedule makes of it.
  Value* materialise(const ScheduleValue& s) {
    if (s.adjust_node < 0) return s.index;
    Value* adjusted = alloca64();
    fail_unless(call_helper<&yibao_jit_adjust_schedule>({frame_, s.index, s.adjustment.overridden,
                                                         s.adjustment.override_rate, s.adjustment.delta, adjusted}),
                s.adjust_node);
    return B_.CreateLoad(i64_, adjusted);
  }

  // Schedule `s` walked by yibao_jit_progressive.
  Value* progressive_helper(const ScheduleValue& s, Value* amount, std::int64_t at) {
    Value* out = alloca64();
    fail_unless(call_helper<&yibao_jit_progressive>({frame_, materialise(s), amount, out}), at);
    return B_.CreateLoad(i64_, out);
  }

  // Schedule `schedule`'s segments unrolled, the rates adjusted when `s` is
  // (check_adjusted_rates has excluded overflow by then).
  Value* progressive_segments(const ScheduleValue& s, std::int64_t schedule, Value* amount, std::int64_t at) {
    const ir::Schedule& sch = p_.schedules[static_cast<std::size_t>(schedule)];
    std::vector<Value*> rates;
    for (std::uint32_t i = 0; i < sch.count; ++i) {
      const ir::Segment& seg = p_.segments[sch.first + i];
      if (s.adjust_node < 0) {
        rates.push_back(k64(seg.rate));
        continue;
      }
      const Adjustment& a = s.adjustment;
      Value* by_points = B_.CreateAdd(k64(seg.rate), a.delta);  // wraps only when overridden, and unused then
      rates.push_back(clamp_rate(B_.CreateSelect(truth(a.overridden), a.override_rate, by_points)));
    }
    Value* total = alloca64();
    B_.CreateStore(k64(0), total);
    BasicBlock* done = block("progressive.done");
    for (std::uint32_t i = 0; i < sch.count; ++i) {
      const ir::Segment& seg = p_.segments[sch.first + i];
      BasicBlock* reached = block("progressive.segment");
      B_.CreateCondBr(B_.CreateICmpSLE(amount, k64(seg.lo)), done, reached);
      B_.SetInsertPoint(reached);
      Value* top = B_.CreateSelect(B_.CreateICmpSLT(amount, k64(seg.hi)), amount, k64(seg.hi));
      Value* paid = times_rate(B_.CreateSub(top, k64(seg.lo)), rates[i], at);
      B_.CreateStore(checked(llvm::Intrinsic::sadd_with_overflow, B_.CreateLoad(i64_, total), paid, at), total);
    }
    B_.CreateBr(done);
    B_.SetInsertPoint(done);
    return B_.CreateLoad(i64_, total);
  }

  // ---- sections and checks ---------------------------------------------------

  void define_sections() {
    auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(C_), {frame_ty_}, false);
    auto* f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, kSectionsName, M_);
    f->addParamAttr(0, llvm::Attribute::NoAlias);
    begin_function(f);
    for (std::size_t i = 0; i < p_.sections.size(); ++i) section(i);
    B_.CreateRetVoid();
  }

  // The written flags are bytes, as SectionOutcome::written, so that the
  // engine copies them out without converting (JitEngine::evaluate).
  void mark_written(std::size_t field) { B_.CreateStore(B_.getInt8(1), address(L_.written + field, i8_)); }

  void set_kind(std::size_t i, SectionOutcome::Kind kind) {
    store64(L_.kinds + 8 * i, static_cast<std::int64_t>(kind));
  }

  // As Evaluator::eval_section and apply_updates; values and written were
  // zeroed by the engine.
  void section(std::size_t i) {
    const ir::Section& s = p_.sections[i];
    BasicBlock* failed = block("section.failed");
    BasicBlock* next = block("section.next");
    set_fail(failed);
    const std::size_t base = L_.field_base[i];
    if (s.when >= 0) {
      BasicBlock* absent = block("section.absent");
      BasicBlock* go = block("section.go");
      B_.CreateCondBr(truth(gen(static_cast<std::uint32_t>(s.when))), go, absent);
      B_.SetInsertPoint(absent);
      set_kind(i, SectionOutcome::Kind::absent);
      B_.CreateBr(next);
      B_.SetInsertPoint(go);
    }
    for (const ir::SectionReason& r : s.reasons) {
      BasicBlock* yes = block("reason");
      BasicBlock* no = block("reason.no");
      B_.CreateCondBr(truth(gen(static_cast<std::uint32_t>(r.cond))), yes, no);
      B_.SetInsertPoint(yes);
      set_kind(i, SectionOutcome::Kind::reason);
      store64(L_.reason_codes + 8 * i, r.code);
      store64(L_.reason_enums + 8 * i, r.reason_enum);
      for (std::size_t f = 0; f < s.fields.size(); ++f) {
        if (s.fields[f].otherwise < 0) continue;
        store64(L_.values + 8 * (base + f), gen(static_cast<std::uint32_t>(s.fields[f].otherwise)));
        mark_written(base + f);
      }
      B_.CreateBr(next);
      B_.SetInsertPoint(no);
    }
    for (std::size_t f = 0; f < s.fields.size(); ++f) {
      const ir::SectionField& field = s.fields[f];
      BasicBlock* skip = begin_when(field.when, "field");
      store64(L_.values + 8 * (base + f), gen(static_cast<std::uint32_t>(field.value)));
      mark_written(base + f);
      end_when(skip);
    }
    updates(s);
    set_kind(i, SectionOutcome::Kind::fields);
    if (!s.updates.empty()) store64(offsetof(FrameHeader, assessed_any), 1);
    B_.CreateBr(next);
    B_.SetInsertPoint(failed);
    set_kind(i, SectionOutcome::Kind::error);
    copy_error(kError, L_.section_errors + sizeof(EvalError) * i);
    B_.CreateBr(next);
    B_.SetInsertPoint(next);
  }

  // Code that runs only when node `when` holds (`when` < 0: always): the
  // test, and the block after the code, which end_when() joins.
  BasicBlock* begin_when(std::int32_t when, const char* name) {
    if (when < 0) return nullptr;
    BasicBlock* yes = block(name);
    BasicBlock* skip = block("when.skip");
    B_.CreateCondBr(truth(gen(static_cast<std::uint32_t>(when))), yes, skip);
    B_.SetInsertPoint(yes);
    return skip;
  }
  void end_when(BasicBlock* skip) {
    if (skip == nullptr) return;
    B_.CreateBr(skip);
    B_.SetInsertPoint(skip);
  }

  // As Evaluator::apply_updates: each update's condition, key and amount
  // into the pending list, then all committed or none.
  void updates(const ir::Section& s) {
    if (s.updates.empty()) return;
    Value* count = alloca64();
    B_.CreateStore(k64(0), count);
    for (const ir::LedgerUpdate& u : s.updates) {
      BasicBlock* skip = begin_when(u.when, "update");
      const ir::Ledger& l = p_.ledgers[static_cast<std::size_t>(u.ledger)];
      Value* slot = k64(l.slot);
      if (l.keyed) {
        Value* key = gen(static_cast<std::uint32_t>(u.key));
        Value* outside = B_.CreateOr(B_.CreateICmpSLT(key, k64(l.key_lo)), B_.CreateICmpSGT(key, k64(l.key_hi)));
        fail_if(outside, EvalErrorCode::unspecified, u.key, nullptr, u.ledger, key);
        slot = B_.CreateAdd(slot, B_.CreateSub(key, k64(l.key_lo)));
      }
      Value* amount = gen(static_cast<std::uint32_t>(u.amount));
      Value* n = B_.CreateLoad(i64_, count);
      Value* entry = B_.CreateInBoundsGEP(i8_, frame_, B_.CreateAdd(k64(static_cast<std::int64_t>(L_.pending)),
                                                                       B_.CreateMul(n, k64(sizeof(PendingUpdate)))));
      Value* words = B_.CreateBitCast(entry, i64_->getPointerTo());
      B_.CreateStore(slot, words);
      B_.CreateStore(amount, B_.CreateInBoundsGEP(i64_, words, k64(1)));
      B_.CreateStore(B_.CreateAdd(n, k64(1)), count);
      end_when(skip);
    }
    Value* ok = call_helper<&yibao_jit_commit>({frame_, B_.CreateLoad(i64_, count)});
    fail_unless(ok, s.updates.front().amount);
  }

  void define_checks() {
    auto* type = llvm::FunctionType::get(i64_, {frame_ty_}, false);
    auto* f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, kChecksName, M_);
    f->addParamAttr(0, llvm::Attribute::NoAlias);
    begin_function(f);
    for (std::size_t i = 0; i < p_.checks.size(); ++i) {
      const ir::Check& check = p_.checks[i];
      BasicBlock* failing = block("check.fails");
      BasicBlock* next = block("check.next");
      set_fail(failing);  // a check that cannot be computed counts as failing
      if (check.record >= 0) {
        BasicBlock* test = block("check.test");
        B_.CreateCondBr(truth(bit(records_, check.record)), test, next);
        B_.SetInsertPoint(test);
      }
      B_.CreateCondBr(truth(gen(static_cast<std::uint32_t>(check.cond))), next, failing);
      B_.SetInsertPoint(failing);
      B_.CreateRet(k64(static_cast<std::int64_t>(i)));
      B_.SetInsertPoint(next);
    }
    B_.CreateRet(k64(-1));
  }

  struct Raise {
    BasicBlock* block = nullptr;
    llvm::PHINode* code = nullptr;
    llvm::PHINode* unspecified = nullptr;
    llvm::PHINode* node = nullptr;
    llvm::PHINode* table = nullptr;
    llvm::PHINode* key = nullptr;
  };
  struct TableArrays {
    llvm::GlobalVariable* cells = nullptr;
    llvm::GlobalVariable* unspecified = nullptr;
  };

  const ir::Program& p_;
  const FrameLayout& L_;
  llvm::Module& M_;
  llvm::LLVMContext& C_;
  llvm::IRBuilder<> B_;
  llvm::Type* i1_;
  llvm::Type* i8_;
  llvm::Type* i32_;
  llvm::Type* i64_;
  llvm::Type* frame_ty_;
  llvm::MDNode* unlikely_ = nullptr;

  llvm::Function* fn_ = nullptr;
  BasicBlock* entry_ = nullptr;
  BasicBlock* fail_ = nullptr;  // where a failure in the current code goes
  Raise raise_;                 // the block that records it
  std::vector<std::uint8_t> inline_rules_;
  std::vector<int> rule_uses_;
  Value* frame_ = nullptr;
  Value* slots_ = nullptr;    // the request's slots, has bits and record bits,
  Value* has_ = nullptr;      // loaded at the entry of the current function
  Value* records_ = nullptr;
  std::vector<llvm::Function*> rule_fns_;
  std::vector<TableArrays> tables_;
  std::size_t nodes_ = 0;
  bool too_big_ = false;
  std::string unknown_;
};

}  // namespace

std::optional<std::string> generate(const ir::Program& program, const FrameLayout& layout, llvm::Module& module,
                                    JitStats& stats) {
  // Two passes: the first, into a scratch module, counts where each rule is
  // computed (generating is about 2% of compiling, so counting this way
  // costs little and cannot disagree with the second pass); the second
  // inlines the rules computed in one place only.
  std::vector<std::uint8_t> inline_rules(program.rules.size(), 0);
  {
    llvm::Module scratch("uses", module.getContext());
    Codegen counting(program, layout, scratch, inline_rules);
    JitStats ignored;
    if (auto refused = counting.run(ignored)) return refused;
    for (std::size_t r = 0; r < program.rules.size(); ++r) inline_rules[r] = counting.rule_uses()[r] == 1 ? 1 : 0;
  }
  Codegen codegen(program, layout, module, std::move(inline_rules));
  return codegen.run(stats);
}

}  // namespace yibao::jit
