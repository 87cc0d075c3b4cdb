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

using namespace yibao;
using namespace yibao::test;

namespace {

bool updating() {
  const char* env = std::getenv("YIBAO_UPDATE_GOLDEN");
  return env != nullptr && std::string(env) == "1";
}

std::vector<std::filesystem::path> cases(const std::string& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(source_dir()) / folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yb") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The file parsed under its path relative to the repository, so that the
// rendered diagnostics do not depend on where the repository is.
std::unique_ptr<Parsed> parse_case(const std::filesystem::path& file) {
  const auto relative = std::filesystem::relative(file, source_dir()).generic_string();
  return parse_text(read_file(file.string()), relative);
}

void check_golden(const std::filesystem::path& file, const std::string& actual) {
  auto expected_path = file;
  expected_path.replace_extension(".expected");
  if (updating()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  INFO("golden file " << expected_path.string() << " (YIBAO_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(std::filesystem::exists(expected_path));
  const std::string expected = read_file(expected_path.string());
  if (expected != actual) {
    FAIL_CHECK("actual output:\n" << actual << "\nexpected:\n" << expected);
  }
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
