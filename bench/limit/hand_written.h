// hand_written.h: liaoyuan-2023 and dianjiang-2024 settled by hand-written
// C++, the practical limit an engine is measured against (limit_bench.cpp).
//
// Read from the policy texts (policies/liaoyuan/2023.yb,
// policies/dianjiang/2024.yb) and the standard library (stdlib/resident.yb):
// the same four sections, reasons, fixed-point arithmetic and rounding
// (money * rate rounded half away from zero at the micro-yuan, payouts to
// the cent), and the ledgers updated only by a settlement that completes.
// What a hand-written settlement would not do: it checks no overflow (valid
// requests stay far below int64 beyond the 128-bit products), and it knows
// its policy's tables as constants.
//
// Input is an already decoded request (Claimant), as an embedder holding
// its own records would pass it; decode() makes one from a yibao::Request.
#pragma once

#include <cstdint>
#include <string>

#include "yibao/date.h"
#include "yibao/ir.h"
#include "yibao/money.h"
#include "yibao/request.h"

namespace yibao::bench {

// Member indices of std.resident's enumerations (declaration order).
enum Kind : int { outpatient, special_outpatient, inpatient, prenatal, delivery_vaginal, delivery_cesarean };
enum Remote : int { remote_none, longterm, referred, self_referred };
enum Category : int {
  tekun, orphan, dibao, dibao_edge, monitored, severe_disability, poverty_relapse, poverty_lifted,
  illness_poverty, veteran_special, veteran_rural60
};
enum Reason : int { not_eligible, not_enrolled, no_coverage, before_coverage, after_coverage, excluded_cause, no_benefit };
enum Hukou : int { local, other };

struct Claimant {
  bool has_person_id = false;
  Date birth_date = 0;
  std::uint64_t categories = 0;
  int tier = 1;
  int hukou = local;
  bool residence_permit = false, employee_insured = false, student = false, hmt = false;
  bool has_paid_on = false;
  Date paid_on = 0;
  bool has_claim = false;
  int kind = outpatient;
  Date date = 0;
  int level = 1;
  bool tcm_hospital = false, childrens_hospital = false;
  int remote = remote_none;
  bool direct_settled = true;
  Money total = 0, compliant = 0, class_b = 0, special_drug = 0, tcm_drug = 0;
};

// The four sections' answers.
struct Settlement {
  bool valid = true;  // the request checks hold
  bool eligible = false;
  int contribution_reason = -1;  // -1: none
  Money standard = 0, aid = 0, personal = 0;
  int coverage_reason = -1;
  Date from = 0, to = 0;
  enum class Kind { absent, reason, fields, unspecified } settlement = Kind::absent;
  int settlement_reason = -1;
  Money basic = 0, critical = 0, out_of_pocket = 0;
};

// The ledgers of one person-year, as the policies declare them.
struct LiaoyuanLedger {
  Money basic_paid = 0, critical_selfpay = 0, critical_paid = 0;
};
struct DianjiangLedger {
  Money outpatient_deductible_used[2] = {0, 0};
  Money outpatient_paid = 0, inpatient_paid = 0, prenatal_paid = 0, critical_selfpay = 0, critical_paid = 0;
};

// `ledger` is null for a request without person.id (nothing is recorded).
void settle_liaoyuan_2023(const Claimant& c, LiaoyuanLedger* ledger, Settlement& out);
void settle_dianjiang_2024(const Claimant& c, DianjiangLedger* ledger, Settlement& out);

// Field indices of std.resident's request in a program's schema.
class Decoder {
 public:
  explicit Decoder(const ir::Program& program);
  Claimant decode(const Request& r) const;

 private:
  int field(const ir::Program& p, const std::string& path);
  int person_id_, birth_date_, categories_, tier_, hukou_, residence_permit_, employee_insured_, student_, hmt_;
  int paid_on_, kind_, date_, level_, tcm_hospital_, childrens_hospital_, remote_, direct_settled_;
  int total_, compliant_, class_b_, special_drug_, tcm_drug_;
  int claim_record_ = -1;
};

}  // namespace yibao::bench
