// Request lines -> result lines (interchange.md). The Settler owns one
// reader, one evaluator and one output buffer, all reused, so settling a
// line allocates nothing once warmed up.
#include "yibao/settle.h"

#include <cstring>
#include <string>

#include "yibao/date.h"
#include "yibao/money.h"

namespace yibao {

std::vector<std::string> ledger_slot_names(const ir::Program& program) {
  std::vector<std::string> names(static_cast<size_t>(program.ledger_slots));
  for (const auto& l : program.ledgers) {
    if (!l.keyed) {
      names[static_cast<size_t>(l.slot)] = l.name;
      continue;
    }
    for (int64_t k = l.key_lo; k <= l.key_hi; ++k)
      names[static_cast<size_t>(l.slot + (k - l.key_lo))] = l.name + "[" + std::to_string(k) + "]";
  }
  return names;
}

Expected<Settler> Settler::create(const ir::Program& program, LedgerStore& ledgers, SettleOptions options) {
  auto reader = RequestReader::create(program.schema);
  if (!reader) return Error{"the policy's request schema is invalid: " + reader.error()};
  if (ledgers.slot_count() != static_cast<size_t>(program.ledger_slots))
    return Error{"the ledger store does not match the policy's ledgers"};
  return Settler(program, ledgers, std::move(*reader), options);
}

Settler::Settler(const ir::Program& program, LedgerStore& ledgers, RequestReader reader, SettleOptions options)
    : program_(&program),
      ledgers_(&ledgers),
      reader_(std::move(reader)),
      options_(options),
      request_(reader_.make_request()),
      evaluator_(std::make_unique<Evaluator>(program)) {
  evaluator_->set_tracing(options.explain);
}

void Settler::refuse_line(std::string_view message, std::uint64_t line_number, std::string& out) {
  scratch_.assign("line ");
  scratch_ += std::to_string(line_number);
  scratch_ += ": ";
  scratch_ += message;
  write_bad_input(std::nullopt, scratch_, out);
}

void Settler::write_bad_input(std::optional<std::string_view> id, std::string_view message, std::string& out) {
  json_.clear();
  json_.begin_object();
  json_.key("id");
  if (id) json_.string(*id); else json_.null();
  json_.key("error");
  json_.begin_object();
  json_.key("code");
  json_.string("bad_input");
  json_.key("message");
  json_.string(message);
  json_.end_object();
  json_.end_object();
  json_.end_line();
  out.append(json_.view());
}

void Settler::settle_line(std::string_view line, std::uint64_t line_number, std::string& out) {
  if (!reader_.read_padded(line, request_)) {
    scratch_.assign("line ");
    scratch_ += std::to_string(line_number);
    scratch_ += ": ";
    scratch_ += reader_.error();
    write_bad_input(reader_.id(), scratch_, out);
    return;
  }
  const int failed = evaluator_->failing_check(request_);
  if (failed >= 0) {
    const ir::Check& check = program_->checks[static_cast<size_t>(failed)];
    scratch_.assign("line ");
    scratch_ += std::to_string(line_number);
    scratch_ += ": ";
    scratch_ += program_->schema.fields[static_cast<size_t>(check.field)].path;
    scratch_ += ": ";
    scratch_ += check.message;
    std::optional<std::string_view> id;
    if (program_->schema.id_field >= 0 && request_.has(program_->schema.id_field)) id = request_.text(program_->schema.id_field);
    write_bad_input(id, scratch_, out);
    return;
  }
  std::span<std::int64_t> ledger;
  const int key = program_->ledger_key_field;
  if (key >= 0 && request_.has(key) && program_->ledger_slots > 0) {
    const std::size_t index = ledgers_->find_or_create(request_.text(key), program_->year);
    if (index != LedgerStore::npos) ledger = ledgers_->slots(index);
  }
  evaluator_->evaluate(request_, ledger, result_);
  write_result(out);
}

void Settler::write_value(ir::TypeRef type, std::int64_t value) {
  switch (type.kind) {
    case ir::Type::money: json_.money(value); return;
    case ir::Type::boolean: json_.boolean(value != 0); return;
    case ir::Type::date:
      if (is_valid_date(static_cast<Date>(value))) json_.date(static_cast<Date>(value)); else json_.null();
      return;
    case ir::Type::text:
      if (value >= 0)
        json_.string(program_->strings[static_cast<size_t>(value)]);
      else
        json_.string(request_.text(static_cast<int>(-(value + 1))));
      return;
    case ir::Type::enumeration:
      json_.string(program_->schema.enums[static_cast<size_t>(type.ref)].members[static_cast<size_t>(value)]);
      return;
    case ir::Type::enum_set: {
      json_.begin_array();
      const auto& members = program_->schema.enums[static_cast<size_t>(type.ref)].members;
      for (size_t m = 0; m < members.size(); ++m)
        if ((static_cast<std::uint64_t>(value) >> m) & 1U) json_.string(members[m]);
      json_.end_array();
      return;
    }
    case ir::Type::rate:
    case ir::Type::points: {
      // As a fraction with up to six decimals: 80% -> 0.8.
      char buf[kMoneyTextMax];
      std::string s(buf, write_money_exact(buf, value));
      json_.raw(s);
      return;
    }
    case ir::Type::count:
    case ir::Type::domain:
    case ir::Type::duration:
    case ir::Type::brackets:
      json_.integer(value);
      return;
  }
}

void Settler::write_error(const EvalError& error) {
  json_.begin_object();
  json_.key("error");
  json_.begin_object();
  json_.key("code");
  const ir::Program& p = *program_;
  if (error.code == EvalErrorCode::overflow) {
    json_.string("overflow");
    json_.key("message");
    std::string message = "an amount is too large to compute exactly";
    if (error.node >= 0) {
      const ir::Loc& loc = p.nodes[static_cast<size_t>(error.node)].loc;
      if (loc.file >= 0) message += " (at " + p.files[static_cast<size_t>(loc.file)] + ":" + std::to_string(loc.line) + ")";
    }
    json_.string(message);
  } else {
    json_.string("unspecified");
    json_.key("message");
    std::string name;
    std::string message;
    if (error.unspecified >= 0) {
      const ir::Unspecified& u = p.unspecifieds[static_cast<size_t>(error.unspecified)];
      name = u.name;
      message = p.policy_id + " does not publish `" + u.name + "` (source: " + u.words + ")";
    } else if (error.table >= 0 && error.node >= 0 && p.nodes[static_cast<size_t>(error.node)].op == ir::Op::table) {
      name = p.tables[static_cast<size_t>(error.table)].name;
      message = p.policy_id + " publishes no `" + name + "` for " + std::to_string(error.key);
    } else if (error.table >= 0) {
      name = p.ledgers[static_cast<size_t>(error.table)].name;
      message = p.policy_id + " keeps no `" + name + "` for " + std::to_string(error.key);
    } else {
      name = "match";
      message = p.policy_id + " has no rule for this case (" + std::to_string(error.key) + ")";
    }
    json_.string(message);
    json_.key("name");
    json_.string(name);
  }
  json_.end_object();
  json_.end_object();
}

void Settler::write_explain() {
  json_.key("explain");
  json_.begin_array();
  const ir::Program& p = *program_;
  for (const TraceStep& step : evaluator_->trace()) {
    const ir::Rule& rule = p.rules[static_cast<size_t>(step.rule)];
    json_.begin_object();
    json_.key("rule");
    json_.string(rule.name);
    if (rule.loc.file >= 0) {
      json_.key("at");
      json_.string(p.files[static_cast<size_t>(rule.loc.file)] + ":" + std::to_string(rule.loc.line));
    }
    json_.key("depth");
    json_.integer(step.depth);
    if (step.error.code == EvalErrorCode::none) {
      json_.key("value");
      write_value(rule.type, step.value);
    } else {
      json_.key("error");
      json_.string(step.error.code == EvalErrorCode::overflow ? "overflow" : "unspecified");
    }
    json_.end_object();
  }
  json_.end_array();
}

void Settler::write_result(std::string& out) {
  const ir::Program& p = *program_;
  json_.clear();
  json_.begin_object();
  json_.key("id");
  if (p.schema.id_field >= 0 && request_.has(p.schema.id_field)) json_.string(request_.text(p.schema.id_field)); else json_.null();
  json_.key("policy");
  json_.string(p.policy_id);
  for (size_t i = 0; i < p.sections.size(); ++i) {
    const ir::Section& section = p.sections[i];
    const SectionOutcome& o = result_.sections[i];
    if (o.kind == SectionOutcome::Kind::absent) continue;
    json_.key(section.name);
    if (o.kind == SectionOutcome::Kind::error) {
      write_error(o.error);
      continue;
    }
    json_.begin_object();
    if (o.kind == SectionOutcome::Kind::reason || section.always_reason) {
      json_.key("reason");
      if (o.kind == SectionOutcome::Kind::reason)
        json_.string(p.schema.enums[static_cast<size_t>(o.reason_enum)].members[static_cast<size_t>(o.reason_code)]);
      else
        json_.null();
    }
    for (size_t f = 0; f < section.fields.size(); ++f) {
      if (!o.written[f]) continue;
      json_.key(section.fields[f].name);
      write_value(section.fields[f].type, o.values[f]);
    }
    json_.end_object();
  }
  if (options_.explain) write_explain();
  json_.end_object();
  json_.end_line();
  out.append(json_.view());
}

Status settle_stream(const ir::Program& program, LineReader& lines, std::FILE* out, LedgerStore& ledgers,
                     SettleOptions options) {
  auto settler = Settler::create(program, ledgers, options);
  if (!settler) return Error{settler.error()};
  std::string buffer;
  buffer.reserve(1 << 20);
  Line line;
  for (;;) {
    const LineStatus status = lines.next(line);
    if (status == LineStatus::end) break;
    if (status == LineStatus::error) return Error{lines.error()};
    if (line.too_long)
      settler->refuse_line("the request line is too long (more than 1 MiB)", line.number, buffer);
    else
      settler->settle_line(line.text, line.number, buffer);
    if (buffer.size() >= (1 << 20) - 4096) {
      if (std::fwrite(buffer.data(), 1, buffer.size(), out) != buffer.size()) return Error{"cannot write the results"};
      buffer.clear();
    }
  }
  if (!buffer.empty() && std::fwrite(buffer.data(), 1, buffer.size(), out) != buffer.size())
    return Error{"cannot write the results"};
  if (std::fflush(out) != 0) return Error{"cannot write the results"};
  return Status::success();
}

}  // namespace yibao
