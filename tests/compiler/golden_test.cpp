// Golden files of the checker and of the IR (see tests/golden/README.md):
//   tests/golden/check/*.yb -> *.expected: the rendered diagnostics of a
//       policy with mistakes (policies it extends or uses live under
//       tests/golden/check/lib); a file starting `examples for` is lowered
//       as worked examples of lib/base/2024.yb
//   policies/<region>/<year>.yb -> tests/golden/ir/<region>-<year>.ir: the
//       IR text of every seed policy, so that a change to the compiler shows
//       in review as a change of IR
// And: every diagnostic code appears in at least one golden expectation.
// YIBAO_UPDATE_GOLDEN=1 rewrites the expectations; review with `git diff`.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "tests/support/golden_file.h"
#include "compiler/examples.h"
#include "compiler/ir_print.h"
#include "lang/diagnostics_render.h"
#include "lang/parser.h"

using namespace yibao;
namespace fs = std::filesystem;

namespace {

using test::InSourceDir;
std::string read_file(const fs::path& path) { return test::read_whole_file(path); }
void check_golden(const fs::path& expected_path, const std::string& actual) { test::check_golden_file(expected_path, actual); }

std::vector<std::string> yb_files(const std::string& folder) {
  std::vector<std::string> out;
  for (const fs::path& file : test::yb_files_in(folder)) out.push_back(file.generic_string());
  return out;
}

std::string check_output(const std::string& path) {
  SourceManager sources;
  Diagnostics diagnostics;
  const std::string text = read_file(path);
  compiler::CompileOptions options;
  options.policy_root = "tests/golden/check/lib";
  if (text.rfind("examples for", 0) == 0) {
    const auto program = compiler::compile_policy(sources, "tests/golden/check/lib/base/2024.yb", options, diagnostics);
    const auto file = load_source(sources, path, diagnostics);
    if (program && file) {
      const ParseResult parsed = parse(sources, *file, diagnostics);
      (void)compiler::lower_examples(*parsed.file, *program, sources, diagnostics);
    }
  } else {
    (void)compiler::compile_policy(sources, path, options, diagnostics);
  }
  return render_text(diagnostics, sources);
}

}  // namespace

TEST_CASE("golden: tests/golden/check (checker diagnostics)", "[compiler][golden]") {
  InSourceDir in_source;
  const auto files = yb_files("tests/golden/check");
  REQUIRE(files.size() > 10);
  for (const auto& path : files) {
    DYNAMIC_SECTION(path) {
      const std::string actual = check_output(path);
      if (fs::path(path).stem() == "valid-minimal")
        CHECK(actual.empty());
      else
        CHECK(!actual.empty());  // every other file is there for its diagnostics
      check_golden(fs::path(path).replace_extension(".expected"), actual);
    }
  }
}

TEST_CASE("golden: tests/golden/ir (IR of every seed policy)", "[compiler][golden]") {
  InSourceDir in_source;
  std::vector<std::string> policies;
  for (const auto& region : fs::directory_iterator("policies"))
    for (const auto& f : yb_files(region.path().generic_string()))
      if (f.find(".test.yb") == std::string::npos) policies.push_back(f);
  std::sort(policies.begin(), policies.end());
  REQUIRE(policies.size() == 7);
  for (const auto& path : policies) {
    DYNAMIC_SECTION(path) {
      SourceManager sources;
      Diagnostics diagnostics;
      const auto program = compiler::compile_policy(sources, path, {}, diagnostics);
      INFO(render_text(diagnostics, sources));
      REQUIRE(program);
      CHECK(diagnostics.warning_count() == 0);
      check_golden(fs::path("tests/golden/ir") / (program->policy_id + ".ir"), compiler::print_program(*program));
    }
  }
}

TEST_CASE("every diagnostic code appears in a golden file", "[compiler][golden]") {
  InSourceDir in_source;
  std::string all;
  for (const auto& e : fs::recursive_directory_iterator("tests/golden"))
    if (e.is_regular_file() && e.path().extension() == ".expected") all += read_file(e.path());
  const std::string cli = read_file("tests/cli/CMakeLists.txt");  // the CLI's own error paths
  for (const DiagnosticInfo& info : all_diagnostic_codes()) {
    INFO("no golden file shows " << info.code << " (" << info.name << "); add one under tests/golden");
    const bool in_golden = all.find("[" + std::string(info.code) + "]") != std::string::npos;
    const bool in_cli = cli.find(std::string(info.code)) != std::string::npos;  // in a test's pattern
    CHECK((in_golden || in_cli));
  }
}
