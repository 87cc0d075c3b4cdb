// The pipeline: load -> lower -> fold.
#include "compiler/compile.h"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <tuple>

#include "compiler/fold.h"
#include "compiler/lowerer.h"
#include "compiler/modules.h"

namespace yibao::compiler {
namespace {

// Runs `work` on a thread with `stack_bytes` of stack (reserved, touched only
// as deep as the work goes), and rethrows what it throws. Runs it on this
// thread if no thread can be started.
void run_with_stack(size_t stack_bytes, const std::function<void()>& work) {
  struct Task {
    const std::function<void()>* work;
    std::exception_ptr error;
  } task{&work, nullptr};
  auto body = [](void* arg) -> void* {
    auto* t = static_cast<Task*>(arg);
    try {
      (*t->work)();
    } catch (...) {
      t->error = std::current_exception();
    }
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_t thread;
  bool started = false;
  if (pthread_attr_init(&attr) == 0) {
    if (pthread_attr_setstacksize(&attr, stack_bytes) == 0) started = pthread_create(&thread, &attr, body, &task) == 0;
    pthread_attr_destroy(&attr);
  }
  if (!started) {
    work();
    return;
  }
  pthread_join(thread, nullptr);
  if (task.error) std::rethrow_exception(task.error);
}

// Check, lower and fold a loaded policy.
std::optional<ir::Program> lower_and_fold(const ModuleSet& modules, SourceManager& sources,
                                          const CompileOptions& options, Diagnostics& diagnostics) {
  if (diagnostics.has_errors()) return std::nullopt;
  auto program = Lowerer(modules, sources, diagnostics).run();
  if (!program) return std::nullopt;
  if (options.fold) fold_constants(*program);
  return program;
}

}  // namespace

std::optional<ir::Program> compile_policy(SourceManager& sources, const std::string& path,
                                          const CompileOptions& options, Diagnostics& diagnostics) {
  std::optional<ir::Program> program;
  run_with_stack(kCompileStackBytes, [&] {
    const auto modules = load_modules(sources, path, LoadOptions{options.policy_root, options.stdlib}, diagnostics);
    if (modules) program = lower_and_fold(*modules, sources, options, diagnostics);
  });
  return program;
}

std::optional<ir::Program> compile_policy(SourceManager& sources, FileId file, const CompileOptions& options,
                                          Diagnostics& diagnostics) {
  std::optional<ir::Program> program;
  run_with_stack(kCompileStackBytes, [&] {
    const ModuleSet modules = load_modules(sources, file, LoadOptions{options.policy_root, options.stdlib}, diagnostics);
    program = lower_and_fold(modules, sources, options, diagnostics);
  });
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
