// The IR: a checked, flattened policy (stdlib, parents and uses merged) as
// plain data. The compiler produces it (compiler/lower.h); the interpreter,
// the printer, the serializer and the JIT consume it. Nothing here knows the
// front end: the runtime links without lang/ and compiler/.
//
// Shape: one pool of expression nodes (a DAG: rules are shared by reference,
// not copied), rules that are memoized per request, result sections, ledger
// updates after a section, and the request schema. All cross references are
// indices, so the whole program is trivially serializable and immutable once
// built; it is safe to share across threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "yibao/schema.h"

namespace yibao::ir {

enum class Op : uint8_t {
#define X(name, arity, doc) name,
#include "yibao/ir_ops.def"
#undef X
};
const char* op_name(Op op);
int op_arity(Op op);  // -1 for variable arity

// Static types. `ref` on a TypeRef names the enumeration or domain.
enum class Type : uint8_t {
  money, rate, points, count, boolean, date, duration, text,
  enumeration, domain, enum_set, brackets,
};
const char* type_name(Type t);

struct TypeRef {
  Type kind = Type::money;
  int32_t ref = -1;  // Schema::enums index for enumeration/enum_set; Program::domains for domain
  bool operator==(const TypeRef&) const = default;
};

// Durations are packed: high 32 bits months, low 32 bits days (both >= 0).
// `date + d` adds the months first (clamped to the month's end), then the days.
constexpr int64_t make_duration(int32_t months, int32_t days) {
  return (static_cast<int64_t>(months) << 32) | static_cast<uint32_t>(days);
}
constexpr int32_t duration_months(int64_t d) { return static_cast<int32_t>(d >> 32); }
constexpr int32_t duration_days(int64_t d) { return static_cast<int32_t>(d & 0xffffffff); }

// Text handles: >= 0 indexes Program::strings; < 0 is request text field -(h + 1).
constexpr int64_t text_of_field(int field) { return -(static_cast<int64_t>(field) + 1); }

// A source location for explain traces and runtime messages: `path:line`.
struct Loc {
  int32_t file = -1;  // Program::files index; -1 = none
  int32_t line = 0;
};

struct Node {
  Op op = Op::constant;
  TypeRef type;
  int32_t ref = -1;        // table / rule / field / ... index, per op
  uint32_t first_kid = 0;  // into Program::kids
  uint32_t kid_count = 0;
  int64_t imm = 0;         // constant payload
  Loc loc;
};

struct Rule {
  std::string name;   // qualified where it came from another module: `national.fiscal_subsidy`
  TypeRef type;
  int32_t root = -1;  // node
  bool payout = false;  // root is round_cents(...)
  Loc loc;
};

// A parameter referenced by name at run time (scalars are usually folded
// into constants; params stay addressable for explain, diff and docs).
struct Param {
  std::string name;
  TypeRef type;
  bool unspecified = false;
  int32_t unspecified_ref = -1;  // Program::unspecifieds
  int64_t value = 0;
  Loc loc;
};

struct Unspecified {
  std::string name;   // the declaration (or explicit) name, e.g. `inpatient_rate`
  std::string words;  // the source's words
  Loc loc;
};

// A table: keys are domains (integer ranges) or enumerations (0..n-1).
struct TableDim {
  int64_t lo = 0, hi = 0;  // inclusive key range covered
  TypeRef key_type;
};
struct Table {
  std::string name;
  TypeRef value_type;
  std::vector<TableDim> dims;   // 1 or 2
  std::vector<int64_t> cells;   // row-major over dims
  std::vector<int32_t> cell_unspecified;  // parallel to cells: -1 or Program::unspecifieds index
  Loc loc;
};

// A bracket schedule: ascending contiguous segments from 0.
struct Segment {
  int64_t lo = 0;
  int64_t hi = INT64_MAX;  // INT64_MAX = open ("above lo")
  int64_t rate = 0;        // ppm
};
struct Schedule {
  uint32_t first = 0, count = 0;  // into Program::segments
};

struct Switch {
  int64_t lo = 0;             // smallest key
  std::vector<int32_t> arms;  // key - lo -> kid index (>= 1), or -1
};

struct AdjustLine {
  bool is_override = false;
  uint32_t cond_kid = 0;   // kid index in the adjust node
  uint32_t value_kid = 0;  // rate (override) or points (additive)
};
struct Adjust {
  std::vector<AdjustLine> lines;  // overrides first, each group in source order
};

struct Domain {
  std::string name;
  int64_t lo = 0, hi = 0;
};

struct Ledger {
  std::string name;
  int32_t slot = 0;        // first slot in the person-year's ledger entry
  bool keyed = false;
  int64_t key_lo = 0, key_hi = 0;  // keyed: slots slot .. slot + (hi - lo)
  std::string label;
  Loc loc;
};

struct SectionReason {
  int32_t cond = -1;   // node (bool)
  int64_t code = 0;    // enum member index of `reason_enum`
  int32_t reason_enum = -1;
  Loc loc;
};
struct SectionField {
  std::string name;
  int32_t value = -1;      // node
  int32_t otherwise = -1;  // node or -1
  int32_t when = -1;       // node or -1
  TypeRef type;
  Loc loc;
};
struct LedgerUpdate {
  int32_t ledger = -1;   // Program::ledgers
  int32_t key = -1;      // node or -1
  int32_t amount = -1;   // node (money)
  int32_t when = -1;     // node or -1
  Loc loc;
};
struct Section {
  std::string name;
  int32_t when = -1;  // node or -1: the section is answered only when it holds
  std::vector<SectionReason> reasons;
  std::vector<SectionField> fields;
  bool always_reason = false;  // some field has `otherwise`: write reason (null when none)
  std::vector<LedgerUpdate> updates;  // applied when the section completes without reason or error
  Loc loc;
};

// A request check: when `cond` is false the request is bad_input:
// "line N: <field path>: <message>".
struct Check {
  int32_t cond = -1;
  int32_t record = -1;  // the check applies only when this record is present (-1: always)
  int32_t field = -1;   // Schema field named in the message
  std::string message;
  Loc loc;
};

struct Program {
  std::string policy_id;  // `liaoyuan-2023`
  std::string title, region, source;
  int32_t year = 0;

  Schema schema;
  int32_t ledger_key_field = -1;  // Schema field (text)
  std::vector<Domain> domains;

  std::vector<Node> nodes;
  std::vector<uint32_t> kids;  // child node indices, referenced by Node::first_kid
  std::vector<Rule> rules;
  std::vector<Param> params;
  std::vector<Table> tables;
  std::vector<Segment> segments;
  std::vector<Schedule> schedules;  // a brackets constant's payload is its index here
  std::vector<Switch> switches;
  std::vector<Adjust> adjusts;
  std::vector<Unspecified> unspecifieds;
  std::vector<std::string> strings;
  std::vector<Ledger> ledgers;
  int32_t ledger_slots = 0;  // slots per person-year entry
  std::vector<Section> sections;
  std::vector<Check> checks;
  std::vector<std::string> files;  // paths for Loc

  const Node& node(int32_t i) const { return nodes[static_cast<size_t>(i)]; }
  uint32_t kid(const Node& n, uint32_t i) const { return kids[n.first_kid + i]; }
};

}  // namespace yibao::ir
