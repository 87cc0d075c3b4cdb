// libFuzzer target for the checker: the input is the text of a policy file
// (policies/fuzz/2024.yb, so `use std.resident`, `extends national-2024`
// and `use national-2024 as n` reach the stdlib and the repository's
// policies). It goes through parse -> check -> lower -> fold, from memory,
// without a crash, a hang, a stack overflow or a sanitizer report, and:
//   - a program comes back exactly when no error was reported;
//   - every diagnostic, label and located note lies inside a file;
//   - a program prints as IR, and settles a few requests without a crash.
// Build with -DYIBAO_FUZZ=ON (clang); run with scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/compile.h"
#include "compiler/ir_print.h"
#include "lang/diagnostics.h"
#include "lang/diagnostics_render.h"
#include "lang/source.h"
#include "yibao/ledger.h"
#include "yibao/line_reader.h"
#include "yibao/settle.h"

namespace {

void require(bool condition) {
  if (!condition) __builtin_trap();
}

bool located(const yibao::SourceManager& sources, yibao::Span span) {
  return sources.contains(span.file) && span.begin <= span.end && span.end <= sources.text(span.file).size();
}

// Requests of several kinds and dates, one of them not even JSON.
const char* const kRequests[] = {
    R"({"id": "r1", "person": {"id": "p1", "birth_date": "1980-05-05", "tier": 1, "hukou": "local", "categories": ["dibao", "tekun"]}, "enrollment": {"paid_on": "2023-10-10"}, "claim": {"kind": "inpatient", "date": "2024-03-05", "hospital_level": 2, "total": 12000, "compliant": 10000, "class_b": 500}})",
    R"({"id": "r2", "person": {"id": "p1", "birth_date": "2020-02-29", "tier": 2, "hukou": "other", "student": true}, "enrollment": {"paid_on": "2024-02-10", "continuing": true}, "claim": {"kind": "outpatient", "date": "2024-12-31", "hospital_level": 1, "total": 300.5, "compliant": 200.25}})",
    R"({"id": "r3", "person": {"id": "p2", "birth_date": "1950-01-01"}, "claim": {"kind": "delivery_cesarean", "date": "2023-06-01", "total": 99999999.99, "compliant": 99999999.99}})",
    R"(not json)",
};

void settle_some(const yibao::ir::Program& program) {
  yibao::LedgerStore ledgers(program.policy_id, yibao::ledger_slot_names(program));
  auto settler = yibao::Settler::create(program, ledgers);
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
  SourceManager sources;
  Diagnostics diagnostics(0);
  const FileId file = sources.add("policies/fuzz/2024.yb", std::string(reinterpret_cast<const char*>(data), size));
  compiler::CompileOptions options;
  options.policy_root = YIBAO_SOURCE_DIR "/policies";
  const auto program = compiler::compile_policy(sources, file, options, diagnostics);
  require(program.has_value() == !diagnostics.has_errors());
  for (const auto& d : diagnostics.all()) {
    require(located(sources, d.span));
    for (const auto& l : d.labels) require(located(sources, l.span));
    for (const auto& n : d.notes) require(!n.span.has_location() || located(sources, n.span));
  }
  (void)render_text(diagnostics, sources);
  if (program) {
    require(!compiler::print_program(*program).empty());
    settle_some(*program);
  }
  return 0;
}
