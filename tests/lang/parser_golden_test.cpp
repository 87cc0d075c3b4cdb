// Golden files of the parser (see tests/golden/README.md):
//   tests/golden/parse/*.yb   -> *.expected: the AST (print_ast), then the
//                                diagnostics if there are any
//   tests/golden/syntax/*.yb  -> *.expected: the rendered diagnostics
// Adding a test means adding a .yb file; run with YIBAO_UPDATE_GOLDEN=1 to
// write the .expected files, then review them with `git diff`.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "parser_test_util.h"
#include "tests/support/golden_file.h"

using namespace yibao;
using namespace yibao::test;

namespace {

std::vector<std::filesystem::path> cases(const std::string& folder) {
  return yb_files_in(std::filesystem::path(source_dir()) / folder);
}

// The file parsed under its path relative to the repository, so that the
// rendered diagnostics do not depend on where the repository is.
std::unique_ptr<Parsed> parse_case(const std::filesystem::path& file) {
  const auto relative = std::filesystem::relative(file, source_dir()).generic_string();
  return parse_text(read_file(file.string()), relative);
}

// `x.yb` is expected to give `x.expected`.
void check_golden(const std::filesystem::path& file, const std::string& actual) {
  check_golden_file(std::filesystem::path(file).replace_extension(".expected"), actual);
}

}  // namespace

TEST_CASE("golden: tests/golden/parse (AST)", "[parser][golden]") {
  const auto files = cases("tests/golden/parse");
  REQUIRE(!files.empty());
  for (const auto& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      auto p = parse_case(file);
      std::string actual = p->ast_text();
      if (!p->diagnostics.all().empty()) actual += "--- diagnostics\n" + p->errors();
      check_golden(file, actual);
    }
  }
}

TEST_CASE("golden: tests/golden/syntax (diagnostics)", "[parser][golden]") {
  const auto files = cases("tests/golden/syntax");
  REQUIRE(!files.empty());
  for (const auto& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      auto p = parse_case(file);
      // Every file here is there for its errors.
      CHECK(p->error_count() > 0);
      check_golden(file, p->errors());
    }
  }
}
