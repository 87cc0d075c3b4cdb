// line_reader.cpp: chunked reading and line splitting with bounded memory.
#include "yibao/line_reader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace yibao {
namespace {

bool is_blank(std::string_view s) noexcept {
  for (const char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

LineReader::LineReader(Source source, LineReaderOptions options)
    : source_(source),
      max_line_(options.max_line_bytes == 0 ? 1 : options.max_line_bytes),
      chunk_(options.chunk_bytes == 0 ? 1 : options.chunk_bytes) {
  // Room for a whole line of max_line_ bytes, its '\n', and one more chunk,
  // so that after moving a partial line to the front a full chunk always
  // fits. The padding after the data is zeroed once; next() writes only the
  // zero after each line.
  capacity_ = max_line_ + 1 + chunk_;
  buffer_ = std::make_unique<char[]>(capacity_ + kReadPadding);
}

LineReader::LineReader(LineReader&&) noexcept = default;
LineReader& LineReader::operator=(LineReader&&) noexcept = default;
LineReader::~LineReader() = default;

LineReader LineReader::from_fd(int fd, LineReaderOptions options) {
  LineReader reader(Source::fd, options);
  reader.fd_ = fd;
  return reader;
}

LineReader LineReader::from_file(std::FILE* file, LineReaderOptions options) {
  LineReader reader(Source::file, options);
  reader.file_ = file;
  return reader;
}

LineReader LineReader::from_memory(std::string_view text, LineReaderOptions options) {
  LineReader reader(Source::memory, options);
  reader.memory_ = text;
  return reader;
}

bool LineReader::fill() {
  // Move the unconsumed bytes to the front when a chunk no longer fits.
  if (capacity_ - end_ < chunk_) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  char* at = buffer_.get() + end_;
  const std::size_t room = capacity_ - end_ < chunk_ ? capacity_ - end_ : chunk_;
  std::size_t got = 0;
  switch (source_) {
    case Source::memory: {
      got = memory_.size() < room ? memory_.size() : room;
      std::memcpy(at, memory_.data(), got);
      memory_.remove_prefix(got);
      break;
    }
    case Source::file: {
      got = std::fread(at, 1, room, file_);
      if (got == 0 && std::ferror(file_) != 0) {
        error_ = "cannot read the input: " + std::generic_category().message(errno);
        return false;
      }
      break;
    }
    case Source::fd: {
      for (;;) {
        const ssize_t n = ::read(fd_, at, room);
        if (n >= 0) {
          got = static_cast<std::size_t>(n);
          break;
        }
        if (errno != EINTR) {
          error_ = "cannot read the input: " + std::generic_category().message(errno);
          return false;
        }
      }
      break;
    }
  }
  if (got == 0) eof_ = true;
  end_ += got;
  return true;
}

LineStatus LineReader::next(Line& line) {
  for (;;) {
    char* data = buffer_.get();
    if (!bom_checked_) {
      if (end_ - begin_ < 3 && !eof_) {
        if (!fill()) return LineStatus::error;
        continue;
      }
      if (end_ - begin_ >= 3 && std::memcmp(data + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
      bom_checked_ = true;
    }

    const std::size_t from = begin_ + scanned_;
    const void* hit = from < end_ ? std::memchr(data + from, '\n', end_ - from) : nullptr;
    if (hit != nullptr || (eof_ && begin_ < end_)) {
      const std::size_t stop = hit != nullptr ? static_cast<std::size_t>(static_cast<const char*>(hit) - data) : end_;
      std::size_t length = stop - begin_;
      const std::size_t start = begin_;
      begin_ = hit != nullptr ? stop + 1 : end_;
      scanned_ = 0;
      const std::uint64_t number = ++consumed_lines_;
      if (skipping_ || length > max_line_) {
        skipping_ = false;
        line = Line{number, std::string_view(), true};
        return LineStatus::line;
      }
      if (length > 0 && data[start + length - 1] == '\r') --length;
      data[start + length] = '\0';  // the line's '\r' or '\n', or the first byte after the data
      const std::string_view text(data + start, length);
      if (is_blank(text)) continue;
      line = Line{number, text, false};
      return LineStatus::line;
    }
    if (eof_) {
      if (skipping_) {  // a too-long last line without '\n'
        skipping_ = false;
        line = Line{++consumed_lines_, std::string_view(), true};
        return LineStatus::line;
      }
      return LineStatus::end;
    }
    scanned_ = end_ - begin_;
    if (scanned_ > max_line_) {
      // Too long to keep: drop what we have and discard up to the next '\n'.
      skipping_ = true;
      begin_ = end_ = scanned_ = 0;
    }
    if (!fill()) return LineStatus::error;
  }
}

}  // namespace yibao
