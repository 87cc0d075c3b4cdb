// Helpers shared by the formatter tests: format a string, golden files.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lang/diagnostics.h"
#include "lang/diagnostics_render.h"
#include "lang/format.h"
#include "lang/source.h"
#include "parser_test_util.h"

namespace yibao::test {

struct Formatted {
  FormatResult result;
  std::string errors;  // the rendered diagnostics
};

inline Formatted format_text(const std::string& text, const std::string& path = "test.yb") {
  SourceManager sources;
  Diagnostics diagnostics(0);
  const FileId file = sources.add(path, text);
  Formatted f{format_file(sources, file, diagnostics), ""};
  if (!diagnostics.all().empty()) f.errors = render_text(diagnostics, sources);
  return f;
}

inline bool updating_golden() {
  const char* env = std::getenv("YIBAO_UPDATE_GOLDEN");
  return env != nullptr && std::string(env) == "1";
}

// The .yb files of a folder of the repository, sorted.
inline std::vector<std::filesystem::path> golden_cases(const std::string& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(source_dir()) / folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yb") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline void check_golden(const std::filesystem::path& file, const std::string& actual) {
  auto expected_path = file;
  expected_path.replace_extension(".expected");
  if (updating_golden()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  INFO("golden file " << expected_path.string() << " (YIBAO_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(std::filesystem::exists(expected_path));
  const std::string expected = read_file(expected_path.string());
  if (expected != actual) FAIL_CHECK("actual output:\n" << actual << "\nexpected:\n" << expected);
}

}  // namespace yibao::test
