// The abstract syntax tree of one yibao file, as the parser (lang/parser.h)
// builds it: plain structs, each with the Span of source text it came from.
//
// Shape:
//   File                       header (policy / module / examples for) + items
//   Item        (polymorphic)  Use Enum Domain Input Decl Fn Ledger Section After Example
//   Expr        (polymorphic)  NumberLit DateLit BoolLit StringLit SetLit BracketsLit NameRef
//                              Call Index Unary Binary InRange If Match Highest Adjust Unspecified
//   InputMember / SectionMember / ExampleMember (polymorphic) the members of those blocks
//   everything else            plain value structs (Ident, Number, TypeRef, Table, ...)
//
// The polymorphic node kinds are listed once, in lang/ast_nodes.def, which
// gives `NodeKind`, `node_kind_name()` and the `visit()` switches below. A node
// is owned by its parent through std::unique_ptr; `kind` says which struct it
// is. To walk:
//
//   visit(expr, [&](const auto& e) { ... });          // e is the concrete type
//   if (auto* call = dyn_cast<Call>(&expr)) { ... }   // or test one kind
//   switch (expr.kind) { case NodeKind::Call: ...; }   // or switch yourself
//
// Spans are half-open byte ranges into the file (lang/source.h). A node's span
// covers its text without surrounding whitespace or comments; an expression
// written in parentheses has the span of what is inside and `parenthesized`
// set. Names are copied out of the source (std::string), so the tree does not
// depend on the SourceManager's lifetime.
//
// Guarantees of a tree returned by parse(): every pointer documented as
// non-null is non-null; expression trees are at most `kMaxNesting` levels
// deep, so recursive walkers cannot overflow the stack; numbers and dates are
// syntactically valid (see Number and DateLit for what the checker still
// validates).
//
// Thread safety: a tree is immutable after parse() returns and may be read
// from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lang/source.h"

namespace yibao::ast {

// The deepest nesting the parser accepts, for expressions (parentheses,
// calls, operators, `if` chains, ...) and for records inside `input`.
// Deeper input is reported as `nesting_too_deep`.
inline constexpr uint32_t kMaxNesting = 200;

// ---------------------------------------------------------------- node kinds

enum class NodeKind : uint8_t {
#define YIBAO_AST_NODE(Kind, Base) Kind,
#include "lang/ast_nodes.def"
};

// "NumberLit", "Decl", ...
[[nodiscard]] std::string_view node_kind_name(NodeKind kind);

// ------------------------------------------------------------- small values

// A name as written: `basic_cap`, a policy identifier `national-2024`, ...
struct Ident {
  std::string text;
  Span span;
};

// A dotted path of names: `claim.total`, `std.resident`, `policy.year`.
// Never empty when produced by the parser.
struct Path {
  std::vector<Ident> parts;
  Span span;

  // "claim.total"
  [[nodiscard]] std::string dotted() const;
};

// A string literal, unescaped (the value, without quotes).
struct StringValue {
  std::string value;
  Span span;
};

// A number as written, with its exact value. `micros` is the value times
// 10^6 (`8916.5` -> 8'916'500'000); the parser reports a literal with more
// than 6 decimals or a value of 2^63 / 10^6 or more as an error (the literal
// then has micros = 0). `decimals` counts the digits after the point as
// written (`26700.00` has 2), for rules such as "money has at most two".
struct Number {
  std::string text;  // "8916.5", digits and '.' only (no unit, sign or '%')
  int64_t micros = 0;
  uint8_t decimals = 0;
  Span span;

  [[nodiscard]] bool is_integer() const { return decimals == 0; }
  // The integer value; precondition: is_integer().
  [[nodiscard]] int64_t integer() const { return micros / 1'000'000; }
};

// A key of a table row or of a `match` arm: a member name or a number.
struct Key {
  std::string text;               // as written: "tekun", "1"
  std::optional<Number> number;   // set when the key is a number
  Span span;

  [[nodiscard]] bool is_number() const { return number.has_value(); }
};

// The built-in types, in the order of the language reference.
enum class BuiltinType : uint8_t { money, rate, points, count, boolean, date, duration, text, brackets };

// "money", "rate", ..., "bool", ...: the keyword of a built-in type.
[[nodiscard]] std::string_view builtin_type_name(BuiltinType type);
// The built-in type a word names, if any ("bool" -> boolean).
[[nodiscard]] std::optional<BuiltinType> builtin_type_from_name(std::string_view word);

// A type as written after `:`. `money`, `level` (an enumeration or domain),
// `set of category`, each optionally followed by `?`.
struct TypeRef {
  enum class Form : uint8_t { builtin, named, set_of };
  Form form = Form::named;
  BuiltinType builtin = BuiltinType::money;  // when form == builtin
  Ident name;         // the word for builtin and named; the element for set_of
  bool optional = false;  // trailing `?`
  Span span;
};

// ------------------------------------------------------------------ nodes

struct Node {
  explicit Node(NodeKind k) : kind(k) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  virtual ~Node() = default;

  NodeKind kind;
  Span span;
};

struct Expr : Node {
  using Node::Node;
  bool parenthesized = false;  // written as `( ... )`
};
using ExprPtr = std::unique_ptr<Expr>;

struct Item : Node {
  using Node::Node;
};
using ItemPtr = std::unique_ptr<Item>;

struct InputMember : Node {
  using Node::Node;
};
using InputMemberPtr = std::unique_ptr<InputMember>;

struct SectionMember : Node {
  using Node::Node;
};
using SectionMemberPtr = std::unique_ptr<SectionMember>;

struct ExampleMember : Node {
  using Node::Node;
};
using ExampleMemberPtr = std::unique_ptr<ExampleMember>;

// Every concrete node struct derives from NodeOf<its base, its kind>, which
// sets `kind` and gives the static `node_kind` used by isa/dyn_cast.
#define YIBAO_AST_NODE(Kind, Base) struct Kind;
#include "lang/ast_nodes.def"

template <typename Base, NodeKind K>
struct NodeOf : Base {
  static constexpr NodeKind node_kind = K;
  NodeOf() : Base(K) {}
};

// ------------------------------------------------------------ expressions

// How a number literal is written: `300`, `80%`, `5 points`, `90 days`, `3 months`.
enum class Unit : uint8_t { none, percent, points, days, months };
[[nodiscard]] std::string_view unit_name(Unit unit);  // "", "%", "points", "days", "months"

// `80%` is Number 80 with Unit::percent (micros 80'000'000): the value is as
// written, in percent. `-10 points` is Unary(neg, NumberLit 10 points).
struct NumberLit : NodeOf<Expr, NodeKind::NumberLit> {
  Number number;
  Unit unit = Unit::none;
};

// `2024-02-29`. The parser checks the form (four, two and two digits); the
// checker checks that it is a real day (month 1..12, day within the month).
struct DateLit : NodeOf<Expr, NodeKind::DateLit> {
  int32_t year = 0;
  int32_t month = 0;
  int32_t day = 0;
};

struct BoolLit : NodeOf<Expr, NodeKind::BoolLit> {
  bool value = false;
};

struct StringLit : NodeOf<Expr, NodeKind::StringLit> {
  std::string value;  // unescaped
};

// `{a, b}`; `{}` has no elements.
struct SetLit : NodeOf<Expr, NodeKind::SetLit> {
  std::vector<ExprPtr> elements;  // each non-null
};

// One segment of a bracket schedule: `lo to hi: rate` or `above lo: rate`.
struct Segment {
  Number lo;
  std::optional<Number> hi;  // absent for `above lo`
  ExprPtr rate;              // non-null
  Span span;

  [[nodiscard]] bool is_above() const { return !hi.has_value(); }
};

// `{ 0 to 10000: 60%  10000 to 100000: 70%  above 100000: 80% }`; at least one
// segment. Also the value of a brackets-typed parameter written directly
// (`param r: brackets { ... }`) and of each row of a brackets table.
struct BracketsLit : NodeOf<Expr, NodeKind::BracketsLit> {
  std::vector<Segment> segments;
};

// A name or dotted path: `basic_cap`, `claim.total`, `remote.longterm`,
// `national.fiscal_subsidy`, `policy.year`. What it refers to is for the
// checker to resolve.
struct NameRef : NodeOf<Expr, NodeKind::NameRef> {
  Path path;
};

// `f(a, b)`: a function (built-in, of the stdlib, of the policy, or reached
// through a `use ... as` alias: `national.f(x)`).
struct Call : NodeOf<Expr, NodeKind::Call> {
  Path callee;
  std::vector<ExprPtr> args;  // each non-null; may be empty
};

// `t[k]`, `t[k1, k2]`: a table lookup (also of a brackets table or a keyed ledger).
struct Index : NodeOf<Expr, NodeKind::Index> {
  ExprPtr base;               // non-null
  std::vector<ExprPtr> keys;  // at least one, each non-null
};

enum class UnaryOp : uint8_t { neg, logical_not };
[[nodiscard]] std::string_view unary_op_name(UnaryOp op);  // "-", "not"

struct Unary : NodeOf<Expr, NodeKind::Unary> {
  UnaryOp op = UnaryOp::neg;
  ExprPtr operand;  // non-null
  Span op_span;
};

enum class BinaryOp : uint8_t {
  mul,
  add,
  sub,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,       // x in s          (membership; s a set expression)
  has,      // s has m
  has_any,  // s has any t
  logical_and,
  logical_or,
};
// "*", "+", "-", "==", "!=", "<", "<=", ">", ">=", "in", "has", "has any", "and", "or"
[[nodiscard]] std::string_view binary_op_name(BinaryOp op);

struct Binary : NodeOf<Expr, NodeKind::Binary> {
  BinaryOp op = BinaryOp::add;
  ExprPtr lhs;  // non-null
  ExprPtr rhs;  // non-null
  Span op_span;
};

// `x in lo..hi` (inclusive).
struct InRange : NodeOf<Expr, NodeKind::InRange> {
  ExprPtr value;  // non-null
  ExprPtr lo;     // non-null
  ExprPtr hi;     // non-null
};

// `if c then a else b`; `else if` is an If in `else_value`.
struct If : NodeOf<Expr, NodeKind::If> {
  ExprPtr condition;   // non-null
  ExprPtr then_value;  // non-null
  ExprPtr else_value;  // non-null
};

// One arm of a `match`: `k1, k2: value` or `else: value`.
struct MatchArm {
  std::vector<Key> keys;  // empty for `else`
  bool is_else = false;
  ExprPtr value;  // non-null
  Span span;
};

struct Match : NodeOf<Expr, NodeKind::Match> {
  ExprPtr subject;              // non-null
  std::vector<MatchArm> arms;   // in order; may be empty
};

// `highest c in s: body else fallback` (就高不就低).
struct Highest : NodeOf<Expr, NodeKind::Highest> {
  Ident var;
  ExprPtr set;       // non-null
  ExprPtr body;      // non-null
  ExprPtr fallback;  // non-null
};

// One line of an `adjust` block: `[override] value when condition`.
struct AdjustLine {
  bool is_override = false;
  ExprPtr value;      // non-null: points to add, or the rate of an override
  ExprPtr condition;  // non-null
  Span span;
};

// `adjust base { lines }`.
struct Adjust : NodeOf<Expr, NodeKind::Adjust> {
  ExprPtr base;  // non-null
  std::vector<AdjustLine> lines;
};

// `unspecified`, `unspecified "words"`, `unspecified name "words"`. The words
// are optional in the grammar (an example writes `expect settlement.error =
// unspecified`); where they are required is for the checker to say.
struct Unspecified : NodeOf<Expr, NodeKind::Unspecified> {
  std::optional<Ident> name;
  std::optional<StringValue> words;
};

// ---------------------------------------------------------------- header

struct HeaderField {
  enum class Kind : uint8_t { region, year, source, extends };
  Kind kind = Kind::region;
  StringValue text;  // region, source
  Number year;       // year
  Ident policy;      // extends
  Span span;
};
[[nodiscard]] std::string_view header_field_name(HeaderField::Kind kind);  // "region", ...

// `policy liaoyuan-2023 "title" { region "..." year 2023 source "..." extends x }`.
// Fields in source order; repeated or missing fields are for the checker.
struct PolicyHeader {
  Ident id;
  StringValue title;
  std::vector<HeaderField> fields;
  Span span;

  // The first field of a kind, or null.
  [[nodiscard]] const HeaderField* find(HeaderField::Kind kind) const;
};

// `module std.resident "title"`.
struct ModuleHeader {
  Path name;
  std::optional<StringValue> title;
  Span span;
};

// `examples for liaoyuan-2023`.
struct ExamplesHeader {
  Ident policy;
  Span span;
};

// ----------------------------------------------------------------- items

// `use std.resident` (a module) or `use national-2024 as national` (a policy,
// always with an alias).
struct Use : NodeOf<Item, NodeKind::Use> {
  enum class Target : uint8_t { module, policy };
  Target target = Target::module;
  Path name;  // module: its dotted name; policy: one part, the identifier
  std::optional<Ident> alias;
};

struct EnumMember {
  Ident name;
  std::optional<StringValue> label;
  Span span;
};

struct Enum : NodeOf<Item, NodeKind::Enum> {
  Ident name;
  std::optional<StringValue> label;
  std::vector<EnumMember> members;
};

// `domain level 1..3 "label"`.
struct Domain : NodeOf<Item, NodeKind::Domain> {
  Ident name;
  Number lo;
  Number hi;
  std::optional<StringValue> label;
};

// `input { ... }`: the request schema.
struct Input : NodeOf<Item, NodeKind::Input> {
  std::vector<InputMemberPtr> members;
};

// `name: type [= default]`.
struct InputField : NodeOf<InputMember, NodeKind::InputField> {
  Ident name;
  TypeRef type;
  ExprPtr default_value;  // null when there is none
};

// `name { ... }` or `name? { ... }` (an optional record).
struct InputRecord : NodeOf<InputMember, NodeKind::InputRecord> {
  Ident name;
  bool optional = false;
  std::vector<InputMemberPtr> members;
};

// `check condition else field: "message"`.
struct InputCheck : NodeOf<InputMember, NodeKind::InputCheck> {
  ExprPtr condition;  // non-null
  Path field;
  StringValue message;
};

// `ledger key person.id`.
struct InputLedgerKey : NodeOf<InputMember, NodeKind::InputLedgerKey> {
  Path path;
};

enum class Modifier : uint8_t { none, default_, override_ };
[[nodiscard]] std::string_view modifier_name(Modifier modifier);  // "", "default", "override"

enum class DeclKind : uint8_t { param, fact, rule, payout };
[[nodiscard]] std::string_view decl_kind_name(DeclKind kind);  // "param", ...

// A key of a table (`by level`, `by level 1..2`) or of a ledger.
struct TableKey {
  Ident name;
  std::optional<Number> lo;  // both or neither
  std::optional<Number> hi;
  Span span;

  [[nodiscard]] bool has_range() const { return lo.has_value(); }
};

// One row: `k1, k2: v1, v2`, `else: v1, v2`, or for brackets tables
// `k { segments }` (then `values` holds one BracketsLit and brace_form is set;
// `k: { segments }` is the same row written with a colon).
struct TableRow {
  std::vector<Key> keys;  // empty for `else`
  bool is_else = false;
  std::vector<ExprPtr> values;  // at least one, each non-null
  bool brace_form = false;
  Span span;
};

// `by key[, key] { rows }`.
struct Table {
  std::vector<TableKey> keys;  // one or two
  std::vector<TableRow> rows;
  Span span;
};

// `[default|override] param|fact|rule|payout name: type` followed by
//   nothing            body == Body::none (abstract)
//   `= expr`           body == Body::value, `value` set
//   `by keys { rows }` body == Body::table, `table` set
//   `{ segments }`     body == Body::brackets, `value` is a BracketsLit
struct Decl : NodeOf<Item, NodeKind::Decl> {
  enum class Body : uint8_t { none, value, table, brackets };
  Modifier modifier = Modifier::none;
  Span modifier_span;  // empty without a modifier
  DeclKind decl_kind = DeclKind::param;
  Ident name;
  TypeRef type;
  Body body = Body::none;
  ExprPtr value;                // Body::value, Body::brackets
  std::optional<Table> table;   // Body::table
};

struct FnParam {
  Ident name;
  TypeRef type;
  Span span;
};

// `[default|override] fn name(a: t, ...): t [= body]`.
struct Fn : NodeOf<Item, NodeKind::Fn> {
  Modifier modifier = Modifier::none;
  Span modifier_span;
  Ident name;
  std::vector<FnParam> params;
  TypeRef result;
  ExprPtr body;  // null: abstract
};

// `ledger name: money [by key [lo..hi]] ["label"]`. The type is parsed as any
// type; that it is `money` is for the checker.
struct Ledger : NodeOf<Item, NodeKind::Ledger> {
  Ident name;
  TypeRef type;
  std::optional<TableKey> key;
  std::optional<StringValue> label;
};

// `section name [when condition] { members }`.
struct Section : NodeOf<Item, NodeKind::Section> {
  Ident name;
  ExprPtr condition;  // null when there is no `when`
  std::vector<SectionMemberPtr> members;
};

// `reason name when condition`.
struct SectionReason : NodeOf<SectionMember, NodeKind::SectionReason> {
  Ident reason;
  ExprPtr condition;  // non-null
};

// `name = value [otherwise value] [when condition]`.
struct SectionField : NodeOf<SectionMember, NodeKind::SectionField> {
  Ident name;
  ExprPtr value;      // non-null
  ExprPtr otherwise;  // null when absent
  ExprPtr condition;  // null when absent
};

// `ledger[key] += value [when condition]`.
struct AfterEntry {
  Ident ledger;
  ExprPtr key;        // null when the ledger is not indexed
  ExprPtr value;      // non-null
  ExprPtr condition;  // null when absent
  Span span;
};

// `after settlement { entries }`.
struct After : NodeOf<Item, NodeKind::After> {
  Ident name;
  std::vector<AfterEntry> entries;
};

// `example "name" { members }`.
struct Example : NodeOf<Item, NodeKind::Example> {
  StringValue name;
  std::vector<ExampleMemberPtr> members;
};

// `path = value` (a request field) or `expect path = value` (a result).
struct ExampleSet : NodeOf<ExampleMember, NodeKind::ExampleSet> {
  bool expect = false;
  Path path;
  ExprPtr value;  // non-null
};

// `request "name" { members }`: members are ExampleSet only.
struct ExampleRequest : NodeOf<ExampleMember, NodeKind::ExampleRequest> {
  StringValue name;
  std::vector<ExampleMemberPtr> members;
};

// ------------------------------------------------------------------ file

struct File {
  enum class HeaderKind : uint8_t { none, policy, module, examples };

  FileId file;
  HeaderKind header_kind = HeaderKind::none;
  std::optional<PolicyHeader> policy;      // HeaderKind::policy
  std::optional<ModuleHeader> module;      // HeaderKind::module
  std::optional<ExamplesHeader> examples;  // HeaderKind::examples
  std::vector<ItemPtr> items;              // in source order
  // Text the parser skipped after a syntax error (one span per error, from
  // the start of the broken item to where parsing resumed).
  std::vector<Span> skipped;
};

// ---------------------------------------------------------------- casting

template <typename T>
[[nodiscard]] bool isa(const Node& node) {
  return node.kind == T::node_kind;
}
template <typename T>
[[nodiscard]] const T* dyn_cast(const Node* node) {
  return node != nullptr && node->kind == T::node_kind ? static_cast<const T*>(node) : nullptr;
}
template <typename T>
[[nodiscard]] T* dyn_cast(Node* node) {
  return node != nullptr && node->kind == T::node_kind ? static_cast<T*>(node) : nullptr;
}

[[noreturn]] void unreachable_node_kind(NodeKind kind);

// visit(node, f) calls f with the node as its concrete type. One overload per
// family; f must accept every kind of the family and return one type.
// Generated per family from ast_nodes.def: every kind of the family is a case;
// the kinds of other families cannot occur (the static type says which).
#define YIBAO_AST_CASE(Kind) \
  case NodeKind::Kind:       \
    return std::forward<F>(f)(static_cast<const Kind&>(node));
#define YIBAO_AST_OTHER(Kind, Base) \
  case NodeKind::Kind:              \
    break;

template <typename F>
decltype(auto) visit(const Expr& node, F&& f) {
  switch (node.kind) {
#define YIBAO_AST_EXPR(Kind) YIBAO_AST_CASE(Kind)
#define YIBAO_AST_NODE(Kind, Base) YIBAO_AST_OTHER(Kind, Base)
#include "lang/ast_nodes.def"
  }
  unreachable_node_kind(node.kind);
}

template <typename F>
decltype(auto) visit(const Item& node, F&& f) {
  switch (node.kind) {
#define YIBAO_AST_ITEM(Kind) YIBAO_AST_CASE(Kind)
#define YIBAO_AST_NODE(Kind, Base) YIBAO_AST_OTHER(Kind, Base)
#include "lang/ast_nodes.def"
  }
  unreachable_node_kind(node.kind);
}

template <typename F>
decltype(auto) visit(const InputMember& node, F&& f) {
  switch (node.kind) {
#define YIBAO_AST_INPUT_MEMBER(Kind) YIBAO_AST_CASE(Kind)
#define YIBAO_AST_NODE(Kind, Base) YIBAO_AST_OTHER(Kind, Base)
#include "lang/ast_nodes.def"
  }
  unreachable_node_kind(node.kind);
}

template <typename F>
decltype(auto) visit(const SectionMember& node, F&& f) {
  switch (node.kind) {
#define YIBAO_AST_SECTION_MEMBER(Kind) YIBAO_AST_CASE(Kind)
#define YIBAO_AST_NODE(Kind, Base) YIBAO_AST_OTHER(Kind, Base)
#include "lang/ast_nodes.def"
  }
  unreachable_node_kind(node.kind);
}

template <typename F>
decltype(auto) visit(const ExampleMember& node, F&& f) {
  switch (node.kind) {
#define YIBAO_AST_EXAMPLE_MEMBER(Kind) YIBAO_AST_CASE(Kind)
#define YIBAO_AST_NODE(Kind, Base) YIBAO_AST_OTHER(Kind, Base)
#include "lang/ast_nodes.def"
  }
  unreachable_node_kind(node.kind);
}

#undef YIBAO_AST_CASE
#undef YIBAO_AST_OTHER

// Calls f(const Expr&) for each direct sub-expression of `expr`, in source
// order (segments' rates, arms' values, adjust lines' values and conditions
// included).
template <typename F>
void for_each_child(const Expr& expr, F&& f);

}  // namespace yibao::ast

// --------------------------------------------------------- implementation

namespace yibao::ast {

template <typename F>
void for_each_child(const Expr& expr, F&& f) {
  auto each = [&](const ExprPtr& e) {
    if (e) f(*e);
  };
  switch (expr.kind) {
    case NodeKind::NumberLit:
    case NodeKind::DateLit:
    case NodeKind::BoolLit:
    case NodeKind::StringLit:
    case NodeKind::NameRef:
    case NodeKind::Unspecified:
      return;
    case NodeKind::SetLit:
      for (const auto& e : static_cast<const SetLit&>(expr).elements) each(e);
      return;
    case NodeKind::BracketsLit:
      for (const auto& s : static_cast<const BracketsLit&>(expr).segments) each(s.rate);
      return;
    case NodeKind::Call:
      for (const auto& e : static_cast<const Call&>(expr).args) each(e);
      return;
    case NodeKind::Index: {
      const auto& index = static_cast<const Index&>(expr);
      each(index.base);
      for (const auto& e : index.keys) each(e);
      return;
    }
    case NodeKind::Unary:
      each(static_cast<const Unary&>(expr).operand);
      return;
    case NodeKind::Binary: {
      const auto& binary = static_cast<const Binary&>(expr);
      each(binary.lhs);
      each(binary.rhs);
      return;
    }
    case NodeKind::InRange: {
      const auto& range = static_cast<const InRange&>(expr);
      each(range.value);
      each(range.lo);
      each(range.hi);
      return;
    }
    case NodeKind::If: {
      const auto& e = static_cast<const If&>(expr);
      each(e.condition);
      each(e.then_value);
      each(e.else_value);
      return;
    }
    case NodeKind::Match: {
      const auto& match = static_cast<const Match&>(expr);
      each(match.subject);
      for (const auto& arm : match.arms) each(arm.value);
      return;
    }
    case NodeKind::Highest: {
      const auto& highest = static_cast<const Highest&>(expr);
      each(highest.set);
      each(highest.body);
      each(highest.fallback);
      return;
    }
    case NodeKind::Adjust: {
      const auto& adjust = static_cast<const Adjust&>(expr);
      each(adjust.base);
      for (const auto& line : adjust.lines) {
        each(line.value);
        each(line.condition);
      }
      return;
    }
#define YIBAO_AST_EXPR(Kind)
#define YIBAO_AST_NODE(Kind, Base) case NodeKind::Kind:
#include "lang/ast_nodes.def"
      break;
  }
  unreachable_node_kind(expr.kind);
}

}  // namespace yibao::ast
