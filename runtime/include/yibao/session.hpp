// session.hpp: one thread's evaluator over a shared RuleSet (part of the
// embedding API, see yibao.hpp).
//
// A Session owns everything an evaluation writes: the request decoder, the
// evaluators, the result and text buffers. Once it has seen a few requests
// it allocates nothing more per request, except for ledgers of persons it
// has not seen before (and, with explain on, when a trace outgrows every
// earlier one).
//
// Requests go in as a JSON line (the interchange contract) or as a
// resident::Request struct; results come out as the JSON result line
// (exactly `yibao eval`'s bytes) or as an Outcome of plain values. Both
// paths apply the claim to the person's ledger, in the store the Session
// was given or its own: call one of them per request, not both.
//
// Ledgers: a claim reads and updates the ledger of (person.id, benefit
// year). Requests of one person must be evaluated in their order, on one
// Session (or on Sessions sharing a store, never at the same time). To use
// several threads, give each person to one thread: Session::ledger_key
// tells whose a request line is (see examples/cpp).
//
// Thread safety: one Session per thread; a Session may move between threads
// between calls. The RuleSet is shared; a LedgerStore is not synchronised.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "yibao/engine.h"
#include "yibao/evaluator.h"
#include "yibao/expected.h"
#include "yibao/ledger.h"
#include "yibao/resident.hpp"
#include "yibao/rule_set.hpp"

namespace yibao {

struct SessionOptions {
  // Result lines carry an "explain" array, and evaluate() keeps trace().
  bool explain = false;
  // The engine that answers settle() and evaluate() (engine.h); empty: the
  // RuleSet's (the JIT when it was loaded with EngineKind::jit, else the
  // interpreter). With explain on, the interpreter answers: traces are
  // the interpreter's only.
  EngineFactory engine;
};

// One value of a result field. `raw` is the value's slot (values.h): money
// in micro-yuan (results are rounded to whole cents), dates in days since
// 1970-01-01, booleans 0/1, rates and points in parts per million, enum
// sets as member bits. `text` is the text of a text value or the member
// name of an enumeration, else empty.
struct FieldValue {
  std::string_view name;
  ir::Type type = ir::Type::money;
  std::int64_t raw = 0;
  std::string_view text;
};

// One section of a result (`settlement`): absent when it does not apply to
// the request, a reason code (`before_coverage`; for a field list with a
// reason key, `reason` empty means assessed), its fields, or an error.
struct SectionResult {
  using Kind = SectionOutcome::Kind;
  std::string_view name;
  Kind kind = Kind::absent;
  std::string_view reason;           // Kind::reason: the code
  EvalErrorCode error = EvalErrorCode::none;  // Kind::error: unspecified or overflow
  std::string_view error_name;       // Kind::error, unspecified: which value the policy does not publish
  std::span<const FieldValue> fields;  // Kind::fields: the fields answered, in result order

  // The field called `name`, or null.
  const FieldValue* field(std::string_view name) const noexcept;
};

// The answer to one request: refused (bad_input, with the message the JSON
// result carries), or one SectionResult per section of the policy.
struct Outcome {
  bool refused = false;
  std::string_view message;  // refused: `line 3: claim.total: ...`
  std::optional<std::string_view> id;
  std::span<const SectionResult> sections;  // parallel to RuleSet sections; empty when refused

  // The section called `name` when it was answered (not absent), or null.
  const SectionResult* section(std::string_view name) const noexcept;
  // The money field `field` of section `section`, or nullopt when the
  // section or field was not answered (or is not money).
  std::optional<Money> money(std::string_view section, std::string_view field) const noexcept;
};

class Session {
 public:
  // A session with a ledger store of its own.
  static Expected<Session> create(std::shared_ptr<const RuleSet> rule_set, SessionOptions options = {});
  // A session over the caller's store, which must outlive it and be made
  // for this policy (RuleSet::make_ledger_store).
  static Expected<Session> create(std::shared_ptr<const RuleSet> rule_set, LedgerStore& ledgers,
                                  SessionOptions options = {});

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  const RuleSet& rule_set() const noexcept;
  LedgerStore& ledgers() noexcept;

  // ---- JSON in, JSON out: the contract's result line ----------------------

  // Settles one request line and appends its result line, '\n' included,
  // to `out`. `line_number` is named in bad_input messages.
  void settle(std::string_view line, std::uint64_t line_number, std::string& out);
  // The same into the session's buffer: valid until the next call.
  std::string_view settle(std::string_view line, std::uint64_t line_number = 1);
  // settle() for a line followed by kReadPadding readable bytes (as a
  // LineReader gives them), which saves a copy.
  void settle_padded(std::string_view line, std::uint64_t line_number, std::string& out);
  // Appends the result for a line that could not be read at all (too long).
  void refuse(std::string_view message, std::uint64_t line_number, std::string& out);

  // The ledger key (person.id) of a request line, valid until the next call
  // and while `line` lives; nullopt when the line names none. A line that
  // is then refused touches no ledger, so its key (or none) is only a hint:
  // any thread may settle it. Most lines are answered by a scan of their
  // bytes, the others (escapes, unusual shapes) by decoding them.
  std::optional<std::string_view> ledger_key(std::string_view line);

  // ---- values in, values out ---------------------------------------------

  // Decodes and evaluates a JSON request line. The Outcome and its views
  // are valid until the next call on this session.
  const Outcome& evaluate(std::string_view line, std::uint64_t line_number = 1);
  // Evaluates a request given as structs. Fails (as a refused Outcome) when
  // the policy's schema is not the standard resident one.
  const Outcome& evaluate(const resident::Request& request);
  // Evaluates a request built against the schema directly (request.h).
  const Outcome& evaluate(const Request& request);

  // With SessionOptions::explain: the rules the last evaluate() computed, in
  // order; TraceStep::rule names a rule (RuleSet::rule_name).
  std::span<const TraceStep> trace() const noexcept;

 private:
  struct State;
  explicit Session(std::unique_ptr<State> state) noexcept;
  std::unique_ptr<State> state_;
};

}  // namespace yibao
