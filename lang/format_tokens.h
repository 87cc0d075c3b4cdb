// The formatter's view of a file (internal to lang/format*.cpp): its tokens,
// one per word, number, date, string, punctuation mark or comment, each
// marked with what the AST says it is.
//
// Token boundaries follow the grammar (lang/grammar.h): a path such as
// `claim.total` is one token (the grammar allows no space inside it), a
// number takes its `%` (`80%`), a date is one token, and a policy identifier
// (`national-2024`) is one token where the AST has one. So putting any
// whitespace between two tokens on a line reads back the same.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lang/ast.h"

namespace yibao::format_detail {

enum class TokenKind : uint8_t { word, number, date, string, punct, comment };

struct Token {
  TokenKind kind = TokenKind::punct;
  std::string_view text;
  uint32_t begin = 0;  // byte offsets into the file
  uint32_t end = 0;
  uint32_t line = 0;  // 0-based source line

  // From the AST:
  bool statement = false;   // starts a declaration, member, row, arm, segment, element, ...
  bool call_paren = false;  // `(` of a call's arguments or a fn's parameters
  bool set_brace = false;   // `{` or `}` of a set literal
  bool unary = false;       // unary `-`
  int32_t match = -1;       // for brackets: the index of the partner bracket
};

// One row of an aligned block (a table row, an enum member): where its
// cells start. A row is aligned only when it is alone on its line.
struct AlignedRow {
  uint32_t group = 0;                 // rows of one table or enum share a group
  uint32_t begin = 0;                 // byte offsets of the row
  uint32_t end = 0;
  std::vector<uint32_t> cell_starts;  // byte offsets where cells 1.. start (cell 0 at begin)
  bool numeric_cells = false;         // value cells of a value table (right-aligned when numbers)
};

struct Tokens {
  std::vector<Token> tokens;
  std::vector<AlignedRow> rows;
};

// Splits `text` into tokens and marks them from `file`, the AST parsed from
// the same text without errors.
[[nodiscard]] Tokens tokenize(std::string_view text, const ast::File& file);

}  // namespace yibao::format_detail
