// The `yibao` command line: what every subcommand gets, and the registry of
// subcommands. The CLI only wires options to library calls (lang/, compiler/,
// runtime/); all the work happens in the libraries.
//
// Adding a subcommand `foo`:
//   1. compiler/cli/foo.cpp defines `Run setup_foo(CLI::App& app)`, which
//      declares foo's options and arguments on `app` and returns the function
//      that runs foo once the command line is parsed (see check.cpp);
//   2. declare setup_foo below and add one line to the table in commands.cpp.
// Sources in this folder are globbed, so there is no CMake line to add.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <string_view>

#include <CLI/CLI.hpp>

#include "lang/diagnostics.h"
#include "lang/source.h"

namespace yibao::cli {

// Exit statuses of every subcommand.
inline constexpr int exit_ok = 0;      // success, no errors (warnings allowed)
inline constexpr int exit_errors = 1;  // the input has errors (or a run failed)
inline constexpr int exit_usage = 2;   // the command line itself is wrong

enum class DiagnosticsFormat { text, json };

// Options shared by all subcommands, resolved once the command line is parsed.
struct Context {
  DiagnosticsFormat format = DiagnosticsFormat::text;
  bool color = false;  // ANSI color in text diagnostics
  uint32_t max_errors = Diagnostics::default_max_errors;
  std::FILE* out = stdout;  // results, and JSON diagnostics
  std::FILE* err = stderr;  // text diagnostics
};

// Prints `diagnostics` as the context asks: text (sorted, with the summary
// line) to `err`, or one JSON document to `out`.
void emit_diagnostics(const Context& context, const Diagnostics& diagnostics, const SourceManager& sources);

// Runs a subcommand after parsing; returns its exit status.
using Run = std::function<int(const Context&)>;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `yibao --help`
  Run (*setup)(CLI::App& app);
};

// Every subcommand, in the order `yibao --help` lists them.
[[nodiscard]] std::span<const Command> commands();

Run setup_check(CLI::App& app);
Run setup_ir(CLI::App& app);
Run setup_eval(CLI::App& app);
Run setup_test(CLI::App& app);

}  // namespace yibao::cli
