// modules.h: a policy file and everything it builds on, loaded and parsed
// once each: the standard library modules it uses (embedded in the binary),
// the policy it `extends`, and the policies it `use`s under an alias.
//
// Policy identifiers name files under the policy root: `national-2024` is
// `<root>/national/2024.yb`. The root defaults to the folder above the policy
// file's own region folder. Cycles of `extends` and `use` are reported with
// every module on the cycle.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/stdlib_sources.h"
#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/source.h"

namespace yibao::compiler {

struct LoadedModule {
  enum class Kind : uint8_t { policy, stdlib, examples };
  Kind kind = Kind::policy;
  std::string name;  // policy id (`liaoyuan-2023`) or module name (`std.resident`)
  FileId file;
  std::unique_ptr<ast::File> ast;
  int extends = -1;              // ModuleSet index of the parent policy
  std::vector<int> uses;         // stdlib modules used, in order
  struct Alias {
    std::string name;
    int module = -1;
    Span span;
  };
  std::vector<Alias> aliases;    // `use national-2024 as national`
};

struct ModuleSet {
  std::vector<LoadedModule> modules;
  int root = -1;
  std::string policy_root;  // folder holding the region folders

  const LoadedModule& module(int i) const { return modules[static_cast<size_t>(i)]; }
};

struct LoadOptions {
  std::string policy_root;  // empty: derived from the file's path
  // The standard library modules; null: the embedded ones (stdlib_sources()).
  const std::vector<StdlibSource>* stdlib = nullptr;
};

// Loads `path` and its imports. Reports into `diagnostics`; returns nothing
// when the root file cannot be read. Modules with syntax errors are kept (with
// what could be parsed) so that later stages can say more, but the caller
// should not lower a set whose diagnostics have errors.
std::optional<ModuleSet> load_modules(SourceManager& sources, const std::string& path, const LoadOptions& options,
                                      Diagnostics& diagnostics);
// The same for a root file already in `sources` (its imports are read from
// the policy root, derived from its path when not given).
ModuleSet load_modules(SourceManager& sources, FileId file, const LoadOptions& options, Diagnostics& diagnostics);

// `<root>/<region>/<year>.yb` for `region-year`; empty when the id has no year part.
std::string policy_path(const std::string& policy_root, const std::string& policy_id);

// The policy root for a policy file: the folder above its region folder.
std::string default_policy_root(const std::string& policy_file);

}  // namespace yibao::compiler
