// object_cache.h (jit): compiled code kept on disk between runs, so that a
// policy compiled once is not compiled again (JitOptions::cache_dir,
// docs/jit.md "The object cache").
//
// An entry is the object file LLVM made from one optimised module, under a
// key that hashes everything the object depends on: the module's text
// after optimisation, LLVM's version, the target (triple, CPU, features)
// and the code generation level. The generated code names no address of
// the process (helpers are called by name, frame.h), so an object is valid
// in any process on the same machine and LLVM.
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

// The key of `module` (optimised) compiled by `machine` at `level`: 64 hex digits.
std::string object_cache_key(const llvm::Module& module, const llvm::TargetMachine& machine, int level);

// The object stored under `key` in `dir`, or null when there is none or it
// is damaged.
std::unique_ptr<llvm::MemoryBuffer> load_cached_object(const std::string& dir, const std::string& key);

// Stores `object` under `key` in `dir`, creating `dir` if need be. Returns
// an error message, or "" when stored.
std::string store_cached_object(const std::string& dir, const std::string& key, llvm::MemoryBufferRef object);

}  // namespace yibao::jit
