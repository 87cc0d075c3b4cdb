// resident.hpp's structs -> a Request, through the field indices found by
// name once per rule set (api_resident.h).
#include "api_resident.h"

#include <string_view>

#include "yibao/date.h"
#include "yibao/money.h"

namespace yibao::resident {

namespace {

struct FieldBinding {
  std::string_view path;
  FieldType type;
  int Binding::*slot;
};

constexpr FieldBinding kFields[] = {
    {"id", FieldType::text, &Binding::id},
    {"person.id", FieldType::text, &Binding::person_id},
    {"person.birth_date", FieldType::date, &Binding::birth_date},
    {"person.categories", FieldType::enum_set, &Binding::categories},
    {"person.tier", FieldType::integer_range, &Binding::tier},
    {"person.hukou", FieldType::enumeration, &Binding::hukou},
    {"person.residence_permit", FieldType::boolean, &Binding::residence_permit},
    {"person.employee_insured", FieldType::boolean, &Binding::employee_insured},
    {"person.insured_elsewhere", FieldType::boolean, &Binding::insured_elsewhere},
    {"person.student", FieldType::boolean, &Binding::student},
    {"person.employed", FieldType::boolean, &Binding::employed},
    {"person.foreign", FieldType::boolean, &Binding::foreign},
    {"person.hmt", FieldType::boolean, &Binding::hmt},
    {"person.inmate", FieldType::boolean, &Binding::inmate},
    {"person.retiree_uncovered", FieldType::boolean, &Binding::retiree_uncovered},
    {"person.migrant_child", FieldType::boolean, &Binding::migrant_child},
    {"person.parent_qualifies", FieldType::boolean, &Binding::parent_qualifies},
    {"person.talent_family", FieldType::boolean, &Binding::talent_family},
    {"enrollment.paid_on", FieldType::date, &Binding::paid_on},
    {"enrollment.continuing", FieldType::boolean, &Binding::continuing},
    {"claim.kind", FieldType::enumeration, &Binding::kind},
    {"claim.date", FieldType::date, &Binding::date},
    {"claim.hospital_level", FieldType::integer_range, &Binding::hospital_level},
    {"claim.tcm_hospital", FieldType::boolean, &Binding::tcm_hospital},
    {"claim.childrens_hospital", FieldType::boolean, &Binding::childrens_hospital},
    {"claim.remote", FieldType::enumeration, &Binding::remote},
    {"claim.direct_settled", FieldType::boolean, &Binding::direct_settled},
    {"claim.total", FieldType::money, &Binding::total},
    {"claim.compliant", FieldType::money, &Binding::compliant},
    {"claim.class_b", FieldType::money, &Binding::class_b},
    {"claim.special_drug", FieldType::money, &Binding::special_drug},
    {"claim.tcm_drug", FieldType::money, &Binding::tcm_drug},
    {"claim.cause", FieldType::enumeration, &Binding::cause},
};

constexpr std::string_view kCategories[] = {"tekun", "orphan", "dibao", "dibao_edge", "monitored",
                                            "severe_disability", "poverty_relapse", "poverty_lifted",
                                            "illness_poverty", "veteran_special", "veteran_rural60"};
constexpr std::string_view kHukous[] = {"local", "other"};
constexpr std::string_view kKinds[] = {"outpatient", "special_outpatient", "inpatient",
                                       "prenatal", "delivery_vaginal", "delivery_cesarean"};
constexpr std::string_view kRemotes[] = {"none", "longterm", "referred", "self"};
constexpr std::string_view kCauses[] = {"illness", "work_injury", "third_party", "public_health",
                                        "abroad", "cosmetic", "crime"};

// Finds each C++ enumerator's member in the enumeration of `field`.
template <std::size_t N>
Status bind_members(const Schema& schema, int field, const std::string_view (&names)[N], std::array<int, N>& out) {
  const FieldSpec& f = schema.fields[static_cast<std::size_t>(field)];
  for (std::size_t i = 0; i < N; ++i) {
    out[i] = schema.find_member(f.enum_index, names[i]);
    if (out[i] < 0) return Error{f.path + ": the policy's enumeration has no member " + std::string(names[i])};
  }
  return Status::success();
}

class Encoder {
 public:
  Encoder(const Schema& schema, yibao::Request& out, std::string& message)
      : schema_(schema), out_(out), message_(message) {}

  bool money(int field, Money value) {
    if (value >= 0 && value < kMoneyInputLimit && value % kMicrosPerCent == 0) {
      out_.set(field, value);
      return true;
    }
    const MoneyTextError why = value < 0                      ? MoneyTextError::negative
                               : value >= kMoneyInputLimit ? MoneyTextError::too_large
                                                             : MoneyTextError::too_many_decimals;
    char text[kMoneyTextMax];
    return refuse(field, money_text_expectation(why), std::string_view(text, write_money_exact(text, value)));
  }
  bool date(int field, Date value) {
    if (is_valid_date(value)) {
      out_.set(field, value);
      return true;
    }
    return refuse(field, "a date in years 1 to 9999", std::to_string(value) + " days from 1970-01-01");
  }
  bool range(int field, std::int64_t value) {
    const FieldSpec& f = schema_.fields[static_cast<std::size_t>(field)];
    if (value >= f.range_lo && value <= f.range_hi) {
      out_.set(field, value);
      return true;
    }
    return refuse(field, "a whole number from " + std::to_string(f.range_lo) + " to " + std::to_string(f.range_hi),
                  std::to_string(value));
  }
  void flag(int field, bool value) { out_.set(field, value ? 1 : 0); }
  void member(int field, int member) { out_.set(field, member); }

 private:
  bool refuse(int field, std::string_view expected, std::string_view got) {
    message_ = schema_.fields[static_cast<std::size_t>(field)].path;
    message_ += ": expected ";
    message_ += expected;
    message_ += ", got ";
    message_ += got;
    return false;
  }

  const Schema& schema_;
  yibao::Request& out_;
  std::string& message_;
};

template <std::size_t N, class E>
int member_of(const std::array<int, N>& members, E value) {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? members[i] : -1;
}

}  // namespace

Expected<std::unique_ptr<const Binding>> bind(const Schema& schema) {
  auto binding = std::make_unique<Binding>();
  for (const FieldBinding& fb : kFields) {
    const int field = schema.find_field(fb.path);
    if (field < 0) return Error{"the policy's request has no field " + std::string(fb.path)};
    if (schema.fields[static_cast<std::size_t>(field)].type != fb.type)
      return Error{"the policy's request field " + std::string(fb.path) + " has another type"};
    (*binding).*fb.slot = field;
  }
  binding->person = schema.find_record("person");
  binding->enrollment = schema.find_record("enrollment");
  binding->claim = schema.find_record("claim");
  if (binding->person < 0 || binding->enrollment < 0 || binding->claim < 0)
    return Error{"the policy's request lacks the person, enrollment or claim record"};
  if (Status s = bind_members(schema, binding->categories, kCategories, binding->category_member); !s) return Error{s.error()};
  if (Status s = bind_members(schema, binding->hukou, kHukous, binding->hukou_member); !s) return Error{s.error()};
  if (Status s = bind_members(schema, binding->kind, kKinds, binding->kind_member); !s) return Error{s.error()};
  if (Status s = bind_members(schema, binding->remote, kRemotes, binding->remote_member); !s) return Error{s.error()};
  if (Status s = bind_members(schema, binding->cause, kCauses, binding->cause_member); !s) return Error{s.error()};
  return std::unique_ptr<const Binding>(std::move(binding));
}

bool encode(const Binding& b, const Schema& schema, const resident::Request& request, yibao::Request& out,
            std::string& message) {
  out.clear();
  Encoder e(schema, out, message);
  out.set_text(b.id, request.id);

  const Person& p = request.person;
  out.set_record_present(b.person);
  if (p.id) out.set_text(b.person_id, *p.id);
  if (!e.date(b.birth_date, p.birth_date)) return false;
  std::int64_t set = 0;
  for (int c = 0; c < kCategoryCount; ++c) {
    if (p.categories.has(static_cast<Category>(c)))
      set |= std::int64_t{1} << b.category_member[static_cast<std::size_t>(c)];
  }
  out.set(b.categories, set);
  if (!e.range(b.tier, p.tier)) return false;
  const int hukou = member_of(b.hukou_member, p.hukou);
  if (hukou < 0) {
    message = "person.hukou: expected local or other";
    return false;
  }
  e.member(b.hukou, hukou);
  e.flag(b.residence_permit, p.residence_permit);
  e.flag(b.employee_insured, p.employee_insured);
  e.flag(b.insured_elsewhere, p.insured_elsewhere);
  e.flag(b.student, p.student);
  e.flag(b.employed, p.employed);
  e.flag(b.foreign, p.foreign);
  e.flag(b.hmt, p.hmt);
  e.flag(b.inmate, p.inmate);
  e.flag(b.retiree_uncovered, p.retiree_uncovered);
  e.flag(b.migrant_child, p.migrant_child);
  e.flag(b.parent_qualifies, p.parent_qualifies);
  e.flag(b.talent_family, p.talent_family);

  // An absent optional record still takes its defaults (request_reader.h).
  const Enrollment enrollment = request.enrollment.value_or(Enrollment{});
  if (request.enrollment) out.set_record_present(b.enrollment);
  if (enrollment.paid_on && !e.date(b.paid_on, *enrollment.paid_on)) return false;
  out.set(b.continuing, enrollment.continuing ? 1 : 0, request.enrollment.has_value());

  if (!request.claim) {
    // An absent record's defaulted fields still take their defaults, as the
    // reader gives them (a default taken from another field needs a value).
    for (std::size_t f = 0; f < schema.fields.size(); ++f) {
      const FieldSpec& spec = schema.fields[f];
      if (spec.record == b.claim && spec.presence == Presence::defaulted && spec.default_from < 0)
        out.set(static_cast<int>(f), spec.default_value, false);
    }
    return true;
  }
  const Claim& c = *request.claim;
  out.set_record_present(b.claim);
  const int kind = member_of(b.kind_member, c.kind);
  const int remote = member_of(b.remote_member, c.remote);
  const int cause = member_of(b.cause_member, c.cause);
  if (kind < 0 || remote < 0 || cause < 0) {
    message = "claim: an enumeration value out of range";
    return false;
  }
  e.member(b.kind, kind);
  if (!e.date(b.date, c.date) || !e.range(b.hospital_level, c.hospital_level)) return false;
  e.flag(b.tcm_hospital, c.tcm_hospital);
  e.flag(b.childrens_hospital, c.childrens_hospital);
  e.member(b.remote, remote);
  e.flag(b.direct_settled, c.direct_settled);
  if (!e.money(b.total, c.total)) return false;
  if (c.compliant) {
    if (!e.money(b.compliant, *c.compliant)) return false;
  } else {
    out.set(b.compliant, c.total, false);
  }
  if (!e.money(b.class_b, c.class_b) || !e.money(b.special_drug, c.special_drug) || !e.money(b.tcm_drug, c.tcm_drug))
    return false;
  e.member(b.cause, cause);
  return true;
}

}  // namespace yibao::resident
