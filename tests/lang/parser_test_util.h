// Helpers shared by the parser tests: parse a string or a file of the
// repository, render what was reported.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "lang/ast.h"
#include "lang/ast_print.h"
#include "lang/diagnostics.h"
#include "lang/diagnostics_render.h"
#include "lang/parser.h"
#include "lang/source.h"

namespace yibao::test {

// The repository root, from the build (tests/CMakeLists.txt).
inline std::string source_dir() { return YIBAO_SOURCE_DIR; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A parse with everything it needs kept alive.
struct Parsed {
  SourceManager sources;
  Diagnostics diagnostics{0};  // no error limit: tests see everything
  FileId file;
  ParseResult result;

  [[nodiscard]] const ast::File& ast() const { return *result.file; }
  [[nodiscard]] std::string ast_text() const { return ast::print_ast(*result.file); }
  [[nodiscard]] std::string errors() const { return render_text(diagnostics, sources); }
  [[nodiscard]] size_t error_count() const { return diagnostics.error_count(); }
};

inline std::unique_ptr<Parsed> parse_text(std::string text, std::string path = "test.yb") {
  auto p = std::make_unique<Parsed>();
  p->file = p->sources.add(std::move(path), std::move(text));
  p->result = parse(p->sources, p->file, p->diagnostics);
  return p;
}

// `module t` and then `body`: for snippets of declarations.
inline std::unique_ptr<Parsed> parse_items(const std::string& body) { return parse_text("module t\n" + body); }

// One-line compact form of a diagnostic: "line:col: E0001 message".
inline std::string brief(const Parsed& p, const Diagnostic& d) {
  const LineCol lc = p.sources.line_col(d.span.file, d.span.begin);
  return std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": " + std::string(code_string(d.code)) + " " +
         d.message;
}

}  // namespace yibao::test
