// Tokens of a file for the formatter, marked from its AST (format_tokens.h).
#include "lang/format_tokens.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "lang/source.h"

namespace yibao::format_detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_first(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_other(char c) { return is_ident_first(c) || is_digit(c); }

// What the AST says about byte offsets of the file.
struct Marks {
  std::unordered_set<uint32_t> statements;  // where a statement starts
  std::unordered_set<uint32_t> callee_ends;  // a `(` right after one of these opens a call
  std::unordered_set<uint32_t> set_braces;   // the `{` of a set literal
  std::unordered_set<uint32_t> unary_minus;
  std::unordered_map<uint32_t, uint32_t> atoms;  // begin -> end of policy identifiers
  std::vector<AlignedRow> rows;
  uint32_t groups = 0;

  void statement(Span span) { statements.insert(span.begin); }
  void atom(Span span) { atoms[span.begin] = span.end; }

  void expr(const ast::Expr* e) {
    if (e == nullptr) return;
    switch (e->kind) {
      case ast::NodeKind::SetLit:
        set_braces.insert(e->span.begin);
        for (const auto& element : static_cast<const ast::SetLit&>(*e).elements) statement(element->span);
        break;
      case ast::NodeKind::BracketsLit:
        for (const auto& segment : static_cast<const ast::BracketsLit&>(*e).segments) statement(segment.span);
        break;
      case ast::NodeKind::Call:
        callee_ends.insert(static_cast<const ast::Call&>(*e).callee.span.end);
        break;
      case ast::NodeKind::Unary: {
        const auto& unary = static_cast<const ast::Unary&>(*e);
        if (unary.op == ast::UnaryOp::neg) unary_minus.insert(unary.op_span.begin);
        break;
      }
      case ast::NodeKind::Match:
        for (const auto& arm : static_cast<const ast::Match&>(*e).arms) statement(arm.span);
        break;
      case ast::NodeKind::Adjust:
        for (const auto& line : static_cast<const ast::Adjust&>(*e).lines) statement(line.span);
        break;
      default:
        break;
    }
    ast::for_each_child(*e, [&](const ast::Expr& child) { expr(&child); });
  }

  void table(const ast::Table& table) {
    const uint32_t group = groups++;
    for (const auto& row : table.rows) {
      statement(row.span);
      for (const auto& value : row.values) expr(value.get());
      AlignedRow aligned{group, row.span.begin, row.span.end, {}, true};
      if (row.values.size() == 1 && row.values[0]->kind == ast::NodeKind::BracketsLit) {
        const auto& brackets = static_cast<const ast::BracketsLit&>(*row.values[0]);
        aligned.cell_starts.push_back(brackets.span.begin);
        for (const auto& segment : brackets.segments) aligned.cell_starts.push_back(segment.span.begin);
      } else {
        for (const auto& value : row.values) aligned.cell_starts.push_back(value->span.begin);
      }
      rows.push_back(std::move(aligned));
    }
  }

  void input_member(const ast::InputMember& member) {
    statement(member.span);
    ast::visit(member, [&](const auto& m) {
      using M = std::decay_t<decltype(m)>;
      if constexpr (std::is_same_v<M, ast::InputField>) {
        expr(m.default_value.get());
      } else if constexpr (std::is_same_v<M, ast::InputRecord>) {
        for (const auto& inner : m.members) input_member(*inner);
      } else if constexpr (std::is_same_v<M, ast::InputCheck>) {
        expr(m.condition.get());
      }
    });
  }

  void example_member(const ast::ExampleMember& member) {
    statement(member.span);
    ast::visit(member, [&](const auto& m) {
      using M = std::decay_t<decltype(m)>;
      if constexpr (std::is_same_v<M, ast::ExampleSet>) {
        expr(m.value.get());
      } else {
        for (const auto& inner : m.members) example_member(*inner);
      }
    });
  }

  void item(const ast::Item& item) {
    statement(item.span);
    ast::visit(item, [&](const auto& i) {
      using I = std::decay_t<decltype(i)>;
      if constexpr (std::is_same_v<I, ast::Use>) {
        if (i.target == ast::Use::Target::policy) atom(i.name.span);
      } else if constexpr (std::is_same_v<I, ast::Enum>) {
        const uint32_t group = groups++;
        for (const auto& member : i.members) {
          statement(member.span);
          AlignedRow row{group, member.span.begin, member.span.end, {}, false};
          if (member.label) row.cell_starts.push_back(member.label->span.begin);
          rows.push_back(std::move(row));
        }
      } else if constexpr (std::is_same_v<I, ast::Input>) {
        for (const auto& member : i.members) input_member(*member);
      } else if constexpr (std::is_same_v<I, ast::Decl>) {
        expr(i.value.get());
        if (i.table) table(*i.table);
      } else if constexpr (std::is_same_v<I, ast::Fn>) {
        callee_ends.insert(i.name.span.end);
        expr(i.body.get());
      } else if constexpr (std::is_same_v<I, ast::Section>) {
        expr(i.condition.get());
        for (const auto& member : i.members) {
          statement(member->span);
          ast::visit(*member, [&](const auto& m) {
            using M = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<M, ast::SectionReason>) {
              expr(m.condition.get());
            } else {
              expr(m.value.get());
              expr(m.otherwise.get());
              expr(m.condition.get());
            }
          });
        }
      } else if constexpr (std::is_same_v<I, ast::After>) {
        for (const auto& entry : i.entries) {
          statement(entry.span);
          expr(entry.key.get());
          expr(entry.value.get());
          expr(entry.condition.get());
        }
      } else if constexpr (std::is_same_v<I, ast::Example>) {
        for (const auto& member : i.members) example_member(*member);
      }
    });
  }

  void file(const ast::File& f) {
    if (f.policy) {
      statement(f.policy->span);
      atom(f.policy->id.span);
      for (const auto& field : f.policy->fields) {
        statement(field.span);
        if (field.kind == ast::HeaderField::Kind::extends) atom(field.policy.span);
      }
    }
    if (f.module) statement(f.module->span);
    if (f.examples) {
      statement(f.examples->span);
      atom(f.examples->policy.span);
    }
    for (const auto& i : f.items) item(*i);
  }
};

// The length of the token at `pos` (not a blank, not an atom).
uint32_t token_length(std::string_view text, std::size_t pos, TokenKind& kind) {
  const std::size_t n = text.size();
  auto at = [&](std::size_t p) { return p < n ? text[p] : '\0'; };
  std::size_t p = pos;
  const char c = text[pos];
  if (c == '#') {
    kind = TokenKind::comment;
    while (p < n && text[p] != '\n') ++p;
    while (p > pos && (text[p - 1] == '\r' || text[p - 1] == ' ' || text[p - 1] == '\t')) --p;
  } else if (c == '"') {
    kind = TokenKind::string;
    ++p;
    while (p < n && text[p] != '"' && text[p] != '\n') p += text[p] == '\\' && at(p + 1) != '\n' ? 2 : 1;
    if (at(p) == '"') ++p;
  } else if (is_digit(c)) {
    while (is_digit(at(p))) ++p;
    if (p - pos == 4 && at(p) == '-' && is_digit(at(p + 1))) {
      // A date: `2024-02-29` (the grammar commits to a date here).
      kind = TokenKind::date;
      p = pos + 5;
      while (p < n && p < pos + 10 && (is_digit(text[p]) || text[p] == '-')) ++p;
    } else {
      kind = TokenKind::number;
      if (at(p) == '.' && is_digit(at(p + 1))) {
        ++p;
        while (is_digit(at(p))) ++p;
      }
      if (at(p) == '%') ++p;
    }
  } else if (is_ident_first(c)) {
    kind = TokenKind::word;
    while (is_ident_other(at(p))) ++p;
    while (at(p) == '.' && is_ident_first(at(p + 1))) {
      ++p;
      while (is_ident_other(at(p))) ++p;
    }
  } else {
    kind = TokenKind::punct;
    static constexpr std::string_view pairs[] = {"==", "!=", "<=", ">=", "+=", ".."};
    for (std::string_view pair : pairs) {
      if (text.substr(pos, 2) == pair) return 2;
    }
    p += decode_utf8(text, pos).size;
  }
  return static_cast<uint32_t>(p - pos);
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

}  // namespace

Tokens tokenize(std::string_view text, const ast::File& file) {
  Marks marks;
  marks.file(file);

  Tokens out;
  auto& tokens = out.tokens;
  std::size_t pos = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  uint32_t line = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '\n') {
      ++line;
      ++pos;
      continue;
    }
    if (is_blank(c)) {
      ++pos;
      continue;
    }
    Token token;
    token.begin = static_cast<uint32_t>(pos);
    token.line = line;
    uint32_t length = 0;
    if (auto atom = marks.atoms.find(token.begin); atom != marks.atoms.end() && atom->second > token.begin) {
      token.kind = TokenKind::word;
      length = atom->second - token.begin;
    } else {
      length = token_length(text, pos, token.kind);
    }
    token.end = token.begin + length;
    token.text = text.substr(pos, length);
    pos += length;  // (a comment's trailing blanks are skipped as blanks)
    tokens.push_back(token);
  }

  // Marks, and the partner of each bracket.
  std::vector<uint32_t> open;
  const Token* previous = nullptr;
  for (uint32_t i = 0; i < tokens.size(); ++i) {
    Token& t = tokens[i];
    if (t.kind == TokenKind::comment) continue;
    t.statement = marks.statements.count(t.begin) > 0;
    if (t.kind == TokenKind::punct) {
      t.unary = t.text == "-" && marks.unary_minus.count(t.begin) > 0;
      t.call_paren = t.text == "(" && previous != nullptr && marks.callee_ends.count(previous->end) > 0;
      t.set_brace = t.text == "{" && marks.set_braces.count(t.begin) > 0;
      if (t.text == "(" || t.text == "[" || t.text == "{") {
        open.push_back(i);
      } else if ((t.text == ")" || t.text == "]" || t.text == "}") && !open.empty()) {
        Token& opener = tokens[open.back()];
        opener.match = static_cast<int32_t>(i);
        t.match = static_cast<int32_t>(open.back());
        t.set_brace = opener.set_brace;
        open.pop_back();
      }
    }
    previous = &t;
  }
  // A set element written in parentheses starts at its first `(`.
  for (uint32_t i = 1; i < tokens.size(); ++i) {
    if (!tokens[i].statement) continue;
    uint32_t j = i;
    while (j > 0 && tokens[j - 1].text == "(" && !tokens[j - 1].call_paren) --j;
    if (j != i) {
      tokens[i].statement = false;
      tokens[j].statement = true;
    }
  }
  out.rows = std::move(marks.rows);
  return out;
}

}  // namespace yibao::format_detail
