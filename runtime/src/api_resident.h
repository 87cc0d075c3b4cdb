// The resident request structs (resident.hpp) bound to a policy's schema:
// field indices and enum member numbers found once per RuleSet by name, so
// that encoding a request is plain stores into a Request.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "yibao/expected.h"
#include "yibao/request.h"
#include "yibao/resident.hpp"
#include "yibao/schema.h"

namespace yibao::resident {

struct Binding {
  int id = -1;
  int person = -1, enrollment = -1, claim = -1;  // records
  int person_id = -1, birth_date = -1, categories = -1, tier = -1, hukou = -1;
  int residence_permit = -1, employee_insured = -1, insured_elsewhere = -1, student = -1, employed = -1;
  int foreign = -1, hmt = -1, inmate = -1, retiree_uncovered = -1, migrant_child = -1;
  int parent_qualifies = -1, talent_family = -1;
  int paid_on = -1, continuing = -1;
  int kind = -1, date = -1, hospital_level = -1, tcm_hospital = -1, childrens_hospital = -1, remote = -1;
  int direct_settled = -1, total = -1, compliant = -1, class_b = -1, special_drug = -1, tcm_drug = -1;
  int cause = -1;
  // The schema's member number of each C++ enumerator.
  std::array<int, kCategoryCount> category_member{};
  std::array<int, 2> hukou_member{};
  std::array<int, 6> kind_member{};
  std::array<int, 4> remote_member{};
  std::array<int, 7> cause_member{};
};

// Fails, naming the first field or member missing or of another type, when
// the schema is not the standard resident one.
Expected<std::unique_ptr<const Binding>> bind(const Schema& schema);

// Fills `out` (sized for `schema`) from `request`; false with `message`
// (`claim.total: expected ...`) when a value is out of its field's range.
bool encode(const Binding& binding, const Schema& schema, const resident::Request& request, yibao::Request& out,
            std::string& message);

}  // namespace yibao::resident
