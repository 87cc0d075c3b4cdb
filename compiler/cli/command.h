// The `yibao` command line: what every subcommand gets, and the registry of
// subcommands. The CLI only wires options to library calls (lang/, compiler/,
// runtime/); all the work happens in the libraries.
//
// Adding a subcommand `foo`: compiler/cli/foo.cpp defines a function that
// declares foo's options and arguments on a CLI::App and returns the function
// that runs foo once the command line is parsed, and registers it with one
// line at namespace scope (see check.cpp):
//
//   const Registration registered{{"foo", "one line for --help", setup_foo}, 40};
//
// Sources in this folder are globbed into the executable itself (not a
// library, whose unreferenced objects the linker would drop), so there is no
// other file to touch: subcommands are written side by side without edits to
// a shared table.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <span>
#include <string_view>

#include <CLI/CLI.hpp>

#include "lang/diagnostics.h"
#include "lang/source.h"
#include "yibao/ir.h"

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

// Prints "error: <message>" to the context's error stream; returns
// exit_errors, so that a subcommand can `return report_error(...)`.
int report_error(const Context& context, const std::string& message);
// "warning: <message>" on stderr; the command goes on.
void report_warning(const Context& context, const std::string& message);

// The program of a POLICY argument: a compiled rule set (.ybc, by its magic
// number) or a source (.yb) checked and lowered into `sources`, constants
// folded unless `fold` is false (a compiled rule set is always folded). On
// failure the errors are printed as the context asks and nothing is
// returned; warnings are printed too.
std::optional<ir::Program> load_policy(const std::string& path, const Context& context, SourceManager& sources,
                                       bool fold = true);

// Runs a subcommand after parsing; returns its exit status.
using Run = std::function<int(const Context&)>;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `yibao --help`
  Run (*setup)(CLI::App& app);
};

// Every registered subcommand, in the order `yibao --help` lists them: by
// rank, then name. Valid once main() runs (registration happens during
// static initialisation).
[[nodiscard]] std::span<const Command> commands();

// Registers a subcommand; `rank` places it in --help (pipeline order:
// check 10, ir 20, compile 25, eval 30, explain 35, test 40, then the
// analysts' tools fmt 50, diff 60, doc 70).
struct Registration {
  Registration(Command command, int rank);
};

}  // namespace yibao::cli
