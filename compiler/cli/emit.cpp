// Printing diagnostics in the format the command line asked for.
#include <string>

#include "compiler/cli/command.h"
#include "lang/diagnostics_render.h"

namespace yibao::cli {

void emit_diagnostics(const Context& context, const Diagnostics& diagnostics, const SourceManager& sources) {
  if (context.format == DiagnosticsFormat::json) {
    const std::string json = render_json(diagnostics, sources);
    std::fwrite(json.data(), 1, json.size(), context.out);
    return;
  }
  const std::string text = render_text(diagnostics, sources, RenderOptions{.color = context.color});
  std::fwrite(text.data(), 1, text.size(), context.err);
}

int report_error(const Context& context, const std::string& message) {
  std::fprintf(context.err, "error: %s\n", message.c_str());
  return exit_errors;
}

void report_warning(const Context& context, const std::string& message) {
  std::fprintf(context.err, "warning: %s\n", message.c_str());
}

}  // namespace yibao::cli
