// Text and JSON rendering, byte for byte.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "lang/diagnostics.h"
#include "lang/diagnostics_render.h"

using namespace yibao;

namespace {

// The span of the `nth` (0-based) occurrence of `needle` in the file's text.
Span find(const SourceManager& sm, FileId f, std::string_view needle, int nth = 0) {
  const std::string_view text = sm.text(f);
  std::size_t at = text.find(needle);
  for (int i = 0; i < nth; ++i) at = text.find(needle, at + 1);
  REQUIRE(at != std::string_view::npos);
  return Span{f, static_cast<uint32_t>(at), static_cast<uint32_t>(at + needle.size())};
}

Span at_end(Span s) { return Span{s.file, s.end, s.end}; }

const char* const policy_text =
    "policy liaoyuan-2023 \"辽源市城乡居民基本医疗保险\" {\n"
    "}\n"
    "  deductible = by claim.hosptal_level { 1: 300 }\n"
    "  rate = 80%\n";

}  // namespace

TEST_CASE("text: the basic layout", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("policies/x/2024.yb", policy_text);
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, find(sm, f, "hosptal_level"), "unknown name `hosptal_level`")
      .label("not a field of `claim`")
      .help("did you mean `hospital_level`?");
  CHECK(render_text(diags.all()[0], sm) ==
        "policies/x/2024.yb:3:25: error[E0001]: unknown name `hosptal_level`\n"
        "  |\n"
        "3 |   deductible = by claim.hosptal_level { 1: 300 }\n"
        "  |                         ^^^^^^^^^^^^^ not a field of `claim`\n"
        "  = help: did you mean `hospital_level`?\n");
}

TEST_CASE("text: Chinese characters before the span shift the caret by their width", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("p.yb", policy_text);
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, find(sm, f, "{"), "expected `year`, found `{`").label("here");
  CHECK(render_text(diags.all()[0], sm) ==
        "p.yb:1:38: error[E0001]: expected `year`, found `{`\n"
        "  |\n"
        "1 | policy liaoyuan-2023 \"辽源市城乡居民基本医疗保险\" {\n"
        "  |                                                   ^ here\n");
}

TEST_CASE("text: a span over Chinese text is underlined by display width", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("p.yb", "title \"辽源市\"\n");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, find(sm, f, "辽源市"), "unknown region `辽源市`");
  CHECK(render_text(diags.all()[0], sm) ==
        "p.yb:1:8: error[E0001]: unknown region `辽源市`\n"
        "  |\n"
        "1 | title \"辽源市\"\n"
        "  |        ^^^^^^\n");
}

TEST_CASE("text: tabs are expanded the same way in the line and the underline", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("t.yb", "\tcap\t= 5\n");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, find(sm, f, "\t= 5"), "odd").label("tab inside");
  CHECK(render_text(diags.all()[0], sm) ==
        "t.yb:1:5: error[E0001]: odd\n"
        "  |\n"
        "1 |     cap    = 5\n"
        "  |        ^^^^^^^ tab inside\n");
}

TEST_CASE("text: an empty span at the end of a line points after the last character", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("e.yb", policy_text);
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, at_end(find(sm, f, "80%")), "expected `per year` after `80%`")
      .label("expected `per year`");
  CHECK(render_text(diags.all()[0], sm) ==
        "e.yb:4:13: error[E0001]: expected `per year` after `80%`\n"
        "  |\n"
        "4 |   rate = 80%\n"
        "  |             ^ expected `per year`\n");
}

TEST_CASE("text: an empty span at the end of a file without a final newline", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("e.yb", "a\nrate = 住");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, Span{f, 12, 12}, "unexpected end of file");
  CHECK(render_text(diags.all()[0], sm) ==
        "e.yb:2:9: error[E0001]: unexpected end of file\n"
        "  |\n"
        "2 | rate = 住\n"
        "  |          ^\n");
}

TEST_CASE("text: a span over several lines underlines its first line and says so", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("m.yb", "section x {\n  a = 1\n}\n");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, Span{f, 8, 21}, "empty section").label("this section");
  diags.report(DiagnosticCode::syntax_error, Span{f, 8, 21}, "again");
  CHECK(render_text(diags.all()[0], sm) ==
        "m.yb:1:9: error[E0001]: empty section\n"
        "  |\n"
        "1 | section x {\n"
        "  |         ^^^ this section (continues to line 3)\n");
  CHECK(render_text(diags.all()[1], sm) ==
        "m.yb:1:9: error[E0001]: again\n"
        "  |\n"
        "1 | section x {\n"
        "  |         ^^^ (continues to line 3)\n");
}

TEST_CASE("text: a span ending with a line's newline stays on that line", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("n.yb", "ab\ncd\n");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, Span{f, 0, 3}, "whole line");
  CHECK(render_text(diags.all()[0], sm) ==
        "n.yb:1:1: error[E0001]: whole line\n"
        "  |\n"
        "1 | ab\n"
        "  | ^^\n");
}

TEST_CASE("text: secondary labels, gutter width and gaps", "[render]") {
  std::string text;
  for (int i = 1; i <= 12; ++i) text += "line " + std::to_string(i) + "\n";
  SourceManager sm;
  const FileId f = sm.add("g.yb", text);
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, find(sm, f, "line 10"), "defined twice")
      .label("second definition")
      .label(find(sm, f, "line 8"), "first definition")
      .label(find(sm, f, "9"), "in between")
      .label(find(sm, f, "line", 9), "same line");
  CHECK(render_text(diags.all()[0], sm) ==
        "g.yb:10:1: error[E0001]: defined twice\n"
        "   |\n"
        " 8 | line 8\n"
        "   | ------ first definition\n"
        " 9 | line 9\n"
        "   |      - in between\n"
        "10 | line 10\n"
        "   | ^^^^^^^ second definition\n"
        "   | ---- same line\n");

  diags.report(DiagnosticCode::syntax_error, find(sm, f, "line 12"), "far apart")
      .label(find(sm, f, "line 2"), "here");
  CHECK(render_text(diags.all()[1], sm) ==
        "g.yb:12:1: error[E0001]: far apart\n"
        "   |\n"
        " 2 | line 2\n"
        "   | ------ here\n"
        "...\n"
        "12 | line 12\n"
        "   | ^^^^^^^\n");
}

TEST_CASE("text: notes with a span and labels in other files get their own location line", "[render]") {
  SourceManager sm;
  const FileId city = sm.add("policies/changsha/2024.yb", "extends hunan-2024\ncap 300000 per year\n");
  const FileId province = sm.add("policies/hunan/2024.yb", "policy hunan-2024\n\n\n\n\n\n\n\n\ncap 200000 per year\n");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, find(sm, city, "cap"), "`cap` redefined without `override`")
      .label(find(sm, province, "cap"), "inherited from here")
      .note("a city policy may only change what its province declares with `override`")
      .help("write `override cap`", at_end(find(sm, city, "\n")))
      .note("the province's cap", find(sm, province, "200000"));
  CHECK(render_text(diags.all()[0], sm) ==
        "policies/changsha/2024.yb:2:1: error[E0001]: `cap` redefined without `override`\n"
        "   |\n"
        " 2 | cap 300000 per year\n"
        "   | ^^^\n"
        "policies/hunan/2024.yb:10:1: note: inherited from here\n"
        "   |\n"
        "10 | cap 200000 per year\n"
        "   | ---\n"
        "   = note: a city policy may only change what its province declares with `override`\n"
        "policies/changsha/2024.yb:2:1: help: write `override cap`\n"
        "   |\n"
        " 2 | cap 300000 per year\n"
        "   | -\n"
        "policies/hunan/2024.yb:10:5: note: the province's cap\n"
        "   |\n"
        "10 | cap 200000 per year\n"
        "   |     ------\n");
}

TEST_CASE("text: a diagnostic without location", "[render]") {
  SourceManager sm;
  Diagnostics diags;
  diags.report(DiagnosticCode::file_not_found, Span{}, "cannot read `x.yb`: no such file or directory")
      .note("first line\nsecond line");
  CHECK(render_text(diags.all()[0], sm) ==
        "error[E0005]: cannot read `x.yb`: no such file or directory\n"
        "  = note: first line\n"
        "          second line\n");
}

TEST_CASE("text: control characters, invalid bytes and CRLF in the shown line", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("c.yb", "a\xFF" "b\x01" "c\x7F" "d\r\n");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, find(sm, f, "d"), "odd");
  CHECK(render_text(diags.all()[0], sm) ==
        "c.yb:1:7: error[E0001]: odd\n"
        "  |\n"
        "1 | a\xEF\xBF\xBD" "b\xE2\x90\x81" "c\xE2\x90\xA1" "d\n"
        "  |       ^\n");
}

TEST_CASE("text: empty lines print without trailing spaces", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("e.yb", "\n");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, Span{f, 0, 0}, "expected `policy`, found an empty line");
  CHECK(render_text(diags.all()[0], sm) ==
        "e.yb:1:1: error[E0001]: expected `policy`, found an empty line\n"
        "  |\n"
        "1 |\n"
        "  | ^\n");
}

TEST_CASE("text: color", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("k.yb", "ab\n");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, Span{f, 1, 2}, "bad").label("here").help("fix");
  CHECK(render_text(diags.all()[0], sm, RenderOptions{.color = true}) ==
        "\x1b[1mk.yb:1:2: \x1b[0m\x1b[1;31merror[E0001]\x1b[0m\x1b[1m: bad\x1b[0m\n"
        "  \x1b[1;34m|\x1b[0m\n"
        "\x1b[1;34m1 |\x1b[0m ab\n"
        "  \x1b[1;34m|\x1b[0m  \x1b[1;31m^\x1b[0m\x1b[1;31m here\x1b[0m\n"
        "  \x1b[1;34m=\x1b[0m \x1b[1;36mhelp\x1b[0m: fix\n");
}

TEST_CASE("text: the whole sink, sorted, with the summary", "[render]") {
  SourceManager sm;
  const FileId f = sm.add("s.yb", "one\ntwo\n");
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, find(sm, f, "two"), "second");
  Diagnostic w;
  w.severity = Severity::warning;
  w.code = DiagnosticCode::syntax_error;
  w.span = find(sm, f, "one");
  w.message = "first";
  diags.add(w);
  diags.report(DiagnosticCode::file_not_found, Span{}, "cannot read `y.yb`: no such file or directory");
  CHECK(render_text(diags, sm) ==
        "error[E0005]: cannot read `y.yb`: no such file or directory\n"
        "\n"
        "s.yb:1:1: warning[E0001]: first\n"
        "  |\n"
        "1 | one\n"
        "  | ^^^\n"
        "\n"
        "s.yb:2:1: error[E0001]: second\n"
        "  |\n"
        "2 | two\n"
        "  | ^^^\n"
        "\n"
        "error: aborting due to 2 errors; 1 warning emitted\n");
}

TEST_CASE("summary lines", "[render]") {
  Diagnostic warning;
  warning.severity = Severity::warning;
  Diagnostics none;
  CHECK(render_summary(none).empty());

  Diagnostics warnings;
  warnings.add(warning);
  CHECK(render_summary(warnings) == "warning: 1 warning emitted\n");
  warning.message = "another";
  warnings.add(warning);
  CHECK(render_summary(warnings) == "warning: 2 warnings emitted\n");

  Diagnostics infos;
  Diagnostic info;
  info.severity = Severity::info;
  infos.add(info);
  CHECK(render_summary(infos).empty());

  Diagnostics one(2);
  one.report(DiagnosticCode::syntax_error, Span{}, "e1");
  CHECK(render_summary(one) == "error: aborting due to 1 error\n");
  one.report(DiagnosticCode::syntax_error, Span{}, "e2");
  one.report(DiagnosticCode::syntax_error, Span{}, "e3");
  one.add(warning);
  CHECK(render_summary(one) == "error: aborting due to 2 errors; 2 more diagnostics not shown\n");
  CHECK(render_summary(one, RenderOptions{.color = true}) ==
        "\x1b[1;31merror\x1b[0m\x1b[1m: aborting due to 2 errors; 2 more diagnostics not shown\x1b[0m\n");
}

TEST_CASE("JSON: escaping", "[render][json]") {
  CHECK(json_quote("") == "\"\"");
  CHECK(json_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_quote("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
  CHECK(json_quote(std::string_view("\x01\x1f\0", 3)) == "\"\\u0001\\u001f\\u0000\"");
  CHECK(json_quote("住院 `x` /") == "\"住院 `x` /\"");
  CHECK(json_quote("a\xFF" "b") == "\"a\\ufffdb\"");
  CHECK(json_quote("\x7F") == "\"\x7F\"");
}

TEST_CASE("JSON: the document", "[render][json]") {
  SourceManager sm;
  const FileId f = sm.add("policies/x/2024.yb", policy_text);
  Diagnostics diags;
  diags.report(DiagnosticCode::syntax_error, find(sm, f, "hosptal_level"), "unknown name `hosptal_level`")
      .label("not a field of `claim`")
      .label(find(sm, f, "辽源市"), "in \"辽源\"")
      .help("did you mean `hospital_level`?")
      .note("declared here", find(sm, f, "rate"));
  diags.report(DiagnosticCode::file_not_found, Span{}, "cannot read `a\\b.yb`: no such file or directory");
  CHECK(render_json(diags, sm) ==
        "{\"diagnostics\": [\n"
        "  {\"severity\": \"error\", \"code\": \"E0005\", \"name\": \"file_not_found\", "
        "\"message\": \"cannot read `a\\\\b.yb`: no such file or directory\", "
        "\"file\": null, \"range\": null, \"byte_range\": null, \"label\": null, \"labels\": [], \"notes\": []},\n"
        "  {\"severity\": \"error\", \"code\": \"E0001\", \"name\": \"syntax_error\", "
        "\"message\": \"unknown name `hosptal_level`\", \"file\": \"policies/x/2024.yb\", "
        "\"range\": {\"start\": {\"line\": 3, \"column\": 25}, \"end\": {\"line\": 3, \"column\": 38}}, "
        "\"byte_range\": [91, 104], \"label\": \"not a field of `claim`\", "
        "\"labels\": [{\"message\": \"in \\\"辽源\\\"\", \"file\": \"policies/x/2024.yb\", "
        "\"range\": {\"start\": {\"line\": 1, \"column\": 23}, \"end\": {\"line\": 1, \"column\": 26}}, "
        "\"byte_range\": [22, 31]}], "
        "\"notes\": [{\"kind\": \"help\", \"message\": \"did you mean `hospital_level`?\"}, "
        "{\"kind\": \"note\", \"message\": \"declared here\", \"file\": \"policies/x/2024.yb\", "
        "\"range\": {\"start\": {\"line\": 4, \"column\": 3}, \"end\": {\"line\": 4, \"column\": 7}}, "
        "\"byte_range\": [118, 122]}]}\n"
        "], \"errors\": 2, \"warnings\": 0}\n");
}

TEST_CASE("JSON: no diagnostics", "[render][json]") {
  SourceManager sm;
  Diagnostics diags;
  CHECK(render_json(diags, sm) == "{\"diagnostics\": [], \"errors\": 0, \"warnings\": 0}\n");
}

TEST_CASE("rendering never fails on arbitrary bytes and spans", "[render][robust]") {
  std::mt19937 random(20240101);
  const std::string_view alphabet[] = {"a", " ", "\t", "\n", "\r\n", "\r", "住", "。", "e\xCC\x81", "\xFF",
                                       "\xE4\xBD", "\xF0\x9F\x98\x80", "\x01", "\xEF\xBB\xBF", "\xC2\x9B"};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const auto length = std::uniform_int_distribution<int>(0, 40)(random);
    for (int i = 0; i < length; ++i) {
      text += alphabet[std::uniform_int_distribution<std::size_t>(0, std::size(alphabet) - 1)(random)];
    }
    SourceManager sm;
    const FileId f = sm.add("r.yb", text);
    const auto offset = [&] {
      return std::uniform_int_distribution<uint32_t>(0, static_cast<uint32_t>(text.size()) + 3)(random);
    };
    Diagnostics diags(0);
    diags.report(DiagnosticCode::syntax_error, Span{f, offset(), offset()}, "m\xFF")
        .label("l")
        .label(Span{f, offset(), offset()}, "s")
        .label(Span{FileId{7}, 1, 2}, "no such file")
        .note("n", Span{f, offset(), offset()})
        .help("h");
    const std::string rendered = render_text(diags, sm);
    CHECK_FALSE(rendered.empty());
    const std::string json = render_json(diags, sm);
    CHECK_FALSE(find_invalid_utf8(json).has_value());
    for (uint32_t i = 0; i <= text.size() + 2; ++i) {
      const LineCol at = sm.line_col(f, i);
      CHECK(at.line >= 1u);
      CHECK(at.column >= 1u);
    }
  }
}
