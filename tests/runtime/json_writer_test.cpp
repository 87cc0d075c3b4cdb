// JSON writing: layout, escaping, values.
#include <catch2/catch.hpp>

#include "yibao/json_writer.h"

using namespace yibao;

TEST_CASE("results are written in interchange.md's layout", "[json]") {
  JsonWriter w;
  w.begin_object();
  w.key("id");
  w.string("r-17");
  w.key("policy");
  w.string("dianjiang-2024");
  w.key("eligibility");
  w.begin_object();
  w.key("eligible");
  w.boolean(true);
  w.end_object();
  w.key("contribution");
  w.begin_object();
  w.key("standard");
  w.money(yuan(380));
  w.key("aid");
  w.money(yuan(342));
  w.key("personal");
  w.money(yuan(38));
  w.end_object();
  w.key("coverage");
  w.begin_object();
  w.key("from");
  w.date(*from_ymd(2024, 1, 1));
  w.key("to");
  w.date(*from_ymd(2024, 12, 31));
  w.end_object();
  w.key("settlement");
  w.begin_object();
  w.key("reason");
  w.null();
  w.key("basic");
  w.money(yuan(23600));
  w.key("critical");
  w.money(10'064'280'000);
  w.key("out_of_pocket");
  w.money(18'335'720'000);
  w.end_object();
  w.end_object();
  w.end_line();
  CHECK(w.view() ==
        R"({"id": "r-17", "policy": "dianjiang-2024", "eligibility": {"eligible": true}, )"
        R"("contribution": {"standard": 380.00, "aid": 342.00, "personal": 38.00}, )"
        R"("coverage": {"from": "2024-01-01", "to": "2024-12-31"}, )"
        R"("settlement": {"reason": null, "basic": 23600.00, "critical": 10064.28, "out_of_pocket": 18335.72}})"
        "\n");
}

TEST_CASE("an error result", "[json]") {
  JsonWriter w;
  w.begin_object();
  w.key("id");
  w.null();
  w.key("error");
  w.begin_object();
  w.key("code");
  w.string("bad_input");
  w.key("message");
  w.string("line 12: claim.hospital_level: expected 1, 2 or 3, got 7");
  w.end_object();
  w.end_object();
  CHECK(w.view() ==
        R"({"id": null, "error": {"code": "bad_input", "message": "line 12: claim.hospital_level: expected 1, 2 or 3, got 7"}})");
}

TEST_CASE("arrays, integers, empty containers and raw fragments", "[json]") {
  JsonWriter w;
  w.begin_array();
  w.integer(0);
  w.integer(-42);
  w.integer(INT64_MIN);
  w.begin_object();
  w.end_object();
  w.begin_array();
  w.end_array();
  w.raw(R"({"x": 1})");
  w.boolean(false);
  w.end_array();
  CHECK(w.view() == R"([0, -42, -9223372036854775808, {}, [], {"x": 1}, false])");
  w.clear();
  CHECK(w.view().empty());
  w.begin_object();
  w.key("a");
  w.integer(1);
  w.end_object();
  CHECK(w.view() == R"({"a": 1})");
}

TEST_CASE("strings are escaped", "[json]") {
  const auto str = [](std::string_view s) {
    JsonWriter w;
    w.string(s);
    return std::string(w.view());
  };
  CHECK(str("plain") == "\"plain\"");
  CHECK(str("a\"b\\c") == R"("a\"b\\c")");
  CHECK(str("\n\r\t\b\f") == R"("\n\r\t\b\f")");
  CHECK(str(std::string_view("\x00\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
  CHECK(str("\x7f") == "\"\x7f\"");
  CHECK(str("辽源市 ok é 😀") == "\"辽源市 ok é 😀\"");
  // Invalid UTF-8 becomes U+FFFD.
  CHECK(str("a\xff" "b") == "\"a\xEF\xBF\xBD" "b\"");
  CHECK(str("\xC3") == "\"\xEF\xBF\xBD\"");                  // truncated sequence
  CHECK(str("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong
  CHECK(str("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  CHECK(str("\xF4\x90\x80\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // above U+10FFFF
  JsonWriter w;
  w.begin_object();
  w.key("k\"ey");
  w.string("v");
  w.end_object();
  CHECK(w.view() == R"({"k\"ey": "v"})");
}
