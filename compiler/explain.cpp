// The derivation tree of `yibao explain`: a result line read back into a
// small model (sections, steps, inputs), then drawn as text. See explain.h.
#include "compiler/explain.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>

namespace yibao::compiler {

namespace {

namespace od = simdjson::ondemand;

// ---- the result, read back ------------------------------------------------

struct Entry {  // `key = value` of a section, or one input
  std::string key;
  std::string value;
};

struct Step {
  std::string rule;
  std::string at;  // path:line, empty when the rule set carries no lines
  std::string value;
  std::string error;  // unspecified / overflow, empty when the rule succeeded
  uint32_t depth = 0;
  std::vector<Entry> inputs;
};

struct Section {
  std::string name;
  std::vector<Entry> entries;
};

struct Explained {
  std::string id;
  std::string policy;
  std::optional<Entry> refused;  // bad_input: code and message
  std::vector<Section> sections;
  std::vector<Step> steps;
};

using Failure = std::optional<std::string>;

// A scalar as people read it: strings unquoted (dates, members, reasons),
// numbers and literals as written; arrays and objects as their JSON text.
std::string text_of(od::value value) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return "?";
  if (type == od::json_type::string) {
    std::string_view s;
    if (value.get_string().get(s) == simdjson::SUCCESS) return std::string(s);
    return "?";
  }
  std::string_view raw;
  if (type == od::json_type::array) {
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS || array.raw_json().get(raw) != simdjson::SUCCESS) return "?";
  } else if (type == od::json_type::object) {
    od::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS || object.raw_json().get(raw) != simdjson::SUCCESS)
      return "?";
  } else {
    raw = value.raw_json_token();
  }
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
    raw.remove_suffix(1);
  return std::string(raw);
}

// A section: its fields, a reason, or an error object (code, message, name).
Failure read_section(od::object object, Section& out) {
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return "a section key is not a string";
    od::value value = field.value();
    if (key == "error") {
      od::object error;
      if (value.get_object().get(error) != simdjson::SUCCESS) return "a section error is not an object";
      std::string code, message;
      for (auto e : error) {
        std::string_view k;
        if (e.unescaped_key().get(k) != simdjson::SUCCESS) return "an error key is not a string";
        if (k == "code") code = text_of(e.value());
        else if (k == "message") message = text_of(e.value());
      }
      out.entries.push_back({"error " + code, message});
      continue;
    }
    out.entries.push_back({std::string(key), text_of(value)});
  }
  return std::nullopt;
}

// One input: {"<kind>": <what>, "value": ..., "keys": [...]} (semantics.md).
Failure read_input(od::object object, Entry& out) {
  std::string keys;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return "an input key is not a string";
    if (key == "value") {
      out.value = text_of(field.value());
    } else if (key == "keys") {
      od::array array;
      if (field.value().get_array().get(array) != simdjson::SUCCESS) return "input keys are not an array";
      for (auto k : array) {
        od::value v;
        if (k.get(v) != simdjson::SUCCESS) return "an input key is not JSON";
        keys += keys.empty() ? "" : ", ";
        keys += text_of(v);
      }
    } else {
      // Named as people read the policy: a field, rule or parameter by its
      // name; a presence test, a record and a ledger slot said so.
      const std::string what = text_of(field.value());
      if (key == "present") out.key = what + " given";
      else if (key == "record") out.key = what + " given";
      else if (key == "ledger") out.key = "ledger " + what;
      else out.key = what;  // field, rule, param, table
    }
  }
  if (!keys.empty()) out.key += "[" + keys + "]";
  return std::nullopt;
}

Failure read_step(od::object object, Step& out) {
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return "an explain key is not a string";
    od::value value = field.value();
    if (key == "rule") {
      out.rule = text_of(value);
    } else if (key == "at") {
      out.at = text_of(value);
    } else if (key == "depth") {
      uint64_t depth = 0;
      if (value.get_uint64().get(depth) != simdjson::SUCCESS || depth > 100000) return "an explain depth is not a count";
      out.depth = static_cast<uint32_t>(depth);
    } else if (key == "value") {
      out.value = text_of(value);
    } else if (key == "error") {
      out.error = text_of(value);
    } else if (key == "inputs") {
      od::array inputs;
      if (value.get_array().get(inputs) != simdjson::SUCCESS) return "explain inputs are not an array";
      for (auto input : inputs) {
        od::object o;
        if (input.get_object().get(o) != simdjson::SUCCESS) return "an explain input is not an object";
        Entry entry;
        if (auto failure = read_input(o, entry)) return failure;
        out.inputs.push_back(std::move(entry));
      }
    }
  }
  return std::nullopt;
}

Failure read_result(od::object object, Explained& out) {
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return "a key is not a string";
    od::value value = field.value();
    if (key == "id") {
      out.id = text_of(value);
    } else if (key == "policy") {
      out.policy = text_of(value);
    } else if (key == "error") {  // the whole request refused
      od::object error;
      if (value.get_object().get(error) != simdjson::SUCCESS) return "the error is not an object";
      Entry refused;
      for (auto e : error) {
        std::string_view k;
        if (e.unescaped_key().get(k) != simdjson::SUCCESS) return "an error key is not a string";
        if (k == "code") refused.key = text_of(e.value());
        else if (k == "message") refused.value = text_of(e.value());
      }
      out.refused = std::move(refused);
    } else if (key == "explain") {
      od::array steps;
      if (value.get_array().get(steps) != simdjson::SUCCESS) return "explain is not an array";
      for (auto s : steps) {
        od::object o;
        if (s.get_object().get(o) != simdjson::SUCCESS) return "an explain step is not an object";
        Step step;
        if (auto failure = read_step(o, step)) return failure;
        out.steps.push_back(std::move(step));
      }
    } else {
      Section section;
      section.name = std::string(key);
      od::object o;
      if (value.get_object().get(o) != simdjson::SUCCESS) return "section `" + section.name + "` is not an object";
      if (auto failure = read_section(o, section)) return failure;
      out.sections.push_back(std::move(section));
    }
  }
  return std::nullopt;
}

// ---- drawing ---------------------------------------------------------------

struct Style {
  bool color;
  std::string strong(std::string_view s) const { return color ? "\x1b[1m" + std::string(s) + "\x1b[0m" : std::string(s); }
  std::string dim(std::string_view s) const { return color ? "\x1b[2m" + std::string(s) + "\x1b[0m" : std::string(s); }
  std::string bad(std::string_view s) const { return color ? "\x1b[31m" + std::string(s) + "\x1b[0m" : std::string(s); }
};

// The source of the declaration at `path:line` in `sources`: its line,
// and when that line ends in `=` or `{` (a body below), the more indented
// lines after it, up to kExcerptLines; trimmed and joined with newlines.
// Empty when the file is not there. Paths match as written, or by their
// end (a policy named by an absolute path).
constexpr uint32_t kExcerptLines = 4;

std::size_t indent_of(std::string_view text) { return text.find_first_not_of(" \t") == std::string_view::npos ? text.size() : text.find_first_not_of(" \t"); }

std::string_view trimmed(std::string_view text) {
  text.remove_prefix(indent_of(text));
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::vector<std::string> source_excerpt(const SourceManager& sources, std::string_view at) {
  const auto colon = at.rfind(':');
  if (colon == std::string_view::npos) return {};
  const std::string_view path = at.substr(0, colon);
  uint32_t line = 0;
  for (char c : at.substr(colon + 1)) {
    if (c < '0' || c > '9' || line > 100000000) return {};
    line = line * 10 + static_cast<uint32_t>(c - '0');
  }
  const auto ends_with_dir = [](std::string_view longer, std::string_view shorter) {
    return longer.size() > shorter.size() && longer.ends_with(shorter) && longer[longer.size() - shorter.size() - 1] == '/';
  };
  for (std::size_t i = 0; i < sources.file_count(); ++i) {
    const SourceFile& file = sources.file(FileId{static_cast<uint32_t>(i)});
    const std::string_view p = file.path();
    if (!(p == path || ends_with_dir(p, path) || ends_with_dir(path, p))) continue;
    if (line == 0 || line > file.line_count()) return {};
    const std::string_view head = file.line_text(line);
    std::vector<std::string> out{std::string(trimmed(head))};
    if (!(out[0].ends_with("=") || out[0].ends_with("{"))) return out;
    for (uint32_t l = line + 1; l <= file.line_count(); ++l) {
      const std::string_view text = file.line_text(l);
      if (trimmed(text).empty() || indent_of(text) <= indent_of(head)) break;
      if (out.size() == kExcerptLines) {
        out.back() += " …";
        break;
      }
      out.emplace_back(std::string(indent_of(text) - indent_of(head), ' ') + std::string(trimmed(text)));
    }
    return out;
  }
  return {};
}

std::string join(const std::vector<Entry>& entries, std::string_view separator, const Style& style) {
  std::string out;
  for (const Entry& e : entries) {
    if (!out.empty()) out += separator;
    // A section's error reads `error unspecified: message`.
    out += e.key + (e.key.starts_with("error ") ? ": " : " = ") + style.strong(e.value);
  }
  return out;
}

// Whether step `i` is the last child of its parent: no later step at its
// depth before one shallower than it.
bool last_child(const std::vector<Step>& steps, std::size_t i) {
  for (std::size_t j = i + 1; j < steps.size(); ++j) {
    if (steps[j].depth < steps[i].depth) return true;
    if (steps[j].depth == steps[i].depth) return false;
  }
  return true;
}

void draw_steps(const std::vector<Step>& steps, const SourceManager& sources, const ExplainRenderOptions& options,
                const Style& style, std::string& out) {
  // open[d]: the step now at depth d (d >= 1) has later siblings, so the rows
  // below it draw its vertical line. Top-level rules (depth 0) have no branch.
  std::vector<bool> open(1, false);
  const auto bars = [&](std::size_t upto) {
    std::string s;
    for (std::size_t d = 1; d <= upto; ++d) s += open[d] ? "│   " : "    ";
    return s;
  };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    // A step is at most one deeper than the one before (a child of it).
    const std::size_t depth = std::min<std::size_t>(step.depth, open.size());
    const bool last = last_child(steps, i);
    open.resize(depth + 1);
    if (i > 0 && depth == 0) out += "\n";
    std::string line = bars(depth == 0 ? 0 : depth - 1);
    if (depth > 0) line += last ? "└── " : "├── ";
    line += step.rule + " = ";
    line += step.error.empty() ? style.strong(step.value) : style.bad("error: " + step.error);
    if (!step.at.empty()) line += "   " + style.dim(step.at);
    out += line + "\n";
    open[depth] = depth > 0 && !last;
    // Lines under the step: past its branch, with a bar down to its children.
    const bool has_children = i + 1 < steps.size() && steps[i + 1].depth > step.depth;
    const std::string body = bars(depth) + (has_children ? "│   " : "    ");
    if (options.source_lines && !step.at.empty()) {
      for (const std::string& text : source_excerpt(sources, step.at)) out += body + style.dim(text) + "\n";
    }
    if (!step.inputs.empty()) out += body + "reads " + join(step.inputs, ", ", style) + "\n";
  }
}

}  // namespace

Expected<std::string> render_explanation(std::string_view result_line, const SourceManager& sources,
                                         const ExplainRenderOptions& options) {
  const simdjson::padded_string padded(result_line);
  od::parser parser;
  od::document document;
  if (parser.iterate(padded).get(document) != simdjson::SUCCESS) return Error{"the result is not JSON"};
  od::object object;
  if (document.get_object().get(object) != simdjson::SUCCESS) return Error{"the result is not a JSON object"};
  Explained explained;
  if (auto failure = read_result(object, explained)) return Error{"the result is not readable: " + *failure};

  const Style style{options.color};
  std::string out = "request " + style.strong(explained.id);
  if (!explained.policy.empty()) out += " · " + explained.policy;
  out += "\n";
  if (explained.refused) {
    out += "  " + style.bad(explained.refused->key) + ": " + explained.refused->value + "\n";
    return out;
  }
  std::size_t width = 0;
  for (const Section& s : explained.sections) width = std::max(width, s.name.size());
  for (const Section& s : explained.sections) {
    out += "  " + s.name + std::string(width - s.name.size() + 2, ' ') + join(s.entries, " · ", style) + "\n";
  }
  if (explained.steps.empty()) {
    out += "\n(no explanation in this result)\n";
    return out;
  }
  out += "\nhow each value was made (rule = value, where, what it read):\n";
  draw_steps(explained.steps, sources, options, style, out);
  return out;
}

}  // namespace yibao::compiler
