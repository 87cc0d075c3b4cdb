// The JIT on small hand-made programs with hand-computed answers: overflow
// (with the failing node), unspecified values and cells, keys outside a
// table, a ledger or a match, progressive and adjusted brackets, money times
// rate beyond 64 bits, rounding, and dates. Each answer is also checked
// against the interpreter's node walk.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "runtime/random_program.h"
#include "yibao/jit.h"

using namespace yibao;
using namespace yibao::testing;

namespace {

// The tables, parameters, schedules and ledgers of random_program (see
// there), with no rules, sections or checks; `build` adds nodes to it and
// `answer` evaluates one expression as the only field of the only section.
struct Fixture {
  std::mt19937_64 rng{7};
  ir::Program p;
  Generator g;
  Request request;

  Fixture() : p(empty_program(rng)), g(rng, p), request(p.schema) {}

  static ir::Program empty_program(std::mt19937_64& rng) {
    ir::Program p = random_program(rng);
    p.nodes.clear();
    p.kids.clear();
    p.rules.clear();
    p.sections.clear();
    p.checks.clear();
    p.adjusts.clear();
    p.switches.clear();
    return p;
  }

  std::int32_t k(T t, std::int64_t v) { return g.constant(t, v); }
  std::int32_t op(Op o, T t, std::vector<std::int32_t> kids, std::int32_t ref = -1) {
    return g.node(o, t, std::move(kids), ref);
  }

  // The outcome of `node` as a section's field, by the JIT; the node walk
  // must agree.
  SectionOutcome answer(std::int32_t node, T t) {
    ir::Section s;
    s.name = "s";
    ir::SectionField f;
    f.name = "f";
    f.type = type_ref(t);
    f.value = node;
    s.fields.push_back(f);
    p.sections = {s};
    auto compiled = jit::JitProgram::compile(p, jit::JitOptions{.tier_up = false});  // one tier: no thread per answer
    INFO((compiled ? std::string() : compiled.error()));
    REQUIRE(compiled);
    auto engine = jit::make_engine(*compiled);
    Result jit_result;
    Result walk_result;
    engine->evaluate(request, {}, jit_result);
    Evaluator walk(p, EvaluatorOptions{.bytecode = false});
    walk.evaluate(request, {}, walk_result);
    require_same(jit_result, walk_result);
    return jit_result.sections.front();
  }
  std::int64_t value(std::int32_t node, T t) {
    const SectionOutcome o = answer(node, t);
    REQUIRE(o.kind == SectionOutcome::Kind::fields);
    return o.values.front();
  }
  EvalError error(std::int32_t node, T t) {
    const SectionOutcome o = answer(node, t);
    REQUIRE(o.kind == SectionOutcome::Kind::error);
    return o.error;
  }
};

constexpr std::int64_t kYuan = 1'000'000;

}  // namespace

TEST_CASE("JIT: overflow names the failing node", "[jit]") {
  Fixture f;
  const auto big = f.k(T::money, INT64_MAX - 5);
  const auto sum = f.op(Op::add, T::money, {big, f.k(T::money, 6)});
  const EvalError e = f.error(f.op(Op::sub, T::money, {sum, f.k(T::money, 1)}), T::money);
  CHECK(e.code == EvalErrorCode::overflow);
  CHECK(e.node == sum);
  Fixture g;
  CHECK(g.value(g.op(Op::add, T::money, {g.k(T::money, INT64_MAX - 5), g.k(T::money, 5)}), T::money) == INT64_MAX);
  Fixture h;
  const auto neg = h.op(Op::neg, T::money, {h.k(T::money, INT64_MIN)});
  CHECK(h.error(neg, T::money).node == neg);
  Fixture m;
  const auto product = m.op(Op::mul, T::count, {m.k(T::count, INT64_MAX / 2), m.k(T::count, 3)});
  CHECK(m.error(product, T::count).node == product);
}

TEST_CASE("JIT: unspecified parameters and cells, keys outside tables and matches", "[jit]") {
  Fixture f;
  const auto param = f.op(Op::param_ref, T::money, {}, 1);  // p_unspecified: Program::unspecifieds[1]
  EvalError e = f.error(f.op(Op::add, T::money, {f.k(T::money, 1), param}), T::money);
  CHECK(e.code == EvalErrorCode::unspecified);
  CHECK(e.unspecified == 1);
  CHECK(e.node == param);

  Fixture cell;
  const auto t0 = cell.op(Op::table, T::money, {cell.k(T::kind, 2)}, 0);  // t_money["c"] is unspecified (2)
  e = cell.error(t0, T::money);
  CHECK(e.unspecified == 2);
  CHECK(e.node == t0);
  Fixture ok;
  CHECK(ok.value(ok.op(Op::table, T::money, {ok.k(T::kind, 3)}, 0), T::money) == 300 * kYuan);
  Fixture two;  // t_rate[level 2][kind b] = 500'000 + (1 * 4 + 1) * 25'000, but cell 5 is unspecified (0)
  e = two.error(two.op(Op::table, T::rate, {two.k(T::count, 2), two.k(T::kind, 1)}, 1), T::rate);
  CHECK(e.unspecified == 0);
  Fixture two_ok;
  CHECK(two_ok.value(two_ok.op(Op::table, T::rate, {two_ok.k(T::count, 3), two_ok.k(T::kind, 3)}, 1), T::rate) ==
        500'000 + 11 * 25'000);

  Fixture outside;
  const auto t2 = outside.op(Op::table, T::money, {outside.k(T::count, 3)}, 2);  // t_level covers 1..2
  e = outside.error(t2, T::money);
  CHECK(e.code == EvalErrorCode::unspecified);
  CHECK(e.unspecified == -1);
  CHECK(e.table == 2);
  CHECK(e.key == 3);

  Fixture ledger;
  const auto l = ledger.op(Op::ledger, T::money, {ledger.k(T::count, 0)}, 1);  // by_level keyed 1..2
  e = ledger.error(l, T::money);
  CHECK(e.table == 1);
  CHECK(e.key == 0);

  Fixture match;
  match.p.switches.push_back({1, {1, -1}});  // key 1 -> kid 1; key 2 has no arm
  const auto sw = match.op(Op::switch_, T::money, {match.k(T::count, 2), match.k(T::money, 5)}, 0);
  e = match.error(sw, T::money);
  CHECK(e.node == sw);
  CHECK(e.table == -1);
  CHECK(e.key == 2);
  Fixture arm;
  arm.p.switches.push_back({1, {1, -1}});
  CHECK(arm.value(arm.op(Op::switch_, T::money, {arm.k(T::count, 1), arm.k(T::money, 5)}, 0), T::money) == 5);
}

TEST_CASE("JIT: progressive and adjusted brackets", "[jit]") {
  // Schedule 0: 10% to 1000 yuan, 20% to 5000, 30% above.
  Fixture f;
  const auto amount = f.k(T::money, 6000 * kYuan);
  CHECK(f.value(f.op(Op::progressive, T::money, {f.k(T::brackets, 0), amount}), T::money) == 1200 * kYuan);
  Fixture between;
  CHECK(between.value(between.op(Op::progressive_between, T::money,
                                 {between.k(T::brackets, 0), between.k(T::money, 500 * kYuan),
                                  between.k(T::money, 2000 * kYuan)}),
                      T::money) == (50 + 200) * kYuan);
  Fixture negative;
  CHECK(negative.value(negative.op(Op::progressive, T::money, {negative.k(T::brackets, 0), negative.k(T::money, -5)}),
                       T::money) == 0);
  // +5 points on every rate: 15%, 25%, 35%.
  Fixture adjusted;
  adjusted.p.adjusts.push_back({{ir::AdjustLine{false, 1, 2}}});
  const auto schedule = adjusted.op(Op::adjust, T::brackets,
                                    {adjusted.k(T::brackets, 0), adjusted.k(T::boolean, 1), adjusted.k(T::points, 50'000)}, 0);
  CHECK(adjusted.value(adjusted.op(Op::progressive, T::money, {schedule, adjusted.k(T::money, 6000 * kYuan)}), T::money) ==
        1500 * kYuan);
  // An override that holds sets every rate (clamped to 100%); later additive lines are not looked at.
  Fixture over;
  over.p.adjusts.push_back({{ir::AdjustLine{true, 1, 2}, ir::AdjustLine{false, 3, 4}}});
  const auto unknown = over.op(Op::param_ref, T::points, {}, 1);  // would fail if evaluated
  const auto rate = over.op(Op::adjust, T::rate,
                            {over.k(T::rate, 500'000), over.k(T::boolean, 1), over.k(T::rate, 1'200'000),
                             over.k(T::boolean, 1), unknown},
                            0);
  CHECK(over.value(rate, T::rate) == 1'000'000);
}

TEST_CASE("JIT: money times rate, exact beyond 64 bits, and rounding to cents", "[jit]") {
  Fixture f;
  // 2^62 micro-yuan * 50% needs the 128-bit product.
  CHECK(f.value(f.op(Op::mul_rate, T::money, {f.k(T::money, std::int64_t{1} << 62), f.k(T::rate, 500'000)}), T::money) ==
        std::int64_t{1} << 61);
  Fixture over;
  const auto too_much = over.op(Op::mul_rate, T::money, {over.k(T::money, INT64_MAX), over.k(T::rate, 2'000'000)});
  CHECK(over.error(too_much, T::money).node == too_much);
  Fixture half;  // 0.000001 * 50% rounds half away from zero: 1 and -1
  CHECK(half.value(half.op(Op::mul_rate, T::money, {half.k(T::money, 1), half.k(T::rate, 500'000)}), T::money) == 1);
  Fixture minus;
  CHECK(minus.value(minus.op(Op::mul_rate, T::money, {minus.k(T::money, -1), minus.k(T::rate, 500'000)}), T::money) == -1);
  Fixture cents;
  CHECK(cents.value(cents.op(Op::round_cents, T::money, {cents.k(T::money, 1'234'5000)}), T::money) == 1'235'0000);
  Fixture down;
  CHECK(down.value(down.op(Op::round_cents, T::money, {down.k(T::money, 1'234'4999)}), T::money) == 1'234'0000);
  Fixture neg;
  CHECK(neg.value(neg.op(Op::round_cents, T::money, {neg.k(T::money, -5000)}), T::money) == -10'000);
}

TEST_CASE("JIT: dates", "[jit]") {
  const Date jan31 = days_from_civil(2024, 1, 31);
  Fixture f;
  CHECK(f.value(f.op(Op::date_add, T::date, {f.k(T::date, jan31), f.k(T::duration, ir::make_duration(1, 0))}), T::date) ==
        days_from_civil(2024, 2, 29));
  Fixture sub;
  CHECK(sub.value(sub.op(Op::date_sub, T::date, {sub.k(T::date, jan31), sub.k(T::duration, ir::make_duration(0, 31))}),
                  T::date) == days_from_civil(2023, 12, 31));
  Fixture age;
  CHECK(age.value(age.op(Op::age_on, T::count,
                         {age.k(T::date, days_from_civil(2004, 2, 29)), age.k(T::date, days_from_civil(2022, 3, 1))}),
                  T::count) == 18);
  Fixture year;
  CHECK(year.value(year.op(Op::year_of, T::count, {year.k(T::date, jan31)}), T::count) == 2024);
  Fixture next;
  CHECK(next.value(next.op(Op::next_month_start, T::date, {next.k(T::date, days_from_civil(2024, 12, 15))}), T::date) ==
        days_from_civil(2025, 1, 1));
  Fixture of;
  CHECK(of.value(of.op(Op::date_of, T::date, {of.k(T::count, 2024), of.k(T::count, 2), of.k(T::count, 29)}), T::date) ==
        days_from_civil(2024, 2, 29));
  Fixture invalid;
  const auto feb30 = invalid.op(Op::date_of, T::date, {invalid.k(T::count, 2023), invalid.k(T::count, 2), invalid.k(T::count, 29)});
  CHECK(invalid.error(feb30, T::date).node == feb30);
  Fixture far;
  const auto beyond = far.op(Op::date_add, T::date,
                             {far.k(T::date, days_from_civil(9999, 12, 1)), far.k(T::duration, ir::make_duration(1, 0))});
  CHECK(far.error(beyond, T::date).code == EvalErrorCode::overflow);
}

TEST_CASE("JIT: programs it refuses", "[jit]") {
  Fixture f;
  // Two rules computing each other (the checker never produces this).
  const auto a = f.op(Op::rule, T::money, {}, 1);
  const auto b = f.op(Op::rule, T::money, {}, 0);
  f.p.rules.push_back({"a", type_ref(T::money), a, false, {}});
  f.p.rules.push_back({"b", type_ref(T::money), b, false, {}});
  auto compiled = jit::JitProgram::compile(f.p, jit::JitOptions{.tier_up = false});
  REQUIRE_FALSE(compiled);
  CHECK(compiled.error().find("cycle") != std::string::npos);
}

// year_of(date) compared with a constant year is generated as a range check
// on the date (codegen's compare_year): every comparison, the year on either
// side, on the days either side of the year's bounds; years outside the
// calendar take the general path. The node walk gives the expected truth.
TEST_CASE("JIT: comparisons of year_of with a constant year", "[jit]") {
  const Date days[] = {days_from_civil(2023, 12, 31), days_from_civil(2024, 1, 1), days_from_civil(2024, 7, 1),
                       days_from_civil(2024, 12, 31), days_from_civil(2025, 1, 1)};
  const struct {
    Op op;
    bool (*holds)(std::int64_t, std::int64_t);
  } comparisons[] = {
      {Op::eq, [](std::int64_t a, std::int64_t b) { return a == b; }},
      {Op::ne, [](std::int64_t a, std::int64_t b) { return a != b; }},
      {Op::lt, [](std::int64_t a, std::int64_t b) { return a < b; }},
      {Op::le, [](std::int64_t a, std::int64_t b) { return a <= b; }},
      {Op::gt, [](std::int64_t a, std::int64_t b) { return a > b; }},
      {Op::ge, [](std::int64_t a, std::int64_t b) { return a >= b; }},
  };
  for (const auto& c : comparisons) {
    for (const Date day : days) {
      const std::int64_t year = year_of(day);
      for (const bool year_first : {false, true}) {
        Fixture f;
        const auto of = f.op(Op::year_of, T::count, {f.k(T::date, day)});
        const auto constant = f.k(T::count, 2024);
        const auto node = year_first ? f.op(c.op, T::boolean, {constant, of}) : f.op(c.op, T::boolean, {of, constant});
        INFO("op " << static_cast<int>(c.op) << ", day " << day << ", year first " << year_first);
        CHECK(f.value(node, T::boolean) == (year_first ? c.holds(2024, year) : c.holds(year, 2024)));
      }
    }
  }
  for (const std::int64_t outside : {std::int64_t{0}, std::int64_t{10'000}}) {  // not a calendar year: the helper
    Fixture f;
    const auto node = f.op(Op::lt, T::boolean, {f.op(Op::year_of, T::count, {f.k(T::date, days[0])}), f.k(T::count, outside)});
    CHECK(f.value(node, T::boolean) == (outside > 2023 ? 1 : 0));
  }
}

// A schedule the code can name at compile time (a constant or a table's
// cells, adjusted or not, directly or through a rule used once) is unrolled
// per candidate schedule with the adjustment applied to its rates
// (codegen's schedule_value); the walk gives the same answers and errors.
TEST_CASE("JIT: progressive over an adjusted schedule chosen by a table", "[jit]") {
  // Schedules (random_program): 0 = 10% to 1000 yuan, 20% to 5000, 30%
  // above; 1 = 50% to 2000, 90% above. Table: by level 1..3 -> 0, 1, 0,
  // with level 3 unspecified.
  const auto with_table = [](Fixture& f) {
    ir::Table t{"t_brackets", type_ref(T::brackets), {{1, 3, {ir::Type::domain, 0}}}, {0, 1, 0}, {-1, -1, 0}, {}};
    f.p.tables.push_back(t);
    return static_cast<std::int32_t>(f.p.tables.size() - 1);
  };
  // progressive(adjust(table[level]) { line }, amount)
  const auto settle = [&](std::int64_t level, bool is_override, std::int64_t value, std::int64_t amount) {
    Fixture f;
    const auto table = with_table(f);
    f.p.adjusts.push_back({{ir::AdjustLine{is_override, 1, 2}}});
    const auto schedule = f.op(Op::adjust, T::brackets,
                               {f.op(Op::table, T::brackets, {f.k(T::count, level)}, table), f.k(T::boolean, 1),
                                f.k(is_override ? T::rate : T::points, value)},
                               0);
    return f.value(f.op(Op::progressive, T::money, {schedule, f.k(T::money, amount)}), T::money);
  };
  // +5 points: 15/25/35% and 55/95%.
  CHECK(settle(1, false, 50'000, 6000 * kYuan) == 1500 * kYuan);
  CHECK(settle(2, false, 50'000, 6000 * kYuan) == 4900 * kYuan);
  CHECK(settle(2, false, 50'000, 1000 * kYuan) == 550 * kYuan);
  CHECK(settle(1, false, -150'000, 6000 * kYuan) == 350 * kYuan);  // 0/5/15%, the first clamped at 0
  CHECK(settle(2, false, 800'000, 6000 * kYuan) == 6000 * kYuan);   // clamped at 100%
  CHECK(settle(2, true, 200'000, 6000 * kYuan) == 1200 * kYuan);    // override 20%
  CHECK(settle(2, false, 50'000, -1) == 0);

  // Level 3's cell is unspecified: the table's error, as the walk.
  Fixture missing;
  const auto table = with_table(missing);
  const auto cell = missing.op(Op::table, T::brackets, {missing.k(T::count, 3)}, table);
  missing.p.adjusts.push_back({{ir::AdjustLine{false, 1, 2}}});
  const auto adjusted = missing.op(Op::adjust, T::brackets, {cell, missing.k(T::boolean, 1), missing.k(T::points, 1)}, 0);
  CHECK(missing.error(missing.op(Op::progressive, T::money, {adjusted, missing.k(T::money, kYuan)}), T::money).code ==
        EvalErrorCode::unspecified);

  // Points that overflow a rate fail at the adjust node, before the amount
  // (which would fail too) is computed, as the helper does.
  Fixture overflow;
  const auto table2 = with_table(overflow);
  overflow.p.adjusts.push_back({{ir::AdjustLine{false, 1, 2}}});
  const auto too_many = overflow.op(Op::adjust, T::brackets,
                                    {overflow.op(Op::table, T::brackets, {overflow.k(T::count, 2)}, table2),
                                     overflow.k(T::boolean, 1), overflow.k(T::points, INT64_MAX)},
                                    0);
  const auto unspecified_amount = overflow.op(Op::param_ref, T::money, {}, 1);
  const EvalError e = overflow.error(overflow.op(Op::progressive, T::money, {too_many, unspecified_amount}), T::money);
  CHECK(e.code == EvalErrorCode::overflow);
  CHECK(e.node == too_many);

  // Through a rule used in one place (generated inline), and between two amounts.
  Fixture rule;
  const auto table3 = with_table(rule);
  rule.p.adjusts.push_back({{ir::AdjustLine{false, 1, 2}}});
  const auto root = rule.op(Op::adjust, T::brackets,
                            {rule.op(Op::table, T::brackets, {rule.k(T::count, 1)}, table3), rule.k(T::boolean, 1),
                             rule.k(T::points, 50'000)},
                            0);
  rule.p.rules.push_back(ir::Rule{"schedule", type_ref(T::brackets), root, false, {}});
  const auto use = rule.op(Op::rule, T::brackets, {}, 0);
  CHECK(rule.value(rule.op(Op::progressive_between, T::money,
                           {use, rule.k(T::money, 500 * kYuan), rule.k(T::money, 2000 * kYuan)}),
                   T::money) == (75 + 250) * kYuan);  // 500 at 15%, 1000 at 25%

  // An adjusted schedule adjusted again (through a rule used once): the
  // outer adjustment is the helper's, on the inner one's copy. +5 then +10
  // points on level 1's schedule: 25/35/45%.
  Fixture twice;
  const auto table4 = with_table(twice);
  twice.p.adjusts.push_back({{ir::AdjustLine{false, 1, 2}}});
  const auto inner = twice.op(Op::adjust, T::brackets,
                              {twice.op(Op::table, T::brackets, {twice.k(T::count, 1)}, table4), twice.k(T::boolean, 1),
                               twice.k(T::points, 50'000)},
                              0);
  twice.p.rules.push_back(ir::Rule{"inner", type_ref(T::brackets), inner, false, {}});
  const auto outer = twice.op(Op::adjust, T::brackets,
                              {twice.op(Op::rule, T::brackets, {}, 0), twice.k(T::boolean, 1), twice.k(T::points, 100'000)},
                              0);
  CHECK(twice.value(twice.op(Op::progressive, T::money, {outer, twice.k(T::money, 6000 * kYuan)}), T::money) ==
        (250 + 1400 + 450) * kYuan);

  // A table of more schedules than are unrolled (kMaxUnrolledSchedules):
  // the helpers walk the chosen one, adjusted. Schedule k + 2 is 10% + k
  // points on everything.
  Fixture many;
  ir::Table wide{"t_many", type_ref(T::brackets), {{0, 11, type_ref(T::count)}}, {}, {}, {}};
  for (std::int64_t k = 0; k < 12; ++k) {
    many.p.segments.push_back({0, INT64_MAX, 100'000 + k * 10'000});
    many.p.schedules.push_back({static_cast<std::uint32_t>(many.p.segments.size() - 1), 1});
    wide.cells.push_back(static_cast<std::int64_t>(many.p.schedules.size() - 1));
    wide.cell_unspecified.push_back(-1);
  }
  many.p.tables.push_back(wide);
  many.p.adjusts.push_back({{ir::AdjustLine{false, 1, 2}}});
  const auto chosen = many.op(Op::adjust, T::brackets,
                              {many.op(Op::table, T::brackets, {many.k(T::count, 9)},
                                       static_cast<std::int32_t>(many.p.tables.size() - 1)),
                               many.k(T::boolean, 1), many.k(T::points, 50'000)},
                              0);
  CHECK(many.value(many.op(Op::progressive, T::money, {chosen, many.k(T::money, 1000 * kYuan)}), T::money) ==
        240 * kYuan);  // 10% + 9 + 5 points
}
