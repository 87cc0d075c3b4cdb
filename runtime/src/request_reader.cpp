// request_reader.cpp: the full request decoder on simdjson On-Demand (every
// line the fast path declines, every error message, the id recovery), the
// tables built from the schema, and RequestReader's interface.
#include "yibao/request_reader.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "excerpt.h"
#include "request_reader_impl.h"
#include "yibao/line_reader.h"
#include "yibao/nearest.h"
#include "yibao/values.h"

namespace yibao {

static_assert(kReadPadding >= simdjson::SIMDJSON_PADDING, "lines must carry the padding simdjson reads");

using detail::parse_plain_integer;
using detail::raw_key_equals;
using detail::trim_right;

namespace {

void append_int(std::string& out, std::int64_t v) {
  char buffer[24];
  out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr);
}

// "an enum" / "a kind": the article for an enum's name in messages.
void append_with_article(std::string& out, std::string_view noun) {
  const char c = noun.empty() ? 'x' : noun[0];
  out.append(c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ? "an " : "a ");
  out.append(noun);
}

// What a whole number field expects: "1", "1 or 2", "1, 2 or 3", or for
// longer ranges "a whole number from 0 to 150".
void append_range_expectation(std::string& out, std::int64_t lo, std::int64_t hi) {
  constexpr Int128 kSpellOut = 6;
  if (static_cast<Int128>(hi) - lo + 1 > kSpellOut) {
    out.append("a whole number from ");
    append_int(out, lo);
    out.append(" to ");
    append_int(out, hi);
    return;
  }
  for (std::int64_t v = lo; v <= hi; ++v) {
    if (v != lo) out.append(v == hi ? " or " : ", ");
    append_int(out, v);
  }
}

std::string_view describe_json_error(simdjson::error_code e) noexcept {
  switch (e) {
    case simdjson::UTF8_ERROR: return "not valid UTF-8";
    case simdjson::UNCLOSED_STRING: return "not valid JSON: a string is not closed";
    case simdjson::STRING_ERROR: return "not valid JSON: a string has a bad escape";
    case simdjson::UNESCAPED_CHARS: return "not valid JSON: a control character inside a string";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "not valid JSON: a word that is not true, false or null";
    case simdjson::NUMBER_ERROR: return "not valid JSON: a malformed number";
    case simdjson::DEPTH_ERROR: return "nested too deeply";
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC: return "too large to read";
    case simdjson::EMPTY: return "empty";
    default: return "not valid JSON";
  }
}

}  // namespace

RequestReader::Impl::Impl(Schema s, RequestReaderOptions o)
    : schema(std::move(s)), options(o), parser(o.max_request_bytes) {
  const std::size_t records = schema.records.size();
  std::vector<std::pair<std::string, int>> top_entries;
  std::vector<std::vector<std::pair<std::string, int>>> record_entries(records);
  const std::size_t words = (schema.fields.size() + 63) / 64;
  groups.assign(records + 1, FieldGroup{std::vector<std::uint64_t>(words, 0), std::vector<std::uint64_t>(words, 0),
                                        std::vector<std::uint64_t>(words, 0)});
  default_rules.resize(schema.fields.size());
  // Top-level fields first, then records: the order only matters for
  // listing known names in messages.
  for (std::size_t i = 0; i < schema.fields.size(); ++i) {
    const FieldSpec& f = schema.fields[i];
    const auto field = static_cast<int>(i);
    FieldGroup& group = groups[f.record < 0 ? records : static_cast<std::size_t>(f.record)];
    if (f.record < 0) {
      top_entries.emplace_back(f.path, field);
    } else {
      record_entries[static_cast<std::size_t>(f.record)].emplace_back(std::string(f.key()), field);
    }
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    if (f.presence == Presence::required) group.required[i / 64] |= bit;
    if (f.presence == Presence::defaulted) {
      (f.default_from < 0 ? group.constant_defaults : group.copied_defaults)[i / 64] |= bit;
      default_rules[i] = DefaultRule{f.default_from, f.default_value};
    }
  }
  all_defaults = FieldGroup{std::vector<std::uint64_t>(words, 0), std::vector<std::uint64_t>(words, 0),
                            std::vector<std::uint64_t>(words, 0)};
  for (const FieldGroup& group : groups) {
    for (std::size_t w = 0; w < words; ++w) {
      all_defaults.constant_defaults[w] |= group.constant_defaults[w];
      all_defaults.copied_defaults[w] |= group.copied_defaults[w];
    }
  }
  blank = Request(schema);
  for (std::size_t w = 0; w < words; ++w) {
    for (std::uint64_t todo = all_defaults.constant_defaults[w]; todo != 0; todo &= todo - 1) {
      const auto field = static_cast<int>(w * 64 + static_cast<unsigned>(__builtin_ctzll(todo)));
      blank.set(field, default_rules[static_cast<std::size_t>(field)].value, false);
    }
  }
  // What a line must give, gathered for finish()'s one-pass check.
  always_required = groups[records].required;
  mandatory_records.assign(blank.record_bits().size(), 0);
  for (std::size_t r = 0; r < records; ++r) {
    const std::vector<std::uint64_t>& required = groups[r].required;
    if (schema.records[r].optional) {
      if (std::any_of(required.begin(), required.end(), [](std::uint64_t w) { return w != 0; }))
        optional_records.push_back(static_cast<int>(r));
      continue;
    }
    mandatory_records[r / 64] |= std::uint64_t{1} << (r % 64);
    for (std::size_t w = 0; w < words; ++w) always_required[w] |= required[w];
  }
  for (std::size_t r = 0; r < records; ++r) top_entries.emplace_back(schema.records[r].name, record_code(static_cast<int>(r)));
  const auto make_keys = [this](std::vector<std::pair<std::string, int>> entries) {
    ObjectKeys keys;
    keys.table = detail::KeyTable(std::move(entries));
    keys.predicted.assign(keys.table.size(), -1);
    const auto recode = [this](int value) {
      return value >= 0 ? detail::fast_code(value, schema.fields[static_cast<std::size_t>(value)].type) : value;
    };
    keys.raw = detail::RawKeyTable(keys.table, recode);
    for (std::size_t k = 0; k < keys.table.size(); ++k) keys.raw_codes.push_back(recode(keys.table.value(static_cast<int>(k))));
    return keys;
  };
  top = make_keys(std::move(top_entries));
  for (auto& entries : record_entries) record_keys.push_back(make_keys(std::move(entries)));
  for (const EnumSpec& e : schema.enums) {
    std::vector<std::pair<std::string, int>> entries;
    for (std::size_t m = 0; m < e.members.size(); ++m) entries.emplace_back(e.members[m], static_cast<int>(m));
    members.emplace_back(std::move(entries));
    raw_members.emplace_back(members.back());
  }
  for (const FieldSpec& f : schema.fields) {
    fast_fields.push_back(FastField{f.presence == Presence::required, f.enum_index, f.range_lo, f.range_hi});
  }
  if (schema.id_field >= 0) id_key = schema.fields[static_cast<std::size_t>(schema.id_field)].path;
  seen_fields.assign((schema.fields.size() + 63) / 64, 0);
  seen_records.assign((records + 63) / 64, 0);
}

// ---- messages --------------------------------------------------------------

void RequestReader::Impl::begin_message(std::string_view path) {
  error.clear();
  if (!path.empty()) {
    error.append(path);
    error.append(": ");
  }
}

bool RequestReader::Impl::fail(std::string_view path, std::string_view what) {
  begin_message(path);
  error.append(what);
  return false;
}

bool RequestReader::Impl::fail_json(std::string_view path, simdjson::error_code e) {
  return fail(path, describe_json_error(e));
}

bool RequestReader::Impl::fail_unknown_key(std::string_view record, std::string_view key,
                                           const detail::KeyTable& known) {
  error.clear();
  if (!record.empty()) {
    error.append(record);
    error.push_back('.');
  }
  detail::append_excerpt(error, key);
  error.append(": unknown field");
  if (const auto hint = nearest(key, known.names())) {
    error.append(" (did you mean ");
    if (!record.empty()) {
      error.append(record);
      error.push_back('.');
    }
    error.append(*hint);
    error.append("?)");
    return false;
  }
  error.append(" (known: ");
  bool first = true;
  for (const std::string& name : known.names()) {
    if (!first) error.append(", ");
    first = false;
    error.append(name);
  }
  error.append(")");
  return false;
}

void RequestReader::Impl::append_seen(od::value& value, od::json_type type) {
  switch (type) {
    case od::json_type::object: error.append("an object"); return;
    case od::json_type::array: error.append("an array"); return;
    default: detail::append_excerpt(error, trim_right(value.raw_json_token())); return;
  }
}

bool RequestReader::Impl::fail_expected(std::string_view path, std::string_view expectation, od::value& value,
                                        od::json_type type) {
  begin_message(path);
  error.append("expected ");
  error.append(expectation);
  error.append(", got ");
  append_seen(value, type);
  return false;
}

// "<path>: expected a kind (one of ...), got ..." or, when a member is
// close to what was written, "expected a kind, got "inpatien" (did you mean
// "inpatient"?)". `text` is the string written, if the value was one.
bool RequestReader::Impl::fail_enum(const FieldSpec& f, od::value& value, od::json_type type, std::string_view text) {
  const EnumSpec& e = schema.enums[static_cast<std::size_t>(f.enum_index)];
  const detail::KeyTable& table = members[static_cast<std::size_t>(f.enum_index)];
  const bool is_string = type == od::json_type::string;
  const auto hint = is_string ? nearest(text, table.names()) : std::nullopt;
  begin_message(f.path);
  error.append("expected ");
  append_with_article(error, e.name);
  if (!hint) {
    error.append(" (one of ");
    for (std::size_t i = 0; i < e.members.size(); ++i) {
      if (i > 0) error.append(", ");
      error.append(e.members[i]);
    }
    error.append(")");
  }
  error.append(", got ");
  if (is_string) {
    error.push_back('"');
    detail::append_excerpt(error, text);
    error.push_back('"');
  } else {
    append_seen(value, type);
  }
  if (hint) {
    error.append(" (did you mean \"");
    error.append(*hint);
    error.append("\"?)");
  }
  return false;
}

// ---- decoding --------------------------------------------------------------

void RequestReader::Impl::begin_line(Request& out) {
  out.reset_to(blank);
  clear_bits(seen_fields);
  clear_bits(seen_records);
  recovered_id.reset();
}

namespace {

// Whether a document typed `type` (not an object) is one whole valid value
// of that type, nothing after it (the root getters check that; arrays are taken as typed: any array,
// however deep or broken, is answered "got an array"). `line` is the whole
// line: null is checked on it, not by simdjson's root is_null, which looks
// one byte too far after `null` and white space, into the padding (so that
// "null " was null or not depending on what followed the line).
bool whole_scalar(od::document& doc, od::json_type type, std::string_view line) {
  bool valid = false;
  switch (type) {
    case od::json_type::array:
      return true;  // an array is never a request, however it goes on
    case od::json_type::string: {
      std::string_view s;
      valid = doc.get_string().get(s) == simdjson::SUCCESS;
      break;
    }
    case od::json_type::number: {
      od::number n;
      valid = doc.get_number().get(n) == simdjson::SUCCESS;
      break;
    }
    case od::json_type::boolean: {
      bool b = false;
      valid = doc.get_bool().get(b) == simdjson::SUCCESS;
      break;
    }
    default: {
      valid = detail::trim(line) == "null";
      break;
    }
  }
  return valid;  // the root getters refuse trailing content themselves
}

}  // namespace

bool RequestReader::Impl::decode(const char* data, std::size_t size, Request& out) {
  begin_line(out);
  if (size > options.max_request_bytes) {
    begin_message("");
    error.append("request is longer than ");
    append_int(error, static_cast<std::int64_t>(options.max_request_bytes));
    error.append(" bytes");
    return false;
  }
  od::document doc;
  if (auto e = parser.iterate(data, size, size + simdjson::SIMDJSON_PADDING).get(doc)) return fail_json("", e);
  od::json_type type{};
  if (auto e = doc.type().get(type)) return fail_json("", e);
  if (type != od::json_type::object) {
    // On-Demand types a document by its first byte: `nope` would be null and
    // `trash` a boolean. A line that is no JSON value at all says so.
    if (!whole_scalar(doc, type, std::string_view(data, size))) {
      begin_message("");
      error.append("not valid JSON");
      return false;
    }
    begin_message("");
    error.append("expected a JSON object, got ");
    switch (type) {
      case od::json_type::array: error.append("an array"); break;
      case od::json_type::string: error.append("a string"); break;
      case od::json_type::number: error.append("a number"); break;
      case od::json_type::boolean: error.append("a boolean"); break;
      default: error.append("null"); break;
    }
    return false;
  }
  od::object object;
  if (auto e = doc.get_object().get(object)) return fail_json("", e);
  std::size_t position = 0;
  for (auto item : object) {
    // A reference into `item`: copying the field out costs a store-forwarding stall per key.
    if (auto e = item.error()) return fail_json("", e);
    od::field&& field = std::move(item).value_unsafe();
    int entry = -1;
    std::string_view key;
    if (!match_key(top, position++, field, "", entry, key)) return false;
    if (entry < 0) return fail_unknown_key("", key, top.table);
    const int code = top.table.value(entry);
    if (code >= 0) {
      if (!decode_field(code, field.value(), out)) return false;
    } else {
      if (!decode_record(record_of_code(code), field.value(), out)) return false;
    }
  }
  // On-Demand stops at the object's closing brace; anything after it (a
  // second object on the same line) would otherwise go unnoticed.
  if (!doc.current_location().error()) return fail("", "not valid JSON: more text after the object");
  return finish(out);
}

bool RequestReader::Impl::match_key(ObjectKeys& keys, std::size_t position, od::field& field, std::string_view context,
                                    int& entry, std::string_view& key) {
  // Fast path: the key the last line had here, compared with the raw bytes
  // (schema names hold nothing JSON escapes, so equal raw bytes mean equal
  // keys, and a key written with escapes simply takes the slow path).
  const int guess = position < keys.predicted.size() ? keys.predicted[position] : -1;
  if (guess >= 0 && raw_key_equals(field.key().raw(), keys.table.name(guess))) {
    entry = guess;
    return true;
  }
  if (auto e = field.unescaped_key().get(key)) return fail_json(context, e);
  entry = keys.table.find_entry(key);
  if (entry >= 0 && position < keys.predicted.size()) keys.predicted[position] = entry;
  return true;
}

bool RequestReader::Impl::decode_record(int record, od::value& value, Request& out) {
  const RecordSpec& spec = schema.records[static_cast<std::size_t>(record)];
  if (test(seen_records, record)) return fail(spec.name, "given twice");
  mark(seen_records, record);
  od::json_type type{};
  if (auto e = value.type().get(type)) return fail_json(spec.name, e);
  if (type == od::json_type::null) {
    bool is_null = false;
    if (auto e = value.is_null().get(is_null)) return fail_json(spec.name, e);
    if (!is_null) return fail_json(spec.name, simdjson::N_ATOM_ERROR);
    if (!spec.optional) return fail(spec.name, "required but null");
    return true;  // absent
  }
  if (type != od::json_type::object) return fail_expected(spec.name, "an object", value, type);
  od::object object;
  if (auto e = value.get_object().get(object)) return fail_json(spec.name, e);
  out.set_record_present(record);
  ObjectKeys& keys = record_keys[static_cast<std::size_t>(record)];
  std::size_t position = 0;
  for (auto item : object) {
    if (auto e = item.error()) return fail_json(spec.name, e);
    od::field&& field = std::move(item).value_unsafe();
    int entry = -1;
    std::string_view key;
    if (!match_key(keys, position++, field, spec.name, entry, key)) return false;
    if (entry < 0) return fail_unknown_key(spec.name, key, keys.table);
    if (!decode_field(keys.table.value(entry), field.value(), out)) return false;
  }
  return true;
}

bool RequestReader::Impl::string_content(const FieldSpec& f, od::value& value, std::string_view& text) {
  // Fast path: a string without escapes is its raw bytes between the quotes
  // (stage 1 has already checked the UTF-8 and control characters), so it
  // needs no copy. Anything with a backslash is unescaped by simdjson.
  const std::string_view token = value.raw_json_token();
  if (!token.empty() && token[0] == '"') {
    // One pass for the closing quote or a backslash; values are short.
    for (std::size_t i = 1; i < token.size(); ++i) {
      const char c = token[i];
      if (c == '"') {
        text = token.substr(1, i - 1);
        return true;
      }
      if (c == '\\') break;
    }
  }
  if (auto e = value.get_string().get(text)) return fail_json(f.path, e);
  return true;
}

bool RequestReader::Impl::decode_field(int field, od::value& value, Request& out) {
  const FieldSpec& f = schema.fields[static_cast<std::size_t>(field)];
  if (test(seen_fields, field)) return fail(f.path, "given twice");
  mark(seen_fields, field);
  od::json_type type{};
  if (auto e = value.type().get(type)) return fail_json(f.path, e);
  if (type == od::json_type::null) {
    bool is_null = false;
    if (auto e = value.is_null().get(is_null)) return fail_json(f.path, e);
    if (!is_null) return fail_json(f.path, simdjson::N_ATOM_ERROR);
    if (f.presence == Presence::required) return fail(f.path, "required but null");
    return true;  // absent: finish() applies the default
  }

  switch (f.type) {
    case FieldType::text: {
      if (type != od::json_type::string) return fail_expected(f.path, "a string", value, type);
      // Unescaped by simdjson into the parser's own storage, so that the
      // view stays valid while the caller's line buffer moves on.
      std::string_view text;
      if (auto e = value.get_string().get(text)) return fail_json(f.path, e);
      out.set_text(field, text);
      return true;
    }
    case FieldType::boolean: {
      if (type != od::json_type::boolean) return fail_expected(f.path, "true or false", value, type);
      bool b = false;
      if (auto e = value.get_bool().get(b)) return fail_json(f.path, e);
      out.set(field, slot_from_bool(b));
      return true;
    }
    case FieldType::money: {
      std::int64_t micros = 0;
      if (!decode_money(f, value, type, micros)) return false;
      out.set(field, micros);
      return true;
    }
    case FieldType::date: {
      if (type != od::json_type::string) return fail_expected(f.path, "a date YYYY-MM-DD", value, type);
      std::string_view text;
      if (!string_content(f, value, text)) return false;
      const DateParse parsed = parse_iso_date_text(text);
      if (parsed.error == DateTextError::none) {
        out.set(field, parsed.value);
        return true;
      }
      begin_message(f.path);
      error.append("expected a date YYYY-MM-DD, got \"");
      detail::append_excerpt(error, text);
      error.append(parsed.error == DateTextError::no_such_day ? "\" (no such day)" : "\"");
      return false;
    }
    case FieldType::enumeration: {
      std::string_view text;
      if (type == od::json_type::string) {
        if (!string_content(f, value, text)) return false;
        const int m = members[static_cast<std::size_t>(f.enum_index)].find(text);
        if (m >= 0) {
          out.set(field, m);
          return true;
        }
      }
      return fail_enum(f, value, type, text);
    }
    case FieldType::integer_range: {
      if (type == od::json_type::number) {
        const auto v = parse_plain_integer(trim_right(value.raw_json_token()));
        if (v && *v >= f.range_lo && *v <= f.range_hi) {
          out.set(field, *v);
          return true;
        }
      }
      begin_message(f.path);
      error.append("expected ");
      append_range_expectation(error, f.range_lo, f.range_hi);
      error.append(", got ");
      append_seen(value, type);
      return false;
    }
    case FieldType::enum_set: {
      if (type != od::json_type::array) {
        std::string expectation = "a list of ";
        expectation.append(schema.enums[static_cast<std::size_t>(f.enum_index)].name);
        return fail_expected(f.path, expectation, value, type);
      }
      std::int64_t set = 0;
      if (!decode_enum_set(f, value, set)) return false;
      out.set(field, set);
      return true;
    }
  }
  return fail(f.path, "field of an unknown type");
}

bool RequestReader::Impl::decode_money(const FieldSpec& f, od::value& value, od::json_type type,
                                       std::int64_t& out_value) {
  std::string_view written;
  if (type == od::json_type::number) {
    // The token as written: simdjson would turn 1.500 into 1.5.
    written = trim_right(value.raw_json_token());
  } else if (type == od::json_type::string) {
    if (!string_content(f, value, written)) return false;
  } else {
    return fail_expected(f.path, money_text_expectation(MoneyTextError::not_a_number), value, type);
  }
  const MoneyParse parsed = parse_money_text(written);
  if (parsed.error == MoneyTextError::none) {
    out_value = parsed.value;
    return true;
  }
  begin_message(f.path);
  error.append("expected ");
  error.append(money_text_expectation(parsed.error));
  error.append(", got ");
  if (type == od::json_type::string) error.push_back('"');
  detail::append_excerpt(error, written);
  if (type == od::json_type::string) error.push_back('"');
  return false;
}

bool RequestReader::Impl::decode_enum_set(const FieldSpec& f, od::value& value, std::int64_t& out_value) {
  const detail::KeyTable& table = members[static_cast<std::size_t>(f.enum_index)];
  od::array array;
  if (auto err = value.get_array().get(array)) return fail_json(f.path, err);
  EnumSet set = 0;
  for (auto item : array) {
    if (auto err = item.error()) return fail_json(f.path, err);
    od::value&& element = std::move(item).value_unsafe();
    od::json_type type{};
    if (auto err = element.type().get(type)) return fail_json(f.path, err);
    std::string_view text;
    if (type == od::json_type::string) {
      if (!string_content(f, element, text)) return false;
      const int m = table.find(text);
      if (m >= 0) {
        set |= enum_set_of(m);  // a member listed twice counts once
        continue;
      }
    }
    return fail_enum(f, element, type, text);
  }
  out_value = slot_from_set(set);
  return true;
}

bool RequestReader::Impl::check_required(const FieldGroup& group, const Request& out) {
  const std::span<const std::uint64_t> has = out.has_bits();
  for (std::size_t w = 0; w < has.size(); ++w) {
    if (const std::uint64_t missing = group.required[w] & ~has[w]; missing != 0) {
      // The lowest index is the first required field in schema order.
      const std::size_t field = w * 64 + static_cast<unsigned>(__builtin_ctzll(missing));
      return fail(schema.fields[field].path, "required but missing");
    }
  }
  return true;
}

bool RequestReader::Impl::requirements_met(const Request& out) const noexcept {
  const std::span<const std::uint64_t> has = out.has_bits();
  std::uint64_t missing = 0;
  for (std::size_t w = 0; w < has.size(); ++w) missing |= always_required[w] & ~has[w];
  const std::span<const std::uint64_t> records = out.record_bits();
  for (std::size_t w = 0; w < records.size(); ++w) missing |= mandatory_records[w] & ~records[w];
  for (const int r : optional_records) {
    if (!out.has_record(r)) continue;
    const std::vector<std::uint64_t>& required = groups[static_cast<std::size_t>(r)].required;
    for (std::size_t w = 0; w < has.size(); ++w) missing |= required[w] & ~has[w];
  }
  return missing == 0;
}

bool RequestReader::Impl::report_missing(const Request& out) {
  // Required fields and records in schema order: the top level, then each
  // record (an absent optional record requires nothing), so that the
  // message names the first one missing.
  const std::size_t records = schema.records.size();
  if (!check_required(groups[records], out)) return false;
  for (std::size_t r = 0; r < records; ++r) {
    if (!out.has_record(static_cast<int>(r))) {
      if (!schema.records[r].optional) return fail(schema.records[r].name, "required but missing");
      continue;
    }
    if (!check_required(groups[r], out)) return false;
  }
  return true;
}

bool RequestReader::Impl::finish(Request& out) {
  // Nearly every line gives what it must: one pass over the masks settles
  // that, and only a line that does not is walked again for its message.
  // Defaults never fill a required field, so they can come after.
  if (!requirements_met(out) && !report_missing(out)) return false;
  // The constant defaults came with the blank the line started from
  // (begin_line); the copies, which may copy them, are made here.
  const std::span<const std::uint64_t> has = out.has_bits();
  for (std::size_t w = 0; w < has.size(); ++w) {
    for (std::uint64_t todo = all_defaults.copied_defaults[w] & ~has[w]; todo != 0; todo &= todo - 1) {
      const auto field = static_cast<int>(w * 64 + static_cast<unsigned>(__builtin_ctzll(todo)));
      const int from = default_rules[static_cast<std::size_t>(field)].from;
      if (out.has(from)) out.set(field, out.value(from), false);
    }
  }
  return true;
}

void RequestReader::Impl::recover_id(const char* data, std::size_t size) {
  // The id is echoed only from a line that is valid JSON as a whole, whose
  // top-level object gives `id` exactly once, as a string: a line that is not
  // JSON has no trustworthy id, and two ids are no id (interchange.md:
  // "ID-or-null"; docs/interchange-notes.md).
  if (id_key.empty() || size > options.max_request_bytes) return;
  simdjson::dom::element doc;
  if (id_parser.parse(data, size, false).get(doc)) return;
  simdjson::dom::object object;
  if (doc.get_object().get(object)) return;
  int count = 0;
  std::string_view text;
  bool is_string = false;
  for (auto field : object) {
    if (field.key != id_key) continue;
    ++count;
    is_string = field.value.get_string().get(text) == simdjson::SUCCESS;
  }
  if (count != 1 || !is_string) return;
  id_storage.assign(text);
  recovered_id = id_storage;
}

// ---- public interface ------------------------------------------------------

Expected<RequestReader> RequestReader::create(Schema schema, RequestReaderOptions options) {
  if (Status valid = schema.validate(); !valid) return Error{valid.error()};
  return RequestReader(std::make_unique<Impl>(std::move(schema), options));
}

RequestReader::RequestReader(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
RequestReader::RequestReader(RequestReader&&) noexcept = default;
RequestReader& RequestReader::operator=(RequestReader&&) noexcept = default;
RequestReader::~RequestReader() = default;

const Schema& RequestReader::schema() const noexcept { return impl_->schema; }

bool RequestReader::read_padded(std::string_view line, Request& out) {
  if (impl_->options.fast_path && impl_->fast_decode(line.data(), line.size(), out)) return true;
  if (impl_->decode(line.data(), line.size(), out)) return true;
  impl_->recover_id(line.data(), line.size());
  return false;
}

bool RequestReader::read(std::string_view line, Request& out) {
  // An overlong line is refused on its size alone, before any byte is read,
  // so it needs no padded copy.
  if (line.size() > impl_->options.max_request_bytes) return read_padded(line, out);
  std::string& padded = impl_->padded;
  padded.assign(line);
  padded.append(kReadPadding, ' ');
  return read_padded(std::string_view(padded.data(), line.size()), out);
}

std::string_view RequestReader::error() const noexcept { return impl_->error; }

std::optional<std::string_view> RequestReader::id() const noexcept { return impl_->recovered_id; }

}  // namespace yibao
