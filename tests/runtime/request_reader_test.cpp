// Request reading: every rule of interchange.md's "Request" and "Values".
#include <catch2/catch.hpp>

#include <string>

#include "test_schema.h"
#include "yibao/line_reader.h"
#include "yibao/request_reader.h"

using namespace yibao;

namespace {

struct Reader {
  RequestReader reader = RequestReader::create(test::resident_schema()).value();
  Request request = reader.make_request();

  int field(std::string_view path) const {
    const int f = reader.schema().find_field(path);
    REQUIRE(f >= 0);
    return f;
  }
  std::int64_t value(std::string_view path) const { return request.value(field(path)); }
  bool has(std::string_view path) const { return request.has(field(path)); }
  bool given(std::string_view path) const { return request.given(field(path)); }

  void ok(std::string_view line) {
    const bool read = reader.read(line, request);
    INFO(line);
    INFO(reader.error());
    REQUIRE(read);
  }
  std::string error(std::string_view line) {
    INFO(line);
    REQUIRE_FALSE(reader.read(line, request));
    return std::string(reader.error());
  }
};

// A valid request with `claim_fields` as the claim's members.
std::string with_claim(std::string_view claim_fields) {
  return R"({"id": "r-1", "person": {"id": "p-1", "birth_date": "1990-05-06"}, "claim": {)" + std::string(claim_fields) +
         "}}";
}
constexpr std::string_view kClaimBase = R"("kind": "outpatient", "date": "2024-03-05", "hospital_level": 1, )";

std::string with_person(std::string_view person_fields) {
  return R"({"id": "r-1", "person": {"birth_date": "1990-05-06", )" + std::string(person_fields) + "}}";
}

}  // namespace

TEST_CASE("the example request of interchange.md reads completely", "[reader]") {
  Reader r;
  r.ok(test::kExampleRequest);
  const Request& q = r.request;
  CHECK(q.text(r.field("id")) == "r-17");
  CHECK(q.text(r.field("person.id")) == "p-3");
  CHECK(r.value("person.birth_date") == *from_ymd(1961, 4, 30));
  CHECK(r.value("person.categories") == slot_from_set(enum_set_of(2)));
  CHECK(r.value("person.tier") == 1);
  CHECK(r.value("person.hukou") == 0);
  CHECK(r.value("person.employee_insured") == 0);
  CHECK(r.value("enrollment.paid_on") == *from_ymd(2023, 11, 2));
  CHECK(r.value("enrollment.continuing") == 1);
  CHECK(r.value("claim.kind") == 2);
  CHECK(r.value("claim.date") == *from_ymd(2024, 3, 5));
  CHECK(r.value("claim.hospital_level") == 3);
  CHECK(r.value("claim.remote") == 0);
  CHECK(r.value("claim.direct_settled") == 1);
  CHECK(r.value("claim.total") == yuan(52000));
  CHECK(r.value("claim.compliant") == yuan(48000));
  CHECK(r.value("claim.class_b") == yuan(6000));
  CHECK(r.value("claim.special_drug") == 0);
  CHECK(r.value("claim.cause") == 0);
  for (int record = 0; record < 3; ++record) CHECK(q.has_record(record));
  CHECK(r.given("claim.total"));
  CHECK_FALSE(r.given("person.student"));
  CHECK(r.has("person.student"));
}

TEST_CASE("absent fields take their defaults; absent optional records leave fields absent", "[reader]") {
  Reader r;
  r.ok(R"({"id": "r-2", "person": {"birth_date": "2000-01-01"}})");
  CHECK(r.request.has_record(0));
  CHECK_FALSE(r.request.has_record(1));
  CHECK_FALSE(r.request.has_record(2));
  CHECK_FALSE(r.has("person.id"));
  CHECK(r.request.text(r.field("person.id")).empty());
  CHECK(r.value("person.tier") == 1);
  CHECK_FALSE(r.given("person.tier"));
  CHECK(r.value("person.categories") == 0);
  CHECK(r.has("person.categories"));
  // An absent optional record: its required fields are not required, its
  // defaulted ones take their defaults.
  CHECK_FALSE(r.has("enrollment.paid_on"));
  CHECK(r.value("enrollment.continuing") == 1);
  CHECK(r.has("enrollment.continuing"));
  CHECK_FALSE(r.has("claim.kind"));
  CHECK_FALSE(r.has("claim.total"));
  CHECK(r.value("claim.direct_settled") == 1);
  // A default taken from an absent field stays absent.
  CHECK_FALSE(r.has("claim.compliant"));
}

// Every line starts from a blank request holding the constant defaults
// (RequestReader's begin_line): a given value replaces its default for that
// line only, on the fast path and on the full decoder's (a line the fast
// path declines: an escaped string).
TEST_CASE("a given value replaces a default for its own line only", "[reader]") {
  for (const std::string& id : {std::string("r"), std::string("r\\u0031")}) {
    INFO(id);
    Reader r;
    r.ok(R"({"id": ")" + id + R"(", "person": {"birth_date": "2000-01-01", "tier": 2}, "enrollment": {"continuing": false}})");
    CHECK(r.value("person.tier") == 2);
    CHECK(r.given("person.tier"));
    CHECK(r.value("enrollment.continuing") == 0);
    r.ok(R"({"id": ")" + id + R"(", "person": {"birth_date": "2000-01-01"}})");
    CHECK(r.value("person.tier") == 1);
    CHECK(r.has("person.tier"));
    CHECK_FALSE(r.given("person.tier"));
    CHECK(r.value("enrollment.continuing") == 1);
    CHECK_FALSE(r.given("enrollment.continuing"));
  }
}

// A request not made by this reader (empty, or of another schema) takes
// the reader's shape on its first line.
TEST_CASE("a request of another shape is reshaped by the reader", "[reader]") {
  Reader r;
  for (Request other : {Request(), Request(Schema{})}) {
    REQUIRE(r.reader.read(R"({"id": "r", "person": {"birth_date": "2000-01-01"}})", other));
    CHECK(other.field_count() == r.reader.schema().fields.size());
    CHECK(other.record_count() == r.reader.schema().records.size());
    CHECK(other.text(0) == "r");
    CHECK(other.value(r.field("person.tier")) == 1);
    CHECK(other.has(r.field("person.birth_date")));
  }
}

TEST_CASE("compliant defaults to total", "[reader]") {
  Reader r;
  r.ok(with_claim(std::string(kClaimBase) + R"("total": 1234.5)"));
  CHECK(r.value("claim.total") == 1'234'500'000);
  CHECK(r.value("claim.compliant") == 1'234'500'000);
  CHECK_FALSE(r.given("claim.compliant"));
  r.ok(with_claim(std::string(kClaimBase) + R"("total": 100, "compliant": null)"));
  CHECK(r.value("claim.compliant") == yuan(100));
}

TEST_CASE("null means absent for optional fields and records, and is refused for required ones", "[reader]") {
  Reader r;
  r.ok(R"({"id": "r", "person": {"birth_date": "2000-01-01", "tier": null, "id": null}, "claim": null, "enrollment": null})");
  CHECK(r.value("person.tier") == 1);
  CHECK_FALSE(r.has("person.id"));
  CHECK_FALSE(r.request.has_record(2));
  CHECK(r.error(R"({"id": "r", "person": {"birth_date": null}})") == "person.birth_date: required but null");
  CHECK(r.error(R"({"id": null, "person": {"birth_date": "2000-01-01"}})") == "id: required but null");
  CHECK(r.error(R"({"id": "r", "person": null})") == "person: required but null");
  CHECK(r.error(with_claim(std::string(kClaimBase) + R"("total": null)")) == "claim.total: required but null");
}

TEST_CASE("missing required fields and records are named", "[reader]") {
  Reader r;
  CHECK(r.error(R"({"person": {"birth_date": "2000-01-01"}})") == "id: required but missing");
  CHECK(r.error(R"({"id": "r"})") == "person: required but missing");
  CHECK(r.error(R"({"id": "r", "person": {}})") == "person.birth_date: required but missing");
  CHECK(r.error(with_claim(R"("kind": "inpatient", "date": "2024-03-05", "total": 5)")) ==
        "claim.hospital_level: required but missing");
  CHECK(r.error(with_claim("")) == "claim.kind: required but missing");
  // Several missing: the first in schema order (the top level, then each
  // record in turn) is named, whatever the order of the keys.
  CHECK(r.error(R"({"claim": {"total": 5}, "person": {}})") == "id: required but missing");
  CHECK(r.error(R"({"claim": {"total": 5}, "person": {}, "id": "r"})") == "person.birth_date: required but missing");
  CHECK(r.error(R"({"claim": {"total": 5}, "id": "r"})") == "person: required but missing");
  // An absent optional record requires nothing; once given, its fields do.
  r.ok(R"({"id": "r", "person": {"birth_date": "2000-01-01"}, "claim": null})");
  CHECK(r.error(R"({"id": "r", "person": {"birth_date": "2000-01-01"}, "claim": {"kind": "outpatient"}})") ==
        "claim.date: required but missing");
}

TEST_CASE("duplicate keys are refused", "[reader]") {
  Reader r;
  CHECK(r.error(R"({"id": "a", "id": "b", "person": {"birth_date": "2000-01-01"}})") == "id: given twice");
  CHECK(r.error(with_person(R"("tier": 1, "tier": 2)")) == "person.tier: given twice");
  CHECK(r.error(with_person(R"("tier": null, "tier": 2)")) == "person.tier: given twice");
  CHECK(r.error(R"({"id": "a", "person": {"birth_date": "2000-01-01"}, "person": {}})") == "person: given twice");
}

TEST_CASE("unknown keys are refused with the nearest known name", "[reader]") {
  Reader r;
  CHECK(r.error(with_claim(std::string(kClaimBase) + R"("totl": 5)")) ==
        "claim.totl: unknown field (did you mean claim.total?)");
  CHECK(r.error(with_person(R"("catgories": [])")) == "person.catgories: unknown field (did you mean person.categories?)");
  CHECK(r.error(R"({"id": "a", "persn": {}})") == "persn: unknown field (did you mean person?)");
  CHECK(r.error(R"({"id": "a", "xyzzy": 1})") == "xyzzy: unknown field (known: id, person, enrollment, claim)");
  // Keys are compared unescaped.
  Reader escaped;
  escaped.ok(R"({"\u0069d": "r", "person": {"birth_date": "2000-01-01"}})");
  CHECK(escaped.request.text(0) == "r");
}

TEST_CASE("JSON types must match the field", "[reader]") {
  Reader r;
  CHECK(r.error(R"({"id": 17, "person": {"birth_date": "2000-01-01"}})") == "id: expected a string, got 17");
  CHECK(r.error(with_person(R"("student": 1)")) == "person.student: expected true or false, got 1");
  CHECK(r.error(with_person(R"("student": "true")")) == "person.student: expected true or false, got \"true\"");
  CHECK(r.error(R"({"id": "r", "person": []})") == "person: expected an object, got an array");
  CHECK(r.error(R"({"id": "r", "person": "p-3"})") == "person: expected an object, got \"p-3\"");
  CHECK(r.error(with_person(R"("categories": "dibao")")) ==
        "person.categories: expected a list of category, got \"dibao\"");
  CHECK(r.error(R"({"id": "r", "person": {"birth_date": 19610430}})") ==
        "person.birth_date: expected a date YYYY-MM-DD, got 19610430");
  CHECK(r.error(with_claim(std::string(kClaimBase) + R"("total": true)")) ==
        "claim.total: expected an amount in yuan like 1234.56, got true");
  CHECK(r.error(with_claim(std::string(kClaimBase) + R"("total": {"a": 1})")) ==
        "claim.total: expected an amount in yuan like 1234.56, got an object");
}

TEST_CASE("whole numbers are plain JSON integers in range", "[reader]") {
  Reader r;
  const auto level = [&](std::string_view v) {
    return r.error(with_claim(R"("kind": "inpatient", "date": "2024-03-05", "total": 5, "hospital_level": )" +
                              std::string(v)));
  };
  CHECK(level("7") == "claim.hospital_level: expected 1, 2 or 3, got 7");
  CHECK(level("0") == "claim.hospital_level: expected 1, 2 or 3, got 0");
  CHECK(level("-1") == "claim.hospital_level: expected 1, 2 or 3, got -1");
  CHECK(level("2.0") == "claim.hospital_level: expected 1, 2 or 3, got 2.0");
  CHECK(level("2e0") == "claim.hospital_level: expected 1, 2 or 3, got 2e0");
  CHECK(level("\"2\"") == "claim.hospital_level: expected 1, 2 or 3, got \"2\"");
  CHECK(level("02") == "claim.hospital_level: expected 1, 2 or 3, got 02");
  CHECK(level("99999999999999999999999") == "claim.hospital_level: expected 1, 2 or 3, got 99999999999999999999999");
  CHECK(r.error(with_person(R"("tier": 3)")) == "person.tier: expected 1 or 2, got 3");
  r.ok(with_person(R"("tier": 2)"));
  CHECK(r.value("person.tier") == 2);
}

TEST_CASE("longer ranges are described, not spelt out", "[reader]") {
  Schema s;
  FieldSpec f{};
  f.path = "age";
  f.type = FieldType::integer_range;
  f.range_lo = 0;
  f.range_hi = 150;
  f.presence = Presence::required;
  s.fields.push_back(f);
  RequestReader reader = RequestReader::create(s).value();
  Request q = reader.make_request();
  REQUIRE_FALSE(reader.read(R"({"age": 200})", q));
  CHECK(reader.error() == "age: expected a whole number from 0 to 150, got 200");
  CHECK(reader.read(R"({"age": -0})", q));  // a plain JSON integer
  CHECK(q.value(0) == 0);
  CHECK(reader.read(R"({"age": 150})", q));
  CHECK(q.value(0) == 150);
  CHECK_FALSE(reader.id());  // the schema has no id field
}

TEST_CASE("enum values must be members, with a suggestion", "[reader]") {
  Reader r;
  CHECK(r.error(with_claim(R"("kind": "inpatien")")) ==
        "claim.kind: expected a kind, got \"inpatien\" (did you mean \"inpatient\"?)");
  CHECK(r.error(with_claim(R"("kind": "dental")")) ==
        "claim.kind: expected a kind (one of outpatient, special_outpatient, inpatient, prenatal, delivery_vaginal, "
        "delivery_cesarean), got \"dental\"");
  CHECK(r.error(with_claim(R"("kind": 2)")) ==
        "claim.kind: expected a kind (one of outpatient, special_outpatient, inpatient, prenatal, delivery_vaginal, "
        "delivery_cesarean), got 2");
  CHECK(r.error(with_person(R"("hukou": "Local")")) ==
        "person.hukou: expected a hukou, got \"Local\" (did you mean \"local\"?)");
  r.ok(with_person(R"("hukou": "other")"));
  CHECK(r.value("person.hukou") == 1);
}

TEST_CASE("enum sets are arrays of members", "[reader]") {
  Reader r;
  r.ok(with_person(R"("categories": ["tekun", "veteran_rural60", "dibao", "tekun"])"));
  CHECK(r.value("person.categories") == slot_from_set(enum_set_of(0) | enum_set_of(10) | enum_set_of(2)));
  r.ok(with_person(R"("categories": [])"));
  CHECK(r.value("person.categories") == 0);
  CHECK(r.error(with_person(R"("categories": ["dibo"])")) ==
        "person.categories: expected a category, got \"dibo\" (did you mean \"dibao\"?)");
  CHECK(r.error(with_person(R"("categories": ["dibao", 3])")).find("person.categories: expected a category (one of tekun") == 0);
  CHECK(r.error(with_person(R"("categories": [["dibao"]])")).find(", got an array") != std::string::npos);
}

TEST_CASE("dates are strict ISO and real days", "[reader]") {
  Reader r;
  const auto birth = [&](std::string_view v) {
    return r.error(R"({"id": "r", "person": {"birth_date": )" + std::string(v) + "}}");
  };
  CHECK(birth("\"2023-02-29\"") == "person.birth_date: expected a date YYYY-MM-DD, got \"2023-02-29\" (no such day)");
  CHECK(birth("\"1961-4-30\"") == "person.birth_date: expected a date YYYY-MM-DD, got \"1961-4-30\"");
  CHECK(birth("\"2024-02-29T00:00\"") == "person.birth_date: expected a date YYYY-MM-DD, got \"2024-02-29T00:00\"");
  r.ok(R"({"id": "r", "person": {"birth_date": "2024-02-29"}})");
  CHECK(r.value("person.birth_date") == *from_ymd(2024, 2, 29));
}

TEST_CASE("money from a JSON number or a string, as written", "[reader]") {
  Reader r;
  const auto total = [&](std::string_view v) {
    return with_claim(std::string(kClaimBase) + R"("total": )" + std::string(v));
  };
  r.ok(total("52000.00"));
  CHECK(r.value("claim.total") == yuan(52000));
  r.ok(total("\"12000.5\""));
  CHECK(r.value("claim.total") == 12'000'500'000);
  r.ok(total("0"));
  r.ok(total("0.5"));
  r.ok(total("  7 "));
  CHECK(r.value("claim.total") == yuan(7));
  CHECK(r.error(total("1.005")) == "claim.total: expected an amount with at most two decimals, got 1.005");
  CHECK(r.error(total("1.500")) == "claim.total: expected an amount with at most two decimals, got 1.500");
  CHECK(r.error(total("1e2")) == "claim.total: expected an amount without an exponent, got 1e2");
  CHECK(r.error(total("-3")) == "claim.total: expected an amount that is not negative, got -3");
  CHECK(r.error(total("-0")) == "claim.total: expected an amount that is not negative, got -0");
  CHECK(r.error(total("\"12,000\"")) == "claim.total: expected an amount in yuan like 1234.56, got \"12,000\"");
  CHECK(r.error(total("\"007.50\"")) == "claim.total: expected an amount without leading zeros, got \"007.50\"");
  CHECK(r.error(total("007")) == "claim.total: expected an amount without leading zeros, got 007");
  CHECK(r.error(total("1000000000000")) == "claim.total: expected an amount below 1000000000000, got 1000000000000");
  CHECK(r.error(total("\" 5\"")) == "claim.total: expected an amount in yuan like 1234.56, got \" 5\"");
  CHECK(r.error(total("1.2.3")) == "claim.total: expected an amount in yuan like 1234.56, got 1.2.3");
}

TEST_CASE("lines that are not a JSON object", "[reader]") {
  Reader r;
  CHECK(r.error("") == "empty");
  CHECK(r.error("[1, 2]") == "expected a JSON object, got an array");
  CHECK(r.error("\"r-1\"") == "expected a JSON object, got a string");
  CHECK(r.error("42") == "expected a JSON object, got a number");
  CHECK(r.error("null") == "expected a JSON object, got null");
  CHECK(r.error("true") == "expected a JSON object, got a boolean");
  // A first byte that looks like a literal or number is not enough (regression:
  // `nope` was answered "got null").
  CHECK(r.error("nope") == "not valid JSON");
  CHECK(r.error("trash") == "not valid JSON");
  CHECK(r.error("fals") == "not valid JSON");
  CHECK(r.error("null x") == "not valid JSON");
  CHECK(r.error("-x") == "not valid JSON");
  CHECK(r.error("42 43") == "not valid JSON");
  CHECK(r.error("\"unterminated") == "not valid JSON: a string is not closed");
  CHECK(r.error(R"({"id": "r", "person": {"birth_date": "2000-01-01"})") != "");
  CHECK(r.error(R"({"id": "r", "person": {"birth_date": "2000-01-01"}} x)").find("not valid JSON") == 0);
  CHECK(r.error(R"({"id": "r", "person": {"birth_date": "2000-01-01"}}{"id": "s"})") ==
        "not valid JSON: more text after the object");
  CHECK(r.error(R"({"id": "r)").find("not valid JSON") == 0);
  CHECK(r.error("{\"id\": \"r\xff\"}") == "not valid UTF-8");
  CHECK(r.error(R"({"id": "r" "person": {}})").find("not valid JSON") == 0);
  CHECK(r.error(R"({"id": "r", "person": {"birth_date": "2000-01-01", "student": tru}})").find("person.student: not valid JSON") == 0);
  CHECK(r.error(R"({"id": "r", "person": {"birth_date": "2000-01-01", "tier": nul}})").find("person.tier: not valid JSON") == 0);
  CHECK(r.error("{\"id\": \"a\tb\", \"person\": {\"birth_date\": \"2000-01-01\"}}").find("not valid JSON") == 0);
}

TEST_CASE("null with white space around it is null, whatever bytes follow the line", "[reader]") {
  // Regression: simdjson's root is_null looked one byte past `null` and the
  // white space after it, into the padding, so "null " was answered "not
  // valid JSON" when a zero byte (as LineReader now writes) or a quote
  // followed the line, and "got null" when a space did.
  auto reader = RequestReader::create(test::resident_schema()).value();
  Request request = reader.make_request();
  for (const std::string line : {"null", "null ", "null\t", " null  ", "null\r\n"}) {
    for (const char after : {' ', '\0', '"', 'x', '}'}) {
      INFO("line [" << line << "] then byte " << static_cast<int>(after));
      const std::string padded = line + std::string(kReadPadding, after);
      REQUIRE_FALSE(reader.read_padded(std::string_view(padded.data(), line.size()), request));
      CHECK(reader.error() == "expected a JSON object, got null");
    }
  }
  for (const std::string line : {"null x", "nullx", "null null", "nul"}) {
    const std::string padded = line + std::string(kReadPadding, '\0');
    REQUIRE_FALSE(reader.read_padded(std::string_view(padded.data(), line.size()), request));
    CHECK(reader.error() == "not valid JSON");
  }
}

TEST_CASE("the id is recovered from a refused line that is valid JSON", "[reader]") {
  Reader r;
  REQUIRE_FALSE(r.reader.read(with_claim(R"("kind": "inpatient", "date": "2024-03-05", "total": 5, "hospital_level": 7)"),
                              r.request));
  CHECK(r.reader.id() == std::string_view("r-1"));
  // The id comes after the problem.
  REQUIRE_FALSE(r.reader.read(R"({"person": {"birth_date": "bad"}, "id": "late"})", r.request));
  CHECK(r.reader.error() == "person.birth_date: expected a date YYYY-MM-DD, got \"bad\"");
  CHECK(r.reader.id() == std::string_view("late"));
  // Broken JSON anywhere, even after the id: the line is not JSON, so no id.
  REQUIRE_FALSE(r.reader.read(R"({"id": "early", "person": {"birth_date": tru}})", r.request));
  CHECK_FALSE(r.reader.id());
  REQUIRE_FALSE(r.reader.read(R"({"id": "comma", "person": {"birth_date": "2000-01-01"},})", r.request));
  CHECK_FALSE(r.reader.id());
  // Two ids are no id.
  REQUIRE_FALSE(r.reader.read(R"({"id": "one", "person": {"birth_date": "2000-01-01"}, "id": "two"})", r.request));
  CHECK_FALSE(r.reader.id());
  // An id that is not a string gives null.
  REQUIRE_FALSE(r.reader.read(R"({"id": 17, "person": {"birth_date": "2000-01-01"}})", r.request));
  CHECK_FALSE(r.reader.id());
  // Not JSON at all.
  REQUIRE_FALSE(r.reader.read("id: r-1", r.request));
  CHECK_FALSE(r.reader.id());
  // An unclosed string makes the whole line unreadable.
  REQUIRE_FALSE(r.reader.read(R"({"id": "r-9", "person": {"birth_date": "2000-01-01)", r.request));
  CHECK_FALSE(r.reader.id());
  // Escapes in the id are decoded.
  REQUIRE_FALSE(r.reader.read(R"({"id": "r\"9\u00e9", "x": 1})", r.request));
  CHECK(r.reader.id() == std::string_view("r\"9\xc3\xa9"));
  // A successful read after a refused one: id() is reset.
  r.ok(R"({"id": "fine", "person": {"birth_date": "2000-01-01"}})");
  CHECK_FALSE(r.reader.id());
  CHECK(r.request.text(0) == "fine");
}

TEST_CASE("deep and huge input gives a clean error", "[reader]") {
  Reader r;
  const std::string deep_array(100'000, '[');
  CHECK(r.error(deep_array + std::string(100'000, ']')) == "expected a JSON object, got an array");
  CHECK(r.error(R"({"id": "r", "person": )" + deep_array + std::string(100'000, ']') + "}") ==
        "person: expected an object, got an array");
  CHECK(r.error(R"({"id": "r", "zzz": )" + deep_array + std::string(100'000, ']') + "}").find("zzz: unknown field") == 0);
  CHECK(r.error(R"({"id": "r", "person": {"birth_date": "2000-01-01", "categories": )" + deep_array +
                std::string(100'000, ']') + "}}")
            .find("person.categories: expected a category") == 0);
  CHECK(r.error(deep_array) == "expected a JSON object, got an array");
  std::string deep_object;
  for (int i = 0; i < 100'000; ++i) deep_object += R"({"a":)";
  CHECK(r.error(deep_object) == "not valid JSON");  // unbalanced
  CHECK(r.error(deep_object + std::string(100'000, '}')).find("a: unknown field") == 0);
  // A document deeper than the JSON validator's limit has no trustworthy id,
  // and checking it does not recurse.
  REQUIRE_FALSE(r.reader.read(R"({"person": )" + deep_array + std::string(100'000, ']') + R"(, "id": "after-deep"})",
                              r.request));
  CHECK_FALSE(r.reader.id());

  const std::string huge = R"({"id": ")" + std::string(50u << 20, 'x') + R"("})";
  CHECK(r.error(huge) == "request is longer than 1048576 bytes");
  CHECK_FALSE(r.reader.id());
  // Long values are cut in messages.
  const std::string long_id = R"({"id": "r", "person": {"birth_date": ")" + std::string(10'000, '9') + R"("}})";
  CHECK(r.error(long_id).size() < 200);
}

TEST_CASE("an invalid schema is refused at creation", "[reader][schema]") {
  Schema s = test::resident_schema();
  REQUIRE(s.validate());
  s.fields[3].enum_index = 99;
  const auto reader = RequestReader::create(s);
  REQUIRE_FALSE(reader);
  CHECK(reader.error() == "schema: person.categories: enum index out of range");
}

TEST_CASE("reads reuse storage across lines", "[reader]") {
  Reader r;
  r.ok(test::kExampleRequest);
  r.ok(R"({"id": "r-2", "person": {"birth_date": "2000-01-01"}})");
  // Nothing from the previous line remains.
  CHECK_FALSE(r.request.has_record(2));
  CHECK_FALSE(r.has("claim.total"));
  CHECK(r.value("claim.total") == 0);
  CHECK_FALSE(r.has("person.id"));
  CHECK(r.request.text(0) == "r-2");
}

TEST_CASE("absent fields hold zero in the slots, after any earlier line", "[reader]") {
  // Compiled code reads Request::slots() without presence tests (jit.md).
  Reader r;
  r.ok(test::kExampleRequest);
  // Refused after some values were decoded (the fast path declines, the
  // full decoder refuses): nothing of either line may remain.
  (void)r.error(R"({"id": "r-3", "person": {"birth_date": "2000-01-01", "tier": 9}})");
  r.ok(R"({"id": "r-2", "person": {"birth_date": "2000-01-01"}})");
  const auto slots = r.request.slots();
  REQUIRE(slots.size() == r.request.field_count());
  for (std::size_t f = 0; f < slots.size(); ++f) {
    INFO(r.reader.schema().fields[f].path);
    CHECK(slots[f] == r.request.value(static_cast<int>(f)));
    if (!r.request.has(static_cast<int>(f))) CHECK(slots[f] == 0);
  }
  CHECK(r.value("claim.total") == 0);
  CHECK(r.value("person.birth_date") == *from_ymd(2000, 1, 1));
}
