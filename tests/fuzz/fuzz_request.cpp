// libFuzzer target for the request reader (runtime/include/yibao/
// request_reader.h): any bytes as one request line of the resident schema,
// read three times: by the reader with its fast path, on a copy of the
// line and in place (a zero byte after it, as LineReader gives lines), and
// by the full decoder alone. Neither may crash, hang or trip a sanitizer, and both must give the
// same outcome: accepted or refused, the message, the recovered id, and
// every field's presence, value and text and every record's presence (the
// property tests/runtime/request_fast_path_test.cpp checks on mutated
// lines, here with coverage guidance). A second line follows on the same
// Request objects, so nothing of a refused or accepted line may leak into
// the next. Seeds: the seed policies' example requests (scripts/fuzz).
// Build with -DYIBAO_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/runtime/test_schema.h"
#include "tests/support/reader_pair.h"

namespace {

using namespace yibao;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

// Traps unless the fast path and the full decoder agree on `line`, and
// every absent field of an accepted line holds 0 (jit.md reads slots
// without presence tests).
void same(test::ReaderPair& readers, std::string_view line) {
  const auto [fast, in_place, full] = readers.read(line);
  require(fast == full);
  require(in_place == full);
  require(fast.ok || !fast.error.empty());
  if (!fast.ok) return;
  for (const Request* r : {&readers.fast_request, &readers.in_place_request}) {
    for (std::size_t f = 0; f < r->field_count(); ++f) require(r->has(static_cast<int>(f)) || r->slots()[f] == 0);
  }
}

constexpr std::string_view kFollower =
    R"({"id": "next", "person": {"birth_date": "2000-01-01"}, "claim": {"kind": "inpatient", "date": "2024-01-01", "hospital_level": 2, "total": 1}})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static test::ReaderPair readers{test::resident_schema()};  // reused across inputs, as a Settler reuses its reader
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  same(readers, line);
  same(readers, kFollower);
  return 0;
}
