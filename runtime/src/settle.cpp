// Request lines -> result lines (interchange.md). The Settler owns one
// reader, one evaluator and one output buffer, all reused, so settling a
// line allocates nothing once warmed up.
#include "yibao/settle.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

#include "result_text.h"
#include "yibao/date.h"
#include "yibao/money.h"

namespace yibao {

using detail::Piece;
using detail::ResultCursor;
using detail::ResultText;
using detail::kSlack;

struct Settler::Fragments : ResultText {};

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
      options_(options),
      slot_(std::move(reader)),
      evaluator_(std::make_unique<Evaluator>(program)) {
  evaluator_->set_tracing(options.explain);
  if (options.explain) slot_names_ = ledger_slot_names(program);
  if (options_.engine && !options.explain) engine_ = options_.engine();
  auto text = std::make_shared<Fragments>();
  const ir::Program& p = program;
  text->open_id = text->add_key("{", "id");
  text->policy = text->add_key(", ", "policy");
  text->policy.size += text->add_string(p.policy_id).size;  // adjacent in the arena
  text->null_text = text->add("null");
  text->true_text = text->add("true");
  text->false_text = text->add("false");
  text->reason_key = text->add_key("", "reason");
  text->reason_null = text->add_key("", "reason");
  text->reason_null.size += text->add("null").size;  // adjacent in the arena
  std::size_t longest_member = 0;
  for (const EnumSpec& e : p.schema.enums) {
    std::vector<Piece> members;
    std::vector<Piece> reasons;
    std::size_t set = 2;
    for (const std::string& m : e.members) {
      members.push_back(text->add_string(m));
      set += members.back().size + 2;
      longest_member = std::max<std::size_t>(longest_member, members.back().size);
      reasons.push_back(text->add_key("", "reason"));
      reasons.back().size += text->add_string(m).size;  // adjacent
    }
    text->members.push_back(std::move(members));
    text->reasons.push_back(std::move(reasons));
    text->set_bound.push_back(set);
  }
  std::size_t longest_string = 0;
  for (const std::string& str : p.strings) {
    text->strings.push_back(text->add_string(str));
    longest_string = std::max<std::size_t>(longest_string, text->strings.back().size);
  }
  std::size_t longest_error = 0;
  for (std::size_t u = 0; u < p.unspecifieds.size(); ++u) {
    json_.clear();
    write_error(EvalError{EvalErrorCode::unspecified, static_cast<std::int32_t>(u), -1, -1, 0});
    text->unspecified_errors.push_back(text->add(json_.view()));
    longest_error = std::max<std::size_t>(longest_error, json_.view().size());
  }
  // The bound: every piece at its longest, values at their widest.
  const auto widest = [&](ir::TypeRef type) -> std::size_t {
    switch (type.kind) {
      case ir::Type::boolean: return 5;
      case ir::Type::date: return kDateTextSize + 2;
      case ir::Type::text: return longest_string;  // request texts are written checked
      case ir::Type::enumeration: return longest_member;
      case ir::Type::enum_set:
        return type.ref >= 0 && static_cast<std::size_t>(type.ref) < text->set_bound.size()
                   ? text->set_bound[static_cast<std::size_t>(type.ref)]
                   : 2;
      default: return kMoneyTextMax;  // money, rates, numbers
    }
  };
  std::size_t longest_reason = text->reason_null.size;
  for (const auto& reasons : text->reasons) {
    for (const Piece& r : reasons) longest_reason = std::max<std::size_t>(longest_reason, r.size);
  }
  std::size_t bound = text->open_id.size + 4 + text->policy.size + 2;
  for (const ir::Section& section : p.sections) {
    ResultText::Section out;
    out.key = text->add_key(", ", section.name);
    out.open = text->add_key(", ", section.name);
    out.open.size += text->add("{").size;  // adjacent
    std::size_t object = out.open.size + longest_reason + 1;
    for (const ir::SectionField& field : section.fields) {
      out.fields.push_back(
          ResultText::Field{text->add_key("", field.name), text->add_key(", ", field.name), field.type});
      object += out.fields.back().later.size + std::max<std::size_t>(widest(field.type), 4);
    }
    bound += std::max(object, out.key.size + longest_error);
    text->sections.push_back(std::move(out));
  }
  text->bound = bound;
  text->arena.append(kSlack, ' ');
  text_ = std::move(text);
  json_.clear();
}

void Settler::Output::append(std::string_view bytes) {
  if (text.size() - used < bytes.size()) text.resize(used + bytes.size());
  std::memcpy(text.data() + used, bytes.data(), bytes.size());
  used += bytes.size();
}

void Settler::refuse_line(std::string_view message, std::uint64_t line_number, std::string& out) {
  Output output{out, out.size()};
  refuse_line(message, line_number, output);
  out.resize(output.used);
}

void Settler::refuse_line(std::string_view message, std::uint64_t line_number, Output& out) {
  scratch_.assign("line ");
  scratch_ += std::to_string(line_number);
  scratch_ += ": ";
  scratch_ += message;
  write_bad_input(std::nullopt, scratch_, out);
}

void Settler::write_bad_input(std::optional<std::string_view> id, std::string_view message, Output& out) {
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
  stage(slot_, line, line_number);
  Output output{out, out.size()};
  settle_staged(slot_, output);
  out.resize(output.used);
}

void Settler::stage(Slot& slot, std::string_view line, std::uint64_t line_number) {
  slot.line_number = line_number;
  slot.too_long = false;
  slot.readable = slot.reader.read_padded(line, slot.request);
  const int key = program_->ledger_key_field;
  slot.keyed = slot.readable && key >= 0 && slot.request.has(key) && program_->ledger_slots > 0;
  if (slot.keyed) {
    slot.ledger_hash = LedgerStore::hash_of(slot.request.text(key), program_->year);
    ledgers_->prefetch_bucket(slot.ledger_hash);
  }
}

void Settler::stage_too_long(Slot& slot, std::uint64_t line_number) {
  slot.line_number = line_number;
  slot.too_long = true;
  slot.readable = false;
  slot.keyed = false;
}

void Settler::fetch_ledger(const Slot& slot) const {
  if (slot.keyed) ledgers_->prefetch_ledger(slot.ledger_hash);
}

void Settler::settle_staged(const Slot& slot, Output& out) {
  if (slot.too_long) {
    refuse_line(kLineTooLong, slot.line_number, out);
    return;
  }
  if (!slot.readable) {
    scratch_.assign("line ");
    scratch_ += std::to_string(slot.line_number);
    scratch_ += ": ";
    scratch_ += slot.reader.error();
    write_bad_input(slot.reader.id(), scratch_, out);
    return;
  }
  const Request& request = slot.request;
  request_ = &request;
  const int failed = engine_ ? engine_->failing_check(request) : evaluator_->failing_check(request);
  if (failed >= 0) {
    const ir::Check& check = program_->checks[static_cast<size_t>(failed)];
    scratch_.assign("line ");
    scratch_ += std::to_string(slot.line_number);
    scratch_ += ": ";
    scratch_ += program_->schema.fields[static_cast<size_t>(check.field)].path;
    scratch_ += ": ";
    scratch_ += check.message;
    std::optional<std::string_view> id;
    if (program_->schema.id_field >= 0 && request.has(program_->schema.id_field)) id = request.text(program_->schema.id_field);
    write_bad_input(id, scratch_, out);
    return;
  }
  std::span<std::int64_t> ledger;
  if (slot.keyed) {
    const std::size_t index =
        ledgers_->find_or_create(request.text(program_->ledger_key_field), program_->year, slot.ledger_hash);
    if (index != LedgerStore::npos) ledger = ledgers_->slots(index);
  }
  if (engine_)
    engine_->evaluate(request, ledger, result_);
  else
    evaluator_->evaluate(request, ledger, result_);
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
        json_.string(request_->text(static_cast<int>(-(value + 1))));
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

// --explain (the layout is in docs/semantics.md, "Explanations"): per rule
// computed, its name, source line, depth, value or error, and its inputs.
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
    json_.key("inputs");
    json_.begin_array();
    for (const TraceInput& input : evaluator_->inputs(step)) write_input(input);
    json_.end_array();
    json_.end_object();
  }
  json_.end_array();
}

// One input: {"<kind>": <what>, "value": <value>}, and "keys" for a table cell.
// Indices come from the program, which validate_program checked for what
// evaluation needs; anything explain needs beyond that is checked here.
void Settler::write_input(const TraceInput& input) {
  const ir::Program& p = *program_;
  const auto at = static_cast<size_t>(input.index);
  const auto name = [&](const auto& list, auto&& get) {
    if (input.index >= 0 && at < list.size()) {
      json_.string(get(list[at]));
    } else {
      json_.integer(input.index);
    }
  };
  const auto enum_value = [&](ir::Type kind, int enum_index, std::int64_t value) {
    const bool valid = enum_index >= 0 && static_cast<size_t>(enum_index) < p.schema.enums.size() &&
                       (kind == ir::Type::enum_set || (value >= 0 && static_cast<size_t>(value) <
                                                                         p.schema.enums[static_cast<size_t>(enum_index)].members.size()));
    if (valid) {
      write_value(ir::TypeRef{kind, enum_index}, value);
    } else {
      json_.integer(value);
    }
  };
  json_.begin_object();
  switch (input.kind) {
    case TraceInputKind::field: {
      json_.key("field");
      name(p.schema.fields, [](const FieldSpec& f) -> const std::string& { return f.path; });
      json_.key("value");
      if (at >= p.schema.fields.size() || !request_->has(input.index)) {
        json_.null();
        break;
      }
      const FieldSpec& field = p.schema.fields[at];
      switch (field.type) {
        case FieldType::text: json_.string(request_->text(input.index)); break;
        case FieldType::boolean: json_.boolean(input.value != 0); break;
        case FieldType::money: json_.money(input.value); break;
        case FieldType::date: write_value(ir::TypeRef{ir::Type::date, -1}, input.value); break;
        case FieldType::enumeration: enum_value(ir::Type::enumeration, field.enum_index, input.value); break;
        case FieldType::enum_set: enum_value(ir::Type::enum_set, field.enum_index, input.value); break;
        case FieldType::integer_range: json_.integer(input.value); break;
      }
      break;
    }
    case TraceInputKind::present:
      json_.key("present");
      name(p.schema.fields, [](const FieldSpec& f) -> const std::string& { return f.path; });
      json_.key("value");
      json_.boolean(input.value != 0);
      break;
    case TraceInputKind::record:
      json_.key("record");
      name(p.schema.records, [](const RecordSpec& r) -> const std::string& { return r.name; });
      json_.key("value");
      json_.boolean(input.value != 0);
      break;
    case TraceInputKind::rule:
      json_.key("rule");
      name(p.rules, [](const ir::Rule& r) -> const std::string& { return r.name; });
      json_.key("value");
      if (at < p.rules.size()) write_value(p.rules[at].type, input.value); else json_.integer(input.value);
      break;
    case TraceInputKind::param:
      json_.key("param");
      name(p.params, [](const ir::Param& r) -> const std::string& { return r.name; });
      json_.key("value");
      if (at < p.params.size()) write_value(p.params[at].type, input.value); else json_.integer(input.value);
      break;
    case TraceInputKind::ledger:
      json_.key("ledger");
      name(slot_names_, [](const std::string& n) -> const std::string& { return n; });
      json_.key("value");
      json_.money(input.value);
      break;
    case TraceInputKind::table: {
      json_.key("table");
      name(p.tables, [](const ir::Table& t) -> const std::string& { return t.name; });
      json_.key("keys");
      json_.begin_array();
      if (at < p.tables.size()) {
        // The row-major cell index back into one key per dimension.
        const ir::Table& t = p.tables[at];
        std::vector<std::int64_t> keys(t.dims.size());
        std::uint64_t rest = input.cell;
        for (size_t d = t.dims.size(); d-- > 0;) {
          const auto width = static_cast<std::uint64_t>(t.dims[d].hi - t.dims[d].lo + 1);
          keys[d] = t.dims[d].lo + static_cast<std::int64_t>(width == 0 ? 0 : rest % width);
          rest = width == 0 ? 0 : rest / width;
        }
        for (size_t d = 0; d < t.dims.size(); ++d) {
          if (t.dims[d].key_type.kind == ir::Type::enumeration) {
            enum_value(ir::Type::enumeration, t.dims[d].key_type.ref, keys[d]);
          } else {
            json_.integer(keys[d]);
          }
        }
      }
      json_.end_array();
      json_.key("value");
      if (at < p.tables.size()) write_value(p.tables[at].value_type, input.value); else json_.integer(input.value);
      break;
    }
  }
  json_.end_object();
}

template <class Cursor>
void Settler::put_value(Cursor& out, ir::TypeRef type, std::int64_t value) {
  // As write_value (which --explain uses), from the fragments, within the
  // room write_result made (ResultText::bound), but for request texts.
  const ResultText& text = *text_;
  switch (type.kind) {
    case ir::Type::money:
      out.advance_to(write_money(out.at(), value));
      return;
    case ir::Type::boolean:
      out.put_unchecked(value != 0 ? text.true_text : text.false_text);
      return;
    case ir::Type::date: {
      const auto d = static_cast<Date>(value);
      if (!is_valid_date(d)) {
        out.put_unchecked(text.null_text);
        return;
      }
      CachedDate& cached = dates_[static_cast<std::uint32_t>(d) % dates_.size()];
      if (cached.date != d) {
        cached.text[0] = '"';
        write_iso_date(cached.text + 1, d);
        cached.text[kDateTextSize + 1] = '"';
        cached.date = d;
      }
      char* at = out.at();
      std::memcpy(at, cached.text, sizeof cached.text);
      out.advance_to(at + sizeof cached.text);
      return;
    }
    case ir::Type::text:
      if (value >= 0) {
        out.put_unchecked(text.strings[static_cast<size_t>(value)]);
      } else {
        out.put_string(request_->text(static_cast<int>(-(value + 1))));
        out.need(text_->bound);  // room for the rest again
      }
      return;
    case ir::Type::enumeration:
      out.put_unchecked(text.members[static_cast<size_t>(type.ref)][static_cast<size_t>(value)]);
      return;
    case ir::Type::enum_set: {
      const auto& members = text.members[static_cast<size_t>(type.ref)];
      out.put_unchecked('[');
      bool first = true;
      for (size_t m = 0; m < members.size(); ++m) {
        if (!((static_cast<std::uint64_t>(value) >> m) & 1U)) continue;
        if (!first) {
          out.put_unchecked(',');
          out.put_unchecked(' ');
        }
        first = false;
        out.put_unchecked(members[m]);
      }
      out.put_unchecked(']');
      return;
    }
    case ir::Type::rate:
    case ir::Type::points:
      // As a fraction with up to six decimals: 80% -> 0.8.
      out.advance_to(write_money_exact(out.at(), value));
      return;
    case ir::Type::count:
    case ir::Type::domain:
    case ir::Type::duration:
    case ir::Type::brackets: {
      char* at = out.at();
      out.advance_to(std::to_chars(at, at + 24, value).ptr);
      return;
    }
  }
}

void Settler::write_result(Output& out) {
  // The layout JsonWriter would give (see write_bad_input and write_explain),
  // written from fragments escaped once per Settler.
  const ir::Program& p = *program_;
  const ResultText& text = *text_;
  // Straight into `out`: a line made elsewhere and appended was read back
  // just after its bytes were stored, which the core cannot forward.
  const bool has_id = p.schema.id_field >= 0 && request_->has(p.schema.id_field);
  const std::string_view id = has_id ? request_->text(p.schema.id_field) : std::string_view();
  ResultCursor c(out.text, out.used, text.arena.data());
  c.need(text.bound + json_string_bound(id.size()));
  c.put_unchecked(text.open_id);
  if (has_id)
    c.put_string(id);
  else
    c.put_unchecked(text.null_text);
  c.put_unchecked(text.policy);
  for (size_t i = 0; i < p.sections.size(); ++i) {
    const ir::Section& section = p.sections[i];
    const ResultText::Section& section_text = text.sections[i];
    const SectionOutcome& o = result_.sections[i];
    if (o.kind == SectionOutcome::Kind::absent) continue;
    if (o.kind == SectionOutcome::Kind::error) {
      c.put_unchecked(section_text.key);
      if (o.error.code == EvalErrorCode::unspecified && o.error.unspecified >= 0) {
        c.put_unchecked(text.unspecified_errors[static_cast<size_t>(o.error.unspecified)]);
      } else {
        json_.clear();
        write_error(o.error);
        c.put(json_.view());
        c.need(text.bound);  // room for the rest again
      }
      continue;
    }
    c.put_unchecked(section_text.open);
    bool first = true;
    if (o.kind == SectionOutcome::Kind::reason) {
      c.put_unchecked(text.reasons[static_cast<size_t>(o.reason_enum)][static_cast<size_t>(o.reason_code)]);
      first = false;
    } else if (section.always_reason) {
      c.put_unchecked(text.reason_null);
      first = false;
    }
    const std::size_t fields = section_text.fields.size();
    for (size_t f = 0; f < fields; ++f) {
      if (!o.written[f]) continue;
      const ResultText::Field& field = section_text.fields[f];
      c.put_unchecked(first ? field.first : field.later);
      first = false;
      put_value(c, field.type, o.values[f]);
    }
    c.put_unchecked('}');
  }
  if (options_.explain) {
    json_.clear();
    write_explain();
    c.put(std::string_view(", "));
    c.put(json_.view());
  }
  c.put('}');
  c.put('\n');
  c.finish();
}

Status settle_stream(const ir::Program& program, LineReader& lines, std::FILE* out, LedgerStore& ledgers,
                     SettleOptions options) {
  auto made = Settler::create(program, ledgers, options);
  if (!made) return Error{made.error()};
  Settler& settler = *made;
  auto reader = RequestReader::create(program.schema);
  if (!reader) return Error{"the policy's request schema is invalid: " + reader.error()};
  Settler::Slot ahead(std::move(*reader));
  // Each line is read into the slot that the line before it does not hold,
  // then the line before it is settled: results stay in order, one a line.
  Settler::Slot* const slots[2] = {&settler.slot_, &ahead};
  Settler::Slot* waiting = nullptr;  // read, not yet settled
  std::string room(1 << 20, '\0');
  Settler::Output buffer{room, 0};
  const auto flush = [&](std::size_t at_least) {
    if (buffer.used < at_least) return true;
    if (std::fwrite(room.data(), 1, buffer.used, out) != buffer.used) return false;
    buffer.used = 0;
    return true;
  };
  Line line;
  for (;;) {
    const LineStatus status = lines.next(line);
    if (status == LineStatus::end) break;
    if (status == LineStatus::error) return Error{lines.error()};
    Settler::Slot& slot = waiting == slots[0] ? *slots[1] : *slots[0];
    if (line.too_long)
      settler.stage_too_long(slot, line.number);
    else
      settler.stage(slot, line.text, line.number);
    if (waiting != nullptr) settler.settle_staged(*waiting, buffer);
    settler.fetch_ledger(slot);
    waiting = &slot;
    if (!flush((1 << 20) - 4096)) return Error{"cannot write the results"};
  }
  if (waiting != nullptr) settler.settle_staged(*waiting, buffer);
  if (!flush(1)) return Error{"cannot write the results"};
  if (std::fflush(out) != 0) return Error{"cannot write the results"};
  return Status::success();
}

}  // namespace yibao
