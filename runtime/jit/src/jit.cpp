// The JIT's driver: LLVM IR from codegen.cpp, optimised with LLVM's default
// pipeline, compiled by ORC LLJIT; and the engine that runs the code on a
// frame per thread (frame.h).
#include "yibao/jit.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <new>

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

#include "codegen.h"
#include "engine.h"
#include "frame.h"

namespace yibao::jit {

struct JitProgram::Impl {
  std::unique_ptr<llvm::orc::LLJIT> lljit;
  SectionsFn sections = nullptr;
  ChecksFn checks = nullptr;
  FrameLayout layout;
  explicit Impl(const ir::Program& p) : layout(p) {}
};

namespace {

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

std::string message_of(llvm::Error error) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << error;
  return os.str();
}

// Levels 1 and 2: the few passes this IR needs (allocas to registers,
// common loads and constants, peepholes, and the branch structure cleaned
// up) at a fraction of the -O2 pipeline's cost; 3: LLVM's -O2 pipeline.
void optimise(llvm::Module& module, llvm::TargetMachine& machine, int opt) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  if (opt >= 3) {
    builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, modules);
    return;
  }
  llvm::FunctionPassManager passes;
  passes.addPass(llvm::SROAPass());
  passes.addPass(llvm::EarlyCSEPass());
  passes.addPass(llvm::InstCombinePass());
  passes.addPass(llvm::SimplifyCFGPass());
  llvm::ModulePassManager pipeline;
  pipeline.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(passes)));
  pipeline.run(module, modules);
}

std::uint64_t address_of(llvm::orc::LLJIT& jit, const char* name, std::string& error) {
  auto symbol = jit.lookup(name);
  if (!symbol) {
    error = message_of(symbol.takeError());
    return 0;
  }
#if LLVM_VERSION_MAJOR >= 15
  return symbol->getValue();
#else
  return symbol->getAddress();
#endif
}

}  // namespace

JitProgram::JitProgram(const ir::Program& program, std::unique_ptr<Impl> impl, JitStats stats)
    : program_(&program), impl_(std::move(impl)), stats_(stats) {}

JitProgram::~JitProgram() = default;

Expected<std::shared_ptr<const JitProgram>> JitProgram::compile(const ir::Program& program, JitOptions options) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_ms();
  static std::once_flag native;
  std::call_once(native, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });

  auto impl = std::make_unique<Impl>(program);
  JitStats stats;
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>(program.policy_id, *context);
  if (auto refused = generate(program, impl->layout, *module, stats))
    return Error{"the JIT cannot compile " + program.policy_id + ": " + *refused};
  {
    std::string text;
    llvm::raw_string_ostream os(text);
    if (llvm::verifyModule(*module, &os)) return Error{"the JIT generated invalid LLVM IR: " + os.str()};
  }

  auto target = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!target) return Error{"the JIT cannot target this machine: " + message_of(target.takeError())};
  // Instruction selection and register allocation are most of the compile
  // time: levels 0 and 1 use LLVM's quick ones (FastISel, the fast register
  // allocator), 2 and 3 the optimising ones (docs/jit.md).
  target->setCodeGenOptLevel(options.opt_level <= 1 ? llvm::CodeGenOpt::None : llvm::CodeGenOpt::Default);
  auto machine = target->createTargetMachine();
  if (!machine) return Error{"the JIT cannot target this machine: " + message_of(machine.takeError())};
  module->setDataLayout((*machine)->createDataLayout());
  module->setTargetTriple((*machine)->getTargetTriple().str());
  if (options.opt_level > 0) optimise(*module, **machine, options.opt_level);

  auto lljit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*target)).create();
  if (!lljit) return Error{"the JIT cannot start: " + message_of(lljit.takeError())};
  impl->lljit = std::move(*lljit);
  if (auto e = impl->lljit->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context))))
    return Error{"the JIT cannot add the module: " + message_of(std::move(e))};
  std::string error;
  const std::uint64_t sections = address_of(*impl->lljit, kSectionsName, error);
  const std::uint64_t checks = sections != 0 ? address_of(*impl->lljit, kChecksName, error) : 0;
  if (sections == 0 || checks == 0) return Error{"the JIT cannot compile " + program.policy_id + ": " + error};
  impl->sections = reinterpret_cast<SectionsFn>(sections);
  impl->checks = reinterpret_cast<ChecksFn>(checks);

  stats.compile_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  stats.compile_cpu_ms = thread_cpu_ms() - cpu_start;
  return std::shared_ptr<const JitProgram>(new JitProgram(program, std::move(impl), stats));
}

// ---- the engine ---------------------------------------------------------------

JitEngine::JitEngine(std::shared_ptr<const JitProgram> program)
    : segments(program->program().segments),
      schedules(program->program().schedules),
      program_(std::move(program)),
      ir_(program_->program()),
      impl_(program_->impl()),
      frame_((impl_.layout.size + 7) / 8, 0),
      no_ledger_(static_cast<std::size_t>(std::max(ir_.ledger_slots, 1)), 0) {
  new (frame_.data()) FrameHeader{};  // the frame's header lives in its first words
  header().engine = this;
}

std::size_t JitEngine::pending_offset() const noexcept { return impl_.layout.pending; }

void JitEngine::begin_request(const Request& request, std::span<std::int64_t> ledger) {
  FrameHeader& h = header();
  h.error = EvalError{};
  h.generation2 += 2;  // every memo of the last request is stale
  h.has_ledger = ledger.empty() ? 0 : 1;
  h.ledger = ledger.empty() ? no_ledger_.data() : ledger.data();
  h.assessed_any = 0;
  h.slots = request.slots().data();  // read in place (frame.h)
  h.has = request.has_bits().data();
  h.records = request.record_bits().data();
  if (segments.size() != ir_.segments.size()) segments.resize(ir_.segments.size());
  if (schedules.size() != ir_.schedules.size()) schedules.resize(ir_.schedules.size());
}

int JitEngine::failing_check(const Request& request) {
  begin_request(request, {});
  return static_cast<int>(impl_.checks(frame()));
}

void JitEngine::evaluate(const Request& request, std::span<std::int64_t> ledger, Result& out) {
  begin_request(request, ledger);
  const FrameLayout& l = impl_.layout;
  std::memset(frame() + l.values, 0, 8 * l.field_total);
  std::memset(frame() + l.written, 0, l.field_total);
  impl_.sections(frame());
  if (out.sections.size() != ir_.sections.size()) out.sections.resize(ir_.sections.size());
  const std::int64_t* kinds = words(l.kinds);
  const std::int64_t* values = words(l.values);
  const char* written = frame() + l.written;
  const auto* errors = reinterpret_cast<const EvalError*>(frame() + l.section_errors);
  for (std::size_t i = 0; i < ir_.sections.size(); ++i) {
    SectionOutcome& o = out.sections[i];
    o.kind = static_cast<SectionOutcome::Kind>(kinds[i]);
    if (o.kind == SectionOutcome::Kind::error)
      o.error = errors[i];
    else if (o.error.code != EvalErrorCode::none)
      o.error = EvalError{};
    if (o.kind == SectionOutcome::Kind::reason) {
      o.reason_code = words(l.reason_codes)[i];
      o.reason_enum = static_cast<std::int32_t>(words(l.reason_enums)[i]);
    }
    const std::size_t n = ir_.sections[i].fields.size();
    const std::size_t base = l.field_base[i];
    if (o.values.size() != n || o.written.size() != n) {  // the first request into this Result
      o.values.resize(n);
      o.written.resize(n);
    }
    // A section has a handful of fields: plain loops, not library calls.
    std::int64_t* to_values = o.values.data();
    std::uint8_t* to_written = o.written.data();
    for (std::size_t f = 0; f < n; ++f) {
      to_values[f] = values[base + f];
      to_written[f] = static_cast<std::uint8_t>(written[base + f]);
    }
  }
  out.assessed_any = header().assessed_any != 0;
}

std::unique_ptr<Engine> make_engine(std::shared_ptr<const JitProgram> program) {
  return std::make_unique<JitEngine>(std::move(program));
}

EngineFactory engine_factory(std::shared_ptr<const JitProgram> program) {
  return [program] { return make_engine(program); };
}

}  // namespace yibao::jit
