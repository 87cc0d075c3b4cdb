// Text and JSON renderings of diagnostics; see the header for the formats.
#include "lang/diagnostics_render.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/format.h>

namespace yibao {

namespace {

// --- colors ------------------------------------------------------------------

enum class Paint { bold, error, warning, info, note, help, gutter, secondary };

std::string_view ansi(Paint p) {
  switch (p) {
    case Paint::bold: return "\x1b[1m";
    case Paint::error: return "\x1b[1;31m";
    case Paint::warning: return "\x1b[1;33m";
    case Paint::info: return "\x1b[1;32m";
    case Paint::note: return "\x1b[1;32m";
    case Paint::help: return "\x1b[1;36m";
    case Paint::gutter: return "\x1b[1;34m";
    case Paint::secondary: return "\x1b[1;34m";
  }
  return "";
}

Paint paint_of(Severity s) {
  switch (s) {
    case Severity::info: return Paint::info;
    case Severity::warning: return Paint::warning;
    case Severity::error: return Paint::error;
  }
  return Paint::error;
}

std::string_view note_name(NoteKind kind) { return kind == NoteKind::help ? "help" : "note"; }
Paint paint_of(NoteKind kind) { return kind == NoteKind::help ? Paint::help : Paint::note; }

class Writer {
 public:
  explicit Writer(bool color) : color_(color) {}

  void put(std::string_view text) { out_ += text; }
  void put(Paint p, std::string_view text) {
    if (text.empty()) return;
    if (color_) out_ += ansi(p);
    out_ += text;
    if (color_) out_ += "\x1b[0m";
  }
  void spaces(std::size_t n) { out_.append(n, ' '); }
  std::string take() { return std::move(out_); }

 private:
  bool color_;
  std::string out_;
};

// --- locating spans ------------------------------------------------------------

// A span resolved against its file, offsets clamped into the text.
struct Located {
  const SourceFile* file = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t first_line = 1;
  uint32_t last_line = 1;
  LineCol start;
};

std::optional<Located> locate(Span span, const SourceManager& sources) {
  if (!sources.contains(span.file)) return std::nullopt;
  Located l;
  l.file = &sources.file(span.file);
  l.begin = std::min(span.begin, l.file->size());
  l.end = std::clamp(span.end, l.begin, l.file->size());
  l.first_line = l.file->line_of(l.begin);
  l.last_line = l.end > l.begin ? l.file->line_of(l.end - 1) : l.first_line;
  l.start = l.file->line_col(l.begin);
  return l;
}

std::size_t digits(uint32_t n) { return fmt::formatted_size("{}", n); }

// Appends `c` as UTF-8.
void put_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// A source line as printed: tabs expanded, control characters as control
// pictures (U+2400..), invalid bytes and C1 controls as U+FFFD, bidi
// overrides dropped. Each character takes `char_width` cells.
std::string printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t pos = 0; pos < line.size();) {
    const Utf8Char c = decode_utf8(line, pos);
    const char32_t cp = c.code_point;
    if (!c.valid || (cp >= 0x80 && cp < 0xA0)) {
      put_utf8(out, U'\uFFFD');
    } else if (cp == U'\t') {
      out.append(tab_width, ' ');
    } else if (cp < 0x20) {
      put_utf8(out, 0x2400 + cp);
    } else if (cp == 0x7F) {
      put_utf8(out, U'\u2421');
    } else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      // dropped: zero width, and they would reorder the printed line
    } else {
      out.append(line.substr(pos, c.size));
    }
    pos += c.size;
  }
  return out;
}

// The start of the character holding byte `offset` of `line`.
std::size_t char_start(std::string_view line, std::size_t offset) {
  std::size_t pos = 0;
  while (pos < line.size()) {
    const std::size_t next = pos + decode_utf8(line, pos).size;
    if (next > offset) break;
    pos = next;
  }
  return std::min(pos, offset);
}

struct Annotation {
  Located where;
  bool primary = false;
  std::string_view text;
};

// --- text rendering ------------------------------------------------------------

class TextRenderer {
 public:
  TextRenderer(const SourceManager& sources, const RenderOptions& options)
      : sources_(sources), w_(options.color) {}

  std::string render(const Diagnostic& d) {
    const std::optional<Located> primary = locate(d.span, sources_);
    std::vector<Annotation> in_snippet;  // annotations of the primary snippet
    std::vector<Annotation> elsewhere;   // labels in other files: own blocks
    std::vector<std::string_view> unlocated_labels;
    if (primary) in_snippet.push_back(Annotation{*primary, true, d.label});
    for (const Diagnostic::Label& label : d.labels) {
      const std::optional<Located> at = locate(label.span, sources_);
      if (!at) {
        unlocated_labels.push_back(label.message);
      } else if (primary && at->file == primary->file) {
        in_snippet.push_back(Annotation{*at, false, label.message});
      } else {
        elsewhere.push_back(Annotation{*at, false, label.message});
      }
    }

    // The gutter fits the largest line number shown anywhere in the diagnostic.
    uint32_t max_line = 0;
    for (const Annotation& a : in_snippet) max_line = std::max(max_line, a.where.first_line);
    for (const Annotation& a : elsewhere) max_line = std::max(max_line, a.where.first_line);
    for (const Diagnostic::Note& note : d.notes) {
      if (const auto at = locate(note.span, sources_)) max_line = std::max(max_line, at->first_line);
    }
    gutter_ = std::max<std::size_t>(1, digits(max_line));

    // Header.
    if (primary) w_.put(Paint::bold, location(*primary) + ": ");
    w_.put(paint_of(d.severity), fmt::format("{}[{}]", severity_name(d.severity), code_string(d.code)));
    w_.put(Paint::bold, ": " + d.message);
    w_.put("\n");

    if (primary) snippet(in_snippet, d.severity);
    for (const Annotation& a : elsewhere) located_note(NoteKind::note, a.text, a.where);
    for (std::string_view text : unlocated_labels) plain_note(NoteKind::note, text);
    for (const Diagnostic::Note& note : d.notes) {
      if (const auto at = locate(note.span, sources_)) {
        located_note(note.kind, note.message, *at);
      } else {
        plain_note(note.kind, note.message);
      }
    }
    return w_.take();
  }

 private:
  static std::string location(const Located& at) {
    return fmt::format("{}:{}:{}", at.file->path(), at.start.line, at.start.column);
  }

  // "  |" and the like: the gutter, then `mark`.
  void gutter(std::string_view mark) {
    w_.spaces(gutter_ + 1);
    w_.put(Paint::gutter, mark);
  }

  void plain_note(NoteKind kind, std::string_view message) {
    gutter("=");
    w_.put(" ");
    w_.put(paint_of(kind), note_name(kind));
    // Continuation lines of a long note line up after "= note: ".
    const std::string indent = "\n" + std::string(gutter_ + 1 + 2 + note_name(kind).size() + 2, ' ');
    std::string text(message);
    for (std::size_t pos = 0; (pos = text.find('\n', pos)) != std::string::npos; pos += indent.size()) {
      text.replace(pos, 1, indent);
    }
    w_.put(": " + text + "\n");
  }

  void located_note(NoteKind kind, std::string_view message, const Located& at) {
    w_.put(Paint::bold, location(at) + ": ");
    w_.put(paint_of(kind), note_name(kind));
    w_.put(Paint::bold, fmt::format(": {}", message));
    w_.put("\n");
    snippet({Annotation{at, false, {}}}, Severity::info);
  }

  // The lines of one file that the annotations start on, each followed by
  // one underline row per annotation on it.
  void snippet(std::vector<Annotation> annotations, Severity severity) {
    std::stable_sort(annotations.begin(), annotations.end(), [](const Annotation& a, const Annotation& b) {
      return std::tuple(a.where.first_line, a.where.begin, !a.primary) <
             std::tuple(b.where.first_line, b.where.begin, !b.primary);
    });
    const SourceFile& file = *annotations.front().where.file;
    gutter("|");
    w_.put("\n");
    uint32_t previous = 0;
    for (std::size_t i = 0; i < annotations.size();) {
      const uint32_t line = annotations[i].where.first_line;
      if (previous != 0 && line > previous + 1) {
        w_.put(Paint::gutter, "...");
        w_.put("\n");
      }
      previous = line;
      const std::string_view text = file.line_text(line);
      const std::string shown = printable(text);
      w_.put(Paint::gutter, fmt::format("{:>{}} |", line, gutter_));
      if (!shown.empty()) w_.put(" " + shown);
      w_.put("\n");
      for (; i < annotations.size() && annotations[i].where.first_line == line; ++i) {
        underline(annotations[i], file.line_start(line), text, severity);
      }
    }
  }

  void underline(const Annotation& a, uint32_t line_start, std::string_view text, Severity severity) {
    const Located& at = a.where;
    const bool multiline = at.last_line > at.first_line;
    const std::size_t begin = char_start(text, at.begin > line_start ? at.begin - line_start : 0);
    const std::size_t end =
        multiline ? text.size() : std::min<std::size_t>(at.end > line_start ? at.end - line_start : 0, text.size());
    const uint32_t pad = prefix_display_width(text, begin);
    const uint32_t width = std::max<uint32_t>(1, prefix_display_width(text, std::max(begin, end)) - pad);
    const Paint paint = a.primary ? paint_of(severity) : Paint::secondary;
    std::string message(a.text);
    if (multiline) {
      if (!message.empty()) message += ' ';
      message += fmt::format("(continues to line {})", at.last_line);
    }
    gutter("|");
    w_.spaces(1 + pad);
    w_.put(paint, std::string(width, a.primary ? '^' : '-'));
    if (!message.empty()) w_.put(paint, " " + message);
    w_.put("\n");
  }

  const SourceManager& sources_;
  Writer w_;
  std::size_t gutter_ = 1;
};

// --- JSON ----------------------------------------------------------------------

void json_position(std::string& out, LineCol at) {
  out += fmt::format("{{\"line\": {}, \"column\": {}}}", at.line, at.column);
}

// "file": ..., "range": ..., "byte_range": ... for a span (nulls without location).
void json_location(std::string& out, Span span, const SourceManager& sources) {
  const std::optional<Located> at = locate(span, sources);
  if (!at) {
    out += "\"file\": null, \"range\": null, \"byte_range\": null";
    return;
  }
  out += "\"file\": " + json_quote(at->file->path()) + ", \"range\": {\"start\": ";
  json_position(out, at->start);
  out += ", \"end\": ";
  json_position(out, at->file->line_col(at->end));
  out += fmt::format("}}, \"byte_range\": [{}, {}]", at->begin, at->end);
}

void json_diagnostic(std::string& out, const Diagnostic& d, const SourceManager& sources) {
  out += fmt::format("{{\"severity\": \"{}\", \"code\": \"{}\", \"name\": \"{}\", \"message\": {}, ",
                     severity_name(d.severity), code_string(d.code), code_name(d.code), json_quote(d.message));
  json_location(out, d.span, sources);
  out += ", \"label\": ";
  out += d.label.empty() ? std::string("null") : json_quote(d.label);
  out += ", \"labels\": [";
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += "{\"message\": " + json_quote(d.labels[i].message) + ", ";
    json_location(out, d.labels[i].span, sources);
    out += "}";
  }
  out += "], \"notes\": [";
  for (std::size_t i = 0; i < d.notes.size(); ++i) {
    const Diagnostic::Note& note = d.notes[i];
    if (i > 0) out += ", ";
    out += fmt::format("{{\"kind\": \"{}\", \"message\": {}", note_name(note.kind), json_quote(note.message));
    if (sources.contains(note.span.file)) {
      out += ", ";
      json_location(out, note.span, sources);
    }
    out += "}";
  }
  out += "]}";
}

}  // namespace

std::string render_text(const Diagnostic& diagnostic, const SourceManager& sources, const RenderOptions& options) {
  return TextRenderer(sources, options).render(diagnostic);
}

std::string render_text(const Diagnostics& diagnostics, const SourceManager& sources,
                        const RenderOptions& options) {
  std::string out;
  for (const Diagnostic* d : diagnostics.sorted()) {
    out += render_text(*d, sources, options);
    out += '\n';
  }
  out += render_summary(diagnostics, options);
  return out;
}

std::string render_summary(const Diagnostics& diagnostics, const RenderOptions& options) {
  const auto plural = [](uint32_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  Writer w(options.color);
  if (diagnostics.has_errors()) {
    std::string text = ": aborting due to " + plural(diagnostics.error_count(), "error");
    if (diagnostics.warning_count() > 0) text += "; " + plural(diagnostics.warning_count(), "warning") + " emitted";
    if (diagnostics.dropped_count() > 0) {
      text += "; " + plural(diagnostics.dropped_count(), "more diagnostic") + " not shown";
    }
    w.put(Paint::error, "error");
    w.put(Paint::bold, text);
  } else if (diagnostics.warning_count() > 0) {
    w.put(Paint::warning, "warning");
    w.put(Paint::bold, ": " + plural(diagnostics.warning_count(), "warning") + " emitted");
  } else {
    return {};
  }
  w.put("\n");
  return w.take();
}

std::string render_json(const Diagnostics& diagnostics, const SourceManager& sources) {
  std::string out = "{\"diagnostics\": [";
  const std::vector<const Diagnostic*> sorted = diagnostics.sorted();
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    out += i == 0 ? "\n  " : ",\n  ";
    json_diagnostic(out, *sorted[i], sources);
  }
  if (!sorted.empty()) out += "\n";
  out += fmt::format("], \"errors\": {}, \"warnings\": {}}}\n", diagnostics.error_count(),
                     diagnostics.warning_count());
  return out;
}

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (std::size_t pos = 0; pos < text.size();) {
    const Utf8Char c = decode_utf8(text, pos);
    if (!c.valid) {
      out += "\\ufffd";
    } else if (c.code_point < 0x80) {
      const char ch = static_cast<char>(c.code_point);
      switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c.code_point < 0x20) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(c.code_point));
          } else {
            out += ch;
          }
      }
    } else {
      out.append(text.substr(pos, c.size));
    }
    pos += c.size;
  }
  out += '"';
  return out;
}

}  // namespace yibao
