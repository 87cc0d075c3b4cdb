// diff_settle.h: one request line settled into the evaluator's structured
// Result, the steps of yibao::Settler::settle_line (read by the schema,
// request checks, the person's ledger, every section) without writing
// JSON. The diff compares two programs' results by section and field
// names; coverage watches which rules and table cells the evaluator used.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "yibao/evaluator.h"
#include "yibao/expected.h"
#include "yibao/ir.h"
#include "yibao/ledger.h"
#include "yibao/request_reader.h"

namespace yibao::compiler {

class RequestSettler {
 public:
  // A settler with its own ledger store (fresh ledgers).
  static Expected<RequestSettler> create(const ir::Program& program, EvaluatorOptions options = {});

  // Settles `line` (no padding needed). False when the request is refused
  // (bad_input): refusal() says why, as a result would.
  bool settle(std::string_view line, std::uint64_t line_number);

  const Result& result() const noexcept { return result_; }
  const std::string& refusal() const noexcept { return refusal_; }
  // The request's id (the schema's id field), or empty when it has none.
  const std::string& id() const noexcept { return id_; }
  const Request& request() const noexcept { return request_; }
  Evaluator& evaluator() noexcept { return *evaluator_; }

 private:
  RequestSettler(const ir::Program& program, RequestReader reader, EvaluatorOptions options);

  const ir::Program* program_;
  std::unique_ptr<LedgerStore> ledgers_;
  RequestReader reader_;
  std::unique_ptr<Evaluator> evaluator_;
  Request request_;
  Result result_;
  std::string refusal_;
  std::string id_;
  std::string padded_;
};

}  // namespace yibao::compiler
