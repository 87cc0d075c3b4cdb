// Rendering diagnostics: to text for people (clang/rustc style, optionally in
// ANSI color) and to JSON for editors and tools. Returns strings; printing
// them is the caller's business.
//
// Text, for one diagnostic:
//
//   policies/x/2024.yb:3:25: error[E0101]: unknown field `claim.hosptal_level`
//     |
//   3 |   deductible = by claim.hosptal_level { 1: 300 }
//     |                         ^^^^^^^^^^^^^ not a field of `claim`
//     = help: did you mean `hospital_level`?
//
// - Columns count characters; the underline is placed by display width, so
//   it lines up under Chinese text (wide characters take two cells) and tabs
//   (printed as `tab_width` spaces). Control characters and invalid bytes are
//   printed as one visible symbol each.
// - `^` underlines the primary span, `-` secondary labels; each annotation
//   gets its own underline row, left to right. An empty span shows one `^`
//   (after the last character when it is at the end of a line). A span over
//   several lines underlines the rest of its first line and adds
//   "(continues to line N)". Non-adjacent lines are separated by `...`.
// - The gutter is as wide as the largest line number shown in the diagnostic.
// - Notes without a span print as `= note: ...` / `= help: ...`. A note with a
//   span, and a label in another file than the primary span, print as their
//   own location line `path:line:col: note: ...` followed by a snippet
//   underlined with `-`. Everything prints in the order given.
// - A diagnostic without location prints as `error[E0005]: ...` alone.
//
// JSON: one document,
//
//   {"diagnostics": [
//     {"severity": "error", "code": "E0101", "name": "unknown_name", "message": "...",
//      "file": "policies/x/2024.yb",
//      "range": {"start": {"line": 3, "column": 25}, "end": {"line": 3, "column": 38}},
//      "byte_range": [66, 79], "label": "not a field of `claim`",
//      "labels": [{"message": "...", "file": ..., "range": ..., "byte_range": ...}],
//      "notes": [{"kind": "help", "message": "did you mean `hospital_level`?"}]}
//   ], "errors": 1, "warnings": 0}
//
// with one diagnostic per line, sorted like `Diagnostics::sorted()`. Lines and
// columns are 1-based, columns in code points; `end` and `byte_range` are
// exclusive. "file", "range", "byte_range" and "label" are null when absent;
// a note has "file", "range" and "byte_range" only when it has a span.
//
// Thread safety: pure functions of their arguments.
#pragma once

#include <string>

#include "lang/diagnostics.h"
#include "lang/source.h"

namespace yibao {

struct RenderOptions {
  bool color = false;  // ANSI escape sequences
};

// One diagnostic, ending in '\n'.
[[nodiscard]] std::string render_text(const Diagnostic& diagnostic, const SourceManager& sources,
                                      const RenderOptions& options = {});

// Every diagnostic in sorted order, each followed by an empty line, then the
// summary line if there is one.
[[nodiscard]] std::string render_text(const Diagnostics& diagnostics, const SourceManager& sources,
                                      const RenderOptions& options = {});

// The closing line, with '\n', or "" when there are no errors and no warnings:
//   error: aborting due to 2 errors; 1 warning emitted
//   error: aborting due to 50 errors; 7 more diagnostics not shown
//   warning: 3 warnings emitted
[[nodiscard]] std::string render_summary(const Diagnostics& diagnostics, const RenderOptions& options = {});

// The JSON document described above, ending in '\n'.
[[nodiscard]] std::string render_json(const Diagnostics& diagnostics, const SourceManager& sources);

// `text` as a JSON string literal with its quotes; invalid UTF-8 becomes U+FFFD.
[[nodiscard]] std::string json_quote(std::string_view text);

}  // namespace yibao
