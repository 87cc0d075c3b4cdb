// The formatter never changes meaning, over every .yb file of the
// repository that parses: the policies and their examples, the standard
// library, the golden inputs and the fuzz regressions. For each file: the
// formatted text has the same characters apart from whitespace (no token or
// comment lost or added), the same AST, and formatting it again changes
// nothing; for policies, the IR compiled from the formatted text (and with
// the formatted standard library) prints the same as before, apart from the
// source line numbers. And the policies and the standard library are kept
// formatted.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/ir_print.h"
#include "compiler/stdlib_sources.h"
#include "format_test_util.h"

using namespace yibao;
using namespace yibao::test;

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> yb_files_under(const std::string& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(source_dir()) / folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yb") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string without_whitespace(std::string text) {
  text.erase(std::remove_if(text.begin(), text.end(),
                            [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }),
             text.end());
  return text;
}

std::string repo_path(const fs::path& file) { return fs::relative(file, source_dir()).generic_string(); }

// The IR text with the line numbers of locations (`  # path:12`) left out.
std::string without_lines(const std::string& ir) {
  std::string out;
  size_t pos = 0;
  while (pos < ir.size()) {
    size_t end = ir.find('\n', pos);
    if (end == std::string::npos) end = ir.size();
    std::string line = ir.substr(pos, end - pos);
    const size_t hash = line.rfind("  # ");
    const size_t colon = line.rfind(':');
    if (hash != std::string::npos && colon != std::string::npos && colon > hash && colon + 1 < line.size() &&
        line.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
      line.erase(colon);
    }
    out += line + '\n';
    pos = end + 1;
  }
  return out;
}

// The policy at `path` (with `text` in place of its file) compiled and
// printed without line numbers; empty when it does not compile.
std::string ir_of(const fs::path& path, const std::string& text, const std::vector<compiler::StdlibSource>* stdlib) {
  SourceManager sources;
  Diagnostics diagnostics(0);
  const FileId file = sources.add(path.generic_string(), text);
  compiler::CompileOptions options;
  options.stdlib = stdlib;
  const auto program = compiler::compile_policy(sources, file, options, diagnostics);
  if (!program) return "";
  return without_lines(compiler::print_program(*program));
}

}  // namespace

TEST_CASE("fmt keeps the tokens, the comments and the AST of every file that parses", "[fmt][meaning]") {
  std::vector<fs::path> files;
  for (const char* folder : {"policies", "stdlib", "tests/golden", "tests/fuzz/regressions"}) {
    for (auto& f : yb_files_under(folder)) files.push_back(f);
  }
  REQUIRE(files.size() > 50);
  size_t formatted = 0;
  for (const auto& file : files) {
    const std::string text = read_file(file.string());
    const auto parsed = parse_text(text, repo_path(file));
    if (!parsed->result.ok) continue;  // the syntax-error goldens
    INFO(repo_path(file));
    const Formatted once = format_text(text, repo_path(file));
    REQUIRE(once.result.internal_error == "");
    REQUIRE(once.result.ok);
    CHECK(without_whitespace(once.result.text) == without_whitespace(text.substr(text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0)));
    CHECK(parse_text(once.result.text)->ast_text() == parsed->ast_text());
    const Formatted twice = format_text(once.result.text, repo_path(file));
    CHECK(twice.result.text == once.result.text);
    ++formatted;
  }
  CHECK(formatted > 40);
}

TEST_CASE("fmt keeps the IR of every policy, with the formatted standard library too", "[fmt][meaning]") {
  std::vector<std::string> stdlib_texts;
  std::vector<compiler::StdlibSource> formatted_stdlib;
  for (const auto& source : compiler::stdlib_sources()) {
    const Formatted f = format_text(std::string(source.text), std::string(source.path));
    REQUIRE(f.result.ok);
    stdlib_texts.push_back(f.result.text);
  }
  for (size_t i = 0; i < stdlib_texts.size(); ++i) {
    const auto& source = compiler::stdlib_sources()[i];
    formatted_stdlib.push_back({source.module, source.path, stdlib_texts[i]});
  }
  size_t policies = 0;
  for (const auto& file : yb_files_under("policies")) {
    if (file.filename().string().find(".test.") != std::string::npos) continue;
    INFO(repo_path(file));
    const std::string text = read_file(file.string());
    const std::string before = ir_of(file, text, nullptr);
    REQUIRE(!before.empty());
    const Formatted f = format_text(text, repo_path(file));
    REQUIRE(f.result.ok);
    CHECK(ir_of(file, f.result.text, nullptr) == before);
    CHECK(ir_of(file, f.result.text, &formatted_stdlib) == before);
    ++policies;
  }
  CHECK(policies >= 7);
}
TEST_CASE("the policies and the standard library are formatted", "[fmt][meaning]") {
  std::vector<fs::path> files = yb_files_under("policies");
  for (auto& f : yb_files_under("stdlib")) files.push_back(f);
  std::vector<std::string> unformatted;
  for (const auto& file : files) {
    const std::string text = read_file(file.string());
    const Formatted f = format_text(text, repo_path(file));
    REQUIRE(f.result.ok);
    if (f.result.text != text) unformatted.push_back(repo_path(file));
  }
  INFO("run `yibao fmt -i` on these files");
  CHECK(unformatted == std::vector<std::string>{});
}
