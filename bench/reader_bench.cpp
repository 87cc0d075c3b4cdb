// reader_bench: the request reader alone, in nanoseconds a line, on a
// policy's schema and a file of its requests (docs/performance.md, "The
// reader"). Each line is read from memory, padded as `yibao eval` pads it,
// by the reader with its fast path and by the full decoder alone; the
// figure is the best of several rounds of thread CPU time, so that other
// processes disturb it less. A benchmark: it asserts nothing.
//
//   reader_bench POLICY.yb REQUESTS.jsonl [ROUNDS]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "tests/support/thread_clock.h"
#include "yibao/line_reader.h"
#include "yibao/request_reader.h"

using namespace yibao;
using test::thread_seconds;

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Best ns a line of reading every line with `reader`; counts the lines read.
double ns_per_line(RequestReader& reader, const std::vector<std::string>& padded, int rounds, long& accepted) {
  Request request = reader.make_request();
  double best = 1e30;
  for (int r = 0; r < rounds; ++r) {
    accepted = 0;
    const double start = thread_seconds();
    for (const std::string& line : padded)
      accepted += reader.read_padded(std::string_view(line.data(), line.size() - kReadPadding), request) ? 1 : 0;
    best = std::min(best, thread_seconds() - start);
  }
  return best * 1e9 / static_cast<double>(padded.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: reader_bench POLICY.yb REQUESTS.jsonl [ROUNDS]\n");
    return 2;
  }
  const int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 20;
  SourceManager sources;
  Diagnostics diagnostics(0);
  const FileId file = sources.add(argv[1], read_file(argv[1]));
  auto program = compiler::compile_policy(sources, file, compiler::CompileOptions{}, diagnostics);
  if (!program) {
    std::fprintf(stderr, "%s: does not compile (yibao check says why)\n", argv[1]);
    return 1;
  }
  std::vector<std::string> padded;
  std::istringstream in(read_file(argv[2]));
  std::size_t bytes = 0;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // as LineReader drops it
    bytes += line.size();
    // As LineReader gives lines: a zero byte after each, then readable
    // bytes (so the fast path reads them in place, as in `yibao eval`).
    padded.push_back(line + '\0' + std::string(kReadPadding - 1, ' '));
  }
  if (padded.empty()) {
    std::fprintf(stderr, "%s: no lines\n", argv[2]);
    return 1;
  }
  auto fast = RequestReader::create(program->schema);
  auto full = RequestReader::create(program->schema, RequestReaderOptions{.fast_path = false});
  if (!fast || !full) {
    std::fprintf(stderr, "the policy's schema is invalid\n");
    return 1;
  }
  long fast_ok = 0;
  long full_ok = 0;
  const double with_fast = ns_per_line(*fast, padded, rounds, fast_ok);
  const double with_full = ns_per_line(*full, padded, rounds, full_ok);
  std::printf("%zu lines, %.0f bytes a line, best of %d rounds\n", padded.size(),
              static_cast<double>(bytes) / static_cast<double>(padded.size()), rounds);
  std::printf("fast path (then the full decoder for what it declines): %7.1f ns a line, %ld read\n", with_fast, fast_ok);
  std::printf("full decoder (simdjson On-Demand) alone:                  %7.1f ns a line, %ld read\n", with_full, full_ok);
  return 0;
}
