// The pipeline: load -> lower -> fold.
#include "compiler/compile.h"

#include <algorithm>
#include <tuple>

#include "compiler/fold.h"
#include "compiler/lowerer.h"
#include "compiler/modules.h"

namespace yibao::compiler {

std::optional<ir::Program> compile_policy(SourceManager& sources, const std::string& path,
                                          const CompileOptions& options, Diagnostics& diagnostics) {
  const auto modules = load_modules(sources, path, LoadOptions{options.policy_root}, diagnostics);
  if (!modules || diagnostics.has_errors()) return std::nullopt;
  auto program = Lowerer(*modules, sources, diagnostics).run();
  if (!program) return std::nullopt;
  if (options.fold) fold_constants(*program);
  return program;
}

std::vector<ir::Unspecified> list_unspecified(const ir::Program& program) {
  std::vector<ir::Unspecified> out;
  for (const auto& u : program.unspecifieds) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const ir::Unspecified& o) {
      return o.name == u.name && o.words == u.words && o.loc.file == u.loc.file && o.loc.line == u.loc.line;
    });
    if (!seen) out.push_back(u);
  }
  std::stable_sort(out.begin(), out.end(), [&](const ir::Unspecified& a, const ir::Unspecified& b) {
    return std::tie(a.loc.file, a.loc.line) < std::tie(b.loc.file, b.loc.line);
  });
  return out;
}

}  // namespace yibao::compiler
