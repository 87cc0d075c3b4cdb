// Golden files for the Catch2 tests: an output compared with the
// expectation checked in beside its input, or rewritten when the run is
// asked to (YIBAO_UPDATE_GOLDEN=1; review the rewrite with `git diff`).
// Shared by the parser, formatter, checker/IR and diff golden tests.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace yibao::test {

inline bool updating_golden() {
  const char* env = std::getenv("YIBAO_UPDATE_GOLDEN");
  return env != nullptr && std::string(env) == "1";
}

inline std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Fails the current test (without stopping it) when `actual` differs from
// the file at `expected_path`, showing both; writes the file instead when
// updating.
inline void check_golden_file(const std::filesystem::path& expected_path, const std::string& actual) {
  if (updating_golden()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  INFO("golden file " << expected_path.string() << " (YIBAO_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(std::filesystem::exists(expected_path));
  const std::string expected = read_whole_file(expected_path);
  if (expected != actual) FAIL_CHECK("actual output:\n" << actual << "\nexpected:\n" << expected);
}

// The .yb files directly in `folder`, sorted, so that cases run in a fixed
// order.
inline std::vector<std::filesystem::path> yb_files_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yb") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

#ifdef YIBAO_SOURCE_DIR
// While alive, the working directory is the repository's root, so that the
// paths in outputs (and in golden files) do not depend on where it lies.
struct InSourceDir {
  std::filesystem::path saved = std::filesystem::current_path();
  InSourceDir() { std::filesystem::current_path(YIBAO_SOURCE_DIR); }
  ~InSourceDir() { std::filesystem::current_path(saved); }
  InSourceDir(const InSourceDir&) = delete;
  InSourceDir& operator=(const InSourceDir&) = delete;
};
#endif

}  // namespace yibao::test
