// The embedding API with the JIT (RuleSetOptions{.engine = EngineKind::jit},
// YIBAO_ENGINE_JIT) once yibao::jit::install() made it the runtime's engine
// provider: the same result lines, outcomes, ledgers and batches as the
// interpreter on the seed policies; the program compiled once per RuleSet
// and every Session settling with it; explain interpreting; and, with no
// provider installed, loading refused with a message.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "api/policies.h"
#include "yibao/engine_provider.h"
#include "yibao/jit.h"
#include "yibao/rule_set_file.h"
#include "yibao/yibao.h"
#include "yibao/yibao_jit.h"

using namespace yibao;
using yibao::test::describe;
using yibao::test::read_file;
using yibao::test::read_lines;
using yibao::test::seed_rule_set;
using yibao::test::source_path;

namespace {

const char* const kPolicies[] = {"changsha-2024", "dianjiang-2024", "hunan-2024",  "liaoyuan-2023",
                                 "national-2023", "national-2024",  "sanya-2024"};

std::string requests_path(std::string_view id) {
  const auto dash = id.rfind('-');
  return source_path("policies/" + std::string(id.substr(0, dash)) + "/" + std::string(id.substr(dash + 1)) +
                     ".requests.jsonl");
}

// The interpreter's seed rule set, loaded again with the JIT.
std::shared_ptr<const RuleSet> jit_rule_set(std::string_view id) {
  jit::install();
  auto rules = RuleSet::from_program(seed_rule_set(id)->program(), RuleSetOptions{EngineKind::jit});
  if (!rules) FAIL(rules.error());
  return *rules;
}

// Puts a provider back when the test ends (tests share the process).
struct ProviderGuard {
  EngineProvider saved;
  explicit ProviderGuard(EngineProvider with) : saved(set_engine_provider(EngineKind::jit, with)) {}
  ~ProviderGuard() { set_engine_provider(EngineKind::jit, saved); }
  ProviderGuard(const ProviderGuard&) = delete;
  ProviderGuard& operator=(const ProviderGuard&) = delete;
};

std::string ledgers_of(LedgerStore& store) {
  std::string text;
  for (std::size_t i = 0; i < store.size(); ++i) store.append_line(i, text);
  return text;
}

// Counts what the sessions ask of a JIT provider that wraps the real one.
std::atomic<int> compiles{0};
std::atomic<int> engines{0};

Expected<EngineFactory> counting_provider(const ir::Program& program, const RuleSetOptions&) {
  ++compiles;
  auto compiled = jit::JitProgram::compile(program);
  if (!compiled) return Error{compiled.error()};
  EngineFactory factory = [inner = jit::engine_factory(*compiled)] {
    ++engines;
    return inner();
  };
  return factory;
}

}  // namespace

TEST_CASE("a rule set loaded with the JIT settles the seed requests as the interpreter does", "[jit][api]") {
  for (const char* id : kPolicies) {
    INFO(id);
    const auto interpreted = seed_rule_set(id);
    const auto compiled = jit_rule_set(id);
    CHECK(compiled->engine() == EngineKind::jit);
    CHECK(compiled->engine_factory());
    CHECK_FALSE(interpreted->engine_factory());

    auto by_interpreter = Session::create(interpreted);
    auto by_jit = Session::create(compiled);
    auto values_interpreter = Session::create(interpreted);
    auto values_jit = Session::create(compiled);
    REQUIRE(by_interpreter);
    REQUIRE(by_jit);
    REQUIRE(values_interpreter);
    REQUIRE(values_jit);
    const auto lines = read_lines(requests_path(id));
    REQUIRE(lines.size() >= 300);
    std::uint64_t number = 0;
    for (const std::string& line : lines) {
      ++number;
      INFO(line);
      const std::string expected(by_interpreter->settle(line, number));
      CHECK(by_jit->settle(line, number) == expected);
      const std::string outcome = describe(values_interpreter->evaluate(line, number));
      CHECK(describe(values_jit->evaluate(line, number)) == outcome);
    }
    CHECK(ledgers_of(by_jit->ledgers()) == ledgers_of(by_interpreter->ledgers()));
    CHECK(ledgers_of(values_jit->ledgers()) == ledgers_of(values_interpreter->ledgers()));
    CHECK(ledgers_of(values_jit->ledgers()) == ledgers_of(by_jit->ledgers()));
  }
}

TEST_CASE("a JIT rule set compiles once and every session settles with it", "[jit][api]") {
  const ProviderGuard counting(&counting_provider);
  compiles = 0;
  engines = 0;
  auto loaded = RuleSet::from_program(seed_rule_set("dianjiang-2024")->program(), RuleSetOptions{EngineKind::jit});
  REQUIRE(loaded);
  const std::shared_ptr<const RuleSet> rules = *loaded;
  CHECK(compiles == 1);
  CHECK(engines == 0);
  const std::string line = read_lines(requests_path("dianjiang-2024")).front();

  auto settling = Session::create(rules);  // its Settler's engine
  REQUIRE(settling);
  CHECK(engines == 1);
  CHECK_FALSE(settling->settle(line).empty());
  CHECK(engines == 1);
  CHECK_FALSE(settling->evaluate(line).refused);  // the values path: one engine more, at its first request
  CHECK(engines == 2);
  CHECK_FALSE(settling->evaluate(line).refused);
  CHECK(engines == 2);

  SessionOptions explain;
  explain.explain = true;
  auto explaining = Session::create(rules, explain);  // traces are the interpreter's
  REQUIRE(explaining);
  CHECK(explaining->settle(line).find("\"explain\"") != std::string::npos);
  CHECK_FALSE(explaining->evaluate(line).refused);
  CHECK_FALSE(explaining->trace().empty());
  CHECK(engines == 2);
  CHECK(compiles == 1);
}

namespace {
RuleSetOptions seen_options;
Expected<EngineFactory> recording_provider(const ir::Program& program, const RuleSetOptions& options) {
  seen_options = options;
  auto compiled = jit::JitProgram::compile(program, {.opt_level = options.jit.opt_level, .tier_up = options.jit.tier_up});
  if (!compiled) return Error{compiled.error()};
  return EngineFactory(jit::engine_factory(*compiled));
}
}  // namespace

TEST_CASE("RuleSetOptions::jit chooses the JIT's level and tiering", "[jit][api]") {
  const auto interpreted = seed_rule_set("liaoyuan-2023");
  const auto lines = read_lines(requests_path("liaoyuan-2023"));
  {
    const ProviderGuard recording(&recording_provider);
    RuleSetOptions options{EngineKind::jit};
    options.jit = JitSettings{.opt_level = 1, .tier_up = false};
    auto loaded = RuleSet::from_program(interpreted->program(), options);
    REQUIRE(loaded);
    CHECK(seen_options.jit.opt_level == 1);
    CHECK_FALSE(seen_options.jit.tier_up);
    auto by_jit = Session::create(*loaded);
    auto by_interpreter = Session::create(interpreted);
    REQUIRE(by_jit);
    REQUIRE(by_interpreter);
    for (const std::string& line : lines) CHECK(by_jit->settle(line) == by_interpreter->settle(line));
  }
  // The installed provider takes the settings too; a level out of range is
  // refused before anything is compiled.
  jit::install();
  for (const int level : {-1, 4}) {
    RuleSetOptions options{EngineKind::jit};
    options.jit.opt_level = level;
    auto refused = RuleSet::from_program(interpreted->program(), options);
    REQUIRE_FALSE(refused);
    CHECK(refused.error() == "the JIT's optimisation level (RuleSetOptions::jit.opt_level) must be 0 to 3, not " +
                                 std::to_string(level));
  }
  RuleSetOptions quick{EngineKind::jit};
  quick.jit.tier_up = false;
  quick.jit.opt_level = 0;
  auto loaded = RuleSet::from_program(interpreted->program(), quick);
  REQUIRE(loaded);
  auto by_jit = Session::create(*loaded);
  auto by_interpreter = Session::create(interpreted);
  REQUIRE(by_jit);
  REQUIRE(by_interpreter);
  for (const std::string& line : lines) CHECK(by_jit->settle(line) == by_interpreter->settle(line));
}

TEST_CASE("RuleSetOptions::jit.cache_dir keeps the compiled code for the next load", "[jit][api][cache]") {
  namespace fs = std::filesystem;
  const auto interpreted = seed_rule_set("liaoyuan-2023");
  const auto lines = read_lines(requests_path("liaoyuan-2023"));
  const fs::path dir = fs::temp_directory_path() / ("yibao-api-jit-cache-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  jit::install();
  RuleSetOptions options{EngineKind::jit};
  options.jit = JitSettings{.opt_level = 1, .tier_up = false, .cache_dir = dir.string()};
  for (int load = 0; load < 2; ++load) {  // the first stores the object, the second loads it
    INFO("load " << load);
    auto loaded = RuleSet::from_program(interpreted->program(), options);
    REQUIRE(loaded);
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
    auto by_jit = Session::create(*loaded);
    auto by_interpreter = Session::create(interpreted);
    REQUIRE(by_jit);
    REQUIRE(by_interpreter);
    for (const std::string& line : lines) CHECK(by_jit->settle(line) == by_interpreter->settle(line));
  }
  fs::remove_all(dir);
}

TEST_CASE("explain with a JIT rule set gives the interpreter's lines", "[jit][api]") {
  const auto interpreted = seed_rule_set("liaoyuan-2023");
  const auto compiled = jit_rule_set("liaoyuan-2023");
  SessionOptions explain;
  explain.explain = true;
  auto a = Session::create(interpreted, explain);
  auto b = Session::create(compiled, explain);
  REQUIRE(a);
  REQUIRE(b);
  std::uint64_t number = 0;
  for (const std::string& line : read_lines(requests_path("liaoyuan-2023"))) {
    ++number;
    const std::string expected(a->settle(line, number));
    CHECK(b->settle(line, number) == expected);
  }
}

TEST_CASE("batches of a JIT rule set give the interpreter's bytes on any number of threads", "[jit][api]") {
  for (const char* id : {"dianjiang-2024", "sanya-2024"}) {
    INFO(id);
    const std::string text = read_file(requests_path(id)) + "not json\n";
    const auto settle = [&](const std::shared_ptr<const RuleSet>& rules, unsigned threads) {
      LedgerStore store = rules->make_ledger_store();
      LineReader lines = LineReader::from_memory(text);
      std::FILE* out = std::tmpfile();
      REQUIRE(out != nullptr);
      BatchOptions options;
      options.threads = threads;
      options.chunk_lines = 64;
      REQUIRE(settle_batch(rules, lines, out, store, options).ok());
      std::string results(static_cast<std::size_t>(std::ftell(out)), '\0');
      std::rewind(out);
      REQUIRE(std::fread(results.data(), 1, results.size(), out) == results.size());
      std::fclose(out);
      return results + ledgers_of(store);
    };
    const std::string expected = settle(seed_rule_set(id), 1);
    const auto compiled = jit_rule_set(id);
    CHECK(settle(compiled, 1) == expected);
    CHECK(settle(compiled, 3) == expected);
  }
}

TEST_CASE("rule sets load with the JIT on several threads at once", "[jit][api]") {
  jit::install();
  const char* const ids[] = {"hunan-2024", "national-2023", "sanya-2024"};
  std::vector<std::shared_ptr<const RuleSet>> loaded(std::size(ids));
  std::vector<std::string> errors(std::size(ids));
  std::vector<std::shared_ptr<const RuleSet>> interpreted;
  for (const char* id : ids) interpreted.push_back(seed_rule_set(id));  // compiled by the front end first
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < std::size(ids); ++i) {
      threads.emplace_back([&, i] {
        auto rules = RuleSet::from_program(interpreted[i]->program(), RuleSetOptions{EngineKind::jit});
        if (rules) {
          loaded[i] = *rules;
        } else {
          errors[i] = rules.error();
        }
      });
    }
  }
  for (std::size_t i = 0; i < std::size(ids); ++i) {
    INFO(ids[i] << ": " << errors[i]);
    REQUIRE(loaded[i]);
    auto a = Session::create(interpreted[i]);
    auto b = Session::create(loaded[i]);
    REQUIRE(a);
    REQUIRE(b);
    std::uint64_t number = 0;
    for (const std::string& line : read_lines(requests_path(ids[i]))) {
      ++number;
      const std::string expected(a->settle(line, number));
      CHECK(b->settle(line, number) == expected);
    }
  }
}

TEST_CASE("the C API settles with YIBAO_ENGINE_JIT as with the interpreter", "[jit][api][c]") {
  yibao_jit_install();
  CHECK(yibao_engine_available(YIBAO_ENGINE_JIT) == 1);
  for (const char* id : {"dianjiang-2024", "national-2024", "changsha-2024"}) {
    INFO(id);
    const std::vector<std::uint8_t> bytes = write_rule_set(seed_rule_set(id)->program());
    yibao_rule_set* interpreted = nullptr;
    yibao_rule_set* compiled = nullptr;
    REQUIRE(yibao_rule_set_load(bytes.data(), bytes.size(), YIBAO_ENGINE_INTERPRETER, &interpreted) == YIBAO_OK);
    REQUIRE(yibao_rule_set_load(bytes.data(), bytes.size(), YIBAO_ENGINE_JIT, &compiled) == YIBAO_OK);
    yibao_session* a = nullptr;
    yibao_session* b = nullptr;
    REQUIRE(yibao_session_create(interpreted, 0, &a) == YIBAO_OK);
    REQUIRE(yibao_session_create(compiled, 0, &b) == YIBAO_OK);
    yibao_rule_set_free(compiled);  // the session keeps the compiled code
    std::uint64_t number = 0;
    for (const std::string& line : read_lines(requests_path(id))) {
      ++number;
      const char* result = nullptr;
      std::size_t size = 0;
      REQUIRE(yibao_session_settle(a, line.data(), line.size(), number, &result, &size) == YIBAO_OK);
      const std::string expected(result, size);
      REQUIRE(yibao_session_settle(b, line.data(), line.size(), number, &result, &size) == YIBAO_OK);
      CHECK(std::string(result, size) == expected);
    }
    CHECK(yibao_session_ledger_count(b) == yibao_session_ledger_count(a));
    yibao_session_free(a);
    yibao_session_free(b);
    yibao_rule_set_free(interpreted);

    yibao_rule_set* junk = nullptr;
    CHECK(yibao_rule_set_load(bytes.data(), bytes.size() / 2, YIBAO_ENGINE_JIT, &junk) == YIBAO_LOAD_FAILED);
    CHECK(junk == nullptr);
  }
}

TEST_CASE("without the JIT installed, loading with it is refused with a message", "[jit][api]") {
  const ProviderGuard none(nullptr);
  const auto refused = RuleSet::from_program(seed_rule_set("dianjiang-2024")->program(), RuleSetOptions{EngineKind::jit});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().find("yibao::jit::install()") != std::string::npos);

  CHECK(yibao_engine_available(YIBAO_ENGINE_JIT) == 0);
  CHECK(yibao_engine_available(YIBAO_ENGINE_INTERPRETER) == 1);
  const std::vector<std::uint8_t> bytes = write_rule_set(seed_rule_set("dianjiang-2024")->program());
  yibao_rule_set* rules = nullptr;
  CHECK(yibao_rule_set_load(bytes.data(), bytes.size(), YIBAO_ENGINE_JIT, &rules) == YIBAO_UNSUPPORTED);
  CHECK(rules == nullptr);
  CHECK(std::string(yibao_last_error()).find("yibao_jit_install()") != std::string::npos);
  CHECK(yibao_rule_set_load(bytes.data(), bytes.size(), YIBAO_ENGINE_INTERPRETER, &rules) == YIBAO_OK);
  yibao_rule_set_free(rules);
  rules = nullptr;

  // Installed again: the same load succeeds.
  jit::install();
  CHECK(yibao_rule_set_load(bytes.data(), bytes.size(), YIBAO_ENGINE_JIT, &rules) == YIBAO_OK);
  yibao_rule_set_free(rules);
}
