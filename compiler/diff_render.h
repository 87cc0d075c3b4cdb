// diff_render.h: a PolicyDiff (and its impact on requests) as text for
// people or as JSON for tools. The JSON document's schema is documented in
// docs/tools.md ("yibao diff", "JSON output"); it is versioned by its
// "format" member.
#pragma once

#include <string>

#include "compiler/diff.h"
#include "compiler/diff_impact.h"

namespace yibao::compiler {

inline constexpr const char* kDiffJsonFormat = "yibao-diff/1";

// Grouped, aligned text for a terminal (widths count CJK characters as two
// columns). `impact` may be null; `requests` names the request file.
std::string render_diff_text(const PolicyDiff& diff, const RequestImpact* impact, const std::string& requests);

// One JSON document, one change per line.
std::string render_diff_json(const PolicyDiff& diff, const RequestImpact* impact, const std::string& requests);

// Columns the text takes in a terminal: East Asian wide characters count two.
std::size_t display_width(const std::string& text);

}  // namespace yibao::compiler
