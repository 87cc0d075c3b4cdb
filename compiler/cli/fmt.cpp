// `yibao fmt FILE...`: the canonical layout of .yb files (lang/format.h,
// docs/fmt.md). Prints the formatted files to stdout; with -i rewrites the
// files that change; with --check names the files that are not formatted
// and exits 1. A file that does not parse is reported and left untouched.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "compiler/cli/command.h"
#include "lang/format.h"

namespace yibao::cli {

namespace {

struct FmtOptions {
  std::vector<std::string> files;
  bool in_place = false;
  bool check = false;
};

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

int format_files(const FmtOptions& options, const Context& context) {
  SourceManager sources;
  Diagnostics diagnostics(context.max_errors);
  std::string output;      // formatted text (default mode)
  std::string unformatted;  // --check: the files that would change
  std::string problems;     // failures that are not diagnostics
  for (const std::string& path : options.files) {
    const uint32_t errors_before = diagnostics.error_count();
    const auto file = load_source(sources, path, diagnostics);
    if (!file || diagnostics.error_count() > errors_before) continue;  // unreadable, or not UTF-8
    const FormatResult result = format_file(sources, *file, diagnostics);
    if (!result.ok) {
      if (!result.internal_error.empty())
        problems += fmt::format("error: cannot format `{}`: {} (a bug in yibao fmt; the file is left as it is)\n",
                                path, result.internal_error);
      continue;
    }
    const bool changed = result.text != sources.text(*file);
    if (options.check) {
      if (changed) unformatted += path + "\n";
    } else if (options.in_place) {
      if (changed && !write_file(path, result.text)) problems += fmt::format("error: cannot write `{}`\n", path);
    } else {
      output += result.text;
    }
  }
  emit_diagnostics(context, diagnostics, sources);
  std::fputs(problems.c_str(), context.err);
  std::fwrite(output.data(), 1, output.size(), context.out);
  std::fputs(unformatted.c_str(), context.out);
  const bool failed = diagnostics.has_errors() || !problems.empty() || !unformatted.empty();
  return failed ? exit_errors : exit_ok;
}

}  // namespace

Run setup_fmt(CLI::App& app) {
  auto options = std::make_shared<FmtOptions>();
  app.add_option("FILE", options->files, "yibao files (.yb) to format")->required();
  auto* in_place = app.add_flag("-i,--in-place", options->in_place, "rewrite the files that are not formatted");
  app.add_flag("--check", options->check,
               "print the names of the files that are not formatted (exit status 1 if any), change nothing")
      ->excludes(in_place);
  return [options](const Context& context) { return format_files(*options, context); };
}

namespace {
const Registration registered{{"fmt", "lay out .yb files in the canonical format", setup_fmt}, 50};
}  // namespace

}  // namespace yibao::cli
