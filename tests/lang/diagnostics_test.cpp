// The diagnostic kinds table and the Diagnostics sink: builder, counts,
// sorting, the error limit.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "lang/diagnostics.h"

using namespace yibao;

namespace {

Diagnostic make(Severity severity, Span span, std::string message) {
  Diagnostic d;
  d.severity = severity;
  d.code = DiagnosticCode::syntax_error;
  d.span = span;
  d.message = std::move(message);
  return d;
}

std::vector<std::string> messages(const std::vector<const Diagnostic*>& list) {
  std::vector<std::string> out;
  for (const Diagnostic* d : list) out.push_back(d->message);
  return out;
}

}  // namespace

TEST_CASE("the kinds table", "[diagnostics]") {
  CHECK(code_string(DiagnosticCode::syntax_error) == "E0001");
  CHECK(code_name(DiagnosticCode::syntax_error) == "syntax_error");
  CHECK(default_severity(DiagnosticCode::syntax_error) == Severity::error);
  CHECK(code_string(DiagnosticCode::too_many_errors) == "E0003");
  CHECK(code_string(DiagnosticCode::file_not_found) == "E0005");

  std::set<std::string_view> codes;
  std::set<std::string_view> names;
  for (const DiagnosticInfo& k : all_diagnostic_codes()) {
    CHECK(codes.insert(k.code).second);
    CHECK(names.insert(k.name).second);
    CHECK(&diagnostic_info(k.id) == &k);
    CHECK(find_diagnostic_code(k.code) == k.id);
    CHECK(find_diagnostic_code(k.name) == k.id);
  }
  CHECK(find_diagnostic_code("e0004") == DiagnosticCode::invalid_utf8);
  CHECK_FALSE(find_diagnostic_code("E9999").has_value());
  CHECK_FALSE(find_diagnostic_code("").has_value());
  CHECK(severity_name(Severity::warning) == "warning");
}

TEST_CASE("report and the builder", "[diagnostics]") {
  Diagnostics diags;
  const FileId f{0};
  diags.report(DiagnosticCode::syntax_error, Span{f, 3, 5}, "expected `{}`, found `{}`", ")", "]")
      .label("here")
      .label(Span{f, 0, 1}, "opened here")
      .note("background")
      .help("add `)`", Span{f, 5, 5});
  REQUIRE(diags.all().size() == 1u);
  const Diagnostic& d = diags.all()[0];
  CHECK(d.severity == Severity::error);
  CHECK(d.code == DiagnosticCode::syntax_error);
  CHECK(d.span == Span{f, 3, 5});
  CHECK(d.message == "expected `)`, found `]`");
  CHECK(d.label == "here");
  REQUIRE(d.labels.size() == 1u);
  CHECK(d.labels[0].span == Span{f, 0, 1});
  CHECK(d.labels[0].message == "opened here");
  REQUIRE(d.notes.size() == 2u);
  CHECK(d.notes[0].kind == NoteKind::note);
  CHECK_FALSE(d.notes[0].span.has_location());
  CHECK(d.notes[1].kind == NoteKind::help);
  CHECK(d.notes[1].span == Span{f, 5, 5});

  // A plain string message is taken as is, braces included.
  diags.report(DiagnosticCode::syntax_error, Span{}, "expected `{` after `policy`");
  CHECK(diags.all()[1].message == "expected `{` after `policy`");
}

TEST_CASE("a builder stays valid after later reports", "[diagnostics]") {
  Diagnostics diags;
  auto first = diags.report(DiagnosticCode::syntax_error, Span{}, "first");
  for (int i = 0; i < 20; ++i) diags.report(DiagnosticCode::syntax_error, Span{}, "more");
  first.note("late note");
  REQUIRE(diags.all()[0].notes.size() == 1u);
  CHECK(diags.all()[0].notes[0].message == "late note");
}

TEST_CASE("errors, warnings and infos are counted separately", "[diagnostics]") {
  Diagnostics diags;
  CHECK_FALSE(diags.has_errors());
  diags.add(make(Severity::warning, Span{}, "w1"));
  diags.add(make(Severity::info, Span{}, "i1"));
  diags.add(make(Severity::warning, Span{}, "w2"));
  CHECK_FALSE(diags.has_errors());
  diags.report(DiagnosticCode::syntax_error, Span{}, "e1");
  CHECK(diags.error_count() == 1u);
  CHECK(diags.warning_count() == 2u);
  CHECK(diags.info_count() == 1u);
  CHECK(diags.has_errors());
}

TEST_CASE("sorting by location is stable", "[diagnostics]") {
  Diagnostics diags;
  const FileId a{0};
  const FileId b{1};
  diags.add(make(Severity::error, Span{b, 5, 6}, "b5"));
  diags.add(make(Severity::warning, Span{a, 9, 9}, "a9"));
  diags.add(make(Severity::error, Span{a, 2, 8}, "a2 first"));
  diags.add(make(Severity::error, Span{}, "no location"));
  diags.add(make(Severity::error, Span{a, 2, 3}, "a2 second"));
  diags.add(make(Severity::error, Span{b, 0, 1}, "b0"));
  CHECK(messages(diags.sorted()) ==
        std::vector<std::string>{"no location", "a2 first", "a2 second", "a9", "b0", "b5"});
  // all() keeps the order of reporting.
  CHECK(diags.all().front().message == "b5");
}

TEST_CASE("the error limit", "[diagnostics]") {
  Diagnostics diags(3);
  const FileId f{0};
  for (uint32_t i = 0; i < 3; ++i) {
    CHECK_FALSE(diags.limit_reached());
    diags.report(DiagnosticCode::syntax_error, Span{f, 10 - i, 11 - i}, "error {}", i);
  }
  CHECK(diags.limit_reached());
  diags.report(DiagnosticCode::syntax_error, Span{f, 0, 1}, "dropped error").note("also dropped");
  diags.add(make(Severity::warning, Span{f, 0, 0}, "dropped warning"));
  diags.report(DiagnosticCode::syntax_error, Span{}, "dropped too");

  CHECK(diags.error_count() == 3u);
  CHECK(diags.warning_count() == 0u);
  CHECK(diags.dropped_count() == 3u);
  REQUIRE(diags.all().size() == 4u);
  const Diagnostic& marker = diags.all().back();
  CHECK(marker.code == DiagnosticCode::too_many_errors);
  CHECK(marker.severity == Severity::error);
  CHECK_FALSE(marker.span.has_location());
  CHECK(marker.message == "reached the limit of 3 errors; later diagnostics are not shown");
  // The marker sorts last, after the located errors.
  CHECK(messages(diags.sorted()) ==
        std::vector<std::string>{"error 2", "error 1", "error 0", marker.message});
}

TEST_CASE("warnings before the limit are kept", "[diagnostics]") {
  Diagnostics diags(1);
  diags.add(make(Severity::warning, Span{}, "w1"));
  diags.add(make(Severity::warning, Span{}, "w2"));
  CHECK_FALSE(diags.limit_reached());
  diags.report(DiagnosticCode::syntax_error, Span{}, "e");
  CHECK(diags.limit_reached());
  CHECK(diags.warning_count() == 2u);
  CHECK(diags.dropped_count() == 0u);
  CHECK(diags.all().size() == 3u);
}

TEST_CASE("no limit", "[diagnostics]") {
  Diagnostics diags(0);
  for (int i = 0; i < 1000; ++i) diags.report(DiagnosticCode::syntax_error, Span{}, "error {}", i);
  CHECK(diags.error_count() == 1000u);
  CHECK_FALSE(diags.limit_reached());
  CHECK(diags.dropped_count() == 0u);
}

TEST_CASE("a diagnostic reported twice is recorded once", "[diagnostics]") {
  Diagnostics diags(2);
  const FileId f{0};
  diags.report(DiagnosticCode::syntax_error, Span{f, 1, 2}, "same").help("first help");
  diags.report(DiagnosticCode::syntax_error, Span{f, 1, 2}, "same").help("second help");
  diags.report(DiagnosticCode::syntax_error, Span{f, 1, 3}, "same");   // another span
  diags.report(DiagnosticCode::syntax_error, Span{f, 1, 2}, "other");  // another message
  diags.report(DiagnosticCode::syntax_error, Span{f, 1, 2}, "same");   // after the limit: still a duplicate
  REQUIRE(diags.all().size() == 3u);  // two errors and the limit marker
  CHECK(diags.all()[0].notes.size() == 1u);
  CHECK(diags.error_count() == 2u);
  CHECK(diags.dropped_count() == 1u);
  Diagnostic w;
  w.severity = Severity::warning;
  w.span = Span{f, 1, 2};
  w.message = "same";
  Diagnostics other;
  other.add(w);
  other.add(w);
  other.report(DiagnosticCode::syntax_error, Span{f, 1, 2}, "same");  // an error is not the warning
  CHECK(other.warning_count() == 1u);
  CHECK(other.error_count() == 1u);
}
