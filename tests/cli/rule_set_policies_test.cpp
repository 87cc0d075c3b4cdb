// Compiled rule sets of the seven seed policies (policies/*/20*.yb), through
// the compiler: write -> read -> write gives the same bytes and the same IR
// text; the loaded program settles the sample requests to the same bytes
// (explain traces too, with debug info); reformatting a policy (blank lines,
// comments, another path) leaves its compiled bytes unchanged; and a real
// file cut short at any byte, or changed anywhere, is refused or loads a
// program that settles without a crash. (tests/runtime/rule_set_test.cpp
// covers the format on a hand-built program; rule_set_eval.cmake runs the
// same comparison through the `yibao` executable.)
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/ir_print.h"
#include "runtime/src/rule_set_format.h"
#include "yibao/ledger.h"
#include "yibao/line_reader.h"
#include "yibao/rule_set_file.h"
#include "yibao/settle.h"

using namespace yibao;

namespace {

const std::string kSourceDir = YIBAO_SOURCE_DIR;

const char* const kPolicies[] = {"changsha/2024", "dianjiang/2024", "hunan/2024", "liaoyuan/2023",
                                 "national/2023", "national/2024",  "sanya/2024"};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compiles `text` as the policy at `path` (policies read from the repository).
ir::Program compile_text(const std::string& path, const std::string& text) {
  SourceManager sources;
  Diagnostics diagnostics(0);
  const FileId file = sources.add(path, text);
  compiler::CompileOptions options;
  options.policy_root = kSourceDir + "/policies";
  auto program = compiler::compile_policy(sources, file, options, diagnostics);
  INFO(path);
  REQUIRE(program);
  return std::move(*program);
}

ir::Program compile(const std::string& policy) {
  const std::string path = kSourceDir + "/policies/" + policy + ".yb";
  return compile_text(path, read_text(path));
}

ir::Program load(std::span<const std::uint8_t> bytes) {
  auto loaded = read_rule_set(bytes);
  INFO((loaded ? std::string() : loaded.error()));
  REQUIRE(loaded);
  return std::move(*loaded);
}

// The results of `requests` (JSON Lines), as `yibao eval` writes them.
std::string settle(const ir::Program& program, const std::string& requests, bool explain) {
  LedgerStore ledgers(program.policy_id, ledger_slot_names(program));
  LineReader lines = LineReader::from_memory(requests);
  std::FILE* out = std::tmpfile();
  REQUIRE(out);
  SettleOptions options;
  options.explain = explain;
  const Status s = settle_stream(program, lines, out, ledgers, options);
  REQUIRE(s.ok());
  std::fflush(out);
  std::rewind(out);
  std::string text;
  char buf[1 << 14];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
  std::fclose(out);
  return text;
}

// The program as a loaded rule set without debug info shows it: no files,
// no locations.
ir::Program without_locations(ir::Program p) {
  p.files.clear();
  rule_set::for_each_loc(p, [](ir::Loc& l) { l = ir::Loc{}; });
  return p;
}

std::vector<std::uint8_t> with_checksum(std::vector<std::uint8_t> bytes) {
  const std::size_t body = bytes.size() - rule_set::kChecksumSize;
  const std::uint32_t crc = rule_set::crc32c(std::span(bytes).first(body));
  std::memcpy(bytes.data() + body, &crc, sizeof crc);
  return bytes;
}

}  // namespace

TEST_CASE("rule set: each seed policy survives write, read, write", "[rule_set]") {
  for (const char* policy : kPolicies) {
    INFO(policy);
    const ir::Program program = compile(policy);
    REQUIRE(validate_program(program).ok());
    const auto plain = write_rule_set(program);
    const auto debug = write_rule_set(program, {.debug_info = true});
    const ir::Program from_plain = load(plain);
    const ir::Program from_debug = load(debug);
    CHECK(write_rule_set(from_plain) == plain);
    CHECK(write_rule_set(from_debug, {.debug_info = true}) == debug);
    CHECK(write_rule_set(from_debug) == plain);
    // The IR text: the same with debug info; without it, the same but for
    // the `# file:line` comments.
    CHECK(compiler::print_program(from_debug) == compiler::print_program(program));
    CHECK(compiler::print_program(from_plain) == compiler::print_program(without_locations(program)));
  }
}

TEST_CASE("rule set: a loaded seed policy settles its sample requests to the same bytes", "[rule_set]") {
  for (const char* policy : kPolicies) {
    INFO(policy);
    const ir::Program program = compile(policy);
    const std::string requests = read_text(kSourceDir + "/policies/" + policy + ".requests.jsonl");
    const std::string expected = settle(program, requests, false);
    REQUIRE(!expected.empty());
    CHECK(settle(load(write_rule_set(program)), requests, false) == expected);
    // Explain traces carry `file:line`: the same with debug info.
    CHECK(settle(load(write_rule_set(program, {.debug_info = true})), requests, true) == settle(program, requests, true));
  }
}

TEST_CASE("rule set: reformatting a policy does not change its compiled bytes", "[rule_set]") {
  for (const char* policy : kPolicies) {
    INFO(policy);
    const std::string path = kSourceDir + "/policies/" + policy + ".yb";
    const std::string text = read_text(path);
    // Blank lines and a comment before every top-level line, a comment at
    // the end of every line that has none (and no text literal), and a
    // heading comment: layout and comments change, the policy does not.
    std::string reformatted = "# reformatted copy\n\n";
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line[0] != ' ' && line[0] != '#' && line[0] != '}') reformatted += "\n\n# (inserted)\n";
      reformatted += line;
      if (!line.empty() && line.find('#') == std::string::npos && line.find('"') == std::string::npos)
        reformatted += "    # (trailing)";
      reformatted += "\n\n";
    }
    REQUIRE(reformatted != text);
    const ir::Program original = compile_text(path, text);
    const ir::Program changed = compile_text(path, reformatted);
    CHECK(write_rule_set(changed) == write_rule_set(original));
    // With debug info the lines differ, as documented.
    CHECK(write_rule_set(changed, {.debug_info = true}) != write_rule_set(original, {.debug_info = true}));
    // Another folder for the same text gives the same bytes as well.
    CHECK(write_rule_set(compile_text(kSourceDir + "/policies/../policies/" + policy + ".yb", text)) ==
          write_rule_set(original));
  }
}

TEST_CASE("rule set: a seed policy's file cut short or changed is refused or safe", "[rule_set]") {
  const std::string requests = read_text(kSourceDir + "/policies/dianjiang/2024.requests.jsonl");
  std::mt19937_64 rng(11);
  for (const char* policy : kPolicies) {
    INFO(policy);
    const auto bytes = write_rule_set(compile(policy), {.debug_info = true});
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      const auto r = read_rule_set(std::span(bytes).first(n));
      REQUIRE(!r);
      REQUIRE(r.error().find("truncated") != std::string::npos);
    }
    // Changed bytes: caught by the checksum (a sample of positions: each
    // read checksums the whole file).
    for (std::size_t i = 0; i < bytes.size(); i += 1 + rng() % 64) {
      auto changed = bytes;
      changed[i] = static_cast<std::uint8_t>(changed[i] ^ (1U << (rng() % 8)));
      REQUIRE(!read_rule_set(changed));
    }
    // Changed bytes under a recomputed checksum reach the decoder and
    // validate_program: refused, or a program that settles.
    // Small changes (a byte one up or down) often keep the structure, so
    // that some programs load and settle.
    std::size_t loaded = 0;
    for (int round = 0; round < 600; ++round) {
      auto changed = bytes;
      const std::size_t at = rule_set::kHeaderSize + rng() % (changed.size() - rule_set::kHeaderSize - 4);
      changed[at] = static_cast<std::uint8_t>(changed[at] + ((rng() & 1U) != 0 ? 1 : 255));
      const auto r = read_rule_set(with_checksum(changed));
      if (!r) continue;
      ++loaded;
      REQUIRE(validate_program(*r).ok());
      settle(*r, requests.substr(0, 4000), true);
    }
    CHECK(loaded > 0);
  }
}
