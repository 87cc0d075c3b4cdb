// Every .yb file of the repository (stdlib/, policies/) parses without a
// diagnostic, and survives the round trip parse -> print_source -> parse.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "parser_test_util.h"

using namespace yibao;
using namespace yibao::test;

namespace {

std::vector<std::string> seed_files() {
  std::vector<std::string> files;
  for (const char* dir : {"stdlib", "policies"}) {
    const auto root = std::filesystem::path(source_dir()) / dir;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yb") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("the stdlib and every policy parse without diagnostics", "[parser][seed]") {
  const auto files = seed_files();
  REQUIRE(files.size() >= 8);
  for (const auto& path : files) {
    INFO(path);
    auto p = parse_text(read_file(path), path);
    INFO(p->errors());
    CHECK(p->diagnostics.all().empty());
    CHECK(p->result.ok);
    CHECK(p->ast().skipped.empty());
    CHECK(!p->ast().items.empty());
  }
}

TEST_CASE("every seed file round-trips through print_source", "[parser][seed][roundtrip]") {
  for (const auto& path : seed_files()) {
    INFO(path);
    auto first = parse_text(read_file(path), path);
    REQUIRE(first->result.ok);
    const std::string source = ast::print_source(first->ast());
    auto second = parse_text(source, path + " (printed)");
    INFO(source);
    INFO(second->errors());
    REQUIRE(second->result.ok);
    CHECK(second->ast_text() == first->ast_text());
  }
}

TEST_CASE("the seed files have the expected headers", "[parser][seed]") {
  auto stdlib = parse_text(read_file(source_dir() + "/stdlib/resident.yb"));
  REQUIRE(stdlib->ast().header_kind == ast::File::HeaderKind::module);
  CHECK(stdlib->ast().module->name.dotted() == "std.resident");

  auto changsha = parse_text(read_file(source_dir() + "/policies/changsha/2024.yb"));
  REQUIRE(changsha->ast().header_kind == ast::File::HeaderKind::policy);
  const auto& header = *changsha->ast().policy;
  CHECK(header.id.text == "changsha-2024");
  REQUIRE(header.find(ast::HeaderField::Kind::extends) != nullptr);
  CHECK(header.find(ast::HeaderField::Kind::extends)->policy.text == "hunan-2024");
  REQUIRE(header.find(ast::HeaderField::Kind::year) != nullptr);
  CHECK(header.find(ast::HeaderField::Kind::year)->year.integer() == 2024);
}
