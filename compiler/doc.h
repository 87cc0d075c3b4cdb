// doc.h: `yibao doc`: one self-contained HTML page per policy that explains
// it to residents the way the "一图读懂" leaflets do: who may enrol, what one
// pays and what aid there is, when cover starts, deductibles, rates, brackets
// and caps as tables, and a chart of what the policy pays against what care
// costs, computed by the engine itself. Values the policy leaves unspecified
// are shown as such, with the source's words.
//
// The work is split in three: doc_model.h reads the checked program into
// plain data, doc_chart.h settles synthetic claims through the runtime for
// the chart, doc_html.h renders the page.
#pragma once

#include <optional>
#include <string>

#include "compiler/doc_html.h"
#include "lang/diagnostics.h"
#include "lang/source.h"

namespace yibao::compiler::doc {

// What the page shows: the extracted values and the engine's curves.
struct Page {
  PolicyDoc doc;
  PageCharts charts;
};

// Compiles the policy at `path` (also unfolded, and its modules' labels)
// and extracts its page; nothing when it does not compile.
std::optional<Page> build_page(SourceManager& sources, const std::string& path, Diagnostics& diagnostics);

// The page for the policy at `path`, or nothing when it does not compile
// (the errors are in `diagnostics`).
std::optional<std::string> policy_page(SourceManager& sources, const std::string& path, Diagnostics& diagnostics);

}  // namespace yibao::compiler::doc
