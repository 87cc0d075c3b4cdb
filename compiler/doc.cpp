// doc.cpp: `yibao doc`'s pipeline: compile, extract, settle, render.
#include "compiler/doc.h"

#include "compiler/compile.h"
#include "compiler/modules.h"
#include "yibao/date.h"

namespace yibao::compiler::doc {

namespace {

constexpr int64_t kYuan = 1'000'000;

// The claim kinds a chart is drawn for, the range of costs it spans and the
// round costs of its table of examples (yuan).
struct KindPlan {
  const char* kind;
  int64_t max_cost;
  std::vector<int64_t> examples;
};

const std::vector<KindPlan>& plans() {
  static const std::vector<KindPlan> list = {
      {"inpatient", 200'000, {5'000, 10'000, 50'000, 100'000, 200'000}},
      {"outpatient", 3'000, {100, 500, 1'000, 2'000}},
  };
  return list;
}

}  // namespace

std::optional<Page> build_page(SourceManager& sources, const std::string& path, Diagnostics& diagnostics) {
  const auto program = compile_policy(sources, path, {}, diagnostics);
  if (!program) return std::nullopt;
  // The same policy unfolded (parameters still referenced by name, to see
  // which section uses which) and its modules' declarations (for labels),
  // each from sources of their own: the policy already compiled cleanly.
  SourceManager unfolded_sources, module_sources;
  Diagnostics quiet;
  CompileOptions unfolded_options;
  unfolded_options.fold = false;
  const auto unfolded = compile_policy(unfolded_sources, path, unfolded_options, quiet);
  const auto modules = load_modules(module_sources, path, {}, quiet);
  if (!unfolded || !modules) return std::nullopt;
  const Labels labels = Labels::from(*modules);

  Page page;
  page.doc = extract({*program, *unfolded, sources, labels});
  // Payments through the benefit year: the day after the concentrated
  // window, then mid-month every quarter or so.
  int32_t window_end = days_from_civil(program->year - 1, 12, 31);
  for (const ir::Param& p : program->params)
    if (p.name == "window_end" && p.type.kind == ir::Type::date && !p.unspecified)
      window_end = static_cast<int32_t>(p.value);
  std::vector<int32_t> paid = {window_end + 1};
  for (const int32_t month : {2, 4, 7, 10}) {
    const int32_t day = days_from_civil(program->year, month, 15);
    if (day > paid.back()) paid.push_back(day);
  }
  page.charts.cover = cover_examples(*program, labels, paid);

  const int kind_enum = program->schema.find_enum("kind");
  for (const KindPlan& plan : plans()) {
    if (kind_enum < 0 || program->schema.find_member(kind_enum, plan.kind) < 0) continue;
    page.charts.curves.push_back(settle_costs(*program, labels, plan.kind, cost_grid(plan.max_cost * kYuan, 241)));
    std::vector<int64_t> costs;
    for (const int64_t yuan : plan.examples) costs.push_back(yuan * kYuan);
    page.charts.examples.push_back(settle_costs(*program, labels, plan.kind, costs));
  }
  return page;
}

std::optional<std::string> policy_page(SourceManager& sources, const std::string& path, Diagnostics& diagnostics) {
  const auto page = build_page(sources, path, diagnostics);
  if (!page) return std::nullopt;
  return render_page(page->doc, page->charts);
}

}  // namespace yibao::compiler::doc
