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

SettleOptions explaining() {
  SettleOptions options;
  options.explain = true;
  return options;
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

TEST_CASE("settle_line and refuse_line append to what the string holds, and only their line", "[settle]") {
  const ir::Program p = program();
  LedgerStore ledgers(p.policy_id, ledger_slot_names(p));
  auto settler = Settler::create(p, ledgers);
  REQUIRE(settler);
  const std::string line = R"j({"id": "r-2", "n": 5})j";
  const std::string alone = settle(*settler, line);
  REQUIRE(alone.size() > 100);

  // Earlier content stays; a string with room to spare ends where the
  // line ends (the writer works in room beyond the string's end).
  std::string out = "earlier\n";
  out.reserve(1 << 16);
  const std::string padded = line + std::string(kReadPadding, ' ');
  settler->settle_line(std::string_view(padded.data(), line.size()), 1, out);
  CHECK(out == "earlier\n" + alone);
  settler->refuse_line("the request line is too long", 2, out);
  settler->settle_line(std::string_view(padded.data(), line.size()), 3, out);
  CHECK(out == "earlier\n" + alone +
                   R"j({"id": null, "error": {"code": "bad_input", "message": "line 2: the request line is too long"}})j"
                   "\n" + alone);
}

TEST_CASE("explained results add the rules computed after the sections", "[settle]") {
  const ir::Program p = program();
  LedgerStore ledgers(p.policy_id, ledger_slot_names(p));
  auto plain = Settler::create(p, ledgers);
  auto explained = Settler::create(p, ledgers, explaining());
  REQUIRE(plain);
  REQUIRE(explained);
  const std::string line = R"j({"id": "r-3", "n": 30})j";
  std::string a = settle(*plain, line);
  const std::string b = settle(*explained, line);
  a.resize(a.size() - 2);  // without "}\n"
  REQUIRE(b.rfind(a, 0) == 0);
  CHECK(b.substr(a.size()) == ", \"explain\": []}\n");  // the only rule is never asked for by name
}

namespace {

// A program whose rules read one input of every kind: request fields, a
// field's presence, a record's presence, other rules, a parameter, a keyed
// ledger and a two-dimensional table.
ir::Program explained_program() {
  Builder b;
  ir::Program& p = b.p;
  p.policy_id = "e-2024";
  p.year = 2024;
  p.files = {"e.yb"};
  p.schema.enums = {{"cat", {"a", "b", "c"}}};
  p.schema.records = {{"claim", true}};
  const auto add = [&p](const char* path, int record, FieldType type, int enum_index = -1) {
    FieldSpec f{};
    f.path = path;
    f.record = record;
    f.type = type;
    f.presence = record < 0 ? Presence::required : Presence::optional;
    f.enum_index = enum_index;
    p.schema.fields.push_back(f);
  };
  enum : int { kEId, kWho, kClaimAmount, kClaimCat };
  add("id", -1, FieldType::text);
  add("who", -1, FieldType::text);
  add("claim.amount", 0, FieldType::money);
  add("claim.cat", 0, FieldType::enumeration, 0);
  p.schema.id_field = kEId;
  p.ledger_key_field = kWho;
  p.ledgers = {{"used", 0, true, 1, 2, "label", {}}};
  p.ledger_slots = 2;
  p.params = {{"cap", kMoney, false, -1, 5'000'000, {}}};
  // rate[cat, level]: a..c by 1..2, 0.1 .. 0.6
  const ir::TypeRef cat{ir::Type::enumeration, 0};
  p.tables = {{"rate", kRate, {{0, 2, cat}, {1, 2, kCount}}, {100'000, 200'000, 300'000, 400'000, 500'000, 600'000},
               std::vector<std::int32_t>(6, -1), {}}};

  const auto rule = [&](const char* name, ir::TypeRef type, std::int32_t root, std::int32_t line) {
    ir::Rule r;
    r.name = name;
    r.type = type;
    r.root = root;
    r.loc = {0, line};
    p.rules.push_back(r);
    return static_cast<std::int32_t>(p.rules.size() - 1);
  };
  // base = min(claim.amount, cap)
  const std::int32_t base = rule("base", kMoney,
                                 b.node(Op::min, kMoney, {b.node(Op::input, kMoney, {}, kClaimAmount), b.node(Op::param_ref, kMoney, {}, 0)}), 1);
  // rate = rate[claim.cat, 2]
  const std::int32_t rate = rule(
      "rate", kRate, b.node(Op::table, kRate, {b.node(Op::input, cat, {}, kClaimCat), b.node(Op::constant, kCount, {}, -1, 2)}, 0), 2);
  // pay = if claim given and claim.amount given: min(base * rate - used[2], base) else 0
  const std::int32_t base_ref = b.node(Op::rule, kMoney, {}, base);
  const std::int32_t paid = b.node(
      Op::sub, kMoney,
      {b.node(Op::mul_rate, kMoney, {base_ref, b.node(Op::rule, kRate, {}, rate)}),
       b.node(Op::ledger, kMoney, {b.node(Op::constant, kCount, {}, -1, 2)}, 0)});
  const std::int32_t given =
      b.node(Op::and_, kBool, {b.node(Op::record_present, kBool, {}, 0), b.node(Op::input_present, kBool, {}, kClaimAmount)});
  const std::int32_t pay = rule("pay", kMoney,
                                b.node(Op::if_, kMoney,
                                       {given, b.node(Op::min, kMoney, {paid, base_ref}), b.node(Op::constant, kMoney, {}, -1, 0)}),
                                3);
  ir::Section s;
  s.name = "s";
  b.field(s, "pay", kMoney, b.node(Op::rule, kMoney, {}, pay));
  p.sections.push_back(s);
  return p;
}

std::string explain_of(const std::string& result) {
  const auto at = result.find(", \"explain\": ");
  return at == std::string::npos ? std::string() : result.substr(at + 2);
}

}  // namespace

TEST_CASE("explain lists each rule's inputs: fields, presence, rules, params, ledger slots, table cells", "[settle]") {
  const ir::Program p = explained_program();
  LedgerStore ledgers(p.policy_id, ledger_slot_names(p));
  auto settler = Settler::create(p, ledgers, explaining());
  REQUIRE(settler);
  // pay reads base twice and lists it once; base and rate are computed
  // inside pay (depth 1), and have steps of their own.
  CHECK(explain_of(settle(*settler, R"j({"id": "x", "who": "p1", "claim": {"amount": 100, "cat": "b"}})j")) ==
        R"j("explain": [)j"
        R"j({"rule": "pay", "at": "e.yb:3", "depth": 0, "value": 2.00, "inputs": [{"record": "claim", "value": true}, )j"
        R"j({"present": "claim.amount", "value": true}, {"rule": "base", "value": 5.00}, {"rule": "rate", "value": 0.40}, )j"
        R"j({"ledger": "used[2]", "value": 0.00}]}, )j"
        R"j({"rule": "base", "at": "e.yb:1", "depth": 1, "value": 5.00, "inputs": [{"field": "claim.amount", "value": 100.00}, )j"
        R"j({"param": "cap", "value": 5.00}]}, )j"
        R"j({"rule": "rate", "at": "e.yb:2", "depth": 1, "value": 0.40, "inputs": [{"field": "claim.cat", "value": "b"}, )j"
        R"j({"table": "rate", "keys": ["b", 2], "value": 0.40}]}]})j"
        "\n");
  // Without the claim, pay reads only that it is absent.
  CHECK(explain_of(settle(*settler, R"j({"id": "y", "who": "p1"})j")) ==
        R"j("explain": [{"rule": "pay", "at": "e.yb:3", "depth": 0, "value": 0.00, )j"
        R"j("inputs": [{"record": "claim", "value": false}]}]})j"
        "\n");
}

TEST_CASE("explain's inputs are in the evaluator's trace, per step, for tools to read", "[settle][evaluator]") {
  const ir::Program p = explained_program();
  for (const bool bytecode : {true, false}) {
    Evaluator e(p, EvaluatorOptions{.bytecode = bytecode});
    e.set_tracing(true);
    Request r(p.schema);
    r.set_record_present(0);
    r.set(2, 30'000'000);
    r.set(3, 2);
    std::vector<std::int64_t> ledger{0, 1'000'000};
    Result out;
    e.evaluate(r, ledger, out);
    REQUIRE(e.trace().size() == 3);
    const auto pay = e.inputs(e.trace()[0]);
    REQUIRE(pay.size() == 5);
    CHECK(pay[2] == TraceInput{TraceInputKind::rule, 0, 0, 5'000'000});
    CHECK(pay[3] == TraceInput{TraceInputKind::rule, 0, 1, 600'000});
    CHECK(pay[4] == TraceInput{TraceInputKind::ledger, 0, 1, 1'000'000});
    const auto rate = e.inputs(e.trace()[2]);
    REQUIRE(rate.size() == 2);
    CHECK(rate[1] == TraceInput{TraceInputKind::table, 5, 0, 600'000});  // c, 2: row-major cell 5
    CHECK(out.sections[0].values[0] == 2'000'000);                        // 5 x 0.6 - 1
    e.set_tracing(false);
    e.evaluate(r, ledger, out);
    CHECK(e.trace().empty());
  }
}
