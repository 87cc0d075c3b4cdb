// Worked examples: lowering `example` blocks to request lines, and running them.
#include "compiler/examples.h"

#include <fmt/format.h>

#include <map>
#include <simdjson.h>

#include "yibao/date.h"
#include "yibao/money.h"
#include "yibao/settle.h"

namespace yibao::compiler {
namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
      continue;
    }
    out += c;
  }
  return out + "\"";
}

class ExampleLowerer {
 public:
  ExampleLowerer(const ir::Program& program, const SourceManager& sources, Diagnostics& diagnostics)
      : program_(program), sources_(sources), diagnostics_(diagnostics) {}

  // The JSON text of a request value for field `field`, or empty (reported).
  std::string request_value(int field, const ast::Expr& value) {
    const FieldSpec& spec = program_.schema.fields[static_cast<size_t>(field)];
    auto wrong = [&](std::string_view expected) {
      diagnostics_.report(DiagnosticCode::example_invalid, value.span,
                          fmt::format("`{}` takes {}, found `{}`", spec.path, expected, sources_.text(value.span)));
      return std::string();
    };
    if (const auto* n = ast::dyn_cast<ast::NameRef>(&value); n && n->path.dotted() == "null") return "null";
    switch (spec.type) {
      case FieldType::text:
        if (const auto* s = ast::dyn_cast<ast::StringLit>(&value)) return json_string(s->value);
        return wrong("a text in quotes");
      case FieldType::boolean:
        if (const auto* b = ast::dyn_cast<ast::BoolLit>(&value)) return b->value ? "true" : "false";
        return wrong("`true` or `false`");
      case FieldType::money:
      case FieldType::integer_range:
        if (const auto* n = ast::dyn_cast<ast::NumberLit>(&value); n && n->unit == ast::Unit::none) return n->number.text;
        return wrong(spec.type == FieldType::money ? "an amount" : "a whole number");
      case FieldType::date:
        if (const auto* d = ast::dyn_cast<ast::DateLit>(&value))
          return fmt::format("\"{:04}-{:02}-{:02}\"", d->year, d->month, d->day);
        return wrong("a date");
      case FieldType::enumeration: {
        const auto* n = ast::dyn_cast<ast::NameRef>(&value);
        if (!n || n->path.parts.size() != 1) return wrong("a member name");
        if (program_.schema.find_member(spec.enum_index, n->path.parts[0].text) < 0)
          return wrong(fmt::format("a member of `{}`", program_.schema.enums[static_cast<size_t>(spec.enum_index)].name));
        return json_string(n->path.parts[0].text);
      }
      case FieldType::enum_set: {
        const auto* s = ast::dyn_cast<ast::SetLit>(&value);
        if (!s) return wrong("a set like `{dibao, tekun}`");
        std::string out = "[";
        for (size_t i = 0; i < s->elements.size(); ++i) {
          const auto* n = ast::dyn_cast<ast::NameRef>(s->elements[i].get());
          if (!n || program_.schema.find_member(spec.enum_index, n->path.dotted()) < 0)
            return wrong(fmt::format("members of `{}`", program_.schema.enums[static_cast<size_t>(spec.enum_index)].name));
          out += (i ? ", " : "") + json_string(n->path.dotted());
        }
        return out + "]";
      }
    }
    return {};
  }

  // The JSON text an expected result value is written as.
  std::string expected_value(const ast::Expr& value) {
    if (const auto* n = ast::dyn_cast<ast::NumberLit>(&value); n && n->unit == ast::Unit::none) {
      char buf[kMoneyTextMax];
      return std::string(buf, write_money(buf, n->number.micros));
    }
    if (const auto* u = ast::dyn_cast<ast::Unary>(&value); u && u->op == ast::UnaryOp::neg)
      if (const auto* n = ast::dyn_cast<ast::NumberLit>(u->operand.get())) {
        char buf[kMoneyTextMax];
        return std::string(buf, write_money(buf, -n->number.micros));
      }
    if (const auto* d = ast::dyn_cast<ast::DateLit>(&value)) return fmt::format("\"{:04}-{:02}-{:02}\"", d->year, d->month, d->day);
    if (const auto* b = ast::dyn_cast<ast::BoolLit>(&value)) return b->value ? "true" : "false";
    if (const auto* s = ast::dyn_cast<ast::StringLit>(&value)) return json_string(s->value);
    if (ast::isa<ast::Unspecified>(value)) return "\"unspecified\"";
    if (const auto* n = ast::dyn_cast<ast::NameRef>(&value)) {
      const std::string word = n->path.dotted();
      return word == "null" ? "null" : json_string(word);
    }
    diagnostics_.report(DiagnosticCode::example_invalid, value.span,
                        "an expected value is an amount, a date, `true`/`false`, a reason or code, `null` or a text");
    return {};
  }

  void assign(std::map<std::string, std::map<std::string, std::string>>& records, std::map<std::string, std::string>& top,
              const ast::ExampleSet& set) {
    const std::string path = set.path.dotted();
    const int field = program_.schema.find_field(path);
    if (field < 0) {
      auto d = diagnostics_.report(DiagnosticCode::example_invalid, set.path.span, fmt::format("no request field `{}`", path));
      std::vector<std::string_view> names;
      for (const auto& f : program_.schema.fields) names.emplace_back(f.path);
      d.help("request fields are those of `input` in the standard library, e.g. `claim.total`");
      return;
    }
    std::string v = request_value(field, *set.value);
    if (v.empty()) return;
    const FieldSpec& spec = program_.schema.fields[static_cast<size_t>(field)];
    if (spec.record < 0)
      top[path] = v;
    else
      records[program_.schema.records[static_cast<size_t>(spec.record)].name][std::string(spec.key())] = v;
  }

  Expectation expectation(const ast::ExampleSet& set) {
    Expectation e;
    for (const auto& part : set.path.parts) e.path.push_back(part.text);
    // `settlement.error = unspecified` compares the error's code.
    if (!e.path.empty() && e.path.back() == "error") e.path.push_back("code");
    e.expected_json = expected_value(*set.value);
    e.written = fmt::format("{} = {}", set.path.dotted(), sources_.text(set.value->span));
    e.span = set.span;
    return e;
  }

  std::string request_line(const std::map<std::string, std::map<std::string, std::string>>& records,
                           const std::map<std::string, std::string>& top) {
    std::string line = "{";
    bool first = true;
    auto sep = [&]() {
      if (!first) line += ", ";
      first = false;
    };
    for (const auto& [k, v] : top) {
      sep();
      line += json_string(k) + ": " + v;
    }
    for (const auto& r : program_.schema.records) {
      auto found = records.find(r.name);
      if (found == records.end()) continue;
      sep();
      line += json_string(r.name) + ": {";
      bool inner_first = true;
      for (const auto& [k, v] : found->second) {
        line += (inner_first ? "" : ", ") + json_string(k) + ": " + v;
        inner_first = false;
      }
      line += "}";
    }
    return line + "}";
  }

  Example lower(const ast::Example& ex) {
    Example out;
    out.name = ex.name.value;
    out.span = ex.span;
    std::map<std::string, std::map<std::string, std::string>> shared_records;
    std::map<std::string, std::string> shared_top;
    std::vector<Expectation> shared_expect;
    std::vector<const ast::ExampleRequest*> blocks;
    for (const auto& m : ex.members) {
      if (const auto* set = ast::dyn_cast<ast::ExampleSet>(m.get())) {
        if (set->expect)
          shared_expect.push_back(expectation(*set));
        else
          assign(shared_records, shared_top, *set);
      } else if (const auto* r = ast::dyn_cast<ast::ExampleRequest>(m.get())) {
        blocks.push_back(r);
      }
    }
    auto finish = [&](ExampleRequest& req, std::map<std::string, std::map<std::string, std::string>> records,
                      std::map<std::string, std::string> top, size_t index) {
      if (!top.count("id")) top["id"] = json_string(fmt::format("{} #{}", out.name, index + 1));
      req.line = request_line(records, top);
    };
    if (blocks.empty()) {
      ExampleRequest req;
      req.name = out.name;
      req.span = ex.span;
      req.expectations = shared_expect;
      finish(req, shared_records, shared_top, 0);
      out.requests.push_back(std::move(req));
      return out;
    }
    if (!shared_expect.empty())
      diagnostics_.report(DiagnosticCode::example_invalid, shared_expect.front().span,
                          "with `request` blocks, each `expect` belongs inside the request it checks");
    for (size_t i = 0; i < blocks.size(); ++i) {
      auto records = shared_records;
      auto top = shared_top;
      ExampleRequest req;
      req.name = blocks[i]->name.value;
      req.span = blocks[i]->span;
      for (const auto& m : blocks[i]->members) {
        const auto* set = ast::dyn_cast<ast::ExampleSet>(m.get());
        if (!set) {
          diagnostics_.report(DiagnosticCode::example_invalid, m->span, "a `request` block holds field assignments and `expect` lines");
          continue;
        }
        if (set->expect)
          req.expectations.push_back(expectation(*set));
        else
          assign(records, top, *set);
      }
      finish(req, records, top, i);
      out.requests.push_back(std::move(req));
    }
    return out;
  }

 private:
  const ir::Program& program_;
  const SourceManager& sources_;
  Diagnostics& diagnostics_;
};

// The value at `path` in a parsed result, as comparable text.
bool find_path(simdjson::dom::element e, const std::vector<std::string>& path, simdjson::dom::element& out) {
  for (const auto& key : path) {
    simdjson::dom::object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) return false;
    if (obj[key].get(e) != simdjson::SUCCESS) return false;
  }
  out = e;
  return true;
}

bool same(simdjson::dom::element a, simdjson::dom::element b) {
  if (a.is_number() && b.is_number()) return a.get_double().value() == b.get_double().value();
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case simdjson::dom::element_type::STRING: return a.get_string().value() == b.get_string().value();
    case simdjson::dom::element_type::BOOL: return a.get_bool().value() == b.get_bool().value();
    case simdjson::dom::element_type::NULL_VALUE: return true;
    default: return simdjson::minify(a) == simdjson::minify(b);
  }
}

}  // namespace

std::vector<Example> lower_examples(const ast::File& file, const ir::Program& program, const SourceManager& sources,
                                    Diagnostics& diagnostics) {
  std::vector<Example> out;
  if (!file.examples) {
    diagnostics.report(DiagnosticCode::examples_policy_mismatch, Span{file.file, 0, 0},
                       "an examples file starts with `examples for <policy-id>`");
    return out;
  }
  if (file.examples->policy.text != program.policy_id) {
    diagnostics.report(DiagnosticCode::examples_policy_mismatch, file.examples->policy.span,
                       fmt::format("these examples are for `{}`, not `{}`", file.examples->policy.text, program.policy_id));
    return out;
  }
  ExampleLowerer lowerer(program, sources, diagnostics);
  for (const auto& item : file.items) {
    if (const auto* ex = ast::dyn_cast<ast::Example>(item.get()))
      out.push_back(lowerer.lower(*ex));
    else
      diagnostics.report(DiagnosticCode::example_invalid, item->span, "an examples file holds only `example` blocks");
  }
  return out;
}

ExampleReport run_examples(const ir::Program& program, const std::vector<Example>& examples) {
  ExampleReport report;
  simdjson::dom::parser parser;
  simdjson::dom::parser expected_parser;
  for (const Example& ex : examples) {
    LedgerStore ledgers(program.policy_id, ledger_slot_names(program));
    auto settler = Settler::create(program, ledgers);
    if (!settler) {
      report.failures.push_back({ex.name, "", ex.span, settler.error()});
      ++report.failed;
      continue;
    }
    uint64_t line_number = 0;
    for (const ExampleRequest& req : ex.requests) {
      std::string result;
      std::string padded = req.line;
      padded.append(64, ' ');
      settler->settle_line(std::string_view(padded.data(), req.line.size()), ++line_number, result);
      report.result_lines.push_back(result);
      bool ok = true;
      simdjson::dom::element root;
      if (parser.parse(result).get(root) != simdjson::SUCCESS) {
        report.failures.push_back({ex.name, req.name, req.span, "the result is not valid JSON: " + result});
        ok = false;
      }
      for (const Expectation& e : req.expectations) {
        if (!ok) break;
        simdjson::dom::element got;
        simdjson::dom::element want;
        std::string dotted;
        for (const auto& p : e.path) dotted += (dotted.empty() ? "" : ".") + p;
        if (!find_path(root, e.path, got)) {
          report.failures.push_back({ex.name, req.name, e.span, fmt::format("{}: expected {}, but the result has no such field: {}", dotted, e.expected_json, result)});
          ok = false;
          continue;
        }
        if (expected_parser.parse(e.expected_json).get(want) != simdjson::SUCCESS || !same(got, want)) {
          // Amounts as results write them (two decimals), not as a double prints.
          const std::string shown = got.is_number() ? fmt::format("{:.2f}", got.get_double().value()) : simdjson::minify(got);
          report.failures.push_back({ex.name, req.name, e.span, fmt::format("{}: expected {}, got {}", dotted, e.expected_json, shown)});
          ok = false;
        }
      }
      ok ? ++report.passed : ++report.failed;
    }
  }
  return report;
}

std::string examples_path_for(const std::string& policy_path) {
  const auto dot = policy_path.rfind(".yb");
  if (dot == std::string::npos || dot + 3 != policy_path.size()) return policy_path + ".test.yb";
  return policy_path.substr(0, dot) + ".test.yb";
}

}  // namespace yibao::compiler
