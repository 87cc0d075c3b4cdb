// The parser: runs the PEGTL grammar (lang/grammar.h) once per declaration
// into a parse tree, turns each tree into AST nodes (class Builder), and
// recovers from syntax errors between declarations (parse()).
//
// This is the only file that instantiates the grammar for parsing; PEGTL is
// template-heavy, so keep it that way.
#include "lang/parser.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <tao/pegtl.hpp>

#include "lang/grammar.h"
#include "lang/grammar_errors.h"

namespace yibao {
namespace {

namespace g = grammar;
namespace pegtl = tao::pegtl;

// ------------------------------------------------------------- parse tree

// The grammar rules whose matches become parse-tree nodes, listed once:
// N(rule) always makes a node; F(rule) makes one unless it has a single
// child, which then stands for it (the expression levels: a lone `a` is not
// an add_expr). Every other rule is transparent: the nodes of its matches
// become children of the nearest enclosing node.
#define YIBAO_PARSE_NODES(N, F)                                                                                    \
  /* leaves */                                                                                                     \
  N(name) N(field_name) N(policy_id) N(number) N(date_lit) N(string_lit) N(true_lit) N(false_lit) N(else_key)      \
  N(unit_percent) N(unit_points) N(unit_days) N(unit_months) N(op_neg) N(op_not) N(op_mul) N(op_add) N(op_sub)     \
  N(op_eq) N(op_ne) N(op_le) N(op_lt) N(op_ge) N(op_gt) N(op_in) N(op_has) N(op_has_any) N(op_and) N(op_or)        \
  N(adjust_override) N(type_optional) N(record_optional) N(kw_param) N(kw_fact) N(kw_rule) N(kw_payout)           \
  N(kw_default) N(kw_override)                                                                                     \
  /* expressions */                                                                                                \
  N(number_lit) N(paren_expr) N(set_lit) N(brackets_lit) N(segment_bounded) N(segment_above) N(path) N(call_args) \
  N(index_args) N(if_expr) N(highest_expr) N(match_expr) N(match_arm) N(arm_keys) N(adjust_expr) N(adjust_line)   \
  N(unspecified_expr) F(postfix_expr) F(unary_expr) F(mul_expr) F(add_expr) F(compare_expr) F(not_expr)           \
  F(and_expr) F(or_expr)                                                                                           \
  /* types, header, items */                                                                                       \
  N(type_ref) N(type_set) N(dotted_name) N(policy_header) N(header_region) N(header_year) N(header_source)         \
  N(header_extends) N(module_header) N(examples_header) N(use_decl) N(enum_decl) N(enum_member) N(domain_decl)    \
  N(input_decl) N(input_field) N(input_record) N(input_check) N(input_ledger_key) N(decl) N(decl_brackets)        \
  N(table_body) N(table_key) N(row_keys) N(table_row) N(row_brackets) N(fn_decl) N(fn_param) N(ledger_decl)       \
  N(section_decl) N(section_when) N(section_reason) N(section_field) N(field_otherwise) N(field_when)             \
  N(after_decl) N(after_entry) N(after_key) N(after_when) N(example_decl) N(example_expect) N(example_assign)     \
  N(example_request)

// The type of a parse-tree node: the rule it matched.
enum class T : uint8_t {
  none,
#define YIBAO_NODE(rule) rule,
  YIBAO_PARSE_NODES(YIBAO_NODE, YIBAO_NODE)
#undef YIBAO_NODE
};

constexpr std::string_view kNodeTypeNames[] = {
    "none",
#define YIBAO_NODE(rule) #rule,
    YIBAO_PARSE_NODES(YIBAO_NODE, YIBAO_NODE)
#undef YIBAO_NODE
};

template <typename Rule>
inline constexpr T node_type = T::none;
template <typename Rule>
inline constexpr bool folds = false;
#define YIBAO_NODE(rule) \
  template <>            \
  inline constexpr T node_type<g::rule> = T::rule;
#define YIBAO_FOLD(rule) \
  YIBAO_NODE(rule)       \
  template <>            \
  inline constexpr bool folds<g::rule> = true;
YIBAO_PARSE_NODES(YIBAO_NODE, YIBAO_FOLD)
#undef YIBAO_NODE
#undef YIBAO_FOLD
#undef YIBAO_PARSE_NODES

// One node: the rule, the byte range it matched (starting with the
// whitespace the rule skipped first), its children.
struct TNode {
  T type = T::none;
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t first = 0;  // index of the first child in Tree::links_
  uint32_t count = 0;  // number of children
};

// The parse tree of one declaration, built by `tree_control` as the grammar
// runs: a stack of finished nodes; a rule's node takes as children the
// nodes pushed since the rule started. Nodes of failed attempts are dropped
// from the stack (their storage is reused at the next declaration).
class Tree {
 public:
  void clear() {
    nodes_.clear();
    links_.clear();
    stack_.clear();
    opens_.clear();
  }
  void open(uint32_t at) { opens_.push_back(Open{static_cast<uint32_t>(stack_.size()), at}); }
  void close(T type, bool fold, uint32_t at) {
    const Open open = opens_.back();
    opens_.pop_back();
    const auto count = static_cast<uint32_t>(stack_.size()) - open.mark;
    if (fold && count == 1) return;  // the child stands for the node
    const auto first = static_cast<uint32_t>(links_.size());
    links_.insert(links_.end(), stack_.begin() + open.mark, stack_.end());
    stack_.resize(open.mark);
    nodes_.push_back(TNode{type, open.begin, at, first, count});
    stack_.push_back(static_cast<uint32_t>(nodes_.size() - 1));
  }
  void abandon() {
    stack_.resize(opens_.back().mark);
    opens_.pop_back();
  }

  // The nodes left at the top level after a successful parse.
  [[nodiscard]] size_t root_count() const { return stack_.size(); }
  [[nodiscard]] const TNode& root(size_t i) const { return nodes_[stack_.at(i)]; }
  [[nodiscard]] const TNode& child(const TNode& n, size_t i) const {
    if (i >= n.count) throw std::out_of_range("parse tree");
    return nodes_[links_[n.first + i]];
  }

 private:
  struct Open {
    uint32_t mark;   // stack size when the rule started
    uint32_t begin;  // where it started
  };
  std::vector<TNode> nodes_;
  std::vector<uint32_t> links_;
  std::vector<uint32_t> stack_;
  std::vector<Open> opens_;
};

// A syntax error: the message of the rule that was required
// (lang/grammar_errors.h) and where the input stood.
struct SyntaxError {
  const char* message;
  uint32_t offset;
};

// The control of every parse. Builds the Tree for the rules listed above, and
// raises the grammar's error messages: the must_if<> pattern of PEGTL 3.x (a
// message per required rule, checked at compile time), but throwing a plain
// SyntaxError with a byte offset rather than a tao::pegtl::parse_error, whose
// line and column the lazy input would compute by rescanning the file.
template <typename Rule>
struct tree_control : pegtl::normal<Rule> {
  template <typename ParseInput>
  static uint32_t offset(const ParseInput& in) {
    return static_cast<uint32_t>(in.current() - in.begin());
  }
  template <typename ParseInput, typename... States>
  static void start(const ParseInput& in, g::ParseState& /*unused*/, Tree& tree, States&&... /*unused*/) {
    if constexpr (node_type<Rule> != T::none) tree.open(offset(in));
  }
  template <typename ParseInput, typename... States>
  static void success(const ParseInput& in, g::ParseState& /*unused*/, Tree& tree, States&&... /*unused*/) {
    if constexpr (node_type<Rule> != T::none) tree.close(node_type<Rule>, folds<Rule>, offset(in));
  }
  template <typename ParseInput, typename... States>
  static void failure(const ParseInput& /*unused*/, g::ParseState& /*unused*/, Tree& tree, States&&... /*unused*/) {
    if constexpr (node_type<Rule> != T::none) tree.abandon();
  }
  template <typename ParseInput, typename... States>
  [[noreturn]] static void raise(const ParseInput& in, States&&... /*unused*/) {
    static_assert(g::error_message<Rule> != nullptr, "a rule under must<> needs a message in lang/grammar_errors.h");
    throw SyntaxError{g::error_message<Rule>, offset(in)};
  }
};

using Input = pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, const char*>;

// ---------------------------------------------------------------- lexical

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The first offset at or after `pos` (and before `limit`) that is not
// whitespace or inside a comment.
uint32_t skip_blank(std::string_view text, uint32_t pos, uint32_t limit) {
  while (pos < limit) {
    const char c = text[pos];
    if (is_blank(c)) {
      ++pos;
    } else if (c == '#') {
      while (pos < limit && text[pos] != '\n') ++pos;
    } else {
      break;
    }
  }
  return pos;
}

std::string_view word_at(std::string_view text, uint32_t pos) {
  uint32_t end = pos;
  if (end < text.size() && is_word_start(text[end])) {
    while (end < text.size() && is_word_char(text[end])) ++end;
  }
  return text.substr(pos, end - pos);
}

// The declaration keywords parsing resumes at after an error (in column 1).
constexpr std::array<std::string_view, 15> kItemKeywords = {
    "use",   "enum",   "domain", "input",   "param",   "fact",    "rule",    "payout",
    "fn",    "ledger", "section", "after",  "example", "default", "override"};

bool is_item_keyword(std::string_view word) {
  return std::find(kItemKeywords.begin(), kItemKeywords.end(), word) != kItemKeywords.end();
}

// Full-width and typographic characters an analyst typing Chinese text, or
// copying from a document, may put where ASCII is needed.
struct Lookalike {
  char32_t code_point;
  std::string_view ascii;
};
constexpr std::array<Lookalike, 27> kLookalikes = {{
    {U'\uFF0C', ","}, {U'\u3001', ","}, {U'\uFF1A', ":"}, {U'\uFF1B', ";"}, {U'\uFF08', "("},
    {U'\uFF09', ")"}, {U'\uFF1D', "="}, {U'\uFF05', "%"}, {U'\u201C', "\""}, {U'\u201D', "\""},
    {U'\uFF02', "\""}, {U'\uFF5B', "{"}, {U'\uFF5D', "}"}, {U'\u3010', "["}, {U'\u3011', "]"},
    {U'\uFF3B', "["}, {U'\uFF3D', "]"}, {U'\uFF0E', "."}, {U'\u3002', "."}, {U'\uFF0B', "+"},
    {U'\uFF0D', "-"}, {U'\u2212', "-"}, {U'\u00D7', "*"}, {U'\uFF0A', "*"}, {U'\uFF1C', "<"},
    {U'\uFF1E', ">"}, {U'\uFF03', "#"},
}};
// Spaces that are not ASCII spaces.
constexpr std::array<char32_t, 3> kOtherSpaces = {U'\u3000', U'\u00A0', U'\u2003'};

// What the parser found at an error: a description for "found ..." and the
// span of the token.
struct Found {
  std::string description;
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string help;  // optional
};

Found describe_token(std::string_view text, uint32_t pos) {
  Found found;
  found.begin = pos;
  const auto size = static_cast<uint32_t>(text.size());
  if (pos >= size) {
    found.description = "the end of the file";
    found.end = pos;
    return found;
  }
  const char c = text[pos];
  uint32_t end = pos + 1;
  if (is_word_start(c)) {
    end = pos;
    while (end < size && is_word_char(text[end])) ++end;
  } else if (is_digit(c)) {
    end = pos;
    while (end < size && (is_digit(text[end]) || text[end] == '.' || text[end] == '-') &&
           !(text[end] == '.' && end + 1 < size && text[end + 1] == '.')) {
      ++end;
    }
    if (end < size && text[end] == '%') ++end;
  } else if (c == '"') {
    end = pos + 1;
    while (end < size && text[end] != '"' && text[end] != '\n') end += (text[end] == '\\' && end + 1 < size) ? 2 : 1;
    end = std::min(size, end + 1);
    found.description = "a string";
    found.end = end;
    return found;
  } else if (static_cast<unsigned char>(c) < 0x80) {
    static constexpr std::array<std::string_view, 7> kPairs = {"==", "!=", "<=", ">=", "+=", "..", "->"};
    for (auto pair : kPairs) {
      if (text.substr(pos, 2) == pair) end = pos + 2;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      found.description = c == '\0' ? "a NUL byte" : fmt::format("the control character U+{:04X}", static_cast<int>(c));
      found.end = pos + 1;
      return found;
    }
  } else {
    const Utf8Char ch = decode_utf8(text, pos);
    found.end = pos + ch.size;
    if (!ch.valid) {
      found.description = fmt::format("a byte that is not UTF-8 (0x{:02X})", static_cast<unsigned char>(c));
      return found;
    }
    found.description = fmt::format("`{}`", text.substr(pos, ch.size));
    for (const auto& lookalike : kLookalikes) {
      if (lookalike.code_point == ch.code_point) {
        found.help = fmt::format("write the ASCII `{}` instead of `{}`", lookalike.ascii, text.substr(pos, ch.size));
      }
    }
    for (char32_t space : kOtherSpaces) {
      if (space == ch.code_point) {
        found.description = fmt::format("a non-ASCII space (U+{:04X})", static_cast<uint32_t>(space));
        found.help = "write an ASCII space";
      }
    }
    return found;
  }
  found.end = end;
  found.description = fmt::format("`{}`", text.substr(pos, end - pos));
  return found;
}

// ---------------------------------------------------------------- builder

// Thrown by the Builder to drop the declaration it is building (after
// reporting why); caught by parse().
struct DropItem {};

// An expression with its height (for the nesting limit) and its span
// including the parentheses it was written in.
struct Built {
  ast::ExprPtr expr;
  uint32_t height = 1;
  Span outer;
};

// Turns parse trees into AST nodes. Each function takes the node of the
// rule it is named after (see YIBAO_PARSE_NODES for the shapes).
class Builder {
 public:
  Builder(std::string_view text, FileId file, Diagnostics& diagnostics, const Tree& tree)
      : text_(text), file_(file), diagnostics_(diagnostics), tree_(&tree) {}

  // ------------------------------------------------------------ basics

  Span span(const TNode& n) const { return Span{file_, skip_blank(text_, n.begin, n.end), n.end}; }

  Span span_between(Span a, Span b) const { return Span{file_, a.begin, std::max(a.end, b.end)}; }

  std::string_view content(const TNode& n) const {
    const Span s = span(n);
    return text_.substr(s.begin, s.end - s.begin);
  }

  template <T type>
  static bool is(const TNode& n) {
    return n.type == type;
  }

  ast::Ident ident(const TNode& n) {
    ast::Ident id{std::string(content(n)), span(n)};
    const bool upper = std::any_of(id.text.begin(), id.text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (upper) {
      std::string lower = id.text;
      for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      diagnostics_.report(DiagnosticCode::syntax_error, id.span, "names are written in lower case, found `{}`", id.text)
          .help(fmt::format("write `{}`", lower));
    }
    return id;
  }

  ast::Path path(const TNode& n) {
    ast::Path p;
    p.span = span(n);
    for (uint32_t i = 0; i < n.count; ++i) p.parts.push_back(ident(child(n, i)));
    return p;
  }

  ast::Number number(const TNode& n) {
    ast::Number num;
    num.span = span(n);
    num.text = std::string(content(n));
    const auto point = num.text.find('.');
    const std::string_view whole = std::string_view(num.text).substr(0, point);
    const std::string_view fraction =
        point == std::string::npos ? std::string_view() : std::string_view(num.text).substr(point + 1);
    num.decimals = static_cast<uint8_t>(std::min<size_t>(fraction.size(), 255));
    if (fraction.size() > 6) {
      diagnostics_.report(DiagnosticCode::invalid_number, num.span, "a number has at most 6 decimals, found `{}`",
                          num.text);
      return num;
    }
    int64_t value = 0;
    bool overflow = false;
    for (char c : whole) {
      overflow = overflow || __builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, c - '0', &value);
    }
    int64_t micros = 0;
    int64_t frac = 0;
    for (size_t i = 0; i < 6; ++i) frac = frac * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    overflow = overflow || __builtin_mul_overflow(value, int64_t{1'000'000}, &micros) ||
               __builtin_add_overflow(micros, frac, &micros);
    if (overflow) {
      diagnostics_.report(DiagnosticCode::invalid_number, num.span, "number too large: `{}`", num.text)
          .note("numbers are kept exactly with 6 decimals, up to about 9.2 × 10¹²");
      return num;
    }
    num.micros = micros;
    return num;
  }

  ast::StringValue string(const TNode& n) {
    ast::StringValue s;
    s.span = span(n);
    const std::string_view raw = content(n);
    const std::string_view body = raw.size() >= 2 ? raw.substr(1, raw.size() - 2) : std::string_view();
    s.value.reserve(body.size());
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] == '\\' && i + 1 < body.size()) {
        ++i;
        s.value += body[i] == 'n' ? '\n' : body[i];
      } else {
        s.value += body[i];
      }
    }
    return s;
  }

  // Children of a node (a short name for loops).
  const TNode& child(const TNode& n, size_t i) const { return tree_->child(n, i); }

  // ---------------------------------------------------------- expressions

  [[noreturn]] void too_deep(Span at) {
    diagnostics_.report(DiagnosticCode::nesting_too_deep, at, "expression nested too deeply (more than {} levels)",
                        ast::kMaxNesting);
    throw DropItem{};
  }

  template <typename T>
  static std::unique_ptr<T> make(Span s) {
    auto node = std::make_unique<T>();
    node->span = s;
    return node;
  }

  Built leaf(ast::ExprPtr e) {
    const Span s = e->span;
    return Built{std::move(e), 1, s};
  }

  Built with_children(ast::ExprPtr e, uint32_t child_height, Span outer) {
    const uint32_t height = child_height + 1;
    if (height > ast::kMaxNesting) too_deep(outer);
    return Built{std::move(e), height, outer};
  }

  ast::ExprPtr expr_ptr(const TNode& n) { return build(n).expr; }

  Built build(const TNode& n) {
    const Span s = span(n);
    if (is<T::number_lit>(n)) {
      auto lit = make<ast::NumberLit>(s);
      lit->number = number(child(n, 0));
      if (n.count > 1) {
        const TNode& unit = child(n, 1);
        lit->unit = is<T::unit_percent>(unit)  ? ast::Unit::percent
                    : is<T::unit_points>(unit) ? ast::Unit::points
                    : is<T::unit_days>(unit)   ? ast::Unit::days
                                               : ast::Unit::months;
      }
      return leaf(std::move(lit));
    }
    if (is<T::date_lit>(n)) {
      auto lit = make<ast::DateLit>(s);
      const std::string_view t = content(n);
      auto digits = [&](size_t from, size_t count) {
        int32_t v = 0;
        for (size_t i = from; i < from + count; ++i) v = v * 10 + (t[i] - '0');
        return v;
      };
      lit->year = digits(0, 4);
      lit->month = digits(5, 2);
      lit->day = digits(8, 2);
      return leaf(std::move(lit));
    }
    if (is<T::true_lit>(n) || is<T::false_lit>(n)) {
      auto lit = make<ast::BoolLit>(s);
      lit->value = is<T::true_lit>(n);
      return leaf(std::move(lit));
    }
    if (is<T::string_lit>(n)) {
      auto lit = make<ast::StringLit>(s);
      lit->value = string(n).value;
      return leaf(std::move(lit));
    }
    if (is<T::set_lit>(n)) {
      auto lit = make<ast::SetLit>(s);
      uint32_t height = 0;
      for (uint32_t i_c = 0; i_c < n.count; ++i_c) {
      const TNode& c = child(n, i_c);
        Built b = build(c);
        height = std::max(height, b.height);
        lit->elements.push_back(std::move(b.expr));
      }
      return with_children(std::move(lit), height, s);
    }
    if (is<T::brackets_lit>(n)) {
      uint32_t height = 0;
      auto lit = brackets(n, height);
      return with_children(std::move(lit), height, s);
    }
    if (is<T::path>(n)) {
      auto ref = make<ast::NameRef>(s);
      ref->path = path(n);
      return leaf(std::move(ref));
    }
    if (is<T::paren_expr>(n)) {
      Built inner = build(child(n, 0));
      inner.expr->parenthesized = true;
      inner.outer = s;
      return inner;
    }
    if (is<T::postfix_expr>(n)) return postfix(n);
    if (is<T::unary_expr>(n) || is<T::not_expr>(n)) return unary(n);
    if (is<T::mul_expr>(n) || is<T::add_expr>(n) || is<T::and_expr>(n) || is<T::or_expr>(n)) return chain(n);
    if (is<T::compare_expr>(n)) return compare(n);
    if (is<T::if_expr>(n)) {
      auto e = make<ast::If>(s);
      Built c = build(child(n, 0));
      Built t = build(child(n, 1));
      Built f = build(child(n, 2));
      const uint32_t height = std::max({c.height, t.height, f.height});
      e->condition = std::move(c.expr);
      e->then_value = std::move(t.expr);
      e->else_value = std::move(f.expr);
      return with_children(std::move(e), height, s);
    }
    if (is<T::highest_expr>(n)) {
      auto e = make<ast::Highest>(s);
      e->var = ident(child(n, 0));
      Built set = build(child(n, 1));
      Built body = build(child(n, 2));
      Built fallback = build(child(n, 3));
      const uint32_t height = std::max({set.height, body.height, fallback.height});
      e->set = std::move(set.expr);
      e->body = std::move(body.expr);
      e->fallback = std::move(fallback.expr);
      return with_children(std::move(e), height, s);
    }
    if (is<T::match_expr>(n)) {
      auto e = make<ast::Match>(s);
      Built subject = build(child(n, 0));
      uint32_t height = subject.height;
      e->subject = std::move(subject.expr);
      for (size_t i = 1; i < n.count; ++i) {
        const TNode& arm_node = child(n, i);
        ast::MatchArm arm;
        arm.span = span(arm_node);
        keys(child(arm_node, 0), arm.keys, arm.is_else);
        Built value = build(child(arm_node, 1));
        height = std::max(height, value.height);
        arm.value = std::move(value.expr);
        e->arms.push_back(std::move(arm));
      }
      return with_children(std::move(e), height, s);
    }
    if (is<T::adjust_expr>(n)) {
      auto e = make<ast::Adjust>(s);
      Built base = build(child(n, 0));
      uint32_t height = base.height;
      e->base = std::move(base.expr);
      for (size_t i = 1; i < n.count; ++i) {
        const TNode& line_node = child(n, i);
        ast::AdjustLine line;
        line.span = span(line_node);
        size_t k = 0;
        if (is<T::adjust_override>(child(line_node, 0))) {
          line.is_override = true;
          k = 1;
        }
        Built value = build(child(line_node, k));
        Built condition = build(child(line_node, k + 1));
        height = std::max({height, value.height, condition.height});
        line.value = std::move(value.expr);
        line.condition = std::move(condition.expr);
        e->lines.push_back(std::move(line));
      }
      return with_children(std::move(e), height, s);
    }
    if (is<T::unspecified_expr>(n)) {
      auto e = make<ast::Unspecified>(s);
      for (uint32_t i_c = 0; i_c < n.count; ++i_c) {
      const TNode& c = child(n, i_c);
        if (is<T::name>(c)) e->name = ident(c);
        if (is<T::string_lit>(c)) e->words = string(c);
      }
      return leaf(std::move(e));
    }
    // Unreachable for trees of this grammar.
    diagnostics_.report(DiagnosticCode::syntax_error, s, "internal error: unexpected parse node `{}`",
                        kNodeTypeNames[static_cast<size_t>(n.type)]);
    throw DropItem{};
  }

  std::unique_ptr<ast::BracketsLit> brackets(const TNode& n, uint32_t& height) {
    auto lit = make<ast::BracketsLit>(span(n));
    for (uint32_t i_c = 0; i_c < n.count; ++i_c) {
      const TNode& c = child(n, i_c);
      ast::Segment seg;
      seg.span = span(c);
      seg.lo = number(child(c, 0));
      size_t rate_index = 1;
      if (is<T::segment_bounded>(c)) {
        seg.hi = number(child(c, 1));
        rate_index = 2;
      }
      Built rate = build(child(c, rate_index));
      height = std::max(height, rate.height);
      seg.rate = std::move(rate.expr);
      lit->segments.push_back(std::move(seg));
    }
    return lit;
  }

  void keys(const TNode& n, std::vector<ast::Key>& out, bool& is_else) {
    for (uint32_t i_c = 0; i_c < n.count; ++i_c) {
      const TNode& c = child(n, i_c);
      if (is<T::else_key>(c)) {
        is_else = true;
        continue;
      }
      ast::Key key;
      key.span = span(c);
      if (is<T::number>(c)) {
        key.number = number(c);
        key.text = key.number->text;
      } else {
        key.text = ident(c).text;
      }
      out.push_back(std::move(key));
    }
  }

  // [primary, call_args?, index_args*]
  Built postfix(const TNode& n) {
    size_t i = 1;
    Built current;
    if (is<T::path>(child(n, 0)) && n.count > 1 && is<T::call_args>(child(n, 1))) {
      const TNode& args = child(n, 1);
      auto call = make<ast::Call>(span_between(span(child(n, 0)), span(args)));
      call->callee = path(child(n, 0));
      uint32_t height = 0;
      for (uint32_t i_a = 0; i_a < args.count; ++i_a) {
      const TNode& a = child(args, i_a);
        Built arg = build(a);
        height = std::max(height, arg.height);
        call->args.push_back(std::move(arg.expr));
      }
      const Span s = call->span;
      current = with_children(std::move(call), height, s);
      i = 2;
    } else {
      current = build(child(n, 0));
    }
    for (; i < n.count; ++i) {
      const TNode& args = child(n, i);
      const Span s = span_between(current.outer, span(args));
      auto index = make<ast::Index>(s);
      uint32_t height = current.height;
      index->base = std::move(current.expr);
      for (uint32_t i_a = 0; i_a < args.count; ++i_a) {
      const TNode& a = child(args, i_a);
        Built key = build(a);
        height = std::max(height, key.height);
        index->keys.push_back(std::move(key.expr));
      }
      current = with_children(std::move(index), height, s);
    }
    return current;
  }

  // [op*, operand]: `- - x`, `not not x`.
  Built unary(const TNode& n) {
    const size_t last = n.count - 1;
    Built current = build(child(n, last));
    for (size_t i = last; i-- > 0;) {
      const TNode& op = child(n, i);
      const Span s = span_between(span(op), current.outer);
      auto e = make<ast::Unary>(s);
      e->op = is<T::op_neg>(op) ? ast::UnaryOp::neg : ast::UnaryOp::logical_not;
      e->op_span = span(op);
      const uint32_t height = current.height;
      e->operand = std::move(current.expr);
      current = with_children(std::move(e), height, s);
    }
    return current;
  }

  static ast::BinaryOp binary_op(const TNode& op) {
    if (is<T::op_mul>(op)) return ast::BinaryOp::mul;
    if (is<T::op_add>(op)) return ast::BinaryOp::add;
    if (is<T::op_sub>(op)) return ast::BinaryOp::sub;
    if (is<T::op_eq>(op)) return ast::BinaryOp::eq;
    if (is<T::op_ne>(op)) return ast::BinaryOp::ne;
    if (is<T::op_lt>(op)) return ast::BinaryOp::lt;
    if (is<T::op_le>(op)) return ast::BinaryOp::le;
    if (is<T::op_gt>(op)) return ast::BinaryOp::gt;
    if (is<T::op_ge>(op)) return ast::BinaryOp::ge;
    if (is<T::op_in>(op)) return ast::BinaryOp::in;
    if (is<T::op_has>(op)) return ast::BinaryOp::has;
    if (is<T::op_has_any>(op)) return ast::BinaryOp::has_any;
    if (is<T::op_and>(op)) return ast::BinaryOp::logical_and;
    return ast::BinaryOp::logical_or;
  }

  Built binary(Built lhs, const TNode& op, Built rhs) {
    const Span s = span_between(lhs.outer, rhs.outer);
    auto e = make<ast::Binary>(s);
    e->op = binary_op(op);
    e->op_span = span(op);
    const uint32_t height = std::max(lhs.height, rhs.height);
    e->lhs = std::move(lhs.expr);
    e->rhs = std::move(rhs.expr);
    return with_children(std::move(e), height, s);
  }

  // [operand, op, operand, op, operand ...], left-associative.
  Built chain(const TNode& n) {
    Built current = build(child(n, 0));
    for (size_t i = 1; i + 1 < n.count; i += 2) {
      current = binary(std::move(current), child(n, i), build(child(n, i + 1)));
    }
    return current;
  }

  // [lhs, op, rhs] or [lhs, op_in, lo, hi].
  Built compare(const TNode& n) {
    if (n.count == 4) {
      Built value = build(child(n, 0));
      Built lo = build(child(n, 2));
      Built hi = build(child(n, 3));
      const Span s = span_between(value.outer, hi.outer);
      auto e = make<ast::InRange>(s);
      const uint32_t height = std::max({value.height, lo.height, hi.height});
      e->value = std::move(value.expr);
      e->lo = std::move(lo.expr);
      e->hi = std::move(hi.expr);
      return with_children(std::move(e), height, s);
    }
    return binary(build(child(n, 0)), child(n, 1), build(child(n, 2)));
  }

  // ---------------------------------------------------------------- types

  ast::TypeRef type(const TNode& n) {
    ast::TypeRef t;
    t.span = span(n);
    const TNode& first = child(n, 0);
    if (is<T::type_set>(first)) {
      t.form = ast::TypeRef::Form::set_of;
      t.name = ident(child(first, 0));
    } else {
      t.name = ident(first);
      if (auto builtin = ast::builtin_type_from_name(t.name.text)) {
        t.form = ast::TypeRef::Form::builtin;
        t.builtin = *builtin;
      } else {
        t.form = ast::TypeRef::Form::named;
      }
    }
    t.optional = n.count > 1;
    return t;
  }

  // --------------------------------------------------------------- header

  void header(const TNode& n, ast::File& file) {
    if (is<T::policy_header>(n)) {
      ast::PolicyHeader h;
      h.span = span(n);
      h.id = ident(child(n, 0));
      h.title = string(child(n, 1));
      for (size_t i = 2; i < n.count; ++i) {
        const TNode& f = child(n, i);
        ast::HeaderField field;
        field.span = span(f);
        if (is<T::header_region>(f)) {
          field.kind = ast::HeaderField::Kind::region;
          field.text = string(child(f, 0));
        } else if (is<T::header_source>(f)) {
          field.kind = ast::HeaderField::Kind::source;
          field.text = string(child(f, 0));
        } else if (is<T::header_year>(f)) {
          field.kind = ast::HeaderField::Kind::year;
          field.year = number(child(f, 0));
        } else {
          field.kind = ast::HeaderField::Kind::extends;
          field.policy = ident(child(f, 0));
        }
        h.fields.push_back(std::move(field));
      }
      file.header_kind = ast::File::HeaderKind::policy;
      file.policy = std::move(h);
    } else if (is<T::module_header>(n)) {
      ast::ModuleHeader h;
      h.span = span(n);
      h.name = path(child(n, 0));
      if (n.count > 1) h.title = string(child(n, 1));
      file.header_kind = ast::File::HeaderKind::module;
      file.module = std::move(h);
    } else {
      ast::ExamplesHeader h;
      h.span = span(n);
      h.policy = ident(child(n, 0));
      file.header_kind = ast::File::HeaderKind::examples;
      file.examples = std::move(h);
    }
  }

  // ----------------------------------------------------------------- items

  // The tree of a top_item: [kw_default|kw_override]?, item.
  ast::ItemPtr item() {
    ast::Modifier modifier = ast::Modifier::none;
    Span modifier_span{file_, 0, 0};
    size_t i = 0;
    const TNode& first = tree_->root(0);
    if (is<T::kw_default>(first) || is<T::kw_override>(first)) {
      modifier = is<T::kw_default>(first) ? ast::Modifier::default_ : ast::Modifier::override_;
      modifier_span = span(first);
      i = 1;
    }
    const TNode& n = tree_->root(i);
    ast::ItemPtr out;
    if (is<T::decl>(n)) {
      out = decl(n, modifier, modifier_span);
    } else if (is<T::fn_decl>(n)) {
      out = fn(n, modifier, modifier_span);
    } else if (is<T::use_decl>(n)) {
      out = use(n);
    } else if (is<T::enum_decl>(n)) {
      out = enumeration(n);
    } else if (is<T::domain_decl>(n)) {
      out = domain(n);
    } else if (is<T::input_decl>(n)) {
      auto input = make<ast::Input>(span(n));
      for (uint32_t i_c = 0; i_c < n.count; ++i_c) {
      const TNode& c = child(n, i_c);
      input->members.push_back(input_member(c, 1));
    }
      out = std::move(input);
    } else if (is<T::ledger_decl>(n)) {
      out = ledger(n);
    } else if (is<T::section_decl>(n)) {
      out = section(n);
    } else if (is<T::after_decl>(n)) {
      out = after(n);
    } else {
      out = example(n);
    }
    if (modifier != ast::Modifier::none) out->span = span_between(modifier_span, out->span);
    return out;
  }

  std::unique_ptr<ast::Decl> decl(const TNode& n, ast::Modifier modifier, Span modifier_span) {
    auto d = make<ast::Decl>(span(n));
    d->modifier = modifier;
    d->modifier_span = modifier_span;
    const TNode& kind = child(n, 0);
    d->decl_kind = is<T::kw_param>(kind)  ? ast::DeclKind::param
                   : is<T::kw_fact>(kind) ? ast::DeclKind::fact
                   : is<T::kw_rule>(kind) ? ast::DeclKind::rule
                                          : ast::DeclKind::payout;
    d->name = ident(child(n, 1));
    d->type = type(child(n, 2));
    if (n.count > 3) {
      const TNode& body = child(n, 3);
      if (is<T::table_body>(body)) {
        d->body = ast::Decl::Body::table;
        d->table = table(body);
      } else if (is<T::decl_brackets>(body)) {
        d->body = ast::Decl::Body::brackets;
        d->value = expr_ptr(child(body, 0));
      } else {
        d->body = ast::Decl::Body::value;
        d->value = expr_ptr(body);
      }
    }
    return d;
  }

  ast::TableKey table_key(const TNode& n) {
    ast::TableKey key;
    key.span = span(n);
    key.name = ident(child(n, 0));
    if (n.count == 3) {
      key.lo = number(child(n, 1));
      key.hi = number(child(n, 2));
    }
    return key;
  }

  ast::Table table(const TNode& n) {
    ast::Table t;
    t.span = span(n);
    for (uint32_t i_c = 0; i_c < n.count; ++i_c) {
      const TNode& c = child(n, i_c);
      if (is<T::table_key>(c)) {
        t.keys.push_back(table_key(c));
        continue;
      }
      ast::TableRow row;
      row.span = span(c);
      keys(child(c, 0), row.keys, row.is_else);
      for (size_t i = 1; i < c.count; ++i) {
        const TNode& v = child(c, i);
        if (is<T::row_brackets>(v)) {
          row.brace_form = true;
          row.values.push_back(expr_ptr(child(v, 0)));
        } else {
          row.values.push_back(expr_ptr(v));
        }
      }
      t.rows.push_back(std::move(row));
    }
    return t;
  }

  std::unique_ptr<ast::Fn> fn(const TNode& n, ast::Modifier modifier, Span modifier_span) {
    auto f = make<ast::Fn>(span(n));
    f->modifier = modifier;
    f->modifier_span = modifier_span;
    f->name = ident(child(n, 0));
    size_t i = 1;
    for (; i < n.count && is<T::fn_param>(child(n, i)); ++i) {
      const TNode& p = child(n, i);
      ast::FnParam param;
      param.span = span(p);
      param.name = ident(child(p, 0));
      param.type = type(child(p, 1));
      f->params.push_back(std::move(param));
    }
    f->result = type(child(n, i));
    if (i + 1 < n.count) f->body = expr_ptr(child(n, i + 1));
    return f;
  }

  std::unique_ptr<ast::Use> use(const TNode& n) {
    auto u = make<ast::Use>(span(n));
    const TNode& target = child(n, 0);
    if (is<T::policy_id>(target)) {
      u->target = ast::Use::Target::policy;
      u->name.span = span(target);
      u->name.parts.push_back(ident(target));
      u->alias = ident(child(n, 1));
    } else {
      u->target = ast::Use::Target::module;
      u->name = path(target);
    }
    return u;
  }

  std::unique_ptr<ast::Enum> enumeration(const TNode& n) {
    auto e = make<ast::Enum>(span(n));
    e->name = ident(child(n, 0));
    for (size_t i = 1; i < n.count; ++i) {
      const TNode& c = child(n, i);
      if (is<T::string_lit>(c)) {
        e->label = string(c);
        continue;
      }
      ast::EnumMember member;
      member.span = span(c);
      member.name = ident(child(c, 0));
      if (c.count > 1) member.label = string(child(c, 1));
      e->members.push_back(std::move(member));
    }
    return e;
  }

  std::unique_ptr<ast::Domain> domain(const TNode& n) {
    auto d = make<ast::Domain>(span(n));
    d->name = ident(child(n, 0));
    d->lo = number(child(n, 1));
    d->hi = number(child(n, 2));
    if (n.count > 3) d->label = string(child(n, 3));
    return d;
  }

  ast::InputMemberPtr input_member(const TNode& n, uint32_t depth) {
    if (depth > ast::kMaxNesting) {
      diagnostics_.report(DiagnosticCode::nesting_too_deep, span(n), "records nested too deeply (more than {} levels)",
                          ast::kMaxNesting);
      throw DropItem{};
    }
    if (is<T::input_field>(n)) {
      auto f = make<ast::InputField>(span(n));
      f->name = ident(child(n, 0));
      f->type = type(child(n, 1));
      if (n.count > 2) f->default_value = expr_ptr(child(n, 2));
      return f;
    }
    if (is<T::input_record>(n)) {
      auto r = make<ast::InputRecord>(span(n));
      r->name = ident(child(n, 0));
      size_t i = 1;
      if (i < n.count && is<T::record_optional>(child(n, i))) {
        r->optional = true;
        ++i;
      }
      for (; i < n.count; ++i) r->members.push_back(input_member(child(n, i), depth + 1));
      return r;
    }
    if (is<T::input_check>(n)) {
      auto c = make<ast::InputCheck>(span(n));
      c->condition = expr_ptr(child(n, 0));
      c->field = path(child(n, 1));
      c->message = string(child(n, 2));
      return c;
    }
    auto key = make<ast::InputLedgerKey>(span(n));
    key->path = path(child(n, 0));
    return key;
  }

  std::unique_ptr<ast::Ledger> ledger(const TNode& n) {
    auto l = make<ast::Ledger>(span(n));
    l->name = ident(child(n, 0));
    l->type = type(child(n, 1));
    for (size_t i = 2; i < n.count; ++i) {
      const TNode& c = child(n, i);
      if (is<T::table_key>(c)) l->key = table_key(c);
      if (is<T::string_lit>(c)) l->label = string(c);
    }
    return l;
  }

  std::unique_ptr<ast::Section> section(const TNode& n) {
    auto sec = make<ast::Section>(span(n));
    sec->name = ident(child(n, 0));
    for (size_t i = 1; i < n.count; ++i) {
      const TNode& c = child(n, i);
      if (is<T::section_when>(c)) {
        sec->condition = expr_ptr(child(c, 0));
      } else if (is<T::section_reason>(c)) {
        auto r = make<ast::SectionReason>(span(c));
        r->reason = ident(child(c, 0));
        r->condition = expr_ptr(child(c, 1));
        sec->members.push_back(std::move(r));
      } else {
        auto f = make<ast::SectionField>(span(c));
        f->name = ident(child(c, 0));
        f->value = expr_ptr(child(c, 1));
        for (size_t k = 2; k < c.count; ++k) {
          const TNode& clause = child(c, k);
          if (is<T::field_otherwise>(clause)) f->otherwise = expr_ptr(child(clause, 0));
          if (is<T::field_when>(clause)) f->condition = expr_ptr(child(clause, 0));
        }
        sec->members.push_back(std::move(f));
      }
    }
    return sec;
  }

  std::unique_ptr<ast::After> after(const TNode& n) {
    auto a = make<ast::After>(span(n));
    a->name = ident(child(n, 0));
    for (size_t i = 1; i < n.count; ++i) {
      const TNode& c = child(n, i);
      ast::AfterEntry entry;
      entry.span = span(c);
      entry.ledger = ident(child(c, 0));
      for (size_t k = 1; k < c.count; ++k) {
        const TNode& part = child(c, k);
        if (is<T::after_key>(part)) {
          entry.key = expr_ptr(child(part, 0));
        } else if (is<T::after_when>(part)) {
          entry.condition = expr_ptr(child(part, 0));
        } else {
          entry.value = expr_ptr(part);
        }
      }
      a->entries.push_back(std::move(entry));
    }
    return a;
  }

  ast::ExampleMemberPtr example_member(const TNode& n) {
    if (is<T::example_request>(n)) {
      auto r = make<ast::ExampleRequest>(span(n));
      r->name = string(child(n, 0));
      for (size_t i = 1; i < n.count; ++i) r->members.push_back(example_member(child(n, i)));
      return r;
    }
    auto set = make<ast::ExampleSet>(span(n));
    set->expect = is<T::example_expect>(n);
    set->path = path(child(n, 0));
    set->value = expr_ptr(child(n, 1));
    return set;
  }

  std::unique_ptr<ast::Example> example(const TNode& n) {
    auto e = make<ast::Example>(span(n));
    e->name = string(child(n, 0));
    for (size_t i = 1; i < n.count; ++i) e->members.push_back(example_member(child(n, i)));
    return e;
  }

 private:
  std::string_view text_;
  FileId file_;
  Diagnostics& diagnostics_;
  const Tree* tree_;
};

// ------------------------------------------------------------ the driver

// Whether an error is that of a given rule (messages are unique pointers).
bool is_message(const char* message, const char* rule_message) { return message == rule_message; }

class Parser {
 public:
  Parser(const SourceManager& sources, FileId file, Diagnostics& diagnostics)
      : file_(file),
        text_(sources.text(file)),
        diagnostics_(diagnostics),
        builder_(text_, file, diagnostics, tree_) {}

  ParseResult run() {
    auto out = std::make_unique<ast::File>();
    out->file = file_;
    uint32_t pos = 0;
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
    const uint32_t errors_before = diagnostics_.error_count();
    const auto size = static_cast<uint32_t>(text_.size());

    pos = skip_blank(text_, pos, size);
    const std::string_view first = word_at(text_, pos);
    if (first == "policy" || first == "module" || first == "examples") {
      pos = step<g::top_header>(pos, [&] { builder_.header(tree_.root(0), *out); }, *out);
    } else {
      const Found found = describe_token(text_, pos);
      auto report = diagnostics_.report(DiagnosticCode::syntax_error, Span{file_, found.begin, found.end},
                                        "{}, found {}", g::error_message<g::header>, found.description);
      report.help("start with `policy <id> \"title\" { ... }`, `module <name>` or `examples for <policy-id>`");
    }

    while (!diagnostics_.limit_reached()) {
      pos = skip_blank(text_, pos, size);
      if (pos >= size) break;
      pos = step<g::top_item>(pos, [&] { out->items.push_back(builder_.item()); }, *out);
    }
    ParseResult result;
    result.ok = diagnostics_.error_count() == errors_before && !diagnostics_.limit_reached();
    result.file = std::move(out);
    return result;
  }

 private:
  // Parses one `Rule` at `pos` and hands its tree to `build`; returns where
  // to go on. On a syntax error, reports it and returns where to resume.
  template <typename Rule, typename Build>
  uint32_t step(uint32_t pos, Build&& build, ast::File& out) {
    Input in(text_.data(), text_.data() + text_.size(), "");
    in.bump(pos);
    g::ParseState state;
    state.max_depth = ast::kMaxNesting;
    tree_.clear();
    try {
      pegtl::parse<Rule, pegtl::nothing, tree_control>(in, state, tree_);
      const auto end = static_cast<uint32_t>(in.current() - text_.data());
      last_end_ = end;
      try {
        if (tree_.root_count() > 0) build();
      } catch (const DropItem&) {
        out.skipped.push_back(Span{file_, pos, end});
      } catch (const std::out_of_range&) {
        // A tree of a shape the Builder does not expect: a bug, reported as such.
        diagnostics_.report(DiagnosticCode::syntax_error, Span{file_, skip_blank(text_, pos, end), end},
                            "internal error: the parser could not read this declaration");
        out.skipped.push_back(Span{file_, pos, end});
      }
      return std::max(end, pos + 1);
    } catch (const SyntaxError& e) {
      const uint32_t at = e.offset;
      report_error(e.message, at, pos);
      last_end_ = 0;
      const uint32_t resume = resume_point(pos, at);
      out.skipped.push_back(Span{file_, skip_blank(text_, pos, resume), resume});
      return resume;
    }
  }

  // Reports the syntax error `message` raised at `at`, in the declaration
  // (or header) that starts at `start`.
  void report_error(const char* message, uint32_t at, uint32_t start) {
    const auto size = static_cast<uint32_t>(text_.size());
    at = std::min(at, size);
    if (is_message(message, g::error_message<g::too_deep>)) {
      diagnostics_.report(DiagnosticCode::nesting_too_deep, Span{file_, at, std::min(at + 1, size)},
                          "expression nested too deeply (more than {} levels)", ast::kMaxNesting);
      return;
    }
    if (is_message(message, g::error_message<g::string_terminated>)) {
      uint32_t end = at;
      while (end < size && text_[end] != '\n' && text_[end] != '\r') ++end;
      diagnostics_.report(DiagnosticCode::unterminated_string, Span{file_, at, end}, "unterminated string")
          .label("this string has no closing `\"` on its line")
          .help("a string ends on the line it starts; write a line break as `\\n`");
      return;
    }
    if (is_message(message, g::error_message<g::escape_char>)) {
      // `at` is just after the backslash.
      const uint32_t begin = at > 0 ? at - 1 : at;
      uint32_t end = at;
      if (end < size) end += static_cast<uint32_t>(decode_utf8(text_, end).size);
      diagnostics_.report(DiagnosticCode::syntax_error, Span{file_, begin, end}, "unknown escape `{}` in a string",
                          text_.substr(begin, end - begin))
          .help("the escapes are `\\\"`, `\\\\` and `\\n`");
      return;
    }
    const Found found = describe_token(text_, skip_blank(text_, at, size));
    const Span found_span{file_, found.begin, found.end};
    // A declaration followed by more on its line: the problem is what follows.
    const bool after_item = is_message(message, g::error_message<g::item>) && last_end_ > 0 &&
                            last_end_ <= found.begin &&
                            text_.substr(last_end_, found.begin - last_end_).find('\n') == std::string_view::npos;
    auto report = after_item ? diagnostics_.report(DiagnosticCode::syntax_error, found_span,
                                                   "found {} after the end of the declaration", found.description)
                             : diagnostics_.report(DiagnosticCode::syntax_error, found_span, "{}, found {}", message,
                                                   found.description);
    if (!found.help.empty()) report.help(found.help);
    // Reaching the end of the file inside a declaration (an unclosed `{` or
    // `(` ...): point at where that declaration starts.
    const uint32_t item = skip_blank(text_, start, size);
    if (found.begin >= size && item < found.begin && std::memchr(text_.data() + item, '\n', found.begin - item)) {
      const std::string_view keyword = word_at(text_, item);
      report.label(Span{file_, item, item + static_cast<uint32_t>(std::max<size_t>(keyword.size(), 1))},
                   "the unfinished declaration starts here");
    }
    // A keyword in the wrong case: `Param`, `RULE`.
    const std::string_view word = word_at(text_, found.begin);
    if (!word.empty()) {
      std::string lower(word);
      for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      if (lower != word && is_item_keyword(lower)) report.help(fmt::format("keywords are lower case: `{}`", lower));
    }
  }

  // Where to resume after an error at `at` in the item that started at
  // `start`: the first line, from the error's line on and after `start`,
  // whose column 1 holds a declaration keyword (in any case, so that `Param`
  // is reported); or the end of the file.
  uint32_t resume_point(uint32_t start, uint32_t at) const {
    const auto size = static_cast<uint32_t>(text_.size());
    uint32_t line = std::min(at, size);
    while (line > 0 && text_[line - 1] != '\n') --line;
    if (line <= start) {
      line = std::max(start + 1, line);
      while (line < size && text_[line - 1] != '\n') ++line;
    }
    while (line < size) {
      std::string word(word_at(text_, line));
      for (char& c : word) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      if (is_item_keyword(word)) return line;
      const void* nl = std::memchr(text_.data() + line, '\n', size - line);
      if (nl == nullptr) break;
      line = static_cast<uint32_t>(static_cast<const char*>(nl) - text_.data()) + 1;
    }
    return size;
  }

  FileId file_;
  std::string_view text_;
  Diagnostics& diagnostics_;
  Tree tree_;  // reused for every declaration
  Builder builder_;
  uint32_t last_end_ = 0;  // end of the last declaration read, 0 if none
};

}  // namespace

ParseResult parse(const SourceManager& sources, FileId file, Diagnostics& diagnostics) {
  return Parser(sources, file, diagnostics).run();
}

}  // namespace yibao
