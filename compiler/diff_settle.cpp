#include "compiler/diff_settle.h"

#include "yibao/line_reader.h"
#include "yibao/settle.h"

namespace yibao::compiler {

Expected<RequestSettler> RequestSettler::create(const ir::Program& program, EvaluatorOptions options) {
  auto reader = RequestReader::create(program.schema);
  if (!reader) return Error{program.policy_id + ": " + reader.error()};
  return RequestSettler(program, std::move(*reader), options);
}

RequestSettler::RequestSettler(const ir::Program& program, RequestReader reader, EvaluatorOptions options)
    : program_(&program),
      ledgers_(std::make_unique<LedgerStore>(program.policy_id, ledger_slot_names(program))),
      reader_(std::move(reader)),
      evaluator_(std::make_unique<Evaluator>(program, options)),
      request_(reader_.make_request()) {}

bool RequestSettler::settle(std::string_view line, std::uint64_t line_number) {
  refusal_.clear();
  id_.clear();
  result_.sections.clear();
  padded_.assign(line);
  padded_.append(kReadPadding, ' ');
  const int id_field = program_->schema.id_field;
  if (!reader_.read_padded(std::string_view(padded_.data(), line.size()), request_)) {
    if (const auto id = reader_.id()) id_ = std::string(*id);
    refusal_ = "line " + std::to_string(line_number) + ": " + std::string(reader_.error());
    return false;
  }
  if (id_field >= 0 && request_.has(id_field)) id_ = std::string(request_.text(id_field));
  const int failed = evaluator_->failing_check(request_);
  if (failed >= 0) {
    const ir::Check& check = program_->checks[static_cast<size_t>(failed)];
    refusal_ = "line " + std::to_string(line_number) + ": " +
               program_->schema.fields[static_cast<size_t>(check.field)].path + ": " + check.message;
    return false;
  }
  std::span<std::int64_t> ledger;
  const int key = program_->ledger_key_field;
  if (key >= 0 && request_.has(key) && program_->ledger_slots > 0) {
    const std::size_t index = ledgers_->find_or_create(request_.text(key), program_->year);
    if (index != LedgerStore::npos) ledger = ledgers_->slots(index);
  }
  evaluator_->evaluate(request_, ledger, result_);
  return true;
}

}  // namespace yibao::compiler
