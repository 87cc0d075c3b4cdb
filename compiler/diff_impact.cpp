// Impact on requests: settle each line against both programs, normalize each
// result to named parts, compare.
#include "compiler/diff_impact.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "compiler/diff_settle.h"
#include "compiler/ir_print.h"
#include "yibao/checked.h"

namespace yibao::compiler {
namespace {

// A result as named parts: `settlement` -> `reason before_coverage`,
// `settlement.basic` -> `0.00`; and the amounts of its money fields.
struct Answer {
  std::map<std::string, std::string> parts;
  std::unordered_map<std::string, std::int64_t> amounts;
};

std::string error_text(const ir::Program& p, const EvalError& e) {
  switch (e.code) {
    case EvalErrorCode::none: return "error";
    case EvalErrorCode::overflow: return "error overflow";
    case EvalErrorCode::unspecified:
      if (e.unspecified >= 0) return "error unspecified " + p.unspecifieds[static_cast<size_t>(e.unspecified)].name;
      if (e.table >= 0) return "error unspecified key " + std::to_string(e.key);
      return "error unspecified";
  }
  return "error";
}

Answer answer(const ir::Program& p, const RequestSettler& s, bool settled) {
  Answer out;
  if (!settled) {
    out.parts["bad_input"] = s.refusal();
    return out;
  }
  const Result& r = s.result();
  for (size_t i = 0; i < p.sections.size() && i < r.sections.size(); ++i) {
    const ir::Section& section = p.sections[i];
    const SectionOutcome& o = r.sections[i];
    switch (o.kind) {
      case SectionOutcome::Kind::absent: continue;
      case SectionOutcome::Kind::error: out.parts[section.name] = error_text(p, o.error); continue;
      case SectionOutcome::Kind::reason:
        out.parts[section.name] = "reason " + print_value(p, ir::TypeRef{ir::Type::enumeration, o.reason_enum}, o.reason_code);
        break;
      case SectionOutcome::Kind::fields: out.parts[section.name] = "answered"; break;
    }
    for (size_t f = 0; f < section.fields.size() && f < o.values.size(); ++f) {
      if (f < o.written.size() && !o.written[f]) continue;
      const ir::SectionField& field = section.fields[f];
      const std::string name = section.name + "." + field.name;
      const std::int64_t v = o.values[f];
      if (field.type.kind == ir::Type::text)
        out.parts[name] = v >= 0 ? p.strings[static_cast<size_t>(v)] : std::string(s.request().text(static_cast<int>(-(v + 1))));
      else
        out.parts[name] = print_value(p, field.type, v);
      if (field.type.kind == ir::Type::money) out.amounts[name] = v;
    }
  }
  return out;
}

// Money fields of both programs, by name: the new program's first.
std::vector<std::string> payout_names(const ir::Program& before, const ir::Program& after) {
  std::vector<std::string> names;
  for (const ir::Program* p : {&after, &before})
    for (const auto& section : p->sections)
      for (const auto& field : section.fields)
        if (field.type.kind == ir::Type::money) {
          const std::string name = section.name + "." + field.name;
          if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        }
  return names;
}

// Largest changes first; the earlier request first among equals.
void keep_largest(std::vector<AmountChange>& changes, std::size_t keep) {
  auto magnitude = [](const AmountChange& c) {
    const Int128 d = static_cast<Int128>(c.after) - c.before;
    return d < 0 ? -d : d;
  };
  std::stable_sort(changes.begin(), changes.end(),
                   [&](const AmountChange& x, const AmountChange& y) { return magnitude(x) > magnitude(y); });
  if (changes.size() > keep) changes.resize(keep);
}

}  // namespace

Expected<RequestImpact> request_impact(const ir::Program& before, const ir::Program& after, LineReader& lines,
                                       const ImpactOptions& options) {
  auto old_settler = RequestSettler::create(before);
  if (!old_settler) return Error{old_settler.error()};
  auto new_settler = RequestSettler::create(after);
  if (!new_settler) return Error{new_settler.error()};

  RequestImpact impact;
  const std::vector<std::string> names = payout_names(before, after);
  for (const auto& name : names) impact.payouts.push_back(PayoutImpact{name, 0, 0, 0, 0, 0, 0, {}});
  std::vector<Int128> totals(names.size(), 0);

  Line line;
  for (;;) {
    const LineStatus status = lines.next(line);
    if (status == LineStatus::end) break;
    if (status == LineStatus::error) return Error{lines.error()};
    ++impact.requests;
    if (line.too_long) continue;  // refused unread by both (interchange.md): the same result
    const bool old_ok = old_settler->settle(line.text, line.number);
    const Answer a = answer(before, *old_settler, old_ok);
    const bool new_ok = new_settler->settle(line.text, line.number);
    const Answer b = answer(after, *new_settler, new_ok);
    std::string id = !new_settler->id().empty() ? new_settler->id() : old_settler->id();
    if (id.empty()) id = "line " + std::to_string(line.number);

    if (a.parts != b.parts) {
      ++impact.changed;
      if (impact.changed_ids.size() < options.changed_ids) impact.changed_ids.push_back(id);
    }
    for (size_t k = 0; k < names.size(); ++k) {
      PayoutImpact& payout = impact.payouts[k];
      const auto x = a.amounts.find(names[k]);
      const auto y = b.amounts.find(names[k]);
      if (x == a.amounts.end() || y == b.amounts.end()) {
        if (x != a.amounts.end()) ++payout.only_before;
        if (y != b.amounts.end()) ++payout.only_after;
        continue;
      }
      ++payout.compared;
      if (x->second == y->second) continue;
      ++payout.changed;
      totals[k] += static_cast<Int128>(y->second) - x->second;
      payout.largest.push_back(AmountChange{id, x->second, y->second});
      if (payout.largest.size() > 1024 + options.largest) keep_largest(payout.largest, options.largest);
    }
  }
  for (size_t k = 0; k < names.size(); ++k) {
    PayoutImpact& payout = impact.payouts[k];
    keep_largest(payout.largest, options.largest);
    const Int128 total = totals[k];
    if (total > INT64_MAX || total < INT64_MIN) return Error{payout.name + ": the total change does not fit in an amount"};
    payout.total_change = static_cast<std::int64_t>(total);
    if (payout.compared > 0) {
      const Int128 n = payout.compared;
      const Int128 half = n / 2;
      payout.mean_change = static_cast<std::int64_t>(total >= 0 ? (total + half) / n : -((-total + half) / n));
    }
  }
  return impact;
}

}  // namespace yibao::compiler
