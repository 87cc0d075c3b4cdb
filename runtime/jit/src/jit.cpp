// The JIT's driver: LLVM IR from codegen.cpp, optimised (optimise()),
// compiled by ORC LLJIT, in tiers (level 1 at once, the requested level on a
// background thread; docs/jit.md "Tiers"); and the engine that runs the code
// on a frame per thread (frame.h).
#include "yibao/jit.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <new>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include <llvm/ExecutionEngine/JITEventListener.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/ExecutionEngine/SectionMemoryManager.h>
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
#include "object_cache.h"

namespace yibao::jit {

// The entry points of one compiled tier: immutable once published.
struct EntryPoints {
  SectionsFn sections = nullptr;
  ChecksFn checks = nullptr;
  int level = 0;
};

struct Tier {
  std::unique_ptr<llvm::orc::LLJIT> lljit;  // owns the code; null for a cache miss (cached_only)
  EntryPoints entry;
  bool from_cache = false;  // the object came from the object cache
};

// Both tiers stay alive until the program is destroyed: an engine may be in
// tier-1 code while the final tier is published. `entry` points to the
// entry points in use; the background thread fills `final_tier` and then
// stores its address with release order, and each engine call loads it with
// acquire order, so the code and the pointers are visible before they run.
struct JitProgram::Impl {
  FrameLayout layout;  // the program's alone: the same for both tiers
  Tier first;
  Tier final_tier;     // written only by the background thread, before publishing
  std::atomic<const EntryPoints*> entry{nullptr};

  std::atomic<bool> stop{false};  // the destructor asks the background compile to end early
  std::thread upgrader;
  mutable std::mutex mutex;       // guards what follows
  mutable std::condition_variable ended;
  bool final_done = true;         // no background compile, or it has ended
  double final_compile_ms = 0;
  double final_compile_cpu_ms = 0;
  std::string final_error;
  std::string final_cache_error;  // the final tier's failure to store its object, or empty

  std::string cache_dir;  // JitOptions::cache_dir, for the background compile
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

namespace {

// Whether the generated code is described to `perf` (YIBAO_JIT_PERF=1);
// read at each compile (a getenv beside tens of milliseconds of compiling).
bool profiled() {
  const char* v = std::getenv("YIBAO_JIT_PERF");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

// Compiles `program` at `level` into its own LLVMContext and LLJIT (nothing
// is shared between compiles, so two can run on two threads). `stop`, when
// given, is read between the phases: once it is set the compile ends with an
// error before the next phase (LLVM's code generation, in the lookup, cannot
// be interrupted).
//
// With a cache directory, the object is taken from the cache when there
// (keyed by the module and the optimiser's build, object_cache.h), else made here and
// stored; `cached_only` returns a Tier without code on a miss instead of
// compiling. A failure to store is noted in `cache_error`, not an error.
Expected<Tier> compile_tier(const ir::Program& program, const FrameLayout& layout, int level, JitStats& stats,
                            const std::atomic<bool>* stop, const std::string& cache_dir, bool cached_only,
                            std::string& cache_error) {
  const auto stopped = [stop] { return stop != nullptr && stop->load(std::memory_order_relaxed); };
  const Error abandoned{"the compile was abandoned"};
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>(program.policy_id, *context);
  if (auto refused = generate(program, layout, *module, stats))
    return Error{"the JIT cannot compile " + program.policy_id + ": " + *refused};
  {
    std::string text;
    llvm::raw_string_ostream os(text);
    if (llvm::verifyModule(*module, &os)) return Error{"the JIT generated invalid LLVM IR: " + os.str()};
  }
  if (stopped()) return abandoned;

  auto target = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!target) return Error{"the JIT cannot target this machine: " + message_of(target.takeError())};
  // Instruction selection and register allocation are most of the compile
  // time: levels 0 and 1 use LLVM's quick ones (FastISel, the fast register
  // allocator), 2 and 3 the optimising ones (docs/jit.md).
  target->setCodeGenOptLevel(level <= 1 ? llvm::CodeGenOpt::None : llvm::CodeGenOpt::Default);
  auto machine = target->createTargetMachine();
  if (!machine) return Error{"the JIT cannot target this machine: " + message_of(machine.takeError())};
  module->setDataLayout((*machine)->createDataLayout());
  module->setTargetTriple((*machine)->getTargetTriple().str());

  Tier tier;
  std::unique_ptr<llvm::MemoryBuffer> object;
  // The key takes the module as generated when the optimiser's build is
  // known (a hit then skips the passes too), else the optimised module.
  const bool caching = !cache_dir.empty();
  const std::string optimiser = caching ? optimiser_identity() : std::string();
  std::string key;
  const auto look_up = [&] {
    key = object_cache_key(*module, **machine, level, optimiser);
    object = load_cached_object(cache_dir, key);
  };
  if (caching && !optimiser.empty()) {
    look_up();
    if (!object && cached_only) return tier;  // a miss: no code (and no passes run for it)
  }
  if (!object) {
    if (level > 0) optimise(*module, **machine, level);
    if (stopped()) return abandoned;
    if (caching && optimiser.empty()) look_up();
  }
  if (caching) {
    tier.from_cache = object != nullptr;
    if (!object && cached_only) return tier;  // a miss: no code
    if (!object) {
      llvm::orc::SimpleCompiler compiler(**machine);
      auto made = compiler(*module);
      if (!made) return Error{"the JIT cannot compile " + program.policy_id + ": " + message_of(made.takeError())};
      object = std::move(*made);
      cache_error = store_cached_object(cache_dir, key, object->getMemBufferRef());
    }
  }
  llvm::orc::LLJITBuilder builder;
  builder.setJITTargetMachineBuilder(std::move(*target));
  if (profiled()) {
    // YIBAO_JIT_PERF=1: describe the generated functions to `perf` (a
    // jit-PID.dump for `perf inject --jit`, docs/jit.md "Profiling").
    builder.setObjectLinkingLayerCreator([](llvm::orc::ExecutionSession& session, const llvm::Triple&) {
      auto layer = std::make_unique<llvm::orc::RTDyldObjectLinkingLayer>(
          session, [] { return std::make_unique<llvm::SectionMemoryManager>(); });
      if (llvm::JITEventListener* perf = llvm::JITEventListener::createPerfJITEventListener())
        layer->registerJITEventListener(*perf);
      return llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>>(std::move(layer));
    });
  }
  auto lljit = builder.create();
  if (!lljit) return Error{"the JIT cannot start: " + message_of(lljit.takeError())};
  tier.lljit = std::move(*lljit);
  // The helpers the code calls by name (frame.h), at their addresses here.
  llvm::orc::SymbolMap helpers;
#define YIBAO_JIT_DEFINE_HELPER(name)                                                \
  helpers[tier.lljit->mangleAndIntern(#name)] = llvm::JITEvaluatedSymbol(            \
      llvm::pointerToJITTargetAddress(&name), llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
  YIBAO_JIT_HELPERS(YIBAO_JIT_DEFINE_HELPER)
#undef YIBAO_JIT_DEFINE_HELPER
  if (auto e = tier.lljit->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(helpers))))
    return Error{"the JIT cannot define its helpers: " + message_of(std::move(e))};
  if (object) {
    if (auto e = tier.lljit->addObjectFile(std::move(object)))
      return Error{"the JIT cannot add the compiled object: " + message_of(std::move(e))};
  } else if (auto e = tier.lljit->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))) {
    return Error{"the JIT cannot add the module: " + message_of(std::move(e))};
  }
  if (stopped()) return abandoned;  // the last chance: the lookup below generates the code
  std::string error;
  const std::uint64_t sections = address_of(*tier.lljit, kSectionsName, error);  // generates the code
  const std::uint64_t checks = sections != 0 ? address_of(*tier.lljit, kChecksName, error) : 0;
  if (sections == 0 || checks == 0) return Error{"the JIT cannot compile " + program.policy_id + ": " + error};
  tier.entry = EntryPoints{reinterpret_cast<SectionsFn>(sections), reinterpret_cast<ChecksFn>(checks), level};
  return tier;
}

// The background thread's work: the final tier, published when ready.
void tier_up(const ir::Program& program, JitProgram::Impl& impl, int level) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_ms();
  std::string error;
  std::string cache_error;
  try {
    JitStats ignored;
    auto tier = compile_tier(program, impl.layout, level, ignored, &impl.stop, impl.cache_dir, false, cache_error);
    if (tier) {
      impl.final_tier = std::move(*tier);
      impl.entry.store(&impl.final_tier.entry, std::memory_order_release);
    } else {
      error = tier.error();
    }
  } catch (const std::exception& e) {  // allocation failures: tier 1 stays
    error = std::string("the JIT's background compile failed: ") + e.what();
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const double cpu_ms = thread_cpu_ms() - cpu_start;
  {
    const std::lock_guard lock(impl.mutex);
    impl.final_done = true;
    impl.final_compile_ms = ms;
    impl.final_compile_cpu_ms = cpu_ms;
    impl.final_error = std::move(error);
    impl.final_cache_error = std::move(cache_error);
  }
  impl.ended.notify_all();
}

}  // namespace

JitProgram::JitProgram(const ir::Program& program, std::unique_ptr<Impl> impl, JitStats stats)
    : program_(&program), impl_(std::move(impl)), stats_(stats) {}

JitProgram::~JitProgram() {
  if (impl_->upgrader.joinable()) {
    impl_->stop.store(true, std::memory_order_relaxed);
    impl_->upgrader.join();
  }
}

Expected<std::shared_ptr<const JitProgram>> JitProgram::compile(const ir::Program& program, JitOptions options) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_ms();
  static std::once_flag native;
  std::call_once(native, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });

  const bool tiering = options.tier_up && options.opt_level >= 2;
  auto impl = std::make_unique<Impl>(program);
  JitStats stats;
  stats.level = tiering ? 1 : options.opt_level;
  stats.final_level = options.opt_level;
  impl->cache_dir = options.cache_dir;
  std::string cache_error;
  bool tier_up_later = tiering;
  if (tiering && !options.cache_dir.empty()) {
    // The final tier from the cache, when a run before this one stored it:
    // then there is nothing to tier up to.
    auto cached = compile_tier(program, impl->layout, options.opt_level, stats, nullptr, options.cache_dir,
                               /*cached_only=*/true, cache_error);
    if (!cached) return Error{cached.error()};
    if (cached->lljit) {
      impl->first = std::move(*cached);
      stats.level = options.opt_level;
      tier_up_later = false;
    }
  }
  if (!impl->first.lljit) {
    auto first = compile_tier(program, impl->layout, stats.level, stats, nullptr, options.cache_dir,
                              /*cached_only=*/false, cache_error);
    if (!first) return Error{first.error()};
    impl->first = std::move(*first);
  }
  impl->entry.store(&impl->first.entry, std::memory_order_release);
  stats.compile_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  stats.compile_cpu_ms = thread_cpu_ms() - cpu_start;
  stats.tiering = tier_up_later;
  stats.from_cache = impl->first.from_cache;
  stats.cache_error = std::move(cache_error);

  std::shared_ptr<const JitProgram> compiled(new JitProgram(program, std::move(impl), stats));
  if (tier_up_later) {
    Impl& i = *compiled->impl_;
    i.final_done = false;  // no other thread sees `i` yet
    try {
      i.upgrader = std::thread(tier_up, std::cref(program), std::ref(i), options.opt_level);
    } catch (const std::system_error& e) {  // no thread to be had: tier 1 stays
      i.final_done = true;
      i.final_error = std::string("the JIT cannot start its background compile: ") + e.what();
    }
  }
  return compiled;
}

JitStats JitProgram::stats() const {
  JitStats s = stats_;
  const std::lock_guard lock(impl_->mutex);
  if (!s.tiering) {
    s.final_done = true;
    s.final_compile_ms = s.compile_ms;
    s.final_compile_cpu_ms = s.compile_cpu_ms;
    return s;
  }
  s.final_done = impl_->final_done;
  s.upgraded = upgraded();
  s.final_compile_ms = impl_->final_compile_ms;
  s.final_compile_cpu_ms = impl_->final_compile_cpu_ms;
  s.final_error = impl_->final_error;
  if (s.cache_error.empty()) s.cache_error = impl_->final_cache_error;
  return s;
}

int JitProgram::level() const noexcept { return impl_->entry.load(std::memory_order_acquire)->level; }

bool JitProgram::upgraded() const noexcept {
  return impl_->entry.load(std::memory_order_acquire) == &impl_->final_tier.entry;
}

bool JitProgram::wait_for_final_tier() const {
  std::unique_lock lock(impl_->mutex);
  impl_->ended.wait(lock, [this] { return impl_->final_done; });
  return level() == stats_.final_level;
}

// ---- the engine ---------------------------------------------------------------

namespace {
// A section has a handful of fields: copies of a size known at compile time
// are a few moves each (no loop, no library call), chosen per section once.
template <std::size_t N>
void copy_fields(const std::int64_t* values, const char* written, std::int64_t* to_values, std::uint8_t* to_written,
                 std::size_t /*n*/) {
  if constexpr (N > 0) {
    std::memcpy(to_values, values, N * sizeof(std::int64_t));
    std::memcpy(to_written, written, N);
  }
}
void copy_any_fields(const std::int64_t* values, const char* written, std::int64_t* to_values,
                     std::uint8_t* to_written, std::size_t n) {
  std::memcpy(to_values, values, n * sizeof(std::int64_t));
  std::memcpy(to_written, written, n);
}
template <std::size_t... N>
constexpr std::array<JitEngine::FieldCopier, sizeof...(N)> fixed_copiers(std::index_sequence<N...>) {
  return {&copy_fields<N>...};
}
constexpr auto kFixedCopiers = fixed_copiers(std::make_index_sequence<17>());

JitEngine::FieldCopier copier_for(std::size_t fields) {
  return fields < kFixedCopiers.size() ? kFixedCopiers[fields] : &copy_any_fields;
}
}  // namespace

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
  for (std::size_t i = 0; i < ir_.sections.size(); ++i)
    shapes_.push_back(SectionShape{ir_.sections[i].fields.size(), impl_.layout.field_base[i],
                                   copier_for(ir_.sections[i].fields.size())});
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
  // One acquire load per call: the tier in use now (a switch between calls
  // is safe, both tiers share the frame layout).
  const ChecksFn checks = impl_.entry.load(std::memory_order_acquire)->checks;
  return static_cast<int>(checks(frame()));
}

void JitEngine::evaluate(const Request& request, std::span<std::int64_t> ledger, Result& out) {
  begin_request(request, ledger);
  const FrameLayout& l = impl_.layout;
  static_assert(sizeof(std::int64_t) == 8);
  // The values and the written flags are adjacent (FrameLayout): one clear.
  std::memset(frame() + l.values, 0, l.written + l.field_total - l.values);
  impl_.entry.load(std::memory_order_acquire)->sections(frame());  // the tier in use now
  const std::size_t sections = shapes_.size();
  if (out.sections.size() != sections) out.sections.resize(sections);
  const std::int64_t* kinds = words(l.kinds);
  const std::int64_t* reason_codes = words(l.reason_codes);
  const std::int64_t* reason_enums = words(l.reason_enums);
  const std::int64_t* values = words(l.values);
  const char* written = frame() + l.written;
  const auto* errors = reinterpret_cast<const EvalError*>(frame() + l.section_errors);
  SectionOutcome* outcomes = out.sections.data();
  for (std::size_t i = 0; i < sections; ++i) {
    SectionOutcome& o = outcomes[i];
    o.kind = static_cast<SectionOutcome::Kind>(kinds[i]);
    if (o.kind == SectionOutcome::Kind::error)
      o.error = errors[i];
    else if (o.error.code != EvalErrorCode::none)
      o.error = EvalError{};
    if (o.kind == SectionOutcome::Kind::reason) {
      o.reason_code = reason_codes[i];
      o.reason_enum = static_cast<std::int32_t>(reason_enums[i]);
    }
    const SectionShape& shape = shapes_[i];
    if (o.values.size() != shape.fields || o.written.size() != shape.fields) {  // the first request into this Result
      o.values.resize(shape.fields);
      o.written.resize(shape.fields);
    }
    shape.copy(values + shape.base, written + shape.base, o.values.data(), o.written.data(), shape.fields);
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
