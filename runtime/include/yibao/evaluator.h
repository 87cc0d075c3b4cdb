// evaluator.h: the interpreter. One decoded request (request.h) and the
// person's ledger entry in, one Result out: every section of the program,
// each answered by its fields, a reason, or an error (unspecified/overflow).
//
// Rules are computed lazily and at most once per request (errors included),
// so a section evaluates only what it needs: a claim before the benefit year
// is `before_coverage` even when the policy's rates are unpublished.
// Ledger updates of a section are computed first and applied only when the
// section completed without reason or error, so a failed claim changes
// nothing.
//
// Two engines, with the same results to the byte (errors, memos and traces
// included): on first use, evaluate() and failing_check() lower the node DAG
// once into a flat stack bytecode (one code unit per rule, section root and
// check, see evaluator.cpp) and run that; fold() and EvaluatorOptions
// {.bytecode = false} walk the nodes directly, which is the reference the
// bytecode is tested against.
//
// Thread safety: an Evaluator holds per-request scratch; use one per thread.
// The Program it reads is shared and never modified once evaluate() or
// failing_check() has been called (fold() may be used while the compiler is
// still rewriting nodes). After the first few requests, evaluate()
// allocates nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "yibao/ir.h"
#include "yibao/request.h"

namespace yibao {

enum class EvalErrorCode : std::uint8_t { none, unspecified, overflow };

struct EvalError {
  EvalErrorCode code = EvalErrorCode::none;
  std::int32_t unspecified = -1;  // Program::unspecifieds index, for `unspecified`
  std::int32_t node = -1;         // the node that failed
  // For an out-of-table key, the table (or ledger) and key; else -1.
  std::int32_t table = -1;
  std::int64_t key = 0;
};

struct SectionOutcome {
  enum class Kind : std::uint8_t { absent, reason, fields, error };
  Kind kind = Kind::absent;
  std::int64_t reason_code = 0;  // member of the reason enumeration, for Kind::reason
  std::int32_t reason_enum = -1;
  EvalError error;
  // Parallel to ir::Section::fields: values[k] is field k's value where
  // written[k] is 1 (the field is part of the answer); where it is 0,
  // values[k] is left from an earlier request, not cleared.
  std::vector<std::int64_t> values;
  std::vector<std::uint8_t> written;
};

struct Result {
  std::vector<SectionOutcome> sections;  // parallel to ir::Program::sections
  bool assessed_any = false;  // some section applied its ledger updates
};

// What a traced rule read directly (by its own nodes, not through another
// rule, which has a step of its own): explain's inputs.
enum class TraceInputKind : std::uint8_t {
  field,    // the value of request field `index` (Schema::fields); absent reads 0
  present,  // whether request field `index` has a value: 0 or 1
  record,   // whether request record `index` (Schema::records) was given: 0 or 1
  rule,     // the value of rule `index` (Program::rules)
  param,    // the value of parameter `index` (Program::params)
  ledger,   // ledger slot `index` (ledger_slot_names), before this claim
  table,    // cell `cell` (row-major) of table `index` (Program::tables)
};

struct TraceInput {
  TraceInputKind kind = TraceInputKind::field;
  std::uint32_t cell = 0;   // for table: the row-major cell index
  std::int32_t index = -1;  // what was read, by kind
  std::int64_t value = 0;   // what it gave, in the payload of its type (ir_ops.def)
  bool operator==(const TraceInput&) const = default;
};

// One step of an explanation: a rule, what it read and what it gave.
struct TraceStep {
  std::int32_t rule = -1;
  std::int64_t value = 0;
  EvalError error;  // code none when the rule succeeded
  std::uint32_t depth = 0;  // nesting: rules computed while computing another
  // Its inputs: Evaluator::trace_inputs()[inputs_first .. + inputs_count],
  // each thing read listed once, in the order first read. Only reads that
  // succeeded are listed: a rule that failed is not an input (its own step,
  // nested or earlier, has the error), nor is a table cell left unspecified.
  std::uint32_t inputs_first = 0;
  std::uint32_t inputs_count = 0;
};

struct EvaluatorOptions {
  // Run the lowered bytecode (false: walk the node DAG, the reference).
  bool bytecode = true;
};

class Evaluator {
 public:
  explicit Evaluator(const ir::Program& program, EvaluatorOptions options = {});

  // The first request check (ir::Program::checks) that fails, or -1. A check
  // that cannot be computed counts as failing.
  int failing_check(const Request& request);

  // Evaluates every section. `ledger` is the person-year entry
  // (program.ledger_slots values), read before and updated after the claim;
  // an empty span reads zeros and records nothing.
  void evaluate(const Request& request, std::span<std::int64_t> ledger, Result& out);

  // Constant folding: evaluates `node`, whose children are all constants,
  // without a request. False when it fails (the node is then left as it is).
  bool fold(std::uint32_t node, std::int64_t& out);

  // Whether evaluate() and failing_check() run the bytecode: after their
  // first call, unless EvaluatorOptions says walk or the program is better
  // walked (see evaluator_bytecode.cpp).
  bool compiled() const noexcept { return code_ != nullptr; }
  // How many rules the bytecode computes in place, at their only reference,
  // instead of calling (evaluator_bytecode.cpp); 0 when walking or tracing.
  std::size_t inlined_rules() const noexcept;

  // Explanations: when on, evaluate() records every rule computed, in order,
  // with the inputs each read. The bytecode is then lowered with note
  // instructions after each read (evaluator_bytecode.cpp), so the code run
  // without tracing has none; switching re-lowers on the next call.
  void set_tracing(bool on) {
    if (on == tracing_) return;
    tracing_ = on;
    prepared_ = false;
    code_ = nullptr;
  }
  const std::vector<TraceStep>& trace() const { return trace_; }
  const std::vector<TraceInput>& trace_inputs() const { return inputs_; }
  std::span<const TraceInput> inputs(const TraceStep& step) const {
    return std::span<const TraceInput>(inputs_).subspan(step.inputs_first, step.inputs_count);
  }

  // Coverage (`yibao test --coverage`): when on, the node walk records every
  // table cell it reads, in order, from the start of each request. Only the
  // walk records: use EvaluatorOptions{.bytecode = false} with it.
  struct CellRead {
    std::int32_t table = -1;  // Program::tables
    std::uint32_t cell = 0;   // row-major index into Table::cells
  };
  void set_recording_cells(bool on) { recording_cells_ = on; }
  const std::vector<CellRead>& cells_read() const { return cells_read_; }

 private:
  bool eval(std::uint32_t node, std::int64_t& out);
  bool eval_rule(std::int32_t rule, std::int64_t& out);
  bool fail(EvalErrorCode code, std::uint32_t node, std::int32_t unspecified = -1);
  bool overflow(std::uint32_t node) { return fail(EvalErrorCode::overflow, node); }
  bool eval_section(const ir::Section& section, SectionOutcome& out);
  bool apply_updates(const ir::Section& section);
  bool progressive(std::int64_t schedule, std::int64_t amount, std::uint32_t node, std::int64_t& out);
  bool adjust(const ir::Node& n, std::uint32_t node, std::int64_t& out);
  void begin_request(const Request& request, std::span<std::int64_t> ledger);

  // Ledger updates of a section, computed into pending_: checked, then applied.
  bool commit_pending(const ir::Section& section);

  // The bytecode engine (evaluator_bytecode.cpp).
  struct Code;
  void prepare();
  // Runs a code unit (a section, or the checks) from the bottom of the
  // stack; false when it fails (error_ set, failed rules memoized).
  bool run(std::uint32_t entry, std::int64_t& out);
  template <bool kTracing>
  bool run_code(std::uint32_t entry, std::int64_t& out);
  bool fail_at(EvalErrorCode code, std::uint32_t pc, std::int32_t unspecified = -1);
  std::uint32_t sections_entry() const;
  std::uint32_t checks_entry() const;

  const ir::Program& program_;
  EvaluatorOptions options_;
  std::shared_ptr<const Code> code_;  // null until prepared, or when walking
  bool prepared_ = false;
  std::vector<std::int64_t> stack_;   // the bytecode's value stack
  // Rules being computed by the bytecode, innermost last.
  struct Frame {
    const void* return_to;  // the instruction after the call (an Insn of evaluator_bytecode.cpp)
    std::int32_t rule;
    std::uint32_t trace_at;
  };
  std::vector<Frame> frames_;
  // The sections' unit: the result it fills, the section it is at (-1
  // outside it) and where the next one starts.
  Result* result_out_ = nullptr;
  SectionOutcome* section_out_ = nullptr;
  std::int32_t section_ = -1;
  const void* next_section_ = nullptr;  // an Insn of evaluator_bytecode.cpp
  int check_ = -1;  // the check the checks' unit is at
  const Request* request_ = nullptr;
  std::span<std::int64_t> ledger_;
  EvalError error_;

  // Rule memo, valid when generation matches this request's; the error of
  // a failed rule is kept apart (failures are rare), in memo_errors_.
  struct Memo {
    std::uint32_t generation = 0;
    bool ok = false;
    std::int64_t value = 0;
  };
  std::vector<Memo> memo_;
  std::vector<EvalError> memo_errors_;
  std::uint32_t generation_ = 0;

  // Schedules: the program's constants first, then adjusted copies made
  // during this request (truncated back at the start of each request).
  std::vector<ir::Segment> segments_;
  std::vector<ir::Schedule> schedules_;

  // Ledger updates computed before they are applied.
  struct PendingUpdate {
    std::int32_t slot;
    std::int64_t amount;
  };
  std::vector<PendingUpdate> pending_;

  bool tracing_ = false;
  std::uint32_t depth_ = 0;
  std::vector<TraceStep> trace_;
  // Reads while tracing, by step (the walk's current step is step_, -1
  // outside rules); finish_trace() groups them into inputs_ per step.
  struct Read {
    std::uint32_t step;
    TraceInput input;
  };
  std::int32_t step_ = -1;
  std::vector<Read> reads_;
  std::vector<TraceInput> inputs_;
  void note(std::int32_t step, TraceInputKind kind, std::int32_t index, std::int64_t value, std::uint32_t cell = 0) {
    if (step >= 0) reads_.push_back(Read{static_cast<std::uint32_t>(step), TraceInput{kind, cell, index, value}});
  }
  void finish_trace();
  bool recording_cells_ = false;
  std::vector<CellRead> cells_read_;
};

}  // namespace yibao
