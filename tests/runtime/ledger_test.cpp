// Ledgers: lookup, creation, save and load.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "yibao/ledger.h"
#include "yibao/money.h"

using namespace yibao;

namespace {

LedgerStore make_store() { return LedgerStore("liaoyuan-2023", {"basic_paid", "critical_paid", "deductible_used"}); }

std::string temp_path(const char* name) {
  return std::string(std::getenv("TMPDIR") != nullptr ? std::getenv("TMPDIR") : "/tmp") + "/yibao-test-" +
         std::to_string(::getpid()) + "-" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Status load_text(LedgerStore& store, std::string_view text) {
  LineReader lines = LineReader::from_memory(text);
  return store.load(lines);
}

}  // namespace

TEST_CASE("ledgers are created zeroed and found again", "[ledger]") {
  LedgerStore store = make_store();
  CHECK(store.size() == 0);
  CHECK(store.find("p-3", 2023) == LedgerStore::npos);
  const std::size_t a = store.find_or_create("p-3", 2023);
  CHECK(store.size() == 1);
  for (const std::int64_t v : store.slots(a)) CHECK(v == 0);
  store.slots(a)[0] = yuan(100);
  CHECK(store.find_or_create("p-3", 2023) == a);
  CHECK(store.find("p-3", 2023) == a);
  const std::size_t b = store.find_or_create("p-3", 2024);
  CHECK(b != a);
  CHECK(store.slots(b)[0] == 0);
  CHECK(store.find("p-4", 2023) == LedgerStore::npos);
  CHECK(store.slot_index("critical_paid") == 1);
  CHECK(store.slot_index("nothing") == -1);
  const LedgerEntry e = store.entry(a);
  CHECK(e.person == "p-3");
  CHECK(e.year == 2023);
  CHECK(e.slots[0] == yuan(100));
}

TEST_CASE("many ledgers keep their keys and values through growth", "[ledger]") {
  LedgerStore store = make_store();
  constexpr int kPeople = 100'000;
  for (int i = 0; i < kPeople; ++i) {
    const std::string id = "person-" + std::to_string(i);
    const std::size_t index = store.find_or_create(id, 2023 + i % 2);
    REQUIRE(index == static_cast<std::size_t>(i));
    store.slots(index)[2] = i;
  }
  CHECK(store.size() == kPeople);
  for (int i = 0; i < kPeople; i += 997) {
    const std::string id = "person-" + std::to_string(i);
    const std::size_t index = store.find(id, 2023 + i % 2);
    REQUIRE(index != LedgerStore::npos);
    CHECK(store.slots(index)[2] == i);
    CHECK(store.find(id, 2023 + (i + 1) % 2) == LedgerStore::npos);
  }
  // Long ids and empty ids are keys like any other.
  const std::string long_id(1000, 'z');
  const std::size_t l = store.find_or_create(long_id, 2023);
  CHECK(store.find(long_id, 2023) == l);
  CHECK(store.find(std::string(999, 'z'), 2023) == LedgerStore::npos);
  const std::size_t empty = store.find_or_create("", 2023);
  CHECK(store.find("", 2023) == empty);
  CHECK(store.find_or_create(std::string_view(), 2023) == empty);  // a view with no pointer is the same empty id
  store.clear();
  CHECK(store.size() == 0);
  CHECK(store.find("person-1", 2024) == LedgerStore::npos);
}

TEST_CASE("ids either side of the length kept in the entry are told apart", "[ledger]") {
  // Ids of up to 16 bytes live in the ledger's entry, longer ones apart
  // (ledger.h): ids that share 16 bytes, or differ only in their last byte
  // or their length, are distinct keys, found again after growth.
  LedgerStore store = make_store();
  std::vector<std::string> ids;
  for (std::size_t n = 1; n <= 40; ++n) {
    ids.push_back(std::string(n, 'a'));
    ids.push_back(std::string(n - 1, 'a') + 'b');
    ids.push_back("0123456789abcdef" + std::string(n, 'x'));
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    REQUIRE(store.find(ids[i], 2023) == LedgerStore::npos);
    REQUIRE(store.find_or_create(ids[i], 2023) == i);
    store.slots(i)[0] = static_cast<std::int64_t>(i);
  }
  for (int k = 0; k < 5000; ++k) store.find_or_create("filler-" + std::to_string(k), 2024);  // grows the table
  for (std::size_t i = 0; i < ids.size(); ++i) {
    REQUIRE(store.find(ids[i], 2023) == i);
    CHECK(store.entry(i).person == ids[i]);
    CHECK(store.slots(i)[0] == static_cast<std::int64_t>(i));
    CHECK(store.find(ids[i], 2024) == LedgerStore::npos);
  }
}

TEST_CASE("lookups with a hash computed before, and prefetch hints, give the same ledgers", "[ledger]") {
  LedgerStore plain = make_store();
  LedgerStore hinted = make_store();
  for (int i = 0; i < 20'000; ++i) {
    const std::string id = "p-" + std::to_string(i * 7919 % 3000);  // ids seen again, in no order
    const std::int32_t year = 2023 + i % 3;
    const std::uint64_t hash = LedgerStore::hash_of(id, year);
    hinted.prefetch_bucket(hash);
    hinted.prefetch_ledger(hash);
    REQUIRE(hinted.find_or_create(id, year, hash) == plain.find_or_create(id, year));
  }
  CHECK(hinted.size() == plain.size());
  // A hint on an empty store, or for a key it does not hold, does nothing.
  LedgerStore empty = make_store();
  empty.prefetch_bucket(LedgerStore::hash_of("nobody", 2023));
  empty.prefetch_ledger(LedgerStore::hash_of("nobody", 2023));
  CHECK(empty.size() == 0);
}

TEST_CASE("a ledger line in the documented format", "[ledger]") {
  LedgerStore store = make_store();
  const std::size_t i = store.find_or_create("p-3", 2023);
  store.slots(i)[0] = 1'234'560'000;
  store.slots(i)[1] = 1;
  store.slots(i)[2] = -3'500'000;
  std::string line;
  store.append_line(i, line);
  CHECK(line ==
        R"({"policy": "liaoyuan-2023", "person": "p-3", "year": 2023, "slots": {"basic_paid": 1234.56, "critical_paid": 0.000001, "deductible_used": -3.50}})"
        "\n");
}

TEST_CASE("ledgers survive a save and a load exactly", "[ledger]") {
  LedgerStore store = make_store();
  for (int i = 0; i < 1000; ++i) {
    const std::size_t index = store.find_or_create("p-" + std::to_string(i) + "\"é", 2020 + i % 5);
    store.slots(index)[0] = i * 1'000'001LL;
    store.slots(index)[1] = -i;
    store.slots(index)[2] = INT64_MAX - i;
  }
  const std::string path = temp_path("ledgers.jsonl");
  REQUIRE(store.save_file(path));
  LedgerStore loaded = make_store();
  const Status status = loaded.load_file(path);
  INFO(status.error());
  REQUIRE(status);
  REQUIRE(loaded.size() == store.size());
  for (std::size_t i = 0; i < store.size(); ++i) {
    const LedgerEntry a = store.entry(i);
    const LedgerEntry b = loaded.entry(i);
    CHECK(a.person == b.person);
    CHECK(a.year == b.year);
    CHECK(std::equal(a.slots.begin(), a.slots.end(), b.slots.begin()));
  }
  // Saving again gives the same bytes.
  const std::string again = temp_path("ledgers-again.jsonl");
  REQUIRE(loaded.save_file(again));
  CHECK(read_file(path) == read_file(again));
  std::remove(path.c_str());
  std::remove(again.c_str());
}

TEST_CASE("loading accepts slots in any order, blank lines and a BOM", "[ledger]") {
  LedgerStore store = make_store();
  const Status s = load_text(store,
                             "\xEF\xBB\xBF{\"policy\": \"liaoyuan-2023\", \"person\": \"p-1\", \"year\": 2023, \"slots\": "
                             "{\"deductible_used\": 1, \"basic_paid\": 2.5, \"critical_paid\": 0.000001}}\r\n\n");
  INFO(s.error());
  REQUIRE(s);
  const std::size_t i = store.find("p-1", 2023);
  REQUIRE(i != LedgerStore::npos);
  CHECK(store.slots(i)[0] == 2'500'000);
  CHECK(store.slots(i)[1] == 1);
  CHECK(store.slots(i)[2] == yuan(1));
}

TEST_CASE("loading reports problems with line numbers and changes nothing", "[ledger]") {
  const std::string good =
      R"({"policy": "liaoyuan-2023", "person": "p-1", "year": 2023, "slots": {"basic_paid": 1.00, "critical_paid": 0.00, "deductible_used": 0.00}})";
  const auto error = [&](std::string_view bad_line) {
    LedgerStore store = make_store();
    const Status s = load_text(store, good + "\n\n" + std::string(bad_line) + "\n");
    REQUIRE_FALSE(s);
    CHECK(store.size() == 0);  // all or nothing
    return s.error();
  };
  CHECK(error(R"({"policy": "sanya-2024", "person": "p-2", "year": 2023, "slots": {}})") ==
        "line 3: policy: these ledgers belong to another policy: expected liaoyuan-2023, got sanya-2024");
  CHECK(error(R"({"policy": "liaoyuan-2023", "person": "p-2", "year": 2023, "slots": {"basic_payd": 1.00}})") ==
        "line 3: slots.basic_payd: unknown slot for policy liaoyuan-2023 (did you mean basic_paid?)");
  CHECK(error(R"({"policy": "liaoyuan-2023", "person": "p-2", "year": 2023, "slots": {"basic_paid": 1.00}})") ==
        "line 3: slots.critical_paid: missing");
  CHECK(error(R"({"policy": "liaoyuan-2023", "person": "p-2", "year": 2023, "slots": {"basic_paid": 1.0000001, "critical_paid": 0, "deductible_used": 0}})") ==
        "line 3: slots.basic_paid: expected an amount with at most six decimals, got 1.0000001");
  CHECK(error(R"({"policy": "liaoyuan-2023", "person": "p-2", "year": 2023, "slots": {"basic_paid": 1, "basic_paid": 1}})") ==
        "line 3: slots.basic_paid: given twice");
  CHECK(error(R"({"policy": "liaoyuan-2023", "person": "p-2", "year": "2023", "slots": {}})") ==
        "line 3: year: expected a year from 1 to 9999, got \"2023\"");
  CHECK(error(R"({"policy": "liaoyuan-2023", "person": "p-2", "slots": {"basic_paid": 1, "critical_paid": 0, "deductible_used": 0}})") ==
        "line 3: year: missing");
  CHECK(error(R"({"policy": "liaoyuan-2023", "persn": "p-2"})") == "line 3: persn: unknown key (did you mean person?)");
  CHECK(error(good) == "line 3: ledger of person \"p-1\" in 2023 is given twice");
  CHECK(error("{not json") == "line 3: not valid JSON");
  CHECK(error("[]") == "line 3: expected a JSON object");
  CHECK(error(R"({"policy": "liaoyuan-2023", "person": 3})") == "line 3: person: expected a string, got 3");
  CHECK(error(R"({"policy": "liaoyuan-2023", "person": "p-2", "year": 2023, "slots": {"basic_paid": 99999999999999, "critical_paid": 0, "deductible_used": 0}})") ==
        "line 3: slots.basic_paid: expected an amount with at most six decimals, got 99999999999999");
}

TEST_CASE("a ledger already in the store is not loaded twice", "[ledger]") {
  LedgerStore store = make_store();
  const std::size_t i = store.find_or_create("p-1", 2023);
  store.slots(i)[0] = 7;
  const Status s = load_text(store,
                             R"({"policy": "liaoyuan-2023", "person": "p-1", "year": 2023, "slots": {"basic_paid": 1.00, "critical_paid": 0.00, "deductible_used": 0.00}})");
  REQUIRE_FALSE(s);
  CHECK(s.error() == "line 1: ledger of person \"p-1\" in 2023 is already loaded");
  CHECK(store.slots(i)[0] == 7);
}

TEST_CASE("file errors are returned", "[ledger]") {
  LedgerStore store = make_store();
  const Status missing = store.load_file("/nonexistent/ledgers.jsonl");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("cannot open ledgers /nonexistent/ledgers.jsonl: ") == 0);
  const Status unwritable = store.save_file("/nonexistent/dir/ledgers.jsonl");
  REQUIRE_FALSE(unwritable);
  CHECK(unwritable.error().find("cannot write ledgers to /nonexistent/dir/ledgers.jsonl.tmp: ") == 0);
}

TEST_CASE("slot data is 8 bytes a slot", "[ledger]") {
  LedgerStore store("x", {"a", "b", "c", "d", "e", "f", "g", "h"});
  const std::size_t i = store.find_or_create("p", 1);
  CHECK(store.slots(i).size_bytes() == 64);
}
