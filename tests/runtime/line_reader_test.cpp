// Line input: splitting, numbering, blank lines, BOM, padding, long lines.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "yibao/line_reader.h"

using namespace yibao;

namespace {

struct Got {
  std::uint64_t number;
  std::string text;
  bool too_long;
  bool operator==(const Got&) const = default;
};

std::vector<Got> all_lines(LineReader reader) {
  std::vector<Got> out;
  Line line;
  for (;;) {
    const LineStatus s = reader.next(line);
    if (s == LineStatus::end) break;
    REQUIRE(s == LineStatus::line);
    out.push_back(Got{line.number, std::string(line.text), line.too_long});
  }
  return out;
}

std::vector<Got> lines_of(std::string_view text, LineReaderOptions options = {}) {
  return all_lines(LineReader::from_memory(text, options));
}

}  // namespace

TEST_CASE("lines end at \\n or \\r\\n; a last line needs no newline", "[lines]") {
  CHECK(lines_of("a\nb\r\nc") == std::vector<Got>{{1, "a", false}, {2, "b", false}, {3, "c", false}});
  CHECK(lines_of("a\n") == std::vector<Got>{{1, "a", false}});
  CHECK(lines_of("").empty());
  CHECK(lines_of("a\r\r\n") == std::vector<Got>{{1, "a\r", false}});
}

TEST_CASE("blank lines are skipped but counted", "[lines]") {
  CHECK(lines_of("\n \t\r\n{}\n\r\n   \n{}") == std::vector<Got>{{3, "{}", false}, {6, "{}", false}});
  CHECK(lines_of("\n\n\n").empty());
  CHECK(lines_of("  ").empty());
  // Only JSON white space is blank.
  CHECK(lines_of("\f\n") == std::vector<Got>{{1, "\f", false}});
}

TEST_CASE("a byte-order mark at the start is skipped", "[lines]") {
  CHECK(lines_of("\xEF\xBB\xBF{}\n") == std::vector<Got>{{1, "{}", false}});
  CHECK(lines_of("\xEF\xBB\xBF\n{}") == std::vector<Got>{{2, "{}", false}});
  // Only at the start.
  CHECK(lines_of("{}\n\xEF\xBB\xBF{}") == std::vector<Got>{{1, "{}", false}, {2, "\xEF\xBB\xBF{}", false}});
  // A BOM split across reads.
  LineReaderOptions tiny;
  tiny.chunk_bytes = 1;
  CHECK(lines_of("\xEF\xBB\xBFx\ny", tiny) == std::vector<Got>{{1, "x", false}, {2, "y", false}});
  CHECK(lines_of("\xEF\xBB", tiny) == std::vector<Got>{{1, "\xEF\xBB", false}});
}

TEST_CASE("any chunk size gives the same lines", "[lines]") {
  std::string text;
  std::vector<Got> expected;
  for (int i = 1; i <= 200; ++i) {
    const std::string body = std::string(static_cast<std::size_t>(i % 37), 'x') + std::to_string(i);
    text += body + (i % 3 == 0 ? "\r\n" : "\n");
    if (i % 10 == 0) text += "  \n";
    expected.push_back(Got{0, body, false});
  }
  std::uint64_t number = 0;
  for (int i = 1; i <= 200; ++i) {
    expected[static_cast<std::size_t>(i - 1)].number = ++number;
    if (i % 10 == 0) ++number;
  }
  for (const std::size_t chunk : {1U, 2U, 3U, 7U, 64U, 1000U, 1U << 20}) {
    LineReaderOptions options;
    options.chunk_bytes = chunk;
    options.max_line_bytes = 64;
    INFO("chunk " << chunk);
    CHECK(lines_of(text, options) == expected);
  }
}

TEST_CASE("lines longer than the limit are reported, not kept", "[lines]") {
  LineReaderOptions options;
  options.max_line_bytes = 8;
  options.chunk_bytes = 4;
  const std::string text = "short\n" + std::string(100, 'x') + "\nok\n123456789\n12345678\n" + std::string(30, 'y');
  CHECK(lines_of(text, options) == std::vector<Got>{{1, "short", false},
                                                    {2, "", true},
                                                    {3, "ok", false},
                                                    {4, "", true},
                                                    {5, "12345678", false},
                                                    {6, "", true}});
}

TEST_CASE("a 50 MB line costs no more than the buffer", "[lines]") {
  const std::string text = "{}\n" + std::string(50u << 20, 'x') + "\n{}";
  CHECK(lines_of(text) == std::vector<Got>{{1, "{}", false}, {2, "", true}, {3, "{}", false}});
}

TEST_CASE("padding after each line is readable", "[lines]") {
  // Reading kReadPadding bytes past each line must stay inside the buffer
  // (AddressSanitizer builds check this).
  LineReaderOptions options;
  options.chunk_bytes = 5;
  options.max_line_bytes = 16;
  LineReader reader = LineReader::from_memory("abc\ndefgh\n0123456789abcdef", options);
  Line line;
  unsigned sum = 0;
  while (reader.next(line) == LineStatus::line) {
    for (std::size_t i = 0; i < line.text.size() + kReadPadding; ++i) sum += static_cast<unsigned char>(line.text.data()[i]);
  }
  CHECK(sum > 0);
}

TEST_CASE("a zero byte follows each line", "[lines]") {
  // The request reader's fast path reads a line in place when a zero byte
  // follows it (request_fast_path.cpp): after \n and \r\n endings, a last
  // line without one, lines moved to the front of the buffer by a refill,
  // and a line that fills its chunk exactly.
  const std::string text = "abc\r\ndefgh\n\n  \n0123456789abcdef\nxy\r\nlast";
  for (const std::size_t chunk : {1, 3, 5, 16, 64}) {
    INFO("chunk " << chunk);
    LineReader reader = LineReader::from_memory(text, LineReaderOptions{.max_line_bytes = 16, .chunk_bytes = chunk});
    Line line;
    std::vector<std::string> seen;
    while (reader.next(line) == LineStatus::line) {
      REQUIRE_FALSE(line.too_long);
      CHECK(line.text.data()[line.text.size()] == '\0');
      seen.emplace_back(line.text);
    }
    CHECK(seen == std::vector<std::string>{"abc", "defgh", "0123456789abcdef", "xy", "last"});
  }
}

TEST_CASE("reading from a file descriptor and a FILE*", "[lines]") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  const std::string text = "\xEF\xBB\xBF{\"a\": 1}\r\n\n{\"b\": 2}";
  REQUIRE(std::fwrite(text.data(), 1, text.size(), file) == text.size());
  std::fflush(file);
  const std::vector<Got> expected{{1, "{\"a\": 1}", false}, {3, "{\"b\": 2}", false}};

  std::rewind(file);
  CHECK(all_lines(LineReader::from_file(file)) == expected);

  REQUIRE(::lseek(fileno(file), 0, SEEK_SET) == 0);
  LineReaderOptions tiny;
  tiny.chunk_bytes = 3;
  CHECK(all_lines(LineReader::from_fd(fileno(file), tiny)) == expected);
  std::fclose(file);
}

TEST_CASE("a read error is returned", "[lines]") {
  LineReader reader = LineReader::from_fd(-1);
  Line line;
  CHECK(reader.next(line) == LineStatus::error);
  CHECK(reader.error().find("cannot read the input: ") == 0);
}
