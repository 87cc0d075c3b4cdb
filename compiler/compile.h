// compile.h: the compiler's pipeline for one policy file, as one call:
// load (parse the file and its imports) -> check and lower -> fold. Each
// stage reports into the same Diagnostics; a stage does not run after errors.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lang/diagnostics.h"
#include "lang/source.h"
#include "yibao/ir.h"

namespace yibao::compiler {

struct CompileOptions {
  std::string policy_root;  // empty: the folder above the policy's region folder
  bool fold = true;
};

// The IR of the policy at `path`, or nothing when there were errors.
std::optional<ir::Program> compile_policy(SourceManager& sources, const std::string& path,
                                          const CompileOptions& options, Diagnostics& diagnostics);

// Every `unspecified` value a program can answer, once each, in source order.
std::vector<ir::Unspecified> list_unspecified(const ir::Program& program);

}  // namespace yibao::compiler
