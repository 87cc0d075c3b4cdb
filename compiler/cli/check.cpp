// `yibao check FILE...`: reads policies, parses and checks them, and reports
// errors and warnings without evaluating anything.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/cli/command.h"
#include "compiler/compile.h"

namespace yibao::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> files;
  bool list_unspecified = false;
};

int check(const CheckOptions& options, const Context& context) {
  SourceManager sources;
  Diagnostics diagnostics(context.max_errors);
  std::string listing;
  for (const std::string& path : options.files) {
    const auto program = compiler::compile_policy(sources, path, {}, diagnostics);
    if (!program || !options.list_unspecified) continue;
    listing += fmt::format("{}: {} unspecified\n", program->policy_id, compiler::list_unspecified(*program).size());
    for (const auto& u : compiler::list_unspecified(*program)) {
      const std::string where = u.loc.file >= 0 ? fmt::format("{}:{}", program->files[static_cast<size_t>(u.loc.file)], u.loc.line) : "";
      listing += fmt::format("  {}: {}  \"{}\"\n", where, u.name, u.words);
    }
  }
  emit_diagnostics(context, diagnostics, sources);
  if (!listing.empty()) std::fputs(listing.c_str(), context.out);
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
