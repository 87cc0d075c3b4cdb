// doc_model.cpp: the values of a policy page, read from the checked program
// (see doc_model.h for where each word comes from).
#include "compiler/doc_model.h"

#include <algorithm>
#include <climits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/compile.h"
#include "compiler/stdlib_sources.h"
#include "lang/ast.h"
#include "yibao/date.h"

namespace yibao::compiler::doc {

const char* topic_title(Topic topic) {
  switch (topic) {
    case Topic::eligibility: return "谁可以参保";
    case Topic::contribution: return "个人缴费与资助";
    case Topic::coverage: return "缴费时间与待遇享受期";
    case Topic::basic: return "基本医疗保险待遇";
    case Topic::critical: return "大病保险待遇";
    case Topic::other: return "其他公布的数值";
  }
  return "";
}

// ------------------------------------------------------------ formatting

namespace {

// `micros` as a decimal with no trailing zeros: 8916.5, 360, 0.000001.
std::string plain_decimal(int64_t micros, int64_t unit) {
  const bool negative = micros < 0;
  // The magnitude as unsigned, so that INT64_MIN has one too.
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  const auto u = static_cast<uint64_t>(unit);
  std::string text = fmt::format("{}{}", negative ? "-" : "", magnitude / u);
  uint64_t rest = magnitude % u;
  if (rest == 0) return text;
  std::string digits;
  for (uint64_t scale = u / 10; scale > 0; scale /= 10) {
    digits += static_cast<char>('0' + rest / scale);
    rest %= scale;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return text + "." + digits;
}

constexpr int64_t kMicros = 1'000'000;

}  // namespace

std::string format_money(int64_t micros) {
  // Round sums of ten thousand yuan read as 万元, as the leaflets write caps.
  constexpr int64_t wan = 10'000 * kMicros;
  if (micros >= wan && micros % (wan / 10) == 0) return plain_decimal(micros, wan) + "万元";
  return plain_decimal(micros, kMicros) + "元";
}

std::string format_rate(int64_t ppm) { return plain_decimal(ppm, 10'000) + "%"; }

std::string format_points(int64_t ppm) {
  return (ppm >= 0 ? "+" : "") + plain_decimal(ppm, 10'000) + "个百分点";
}

std::string format_date(int32_t days) {
  const Ymd d = civil_from_days(days);
  return fmt::format("{}年{}月{}日", d.year, d.month, d.day);
}

std::string format_duration(int64_t packed) {
  const int32_t months = ir::duration_months(packed), days = ir::duration_days(packed);
  std::string text;
  if (months != 0) text += fmt::format("{}个月", months);
  if (days != 0 || months == 0) text += fmt::format("{}天", days);
  return text;
}

std::string format_value(const ir::Program& program, const Labels& labels, ir::TypeRef type, int64_t raw) {
  switch (type.kind) {
    case ir::Type::money: return format_money(raw);
    case ir::Type::rate: return format_rate(raw);
    case ir::Type::points: return format_points(raw);
    case ir::Type::count: return fmt::format("{}", raw);
    case ir::Type::boolean: return raw != 0 ? "是" : "否";
    case ir::Type::date: return format_date(static_cast<int32_t>(raw));
    case ir::Type::duration: return format_duration(raw);
    case ir::Type::text:
      return raw >= 0 && static_cast<size_t>(raw) < program.strings.size() ? program.strings[static_cast<size_t>(raw)]
                                                                             : "";
    case ir::Type::domain: return fmt::format("{}", raw);
    case ir::Type::enumeration:
    case ir::Type::enum_set: {
      if (type.ref < 0 || static_cast<size_t>(type.ref) >= program.schema.enums.size()) return fmt::format("{}", raw);
      const EnumSpec& e = program.schema.enums[static_cast<size_t>(type.ref)];
      if (type.kind == ir::Type::enumeration)
        return raw >= 0 && static_cast<size_t>(raw) < e.members.size()
                   ? labels.member(e.name, e.members[static_cast<size_t>(raw)])
                   : fmt::format("{}", raw);
      std::string text;
      for (size_t i = 0; i < e.members.size() && i < 64; ++i)
        if ((static_cast<uint64_t>(raw) >> i) & 1U) text += (text.empty() ? "" : "、") + labels.member(e.name, e.members[i]);
      return text.empty() ? "无" : text;
    }
    case ir::Type::brackets: return "分段比例";
  }
  return "";
}

// --------------------------------------------------------------- labels

Labels Labels::from(const ModuleSet& modules) {
  Labels out;
  for (const LoadedModule& m : modules.modules) {
    if (!m.ast) continue;
    for (const auto& item : m.ast->items) {
      if (const auto* e = ast::dyn_cast<ast::Enum>(item.get())) {
        Enum en{e->name.text, e->label ? e->label->value : "", {}, {}};
        for (const ast::EnumMember& member : e->members) {
          en.members.push_back(member.name.text);
          en.member_labels.push_back(member.label ? member.label->value : member.name.text);
        }
        out.enums.push_back(std::move(en));
      } else if (const auto* d = ast::dyn_cast<ast::Domain>(item.get())) {
        out.domains.push_back({d->name.text, d->label ? d->label->value : d->name.text});
      }
    }
  }
  return out;
}

std::string Labels::member(std::string_view enum_name, std::string_view name) const {
  for (const Enum& e : enums)
    if (e.name == enum_name)
      for (size_t i = 0; i < e.members.size(); ++i)
        if (e.members[i] == name) return e.member_labels[i];
  return std::string(name);
}

std::string Labels::enumeration(std::string_view enum_name) const {
  for (const Enum& e : enums)
    if (e.name == enum_name && !e.label.empty()) return e.label;
  return std::string(enum_name);
}

std::string Labels::domain(std::string_view domain_name) const {
  for (const Domain& d : domains)
    if (d.name == domain_name) return d.label;
  return std::string(domain_name);
}

// -------------------------------------------------------------- glossary

std::string glossary_label(std::string_view name) {
  // Identifier words as the leaflets say them. Words that only qualify
  // (`here`, `until`) read as nothing; an unknown word gives no label.
  static const std::map<std::string_view, std::string_view> words = {
      {"adult", "成年人"},         {"aid", "资助"},
      {"allowance", "定额补助"},   {"basic", "基本医保"},
      {"bonus", "报销比例提高"},   {"cap", "最高支付限额"},
      {"cesarean", "剖宫产"},      {"continuing", "续保"},
      {"critical", "大病保险"},    {"deadline", "截止日期"},
      {"deductible", "起付标准"},  {"delivery", "分娩"},
      {"drug", "药品"},            {"end", "截止日期"},
      {"enrol", "参保缴费"},       {"fiscal", "财政"},
      {"from", "起"},              {"full", "全额"},
      {"hardship", "（困难群体）"}, {"inpatient", "住院"},
      {"late", "逾期"},            {"minor", "未成年人"},
      {"month", "次月"},           {"newborn", "新生儿"},
      {"next", ""},                {"outpatient", "门诊"},
      {"period", "期"},            {"prenatal", "产前检查"},
      {"rate", "报销比例"},        {"rates", "报销比例"},
      {"rule", "规则"},            {"share", "自付比例"},
      {"special", "特殊"},         {"standard", "缴费标准"},
      {"subsidy", "补助"},         {"tcm", "中医"},
      {"threshold", "起付标准"},   {"total", "合计"},
      {"until", "截止日期"},       {"waiting", "等待"},
      {"window", "集中缴费期"},    {"young", "未成年人"},
      {"self", "个人"},            {"class", ""},
      {"b", "乙类"},               {"under", "以下"},
      {"60", "60周岁"},            {"grace", "宽限期"},
      {"excluded", "不予支付"},    {"causes", "的情形"},
  };
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos) name = name.substr(dot + 1);  // national.fiscal_subsidy
  std::string out;
  size_t start = 0;
  while (start <= name.size()) {
    const size_t end = std::min(name.find('_', start), name.size());
    const auto found = words.find(name.substr(start, end - start));
    if (found == words.end()) return "";
    out += found->second;
    start = end + 1;
  }
  return out;
}

bool is_source_words(std::string_view comment) {
  size_t chinese = 0, latin = 0;
  for (size_t i = 0; i < comment.size();) {
    const Utf8Char c = decode_utf8(comment, i);
    if (c.code_point >= 0x3400 && c.code_point <= 0x9fff) ++chinese;
    if ((c.code_point >= 'a' && c.code_point <= 'z') || (c.code_point >= 'A' && c.code_point <= 'Z')) ++latin;
    i += c.size;
  }
  return chinese > 0 && latin <= chinese;
}

// ------------------------------------------------------------ extraction

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The comment of a source line (after `#`, outside strings), or nothing.
std::optional<std::string_view> comment_of(std::string_view line) {
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '#') {
      return trim(line.substr(i + 1));
    }
  }
  return std::nullopt;
}

bool is_comment_line(std::string_view line) { return !trim(line).empty() && trim(line).front() == '#'; }

// `# ------------- 五（一）、住院待遇` -> 五（一）、住院待遇
std::optional<std::string_view> heading_of(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() != '#') return std::nullopt;
  line = trim(line.substr(1));
  if (line.size() < 3 || line.substr(0, 3) != "---") return std::nullopt;
  while (!line.empty() && line.front() == '-') line.remove_prefix(1);
  return trim(line);
}

// A comment made into a label: analysts' Latin asides in brackets
// (`(as published)`) and a trailing colon dropped.
std::string clean_label(std::string text) {
  for (size_t open = text.find('('); open != std::string::npos; open = text.find('(', open)) {
    const size_t close = text.find(')', open);
    if (close == std::string::npos) break;
    if (is_source_words(text.substr(open, close - open + 1))) {
      open = close;
      continue;
    }
    size_t from = open;
    while (from > 0 && text[from - 1] == ' ') --from;
    text.erase(from, close + 1 - from);
    open = from;
  }
  // A trailing Latin remark after the source's words (`……保险; then any of:`).
  size_t last_wide = std::string::npos;
  for (size_t i = 0; i < text.size(); ++i)
    if (static_cast<unsigned char>(text[i]) >= 0x80) last_wide = i;
  if (last_wide != std::string::npos) {
    size_t tail = last_wide + 1;
    while (tail < text.size() && static_cast<unsigned char>(text[tail]) >= 0x80) ++tail;  // the rest of that character
    const std::string rest = text.substr(tail);
    if (std::any_of(rest.begin(), rest.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }))
      text.erase(tail);
  }
  for (const std::string_view tail : {":", "：", " ", ".", ";", ","})
    while (text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0)
      text.erase(text.size() - tail.size());
  return text;
}

class Extractor {
 public:
  explicit Extractor(const DocInputs& in) : in_(in), p_(in.program) {
    for (const StdlibSource& s : stdlib_sources()) stdlib_paths_.insert(std::string(s.path));
    classify();
  }

  PolicyDoc run();

 private:
  const SourceFile* file_of(ir::Loc loc) const {
    if (loc.file < 0 || static_cast<size_t>(loc.file) >= p_.files.size()) return nullptr;
    const std::string& path = p_.files[static_cast<size_t>(loc.file)];
    for (uint32_t f = 0; f < in_.sources.file_count(); ++f)
      if (in_.sources.path(FileId{f}) == path) return &in_.sources.file(FileId{f});
    return nullptr;
  }
  bool in_stdlib(ir::Loc loc) const {
    return loc.file >= 0 && static_cast<size_t>(loc.file) < p_.files.size() &&
           stdlib_paths_.count(p_.files[static_cast<size_t>(loc.file)]) > 0;
  }
  std::string where(ir::Loc loc) const {
    if (loc.file < 0 || static_cast<size_t>(loc.file) >= p_.files.size()) return "";
    // `liaoyuan/2023.yb:71`: the file under the policy root, wherever that is.
    const std::string& path = p_.files[static_cast<size_t>(loc.file)];
    size_t cut = path.rfind('/');
    if (cut != std::string::npos && cut > 0) cut = path.rfind('/', cut - 1);
    return fmt::format("{}:{}", cut == std::string::npos ? path : path.substr(cut + 1), loc.line);
  }

  // The source's words for the declaration at `loc`: its line's comment, or
  // the comment lines just above it.
  std::string source_label(ir::Loc loc) const {
    const SourceFile* file = file_of(loc);
    if (!file || loc.line <= 0) return "";
    const auto line = static_cast<uint32_t>(loc.line);
    if (auto c = comment_of(file->line_text(line)); c && is_source_words(*c) && !is_comment_line(file->line_text(line)))
      return std::string(*c);
    std::vector<std::string_view> above;
    for (uint32_t l = line - 1; l >= 1 && is_comment_line(file->line_text(l)) && !heading_of(file->line_text(l)); --l)
      above.push_back(*comment_of(file->line_text(l)));
    std::string text;
    for (auto it = above.rbegin(); it != above.rend(); ++it)
      if (is_source_words(*it)) text += std::string(*it);
    return text;
  }

  std::string heading(ir::Loc loc) const {
    const SourceFile* file = file_of(loc);
    if (!file) return "";
    for (auto l = static_cast<uint32_t>(std::max(loc.line, 1)); l >= 1; --l)
      if (auto h = heading_of(file->line_text(l))) return std::string(*h);
    return "";
  }

  template <class T>
  void label(T& out, const std::string& name, ir::Loc loc) const {
    out.label = clean_label(source_label(loc));
    out.label_from_source = !out.label.empty();
    if (out.label.empty()) out.label = glossary_label(name);
    if (out.label.empty()) out.label = name;
    out.heading = heading(loc);
    out.where = where(loc);
  }

  std::string key_heading(const ir::TableDim& dim) const {
    if (dim.key_type.kind == ir::Type::domain && dim.key_type.ref >= 0)
      return in_.labels.domain(p_.domains[static_cast<size_t>(dim.key_type.ref)].name);
    if (dim.key_type.kind == ir::Type::enumeration && dim.key_type.ref >= 0)
      return in_.labels.enumeration(p_.schema.enums[static_cast<size_t>(dim.key_type.ref)].name);
    return "";
  }
  std::string key_label(const ir::TableDim& dim, int64_t key) const {
    return format_value(p_, in_.labels, dim.key_type, key);
  }

  void classify();
  Topic topic_of(const std::string& name) const {
    const auto found = topic_.find(name);
    return found == topic_.end() ? Topic::other : found->second;
  }
  void add_param(const ir::Param& param, PolicyDoc& doc) const;
  void add_table(const ir::Table& table, PolicyDoc& doc) const;
  std::vector<Segment> segments(int64_t schedule) const;
  void eligibility(PolicyDoc& doc) const;

  const DocInputs& in_;
  const ir::Program& p_;
  std::set<std::string> stdlib_paths_;
  std::map<std::string, Topic> topic_;  // parameter and table names, by the first topic that uses them
};

// Follows the unfolded program from each section's fields and records the
// topic of every parameter (a rule of its own there) and table reached.
void Extractor::classify() {
  const ir::Program& u = in_.unfolded;
  std::vector<int32_t> stack;
  std::vector<uint8_t> seen(u.nodes.size(), 0);
  auto walk = [&](int32_t root, Topic topic) {
    if (root < 0) return;
    stack.push_back(root);
    while (!stack.empty()) {
      const auto i = static_cast<size_t>(stack.back());
      stack.pop_back();
      if (i >= u.nodes.size() || seen[i]) continue;
      seen[i] = 1;
      const ir::Node& n = u.nodes[i];
      if (n.op == ir::Op::rule && n.ref >= 0) {
        const ir::Rule& r = u.rules[static_cast<size_t>(n.ref)];
        topic_.emplace(r.name, topic);
        stack.push_back(r.root);
      } else if (n.op == ir::Op::param_ref && n.ref >= 0) {
        topic_.emplace(u.params[static_cast<size_t>(n.ref)].name, topic);
      } else if (n.op == ir::Op::table && n.ref >= 0) {
        topic_.emplace(u.tables[static_cast<size_t>(n.ref)].name, topic);
      } else if (n.op == ir::Op::adjust && n.ref >= 0) {
        // adjust lines are kids too; nothing else to follow
      }
      for (uint32_t k = 0; k < n.kid_count; ++k) stack.push_back(static_cast<int32_t>(u.kids[n.first_kid + k]));
    }
  };
  auto section = [&](std::string_view name) -> const ir::Section* {
    for (const ir::Section& s : u.sections)
      if (s.name == name) return &s;
    return nullptr;
  };
  auto fields = [&](const ir::Section* s, Topic topic, std::string_view only = {}) {
    if (!s) return;
    for (const ir::SectionField& f : s->fields)
      if (only.empty() || f.name == only) {
        walk(f.value, topic);
        walk(f.otherwise, topic);
        walk(f.when, topic);
      }
  };
  auto reasons = [&](const ir::Section* s, Topic topic) {
    if (!s) return;
    walk(s->when, topic);
    for (const ir::SectionReason& r : s->reasons) walk(r.cond, topic);
  };
  // Cover before contribution: the newborn rule, say, decides both, and
  // residents look for it with the dates.
  fields(section("eligibility"), Topic::eligibility);
  fields(section("coverage"), Topic::coverage);
  reasons(section("coverage"), Topic::coverage);
  fields(section("contribution"), Topic::contribution);
  fields(section("settlement"), Topic::basic, "basic");
  fields(section("settlement"), Topic::critical, "critical");
  for (const ir::Section& s : u.sections) {
    fields(&s, Topic::basic);
    reasons(&s, Topic::basic);
  }
}

std::vector<Segment> Extractor::segments(int64_t schedule) const {
  std::vector<Segment> out;
  if (schedule < 0 || static_cast<size_t>(schedule) >= p_.schedules.size()) return out;
  const ir::Schedule& s = p_.schedules[static_cast<size_t>(schedule)];
  for (uint32_t i = 0; i < s.count; ++i) {
    const ir::Segment& seg = p_.segments[s.first + i];
    Segment out_seg{seg.lo, seg.hi, seg.rate, "", format_rate(seg.rate)};
    if (seg.hi == INT64_MAX) out_seg.range = format_money(seg.lo) + "以上";
    else out_seg.range = format_money(seg.lo) + "至" + format_money(seg.hi);
    out.push_back(std::move(out_seg));
  }
  return out;
}

void Extractor::add_param(const ir::Param& param, PolicyDoc& doc) const {
  if (in_stdlib(param.loc)) return;  // the standard library's defaults are no policy's words
  const Topic topic = topic_of(param.name);
  if (param.type.kind == ir::Type::brackets && !param.unspecified) {
    Brackets b;
    b.name = param.name;
    label(b, param.name, param.loc);
    b.groups.push_back({"", segments(param.value)});
    doc.topic(topic).brackets.push_back(std::move(b));
    return;
  }
  Item item;
  item.name = param.name;
  label(item, param.name, param.loc);
  item.type = param.type;
  item.raw = param.value;
  item.unspecified = param.unspecified;
  if (param.unspecified) {
    if (param.unspecified_ref >= 0 && static_cast<size_t>(param.unspecified_ref) < p_.unspecifieds.size())
      item.words = p_.unspecifieds[static_cast<size_t>(param.unspecified_ref)].words;
    item.value = "未公布";
  } else {
    item.value = format_value(p_, in_.labels, param.type, param.value);
  }
  // Dates near the benefit year go on its timeline (a birth-date cut-off
  // such as 2004年12月31日 stays in its table).
  const auto near_year = [&](int64_t day) {
    return day >= days_from_civil(p_.year - 1, 1, 1) && day <= days_from_civil(p_.year + 1, 12, 31);
  };
  if (param.type.kind == ir::Type::date && !param.unspecified && near_year(param.value))
    doc.timeline.push_back({static_cast<int32_t>(param.value), item.label, item.name});
  doc.topic(topic).items.push_back(std::move(item));
}

void Extractor::add_table(const ir::Table& table, PolicyDoc& doc) const {
  if (in_stdlib(table.loc) || table.dims.empty()) return;
  const Topic topic = topic_of(table.name);
  const ir::TableDim& d0 = table.dims[0];
  const size_t rows = static_cast<size_t>(d0.hi - d0.lo + 1);
  const size_t width = table.dims.size() > 1 ? static_cast<size_t>(table.dims[1].hi - table.dims[1].lo + 1) : 1;
  auto cell = [&](size_t r, size_t c) {
    const size_t i = r * width + c;
    Cell out{table.cells[i], "", table.cell_unspecified[i] >= 0};
    return out;
  };
  if (table.value_type.kind == ir::Type::brackets) {
    Brackets b;
    b.name = table.name;
    label(b, table.name, table.loc);
    b.key_heading = key_heading(d0);
    for (size_t r = 0; r < rows; ++r) {
      const Cell c = cell(r, 0);
      b.groups.push_back({key_label(d0, d0.lo + static_cast<int64_t>(r)), c.unspecified ? std::vector<Segment>{} : segments(c.raw)});
    }
    doc.topic(topic).brackets.push_back(std::move(b));
    return;
  }
  Grid g;
  g.name = table.name;
  label(g, table.name, table.loc);
  g.value_type = table.value_type;
  g.row_heading = key_heading(d0);
  for (size_t r = 0; r < rows; ++r) g.rows.push_back(key_label(d0, d0.lo + static_cast<int64_t>(r)));
  if (table.dims.size() > 1) {
    g.column_heading = key_heading(table.dims[1]);
    for (size_t c = 0; c < width; ++c) g.columns.push_back(key_label(table.dims[1], table.dims[1].lo + static_cast<int64_t>(c)));
  } else {
    g.columns.push_back("");
  }
  for (size_t r = 0; r < rows; ++r) {
    std::vector<Cell> row;
    for (size_t c = 0; c < width; ++c) {
      Cell x = cell(r, c);
      x.text = x.unspecified ? "未公布" : format_value(p_, in_.labels, table.value_type, x.raw);
      row.push_back(std::move(x));
    }
    g.cells.push_back(std::move(row));
  }
  doc.topic(topic).grids.push_back(std::move(g));
}

void Extractor::eligibility(PolicyDoc& doc) const {
  for (const ir::Rule& r : p_.rules) {
    if (r.name == "ineligibility" && r.type.kind == ir::Type::text && r.root >= 0 &&
        p_.node(r.root).op == ir::Op::constant)
      doc.ineligibility = format_value(p_, in_.labels, r.type, p_.node(r.root).imm);
    if (r.name != "eligible" || in_stdlib(r.loc)) continue;
    const SourceFile* file = file_of(r.loc);
    if (!file || r.loc.line <= 0) continue;
    // The comment lines above the rule, then the comments of its own lines
    // (up to the first blank line): the source's list of who may enrol.
    const auto line = static_cast<uint32_t>(r.loc.line);
    std::vector<std::string> above;
    for (uint32_t l = line - 1; l >= 1 && is_comment_line(file->line_text(l)) && !heading_of(file->line_text(l)); --l)
      if (auto c = comment_of(file->line_text(l)); c && is_source_words(*c)) above.insert(above.begin(), clean_label(std::string(*c)));
    for (uint32_t l = line; l <= file->line_count() && !trim(file->line_text(l)).empty(); ++l)
      if (auto c = comment_of(file->line_text(l)); c && is_source_words(*c) && !is_comment_line(file->line_text(l)))
        above.push_back(clean_label(std::string(*c)));
    doc.eligibility = std::move(above);
  }
}

PolicyDoc Extractor::run() {
  PolicyDoc doc;
  doc.id = p_.policy_id;
  doc.title = p_.title;
  doc.region = p_.region;
  doc.source = p_.source;
  doc.year = p_.year;
  eligibility(doc);
  for (const ir::Param& param : p_.params) add_param(param, doc);
  for (const ir::Table& table : p_.tables) add_table(table, doc);
  // The benefit year, the frame of every timeline.
  doc.timeline.push_back({days_from_civil(p_.year, 1, 1), "待遇享受期开始（集中缴费期内参保）", "year_start"});
  doc.timeline.push_back({days_from_civil(p_.year, 12, 31), "待遇享受期结束（年度末）", "year_end"});
  std::stable_sort(doc.timeline.begin(), doc.timeline.end(),
                   [](const Event& a, const Event& b) { return a.date < b.date; });
  for (const ir::Ledger& l : p_.ledgers)
    if (!in_stdlib(l.loc)) doc.ledgers.push_back({l.name, l.label.empty() ? l.name : l.label});
  for (const ir::Unspecified& u : list_unspecified(p_)) doc.unspecified.push_back({u.name, u.words, where(u.loc)});
  return doc;
}

}  // namespace

PolicyDoc extract(const DocInputs& in) { return Extractor(in).run(); }

}  // namespace yibao::compiler::doc
