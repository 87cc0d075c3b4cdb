// Session: one thread's decoder, evaluators and buffers over a shared
// RuleSet. The JSON path runs the Settler (the result line is exactly
// `yibao eval`'s); the values path runs a reader and an evaluator of its
// own and describes the Result with views into the program's names. Both
// paths use the engine the options or the RuleSet give (the JIT), except
// with explain on: traces come from the interpreter only.
#include "yibao/session.hpp"

#include <algorithm>
#include <cstring>

#include "api_ledger_key.h"
#include "api_resident.h"
#include "yibao/request_reader.h"
#include "yibao/settle.h"

namespace yibao {

struct Session::State {
  State(std::shared_ptr<const RuleSet> rs, std::unique_ptr<LedgerStore> own, LedgerStore& store, Settler s,
        RequestReader r, SessionOptions o)
      : rule_set(std::move(rs)),
        program(rule_set->program()),
        own_ledgers(std::move(own)),
        ledgers(&store),
        options(o),
        settler(std::move(s)),
        reader(std::move(r)),
        request(reader.make_request()),
        evaluator(program) {
    evaluator.set_tracing(options.explain);
    sections.resize(program.sections.size());
    std::size_t fields_total = 0;
    for (const ir::Section& section : program.sections) fields_total += section.fields.size();
    fields.resize(fields_total);
  }

  // Copies `line` where kReadPadding bytes follow it, the first a zero (so
  // that the reader's fast path reads this copy in place, line_reader.h).
  std::string_view pad(std::string_view line) {
    if (padded.size() < line.size() + kReadPadding) padded.resize(line.size() + kReadPadding);
    if (!line.empty()) std::memcpy(padded.data(), line.data(), line.size());
    padded[line.size()] = '\0';
    return std::string_view(padded.data(), line.size());
  }

  // A refusal: `line N: ` (when line_number > 0), `path: ` and the message.
  const Outcome& refused(std::optional<std::string_view> id, std::uint64_t line_number, std::string_view path,
                         std::string_view message) {
    outcome_message.clear();
    if (line_number > 0) {
      outcome_message.append("line ");
      outcome_message.append(std::to_string(line_number));
      outcome_message.append(": ");
    }
    if (!path.empty()) {
      outcome_message.append(path);
      outcome_message.append(": ");
    }
    outcome_message.append(message);
    outcome = Outcome{true, outcome_message, id, {}};
    return outcome;
  }

  // Runs the checks and the sections on `request`, into `outcome`.
  const Outcome& evaluate(const Request& r, std::uint64_t line_number);
  void describe(const Request& r);

  std::shared_ptr<const RuleSet> rule_set;
  const ir::Program& program;
  std::unique_ptr<LedgerStore> own_ledgers;
  LedgerStore* ledgers;
  SessionOptions options;
  Settler settler;
  RequestReader reader;
  Request request;
  Evaluator evaluator;              // with explain, or when no other engine is asked for
  std::unique_ptr<Engine> engine;   // options.engine's, made at the first evaluate()
  Result result;
  std::string padded;
  std::string line_out;
  std::string outcome_message;
  std::string encode_message;
  Outcome outcome;
  std::vector<SectionResult> sections;
  std::vector<FieldValue> fields;  // every section's fields, back to back
};

const Outcome& Session::State::evaluate(const Request& r, std::uint64_t line_number) {
  const Schema& schema = program.schema;
  std::optional<std::string_view> id;
  if (schema.id_field >= 0 && r.has(schema.id_field)) id = r.text(schema.id_field);
  // The engine (made at the first request, so that a Session that only
  // settles JSON lines makes one engine, its Settler's) or the interpreter.
  if (!engine && options.engine && !options.explain) engine = options.engine();
  const int failed = engine ? engine->failing_check(r) : evaluator.failing_check(r);
  if (failed >= 0) {
    const ir::Check& check = program.checks[static_cast<std::size_t>(failed)];
    return refused(id, line_number, schema.fields[static_cast<std::size_t>(check.field)].path, check.message);
  }
  std::span<std::int64_t> ledger;
  const int key = program.ledger_key_field;
  if (key >= 0 && r.has(key) && program.ledger_slots > 0) {
    const std::size_t index = ledgers->find_or_create(r.text(key), program.year);
    if (index != LedgerStore::npos) ledger = ledgers->slots(index);
  }
  if (engine) {
    engine->evaluate(r, ledger, result);
  } else {
    evaluator.evaluate(r, ledger, result);
  }
  describe(r);
  outcome = Outcome{false, {}, id, sections};
  return outcome;
}

void Session::State::describe(const Request& r) {
  const Schema& schema = program.schema;
  std::size_t next_field = 0;
  for (std::size_t i = 0; i < program.sections.size(); ++i) {
    const ir::Section& section = program.sections[i];
    const SectionOutcome& o = result.sections[i];
    SectionResult& out = sections[i];
    out = SectionResult{};
    out.name = section.name;
    out.kind = o.kind;
    if (o.kind == SectionOutcome::Kind::reason) {
      out.reason = schema.enums[static_cast<std::size_t>(o.reason_enum)].members[static_cast<std::size_t>(o.reason_code)];
    } else if (o.kind == SectionOutcome::Kind::error) {
      out.error = o.error.code;
      const EvalError& e = o.error;
      if (e.code == EvalErrorCode::unspecified) {
        if (e.unspecified >= 0) {
          out.error_name = program.unspecifieds[static_cast<std::size_t>(e.unspecified)].name;
        } else if (e.table >= 0 && e.node >= 0 && program.node(e.node).op == ir::Op::table) {
          out.error_name = program.tables[static_cast<std::size_t>(e.table)].name;
        } else if (e.table >= 0) {
          out.error_name = program.ledgers[static_cast<std::size_t>(e.table)].name;
        } else {
          out.error_name = "match";
        }
      }
    }
    const std::size_t first = next_field;
    if (o.kind == SectionOutcome::Kind::fields) {
      for (std::size_t f = 0; f < section.fields.size(); ++f) {
        if (!o.written[f]) continue;
        const ir::SectionField& spec = section.fields[f];
        FieldValue& v = fields[next_field++];
        v = FieldValue{spec.name, spec.type.kind, o.values[f], {}};
        if (spec.type.kind == ir::Type::text) {
          v.text = v.raw >= 0 ? std::string_view(program.strings[static_cast<std::size_t>(v.raw)])
                              : r.text(static_cast<int>(-(v.raw + 1)));
        } else if (spec.type.kind == ir::Type::enumeration) {
          v.text = schema.enums[static_cast<std::size_t>(spec.type.ref)].members[static_cast<std::size_t>(v.raw)];
        }
      }
    }
    out.fields = std::span<const FieldValue>(fields.data() + first, next_field - first);
  }
}

const FieldValue* SectionResult::field(std::string_view wanted) const noexcept {
  for (const FieldValue& f : fields) {
    if (f.name == wanted) return &f;
  }
  return nullptr;
}

const SectionResult* Outcome::section(std::string_view wanted) const noexcept {
  for (const SectionResult& s : sections) {
    if (s.name == wanted) return s.kind == SectionResult::Kind::absent ? nullptr : &s;
  }
  return nullptr;
}

std::optional<Money> Outcome::money(std::string_view section_name, std::string_view field_name) const noexcept {
  const SectionResult* s = section(section_name);
  if (s == nullptr) return std::nullopt;
  const FieldValue* f = s->field(field_name);
  if (f == nullptr || f->type != ir::Type::money) return std::nullopt;
  return f->raw;
}

// ---- Session ---------------------------------------------------------------

namespace {

// The options with the engine filled in: the caller's, else the RuleSet's
// (the JIT compiled at load), else none (the interpreter).
SessionOptions with_engine(const RuleSet& rule_set, SessionOptions options) {
  if (!options.engine) options.engine = rule_set.engine_factory();
  return options;
}

SettleOptions settle_options(const SessionOptions& options) {
  SettleOptions settle;
  settle.explain = options.explain;
  settle.engine = options.engine;
  return settle;
}

}  // namespace

Expected<Session> Session::create(std::shared_ptr<const RuleSet> rule_set, SessionOptions options) {
  if (!rule_set) return Error{"no rule set"};
  options = with_engine(*rule_set, std::move(options));
  auto own = std::make_unique<LedgerStore>(rule_set->make_ledger_store());
  LedgerStore& store = *own;
  auto settler = Settler::create(rule_set->program(), store, settle_options(options));
  if (!settler) return Error{settler.error()};
  auto reader = RequestReader::create(rule_set->program().schema);
  if (!reader) return Error{reader.error()};
  return Session(std::make_unique<State>(std::move(rule_set), std::move(own), store, std::move(*settler),
                                         std::move(*reader), options));
}

Expected<Session> Session::create(std::shared_ptr<const RuleSet> rule_set, LedgerStore& ledgers,
                                  SessionOptions options) {
  if (!rule_set) return Error{"no rule set"};
  if (ledgers.policy() != rule_set->policy_id() || ledgers.slot_names() != rule_set->ledger_slot_names())
    return Error{"the ledger store is for " + ledgers.policy() + ", not for this rule set's " + rule_set->policy_id()};
  options = with_engine(*rule_set, std::move(options));
  auto settler = Settler::create(rule_set->program(), ledgers, settle_options(options));
  if (!settler) return Error{settler.error()};
  auto reader = RequestReader::create(rule_set->program().schema);
  if (!reader) return Error{reader.error()};
  return Session(std::make_unique<State>(std::move(rule_set), nullptr, ledgers, std::move(*settler),
                                         std::move(*reader), options));
}

Session::Session(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

const RuleSet& Session::rule_set() const noexcept { return *state_->rule_set; }
LedgerStore& Session::ledgers() noexcept { return *state_->ledgers; }

void Session::settle(std::string_view line, std::uint64_t line_number, std::string& out) {
  state_->settler.settle_line(state_->pad(line), line_number, out);
}

void Session::settle_padded(std::string_view line, std::uint64_t line_number, std::string& out) {
  state_->settler.settle_line(line, line_number, out);
}

std::string_view Session::settle(std::string_view line, std::uint64_t line_number) {
  state_->line_out.clear();
  settle(line, line_number, state_->line_out);
  return state_->line_out;
}

void Session::refuse(std::string_view message, std::uint64_t line_number, std::string& out) {
  state_->settler.refuse_line(message, line_number, out);
}

std::optional<std::string_view> Session::ledger_key(std::string_view line) {
  State& s = *state_;
  const int key = s.program.ledger_key_field;
  if (key < 0) return std::nullopt;
  // A scan of the bytes answers for most lines; the reader for the rest.
  const FieldSpec& field = s.program.schema.fields[static_cast<std::size_t>(key)];
  const std::string_view record =
      field.record >= 0 ? std::string_view(s.program.schema.records[static_cast<std::size_t>(field.record)].name)
                        : std::string_view();
  std::string_view scanned;
  switch (scan_ledger_key(line, record, field.key(), scanned)) {
    case KeyScan::found: return scanned;
    case KeyScan::absent: return std::nullopt;
    case KeyScan::unknown: break;
  }
  if (!s.reader.read_padded(s.pad(line), s.request) || !s.request.has(key)) return std::nullopt;
  return s.request.text(key);
}

const Outcome& Session::evaluate(std::string_view line, std::uint64_t line_number) {
  State& s = *state_;
  if (!s.reader.read_padded(s.pad(line), s.request)) return s.refused(s.reader.id(), line_number, "", s.reader.error());
  return s.evaluate(s.request, line_number);
}

const Outcome& Session::evaluate(const resident::Request& request) {
  State& s = *state_;
  const resident::Binding* binding = s.rule_set->resident_binding();
  if (binding == nullptr) return s.refused(std::nullopt, 0, "", s.rule_set->resident_binding_error());
  if (!resident::encode(*binding, s.program.schema, request, s.request, s.encode_message))
    return s.refused(request.id, 0, "", s.encode_message);
  return s.evaluate(s.request, 0);
}

const Outcome& Session::evaluate(const Request& request) {
  State& s = *state_;
  if (request.field_count() != s.program.schema.fields.size())
    return s.refused(std::nullopt, 0, "", "the request was not made for this rule set's schema");
  return s.evaluate(request, 0);
}

std::span<const TraceStep> Session::trace() const noexcept { return state_->evaluator.trace(); }

}  // namespace yibao
