// `yibao eval POLICY [REQUESTS.jsonl] [-o RESULTS.jsonl]`: settles requests
// against a policy (its source, or its compiled rule set: `yibao compile`),
// one result line per request line (interchange.md).
// Ledgers can be loaded before and saved after, so that a year settled in
// several batches gives the same results as in one.
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "compiler/cli/command.h"
#include "compiler/compile.h"
#include "yibao/rule_set_file.h"
#include "yibao/batch.hpp"
#include "yibao/settle.h"
#ifdef YIBAO_HAVE_JIT
#include "yibao/jit.h"
#endif

namespace yibao::cli {

namespace {

struct EvalOptions {
  std::string policy;
  std::string requests;  // empty or "-": stdin
  std::string output;    // empty or "-": stdout
  std::string ledger_in;
  std::string ledger_out;
  bool explain = false;
  unsigned threads = 1;
  std::string engine = "interpreter";  // or "jit"
  // The JIT's final tier. 2, not the library's 3: over a batch of a million
  // requests the level-3 compile costs more CPU than its code saves
  // (docs/performance.md, "Which JIT level for a batch").
  int jit_level = 2;
  std::string jit_cache;  // the JIT's object cache directory, or empty for none
};

int eval(const EvalOptions& options, const Context& context) {
  SourceManager sources;
  const std::optional<ir::Program> program = load_policy(options.policy, context, sources);
  if (!program) return exit_errors;

  LedgerStore ledgers(program->policy_id, ledger_slot_names(*program));
  if (!options.ledger_in.empty()) {
    if (const Status s = ledgers.load_file(options.ledger_in); !s.ok())
      return report_error(context, options.ledger_in + ": " + s.error());
  }

  std::FILE* in = stdin;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in_file(nullptr, &std::fclose);
  if (!options.requests.empty() && options.requests != "-") {
    in_file.reset(std::fopen(options.requests.c_str(), "rb"));
    if (!in_file) return report_error(context, options.requests + ": " + std::strerror(errno));
    in = in_file.get();
  }
  std::FILE* out = context.out;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out_file(nullptr, &std::fclose);
  if (!options.output.empty() && options.output != "-") {
    out_file.reset(std::fopen(options.output.c_str(), "wb"));
    if (!out_file) return report_error(context, options.output + ": " + std::strerror(errno));
    out = out_file.get();
  }

  LineReader lines = LineReader::from_file(in);
  SettleOptions settle_options;
  settle_options.explain = options.explain;
#ifdef YIBAO_HAVE_JIT
  std::shared_ptr<const jit::JitProgram> compiled_program;
#endif
  if (options.engine == "jit") {
#ifdef YIBAO_HAVE_JIT
    auto compiled = jit::JitProgram::compile(
        *program, jit::JitOptions{.opt_level = options.jit_level, .tier_up = true, .cache_dir = options.jit_cache});
    if (!compiled) return report_error(context, compiled.error());
    compiled_program = *compiled;
    settle_options.engine = jit::engine_factory(*compiled);
#else
    return report_error(context, "this build of yibao has no JIT (configure with LLVM 14 (llvm-14-dev) and -DYIBAO_JIT=ON)");
#endif
  }
  const auto rule_set = RuleSet::from_program(*program);
  if (!rule_set) return report_error(context, rule_set.error());
  BatchOptions batch;
  batch.threads = options.threads;
  batch.explain = settle_options.explain;
  batch.engine = settle_options.engine;
  if (const Status s = settle_batch(*rule_set, lines, out, ledgers, batch); !s.ok())
    return report_error(context, s.error());
#ifdef YIBAO_HAVE_JIT
  // The results stand without the cache; say why it could not be used.
  if (compiled_program) {
    if (const std::string why = compiled_program->stats().cache_error; !why.empty()) report_warning(context, why);
  }
#endif
  if (!options.ledger_out.empty()) {
    if (const Status s = ledgers.save_file(options.ledger_out); !s.ok())
      return report_error(context, options.ledger_out + ": " + s.error());
  }
  return exit_ok;
}

}  // namespace

Run setup_eval(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  app.add_option("POLICY", options->policy, "the policy (.yb, or compiled .ybc) to settle against")->required();
  app.add_option("REQUESTS", options->requests, "requests, one JSON object per line (default: stdin)");
  app.add_option("-o,--output", options->output, "where to write the results (default: stdout)");
  app.add_option("--ledger-in", options->ledger_in, "load ledgers saved by an earlier run before settling");
  app.add_option("--ledger-out", options->ledger_out, "save the ledgers after settling");
  app.add_option("--engine", options->engine,
                 "interpreter (default) or jit: compile the policy to native code first (explain uses the interpreter)")
      ->check(CLI::IsMember({"interpreter", "jit"}));
  app.add_option("--jit-level", options->jit_level,
                 "with --engine jit: 0 to 3, the optimisation of the code run after the first quick compile (default 2; "
                 "3 compiles for longer, on another thread, and rarely pays for it over a batch)")
      ->check(CLI::Range(0, 3));
  app.add_option("--jit-cache", options->jit_cache,
                 "with --engine jit: keep the compiled code in DIR and reuse it in later runs of the same policy "
                 "(created readable by you alone; anyone who can write into it can make yibao run their code)")
      ->envname("YIBAO_JIT_CACHE")
      ->type_name("DIR");
  app.add_option("--threads", options->threads, "settle on N threads, each person's requests on one (same results for any N)")
      ->check(CLI::Range(1U, 256U));
  app.add_flag("--explain", options->explain, "add to each result the rules computed, with their source lines and values");
  return [options](const Context& context) { return eval(*options, context); };
}

namespace {
const Registration registered{{"eval", "settle requests (JSON Lines) against a policy", setup_eval}, 30};
}  // namespace

}  // namespace yibao::cli
