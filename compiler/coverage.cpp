// Example coverage: settle the examples with tracing, mark what was used.
#include "compiler/coverage.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "compiler/diff_settle.h"
#include "compiler/ir_print.h"
#include "yibao/json_writer.h"

namespace yibao::compiler {
namespace {

std::string at(const ir::Program& p, const ir::Loc& loc) {
  if (loc.file < 0 || static_cast<size_t>(loc.file) >= p.files.size()) return "";
  return fmt::format("{}:{}", p.files[static_cast<size_t>(loc.file)], loc.line);
}

bool is_param(const ir::Program& p, const std::string& name) {
  return std::any_of(p.params.begin(), p.params.end(), [&](const ir::Param& prm) { return prm.name == name; });
}

// `table[k1, k2]` for a row-major cell index.
std::string cell_name(const ir::Program& p, const ir::Table& t, size_t cell) {
  std::string key;
  size_t rest = cell;
  for (size_t d = t.dims.size(); d-- > 0;) {
    const auto width = static_cast<size_t>(t.dims[d].hi - t.dims[d].lo + 1);
    key = print_value(p, t.dims[d].key_type, t.dims[d].lo + static_cast<std::int64_t>(rest % width)) +
          (key.empty() ? "" : ", ") + key;
    rest /= width;
  }
  return t.name + "[" + key + "]";
}

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "";
  return fmt::format(" ({:.1f}%)", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string quote(const std::string& s) {
  std::string out(json_string_bound(s.size()), '\0');
  out.resize(static_cast<size_t>(write_json_string(out.data(), s) - out.data()));
  return out;
}

}  // namespace

Expected<Coverage> measure_coverage(const ir::Program& program, const std::vector<Example>& examples) {
  std::vector<bool> rule_used(program.rules.size(), false);
  std::vector<std::vector<bool>> cell_used;
  for (const auto& t : program.tables) cell_used.emplace_back(t.cells.size(), false);

  Coverage out;
  out.policy = program.policy_id;
  for (const Example& example : examples) {
    // Fresh ledgers for each example, as run_examples settles them.
    auto settler = RequestSettler::create(program, EvaluatorOptions{.bytecode = false});
    if (!settler) return Error{settler.error()};
    settler->evaluator().set_tracing(true);
    settler->evaluator().set_recording_cells(true);
    std::uint64_t line_number = 0;
    for (const ExampleRequest& request : example.requests) {
      ++out.requests;
      if (!settler->settle(request.line, ++line_number)) continue;
      for (const TraceStep& step : settler->evaluator().trace())
        if (step.rule >= 0) rule_used[static_cast<size_t>(step.rule)] = true;
      for (const auto& read : settler->evaluator().cells_read())
        cell_used[static_cast<size_t>(read.table)][read.cell] = true;
    }
  }

  std::vector<std::pair<ir::Loc, CoverageItem>> rules;
  for (size_t r = 0; r < program.rules.size(); ++r) {
    const ir::Rule& rule = program.rules[r];
    if (is_param(program, rule.name)) continue;
    ++out.rules;
    if (rule_used[r]) {
      ++out.rules_covered;
      continue;
    }
    rules.push_back({rule.loc, CoverageItem{rule.name, at(program, rule.loc)}});
  }
  std::stable_sort(rules.begin(), rules.end(), [](const auto& x, const auto& y) {
    return std::tie(x.first.file, x.first.line) < std::tie(y.first.file, y.first.line);
  });
  for (auto& r : rules) out.uncovered_rules.push_back(std::move(r.second));

  std::vector<size_t> tables(program.tables.size());
  for (size_t t = 0; t < tables.size(); ++t) tables[t] = t;
  std::stable_sort(tables.begin(), tables.end(), [&](size_t x, size_t y) {
    const ir::Loc& a = program.tables[x].loc;
    const ir::Loc& b = program.tables[y].loc;
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  for (const size_t t : tables) {
    const ir::Table& table = program.tables[t];
    for (size_t c = 0; c < table.cells.size(); ++c) {
      ++out.cells;
      if (cell_used[t][c])
        ++out.cells_covered;
      else
        out.uncovered_cells.push_back(CoverageItem{cell_name(program, table, c), at(program, table.loc)});
    }
  }
  return out;
}

std::string render_coverage_text(const Coverage& c) {
  std::string out = fmt::format("{}: rules {}/{} covered{}, table cells {}/{} covered{}\n", c.policy, c.rules_covered, c.rules,
                                percent(c.rules_covered, c.rules), c.cells_covered, c.cells, percent(c.cells_covered, c.cells));
  auto list = [&](const char* title, const std::vector<CoverageItem>& items) {
    if (items.empty()) return;
    size_t width = 0;
    for (const auto& i : items) width = std::max(width, i.at.size());
    out += fmt::format("  {}:\n", title);
    for (const auto& i : items) out += fmt::format("    {:<{}}  {}\n", i.at, width, i.name);
  };
  list("rules no example computes", c.uncovered_rules);
  list("table cells no example reads", c.uncovered_cells);
  return out;
}

std::string render_coverage_json(const Coverage& c) {
  auto items = [](const std::vector<CoverageItem>& list) {
    std::string s = "[";
    for (size_t i = 0; i < list.size(); ++i)
      s += fmt::format("{}{{\"name\": {}, \"at\": {}}}", i ? ", " : "", quote(list[i].name),
                       list[i].at.empty() ? "null" : quote(list[i].at));
    return s + "]";
  };
  return fmt::format(
      "{{\"policy\": {}, \"requests\": {}, \"rules\": {}, \"rules_covered\": {}, \"cells\": {}, \"cells_covered\": {}, "
      "\"uncovered_rules\": {}, \"uncovered_cells\": {}}}\n",
      quote(c.policy), c.requests, c.rules, c.rules_covered, c.cells, c.cells_covered, items(c.uncovered_rules),
      items(c.uncovered_cells));
}

}  // namespace yibao::compiler
