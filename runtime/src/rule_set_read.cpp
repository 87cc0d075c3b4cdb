// Reads a rule-set file back into an ir::Program, trusting nothing: the
// header is checked field by field (magic, version, byte order, integer
// sizes, IR signature, length, checksum), every section is decoded within
// its own byte range with every count bounded by the bytes left, and the
// result must pass validate_program() (rule_set_validate.cpp).
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "rule_set_format.h"
#include "yibao/rule_set_file.h"

namespace yibao {

namespace {

using rule_set::Decoder;
using rule_set::SectionId;

std::string hex(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Minimum encoded sizes of list items (see rule_set_write.cpp), so that a
// count is refused before anything is allocated for it.
constexpr std::size_t kString = 4, kTypeRef = 5;

ir::TypeRef type_ref(Decoder& d) {
  ir::TypeRef t;
  t.kind = d.enumerated<ir::Type>(rule_set::kIrTypeCount, "type");
  t.ref = d.i32();
  return t;
}

template <class T, class F>
void list(Decoder& d, std::vector<T>& out, std::size_t min_item, const char* what, F&& item) {
  const std::size_t n = d.count(min_item, what);
  out.clear();
  out.reserve(n);
  for (std::size_t i = 0; i < n && d.ok(); ++i) {
    out.emplace_back();
    item(out.back());
  }
}

void identity(Decoder& d, ir::Program& p) {
  p.policy_id = d.string();
  p.title = d.string();
  p.region = d.string();
  p.source = d.string();
  p.year = d.i32();
}

void schema(Decoder& d, ir::Program& p) {
  Schema& s = p.schema;
  list(d, s.enums, 2 * kString, "enumerations", [&](EnumSpec& e) {
    e.name = d.string();
    list(d, e.members, kString, "enumeration members", [&](std::string& m) { m = d.string(); });
  });
  list(d, s.records, kString + 1, "records", [&](RecordSpec& r) {
    r.name = d.string();
    r.optional = d.boolean();
  });
  list(d, s.fields, kString + 42 - 4, "fields", [&](FieldSpec& f) {
    f.path = d.string();
    f.record = d.i32();
    f.type = d.enumerated<FieldType>(rule_set::kFieldTypeCount, "field type");
    f.enum_index = d.i32();
    f.range_lo = d.i64();
    f.range_hi = d.i64();
    f.presence = d.enumerated<Presence>(rule_set::kPresenceCount, "field presence");
    f.default_value = d.i64();
    f.default_from = d.i32();
  });
  s.id_field = d.i32();
  p.ledger_key_field = d.i32();
  list(d, p.domains, kString + 16, "domains", [&](ir::Domain& dom) {
    dom.name = d.string();
    dom.lo = d.i64();
    dom.hi = d.i64();
  });
}

void strings(Decoder& d, ir::Program& p) {
  list(d, p.strings, kString, "strings", [&](std::string& s) { s = d.string(); });
}

void nodes(Decoder& d, ir::Program& p) {
  const std::uint8_t ops = rule_set::ir_op_count();
  list(d, p.nodes, 1 + kTypeRef + 4 + 4 + 4 + 8, "nodes", [&](ir::Node& n) {
    n.op = d.enumerated<ir::Op>(ops, "op");
    n.type = type_ref(d);
    n.ref = d.i32();
    n.first_kid = d.u32();
    n.kid_count = d.u32();
    n.imm = d.i64();
  });
  list(d, p.kids, 4, "kids", [&](std::uint32_t& k) { k = d.u32(); });
}

void rules(Decoder& d, ir::Program& p) {
  list(d, p.rules, kString + kTypeRef + 4 + 1, "rules", [&](ir::Rule& r) {
    r.name = d.string();
    r.type = type_ref(d);
    r.root = d.i32();
    r.payout = d.boolean();
  });
}

void params(Decoder& d, ir::Program& p) {
  list(d, p.params, kString + kTypeRef + 1 + 4 + 8, "params", [&](ir::Param& prm) {
    prm.name = d.string();
    prm.type = type_ref(d);
    prm.unspecified = d.boolean();
    prm.unspecified_ref = d.i32();
    prm.value = d.i64();
  });
}

void unspecifieds(Decoder& d, ir::Program& p) {
  list(d, p.unspecifieds, 2 * kString, "unspecified values", [&](ir::Unspecified& u) {
    u.name = d.string();
    u.words = d.string();
  });
}

void tables(Decoder& d, ir::Program& p) {
  list(d, p.tables, kString + kTypeRef + 3 * 4, "tables", [&](ir::Table& t) {
    t.name = d.string();
    t.value_type = type_ref(d);
    list(d, t.dims, 16 + kTypeRef, "table dimensions", [&](ir::TableDim& dim) {
      dim.lo = d.i64();
      dim.hi = d.i64();
      dim.key_type = type_ref(d);
    });
    list(d, t.cells, 8, "table cells", [&](std::int64_t& c) { c = d.i64(); });
    list(d, t.cell_unspecified, 4, "table cell marks", [&](std::int32_t& u) { u = d.i32(); });
  });
}

void schedules(Decoder& d, ir::Program& p) {
  list(d, p.segments, 24, "bracket segments", [&](ir::Segment& s) {
    s.lo = d.i64();
    s.hi = d.i64();
    s.rate = d.i64();
  });
  list(d, p.schedules, 8, "bracket schedules", [&](ir::Schedule& s) {
    s.first = d.u32();
    s.count = d.u32();
  });
}

void switches(Decoder& d, ir::Program& p) {
  list(d, p.switches, 8 + 4, "switches", [&](ir::Switch& s) {
    s.lo = d.i64();
    list(d, s.arms, 4, "switch arms", [&](std::int32_t& a) { a = d.i32(); });
  });
}

void adjusts(Decoder& d, ir::Program& p) {
  list(d, p.adjusts, 4, "adjustments", [&](ir::Adjust& a) {
    list(d, a.lines, 9, "adjustment lines", [&](ir::AdjustLine& l) {
      l.is_override = d.boolean();
      l.cond_kid = d.u32();
      l.value_kid = d.u32();
    });
  });
}

void ledgers(Decoder& d, ir::Program& p) {
  p.ledger_slots = d.i32();
  list(d, p.ledgers, kString + 4 + 1 + 16 + kString, "ledgers", [&](ir::Ledger& l) {
    l.name = d.string();
    l.slot = d.i32();
    l.keyed = d.boolean();
    l.key_lo = d.i64();
    l.key_hi = d.i64();
    l.label = d.string();
  });
}

void sections(Decoder& d, ir::Program& p) {
  list(d, p.sections, kString + 4 + 1 + 3 * 4, "result sections", [&](ir::Section& s) {
    s.name = d.string();
    s.when = d.i32();
    s.always_reason = d.boolean();
    list(d, s.reasons, 16, "section reasons", [&](ir::SectionReason& r) {
      r.cond = d.i32();
      r.code = d.i64();
      r.reason_enum = d.i32();
    });
    list(d, s.fields, kString + 12 + kTypeRef, "section fields", [&](ir::SectionField& f) {
      f.name = d.string();
      f.value = d.i32();
      f.otherwise = d.i32();
      f.when = d.i32();
      f.type = type_ref(d);
    });
    list(d, s.updates, 16, "ledger updates", [&](ir::LedgerUpdate& u) {
      u.ledger = d.i32();
      u.key = d.i32();
      u.amount = d.i32();
      u.when = d.i32();
    });
  });
}

void checks(Decoder& d, ir::Program& p) {
  list(d, p.checks, 12 + kString, "request checks", [&](ir::Check& c) {
    c.cond = d.i32();
    c.record = d.i32();
    c.field = d.i32();
    c.message = d.string();
  });
}

// Files, then every Loc in rule_set::for_each_loc's order. Decoded after
// all other sections, since it fills their locations.
void lines(Decoder& d, ir::Program& p) {
  list(d, p.files, kString, "file names", [&](std::string& f) { f = d.string(); });
  std::size_t expected = 0;
  rule_set::for_each_loc(p, [&](ir::Loc&) { ++expected; });
  const std::size_t at = d.offset();
  const std::size_t n = d.count(8, "source locations");
  if (!d.ok()) return;
  if (n != expected) {
    d.fail_at(at, std::to_string(n) + " source locations for a program with " + std::to_string(expected));
    return;
  }
  rule_set::for_each_loc(p, [&](ir::Loc& l) {
    const std::size_t loc_at = d.offset();
    l.file = d.i32();
    l.line = d.i32();
    if (d.ok() && (l.file < -1 || l.file >= static_cast<std::int64_t>(p.files.size()) || l.line < 0))
      d.fail_at(loc_at, "source location " + std::to_string(l.file) + ":" + std::to_string(l.line) + " names no file");
  });
}

using SectionReader = void (*)(Decoder&, ir::Program&);
SectionReader reader_of(std::uint32_t id) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::identity: return identity;
    case SectionId::schema: return schema;
    case SectionId::strings: return strings;
    case SectionId::nodes: return nodes;
    case SectionId::rules: return rules;
    case SectionId::params: return params;
    case SectionId::unspecifieds: return unspecifieds;
    case SectionId::tables: return tables;
    case SectionId::schedules: return schedules;
    case SectionId::switches: return switches;
    case SectionId::adjusts: return adjusts;
    case SectionId::ledgers: return ledgers;
    case SectionId::sections: return sections;
    case SectionId::checks: return checks;
    case SectionId::lines: return lines;
  }
  return nullptr;
}

Error failure(const std::string& message) { return Error{"invalid rule set: " + message}; }

std::string magic_text() {
  std::string s;
  for (const std::uint8_t b : kRuleSetMagic) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%s%02x", s.empty() ? "" : " ", b);
    s += buf;
  }
  return s;
}

std::uint32_t byteswap32(std::uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xff00U) | ((v << 8) & 0xff0000U) | (v << 24);
}

template <class T>
T load(std::span<const std::uint8_t> bytes, std::size_t at) {
  T v;
  std::memcpy(&v, bytes.data() + at, sizeof(T));
  return v;
}

// The fixed header's checks, in the order that gives the most useful
// message: a file of another kind, version or machine is named as such
// before its length or checksum are looked at.
Status check_header(std::span<const std::uint8_t> bytes, std::uint32_t& flags, std::uint32_t& section_count) {
  const std::size_t magic_seen = std::min(bytes.size(), sizeof kRuleSetMagic);
  if (magic_seen > 0 && std::memcmp(bytes.data(), kRuleSetMagic, magic_seen) != 0)  // (data() may be null when empty)
    return failure("not a compiled yibao rule set: wrong magic number at byte 0 (expected " + magic_text() + ")");
  constexpr std::size_t kSmallest = rule_set::kHeaderSize + rule_set::kChecksumSize;
  if (bytes.size() < kSmallest)
    return failure("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the " +
                   std::to_string(kSmallest) + "-byte header and checksum");
  const auto version = load<std::uint32_t>(bytes, 8);
  const auto mark = load<std::uint32_t>(bytes, 12);
  if (mark != rule_set::kByteOrderMark && byteswap32(mark) == rule_set::kByteOrderMark) {
    const char* here = std::endian::native == std::endian::little ? "little" : "big";
    const char* there = std::endian::native == std::endian::little ? "big" : "little";
    return failure(std::string("written on a ") + there + "-endian machine (byte-order mark at byte 12), this is " +
                   here + "-endian: compile the policy on this architecture");
  }
  if (version != kRuleSetFormatVersion)
    return failure("format version " + std::to_string(version) + " at byte 8, this yibao reads version " +
                   std::to_string(kRuleSetFormatVersion) + ": compile the policy with this yibao");
  if (mark != rule_set::kByteOrderMark)
    return failure("byte-order mark " + hex(mark) + " at byte 12, expected " + hex(rule_set::kByteOrderMark));
  if (bytes[16] != sizeof(std::int32_t) || bytes[17] != sizeof(std::int64_t))
    return failure("written for another architecture: " + std::to_string(bytes[16]) + "- and " +
                   std::to_string(bytes[17]) + "-byte integers at byte 16, expected 4 and 8");
  const auto signature = load<std::uint32_t>(bytes, 20);
  if (bytes[18] != rule_set::ir_op_count() || bytes[19] != rule_set::kIrTypeCount || signature != rule_set::ir_signature())
    return failure("written for another IR (" + std::to_string(bytes[18]) + " ops, " + std::to_string(bytes[19]) +
                   " types, signature " + hex(signature) + " at byte 18; this yibao has " +
                   std::to_string(rule_set::ir_op_count()) + " ops, " + std::to_string(rule_set::kIrTypeCount) +
                   " types, " + hex(rule_set::ir_signature()) + "): compile the policy with this yibao");
  const auto file_size = load<std::uint64_t>(bytes, 32);
  if (file_size > bytes.size())
    return failure("truncated: the header (byte 32) says " + std::to_string(file_size) + " bytes, the file has " +
                   std::to_string(bytes.size()));
  if (file_size < bytes.size())
    return failure(std::to_string(bytes.size() - file_size) + " bytes after the end of the rule set at byte " +
                   std::to_string(file_size));
  const std::size_t body = bytes.size() - rule_set::kChecksumSize;
  const auto stored = load<std::uint32_t>(bytes, body);
  const std::uint32_t computed = rule_set::crc32c(bytes.first(body));
  if (stored != computed)
    return failure("checksum mismatch: byte " + std::to_string(body) + " stores " + hex(stored) + ", the bytes before it give " +
                   hex(computed) + " (the file is corrupted)");
  flags = load<std::uint32_t>(bytes, 24);
  if ((flags & ~rule_set::kFlagDebugInfo) != 0) return failure("unknown flags " + hex(flags) + " at byte 24");
  section_count = load<std::uint32_t>(bytes, 28);
  if (section_count > (body - rule_set::kHeaderSize) / rule_set::kSectionEntrySize)
    return failure(std::to_string(section_count) + " sections at byte 28 cannot fit in the file");
  return {};
}

}  // namespace

bool is_rule_set(std::span<const std::uint8_t> bytes) noexcept {
  return bytes.size() >= sizeof kRuleSetMagic && std::memcmp(bytes.data(), kRuleSetMagic, sizeof kRuleSetMagic) == 0;
}

bool is_rule_set_file(const std::string& path) noexcept {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return false;
  std::uint8_t head[sizeof kRuleSetMagic] = {};
  const std::size_t n = std::fread(head, 1, sizeof head, f.get());
  return is_rule_set({head, n});
}

Expected<ir::Program> read_rule_set(std::span<const std::uint8_t> bytes) {
  std::uint32_t flags = 0, section_count = 0;
  if (Status s = check_header(bytes, flags, section_count); !s.ok()) return Error{s.error()};

  // The section table: each known id once, each range inside the body.
  struct Entry {
    std::size_t offset = 0, size = 0;
    bool present = false;
  };
  Entry entries[rule_set::kLastSection + 1] = {};
  const std::size_t body_end = bytes.size() - rule_set::kChecksumSize;
  const std::size_t data_start = rule_set::kHeaderSize + section_count * rule_set::kSectionEntrySize;
  for (std::uint32_t i = 0; i < section_count; ++i) {
    const std::size_t at = rule_set::kHeaderSize + i * rule_set::kSectionEntrySize;
    const auto id = load<std::uint32_t>(bytes, at);
    const auto offset = load<std::uint64_t>(bytes, at + 8);
    const auto size = load<std::uint64_t>(bytes, at + 16);
    if (id < rule_set::kFirstSection || id > rule_set::kLastSection)
      return failure("unknown section id " + std::to_string(id) + " at byte " + std::to_string(at));
    if (entries[id].present)
      return failure("section " + std::string(rule_set::section_name(id)) + " twice (byte " + std::to_string(at) + ")");
    if (load<std::uint32_t>(bytes, at + 4) != 0) return failure("reserved field at byte " + std::to_string(at + 4) + " is not zero");
    if (offset < data_start || offset > body_end || size > body_end - offset)
      return failure("section " + std::string(rule_set::section_name(id)) + " (table entry at byte " + std::to_string(at) +
                     ") spans bytes " + std::to_string(offset) + "+" + std::to_string(size) + ", outside the file's " +
                     std::to_string(data_start) + ".." + std::to_string(body_end));
    entries[id] = Entry{static_cast<std::size_t>(offset), static_cast<std::size_t>(size), true};
  }
  const bool debug = (flags & rule_set::kFlagDebugInfo) != 0;
  for (std::uint32_t id = rule_set::kFirstSection; id <= rule_set::kLastSection; ++id) {
    const bool wanted = id != static_cast<std::uint32_t>(SectionId::lines) || debug;
    if (entries[id].present != wanted)
      return failure(std::string(wanted ? "no " : "unexpected ") + rule_set::section_name(id) + " section" +
                     (id == static_cast<std::uint32_t>(SectionId::lines) ? " for the debug-info flag" : ""));
  }

  // Sections in id order (`lines` last, as it fills the others' locations).
  ir::Program program;
  for (std::uint32_t id = rule_set::kFirstSection; id <= rule_set::kLastSection; ++id) {
    if (!entries[id].present) continue;
    Decoder d(bytes.subspan(entries[id].offset, entries[id].size), entries[id].offset, rule_set::section_name(id));
    reader_of(id)(d, program);
    if (d.ok() && !d.at_end()) d.fail(std::to_string(d.left()) + " unexpected bytes at the section's end");
    if (!d.ok()) return failure(d.error());
  }
  if (Status s = validate_program(program); !s.ok()) return failure(s.error());
  return program;
}

Expected<ir::Program> read_rule_set_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Error{"cannot open " + path + ": " + std::strerror(errno)};
  std::vector<std::uint8_t> bytes;
  std::uint8_t buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) bytes.insert(bytes.end(), buf, buf + n);
  if (std::ferror(f.get())) return Error{"cannot read " + path};
  auto program = read_rule_set(bytes);
  if (!program) return Error{path + ": " + program.error()};
  return program;
}

}  // namespace yibao
