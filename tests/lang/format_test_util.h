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
#include "tests/support/golden_file.h"

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

// The .yb files of a folder of the repository, sorted.
inline std::vector<std::filesystem::path> golden_cases(const std::string& folder) {
  return yb_files_in(std::filesystem::path(source_dir()) / folder);
}

// `x.yb` is expected to give `x.expected`.
inline void check_golden(const std::filesystem::path& file, const std::string& actual) {
  check_golden_file(std::filesystem::path(file).replace_extension(".expected"), actual);
}

}  // namespace yibao::test
