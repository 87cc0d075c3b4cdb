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

inline constexpr const char* kSectionsName = "yibao_sections";
inline constexpr const char* kChecksName = "yibao_checks";

// Fills `module`; a message when the program cannot be compiled.
std::optional<std::string> generate(const ir::Program& program, const FrameLayout& layout, llvm::Module& module,
                                    JitStats& stats);

}  // namespace yibao::jit
