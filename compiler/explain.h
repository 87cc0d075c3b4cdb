// explain.h: a settled result with its explanation (`yibao eval --explain`)
// as a derivation tree for people (`yibao explain`): each section's answer,
// then every rule computed, nested under the rule that needed it, with its
// value, the source line that made it and the inputs it read.
//
// It reads the result line itself (the JSON of interchange.md plus the
// "explain" array of docs/semantics.md, "Explanations"), so the tree and
// `eval --explain` can never tell two stories.
#pragma once

#include <string>
#include <string_view>

#include "lang/source.h"
#include "yibao/expected.h"

namespace yibao::compiler {

struct ExplainRenderOptions {
  bool source_lines = true;  // print each rule's source line under it
  bool color = false;        // ANSI: values bold, locations dim
};

// Renders one result line. `sources` holds the policy's files (by the paths
// the explain steps name) for the source lines; a step whose file is not
// there is printed without its line. Fails only when `result_line` is not a
// result (not JSON, or not an object).
Expected<std::string> render_explanation(std::string_view result_line, const SourceManager& sources,
                                         const ExplainRenderOptions& options = {});

}  // namespace yibao::compiler
