// doc_html.h: the resident's page as one self-contained HTML document:
// inline CSS and SVG, no scripts, no external references, every text
// escaped. Renders what doc_model.h extracted and doc_chart.h computed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/doc_chart.h"
#include "compiler/doc_model.h"

namespace yibao::compiler::doc {

// `text` with & < > " ' written as character references: safe in element
// content and in quoted attribute values.
std::string escape_html(std::string_view text);

struct PageCharts {
  std::vector<Chart> curves;    // one chart per claim kind, on a fine grid of costs
  std::vector<Chart> examples;  // the same kinds at a few round costs, for a table
  std::vector<CoverExample> cover;  // when cover starts for payments on a few days
};

// The whole page.
std::string render_page(const PolicyDoc& doc, const PageCharts& charts);

// The timeline of doc.timeline as an inline SVG (empty when there is none).
std::string timeline_svg(const PolicyDoc& doc);

}  // namespace yibao::compiler::doc
