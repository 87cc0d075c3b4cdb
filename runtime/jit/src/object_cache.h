// object_cache.h (jit): compiled code kept on disk between runs, so that a
// policy compiled once is not compiled again (JitOptions::cache_dir,
// docs/jit.md "The object cache").
//
// An entry is the object file LLVM made from one module, under a key that
// hashes everything the object depends on: the module's text, LLVM's
// version, the target (triple, CPU, features) and the code generation
// level; and what turns the module into the object, the optimiser. When the
// build ids of the code that runs the optimiser (yibao's and LLVM's, read
// from the loaded ELF files) are known, they stand for it and the key takes
// the module as generated, so that a hit skips the optimiser as well as
// the code generator. Else the key takes the module after optimisation
// (which therefore runs before every lookup). The generated code names no
// address of the process (helpers are called by name, frame.h), so an
// object is valid in any process on the same machine and LLVM.
//
// Entries are written whole or not at all (a temporary file, then a
// rename), and each ends with a SHA-256 of its object, checked on loading:
// a damaged or truncated entry is a miss, never code run. The directory is
// created readable by its owner alone; whoever can write into it can make
// the process run their code, as with any directory of programs.
#pragma once

#include <memory>
#include <string>

#include <llvm/IR/Module.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Target/TargetMachine.h>

namespace yibao::jit {

// The build ids of the code that optimises a module (the object holding
// this function, and LLVM's library), as hex digits; empty when either
// has none (then a key must take the optimised module). Read once.
const std::string& optimiser_identity();

// The key of `module` compiled by `machine` at `level`: 64 hex digits.
// `optimiser` is optimiser_identity() for a module not yet optimised, or
// empty for a module after optimisation.
std::string object_cache_key(const llvm::Module& module, const llvm::TargetMachine& machine, int level,
                             const std::string& optimiser);

// The object stored under `key` in `dir`, or null when there is none or it
// is damaged.
std::unique_ptr<llvm::MemoryBuffer> load_cached_object(const std::string& dir, const std::string& key);

// Stores `object` under `key` in `dir`, creating `dir` if need be. Returns
// an error message, or "" when stored.
std::string store_cached_object(const std::string& dir, const std::string& key, llvm::MemoryBufferRef object);

}  // namespace yibao::jit
