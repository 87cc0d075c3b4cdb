// Sessions over the seed policies: the JSON path gives `yibao eval`'s
// bytes, the values path the same answers as values, the structs the same
// answers as their JSON, and the ledgers carry over as in one run.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "policies.h"
#include "yibao/request_reader.h"
#include "yibao/settle.h"

using namespace yibao;
using yibao::test::describe;
using yibao::test::read_file;
using yibao::test::read_lines;
using yibao::test::seed_rule_set;
using yibao::test::source_path;

namespace {

// What settle_stream (the engine of `yibao eval`) writes for `text`.
std::string settle_reference(const RuleSet& rules, const std::string& text, bool explain = false) {
  LedgerStore ledgers = rules.make_ledger_store();
  LineReader lines = LineReader::from_memory(text);
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  SettleOptions options;
  options.explain = explain;
  REQUIRE(settle_stream(rules.program(), lines, out, ledgers, options).ok());
  std::string result(static_cast<std::size_t>(std::ftell(out)), '\0');
  std::rewind(out);
  REQUIRE(std::fread(result.data(), 1, result.size(), out) == result.size());
  std::fclose(out);
  return result;
}

SessionOptions explaining() {
  SessionOptions options;
  options.explain = true;
  return options;
}

const char* const kSeeds[] = {"liaoyuan-2023", "dianjiang-2024", "national-2023", "national-2024",
                              "sanya-2024",    "hunan-2024",     "changsha-2024"};

std::string requests_path(std::string_view id) {
  const auto dash = id.rfind('-');
  return source_path("policies/" + std::string(id.substr(0, dash)) + "/" + std::string(id.substr(dash + 1)) +
                     ".requests.jsonl");
}

constexpr std::string_view kExample =
    R"({"id": "r-17", "person": {"id": "p-3", "birth_date": "1961-04-30", "categories": ["dibao"], "tier": 1, )"
    R"("hukou": "local", "employee_insured": false}, "enrollment": {"paid_on": "2023-11-02", "continuing": true}, )"
    R"("claim": {"kind": "inpatient", "date": "2024-03-05", "hospital_level": 3, "tcm_hospital": false, )"
    R"("childrens_hospital": false, "remote": "none", "direct_settled": true, "total": 52000.00, "compliant": 48000.00, )"
    R"("class_b": 6000.00, "special_drug": 0, "tcm_drug": 0, "cause": "illness"}})";

resident::Request example_struct() {
  resident::Request r;
  r.id = "r-17";
  r.person.id = "p-3";
  r.person.birth_date = *from_ymd(1961, 4, 30);
  r.person.categories = {resident::Category::dibao};
  r.enrollment = resident::Enrollment{*from_ymd(2023, 11, 2), true};
  resident::Claim c;
  c.kind = resident::Kind::inpatient;
  c.date = *from_ymd(2024, 3, 5);
  c.hospital_level = 3;
  c.total = yuan(52000);
  c.compliant = yuan(48000);
  c.class_b = yuan(6000);
  r.claim = c;
  return r;
}

}  // namespace

TEST_CASE("a session settles every seed request line as yibao eval does", "[api]") {
  for (const char* id : kSeeds) {
    INFO(id);
    const auto rules = seed_rule_set(id);
    const std::string text = read_file(requests_path(id));
    auto session = Session::create(rules);
    REQUIRE(session);
    std::string out;
    std::uint64_t number = 0;
    for (const std::string& line : read_lines(requests_path(id))) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines get no result
      session->settle(line, number, out);
    }
    CHECK(out == settle_reference(*rules, text));
  }
}

TEST_CASE("explain in a session's result lines is eval --explain's", "[api]") {
  const auto rules = seed_rule_set("dianjiang-2024");
  auto session = Session::create(rules, explaining());
  REQUIRE(session);
  const std::string line(kExample);
  CHECK(std::string(session->settle(line)) == settle_reference(*rules, line + "\n", true));
  CHECK(session->settle(line).find("\"explain\": [") != std::string_view::npos);
}

TEST_CASE("evaluate gives as values what settle writes as text", "[api]") {
  for (const char* id : kSeeds) {
    INFO(id);
    const auto rules = seed_rule_set(id);
    auto values = Session::create(rules);
    auto lines = Session::create(rules);
    REQUIRE(values);
    REQUIRE(lines);
    std::uint64_t number = 0;
    for (const std::string& line : read_lines(requests_path(id))) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      INFO(line);
      const std::string result(lines->settle(line, number));
      const Outcome& o = values->evaluate(line, number);
      if (o.refused) {
        CHECK(result.find("\"bad_input\"") != std::string::npos);
        std::string message;
        message.resize(json_string_bound(o.message.size()));
        message.resize(static_cast<std::size_t>(write_json_string(message.data(), o.message) - message.data()));
        CHECK(result.find("\"message\": " + message) != std::string::npos);
        continue;
      }
      REQUIRE(o.sections.size() == rules->section_count());
      for (const SectionResult& s : o.sections) {
        const std::string key = "\"" + std::string(s.name) + "\": ";
        if (s.kind == SectionResult::Kind::absent) {
          CHECK(result.find(key) == std::string::npos);
          continue;
        }
        const auto at = result.find(key);
        REQUIRE(at != std::string::npos);
        const std::string tail = result.substr(at);
        if (s.kind == SectionResult::Kind::reason) CHECK(tail.find("\"reason\": \"" + std::string(s.reason) + "\"") != std::string::npos);
        if (s.kind == SectionResult::Kind::error) CHECK(tail.substr(key.size()).rfind("{\"error\": {\"code\": ", 0) == 0);
        for (const FieldValue& f : s.fields) {
          if (f.type != ir::Type::money) continue;
          CHECK(tail.find("\"" + std::string(f.name) + "\": " + money_to_string(f.raw)) != std::string::npos);
        }
      }
    }
  }
}

TEST_CASE("the interchange example as structs and as JSON", "[api]") {
  const auto rules = seed_rule_set("dianjiang-2024");
  auto json = Session::create(rules);
  auto structs = Session::create(rules);
  REQUIRE(json);
  REQUIRE(structs);
  const std::string from_json = describe(json->evaluate(kExample));
  const Outcome& o = structs->evaluate(example_struct());
  CHECK(describe(o) == from_json);
  REQUIRE_FALSE(o.refused);
  CHECK(o.id == std::optional<std::string_view>("r-17"));
  // The contract's example result (interchange.md, "Result").
  CHECK(o.money("settlement", "basic") == yuan(23600));
  CHECK(o.money("settlement", "critical") == 10'064'280'000);
  CHECK(o.money("contribution", "personal") == yuan(38));
  CHECK(o.money("settlement", "nothing") == std::nullopt);
  const SectionResult* coverage = o.section("coverage");
  REQUIRE(coverage != nullptr);
  REQUIRE(coverage->field("from") != nullptr);
  CHECK(coverage->field("from")->raw == *from_ymd(2024, 1, 1));
  // Both sessions applied the claim to their own ledgers.
  CHECK(json->ledgers().size() == 1);
  CHECK(structs->ledgers().size() == 1);
}

TEST_CASE("structs take the contract's defaults and are checked like JSON", "[api]") {
  const auto rules = seed_rule_set("dianjiang-2024");
  auto json = Session::create(rules);
  auto structs = Session::create(rules);
  REQUIRE(json);
  REQUIRE(structs);

  SECTION("no enrollment, no claim, compliant from total") {
    resident::Request r;
    r.id = "a";
    r.person.birth_date = *from_ymd(1990, 1, 1);
    CHECK(describe(structs->evaluate(r)) ==
          describe(json->evaluate(R"({"id": "a", "person": {"birth_date": "1990-01-01"}})")));
    r.person.id = "p";
    r.claim = resident::Claim{};
    r.claim->kind = resident::Kind::outpatient;
    r.claim->date = *from_ymd(2024, 5, 1);
    r.claim->total = 12'340'000;
    CHECK(describe(structs->evaluate(r)) ==
          describe(json->evaluate(R"({"id": "a", "person": {"id": "p", "birth_date": "1990-01-01"}, )"
                                  R"("claim": {"kind": "outpatient", "date": "2024-05-01", "hospital_level": 1, "total": 12.34}})")));
  }
  SECTION("a value JSON could not carry") {
    resident::Request r = example_struct();
    r.claim->total = 1'005'000;  // 1.005 yuan
    const Outcome& o = structs->evaluate(r);
    CHECK(o.refused);
    CHECK(o.message == "claim.total: expected an amount with at most two decimals, got 1.005");
    r.claim->total = yuan(52000);
    r.claim->hospital_level = 7;
    CHECK(structs->evaluate(r).message == "claim.hospital_level: expected a whole number from 1 to 3, got 7");
  }
  SECTION("the policy's request checks") {
    resident::Request r = example_struct();
    r.claim->compliant = yuan(60000);
    const Outcome& o = structs->evaluate(r);
    CHECK(o.refused);
    CHECK(o.message == "claim.compliant: may not exceed `claim.total`");
    CHECK(structs->ledgers().size() == 0);
  }
}

TEST_CASE("a ledger store shared by sessions carries a person's claims", "[api]") {
  const auto rules = seed_rule_set("dianjiang-2024");
  const std::string text = read_file(requests_path("dianjiang-2024"));
  const std::vector<std::string> lines = read_lines(requests_path("dianjiang-2024"));
  LedgerStore store = rules->make_ledger_store();
  auto first = Session::create(rules, store);
  auto second = Session::create(rules, store);
  REQUIRE(first);
  REQUIRE(second);
  std::string out;
  std::uint64_t number = 0;
  for (const std::string& line : lines) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    (number % 2 == 0 ? *first : *second).settle(line, number, out);
  }
  CHECK(out == settle_reference(*rules, text));
  CHECK(&first->ledgers() == &store);

  LedgerStore other("liaoyuan-2023", {});
  const auto refused = Session::create(rules, other);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().find("liaoyuan-2023") != std::string::npos);
}

TEST_CASE("the trace names the rules computed", "[api]") {
  const auto rules = seed_rule_set("dianjiang-2024");
  auto quiet = Session::create(rules);
  auto explained = Session::create(rules, explaining());
  REQUIRE(quiet);
  REQUIRE(explained);
  (void)quiet->evaluate(kExample);
  CHECK(quiet->trace().empty());
  (void)explained->evaluate(kExample);
  REQUIRE_FALSE(explained->trace().empty());
  bool saw_basic = false;
  for (const TraceStep& step : explained->trace()) {
    CHECK_FALSE(rules->rule_name(step.rule).empty());
    saw_basic = saw_basic || rules->rule_name(step.rule).find("basic") != std::string_view::npos;
  }
  CHECK(saw_basic);
}

TEST_CASE("ledger keys tell whose a request line is", "[api]") {
  auto session = Session::create(seed_rule_set("dianjiang-2024"));
  REQUIRE(session);
  CHECK(session->ledger_key(kExample) == std::optional<std::string_view>("p-3"));
  CHECK(session->ledger_key(R"({"id": "a", "person": {"id": "p\u002d3", "birth_date": "1990-01-01"}})") ==
        std::optional<std::string_view>("p-3"));
  CHECK(session->ledger_key(R"({"id": "a", "person": {"birth_date": "1990-01-01"}})") == std::nullopt);
  CHECK(session->ledger_key("not json") == std::nullopt);
  CHECK(session->ledger_key(R"({"id": "a", "person": {"id": null, "birth_date": "1990-01-01"}})") == std::nullopt);
  CHECK(session->ledger_key(R"({"id": "p-9", "person": {"birth_date": "1990-01-01", "id": "p-4"}, "claim": {"id": "x"}})") ==
        std::optional<std::string_view>("p-4"));
  CHECK(session->ledger_key(R"({"person": {"categories": ["dibao", "tekun"], "x": {"id": "no"}, "id": "p-5"}})") ==
        std::optional<std::string_view>("p-5"));
}

TEST_CASE("a ledger key is the key the reader decodes, for every line it accepts", "[api]") {
  const std::string variants[] = {
      R"({"id": "a", "person": {"id": "p-3", "birth_date": "1990-01-01"}})",
      R"({ "person" : { "birth_date" : "1990-01-01" , "id" : "p 3" } , "id" : "a" })",
      R"({"id": "a", "person": {"id": "p-3", "id": "p-4", "birth_date": "1990-01-01"}})",
      R"({"id": "a", "person": {"id": "p-3", "birth_date": "1990-01-01"}, "person": {"id": "p-4"}})",
      R"({"id": "a", "person": {"id": 3, "birth_date": "1990-01-01"}})",
      R"({"id": "a", "person": {"id": "", "birth_date": "1990-01-01"}})",
      R"({"id": "a", "person": {"birth_date": "1990-01-01"}, "claim": {"kind": "inpatient"}})",
      R"({"id": "a", "person": {"id": "é", "birth_date": "1990-01-01"}} trailing)",
  };
  for (const char* id : kSeeds) {
    const auto rules = seed_rule_set(id);
    auto session = Session::create(rules);
    REQUIRE(session);
    auto reader = RequestReader::create(rules->program().schema);
    REQUIRE(reader);
    Request request = reader->make_request();
    const int key = rules->program().ledger_key_field;
    auto lines = read_lines(requests_path(id));
    lines.insert(lines.end(), std::begin(variants), std::end(variants));
    for (const std::string& line : lines) {
      if (!reader->read(line, request)) continue;
      INFO(line);
      const auto decoded = key >= 0 && request.has(key) ? std::optional<std::string>(request.text(key)) : std::nullopt;
      const auto scanned = session->ledger_key(line);
      CHECK(decoded == (scanned ? std::optional<std::string>(*scanned) : std::nullopt));
    }
  }
}

TEST_CASE("rule sets refuse what they cannot do", "[api]") {
  auto program = seed_rule_set("dianjiang-2024")->program();
  // api_tests never link yibao::jit: asked for, the JIT is refused, not
  // replaced by the interpreter (tests/jit/jit_api_test.cpp has it installed).
  const auto jit = RuleSet::from_program(program, RuleSetOptions{EngineKind::jit});
  REQUIRE_FALSE(jit);
  CHECK(jit.error().find("the JIT engine is not installed") != std::string::npos);
  CHECK(jit.error().find("yibao::jit::install()") != std::string::npos);

  const auto missing = RuleSet::load_file("/nonexistent/policy.ybc");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("/nonexistent/policy.ybc") != std::string::npos);
  const std::uint8_t junk[] = {1, 2, 3};
  CHECK_FALSE(RuleSet::load(junk));

  program.schema.id_field = 12345;
  const auto invalid = RuleSet::from_program(program);
  REQUIRE_FALSE(invalid);
  CHECK(invalid.error().find("schema") != std::string::npos);

  const auto rules = seed_rule_set("dianjiang-2024");
  CHECK(rules->policy_id() == "dianjiang-2024");
  CHECK(rules->year() == 2024);
  const int settlement = rules->section_index("settlement");
  CHECK(settlement >= 0);
  CHECK(rules->field_index(settlement, "basic") >= 0);
  CHECK(rules->field_index(settlement, "nothing") == -1);
  CHECK(rules->section_index("nothing") == -1);
  CHECK(rules->resident_binding() != nullptr);
}
