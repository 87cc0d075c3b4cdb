// `yibao compile POLICY.yb [-o POLICY.ybc] [-g]`: checks a policy and writes
// its compiled rule set (runtime/include/yibao/rule_set_file.h,
// docs/rule-set-format.md), which `yibao eval` and embedders load without
// the parser. The input may also be a compiled rule set (recognised by its
// magic number, whatever its name): it is loaded, validated and written
// again, e.g. to drop or keep its line table.
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "compiler/cli/command.h"
#include "compiler/compile.h"
#include "yibao/rule_set_file.h"

namespace yibao::cli {

namespace {

struct CompileCommandOptions {
  std::string policy;
  std::string output;  // empty: the policy's path with the extension .ybc
  bool debug_info = false;
};

// `dir/2024.yb` -> `dir/2024.ybc`; a path without an extension gets one.
std::string default_output(const std::string& policy) {
  const auto slash = policy.find_last_of('/');
  const auto dot = policy.find_last_of('.');
  const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  const std::string stem = has_extension ? policy.substr(0, dot) : policy;
  return stem + ".ybc";
}

int compile(const CompileCommandOptions& options, const Context& context) {
  const std::string output = options.output.empty() ? default_output(options.policy) : options.output;
  if (output == options.policy) return report_error(context, output + ": the output would overwrite the input");
  SourceManager sources;
  const std::optional<ir::Program> program = load_policy(options.policy, context, sources);
  if (!program) return exit_errors;

  const std::vector<std::uint8_t> bytes = write_rule_set(*program, RuleSetWriteOptions{.debug_info = options.debug_info});
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(output.c_str(), "wb"), &std::fclose);
  if (!out) return report_error(context, output + ": " + std::strerror(errno));
  if (std::fwrite(bytes.data(), 1, bytes.size(), out.get()) != bytes.size() || std::fflush(out.get()) != 0)
    return report_error(context, output + ": " + std::strerror(errno));
  return exit_ok;
}

}  // namespace

Run setup_compile(CLI::App& app) {
  auto options = std::make_shared<CompileCommandOptions>();
  app.add_option("POLICY", options->policy, "the policy (.yb, or a compiled .ybc to rewrite)")->required();
  app.add_option("-o,--output", options->output, "the compiled rule set to write (default: POLICY with .ybc)");
  app.add_flag("-g,--debug-info", options->debug_info,
               "keep source files and lines, for explain traces (the bytes then change when the source is reformatted)");
  return [options](const Context& context) { return compile(*options, context); };
}

namespace {
const Registration registered{{"compile", "compile a policy into a rule set (.ybc) that eval and embedders load", setup_compile}, 25};
}  // namespace

}  // namespace yibao::cli
