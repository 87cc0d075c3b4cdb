// `yibao fmt`: the canonical layout of a .yb file (the rules are in
// docs/fmt.md).
//
// The formatter works on the file's tokens and comments, with the AST
// (lang/ast.h) saying what each token is: which `{` opens a set, which `-`
// is unary, which `(` opens a call, where each declaration, member, row,
// arm and segment starts, which lines are rows of a table. It changes only
// the whitespace between tokens: the tokens themselves, their order, the
// line breaks the author chose inside a declaration and every comment stay.
// So the meaning cannot change; as a guard, the result is parsed again and
// must give the same AST (print_ast) as the input.
//
// Errors are values: a file that does not parse is not formatted (its syntax
// errors are reported into the sink), and the guard failing (a formatter bug)
// is reported in FormatResult::internal_error, never by a crash.
//
// Thread safety: pure functions of their arguments (calls on different
// Diagnostics may run concurrently over the same const SourceManager).
#pragma once

#include <string>

#include "lang/diagnostics.h"
#include "lang/source.h"

namespace yibao {

struct FormatResult {
  // True when the file parsed and `text` is its canonical layout.
  bool ok = false;
  // The formatted file, ending in one '\n' (empty for an empty file).
  std::string text;
  // Set when the formatter's own check failed: the layout did not parse back
  // to the same AST. The file must then be left as it is.
  std::string internal_error;
};

// Formats file `file` of `sources`. Syntax errors (and any other error
// already in the sink for this file, such as invalid UTF-8, is the caller's to
// check) are reported into `diagnostics`; then ok is false.
[[nodiscard]] FormatResult format_file(const SourceManager& sources, FileId file, Diagnostics& diagnostics);

}  // namespace yibao
