// test_schema.h: the request schema of interchange.md, built by hand as the
// compiler would build it from stdlib/resident.yb, for the runtime's tests.
#pragma once

#include <string>
#include <vector>

#include "yibao/schema.h"
#include "yibao/values.h"

namespace yibao::test {

inline Schema resident_schema() {
  Schema s;
  s.enums = {
      {"category",
       {"tekun", "orphan", "dibao", "dibao_edge", "monitored", "severe_disability", "poverty_relapse", "poverty_lifted",
        "illness_poverty", "veteran_special", "veteran_rural60"}},
      {"hukou", {"local", "other"}},
      {"kind", {"outpatient", "special_outpatient", "inpatient", "prenatal", "delivery_vaginal", "delivery_cesarean"}},
      {"remote", {"none", "longterm", "referred", "self"}},
      {"cause", {"illness", "work_injury", "third_party", "public_health", "abroad", "cosmetic", "crime"}},
  };
  s.records = {{"person", false}, {"enrollment", true}, {"claim", true}};
  const auto field = [&s](std::string path, int record, FieldType type, Presence presence) -> FieldSpec& {
    FieldSpec f{};
    f.path = std::move(path);
    f.record = record;
    f.type = type;
    f.presence = presence;
    s.fields.push_back(f);
    return s.fields.back();
  };
  using FT = FieldType;
  using P = Presence;
  field("id", -1, FT::text, P::required);
  s.id_field = 0;
  field("person.id", 0, FT::text, P::optional);
  field("person.birth_date", 0, FT::date, P::required);
  field("person.categories", 0, FT::enum_set, P::defaulted).enum_index = 0;
  {
    FieldSpec& tier = field("person.tier", 0, FT::integer_range, P::defaulted);
    tier.range_lo = 1;
    tier.range_hi = 2;
    tier.default_value = 1;
  }
  field("person.hukou", 0, FT::enumeration, P::defaulted).enum_index = 1;
  for (const char* b : {"residence_permit", "employee_insured", "insured_elsewhere", "student", "employed", "foreign",
                        "hmt", "inmate", "retiree_uncovered", "migrant_child", "parent_qualifies", "talent_family"}) {
    field(std::string("person.") + b, 0, FT::boolean, P::defaulted);
  }
  field("enrollment.paid_on", 1, FT::date, P::optional);
  field("enrollment.continuing", 1, FT::boolean, P::defaulted).default_value = 1;
  field("claim.kind", 2, FT::enumeration, P::required).enum_index = 2;
  field("claim.date", 2, FT::date, P::required);
  {
    FieldSpec& level = field("claim.hospital_level", 2, FT::integer_range, P::required);
    level.range_lo = 1;
    level.range_hi = 3;
  }
  field("claim.tcm_hospital", 2, FT::boolean, P::defaulted);
  field("claim.childrens_hospital", 2, FT::boolean, P::defaulted);
  field("claim.remote", 2, FT::enumeration, P::defaulted).enum_index = 3;
  field("claim.direct_settled", 2, FT::boolean, P::defaulted).default_value = 1;
  field("claim.total", 2, FT::money, P::required);
  const int total = static_cast<int>(s.fields.size()) - 1;
  field("claim.compliant", 2, FT::money, P::defaulted).default_from = total;
  field("claim.class_b", 2, FT::money, P::defaulted);
  field("claim.special_drug", 2, FT::money, P::defaulted);
  field("claim.tcm_drug", 2, FT::money, P::defaulted);
  field("claim.cause", 2, FT::enumeration, P::defaulted).enum_index = 4;
  return s;
}

// The example request of interchange.md, on one line.
inline constexpr const char* kExampleRequest =
    R"({"id": "r-17", "person": {"id": "p-3", "birth_date": "1961-04-30", "categories": ["dibao"], "tier": 1, )"
    R"("hukou": "local", "employee_insured": false}, "enrollment": {"paid_on": "2023-11-02", "continuing": true}, )"
    R"("claim": {"kind": "inpatient", "date": "2024-03-05", "hospital_level": 3, "tcm_hospital": false, )"
    R"("childrens_hospital": false, "remote": "none", "direct_settled": true, "total": 52000.00, "compliant": 48000.00, )"
    R"("class_b": 6000.00, "special_drug": 0, "tcm_drug": 0, "cause": "illness"}})";

}  // namespace yibao::test
