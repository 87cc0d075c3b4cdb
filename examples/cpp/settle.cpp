// settle_cpp RULES.ybc REQUESTS.jsonl THREADS [interpreter|jit]: settles a
// file of requests on several threads through the C++ API and writes the
// result lines to standard output, in input order: the same bytes as
// `yibao eval RULES.ybc REQUESTS.jsonl`, with either engine.
//
// The rule set is loaded once and shared; each thread has its own Session.
// With `jit` the policy is compiled to native code once, at load, and every
// Session runs that code: the JIT lives in yibao::jit, which CMakeLists.txt
// links when the installed package has it (YIBAO_EXAMPLE_JIT), and
// jit::install() makes it the runtime's engine before loading.
// Ledgers belong to persons, so every person is given to one thread (by a
// hash of the ledger key), which settles that person's requests in input
// order. Lines that touch no ledger may go anywhere.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <yibao/yibao.hpp>
#ifdef YIBAO_EXAMPLE_JIT
#include <yibao/jit.h>
#endif

int main(int argc, char** argv) {
  const std::string engine = argc == 5 ? argv[4] : "interpreter";
  if ((argc != 4 && argc != 5) || (engine != "interpreter" && engine != "jit")) {
    std::fprintf(stderr, "usage: settle_cpp RULES.ybc REQUESTS.jsonl THREADS [interpreter|jit]\n");
    return 2;
  }
#ifdef YIBAO_EXAMPLE_JIT
  yibao::jit::install();  // once, before loading; without it `jit` is refused
#endif
  yibao::RuleSetOptions options;
  options.engine = engine == "jit" ? yibao::EngineKind::jit : yibao::EngineKind::interpreter;
  const auto rules = yibao::RuleSet::load_file(argv[1], options);
  if (!rules) {
    std::fprintf(stderr, "error: %s\n", rules.error().c_str());
    return 1;
  }
  const unsigned threads = static_cast<unsigned>(std::max(1, std::atoi(argv[3])));

  // Every line with its number (blank lines get no result, and a leading
  // byte-order mark is ignored, as in yibao eval).
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot read %s\n", argv[2]);
    return 1;
  }
  struct Line {
    std::string text;
    std::uint64_t number;
    unsigned owner = 0;
  };
  std::vector<Line> lines;
  std::uint64_t number = 0;
  for (std::string text; std::getline(in, text);) {
    ++number;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (number == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a byte-order mark
    if (text.find_first_not_of(" \t\r") != std::string::npos) lines.push_back({std::move(text), number});
  }

  std::vector<yibao::Session> sessions;
  for (unsigned t = 0; t < threads; ++t) {
    auto session = yibao::Session::create(*rules);
    if (!session) {
      std::fprintf(stderr, "error: %s\n", session.error().c_str());
      return 1;
    }
    sessions.push_back(std::move(*session));
  }
  const auto in_parallel = [&](const std::function<void(unsigned)>& job) {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(job, t);
    for (std::thread& thread : pool) thread.join();
  };

  // Whose is each line: each thread reads the keys of a slice.
  const std::size_t slice = (lines.size() + threads - 1) / threads;
  in_parallel([&](unsigned t) {
    for (std::size_t i = t * slice; i < std::min(lines.size(), (t + 1) * slice); ++i) {
      const auto key = sessions[t].ledger_key(lines[i].text);
      lines[i].owner = static_cast<unsigned>((key ? std::hash<std::string_view>{}(*key) : i) % threads);
    }
  });

  // Each thread settles its persons' lines, in input order.
  std::vector<std::string> results(lines.size());
  in_parallel([&](unsigned t) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].owner == t) sessions[t].settle(lines[i].text, lines[i].number, results[i]);
    }
  });

  for (const std::string& result : results) std::fwrite(result.data(), 1, result.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
