// resident.hpp: a request of the standard resident-insurance schema as plain
// C++ structs (shared/spec/interchange.md, "Request"), for embedders that
// hold their data in their own types rather than JSON.
//
// Every field has the type and the default the interchange contract gives
// it: money as exact micro-yuan (yibao::Money, whole cents only), dates as
// yibao::Date (days since 1970-01-01; see date.h's from_ymd), enumerations
// as C++ enums named like the contract's members. A Session checks the
// values as the JSON reader would (ranges, whole cents, not negative, below
// 10^12 yuan, real days) and runs the policy's request checks, so a request
// refused as JSON is refused as a struct too, with a message naming the
// field (`claim.total: expected an amount with at most two decimals, got
// 1.005`).
//
// Text fields are string_views: the caller's storage must outlive the
// evaluation (a text value read back from the result, like the echoed id,
// is valid until the Session's next call).
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "yibao/date.h"
#include "yibao/money.h"

namespace yibao::resident {

enum class Category : std::uint8_t {
  tekun, orphan, dibao, dibao_edge, monitored, severe_disability, poverty_relapse,
  poverty_lifted, illness_poverty, veteran_special, veteran_rural60,
};
inline constexpr int kCategoryCount = 11;

// A set of categories, one bit per Category.
class Categories {
 public:
  constexpr Categories() = default;
  constexpr Categories(std::initializer_list<Category> members) {
    for (const Category c : members) add(c);
  }
  constexpr void add(Category c) noexcept { bits_ |= std::uint32_t{1} << static_cast<unsigned>(c); }
  constexpr bool has(Category c) const noexcept { return ((bits_ >> static_cast<unsigned>(c)) & 1U) != 0; }
  constexpr std::uint32_t bits() const noexcept { return bits_; }

 private:
  std::uint32_t bits_ = 0;
};

enum class Hukou : std::uint8_t { local, other };
enum class Kind : std::uint8_t { outpatient, special_outpatient, inpatient, prenatal, delivery_vaginal, delivery_cesarean };
enum class Remote : std::uint8_t { none, longterm, referred, self };
enum class Cause : std::uint8_t { illness, work_injury, third_party, public_health, abroad, cosmetic, crime };

struct Person {
  std::optional<std::string_view> id;  // the ledger key; required with a claim
  Date birth_date = 0;
  Categories categories;
  std::int64_t tier = 1;  // 1 or 2
  Hukou hukou = Hukou::local;
  bool residence_permit = false;
  bool employee_insured = false;
  bool insured_elsewhere = false;
  bool student = false;
  bool employed = false;
  bool foreign = false;
  bool hmt = false;
  bool inmate = false;
  bool retiree_uncovered = false;
  bool migrant_child = false;
  bool parent_qualifies = false;
  bool talent_family = false;
};

struct Enrollment {
  std::optional<Date> paid_on;  // absent: paid inside the concentrated window
  bool continuing = true;
};

struct Claim {
  Kind kind = Kind::outpatient;
  Date date = 0;
  std::int64_t hospital_level = 1;  // 1, 2 or 3
  bool tcm_hospital = false;
  bool childrens_hospital = false;
  Remote remote = Remote::none;
  bool direct_settled = true;
  Money total = 0;
  std::optional<Money> compliant;  // absent: = total
  Money class_b = 0;
  Money special_drug = 0;
  Money tcm_drug = 0;
  Cause cause = Cause::illness;
};

struct Request {
  std::string_view id;  // echoed in the result
  Person person;
  std::optional<Enrollment> enrollment;
  std::optional<Claim> claim;
};

}  // namespace yibao::resident
