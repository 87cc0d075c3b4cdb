// `yibao check FILE...`: reads policies, parses and checks them, and reports
// errors and warnings without evaluating anything.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/cli/command.h"

namespace yibao::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> files;
  bool list_unspecified = false;
};

int check(const CheckOptions& options, const Context& context) {
  SourceManager sources;
  Diagnostics diagnostics(context.max_errors);
  for (const std::string& path : options.files) {
    const std::optional<FileId> file = load_source(sources, path, diagnostics);
    if (!file) continue;
    // The pipeline grows here, one library call per stage, all reporting
    // into `diagnostics`, each stage skipped once an earlier one has errors:
    //   TODO(parser):  auto module = parse(sources, *file, diagnostics);
    //   TODO(checker): auto checked = compiler::check(module, diagnostics,
    //                      {.list_unspecified = options.list_unspecified});
  }
  emit_diagnostics(context, diagnostics, sources);
  return diagnostics.has_errors() ? exit_errors : exit_ok;
}

}  // namespace

Run setup_check(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  app.add_option("FILE", options->files, "policy files (.yb) to check")->required();
  app.add_flag("--list-unspecified", options->list_unspecified,
               "list every value the policies leave unspecified, with the source's words");
  return [options](const Context& context) { return check(*options, context); };
}

}  // namespace yibao::cli
