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
#include "settle_some.h"

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
    fuzz::require(!program.error().empty());
    return 0;
  }
  fuzz::require(validate_program(*program).ok());
  for (const bool debug : {false, true}) {
    const auto written = write_rule_set(*program, {.debug_info = debug});
    const auto again = read_rule_set(written);
    fuzz::require(again.has_value());
    fuzz::require(write_rule_set(*again, {.debug_info = debug}) == written);
  }
  fuzz::settle_some(*program, /*explain=*/true);
  return 0;
}
