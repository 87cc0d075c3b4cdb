// libFuzzer target for the request reader (runtime/include/yibao/
// request_reader.h): any bytes as one request line of the resident schema,
// read twice, by the reader with its fast path and by the full decoder
// alone. Neither may crash, hang or trip a sanitizer, and both must give the
// same outcome: accepted or refused, the message, the recovered id, and
// every field's presence, value and text and every record's presence (the
// property tests/runtime/request_fast_path_test.cpp checks on mutated
// lines, here with coverage guidance). A second line follows on the same
// Request objects, so nothing of a refused or accepted line may leak into
// the next. Seeds: the seed policies' example requests (scripts/fuzz).
// Build with -DYIBAO_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tests/runtime/test_schema.h"
#include "yibao/request_reader.h"

namespace {

using namespace yibao;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

struct Outcome {
  bool ok = false;
  std::string error;
  std::optional<std::string> id;
  std::string fields;  // presence, given, value and text of every field, and the records
};

Outcome read_with(RequestReader& reader, Request& request, std::string_view line) {
  Outcome o;
  o.ok = reader.read(line, request);
  if (!o.ok) {
    o.error = std::string(reader.error());
    if (const auto id = reader.id()) o.id = std::string(*id);
    require(!o.error.empty());
    return o;
  }
  for (std::size_t f = 0; f < request.field_count(); ++f) {
    const int i = static_cast<int>(f);
    require(request.has(i) || request.value(i) == 0);  // absent slots hold 0 (jit.md)
    o.fields += std::to_string(request.has(i)) + std::to_string(request.given(i)) + " " +
                std::to_string(request.value(i)) + " " + std::string(request.text(i)) + "\n";
  }
  for (std::size_t r = 0; r < request.record_count(); ++r) o.fields += request.has_record(static_cast<int>(r)) ? 'R' : 'r';
  return o;
}

struct Readers {
  RequestReader fast = RequestReader::create(test::resident_schema()).value();
  RequestReader full = RequestReader::create(test::resident_schema(), RequestReaderOptions{.fast_path = false}).value();
  Request fast_request = fast.make_request();
  Request full_request = full.make_request();

  void same(std::string_view line) {
    const Outcome a = read_with(fast, fast_request, line);
    const Outcome b = read_with(full, full_request, line);
    require(a.ok == b.ok);
    require(a.error == b.error);
    require(a.id == b.id);
    require(a.fields == b.fields);
  }
};

constexpr std::string_view kFollower =
    R"({"id": "next", "person": {"birth_date": "2000-01-01"}, "claim": {"kind": "inpatient", "date": "2024-01-01", "hospital_level": 2, "total": 1}})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Readers readers;  // reused across inputs, as a Settler reuses its reader
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  readers.same(line);
  readers.same(kFollower);
  return 0;
}
