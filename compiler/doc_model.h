// doc_model.h: what a resident's page about one policy shows, extracted from
// the checked program (`yibao doc`, see doc.h). Plain data with the values
// already written for people ("360元", "80%", "2023年12月31日"), grouped by
// the question they answer: who may enrol, what one pays, when cover starts,
// what the basic fund and the critical-illness insurance pay.
//
// Where the words come from: titles and regions from the policy header;
// enumeration, domain and ledger labels from their declarations; a
// parameter's label from the Chinese comment on its declaration line (or the
// comment lines just above it), which by convention quotes the source
// document; failing that, the identifier read through a small glossary
// (`inpatient_deductible` -> 住院起付标准). The section headings of the
// policy file (`# ----- 五（一）、住院待遇`) say where each value sits in the
// source document.
//
// Which group a value belongs to is found by following the program itself:
// the parameters and tables each result section's fields use (on the
// unfolded program, where parameters are still referenced by name).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/modules.h"
#include "lang/source.h"
#include "yibao/ir.h"

namespace yibao::compiler::doc {

// The questions a page answers, in page order.
enum class Topic : uint8_t { eligibility, contribution, coverage, basic, critical, other };
inline constexpr size_t kTopicCount = 6;
const char* topic_title(Topic topic);  // "谁可以参保", ...

// One published scalar value.
struct Item {
  std::string name;     // the declaration: `inpatient_cap`, `national.fiscal_subsidy`
  std::string label;    // the source's words, or the glossary's reading of the name
  bool label_from_source = false;  // the label is the policy's own comment
  std::string heading;  // the policy file's section heading above it, if any
  ir::TypeRef type;
  int64_t raw = 0;      // the IR value (micro-yuan, ppm, days, ...)
  std::string value;    // written for people
  bool unspecified = false;
  std::string words;    // for unspecified: the source's words
  std::string where;    // `policies/liaoyuan/2023.yb:27`
};

struct Cell {
  int64_t raw = 0;
  std::string text;
  bool unspecified = false;
};

// A table keyed by one or two enumerations or domains.
struct Grid {
  std::string name, label, heading, where;
  bool label_from_source = false;
  std::string row_heading;              // the first key's label: 医院级别
  std::vector<std::string> rows;        // row key labels
  std::string column_heading;           // the second key's label, or empty
  std::vector<std::string> columns;     // column key labels; one empty column for 1-D tables
  std::vector<std::vector<Cell>> cells;  // [row][column]
  ir::TypeRef value_type;
};

// Bracket schedules: one (a scalar parameter) or one per key (a table).
struct Segment {
  int64_t lo = 0, hi = 0;  // micro-yuan; hi == INT64_MAX: open
  int64_t rate = 0;        // ppm
  std::string range;       // "30000元至60000元", "60000元以上"
  std::string rate_text;   // "85%"
};
struct ScheduleGroup {
  std::string key;  // the key's label, empty for a scalar schedule
  std::vector<Segment> segments;
};
struct Brackets {
  std::string name, label, heading, where;
  bool label_from_source = false;
  std::string key_heading;  // 医院级别, or empty
  std::vector<ScheduleGroup> groups;
};

struct Event {  // a date on the timeline
  int32_t date = 0;   // days since 1970-01-01
  std::string label;
  std::string name;
};

struct TopicDoc {
  std::vector<Item> items;
  std::vector<Grid> grids;
  std::vector<Brackets> brackets;
  [[nodiscard]] bool empty() const { return items.empty() && grids.empty() && brackets.empty(); }
};

struct LedgerDoc {
  std::string name, label;
};

struct UnspecifiedDoc {
  std::string name, words, where;
};

struct PolicyDoc {
  std::string id, title, region, source;
  int32_t year = 0;
  std::vector<std::string> eligibility;  // the source's words on who may enrol
  std::string ineligibility;             // the text given to those who may not
  std::array<TopicDoc, kTopicCount> topics;
  std::vector<Event> timeline;           // dates, ascending, with the benefit year's ends
  std::vector<LedgerDoc> ledgers;        // yearly running totals (caps are counted on them)
  std::vector<UnspecifiedDoc> unspecified;

  TopicDoc& topic(Topic t) { return topics[static_cast<size_t>(t)]; }
  const TopicDoc& topic(Topic t) const { return topics[static_cast<size_t>(t)]; }
};

// Labels of enumerations, their members and domains, read from the modules'
// declarations (the IR keeps only names).
struct Labels {
  struct Enum {
    std::string name, label;
    std::vector<std::string> members, member_labels;
  };
  std::vector<Enum> enums;
  struct Domain {
    std::string name, label;
  };
  std::vector<Domain> domains;

  static Labels from(const ModuleSet& modules);
  // A member's label, or its name when it has none.
  [[nodiscard]] std::string member(std::string_view enum_name, std::string_view member) const;
  [[nodiscard]] std::string enumeration(std::string_view enum_name) const;
  [[nodiscard]] std::string domain(std::string_view domain_name) const;
};

// Everything the extraction reads: the program as it runs, the same program
// unfolded (compiled with CompileOptions::fold = false) to see which
// parameters each section uses, the sources (for comments) and the labels.
struct DocInputs {
  const ir::Program& program;
  const ir::Program& unfolded;
  const SourceManager& sources;
  const Labels& labels;
};

PolicyDoc extract(const DocInputs& in);

// Values written for people.
std::string format_money(int64_t micros);   // 360元, 8916.5元, 20万元
std::string format_rate(int64_t ppm);       // 80%, 12.5%
std::string format_points(int64_t ppm);     // +5个百分点
std::string format_date(int32_t days);      // 2023年12月31日
std::string format_duration(int64_t packed);  // 90天, 3个月
// Any value of the program; enum and domain keys need the labels.
std::string format_value(const ir::Program& program, const Labels& labels, ir::TypeRef type, int64_t raw);

// The label a glossary gives an identifier (`inpatient_deductible` ->
// 住院起付标准), or empty when a word of it is not in the glossary.
std::string glossary_label(std::string_view name);

// Whether a comment reads as the source's (Chinese) words rather than an
// analyst's note: it has Chinese characters and no more Latin letters.
bool is_source_words(std::string_view comment);

}  // namespace yibao::compiler::doc
