// request_reader_impl.h (internal): the state shared by the two decoders of
// RequestReader: the full one on simdjson On-Demand (request_reader.cpp),
// and the fast path for well-formed lines (request_fast_path.cpp).
//
// Why two: On-Demand walks a request line in about ten thousand
// instructions, most of them generic iteration; a request's grammar is
// tiny (one object, records one level down, scalars and arrays of
// strings), so a direct scan of the bytes decodes a well-formed line
// several times faster. The fast path only ever accepts; whenever it meets
// something it does not expect (an escape, an error, an unknown key) it
// gives up and the full decoder reads the line from the start, so every
// message and every unusual line goes through one authoritative path. A
// differential test runs both on mutated requests.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "key_table.h"
#include "yibao/request.h"
#include "yibao/request_reader.h"
#include "yibao/schema.h"

namespace yibao {
namespace detail {

// Top-level keys map to a field index (>= 0) or to a record, encoded below -1.
constexpr int record_code(int record) noexcept { return -2 - record; }
constexpr int record_of_code(int code) noexcept { return -2 - code; }

// The fast path's code for a field's key: its index and its type in one
// int, so that the type that chooses how to read the value arrives with
// the key's bucket, not two loads later (records keep record_code).
static_assert(static_cast<int>(FieldType::enum_set) < 8, "a field's type fits in three bits");
constexpr int fast_code(int field, FieldType type) noexcept { return field << 3 | static_cast<int>(type); }
constexpr int field_of_fast_code(int code) noexcept { return code >> 3; }
constexpr FieldType type_of_fast_code(int code) noexcept { return static_cast<FieldType>(code & 7); }

inline bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && is_json_space(s.back())) s.remove_suffix(1);
  return s;
}
inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_json_space(s.front())) s.remove_prefix(1);
  return trim_right(s);
}

inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// A plain JSON integer: -?(0|[1-9][0-9]*). Values beyond int64 come back as
// nullopt like any other refusal: the caller says what it expected.
inline std::optional<std::int64_t> parse_plain_integer(std::string_view s) noexcept {
  std::size_t i = s.size() > 0 && s[0] == '-' ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  if (s[i] == '0' && s.size() > i + 1) return std::nullopt;
  for (std::size_t k = i; k < s.size(); ++k) {
    if (!is_digit(s[k])) return std::nullopt;
  }
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Whether the raw JSON key starting at `raw` (just after its opening quote)
// is exactly `name`, which holds nothing JSON escapes. Word-sized compares
// instead of memcmp: names are short and this runs for every key. They may
// read up to name.size() + 1 bytes, past a shorter key by at most 48 bytes,
// which the input's padding allows; longer names are compared byte by
// byte, which stops at the key's closing quote at the latest (a name holds
// no quote).
inline bool raw_key_equals(const char* raw, std::string_view name) noexcept {
  const std::size_t n = name.size();
  if (n > 48) {
    for (std::size_t i = 0; i < n; ++i) {
      if (raw[i] != name[i]) return false;
    }
    return raw[n] == '"';
  }
  if (raw[n] != '"') return false;
  const char* want = name.data();
  if (n >= 8) {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&a, raw + i, 8);
      std::memcpy(&b, want + i, 8);
      if (a != b) return false;
    }
    std::memcpy(&a, raw + n - 8, 8);
    std::memcpy(&b, want + n - 8, 8);
    return a == b;
  }
  if (n >= 4) {
    std::uint32_t a = 0;
    std::uint32_t b = 0;
    std::uint32_t c = 0;
    std::uint32_t d = 0;
    std::memcpy(&a, raw, 4);
    std::memcpy(&b, want, 4);
    std::memcpy(&c, raw + n - 4, 4);
    std::memcpy(&d, want + n - 4, 4);
    return a == b && c == d;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (raw[i] != want[i]) return false;
  }
  return true;
}


}  // namespace detail

namespace od = simdjson::ondemand;
using detail::record_code;
using detail::record_of_code;

// The keys one JSON object may hold (the top level, or one record), and the
// order they came in on the last line.
struct ObjectKeys {
  detail::KeyTable table;  // key -> field index, or record_code(r) at the top level
  // predicted[k]: the table entry of the k-th key of the last line's object.
  // Producers write keys in a fixed order, so comparing the raw key with
  // the prediction usually settles a key without unescaping or hashing it.
  std::vector<int> predicted;
  // The same keys by their raw bytes, for the fast path, with fields'
  // values as fast_code; and those codes per table entry, for keys too long
  // for `raw`. (raw_codes[k] is raw.value(k). Reading raw.value on that
  // cold path instead changed g++'s register allocation of the whole scan:
  // 41 more instructions a line, cachegrind, so the copy stays.)
  detail::RawKeyTable raw;
  std::vector<int> raw_codes;
};

// What the fast path needs of a field, packed (its type comes with its key,
// in the fast_code).
struct FastField {
  bool required = false;
  int enum_index = -1;
  std::int64_t lo = 0, hi = 0;  // integer_range
};

// A default to apply to a field that has no value after decoding.
struct DefaultRule {
  int from = -1;           // field to copy, or -1 for `value`
  std::int64_t value = 0;  // the constant default
};

// The fields of one record (or of the top level) as bit masks over field
// indices, in the layout of Request::has_bits(), so that finishing a line
// checks and defaults 64 fields per instruction.
struct FieldGroup {
  std::vector<std::uint64_t> required;
  std::vector<std::uint64_t> constant_defaults;
  std::vector<std::uint64_t> copied_defaults;  // applied after the constants, which they may copy
};

struct RequestReader::Impl {
  Schema schema;
  RequestReaderOptions options;
  od::parser parser;

  ObjectKeys top;                        // top-level keys
  std::vector<ObjectKeys> record_keys;   // per record
  std::vector<detail::KeyTable> members;  // per enum: member -> index
  std::vector<detail::RawKeyTable> raw_members;  // the same, for the fast path
  std::vector<FastField> fast_fields;            // per field
  // Per record, plus one last entry for the top level (index records.size()).
  std::vector<FieldGroup> groups;
  std::vector<DefaultRule> default_rules;  // per field
  // Every group's defaults together: a record's defaults apply whether it is
  // present or not, and a copied default reads a field of its own record.
  FieldGroup all_defaults;
  // What every line starts from (begin_line): no field or record, except
  // the constant defaults, already applied. A given value overwrites its
  // default and null leaves it, as finish() applying it would; finish()
  // then only copies the copied defaults.
  Request blank;
  // For finish()'s quick check: the required fields of the top level and of
  // every mandatory record together, the mandatory records, and the
  // optional ones that have required fields (which count only when the
  // record is given).
  std::vector<std::uint64_t> always_required;
  std::vector<std::uint64_t> mandatory_records;  // record bits, as Request::record_bits
  std::vector<int> optional_records;             // those with required fields
  std::string id_key;                            // key of schema.id_field, empty if none

  // Per line.
  std::vector<std::uint64_t> seen_fields;  // keys met, with a value or null
  std::vector<std::uint64_t> seen_records;

  // Reused storage.
  std::string padded;      // copy of a line given without padding
  // The fast path's text values: a copy of the line that they view, or, for
  // a line read in place, copies of the values alone (so that they outlive
  // the caller's line buffer either way).
  std::string texts;
  std::size_t texts_used = 0;  // in place: bytes of `texts` holding values
  bool in_place = false;       // the fast path reads the caller's bytes (fast_decode)
  std::string error;       // the last message
  std::string id_storage;  // the recovered id after a failure
  simdjson::dom::parser id_parser;  // validates a refused line as a whole before its id is echoed
  std::optional<std::string_view> recovered_id;

  Impl(Schema s, RequestReaderOptions o);

  // Resets the per-line state and `out`.
  void begin_line(Request& out);
  // The fast path (request_fast_path.cpp): decodes a well-formed line in one
  // pass over its bytes. Returns false for anything unusual or wrong, and
  // then the line is decoded again by decode(), which has the last word.
  bool fast_decode(const char* data, std::size_t size, Request& out);
  // The fast path's reading of one value (request_fast_path.cpp).
  // The keys met on a line: fields 0..63 in registers (the rest in
  // seen_fields, their presence set as each is read).
  struct FastSeen {
    std::uint64_t keys = 0;   // given, with a value or null
    std::uint64_t nulls = 0;  // given as null
  };
  template <class Scanner>
  bool fast_value(Scanner& in, Request& out, int code, FastSeen& seen);
  // The full decoder (request_reader.cpp), on simdjson On-Demand: every
  // line the fast path declines, and every error message.
  bool decode(const char* data, std::size_t size, Request& out);

  // The table entry for the `position`-th key of an object, or -1 with
  // `key` set to the unknown key; false on a JSON error (message set).
  bool match_key(ObjectKeys& keys, std::size_t position, od::field& field, std::string_view context, int& entry,
                 std::string_view& key);
  bool decode_record(int record, od::value& value, Request& out);
  bool decode_field(int field, od::value& value, Request& out);
  bool decode_money(const FieldSpec& f, od::value& value, od::json_type type, std::int64_t& out_value);
  bool decode_enum_set(const FieldSpec& f, od::value& value, std::int64_t& out_value);
  // The content of a JSON string value; false on a JSON error (message set).
  bool string_content(const FieldSpec& f, od::value& value, std::string_view& text);
  // Checks required fields and records (false with a message) and applies
  // the copied defaults (the constant ones come with `blank`).
  bool finish(Request& out);
  // Whether every required field and record is there (no message).
  bool requirements_met(const Request& out) const noexcept;
  // False with the message for the first missing field or record, in
  // schema order (true when nothing is missing).
  bool report_missing(const Request& out);
  // False with a message when a required field of the group is missing.
  bool check_required(const FieldGroup& group, const Request& out);
  void recover_id(const char* data, std::size_t size);

  // Messages; each returns false so that callers can `return fail...`.
  bool fail(std::string_view path, std::string_view what);
  bool fail_json(std::string_view path, simdjson::error_code e);
  bool fail_unknown_key(std::string_view record, std::string_view key, const detail::KeyTable& known);
  // "<path>: expected <expectation>, got <value as written>"
  bool fail_expected(std::string_view path, std::string_view expectation, od::value& value, od::json_type type);
  bool fail_enum(const FieldSpec& f, od::value& value, od::json_type type, std::string_view text);
  void begin_message(std::string_view path);
  void append_seen(od::value& value, od::json_type type);

  static bool test(const std::vector<std::uint64_t>& bits, int i) noexcept {
    const auto u = static_cast<std::size_t>(i);
    return ((bits[u >> 6] >> (u & 63U)) & 1U) != 0;
  }
  // Every bit zero. Usually one word: a store, where std::fill is a call
  // to memset for any size (once per line, twice).
  static void clear_bits(std::vector<std::uint64_t>& bits) noexcept {
    if (bits.size() == 1) {
      bits[0] = 0;
    } else {
      std::fill(bits.begin(), bits.end(), 0);
    }
  }
  static void mark(std::vector<std::uint64_t>& bits, int i) noexcept {
    const auto u = static_cast<std::size_t>(i);
    bits[u >> 6] |= std::uint64_t{1} << (u & 63U);
  }
};

}  // namespace yibao
