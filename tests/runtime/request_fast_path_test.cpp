// The reader's fast path against its full decoder: on every line, mutated
// or not, both must give the same outcome, message, id and request.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "tests/support/reader_pair.h"
#include "test_schema.h"

using namespace yibao;

namespace {

// The fast path and the full decoder on one line; returns whether it was accepted.
struct Pair {
  test::ReaderPair readers{test::resident_schema()};

  bool same(const std::string& line) {
    const auto [fast, in_place, full] = readers.read(line);
    INFO("line: " << line);
    REQUIRE(fast.ok == full.ok);
    REQUIRE(fast.error == full.error);
    REQUIRE(fast.id == full.id);
    REQUIRE(fast.fields == full.fields);
    REQUIRE(in_place == full);
    return fast.ok;
  }
};

const std::vector<std::string>& seeds() {
  static const std::vector<std::string> lines = {
      test::kExampleRequest,
      R"({"id": "r-2", "person": {"id": "p-9", "birth_date": "1990-01-01"}})",
      R"({"id":"r-3","person":{"birth_date":"2024-02-29","categories":["tekun","dibao"],"tier":2,"hukou":"other"},"claim":{"kind":"outpatient","date":"2024-03-05","hospital_level":1,"total":"12.50"}})",
      R"(  { "id" : "r-4" , "person" : { "birth_date" : "2000-01-01" , "categories" : [ ] } , "enrollment" : null , "claim" : null }  )",
      "{\t\"id\":\t\"r-5\",\r\"person\": {\"birth_date\": \"2000-01-01\", \"student\": true, \"tier\": null}}",
      R"({"id": "r-\u0036", "person": {"birth_date": "2000-01-01", "id": "p\"q"}})",
      R"({"id": "r-7 é 辽源", "person": {"birth_date": "2000-01-01"}, "claim": {"kind": "delivery_vaginal", "date": "2024-01-01", "hospital_level": 2, "total": 0, "compliant": null, "class_b": "0.5"}})",
      R"({"person": {"birth_date": "2000-01-01"}, "id": "r-8", "enrollment": {"paid_on": "2023-12-31", "continuing": false}})",
      // Names of 15 to 18 bytes (either side of RawKeyTable's 16-byte
      // perfect hash), as keys and as enum members.
      R"({"id": "r-9", "person": {"birth_date": "2000-01-01", "categories": ["veteran_special", "severe_disability", "poverty_relapse"], "employee_insured": true, "retiree_uncovered": false, "residence_permit": true, "parent_qualifies": false}, "claim": {"kind": "special_outpatient", "date": "2024-01-01", "hospital_level": 3, "total": 1, "childrens_hospital": true}})",
      R"({"id": "r-10", "person": {"birth_date": "2000-01-01", "categories": ["illness_poverty"]}, "claim": {"kind": "delivery_cesarean", "date": "2024-01-01", "hospital_level": 1, "total": 1}})",
  };
  return lines;
}

}  // namespace

TEST_CASE("fast path and full decoder agree on the seed lines", "[reader][fast]") {
  Pair p;
  int accepted = 0;
  for (const std::string& line : seeds()) accepted += p.same(line) ? 1 : 0;
  CHECK(accepted == static_cast<int>(seeds().size()));
}

TEST_CASE("fast path and full decoder agree on mutated lines", "[reader][fast]") {
  Pair p;
  std::mt19937 random(20240305);
  const std::string alphabet = "{}[]\":,. 0123456789-+eE\\tnulfasr\t\n\rxyz\x01\x7f\xc3\xa9\xff";
  const std::vector<std::string> values = {"null", "true", "false", "0", "-0", "1", "2", "3", "1.5", "1.005", "1e2",
                                           "\"2\"", "\"\"", "[]", "{}", "[\"dibao\"]", "\"2024-02-30\"",
                                           "\"inpatient\"", "007", "99999999999999999999", "\"a\\u0062\"", "nul"};
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
  int accepted = 0;
  int total = 0;
  for (int round = 0; round < 4000; ++round) {
    for (const std::string& seed : seeds()) {
      std::string line = seed;
      const int edits = 1 + static_cast<int>(pick(3));
      for (int e = 0; e < edits && !line.empty(); ++e) {
        const std::size_t at = pick(line.size());
        switch (pick(5)) {
          case 0: line.erase(at, 1); break;
          case 1: line.insert(at, 1, alphabet[pick(alphabet.size())]); break;
          case 2: line[at] = alphabet[pick(alphabet.size())]; break;
          case 3: {  // replace a value after a colon
            const std::size_t colon = line.find(':', at);
            if (colon == std::string::npos) break;
            std::size_t end = colon + 1;
            while (end < line.size() && line[end] != ',' && line[end] != '}') ++end;
            line.replace(colon + 1, end - colon - 1, " " + values[pick(values.size())]);
            break;
          }
          default: {  // duplicate a piece
            const std::size_t length = std::min<std::size_t>(pick(20) + 1, line.size() - at);
            line.insert(at, line.substr(at, length));
          }
        }
      }
      accepted += p.same(line) ? 1 : 0;
      ++total;
    }
  }
  // Enough of the mutations stay valid for the comparison of accepted lines to mean something.
  CHECK(accepted > total / 50);
}

// Names are looked up by their raw bytes (RawKeyTable: a perfect hash for
// names of up to 16 bytes, a list for 17 to 32): a name's prefixes,
// extensions and near misses are no names, on either side of 16 bytes.
TEST_CASE("the fast path knows names from their neighbours", "[reader][fast]") {
  Pair p;
  const std::string head = R"({"id": "r", "person": {"birth_date": "2000-01-01", )";
  for (const std::string member : {"veteran_special", "veteran_specia", "veteran_speciall", "Veteran_special",
                                   "veteran_special\u0020", "dibao", "dibao_", "diba", "severe_disability",
                                   "severe_disabilit", "", "d"}) {
    INFO(member);
    const bool known = member == "veteran_special" || member == "dibao" || member == "severe_disability";
    CHECK(p.same(head + R"("categories": [")" + member + R"("]}})") == known);
  }
  for (const std::string key : {"hmt", "hm", "hmtt", "inmate", "inmat", "student", "residence_permit",
                                "residence_permi", "residence_permitt", "migrant_child", "migrant_chil"}) {
    INFO(key);
    const bool known = key == "hmt" || key == "inmate" || key == "student" || key == "residence_permit" ||
                       key == "migrant_child";
    CHECK(p.same(head + "\"" + key + R"(": true}})") == known);
  }
}

// Amounts as the fast path reads them digit by digit (money_digits): every
// length of the whole part up to and past the 10^12 limit, with no, one, two
// or three decimals, leading zeros, quoted or not, and each byte that may
// end them, read as the full decoder reads them. (A version that converted
// eight digits at a time measured no faster; this test would check one.)
TEST_CASE("the fast path reads amounts of every length as the full decoder does", "[reader][fast]") {
  Pair p;
  const std::string head = R"({"id": "r", "person": {"birth_date": "2000-01-01"}, "claim": {"kind": "outpatient", "date": "2024-01-01", "hospital_level": 1, "total": )";
  int accepted = 0;
  for (std::size_t digits = 1; digits <= 14; ++digits) {
    for (const char first : {'1', '9', '0'}) {
      std::string whole(1, first);
      for (std::size_t i = 1; i < digits; ++i) whole += static_cast<char>('0' + (i * 7 + digits) % 10);
      for (const std::string fraction : {"", ".5", ".05", ".99", ".123", ".", ".x"}) {
        for (const bool quoted : {false, true}) {
          for (const std::string after : {"}}", ", \"class_b\": 1}}", " }}", "x}}", "e2}}"}) {
            const std::string amount = quoted ? "\"" + whole + fraction + "\"" : whole + fraction;
            accepted += p.same(head + amount + after) ? 1 : 0;
          }
        }
      }
    }
  }
  CHECK(accepted > 0);
  // Spot checks of the values themselves.
  CHECK(p.same(head + "1234567.89}}"));
  CHECK(p.same(head + "12345678.9}}"));
  CHECK(p.same(head + "\"999999999999.99\"}}"));
  CHECK_FALSE(p.same(head + "1000000000000}}"));
  CHECK_FALSE(p.same(head + "0123}}"));
}

// Dates as the fast path reads them (Scan::date_fields: twelve bytes checked
// as two words): days around the ends of February and December in every
// year 1..9999, and every day (and day 0 and 32) of a few years, read as the full decoder reads them; then every byte of a date
// replaced by each byte that is next to a digit, '-' or '"', or is one of
// them, so that each position's check is seen to refuse what it must.
TEST_CASE("the fast path reads dates as the full decoder does", "[reader][fast]") {
  Pair p;
  const auto line = [](const std::string& date) {
    return R"({"id": "r", "person": {"birth_date": )" + date + "}}";
  };
  int accepted = 0;
  for (int year = 1; year <= 9999; ++year) {
    // Every day of a few years (leap and not, the century rules); the end
    // of February (the leap rule) and of December in every year.
    const bool all_days = year == 1 || year == 1900 || year == 2000 || year == 2023 || year == 2024 || year == 9999;
    for (int month = 1; month <= 12; ++month) {
      if (!all_days && month != 2 && month != 12) continue;
      for (int day = all_days ? 0 : 28; day <= (all_days ? 32 : 31); ++day) {
        char text[16];
        std::snprintf(text, sizeof text, "\"%04d-%02d-%02d\"", year, month, day);
        accepted += p.same(line(text)) ? 1 : 0;
      }
    }
  }
  CHECK(accepted > 9999 * 3);
  const std::string good = "\"2024-02-29\"";
  CHECK(p.same(line(good)));
  for (std::size_t at = 0; at < good.size(); ++at) {
    for (const char c : {'/', '0', '9', ':', '-', ',', '"', '!', '#', ' ', 'a', '\x7f', '\xc3', '\0'}) {
      if (c == good[at]) continue;
      std::string date = good;
      date[at] = c;
      INFO("byte " << at << " made " << static_cast<int>(static_cast<unsigned char>(c)));
      p.same(line(date));
    }
  }
  for (const std::string bad : {"\"2024-2-29\"", "\"2024-02-29T00\"", "\"20240229\"", "\"2024-02-29", "2024"}) {
    CHECK_FALSE(p.same(line(bad)));
  }
}

// Keys and enum members are found by their first quote alone
// (Scan::name_rest); one with an escape or a control byte before it must
// still be read as the full decoder reads it: an escaped name is the
// name, a raw control byte is an error.
TEST_CASE("the fast path reads escaped and broken names as the full decoder does", "[reader][fast]") {
  Pair p;
  const std::string head = R"({"id": "r", "person": {"birth_date": "2000-01-01", )";
  for (const std::string member : {R"(dib\u0061o)", R"(dibao\")", R"(\"dibao)", "dib\tao", "dibao\x01", R"(dibao\\)",
                                   R"(severe_disabilit\u0079)", "dib\xc3\xa9o"}) {
    INFO(member);
    p.same(head + R"("categories": [")" + member + R"("]}})");
    p.same(head + R"("hukou": ")" + member + R"("}})");
    p.same(head + "\"" + member + R"(": true}})");
  }
  CHECK(p.same(head + R"("categories": ["dib\u0061o"]}})"));
  CHECK(p.same(head + R"("st\u0075dent": true}})"));
}

// Regression (fuzz_request): a key of "id" and four zero bytes was read as
// "id" by the fast path (the names' words are padded with zeros), where
// the full decoder refuses the zero bytes. Zero bytes after a name, inside
// it, and a line ending inside a key (read in place, a quote follows in the
// next bytes) all read as the full decoder reads them.
TEST_CASE("the fast path reads names with zero bytes as the full decoder does", "[reader][fast]") {
  Pair p;
  using namespace std::string_literals;
  const std::string head = R"({"id": "r", "person": {"birth_date": "2000-01-01", )";
  for (const std::string& name : {"id\0\0\0\0"s, "id\0"s, "i\0d"s, "dibao\0"s, "dibao\0\0\0"s, "\0"s, "hmt\0\0\0\0\0\0"s}) {
    INFO("name of " << name.size() << " bytes");
    CHECK_FALSE(p.same(R"({")" + name + R"(": "r", "person": {"birth_date": "2000-01-01"}})"));
    CHECK_FALSE(p.same(head + R"("categories": [")" + name + R"("]}})"));
    CHECK_FALSE(p.same(head + "\"" + name + R"(": true}})"));
  }
  for (const std::string& line : {R"({"id)"s, R"({"id": "r", "person": {"birth_date": "2000-01-01", "hmt)"s,
                                 R"({"id": "r", "person": {"categories": ["dibao)"s}) {
    CHECK_FALSE(p.same(line));
  }
}

// Lines that are no request object, read in place and copied: the full
// decoder answers them, whatever follows the line (regression, found by
// fuzz_request: "null\n" read in place was "not valid JSON", copied "got null").
TEST_CASE("lines that are no object read the same in place", "[reader][fast]") {
  Pair p;
  for (const std::string line : {"null", "null\n", "null ", " null\t", "true ", "1 ", "\"x\" ", "[] ", "{} ", "", " ",
                                 "nul", "null x", "{\"id\": \"x\"} "}) {
    CHECK_FALSE(p.same(line));
  }
}

// A schema of more than 64 fields: the fast path keeps the first 64 fields'
// keys and presence in registers and the others in the request's bit
// vectors, so lines giving fields on both sides of 64 (in any order, with
// nulls, and keys given twice) must read as the full decoder reads them.
TEST_CASE("a schema of more than 64 fields reads the same either way", "[reader][fast]") {
  Schema schema;
  schema.enums = {{"colour", {"red", "green", "blue"}}};
  schema.records = {{"r", false}};
  const FieldType types[] = {FieldType::money, FieldType::boolean, FieldType::integer_range,
                             FieldType::text,  FieldType::date,    FieldType::enumeration};
  constexpr int kFields = 80;
  for (int i = 0; i < kFields; ++i) {
    FieldSpec f{};
    f.path = "r.f" + std::to_string(i);
    f.record = 0;
    f.type = types[i % 6];
    // Required fields below 64 only: a required field above it whose
    // presence went unrecorded would only make the fast path decline (its
    // check of required fields fails), which the comparison cannot see.
    f.presence = i % 7 == 0 && i < 64 ? Presence::required : Presence::optional;
    if (f.type == FieldType::integer_range) f.range_hi = 9;
    if (f.type == FieldType::enumeration) f.enum_index = 0;
    schema.fields.push_back(f);
  }
  REQUIRE(schema.validate().ok());
  test::ReaderPair readers(schema);
  const char* const values[] = {"12.5", "true", "7", "\"t\"", "\"2024-02-29\"", "\"blue\""};
  std::mt19937 random(64);
  int accepted = 0;
  for (int round = 0; round < 400; ++round) {
    // Every required field and some optional ones, shuffled.
    std::vector<int> order;
    for (int i = 0; i < kFields; ++i) {
      if (schema.fields[static_cast<std::size_t>(i)].presence == Presence::required || random() % 4 != 0)
        order.push_back(i);
    }
    std::shuffle(order.begin(), order.end(), random);
    if (random() % 8 == 0) order.push_back(order[random() % order.size()]);  // a key twice
    std::string line = "{\"r\": {";
    for (std::size_t k = 0; k < order.size(); ++k) {
      const int i = order[k];
      if (k > 0) line += ", ";
      line += "\"f" + std::to_string(i) + "\": ";
      line += random() % 12 == 0 ? "null" : values[i % 6];  // null: refused for a required field
    }
    line += "}}";
    const auto [fast, in_place, full] = readers.read(line);
    INFO("line: " << line);
    REQUIRE(fast == full);
    REQUIRE(in_place == full);
    accepted += full.ok ? 1 : 0;
  }
  CHECK(accepted > 50);  // both sides of 64, read, not only refused
}
