// Rendering a diff: grouped and aligned text, or JSON.
#include "compiler/diff_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "yibao/json_writer.h"
#include "yibao/money.h"

namespace yibao::compiler {
namespace {

// Wide (two-column) code points: CJK, Hangul, full-width forms.
bool wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
         (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

std::string pad(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string money_text(std::int64_t micros) {
  char buf[kMoneyTextMax];
  return std::string(buf, write_money_exact(buf, micros));
}
std::string signed_money(std::int64_t micros) { return (micros > 0 ? "+" : "") + money_text(micros); }

char mark(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::added: return '+';
    case ChangeKind::removed: return '-';
    case ChangeKind::changed: return '~';
  }
  return '?';
}

// What the change is about, as the first column: name, the policy's words,
// and the aspect when the name alone does not say it.
std::string subject(const Change& c) {
  std::string s = c.name;
  if (!c.label.empty()) s += " " + c.label;
  if (c.aspect == "specified") return s + " (now specified)";
  if (c.aspect == "unspecified") return s + " (now unspecified)";
  static constexpr std::array<const char*, 10> shown{"type",  "keys",  "bounds",   "rate",      "words",
                                                      "label", "range", "brackets", "condition", "year"};
  if (std::find_if(shown.begin(), shown.end(), [&](const char* a) { return c.aspect == a; }) != shown.end())
    s += " (" + c.aspect + ")";
  return s;
}

std::string value_column(const Change& c) {
  if (c.expression) return "";
  if (c.before && c.after) return c.before->text + " → " + c.after->text;
  return c.before ? c.before->text : c.after->text;
}

std::string where(const Change& c) {
  const std::string a = c.before ? c.before->at : "";
  const std::string b = c.after ? c.after->at : "";
  if (a.empty()) return b;
  if (b.empty() || a == b) return a;
  return a + " / " + b;
}

std::string count_summary(const std::vector<const Change*>& changes) {
  std::array<int, 3> n{};
  for (const Change* c : changes) ++n[static_cast<size_t>(c->kind)];
  std::string s;
  auto part = [&](int count, const char* what) {
    if (count) s += (s.empty() ? "" : ", ") + fmt::format("{} {}", count, what);
  };
  part(n[static_cast<size_t>(ChangeKind::changed)], "changed");
  part(n[static_cast<size_t>(ChangeKind::added)], "added");
  part(n[static_cast<size_t>(ChangeKind::removed)], "removed");
  return s;
}

// Wider subjects and values push only their own line's columns out.
constexpr std::size_t kMaxSubjectColumn = 40;
constexpr std::size_t kMaxValueColumn = 44;

void render_impact_text(const RequestImpact& impact, const std::string& requests, std::string& out) {
  out += fmt::format("\nimpact on {} request{}{}: {} result{} change{}\n", impact.requests, impact.requests == 1 ? "" : "s",
                     requests.empty() ? "" : " (" + requests + ")", impact.changed, impact.changed == 1 ? "" : "s",
                     impact.changed == 1 ? "s" : "");
  if (!impact.changed_ids.empty()) {
    std::string ids;
    for (const auto& id : impact.changed_ids) ids += (ids.empty() ? "" : ", ") + id;
    if (static_cast<std::int64_t>(impact.changed_ids.size()) < impact.changed) ids += ", ...";
    out += "  changed: " + ids + "\n";
  }
  std::vector<const PayoutImpact*> shown;
  for (const auto& p : impact.payouts)
    if (p.compared + p.only_before + p.only_after > 0) shown.push_back(&p);
  if (shown.empty()) return;
  std::size_t name_width = std::string("payout").size();
  for (const auto* p : shown) name_width = std::max(name_width, p->name.size());
  out += fmt::format("\n  {}  {:>8}  {:>7}  {:>14}  {:>12}  {:>11}  {:>10}\n", pad("payout", name_width), "compared", "changed",
                     "total change", "mean change", "only before", "only after");
  for (const auto* p : shown)
    out += fmt::format("  {}  {:>8}  {:>7}  {:>14}  {:>12}  {:>11}  {:>10}\n", pad(p->name, name_width), p->compared, p->changed,
                       signed_money(p->total_change), signed_money(p->mean_change), p->only_before, p->only_after);
  bool any = false;
  for (const auto* p : shown) any = any || !p->largest.empty();
  if (!any) return;
  out += "\n  largest changes\n";
  std::size_t id_width = 0, amounts_width = 0;
  auto amounts = [](const AmountChange& c) { return money_text(c.before) + " → " + money_text(c.after); };
  for (const auto* p : shown)
    for (const auto& c : p->largest) {
      id_width = std::max(id_width, display_width(c.id));
      amounts_width = std::max(amounts_width, display_width(amounts(c)));
    }
  for (const auto* p : shown)
    for (const auto& c : p->largest)
      out += fmt::format("    {}  {}  {}  {}\n", pad(p->name, name_width), pad(c.id, id_width), pad(amounts(c), amounts_width),
                         signed_money(c.change()));
}

// A JSON string.
std::string quote(const std::string& s) {
  std::string out(json_string_bound(s.size()), '\0');
  out.resize(static_cast<std::size_t>(write_json_string(out.data(), s) - out.data()));
  return out;
}

std::string side_json(const std::optional<ChangeSide>& side) {
  if (!side) return "null";
  return fmt::format("{{\"text\": {}, \"at\": {}}}", quote(side->text), side->at.empty() ? "null" : quote(side->at));
}

}  // namespace

std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1FU) : len == 3 ? (b & 0x0FU) : (b & 0x07U);
    for (std::size_t k = 1; k < len && i + k < text.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
    width += wide(c) ? 2 : 1;
    i += len;
  }
  return width;
}

std::string render_diff_text(const PolicyDiff& diff, const RequestImpact* impact, const std::string& requests) {
  std::string out = fmt::format("{} → {}\n  old  {}\n  new  {}\n", diff.old_policy, diff.new_policy, diff.old_path, diff.new_path);
  if (diff.same()) out += "\nno differences\n";
  for (int g = 0; g <= static_cast<int>(DiffGroup::unspecified); ++g) {
    std::vector<const Change*> changes;
    for (const Change& c : diff.changes)
      if (static_cast<int>(c.group) == g) changes.push_back(&c);
    if (changes.empty()) continue;
    out += fmt::format("\n{}: {}\n", diff_group_name(static_cast<DiffGroup>(g)), count_summary(changes));
    std::size_t subject_width = 0, value_width = 0;
    for (const Change* c : changes) {
      const std::size_t s = display_width(subject(*c));
      if (s <= kMaxSubjectColumn) subject_width = std::max(subject_width, s);
      const std::size_t w = display_width(value_column(*c));
      if (w <= kMaxValueColumn) value_width = std::max(value_width, w);
    }
    for (const Change* c : changes) {
      std::string line = fmt::format("  {} {}", mark(c->kind), pad(subject(*c), subject_width));
      const std::string loc = where(*c);
      const std::string value = value_column(*c);
      if (value.empty())
        line += "  " + loc;
      else
        line += "  " + (loc.empty() ? value : pad(value, value_width) + "  " + loc);
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
      if (!c->expression) continue;
      if (c->before) out += "      - " + c->before->text + "\n";
      if (c->after) out += "      + " + c->after->text + "\n";
    }
  }
  if (!diff.same()) {
    std::vector<const Change*> all;
    for (const Change& c : diff.changes) all.push_back(&c);
    out += fmt::format("\n{} difference{}: {}\n", all.size(), all.size() == 1 ? "" : "s", count_summary(all));
  }
  if (impact) render_impact_text(*impact, requests, out);
  return out;
}

std::string render_diff_json(const PolicyDiff& diff, const RequestImpact* impact, const std::string& requests) {
  std::string out = fmt::format("{{\"format\": {},\n \"old\": {{\"policy\": {}, \"path\": {}}},\n \"new\": {{\"policy\": {}, \"path\": {}}},\n",
                                quote(kDiffJsonFormat), quote(diff.old_policy), quote(diff.old_path), quote(diff.new_policy),
                                quote(diff.new_path));
  out += fmt::format(" \"same\": {},\n \"changes\": [", diff.same() ? "true" : "false");
  for (size_t i = 0; i < diff.changes.size(); ++i) {
    const Change& c = diff.changes[i];
    out += fmt::format("{}\n  {{\"group\": {}, \"change\": {}, \"name\": {}, \"label\": {}, \"aspect\": {}, \"old\": {}, \"new\": {}}}",
                       i ? "," : "", quote(diff_group_name(c.group)), quote(change_kind_name(c.kind)), quote(c.name),
                       c.label.empty() ? "null" : quote(c.label), quote(c.aspect), side_json(c.before), side_json(c.after));
  }
  out += diff.changes.empty() ? "]" : "\n ]";
  if (impact) {
    out += fmt::format(",\n \"impact\": {{\"requests_file\": {}, \"requests\": {}, \"changed\": {}, \"changed_ids\": [",
                       requests.empty() ? "null" : quote(requests), impact->requests, impact->changed);
    for (size_t i = 0; i < impact->changed_ids.size(); ++i) out += (i ? ", " : "") + quote(impact->changed_ids[i]);
    out += "],\n  \"payouts\": [";
    for (size_t i = 0; i < impact->payouts.size(); ++i) {
      const PayoutImpact& p = impact->payouts[i];
      out += fmt::format("{}\n   {{\"payout\": {}, \"compared\": {}, \"changed\": {}, \"only_old\": {}, \"only_new\": {}, "
                         "\"total_change\": {}, \"mean_change\": {}, \"largest\": [",
                         i ? "," : "", quote(p.name), p.compared, p.changed, p.only_before, p.only_after,
                         money_text(p.total_change), money_text(p.mean_change));
      for (size_t k = 0; k < p.largest.size(); ++k) {
        const AmountChange& c = p.largest[k];
        out += fmt::format("{}{{\"id\": {}, \"old\": {}, \"new\": {}, \"change\": {}}}", k ? ", " : "", quote(c.id),
                           money_text(c.before), money_text(c.after), money_text(c.change()));
      }
      out += "]}";
    }
    out += impact->payouts.empty() ? "]}" : "\n  ]}";
  }
  out += "\n}\n";
  return out;
}

}  // namespace yibao::compiler
