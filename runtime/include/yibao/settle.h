// settle.h: request lines in, result lines out, for one program: the engine
// behind `yibao eval`. Reads each line by the program's schema, runs its
// request checks, evaluates every section with the person's ledger, and
// writes one JSON result per request line (interchange.md): bad lines are
// answered `bad_input`, never dropped, and never stop the run.
//
// Thread safety: a Settler is one thread's worth of scratch over a shared,
// immutable Program; the LedgerStore it updates is not synchronised.
#pragma once

#include <cstdint>
#include <cstdio>
#include <array>
#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "yibao/engine.h"
#include "yibao/evaluator.h"
#include "yibao/expected.h"
#include "yibao/ir.h"
#include "yibao/json_writer.h"
#include "yibao/ledger.h"
#include "yibao/line_reader.h"
#include "yibao/request_reader.h"

namespace yibao {

struct SettleOptions {
  bool explain = false;  // add an "explain" array of the rules computed, with their inputs
  // Another engine than the interpreter (e.g. jit::engine_factory); empty:
  // the interpreter. With `explain` the interpreter is used anyway (it keeps
  // the trace).
  EngineFactory engine{};  // (braces: designated initializers may leave it out without a warning)
};

// The answer's message for a line longer than LineReader keeps (its
// max_line_bytes default), in every way of settling a stream.
inline constexpr std::string_view kLineTooLong = "the request line is too long (more than 1 MiB)";

// The slot names of a program's ledger entry, in slot order
// (`outpatient_deductible_used[2]` for keyed ledgers).
std::vector<std::string> ledger_slot_names(const ir::Program& program);

class Settler {
 public:
  static Expected<Settler> create(const ir::Program& program, LedgerStore& ledgers, SettleOptions options = {});

  // Settles one request line (with kReadPadding readable bytes after it)
  // and appends its result line, '\n' included, to `out`.
  void settle_line(std::string_view line, std::uint64_t line_number, std::string& out);
  // Appends the result for a line that could not be read at all.
  void refuse_line(std::string_view message, std::uint64_t line_number, std::string& out);

 private:
  Settler(const ir::Program& program, LedgerStore& ledgers, RequestReader reader, SettleOptions options);
  // The result text that does not depend on the request (keys, enum
  // members, the policy id, texts, `unspecified` errors), escaped once
  // (settle.cpp).
  struct Fragments;
  // Where result lines go: the first `used` bytes of `text`. Bytes of `text`
  // beyond `used` are room made before: growing a string fills its new bytes
  // with zeros, so settle_stream keeps the room from line to line instead of
  // refilling it for every line (settle_line's caller's string ends at `used`
  // again once the line is written).
  struct Output {
    std::string& text;
    std::size_t used;
    void append(std::string_view bytes);
  };
  void write_result(Output& out);
  template <class Cursor>
  void put_value(Cursor& out, ir::TypeRef type, std::int64_t value);
  void write_bad_input(std::optional<std::string_view> id, std::string_view message, Output& out);
  void refuse_line(std::string_view message, std::uint64_t line_number, Output& out);
  void write_value(ir::TypeRef type, std::int64_t value);
  void write_error(const EvalError& error);
  void write_explain();
  void write_input(const TraceInput& input);

  // A line read and waiting to be settled. settle_line uses one;
  // settle_stream two, reading each line while the one before it is
  // settled, so that the reading overlaps the fetch of the line's ledger
  // from memory (ledger.h, "Speed").
  struct Slot {
    explicit Slot(RequestReader r) : reader(std::move(r)), request(reader.make_request()) {}
    RequestReader reader;  // its storage holds the request's texts
    Request request;
    std::uint64_t line_number = 0;
    bool too_long = false;  // refused unread
    bool readable = false;  // `request` is the line's request
    bool keyed = false;     // ... and names a ledger, whose key's hash is ledger_hash
    std::uint64_t ledger_hash = 0;
  };
  // Reads a line into `slot` and, when it names a ledger, starts fetching
  // the ledger's bucket.
  void stage(Slot& slot, std::string_view line, std::uint64_t line_number);
  void stage_too_long(Slot& slot, std::uint64_t line_number);
  // Once the bucket has had time to arrive: starts fetching the ledger.
  void fetch_ledger(const Slot& slot) const;
  // Settles the line in `slot`, appending its result to `out`.
  void settle_staged(const Slot& slot, Output& out);
  friend Status settle_stream(const ir::Program& program, LineReader& lines, std::FILE* out, LedgerStore& ledgers,
                              SettleOptions options);

  const ir::Program* program_;
  LedgerStore* ledgers_;
  SettleOptions options_;
  Slot slot_;                         // settle_line's (settle_stream keeps a second)
  const Request* request_ = nullptr;  // the request being settled (settle_staged)
  std::unique_ptr<Evaluator> evaluator_;
  std::unique_ptr<Engine> engine_;  // when set, it answers instead of evaluator_
  std::shared_ptr<const Fragments> text_;
  // Dates written lately, as JSON text with quotes, by date % 64.
  struct CachedDate {
    std::int32_t date = INT32_MIN;
    char text[12] = {};
  };
  std::array<CachedDate, 64> dates_{};
  Result result_;
  JsonWriter json_;
  std::string scratch_;
  std::vector<std::string> slot_names_;  // for --explain: ledger_slot_names
};

// Settles every line of `lines`, writing results to `out`. Fails only when
// reading or writing fails (bad requests are answered, not failures).
Status settle_stream(const ir::Program& program, LineReader& lines, std::FILE* out, LedgerStore& ledgers,
                     SettleOptions options = {});

}  // namespace yibao
