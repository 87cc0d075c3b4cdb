// The JIT against the interpreter on the seed policies: every request of
// policies/*/*.requests.jsonl, settled by a Settler on each engine with its
// own ledger store, must give the same result line, byte for byte, and the
// same ledgers afterwards. (tests/jit/differential.sh does the same through
// `yibao eval` on generated requests, with bad inputs and ledger batches.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "lang/diagnostics_render.h"
#include "yibao/jit.h"
#include "yibao/settle.h"

using namespace yibao;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> settle_all(const ir::Program& program, const std::vector<std::string>& lines,
                                    LedgerStore& ledgers, SettleOptions options) {
  auto settler = Settler::create(program, ledgers, std::move(options));
  REQUIRE(settler);
  std::vector<std::string> out;
  std::uint64_t n = 0;
  for (const std::string& line : lines) {
    const std::string padded = line + std::string(kReadPadding, ' ');
    std::string result;
    settler->settle_line(std::string_view(padded.data(), line.size()), ++n, result);
    out.push_back(result);
  }
  return out;
}

}  // namespace

TEST_CASE("the JIT settles the seed policies' requests as the interpreter does", "[jit]") {
  const fs::path root = fs::path(YIBAO_SOURCE_DIR) / "policies";
  int policies = 0;
  for (const auto& region : fs::directory_iterator(root)) {
    for (const auto& file : fs::directory_iterator(region.path())) {
      const std::string name = file.path().filename().string();
      if (name.size() != 7 || file.path().extension() != ".yb") continue;  // 2024.yb, not 2024.test.yb
      fs::path requests = file.path();
      requests.replace_extension(".requests.jsonl");
      if (!fs::exists(requests)) continue;
      INFO(file.path().string());
      SourceManager sources;
      Diagnostics diagnostics;
      const auto program = compiler::compile_policy(sources, file.path().string(), {}, diagnostics);
      INFO(render_text(diagnostics, sources));
      REQUIRE(program);
      auto jit = jit::JitProgram::compile(*program);
      INFO((jit ? std::string() : jit.error()));
      REQUIRE(jit);
      const auto lines = read_lines(requests);
      LedgerStore interpreted(program->policy_id, ledger_slot_names(*program));
      LedgerStore compiled(program->policy_id, ledger_slot_names(*program));
      const auto expected = settle_all(*program, lines, interpreted, {});
      SettleOptions options;
      options.engine = jit::engine_factory(*jit);
      const auto got = settle_all(*program, lines, compiled, options);
      REQUIRE(got.size() == expected.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        INFO("line " << i + 1 << ": " << lines[i]);
        REQUIRE(got[i] == expected[i]);
      }
      std::string a;
      std::string b;
      for (std::size_t i = 0; i < interpreted.size(); ++i) interpreted.append_line(i, a);
      for (std::size_t i = 0; i < compiled.size(); ++i) compiled.append_line(i, b);
      CHECK(a == b);
      ++policies;
    }
  }
  CHECK(policies == 7);
}
