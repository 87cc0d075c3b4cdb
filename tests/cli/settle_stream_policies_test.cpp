// settle_stream reads each line while the line before it is settled (so
// that the line's ledger is fetched from memory meanwhile, settle.h). That
// must change nothing: for every seed policy, a stream of its sample
// requests, with people's claims adjacent and far apart, blank, malformed,
// refused and overlong lines among them, gives byte for byte the results of
// settling the same lines one at a time, in one ledger store as in the other.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/support/seed_policies.h"
#include "yibao/ledger.h"
#include "yibao/line_reader.h"
#include "yibao/settle.h"

using namespace yibao;

namespace {

constexpr LineReaderOptions kSmallLines{.max_line_bytes = 2048, .chunk_bytes = 4096};

// The requests of the policy's samples, each twice: once in order (a
// person's claims near each other), then in reverse, with lines of every
// other kind between them.
std::string stream_of(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += lines[i] + "\n";
    if (i % 17 == 3) out += "{\"id\": \"broken\", \"person\": \n";         // malformed
    if (i % 23 == 5) out += "   \n";                                      // blank: skipped, counted
    if (i % 29 == 7) out += "{\"id\": \"x\", \"nonsense\": true}\n";       // refused by the schema
    if (i % 31 == 9) out += "{\"id\": \"" + std::string(3000, 'L') + "\"}\n";  // too long
  }
  for (std::size_t i = lines.size(); i-- > 0;) out += lines[i] + "\n";
  out += "{\"id\": \"last\"";  // a last line without a line end, malformed
  return out;
}

std::string streamed(const ir::Program& program, const std::string& text) {
  LedgerStore ledgers(program.policy_id, ledger_slot_names(program));
  LineReader lines = LineReader::from_memory(text, kSmallLines);
  std::FILE* out = std::tmpfile();
  REQUIRE(out);
  REQUIRE(settle_stream(program, lines, out, ledgers).ok());
  std::fflush(out);
  std::rewind(out);
  std::string results;
  char buf[1 << 14];
  for (std::size_t n = 0; (n = std::fread(buf, 1, sizeof buf, out)) > 0;) results.append(buf, n);
  std::fclose(out);
  return results;
}

// The same lines through settle_line, one at a time.
std::string one_by_one(const ir::Program& program, const std::string& text) {
  LedgerStore ledgers(program.policy_id, ledger_slot_names(program));
  auto settler = Settler::create(program, ledgers);
  REQUIRE(settler);
  LineReader lines = LineReader::from_memory(text, kSmallLines);
  std::string results;
  Line line;
  while (lines.next(line) == LineStatus::line) {
    if (line.too_long)
      settler->refuse_line(kLineTooLong, line.number, results);
    else
      settler->settle_line(line.text, line.number, results);
  }
  return results;
}

}  // namespace

TEST_CASE("settle_stream, reading a line ahead, settles as one line at a time", "[settle]") {
  for (const test::Seed& seed : test::seed_policies()) {
    INFO(seed.id);
    const ir::Program& program = *seed.program;
    const std::string text = stream_of(seed.lines);
    const std::string expected = one_by_one(program, text);
    const std::string got = streamed(program, text);
    CHECK(std::count(got.begin(), got.end(), '\n') == std::count(expected.begin(), expected.end(), '\n'));
    CHECK(got == expected);
    CHECK(got.find("too long") != std::string::npos);
    CHECK(got.find("bad_input") != std::string::npos);
  }
}

TEST_CASE("settle_stream answers a single line, and no line at all", "[settle]") {
  const std::vector<test::Seed> seeds = test::seed_policies();
  const ir::Program& program = *seeds.front().program;
  CHECK(streamed(program, "").empty());
  const std::string one = "{\"id\": \"only\"}";
  const std::string result = streamed(program, one);
  CHECK(result == one_by_one(program, one));
  CHECK(std::count(result.begin(), result.end(), '\n') == 1);
}
