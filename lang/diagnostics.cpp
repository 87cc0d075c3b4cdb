// The diagnostic kinds table and the collecting sink.
#include "lang/diagnostics.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <tuple>

namespace yibao {

namespace {

constexpr DiagnosticInfo kinds[] = {
#define YIBAO_DIAGNOSTIC(code, name, severity) \
  DiagnosticInfo{DiagnosticCode::name, #code, #name, Severity::severity},
#include "lang/diagnostic_codes.def"
};

// The table is checked once, at compile time: unique codes and names, a
// letter that matches the severity, four digits.
constexpr bool well_formed(const DiagnosticInfo& k) {
  constexpr std::array<char, 3> letters = {'I', 'W', 'E'};  // by Severity
  if (k.code.size() != 5 || k.code[0] != letters[static_cast<std::size_t>(k.severity)]) return false;
  for (std::size_t i = 1; i < 5; ++i) {
    if (k.code[i] < '0' || k.code[i] > '9') return false;
  }
  return !k.name.empty();
}

constexpr bool table_is_valid() {
  for (std::size_t i = 0; i < std::size(kinds); ++i) {
    if (static_cast<std::size_t>(kinds[i].id) != i || !well_formed(kinds[i])) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (kinds[i].code == kinds[j].code || kinds[i].name == kinds[j].name) return false;
    }
  }
  return true;
}
static_assert(table_is_valid(), "diagnostic_codes.def: duplicate code or name, or a code whose letter "
                                "does not match its severity");

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

}  // namespace

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

std::span<const DiagnosticInfo> all_diagnostic_codes() { return kinds; }

const DiagnosticInfo& diagnostic_info(DiagnosticCode code) {
  const auto i = static_cast<std::size_t>(code);
  assert(i < std::size(kinds));
  return kinds[i];
}

std::optional<DiagnosticCode> find_diagnostic_code(std::string_view code_or_name) {
  for (const DiagnosticInfo& k : kinds) {
    if (equal_ignoring_case(k.code, code_or_name) || k.name == code_or_name) return k.id;
  }
  return std::nullopt;
}

// --- DiagnosticBuilder -------------------------------------------------------

Diagnostic* DiagnosticBuilder::target() {
  return index_ == dropped ? nullptr : &sink_->diagnostics_[index_];
}

DiagnosticBuilder& DiagnosticBuilder::label(std::string text) {
  if (Diagnostic* d = target()) d->label = std::move(text);
  return *this;
}

DiagnosticBuilder& DiagnosticBuilder::label(Span span, std::string text) {
  if (Diagnostic* d = target()) d->labels.push_back(Diagnostic::Label{span, std::move(text)});
  return *this;
}

DiagnosticBuilder& DiagnosticBuilder::note(std::string message, Span span) {
  if (Diagnostic* d = target()) d->notes.push_back(Diagnostic::Note{NoteKind::note, std::move(message), span});
  return *this;
}

DiagnosticBuilder& DiagnosticBuilder::help(std::string message, Span span) {
  if (Diagnostic* d = target()) d->notes.push_back(Diagnostic::Note{NoteKind::help, std::move(message), span});
  return *this;
}

// --- Diagnostics -------------------------------------------------------------

DiagnosticBuilder Diagnostics::report(DiagnosticCode code, Span span, std::string message) {
  Diagnostic d;
  d.severity = default_severity(code);
  d.code = code;
  d.span = span;
  d.message = std::move(message);
  return DiagnosticBuilder(this, store(std::move(d)));
}

void Diagnostics::add(Diagnostic diagnostic) { (void)store(std::move(diagnostic)); }

std::size_t Diagnostics::store(Diagnostic&& diagnostic) {
  const Span& s = diagnostic.span;
  std::string key = fmt::format("{}:{}:{}:{}:{}:{}", static_cast<int>(diagnostic.severity),
                                static_cast<int>(diagnostic.code), s.file.index, s.begin, s.end, diagnostic.message);
  if (seen_.contains(key)) return DiagnosticBuilder::dropped;
  if (limit_reached()) {
    ++dropped_;
    if (!marker_recorded_) {
      marker_recorded_ = true;
      Diagnostic marker;
      marker.severity = Severity::error;
      marker.code = DiagnosticCode::too_many_errors;
      marker.message = fmt::format("reached the limit of {} error{}; later diagnostics are not shown", max_errors_,
                                   max_errors_ == 1 ? "" : "s");
      diagnostics_.push_back(std::move(marker));
    }
    return DiagnosticBuilder::dropped;
  }
  seen_.insert(std::move(key));
  switch (diagnostic.severity) {
    case Severity::error: ++errors_; break;
    case Severity::warning: ++warnings_; break;
    case Severity::info: ++infos_; break;
  }
  diagnostics_.push_back(std::move(diagnostic));
  return diagnostics_.size() - 1;
}

std::vector<const Diagnostic*> Diagnostics::sorted() const {
  std::vector<const Diagnostic*> out;
  out.reserve(diagnostics_.size());
  for (const Diagnostic& d : diagnostics_) out.push_back(&d);
  const auto key = [](const Diagnostic* d) {
    const bool marker = d->code == DiagnosticCode::too_many_errors && !d->span.has_location();
    return std::tuple(marker, d->span.has_location(), d->span.file, d->span.begin);
  };
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic* a, const Diagnostic* b) { return key(a) < key(b); });
  return out;
}

}  // namespace yibao
