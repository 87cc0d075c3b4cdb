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
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "lang/grammar.h"
#include "lang/grammar_errors.h"

namespace yibao {
namespace {

namespace g = grammar;
namespace pegtl = tao::pegtl;
namespace pt = tao::pegtl::parse_tree;
using PNode = pt::node;

// ------------------------------------------------------------- parse tree

// Replaces a node that has a single child by that child (like PEGTL's
// fold_one), but keeps the content of nodes it does not fold: the builder
// needs every node's end.
struct fold_single : pt::apply<fold_single> {
  template <typename Node, typename... States>
  static void transform(std::unique_ptr<Node>& n, States&&... /*unused*/) noexcept {
    if (n->children.size() == 1) n = std::move(n->children.front());
  }
};

// The rules whose nodes the Builder reads. Everything else is transparent:
// its selected descendants become children of the nearest selected ancestor.
template <typename Rule>
using selector = pt::selector<
    Rule,
    pt::store_content::on<
        // leaves
        g::name, g::field_name, g::policy_id, g::number, g::date_lit, g::string_lit, g::true_lit, g::false_lit,
        g::else_key, g::unit_percent, g::unit_points, g::unit_days, g::unit_months, g::op_neg, g::op_not, g::op_mul,
        g::op_add, g::op_sub, g::op_eq, g::op_ne, g::op_le, g::op_lt, g::op_ge, g::op_gt, g::op_in, g::op_has,
        g::op_has_any, g::op_and, g::op_or, g::adjust_override, g::type_optional, g::record_optional, g::kw_param,
        g::kw_fact, g::kw_rule, g::kw_payout, g::kw_default, g::kw_override,
        // expressions
        g::number_lit, g::paren_expr, g::set_lit, g::brackets_lit, g::segment_bounded, g::segment_above, g::path,
        g::call_args, g::index_args, g::if_expr, g::highest_expr, g::match_expr, g::match_arm, g::arm_keys,
        g::adjust_expr, g::adjust_line, g::unspecified_expr,
        // types, header, items
        g::type_ref, g::type_set, g::dotted_name, g::policy_header, g::header_region, g::header_year, g::header_source,
        g::header_extends, g::module_header, g::examples_header, g::use_decl, g::enum_decl, g::enum_member,
        g::domain_decl, g::input_decl, g::input_field, g::input_record, g::input_check, g::input_ledger_key, g::decl,
        g::decl_brackets, g::table_body, g::table_key, g::row_keys, g::table_row, g::row_brackets, g::fn_decl,
        g::fn_param, g::ledger_decl, g::section_decl, g::section_when, g::section_reason, g::section_field,
        g::field_otherwise, g::field_when, g::after_decl, g::after_entry, g::after_key, g::after_when,
        g::example_decl, g::example_expect, g::example_assign, g::example_request>,
    fold_single::on<g::postfix_expr, g::unary_expr, g::mul_expr, g::add_expr, g::compare_expr, g::not_expr,
                    g::and_expr, g::or_expr>>;

using Input = pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, std::string>;

template <typename Rule>
std::unique_ptr<PNode> parse_tree(Input& in, g::ParseState& state) {
  return pt::parse<Rule, PNode, selector, pegtl::nothing, g::control>(in, state);
}

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

// Full-width and typographic punctuation an analyst typing Chinese text may
// put where ASCII is needed.
struct Lookalike {
  char32_t code_point;
  std::string_view ascii;
};
constexpr std::array<Lookalike, 16> kLookalikes = {{{U'\uFF0C', ","},
                                                    {U'\u3001', ","},
                                                    {U'\uFF1A', ":"},
                                                    {U'\uFF1B', ";"},
                                                    {U'\uFF08', "("},
                                                    {U'\uFF09', ")"},
                                                    {U'\uFF1D', "="},
                                                    {U'\uFF05', "%"},
                                                    {U'\u201C', "\""},
                                                    {U'\u201D', "\""},
                                                    {U'\uFF5B', "{"},
                                                    {U'\uFF5D', "}"},
                                                    {U'\u3010', "["},
                                                    {U'\u3011', "]"},
                                                    {U'\uFF0E', "."},
                                                    {U'\u3000', " "}}};

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
        found.help = lookalike.ascii == " " ? "this is a full-width space; write an ASCII space"
                                            : fmt::format("this is a full-width `{}`; write the ASCII `{}`",
                                                          text.substr(pos, ch.size), lookalike.ascii);
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
// rule it is named after; the shapes are those of the selector above.
class Builder {
 public:
  Builder(std::string_view text, FileId file, Diagnostics& diagnostics)
      : text_(text), file_(file), diagnostics_(diagnostics) {}

  // ------------------------------------------------------------ basics

  uint32_t offset(const char* p) const { return static_cast<uint32_t>(p - text_.data()); }

  Span span(const PNode& n) const {
    const uint32_t end = offset(n.m_end.data);
    const uint32_t begin = skip_blank(text_, offset(n.m_begin.data), end);
    return Span{file_, begin, end};
  }

  Span span_between(Span a, Span b) const { return Span{file_, a.begin, std::max(a.end, b.end)}; }

  std::string_view content(const PNode& n) const {
    const Span s = span(n);
    return text_.substr(s.begin, s.end - s.begin);
  }

  template <typename Rule>
  static bool is(const PNode& n) {
    return n.is_type<Rule>();
  }

  ast::Ident ident(const PNode& n) {
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

  ast::Path path(const PNode& n) {
    ast::Path p;
    p.span = span(n);
    for (const auto& child : n.children) p.parts.push_back(ident(*child));
    return p;
  }

  ast::Number number(const PNode& n) {
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

  ast::StringValue string(const PNode& n) {
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
  static const PNode& child(const PNode& n, size_t i) { return *n.children.at(i); }

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

  ast::ExprPtr expr_ptr(const PNode& n) { return build(n).expr; }

  Built build(const PNode& n) {
    const Span s = span(n);
    if (is<g::number_lit>(n)) {
      auto lit = make<ast::NumberLit>(s);
      lit->number = number(child(n, 0));
      if (n.children.size() > 1) {
        const PNode& unit = child(n, 1);
        lit->unit = is<g::unit_percent>(unit)  ? ast::Unit::percent
                    : is<g::unit_points>(unit) ? ast::Unit::points
                    : is<g::unit_days>(unit)   ? ast::Unit::days
                                               : ast::Unit::months;
      }
      return leaf(std::move(lit));
    }
    if (is<g::date_lit>(n)) {
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
    if (is<g::true_lit>(n) || is<g::false_lit>(n)) {
      auto lit = make<ast::BoolLit>(s);
      lit->value = is<g::true_lit>(n);
      return leaf(std::move(lit));
    }
    if (is<g::string_lit>(n)) {
      auto lit = make<ast::StringLit>(s);
      lit->value = string(n).value;
      return leaf(std::move(lit));
    }
    if (is<g::set_lit>(n)) {
      auto lit = make<ast::SetLit>(s);
      uint32_t height = 0;
      for (const auto& c : n.children) {
        Built b = build(*c);
        height = std::max(height, b.height);
        lit->elements.push_back(std::move(b.expr));
      }
      return with_children(std::move(lit), height, s);
    }
    if (is<g::brackets_lit>(n)) {
      uint32_t height = 0;
      auto lit = brackets(n, height);
      return with_children(std::move(lit), height, s);
    }
    if (is<g::path>(n)) {
      auto ref = make<ast::NameRef>(s);
      ref->path = path(n);
      return leaf(std::move(ref));
    }
    if (is<g::paren_expr>(n)) {
      Built inner = build(child(n, 0));
      inner.expr->parenthesized = true;
      inner.outer = s;
      return inner;
    }
    if (is<g::postfix_expr>(n)) return postfix(n);
    if (is<g::unary_expr>(n) || is<g::not_expr>(n)) return unary(n);
    if (is<g::mul_expr>(n) || is<g::add_expr>(n) || is<g::and_expr>(n) || is<g::or_expr>(n)) return chain(n);
    if (is<g::compare_expr>(n)) return compare(n);
    if (is<g::if_expr>(n)) {
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
    if (is<g::highest_expr>(n)) {
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
    if (is<g::match_expr>(n)) {
      auto e = make<ast::Match>(s);
      Built subject = build(child(n, 0));
      uint32_t height = subject.height;
      e->subject = std::move(subject.expr);
      for (size_t i = 1; i < n.children.size(); ++i) {
        const PNode& arm_node = child(n, i);
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
    if (is<g::adjust_expr>(n)) {
      auto e = make<ast::Adjust>(s);
      Built base = build(child(n, 0));
      uint32_t height = base.height;
      e->base = std::move(base.expr);
      for (size_t i = 1; i < n.children.size(); ++i) {
        const PNode& line_node = child(n, i);
        ast::AdjustLine line;
        line.span = span(line_node);
        size_t k = 0;
        if (is<g::adjust_override>(child(line_node, 0))) {
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
    if (is<g::unspecified_expr>(n)) {
      auto e = make<ast::Unspecified>(s);
      for (const auto& c : n.children) {
        if (is<g::name>(*c)) e->name = ident(*c);
        if (is<g::string_lit>(*c)) e->words = string(*c);
      }
      return leaf(std::move(e));
    }
    // Unreachable for trees of this grammar.
    diagnostics_.report(DiagnosticCode::syntax_error, s, "internal error: unexpected parse node `{}`", n.type);
    throw DropItem{};
  }

  std::unique_ptr<ast::BracketsLit> brackets(const PNode& n, uint32_t& height) {
    auto lit = make<ast::BracketsLit>(span(n));
    for (const auto& c : n.children) {
      ast::Segment seg;
      seg.span = span(*c);
      seg.lo = number(child(*c, 0));
      size_t rate_index = 1;
      if (is<g::segment_bounded>(*c)) {
        seg.hi = number(child(*c, 1));
        rate_index = 2;
      }
      Built rate = build(child(*c, rate_index));
      height = std::max(height, rate.height);
      seg.rate = std::move(rate.expr);
      lit->segments.push_back(std::move(seg));
    }
    return lit;
  }

  void keys(const PNode& n, std::vector<ast::Key>& out, bool& is_else) {
    for (const auto& c : n.children) {
      if (is<g::else_key>(*c)) {
        is_else = true;
        continue;
      }
      ast::Key key;
      key.span = span(*c);
      if (is<g::number>(*c)) {
        key.number = number(*c);
        key.text = key.number->text;
      } else {
        key.text = ident(*c).text;
      }
      out.push_back(std::move(key));
    }
  }

  // [primary, call_args?, index_args*]
  Built postfix(const PNode& n) {
    size_t i = 1;
    Built current;
    if (is<g::path>(child(n, 0)) && n.children.size() > 1 && is<g::call_args>(child(n, 1))) {
      const PNode& args = child(n, 1);
      auto call = make<ast::Call>(span_between(span(child(n, 0)), span(args)));
      call->callee = path(child(n, 0));
      uint32_t height = 0;
      for (const auto& a : args.children) {
        Built arg = build(*a);
        height = std::max(height, arg.height);
        call->args.push_back(std::move(arg.expr));
      }
      const Span s = call->span;
      current = with_children(std::move(call), height, s);
      i = 2;
    } else {
      current = build(child(n, 0));
    }
    for (; i < n.children.size(); ++i) {
      const PNode& args = child(n, i);
      const Span s = span_between(current.outer, span(args));
      auto index = make<ast::Index>(s);
      uint32_t height = current.height;
      index->base = std::move(current.expr);
      for (const auto& a : args.children) {
        Built key = build(*a);
        height = std::max(height, key.height);
        index->keys.push_back(std::move(key.expr));
      }
      current = with_children(std::move(index), height, s);
    }
    return current;
  }

  // [op*, operand]: `- - x`, `not not x`.
  Built unary(const PNode& n) {
    const size_t last = n.children.size() - 1;
    Built current = build(child(n, last));
    for (size_t i = last; i-- > 0;) {
      const PNode& op = child(n, i);
      const Span s = span_between(span(op), current.outer);
      auto e = make<ast::Unary>(s);
      e->op = is<g::op_neg>(op) ? ast::UnaryOp::neg : ast::UnaryOp::logical_not;
      e->op_span = span(op);
      const uint32_t height = current.height;
      e->operand = std::move(current.expr);
      current = with_children(std::move(e), height, s);
    }
    return current;
  }

  static ast::BinaryOp binary_op(const PNode& op) {
    if (is<g::op_mul>(op)) return ast::BinaryOp::mul;
    if (is<g::op_add>(op)) return ast::BinaryOp::add;
    if (is<g::op_sub>(op)) return ast::BinaryOp::sub;
    if (is<g::op_eq>(op)) return ast::BinaryOp::eq;
    if (is<g::op_ne>(op)) return ast::BinaryOp::ne;
    if (is<g::op_lt>(op)) return ast::BinaryOp::lt;
    if (is<g::op_le>(op)) return ast::BinaryOp::le;
    if (is<g::op_gt>(op)) return ast::BinaryOp::gt;
    if (is<g::op_ge>(op)) return ast::BinaryOp::ge;
    if (is<g::op_in>(op)) return ast::BinaryOp::in;
    if (is<g::op_has>(op)) return ast::BinaryOp::has;
    if (is<g::op_has_any>(op)) return ast::BinaryOp::has_any;
    if (is<g::op_and>(op)) return ast::BinaryOp::logical_and;
    return ast::BinaryOp::logical_or;
  }

  Built binary(Built lhs, const PNode& op, Built rhs) {
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
  Built chain(const PNode& n) {
    Built current = build(child(n, 0));
    for (size_t i = 1; i + 1 < n.children.size(); i += 2) {
      current = binary(std::move(current), child(n, i), build(child(n, i + 1)));
    }
    return current;
  }

  // [lhs, op, rhs] or [lhs, op_in, lo, hi].
  Built compare(const PNode& n) {
    if (n.children.size() == 4) {
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

  ast::TypeRef type(const PNode& n) {
    ast::TypeRef t;
    t.span = span(n);
    const PNode& first = child(n, 0);
    if (is<g::type_set>(first)) {
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
    t.optional = n.children.size() > 1;
    return t;
  }

  // --------------------------------------------------------------- header

  void header(const PNode& n, ast::File& file) {
    if (is<g::policy_header>(n)) {
      ast::PolicyHeader h;
      h.span = span(n);
      h.id = ident(child(n, 0));
      h.title = string(child(n, 1));
      for (size_t i = 2; i < n.children.size(); ++i) {
        const PNode& f = child(n, i);
        ast::HeaderField field;
        field.span = span(f);
        if (is<g::header_region>(f)) {
          field.kind = ast::HeaderField::Kind::region;
          field.text = string(child(f, 0));
        } else if (is<g::header_source>(f)) {
          field.kind = ast::HeaderField::Kind::source;
          field.text = string(child(f, 0));
        } else if (is<g::header_year>(f)) {
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
    } else if (is<g::module_header>(n)) {
      ast::ModuleHeader h;
      h.span = span(n);
      h.name = path(child(n, 0));
      if (n.children.size() > 1) h.title = string(child(n, 1));
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

  // The children of a top_item tree: [kw_default|kw_override]?, item.
  ast::ItemPtr item(const PNode& root) {
    ast::Modifier modifier = ast::Modifier::none;
    Span modifier_span{file_, 0, 0};
    size_t i = 0;
    if (is<g::kw_default>(child(root, 0)) || is<g::kw_override>(child(root, 0))) {
      modifier = is<g::kw_default>(child(root, 0)) ? ast::Modifier::default_ : ast::Modifier::override_;
      modifier_span = span(child(root, 0));
      i = 1;
    }
    const PNode& n = child(root, i);
    ast::ItemPtr out;
    if (is<g::decl>(n)) {
      out = decl(n, modifier, modifier_span);
    } else if (is<g::fn_decl>(n)) {
      out = fn(n, modifier, modifier_span);
    } else if (is<g::use_decl>(n)) {
      out = use(n);
    } else if (is<g::enum_decl>(n)) {
      out = enumeration(n);
    } else if (is<g::domain_decl>(n)) {
      out = domain(n);
    } else if (is<g::input_decl>(n)) {
      auto input = make<ast::Input>(span(n));
      for (const auto& c : n.children) input->members.push_back(input_member(*c, 1));
      out = std::move(input);
    } else if (is<g::ledger_decl>(n)) {
      out = ledger(n);
    } else if (is<g::section_decl>(n)) {
      out = section(n);
    } else if (is<g::after_decl>(n)) {
      out = after(n);
    } else {
      out = example(n);
    }
    if (modifier != ast::Modifier::none) out->span = span_between(modifier_span, out->span);
    return out;
  }

  std::unique_ptr<ast::Decl> decl(const PNode& n, ast::Modifier modifier, Span modifier_span) {
    auto d = make<ast::Decl>(span(n));
    d->modifier = modifier;
    d->modifier_span = modifier_span;
    const PNode& kind = child(n, 0);
    d->decl_kind = is<g::kw_param>(kind)  ? ast::DeclKind::param
                   : is<g::kw_fact>(kind) ? ast::DeclKind::fact
                   : is<g::kw_rule>(kind) ? ast::DeclKind::rule
                                          : ast::DeclKind::payout;
    d->name = ident(child(n, 1));
    d->type = type(child(n, 2));
    if (n.children.size() > 3) {
      const PNode& body = child(n, 3);
      if (is<g::table_body>(body)) {
        d->body = ast::Decl::Body::table;
        d->table = table(body);
      } else if (is<g::decl_brackets>(body)) {
        d->body = ast::Decl::Body::brackets;
        d->value = expr_ptr(child(body, 0));
      } else {
        d->body = ast::Decl::Body::value;
        d->value = expr_ptr(body);
      }
    }
    return d;
  }

  ast::TableKey table_key(const PNode& n) {
    ast::TableKey key;
    key.span = span(n);
    key.name = ident(child(n, 0));
    if (n.children.size() == 3) {
      key.lo = number(child(n, 1));
      key.hi = number(child(n, 2));
    }
    return key;
  }

  ast::Table table(const PNode& n) {
    ast::Table t;
    t.span = span(n);
    for (const auto& c : n.children) {
      if (is<g::table_key>(*c)) {
        t.keys.push_back(table_key(*c));
        continue;
      }
      ast::TableRow row;
      row.span = span(*c);
      keys(child(*c, 0), row.keys, row.is_else);
      for (size_t i = 1; i < c->children.size(); ++i) {
        const PNode& v = child(*c, i);
        if (is<g::row_brackets>(v)) {
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

  std::unique_ptr<ast::Fn> fn(const PNode& n, ast::Modifier modifier, Span modifier_span) {
    auto f = make<ast::Fn>(span(n));
    f->modifier = modifier;
    f->modifier_span = modifier_span;
    f->name = ident(child(n, 0));
    size_t i = 1;
    for (; i < n.children.size() && is<g::fn_param>(child(n, i)); ++i) {
      const PNode& p = child(n, i);
      ast::FnParam param;
      param.span = span(p);
      param.name = ident(child(p, 0));
      param.type = type(child(p, 1));
      f->params.push_back(std::move(param));
    }
    f->result = type(child(n, i));
    if (i + 1 < n.children.size()) f->body = expr_ptr(child(n, i + 1));
    return f;
  }

  std::unique_ptr<ast::Use> use(const PNode& n) {
    auto u = make<ast::Use>(span(n));
    const PNode& target = child(n, 0);
    if (is<g::policy_id>(target)) {
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

  std::unique_ptr<ast::Enum> enumeration(const PNode& n) {
    auto e = make<ast::Enum>(span(n));
    e->name = ident(child(n, 0));
    for (size_t i = 1; i < n.children.size(); ++i) {
      const PNode& c = child(n, i);
      if (is<g::string_lit>(c)) {
        e->label = string(c);
        continue;
      }
      ast::EnumMember member;
      member.span = span(c);
      member.name = ident(child(c, 0));
      if (c.children.size() > 1) member.label = string(child(c, 1));
      e->members.push_back(std::move(member));
    }
    return e;
  }

  std::unique_ptr<ast::Domain> domain(const PNode& n) {
    auto d = make<ast::Domain>(span(n));
    d->name = ident(child(n, 0));
    d->lo = number(child(n, 1));
    d->hi = number(child(n, 2));
    if (n.children.size() > 3) d->label = string(child(n, 3));
    return d;
  }

  ast::InputMemberPtr input_member(const PNode& n, uint32_t depth) {
    if (depth > ast::kMaxNesting) {
      diagnostics_.report(DiagnosticCode::nesting_too_deep, span(n), "records nested too deeply (more than {} levels)",
                          ast::kMaxNesting);
      throw DropItem{};
    }
    if (is<g::input_field>(n)) {
      auto f = make<ast::InputField>(span(n));
      f->name = ident(child(n, 0));
      f->type = type(child(n, 1));
      if (n.children.size() > 2) f->default_value = expr_ptr(child(n, 2));
      return f;
    }
    if (is<g::input_record>(n)) {
      auto r = make<ast::InputRecord>(span(n));
      r->name = ident(child(n, 0));
      size_t i = 1;
      if (i < n.children.size() && is<g::record_optional>(child(n, i))) {
        r->optional = true;
        ++i;
      }
      for (; i < n.children.size(); ++i) r->members.push_back(input_member(child(n, i), depth + 1));
      return r;
    }
    if (is<g::input_check>(n)) {
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

  std::unique_ptr<ast::Ledger> ledger(const PNode& n) {
    auto l = make<ast::Ledger>(span(n));
    l->name = ident(child(n, 0));
    l->type = type(child(n, 1));
    for (size_t i = 2; i < n.children.size(); ++i) {
      const PNode& c = child(n, i);
      if (is<g::table_key>(c)) l->key = table_key(c);
      if (is<g::string_lit>(c)) l->label = string(c);
    }
    return l;
  }

  std::unique_ptr<ast::Section> section(const PNode& n) {
    auto sec = make<ast::Section>(span(n));
    sec->name = ident(child(n, 0));
    for (size_t i = 1; i < n.children.size(); ++i) {
      const PNode& c = child(n, i);
      if (is<g::section_when>(c)) {
        sec->condition = expr_ptr(child(c, 0));
      } else if (is<g::section_reason>(c)) {
        auto r = make<ast::SectionReason>(span(c));
        r->reason = ident(child(c, 0));
        r->condition = expr_ptr(child(c, 1));
        sec->members.push_back(std::move(r));
      } else {
        auto f = make<ast::SectionField>(span(c));
        f->name = ident(child(c, 0));
        f->value = expr_ptr(child(c, 1));
        for (size_t k = 2; k < c.children.size(); ++k) {
          const PNode& clause = child(c, k);
          if (is<g::field_otherwise>(clause)) f->otherwise = expr_ptr(child(clause, 0));
          if (is<g::field_when>(clause)) f->condition = expr_ptr(child(clause, 0));
        }
        sec->members.push_back(std::move(f));
      }
    }
    return sec;
  }

  std::unique_ptr<ast::After> after(const PNode& n) {
    auto a = make<ast::After>(span(n));
    a->name = ident(child(n, 0));
    for (size_t i = 1; i < n.children.size(); ++i) {
      const PNode& c = child(n, i);
      ast::AfterEntry entry;
      entry.span = span(c);
      entry.ledger = ident(child(c, 0));
      for (size_t k = 1; k < c.children.size(); ++k) {
        const PNode& part = child(c, k);
        if (is<g::after_key>(part)) {
          entry.key = expr_ptr(child(part, 0));
        } else if (is<g::after_when>(part)) {
          entry.condition = expr_ptr(child(part, 0));
        } else {
          entry.value = expr_ptr(part);
        }
      }
      a->entries.push_back(std::move(entry));
    }
    return a;
  }

  ast::ExampleMemberPtr example_member(const PNode& n) {
    if (is<g::example_request>(n)) {
      auto r = make<ast::ExampleRequest>(span(n));
      r->name = string(child(n, 0));
      for (size_t i = 1; i < n.children.size(); ++i) r->members.push_back(example_member(child(n, i)));
      return r;
    }
    auto set = make<ast::ExampleSet>(span(n));
    set->expect = is<g::example_expect>(n);
    set->path = path(child(n, 0));
    set->value = expr_ptr(child(n, 1));
    return set;
  }

  std::unique_ptr<ast::Example> example(const PNode& n) {
    auto e = make<ast::Example>(span(n));
    e->name = string(child(n, 0));
    for (size_t i = 1; i < n.children.size(); ++i) e->members.push_back(example_member(child(n, i)));
    return e;
  }

 private:
  std::string_view text_;
  FileId file_;
  Diagnostics& diagnostics_;
};

// ------------------------------------------------------------ the driver

// Messages the parser reports in its own way (see report_error).
bool is_message(std::string_view message, const char* rule_message) { return message == rule_message; }

class Parser {
 public:
  Parser(const SourceManager& sources, FileId file, Diagnostics& diagnostics)
      : sources_(sources),
        file_(file),
        text_(sources.text(file)),
        diagnostics_(diagnostics),
        builder_(text_, file, diagnostics) {}

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
      pos = step<g::top_header>(pos, [&](const PNode& root) { builder_.header(*root.children.at(0), *out); }, *out);
    } else {
      const Found found = describe_token(text_, pos);
      auto report = diagnostics_.report(DiagnosticCode::syntax_error, Span{file_, found.begin, found.end},
                                        "{}, found {}", g::error_message<g::header>, found.description);
      report.help("start with `policy <id> \"title\" { ... }`, `module <name>` or `examples for <policy-id>`");
    }

    while (!diagnostics_.limit_reached()) {
      pos = skip_blank(text_, pos, size);
      if (pos >= size) break;
      pos = step<g::top_item>(pos, [&](const PNode& root) { out->items.push_back(builder_.item(root)); }, *out);
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
    Input in(text_.data(), text_.data() + text_.size(), std::string(sources_.path(file_)));
    in.bump(pos);
    g::ParseState state;
    state.max_depth = ast::kMaxNesting;
    try {
      auto root = parse_tree<Rule>(in, state);
      const auto end = static_cast<uint32_t>(in.current() - text_.data());
      last_end_ = end;
      try {
        if (root && !root->children.empty()) build(*root);
      } catch (const DropItem&) {
        out.skipped.push_back(Span{file_, pos, end});
      }
      return std::max(end, pos + 1);
    } catch (const pegtl::parse_error& e) {
      const auto at = static_cast<uint32_t>(e.positions().empty() ? pos : e.positions().front().byte);
      report_error(e.message(), at);
      last_end_ = 0;
      const uint32_t resume = resume_point(pos, at);
      out.skipped.push_back(Span{file_, skip_blank(text_, pos, resume), resume});
      return resume;
    }
  }

  void report_error(std::string_view message, uint32_t at) {
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
                                                   "unexpected {} after the end of the declaration", found.description)
                             : diagnostics_.report(DiagnosticCode::syntax_error, found_span, "{}, found {}", message,
                                                   found.description);
    if (!found.help.empty()) report.help(found.help);
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

  const SourceManager& sources_;
  FileId file_;
  std::string_view text_;
  Diagnostics& diagnostics_;
  Builder builder_;
  uint32_t last_end_ = 0;  // end of the last declaration read, 0 if none
};

}  // namespace

ParseResult parse(const SourceManager& sources, FileId file, Diagnostics& diagnostics) {
  return Parser(sources, file, diagnostics).run();
}

}  // namespace yibao
