// The seed policies with their example requests, compiled once per test,
// and a Settler's answers to a list of lines: what the JIT tests compare
// engine against interpreter on, and what settle_stream_policies_test
// streams.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/compile.h"
#include "lang/diagnostics_render.h"
#include "yibao/line_reader.h"
#include "yibao/settle.h"

namespace yibao::test {

struct Seed {
  std::string id;                          // the policy's path
  std::unique_ptr<ir::Program> program;    // kept in place: engines point into it
  std::vector<std::string> lines;          // policies/<region>/<year>.requests.jsonl
};

// Every policies/<region>/<year>.yb that has example requests (all seven).
inline std::vector<Seed> seed_policies() {
  namespace fs = std::filesystem;
  std::vector<Seed> out;
  for (const auto& region : fs::directory_iterator(fs::path(YIBAO_SOURCE_DIR) / "policies")) {
    for (const auto& file : fs::directory_iterator(region.path())) {
      const std::string name = file.path().filename().string();
      if (name.size() != 7 || file.path().extension() != ".yb") continue;  // 2024.yb, not 2024.test.yb
      fs::path requests = file.path();
      requests.replace_extension(".requests.jsonl");
      if (!fs::exists(requests)) continue;
      SourceManager sources;
      Diagnostics diagnostics;
      auto program = compiler::compile_policy(sources, file.path().string(), {}, diagnostics);
      INFO(file.path().string() << "\n" << render_text(diagnostics, sources));
      REQUIRE(program);
      Seed seed{file.path().string(), std::make_unique<ir::Program>(std::move(*program)), {}};
      std::ifstream in(requests);
      for (std::string line; std::getline(in, line);) seed.lines.push_back(line);
      out.push_back(std::move(seed));
    }
  }
  REQUIRE(out.size() == 7);
  return out;
}

// Two Settlers of one program, each on ledgers of its own: the interpreter
// and the engine `factory` makes. Built in place (the Settlers hold their
// stores).
struct SettlerPair {
  LedgerStore interpreted_ledgers;
  LedgerStore compiled_ledgers;
  Expected<Settler> interpreter;
  Expected<Settler> engine;

  SettlerPair(const ir::Program& program, EngineFactory factory)
      : interpreted_ledgers(program.policy_id, ledger_slot_names(program)),
        compiled_ledgers(program.policy_id, ledger_slot_names(program)),
        interpreter(Settler::create(program, interpreted_ledgers, {})),
        engine(Settler::create(program, compiled_ledgers, SettleOptions{.engine = std::move(factory)})) {
    REQUIRE(interpreter);
    REQUIRE(engine);
  }
  // Whether both stores hold the same entries, in the same order.
  bool same_ledgers() const {
    std::string a;
    std::string b;
    for (std::size_t i = 0; i < interpreted_ledgers.size(); ++i) interpreted_ledgers.append_line(i, a);
    for (std::size_t i = 0; i < compiled_ledgers.size(); ++i) compiled_ledgers.append_line(i, b);
    return a == b;
  }
  SettlerPair(const SettlerPair&) = delete;
  SettlerPair& operator=(const SettlerPair&) = delete;
};

// The result line of each of `lines`, numbered on from `n`.
inline std::vector<std::string> settle_lines(Settler& settler, const std::vector<std::string>& lines,
                                             std::uint64_t& n) {
  std::vector<std::string> out;
  for (const std::string& line : lines) {
    const std::string padded = line + std::string(kReadPadding, ' ');
    std::string result;
    settler.settle_line(std::string_view(padded.data(), line.size()), ++n, result);
    out.push_back(result);
  }
  return out;
}

}  // namespace yibao::test
