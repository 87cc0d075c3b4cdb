// Reader throughput, for measuring by hand: hidden from ctest (tag [.]), and
// it reports timings without asserting any (timed unit tests are flaky; the
// project's benchmark harness owns the targets).
//   build/tests/runtime_tests "[bench]"
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "test_schema.h"
#include "yibao/line_reader.h"
#include "yibao/request_reader.h"

using namespace yibao;

TEST_CASE("request reading throughput", "[.][bench]") {
  constexpr int kLines = 1'000'000;
  std::string input;
  const std::string minimal = R"({"id": "r-2", "person": {"id": "p-9", "birth_date": "1990-01-01"}})";
  for (int i = 0; i < kLines; ++i) {
    input += i % 4 == 3 ? minimal : std::string(test::kExampleRequest);
    input += '\n';
  }
  RequestReader reader = RequestReader::create(test::resident_schema()).value();
  Request request = reader.make_request();

  for (int round = 0; round < 3; ++round) {
    LineReader lines = LineReader::from_memory(input);
    Line line;
    std::int64_t checksum = 0;
    int read = 0;
    const auto start = std::chrono::steady_clock::now();
    while (lines.next(line) == LineStatus::line) {
      if (reader.read_padded(line.text, request)) {
        checksum += request.value(2);
        ++read;
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(read == kLines);
    WARN("read " << read << " lines (" << input.size() / kLines << " bytes each on average) in " << seconds
                 << " s: " << seconds * 1e9 / read << " ns/line, " << read / seconds / 1e6 << " M lines/s, "
                 << static_cast<double>(input.size()) / seconds / 1e6 << " MB/s (checksum " << checksum << ")");
  }
}
