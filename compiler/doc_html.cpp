// doc_html.cpp: the resident's page, rendered. One document, styles inline
// in <style>, pictures as inline SVG; every text from the policy passes
// through escape_html. The markup is also well-formed XML (void elements
// written `<br/>`, the XHTML namespace on <html>), so that a browser reading
// it as XHTML, as tests/doc does, rejects any unclosed or misnested tag.
#include "compiler/doc_html.h"

#include <algorithm>

#include <fmt/format.h>

#include "yibao/date.h"

namespace yibao::compiler::doc {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

constexpr const char* kStyle = R"(
:root { --blue:#1764c0; --deep:#0d3f80; --sky:#e8f1fc; --orange:#e8590c; --ink:#1f2933; --muted:#5f6b7a; --line:#d5dde8; }
* { box-sizing: border-box; }
body { margin:0; background:#eef3f9; color:var(--ink); font:16px/1.6 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif; }
main { max-width: 920px; margin: 0 auto; padding: 0 16px 40px; }
.hero { background: linear-gradient(135deg, #0d3f80 0%, #1764c0 60%, #2f8be6 100%); color:#fff; padding: 36px 32px 30px; border-radius: 0 0 22px 22px; box-shadow: 0 6px 18px rgba(13,63,128,.25); }
.badge { display:inline-block; background:#ffd43b; color:#0d3f80; font-weight:700; padding:2px 14px; border-radius:999px; letter-spacing:2px; }
.hero h1 { font-size: 30px; line-height:1.3; margin: 14px 0 10px; }
.hero .meta { margin:0; opacity:.92; font-size:15px; }
.hero .meta span { display:inline-block; margin-right:18px; }
section.card { background:#fff; border-radius:16px; margin-top:22px; padding: 22px 26px 20px; box-shadow: 0 2px 8px rgba(31,41,51,.07); }
h2 { margin:0 0 14px; font-size:22px; color:var(--deep); display:flex; align-items:center; gap:12px; }
h2 .num { display:inline-flex; width:34px; height:34px; border-radius:50%; background:var(--blue); color:#fff; font-size:18px; align-items:center; justify-content:center; flex:none; }
h3 { font-size:17px; margin:18px 0 8px; color:var(--ink); border-left:4px solid var(--orange); padding-left:10px; }
p { margin: 6px 0; }
ul.words { margin: 4px 0 8px; padding-left: 22px; }
ul.words li { margin: 3px 0; }
.warn { background:#fff4e6; border:1px solid #ffd8a8; border-radius:10px; padding:8px 14px; color:#a94f00; }
.cards { display:grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap:14px; margin: 6px 0 10px; }
.fig { background:var(--sky); border-radius:14px; padding:14px 16px; border:1px solid #cfe0f5; }
.fig .value { font-size:28px; font-weight:700; color:var(--orange); line-height:1.2; }
.fig .what { font-size:14px; color:var(--ink); margin-top:6px; }
.fig.unspecified .value { color:var(--muted); font-size:22px; }
table { border-collapse: collapse; width:100%; margin: 6px 0 12px; font-size:15px; }
caption { text-align:left; font-weight:700; padding: 4px 0 8px; color:var(--ink); }
caption small, .src { font-weight:400; color:var(--muted); font-size:13px; }
th, td { border:1px solid var(--line); padding: 7px 10px; text-align:center; vertical-align: middle; }
thead th { background:var(--blue); color:#fff; font-weight:600; }
tbody th { background:#f4f8fd; font-weight:600; }
td.num { font-variant-numeric: tabular-nums; font-weight:600; }
td.unspecified, span.unspecified { color:#868e96; font-style:italic; }
table.items td, table.items th { text-align:left; }
table.items td.value { white-space:nowrap; font-weight:700; color:var(--deep); }
table.items th[scope=row] { min-width: 9em; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; color:var(--muted); }
.timeline svg, .chart svg { display:block; width:100%; height:auto; }
.chart { margin: 8px 0 4px; }
svg text { font-family: inherit; }
svg .grid { stroke:#e3e9f1; stroke-width:1; }
svg .axis { stroke:#5f6b7a; stroke-width:1.5; }
svg .tick { font-size:12px; fill:#5f6b7a; }
svg .label { font-size:13px; fill:#1f2933; }
svg .note { font-size:12px; fill:#868e96; }
svg .diagonal { stroke:#adb5bd; stroke-width:1.5; stroke-dasharray:4 4; }
svg .legend { fill:#fff; fill-opacity:.92; stroke:#d5dde8; rx:8; }
svg .legend-text { font-size:13px; fill:#1f2933; }
svg .year { fill:#d3e4fa; }
svg .year-text { font-size:13px; fill:#0d3f80; font-weight:700; }
svg .month { font-size:11px; fill:#5f6b7a; }
svg .marker { fill:#e8590c; stroke:#fff; stroke-width:2; }
svg .marker-text { font-size:11px; fill:#fff; font-weight:700; }
ol.events { margin: 8px 0 6px; padding-left: 0; list-style: none; counter-reset: ev; }
ol.events li { margin: 5px 0; display:flex; gap:10px; align-items:baseline; }
ol.events .n { display:inline-flex; width:22px; height:22px; border-radius:50%; background:var(--orange); color:#fff; font-size:12px; font-weight:700; align-items:center; justify-content:center; flex:none; }
ol.events .d { font-weight:700; color:var(--deep); white-space:nowrap; }
.notes { color:var(--muted); font-size:14px; }
.unspec-list li { margin: 6px 0; }
footer { color:var(--muted); font-size:13px; text-align:center; margin-top:26px; }
@media print { body { background:#fff; } section.card { box-shadow:none; border:1px solid var(--line); } }
)";

std::string e(std::string_view text) { return escape_html(text); }

std::string source_note(const std::string& heading, const std::string& name, bool label_from_source) {
  std::string out;
  if (!heading.empty()) out += e(heading);
  if (!label_from_source) out += fmt::format("{}<code>{}</code>", out.empty() ? "" : " · ", e(name));
  return out;
}

// Published scalars as big figures (money) or rows of a table (the rest).
std::string render_items(const std::vector<Item>& items) {
  std::string cards, rows;
  for (const Item& item : items) {
    if (item.type.kind == ir::Type::money && !item.unspecified) {
      cards += fmt::format(R"(<div class="fig"><div class="value">{}</div><div class="what">{}</div></div>)",
                           e(item.value), e(item.label));
      continue;
    }
    const std::string value =
        item.unspecified ? fmt::format(R"(<span class="unspecified">未公布</span>：{})", e(item.words)) : e(item.value);
    rows += fmt::format(R"(<tr><th scope="row">{}</th><td class="{}">{}</td><td class="src">{}</td></tr>)",
                        e(item.label), item.unspecified ? "words" : "value", value,
                        source_note(item.heading, item.name, item.label_from_source));
  }
  std::string out;
  if (!cards.empty()) out += R"(<div class="cards">)" + cards + "</div>";
  if (!rows.empty())
    out += R"(<table class="items"><thead><tr><th>项目</th><th>标准</th><th>出处</th></tr></thead><tbody>)" + rows +
           "</tbody></table>";
  return out;
}

std::string caption(const std::string& label, const std::string& heading, const std::string& name, bool from_source) {
  const std::string note = source_note(heading, name, from_source);
  return fmt::format("<caption>{}{}</caption>", e(label), note.empty() ? "" : " <small>" + note + "</small>");
}

std::string render_grid(const Grid& g) {
  std::string out = "<table class=\"grid\">" + caption(g.label, g.heading, g.name, g.label_from_source);
  const bool two_d = !g.column_heading.empty() || g.columns.size() > 1;
  out += "<thead><tr><th scope=\"col\">" + e(g.row_heading) + "</th>";
  if (two_d) {
    for (const std::string& c : g.columns)
      out += "<th scope=\"col\">" + e(g.column_heading.empty() ? c : g.column_heading + " " + c) + "</th>";
  } else {
    out += "<th scope=\"col\">标准</th>";
  }
  out += "</tr></thead><tbody>";
  for (size_t r = 0; r < g.rows.size(); ++r) {
    out += "<tr><th scope=\"row\">" + e(g.rows[r]) + "</th>";
    for (const Cell& c : g.cells[r])
      out += fmt::format(R"(<td class="{}">{}</td>)", c.unspecified ? "unspecified" : "num", e(c.text));
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

std::string render_brackets(const Brackets& b) {
  std::string out = "<table class=\"brackets\">" + caption(b.label, b.heading, b.name, b.label_from_source);
  const bool keyed = !b.key_heading.empty();
  out += "<thead><tr>";
  if (keyed) out += "<th scope=\"col\">" + e(b.key_heading) + "</th>";
  out += "<th scope=\"col\">费用分段</th><th scope=\"col\">报销比例</th></tr></thead><tbody>";
  for (const ScheduleGroup& g : b.groups) {
    if (g.segments.empty()) {
      out += "<tr>";
      if (keyed) out += "<th scope=\"row\">" + e(g.key) + "</th>";
      out += R"(<td class="unspecified" colspan="2">未公布</td></tr>)";
      continue;
    }
    for (size_t i = 0; i < g.segments.size(); ++i) {
      out += "<tr>";
      if (keyed && i == 0)
        out += fmt::format(R"(<th scope="row" rowspan="{}">{}</th>)", g.segments.size(), e(g.key));
      out += fmt::format(R"(<td>{}</td><td class="num">{}</td></tr>)", e(g.segments[i].range),
                         e(g.segments[i].rate_text));
    }
  }
  return out + "</tbody></table>";
}

std::string render_topic(const TopicDoc& t) {
  std::string out = render_items(t.items);
  for (const Grid& g : t.grids) out += render_grid(g);
  for (const Brackets& b : t.brackets) out += render_brackets(b);
  return out;
}

std::string month_label(int32_t day) {
  const Ymd d = civil_from_days(day);
  return d.month == 1 ? fmt::format("{}年1月", d.year) : fmt::format("{}月", d.month);
}

int32_t first_of_month(int32_t day) {
  const Ymd d = civil_from_days(day);
  return days_from_civil(d.year, d.month, 1);
}

int32_t next_month(int32_t day) {
  const Ymd d = civil_from_days(day);
  return d.month == 12 ? days_from_civil(d.year + 1, 1, 1) : days_from_civil(d.year, d.month + 1, 1);
}

std::string section(int& number, const std::string& id, const std::string& title, const std::string& body) {
  if (body.empty()) return "";
  ++number;
  return fmt::format(R"(<section class="card" id="{}"><h2><span class="num">{}</span>{}</h2>{}</section>)", e(id),
                     number, e(title), body);
}

std::string render_chart(const Chart& curves, const Chart* examples) {
  std::string out;
  const std::string svg = chart_svg(curves, ChartScale::amount);
  if (!svg.empty()) {
    out += "<h3>" + e(curves.kind_label) + "：医疗费用与报销金额</h3>";
    out += R"(<div class="chart">)" + svg + "</div>";
    out += "<h3>" + e(curves.kind_label) + "：实际报销比例（报销金额 ÷ 医疗费用）</h3>";
    out += R"(<div class="chart">)" + chart_svg(curves, ChartScale::share) + "</div>";
  }
  if (examples && !examples->curves.empty()) {
    out += "<table class=\"examples\"><caption>" + e(curves.kind_label) +
           "费用举例（基本医保＋大病保险，个人负担在括号内）</caption><thead><tr><th scope=\"col\">医疗费用</th>";
    for (const Curve& c : examples->curves) out += "<th scope=\"col\">" + e(c.label) + "</th>";
    out += "</tr></thead><tbody>";
    for (size_t i = 0; i < examples->costs.size(); ++i) {
      out += "<tr><th scope=\"row\">" + e(format_money(examples->costs[i])) + "</th>";
      for (const Curve& c : examples->curves)
        out += fmt::format(R"(<td class="num">{}<br/><span class="src">（自付 {}）</span></td>)",
                           e(format_money(c.paid(i))), e(format_money(examples->costs[i] - c.paid(i))));
      out += "</tr>";
    }
    out += "</tbody></table>";
  }
  if (!curves.notes.empty()) {
    out += R"(<ul class="notes">)";
    for (const std::string& n : curves.notes) out += "<li>" + e(n) + "</li>";
    out += "</ul>";
  }
  return out;
}

}  // namespace

std::string timeline_svg(const PolicyDoc& doc) {
  if (doc.timeline.empty()) return "";
  constexpr int width = 820, height = 150, left = 30, right = 30;
  const int32_t start = first_of_month(doc.timeline.front().date);
  const int32_t end = next_month(doc.timeline.back().date);
  const double span = std::max(end - start, 1);
  auto sx = [&](int32_t day) { return left + (day - start) / span * (width - left - right); };
  constexpr int axis_y = 92;
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" aria-label="缴费时间与待遇享受期时间轴"><title>缴费时间与待遇享受期</title>)",
      width, height);
  // The benefit year as a band.
  const int32_t year_start = days_from_civil(doc.year, 1, 1), year_end = days_from_civil(doc.year, 12, 31);
  svg += fmt::format(R"(<rect x="{:.1f}" y="{}" width="{:.1f}" height="26" rx="6" class="year"/>)", sx(year_start),
                     axis_y - 13, sx(year_end + 1) - sx(year_start));
  svg += fmt::format(R"(<text x="{:.1f}" y="{}" class="year-text" text-anchor="middle">{}年度待遇享受期</text>)",
                     (sx(year_start) + sx(year_end + 1)) / 2, axis_y + 34, doc.year);
  svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>)", left, axis_y, width - right, axis_y);
  for (int32_t m = start; m <= end; m = next_month(m)) {
    svg += fmt::format(R"(<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" class="axis"/>)", sx(m), axis_y - 4, sx(m),
                       axis_y + 4);
    if (m < end)
      svg += fmt::format(R"(<text x="{:.1f}" y="{}" class="month" text-anchor="middle">{}</text>)",
                         (sx(m) + sx(next_month(m))) / 2, axis_y + 56, e(month_label(m)));
  }
  // Numbered markers, raised in rows where they would touch.
  double last_x = -100;
  int row = 0;
  for (size_t i = 0; i < doc.timeline.size(); ++i) {
    const double x = sx(doc.timeline[i].date + (doc.timeline[i].name == "year_end" ? 1 : 0));
    row = x - last_x < 24 ? row + 1 : 0;
    last_x = x;
    const int y = axis_y - 30 - row * 26;
    svg += fmt::format(R"(<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" stroke="#e8590c" stroke-width="1.5"/>)", x,
                       y, x, axis_y);
    svg += fmt::format(R"(<circle cx="{:.1f}" cy="{}" r="11" class="marker"/>)", x, y);
    svg += fmt::format(R"(<text x="{:.1f}" y="{}" class="marker-text" text-anchor="middle">{}</text>)", x, y + 4,
                       i + 1);
  }
  return svg + "</svg>";
}

std::string render_page(const PolicyDoc& doc, const PageCharts& charts) {
  std::string body;
  int number = 0;

  // 1. Who may enrol.
  {
    std::string s;
    if (!doc.eligibility.empty()) {
      s += R"(<ul class="words">)";
      for (const std::string& w : doc.eligibility) s += "<li>" + e(w) + "</li>";
      s += "</ul>";
    }
    if (!doc.ineligibility.empty()) s += R"(<p class="warn">不符合参保条件时：)" + e(doc.ineligibility) + "</p>";
    s += render_topic(doc.topic(Topic::eligibility));
    body += section(number, "eligibility", topic_title(Topic::eligibility), s);
  }
  body += section(number, "contribution", topic_title(Topic::contribution), render_topic(doc.topic(Topic::contribution)));
  // The timeline, then the other values about enrolment and cover.
  {
    std::string s;
    if (!doc.timeline.empty()) {
      s += R"(<div class="timeline">)" + timeline_svg(doc) + "</div>";
      s += R"(<ol class="events">)";
      for (size_t i = 0; i < doc.timeline.size(); ++i)
        s += fmt::format(R"(<li><span class="n">{}</span><span class="d">{}</span><span>{}</span></li>)", i + 1,
                         e(format_date(doc.timeline[i].date)), e(doc.timeline[i].label));
      s += "</ol>";
    }
    if (!charts.cover.empty()) {
      s += "<table class=\"cover\"><caption>集中缴费期外参保：何时开始享受待遇 <small>（规则引擎计算）</small></caption>"
           "<thead><tr><th scope=\"col\">缴费日期</th><th scope=\"col\">待遇享受开始日期</th></tr></thead><tbody>";
      for (const CoverExample& c : charts.cover)
        s += fmt::format(R"(<tr><th scope="row">{}</th><td class="{}">{}</td></tr>)", e(format_date(c.paid)),
                         c.covered ? "num" : "unspecified", e(c.covered ? format_date(c.from) : c.note));
      s += "</tbody></table>";
    }
    // The dates are on the timeline already; the table keeps the rest.
    TopicDoc rest = doc.topic(Topic::coverage);
    std::erase_if(rest.items, [&](const Item& item) {
      return std::any_of(doc.timeline.begin(), doc.timeline.end(), [&](const Event& ev) { return ev.name == item.name; });
    });
    s += render_topic(rest);
    body += section(number, "coverage", topic_title(Topic::coverage), s);
  }
  body += section(number, "basic", topic_title(Topic::basic), render_topic(doc.topic(Topic::basic)));
  body += section(number, "critical", topic_title(Topic::critical), render_topic(doc.topic(Topic::critical)));
  {
    std::string s;
    for (size_t i = 0; i < charts.curves.size(); ++i)
      s += render_chart(charts.curves[i], i < charts.examples.size() ? &charts.examples[i] : nullptr);
    if (s.find("<svg") != std::string::npos)
      s = R"(<p class="notes">下图由规则引擎逐点结算得出：成年参保人（40周岁）、集中缴费期内参保、本地就医、费用全部为政策范围内费用、年度内首次就医；实线为一档（或不分档），虚线为二档。</p>)" +
          s;
    body += section(number, "chart", "能报销多少", s);
  }
  if (!doc.ledgers.empty()) {
    std::string s = R"(<p>以下金额按参保人在一个年度内累计计算，年度最高支付限额据此扣减：</p><ul class="words">)";
    for (const LedgerDoc& l : doc.ledgers) s += "<li>" + e(l.label) + "</li>";
    body += section(number, "ledgers", "年度累计", s + "</ul>");
  }
  {
    std::string s;
    if (!doc.unspecified.empty()) {
      s += R"(<p>以下内容政策宣传材料没有公布具体数值，本页不作推测：</p><ul class="unspec-list">)";
      for (const UnspecifiedDoc& u : doc.unspecified)
        s += fmt::format(R"(<li>“{}” <span class="src">{} · <code>{}</code></span></li>)", e(u.words), e(u.where),
                         e(u.name));
      s += "</ul>";
    }
    body += section(number, "unspecified", "政策未公布的内容", s);
  }
  body += section(number, "other", topic_title(Topic::other), render_topic(doc.topic(Topic::other)));

  std::string page = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  page += "<title>" + e(doc.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<main>\n";
  page += R"(<header class="hero"><span class="badge">一图读懂</span><h1>)" + e(doc.title) + "</h1>";
  page += R"(<p class="meta"><span>地区：)" + e(doc.region) + "</span><span>待遇年度：" + fmt::format("{}", doc.year) +
          "年</span><span>依据：" + e(doc.source) + "</span></p></header>\n";
  page += body;
  page += "\n<footer>本页由 <code>yibao doc</code> 根据政策规则文件 <code>" + e(doc.id) +
          "</code> 生成；表格数值取自规则文件，报销金额由规则引擎计算。具体以医保部门公布的政策为准。</footer>\n";
  page += "</main>\n</body>\n</html>\n";
  return page;
}

}  // namespace yibao::compiler::doc
