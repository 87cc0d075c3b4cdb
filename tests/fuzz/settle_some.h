// Shared by the fuzz targets that end with a program (fuzz_check: from a
// policy text; fuzz_load: from rule-set bytes): a few requests of several
// kinds and dates, one of them not even JSON, settled against it. Any
// program that loads must answer each with exactly one line, and the same
// lines through settle_stream (which reads a line ahead of the one it
// settles) must give the same bytes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "yibao/ir.h"
#include "yibao/ledger.h"
#include "yibao/line_reader.h"
#include "yibao/settle.h"

namespace yibao::fuzz {

inline void require(bool condition) {
  if (!condition) __builtin_trap();
}

inline constexpr const char* kRequests[] = {
    R"({"id": "r1", "person": {"id": "p1", "birth_date": "1980-05-05", "tier": 1, "hukou": "local", "categories": ["dibao", "tekun"]}, "enrollment": {"paid_on": "2023-10-10"}, "claim": {"kind": "inpatient", "date": "2024-03-05", "hospital_level": 2, "total": 12000, "compliant": 10000, "class_b": 500}})",
    R"({"id": "r2", "person": {"id": "p1", "birth_date": "2020-02-29", "tier": 2, "hukou": "other", "student": true}, "enrollment": {"paid_on": "2024-02-10", "continuing": true}, "claim": {"kind": "outpatient", "date": "2024-12-31", "hospital_level": 1, "total": 300.5, "compliant": 200.25}})",
    R"({"id": "r3", "person": {"id": "p2", "birth_date": "1950-01-01"}, "claim": {"kind": "delivery_cesarean", "date": "2023-06-01", "total": 99999999.99, "compliant": 99999999.99}})",
    R"(not json)",
};

// Settles kRequests (with explain traces when asked), ledgers carried from
// one to the next; traps unless each gives one line.
inline void settle_some(const ir::Program& program, bool explain) {
  LedgerStore ledgers(program.policy_id, ledger_slot_names(program));
  SettleOptions options;
  options.explain = explain;
  auto settler = Settler::create(program, ledgers, options);
  if (!settler) return;
  std::uint64_t n = 0;
  std::string all;
  std::string stream;
  for (const char* request : kRequests) {
    const std::string line = request;
    const std::string padded = line + std::string(kReadPadding, ' ');
    std::string out;
    settler->settle_line(std::string_view(padded.data(), line.size()), ++n, out);
    require(!out.empty() && out.back() == '\n');
    all += out;
    stream += line + "\n";
  }
  LedgerStore streamed_ledgers(program.policy_id, ledger_slot_names(program));
  LineReader lines = LineReader::from_memory(stream);
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  require(out != nullptr);
  const bool ok = settle_stream(program, lines, out, streamed_ledgers, options).ok();
  std::fclose(out);
  const std::string streamed(buffer, size);
  std::free(buffer);
  require(ok && streamed == all);
}

}  // namespace yibao::fuzz
