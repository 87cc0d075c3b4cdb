// `yibao doc POLICY [-o page.html]`: the policy's page for residents, one
// self-contained HTML document (compiler/doc.h), to a file or stdout.
#include <cstdio>
#include <memory>
#include <string>

#include "compiler/cli/command.h"
#include "compiler/doc.h"

namespace yibao::cli {

namespace {

struct DocOptions {
  std::string policy;
  std::string output;  // empty: stdout
};

int doc(const DocOptions& options, const Context& context) {
  SourceManager sources;
  Diagnostics diagnostics(context.max_errors);
  const auto page = compiler::doc::policy_page(sources, options.policy, diagnostics);
  emit_diagnostics(context, diagnostics, sources);
  if (!page) return exit_errors;
  if (options.output.empty()) {
    std::fwrite(page->data(), 1, page->size(), context.out);
    return exit_ok;
  }
  std::FILE* file = std::fopen(options.output.c_str(), "wb");
  const bool written = file && std::fwrite(page->data(), 1, page->size(), file) == page->size();
  const bool closed = file && std::fclose(file) == 0;
  if (!written || !closed) {
    std::fprintf(context.err, "error: cannot write `%s`\n", options.output.c_str());
    return exit_errors;
  }
  return exit_ok;
}

}  // namespace

Run setup_doc(CLI::App& app) {
  auto options = std::make_shared<DocOptions>();
  app.add_option("POLICY", options->policy, "policy file (.yb)")->required();
  app.add_option("-o,--output", options->output, "write the page to this file (default: stdout)");
  return [options](const Context& context) { return doc(*options, context); };
}

namespace {
const Registration registered{{"doc", "write a self-contained HTML page explaining a policy to residents", setup_doc},
                              70};
}  // namespace

}  // namespace yibao::cli
