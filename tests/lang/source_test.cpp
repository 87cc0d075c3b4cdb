// SourceManager line/column lookups, UTF-8 decoding, display widths, loading files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "lang/diagnostics.h"
#include "lang/source.h"

using namespace yibao;

namespace {

LineCol lc(uint32_t line, uint32_t column) { return LineCol{line, column}; }

std::string write_temp(std::string_view name, std::string_view content) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

}  // namespace

TEST_CASE("line and column in ASCII text", "[source]") {
  SourceManager sm;
  const FileId f = sm.add("a.yb", "ab\ncd");
  const SourceFile& file = sm.file(f);
  CHECK(file.line_count() == 2u);
  CHECK(sm.line_col(f, 0) == lc(1, 1));
  CHECK(sm.line_col(f, 1) == lc(1, 2));
  CHECK(sm.line_col(f, 2) == lc(1, 3));  // the '\n' belongs to line 1
  CHECK(sm.line_col(f, 3) == lc(2, 1));
  CHECK(sm.line_col(f, 5) == lc(2, 3));    // end of file
  CHECK(sm.line_col(f, 999) == lc(2, 3));  // clamped
  CHECK(file.line_text(1) == "ab");
  CHECK(file.line_text(2) == "cd");
  CHECK(file.line_start(2) == 3u);
  CHECK(file.line_of(2) == 1u);
  CHECK(file.line_of(3) == 2u);
}

TEST_CASE("columns count characters, not bytes, in Chinese text", "[source]") {
  SourceManager sm;
  // 住 and 院 are three bytes each.
  const FileId f = sm.add("c.yb", "住院 = 1\n标题");
  CHECK(sm.line_col(f, 0) == lc(1, 1));
  CHECK(sm.line_col(f, 3) == lc(1, 2));
  CHECK(sm.line_col(f, 4) == lc(1, 2));  // inside 院: its column
  CHECK(sm.line_col(f, 6) == lc(1, 3));
  CHECK(sm.line_col(f, 7) == lc(1, 4));
  CHECK(sm.line_col(f, 11) == lc(2, 1));
  CHECK(sm.line_col(f, 14) == lc(2, 2));
  CHECK(sm.line_col(f, 17) == lc(2, 3));
  CHECK(sm.file(f).line_text(2) == "标题");
}

TEST_CASE("CRLF line ends", "[source]") {
  SourceManager sm;
  const FileId f = sm.add("w.yb", "a\r\nb\r\n");
  const SourceFile& file = sm.file(f);
  CHECK(file.line_count() == 3u);
  CHECK(file.line_text(1) == "a");
  CHECK(file.line_text(2) == "b");
  CHECK(file.line_text(3) == "");
  CHECK(sm.line_col(f, 1) == lc(1, 2));  // the '\r'
  CHECK(sm.line_col(f, 3) == lc(2, 1));
  CHECK(sm.line_col(f, 6) == lc(3, 1));
}

TEST_CASE("a lone CR is not a line end", "[source]") {
  SourceManager sm;
  const FileId f = sm.add("r.yb", "a\rb\r");
  CHECK(sm.file(f).line_count() == 1u);
  CHECK(sm.file(f).line_text(1) == "a\rb\r");
  CHECK(sm.line_col(f, 2) == lc(1, 3));
}

TEST_CASE("invalid UTF-8 counts one character per bad byte", "[source]") {
  SourceManager sm;
  const FileId f = sm.add("bad.yb", "a\xFF\xFE" "b\n\xE4\xBD" "X");
  CHECK(sm.line_col(f, 1) == lc(1, 2));
  CHECK(sm.line_col(f, 2) == lc(1, 3));
  CHECK(sm.line_col(f, 3) == lc(1, 4));
  // A truncated three-byte sequence: two bad bytes, then X.
  CHECK(sm.line_col(f, 7) == lc(2, 3));
  CHECK(find_invalid_utf8(sm.text(f)) == std::optional<std::size_t>(1));
  CHECK(count_chars(sm.text(f)) == 8u);
}

TEST_CASE("empty file", "[source]") {
  SourceManager sm;
  const FileId f = sm.add("empty.yb", "");
  CHECK(sm.file(f).line_count() == 1u);
  CHECK(sm.file(f).line_text(1) == "");
  CHECK(sm.line_col(f, 0) == lc(1, 1));
  CHECK(sm.line_col(f, 10) == lc(1, 1));
}

TEST_CASE("last line with and without a newline", "[source]") {
  SourceManager sm;
  const FileId without = sm.add("a.yb", "a\nbc");
  CHECK(sm.file(without).line_count() == 2u);
  CHECK(sm.file(without).line_text(2) == "bc");
  CHECK(sm.line_col(without, 4) == lc(2, 3));
  const FileId with = sm.add("b.yb", "a\nbc\n");
  CHECK(sm.file(with).line_count() == 3u);
  CHECK(sm.file(with).line_text(3) == "");
  CHECK(sm.line_col(with, 5) == lc(3, 1));
}

TEST_CASE("a byte-order mark is not part of line 1", "[source]") {
  SourceManager sm;
  const FileId f = sm.add("bom.yb", "\xEF\xBB\xBF" "ab\ncd");
  CHECK(sm.file(f).line_text(1) == "ab");
  CHECK(sm.file(f).line_start(1) == 3u);
  CHECK(sm.line_col(f, 0) == lc(1, 1));
  CHECK(sm.line_col(f, 3) == lc(1, 1));
  CHECK(sm.line_col(f, 4) == lc(1, 2));
  CHECK(sm.line_col(f, 6) == lc(2, 1));
}

TEST_CASE("files keep their text when more are added", "[source]") {
  SourceManager sm;
  const FileId a = sm.add("a.yb", "x");
  const std::string_view text = sm.text(a);
  for (int i = 0; i < 100; ++i) (void)sm.add("more.yb", "y");
  CHECK(text == "x");
  CHECK(text.data() == sm.text(a).data());
  CHECK(sm.text(Span{a, 0, 1}) == "x");
  CHECK(sm.text(Span{a, 0, 50}) == "x");
  CHECK(sm.text(Span{}) == "");
  CHECK(sm.contains(a));
  CHECK_FALSE(sm.contains(FileId{}));
  CHECK_FALSE(sm.contains(FileId{1000}));
}

TEST_CASE("spans", "[source]") {
  const FileId f{0};
  CHECK(join(Span{f, 5, 9}, Span{f, 2, 6}) == Span{f, 2, 9});
  CHECK(Span{f, 3, 3}.empty());
  CHECK(Span{f, 3, 7}.size() == 4u);
  CHECK_FALSE(Span{}.has_location());
}

TEST_CASE("UTF-8 decoding", "[source][utf8]") {
  const auto decode = [](std::string_view s) { return decode_utf8(s, 0); };
  CHECK(decode("a").code_point == U'a');
  CHECK(decode("\xC3\xA9").code_point == U'\u00E9');
  CHECK(decode("\xE4\xBD\x8F").code_point == U'\u4F4F');  // 住
  CHECK(decode("\xF0\x9F\x98\x80").code_point == U'\U0001F600');
  CHECK(decode("\xF0\x9F\x98\x80").size == 4u);
  // Invalid: stray continuation, overlong, surrogate, above U+10FFFF, truncated, F5+.
  for (std::string_view bad : {"\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                               "\xE4\xBD", "\xF5\x80\x80\x80", "\xC3" "a"}) {
    const Utf8Char c = decode(bad);
    CHECK_FALSE(c.valid);
    CHECK(c.size == 1u);
    CHECK(c.code_point == U'\uFFFD');
  }
  CHECK_FALSE(find_invalid_utf8("住院 ok").has_value());
  CHECK(find_invalid_utf8("ok\xC3") == std::optional<std::size_t>(2));
}

TEST_CASE("display widths", "[source][width]") {
  CHECK(char_width(U'a') == 1u);
  CHECK(char_width(U'\t') == tab_width);
  CHECK(char_width(U'\u00E9') == 1u);      // é
  CHECK(char_width(U'\u0301') == 0u);      // combining acute accent
  CHECK(char_width(U'\u200B') == 0u);      // zero width space
  CHECK(char_width(U'\u4F4F') == 2u);      // 住
  CHECK(char_width(U'\u4E00') == 2u);      // first CJK unified ideograph
  CHECK(char_width(U'\u9FFF') == 2u);      // last of the block
  CHECK(char_width(U'\u3002') == 2u);      // 。
  CHECK(char_width(U'\u3000') == 2u);      // ideographic space
  CHECK(char_width(U'\uFF0C') == 2u);      // ，
  CHECK(char_width(U'\uFF08') == 2u);      // （
  CHECK(char_width(U'\uFF61') == 1u);      // halfwidth ideographic full stop
  CHECK(char_width(U'\uD55C') == 2u);      // 한
  CHECK(char_width(U'\u3042') == 2u);      // あ
  CHECK(char_width(U'\U0001F600') == 2u);  // emoji
  CHECK(char_width(U'\U00020000') == 2u);  // CJK extension B
  CHECK(char_width(U'\u2014') == 1u);      // em dash (ambiguous: narrow)
  CHECK(display_width("") == 0u);
  CHECK(display_width("住院a") == 5u);
  CHECK(display_width("a\tb") == 2u + tab_width);
  CHECK(display_width("a\xFF" "b") == 3u);
  CHECK(display_width("e\xCC\x81") == 1u);  // e + combining accent
  CHECK(prefix_display_width("住院a", 0) == 0u);
  CHECK(prefix_display_width("住院a", 3) == 2u);
  CHECK(prefix_display_width("住院a", 6) == 4u);
  CHECK(prefix_display_width("住院a", 7) == 5u);
  CHECK(prefix_display_width("住院a", 100) == 5u);
}

TEST_CASE("loading files", "[source][load]") {
  SourceManager sm;
  Diagnostics diags;

  SECTION("a readable file") {
    const std::string path = write_temp("yibao_lang_test_ok.yb", "policy x\n");
    const auto f = load_source(sm, path, diags);
    REQUIRE(f.has_value());
    CHECK(sm.text(*f) == "policy x\n");
    CHECK(sm.path(*f) == path);
    CHECK(diags.all().empty());
  }
  SECTION("a missing file") {
    const auto f = load_source(sm, "/nonexistent/yibao/x.yb", diags);
    CHECK_FALSE(f.has_value());
    REQUIRE(diags.all().size() == 1u);
    const Diagnostic& d = diags.all()[0];
    CHECK(d.code == DiagnosticCode::file_not_found);
    CHECK(d.message == "cannot read `/nonexistent/yibao/x.yb`: no such file or directory");
    CHECK_FALSE(d.span.has_location());
    CHECK(sm.file_count() == 0u);
  }
  SECTION("a missing import reports at the import") {
    const FileId importer = sm.add("a.yb", "extends b");
    const Span at{importer, 8, 9};
    CHECK_FALSE(load_source(sm, "/nonexistent/b.yb", diags, at).has_value());
    REQUIRE(diags.all().size() == 1u);
    CHECK(diags.all()[0].span == at);
  }
  SECTION("a directory") {
    CHECK_FALSE(load_source(sm, std::filesystem::temp_directory_path().string(), diags).has_value());
    REQUIRE(diags.all().size() == 1u);
    CHECK(diags.all()[0].code == DiagnosticCode::file_unreadable);
  }
  SECTION("a file that is not UTF-8 is loaded, with one error at the first bad byte") {
    // "保险" in GBK is B1 A3 CF D5.
    const std::string path = write_temp("yibao_lang_test_gbk.yb", "title \"\xB1\xA3\xCF\xD5\"\n");
    const auto f = load_source(sm, path, diags);
    REQUIRE(f.has_value());
    REQUIRE(diags.all().size() == 1u);
    const Diagnostic& d = diags.all()[0];
    CHECK(d.code == DiagnosticCode::invalid_utf8);
    CHECK(d.span == Span{*f, 7, 8});
    CHECK(d.message == "invalid UTF-8: found byte `0xB1`, expected UTF-8 text");
    REQUIRE(d.notes.size() == 2u);
    CHECK(d.notes[0].message == "the file has 4 bytes that are not UTF-8");
  }
}
