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
#include "settle_some.h"

namespace {

bool located(const yibao::SourceManager& sources, yibao::Span span) {
  return sources.contains(span.file) && span.begin <= span.end && span.end <= sources.text(span.file).size();
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
  fuzz::require(program.has_value() == !diagnostics.has_errors());
  for (const auto& d : diagnostics.all()) {
    fuzz::require(located(sources, d.span));
    for (const auto& l : d.labels) fuzz::require(located(sources, l.span));
    for (const auto& n : d.notes) fuzz::require(!n.span.has_location() || located(sources, n.span));
  }
  (void)render_text(diagnostics, sources);
  if (program) {
    fuzz::require(!compiler::print_program(*program).empty());
    fuzz::settle_some(*program, /*explain=*/false);
  }
  return 0;
}
