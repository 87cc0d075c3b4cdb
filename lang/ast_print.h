// Two printers of the AST (lang/ast.h):
//
//   print_ast     a stable S-expression dump, for golden tests and
//                 `--dump=ast`. Spans and the formatting flags
//                 (`parenthesized`, `brace_form`, ...) are left out: two
//                 files that differ only in layout print the same.
//   print_source  yibao text that parses back to the same AST (same
//                 print_ast), with parentheses where precedence needs them and
//                 where the source had them. Round-trip tests use it; it is
//                 not the formatter (no comments, fixed layout).
//
// Thread safety: pure functions of their argument.
#pragma once

#include <string>

#include "lang/ast.h"

namespace yibao::ast {

// The whole file, one item per line (block members indented by two spaces),
// ending in '\n'.
[[nodiscard]] std::string print_ast(const File& file);
// One expression, on one line: `(+ claim.total (* 10% claim.class_b))`.
[[nodiscard]] std::string print_ast(const Expr& expr);

[[nodiscard]] std::string print_source(const File& file);
[[nodiscard]] std::string print_source(const Expr& expr);

}  // namespace yibao::ast
