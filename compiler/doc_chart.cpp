// doc_chart.cpp: reimbursement curves from the engine, drawn as SVG.
#include "compiler/doc_chart.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "compiler/doc_html.h"
#include "lang/source.h"
#include "yibao/date.h"
#include "yibao/evaluator.h"
#include "yibao/money.h"
#include "yibao/request_reader.h"

namespace yibao::compiler::doc {

namespace {

constexpr int64_t kMicros = 1'000'000;

// The inclusive range of an integer-range request field, or {1, 1} when the
// schema has no such field.
std::pair<int64_t, int64_t> field_range(const Schema& schema, std::string_view path) {
  const int f = schema.find_field(path);
  if (f < 0 || schema.fields[static_cast<size_t>(f)].type != FieldType::integer_range) return {1, 1};
  const FieldSpec& spec = schema.fields[static_cast<size_t>(f)];
  return {spec.range_lo, spec.range_hi};
}

std::string strip_parenthetical(std::string label) {
  const auto open = label.find("（");
  return open == std::string::npos ? label : label.substr(0, open);
}

int find_index(const std::vector<ir::SectionField>& fields, std::string_view name) {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == name) return static_cast<int>(i);
  return -1;
}

// A field's value in an answer: 0 where the field is not part of it (an
// outcome keeps values only where they are written).
int64_t field_value(const SectionOutcome& o, int field) {
  const auto f = static_cast<size_t>(field);
  return f < o.written.size() && o.written[f] ? o.values[f] : 0;
}

}  // namespace

std::vector<int64_t> cost_grid(int64_t max, int count) {
  std::vector<int64_t> out;
  for (int i = 0; i < count; ++i) {
    // Whole yuan, so that the requests read as a person would write them.
    const int64_t yuan = max / kMicros * i / std::max(count - 1, 1);
    out.push_back(yuan * kMicros);
  }
  return out;
}

Chart settle_costs(const ir::Program& program, const Labels& labels, const std::string& kind,
                   const std::vector<int64_t>& costs) {
  Chart chart;
  chart.kind = kind;
  chart.kind_label = labels.member("kind", kind);
  chart.costs = costs;
  const Schema& schema = program.schema;
  int settlement = -1;
  for (size_t s = 0; s < program.sections.size(); ++s)
    if (program.sections[s].name == "settlement") settlement = static_cast<int>(s);
  if (settlement < 0) {
    chart.notes.push_back("本政策没有结算部分");
    return chart;
  }
  const ir::Section& section = program.sections[static_cast<size_t>(settlement)];
  const int basic_field = find_index(section.fields, "basic");
  const int critical_field = find_index(section.fields, "critical");
  auto reader = RequestReader::create(schema);
  if (!reader || basic_field < 0) {
    chart.notes.push_back("本政策的请求格式不含理赔结算");
    return chart;
  }
  Evaluator evaluator(program);
  Request request = reader->make_request();
  Result result;
  const auto [level_lo, level_hi] = field_range(schema, "claim.hospital_level");
  const auto [tier_lo, tier_hi] = field_range(schema, "person.tier");
  const bool has_tier = schema.find_field("person.tier") >= 0;
  const std::string level_name = strip_parenthetical(labels.domain("level"));
  const std::string tier_name = strip_parenthetical(labels.domain("tier"));
  const std::string birth = to_iso_string(days_from_civil(program.year - 40, 7, 1));
  const std::string day = to_iso_string(days_from_civil(program.year, 7, 1));
  std::set<std::string> notes;

  std::vector<Curve> curves;
  for (int64_t tier = tier_lo; tier <= tier_hi; ++tier) {
    for (int64_t level = level_lo; level <= level_hi; ++level) {
      Curve curve;
      curve.level = level;
      curve.tier = has_tier ? tier : 0;
      bool ok = true;
      for (const int64_t cost : costs) {
        const std::string line = fmt::format(
            R"({{"id":"doc","person":{{"id":"doc","birth_date":"{}"{}}},"claim":{{"kind":"{}","date":"{}","hospital_level":{},"total":{}}}}})",
            birth, has_tier ? fmt::format(R"(,"tier":{})", tier) : "", kind, day, level, money_to_string(cost));
        if (!reader->read(line, request)) {
          notes.insert(fmt::format("无法构造请求：{}", reader->error()));
          ok = false;
          break;
        }
        evaluator.evaluate(request, {}, result);
        const SectionOutcome& out = result.sections[static_cast<size_t>(settlement)];
        if (out.kind == SectionOutcome::Kind::error) {
          const EvalError& e = out.error;
          if (e.code == EvalErrorCode::unspecified && e.unspecified >= 0 &&
              static_cast<size_t>(e.unspecified) < program.unspecifieds.size())
            notes.insert(fmt::format("{}：政策未公布（“{}”）", chart.kind_label,
                                     program.unspecifieds[static_cast<size_t>(e.unspecified)].words));
          else
            notes.insert(fmt::format("{}：无法计算（{}）", chart.kind_label,
                                     e.code == EvalErrorCode::overflow ? "金额溢出" : "数值未公布"));
          ok = false;
          break;
        }
        if (out.kind == SectionOutcome::Kind::reason) {
          std::string reason = "不予支付";
          if (out.reason_enum >= 0 && static_cast<size_t>(out.reason_enum) < schema.enums.size()) {
            const EnumSpec& e = schema.enums[static_cast<size_t>(out.reason_enum)];
            if (out.reason_code >= 0 && static_cast<size_t>(out.reason_code) < e.members.size())
              reason = labels.member(e.name, e.members[static_cast<size_t>(out.reason_code)]);
          }
          notes.insert(fmt::format("{}{} {}：{}", chart.kind_label, level_name, level, reason));
          ok = false;
          break;
        }
        if (out.kind != SectionOutcome::Kind::fields) {
          ok = false;
          break;
        }
        curve.basic.push_back(field_value(out, basic_field));
        curve.critical.push_back(critical_field >= 0 ? field_value(out, critical_field) : 0);
      }
      if (ok) curves.push_back(std::move(curve));
    }
  }
  // Fold tiers that pay exactly what tier 1 pays.
  bool tiers_differ = false;
  for (const Curve& c : curves)
    for (const Curve& first : curves)
      if (first.tier == tier_lo && first.level == c.level && c.tier != tier_lo &&
          (first.basic != c.basic || first.critical != c.critical))
        tiers_differ = true;
  for (Curve& c : curves) {
    if (!tiers_differ && c.tier != tier_lo && has_tier) continue;
    if (!tiers_differ) c.tier = 0;
    c.label = fmt::format("{} {}", level_name, c.level);
    if (c.tier != 0) c.label += fmt::format(" · {} {}", tier_name, c.tier);
    chart.curves.push_back(std::move(c));
  }
  chart.notes.assign(notes.begin(), notes.end());
  return chart;
}

std::vector<CoverExample> cover_examples(const ir::Program& program, const Labels& labels,
                                         const std::vector<int32_t>& paid) {
  std::vector<CoverExample> out;
  int coverage = -1;
  for (size_t s = 0; s < program.sections.size(); ++s)
    if (program.sections[s].name == "coverage") coverage = static_cast<int>(s);
  auto reader = RequestReader::create(program.schema);
  if (coverage < 0 || !reader) return out;
  const int from_field = find_index(program.sections[static_cast<size_t>(coverage)].fields, "from");
  if (from_field < 0) return out;
  Evaluator evaluator(program);
  Request request = reader->make_request();
  Result result;
  const std::string birth = to_iso_string(days_from_civil(program.year - 40, 7, 1));
  for (const int32_t day : paid) {
    CoverExample ex;
    ex.paid = day;
    const std::string line = fmt::format(
        R"({{"id":"doc","person":{{"id":"doc","birth_date":"{}"}},"enrollment":{{"paid_on":"{}"}}}})", birth,
        to_iso_string(day));
    if (!reader->read(line, request)) continue;
    evaluator.evaluate(request, {}, result);
    const SectionOutcome& o = result.sections[static_cast<size_t>(coverage)];
    if (o.kind == SectionOutcome::Kind::fields) {
      ex.covered = true;
      ex.from = static_cast<int32_t>(field_value(o, from_field));
    } else if (o.kind == SectionOutcome::Kind::reason) {
      ex.note = "不予参保";
      if (o.reason_enum >= 0 && static_cast<size_t>(o.reason_enum) < program.schema.enums.size()) {
        const EnumSpec& e = program.schema.enums[static_cast<size_t>(o.reason_enum)];
        if (o.reason_code >= 0 && static_cast<size_t>(o.reason_code) < e.members.size())
          ex.note = labels.member(e.name, e.members[static_cast<size_t>(o.reason_code)]);
      }
    } else if (o.kind == SectionOutcome::Kind::error && o.error.code == EvalErrorCode::unspecified &&
               o.error.unspecified >= 0 && static_cast<size_t>(o.error.unspecified) < program.unspecifieds.size()) {
      ex.note = "未公布：" + program.unspecifieds[static_cast<size_t>(o.error.unspecified)].words;
    } else {
      ex.note = "无法计算";
    }
    out.push_back(std::move(ex));
  }
  return out;
}

// ------------------------------------------------------------------- SVG

namespace {

// A step of 1, 2 or 5 times a power of ten giving about `ticks` ticks up to `max`.
int64_t nice_step(int64_t max, int ticks) {
  const int64_t raw = std::max<int64_t>(max / ticks, 1);
  int64_t power = 1;
  while (power * 10 <= raw) power *= 10;
  for (const int64_t m : {1, 2, 5, 10})
    if (power * m >= raw) return power * m;
  return power * 10;
}

std::string axis_money(int64_t yuan) {
  if (yuan >= 10'000 && yuan % 1'000 == 0) {
    const int64_t tenths = yuan / 1'000;
    return tenths % 10 == 0 ? fmt::format("{}万", tenths / 10) : fmt::format("{}.{}万", tenths / 10, tenths % 10);
  }
  return fmt::format("{}", yuan);
}

constexpr const char* kColors[] = {"#1764c0", "#e8590c", "#2b8a3e", "#9c36b5", "#c2255c", "#0c8599"};

}  // namespace

std::string chart_svg(const Chart& chart, ChartScale scale) {
  constexpr int width = 760, height = 400;
  constexpr int left = 72, right = 24, top = 24, bottom = 56;
  constexpr int plot_w = width - left - right, plot_h = height - top - bottom;
  if (chart.costs.empty() || chart.curves.empty()) return "";
  const bool share = scale == ChartScale::share;
  const int64_t x_max = std::max<int64_t>(chart.costs.back() / kMicros, 1);
  // The vertical unit: whole yuan, or parts per million of the cost.
  auto value = [&](const Curve& c, size_t i) -> int64_t {
    if (!share) return c.paid(i) / kMicros;
    const int64_t cost = chart.costs[i];
    // A drawing coordinate, not an amount: double is exact enough.
    return cost <= 0 ? 0 : static_cast<int64_t>(static_cast<double>(c.paid(i)) / static_cast<double>(cost) * 1e6);
  };
  int64_t y_max = 1'000'000, y_step = 200'000;
  if (!share) {
    int64_t paid_max = 1;
    for (const Curve& c : chart.curves)
      for (size_t i = 0; i < chart.costs.size(); ++i) paid_max = std::max(paid_max, value(c, i) + 1);
    y_step = nice_step(paid_max, 5);
    y_max = (paid_max + y_step - 1) / y_step * y_step;
  }
  const int64_t x_step = nice_step(x_max, 6);
  auto sx = [&](int64_t yuan) { return left + static_cast<double>(yuan) / static_cast<double>(x_max) * plot_w; };
  auto sy = [&](int64_t v) { return top + plot_h - static_cast<double>(v) / static_cast<double>(y_max) * plot_h; };
  const std::string what = chart.kind_label + (share ? "：实际报销比例随医疗费用变化" : "：报销金额随医疗费用变化");

  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">)",
      width, height, escape_html(what));
  svg += fmt::format(R"(<title>{}</title>)", escape_html(what));
  // Grid and axes.
  for (int64_t y = 0; y <= y_max; y += y_step) {
    const double py = sy(y);
    svg += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" class="grid"/>)", left, py, left + plot_w, py);
    svg += fmt::format(R"(<text x="{}" y="{:.1f}" class="tick" text-anchor="end">{}</text>)", left - 8, py + 4,
                       share ? fmt::format("{}%", y / 10'000) : axis_money(y));
  }
  for (int64_t x = 0; x <= x_max; x += x_step) {
    const double px = sx(x);
    svg += fmt::format(R"(<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" class="grid"/>)", px, top, px, top + plot_h);
    svg += fmt::format(R"(<text x="{:.1f}" y="{}" class="tick" text-anchor="middle">{}</text>)", px, top + plot_h + 18,
                       axis_money(x));
  }
  svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>)", left, top + plot_h, left + plot_w,
                     top + plot_h);
  svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>)", left, top, left, top + plot_h);
  svg += fmt::format(R"(<text x="{}" y="{}" class="label" text-anchor="middle">医疗费用（元）</text>)",
                     left + plot_w / 2, height - 12);
  svg += fmt::format(
      R"~(<text x="16" y="{}" class="label" text-anchor="middle" transform="rotate(-90 16 {})">{}</text>)~",
      top + plot_h / 2, top + plot_h / 2, share ? "实际报销比例" : "报销金额（元）");
  if (!share) {
    // Paying everything: the cost itself, where it fits.
    const int64_t diagonal = std::min(x_max, y_max);
    svg += fmt::format(R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" class="diagonal"/>)", sx(0), sy(0),
                       sx(diagonal), sy(diagonal));
    const int64_t at = diagonal * 3 / 5;  // the label sits above the line, clear of the curves' ends
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" class="note" text-anchor="end">全额（报销＝费用）</text>)",
                       sx(at) - 4, sy(at) - 6);
  }
  // The curves (a share has no value at cost 0).
  auto color_of = [](const Curve& c) {
    return kColors[static_cast<size_t>(std::max<int64_t>(c.level - 1, 0)) % std::size(kColors)];
  };
  for (const Curve& curve : chart.curves) {
    std::string points;
    for (size_t i = share ? 1 : 0; i < chart.costs.size(); ++i)
      points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", sx(chart.costs[i] / kMicros),
                            sy(value(curve, i)));
    svg += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"{}/>)", points,
                       color_of(curve), curve.tier > 1 ? R"( stroke-dasharray="8 5")" : "");
  }
  // The legend: top left for amounts (the curves rise to the right), bottom
  // right for shares (they start low on the left).
  uint32_t label_width = 0;
  for (const Curve& c : chart.curves) label_width = std::max(label_width, display_width(c.label));
  const int legend_w = 64 + static_cast<int>(label_width) * 7;
  const int legend_h = static_cast<int>(chart.curves.size()) * 22 + 12;
  const int lx = share ? left + plot_w - legend_w - 12 : left + 12;
  const int ly = share ? top + plot_h - legend_h - 12 : top + 8;
  svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" class="legend"/>)", lx, ly, legend_w, legend_h);
  for (size_t c = 0; c < chart.curves.size(); ++c) {
    const Curve& curve = chart.curves[c];
    const int y = ly + 18 + static_cast<int>(c) * 22;
    svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"{}/>)", lx + 10, y - 4,
                       lx + 40, y - 4, color_of(curve), curve.tier > 1 ? R"( stroke-dasharray="8 5")" : "");
    svg += fmt::format(R"(<text x="{}" y="{}" class="legend-text">{}</text>)", lx + 48, y, escape_html(curve.label));
  }
  svg += "</svg>";
  return svg;
}

}  // namespace yibao::compiler::doc
