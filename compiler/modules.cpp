// Loading a policy and its imports: a depth-first walk that parses each file
// once, resolving `extends`, `use std.x` and `use policy as alias`.
#include "compiler/modules.h"

#include <filesystem>
#include <map>

#include "compiler/stdlib_sources.h"
#include "lang/parser.h"

namespace yibao::compiler {
namespace {

namespace fs = std::filesystem;

class Loader {
 public:
  Loader(SourceManager& sources, Diagnostics& diagnostics, ModuleSet& set, const std::vector<StdlibSource>* stdlib)
      : sources_(sources), diagnostics_(diagnostics), set_(set), stdlib_(stdlib ? *stdlib : stdlib_sources()) {}

  // Loads a policy file (or the root file of any kind); returns its index.
  std::optional<int> load_file(const std::string& path, Span requested_at) {
    const auto file = load_source(sources_, path, diagnostics_, requested_at);
    if (!file) return std::nullopt;
    return add(*file, LoadedModule::Kind::policy);
  }

  int add(FileId file, LoadedModule::Kind kind) {
    ParseResult parsed = parse(sources_, file, diagnostics_);
    LoadedModule m;
    m.kind = kind;
    m.file = file;
    m.ast = std::move(parsed.file);
    if (m.ast->policy) m.name = m.ast->policy->id.text;
    if (m.ast->module) m.name = m.ast->module->name.dotted();
    if (m.ast->examples) m.kind = LoadedModule::Kind::examples;
    set_.modules.push_back(std::move(m));
    const int index = static_cast<int>(set_.modules.size()) - 1;
    if (!set_.modules.back().name.empty()) by_name_[set_.modules.back().name] = index;
    return index;
  }

  // Resolves the imports of module `index`, loading what is missing.
  void resolve(int index) {
    state_[index] = State::visiting;
    stack_.push_back(index);
    // Copy what we need: `set_.modules` may grow while we walk.
    const ast::File* file = set_.modules[static_cast<size_t>(index)].ast.get();
    if (file->policy) {
      if (const ast::HeaderField* ext = file->policy->find(ast::HeaderField::Kind::extends))
        set_.modules[static_cast<size_t>(index)].extends = import_policy(ext->policy.text, ext->policy.span);
    }
    if (file->examples) {
      set_.modules[static_cast<size_t>(index)].extends = import_policy(file->examples->policy.text, file->examples->policy.span);
    }
    for (const auto& item : file->items) {
      const auto* use = ast::dyn_cast<ast::Use>(item.get());
      if (!use) continue;
      if (use->target == ast::Use::Target::module) {
        const int m = import_stdlib(use->name);
        if (m >= 0) set_.modules[static_cast<size_t>(index)].uses.push_back(m);
      } else {
        const int m = import_policy(use->name.parts.front().text, use->name.span);
        if (m >= 0 && use->alias)
          set_.modules[static_cast<size_t>(index)].aliases.push_back({use->alias->text, m, use->alias->span});
      }
    }
    stack_.pop_back();
    state_[index] = State::done;
  }

 private:
  enum class State { visiting, done };

  int import_policy(const std::string& id, Span at) {
    auto found = by_name_.find(id);
    int index = -1;
    if (found != by_name_.end()) {
      index = found->second;
    } else {
      const std::string path = policy_path(set_.policy_root, id);
      if (path.empty()) {
        diagnostics_.report(DiagnosticCode::unknown_module, at, "`{}` is not a policy identifier", id)
            .help("a policy identifier is `region-year`, e.g. `national-2024`");
        return -1;
      }
      if (!fs::exists(path)) {
        diagnostics_.report(DiagnosticCode::unknown_module, at, "no policy `{}`", id)
            .label(fmt::format("looked for `{}`", path))
            .note(fmt::format("policies are found under the policy root `{}`", set_.policy_root));
        return -1;
      }
      const auto loaded = load_file(path, at);
      if (!loaded) return -1;
      index = *loaded;
      by_name_[id] = index;
      if (set_.modules[static_cast<size_t>(index)].name != id) {
        diagnostics_.report(DiagnosticCode::bad_header, at, "`{}` declares the policy `{}`", path,
                            set_.modules[static_cast<size_t>(index)].name)
            .help(fmt::format("the header of `{}` should read `policy {} ...`", path, id));
      }
    }
    return follow(index, at);
  }

  int import_stdlib(const ast::Path& name) {
    const std::string dotted = name.dotted();
    auto found = by_name_.find(dotted);
    int index = -1;
    if (found != by_name_.end()) {
      index = found->second;
    } else {
      const StdlibSource* source = nullptr;
      for (const auto& s : stdlib_)
        if (s.module == dotted) source = &s;
      if (!source) {
        auto d = diagnostics_.report(DiagnosticCode::unknown_module, name.span, "no module `{}`", dotted);
        d.help("the standard library has `std.resident`");
        return -1;
      }
      const FileId file = sources_.add(std::string(source->path), std::string(source->text));
      index = add(file, LoadedModule::Kind::stdlib);
      by_name_[dotted] = index;
    }
    return follow(index, name.span);
  }

  // Visits an imported module, reporting a cycle if it is on the current path.
  int follow(int index, Span at) {
    auto st = state_.find(index);
    if (st == state_.end()) {
      resolve(index);
      return index;
    }
    if (st->second == State::visiting) {
      std::string chain;
      bool on = false;
      for (int m : stack_) {
        if (m == index) on = true;
        if (on) chain += set_.modules[static_cast<size_t>(m)].name + " -> ";
      }
      chain += set_.modules[static_cast<size_t>(index)].name;
      diagnostics_.report(DiagnosticCode::import_cycle, at, "cycle of `extends`/`use`: {}", chain)
          .help("a policy cannot build on itself, directly or through others");
      return -1;
    }
    return index;
  }

  SourceManager& sources_;
  Diagnostics& diagnostics_;
  ModuleSet& set_;
  const std::vector<StdlibSource>& stdlib_;
  std::map<std::string, int> by_name_;
  std::map<int, State> state_;
  std::vector<int> stack_;
};

}  // namespace

std::string policy_path(const std::string& policy_root, const std::string& policy_id) {
  const auto dash = policy_id.rfind('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == policy_id.size()) return {};
  return (fs::path(policy_root) / policy_id.substr(0, dash) / (policy_id.substr(dash + 1) + ".yb")).string();
}

std::string default_policy_root(const std::string& policy_file) {
  fs::path p = fs::path(policy_file).parent_path().parent_path();
  return p.empty() ? std::string(".") : p.string();
}

std::optional<ModuleSet> load_modules(SourceManager& sources, const std::string& path, const LoadOptions& options,
                                      Diagnostics& diagnostics) {
  const auto file = load_source(sources, path, diagnostics);
  if (!file) return std::nullopt;
  LoadOptions with_root = options;
  if (with_root.policy_root.empty()) with_root.policy_root = default_policy_root(path);
  return load_modules(sources, *file, with_root, diagnostics);
}

ModuleSet load_modules(SourceManager& sources, FileId file, const LoadOptions& options, Diagnostics& diagnostics) {
  ModuleSet set;
  set.policy_root =
      options.policy_root.empty() ? default_policy_root(std::string(sources.path(file))) : options.policy_root;
  Loader loader(sources, diagnostics, set, options.stdlib);
  set.root = loader.add(file, LoadedModule::Kind::policy);
  loader.resolve(set.root);
  return set;
}

}  // namespace yibao::compiler
