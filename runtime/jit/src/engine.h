// engine.h (jit): the per-thread engine over a compiled program, and what
// the compiled code's helpers need from it.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "frame.h"
#include "yibao/engine.h"
#include "yibao/jit.h"

namespace yibao::jit {

class JitEngine final : public Engine {
 public:
  explicit JitEngine(std::shared_ptr<const JitProgram> program);

  int failing_check(const Request& request) override;
  void evaluate(const Request& request, std::span<std::int64_t> ledger, Result& out) override;

  // For the helpers (helpers.cpp): schedules, the program's first, then the
  // ones adjusted during this request, as in the interpreter.
  std::vector<ir::Segment> segments;
  std::vector<ir::Schedule> schedules;
  std::size_t pending_offset() const noexcept;

  // Copies a section's values and written flags out of the frame.
  using FieldCopier = void (*)(const std::int64_t* values, const char* written, std::int64_t* to_values,
                               std::uint8_t* to_written, std::size_t n);

 private:
  void begin_request(const Request& request, std::span<std::int64_t> ledger);
  FrameHeader& header() { return *reinterpret_cast<FrameHeader*>(frame_.data()); }
  char* frame() { return reinterpret_cast<char*>(frame_.data()); }
  std::int64_t* words(std::size_t offset) { return reinterpret_cast<std::int64_t*>(frame() + offset); }

  std::shared_ptr<const JitProgram> program_;
  const ir::Program& ir_;
  const JitProgram::Impl& impl_;
  std::vector<std::int64_t> frame_;       // FrameLayout::size bytes
  std::vector<std::int64_t> no_ledger_;   // zeros, read when a request has no ledger entry
  // Per section: its field count, first field in the frame's arrays
  // (FrameLayout::field_base), and the copier for that count, read for
  // every request.
  struct SectionShape {
    std::size_t fields = 0;
    std::size_t base = 0;
    FieldCopier copy = nullptr;
  };
  std::vector<SectionShape> shapes_;
};

}  // namespace yibao::jit
