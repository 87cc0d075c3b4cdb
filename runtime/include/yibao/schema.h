// schema.h: the shape of a request, as data: enums, records and fields.
//
// The compiler produces a Schema from the standard library's yibao source
// (std.resident declares `person`, `enrollment`, `claim` and their fields);
// the request reader and the embedding API are generic over it, so nothing
// medical is hard-coded in the runtime. Requests nest one level: top-level
// fields (like `id`) and records (objects) of fields.
//
// Each field owns one int64 slot in a Request (see request.h), in the order
// of Schema::fields; the interpreter addresses request values by that index.
//
// Thread safety: a Schema is a plain value; const use is safe from any
// number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "yibao/expected.h"

namespace yibao {

enum class FieldType : std::uint8_t { text, boolean, money, date, enumeration, integer_range, enum_set };

struct EnumSpec {
  std::string name;                  // e.g. "kind"; used in messages ("expected a kind")
  std::vector<std::string> members;  // member index = value
};

struct RecordSpec {
  std::string name;  // e.g. "person" (required), "enrollment" (optional), "claim" (optional)
  bool optional;
};

enum class Presence : std::uint8_t { required, optional, defaulted };

struct FieldSpec {
  std::string path;  // full path, e.g. "claim.hospital_level" or "id"
  int record = -1;   // index into Schema::records, -1 for a top-level field like "id"
  FieldType type;
  int enum_index = -1;                  // enumeration / enum_set
  std::int64_t range_lo = 0, range_hi = 0;  // integer_range, inclusive (e.g. 1..3)
  Presence presence;
  std::int64_t default_value = 0;  // for defaulted: the slot value (bool 0/1, money micros, enum index, set bitmask, integer)
  int default_from = -1;           // defaulted from another field of the same record (claim.compliant defaults to claim.total)

  // The key inside its record: "hospital_level" for "claim.hospital_level",
  // the whole path for a top-level field.
  std::string_view key() const noexcept {
    const auto dot = path.find('.');
    return record < 0 || dot == std::string::npos ? std::string_view(path) : std::string_view(path).substr(dot + 1);
  }
};

struct Schema {
  std::vector<EnumSpec> enums;
  std::vector<RecordSpec> records;
  std::vector<FieldSpec> fields;
  int id_field = -1;  // the top-level text field echoed in results ("id"), or -1

  // Index of the field with this full path, or -1. Linear: for set-up code,
  // not for the hot path.
  int find_field(std::string_view path) const noexcept;
  int find_record(std::string_view name) const noexcept;
  int find_enum(std::string_view name) const noexcept;
  // Index of `member` in enum `enum_index`, or -1.
  int find_member(int enum_index, std::string_view member) const noexcept;

  // Checks what the reader relies on, since a schema arrives as data (from
  // a compiled file): indices in range; paths "record.key" matching their
  // record, unique, with non-empty keys; enum sets of at most 64 members;
  // ranges with lo <= hi; defaults that are valid values of their field;
  // default_from naming a non-defaulted-from field of the same record and
  // type; id_field naming a top-level text field. Returns the first problem.
  Status validate() const;
};

}  // namespace yibao
