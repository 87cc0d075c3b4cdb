// The `yibao` executable: parses the command line with CLI11 and runs one
// subcommand from the registry (command.h). Exit status: 0 success, 1 errors
// found, 2 usage error.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "compiler/cli/command.h"
#include "yibao/nearest.h"

#ifndef YIBAO_VERSION
#error "YIBAO_VERSION is set by compiler/cli/CMakeLists.txt"
#endif

namespace {

using namespace yibao::cli;

struct GlobalOptions {
  std::string diagnostics = "text";
  std::string color = "auto";
  uint32_t max_errors = yibao::Diagnostics::default_max_errors;
};

// `--color auto`: color when `stream` is a terminal, unless NO_COLOR is set
// (https://no-color.org) or TERM is "dumb".
bool use_color(const std::string& mode, std::FILE* stream) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return isatty(fileno(stream)) != 0;
}

// Prints a command-line mistake in the style of our diagnostics.
void usage_error(const CLI::App& app, const CLI::ParseError& e) {
  std::vector<std::string_view> names;
  for (const Command& command : commands()) names.push_back(command.name);
  const CLI::App* sub = nullptr;
  for (const CLI::App* s : app.get_subcommands()) sub = s;
  const std::vector<std::string> rest = app.remaining();
  if (sub == nullptr && !rest.empty() && !rest.front().starts_with('-')) {
    fmt::print(stderr, "error: unknown subcommand `{}`\n", rest.front());
    if (const auto near = yibao::nearest(rest.front(), names)) {
      fmt::print(stderr, "help: did you mean `{}`?\n", *near);
    }
  } else {
    std::string message = e.what();
    // CLI11 capitalises its messages; ours start lowercase (but keep "FILE").
    const auto upper = [&](std::size_t i) { return i < message.size() && message[i] >= 'A' && message[i] <= 'Z'; };
    if (upper(0) && !upper(1)) message[0] = static_cast<char>(message[0] - 'A' + 'a');
    fmt::print(stderr, "error: {}\n", message);
  }
  fmt::print(stderr, "help: run `yibao{}{} --help` for usage\n", sub ? " " : "", sub ? sub->get_name() : "");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"yibao: a rules language and compiler for urban-rural resident medical insurance policies",
               "yibao"};
  app.set_version_flag("--version", "yibao " YIBAO_VERSION);
  app.require_subcommand(1);

  GlobalOptions global;
  app.add_option("--diagnostics", global.diagnostics, "how to print diagnostics: text or json (on stdout)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--color", global.color, "color in text diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.add_option("--max-errors", global.max_errors, "stop reporting after this many errors (0: no limit)")
      ->capture_default_str();

  // Each subcommand declares its options; the returned Run executes it.
  std::vector<std::pair<CLI::App*, Run>> subcommands;
  for (const Command& command : commands()) {
    CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.summary));
    sub->fallthrough();  // the global options may also follow the subcommand
    subcommands.emplace_back(sub, command.setup(*sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    usage_error(app, e);
    return exit_usage;
  }

  Context context;
  context.format = global.diagnostics == "json" ? DiagnosticsFormat::json : DiagnosticsFormat::text;
  context.color = use_color(global.color, context.err);
  context.max_errors = global.max_errors;

  for (const auto& [sub, run] : subcommands) {
    if (sub->parsed()) return run(context);
  }
  return exit_usage;  // unreachable: a subcommand is required
}
