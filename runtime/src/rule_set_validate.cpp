// validate_program: what a program read from bytes must satisfy before the
// evaluator, the settler or the IR printer touch it. The compiler's checker
// guarantees all of this for the programs it lowers; a file guarantees
// nothing, so every index is checked here, once, at load time, and the
// hot path stays free of checks.
//
// Beyond plain index ranges, three kinds of value are themselves indices at
// run time: enumeration members (result text: Schema::enums[e].members[v]),
// texts (Program::strings[v] or a request text field) and bracket schedules
// (Program::schedules[v]). For these "index types" the invariant is: every
// node of such a type gives only valid values of its type. It holds by
// induction when constants, params and table cells hold valid values, when
// inputs come from fields of the same type, and when every other op giving
// such a type passes on values of the same type (if, switch, highest, min,
// max, rule, adjust); any other op giving an index type is refused. Every
// place that uses a value as an index (results, explain, progressive,
// set membership) must then name the same type as the node it reads.
#include <string>

#include "rule_set_format.h"
#include "yibao/rule_set_file.h"

namespace yibao {

namespace {

using ir::Op;
using ir::Type;

std::string str(std::int64_t v) { return std::to_string(v); }

bool is_index_type(Type t) { return t == Type::enumeration || t == Type::text || t == Type::brackets; }

class Validator {
 public:
  explicit Validator(const ir::Program& p) : p_(p) {}

  Status run() {
    if (Status s = p_.schema.validate(); !s.ok()) return Error{"schema: " + s.error()};
    if (p_.ledger_key_field != -1 && !text_field(p_.ledger_key_field))
      return Error{"the ledger key " + str(p_.ledger_key_field) + " is not a text field"};
    for (std::size_t i = 0; i < p_.domains.size(); ++i)
      if (p_.domains[i].lo > p_.domains[i].hi) return Error{"domain " + str(static_cast<std::int64_t>(i)) + " has lo > hi"};
    if (!params() || !tables() || !schedules() || !switches() || !ledgers() || !nodes() || !rules() || !sections() ||
        !checks() || !locations() || !acyclic())
      return Error{error_};
    return {};
  }

 private:
  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }
  template <class T>
  static bool in(std::int64_t i, const std::vector<T>& v) {
    return i >= 0 && static_cast<std::uint64_t>(i) < v.size();
  }
  bool node_ok(std::int64_t i) const { return in(i, p_.nodes); }
  bool optional_node_ok(std::int64_t i) const { return i == -1 || node_ok(i); }
  bool text_field(std::int64_t f) const {
    return in(f, p_.schema.fields) && p_.schema.fields[static_cast<std::size_t>(f)].type == FieldType::text;
  }
  std::size_t members(std::int32_t e) const { return p_.schema.enums[static_cast<std::size_t>(e)].members.size(); }
  const ir::Node& node(std::int64_t i) const { return p_.nodes[static_cast<std::size_t>(i)]; }

  bool type_ok(ir::TypeRef t, const std::string& where) {
    switch (t.kind) {
      case Type::enumeration:
      case Type::enum_set:
        if (!in(t.ref, p_.schema.enums)) return fail(where + ": type names enumeration " + str(t.ref) + ", out of range");
        if (t.kind == Type::enum_set && members(t.ref) > 64)
          return fail(where + ": a set of enumeration " + str(t.ref) + ", which has more than 64 members");
        return true;
      case Type::domain:
        if (t.ref != -1 && !in(t.ref, p_.domains)) return fail(where + ": type names domain " + str(t.ref) + ", out of range");
        return true;
      default:
        return true;
    }
  }

  // Whether `v` is a valid value of an index type (any value is valid for
  // the other types).
  bool value_ok(ir::TypeRef t, std::int64_t v) const {
    switch (t.kind) {
      case Type::enumeration: return v >= 0 && static_cast<std::uint64_t>(v) < members(t.ref);
      case Type::text: return in(v, p_.strings) || (v < 0 && text_field(-(v + 1)));
      case Type::brackets: return in(v, p_.schedules);
      default: return true;
    }
  }

  // A value of node `i` is used as type `t`: the node must have that type
  // when it is an index type.
  bool used_as(std::int64_t i, ir::TypeRef t, const std::string& where) {
    if (!is_index_type(t.kind)) return true;
    if (node(i).type == t) return true;
    return fail(where + ": node " + str(i) + " of type " + ir::type_name(node(i).type.kind) + " used as " +
                ir::type_name(t.kind) + " " + str(t.ref));
  }

  bool params() {
    for (std::size_t i = 0; i < p_.params.size(); ++i) {
      const ir::Param& prm = p_.params[i];
      const std::string where = "param " + str(static_cast<std::int64_t>(i));
      if (!type_ok(prm.type, where)) return false;
      if (prm.unspecified && !in(prm.unspecified_ref, p_.unspecifieds))
        return fail(where + ": unspecified value " + str(prm.unspecified_ref) + " out of range");
      if (!prm.unspecified && !value_ok(prm.type, prm.value)) return fail(where + ": value " + str(prm.value) + " is not a valid " + ir::type_name(prm.type.kind));
    }
    return true;
  }

  bool tables() {
    for (std::size_t i = 0; i < p_.tables.size(); ++i) {
      const ir::Table& t = p_.tables[i];
      const std::string where = "table " + str(static_cast<std::int64_t>(i));
      if (!type_ok(t.value_type, where)) return false;
      if (t.dims.empty() || t.dims.size() > 2) return fail(where + ": " + str(static_cast<std::int64_t>(t.dims.size())) + " dimensions, expected 1 or 2");
      std::uint64_t cells = 1;
      for (const ir::TableDim& d : t.dims) {
        if (!type_ok(d.key_type, where)) return false;
        if (d.lo > d.hi) return fail(where + ": key range " + str(d.lo) + ".." + str(d.hi) + " is empty");
        const std::uint64_t width = static_cast<std::uint64_t>(d.hi) - static_cast<std::uint64_t>(d.lo);
        if (width >= t.cells.size() || cells > t.cells.size() / (width + 1))
          return fail(where + ": key range " + str(d.lo) + ".." + str(d.hi) + " does not match its " + str(static_cast<std::int64_t>(t.cells.size())) + " cells");
        cells *= width + 1;
      }
      if (cells != t.cells.size() || t.cell_unspecified.size() != t.cells.size())
        return fail(where + ": " + str(static_cast<std::int64_t>(t.cells.size())) + " cells and " + str(static_cast<std::int64_t>(t.cell_unspecified.size())) + " marks for " + str(static_cast<std::int64_t>(cells)) + " keys");
      for (std::size_t c = 0; c < t.cells.size(); ++c) {
        const std::int32_t u = t.cell_unspecified[c];
        if (u != -1 && !in(u, p_.unspecifieds)) return fail(where + ": cell " + str(static_cast<std::int64_t>(c)) + " names unspecified value " + str(u));
        if (u == -1 && !value_ok(t.value_type, t.cells[c])) return fail(where + ": cell " + str(static_cast<std::int64_t>(c)) + " is not a valid " + ir::type_name(t.value_type.kind));
      }
    }
    return true;
  }

  bool schedules() {
    for (std::size_t i = 0; i < p_.segments.size(); ++i) {
      const ir::Segment& s = p_.segments[i];
      if (s.lo < 0 || s.lo > s.hi) return fail("bracket segment " + str(static_cast<std::int64_t>(i)) + ": range " + str(s.lo) + ".." + str(s.hi) + ", expected 0 <= lo <= hi");
    }
    for (std::size_t i = 0; i < p_.schedules.size(); ++i) {
      const ir::Schedule& s = p_.schedules[i];
      if (std::uint64_t{s.first} + s.count > p_.segments.size())
        return fail("bracket schedule " + str(static_cast<std::int64_t>(i)) + ": segments " + str(s.first) + "+" + str(s.count) + " out of range");
    }
    return true;
  }

  bool switches() {
    for (std::size_t i = 0; i < p_.switches.size(); ++i)
      for (const std::int32_t arm : p_.switches[i].arms)
        if (arm == 0 || arm < -1) return fail("switch " + str(static_cast<std::int64_t>(i)) + ": arm " + str(arm) + ", expected a kid index >= 1 or -1");
    return true;
  }

  bool ledgers() {
    if (p_.ledger_slots < 0 || p_.ledger_slots > kMaxLedgerSlots)
      return fail("ledger slots " + str(p_.ledger_slots) + " out of range 0.." + str(kMaxLedgerSlots));
    for (std::size_t i = 0; i < p_.ledgers.size(); ++i) {
      const ir::Ledger& l = p_.ledgers[i];
      const std::string where = "ledger " + str(static_cast<std::int64_t>(i));
      if (l.slot < 0 || l.slot >= p_.ledger_slots) return fail(where + ": slot " + str(l.slot) + " out of range");
      if (!l.keyed) continue;
      if (l.key_lo > l.key_hi) return fail(where + ": key range " + str(l.key_lo) + ".." + str(l.key_hi) + " is empty");
      const std::uint64_t width = static_cast<std::uint64_t>(l.key_hi) - static_cast<std::uint64_t>(l.key_lo);
      if (width >= static_cast<std::uint64_t>(p_.ledger_slots - l.slot))
        return fail(where + ": keys " + str(l.key_lo) + ".." + str(l.key_hi) + " from slot " + str(l.slot) + " run past the " + str(p_.ledger_slots) + " slots");
    }
    return true;
  }

  bool nodes() {
    for (std::size_t index = 0; index < p_.nodes.size(); ++index) {
      const ir::Node& n = p_.nodes[index];
      const auto i = static_cast<std::int64_t>(index);
      const std::string where = "node " + str(i) + " (" + ir::op_name(n.op) + ")";
      if (!type_ok(n.type, where)) return false;
      if (std::uint64_t{n.first_kid} + n.kid_count > p_.kids.size())
        return fail(where + ": kids " + str(n.first_kid) + "+" + str(n.kid_count) + " out of range");
      for (std::uint32_t k = 0; k < n.kid_count; ++k)
        if (!node_ok(p_.kid(n, k))) return fail(where + ": kid " + str(k) + " is node " + str(p_.kid(n, k)) + ", out of range");
      const int arity = ir::op_arity(n.op);
      if (arity >= 0 && n.kid_count != static_cast<std::uint32_t>(arity))
        return fail(where + ": " + str(n.kid_count) + " kids, expected " + str(arity));
      if (!node_op(n, where)) return false;
    }
    return true;
  }

  ir::TypeRef kid_type(const ir::Node& n, std::uint32_t k) const { return node(p_.kid(n, k)).type; }

  // Kids from `from` on carry the node's own value (if, switch, highest,
  // min, max): for an index type they must have the node's type.
  bool passes_on(const ir::Node& n, std::uint32_t from, const std::string& where) {
    for (std::uint32_t k = from; k < n.kid_count; ++k)
      if (!used_as(p_.kid(n, k), n.type, where)) return false;
    return true;
  }

  bool node_op(const ir::Node& n, const std::string& where) {
    const bool index_type = is_index_type(n.type.kind);
    auto refuse_index_type = [&]() {
      return !index_type || fail(where + ": cannot give a value of type " + ir::type_name(n.type.kind));
    };
    switch (n.op) {
      case Op::constant:
        return value_ok(n.type, n.imm) || fail(where + ": " + str(n.imm) + " is not a valid " + ir::type_name(n.type.kind));
      case Op::input: {
        if (!in(n.ref, p_.schema.fields)) return fail(where + ": field " + str(n.ref) + " out of range");
        const FieldSpec& f = p_.schema.fields[static_cast<std::size_t>(n.ref)];
        // An input's value is the field's slot (0 for a text field, whose
        // text is read apart): valid only for a field of the same type.
        if (n.type.kind == Type::enumeration && !(f.type == FieldType::enumeration && f.enum_index == n.type.ref))
          return fail(where + ": field " + f.path + " does not hold members of enumeration " + str(n.type.ref));
        if (n.type.kind == Type::text && (f.type != FieldType::text || p_.strings.empty()))
          return fail(where + ": field " + f.path + " gives no valid text");
        return refuse_index_type_except(n, where, Type::enumeration, Type::text);
      }
      case Op::input_present:
        return in(n.ref, p_.schema.fields) ? refuse_index_type() : fail(where + ": field " + str(n.ref) + " out of range");
      case Op::record_present:
        return in(n.ref, p_.schema.records) ? refuse_index_type() : fail(where + ": record " + str(n.ref) + " out of range");
      case Op::rule:
        if (!in(n.ref, p_.rules)) return fail(where + ": rule " + str(n.ref) + " out of range");
        return !index_type || p_.rules[static_cast<std::size_t>(n.ref)].type == n.type ||
               fail(where + ": rule " + str(n.ref) + " has another type");
      case Op::param_ref:
        if (!in(n.ref, p_.params)) return fail(where + ": param " + str(n.ref) + " out of range");
        return !index_type || p_.params[static_cast<std::size_t>(n.ref)].type == n.type ||
               fail(where + ": param " + str(n.ref) + " has another type");
      case Op::ledger: {
        if (!in(n.ref, p_.ledgers)) return fail(where + ": ledger " + str(n.ref) + " out of range");
        const bool keyed = p_.ledgers[static_cast<std::size_t>(n.ref)].keyed;
        if (n.kid_count != (keyed ? 1U : 0U)) return fail(where + ": " + str(n.kid_count) + " kids for a " + (keyed ? "keyed" : "plain") + " ledger");
        return refuse_index_type();
      }
      case Op::table: {
        if (!in(n.ref, p_.tables)) return fail(where + ": table " + str(n.ref) + " out of range");
        const ir::Table& t = p_.tables[static_cast<std::size_t>(n.ref)];
        if (n.kid_count != t.dims.size()) return fail(where + ": " + str(n.kid_count) + " keys for a table of " + str(static_cast<std::int64_t>(t.dims.size())) + " dimensions");
        return !index_type || t.value_type == n.type || fail(where + ": table " + str(n.ref) + " holds another type");
      }
      case Op::unspecified:  // -1: a case no rule covers (fails without a named value)
        return n.ref == -1 || in(n.ref, p_.unspecifieds) || fail(where + ": unspecified value " + str(n.ref) + " out of range");
      case Op::min:
      case Op::max:
        if (n.kid_count < 1) return fail(where + ": no kids");
        return passes_on(n, 0, where);
      case Op::if_:
        return passes_on(n, 1, where);
      case Op::switch_: {
        if (!in(n.ref, p_.switches)) return fail(where + ": switch " + str(n.ref) + " out of range");
        if (n.kid_count < 1) return fail(where + ": no key");
        for (const std::int32_t arm : p_.switches[static_cast<std::size_t>(n.ref)].arms)
          if (arm >= static_cast<std::int64_t>(n.kid_count)) return fail(where + ": arm " + str(arm) + " beyond its " + str(n.kid_count) + " kids");
        return passes_on(n, 1, where);
      }
      case Op::highest:
        if (n.kid_count < 2 || n.kid_count > 2 + 64) return fail(where + ": " + str(n.kid_count) + " kids, expected 2..66");
        if (kid_type(n, 0).kind != Type::enum_set) return fail(where + ": the first kid is not a set");
        return passes_on(n, 1, where);
      case Op::adjust: {
        if (!in(n.ref, p_.adjusts)) return fail(where + ": adjustment " + str(n.ref) + " out of range");
        if (n.kid_count < 1) return fail(where + ": no base");
        if (n.type.kind != Type::rate && n.type.kind != Type::brackets) return fail(where + ": adjusts a " + ir::type_name(n.type.kind));
        if (!used_as(p_.kid(n, 0), n.type, where)) return false;
        for (const ir::AdjustLine& l : p_.adjusts[static_cast<std::size_t>(n.ref)].lines)
          if (l.cond_kid < 1 || l.cond_kid >= n.kid_count || l.value_kid < 1 || l.value_kid >= n.kid_count)
            return fail(where + ": an adjustment line names kids " + str(l.cond_kid) + " and " + str(l.value_kid) + " of " + str(n.kid_count));
        return true;
      }
      case Op::progressive:
      case Op::progressive_between:
        if (!used_as(p_.kid(n, 0), {Type::brackets, -1}, where)) return false;
        return refuse_index_type();
      case Op::set_has:
      case Op::member_of: {
        // The member is a shift count: a member of an enumeration of at
        // most 64 members.
        const std::uint32_t member = n.op == Op::set_has ? 1 : 0;
        const ir::TypeRef m = kid_type(n, member);
        if (m.kind != Type::enumeration || members(m.ref) > 64)
          return fail(where + ": the member is not of an enumeration of at most 64 members");
        return refuse_index_type();
      }
      default:
        return refuse_index_type();
    }
  }

  bool refuse_index_type_except(const ir::Node& n, const std::string& where, Type a, Type b) {
    if (!is_index_type(n.type.kind) || n.type.kind == a || n.type.kind == b) return true;
    return fail(where + ": cannot give a value of type " + ir::type_name(n.type.kind));
  }

  bool rules() {
    for (std::size_t i = 0; i < p_.rules.size(); ++i) {
      const ir::Rule& r = p_.rules[i];
      const std::string where = "rule " + str(static_cast<std::int64_t>(i));
      if (!type_ok(r.type, where)) return false;
      if (!node_ok(r.root)) return fail(where + ": root node " + str(r.root) + " out of range");
      if (!used_as(r.root, r.type, where)) return false;
    }
    return true;
  }

  bool sections() {
    for (std::size_t i = 0; i < p_.sections.size(); ++i) {
      const ir::Section& s = p_.sections[i];
      const std::string where = "section " + str(static_cast<std::int64_t>(i));
      if (!optional_node_ok(s.when)) return fail(where + ": condition node " + str(s.when) + " out of range");
      for (const ir::SectionReason& r : s.reasons) {
        if (!node_ok(r.cond)) return fail(where + ": reason condition node " + str(r.cond) + " out of range");
        if (!in(r.reason_enum, p_.schema.enums) || r.code < 0 || static_cast<std::uint64_t>(r.code) >= members(r.reason_enum))
          return fail(where + ": reason " + str(r.code) + " of enumeration " + str(r.reason_enum) + " out of range");
      }
      for (const ir::SectionField& f : s.fields) {
        const std::string at = where + " field " + f.name;
        if (!type_ok(f.type, at)) return false;
        if (!node_ok(f.value) || !optional_node_ok(f.otherwise) || !optional_node_ok(f.when))
          return fail(at + ": a node out of range");
        if (!used_as(f.value, f.type, at) || (f.otherwise != -1 && !used_as(f.otherwise, f.type, at))) return false;
      }
      for (const ir::LedgerUpdate& u : s.updates) {
        if (!in(u.ledger, p_.ledgers)) return fail(where + ": update of ledger " + str(u.ledger) + ", out of range");
        const bool keyed = p_.ledgers[static_cast<std::size_t>(u.ledger)].keyed;
        if ((keyed ? !node_ok(u.key) : !optional_node_ok(u.key)) || !node_ok(u.amount) || !optional_node_ok(u.when))
          return fail(where + ": update of ledger " + str(u.ledger) + " names a node out of range");
      }
    }
    return true;
  }

  bool checks() {
    for (std::size_t i = 0; i < p_.checks.size(); ++i) {
      const ir::Check& c = p_.checks[i];
      const std::string where = "request check " + str(static_cast<std::int64_t>(i));
      if (!node_ok(c.cond)) return fail(where + ": node " + str(c.cond) + " out of range");
      if (c.record != -1 && !in(c.record, p_.schema.records)) return fail(where + ": record " + str(c.record) + " out of range");
      if (!in(c.field, p_.schema.fields)) return fail(where + ": field " + str(c.field) + " out of range");
    }
    return true;
  }

  bool locations() {
    bool ok = true;
    rule_set::for_each_loc(p_, [&](const ir::Loc& l) {
      if (ok && (l.file < -1 || l.file >= static_cast<std::int64_t>(p_.files.size()) || l.line < 0))
        ok = fail("source location " + str(l.file) + ":" + str(l.line) + " names no file");
    });
    return ok;
  }

  // The node graph, with an edge from each `rule` node to its rule's root,
  // must be acyclic (the evaluator recurses through it, and memoizes each
  // rule once per request) and no deeper than kMaxRuleSetDepth (so that the
  // recursion stays within the stack). Iterative, so that validating a
  // deep program does not itself overflow the stack.
  bool acyclic() {
    enum : std::uint8_t { unseen, open, done };
    std::vector<std::uint8_t> state(p_.nodes.size(), unseen);
    std::vector<std::uint32_t> height(p_.nodes.size(), 0);
    struct Frame {
      std::uint32_t node;
      std::uint32_t next;  // next successor to visit
    };
    std::vector<Frame> stack;
    auto successors = [&](std::uint32_t i) {
      const ir::Node& n = p_.nodes[i];
      return n.op == Op::rule ? n.kid_count + 1 : n.kid_count;
    };
    auto successor = [&](std::uint32_t i, std::uint32_t k) {
      const ir::Node& n = p_.nodes[i];
      if (k < n.kid_count) return p_.kid(n, k);
      return static_cast<std::uint32_t>(p_.rules[static_cast<std::size_t>(n.ref)].root);
    };
    for (std::uint32_t start = 0; start < p_.nodes.size(); ++start) {
      if (state[start] != unseen) continue;
      state[start] = open;
      stack.push_back({start, 0});
      while (!stack.empty()) {
        Frame& f = stack.back();
        if (f.next < successors(f.node)) {
          const std::uint32_t s = successor(f.node, f.next++);
          if (state[s] == open) return fail("node " + str(s) + " depends on itself (through node " + str(f.node) + ")");
          if (state[s] == unseen) {
            if (stack.size() >= kMaxRuleSetDepth) return fail("nodes nest deeper than " + str(kMaxRuleSetDepth) + " (at node " + str(s) + ")");
            state[s] = open;
            stack.push_back({s, 0});
          }
          continue;
        }
        std::uint32_t h = 0;
        for (std::uint32_t k = 0; k < successors(f.node); ++k) h = std::max(h, height[successor(f.node, k)]);
        if (h + 1 > kMaxRuleSetDepth) return fail("nodes nest deeper than " + str(kMaxRuleSetDepth) + " (at node " + str(f.node) + ")");
        height[f.node] = h + 1;
        state[f.node] = done;
        stack.pop_back();
      }
    }
    return true;
  }

  const ir::Program& p_;
  std::string error_;
};

}  // namespace

Status validate_program(const ir::Program& program) { return Validator(program).run(); }

}  // namespace yibao
