// Result lines written by the Settler for a small program built by hand,
// with a value of every kind (texts from the program and from the request,
// dates that cannot be written, sets, rates, counts), reasons, absent
// sections and errors of each kind, and --explain.
#include <catch2/catch.hpp>

#include <string>

#include "yibao/ir.h"
#include "yibao/ledger.h"
#include "yibao/line_reader.h"
#include "yibao/settle.h"

using namespace yibao;
using ir::Op;

namespace {

enum Field : int { kId, kNote, kAmount, kDay, kCats, kN };

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
    n.loc = {0, 7};
    for (const std::int32_t k : kids) p.kids.push_back(static_cast<std::uint32_t>(k));
    p.nodes.push_back(n);
    return static_cast<std::int32_t>(p.nodes.size() - 1);
  }
  void field(ir::Section& s, const char* name, ir::TypeRef type, std::int32_t value, std::int32_t otherwise = -1) {
    ir::SectionField f;
    f.name = name;
    f.type = type;
    f.value = value;
    f.otherwise = otherwise;
    s.fields.push_back(f);
    if (otherwise >= 0) s.always_reason = true;
  }
};

constexpr ir::TypeRef kMoney{ir::Type::money, -1};
constexpr ir::TypeRef kRate{ir::Type::rate, -1};
constexpr ir::TypeRef kCount{ir::Type::count, -1};
constexpr ir::TypeRef kDate{ir::Type::date, -1};
constexpr ir::TypeRef kBool{ir::Type::boolean, -1};
constexpr ir::TypeRef kText{ir::Type::text, -1};
constexpr ir::TypeRef kCat{ir::Type::enumeration, 1};
constexpr ir::TypeRef kCatSet{ir::Type::enum_set, 1};

ir::Program program() {
  Builder b;
  ir::Program& p = b.p;
  p.policy_id = "t-2024";
  p.year = 2024;
  p.files = {"p.yb"};
  p.strings = {"一个\"文本\""};
  p.unspecifieds = {{"u0", "words", {}}};
  p.schema.enums = {{"reason", {"not_eligible", "no_benefit"}}, {"cat", {"a", "b", "c"}}};
  const auto add = [&p](const char* path, FieldType type, Presence presence, int enum_index = -1) {
    FieldSpec f{};
    f.path = path;
    f.type = type;
    f.presence = presence;
    f.enum_index = enum_index;
    if (type == FieldType::integer_range) f.range_hi = 100;
    p.schema.fields.push_back(f);
  };
  add("id", FieldType::text, Presence::required);
  add("note", FieldType::text, Presence::optional);
  add("amount", FieldType::money, Presence::optional);
  add("day", FieldType::date, Presence::optional);
  add("cats", FieldType::enum_set, Presence::defaulted, 1);
  add("n", FieldType::integer_range, Presence::optional);
  p.schema.id_field = kId;
  p.tables = {{"t", kMoney, {{0, 10, kCount}}, std::vector<std::int64_t>(11, 1'000'000), std::vector<std::int32_t>(11, -1), {}}};
  p.tables[0].cell_unspecified[5] = 0;

  ir::Section values;
  values.name = "values";
  b.field(values, "money", kMoney, b.node(Op::input, kMoney, {}, kAmount));
  b.field(values, "rate", kRate, b.node(Op::constant, kRate, {}, -1, 800'000));
  b.field(values, "count", kCount, b.node(Op::input, kCount, {}, kN));
  b.field(values, "date", kDate, b.node(Op::input, kDate, {}, kDay));
  b.field(values, "bad_date", kDate, b.node(Op::constant, kDate, {}, -1, -999'999'999));
  b.field(values, "present", kBool, b.node(Op::input_present, kBool, {}, kNote));
  b.field(values, "text", kText, b.node(Op::constant, kText, {}, -1, 0));
  b.field(values, "note", kText, b.node(Op::constant, kText, {}, -1, ir::text_of_field(kNote)));
  b.field(values, "kind", kCat, b.node(Op::constant, kCat, {}, -1, 1));
  b.field(values, "set", kCatSet, b.node(Op::input, kCatSet, {}, kCats));
  p.sections.push_back(values);

  ir::Section judged;
  judged.name = "judged";
  const std::int32_t minor =
      b.node(Op::lt, kBool, {b.node(Op::input, kCount, {}, kN), b.node(Op::constant, kCount, {}, -1, 18)});
  judged.reasons.push_back({minor, 0, 0, {}});
  b.field(judged, "amount", kMoney, b.node(Op::input, kMoney, {}, kAmount), b.node(Op::constant, kMoney, {}, -1, 0));
  p.sections.push_back(judged);

  ir::Section failing;
  failing.name = "failing";
  b.field(failing, "cell", kMoney, b.node(Op::table, kMoney, {b.node(Op::input, kCount, {}, kN)}, 0));
  p.sections.push_back(failing);

  ir::Section overflowing;
  overflowing.name = "overflowing";
  b.field(overflowing, "sum", kMoney,
          b.node(Op::add, kMoney, {b.node(Op::input, kMoney, {}, kAmount), b.node(Op::constant, kMoney, {}, -1, INT64_MAX)}));
  p.sections.push_back(overflowing);

  ir::Section maybe;
  maybe.name = "maybe";
  maybe.when = b.node(Op::input_present, kBool, {}, kNote);
  b.field(maybe, "ok", kBool, b.node(Op::constant, kBool, {}, -1, 1));
  p.sections.push_back(maybe);

  ir::Rule r;
  r.name = "minor";
  r.type = kBool;
  r.root = minor;
  p.rules.push_back(r);
  return p;
}

std::string settle(Settler& settler, const std::string& line) {
  std::string padded = line + std::string(kReadPadding, ' ');
  std::string out;
  settler.settle_line(std::string_view(padded.data(), line.size()), 1, out);
  return out;
}

}  // namespace

TEST_CASE("result lines have interchange.md's layout for every kind of value, reason and error", "[settle]") {
  const ir::Program p = program();
  LedgerStore ledgers(p.policy_id, ledger_slot_names(p));
  auto settler = Settler::create(p, ledgers);
  REQUIRE(settler);

  CHECK(settle(*settler, R"j({"id": "r-1", "note": "say \"hi\"", "amount": 12.5, "day": "2024-02-29", "cats": ["a", "c"], "n": 50})j") ==
        R"j({"id": "r-1", "policy": "t-2024", "values": {"money": 12.50, "rate": 0.80, "count": 50, "date": "2024-02-29", )j"
        R"j("bad_date": null, "present": true, "text": "一个\"文本\"", "note": "say \"hi\"", "kind": "b", "set": ["a", "c"]}, )j"
        R"j("judged": {"reason": null, "amount": 12.50}, )j"
        R"j("failing": {"error": {"code": "unspecified", "message": "t-2024 publishes no `t` for 50", "name": "t"}}, )j"
        R"j("overflowing": {"error": {"code": "overflow", "message": "an amount is too large to compute exactly (at p.yb:7)"}}, )j"
        R"j("maybe": {"ok": true}})j"
        "\n");

  CHECK(settle(*settler, R"j({"id": "r-2 with a long id and é", "n": 5})j") ==
        R"j({"id": "r-2 with a long id and é", "policy": "t-2024", "values": {"money": 0.00, "rate": 0.80, "count": 5, )j"
        R"j("date": "1970-01-01", "bad_date": null, "present": false, "text": "一个\"文本\"", "note": "", "kind": "b", "set": []}, )j"
        R"j("judged": {"reason": "not_eligible", "amount": 0.00}, )j"
        R"j("failing": {"error": {"code": "unspecified", "message": "t-2024 does not publish `u0` (source: words)", "name": "u0"}}, )j"
        R"j("overflowing": {"sum": 9223372036854.78}})j"
        "\n");

  // A short id with a control character, escaped.
  CHECK(settle(*settler, "{\"id\": \"r\\u0001\", \"n\": 20}").rfind(R"j({"id": "r\u0001", "policy": "t-2024", )j", 0) == 0);
}

TEST_CASE("explained results add the rules computed after the sections", "[settle]") {
  const ir::Program p = program();
  LedgerStore ledgers(p.policy_id, ledger_slot_names(p));
  auto plain = Settler::create(p, ledgers);
  auto explained = Settler::create(p, ledgers, SettleOptions{.explain = true});
  REQUIRE(plain);
  REQUIRE(explained);
  const std::string line = R"j({"id": "r-3", "n": 30})j";
  std::string a = settle(*plain, line);
  const std::string b = settle(*explained, line);
  a.resize(a.size() - 2);  // without "}\n"
  REQUIRE(b.rfind(a, 0) == 0);
  CHECK(b.substr(a.size()) == ", \"explain\": []}\n");  // the only rule is never asked for by name
}
