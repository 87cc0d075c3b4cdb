// Robustness: damaged versions of real files (a line deleted, a character
// deleted, a character doubled) and hostile inputs parse without a crash or a
// hang, and every error they cause has a location inside the file.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "parser_test_util.h"

using namespace yibao;
using namespace yibao::test;

namespace {

// Parses `text` and checks the invariants every parse must keep.
void check_parse(const std::string& text, const std::string& what) {
  SourceManager sources;
  Diagnostics diagnostics(0);
  const FileId file = sources.add("damaged.yb", text);
  const ParseResult result = parse(sources, file, diagnostics);
  REQUIRE(result.file != nullptr);
  if (result.ok) {
    if (!diagnostics.all().empty()) FAIL_CHECK(what << ": diagnostics without errors");
    return;
  }
  if (diagnostics.error_count() == 0) FAIL_CHECK(what << ": not ok, but no error reported");
  for (const auto& d : diagnostics.all()) {
    const bool located = d.span.file == file && d.span.begin <= d.span.end && d.span.end <= text.size();
    if (!located) FAIL_CHECK(what << ": badly located diagnostic: " << d.message);
  }
  // The skipped spans are inside the file too.
  for (const auto& s : result.file->skipped) {
    if (!(s.begin <= s.end && s.end <= text.size())) FAIL_CHECK(what << ": bad skipped span");
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start + 1));
    start = end + 1;
  }
  return lines;
}

const char* const kFiles[] = {"stdlib/resident.yb", "policies/liaoyuan/2023.yb", "policies/dianjiang/2024.yb"};

}  // namespace

TEST_CASE("deleting any one line never breaks the parser", "[parser][robust]") {
  for (const char* name : kFiles) {
    const std::string text = read_file(source_dir() + "/" + name);
    const auto lines = lines_of(text);
    for (size_t skip = 0; skip < lines.size(); ++skip) {
      std::string damaged;
      for (size_t i = 0; i < lines.size(); ++i) {
        if (i != skip) damaged += lines[i];
      }
      check_parse(damaged, std::string(name) + " without line " + std::to_string(skip + 1));
    }
  }
}

TEST_CASE("deleting or doubling any one character never breaks the parser", "[parser][robust]") {
  const auto start = std::chrono::steady_clock::now();
  for (const char* name : kFiles) {
    const std::string text = read_file(source_dir() + "/" + name);
    // Every position of liaoyuan (the smallest); every 3rd of the others.
    // Sanitized builds, many times slower, sample 5 times less.
    size_t step = std::string(name).find("liaoyuan") != std::string::npos ? 1 : 3;
#ifdef YIBAO_SANITIZED
    step *= 5;
#endif
    for (size_t pos = 0; pos < text.size(); pos += step) {
      std::string deleted = text;
      deleted.erase(pos, 1);
      check_parse(deleted, std::string(name) + " without byte " + std::to_string(pos));
      if (pos % 7 == 0) {
        std::string doubled = text;
        doubled.insert(pos, 1, text[pos]);
        check_parse(doubled, std::string(name) + " with byte " + std::to_string(pos) + " doubled");
      }
    }
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
#ifndef YIBAO_SANITIZED
  CHECK(seconds < 60);
#else
  (void)seconds;
#endif
}

TEST_CASE("hostile inputs", "[parser][robust]") {
  check_parse(std::string(1 << 20, '('), "1 MB of (");
  check_parse("module t\nrule a: money = " + std::string(1 << 20, '('), "a rule of 1 MB of (");
  check_parse("module t\nrule a: money = " + std::string(1 << 20, '-') + "1", "1 MB of -");
  check_parse("module t\nrule a: money = " + std::string(1 << 20, '{'), "1 MB of {");
  check_parse("module t\nrule a: money = " + std::string(1 << 20, '['), "1 MB of [");
  check_parse(std::string(1 << 20, '"'), "1 MB of quotes");
  check_parse("module t\nrule a: text = \"" + std::string(1 << 20, 'x'), "an unterminated 1 MB string");
  check_parse(std::string(1 << 16, '\0'), "NUL bytes");
  check_parse(std::string(1 << 16, '\xff'), "invalid UTF-8");
  check_parse(std::string(1 << 16, '\n'), "only line breaks");
  check_parse(std::string(1 << 16, '#'), "one long comment");

  std::string long_line = "module t ";
  for (int i = 0; i < 20000; ++i) long_line += "param a" + std::to_string(i) + ": money = " + std::to_string(i) + " ";
  check_parse(long_line, "a file that is one long line");

  std::string broken_line = "module t ";
  for (int i = 0; i < 20000; ++i) broken_line += "param a" + std::to_string(i) + " money ";
  check_parse(broken_line, "a long line of errors");

  std::string long_row = "module t\nparam t: money by level { 1: ";
  for (int i = 0; i < 100000; ++i) long_row += "a, ";
  long_row += "b }\n";
  check_parse(long_row, "a row of 100000 values");

  std::string long_set = "module t\nparam s: set of x = {";
  for (int i = 0; i < 100000; ++i) long_set += "a, ";
  long_set += "b}\n";
  check_parse(long_set, "a set of 100000 members");

  std::string many_items = "module t\n";
  for (int i = 0; i < 20000; ++i) many_items += "param a" + std::to_string(i) + ": money = 1\n";
  check_parse(many_items, "20000 declarations");
}

TEST_CASE("fuzz regressions parse without a crash", "[parser][robust][fuzz]") {
  const auto dir = std::filesystem::path(source_dir()) / "tests" / "fuzz" / "regressions";
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string filename = entry.path().filename().string();
    if (!entry.is_regular_file() || filename.starts_with(".") || filename == "README.md") continue;
    check_parse(read_file(entry.path().string()), filename);
    ++count;
  }
  CHECK(count >= 1);
}
