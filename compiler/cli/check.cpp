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
  // The listing: text on stdout, or, with --diagnostics json, `info`
  // diagnostics in the one JSON document (so that it stays one document).
  std::string listing;
  const bool json = context.format == DiagnosticsFormat::json;
  for (const std::string& path : options.files) {
    const auto program = compiler::compile_policy(sources, path, {}, diagnostics);
    if (!program || !options.list_unspecified) continue;
    const auto unspecified = compiler::list_unspecified(*program);
    if (!json) listing += fmt::format("{}: {} unspecified\n", program->policy_id, unspecified.size());
    for (const auto& u : unspecified) {
      const std::string file = u.loc.file >= 0 ? program->files[static_cast<size_t>(u.loc.file)] : "";
      if (!json) {
        listing += fmt::format("  {}:{}: {}  \"{}\"\n", file, u.loc.line, u.name, u.words);
        continue;
      }
      Span at;
      for (uint32_t f = 0; f < sources.file_count(); ++f)
        if (sources.path(FileId{f}) == file) {
          const uint32_t start = sources.file(FileId{f}).line_start(static_cast<uint32_t>(u.loc.line));
          at = Span{FileId{f}, start, start};
        }
      diagnostics.report(DiagnosticCode::unspecified_value, at,
                         fmt::format("{} leaves `{}` unspecified: \"{}\"", program->policy_id, u.name, u.words));
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

namespace {
const Registration registered{{"check", "check policies and report errors and warnings", setup_check}, 10};
}  // namespace

}  // namespace yibao::cli
