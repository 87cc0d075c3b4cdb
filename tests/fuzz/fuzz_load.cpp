// libFuzzer target for the rule-set loader (runtime/include/yibao/
// rule_set_file.h): any bytes through read_rule_set, without a crash, a
// hang, a large allocation or a sanitizer report, and when they load:
//   - the program passes validate_program;
//   - writing it and reading that back gives a program that writes the
//     same bytes again (the encoding is canonical);
//   - it settles a few requests, with explain traces, without a crash.
// The checksum would stop nearly every mutation at the door, so the target
// first recomputes it (when the input is long enough to have one): the
// fuzzer then explores the decoder and the validator themselves (the
// checksum check is covered by tests/runtime/rule_set_test.cpp). Seeds: the
// seed policies compiled, with and without debug info (scripts/fuzz does
// it). Build with -DYIBAO_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/src/rule_set_format.h"
#include "yibao/ledger.h"
#include "yibao/line_reader.h"
#include "yibao/rule_set_file.h"
#include "yibao/settle.h"

namespace {

void require(bool condition) {
  if (!condition) __builtin_trap();
}

// Requests of several kinds, one of them not even JSON.
const char* const kRequests[] = {
    R"({"id": "r1", "person": {"id": "p1", "birth_date": "1980-05-05", "tier": 1, "hukou": "local", "categories": ["dibao", "tekun"]}, "enrollment": {"paid_on": "2023-10-10"}, "claim": {"kind": "inpatient", "date": "2024-03-05", "hospital_level": 2, "total": 12000, "compliant": 10000, "class_b": 500}})",
    R"({"id": "r2", "person": {"id": "p1", "birth_date": "2020-02-29", "tier": 2, "hukou": "other", "student": true}, "enrollment": {"paid_on": "2024-02-10", "continuing": true}, "claim": {"kind": "outpatient", "date": "2024-12-31", "hospital_level": 1, "total": 300.5, "compliant": 200.25}})",
    R"({"id": "r3", "person": {"id": "p2", "birth_date": "1950-01-01"}, "claim": {"kind": "delivery_cesarean", "date": "2023-06-01", "total": 99999999.99, "compliant": 99999999.99}})",
    R"(not json)",
};

void settle_some(const yibao::ir::Program& program) {
  yibao::LedgerStore ledgers(program.policy_id, yibao::ledger_slot_names(program));
  yibao::SettleOptions options;
  options.explain = true;
  auto settler = yibao::Settler::create(program, ledgers, options);
  if (!settler) return;
  uint64_t n = 0;
  for (const char* request : kRequests) {
    const std::string line = request;
    const std::string padded = line + std::string(yibao::kReadPadding, ' ');
    std::string out;
    settler->settle_line(std::string_view(padded.data(), line.size()), ++n, out);
    require(!out.empty() && out.back() == '\n');
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace yibao;
  std::vector<std::uint8_t> bytes(data, data + size);
  if (bytes.size() >= rule_set::kHeaderSize + rule_set::kChecksumSize) {
    const std::size_t body = bytes.size() - rule_set::kChecksumSize;
    const std::uint32_t crc = rule_set::crc32c(std::span(bytes).first(body));
    std::memcpy(bytes.data() + body, &crc, sizeof crc);
  }
  const auto program = read_rule_set(bytes);
  if (!program) {
    require(!program.error().empty());
    return 0;
  }
  require(validate_program(*program).ok());
  for (const bool debug : {false, true}) {
    const auto written = write_rule_set(*program, {.debug_info = debug});
    const auto again = read_rule_set(written);
    require(again.has_value());
    require(write_rule_set(*again, {.debug_info = debug}) == written);
  }
  settle_some(*program);
  return 0;
}
