// settle_batch: the same result bytes and the same ledgers (values and
// order) for any number of threads and any chunk size, with bad lines and
// ledgers loaded before.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "policies.h"

using namespace yibao;
using yibao::test::read_file;
using yibao::test::seed_rule_set;
using yibao::test::source_path;

namespace {

struct Run {
  std::string results;
  std::string ledgers;  // the store's lines, in its order
};

BatchOptions batch(unsigned threads, bool explain, std::size_t chunk = 8192) {
  BatchOptions options;
  options.threads = threads;
  options.explain = explain;
  options.chunk_lines = chunk;
  return options;
}

Run run(const std::shared_ptr<const RuleSet>& rules, const std::string& text, BatchOptions options,
        const std::string& ledgers_before = "") {
  LedgerStore store = rules->make_ledger_store();
  if (!ledgers_before.empty()) {
    LineReader saved = LineReader::from_memory(ledgers_before);
    REQUIRE(store.load(saved).ok());
  }
  LineReader lines = LineReader::from_memory(text);
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  const Status s = settle_batch(rules, lines, out, store, options);
  REQUIRE(s.ok());
  Run r;
  r.results.resize(static_cast<std::size_t>(std::ftell(out)));
  std::rewind(out);
  REQUIRE(std::fread(r.results.data(), 1, r.results.size(), out) == r.results.size());
  std::fclose(out);
  for (std::size_t i = 0; i < store.size(); ++i) store.append_line(i, r.ledgers);
  return r;
}

// The seed requests of dianjiang, three times over with persons renamed per
// round, and a few lines that cannot be read.
std::string requests() {
  const std::string seed = read_file(source_path("policies/dianjiang/2024.requests.jsonl"));
  std::string text;
  for (int round = 0; round < 3; ++round) {
    // `"id": "p-3"` -> `"id": "p<round>-3"`: other persons in each round.
    constexpr std::string_view kPerson = "\"id\": \"p";
    std::size_t from = 0;
    for (std::size_t at = seed.find(kPerson); at != std::string::npos; at = seed.find(kPerson, at + 1)) {
      text.append(seed, from, at + kPerson.size() - from);
      text.append(std::to_string(round));
      from = at + kPerson.size();
    }
    text.append(seed, from);
    text += "not json\n\n{\"id\": \"x\", \"person\": {\"id\": \"p1\"}}\n";
  }
  return text;
}

}  // namespace

TEST_CASE("settling on threads gives one thread's bytes", "[api][batch]") {
  const auto rules = seed_rule_set("dianjiang-2024");
  const std::string text = requests();
  const Run one = run(rules, text, batch(1, false));
  REQUIRE_FALSE(one.results.empty());
  REQUIRE_FALSE(one.ledgers.empty());
  CHECK(one.results.find("\"bad_input\"") != std::string::npos);
  for (const unsigned threads : {2U, 3U, 4U, 7U}) {
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{8192}}) {
      INFO("threads " << threads << ", chunk " << chunk);
      const Run many = run(rules, text, batch(threads, false, chunk));
      CHECK(many.results == one.results);
      CHECK(many.ledgers == one.ledgers);
    }
  }
}

TEST_CASE("settling on threads resumes loaded ledgers as one thread does", "[api][batch]") {
  const auto rules = seed_rule_set("dianjiang-2024");
  const std::string text = requests();
  const std::size_t half = text.find('\n', text.size() / 2) + 1;
  const std::string first = text.substr(0, half);
  const std::string second = text.substr(half);
  const Run a = run(rules, first, batch(1, false));
  const Run b1 = run(rules, second, batch(1, false), a.ledgers);
  const Run b4 = run(rules, second, batch(4, false, 7), a.ledgers);
  CHECK(b4.results == b1.results);
  CHECK(b4.ledgers == b1.ledgers);
}

TEST_CASE("explain on threads", "[api][batch]") {
  const auto rules = seed_rule_set("dianjiang-2024");
  const std::string text = read_file(source_path("policies/dianjiang/2024.requests.jsonl"));
  const Run one = run(rules, text, batch(1, true));
  CHECK(one.results.find("\"explain\"") != std::string::npos);
  CHECK(run(rules, text, batch(3, true, 4)).results == one.results);
}
