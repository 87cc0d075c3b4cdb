// `yibao explain POLICY REQUEST`: settles one request with its explanation
// and prints the derivation tree for people (compiler/explain.h): each
// section's answer, then every rule computed, nested under the rule that
// needed it, with its value, source line and the inputs it read.
//
// REQUEST is a file holding one JSON request, laid out in any way (as people
// write it), or a JSON Lines file with --line N. `-` reads stdin.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simdjson.h>
#include <unistd.h>

#include "compiler/cli/command.h"
#include "compiler/compile.h"
#include "compiler/explain.h"
#include "yibao/line_reader.h"
#include "yibao/rule_set_file.h"
#include "yibao/settle.h"

namespace yibao::cli {

namespace {

struct ExplainOptions {
  std::string policy;
  std::string request;
  uint64_t line = 0;  // 0: the file is one request
  std::string ledger_in;
  bool json = false;
  bool no_source = false;
};

Expected<std::string> read_all(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  std::FILE* in = stdin;
  if (path != "-") {
    file.reset(std::fopen(path.c_str(), "rb"));
    if (!file) return Error{path + ": " + std::strerror(errno)};
    in = file.get();
  }
  std::string text;
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, in)) > 0;) text.append(buffer, n);
  if (std::ferror(in)) return Error{path + ": read error"};
  return text;
}

// The request as one line, the way `yibao eval` reads it. A whole file that
// is one JSON document is minified; a file of several lines needs --line;
// anything else goes to the settler as it is, which says what is wrong with
// it (as bad_input, like eval would).
Expected<std::string> request_line(const std::string& text, const ExplainOptions& options) {
  if (options.line > 0) {
    // Line N of a JSON Lines file: lines end with '\n' (the last may not).
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at < text.size();) {
      const auto newline = text.find('\n', at);
      const std::size_t end = newline == std::string::npos ? text.size() : newline;
      lines.emplace_back(text.data() + at, end - at);
      at = end + 1;
    }
    if (options.line > lines.size()) {
      return Error{options.request + ": has " + std::to_string(lines.size()) + " line" + (lines.size() == 1 ? "" : "s") +
                   ", no line " + std::to_string(options.line)};
    }
    std::string line(lines[options.line - 1]);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(text).get(element) == simdjson::SUCCESS) {
    std::string line(text.size(), '\0');
    std::size_t length = 0;
    if (simdjson::minify(text.data(), text.size(), line.data(), length) == simdjson::SUCCESS) {
      line.resize(length);
      return line;
    }
  }
  std::size_t lines = 0;
  for (std::size_t at = 0; at < text.size();) {
    const auto newline = text.find('\n', at);
    const std::size_t end = newline == std::string::npos ? text.size() : newline;
    if (text.find_first_not_of(" \t\r", at) < end) ++lines;
    at = end + 1;
  }
  if (lines > 1) {
    return Error{options.request + ": holds " + std::to_string(lines) +
                 " lines, not one JSON request; pick a line of a JSON Lines file with --line N"};
  }
  std::string line = text;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

int explain(const ExplainOptions& options, const Context& context) {
  SourceManager sources;
  const std::optional<ir::Program> program = load_policy(options.policy, context, sources);  // source lines for a .ybc only if compiled with -g
  if (!program) return exit_errors;

  const auto text = read_all(options.request);
  if (!text) return report_error(context, text.error());
  const auto line = request_line(*text, options);
  if (!line) return report_error(context, line.error());

  LedgerStore ledgers(program->policy_id, ledger_slot_names(*program));
  if (!options.ledger_in.empty()) {
    if (const Status s = ledgers.load_file(options.ledger_in); !s.ok())
      return report_error(context, options.ledger_in + ": " + s.error());
  }
  SettleOptions settle_options;
  settle_options.explain = true;
  auto settler = Settler::create(*program, ledgers, settle_options);
  if (!settler) return report_error(context, settler.error());
  const std::string padded = *line + std::string(kReadPadding, ' ');
  std::string result;
  settler->settle_line(std::string_view(padded.data(), line->size()), options.line > 0 ? options.line : 1, result);

  if (options.json) {
    std::fwrite(result.data(), 1, result.size(), context.out);
    return exit_ok;
  }
  compiler::ExplainRenderOptions render;
  render.source_lines = !options.no_source;
  render.color = context.color && isatty(fileno(context.out)) != 0;  // the tree goes to stdout
  const auto tree = compiler::render_explanation(result, sources, render);
  if (!tree) return report_error(context, "cannot draw the explanation: " + tree.error());
  std::fwrite(tree->data(), 1, tree->size(), context.out);
  return exit_ok;
}

Run setup_explain(CLI::App& app) {
  auto options = std::make_shared<ExplainOptions>();
  app.add_option("POLICY", options->policy, "the policy (.yb, or compiled .ybc)")->required();
  app.add_option("REQUEST", options->request, "a file with one JSON request (any layout), or - for stdin")
      ->required();
  app.add_option("--line", options->line, "take line N of a JSON Lines file")->check(CLI::PositiveNumber);
  app.add_option("--ledger-in", options->ledger_in, "ledgers saved by `yibao eval --ledger-out` to start from");
  app.add_flag("--json", options->json, "print the result line with its explain array (as eval --explain)");
  app.add_flag("--no-source", options->no_source, "do not print each rule's source line");
  return [options](const Context& context) { return explain(*options, context); };
}

const Registration registered{{"explain", "show how a request was settled: the rules, values and inputs", setup_explain}, 35};

}  // namespace

}  // namespace yibao::cli
