// Diagnostics: what every stage reports about a policy (mistakes, warnings,
// information), as values with source spans, collected by one sink.
//
// The kinds are listed once in diagnostic_codes.def (code, name, default
// severity; see its header for the message style). A stage reports into a
// `Diagnostics` sink and keeps going; the driver renders the sink at the end
// (diagnostics_render.h) and decides from `has_errors()` whether later stages
// run. Nothing here prints or exits.
//
//   diagnostics.report(DiagnosticCode::unknown_name, span, "unknown name `{}`", name)
//       .label("not a field of `claim`")
//       .help("did you mean `hospital_level`?");
//
// Thread safety: a `Diagnostics` is not synchronised; use one per compilation
// (or per thread, then merge with `add`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "lang/source.h"

namespace yibao {

enum class Severity : uint8_t { info, warning, error };

// "info", "warning", "error".
[[nodiscard]] std::string_view severity_name(Severity severity);

// One enumerator per entry of diagnostic_codes.def, named by its snake_case name.
enum class DiagnosticCode : uint16_t {
#define YIBAO_DIAGNOSTIC(code, name, severity) name,
#include "lang/diagnostic_codes.def"
};

struct DiagnosticInfo {
  DiagnosticCode id;
  std::string_view code;  // "E0102"
  std::string_view name;  // "unknown_name"
  Severity severity;      // default severity
};

// Every diagnostic kind, in the order of diagnostic_codes.def.
[[nodiscard]] std::span<const DiagnosticInfo> all_diagnostic_codes();
[[nodiscard]] const DiagnosticInfo& diagnostic_info(DiagnosticCode code);
[[nodiscard]] inline std::string_view code_string(DiagnosticCode code) { return diagnostic_info(code).code; }
[[nodiscard]] inline std::string_view code_name(DiagnosticCode code) { return diagnostic_info(code).name; }
[[nodiscard]] inline Severity default_severity(DiagnosticCode code) { return diagnostic_info(code).severity; }
// Finds a kind by its code ("E0102", any letter case) or its name ("unknown_name").
[[nodiscard]] std::optional<DiagnosticCode> find_diagnostic_code(std::string_view code_or_name);

enum class NoteKind : uint8_t { note, help };

struct Diagnostic {
  // A secondary place the diagnostic points at, with a short text ("first defined here").
  struct Label {
    Span span;
    std::string message;
  };
  // "note: ..." (background) or "help: ..." (how to fix), optionally at a place.
  struct Note {
    NoteKind kind = NoteKind::note;
    std::string message;
    Span span;  // no location unless the note points somewhere
  };

  Severity severity = Severity::error;
  DiagnosticCode code = DiagnosticCode::syntax_error;
  Span span;            // primary place; no location for problems with the run itself
  std::string message;  // see the message style in diagnostic_codes.def
  std::string label;    // short text under the primary span; may be empty
  std::vector<Label> labels;
  std::vector<Note> notes;
};

class Diagnostics;

// Returned by `Diagnostics::report` to add labels and notes to the diagnostic
// just reported. Does nothing when the diagnostic was dropped (error limit).
class DiagnosticBuilder {
 public:
  // Sets the text under the primary span.
  DiagnosticBuilder& label(std::string text);
  // Adds a secondary label.
  DiagnosticBuilder& label(Span span, std::string text);
  DiagnosticBuilder& note(std::string message, Span span = {});
  DiagnosticBuilder& help(std::string message, Span span = {});

 private:
  friend class Diagnostics;
  static constexpr std::size_t dropped = static_cast<std::size_t>(-1);
  DiagnosticBuilder(Diagnostics* sink, std::size_t index) : sink_(sink), index_(index) {}
  Diagnostic* target();

  Diagnostics* sink_;
  std::size_t index_;
};

// Collects diagnostics in the order reported and counts them by severity.
// A diagnostic identical to one already recorded (same severity, code, span
// and message) is ignored, so a stage that visits a node twice reports once.
// Once `max_errors` errors are recorded, every later diagnostic is dropped,
// and the first one dropped records one `too_many_errors` (without location).
// The counts cover recorded diagnostics only: not that marker, not the dropped.
class Diagnostics {
 public:
  static constexpr uint32_t default_max_errors = 50;

  // max_errors == 0: no limit.
  explicit Diagnostics(uint32_t max_errors = default_max_errors) : max_errors_(max_errors) {}

  // Reports a diagnostic of `code` with its default severity.
  DiagnosticBuilder report(DiagnosticCode code, Span span, std::string message);
  // Same, with the message formatted by fmt::format.
  template <typename A, typename... Args>
  DiagnosticBuilder report(DiagnosticCode code, Span span, fmt::format_string<A, Args...> format, A&& a,
                           Args&&... args) {
    return report(code, span, fmt::format(format, std::forward<A>(a), std::forward<Args>(args)...));
  }
  // Adds a complete diagnostic (its severity as given), under the same limit.
  void add(Diagnostic diagnostic);

  // In the order reported.
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return diagnostics_; }
  // Stably sorted for output: diagnostics without location first, then by
  // file and begin offset; the `too_many_errors` marker last.
  [[nodiscard]] std::vector<const Diagnostic*> sorted() const;

  [[nodiscard]] uint32_t error_count() const { return errors_; }
  [[nodiscard]] uint32_t warning_count() const { return warnings_; }
  [[nodiscard]] uint32_t info_count() const { return infos_; }
  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  // Diagnostics dropped after the error limit was reached.
  [[nodiscard]] uint32_t dropped_count() const { return dropped_; }
  // True once the limit has been reached: a stage may stop early.
  [[nodiscard]] bool limit_reached() const { return max_errors_ != 0 && errors_ >= max_errors_; }
  [[nodiscard]] uint32_t max_errors() const { return max_errors_; }

 private:
  friend class DiagnosticBuilder;
  // Index of the stored diagnostic, or DiagnosticBuilder::dropped.
  std::size_t store(Diagnostic&& diagnostic);

  std::vector<Diagnostic> diagnostics_;
  std::unordered_set<std::string> seen_;  // identity keys of the recorded diagnostics
  uint32_t max_errors_;
  uint32_t errors_ = 0;
  uint32_t warnings_ = 0;
  uint32_t infos_ = 0;
  uint32_t dropped_ = 0;
  bool marker_recorded_ = false;
};

}  // namespace yibao
