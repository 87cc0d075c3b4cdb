// Reader throughput, for measuring by hand: hidden from ctest (tag [.]), and
// it reports timings without asserting any (timed unit tests are flaky; the
// project's benchmark harness owns the targets). Thread CPU time, best of
// several rounds, so that other processes disturb it less.
//   build/tests/runtime_tests "[bench]"
#include <catch2/catch.hpp>

#include <ctime>
#include <string>

#include "test_schema.h"
#include "yibao/line_reader.h"
#include "yibao/request_reader.h"
#include "tests/support/thread_clock.h"

using namespace yibao;

namespace {

using test::thread_seconds;

// Best time per line of `read` over the lines of `input`.
template <class Read>
double ns_per_line(const std::string& input, int lines_in_input, Read read) {
  double best = 1e9;
  for (int round = 0; round < 30; ++round) {
    LineReader lines = LineReader::from_memory(input);
    Line line;
    const double start = thread_seconds();
    while (lines.next(line) == LineStatus::line) read(line.text);
    best = std::min(best, thread_seconds() - start);
  }
  return best * 1e9 / lines_in_input;
}

}  // namespace

TEST_CASE("request reading throughput", "[.][bench]") {
  constexpr int kLines = 10'000;
  const std::string minimal = R"({"id": "r-2", "person": {"id": "p-9", "birth_date": "1990-01-01"}})";
  for (const bool mixed : {false, true}) {
    std::string input;
    for (int i = 0; i < kLines; ++i) {
      input += mixed && i % 4 == 3 ? minimal : std::string(test::kExampleRequest);
      input += '\n';
    }
    RequestReader fast = RequestReader::create(test::resident_schema()).value();
    RequestReader full = RequestReader::create(test::resident_schema(), RequestReaderOptions{.fast_path = false}).value();
    Request request = fast.make_request();
    int failures = 0;
    const double split = ns_per_line(input, kLines, [](std::string_view) {});
    const double with_fast = ns_per_line(input, kLines, [&](std::string_view t) { failures += !fast.read_padded(t, request); });
    const double with_full = ns_per_line(input, kLines, [&](std::string_view t) { failures += !full.read_padded(t, request); });
    REQUIRE(failures == 0);
    WARN((mixed ? "3 full example lines, 1 minimal" : "the full example line") << " (" << input.size() / kLines
                                                                              << " bytes a line on average): splitting "
                                                                              << split << " ns, + reading: fast path "
                                                                              << with_fast << " ns, On-Demand only "
                                                                              << with_full << " ns a line");
  }
}
