// The rule-set file (rule_set_file.h) on a hand-built program that uses
// every part of the IR: round trips, locations only with debug info, and
// every way a file can be wrong (truncated, corrupted, wrong magic, other
// version, other byte order, other IR, trailing bytes, bad counts, bad
// indices) gives an error, never a crash. The seven seed policies are
// round-tripped through the compiler in tests/cli/rule_set_policies_test.cpp.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "runtime/src/rule_set_format.h"
#include "test_schema.h"
#include "yibao/evaluator.h"
#include "yibao/ledger.h"
#include "yibao/line_reader.h"
#include "yibao/rule_set_file.h"
#include "yibao/settle.h"

using namespace yibao;
using ir::Op;
using ir::Type;

namespace {

constexpr ir::TypeRef kMoney{Type::money, -1};
constexpr ir::TypeRef kBool{Type::boolean, -1};
constexpr ir::TypeRef kRate{Type::rate, -1};
constexpr ir::TypeRef kPoints{Type::points, -1};
constexpr ir::TypeRef kBrackets{Type::brackets, -1};
constexpr ir::TypeRef kText{Type::text, -1};
constexpr ir::TypeRef kKind{Type::enumeration, 2};  // test_schema.h: enum 2 = kind (6 members)
constexpr ir::TypeRef kCategories{Type::enum_set, 0};

struct Builder {
  ir::Program p;
  std::int32_t node(Op op, ir::TypeRef type, std::vector<std::int32_t> kids = {}, std::int32_t ref = -1,
                    std::int64_t imm = 0) {
    ir::Node n;
    n.op = op;
    n.type = type;
    n.ref = ref;
    n.imm = imm;
    n.first_kid = static_cast<std::uint32_t>(p.kids.size());
    n.kid_count = static_cast<std::uint32_t>(kids.size());
    n.loc = {0, static_cast<std::int32_t>(p.nodes.size() + 10)};
    for (const auto k : kids) p.kids.push_back(static_cast<std::uint32_t>(k));
    p.nodes.push_back(n);
    return static_cast<std::int32_t>(p.nodes.size() - 1);
  }
  std::int32_t constant(ir::TypeRef t, std::int64_t v) { return node(Op::constant, t, {}, -1, v); }
  std::int32_t field(const char* path) { return p.schema.find_field(path); }
};

// A program with something in every section of the format.
ir::Program sample_program() {
  Builder b;
  ir::Program& p = b.p;
  p.policy_id = "demo-2024";
  p.title = "示例政策";
  p.region = "示例省";
  p.source = "test";
  p.year = 2024;
  p.schema = test::resident_schema();
  p.ledger_key_field = b.field("person.id");
  p.files = {"demo/2024.yb", "std/resident.yb"};
  p.domains = {{"level", 1, 3}};
  p.strings = {"已参保", "未参保"};
  p.unspecifieds = {{"remote_rate", "另行规定", {1, 7}}};
  p.params = {{"deductible", kMoney, false, -1, 300'000'000, {0, 3}}, {"remote", kRate, true, 0, 0, {0, 4}}};
  const std::int32_t kind_field = b.field("claim.kind");
  const std::int32_t total = b.field("claim.total");
  const std::int32_t level = b.field("claim.hospital_level");
  // A money table by kind (one cell unspecified), a rate table by level and kind.
  ir::Table by_kind{"cap", kMoney, {{0, 5, kKind}}, {1'000'000'000, 2, 3'000'000'000, 4, 5, 6}, {-1, -1, -1, -1, -1, 0}, {0, 20}};
  ir::Table by_level{"rate", kRate, {{1, 3, {Type::domain, 0}}, {0, 5, kKind}}, {}, {}, {0, 21}};
  for (int i = 0; i < 18; ++i) {
    by_level.cells.push_back(500'000 + i * 10'000);
    by_level.cell_unspecified.push_back(-1);
  }
  p.tables = {by_kind, by_level};
  p.segments = {{0, 10'000'000'000, 500'000}, {10'000'000'000, INT64_MAX, 700'000}};
  p.schedules = {{0, 2}};
  p.switches = {{0, {1, 2, 1, 1, 1, -1}}};
  p.adjusts = {{{{false, 1, 2}, {true, 3, 4}}}};
  p.ledgers = {{"paid", 0, false, 0, 0, "paid this year", {0, 30}}, {"by_level", 1, true, 1, 3, "by level", {0, 31}}};
  p.ledger_slots = 4;

  const std::int32_t kind = b.node(Op::input, kKind, {}, kind_field);
  const std::int32_t amount = b.node(Op::input, kMoney, {}, total);
  const std::int32_t lvl = b.node(Op::input, {Type::domain, 0}, {}, level);
  const std::int32_t is_inpatient = b.node(Op::eq, kBool, {kind, b.constant(kKind, 2)});
  const std::int32_t cats = b.node(Op::input, kCategories, {}, b.field("person.categories"));
  const std::int32_t dibao = b.node(Op::set_has, kBool, {cats, b.constant(kKind, 2)});
  (void)dibao;
  const std::int32_t schedule = b.node(Op::adjust, kBrackets,
                                       {b.constant(kBrackets, 0), is_inpatient, b.constant(kPoints, 50'000),
                                        b.node(Op::record_present, kBool, {}, 2), b.constant(kRate, 900'000)},
                                       0);
  const std::int32_t paid = b.node(Op::progressive, kMoney, {schedule, amount});
  const std::int32_t rate = b.node(Op::table, kRate, {lvl, kind}, 1);
  const std::int32_t base = b.node(Op::sub, kMoney, {amount, b.node(Op::param_ref, kMoney, {}, 0)});
  const std::int32_t pay = b.node(Op::mul_rate, kMoney, {b.node(Op::max, kMoney, {base, b.constant(kMoney, 0)}), rate});
  const std::int32_t capped = b.node(Op::min, kMoney, {pay, b.node(Op::table, kMoney, {kind}, 0), paid});
  p.rules.push_back({"payment", kMoney, b.node(Op::round_cents, kMoney, {capped}), true, {0, 40}});
  const std::int32_t payment = b.node(Op::rule, kMoney, {}, 0);
  const std::int32_t label = b.node(Op::switch_, kText, {kind, b.constant(kText, 0), b.constant(kText, 1)}, 0);
  p.rules.push_back({"label", kText, label, false, {0, 41}});
  const std::int32_t covered = b.node(Op::ledger, kMoney, {}, 0);
  const std::int32_t by_lvl = b.node(Op::ledger, kMoney, {lvl}, 1);
  const std::int32_t so_far = b.node(Op::add, kMoney, {covered, by_lvl});

  ir::Section s;
  s.name = "claim";
  s.when = b.node(Op::record_present, kBool, {}, 2);
  s.reasons = {{b.node(Op::lt, kBool, {amount, b.constant(kMoney, 1)}), 1, 4, {0, 50}}};
  s.fields = {{"payment", payment, b.constant(kMoney, 0), -1, kMoney, {0, 51}},
              {"label", b.node(Op::rule, kText, {}, 1), -1, -1, kText, {0, 52}},
              {"kind", kind, -1, is_inpatient, kKind, {0, 53}},
              {"so_far", so_far, -1, -1, kMoney, {0, 54}}};
  s.always_reason = true;
  s.updates = {{0, -1, payment, -1, {0, 55}}, {1, lvl, payment, is_inpatient, {0, 56}}};
  s.loc = {0, 49};
  p.sections = {s};
  p.checks = {{b.node(Op::ge, kBool, {amount, b.constant(kMoney, 0)}), 2, total, "must not be negative", {1, 9}}};
  return p;
}

std::vector<std::uint8_t> with_checksum(std::vector<std::uint8_t> bytes) {
  const std::size_t body = bytes.size() - rule_set::kChecksumSize;
  const std::uint32_t crc = rule_set::crc32c(std::span(bytes).first(body));
  std::memcpy(bytes.data() + body, &crc, sizeof crc);
  return bytes;
}

template <class T>
void poke(std::vector<std::uint8_t>& bytes, std::size_t at, T v) {
  std::memcpy(bytes.data() + at, &v, sizeof v);
}

// Settles a few requests, as an engine would after loading: must not crash
// (sanitized builds check that nothing is read out of bounds).
void settle_some(const ir::Program& program) {
  LedgerStore ledgers(program.policy_id, ledger_slot_names(program));
  SettleOptions options;
  options.explain = true;
  auto settler = Settler::create(program, ledgers, options);
  if (!settler) return;
  const std::string lines[] = {
      test::kExampleRequest,
      R"({"id": "r2", "person": {"id": "p-3", "birth_date": "1990-01-01"}, "claim": {"kind": "outpatient", "date": "2024-05-01", "hospital_level": 1, "total": 0.5}})",
      R"({"id": "r3", "person": {"id": "p-3", "birth_date": "1990-01-01"}})",
  };
  std::uint64_t n = 0;
  for (const std::string& line : lines) {
    const std::string padded = line + std::string(kReadPadding, ' ');
    std::string out;
    settler->settle_line(std::string_view(padded.data(), line.size()), ++n, out);
    REQUIRE(!out.empty());
  }
}

std::string settle_text(const ir::Program& program) {
  LedgerStore ledgers(program.policy_id, ledger_slot_names(program));
  auto settler = Settler::create(program, ledgers);
  REQUIRE(settler);
  std::string all;
  std::uint64_t n = 0;
  for (const std::string& line : {std::string(test::kExampleRequest), std::string(test::kExampleRequest)}) {
    const std::string padded = line + std::string(kReadPadding, ' ');
    std::string out;
    settler->settle_line(std::string_view(padded.data(), line.size()), ++n, out);
    all += out;
  }
  return all;
}

}  // namespace

TEST_CASE("rule set: CRC-32C gives the standard check value", "[rule_set]") {
  const std::string check = "123456789";
  CHECK(rule_set::crc32c({reinterpret_cast<const std::uint8_t*>(check.data()), check.size()}) == 0xE3069283U);
}

TEST_CASE("rule set: the sample program is valid and settles", "[rule_set]") {
  const ir::Program p = sample_program();
  const Status s = validate_program(p);
  INFO(s.error());
  REQUIRE(s.ok());
  const std::string out = settle_text(p);
  INFO(out);
  CHECK(out.find("\"payment\"") != std::string::npos);
}

TEST_CASE("rule set: write, read, write gives the same bytes and the same results", "[rule_set]") {
  const ir::Program p = sample_program();
  for (const bool debug : {false, true}) {
    const auto bytes = write_rule_set(p, {.debug_info = debug});
    REQUIRE(is_rule_set(bytes));
    auto loaded = read_rule_set(bytes);
    INFO((loaded ? std::string() : loaded.error()));
    REQUIRE(loaded);
    CHECK(write_rule_set(*loaded, {.debug_info = debug}) == bytes);
    CHECK(loaded->policy_id == "demo-2024");
    CHECK(loaded->title == "示例政策");
    CHECK(loaded->year == 2024);
    CHECK(loaded->nodes.size() == p.nodes.size());
    CHECK(loaded->tables[1].cells == p.tables[1].cells);
    CHECK(settle_text(*loaded) == settle_text(p));
    if (debug) {
      CHECK(loaded->files == p.files);
      CHECK(loaded->rules[0].loc.line == 40);
      CHECK(loaded->checks[0].loc.file == 1);
    } else {
      CHECK(loaded->files.empty());
      CHECK(loaded->rules[0].loc.file == -1);
      CHECK(loaded->nodes[3].loc.line == 0);
    }
  }
}

TEST_CASE("rule set: without debug info the bytes do not depend on source locations", "[rule_set]") {
  const ir::Program p = sample_program();
  ir::Program moved = p;
  moved.files = {"elsewhere/2024.yb"};
  rule_set::for_each_loc(moved, [](ir::Loc& l) {
    l.file = 0;
    l.line = l.line * 3 + 1;
  });
  CHECK(write_rule_set(moved) == write_rule_set(p));
  CHECK(write_rule_set(moved, {.debug_info = true}) != write_rule_set(p, {.debug_info = true}));
}

TEST_CASE("rule set: a file cut short at any byte is refused as truncated", "[rule_set]") {
  for (const bool debug : {false, true}) {
    const auto bytes = write_rule_set(sample_program(), {.debug_info = debug});
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      const auto r = read_rule_set(std::span(bytes).first(n));
      REQUIRE(!r);
      INFO(r.error());
      REQUIRE(r.error().find("truncated") != std::string::npos);
    }
  }
}

TEST_CASE("rule set: any changed byte is refused", "[rule_set]") {
  const auto bytes = write_rule_set(sample_program(), {.debug_info = true});
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (const std::uint8_t flip : {std::uint8_t{0x01}, std::uint8_t{0x80}, std::uint8_t{0xff}}) {
      auto changed = bytes;
      changed[i] ^= flip;
      const auto r = read_rule_set(changed);
      REQUIRE(!r);
    }
  }
  auto changed = bytes;
  changed[bytes.size() / 2] ^= 0x10;
  const auto r = read_rule_set(changed);
  REQUIRE(!r);
  CHECK(r.error().find("checksum mismatch") != std::string::npos);
  CHECK(r.error().find("corrupted") != std::string::npos);
}

TEST_CASE("rule set: changed bytes under a valid checksum are refused or load a safe program", "[rule_set]") {
  // The checksum is recomputed, so that the decoder and validate_program
  // see the damage: every load either fails with a message or gives a
  // program that validates and settles.
  const auto bytes = write_rule_set(sample_program(), {.debug_info = true});
  std::size_t loaded = 0, refused = 0;
  for (std::size_t i = 0; i + rule_set::kChecksumSize < bytes.size(); ++i) {
    for (const std::uint8_t value : {std::uint8_t{0x00}, std::uint8_t{0x01}, std::uint8_t{0x7f}, std::uint8_t{0xff},
                                     static_cast<std::uint8_t>(bytes[i] + 1), static_cast<std::uint8_t>(bytes[i] - 1)}) {
      if (value == bytes[i]) continue;
      auto changed = bytes;
      changed[i] = value;
      const auto r = read_rule_set(with_checksum(changed));
      if (!r) {
        REQUIRE(!r.error().empty());
        ++refused;
        continue;
      }
      ++loaded;
      REQUIRE(validate_program(*r).ok());
      settle_some(*r);
    }
  }
  CHECK(refused > 0);
  CHECK(loaded > 0);  // e.g. a changed text or constant is still a valid program
  std::mt19937_64 rng(5);
  for (int round = 0; round < 3000; ++round) {
    auto changed = bytes;
    const auto flips = 1 + rng() % 8;
    for (std::uint64_t f = 0; f < flips; ++f) changed[rule_set::kHeaderSize + rng() % (changed.size() - rule_set::kHeaderSize - 4)] = static_cast<std::uint8_t>(rng());
    const auto r = read_rule_set(with_checksum(changed));
    if (r) settle_some(*r);
  }
}

TEST_CASE("rule set: header errors name what is wrong", "[rule_set]") {
  const auto bytes = write_rule_set(sample_program());
  auto error_of = [](const std::vector<std::uint8_t>& b) {
    const auto r = read_rule_set(b);
    REQUIRE(!r);
    return r.error();
  };
  SECTION("not a rule set") {
    const std::string text = "policy demo-2024 \"x\" {}\n";
    CHECK_THAT(error_of({text.begin(), text.end()}), Catch::Contains("wrong magic number at byte 0"));
    CHECK(!is_rule_set(std::vector<std::uint8_t>(text.begin(), text.end())));
  }
  SECTION("empty") { CHECK_THAT(error_of({}), Catch::Contains("truncated: 0 bytes")); }
  SECTION("another version") {
    auto b = bytes;
    poke<std::uint32_t>(b, 8, kRuleSetFormatVersion + 1);
    CHECK_THAT(error_of(b), Catch::Contains("format version 2 at byte 8, this yibao reads version 1"));
  }
  SECTION("another byte order") {
    auto b = bytes;
    poke<std::uint32_t>(b, 12, 0x04030201);
    CHECK_THAT(error_of(b), Catch::Contains("-endian machine (byte-order mark at byte 12)"));
  }
  SECTION("a garbled byte-order mark") {
    auto b = bytes;
    poke<std::uint32_t>(b, 12, 0x01020305);
    CHECK_THAT(error_of(b), Catch::Contains("byte-order mark 0x01020305 at byte 12"));
  }
  SECTION("other integer sizes") {
    auto b = bytes;
    b[17] = 4;
    CHECK_THAT(error_of(b), Catch::Contains("written for another architecture"));
  }
  SECTION("another IR") {
    auto b = bytes;
    b[18] = static_cast<std::uint8_t>(b[18] + 1);
    CHECK_THAT(error_of(b), Catch::Contains("written for another IR"));
    b = bytes;
    poke<std::uint32_t>(b, 20, rule_set::ir_signature() ^ 1U);
    CHECK_THAT(error_of(b), Catch::Contains("written for another IR"));
  }
  SECTION("bytes after the end") {
    auto b = bytes;
    b.push_back(0);
    CHECK_THAT(error_of(b), Catch::Contains("1 bytes after the end of the rule set"));
  }
  SECTION("unknown flags, under a valid checksum") {
    auto b = bytes;
    poke<std::uint32_t>(b, 24, 6);
    CHECK_THAT(error_of(with_checksum(b)), Catch::Contains("unknown flags 0x00000006 at byte 24"));
  }
  SECTION("a debug-info flag without its section") {
    auto b = bytes;
    poke<std::uint32_t>(b, 24, rule_set::kFlagDebugInfo);
    CHECK_THAT(error_of(with_checksum(b)), Catch::Contains("no lines section"));
  }
  SECTION("a section outside the file") {
    auto b = bytes;
    poke<std::uint64_t>(b, rule_set::kHeaderSize + 8, std::uint64_t{1} << 40);
    CHECK_THAT(error_of(with_checksum(b)), Catch::Contains("section identity (table entry at byte 40)"));
  }
  SECTION("an unknown section") {
    auto b = bytes;
    poke<std::uint32_t>(b, rule_set::kHeaderSize, 99);
    CHECK_THAT(error_of(with_checksum(b)), Catch::Contains("unknown section id 99 at byte 40"));
  }
  SECTION("a count larger than the file") {
    // The identity section starts with the policy id's length.
    std::uint64_t identity = 0;
    std::memcpy(&identity, bytes.data() + rule_set::kHeaderSize + 8, sizeof identity);
    auto b = bytes;
    poke<std::uint32_t>(b, static_cast<std::size_t>(identity), 0xffffffffU);
    CHECK_THAT(error_of(with_checksum(b)),
               Catch::Contains("identity section at byte " + std::to_string(identity) + ": 4294967295 bytes of text cannot fit"));
  }
}

TEST_CASE("rule set: validate_program refuses what would make evaluation unsafe", "[rule_set]") {
  const ir::Program good = sample_program();
  auto problem = [](const ir::Program& p) {
    const Status s = validate_program(p);
    REQUIRE(!s.ok());
    return s.error();
  };
  SECTION("a kid out of range") {
    ir::Program p = good;
    p.kids[0] = static_cast<std::uint32_t>(p.nodes.size());
    CHECK_THAT(problem(p), Catch::Contains("out of range"));
  }
  SECTION("kids beyond the kid list") {
    ir::Program p = good;
    p.nodes.back().first_kid = static_cast<std::uint32_t>(p.kids.size());
    CHECK_THAT(problem(p), Catch::Contains("kids"));
  }
  SECTION("a wrong arity") {
    ir::Program p = good;
    for (auto& n : p.nodes)
      if (n.op == Op::sub) n.kid_count = 1;
    CHECK_THAT(problem(p), Catch::Contains("1 kids, expected 2"));
  }
  SECTION("a rule that needs itself") {
    ir::Program p = good;
    for (std::size_t i = 0; i < p.nodes.size(); ++i)
      if (p.nodes[i].op == Op::rule && p.nodes[i].ref == 0) p.rules[0].root = static_cast<std::int32_t>(i);
    CHECK_THAT(problem(p), Catch::Contains("depends on itself"));
  }
  SECTION("a chain deeper than the limit") {
    ir::Program p = good;
    Builder b;
    b.p = p;
    std::int32_t n = b.constant(kMoney, 1);
    for (std::uint32_t i = 0; i < kMaxRuleSetDepth + 1; ++i) n = b.node(Op::neg, kMoney, {n});
    CHECK_THAT(problem(b.p), Catch::Contains("nest deeper than"));
  }
  SECTION("an enumeration constant beyond its members") {
    ir::Program p = good;
    for (auto& n : p.nodes)
      if (n.op == Op::constant && n.type == kKind) n.imm = 6;
    CHECK_THAT(problem(p), Catch::Contains("is not a valid enum"));
  }
  SECTION("a text constant beyond the strings") {
    ir::Program p = good;
    p.strings.pop_back();
    CHECK_THAT(problem(p), Catch::Contains("is not a valid text"));
  }
  SECTION("a schedule made by arithmetic") {
    ir::Program p = good;
    for (auto& n : p.nodes)
      if (n.op == Op::adjust) {
        n.op = Op::add;
        n.kid_count = 2;
      }
    CHECK_THAT(problem(p), Catch::Contains("cannot give a value of type brackets"));
  }
  SECTION("progressive over something that is not a schedule") {
    ir::Program p = good;
    for (auto& n : p.nodes)
      if (n.op == Op::progressive) std::swap(p.kids[n.first_kid], p.kids[n.first_kid + 1]);
    CHECK_THAT(problem(p), Catch::Contains("used as brackets"));
  }
  SECTION("an enumeration read from a field of another type") {
    ir::Program p = good;
    for (auto& n : p.nodes)
      if (n.op == Op::input && n.type == kKind) n.ref = p.schema.find_field("claim.total");
    CHECK_THAT(problem(p), Catch::Contains("does not hold members of enumeration"));
  }
  SECTION("a result field of another enumeration") {
    ir::Program p = good;
    p.sections[0].fields[2].type = {Type::enumeration, 3};
    CHECK_THAT(problem(p), Catch::Contains("used as enum 3"));
  }
  SECTION("table cells that do not match the keys") {
    ir::Program p = good;
    p.tables[1].cells.pop_back();
    CHECK_THAT(problem(p), Catch::Contains("table 1"));
  }
  SECTION("a keyed ledger running past the slots") {
    ir::Program p = good;
    p.ledgers[1].key_hi = 10;
    CHECK_THAT(problem(p), Catch::Contains("run past the 4 slots"));
  }
  SECTION("a switch arm beyond the kids") {
    ir::Program p = good;
    p.switches[0].arms[0] = 3;
    CHECK_THAT(problem(p), Catch::Contains("beyond its 3 kids"));
  }
  SECTION("a reason beyond its enumeration") {
    ir::Program p = good;
    p.sections[0].reasons[0].code = 7;  // enum 4 (cause) has 7 members
    CHECK_THAT(problem(p), Catch::Contains("reason 7 of enumeration 4"));
  }
  SECTION("a check naming no field") {
    ir::Program p = good;
    p.checks[0].field = -1;
    CHECK_THAT(problem(p), Catch::Contains("request check 0: field -1"));
  }
  SECTION("a bad schema") {
    ir::Program p = good;
    p.schema.fields[1].record = 9;
    CHECK_THAT(problem(p), Catch::Contains("schema: "));
  }
}

TEST_CASE("rule set: files", "[rule_set]") {
  const auto bytes = write_rule_set(sample_program());
  const std::string path = "rule_set_test.ybc";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f);
    REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
    std::fclose(f);
  }
  CHECK(is_rule_set_file(path));
  auto loaded = read_rule_set_file(path);
  REQUIRE(loaded);
  CHECK(write_rule_set(*loaded) == bytes);
  std::remove(path.c_str());
  CHECK(!is_rule_set_file(path));
  const auto missing = read_rule_set_file(path);
  REQUIRE(!missing);
  CHECK_THAT(missing.error(), Catch::StartsWith("cannot open rule_set_test.ybc: "));
}
