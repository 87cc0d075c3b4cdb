// Tables, bracket schedules and keys. A table must give every key of its
// domain (or of the sub-range it declares) exactly once, unless `else` covers
// the rest; a schedule must start at 0, ascend without gaps or overlaps, and
// pay rates within 0..100%.
#include <fmt/format.h>

#include "compiler/lowerer.h"
#include "yibao/money.h"
#include "yibao/rate.h"

namespace yibao::compiler {
namespace {

std::string yuan_text(int64_t micros) {
  char buf[kMoneyTextMax];
  std::string s(buf, write_money_exact(buf, micros));
  if (s.size() > 3 && s.compare(s.size() - 3, 3, ".00") == 0) s.resize(s.size() - 3);
  return s;
}

}  // namespace

std::string Lowerer::key_text(ir::TypeRef key_type, int64_t value) const {
  if (key_type.kind == ir::Type::enumeration)
    return program_.schema.enums[static_cast<size_t>(key_type.ref)].members[static_cast<size_t>(value)];
  return fmt::format("{}", value);
}

std::vector<int64_t> Lowerer::key_domain(ir::TypeRef key_type, int64_t lo, int64_t hi) const {
  std::vector<int64_t> keys;
  for (int64_t k = lo; k <= hi; ++k) keys.push_back(k);
  (void)key_type;
  return keys;
}

std::optional<int64_t> Lowerer::key_value(const ast::Key& key, ir::TypeRef key_type) {
  if (key_type.kind == ir::Type::enumeration) {
    const int m = key.is_number() ? -1 : program_.schema.find_member(key_type.ref, key.text);
    if (m < 0) {
      const auto& e = program_.schema.enums[static_cast<size_t>(key_type.ref)];
      auto d = report(DiagnosticCode::invalid_key, key.span, fmt::format("`{}` is not a member of `{}`", key.text, e.name));
      const std::string near = nearest_name(key.text, e.members);
      if (!near.empty()) d.help(fmt::format("did you mean `{}`?", near));
      return std::nullopt;
    }
    return m;
  }
  const auto& d = program_.domains[static_cast<size_t>(key_type.ref)];
  if (!key.is_number() || !key.number->is_integer() || key.number->integer() < d.lo || key.number->integer() > d.hi) {
    report(DiagnosticCode::invalid_key, key.span, fmt::format("`{}` is not a `{}` ({}..{})", key.text, d.name, d.lo, d.hi));
    return std::nullopt;
  }
  return key.number->integer();
}

int32_t Lowerer::lower_schedule(const ast::BracketsLit& lit) {
  ir::Schedule s{static_cast<uint32_t>(program_.segments.size()), 0};
  bool ok = true;
  int64_t expected_lo = 0;
  bool open_seen = false;
  for (size_t i = 0; i < lit.segments.size(); ++i) {
    const ast::Segment& seg = lit.segments[i];
    ir::Segment out;
    out.lo = seg.lo.micros;
    out.hi = seg.hi ? seg.hi->micros : INT64_MAX;
    if (open_seen) {
      report(DiagnosticCode::brackets_overlap, seg.span, "a segment after `above` overlaps it")
          .help("`above` must be the last segment");
      ok = false;
    }
    if (i == 0 && out.lo != 0) {
      report(DiagnosticCode::brackets_not_from_zero, seg.lo.span, fmt::format("brackets start at 0, not {}", seg.lo.text))
          .help("segments cover an amount from 0 up: `0 to 30000: 80%`");
      ok = false;
    } else if (i > 0 && out.lo > expected_lo) {
      report(DiagnosticCode::brackets_gap, seg.lo.span,
             fmt::format("gap between {} and {}: no rate pays that part", yuan_text(expected_lo), seg.lo.text))
          .help(fmt::format("start this segment at {}", yuan_text(expected_lo)));
      ok = false;
    } else if (i > 0 && out.lo < expected_lo) {
      report(DiagnosticCode::brackets_overlap, seg.lo.span,
             fmt::format("this segment starts at {}, inside the previous one (which ends at {})", seg.lo.text, yuan_text(expected_lo)))
          .help(fmt::format("start this segment at {}", yuan_text(expected_lo)));
      ok = false;
    }
    if (seg.hi && out.hi <= out.lo) {
      report(DiagnosticCode::brackets_not_ascending, seg.span,
             fmt::format("this segment ends at {}, not above where it starts ({})", seg.hi->text, seg.lo.text));
      ok = false;
    }
    if (!seg.hi) open_seen = true;
    Env env;
    env.decl_name = "brackets";
    Val rate = elab_as(*seg.rate, Ty::of(ir::Type::rate), env);
    if (!rate.ty.ok()) {
      ok = false;
      continue;
    }
    const ir::Node& n = program_.node(rate.node);
    if (n.op != ir::Op::constant) {
      report(DiagnosticCode::invalid_literal, seg.rate->span, "a bracket's rate is a published number, like `80%`");
      ok = false;
      continue;
    }
    if (n.imm < 0 || n.imm > kRateOne) {
      report(DiagnosticCode::rate_out_of_range, seg.rate->span,
             fmt::format("a rate must lie between 0% and 100%, found {}", sources_.text(seg.rate->span)));
      ok = false;
    }
    out.rate = n.imm;
    program_.segments.push_back(out);
    ++s.count;
    expected_lo = out.hi;
  }
  if (!ok) {
    program_.segments.resize(s.first);
    return -1;
  }
  program_.schedules.push_back(s);
  return static_cast<int32_t>(program_.schedules.size() - 1);
}

int32_t Lowerer::lower_table(const Symbol& sym) {
  const ast::Decl& decl = *sym.decl;
  if (auto found = tables_.find(&decl); found != tables_.end()) return found->second;
  tables_[&decl] = -1;  // failed until done
  const ast::Table& table = *decl.table;
  const auto value_type = resolve_type(decl.type);
  if (!value_type) return -1;
  ir::Table out;
  out.name = decl.name.text;
  out.value_type = *value_type;
  out.loc = loc(decl.name.span);
  if (table.keys.size() > 2) {
    report(DiagnosticCode::invalid_key, table.span, "a table has one or two keys");
    return -1;
  }
  for (const auto& key : table.keys) {
    ir::TableDim dim;
    const int e = enum_index(key.name.text);
    const int d = domain_index(key.name.text);
    if (e >= 0) {
      dim.key_type = {ir::Type::enumeration, e};
      dim.lo = 0;
      dim.hi = static_cast<int64_t>(program_.schema.enums[static_cast<size_t>(e)].members.size()) - 1;
      if (key.has_range()) {
        report(DiagnosticCode::invalid_key, key.span, "a range of keys is for domains, not enumerations");
        return -1;
      }
    } else if (d >= 0) {
      dim.key_type = {ir::Type::domain, d};
      dim.lo = program_.domains[static_cast<size_t>(d)].lo;
      dim.hi = program_.domains[static_cast<size_t>(d)].hi;
      if (key.has_range()) {
        const auto& dom = program_.domains[static_cast<size_t>(d)];
        if (!key.lo->is_integer() || !key.hi->is_integer() || key.lo->integer() < dom.lo || key.hi->integer() > dom.hi ||
            key.lo->integer() > key.hi->integer()) {
          report(DiagnosticCode::invalid_key, key.span, fmt::format("`{}..{}` is not within `{}` ({}..{})", key.lo->text,
                                                                    key.hi->text, dom.name, dom.lo, dom.hi));
          return -1;
        }
        dim.lo = key.lo->integer();
        dim.hi = key.hi->integer();
      }
    } else {
      std::vector<std::string> names;
      for (const auto& en : program_.schema.enums) names.push_back(en.name);
      for (const auto& dm : program_.domains) names.push_back(dm.name);
      auto diag = report(DiagnosticCode::unknown_type, key.name.span,
                         fmt::format("a table is keyed by an enumeration or a domain; `{}` is neither", key.name.text));
      const std::string near = nearest_name(key.name.text, names);
      if (!near.empty()) diag.help(fmt::format("did you mean `{}`?", near));
      return -1;
    }
    out.dims.push_back(dim);
  }
  const size_t rows = static_cast<size_t>(out.dims[0].hi - out.dims[0].lo + 1);
  const size_t width = out.dims.size() == 2 ? static_cast<size_t>(out.dims[1].hi - out.dims[1].lo + 1) : 1;
  out.cells.assign(rows * width, 0);
  out.cell_unspecified.assign(rows * width, -1);
  std::vector<Span> seen(rows);
  std::vector<bool> filled(rows, false);
  const ast::TableRow* else_row = nullptr;
  bool ok = true;

  // The values of one row, one per column.
  auto row_values = [&](const ast::TableRow& row, std::vector<int64_t>& values, std::vector<int32_t>& unspec) {
    if (row.values.size() != width) {
      report(DiagnosticCode::row_width, row.span,
             fmt::format("this row has {} value{}; the table needs {} (one per `{}`)", row.values.size(),
                         row.values.size() == 1 ? "" : "s", width,
                         out.dims.size() == 2 ? table.keys[1].name.text : std::string("row")));
      return false;
    }
    bool row_ok = true;
    for (const auto& v : row.values) {
      Env env;
      env.decl_name = decl.name.text;
      Val x = elab_as(*v, Ty::of(out.value_type), env);
      if (!x.ty.ok()) {
        row_ok = false;
        continue;
      }
      const ir::Node& n = program_.node(x.node);
      if (n.op == ir::Op::unspecified) {
        values.push_back(0);
        unspec.push_back(n.ref);
      } else if (n.op == ir::Op::constant) {
        if (out.value_type.kind == ir::Type::rate && (n.imm < 0 || n.imm > kRateOne)) {
          report(DiagnosticCode::rate_out_of_range, v->span,
                 fmt::format("a rate must lie between 0% and 100%, found {}", sources_.text(v->span)));
          row_ok = false;
        }
        values.push_back(n.imm);
        unspec.push_back(-1);
      } else {
        report(DiagnosticCode::invalid_literal, v->span, "a table cell is a published value, not a computation");
        row_ok = false;
      }
    }
    return row_ok;
  };

  for (const auto& row : table.rows) {
    if (row.is_else) {
      if (else_row) {
        report(DiagnosticCode::duplicate_key, row.span, "a table has one `else` row").label(else_row->span, "first here");
        ok = false;
      }
      else_row = &row;
      continue;
    }
    std::vector<int64_t> values;
    std::vector<int32_t> unspec;
    if (!row_values(row, values, unspec)) {
      ok = false;
      continue;
    }
    for (const auto& key : row.keys) {
      const auto k = key_value(key, out.dims[0].key_type);
      if (!k) {
        ok = false;
        continue;
      }
      if (*k < out.dims[0].lo || *k > out.dims[0].hi) {
        report(DiagnosticCode::invalid_key, key.span,
               fmt::format("`{}` is outside this table's keys ({}..{})", key.text, out.dims[0].lo, out.dims[0].hi));
        ok = false;
        continue;
      }
      const auto r = static_cast<size_t>(*k - out.dims[0].lo);
      if (filled[r]) {
        report(DiagnosticCode::duplicate_key, key.span, fmt::format("`{}` appears twice in table `{}`", key.text, decl.name.text))
            .label(seen[r], "first here");
        ok = false;
        continue;
      }
      filled[r] = true;
      seen[r] = key.span;
      for (size_t c = 0; c < width; ++c) {
        out.cells[r * width + c] = values[c];
        out.cell_unspecified[r * width + c] = unspec[c];
      }
    }
  }
  std::vector<std::string> missing;
  std::vector<int64_t> else_values;
  std::vector<int32_t> else_unspec;
  if (else_row && !row_values(*else_row, else_values, else_unspec)) ok = false;
  for (size_t r = 0; r < rows; ++r) {
    if (filled[r]) continue;
    if (else_row) {
      if (else_values.size() == width)
        for (size_t c = 0; c < width; ++c) {
          out.cells[r * width + c] = else_values[c];
          out.cell_unspecified[r * width + c] = else_unspec[c];
        }
      continue;
    }
    missing.push_back(key_text(out.dims[0].key_type, out.dims[0].lo + static_cast<int64_t>(r)));
  }
  if (!missing.empty()) {
    std::string list;
    for (size_t i = 0; i < missing.size(); ++i) list += (i ? ", " : "") + ("`" + missing[i] + "`");
    report(DiagnosticCode::table_incomplete, decl.name.span,
           fmt::format("table `{}` has no row for {}", decl.name.text, list))
        .help(out.dims[0].key_type.kind == ir::Type::domain
                  ? "add the missing rows, declare the keys it covers (`by level 1..2`), or add `else:`"
                  : "add the missing rows, or an `else:` row");
    ok = false;
  }
  if (!ok) return -1;
  program_.tables.push_back(std::move(out));
  const auto index = static_cast<int32_t>(program_.tables.size() - 1);
  tables_[&decl] = index;
  return index;
}

}  // namespace yibao::compiler
