// libFuzzer target for the parser: any bytes parse without a crash, a hang or
// a sanitizer report, and the result keeps its invariants:
//   - every diagnostic and skipped span lies inside the file;
//   - `ok` exactly when no error was reported;
//   - a file that parses cleanly round-trips: print_source -> parse gives no
//     error and the same print_ast.
// Build with -DYIBAO_FUZZ=ON (clang); run with scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lang/ast_print.h"
#include "lang/diagnostics.h"
#include "lang/diagnostics_render.h"
#include "lang/parser.h"
#include "lang/source.h"

namespace {

void require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace yibao;
  const std::string text(reinterpret_cast<const char*>(data), size);
  SourceManager sources;
  Diagnostics diagnostics(0);
  const FileId file = sources.add("fuzz.yb", text);
  const ParseResult result = parse(sources, file, diagnostics);
  require(result.file != nullptr);
  require(result.ok == (diagnostics.error_count() == 0));
  for (const auto& d : diagnostics.all()) {
    require(d.span.file == file && d.span.begin <= d.span.end && d.span.end <= size);
  }
  for (const auto& s : result.file->skipped) require(s.begin <= s.end && s.end <= size);
  (void)render_text(diagnostics, sources);

  const std::string ast = ast::print_ast(*result.file);
  if (result.ok) {
    SourceManager again_sources;
    Diagnostics again_diagnostics(0);
    const FileId again = again_sources.add("printed.yb", ast::print_source(*result.file));
    const ParseResult reparsed = parse(again_sources, again, again_diagnostics);
    require(reparsed.ok);
    require(ast::print_ast(*reparsed.file) == ast);
  }
  return 0;
}
