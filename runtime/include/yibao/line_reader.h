// line_reader.h: a byte stream (file descriptor, FILE* or memory) -> numbered
// lines, in bounded memory, each followed by readable padding for simdjson.
//
// The input of `yibao eval` can be any size, so it is read in large chunks
// into one buffer that never grows: a line longer than max_line_bytes is not
// kept but reported as `too_long` (its bytes are skipped up to the next line
// end), so that even a 50 MB line costs no more memory than a short one.
//
// Rules (interchange.md): a UTF-8 byte-order mark at the very start is
// skipped; a line ends at `\n`, and a `\r` before it is dropped; a line that
// holds only JSON white space (space, tab, CR) is skipped but counted, so
// line numbers count every physical line; a last line without `\n` is still
// a line.
//
// Every line's text is followed by at least kReadPadding readable bytes,
// which is what simdjson needs to parse it in place; the first of them is a
// zero byte (written over the line's end), which lets the request reader's
// fast path read the line in place too. The rest's content is unspecified.
// The text stays valid until the next call to next().
//
// Thread safety: one reader per thread; distinct readers are independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace yibao {

// Readable bytes guaranteed after each line (simdjson's SIMDJSON_PADDING;
// checked where simdjson is included).
inline constexpr std::size_t kReadPadding = 64;

struct Line {
  std::uint64_t number = 0;  // 1-based, counting every physical line
  std::string_view text;     // without the line end; empty when too_long
  bool too_long = false;     // longer than LineReaderOptions::max_line_bytes
};

struct LineReaderOptions {
  std::size_t max_line_bytes = std::size_t{1} << 20;  // 1 MiB: a request is well under 1 KB
  std::size_t chunk_bytes = std::size_t{1} << 20;     // bytes asked of the source per read
};

enum class LineStatus : std::uint8_t {
  line,   // `line` was filled
  end,    // the input is exhausted
  error,  // reading failed; see error()
};

class LineReader {
 public:
  // Reads from `fd`, which stays open and owned by the caller.
  static LineReader from_fd(int fd, LineReaderOptions options = {});
  // Reads with fread from `file`, which stays owned by the caller.
  static LineReader from_file(std::FILE* file, LineReaderOptions options = {});
  // Reads from `text`, which must outlive the reader (copied chunk by chunk,
  // so lines get padding like the others).
  static LineReader from_memory(std::string_view text, LineReaderOptions options = {});

  LineReader(LineReader&&) noexcept;
  LineReader& operator=(LineReader&&) noexcept;
  ~LineReader();

  // The next line that is not blank.
  [[nodiscard]] LineStatus next(Line& line);

  // Why the last next() returned LineStatus::error.
  const std::string& error() const noexcept { return error_; }

 private:
  enum class Source : std::uint8_t { fd, file, memory };
  LineReader(Source source, LineReaderOptions options);

  // Appends source bytes after end_; false on an error (error_ set).
  bool fill();

  Source source_;
  int fd_ = -1;
  std::FILE* file_ = nullptr;
  std::string_view memory_;

  std::size_t max_line_;
  std::size_t chunk_;
  std::size_t capacity_ = 0;  // data bytes; the allocation adds kReadPadding
  std::unique_ptr<char[]> buffer_;
  std::size_t begin_ = 0;     // first unconsumed byte
  std::size_t scanned_ = 0;   // bytes from begin_ known to hold no '\n'
  std::size_t end_ = 0;       // one past the last byte read
  std::uint64_t consumed_lines_ = 0;
  bool eof_ = false;
  bool bom_checked_ = false;
  bool skipping_ = false;     // inside a too-long line, discarding bytes
  std::string error_;
};

}  // namespace yibao
