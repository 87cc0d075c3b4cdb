// compile.h: the compiler's pipeline for one policy file, as one call:
// load (parse the file and its imports) -> check and lower -> fold. Each
// stage reports into the same Diagnostics; a stage does not run after errors.
//
// Any input is checked in bounded time and stack, with located errors past
// these limits (besides the parser's ast::kMaxNesting for one expression):
//   kMaxRuleDepth        rules and functions each needing the next
//                        (`rule a = b + 1`, `rule b = c + 1`, ...):
//                        dependency_too_deep
//   kMaxExpressionDepth  expressions nested through the rules and functions
//                        they use: dependency_too_deep
//   kMaxExpressions      expressions checked in all, counting a function's
//                        body once per call (calls are inlined) and a
//                        `highest` body once per member: expansion_too_large
// The pipeline runs on a thread of its own with kCompileStackBytes of stack,
// enough for these limits in any build (sanitizers and -O0 included).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/stdlib_sources.h"
#include "lang/diagnostics.h"
#include "lang/source.h"
#include "yibao/ir.h"

namespace yibao::compiler {

inline constexpr uint32_t kMaxRuleDepth = 100;
inline constexpr uint32_t kMaxExpressionDepth = 1000;
inline constexpr uint64_t kMaxExpressions = 1'000'000;
inline constexpr size_t kCompileStackBytes = size_t{256} << 20;

struct CompileOptions {
  std::string policy_root;  // empty: the folder above the policy's region folder
  bool fold = true;
  // The standard library modules; null: the embedded ones. For tests and
  // fuzzing of the standard library itself.
  const std::vector<StdlibSource>* stdlib = nullptr;
};

// The IR of the policy at `path`, or nothing when there were errors.
std::optional<ir::Program> compile_policy(SourceManager& sources, const std::string& path,
                                          const CompileOptions& options, Diagnostics& diagnostics);

// The same for a policy already in `sources` (read from a file, or given as
// text with SourceManager::add). Policies it extends or uses are read from
// options.policy_root, by default the folder above the file's region folder
// (its path as given to `sources`).
std::optional<ir::Program> compile_policy(SourceManager& sources, FileId file, const CompileOptions& options,
                                          Diagnostics& diagnostics);

// Every `unspecified` value a program can answer, once each, in source order.
std::vector<ir::Unspecified> list_unspecified(const ir::Program& program);

}  // namespace yibao::compiler
