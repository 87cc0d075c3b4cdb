// engine.h: what the Settler asks of an evaluation engine, so that another
// engine than the interpreter (the LLVM JIT, runtime/jit/) can answer the
// same requests. An Engine must fill the same Result, to the byte, as
// Evaluator::evaluate and give the same failing check as
// Evaluator::failing_check.
//
// Thread safety: an Engine is one thread's scratch; the factory is called
// once per Settler.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "yibao/evaluator.h"
#include "yibao/request.h"

namespace yibao {

class Engine {
 public:
  virtual ~Engine() = default;
  // As Evaluator::failing_check.
  virtual int failing_check(const Request& request) = 0;
  // As Evaluator::evaluate.
  virtual void evaluate(const Request& request, std::span<std::int64_t> ledger, Result& out) = 0;
};

// Makes one Engine (one thread's scratch) over the program a Settler serves.
using EngineFactory = std::function<std::unique_ptr<Engine>()>;

}  // namespace yibao
