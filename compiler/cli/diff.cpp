// `yibao diff OLD NEW`: the semantic diff of two policies (compiler/diff.h),
// and with --requests, what the change does to those requests
// (compiler/diff_impact.h). Exit statuses follow diff(1): 0 the policies
// are the same, 1 they differ, 2 trouble (a policy has errors, a file
// cannot be read).
#include <cstdio>
#include <memory>
#include <string>

#include "compiler/cli/command.h"
#include "compiler/diff.h"
#include "compiler/diff_impact.h"
#include "compiler/diff_render.h"
#include "yibao/line_reader.h"

namespace yibao::cli {

namespace {

constexpr int diff_same = 0;
constexpr int diff_different = 1;
constexpr int diff_trouble = 2;

struct DiffOptions {
  std::string old_path, new_path;
  std::string requests;
  std::string format = "text";
};

int diff(const DiffOptions& options, const Context& context) {
  SourceManager sources;
  Diagnostics diagnostics(context.max_errors);
  const auto before = compiler::load_diff_side(sources, options.old_path, diagnostics);
  const auto after = before ? compiler::load_diff_side(sources, options.new_path, diagnostics) : std::nullopt;
  if (diagnostics.error_count() + diagnostics.warning_count() > 0) emit_diagnostics(context, diagnostics, sources);
  if (!before || !after) return diff_trouble;

  const compiler::PolicyDiff result = compiler::diff_policies(*before, *after);
  std::optional<compiler::RequestImpact> impact;
  if (!options.requests.empty()) {
    std::FILE* file = std::fopen(options.requests.c_str(), "rb");
    if (file == nullptr) {
      std::fprintf(context.err, "error: cannot read `%s`\n", options.requests.c_str());
      return diff_trouble;
    }
    LineReader lines = LineReader::from_file(file);
    auto measured = compiler::request_impact(before->program, after->program, lines);
    std::fclose(file);
    if (!measured) {
      std::fprintf(context.err, "error: %s: %s\n", options.requests.c_str(), measured.error().c_str());
      return diff_trouble;
    }
    impact = std::move(*measured);
  }
  const std::string text = options.format == "json"
                               ? compiler::render_diff_json(result, impact ? &*impact : nullptr, options.requests)
                               : compiler::render_diff_text(result, impact ? &*impact : nullptr, options.requests);
  std::fwrite(text.data(), 1, text.size(), context.out);
  return result.same() ? diff_same : diff_different;
}

}  // namespace

Run setup_diff(CLI::App& app) {
  auto options = std::make_shared<DiffOptions>();
  app.add_option("OLD", options->old_path, "the earlier policy (.yb), or the one extended")->required();
  app.add_option("NEW", options->new_path, "the later policy (.yb), or the one extending it")->required();
  app.add_option("--requests", options->requests,
                 "requests (JSON Lines) to settle against both policies, reporting how the results change");
  app.add_option("--format", options->format, "text for people, json for tools (schema in docs/tools.md)")
      ->check(CLI::IsMember({"text", "json"}));
  app.footer("Exit status: 0 the policies are the same, 1 they differ, 2 trouble (errors, unreadable files).");
  return [options](const Context& context) { return diff(*options, context); };
}

namespace {
const Registration registered{{"diff", "compare two policies: values, rules and results that changed", setup_diff}, 60};
}  // namespace

}  // namespace yibao::cli
