// codegen.h: ir::Program -> LLVM IR (codegen.cpp). The module gets two
// external functions, `yibao_sections` (SectionsFn) and `yibao_checks`
// (ChecksFn), and one internal function per rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "frame.h"
#include "yibao/ir.h"
#include "yibao/jit.h"

namespace llvm {
class Module;
}

namespace yibao::jit {

// The request fields and records the code reads: only these are copied
// into the frame per request.
struct UsedRequest {
  std::vector<std::int32_t> inputs, present, records;
};

inline constexpr const char* kSectionsName = "yibao_sections";
inline constexpr const char* kChecksName = "yibao_checks";

// Fills `module`; a message when the program cannot be compiled.
std::optional<std::string> generate(const ir::Program& program, const FrameLayout& layout, llvm::Module& module,
                                    UsedRequest& used, JitStats& stats);

}  // namespace yibao::jit
