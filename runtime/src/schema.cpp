// schema.cpp: lookups in a Schema and the checks a schema must pass before a
// reader trusts it.
#include "yibao/schema.h"

#include <string>
#include <unordered_set>

#include "yibao/date.h"
#include "yibao/values.h"

namespace yibao {
namespace {

Error problem(std::string_view where, std::string_view what) {
  std::string message = "schema: ";
  message.append(where);
  message.append(": ");
  message.append(what);
  return Error{std::move(message)};
}

// A name as it may appear as a JSON key or enum string: non-empty, without
// `.` (the path separator), and without anything JSON would escape, so the
// reader can compare it with the raw bytes of the input.
bool is_name(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c == '.' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

// Whether `v` is a value that a field of this spec can hold.
bool valid_value(const Schema& schema, const FieldSpec& f, std::int64_t v) {
  switch (f.type) {
    case FieldType::text: return false;  // a text default has no storage to point into
    case FieldType::boolean: return v == 0 || v == 1;
    case FieldType::money: return v >= 0 && v < kMoneyInputLimit;
    case FieldType::date: return v >= kMinDate && v <= kMaxDate;
    case FieldType::enumeration:
      return v >= 0 && static_cast<std::size_t>(v) < schema.enums[static_cast<std::size_t>(f.enum_index)].members.size();
    case FieldType::integer_range: return v >= f.range_lo && v <= f.range_hi;
    case FieldType::enum_set: {
      const std::size_t n = schema.enums[static_cast<std::size_t>(f.enum_index)].members.size();
      return n >= 64 || (static_cast<std::uint64_t>(v) >> n) == 0;
    }
  }
  return false;
}

}  // namespace

int Schema::find_field(std::string_view path) const noexcept {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].path == path) return static_cast<int>(i);
  }
  return -1;
}

int Schema::find_record(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Schema::find_enum(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < enums.size(); ++i) {
    if (enums[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Schema::find_member(int enum_index, std::string_view member) const noexcept {
  if (enum_index < 0 || static_cast<std::size_t>(enum_index) >= enums.size()) return -1;
  const auto& members = enums[static_cast<std::size_t>(enum_index)].members;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (members[i] == member) return static_cast<int>(i);
  }
  return -1;
}

Status Schema::validate() const {
  for (const EnumSpec& e : enums) {
    if (e.name.empty()) return problem("enum", "has no name");
    if (e.members.empty()) return problem(e.name, "enum has no members");
    std::unordered_set<std::string_view> seen;
    for (const std::string& m : e.members) {
      if (!is_name(m)) return problem(e.name, "member `" + m + "` is not a plain name");
      if (!seen.insert(m).second) return problem(e.name, "member `" + m + "` is listed twice");
    }
  }
  std::unordered_set<std::string_view> top_names;
  for (const RecordSpec& r : records) {
    if (!is_name(r.name)) return problem("record `" + r.name + "`", "a record name must be a plain name: non-empty, without `.`, quotes, backslashes or control characters");
    if (!top_names.insert(r.name).second) return problem(r.name, "record is declared twice");
  }
  std::unordered_set<std::string_view> paths;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const FieldSpec& f = fields[i];
    if (!paths.insert(f.path).second) return problem(f.path, "field is declared twice");
    if (f.record < -1 || f.record >= static_cast<int>(records.size())) return problem(f.path, "record index out of range");
    if (f.record < 0) {
      if (!is_name(f.path)) return problem(f.path, "a top-level field name must be a plain name: non-empty, without `.`, quotes, backslashes or control characters");
      if (!top_names.insert(f.path).second) return problem(f.path, "top-level field has the name of a record");
    } else {
      const std::string& record = records[static_cast<std::size_t>(f.record)].name;
      const std::string_view path(f.path);
      if (path.size() <= record.size() + 1 || path.substr(0, record.size()) != record || path[record.size()] != '.' ||
          !is_name(path.substr(record.size() + 1))) {
        return problem(f.path, "path must be `" + record + ".key` for a field of record `" + record + "`");
      }
    }
    if (f.type == FieldType::enumeration || f.type == FieldType::enum_set) {
      if (f.enum_index < 0 || f.enum_index >= static_cast<int>(enums.size())) return problem(f.path, "enum index out of range");
      if (f.type == FieldType::enum_set && enums[static_cast<std::size_t>(f.enum_index)].members.size() > kMaxEnumSetMembers) {
        return problem(f.path, "a set of an enum with more than 64 members");
      }
    }
    if (f.type == FieldType::integer_range && f.range_lo > f.range_hi) return problem(f.path, "range has lo above hi");
    if (f.presence != Presence::defaulted) {
      if (f.default_from != -1) return problem(f.path, "default_from on a field that is not defaulted");
      continue;
    }
    if (f.default_from == -1) {
      if (!valid_value(*this, f, f.default_value)) return problem(f.path, "default value is not a value of the field");
      continue;
    }
    if (f.default_from < 0 || f.default_from >= static_cast<int>(fields.size()) || f.default_from == static_cast<int>(i)) {
      return problem(f.path, "default_from index out of range");
    }
    const FieldSpec& source = fields[static_cast<std::size_t>(f.default_from)];
    if (source.record != f.record) return problem(f.path, "default_from names a field of another record");
    if (source.type != f.type || source.enum_index != f.enum_index || source.range_lo != f.range_lo ||
        source.range_hi != f.range_hi) {
      return problem(f.path, "default_from names a field of another type");
    }
    if (source.default_from != -1) return problem(f.path, "default_from names a field that is itself defaulted from another");
  }
  if (id_field != -1) {
    if (id_field < 0 || id_field >= static_cast<int>(fields.size())) return problem("id_field", "index out of range");
    const FieldSpec& id = fields[static_cast<std::size_t>(id_field)];
    if (id.record != -1 || id.type != FieldType::text) return problem(id.path, "the id field must be a top-level text field");
  }
  return Status::success();
}

}  // namespace yibao
