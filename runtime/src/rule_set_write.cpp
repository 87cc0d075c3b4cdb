// Writes an ir::Program as a rule-set file (layout: rule_set_format.h and
// docs/rule-set-format.md). Every field is written explicitly, in a fixed
// order, so the same program always gives the same bytes; source locations
// go only into the optional `lines` section.
#include <functional>

#include "rule_set_format.h"
#include "yibao/rule_set_file.h"

namespace yibao {

namespace {

using rule_set::Encoder;
using rule_set::SectionId;

void type_ref(Encoder& e, ir::TypeRef t) {
  e.u8(static_cast<std::uint8_t>(t.kind));
  e.i32(t.ref);
}

void identity(Encoder& e, const ir::Program& p) {
  e.string(p.policy_id);
  e.string(p.title);
  e.string(p.region);
  e.string(p.source);
  e.i32(p.year);
}

void schema(Encoder& e, const ir::Program& p) {
  const Schema& s = p.schema;
  e.count(s.enums.size());
  for (const EnumSpec& en : s.enums) {
    e.string(en.name);
    e.count(en.members.size());
    for (const std::string& m : en.members) e.string(m);
  }
  e.count(s.records.size());
  for (const RecordSpec& r : s.records) {
    e.string(r.name);
    e.boolean(r.optional);
  }
  e.count(s.fields.size());
  for (const FieldSpec& f : s.fields) {
    e.string(f.path);
    e.i32(f.record);
    e.u8(static_cast<std::uint8_t>(f.type));
    e.i32(f.enum_index);
    e.i64(f.range_lo);
    e.i64(f.range_hi);
    e.u8(static_cast<std::uint8_t>(f.presence));
    e.i64(f.default_value);
    e.i32(f.default_from);
  }
  e.i32(s.id_field);
  e.i32(p.ledger_key_field);
  e.count(p.domains.size());
  for (const ir::Domain& d : p.domains) {
    e.string(d.name);
    e.i64(d.lo);
    e.i64(d.hi);
  }
}

void strings(Encoder& e, const ir::Program& p) {
  e.count(p.strings.size());
  for (const std::string& s : p.strings) e.string(s);
}

void nodes(Encoder& e, const ir::Program& p) {
  e.count(p.nodes.size());
  for (const ir::Node& n : p.nodes) {
    e.u8(static_cast<std::uint8_t>(n.op));
    type_ref(e, n.type);
    e.i32(n.ref);
    e.u32(n.first_kid);
    e.u32(n.kid_count);
    e.i64(n.imm);
  }
  e.count(p.kids.size());
  for (const std::uint32_t k : p.kids) e.u32(k);
}

void rules(Encoder& e, const ir::Program& p) {
  e.count(p.rules.size());
  for (const ir::Rule& r : p.rules) {
    e.string(r.name);
    type_ref(e, r.type);
    e.i32(r.root);
    e.boolean(r.payout);
  }
}

void params(Encoder& e, const ir::Program& p) {
  e.count(p.params.size());
  for (const ir::Param& prm : p.params) {
    e.string(prm.name);
    type_ref(e, prm.type);
    e.boolean(prm.unspecified);
    e.i32(prm.unspecified_ref);
    e.i64(prm.value);
  }
}

void unspecifieds(Encoder& e, const ir::Program& p) {
  e.count(p.unspecifieds.size());
  for (const ir::Unspecified& u : p.unspecifieds) {
    e.string(u.name);
    e.string(u.words);
  }
}

void tables(Encoder& e, const ir::Program& p) {
  e.count(p.tables.size());
  for (const ir::Table& t : p.tables) {
    e.string(t.name);
    type_ref(e, t.value_type);
    e.count(t.dims.size());
    for (const ir::TableDim& d : t.dims) {
      e.i64(d.lo);
      e.i64(d.hi);
      type_ref(e, d.key_type);
    }
    e.count(t.cells.size());
    for (const std::int64_t c : t.cells) e.i64(c);
    e.count(t.cell_unspecified.size());
    for (const std::int32_t u : t.cell_unspecified) e.i32(u);
  }
}

void schedules(Encoder& e, const ir::Program& p) {
  e.count(p.segments.size());
  for (const ir::Segment& s : p.segments) {
    e.i64(s.lo);
    e.i64(s.hi);
    e.i64(s.rate);
  }
  e.count(p.schedules.size());
  for (const ir::Schedule& s : p.schedules) {
    e.u32(s.first);
    e.u32(s.count);
  }
}

void switches(Encoder& e, const ir::Program& p) {
  e.count(p.switches.size());
  for (const ir::Switch& s : p.switches) {
    e.i64(s.lo);
    e.count(s.arms.size());
    for (const std::int32_t a : s.arms) e.i32(a);
  }
}

void adjusts(Encoder& e, const ir::Program& p) {
  e.count(p.adjusts.size());
  for (const ir::Adjust& a : p.adjusts) {
    e.count(a.lines.size());
    for (const ir::AdjustLine& l : a.lines) {
      e.boolean(l.is_override);
      e.u32(l.cond_kid);
      e.u32(l.value_kid);
    }
  }
}

void ledgers(Encoder& e, const ir::Program& p) {
  e.i32(p.ledger_slots);
  e.count(p.ledgers.size());
  for (const ir::Ledger& l : p.ledgers) {
    e.string(l.name);
    e.i32(l.slot);
    e.boolean(l.keyed);
    e.i64(l.key_lo);
    e.i64(l.key_hi);
    e.string(l.label);
  }
}

void sections(Encoder& e, const ir::Program& p) {
  e.count(p.sections.size());
  for (const ir::Section& s : p.sections) {
    e.string(s.name);
    e.i32(s.when);
    e.boolean(s.always_reason);
    e.count(s.reasons.size());
    for (const ir::SectionReason& r : s.reasons) {
      e.i32(r.cond);
      e.i64(r.code);
      e.i32(r.reason_enum);
    }
    e.count(s.fields.size());
    for (const ir::SectionField& f : s.fields) {
      e.string(f.name);
      e.i32(f.value);
      e.i32(f.otherwise);
      e.i32(f.when);
      type_ref(e, f.type);
    }
    e.count(s.updates.size());
    for (const ir::LedgerUpdate& u : s.updates) {
      e.i32(u.ledger);
      e.i32(u.key);
      e.i32(u.amount);
      e.i32(u.when);
    }
  }
}

void checks(Encoder& e, const ir::Program& p) {
  e.count(p.checks.size());
  for (const ir::Check& c : p.checks) {
    e.i32(c.cond);
    e.i32(c.record);
    e.i32(c.field);
    e.string(c.message);
  }
}

void lines(Encoder& e, const ir::Program& p) {
  e.count(p.files.size());
  for (const std::string& f : p.files) e.string(f);
  std::size_t count = 0;
  rule_set::for_each_loc(p, [&](const ir::Loc&) { ++count; });
  e.count(count);
  rule_set::for_each_loc(p, [&](const ir::Loc& l) {
    e.i32(l.file);
    e.i32(l.line);
  });
}

}  // namespace

std::vector<std::uint8_t> write_rule_set(const ir::Program& program, RuleSetWriteOptions options) {
  struct Part {
    SectionId id;
    void (*write)(Encoder&, const ir::Program&);
  };
  std::vector<Part> parts = {
      {SectionId::identity, identity},   {SectionId::schema, schema},     {SectionId::strings, strings},
      {SectionId::nodes, nodes},         {SectionId::rules, rules},       {SectionId::params, params},
      {SectionId::unspecifieds, unspecifieds}, {SectionId::tables, tables}, {SectionId::schedules, schedules},
      {SectionId::switches, switches},   {SectionId::adjusts, adjusts},   {SectionId::ledgers, ledgers},
      {SectionId::sections, sections},   {SectionId::checks, checks},
  };
  if (options.debug_info) parts.push_back({SectionId::lines, lines});

  Encoder e;
  for (const std::uint8_t b : kRuleSetMagic) e.u8(b);
  e.u32(kRuleSetFormatVersion);
  e.u32(rule_set::kByteOrderMark);
  e.u8(sizeof(std::int32_t));
  e.u8(sizeof(std::int64_t));
  e.u8(rule_set::ir_op_count());
  e.u8(rule_set::kIrTypeCount);
  e.u32(rule_set::ir_signature());
  e.u32(options.debug_info ? rule_set::kFlagDebugInfo : 0);
  e.count(parts.size());
  const std::size_t file_size_at = e.size();
  e.u64(0);  // patched below
  const std::size_t table_at = e.size();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    e.u32(static_cast<std::uint32_t>(parts[i].id));
    e.u32(0);
    e.u64(0);  // offset, patched
    e.u64(0);  // size, patched
  }
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::size_t start = e.size();
    parts[i].write(e, program);
    const std::size_t entry = table_at + i * rule_set::kSectionEntrySize;
    e.patch<std::uint64_t>(entry + 8, start);
    e.patch<std::uint64_t>(entry + 16, e.size() - start);
  }
  e.patch<std::uint64_t>(file_size_at, e.size() + rule_set::kChecksumSize);
  e.u32(rule_set::crc32c(e.bytes()));
  return std::move(e.bytes());
}

}  // namespace yibao
