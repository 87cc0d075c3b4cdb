// The semantic diff: each part of the two programs matched by name, then
// compared as printed text (values by print_value, expressions by
// print_expression), so that the comparison and what is shown agree.
#include "compiler/diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "compiler/compile.h"
#include "compiler/diff_expr.h"
#include "compiler/ir_print.h"
#include "compiler/modules.h"

namespace yibao::compiler {

const char* diff_group_name(DiffGroup group) {
  switch (group) {
    case DiffGroup::policy: return "policy";
    case DiffGroup::params: return "params";
    case DiffGroup::brackets: return "brackets";
    case DiffGroup::tables: return "tables";
    case DiffGroup::rules: return "rules";
    case DiffGroup::sections: return "sections";
    case DiffGroup::ledgers: return "ledgers";
    case DiffGroup::schema: return "schema";
    case DiffGroup::checks: return "checks";
    case DiffGroup::unspecified: return "unspecified";
  }
  return "?";
}

const char* change_kind_name(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::changed: return "changed";
  }
  return "?";
}

namespace {

PolicyLabels collect_labels(const ModuleSet& modules) {
  PolicyLabels labels;
  for (const LoadedModule& m : modules.modules) {
    if (!m.ast) continue;
    for (const auto& item : m.ast->items) {
      if (const auto* e = ast::dyn_cast<ast::Enum>(item.get())) {
        if (e->label) labels.enums[e->name.text] = e->label->value;
        for (const auto& member : e->members)
          if (member.label) labels.members[e->name.text][member.name.text] = member.label->value;
      } else if (const auto* d = ast::dyn_cast<ast::Domain>(item.get())) {
        if (d->label) labels.domains[d->name.text] = d->label->value;
      } else if (const auto* l = ast::dyn_cast<ast::Ledger>(item.get())) {
        if (l->label) labels.ledgers[l->name.text] = l->label->value;
      }
    }
  }
  return labels;
}

// Indices of named things, by name.
template <class T>
std::unordered_map<std::string, size_t> by_name(const std::vector<T>& items) {
  std::unordered_map<std::string, size_t> out;
  for (size_t i = 0; i < items.size(); ++i) out.emplace(items[i].name, i);
  return out;
}

// Declarations in source order (file, then line): the IR's own order is
// its evaluation layout, which reads badly.
template <class T>
std::vector<std::reference_wrapper<const T>> in_source_order(const std::vector<T>& items) {
  std::vector<std::reference_wrapper<const T>> out(items.begin(), items.end());
  std::stable_sort(out.begin(), out.end(), [](const T& x, const T& y) {
    return std::tie(x.loc.file, x.loc.line) < std::tie(y.loc.file, y.loc.line);
  });
  return out;
}

// The diff of one pair of programs.
class Differ {
 public:
  Differ(const DiffSide& before, const DiffSide& after) : a_(before), b_(after) {}

  PolicyDiff run() {
    policy_header();
    params();
    tables();
    rules();
    sections();
    ledgers();
    schema();
    checks();
    unspecified();
    PolicyDiff out;
    out.old_policy = a_.program.policy_id;
    out.new_policy = b_.program.policy_id;
    out.old_path = a_.path;
    out.new_path = b_.path;
    for (auto& group : groups_) {
      for (auto& c : group.changed) out.changes.push_back(std::move(c));
      for (auto& c : group.removed) out.changes.push_back(std::move(c));
    }
    return out;
  }

 private:
  struct Collected {
    std::vector<Change> changed;  // changed and added, in the new program's order
    std::vector<Change> removed;
  };

  static std::string at(const ir::Program& p, const ir::Loc& loc) {
    if (loc.file < 0 || static_cast<size_t>(loc.file) >= p.files.size()) return "";
    return fmt::format("{}:{}", p.files[static_cast<size_t>(loc.file)], loc.line);
  }
  ChangeSide side_a(std::string text, const ir::Loc& loc) const { return {std::move(text), at(a_.program, loc)}; }
  ChangeSide side_b(std::string text, const ir::Loc& loc) const { return {std::move(text), at(b_.program, loc)}; }

  void add(Change c) {
    auto& group = groups_[static_cast<size_t>(c.group)];
    (c.kind == ChangeKind::removed ? group.removed : group.changed).push_back(std::move(c));
  }
  void added(DiffGroup g, std::string name, std::string label, std::string aspect, ChangeSide after, bool expr = false) {
    add(Change{g, ChangeKind::added, std::move(name), std::move(label), std::move(aspect), std::nullopt, std::move(after), expr});
  }
  void removed(DiffGroup g, std::string name, std::string label, std::string aspect, ChangeSide before, bool expr = false) {
    add(Change{g, ChangeKind::removed, std::move(name), std::move(label), std::move(aspect), std::move(before), std::nullopt, expr});
  }
  void changed(DiffGroup g, std::string name, std::string label, std::string aspect, ChangeSide before, ChangeSide after,
               bool expr = false) {
    add(Change{g, ChangeKind::changed, std::move(name), std::move(label), std::move(aspect), std::move(before), std::move(after), expr});
  }
  // Compares two texts; records a change when they differ.
  void compare(DiffGroup g, const std::string& name, const std::string& label, const std::string& aspect,
               ChangeSide before, ChangeSide after, bool expr = false) {
    if (before.text != after.text) changed(g, name, label, aspect, std::move(before), std::move(after), expr);
  }

  static std::string type_text(const ir::Program& p, ir::TypeRef t) {
    switch (t.kind) {
      case ir::Type::enumeration: return t.ref >= 0 ? p.schema.enums[static_cast<size_t>(t.ref)].name : "enum";
      case ir::Type::enum_set: return "set of " + (t.ref >= 0 ? p.schema.enums[static_cast<size_t>(t.ref)].name : std::string("?"));
      case ir::Type::domain: return t.ref >= 0 ? p.domains[static_cast<size_t>(t.ref)].name : "domain";
      default: return ir::type_name(t.kind);
    }
  }

  // ------------------------------------------------------------ header

  void policy_header() {
    const ir::Program& a = a_.program;
    const ir::Program& b = b_.program;
    compare(DiffGroup::policy, "title", "", "value", {a.title, ""}, {b.title, ""});
    compare(DiffGroup::policy, "year", "", "value", {std::to_string(a.year), ""}, {std::to_string(b.year), ""});
    compare(DiffGroup::policy, "region", "", "value", {a.region, ""}, {b.region, ""});
    compare(DiffGroup::policy, "source", "", "value", {a.source, ""}, {b.source, ""});
  }

  // ------------------------------------------------------------ values

  // A parameter's value as text: the value, or `unspecified "words"`.
  static std::string param_text(const ir::Program& p, const ir::Param& prm) {
    if (!prm.unspecified) return print_value(p, prm.type, prm.value);
    if (prm.unspecified_ref < 0) return "unspecified";
    return "unspecified \"" + p.unspecifieds[static_cast<size_t>(prm.unspecified_ref)].words + "\"";
  }

  // `specified` when a value the old program left unspecified is given now,
  // `unspecified` for the reverse, else `fallback`.
  static std::string specified_aspect(bool was_unspecified, bool is_unspecified, const char* fallback) {
    if (was_unspecified && !is_unspecified) return "specified";
    if (!was_unspecified && is_unspecified) return "unspecified";
    return was_unspecified ? "words" : fallback;
  }

  void params() {
    const ir::Program& a = a_.program;
    const ir::Program& b = b_.program;
    const auto old_index = by_name(a.params);
    const auto new_index = by_name(b.params);
    for (const ir::Param& np : in_source_order(b.params)) {
      const auto it = old_index.find(np.name);
      const bool brackets = np.type.kind == ir::Type::brackets && !np.unspecified;
      if (it == old_index.end()) {
        added(brackets ? DiffGroup::brackets : DiffGroup::params, np.name, "", "value", side_b(param_text(b, np), np.loc));
        continue;
      }
      const ir::Param& op = a.params[it->second];
      const std::string old_type = type_text(a, op.type), new_type = type_text(b, np.type);
      if (old_type != new_type) {
        changed(DiffGroup::params, np.name, "", "type", side_a(old_type + " = " + param_text(a, op), op.loc),
                side_b(new_type + " = " + param_text(b, np), np.loc));
        continue;
      }
      if (brackets && !op.unspecified) {
        schedules(np.name, "", op.value, op.loc, np.value, np.loc);
        continue;
      }
      compare(DiffGroup::params, np.name, "", specified_aspect(op.unspecified, np.unspecified, "value"),
              side_a(param_text(a, op), op.loc), side_b(param_text(b, np), np.loc));
    }
    for (const ir::Param& op : in_source_order(a.params))
      if (!new_index.count(op.name))
        removed(op.type.kind == ir::Type::brackets ? DiffGroup::brackets : DiffGroup::params, op.name, "", "value",
                side_a(param_text(a, op), op.loc));
  }

  static std::string segment_bounds(const ir::Program& p, const ir::Segment& s) {
    const ir::TypeRef money{ir::Type::money, -1};
    if (s.hi == INT64_MAX) return "above " + print_value(p, money, s.lo);
    return print_value(p, money, s.lo) + " to " + print_value(p, money, s.hi);
  }
  static std::string segment_rate(const ir::Program& p, const ir::Segment& s) {
    return print_value(p, ir::TypeRef{ir::Type::rate, -1}, s.rate);
  }

  // Two schedules, bracket by bracket: bounds and rates. Schedules with
  // different numbers of brackets are shown whole.
  void schedules(const std::string& name, const std::string& label, std::int64_t old_schedule, const ir::Loc& old_loc,
                 std::int64_t new_schedule, const ir::Loc& new_loc) {
    const ir::Program& a = a_.program;
    const ir::Program& b = b_.program;
    const ir::Schedule& os = a.schedules[static_cast<size_t>(old_schedule)];
    const ir::Schedule& ns = b.schedules[static_cast<size_t>(new_schedule)];
    const ir::TypeRef brackets{ir::Type::brackets, -1};
    if (os.count != ns.count) {
      changed(DiffGroup::brackets, name, label, "brackets", side_a(print_value(a, brackets, old_schedule), old_loc),
              side_b(print_value(b, brackets, new_schedule), new_loc));
      return;
    }
    for (std::uint32_t k = 0; k < ns.count; ++k) {
      const ir::Segment& o = a.segments[os.first + k];
      const ir::Segment& n = b.segments[ns.first + k];
      const std::string bracket = fmt::format("{} bracket {}", name, k + 1);
      const std::string bracket_label = label.empty() ? segment_bounds(b, n) : label + ", " + segment_bounds(b, n);
      compare(DiffGroup::brackets, bracket, label, "bounds", side_a(segment_bounds(a, o), old_loc),
              side_b(segment_bounds(b, n), new_loc));
      compare(DiffGroup::brackets, bracket, bracket_label, "rate", side_a(segment_rate(a, o), old_loc),
              side_b(segment_rate(b, n), new_loc));
    }
  }

  // ------------------------------------------------------------ tables

  static std::string table_shape(const ir::Program& p, const ir::Table& t) {
    std::string s = type_text(p, t.value_type) + " by";
    for (size_t d = 0; d < t.dims.size(); ++d) {
      // An enumeration key covers its members; a domain key a range.
      const ir::TableDim& dim = t.dims[d];
      s += fmt::format("{} {}", d ? "," : "", type_text(p, dim.key_type));
      if (dim.key_type.kind != ir::Type::enumeration) s += fmt::format(" {}..{}", dim.lo, dim.hi);
    }
    return s;
  }

  struct Cell {
    std::string key;    // `dibao`, `3`, `dibao, 2`
    std::string label;  // `低保对象`, `level 3`, `低保对象, tier 2`
    size_t index;
  };

  // The label of one key: the member's label, or `<domain> <n>`.
  static std::string key_label(const DiffSide& side, ir::TypeRef key_type, std::int64_t key) {
    const ir::Program& p = side.program;
    if (key_type.kind == ir::Type::enumeration && key_type.ref >= 0) {
      const auto& e = p.schema.enums[static_cast<size_t>(key_type.ref)];
      const std::string member = print_value(p, key_type, key);
      const auto labels = side.labels.members.find(e.name);
      if (labels != side.labels.members.end()) {
        const auto l = labels->second.find(member);
        if (l != labels->second.end()) return l->second;
      }
      return member;
    }
    return type_text(p, key_type) + " " + print_value(p, key_type, key);
  }

  static std::vector<Cell> cells(const DiffSide& side, const ir::Table& t) {
    std::vector<Cell> out;
    for (size_t c = 0; c < t.cells.size(); ++c) {
      std::vector<std::string> keys, labels;
      size_t rest = c;
      for (size_t d = t.dims.size(); d-- > 0;) {
        const auto width = static_cast<size_t>(t.dims[d].hi - t.dims[d].lo + 1);
        const std::int64_t key = t.dims[d].lo + static_cast<std::int64_t>(rest % width);
        keys.insert(keys.begin(), print_value(side.program, t.dims[d].key_type, key));
        labels.insert(labels.begin(), key_label(side, t.dims[d].key_type, key));
        rest /= width;
      }
      Cell cell{"", "", c};
      for (size_t d = 0; d < keys.size(); ++d) {
        cell.key += (d ? ", " : "") + keys[d];
        cell.label += (d ? ", " : "") + labels[d];
      }
      out.push_back(std::move(cell));
    }
    return out;
  }

  static std::string cell_text(const ir::Program& p, const ir::Table& t, size_t c) {
    const std::int32_t u = t.cell_unspecified[c];
    if (u >= 0) return "unspecified \"" + p.unspecifieds[static_cast<size_t>(u)].words + "\"";
    return print_value(p, t.value_type, t.cells[c]);
  }

  void tables() {
    const ir::Program& a = a_.program;
    const ir::Program& b = b_.program;
    const auto old_index = by_name(a.tables);
    const auto new_index = by_name(b.tables);
    for (const ir::Table& nt : in_source_order(b.tables)) {
      const auto it = old_index.find(nt.name);
      const DiffGroup group = nt.value_type.kind == ir::Type::brackets ? DiffGroup::brackets : DiffGroup::tables;
      if (it == old_index.end()) {
        added(group, nt.name, "", "table", side_b(fmt::format("{} ({} cells)", table_shape(b, nt), nt.cells.size()), nt.loc));
        continue;
      }
      const ir::Table& ot = a.tables[it->second];
      const std::string old_shape = table_shape(a, ot), new_shape = table_shape(b, nt);
      if (type_text(a, ot.value_type) != type_text(b, nt.value_type)) {
        changed(group, nt.name, "", "type", side_a(old_shape, ot.loc), side_b(new_shape, nt.loc));
        continue;
      }
      compare(group, nt.name, "", "keys", side_a(old_shape, ot.loc), side_b(new_shape, nt.loc));
      const std::vector<Cell> old_cells = cells(a_, ot);
      std::unordered_map<std::string, size_t> old_by_key;
      for (const Cell& c : old_cells) old_by_key.emplace(c.key, c.index);
      std::set<std::string> seen;
      for (const Cell& nc : cells(b_, nt)) {
        seen.insert(nc.key);
        const std::string name = nt.name + "[" + nc.key + "]";
        const std::string label = nc.label == nc.key ? "" : nc.label;
        const auto oc = old_by_key.find(nc.key);
        if (oc == old_by_key.end()) {
          added(group, name, label, "value", side_b(cell_text(b, nt, nc.index), nt.loc));
          continue;
        }
        const bool was_unspecified = ot.cell_unspecified[oc->second] >= 0;
        const bool is_unspecified = nt.cell_unspecified[nc.index] >= 0;
        if (group == DiffGroup::brackets && !was_unspecified && !is_unspecified) {
          schedules(name, label, ot.cells[oc->second], ot.loc, nt.cells[nc.index], nt.loc);
          continue;
        }
        compare(group, name, label, specified_aspect(was_unspecified, is_unspecified, "value"),
                side_a(cell_text(a, ot, oc->second), ot.loc), side_b(cell_text(b, nt, nc.index), nt.loc));
      }
      for (const Cell& oc : old_cells)
        if (!seen.count(oc.key))
          removed(group, ot.name + "[" + oc.key + "]", oc.label == oc.key ? "" : oc.label, "value",
                  side_a(cell_text(a, ot, oc.index), ot.loc));
    }
    for (const ir::Table& ot : in_source_order(a.tables))
      if (!new_index.count(ot.name))
        removed(ot.value_type.kind == ir::Type::brackets ? DiffGroup::brackets : DiffGroup::tables, ot.name, "", "table",
                side_a(fmt::format("{} ({} cells)", table_shape(a, ot), ot.cells.size()), ot.loc));
  }

  // ------------------------------------------------------------ rules

  // Rules that stand for a parameter (`rule standard = 400.00`) are shown
  // as parameters only.
  static bool is_param(const ir::Program& p, const std::string& name) {
    return std::any_of(p.params.begin(), p.params.end(), [&](const ir::Param& prm) { return prm.name == name; });
  }

  static std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
    return text;
  }

  static std::string rule_text(const ir::Program& p, const ir::Rule& r) {
    // A payout's root is round_cents(...): the rounding is implied by `payout`.
    std::int32_t root = r.root;
    if (r.payout && p.node(root).op == ir::Op::round_cents) root = static_cast<std::int32_t>(p.kid(p.node(root), 0));
    return print_expression(p, root);
  }
  static std::string rule_head(const ir::Program& p, const ir::Rule& r) {
    return fmt::format("{} {}: {}", r.payout ? "payout" : "rule", r.name, type_text(p, r.type));
  }

  void rules() {
    const ir::Program& a = a_.program;
    const ir::Program& b = b_.program;
    const auto old_index = by_name(a.rules);
    std::vector<const ir::Rule*> order;
    for (const ir::Rule& r : b.rules) order.push_back(&r);
    // Source order reads best; the IR's own order is its evaluation layout.
    std::stable_sort(order.begin(), order.end(), [](const ir::Rule* x, const ir::Rule* y) {
      return std::tie(x->loc.file, x->loc.line) < std::tie(y->loc.file, y->loc.line);
    });
    std::set<std::string> seen;
    for (const ir::Rule* nr : order) {
      seen.insert(nr->name);
      if (is_param(b, nr->name)) continue;
      const auto it = old_index.find(nr->name);
      if (it == old_index.end() || is_param(a, nr->name)) {
        if (it == old_index.end()) added(DiffGroup::rules, nr->name, "", "expression", side_b(rule_text(b, *nr), nr->loc), true);
        continue;
      }
      const ir::Rule& orule = a.rules[it->second];
      compare(DiffGroup::rules, nr->name, "", "type", side_a(rule_head(a, orule), orule.loc), side_b(rule_head(b, *nr), nr->loc));
      const std::string before = rule_text(a, orule), after = rule_text(b, *nr);
      if (before == after) continue;
      // Rules that only follow the benefit year (`date_of(2023, 1, 1)`)
      // change with every new year: one line each, marked as such.
      const bool year_only = a.year != b.year && replace_all(before, std::to_string(a.year), std::to_string(b.year)) == after;
      changed(DiffGroup::rules, nr->name, "", year_only ? "year" : "expression", side_a(before, orule.loc),
              side_b(after, nr->loc), !year_only);
    }
    for (const ir::Rule& orule : a.rules)
      if (!seen.count(orule.name) && !is_param(a, orule.name))
        removed(DiffGroup::rules, orule.name, "", "expression", side_a(rule_text(a, orule), orule.loc), true);
  }

  // ------------------------------------------------------------ sections

  std::string member_label(const DiffSide& side, std::int32_t e, std::int64_t m) const {
    if (e < 0) return "";
    const std::string& enum_name = side.program.schema.enums[static_cast<size_t>(e)].name;
    const auto labels = side.labels.members.find(enum_name);
    if (labels == side.labels.members.end()) return "";
    const auto l = labels->second.find(print_value(side.program, ir::TypeRef{ir::Type::enumeration, e}, m));
    return l == labels->second.end() ? "" : l->second;
  }

  // A section's reasons, named `<section> reason <member>` (`#2` for the
  // second with the same member), with their conditions.
  struct Named {
    std::string name, label, text;
    ir::Loc loc;
  };
  std::vector<Named> reasons(const DiffSide& side, const ir::Section& s) const {
    std::vector<Named> out;
    std::map<std::string, int> count;
    for (const auto& r : s.reasons) {
      const std::string member = print_value(side.program, ir::TypeRef{ir::Type::enumeration, r.reason_enum}, r.code);
      const int n = ++count[member];
      out.push_back({s.name + " reason " + member + (n > 1 ? fmt::format(" #{}", n) : ""),
                     member_label(side, r.reason_enum, r.code), print_expression(side.program, r.cond), r.loc});
    }
    return out;
  }
  std::vector<Named> updates(const DiffSide& side, const ir::Section& s) const {
    const ir::Program& p = side.program;
    std::vector<Named> out;
    std::map<std::string, int> count;
    for (const auto& u : s.updates) {
      const auto& l = p.ledgers[static_cast<size_t>(u.ledger)];
      const int n = ++count[l.name];
      std::string text = l.name + (u.key >= 0 ? "[" + print_expression(p, u.key) + "]" : "") + " += " + print_expression(p, u.amount);
      if (u.when >= 0) text += " when " + print_expression(p, u.when);
      const auto label = side.labels.ledgers.find(l.name);
      out.push_back({s.name + " after " + l.name + (n > 1 ? fmt::format(" #{}", n) : ""),
                     label == side.labels.ledgers.end() ? "" : label->second, text, u.loc});
    }
    return out;
  }
  static std::string field_text(const ir::Program& p, const ir::SectionField& f) {
    std::string text = print_expression(p, f.value);
    if (f.otherwise >= 0) text += " otherwise " + print_expression(p, f.otherwise);
    if (f.when >= 0) text += " when " + print_expression(p, f.when);
    return text;
  }

  void named_lists(const std::vector<Named>& olds, const std::vector<Named>& news, const char* aspect) {
    std::unordered_map<std::string, size_t> old_by_name;
    for (size_t i = 0; i < olds.size(); ++i) old_by_name.emplace(olds[i].name, i);
    std::set<std::string> seen;
    for (const Named& n : news) {
      seen.insert(n.name);
      const auto it = old_by_name.find(n.name);
      if (it == old_by_name.end()) {
        added(DiffGroup::sections, n.name, n.label, aspect, side_b(n.text, n.loc), true);
        continue;
      }
      const Named& o = olds[it->second];
      compare(DiffGroup::sections, n.name, n.label, aspect, side_a(o.text, o.loc), side_b(n.text, n.loc), true);
    }
    for (const Named& o : olds)
      if (!seen.count(o.name)) removed(DiffGroup::sections, o.name, o.label, aspect, side_a(o.text, o.loc), true);
  }

  void sections() {
    const ir::Program& a = a_.program;
    const ir::Program& b = b_.program;
    const auto old_index = by_name(a.sections);
    const auto new_index = by_name(b.sections);
    for (const ir::Section& ns : b.sections) {
      const auto it = old_index.find(ns.name);
      if (it == old_index.end()) {
        added(DiffGroup::sections, ns.name, "", "section", side_b(fmt::format("{} fields", ns.fields.size()), ns.loc));
        continue;
      }
      const ir::Section& os = a.sections[it->second];
      compare(DiffGroup::sections, ns.name, "", "condition",
              side_a(os.when >= 0 ? "when " + print_expression(a, os.when) : "always", os.loc),
              side_b(ns.when >= 0 ? "when " + print_expression(b, ns.when) : "always", ns.loc), true);
      named_lists(reasons(a_, os), reasons(b_, ns), "condition");
      std::vector<Named> old_fields, new_fields;
      for (const auto& f : os.fields) old_fields.push_back({os.name + "." + f.name, "", field_text(a, f), f.loc});
      for (const auto& f : ns.fields) new_fields.push_back({ns.name + "." + f.name, "", field_text(b, f), f.loc});
      named_lists(old_fields, new_fields, "expression");
      named_lists(updates(a_, os), updates(b_, ns), "update");
    }
    for (const ir::Section& os : a.sections)
      if (!new_index.count(os.name))
        removed(DiffGroup::sections, os.name, "", "section", side_a(fmt::format("{} fields", os.fields.size()), os.loc));
  }

  // ------------------------------------------------------------ ledgers

  static std::string ledger_text(const ir::Ledger& l) {
    return l.keyed ? fmt::format("money by {}..{}", l.key_lo, l.key_hi) : "money";
  }
  std::string ledger_label(const DiffSide& side, const std::string& name) const {
    const auto it = side.labels.ledgers.find(name);
    return it == side.labels.ledgers.end() ? "" : it->second;
  }

  void ledgers() {
    const ir::Program& a = a_.program;
    const ir::Program& b = b_.program;
    const auto old_index = by_name(a.ledgers);
    const auto new_index = by_name(b.ledgers);
    for (const ir::Ledger& nl : b.ledgers) {
      const std::string label = ledger_label(b_, nl.name);
      const auto it = old_index.find(nl.name);
      if (it == old_index.end()) {
        added(DiffGroup::ledgers, nl.name, label, "ledger", side_b(ledger_text(nl), nl.loc));
        continue;
      }
      const ir::Ledger& ol = a.ledgers[it->second];
      compare(DiffGroup::ledgers, nl.name, label, "keys", side_a(ledger_text(ol), ol.loc), side_b(ledger_text(nl), nl.loc));
      compare(DiffGroup::ledgers, nl.name, label, "label", side_a(ledger_label(a_, ol.name), ol.loc),
              side_b(label, nl.loc));
    }
    for (const ir::Ledger& ol : a.ledgers)
      if (!new_index.count(ol.name))
        removed(DiffGroup::ledgers, ol.name, ledger_label(a_, ol.name), "ledger", side_a(ledger_text(ol), ol.loc));
  }

  // ------------------------------------------------------------ schema

  static std::string field_shape(const ir::Program& p, const FieldSpec& f) {
    std::string t;
    switch (f.type) {
      case FieldType::text: t = "text"; break;
      case FieldType::boolean: t = "bool"; break;
      case FieldType::money: t = "money"; break;
      case FieldType::date: t = "date"; break;
      case FieldType::enumeration: t = p.schema.enums[static_cast<size_t>(f.enum_index)].name; break;
      case FieldType::enum_set: t = "set of " + p.schema.enums[static_cast<size_t>(f.enum_index)].name; break;
      case FieldType::integer_range: t = fmt::format("{}..{}", f.range_lo, f.range_hi); break;
    }
    switch (f.presence) {
      case Presence::required: return t;
      case Presence::optional: return t + "?";
      case Presence::defaulted:
        if (f.default_from >= 0) return t + " = " + p.schema.fields[static_cast<size_t>(f.default_from)].path;
        switch (f.type) {
          case FieldType::boolean: return t + (f.default_value ? " = true" : " = false");
          case FieldType::money: return t + " = " + print_value(p, ir::TypeRef{ir::Type::money, -1}, f.default_value);
          case FieldType::enumeration:
            return t + " = " + print_value(p, ir::TypeRef{ir::Type::enumeration, f.enum_index}, f.default_value);
          case FieldType::enum_set:
            return t + " = " + print_value(p, ir::TypeRef{ir::Type::enum_set, f.enum_index}, f.default_value);
          case FieldType::date: return t + " = " + print_value(p, ir::TypeRef{ir::Type::date, -1}, f.default_value);
          default: return t + fmt::format(" = {}", f.default_value);
        }
    }
    return t;
  }

  void schema() {
    const ir::Program& a = a_.program;
    const ir::Program& b = b_.program;
    const ir::Loc none;
    std::unordered_map<std::string, size_t> old_fields;
    for (size_t i = 0; i < a.schema.fields.size(); ++i) old_fields.emplace(a.schema.fields[i].path, i);
    std::set<std::string> seen;
    for (const FieldSpec& nf : b.schema.fields) {
      seen.insert(nf.path);
      const auto it = old_fields.find(nf.path);
      if (it == old_fields.end()) {
        added(DiffGroup::schema, nf.path, "", "field", side_b(field_shape(b, nf), none));
        continue;
      }
      compare(DiffGroup::schema, nf.path, "", "field", side_a(field_shape(a, a.schema.fields[it->second]), none),
              side_b(field_shape(b, nf), none));
    }
    for (const FieldSpec& of : a.schema.fields)
      if (!seen.count(of.path)) removed(DiffGroup::schema, of.path, "", "field", side_a(field_shape(a, of), none));

    // Enumerations: members added or removed, labels changed.
    for (const EnumSpec& ne : b.schema.enums) {
      const int oi = a.schema.find_enum(ne.name);
      if (oi < 0) continue;  // a new enumeration shows through the fields that use it
      const EnumSpec& oe = a.schema.enums[static_cast<size_t>(oi)];
      for (const std::string& m : ne.members) {
        const std::string name = ne.name + "." + m;
        const std::string new_label = label_of(b_, ne.name, m);
        if (std::find(oe.members.begin(), oe.members.end(), m) == oe.members.end()) {
          added(DiffGroup::schema, name, new_label, "member", side_b(m, none));
          continue;
        }
        compare(DiffGroup::schema, name, new_label, "label", side_a(label_of(a_, ne.name, m), none), side_b(new_label, none));
      }
      for (const std::string& m : oe.members)
        if (std::find(ne.members.begin(), ne.members.end(), m) == ne.members.end())
          removed(DiffGroup::schema, ne.name + "." + m, label_of(a_, ne.name, m), "member", side_a(m, none));
    }
    for (const ir::Domain& nd : b.domains)
      for (const ir::Domain& od : a.domains)
        if (od.name == nd.name)
          compare(DiffGroup::schema, nd.name, "", "range", side_a(fmt::format("{}..{}", od.lo, od.hi), none),
                  side_b(fmt::format("{}..{}", nd.lo, nd.hi), none));
  }

  static std::string label_of(const DiffSide& side, const std::string& e, const std::string& m) {
    const auto labels = side.labels.members.find(e);
    if (labels == side.labels.members.end()) return "";
    const auto l = labels->second.find(m);
    return l == labels->second.end() ? "" : l->second;
  }

  // ------------------------------------------------------------ checks

  void checks() {
    const ir::Program& a = a_.program;
    const ir::Program& b = b_.program;
    auto key = [](const ir::Program& p, const ir::Check& c) {
      return p.schema.fields[static_cast<size_t>(c.field)].path + ": \"" + c.message + "\"";
    };
    std::unordered_map<std::string, size_t> old_checks;
    for (size_t i = 0; i < a.checks.size(); ++i) old_checks.emplace(key(a, a.checks[i]), i);
    std::set<std::string> seen;
    for (const ir::Check& nc : b.checks) {
      const std::string k = key(b, nc);
      seen.insert(k);
      const auto it = old_checks.find(k);
      if (it == old_checks.end()) {
        added(DiffGroup::checks, k, "", "condition", side_b(print_expression(b, nc.cond), nc.loc), true);
        continue;
      }
      const ir::Check& oc = a.checks[it->second];
      compare(DiffGroup::checks, k, "", "condition", side_a(print_expression(a, oc.cond), oc.loc),
              side_b(print_expression(b, nc.cond), nc.loc), true);
    }
    for (const ir::Check& oc : a.checks)
      if (!seen.count(key(a, oc)))
        removed(DiffGroup::checks, key(a, oc), "", "condition", side_a(print_expression(a, oc.cond), oc.loc), true);
  }

  // ------------------------------------------------------------ unspecified

  // Unspecified values by name; a name may have several (the cells of one
  // table). One on each side: its words changed or not; otherwise each
  // of its words that appears on one side only was added or removed.
  struct Unspec {
    std::string name, words;
    ir::Loc loc;
  };
  static std::vector<Unspec> unspecified_list(const ir::Program& p) {
    std::vector<Unspec> out;
    for (const ir::Unspecified& u : list_unspecified(p)) {
      const bool seen = std::any_of(out.begin(), out.end(), [&](const Unspec& e) { return e.name == u.name && e.words == u.words; });
      if (!seen) out.push_back({u.name, "\"" + u.words + "\"", u.loc});
    }
    return out;
  }

  void unspecified() {
    const auto olds = unspecified_list(a_.program);
    const auto news = unspecified_list(b_.program);
    auto named = [](const std::vector<Unspec>& list, const std::string& name) {
      std::vector<const Unspec*> out;
      for (const auto& u : list)
        if (u.name == name) out.push_back(&u);
      return out;
    };
    auto has = [](const std::vector<const Unspec*>& list, const std::string& words) {
      return std::any_of(list.begin(), list.end(), [&](const Unspec* u) { return u->words == words; });
    };
    for (const Unspec& nu : news) {
      const auto old_named = named(olds, nu.name);
      const auto new_named = named(news, nu.name);
      if (old_named.size() == 1 && new_named.size() == 1) {
        compare(DiffGroup::unspecified, nu.name, "", "words", side_a(old_named[0]->words, old_named[0]->loc),
                side_b(nu.words, nu.loc));
        continue;
      }
      if (!has(old_named, nu.words)) added(DiffGroup::unspecified, nu.name, "", "unspecified", side_b(nu.words, nu.loc));
    }
    for (const Unspec& ou : olds) {
      const auto old_named = named(olds, ou.name);
      const auto new_named = named(news, ou.name);
      if (old_named.size() == 1 && new_named.size() == 1) continue;
      if (!has(new_named, ou.words)) removed(DiffGroup::unspecified, ou.name, "", "specified", side_a(ou.words, ou.loc));
    }
  }

  const DiffSide& a_;
  const DiffSide& b_;
  std::array<Collected, 10> groups_;
};

}  // namespace

std::optional<DiffSide> load_diff_side(SourceManager& sources, const std::string& path, Diagnostics& diagnostics) {
  CompileOptions options;
  options.fold = false;
  auto program = compile_policy(sources, path, options, diagnostics);
  if (!program) return std::nullopt;
  // The labels, from the same files read again (the checked program keeps
  // no labels: results never need them).
  SourceManager label_sources;
  Diagnostics label_diagnostics;
  const auto modules = load_modules(label_sources, path, LoadOptions{}, label_diagnostics);
  DiffSide side{path, std::move(*program), {}};
  if (modules) side.labels = collect_labels(*modules);
  return side;
}

PolicyDiff diff_policies(const DiffSide& before, const DiffSide& after) { return Differ(before, after).run(); }

}  // namespace yibao::compiler
