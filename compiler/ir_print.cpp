// The IR printer: one line per declaration, expressions as nested calls.
#include "compiler/ir_print.h"

#include <fmt/format.h>

#include "yibao/date.h"
#include "yibao/money.h"

namespace yibao::compiler {
namespace {

std::string print_rate(std::int64_t ppm) {
  // 800000 -> 80%, 125000 -> 12.5%
  std::string s = fmt::format("{}", ppm / 10'000);
  std::int64_t frac = std::abs(ppm % 10'000);
  if (frac != 0) {
    std::string f = fmt::format("{:04}", frac);
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s;
}

const char* field_type_name(FieldType t) {
  switch (t) {
    case FieldType::text: return "text";
    case FieldType::boolean: return "bool";
    case FieldType::money: return "money";
    case FieldType::date: return "date";
    case FieldType::enumeration: return "enum";
    case FieldType::integer_range: return "range";
    case FieldType::enum_set: return "set";
  }
  return "?";
}

class Printer {
 public:
  explicit Printer(const ir::Program& p) : p_(p) {}

  std::string type(ir::TypeRef t) const {
    switch (t.kind) {
      case ir::Type::enumeration: return t.ref >= 0 ? p_.schema.enums[static_cast<size_t>(t.ref)].name : "enum";
      case ir::Type::enum_set:
        return "set of " + (t.ref >= 0 ? p_.schema.enums[static_cast<size_t>(t.ref)].name : std::string("?"));
      case ir::Type::domain: return t.ref >= 0 ? p_.domains[static_cast<size_t>(t.ref)].name : "domain";
      default: return ir::type_name(t.kind);
    }
  }

  std::string value(ir::TypeRef t, std::int64_t v) const {
    switch (t.kind) {
      case ir::Type::money: {
        char buf[kMoneyTextMax];
        return std::string(buf, write_money_exact(buf, v));
      }
      case ir::Type::rate: return print_rate(v) + "%";
      case ir::Type::points: return print_rate(v) + " points";
      case ir::Type::count:
      case ir::Type::domain: return fmt::format("{}", v);
      case ir::Type::boolean: return v ? "true" : "false";
      case ir::Type::date:
        return is_valid_date(static_cast<Date>(v)) ? to_iso_string(static_cast<Date>(v)) : fmt::format("date({})", v);
      case ir::Type::duration: {
        std::string s;
        if (ir::duration_months(v) != 0) s = fmt::format("{} months", ir::duration_months(v));
        if (ir::duration_days(v) != 0 || s.empty())
          s += (s.empty() ? "" : " + ") + fmt::format("{} days", ir::duration_days(v));
        return s;
      }
      case ir::Type::text:
        if (v >= 0 && static_cast<size_t>(v) < p_.strings.size()) return "\"" + p_.strings[static_cast<size_t>(v)] + "\"";
        return fmt::format("text(field {})", -(v + 1));
      case ir::Type::enumeration: return member(t.ref, v);
      case ir::Type::enum_set: {
        std::string s = "{";
        bool first = true;
        for (int m = 0; m < 64; ++m) {
          if (!((static_cast<std::uint64_t>(v) >> m) & 1U)) continue;
          s += (first ? "" : ", ") + member(t.ref, m);
          first = false;
        }
        return s + "}";
      }
      case ir::Type::brackets: return schedule(v);
    }
    return "?";
  }

  std::string member(std::int32_t e, std::int64_t m) const {
    if (e < 0) return fmt::format("#{}", m);
    const auto& members = p_.schema.enums[static_cast<size_t>(e)].members;
    return m >= 0 && static_cast<size_t>(m) < members.size() ? members[static_cast<size_t>(m)] : fmt::format("#{}", m);
  }

  std::string schedule(std::int64_t i) const {
    if (i < 0 || static_cast<size_t>(i) >= p_.schedules.size()) return fmt::format("brackets#{}", i);
    const ir::Schedule& s = p_.schedules[static_cast<size_t>(i)];
    std::string out = "[";
    for (std::uint32_t k = 0; k < s.count; ++k) {
      const ir::Segment& seg = p_.segments[s.first + k];
      char lo[kMoneyTextMax], hi[kMoneyTextMax];
      std::string lo_s(lo, write_money_exact(lo, seg.lo));
      out += k ? ", " : "";
      if (seg.hi == INT64_MAX)
        out += fmt::format("above {}: {}%", lo_s, print_rate(seg.rate));
      else
        out += fmt::format("{} to {}: {}%", lo_s, std::string(hi, write_money_exact(hi, seg.hi)), print_rate(seg.rate));
    }
    return out + "]";
  }

  std::string node(std::int32_t i) const {
    const ir::Node& n = p_.node(i);
    auto kid = [&](std::uint32_t k) { return node(static_cast<std::int32_t>(p_.kid(n, k))); };
    auto kids_from = [&](std::uint32_t from) {
      std::string s;
      for (std::uint32_t k = from; k < n.kid_count; ++k) s += (k > from ? ", " : "") + kid(k);
      return s;
    };
    switch (n.op) {
      case ir::Op::constant: return value(n.type, n.imm);
      case ir::Op::input: return p_.schema.fields[static_cast<size_t>(n.ref)].path;
      case ir::Op::input_present: return "present(" + p_.schema.fields[static_cast<size_t>(n.ref)].path + ")";
      case ir::Op::record_present: return "present(" + p_.schema.records[static_cast<size_t>(n.ref)].name + ")";
      case ir::Op::rule: return "@" + p_.rules[static_cast<size_t>(n.ref)].name;
      case ir::Op::param_ref: return "$" + p_.params[static_cast<size_t>(n.ref)].name;
      case ir::Op::ledger: {
        std::string s = "ledger " + p_.ledgers[static_cast<size_t>(n.ref)].name;
        return n.kid_count ? s + "[" + kid(0) + "]" : s;
      }
      case ir::Op::table: return p_.tables[static_cast<size_t>(n.ref)].name + "[" + kids_from(0) + "]";
      case ir::Op::unspecified: {
        const ir::Unspecified& u = p_.unspecifieds[static_cast<size_t>(n.ref)];
        return fmt::format("unspecified {} \"{}\"", u.name, u.words);
      }
      case ir::Op::switch_: {
        const ir::Switch& s = p_.switches[static_cast<size_t>(n.ref)];
        std::string out = "switch(" + kid(0) + ") {";
        for (size_t k = 0; k < s.arms.size(); ++k) {
          if (s.arms[k] < 0) continue;
          ir::TypeRef key_type = p_.node(static_cast<std::int32_t>(p_.kid(n, 0))).type;
          out += fmt::format(" {}: {};", value(key_type, s.lo + static_cast<std::int64_t>(k)),
                             kid(static_cast<std::uint32_t>(s.arms[k])));
        }
        return out + " }";
      }
      case ir::Op::highest: {
        std::string out = "highest(" + kid(0) + ") {";
        ir::TypeRef set_type = p_.node(static_cast<std::int32_t>(p_.kid(n, 0))).type;
        for (std::uint32_t k = 2; k < n.kid_count; ++k) out += fmt::format(" {}: {};", member(set_type.ref, k - 2), kid(k));
        return out + " else " + kid(1) + " }";
      }
      case ir::Op::adjust: {
        const ir::Adjust& a = p_.adjusts[static_cast<size_t>(n.ref)];
        std::string out = "adjust(" + kid(0) + ") {";
        for (const auto& line : a.lines)
          out += fmt::format(" {}{} when {};", line.is_override ? "override " : "", kid(line.value_kid), kid(line.cond_kid));
        return out + " }";
      }
      default: return fmt::format("{}({})", ir::op_name(n.op), kids_from(0));
    }
  }

  std::string loc(const ir::Loc& l) const {
    if (l.file < 0) return "";
    return fmt::format("  # {}:{}", p_.files[static_cast<size_t>(l.file)], l.line);
  }

  std::string program() const {
    std::string out;
    out += fmt::format("program {} \"{}\"\n  year {}\n  region \"{}\"\n  source \"{}\"\n", p_.policy_id, p_.title,
                       p_.year, p_.region, p_.source);
    out += "\nschema\n";
    for (const auto& e : p_.schema.enums) {
      out += "  enum " + e.name + " {";
      for (size_t m = 0; m < e.members.size(); ++m) out += (m ? ", " : " ") + e.members[m];
      out += " }\n";
    }
    for (const auto& d : p_.domains) out += fmt::format("  domain {} {}..{}\n", d.name, d.lo, d.hi);
    for (const auto& r : p_.schema.records) out += fmt::format("  record {}{}\n", r.name, r.optional ? "?" : "");
    for (const auto& f : p_.schema.fields) {
      std::string t = field_type_name(f.type);
      if (f.type == FieldType::enumeration || f.type == FieldType::enum_set) t += " " + p_.schema.enums[static_cast<size_t>(f.enum_index)].name;
      if (f.type == FieldType::integer_range) t += fmt::format(" {}..{}", f.range_lo, f.range_hi);
      std::string presence = f.presence == Presence::required ? "required"
                             : f.presence == Presence::optional ? "optional"
                             : f.default_from >= 0 ? "default " + p_.schema.fields[static_cast<size_t>(f.default_from)].path
                                                   : fmt::format("default {}", f.default_value);
      out += fmt::format("  field {}: {} {}\n", f.path, t, presence);
    }
    for (const auto& c : p_.checks)
      out += fmt::format("  check {} else {}: \"{}\"\n", node(c.cond), p_.schema.fields[static_cast<size_t>(c.field)].path, c.message);
    if (p_.ledger_key_field >= 0) out += "  ledger key " + p_.schema.fields[static_cast<size_t>(p_.ledger_key_field)].path + "\n";

    if (!p_.ledgers.empty()) out += fmt::format("\nledgers ({} slots)\n", p_.ledger_slots);
    for (const auto& l : p_.ledgers)
      out += fmt::format("  ledger {} slot {}{}{}\n", l.name, l.slot, l.keyed ? fmt::format(" by {}..{}", l.key_lo, l.key_hi) : "", loc(l.loc));

    if (!p_.params.empty()) out += "\nparams\n";
    for (const auto& prm : p_.params)
      out += fmt::format("  param {}: {} = {}{}\n", prm.name, type(prm.type),
                         prm.unspecified ? "unspecified" : value(prm.type, prm.value), loc(prm.loc));
    if (!p_.tables.empty()) out += "\ntables\n";
    for (const auto& t : p_.tables) {
      out += fmt::format("  table {}: {} by", t.name, type(t.value_type));
      for (size_t d = 0; d < t.dims.size(); ++d)
        out += fmt::format("{} {} {}..{}", d ? "," : "", type(t.dims[d].key_type), t.dims[d].lo, t.dims[d].hi);
      out += loc(t.loc) + "\n";
      for (size_t c = 0; c < t.cells.size(); ++c) {
        std::string key;
        size_t rest = c;
        for (size_t d = t.dims.size(); d-- > 0;) {
          const auto width = static_cast<size_t>(t.dims[d].hi - t.dims[d].lo + 1);
          key = value(t.dims[d].key_type, t.dims[d].lo + static_cast<std::int64_t>(rest % width)) + (key.empty() ? "" : ", ") + key;
          rest /= width;
        }
        const std::int32_t u = t.cell_unspecified[c];
        out += fmt::format("    [{}] = {}\n", key,
                           u >= 0 ? "unspecified \"" + p_.unspecifieds[static_cast<size_t>(u)].words + "\""
                                  : value(t.value_type, t.cells[c]));
      }
    }
    out += "\nrules\n";
    for (const auto& r : p_.rules)
      out += fmt::format("  {} {}: {} = {}{}\n", r.payout ? "payout" : "rule", r.name, type(r.type), node(r.root), loc(r.loc));
    for (const auto& s : p_.sections) {
      out += "\nsection " + s.name + (s.when >= 0 ? " when " + node(s.when) : "") + loc(s.loc) + "\n";
      for (const auto& r : s.reasons) out += fmt::format("  reason {} when {}\n", member(r.reason_enum, r.code), node(r.cond));
      for (const auto& f : s.fields) {
        out += fmt::format("  {} = {}", f.name, node(f.value));
        if (f.otherwise >= 0) out += " otherwise " + node(f.otherwise);
        if (f.when >= 0) out += " when " + node(f.when);
        out += "\n";
      }
      for (const auto& u : s.updates) {
        const auto& l = p_.ledgers[static_cast<size_t>(u.ledger)];
        out += fmt::format("  after: {}{} += {}{}\n", l.name, u.key >= 0 ? "[" + node(u.key) + "]" : "", node(u.amount),
                           u.when >= 0 ? " when " + node(u.when) : "");
      }
    }
    return out;
  }

 private:
  const ir::Program& p_;
};

}  // namespace

std::string print_program(const ir::Program& program) { return Printer(program).program(); }
std::string print_value(const ir::Program& program, ir::TypeRef type, std::int64_t value) {
  return Printer(program).value(type, value);
}
std::string print_node(const ir::Program& program, std::int32_t node) { return Printer(program).node(node); }

}  // namespace yibao::compiler
