// Loading the POLICY argument of a subcommand: a compiled rule set
// (`yibao compile`, recognised by its magic number, whatever its name) or a
// policy source, checked and lowered.
#include <cstdio>

#include "compiler/cli/command.h"
#include "compiler/compile.h"
#include "yibao/rule_set_file.h"

namespace yibao::cli {

std::optional<ir::Program> load_policy(const std::string& path, const Context& context, SourceManager& sources,
                                       bool fold) {
  if (is_rule_set_file(path)) {
    auto loaded = read_rule_set_file(path);
    if (!loaded) {
      report_error(context, loaded.error());
      return std::nullopt;
    }
    return std::move(*loaded);
  }
  Diagnostics diagnostics(context.max_errors);
  compiler::CompileOptions options;
  options.fold = fold;
  auto program = compiler::compile_policy(sources, path, options, diagnostics);
  if (diagnostics.error_count() + diagnostics.warning_count() > 0) emit_diagnostics(context, diagnostics, sources);
  return program;
}

}  // namespace yibao::cli
