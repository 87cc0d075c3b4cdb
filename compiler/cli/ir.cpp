// `yibao ir POLICY`: prints the policy's IR (after checking and folding) as
// the stable text of compiler/ir_print.h.
#include <memory>
#include <optional>
#include <string>

#include "compiler/cli/command.h"
#include "compiler/compile.h"
#include "compiler/ir_print.h"
#include "yibao/rule_set_file.h"

namespace yibao::cli {

namespace {

struct IrOptions {
  std::string file;
  bool no_fold = false;
};

int ir(const IrOptions& options, const Context& context) {
  std::optional<ir::Program> program;
  if (is_rule_set_file(options.file)) {  // compiled (`yibao compile`): always folded
    auto loaded = read_rule_set_file(options.file);
    if (!loaded) {
      std::fprintf(context.err, "error: %s\n", loaded.error().c_str());
      return exit_errors;
    }
    program = std::move(*loaded);
  } else {
    SourceManager sources;
    Diagnostics diagnostics(context.max_errors);
    compiler::CompileOptions compile_options;
    compile_options.fold = !options.no_fold;
    program = compiler::compile_policy(sources, options.file, compile_options, diagnostics);
    emit_diagnostics(context, diagnostics, sources);
    if (!program) return exit_errors;
  }
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
