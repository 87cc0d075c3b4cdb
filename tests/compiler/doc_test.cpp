// `yibao doc`: the values extracted from liaoyuan-2023 and dianjiang-2024
// (tables, brackets, timeline, labels from the source's comments), the
// engine's reimbursement curves against hand-computed amounts, and the page
// of every policy well-formed (every tag closed and nested, text escaped,
// nothing external). tests/doc renders the same pages in a real browser.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compiler/doc.h"
#include "lang/diagnostics_render.h"
#include "yibao/date.h"

using namespace yibao;
using namespace yibao::compiler::doc;
namespace fs = std::filesystem;

namespace {

const std::string kRoot = YIBAO_SOURCE_DIR;

std::vector<std::string> policy_files() {
  std::vector<std::string> out;
  for (const auto& region : fs::directory_iterator(kRoot + "/policies"))
    for (const auto& f : fs::directory_iterator(region.path())) {
      const std::string name = f.path().filename().string();
      if (name.size() == 7 && name.substr(4) == ".yb") out.push_back(f.path().string());
    }
  std::sort(out.begin(), out.end());
  return out;
}

Page page_of(const std::string& path) {
  SourceManager sources;
  Diagnostics diagnostics;
  auto page = build_page(sources, path, diagnostics);
  INFO(render_text(diagnostics, sources));
  REQUIRE(page);
  return std::move(*page);
}

const Item* find_item(const PolicyDoc& doc, Topic topic, const std::string& name) {
  for (const Item& item : doc.topic(topic).items)
    if (item.name == name) return &item;
  return nullptr;
}
const Grid* find_grid(const PolicyDoc& doc, Topic topic, const std::string& name) {
  for (const Grid& g : doc.topic(topic).grids)
    if (g.name == name) return &g;
  return nullptr;
}
const Brackets* find_brackets(const PolicyDoc& doc, Topic topic, const std::string& name) {
  for (const Brackets& b : doc.topic(topic).brackets)
    if (b.name == name) return &b;
  return nullptr;
}
const Curve* find_curve(const Chart& chart, int64_t level, int64_t tier) {
  for (const Curve& c : chart.curves)
    if (c.level == level && c.tier == tier) return &c;
  return nullptr;
}
const Chart* find_chart(const std::vector<Chart>& charts, const std::string& kind) {
  for (const Chart& c : charts)
    if (c.kind == kind) return &c;
  return nullptr;
}

// Checks that `html` is well-formed: tags balanced and properly nested
// (void elements self-closed), attribute values quoted, and no `<` or `&` in
// text or attributes except as markup and character references. Returns
// the first problem, or empty. Inside <style> the text is CSS (no `<`, `&`).
std::string well_formed_problem(const std::string& html) {
  std::vector<std::string> open;
  size_t i = 0;
  auto entity_ok = [&](size_t at) {
    const size_t semi = html.find(';', at);
    if (semi == std::string::npos || semi - at > 8) return false;
    const std::string name = html.substr(at + 1, semi - at - 1);
    return name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "#39";
  };
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      if (!entity_ok(i)) return "bare & at " + std::to_string(i);
      ++i;
      continue;
    }
    if (c != '<') {
      if (c == '>') return "bare > at " + std::to_string(i);
      ++i;
      continue;
    }
    if (html.compare(i, 9, "<!DOCTYPE") == 0) {
      i = html.find('>', i) + 1;
      continue;
    }
    const size_t end = html.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    std::string tag = html.substr(i + 1, end - i - 1);
    i = end + 1;
    if (!tag.empty() && tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name)
        return "</" + name + "> closes <" + (open.empty() ? std::string("nothing") : open.back()) + ">";
      open.pop_back();
      continue;
    }
    const bool self_closed = !tag.empty() && tag.back() == '/';
    if (self_closed) tag.pop_back();
    const std::string name = tag.substr(0, tag.find_first_of(" \n"));
    // Attributes: name="value" pairs with no < or bare & inside values.
    size_t quotes = 0;
    for (size_t k = 0; k < tag.size(); ++k) {
      if (tag[k] == '"') ++quotes;
      if (tag[k] == '<') return "< inside tag " + name;
    }
    if (quotes % 2 != 0) return "unbalanced quotes in tag " + name;
    static const std::vector<std::string> kVoid = {"meta", "br", "link", "img", "hr", "input"};
    if (std::find(kVoid.begin(), kVoid.end(), name) != kVoid.end() && !self_closed)
      return "void element <" + name + "> not self-closed";
    if (!self_closed) open.push_back(name);
    if (name == "style") {
      const size_t close = html.find("</style>", i);
      if (close == std::string::npos) return "unclosed style";
      const std::string css = html.substr(i, close - i);
      if (css.find('<') != std::string::npos || css.find('&') != std::string::npos) return "markup in style";
      i = close;
    }
  }
  if (!open.empty()) return "<" + open.back() + "> never closed";
  return "";
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("doc: values written for people", "[doc]") {
  CHECK(format_money(360'000'000) == "360元");
  CHECK(format_money(8'916'500'000) == "8916.5元");
  CHECK(format_money(200'000'000'000) == "20万元");
  CHECK(format_money(17'833'000'000) == "17833元");
  CHECK(format_money(15'000'000'000) == "1.5万元");
  CHECK(format_money(0) == "0元");
  CHECK(format_money(-1'500'000) == "-1.5元");
  CHECK(format_rate(800'000) == "80%");
  CHECK(format_rate(125'000) == "12.5%");
  CHECK(format_points(50'000) == "+5个百分点");
  CHECK(format_points(-100'000) == "-10个百分点");
  CHECK(format_date(days_from_civil(2023, 12, 31)) == "2023年12月31日");
  CHECK(format_duration(ir::make_duration(0, 91)) == "91天");
  CHECK(format_duration(ir::make_duration(3, 0)) == "3个月");
  CHECK(glossary_label("inpatient_deductible") == "住院起付标准");
  CHECK(glossary_label("national.fiscal_subsidy") == "财政补助");
  CHECK(glossary_label("no_such_word").empty());
  CHECK(is_source_words("普通居民（成年人）"));
  CHECK_FALSE(is_source_words("Level-3 general outpatient care pays nothing (no_benefit)"));
  CHECK(escape_html(R"(<a href="x">&'</a>)") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
}

TEST_CASE("doc: liaoyuan-2023 tables, brackets and timeline", "[doc]") {
  const Page page = page_of(kRoot + "/policies/liaoyuan/2023.yb");
  const PolicyDoc& doc = page.doc;
  CHECK(doc.title == "2023年辽源市城乡居民医疗保险政策");
  CHECK(doc.region == "吉林省辽源市");
  REQUIRE(doc.eligibility.size() == 1);
  CHECK(doc.eligibility[0] == "除参加职工医保以外的所有城乡居民，均可参加辽源市城乡居民医保。");
  CHECK(doc.ineligibility == "已参加职工医保");

  // Contributions, with the source's own words as labels.
  const Item* adult = find_item(doc, Topic::contribution, "standard_adult");
  REQUIRE(adult);
  CHECK(adult->value == "360元");
  CHECK(adult->label == "普通居民（成年人）");
  CHECK(adult->label_from_source);
  CHECK(adult->heading == "一、个人缴费标准");
  const Item* young = find_item(doc, Topic::contribution, "standard_young");
  REQUIRE(young);
  CHECK(young->value == "310元");

  // Cover: the waiting period, the window on the timeline.
  const Item* waiting = find_item(doc, Topic::coverage, "waiting_period");
  REQUIRE(waiting);
  CHECK(waiting->value == "91天");
  const bool window_on_timeline = std::any_of(doc.timeline.begin(), doc.timeline.end(), [](const Event& e) {
    return e.name == "window_end" && e.date == days_from_civil(2022, 12, 31);
  });
  CHECK(window_on_timeline);
  CHECK(std::is_sorted(doc.timeline.begin(), doc.timeline.end(),
                       [](const Event& a, const Event& b) { return a.date < b.date; }));
  // A birth-date cut-off is no event of the benefit year.
  CHECK(std::none_of(doc.timeline.begin(), doc.timeline.end(),
                     [](const Event& e) { return e.name == "young_born_after"; }));

  // Deductibles by level, and the inpatient brackets.
  const Grid* deductible = find_grid(doc, Topic::basic, "inpatient_deductible");
  REQUIRE(deductible);
  CHECK(deductible->rows == std::vector<std::string>{"1", "2", "3"});
  REQUIRE(deductible->cells.size() == 3);
  CHECK(deductible->cells[0][0].text == "300元");
  CHECK(deductible->cells[1][0].text == "600元");
  CHECK(deductible->cells[2][0].text == "1000元");
  const Brackets* rates = find_brackets(doc, Topic::basic, "inpatient_rates");
  REQUIRE(rates);
  REQUIRE(rates->groups.size() == 3);
  REQUIRE(rates->groups[2].segments.size() == 3);
  CHECK(rates->groups[0].segments[0].rate_text == "80%");
  CHECK(rates->groups[0].segments[2].rate_text == "90%");
  CHECK(rates->groups[2].segments[0].rate_text == "55%");
  CHECK(rates->groups[2].segments[1].range == "3万元至6万元");
  CHECK(rates->groups[2].segments[2].range == "6万元以上");
  const Item* cap = find_item(doc, Topic::basic, "basic_cap");
  REQUIRE(cap);
  CHECK(cap->value == "20万元");

  // Critical illness: thresholds, brackets, cap.
  const Brackets* critical = find_brackets(doc, Topic::critical, "critical_rates");
  REQUIRE(critical);
  REQUIRE(critical->groups.size() == 1);
  CHECK(critical->groups[0].segments[1].rate_text == "70%");
  const Item* hardship = find_item(doc, Topic::critical, "critical_threshold_hardship");
  REQUIRE(hardship);
  CHECK(hardship->value == "6000元");
  CHECK(find_item(doc, Topic::critical, "critical_cap"));

  // Ledgers with their labels, and the unspecified outpatient benefit.
  CHECK(std::any_of(doc.ledgers.begin(), doc.ledgers.end(),
                    [](const LedgerDoc& l) { return l.label == "统筹基金年度累计支付"; }));
  REQUIRE(doc.unspecified.size() == 1);
  CHECK(doc.unspecified[0].words == "宣传材料只公布了住院待遇（门诊、生育等未公布）");
  CHECK(doc.unspecified[0].where == "liaoyuan/2023.yb:71");
  // Labels lose the analysts' Latin asides and trailing colons.
  const Item* hardship_threshold = find_item(doc, Topic::critical, "critical_threshold_hardship");
  REQUIRE(hardship_threshold);
  CHECK(hardship_threshold->label == "城乡特困人员、城乡低保对象、返贫致贫人口和脱贫人口起付标准为6000元");
}

TEST_CASE("doc: liaoyuan-2023 curves are the engine's amounts", "[doc]") {
  const Page page = page_of(kRoot + "/policies/liaoyuan/2023.yb");
  const Chart* inpatient = find_chart(page.charts.examples, "inpatient");
  REQUIRE(inpatient);
  CHECK(inpatient->kind_label == "住院");
  REQUIRE(inpatient->curves.size() == 3);  // one per level: no tiers
  const auto at = std::find(inpatient->costs.begin(), inpatient->costs.end(), int64_t{10'000'000'000});
  REQUIRE(at != inpatient->costs.end());
  const auto i = static_cast<size_t>(at - inpatient->costs.begin());
  // Level 1, 10000 yuan: basic 80% of (10000 - 300) = 7760; the person pays
  // 2240, of which 240 lies above the 2000 threshold: critical 60% = 144.
  const Curve* level1 = find_curve(*inpatient, 1, 0);
  REQUIRE(level1);
  CHECK(level1->basic[i] == 7'760'000'000);
  CHECK(level1->critical[i] == 144'000'000);
  // Level 3: 55% of 9000 = 4950; the person pays 5050: 60% of 3050 = 1830.
  const Curve* level3 = find_curve(*inpatient, 3, 0);
  REQUIRE(level3);
  CHECK(level3->paid(i) == 6'780'000'000);
  // The fine grid rises with cost and never pays more than the cost.
  const Chart* curves = find_chart(page.charts.curves, "inpatient");
  REQUIRE(curves);
  for (const Curve& c : curves->curves)
    for (size_t k = 0; k < curves->costs.size(); ++k) {
      CHECK(c.paid(k) <= curves->costs[k]);
      if (k > 0) CHECK(c.paid(k) >= c.paid(k - 1));
    }
  // Outpatient care is unpublished: no curve, the source's words instead.
  const Chart* outpatient = find_chart(page.charts.curves, "outpatient");
  REQUIRE(outpatient);
  CHECK(outpatient->curves.empty());
  REQUIRE(outpatient->notes.size() == 1);
  CHECK(outpatient->notes[0].find("宣传材料只公布了住院待遇") != std::string::npos);
}

TEST_CASE("doc: dianjiang-2024 aid, rates by tier, minors' points", "[doc]") {
  const Page page = page_of(kRoot + "/policies/dianjiang/2024.yb");
  const PolicyDoc& doc = page.doc;
  const Grid* standard = find_grid(doc, Topic::contribution, "standard");
  REQUIRE(standard);
  CHECK(standard->cells[0][0].text == "380元");
  CHECK(standard->cells[1][0].text == "755元");
  const Grid* aid = find_grid(doc, Topic::contribution, "aid");
  REQUIRE(aid);
  CHECK(aid->row_heading == "困难群体身份");
  CHECK(aid->columns.size() == 2);
  const auto dibao = std::find(aid->rows.begin(), aid->rows.end(), "低保对象");
  REQUIRE(dibao != aid->rows.end());
  const auto& row = aid->cells[static_cast<size_t>(dibao - aid->rows.begin())];
  CHECK(row[0].text == "342元");
  CHECK(row[1].text == "380元");

  const Grid* rate = find_grid(doc, Topic::basic, "inpatient_rate");
  REQUIRE(rate);
  CHECK(rate->column_heading == "缴费档次");
  REQUIRE(rate->cells.size() == 3);
  CHECK(rate->cells[0][0].text == "80%");
  CHECK(rate->cells[0][1].text == "85%");
  CHECK(rate->cells[2][0].text == "50%");
  CHECK(rate->cells[2][1].text == "55%");
  const Grid* outpatient = find_grid(doc, Topic::basic, "outpatient_rate");
  REQUIRE(outpatient);
  CHECK(outpatient->rows.size() == 2);  // level 3 pays nothing: the table covers 1..2
  const Item* minor = find_item(doc, Topic::basic, "minor_bonus");
  REQUIRE(minor);
  CHECK(minor->value == "+5个百分点");
  CHECK(minor->label == "未成年人报销比例提高5个百分点");
  const Item* hardship = find_item(doc, Topic::critical, "critical_threshold_hardship");
  REQUIRE(hardship);
  CHECK(hardship->value == "8916.5元");
  // The unspecified remote-care rule.
  CHECK(std::any_of(doc.unspecified.begin(), doc.unspecified.end(),
                    [](const UnspecifiedDoc& u) { return u.words == "宣传材料未规定异地就医的报销办法"; }));

  // Tiers pay differently here: one curve per level and tier.
  const Chart* inpatient = find_chart(page.charts.examples, "inpatient");
  REQUIRE(inpatient);
  CHECK(inpatient->curves.size() == 6);
  const auto at = std::find(inpatient->costs.begin(), inpatient->costs.end(), int64_t{10'000'000'000});
  REQUIRE(at != inpatient->costs.end());
  const auto i = static_cast<size_t>(at - inpatient->costs.begin());
  // Level 2, tier 2: 75% of (10000 - 300) = 7275; no critical below 17833.
  const Curve* c = find_curve(*inpatient, 2, 2);
  REQUIRE(c);
  CHECK(c->basic[i] == 7'275'000'000);
  CHECK(c->critical[i] == 0);
  // General outpatient care at level 3 pays nothing: said, not drawn.
  const Chart* out = find_chart(page.charts.curves, "outpatient");
  REQUIRE(out);
  CHECK(out->curves.size() == 4);
  CHECK(std::any_of(out->notes.begin(), out->notes.end(),
                    [](const std::string& n) { return n.find("此类就医不予支付") != std::string::npos; }));
}

TEST_CASE("doc: every policy's page is well-formed and self-contained", "[doc]") {
  const auto files = policy_files();
  REQUIRE(files.size() == 7);
  for (const std::string& path : files) {
    INFO(path);
    SourceManager sources;
    Diagnostics diagnostics;
    const auto html = policy_page(sources, path, diagnostics);
    REQUIRE(html);
    CHECK(well_formed_problem(*html) == "");
    CHECK(html->rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html->find("<script") == std::string::npos);
    CHECK(html->find(" src=") == std::string::npos);
    CHECK(html->find("href=") == std::string::npos);
    CHECK(html->find("url(") == std::string::npos);
    CHECK(html->find("@import") == std::string::npos);
    CHECK(count(*html, "<section") >= 3);
    CHECK(html->find("<svg") != std::string::npos);  // the timeline at least
  }
}

TEST_CASE("doc: the pages show the expected tables", "[doc]") {
  SourceManager sources;
  Diagnostics diagnostics;
  const auto liaoyuan = policy_page(sources, kRoot + "/policies/liaoyuan/2023.yb", diagnostics);
  REQUIRE(liaoyuan);
  CHECK(liaoyuan->find("<td class=\"num\">1000元</td>") != std::string::npos);
  CHECK(liaoyuan->find("<td>6万元以上</td><td class=\"num\">65%</td>") != std::string::npos);
  CHECK(liaoyuan->find("<div class=\"value\">360元</div><div class=\"what\">普通居民（成年人）</div>") !=
        std::string::npos);
  CHECK(count(*liaoyuan, "<polyline") == 6);  // inpatient amount and share, one per level
  const auto dianjiang = policy_page(sources, kRoot + "/policies/dianjiang/2024.yb", diagnostics);
  REQUIRE(dianjiang);
  CHECK(dianjiang->find("<th scope=\"row\">低保对象</th><td class=\"num\">342元</td><td class=\"num\">380元</td>") !=
        std::string::npos);
  CHECK(count(*dianjiang, "<polyline") == 20);  // (inpatient 3 x 2 tiers, outpatient 2 x 2) x amount and share
}

TEST_CASE("doc: text from the policy is escaped", "[doc]") {
  const fs::path dir = fs::temp_directory_path() / ("yibao-doc-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "t");
  std::ofstream(dir / "t" / "2024.yb")
      << "policy t-2024 \"<b>标题</b> & \\\"引号\\\" 'x'\" {\n  region \"<script>alert(1)</script>\"\n  year 2024\n"
         "  source \"a&b\"\n}\nuse std.resident\n"
         "rule eligible: bool = not person.employee_insured\n"
         "rule ineligibility: text = \"<i>不符合</i>\"\n"
         "param standard: money = 380   # 缴费标准<380>&元\n"
         "rule contribution_standard: money = standard\n"
         "param window_end: date = 2023-12-31\n"
         "fn late_start(paid: date): date = paid + 90 days\n"
         "payout basic: money = unspecified \"</td>未公布&\"\n"
         "payout critical: money = 0\n";
  SourceManager sources;
  Diagnostics diagnostics;
  const auto html = policy_page(sources, (dir / "t" / "2024.yb").string(), diagnostics);
  INFO(render_text(diagnostics, sources));
  REQUIRE(html);
  CHECK(well_formed_problem(*html) == "");
  CHECK(html->find("<script") == std::string::npos);
  CHECK(html->find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html->find("&lt;b&gt;标题&lt;/b&gt; &amp; &quot;引号&quot; &#39;x&#39;") != std::string::npos);
  CHECK(html->find("&lt;i&gt;不符合&lt;/i&gt;") != std::string::npos);
  CHECK(html->find("缴费标准&lt;380&gt;&amp;元") != std::string::npos);
  CHECK(html->find("&lt;/td&gt;未公布&amp;") != std::string::npos);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST_CASE("doc: the well-formedness check catches broken markup", "[doc]") {
  CHECK(well_formed_problem("<p><b>x</p></b>") != "");
  CHECK(well_formed_problem("<p>a < b</p>") != "");
  CHECK(well_formed_problem("<p>a & b</p>") != "");
  CHECK(well_formed_problem("<p>x") != "");
  CHECK(well_formed_problem("<br>") != "");
  CHECK(well_formed_problem("<p class=\"a>x</p>") != "");
  CHECK(well_formed_problem("<p class=\"a\">x &amp; y<br/></p>") == "");
}

TEST_CASE("doc: sanya-2024 lists who may enrol in the source's words", "[doc]") {
  const Page page = page_of(kRoot + "/policies/sanya/2024.yb");
  const auto& words = page.doc.eligibility;
  REQUIRE(words.size() == 9);
  // The analyst's Latin remark after the source's sentence is dropped.
  CHECK(words[0] == "外省正常参保缴费并享受医保待遇的人员，不得参加我市城乡居民基本医疗保险");
  CHECK(words[1] == "（一）本市户籍");
  CHECK(words[8] == "（七）引进人才家属");
  // Rates are unpublished: no curve, the source's words instead.
  const Chart* inpatient = find_chart(page.charts.curves, "inpatient");
  REQUIRE(inpatient);
  CHECK(inpatient->curves.empty());
  REQUIRE(inpatient->notes.size() == 1);
  CHECK(inpatient->notes[0].find("住院：基本医疗保险按规定予以报销") != std::string::npos);
  const Item* cap = find_item(page.doc, Topic::basic, "inpatient_cap");
  REQUIRE(cap);
  CHECK(cap->value == "15万元");
  const Item* rate = find_item(page.doc, Topic::basic, "inpatient_rate");
  REQUIRE(rate);
  CHECK(rate->unspecified);
  CHECK(rate->value == "未公布");
}

TEST_CASE("doc: when cover starts, as the engine says", "[doc]") {
  // dianjiang-2024: paid 2024-01-01 (after the window): the next month's
  // first day; paid 2024-04-15: 90 days later, 2024-07-14; paid 2024-10-15:
  // after the 2024-09-30 deadline, not enrolled.
  const Page dianjiang = page_of(kRoot + "/policies/dianjiang/2024.yb");
  const auto& cover = dianjiang.charts.cover;
  REQUIRE(cover.size() == 5);
  CHECK(cover[0].paid == days_from_civil(2024, 1, 1));
  CHECK(cover[0].covered);
  CHECK(cover[0].from == days_from_civil(2024, 2, 1));
  CHECK(cover[2].paid == days_from_civil(2024, 4, 15));
  CHECK(cover[2].from == days_from_civil(2024, 7, 14));
  CHECK_FALSE(cover[4].covered);
  CHECK(cover[4].note == "未按规定参保缴费");
  // sanya-2024 does not say when late payers are covered.
  const Page sanya = page_of(kRoot + "/policies/sanya/2024.yb");
  REQUIRE_FALSE(sanya.charts.cover.empty());
  CHECK_FALSE(sanya.charts.cover[0].covered);
  CHECK(sanya.charts.cover[0].note.rfind("未公布：", 0) == 0);
}
