// The C API: the same result lines as the C++ API, values, ledgers, and
// failures as status codes with messages.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <string>

#include "policies.h"
#include "yibao/yibao.h"

using namespace yibao;
using yibao::test::read_lines;
using yibao::test::seed_rule_set;
using yibao::test::source_path;

namespace {

struct Handles {
  yibao_rule_set* rules = nullptr;
  yibao_session* session = nullptr;
  ~Handles() {
    yibao_session_free(session);
    yibao_rule_set_free(rules);
  }
};

}  // namespace

TEST_CASE("the C API settles as the C++ API does", "[api][c]") {
  const auto rules = seed_rule_set("dianjiang-2024");
  Handles h;
  h.rules = c_handle(rules);
  REQUIRE(h.rules != nullptr);
  CHECK(std::string(yibao_rule_set_policy_id(h.rules)) == "dianjiang-2024");
  CHECK(yibao_rule_set_year(h.rules) == 2024);
  REQUIRE(yibao_session_create(h.rules, 0, &h.session) == YIBAO_OK);
  yibao_rule_set_free(h.rules);  // the session keeps what it needs
  h.rules = nullptr;

  auto reference = Session::create(rules);
  REQUIRE(reference);
  std::uint64_t number = 0;
  for (const std::string& line : read_lines(source_path("policies/dianjiang/2024.requests.jsonl"))) {
    ++number;
    const char* result = nullptr;
    std::size_t size = 0;
    REQUIRE(yibao_session_settle(h.session, line.data(), line.size(), number, &result, &size) == YIBAO_OK);
    CHECK(std::string(result, size) == reference->settle(line, number));
    CHECK(result[size] == '\0');
  }
  CHECK(yibao_session_ledger_count(h.session) == reference->ledgers().size());

  const std::string saved =
      (std::filesystem::temp_directory_path() / ("yibao-c-api-" + std::to_string(::getpid()) + ".ledgers")).string();
  REQUIRE(yibao_session_save_ledgers(h.session, saved.c_str()) == YIBAO_OK);
  yibao_session* resumed = nullptr;
  h.rules = c_handle(rules);
  REQUIRE(yibao_session_create(h.rules, 0, &resumed) == YIBAO_OK);
  CHECK(yibao_session_load_ledgers(resumed, saved.c_str()) == YIBAO_OK);
  CHECK(yibao_session_ledger_count(resumed) == reference->ledgers().size());
  CHECK(yibao_session_load_ledgers(resumed, saved.c_str()) == YIBAO_LEDGER_FAILED);  // each ledger once
  CHECK(std::string(yibao_last_error()).find(saved) == 0);
  yibao_session_free(resumed);
  std::remove(saved.c_str());
}

TEST_CASE("the C API reads results as values", "[api][c]") {
  Handles h;
  h.rules = c_handle(seed_rule_set("dianjiang-2024"));
  REQUIRE(yibao_session_create(h.rules, 0, &h.session) == YIBAO_OK);
  const std::string line =
      R"({"id": "r-1", "person": {"id": "p-1", "birth_date": "1961-04-30"}, )"
      R"("claim": {"kind": "inpatient", "date": "2024-03-05", "hospital_level": 3, "total": 52000.00}})";
  int refused = -1;
  REQUIRE(yibao_session_evaluate(h.session, line.data(), line.size(), 1, &refused) == YIBAO_OK);
  CHECK(refused == 0);
  std::int64_t basic = -1;
  REQUIRE(yibao_result_money(h.session, "settlement", "basic", &basic) == YIBAO_OK);
  CHECK(basic > 0);
  CHECK(basic % 10'000 == 0);
  CHECK(yibao_result_reason(h.session, "settlement") == nullptr);
  CHECK(yibao_result_money(h.session, "settlement", "nothing", &basic) == YIBAO_NOT_FOUND);
  CHECK(std::string(yibao_last_error()) == "settlement.nothing was not answered");

  const std::string before = R"({"id": "r-2", "person": {"id": "p-1", "birth_date": "1961-04-30"}, )"
                             R"("claim": {"kind": "inpatient", "date": "2023-03-05", "hospital_level": 3, "total": 10}})";
  REQUIRE(yibao_session_evaluate(h.session, before.data(), before.size(), 2, &refused) == YIBAO_OK);
  REQUIRE(yibao_result_reason(h.session, "settlement") != nullptr);
  CHECK(std::string(yibao_result_reason(h.session, "settlement")) == "before_coverage");

  const std::string bad = R"({"id": "r-3", "person": {"birth_date": "1961-04-31"}})";
  REQUIRE(yibao_session_evaluate(h.session, bad.data(), bad.size(), 9, &refused) == YIBAO_OK);
  CHECK(refused == 1);
  CHECK(std::string(yibao_result_message(h.session)).rfind("line 9: person.birth_date: ", 0) == 0);

  int found = 0;
  const char* key = nullptr;
  std::size_t key_size = 0;
  REQUIRE(yibao_session_ledger_key(h.session, line.data(), line.size(), &found, &key, &key_size) == YIBAO_OK);
  CHECK(found == 1);
  CHECK(std::string(key, key_size) == "p-1");
  REQUIRE(yibao_session_ledger_key(h.session, bad.data(), bad.size(), &found, &key, &key_size) == YIBAO_OK);
  CHECK(found == 0);
}

TEST_CASE("the C API fails with codes and messages", "[api][c]") {
  yibao_rule_set* rules = nullptr;
  CHECK(yibao_rule_set_load_file("/nonexistent.ybc", YIBAO_ENGINE_INTERPRETER, &rules) == YIBAO_LOAD_FAILED);
  CHECK(rules == nullptr);
  CHECK(std::string(yibao_last_error()).find("/nonexistent.ybc") != std::string::npos);
  const char junk[] = "not a rule set";
  CHECK(yibao_rule_set_load(junk, sizeof junk, YIBAO_ENGINE_INTERPRETER, &rules) == YIBAO_LOAD_FAILED);
  CHECK(yibao_rule_set_load_file(nullptr, YIBAO_ENGINE_INTERPRETER, &rules) == YIBAO_INVALID_ARGUMENT);
  // Without yibao_jit_install() (api_tests do not link the JIT): refused
  // before the file is even read, and never interpreted instead.
  CHECK(yibao_engine_available(YIBAO_ENGINE_INTERPRETER) == 1);
  CHECK(yibao_engine_available(YIBAO_ENGINE_JIT) == 0);
  CHECK(yibao_rule_set_load_file("/nonexistent.ybc", YIBAO_ENGINE_JIT, &rules) == YIBAO_UNSUPPORTED);
  CHECK(std::string(yibao_last_error()).find("yibao_jit_install()") != std::string::npos);
  CHECK(yibao_rule_set_load(junk, sizeof junk, YIBAO_ENGINE_JIT, &rules) == YIBAO_UNSUPPORTED);
  CHECK(rules == nullptr);
  CHECK(yibao_session_create(nullptr, 0, nullptr) == YIBAO_INVALID_ARGUMENT);
  CHECK(std::string(yibao_last_error()) == "yibao_session_create: a NULL argument");
  const char* result = nullptr;
  std::size_t size = 0;
  CHECK(yibao_session_settle(nullptr, "x", 1, 1, &result, &size) == YIBAO_INVALID_ARGUMENT);
  yibao_rule_set_free(nullptr);
  yibao_session_free(nullptr);
  CHECK(std::string(yibao_version()).find('.') != std::string::npos);
}
