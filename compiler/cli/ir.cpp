// `yibao ir POLICY`: prints the policy's IR (after checking and folding) as
// the stable text of compiler/ir_print.h.
#include <memory>
#include <optional>
#include <string>

#include "compiler/cli/command.h"
#include "compiler/ir_print.h"

namespace yibao::cli {

namespace {

struct IrOptions {
  std::string file;
  bool no_fold = false;
};

int ir(const IrOptions& options, const Context& context) {
  SourceManager sources;
  const std::optional<ir::Program> program = load_policy(options.file, context, sources, !options.no_fold);
  if (!program) return exit_errors;
  const std::string text = compiler::print_program(*program);
  std::fwrite(text.data(), 1, text.size(), context.out);
  return exit_ok;
}

}  // namespace

Run setup_ir(CLI::App& app) {
  auto options = std::make_shared<IrOptions>();
  app.add_option("POLICY", options->file, "the policy (.yb, or compiled .ybc) to print")->required();
  app.add_flag("--no-fold", options->no_fold, "print the IR before constant folding");
  return [options](const Context& context) { return ir(*options, context); };
}

namespace {
const Registration registered{{"ir", "print a policy's intermediate representation", setup_ir}, 20};
}  // namespace

}  // namespace yibao::cli
