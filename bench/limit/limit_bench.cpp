// limit_bench: the engines against the practical limit. For liaoyuan-2023
// and dianjiang-2024, the same decoded requests are settled by the
// hand-written C++ of hand_written.cpp, by the JIT and by the interpreter
// (request checks, all four sections, ledgers carried from claim to claim),
// and the harness reports claims per second, each engine's ratio to the
// hand-written settlement, and the JIT's compile times. The JIT is tiered
// (docs/jit.md, "Tiers"): the synchronous tier (level 1) and the final
// tier (level N, compiled in the background) are both compiled and timed,
// the final tier after JitProgram::wait_for_final_tier(). Before timing it
// checks that the hand-written settlement agrees with the interpreter on
// every request, and the JIT with the interpreter (exit status 1 if not).
//
//   limit_bench [--runs R] [--opt N] [--check] POLICY_ID=REQUESTS.jsonl ...
//
// --opt N: the JIT's optimisation level (jit::JitOptions, default 3; levels
// 0 and 1 are not tiered: one compile, one JIT line).
//
// bench/limit.sh makes the requests (tests/oracle/generate.py) and runs it;
// docs/performance.md has the figures. Passes over all requests are timed
// in R rounds of one pass per engine (Rounds): claims/s from an engine's
// best pass, the ratio to the hand-written settlement the median of the
// rounds' ratios. Each engine is timed with its inputs in the cache (blocks
// of requests, steady clock) and cold (whole passes, the thread's CPU
// clock); see timed_pass. JSON decoding is not timed: every engine starts
// from the decoded yibao::Request, the hand-written one from its own struct
// decoded from it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "hand_written.h"
#include "lang/diagnostics_render.h"
#include "yibao/evaluator.h"
#include "yibao/line_reader.h"
#include "tests/support/thread_clock.h"
#include "yibao/request_reader.h"
#ifdef YIBAO_HAVE_JIT
#include "yibao/jit.h"
#endif

using namespace yibao;

namespace {

using test::thread_seconds;

struct Input {
  std::vector<Request> requests;
  std::vector<bench::Claimant> claimants;
  std::vector<std::int32_t> person;  // ledger index, or -1 (no person.id)
  std::size_t persons = 0;
  std::size_t unreadable = 0;
};

Input read_input(const ir::Program& program, const std::string& path) {
  Input in;
  auto reader = RequestReader::create(program.schema);
  if (!reader) throw std::runtime_error(reader.error());
  const bench::Decoder decoder(program);
  std::map<std::string, std::int32_t> persons;
  const int id_field = program.ledger_key_field;
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  Request request = reader->make_request();
  for (std::string line; std::getline(file, line);) {
    const std::size_t size = line.size();
    line.append(kReadPadding, ' ');
    if (!reader->read_padded(std::string_view(line.data(), size), request)) {
      ++in.unreadable;
      continue;
    }
    std::int32_t index = -1;
    if (id_field >= 0 && request.has(id_field)) {
      const auto [at, added] = persons.emplace(std::string(request.text(id_field)), static_cast<std::int32_t>(persons.size()));
      index = at->second;
    }
    in.requests.push_back(request);  // text views are not kept: no engine reads them here
    in.claimants.push_back(decoder.decode(request));
    in.person.push_back(index);
  }
  in.persons = persons.size();
  return in;
}

// The requests [from, to) settled by an engine (Evaluator or Engine), on
// the ledgers as they are.
template <class E>
void settle_range(E& engine, const ir::Program& program, const Input& in, std::vector<std::int64_t>& ledgers,
                  std::size_t from, std::size_t to, Result& result, std::vector<int>* checks,
                  std::vector<Result>* results) {
  const auto slots = static_cast<std::size_t>(program.ledger_slots);
  for (std::size_t i = from; i < to; ++i) {
    const int failed = engine.failing_check(in.requests[i]);
    if (checks != nullptr) (*checks)[i] = failed;
    if (failed >= 0) continue;
    std::span<std::int64_t> ledger;
    if (in.person[i] >= 0 && slots > 0) ledger = {ledgers.data() + static_cast<std::size_t>(in.person[i]) * slots, slots};
    engine.evaluate(in.requests[i], ledger, result);
    if (results != nullptr) (*results)[i] = result;
  }
}

// Every request settled once by an engine, ledgers from zero.
template <class E>
void settle_all(E& engine, const ir::Program& program, const Input& in, std::vector<std::int64_t>& ledgers,
                std::vector<int>* checks, std::vector<Result>* results) {
  std::fill(ledgers.begin(), ledgers.end(), 0);
  Result result;
  settle_range(engine, program, in, ledgers, 0, in.requests.size(), result, checks, results);
}

template <class Ledger>
using HandFn = void (*)(const bench::Claimant&, Ledger*, bench::Settlement&);

// The same for the hand-written settlement; a checksum of its answers.
template <class Ledger>
std::int64_t hand_range(HandFn<Ledger> settle, const Input& in, std::vector<Ledger>& ledgers, std::size_t from,
                        std::size_t to, std::vector<bench::Settlement>* out) {
  bench::Settlement s;
  std::int64_t checksum = 0;
  for (std::size_t i = from; i < to; ++i) {
    settle(in.claimants[i], in.person[i] >= 0 ? &ledgers[static_cast<std::size_t>(in.person[i])] : nullptr, s);
    checksum += s.basic + s.critical + s.personal;
    if (out != nullptr) (*out)[i] = s;
  }
  return checksum;
}

template <class Ledger>
std::int64_t hand_all(HandFn<Ledger> settle, const Input& in, std::vector<Ledger>& ledgers,
                      std::vector<bench::Settlement>* out) {
  std::fill(ledgers.begin(), ledgers.end(), Ledger{});
  return hand_range(settle, in, ledgers, 0, in.claimants.size(), out);
}

// Reads every cache line of `bytes` bytes at `p`, so that they are in the
// cache (the sum keeps the reads).
std::uint64_t touch(const void* p, std::size_t bytes) {
  const auto* c = static_cast<const unsigned char*>(p);
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < bytes; i += 64) sum += c[i];
  return bytes > 0 ? sum + c[bytes - 1] : sum;
}
template <class T>
std::uint64_t touch(std::span<const T> s) {
  return touch(s.data(), s.size_bytes());
}

// One timed pass over `n` requests, `settle(from, to)` settling a range.
// Cold: the whole pass, on the thread's CPU clock; the inputs are wherever
// the last pass left them (the engines' Requests, a slot per schema field
// in several allocations, far more memory than the hand-written struct).
// Hot: blocks of kHotBlock requests, each block's inputs first read into the
// cache by `warm(from, to)` (not timed), as in `yibao eval`, which settles a
// request right after decoding it; only the settling is timed, on the
// steady clock, less the clock's own cost.
constexpr std::size_t kHotBlock = 32;

double clock_cost() {
  double best = 1e30;
  for (int i = 0; i < 1000; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

template <class Warm, class Settle>
double timed_pass(std::size_t n, bool hot, Warm warm, Settle settle) {
  if (!hot) {
    const double start = thread_seconds();
    settle(std::size_t{0}, n);
    return thread_seconds() - start;
  }
  static const double cost = clock_cost();
  double total = 0;
  for (std::size_t from = 0; from < n; from += kHotBlock) {
    const std::size_t to = std::min(n, from + kHotBlock);
    warm(from, to);
    const auto start = std::chrono::steady_clock::now();
    settle(from, to);
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() - cost;
  }
  return total;
}

// The first difference between the hand-written settlement and the
// interpreter's result, or "".
class Comparer {
 public:
  explicit Comparer(const ir::Program& p) : p_(p) {}

  std::string differ(int failed_check, const Result& r, const bench::Settlement& s) const {
    if ((failed_check >= 0) != !s.valid) return "request checks";
    if (failed_check >= 0) return "";
    const auto& eligibility = r.sections[section("eligibility")];
    if (eligibility.kind != SectionOutcome::Kind::fields || value(eligibility, "eligibility", "eligible") != s.eligible)
      return "eligibility";
    if (auto d = reasoned("contribution", r, s.contribution_reason, false); !d.empty()) return d;
    if (s.contribution_reason < 0 && (value(r.sections[section("contribution")], "contribution", "standard") != s.standard ||
                                      value(r.sections[section("contribution")], "contribution", "aid") != s.aid ||
                                      value(r.sections[section("contribution")], "contribution", "personal") != s.personal))
      return "contribution values";
    if (auto d = reasoned("coverage", r, s.coverage_reason, false); !d.empty()) return d;
    if (s.coverage_reason < 0 && (value(r.sections[section("coverage")], "coverage", "from") != s.from ||
                                  value(r.sections[section("coverage")], "coverage", "to") != s.to))
      return "coverage dates";
    const auto& settlement = r.sections[section("settlement")];
    using K = bench::Settlement::Kind;
    switch (s.settlement) {
      case K::absent: return settlement.kind == SectionOutcome::Kind::absent ? "" : "settlement presence";
      case K::unspecified:
        return settlement.kind == SectionOutcome::Kind::error && settlement.error.code == EvalErrorCode::unspecified
                   ? ""
                   : "settlement unspecified";
      case K::reason:
        if (auto d = reasoned("settlement", r, s.settlement_reason, true); !d.empty()) return d;
        break;
      case K::fields:
        if (settlement.kind != SectionOutcome::Kind::fields) return "settlement kind";
        break;
    }
    if (value(settlement, "settlement", "basic") != s.basic) return "basic";
    if (value(settlement, "settlement", "critical") != s.critical) return "critical";
    if (value(settlement, "settlement", "out_of_pocket") != s.out_of_pocket) return "out_of_pocket";
    return "";
  }

 private:
  std::size_t section(const char* name) const {
    for (std::size_t i = 0; i < p_.sections.size(); ++i) {
      if (p_.sections[i].name == name) return i;
    }
    throw std::runtime_error(std::string("no section ") + name);
  }
  std::int64_t value(const SectionOutcome& o, const char* section_name, const char* field) const {
    const auto& fields = p_.sections[section(section_name)].fields;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (fields[f].name == field) return o.written[f] ? o.values[f] : INT64_MIN;
    }
    throw std::runtime_error(std::string("no field ") + field);
  }
  std::string reasoned(const char* name, const Result& r, int reason, bool) const {
    const SectionOutcome& o = r.sections[section(name)];
    if (reason < 0) return o.kind == SectionOutcome::Kind::fields ? "" : std::string(name) + " kind";
    if (o.kind != SectionOutcome::Kind::reason || o.reason_code != reason) return std::string(name) + " reason";
    return "";
  }

  const ir::Program& p_;
};

bool same_results(const Result& a, const Result& b) {
  if (a.sections.size() != b.sections.size() || a.assessed_any != b.assessed_any) return false;
  for (std::size_t s = 0; s < a.sections.size(); ++s) {
    const SectionOutcome& x = a.sections[s];
    const SectionOutcome& y = b.sections[s];
    if (x.kind != y.kind) return false;
    if (x.kind == SectionOutcome::Kind::error) {
      if (x.error.code != y.error.code || x.error.node != y.error.node || x.error.unspecified != y.error.unspecified)
        return false;
      continue;
    }
    if (x.kind == SectionOutcome::Kind::reason && x.reason_code != y.reason_code) return false;
    if (x.kind == SectionOutcome::Kind::absent) continue;
    if (x.written != y.written) return false;
    for (std::size_t f = 0; f < x.values.size(); ++f) {
      if (x.written[f] && x.values[f] != y.values[f]) return false;
    }
  }
  return true;
}

// A few figures, for their median and range.
class Figures {
 public:
  void add(double x) { xs_.push_back(x); }
  double median() { return sorted()[xs_.size() / 2]; }
  double min() { return sorted().front(); }
  double max() { return sorted().back(); }

 private:
  const std::vector<double>& sorted() {
    std::sort(xs_.begin(), xs_.end());
    return xs_;
  }
  std::vector<double> xs_;
};

// Engines timed in rounds: each round times one pass of every engine, back
// to back, so that the machine's drifting speed (on a shared VM, tens of
// percent over seconds) affects all engines of a round alike. An engine's
// time is its best pass; its ratio to the hand-written settlement is the
// median over the rounds of the ratio within a round, which a lucky or
// unlucky pass of either side cannot move much.
class Rounds {
 public:
  // `pass` settles every request once and returns the seconds it timed.
  void add(std::string name, std::function<double()> pass) { engines_.push_back({std::move(name), std::move(pass), {}}); }
  void run(int rounds) {
    for (int r = 0; r < rounds; ++r) {
      for (Engine& e : engines_) e.seconds.push_back(e.pass());
    }
  }
  // Per engine: its line, the first engine (the hand-written one) as 1.00x.
  void print(std::size_t claims) const {
    const Engine& hand = engines_.front();
    for (const Engine& e : engines_) {
      Figures ratios;
      for (std::size_t r = 0; r < e.seconds.size(); ++r) ratios.add(e.seconds[r] / hand.seconds[r]);
      const double best = *std::min_element(e.seconds.begin(), e.seconds.end());
      std::printf("    %-22s %12.0f claims/s %9.1f ns/claim %7.2fx hand-written (rounds %.2f-%.2f)\n", e.name.c_str(),
                  static_cast<double>(claims) / best, best * 1e9 / static_cast<double>(claims), ratios.median(),
                  ratios.min(), ratios.max());
    }
  }

 private:
  struct Engine {
    std::string name;
    std::function<double()> pass;
    std::vector<double> seconds;
  };
  std::vector<Engine> engines_;
};

template <class Ledger>
bool run_policy(const std::string& id, const std::string& requests, int runs, int opt, bool check_only,
                HandFn<Ledger> hand) {
  const std::string region = id.substr(0, id.rfind('-'));
  const std::string year = id.substr(id.rfind('-') + 1);
  SourceManager sources;
  Diagnostics diagnostics;
  const auto program =
      compiler::compile_policy(sources, std::string(YIBAO_SOURCE_DIR) + "/policies/" + region + "/" + year + ".yb", {},
                               diagnostics);
  if (!program) {
    std::fprintf(stderr, "%s", render_text(diagnostics, sources).c_str());
    return false;
  }
  const Input in = read_input(*program, requests);
  const std::size_t n = in.requests.size();
  const auto slots = static_cast<std::size_t>(program->ledger_slots);
  std::vector<std::int64_t> ledgers(in.persons * slots);
  std::vector<Ledger> hand_ledgers(in.persons);

  // Agreement: the hand-written settlement and the JIT against the interpreter.
  Evaluator interpreter(*program);
  std::vector<int> checks(n, -1);
  std::vector<Result> results(n);
  settle_all(interpreter, *program, in, ledgers, &checks, &results);
  std::vector<bench::Settlement> hand_out(n);
  hand_all(hand, in, hand_ledgers, &hand_out);
  const Comparer comparer(*program);
  std::size_t hand_agree = 0;
  int shown = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string d = comparer.differ(checks[i], results[i], hand_out[i]);
    if (d.empty()) {
      ++hand_agree;
    } else if (shown++ < 5) {
      std::fprintf(stderr, "%s: request %zu: the hand-written settlement differs in %s\n", id.c_str(), i + 1, d.c_str());
    }
  }
  bool ok = hand_agree == n;
  std::printf("%s: %zu requests (%zu unreadable lines skipped), %zu persons, %zu failing a request check\n", id.c_str(),
              n, in.unreadable, in.persons,
              static_cast<std::size_t>(std::count_if(checks.begin(), checks.end(), [](int c) { return c >= 0; })));
  std::printf("  agreement: hand-written = interpreter on %zu of %zu requests\n", hand_agree, n);

#ifdef YIBAO_HAVE_JIT
  // Five tiered compiles (JitOptions::tier_up, docs/jit.md "Tiers"): the
  // synchronous tier (level 1 when opt >= 2) and the final tier, compiled on
  // the background thread (waited for); the last one is kept and timed.
  Figures tier1_cpu;
  Figures tier1_wall;
  Figures final_cpu;
  Figures final_wall;
  std::shared_ptr<const jit::JitProgram> compiled;
  for (int r = 0; r < 5; ++r) {
    auto c = jit::JitProgram::compile(*program, jit::JitOptions{.opt_level = opt});
    if (!c) {
      std::fprintf(stderr, "%s\n", c.error().c_str());
      return false;
    }
    if (!(*c)->wait_for_final_tier()) {
      std::fprintf(stderr, "%s: the final tier failed: %s\n", id.c_str(), (*c)->stats().final_error.c_str());
      return false;
    }
    const jit::JitStats stats = (*c)->stats();
    tier1_cpu.add(stats.compile_cpu_ms);
    tier1_wall.add(stats.compile_ms);
    final_cpu.add(stats.final_compile_cpu_ms);
    final_wall.add(stats.final_compile_ms);
    compiled = *c;
  }
  const jit::JitStats stats = compiled->stats();
  // The synchronous tier's code on its own, to time it (the same as the
  // code a tiered program runs before the switch).
  std::shared_ptr<const jit::JitProgram> first_tier;
  if (stats.tiering) {
    auto c = jit::JitProgram::compile(*program, jit::JitOptions{.opt_level = stats.level, .tier_up = false});
    if (!c) {
      std::fprintf(stderr, "%s\n", c.error().c_str());
      return false;
    }
    first_tier = *c;
  }
  auto engine = jit::make_engine(compiled);
  auto first_engine = first_tier ? jit::make_engine(first_tier) : nullptr;
  const auto agree = [&](Engine& e) {
    std::vector<int> jit_checks(n, -1);
    std::vector<Result> jit_results(n);
    settle_all(e, *program, in, ledgers, &jit_checks, &jit_results);
    std::size_t same = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (jit_checks[i] == checks[i] && (checks[i] >= 0 || same_results(jit_results[i], results[i]))) ++same;
    }
    return same;
  };
  const std::size_t jit_agree = agree(*engine);
  ok = ok && jit_agree == n;
  std::printf("  agreement: JIT (level %d) = interpreter on %zu of %zu requests\n", opt, jit_agree, n);
  if (first_engine) {
    const std::size_t first_agree = agree(*first_engine);
    ok = ok && first_agree == n;
    std::printf("  agreement: JIT (level %d) = interpreter on %zu of %zu requests\n", stats.level, first_agree, n);
  }
  std::printf("  JIT: %zu functions, %zu nodes; compile time, median of 5 (min-max), CPU time of the compiling thread:\n",
              stats.functions, stats.nodes);
  std::printf("    level %d%-25s %6.1f ms (%.1f-%.1f; wall median %.1f)\n", stats.level,
              stats.tiering ? ", synchronous (tier 1):" : ":", tier1_cpu.median(), tier1_cpu.min(), tier1_cpu.max(),
              tier1_wall.median());
  if (stats.tiering)
    std::printf("    level %d, background (final tier): %6.1f ms (%.1f-%.1f; wall median %.1f)\n", opt,
                final_cpu.median(), final_cpu.min(), final_cpu.max(), final_wall.median());
#endif
  if (check_only) return ok;

  // Every engine timed with its inputs hot, then cold (timed_pass).
  std::uint64_t sink = 0;
  Result result;
  const auto engine_pass = [&](auto& e, bool hot) {
    std::fill(ledgers.begin(), ledgers.end(), 0);
    return timed_pass(
        n, hot,
        [&](std::size_t from, std::size_t to) {
          for (std::size_t i = from; i < to; ++i) {
            const Request& r = in.requests[i];
            sink += touch(r.slots()) + touch(r.has_bits()) + touch(r.record_bits());
            if (in.person[i] >= 0 && slots > 0)
              sink += touch(ledgers.data() + static_cast<std::size_t>(in.person[i]) * slots, slots * 8);
          }
        },
        [&](std::size_t from, std::size_t to) { settle_range(e, *program, in, ledgers, from, to, result, nullptr, nullptr); });
  };
  const auto hand_pass = [&](bool hot) {
    std::fill(hand_ledgers.begin(), hand_ledgers.end(), Ledger{});
    return timed_pass(
        n, hot,
        [&](std::size_t from, std::size_t to) {
          for (std::size_t i = from; i < to; ++i) {
            sink += touch(&in.claimants[i], sizeof(bench::Claimant));
            if (in.person[i] >= 0) sink += touch(&hand_ledgers[static_cast<std::size_t>(in.person[i])], sizeof(Ledger));
          }
        },
        [&](std::size_t from, std::size_t to) { sink += static_cast<std::uint64_t>(hand_range(hand, in, hand_ledgers, from, to, nullptr)); });
  };
  for (const bool hot : {true, false}) {
    std::printf(hot ? "  inputs in the cache (blocks of %zu requests, as `yibao eval` settles a request just decoded):\n"
                    : "  inputs cold (whole passes over the %zu requests):\n",
                hot ? kHotBlock : n);
    Rounds rounds;
    rounds.add("hand-written", [&, hot] { return hand_pass(hot); });
#ifdef YIBAO_HAVE_JIT
    if (first_engine)
      rounds.add("jit (level " + std::to_string(stats.level) + ")", [&, hot] { return engine_pass(*first_engine, hot); });
    rounds.add("jit (level " + std::to_string(opt) + (stats.tiering ? ", tiered)" : ")"),
               [&, hot] { return engine_pass(*engine, hot); });
#endif
    rounds.add("interpreter", [&, hot] { return engine_pass(interpreter, hot); });
    rounds.run(runs);
    rounds.print(n);
  }
  if (sink == 42) std::printf(" ");  // keeps the hand-written passes from being optimised away
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
#ifdef YIBAO_HAVE_JIT
  int opt = jit::JitOptions{}.opt_level;
#else
  int opt = 0;
#endif
  bool check_only = false;
  std::vector<std::pair<std::string, std::string>> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--opt" && i + 1 < argc) {
      opt = std::atoi(argv[++i]);
    } else if (arg == "--check") {
      check_only = true;
    } else if (const auto eq = arg.find('='); eq != std::string::npos) {
      inputs.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
    } else {
      std::fprintf(stderr, "usage: limit_bench [--runs R] [--opt N] [--check] liaoyuan-2023=REQUESTS.jsonl dianjiang-2024=...\n");
      return 2;
    }
  }
#ifndef YIBAO_HAVE_JIT
  std::printf("(this build has no JIT: hand-written and interpreter only)\n");
#endif
  bool ok = true;
  try {
    for (const auto& [id, path] : inputs) {
      if (id == "liaoyuan-2023")
        ok = run_policy<bench::LiaoyuanLedger>(id, path, runs, opt, check_only, &bench::settle_liaoyuan_2023) && ok;
      else if (id == "dianjiang-2024")
        ok = run_policy<bench::DianjiangLedger>(id, path, runs, opt, check_only, &bench::settle_dianjiang_2024) && ok;
      else
        throw std::runtime_error("no hand-written settlement for " + id);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "limit_bench: %s\n", e.what());
    return 2;
  }
  return ok ? 0 : 1;
}
