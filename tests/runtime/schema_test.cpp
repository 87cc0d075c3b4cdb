// Schema lookups and the checks a schema must pass.
#include <catch2/catch.hpp>

#include "test_schema.h"

using namespace yibao;

TEST_CASE("schema lookups", "[schema]") {
  const Schema s = test::resident_schema();
  CHECK(s.find_field("claim.total") >= 0);
  CHECK(s.find_field("total") == -1);
  CHECK(s.find_record("claim") == 2);
  CHECK(s.find_enum("kind") == 2);
  CHECK(s.find_member(2, "inpatient") == 2);
  CHECK(s.find_member(2, "nothing") == -1);
  CHECK(s.find_member(99, "inpatient") == -1);
  CHECK(s.fields[static_cast<std::size_t>(s.find_field("claim.hospital_level"))].key() == "hospital_level");
  CHECK(s.fields[0].key() == "id");
}

TEST_CASE("schema validation finds each kind of problem", "[schema]") {
  const auto problem = [](auto change) {
    Schema s = test::resident_schema();
    change(s);
    const Status status = s.validate();
    REQUIRE_FALSE(status);
    return status.error();
  };
  CHECK(test::resident_schema().validate());
  CHECK(problem([](Schema& s) { s.fields.push_back(s.fields[1]); }) == "schema: person.id: field is declared twice");
  CHECK(problem([](Schema& s) { s.fields[1].path = "claim.id"; }) ==
        "schema: claim.id: path must be `person.key` for a field of record `person`");
  CHECK(problem([](Schema& s) { s.fields[1].record = 7; }) == "schema: person.id: record index out of range");
  CHECK(problem([](Schema& s) { s.enums[0].members.resize(65, "x"); }) == "schema: category: member `x` is listed twice");
  CHECK(problem([](Schema& s) {
          s.enums[0].members.clear();
          for (int i = 0; i < 65; ++i) s.enums[0].members.push_back("m" + std::to_string(i));
        }) == "schema: person.categories: a set of an enum with more than 64 members");
  CHECK(problem([](Schema& s) { s.fields[static_cast<std::size_t>(s.find_field("person.tier"))].default_value = 3; }) ==
        "schema: person.tier: default value is not a value of the field");
  CHECK(problem([](Schema& s) { s.fields[static_cast<std::size_t>(s.find_field("person.tier"))].range_hi = 0; }) ==
        "schema: person.tier: range has lo above hi");
  CHECK(problem([](Schema& s) {
          s.fields[static_cast<std::size_t>(s.find_field("claim.compliant"))].default_from = s.find_field("person.tier");
        }) == "schema: claim.compliant: default_from names a field of another record");
  CHECK(problem([](Schema& s) {
          s.fields[static_cast<std::size_t>(s.find_field("claim.compliant"))].default_from = s.find_field("claim.date");
        }) == "schema: claim.compliant: default_from names a field of another type");
  CHECK(problem([](Schema& s) { s.id_field = 1; }) == "schema: person.id: the id field must be a top-level text field");
  CHECK(problem([](Schema& s) { s.fields[0].path = "person"; }) ==
        "schema: person: top-level field has the name of a record");
  CHECK(problem([](Schema& s) { s.fields[1].default_from = 2; }) ==
        "schema: person.id: default_from on a field that is not defaulted");
}
