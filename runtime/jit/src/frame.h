// frame.h: the memory one request's compiled code works in, and the C++
// helpers that code calls for the rare complex operations.
//
// A frame is one flat, 8-byte aligned block per engine: a fixed header, then
// arrays whose byte offsets depend on the program (FrameLayout). The
// generated code addresses everything as `frame + constant offset`, so a
// memo or a section's value is one load or store with no pointer to chase.
// The request is read in place, through the header's pointers to its slots
// and presence bits (request.h: absent fields hold 0), loaded once per
// function: nothing is copied per request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "yibao/evaluator.h"
#include "yibao/ir.h"

namespace yibao::jit {

// The fixed header at offset 0.
struct FrameHeader {
  EvalError error;              // the failure being reported (as Evaluator::error_)
  std::int64_t generation2 = 0; // this request's memo tag: generation * 2 (+ 1 for a failed rule)
  std::int64_t* ledger = nullptr;  // the person-year entry; zeros when there is none
  std::int64_t has_ledger = 0;  // 0: an empty span was given (updates are not recorded)
  std::int64_t assessed_any = 0;
  void* engine = nullptr;       // the JitEngine, for the helpers
  const std::int64_t* slots = nullptr;     // Request::slots()
  const std::uint64_t* has = nullptr;      // Request::has_bits()
  const std::uint64_t* records = nullptr;  // Request::record_bits()
};
static_assert(sizeof(EvalError) == 24 && offsetof(EvalError, code) == 0 && offsetof(EvalError, unspecified) == 4 &&
              offsetof(EvalError, node) == 8 && offsetof(EvalError, table) == 12 && offsetof(EvalError, key) == 16);

// A ledger update computed before it is applied.
struct PendingUpdate {
  std::int64_t slot;
  std::int64_t amount;
};

// Byte offsets of the frame's arrays, for one program.
struct FrameLayout {
  std::size_t memo_tag = 0;      // int64 per rule: generation2, +1 when it failed
  std::size_t memo_value = 0;    // int64 per rule
  std::size_t memo_error = 0;    // EvalError per rule
  std::size_t kinds = 0;         // int64 per section: SectionOutcome::Kind
  std::size_t reason_codes = 0;  // int64 per section
  std::size_t reason_enums = 0;  // int64 per section
  std::size_t section_errors = 0;  // EvalError per section
  std::size_t values = 0;        // int64 per field of every section (field_base)
  std::size_t written = 0;       // byte per field of every section (SectionOutcome::written)
  std::size_t pending = 0;       // PendingUpdate per update of the largest section
  std::size_t size = 0;          // bytes
  std::vector<std::size_t> field_base;  // per section: its first field's index
  std::size_t field_total = 0;

  explicit FrameLayout(const ir::Program& p) {
    std::size_t at = sizeof(FrameHeader);
    const auto take = [&at](std::size_t bytes) {
      const std::size_t here = at;
      at += (bytes + 7) / 8 * 8;
      return here;
    };
    std::size_t most_updates = 0;
    for (const ir::Section& s : p.sections) {
      field_base.push_back(field_total);
      field_total += s.fields.size();
      if (s.updates.size() > most_updates) most_updates = s.updates.size();
    }
    memo_tag = take(8 * p.rules.size());
    memo_value = take(8 * p.rules.size());
    memo_error = take(sizeof(EvalError) * p.rules.size());
    kinds = take(8 * p.sections.size());
    reason_codes = take(8 * p.sections.size());
    reason_enums = take(8 * p.sections.size());
    section_errors = take(sizeof(EvalError) * p.sections.size());
    values = take(8 * field_total);
    written = take(field_total);
    pending = take(sizeof(PendingUpdate) * most_updates);
    size = at;
  }
};

// The entry points of a compiled program.
using SectionsFn = void (*)(char* frame);
using ChecksFn = std::int64_t (*)(char* frame);

// Helpers the generated code calls (helpers.cpp). The code calls them by
// name, and jit.cpp defines each name as the helper's address in this
// process, so that compiled code holds no address of the process and stays
// valid in another (the object cache, docs/jit.md). Each returns false
// where the interpreter reports overflow; the caller records the node.
extern "C" {
bool yibao_jit_mul_rate(std::int64_t money, std::int64_t rate, std::int64_t* out);
bool yibao_jit_progressive(char* frame, std::int64_t schedule, std::int64_t amount, std::int64_t* out);
bool yibao_jit_adjust_schedule(char* frame, std::int64_t schedule, std::int64_t overridden, std::int64_t override_rate,
                               std::int64_t delta, std::int64_t* out);
bool yibao_jit_date_add(std::int64_t date, std::int64_t duration, std::int64_t sign, std::int64_t* out);
std::int64_t yibao_jit_age_on(std::int64_t birth, std::int64_t on);
std::int64_t yibao_jit_year_of(std::int64_t date);
bool yibao_jit_date_of(std::int64_t y, std::int64_t m, std::int64_t d, std::int64_t* out);
bool yibao_jit_next_month_start(std::int64_t date, std::int64_t* out);
// Applies the first `count` pending updates to the ledger, all or none.
bool yibao_jit_commit(char* frame, std::int64_t count);
}

// Every helper, once: X(name) for each.
#define YIBAO_JIT_HELPERS(X)                                                                                  \
  X(yibao_jit_mul_rate) X(yibao_jit_progressive) X(yibao_jit_adjust_schedule) X(yibao_jit_date_add)            \
  X(yibao_jit_age_on) X(yibao_jit_year_of) X(yibao_jit_date_of) X(yibao_jit_next_month_start) X(yibao_jit_commit)

// HelperName<&helper>::value: the helper's symbol (a helper left out of
// YIBAO_JIT_HELPERS cannot be called: HelperName has no value for it).
template <auto Helper>
struct HelperName;
#define YIBAO_JIT_HELPER_NAME(name)               \
  template <>                                     \
  struct HelperName<&name> {                      \
    static constexpr const char* value = #name;   \
  };
YIBAO_JIT_HELPERS(YIBAO_JIT_HELPER_NAME)
#undef YIBAO_JIT_HELPER_NAME

}  // namespace yibao::jit
