// `yibao test [POLICY...]`: runs each policy's worked examples
// (`<year>.test.yb` beside `<year>.yb`) and prints, per policy, how many
// passed. Without arguments: every policy under ./policies. With
// --coverage, also which rules and table cells the examples exercise and
// which none does (compiler/coverage.h); --format json writes one JSON
// object per policy instead (failures then go to stderr).
#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "compiler/cli/command.h"
#include "compiler/compile.h"
#include "compiler/coverage.h"
#include "compiler/examples.h"
#include "lang/parser.h"

namespace yibao::cli {

namespace {

namespace fs = std::filesystem;

struct TestOptions {
  std::vector<std::string> policies;
  bool verbose = false;
  bool coverage = false;
  std::string format = "text";
};

std::vector<std::string> all_policies() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& region : fs::directory_iterator("policies", ec)) {
    if (!region.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(region.path(), ec)) {
      const std::string p = f.path().string();
      if (p.size() > 3 && p.ends_with(".yb") && !p.ends_with(".test.yb")) out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

int test(const TestOptions& options, const Context& context) {
  const std::vector<std::string> policies = options.policies.empty() ? all_policies() : options.policies;
  if (policies.empty()) {
    std::fprintf(context.err, "error: no policies given and none found under ./policies\n");
    return exit_usage;
  }
  const bool json = options.format == "json";
  std::FILE* report_out = json ? context.err : context.out;  // failures and per-policy lines
  int total_passed = 0, total_failed = 0;
  bool errors = false;
  for (const std::string& path : policies) {
    SourceManager sources;
    Diagnostics diagnostics(context.max_errors);
    const auto program = compiler::compile_policy(sources, path, {}, diagnostics);
    const std::string examples_path = compiler::examples_path_for(path);
    std::vector<compiler::Example> examples;
    if (program && fs::exists(examples_path)) {
      if (const auto file = load_source(sources, examples_path, diagnostics)) {
        const ParseResult parsed = parse(sources, *file, diagnostics);
        if (!diagnostics.has_errors()) examples = compiler::lower_examples(*parsed.file, *program, sources, diagnostics);
      }
    }
    if (diagnostics.error_count() + diagnostics.warning_count() > 0) emit_diagnostics(context, diagnostics, sources);
    if (!program || diagnostics.has_errors()) {
      std::fprintf(report_out, "%s: not tested (errors)\n", path.c_str());
      errors = true;
      continue;
    }
    const compiler::ExampleReport report = compiler::run_examples(*program, examples);
    for (const auto& f : report.failures) {
      std::string where;
      if (f.span.has_location()) {
        const LineCol lc = sources.line_col(f.span.file, f.span.begin);
        where = std::string(sources.path(f.span.file)) + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": ";
      }
      std::fprintf(report_out, "%sFAILED example \"%s\"%s%s: %s\n", where.c_str(), f.example.c_str(),
                   f.request.empty() || f.request == f.example ? "" : ", request \"", 
                   f.request.empty() || f.request == f.example ? "" : (f.request + "\"").c_str(), f.message.c_str());
    }
    if (options.verbose)
      for (const auto& line : report.result_lines) std::fputs(line.c_str(), report_out);
    std::string coverage;
    if (options.coverage) {
      // Coverage needs every rule computed at run time: the program unfolded.
      compiler::CompileOptions unfolded;
      unfolded.fold = false;
      Diagnostics again(context.max_errors);
      const auto walked = compiler::compile_policy(sources, path, unfolded, again);
      const auto measured = walked ? compiler::measure_coverage(*walked, examples)
                                   : Expected<compiler::Coverage>(Error{"cannot compile without folding"});
      if (!measured) {
        std::fprintf(context.err, "%s: no coverage: %s\n", path.c_str(), measured.error().c_str());
        errors = true;
      } else {
        coverage = json ? compiler::render_coverage_json(*measured) : compiler::render_coverage_text(*measured);
        if (json) coverage.pop_back();  // the newline: the object is nested below
      }
    }
    if (json) {
      std::fprintf(context.out, "{\"policy\": \"%s\", \"passed\": %d, \"failed\": %d%s%s}\n", program->policy_id.c_str(),
                   report.passed, report.failed, options.coverage ? ", \"coverage\": " : "",
                   options.coverage ? (coverage.empty() ? "null" : coverage.c_str()) : "");
    } else {
      std::fprintf(context.out, "%s: %d passed, %d failed%s\n", program->policy_id.c_str(), report.passed, report.failed,
                   examples.empty() ? " (no examples)" : "");
      std::fputs(coverage.c_str(), context.out);
    }
    total_passed += report.passed;
    total_failed += report.failed;
  }
  std::fprintf(report_out, "total: %d passed, %d failed\n", total_passed, total_failed);
  return errors || total_failed > 0 ? exit_errors : exit_ok;
}

}  // namespace

Run setup_test(CLI::App& app) {
  auto options = std::make_shared<TestOptions>();
  app.add_option("POLICY", options->policies, "policies (.yb) whose examples to run (default: all under ./policies)");
  app.add_flag("-v,--verbose", options->verbose, "print every result line too");
  app.add_flag("--coverage", options->coverage,
               "also report which rules and table cells the examples exercise, and list those none does");
  app.add_option("--format", options->format, "text, or json: one JSON object per policy on stdout")
      ->check(CLI::IsMember({"text", "json"}));
  return [options](const Context& context) { return test(*options, context); };
}

namespace {
const Registration registered{{"test", "run the policies' worked examples", setup_test}, 40};
}  // namespace

}  // namespace yibao::cli
