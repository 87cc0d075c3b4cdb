// The parser: one source file -> its AST (lang/ast.h), reporting syntax
// errors into a Diagnostics sink. The grammar is lang/grammar.h.
//
// Errors are values: parse() never throws (except std::bad_alloc) and never
// crashes or hangs, whatever the input. After a syntax error it skips to the
// next line that starts (in column 1) with a declaration keyword (`param`,
// `rule`, `fn`, `section`, ...) and goes on, so one run reports several
// errors; the declarations it could not read are left out of the AST (their
// text is listed in File::skipped). It stops early when the sink reaches its
// error limit.
//
// Diagnostics it reports (lang/diagnostic_codes.def):
//   syntax_error         a token that does not fit: "expected `:` and a type
//                        after the name, found `=`", at the token found
//   nesting_too_deep     expressions (or input records) nested more than
//                        ast::kMaxNesting levels
//   unterminated_string  a string without its closing `"` on the same line
//   invalid_number       a number with more than 6 decimals, or too large
//
// Thread safety: parse() keeps no state between calls; calls on different
// Diagnostics may run concurrently over the same (const) SourceManager.
#pragma once

#include <memory>

#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/source.h"

namespace yibao {

struct ParseResult {
  // Never null: the whole file, or what could be read of it.
  std::unique_ptr<ast::File> file;
  // True when the whole file was read without a syntax error: the AST is
  // complete. False after an error, and also when the sink's error limit was
  // reached (possibly before this file: then nothing of it was read).
  bool ok = false;
};

// Parses the file `file` of `sources`. A UTF-8 byte-order mark at the start
// is skipped. Precondition: sources.contains(file).
[[nodiscard]] ParseResult parse(const SourceManager& sources, FileId file, Diagnostics& diagnostics);

}  // namespace yibao
