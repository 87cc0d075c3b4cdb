// random_program.h: random but well-typed IR programs and requests, with
// every op of ir_ops.def, shared nodes, rules calling rules, unspecified
// values, keys outside tables and ledgers, overflows, and sections with
// reasons, `otherwise`, `when` and ledger updates; and comparisons of
// Results. For testing one engine against another (the bytecode against the
// node walk in evaluator_test.cpp, the JIT against the interpreter in
// tests/jit). Header-only: each test binary has its own copy.
#pragma once

#include <catch2/catch.hpp>

#include <random>
#include <span>
#include <string>
#include <vector>

#include "yibao/evaluator.h"
#include "yibao/ir.h"
#include "yibao/request.h"
#include "yibao/values.h"

namespace yibao::testing {

using ir::Op;


enum class T { money, rate, points, boolean, date, count, kind, set, brackets, duration };

inline ir::TypeRef type_ref(T t) {
  switch (t) {
    case T::money: return {ir::Type::money, -1};
    case T::rate: return {ir::Type::rate, -1};
    case T::points: return {ir::Type::points, -1};
    case T::boolean: return {ir::Type::boolean, -1};
    case T::date: return {ir::Type::date, -1};
    case T::count: return {ir::Type::count, -1};
    case T::kind: return {ir::Type::enumeration, 0};
    case T::set: return {ir::Type::enum_set, 1};
    case T::brackets: return {ir::Type::brackets, -1};
    case T::duration: return {ir::Type::duration, -1};
  }
  return {};
}

// Request fields (Schema::fields indices).
enum Field : int { kId, kM1, kM2, kB1, kK1, kS1, kD1, kN1, kClaimMoney, kClaimDate, kFields };
constexpr int kKinds = 4;  // members of enum 0
constexpr int kCats = 6;   // members of enum 1
const Date kDay2024 = days_from_civil(2024, 1, 1);

inline Schema make_schema() {
  Schema s;
  s.enums = {{"kind", {"a", "b", "c", "d"}}, {"cat", {"c0", "c1", "c2", "c3", "c4", "c5"}}};
  s.records = {{"claim", true}};
  const auto field = [&s](const char* path, int record, FieldType type, int enum_index = -1) {
    FieldSpec f{};
    f.path = path;
    f.record = record;
    f.type = type;
    f.enum_index = enum_index;
    f.presence = Presence::optional;
    if (type == FieldType::integer_range) {
      f.range_lo = 1;
      f.range_hi = 3;
    }
    s.fields.push_back(f);
  };
  field("id", -1, FieldType::text);
  field("m1", -1, FieldType::money);
  field("m2", -1, FieldType::money);
  field("b1", -1, FieldType::boolean);
  field("k1", -1, FieldType::enumeration, 0);
  field("s1", -1, FieldType::enum_set, 1);
  field("d1", -1, FieldType::date);
  field("n1", -1, FieldType::integer_range);
  field("claim.cm", 0, FieldType::money);
  field("claim.cd", 0, FieldType::date);
  s.id_field = kId;
  return s;
}

// Random choices.
class Random {
 public:
  explicit Random(std::mt19937_64& rng) : rng_(rng) {}
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(rng_() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  // Values often drawn from small pools, so that comparisons meet equal
  // operands and boundaries.
  std::int64_t money_value() {
    if (chance(0.03)) return INT64_MAX / 2 + between(0, 1000);  // overflows soon
    if (chance(0.5)) return std::int64_t{1'000'000} * between(0, 4);
    return between(0, 2'000'000) * (chance(0.5) ? 10'000 : 1);
  }
  std::int64_t day_value() { return kDay2024 + (chance(0.5) ? between(-2, 2) : between(-400, 400)); }
  std::int64_t count_value() { return chance(0.5) ? between(0, 4) : between(-2, 40); }

 private:
  std::mt19937_64& rng_;
};

class Generator : public Random {
 public:
  Generator(std::mt19937_64& rng, ir::Program& p) : Random(rng), p_(p) {}

  std::int32_t gen(T t, int depth) {
    // Sometimes a node made before (the DAG shares nodes).
    auto& made = made_[static_cast<std::size_t>(t)];
    if (!made.empty() && chance(0.15)) return made[pick(made.size())];
    const std::int32_t n = depth <= 0 || chance(0.25) ? leaf(t) : inner(t, depth - 1);
    made.push_back(n);
    return n;
  }

  std::int32_t rule_of(T t, int depth) {
    const std::int32_t root = gen(t, depth);
    ir::Rule r;
    r.name = "r" + std::to_string(p_.rules.size());
    r.type = type_ref(t);
    r.root = root;
    p_.rules.push_back(r);
    rules_.push_back({static_cast<std::int32_t>(p_.rules.size() - 1), t});
    return static_cast<std::int32_t>(p_.rules.size() - 1);
  }

  std::int32_t node(Op op, T t, std::vector<std::int32_t> kids, std::int32_t ref = -1, std::int64_t imm = 0) {
    ir::Node n;
    n.op = op;
    n.type = type_ref(t);
    n.ref = ref;
    n.first_kid = static_cast<std::uint32_t>(p_.kids.size());
    n.kid_count = static_cast<std::uint32_t>(kids.size());
    n.imm = imm;
    n.loc = {0, static_cast<std::int32_t>(p_.nodes.size())};
    for (const std::int32_t k : kids) p_.kids.push_back(static_cast<std::uint32_t>(k));
    p_.nodes.push_back(n);
    return static_cast<std::int32_t>(p_.nodes.size() - 1);
  }
  std::int32_t constant(T t, std::int64_t v) { return node(Op::constant, t, {}, -1, v); }

 private:
  std::int32_t leaf(T t) {
    // A rule of this type, if any.
    if (chance(0.35)) {
      std::vector<std::int32_t> fit;
      for (const auto& [r, rt] : rules_) {
        if (rt == t) fit.push_back(r);
      }
      if (!fit.empty()) return node(Op::rule, t, {}, fit[pick(fit.size())]);
    }
    switch (t) {
      case T::money: {
        const auto c = pick(6);
        if (c == 0) return node(Op::input, t, {}, chance(0.5) ? kM1 : kM2);
        if (c == 1) return node(Op::input, t, {}, kClaimMoney);
        if (c == 2) return node(Op::param_ref, t, {}, chance(0.7) ? 0 : 1);
        if (c == 3) return node(Op::ledger, t, {}, 0);
        if (c == 4 && chance(0.2)) return node(Op::unspecified, t, {}, static_cast<std::int32_t>(pick(3)));
        return constant(t, money_value());
      }
      case T::rate: return chance(0.3) ? node(Op::param_ref, t, {}, 2) : constant(t, between(-100'000, 1'200'000));
      case T::points: return constant(t, between(-200'000, 200'000));
      case T::boolean: {
        const auto c = pick(4);
        if (c == 0) return node(Op::input, t, {}, kB1);
        if (c == 1) return node(Op::input_present, t, {}, static_cast<std::int32_t>(pick(kFields)));
        if (c == 2) return node(Op::record_present, t, {}, 0);
        return constant(t, chance(0.5) ? 1 : 0);
      }
      case T::date:
        if (chance(0.6)) return node(Op::input, t, {}, chance(0.5) ? kD1 : kClaimDate);
        return constant(t, day_value());
      case T::count:
        if (chance(0.5)) return node(Op::input, t, {}, kN1);
        return constant(t, count_value());
      case T::kind: return chance(0.6) ? node(Op::input, t, {}, kK1) : constant(t, between(0, kKinds - 1));
      case T::set: return chance(0.6) ? node(Op::input, t, {}, kS1) : constant(t, between(0, (1 << kCats) - 1));
      case T::brackets: return constant(t, between(0, 1));
      case T::duration: return constant(t, ir::make_duration(static_cast<std::int32_t>(between(0, 14)),
                                                               static_cast<std::int32_t>(between(0, 120))));
    }
    return constant(t, 0);
  }

  std::int32_t inner(T t, int d) {
    switch (t) {
      case T::money: {
        switch (pick(17)) {
          case 0: return node(Op::add, t, {gen(t, d), gen(t, d)});
          case 1: return node(Op::sub, t, {gen(t, d), gen(t, d)});
          case 2: return node(Op::neg, t, {gen(t, d)});
          case 3: return node(Op::mul_rate, t, {gen(t, d), gen(T::rate, d)});
          case 4: {
            std::vector<std::int32_t> kids;
            const auto n = 1 + pick(3);
            for (std::size_t k = 0; k < n; ++k) kids.push_back(gen(t, d));
            return node(chance(0.5) ? Op::min : Op::max, t, kids);
          }
          case 5: return node(Op::if_, t, {gen(T::boolean, d), gen(t, d), gen(t, d)});
          case 6: {
            ir::Switch s;
            s.lo = 0;
            std::vector<std::int32_t> kids{gen(T::kind, d)};
            for (int k = 0; k < kKinds; ++k) {
              if (chance(0.15)) {
                s.arms.push_back(-1);
              } else if (k > 0 && chance(0.3)) {
                s.arms.push_back(s.arms.back() < 0 ? -1 : s.arms.back());  // shared arm
              } else {
                kids.push_back(gen(t, d));
                s.arms.push_back(static_cast<std::int32_t>(kids.size() - 1));
              }
            }
            p_.switches.push_back(s);
            return node(Op::switch_, t, kids, static_cast<std::int32_t>(p_.switches.size() - 1));
          }
          case 7: return node(Op::table, t, {gen(T::kind, d)}, 0);
          case 8: return node(Op::table, t, {gen(T::count, d)}, 2);
          case 9: return node(Op::ledger, t, {gen(T::count, d)}, 1);
          case 10: {
            std::vector<std::int32_t> kids{gen(T::set, d), gen(t, d)};
            for (int m = 0; m < kCats; ++m) kids.push_back(gen(t, d));
            return node(Op::highest, t, kids);
          }
          case 11: return node(Op::progressive, t, {gen(T::brackets, d), gen(t, d)});
          case 12: return node(Op::progressive_between, t, {gen(T::brackets, d), gen(t, d), gen(t, d)});
          case 13: return node(Op::round_cents, t, {gen(t, d)});
          case 14: return node(Op::mul, t, {gen(T::count, d), gen(t, d)});
          default: return leaf(t);
        }
      }
      case T::rate: {
        switch (pick(3)) {
          case 0: return node(Op::table, t, {gen(T::count, d), gen(T::kind, d)}, 1);
          case 1: return adjust(t, d);
          default: return node(Op::min, t, {gen(t, d), gen(t, d)});
        }
      }
      case T::boolean: {
        switch (pick(12)) {
          case 0: return node(Op::and_, t, {gen(t, d), gen(t, d)});
          case 1: return node(Op::or_, t, {gen(t, d), gen(t, d)});
          case 2: return node(Op::not_, t, {gen(t, d)});
          case 3:
          case 4: {
            // Often a request value against a constant (the usual shape of
            // a condition), either way round.
            static constexpr Op kCompare[] = {Op::eq, Op::ne, Op::lt, Op::le, Op::gt, Op::ge};
            const T operand = std::vector<T>{T::money, T::date, T::count}[pick(3)];
            const Op op = kCompare[pick(6)];
            switch (pick(4)) {
              case 0: return node(op, t, {input(operand), constant(operand, value(operand))});
              case 1: return node(op, t, {constant(operand, value(operand)), input(operand)});
              case 2: return node(op, t, {gen(operand, d), constant(operand, value(operand))});
              default: return node(op, t, {gen(operand, d), gen(operand, d)});
            }
          }
          case 5: return node(Op::eq, t, {gen(T::kind, d), gen(T::kind, d)});
          case 6: return node(Op::in_range, t, {gen(T::count, d), gen(T::count, d), gen(T::count, d)});
          case 7:
            // The member: a constant, or a kind (whose members 0..3 are members of cat too).
            return node(Op::set_has, t,
                        {gen(T::set, d), chance(0.5) ? constant(T::count, between(0, kCats - 1)) : gen(T::kind, d)});
          case 8: return node(Op::set_has_any, t, {gen(T::set, d), gen(T::set, d)});
          case 9: return node(Op::member_of, t, {gen(T::kind, d), gen(T::set, d)});
          case 10: return node(Op::if_, t, {gen(t, d), gen(t, d), gen(t, d)});
          default: return leaf(t);
        }
      }
      case T::date: {
        switch (pick(6)) {
          case 0: return node(Op::date_add, t, {gen(t, d), gen(T::duration, d)});
          case 1: return node(Op::date_sub, t, {gen(t, d), gen(T::duration, d)});
          case 2:
            return node(Op::date_of, t,
                        {constant(T::count, between(2023, 2025)), constant(T::count, between(0, 13)), gen(T::count, d)});
          case 3: return node(Op::next_month_start, t, {gen(t, d)});
          case 4: return node(Op::max, t, {gen(t, d), gen(t, d)});
          default: return node(Op::if_, t, {gen(T::boolean, d), gen(t, d), gen(t, d)});
        }
      }
      case T::count: {
        switch (pick(5)) {
          case 0: return node(Op::age_on, t, {gen(T::date, d), gen(T::date, d)});
          case 1: return node(Op::year_of, t, {gen(T::date, d)});
          case 2: return node(Op::add, t, {gen(t, d), gen(t, d)});
          case 3: return node(Op::sub, t, {gen(t, d), gen(t, d)});
          default: return node(Op::mul, t, {gen(t, d), gen(t, d)});
        }
      }
      case T::kind: return node(Op::if_, t, {gen(T::boolean, d), gen(t, d), gen(t, d)});
      case T::brackets: return adjust(t, d);
      default: return leaf(t);
    }
  }

  std::int32_t input(T t) {
    switch (t) {
      case T::money: return node(Op::input, t, {}, std::vector<int>{kM1, kM2, kClaimMoney}[pick(3)]);
      case T::date: return node(Op::input, t, {}, chance(0.5) ? kD1 : kClaimDate);
      default: return node(Op::input, t, {}, kN1);
    }
  }
  std::int64_t value(T t) {
    switch (t) {
      case T::money: return money_value();
      case T::date: return day_value();
      default: return count_value();
    }
  }

  std::int32_t adjust(T t, int d) {
    ir::Adjust a;
    std::vector<std::int32_t> kids{gen(t == T::rate ? T::rate : T::brackets, d)};
    const auto overrides = pick(2);
    const auto points = pick(3);
    for (std::size_t k = 0; k < overrides + points; ++k) {
      const bool is_override = k < overrides;
      kids.push_back(gen(T::boolean, d));
      kids.push_back(is_override ? gen(T::rate, d) : gen(T::points, d));
      a.lines.push_back({is_override, static_cast<std::uint32_t>(kids.size() - 2),
                         static_cast<std::uint32_t>(kids.size() - 1)});
    }
    p_.adjusts.push_back(a);
    return node(Op::adjust, t, kids, static_cast<std::int32_t>(p_.adjusts.size() - 1));
  }

  ir::Program& p_;
  std::vector<std::int32_t> made_[10];
  std::vector<std::pair<std::int32_t, T>> rules_;
};

inline ir::Program random_program(std::mt19937_64& rng) {
  ir::Program p;
  p.policy_id = "test-2024";
  p.year = 2024;
  p.schema = make_schema();
  p.files = {"test.yb"};
  p.domains = {{"level", 1, 3}};
  p.unspecifieds = {{"u0", "not published", {}}, {"u1", "not published", {}}, {"u2", "not published", {}}};
  p.params = {{"p_money", type_ref(T::money), false, -1, 123'450'000, {}},
              {"p_unspecified", type_ref(T::money), true, 1, 0, {}},
              {"p_rate", type_ref(T::rate), false, -1, 650'000, {}}};
  // Tables: money by kind (one cell unspecified); rate by level and kind;
  // money by a level range 1..2 (n1 = 3 is outside it).
  ir::Table t0{"t_money", type_ref(T::money), {{0, kKinds - 1, type_ref(T::kind)}}, {}, {}, {}};
  t0.cells = {100'000'000, 200'000'000, 0, 300'000'000};
  t0.cell_unspecified = {-1, -1, 2, -1};
  ir::Table t1{"t_rate", type_ref(T::rate), {{1, 3, {ir::Type::domain, 0}}, {0, kKinds - 1, type_ref(T::kind)}}, {}, {}, {}};
  for (int i = 0; i < 3 * kKinds; ++i) {
    t1.cells.push_back(500'000 + i * 25'000);
    t1.cell_unspecified.push_back(i == 5 ? 0 : -1);
  }
  ir::Table t2{"t_level", type_ref(T::money), {{1, 2, {ir::Type::domain, 0}}}, {7'000'000, 9'000'000}, {-1, -1}, {}};
  p.tables = {t0, t1, t2};
  p.segments = {{0, 1'000'000'000, 100'000},
                {1'000'000'000, 5'000'000'000, 200'000},
                {5'000'000'000, INT64_MAX, 300'000},
                {0, 2'000'000'000, 500'000},
                {2'000'000'000, INT64_MAX, 900'000}};
  p.schedules = {{0, 3}, {3, 2}};
  p.ledgers = {{"paid", 0, false, 0, 0, "paid", {}}, {"by_level", 1, true, 1, 2, "by level", {}}};
  p.ledger_slots = 3;
  p.ledger_key_field = kId;

  Generator g(rng, p);
  static const T kRuleTypes[] = {T::money, T::money, T::boolean, T::date, T::count, T::rate, T::brackets, T::kind};
  const auto rules = 6 + g.pick(10);
  for (std::size_t r = 0; r < rules; ++r) g.rule_of(kRuleTypes[g.pick(std::size(kRuleTypes))], 3);

  static const T kFieldTypes[] = {T::money, T::money, T::date, T::boolean, T::kind, T::rate, T::count, T::set};
  const auto sections = 1 + g.pick(3);
  for (std::size_t s = 0; s < sections; ++s) {
    ir::Section sec;
    sec.name = "s" + std::to_string(s);
    if (g.chance(0.3)) sec.when = g.gen(T::boolean, 2);
    const auto reasons = g.pick(4);
    for (std::size_t r = 0; r < reasons; ++r) {
      sec.reasons.push_back({g.gen(T::boolean, 2), g.between(0, kKinds - 1), 0, {}});
    }
    const auto fields = 1 + g.pick(4);
    for (std::size_t f = 0; f < fields; ++f) {
      ir::SectionField field;
      field.name = "f" + std::to_string(f);
      const T t = kFieldTypes[g.pick(std::size(kFieldTypes))];
      field.type = type_ref(t);
      field.value = g.gen(t, 3);
      if (g.chance(0.4)) field.otherwise = g.gen(t, 1);
      if (g.chance(0.2)) field.when = g.gen(T::boolean, 2);
      sec.always_reason = sec.always_reason || field.otherwise >= 0;
      sec.fields.push_back(field);
    }
    const auto updates = g.pick(3);
    for (std::size_t u = 0; u < updates; ++u) {
      ir::LedgerUpdate up;
      up.ledger = g.chance(0.5) ? 0 : 1;
      if (up.ledger == 1) up.key = g.gen(T::count, 1);
      up.amount = g.gen(T::money, 2);
      if (g.chance(0.5)) up.when = g.gen(T::boolean, 2);
      sec.updates.push_back(up);
    }
    p.sections.push_back(sec);
  }
  const auto checks = g.pick(3);
  for (std::size_t c = 0; c < checks; ++c) {
    p.checks.push_back({g.gen(T::boolean, 2), g.chance(0.5) ? 0 : -1, kM1, "must hold", {}});
  }
  return p;
}

inline void random_request(std::mt19937_64& rng, Request& r) {
  Random g(rng);
  r.clear();
  const auto maybe = [&](int field, std::int64_t value) {
    if (g.chance(0.85)) r.set(field, value);
  };
  r.set_text(kId, "r");
  maybe(kM1, g.money_value());
  maybe(kM2, g.money_value());
  maybe(kB1, g.between(0, 1));
  maybe(kK1, g.between(0, kKinds - 1));
  maybe(kS1, g.between(0, (1 << kCats) - 1));
  maybe(kD1, g.chance(0.5) ? g.day_value() : kDay2024 - g.between(-400, 40'000));
  maybe(kN1, g.between(1, 3));
  if (g.chance(0.7)) {
    r.set_record_present(0);
    maybe(kClaimMoney, g.money_value());
    maybe(kClaimDate, g.day_value());
  }
}

inline bool same_error(const EvalError& a, const EvalError& b) {
  return a.code == b.code && a.unspecified == b.unspecified && a.node == b.node && a.table == b.table && a.key == b.key;
}

inline void require_same(const Result& a, const Result& b) {
  REQUIRE(a.sections.size() == b.sections.size());
  REQUIRE(a.assessed_any == b.assessed_any);
  for (std::size_t s = 0; s < a.sections.size(); ++s) {
    const SectionOutcome& x = a.sections[s];
    const SectionOutcome& y = b.sections[s];
    INFO("section " << s);
    REQUIRE(x.kind == y.kind);
    if (x.kind == SectionOutcome::Kind::error) {
      REQUIRE(same_error(x.error, y.error));
      continue;
    }
    if (x.kind == SectionOutcome::Kind::reason) {
      REQUIRE(x.reason_code == y.reason_code);
      REQUIRE(x.reason_enum == y.reason_enum);
    }
    if (x.kind == SectionOutcome::Kind::absent) continue;
    REQUIRE(x.written == y.written);
    for (std::size_t f = 0; f < x.values.size(); ++f) {
      if (x.written[f]) REQUIRE(x.values[f] == y.values[f]);
    }
  }
}

// Two engines (an Evaluator or an Engine each) side by side over the same
// random requests, each with its own ledger entry: settle() gives both the
// same request and requires the same failing check, Result and ledgers. The
// i-th request of a run goes without a ledger entry now and then.
struct SideBySide {
  Result a, b;
  std::vector<std::int64_t> ledger_a, ledger_b;
  explicit SideBySide(const ir::Program& p)
      : ledger_a(static_cast<std::size_t>(p.ledger_slots), 0), ledger_b(ledger_a) {}

  // The failing check (or -1).
  template <class A, class B>
  int settle(A& first, B& second, const Request& request, int i) {
    const int check = first.failing_check(request);
    REQUIRE(check == second.failing_check(request));
    const bool keyed = i % 7 != 3;
    first.evaluate(request, keyed ? std::span<std::int64_t>(ledger_a) : std::span<std::int64_t>(), a);
    second.evaluate(request, keyed ? std::span<std::int64_t>(ledger_b) : std::span<std::int64_t>(), b);
    require_same(a, b);
    REQUIRE(ledger_a == ledger_b);
    return check;
  }
};

inline void require_same_trace(const std::vector<TraceStep>& a, const std::vector<TraceStep>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    REQUIRE(a[i].rule == b[i].rule);
    REQUIRE(a[i].depth == b[i].depth);
    REQUIRE(same_error(a[i].error, b[i].error));
    if (a[i].error.code == EvalErrorCode::none) REQUIRE(a[i].value == b[i].value);
  }
}

}  // namespace yibao::testing
