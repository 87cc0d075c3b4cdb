// The hand-written settlements (see hand_written.h). Each rule of the
// policy texts is a line or two here, in the order the sections ask.
#include "hand_written.h"

#include <algorithm>
#include <stdexcept>

#include "yibao/rate.h"

namespace yibao::bench {

namespace {

constexpr Money Y = kMicrosPerYuan;

constexpr std::uint64_t bit(int member) { return std::uint64_t{1} << member; }

// money * rate / 10^6, rounded half away from zero at the micro-yuan.
inline Money times(Money m, Rate r) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(m, r, &product)) return *money_times_rate(m, r);
  std::int64_t q = product / kRateOne;
  const std::int64_t rest = product % kRateOne;
  if (rest * 2 >= kRateOne) ++q;
  if (rest * 2 <= -kRateOne) --q;
  return q;
}

inline Money cents(Money m) { return *round_to_cents_half_up(m); }

// A bracket schedule: segments from 0 with their upper bounds (the last open).
struct Segment {
  Money hi;
  Rate rate;
};
template <std::size_t N>
Money progressive(const Segment (&segments)[N], Money amount) {
  Money total = 0;
  Money lo = 0;
  for (const Segment& s : segments) {
    if (amount <= lo) break;
    total += times(std::min(amount, s.hi) - lo, s.rate);
    lo = s.hi;
  }
  return total;
}

// What the standard library decides before any policy detail.
struct Cover {
  bool newborn_in_time = false;
  bool enrolled = false;
  Date coverage_start = 0;
};

template <class LateStart>
Cover cover(const Claimant& c, int year, Date window_end, Date enrol_deadline, LateStart late_start) {
  Cover v;
  const bool newborn = year_of(c.birth_date) == year;
  v.newborn_in_time = newborn && (!c.has_paid_on || c.paid_on <= *add_days(c.birth_date, 90));  // newborn_rule: true
  v.enrolled = v.newborn_in_time || !c.has_paid_on || c.paid_on <= enrol_deadline;
  const Date start = v.newborn_in_time                                    ? c.birth_date
                     : !c.has_paid_on || c.paid_on <= window_end ? days_from_civil(year, 1, 1)
                                                                         : late_start(c.paid_on);
  v.coverage_start = std::max(start, c.birth_date);
  return v;
}

bool checks_hold(const Claimant& c) {
  if (!c.has_claim) return true;
  return c.has_person_id && c.compliant <= c.total && c.class_b + c.special_drug + c.tcm_drug <= c.compliant;
}

// The sections every policy shares; false when the settlement section is
// answered by a reason (or absent) and the policy's payouts are not needed.
bool shared_sections(const Claimant& c, bool eligible, const Cover& v, int year, Money standard, Money aid,
                     Settlement& out) {
  const Date year_start = days_from_civil(year, 1, 1);
  const Date year_end = days_from_civil(year, 12, 31);
  out.eligible = eligible;
  out.contribution_reason = !eligible ? not_eligible : !v.enrolled ? not_enrolled : -1;
  out.standard = standard;
  out.aid = aid;
  out.personal = standard - aid;
  out.coverage_reason = !eligible                    ? not_eligible
                        : !v.enrolled                ? not_enrolled
                        : v.coverage_start > year_end ? no_coverage
                                                      : -1;
  out.from = v.coverage_start;
  out.to = year_end;
  if (!c.has_claim) {
    out.settlement = Settlement::Kind::absent;
    return false;
  }
  int reason = !eligible                                              ? not_eligible
               : !v.enrolled                                          ? not_enrolled
               : c.date < year_start || c.date < c.birth_date         ? before_coverage
               : c.date > year_end                                    ? after_coverage
               : c.date < v.coverage_start                            ? before_coverage
                                                                      : -1;
  if (reason >= 0) {
    out.settlement = Settlement::Kind::reason;
    out.settlement_reason = reason;
    out.basic = 0;
    out.critical = 0;
    out.out_of_pocket = c.total;
    return false;
  }
  return true;
}

void answer_with_reason(const Claimant& c, int reason, Settlement& out) {
  out.settlement = Settlement::Kind::reason;
  out.settlement_reason = reason;
  out.basic = 0;
  out.critical = 0;
  out.out_of_pocket = c.total;
}

}  // namespace

// ---- liaoyuan-2023 ------------------------------------------------------------

void settle_liaoyuan_2023(const Claimant& c, LiaoyuanLedger* ledger, Settlement& out) {
  out = Settlement{};
  out.valid = checks_hold(c);
  if (!out.valid) return;
  const bool eligible = !c.employee_insured;
  const Cover v = cover(c, 2023, days_from_civil(2022, 12, 31), days_from_civil(2023, 12, 31),
                        [](Date paid) { return *add_days(paid, 91); });
  const Money standard = c.student || c.birth_date > days_from_civil(2004, 12, 31) ? 310 * Y : 360 * Y;
  if (!shared_sections(c, eligible, v, 2023, standard, 0, out)) return;
  if (c.kind != inpatient) {  // 宣传材料只公布了住院待遇
    out.settlement = Settlement::Kind::unspecified;
    return;
  }
  static const LiaoyuanLedger none{};
  const LiaoyuanLedger& l = ledger != nullptr ? *ledger : none;

  // The level's schedule, adjusted for care elsewhere.
  static constexpr Rate kRates[3][3] = {{800'000, 850'000, 900'000}, {700'000, 750'000, 800'000}, {550'000, 600'000, 650'000}};
  const Rate* base = kRates[c.level - 1];
  Segment schedule[3] = {{30'000 * Y, 0}, {60'000 * Y, 0}, {INT64_MAX, 0}};
  Rate delta = 0;
  if (c.remote == longterm) delta -= 100'000;
  if (c.remote != remote_none && !c.direct_settled) delta -= 100'000;
  for (int i = 0; i < 3; ++i) schedule[i].rate = c.remote == self_referred ? 200'000 : clamp_rate(base[i] + delta);

  static constexpr Money kDeductible[3] = {300 * Y, 600 * Y, 1'000 * Y};
  const Money inpatient_base = c.compliant - times(c.class_b, 100'000) - times(c.special_drug, 350'000);
  const Money payable = std::max<Money>(0, inpatient_base - kDeductible[c.level - 1]);
  const Money basic = cents(std::min(progressive(schedule, payable), std::max<Money>(0, 200'000 * Y - l.basic_paid)));

  static constexpr Segment kCritical[3] = {{10'000 * Y, 600'000}, {100'000 * Y, 700'000}, {INT64_MAX, 800'000}};
  const Money threshold =
      c.categories & (bit(tekun) | bit(dibao) | bit(poverty_relapse) | bit(poverty_lifted)) ? 6'000 * Y : 2'000 * Y;
  const Money selfpay = c.compliant - basic;
  const Money before = l.critical_selfpay;
  const Money running = progressive(kCritical, std::max<Money>(0, before + selfpay - threshold)) -
                        progressive(kCritical, std::max<Money>(0, before - threshold));
  const Money critical = cents(std::min(running, std::max<Money>(0, 300'000 * Y - l.critical_paid)));

  out.settlement = Settlement::Kind::fields;
  out.basic = basic;
  out.critical = critical;
  out.out_of_pocket = c.total - basic - critical;
  if (ledger != nullptr) {
    ledger->basic_paid += basic;
    ledger->critical_selfpay += selfpay;
    ledger->critical_paid += critical;
  }
}

// ---- dianjiang-2024 -----------------------------------------------------------

void settle_dianjiang_2024(const Claimant& c, DianjiangLedger* ledger, Settlement& out) {
  out = Settlement{};
  out.valid = checks_hold(c);
  if (!out.valid) return;
  const bool newborn = year_of(c.birth_date) == 2024;
  const bool eligible = ((c.hukou == local || c.residence_permit) && !c.employee_insured) || c.student ||
                        (newborn && c.hukou == local) || (c.hmt && c.residence_permit);
  const Cover v = cover(c, 2024, days_from_civil(2023, 12, 31), days_from_civil(2024, 9, 30), [](Date paid) {
    return paid <= days_from_civil(2024, 2, 29) ? *first_day_of_next_month(paid) : *add_days(paid, 90);
  });
  static constexpr Money kStandard[2] = {380 * Y, 755 * Y};
  const bool early = v.newborn_in_time || !c.has_paid_on || c.paid_on <= days_from_civil(2024, 6, 30);
  const Money standard = kStandard[c.tier - 1] + (early ? 0 : 670 * Y);  // + national.fiscal_subsidy
  // 资助: the highest aid of the person's categories.
  static constexpr Money kAid[11][2] = {
      {380 * Y, 380 * Y}, {380 * Y, 380 * Y}, {342 * Y, 380 * Y}, {266 * Y, 380 * Y}, {266 * Y, 380 * Y},
      {266 * Y, 380 * Y}, {266 * Y, 380 * Y}, {0, 0},             {266 * Y, 380 * Y}, {0, 755 * Y},
      {380 * Y, 380 * Y}};
  Money aid = 0;
  bool any = false;
  for (int m = 0; m < 11; ++m) {
    if (!(c.categories & bit(m))) continue;
    aid = any ? std::max(aid, kAid[m][c.tier - 1]) : kAid[m][c.tier - 1];
    any = true;
  }
  if (!shared_sections(c, eligible, v, 2024, standard, aid, out)) return;
  if (c.remote != remote_none) {  // remote_care: 宣传材料未规定异地就医的报销办法
    out.settlement = Settlement::Kind::unspecified;
    return;
  }
  const bool minor = age_on(c.birth_date, c.date) < 18;
  if (c.kind == outpatient && c.level == 3 && !(minor && c.childrens_hospital)) {
    answer_with_reason(c, no_benefit, out);
    return;
  }
  static const DianjiangLedger none{};
  const DianjiangLedger& l = ledger != nullptr ? *ledger : none;

  const auto inpatient_amount = [&] {
    static constexpr int kDeductibleLevel[3] = {1, 1, 2};
    static constexpr Money kDeductible[3] = {100 * Y, 300 * Y, 800 * Y};
    static constexpr Rate kRate[3][2] = {{800'000, 850'000}, {700'000, 750'000}, {500'000, 550'000}};
    static constexpr Money kCap[2] = {80'000 * Y, 120'000 * Y};
    const int level = c.tcm_hospital ? kDeductibleLevel[c.level - 1] : c.level;
    const Money payable = std::max<Money>(0, c.compliant - kDeductible[level - 1]);
    const Rate rate = clamp_rate(kRate[c.level - 1][c.tier - 1] + (minor ? 50'000 : 0));
    const Money tcm_part = c.tcm_hospital ? std::min(c.tcm_drug, payable) : 0;
    const Rate tcm_rate = clamp_rate(rate + (c.tcm_hospital ? 100'000 : 0));
    return std::min(times(payable - tcm_part, rate) + times(tcm_part, tcm_rate),
                    std::max<Money>(0, kCap[c.tier - 1] - l.inpatient_paid));
  };
  // 普通门诊: the level's yearly deductible first, then the rate, within the yearly cap.
  const int outpatient_level = c.level == 3 && minor && c.childrens_hospital ? 2 : c.level;
  Money deductible_taken = 0;
  Money amount = 0;
  switch (c.kind) {
    case outpatient: {
      static constexpr Money kDeductible[2] = {0, 200 * Y};
      static constexpr Rate kRate[2] = {600'000, 400'000};
      static constexpr Money kCap[2] = {300 * Y, 500 * Y};
      const int i = outpatient_level - 1;
      deductible_taken = std::min(c.compliant, std::max<Money>(0, kDeductible[i] - l.outpatient_deductible_used[i]));
      amount = std::min(times(c.compliant - deductible_taken, kRate[i]),
                        std::max<Money>(0, kCap[c.tier - 1] - l.outpatient_paid));
      break;
    }
    case inpatient:
    case special_outpatient: amount = inpatient_amount(); break;
    case prenatal: amount = std::min(c.compliant, std::max<Money>(0, 300 * Y - l.prenatal_paid)); break;
    case delivery_vaginal: amount = std::min(600 * Y, c.compliant); break;
    default: amount = std::max(inpatient_amount(), std::min(600 * Y, c.compliant)); break;  // cesarean
  }
  const Money basic = cents(amount);

  const bool critical_claim = c.kind == inpatient || c.kind == special_outpatient || c.kind == delivery_cesarean;
  const bool hardship = (c.categories & (bit(tekun) | bit(dibao) | bit(poverty_relapse))) != 0;
  const Money selfpay = c.compliant - basic;
  const auto running_above = [&](Money threshold) {
    const Money before = l.critical_selfpay;
    return std::max<Money>(0, before + selfpay - std::max(before, threshold));
  };
  Money critical = 0;
  if (critical_claim) {
    critical = hardship ? cents(times(running_above(8'916'500'000), 650'000))
                        : cents(std::min(times(running_above(17'833 * Y), 600'000),
                                         std::max<Money>(0, 200'000 * Y - l.critical_paid)));
  }
  out.settlement = Settlement::Kind::fields;
  out.basic = basic;
  out.critical = critical;
  out.out_of_pocket = c.total - basic - critical;
  if (ledger != nullptr) {
    if (critical_claim) ledger->inpatient_paid += basic;
    if (c.kind == outpatient) {
      ledger->outpatient_paid += basic;
      ledger->outpatient_deductible_used[outpatient_level - 1] += deductible_taken;
    }
    if (c.kind == prenatal) ledger->prenatal_paid += basic;
    if (critical_claim) ledger->critical_selfpay += selfpay;
    ledger->critical_paid += critical;
  }
}

// ---- decoding -------------------------------------------------------------------

int Decoder::field(const ir::Program& p, const std::string& path) {
  for (std::size_t i = 0; i < p.schema.fields.size(); ++i) {
    if (p.schema.fields[i].path == path) return static_cast<int>(i);
  }
  throw std::runtime_error("the policy's request has no field " + path);
}

Decoder::Decoder(const ir::Program& p)
    : person_id_(field(p, "person.id")),
      birth_date_(field(p, "person.birth_date")),
      categories_(field(p, "person.categories")),
      tier_(field(p, "person.tier")),
      hukou_(field(p, "person.hukou")),
      residence_permit_(field(p, "person.residence_permit")),
      employee_insured_(field(p, "person.employee_insured")),
      student_(field(p, "person.student")),
      hmt_(field(p, "person.hmt")),
      paid_on_(field(p, "enrollment.paid_on")),
      kind_(field(p, "claim.kind")),
      date_(field(p, "claim.date")),
      level_(field(p, "claim.hospital_level")),
      tcm_hospital_(field(p, "claim.tcm_hospital")),
      childrens_hospital_(field(p, "claim.childrens_hospital")),
      remote_(field(p, "claim.remote")),
      direct_settled_(field(p, "claim.direct_settled")),
      total_(field(p, "claim.total")),
      compliant_(field(p, "claim.compliant")),
      class_b_(field(p, "claim.class_b")),
      special_drug_(field(p, "claim.special_drug")),
      tcm_drug_(field(p, "claim.tcm_drug")) {
  for (std::size_t r = 0; r < p.schema.records.size(); ++r) {
    if (p.schema.records[r].name == "claim") claim_record_ = static_cast<int>(r);
  }
}

Claimant Decoder::decode(const Request& r) const {
  Claimant c;
  c.has_person_id = r.has(person_id_);
  c.birth_date = static_cast<Date>(r.value(birth_date_));
  c.categories = static_cast<std::uint64_t>(r.value(categories_));
  c.tier = static_cast<int>(r.value(tier_));
  c.hukou = static_cast<int>(r.value(hukou_));
  c.residence_permit = r.value(residence_permit_) != 0;
  c.employee_insured = r.value(employee_insured_) != 0;
  c.student = r.value(student_) != 0;
  c.hmt = r.value(hmt_) != 0;
  c.has_paid_on = r.has(paid_on_);
  c.paid_on = static_cast<Date>(r.value(paid_on_));
  c.has_claim = claim_record_ >= 0 && r.has_record(claim_record_);
  c.kind = static_cast<int>(r.value(kind_));
  c.date = static_cast<Date>(r.value(date_));
  c.level = static_cast<int>(r.value(level_));
  c.tcm_hospital = r.value(tcm_hospital_) != 0;
  c.childrens_hospital = r.value(childrens_hospital_) != 0;
  c.remote = static_cast<int>(r.value(remote_));
  c.direct_settled = r.value(direct_settled_) != 0;
  c.total = r.value(total_);
  c.compliant = r.value(compliant_);
  c.class_b = r.value(class_b_);
  c.special_drug = r.value(special_drug_);
  c.tcm_drug = r.value(tcm_drug_);
  return c;
}

}  // namespace yibao::bench
