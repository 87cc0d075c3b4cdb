// Source text: files held in memory (path + UTF-8 text), byte spans into them,
// and the lookups that turn a byte offset into a line and a column.
//
// Every stage points into the source with a `Span` (file + half-open byte
// range). Lines are 1-based and end at '\n' ("\r\n" counts as one line end);
// columns are 1-based and count Unicode characters (code points), not bytes.
// A UTF-8 byte-order mark at the start of a file is skipped: it is not part of
// line 1 and not counted in its columns. Invalid UTF-8 never fails a lookup:
// each byte that does not belong to a valid character counts as one character.
//
// Thread safety: `SourceManager` is not synchronised. After the last `add`,
// any number of threads may call its const functions at once. References and
// views it returns stay valid for its lifetime (files are never moved).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yibao {

class Diagnostics;

// Names one file of a SourceManager. A default-constructed FileId names none.
struct FileId {
  static constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
  uint32_t index = none;

  [[nodiscard]] constexpr bool valid() const { return index != none; }
  friend constexpr auto operator<=>(FileId, FileId) = default;
};

// A half-open byte range [begin, end) in one file. A span whose file is not
// valid has no location (for problems with the command line or a whole run).
struct Span {
  FileId file;
  uint32_t begin = 0;
  uint32_t end = 0;

  [[nodiscard]] constexpr bool has_location() const { return file.valid(); }
  [[nodiscard]] constexpr bool empty() const { return end <= begin; }
  [[nodiscard]] constexpr uint32_t size() const { return end > begin ? end - begin : 0; }
  friend constexpr bool operator==(Span, Span) = default;
};

// The smallest span covering both; both must be in the same file.
[[nodiscard]] Span join(Span a, Span b);

// A position for people: line and column, both 1-based; the column counts
// code points (each invalid byte as one).
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
  friend constexpr auto operator<=>(LineCol, LineCol) = default;
};

// One file's path (as given, for messages) and text, with its line table.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  [[nodiscard]] std::string_view path() const { return path_; }
  [[nodiscard]] std::string_view text() const { return text_; }
  [[nodiscard]] uint32_t size() const { return static_cast<uint32_t>(text_.size()); }

  // Number of lines: one more than the number of '\n' (an empty file has one
  // empty line; a final '\n' starts an empty last line).
  [[nodiscard]] uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }
  // Byte offset where a line's text starts (after the byte-order mark on line
  // 1). `line` is clamped to 1..line_count().
  [[nodiscard]] uint32_t line_start(uint32_t line) const;
  // A line's text without its "\n" or "\r\n". `line` is clamped as above.
  [[nodiscard]] std::string_view line_text(uint32_t line) const;
  // The 1-based line holding `offset` (clamped to the text; an offset on a
  // line's '\n' belongs to that line).
  [[nodiscard]] uint32_t line_of(uint32_t offset) const;
  // Line and column of `offset`, clamped to the text. An offset inside a
  // multi-byte character gives that character's column.
  [[nodiscard]] LineCol line_col(uint32_t offset) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;  // byte offset of each line's first byte
};

// Owns the text of every file of one compilation.
class SourceManager {
 public:
  // Files larger than this are refused by `load_source` (offsets are 32-bit).
  static constexpr uint32_t max_file_size = 64u << 20;

  // Adds a file from memory (the path is only used in messages). Precondition:
  // text.size() <= max_file_size.
  FileId add(std::string path, std::string text);

  [[nodiscard]] bool contains(FileId id) const { return id.valid() && id.index < files_.size(); }
  // Precondition: contains(id).
  [[nodiscard]] const SourceFile& file(FileId id) const { return files_[id.index]; }
  [[nodiscard]] std::string_view path(FileId id) const { return file(id).path(); }
  [[nodiscard]] std::string_view text(FileId id) const { return file(id).text(); }
  [[nodiscard]] LineCol line_col(FileId id, uint32_t offset) const { return file(id).line_col(offset); }
  // The text a span covers (clamped to its file); empty for a span without location.
  [[nodiscard]] std::string_view text(Span span) const;
  [[nodiscard]] std::size_t file_count() const { return files_.size(); }

 private:
  std::deque<SourceFile> files_;  // a deque: adding never moves earlier files
};

// Reads the file at `path` into `sources`. On failure reports
// `file_not_found` or `file_unreadable` at `requested_at` (no location for a
// file named on the command line; the `extends`/`use` clause for an import)
// and returns nothing. A file that is not valid UTF-8 is still added, and one
// `invalid_utf8` error is reported at its first bad byte.
[[nodiscard]] std::optional<FileId> load_source(SourceManager& sources, const std::string& path,
                                                Diagnostics& diagnostics, Span requested_at = {});

// --- UTF-8 and display width ------------------------------------------------

// One decoded character. An invalid byte decodes as U+FFFD with size 1 and
// valid == false (overlong forms, surrogates, values above U+10FFFF and
// truncated sequences are invalid; each of their bytes is one character).
struct Utf8Char {
  char32_t code_point = 0;
  uint32_t size = 1;
  bool valid = true;
};

// Decodes the character starting at byte `pos`. Precondition: pos < text.size().
[[nodiscard]] Utf8Char decode_utf8(std::string_view text, std::size_t pos);
// Byte offset of the first byte that is not part of valid UTF-8, if any.
[[nodiscard]] std::optional<std::size_t> find_invalid_utf8(std::string_view text);
// Number of characters (code points; invalid bytes count one each).
[[nodiscard]] std::size_t count_chars(std::string_view text);

// Terminal cells a tab takes in rendered source lines.
inline constexpr uint32_t tab_width = 4;

// Terminal cells a character takes as the diagnostics renderer prints it:
// 2 for East Asian Wide and Fullwidth characters (CJK ideographs, CJK and
// fullwidth punctuation, kana, Hangul, most emoji), 0 for combining marks and
// format characters, `tab_width` for a tab, 1 for anything else (other
// control characters and invalid bytes are printed as one visible symbol).
// Tables from Unicode 14.0.
[[nodiscard]] uint32_t char_width(char32_t c);
// Terminal cells `text` takes (invalid bytes count 1 each).
[[nodiscard]] uint32_t display_width(std::string_view text);
// Terminal cells taken by the characters of `line` that start before byte
// `bytes`: where to put a caret under the character at that offset.
[[nodiscard]] uint32_t prefix_display_width(std::string_view line, std::size_t bytes);

}  // namespace yibao
