// Robustness of the checker: damaged versions of real policies (a line
// deleted, a character deleted), of the standard library under a policy that
// uses it, and hostile inputs (deep nesting, long chains of rules, large
// expansions) go through parse, check, lower and constant folding without a
// crash, a hang or a stack overflow. Each gives either a program and no
// error, or errors that each point into a file of the compilation.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/ir_print.h"
#include "compiler/stdlib_sources.h"
#include "lang/diagnostics_render.h"

using namespace yibao;

namespace {

std::string source_dir() { return YIBAO_SOURCE_DIR; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Sanitized and unoptimized builds are many times slower: they damage every
// 13th character instead of every one.
#if defined(YIBAO_SANITIZED) || !defined(NDEBUG)
constexpr size_t kCharStep = 13;
#else
constexpr size_t kCharStep = 1;
#endif

bool located(const SourceManager& sources, Span span) {
  return sources.contains(span.file) && span.begin <= span.end && span.end <= sources.text(span.file).size();
}

struct Outcome {
  bool compiled = false;
  std::vector<DiagnosticCode> errors;
  std::string rendered;

  [[nodiscard]] bool has(DiagnosticCode code) const {
    for (DiagnosticCode c : errors)
      if (c == code) return true;
    return false;
  }
};

// Compiles `text` as the policy at `path` (policies/<region>/<year>.yb, the
// other policies read from the repository), with `stdlib` for std.resident
// when it is given, and checks that the outcome keeps the invariants.
Outcome compile_text(const std::string& text, const std::string& what, const std::string& path = "policies/test/2024.yb",
                     const std::string* stdlib = nullptr) {
  SourceManager sources;
  Diagnostics diagnostics(0);
  const FileId file = sources.add(path, text);
  compiler::CompileOptions options;
  options.policy_root = source_dir() + "/policies";
  std::vector<compiler::StdlibSource> modules;
  if (stdlib) {
    modules.push_back({"std.resident", "stdlib/resident.yb", *stdlib});
    options.stdlib = &modules;
  }
  const auto program = compiler::compile_policy(sources, file, options, diagnostics);
  Outcome out;
  out.compiled = program.has_value();
  if (program) {
    if (diagnostics.has_errors()) FAIL_CHECK(what << ": a program despite errors");
    if (compiler::print_program(*program).empty()) FAIL_CHECK(what << ": an empty IR text");
  } else if (!diagnostics.has_errors()) {
    FAIL_CHECK(what << ": no program, and no error to say why");
  }
  for (const Diagnostic& d : diagnostics.all()) {
    if (d.severity == Severity::error) out.errors.push_back(d.code);
    if (!located(sources, d.span)) FAIL_CHECK(what << ": a diagnostic without a place in a file: " << d.message);
    for (const auto& l : d.labels)
      if (!located(sources, l.span)) FAIL_CHECK(what << ": a label without a place in a file: " << l.message);
    for (const auto& n : d.notes)
      if (n.span.has_location() && !located(sources, n.span)) FAIL_CHECK(what << ": a note outside its file: " << n.message);
  }
  out.rendered = render_text(diagnostics, sources);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

// The byte offsets where characters start (UTF-8).
std::vector<size_t> char_starts(const std::string& text) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  return starts;
}

// A file to damage, and how to compile a damaged copy of it.
struct Target {
  std::string name;
  std::string text;
  std::function<Outcome(const std::string& damaged, const std::string& what)> compile;
};

const char* const kUsesStdlib = R"(policy robust-2024 "标准库的损坏版本" {
  region "测试"
  year 2024
  source "none.txt"
}
use std.resident
rule eligible: bool = person.student or person.hukou == local
rule contribution_standard: money = 380
param window_end: date = 2023-12-31
fn late_start(paid: date): date = paid + 90 days
payout basic: money = 80% * claim.compliant
payout critical: money = 0
)";

std::vector<Target> targets() {
  std::vector<Target> out;
  for (const char* name : {"policies/liaoyuan/2023.yb", "policies/dianjiang/2024.yb"}) {
    const std::string path = name;
    out.push_back({path, read_file(source_dir() + "/" + path),
                   [path](const std::string& damaged, const std::string& what) { return compile_text(damaged, what, path); }});
  }
  out.push_back({"stdlib/resident.yb", read_file(source_dir() + "/stdlib/resident.yb"),
                 [](const std::string& damaged, const std::string& what) {
                   return compile_text(kUsesStdlib, what, "policies/robust/2024.yb", &damaged);
                 }});
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// `n` levels of `open` around `inner`, closed by `close`.
std::string nest(size_t n, const std::string& open, const std::string& inner, const std::string& close = "") {
  std::string s;
  s.reserve(n * (open.size() + close.size()) + inner.size());
  for (size_t i = 0; i < n; ++i) s += open;
  s += inner;
  for (size_t i = 0; i < n; ++i) s += close;
  return s;
}

// A policy of the standard library with `body` after the definitions it needs.
std::string policy(const std::string& body) {
  return std::string(kUsesStdlib) + body + "\n";
}

}  // namespace

TEST_CASE("the undamaged targets compile", "[compiler][robust]") {
  for (const auto& t : targets()) {
    const Outcome o = t.compile(t.text, t.name);
    INFO(o.rendered);
    CHECK(o.compiled);
  }
}

TEST_CASE("deleting any one line never breaks the checker", "[compiler][robust]") {
  const auto start = std::chrono::steady_clock::now();
  size_t variants = 0, failing = 0;
  for (const auto& t : targets()) {
    const auto lines = lines_of(t.text);
    for (size_t skip = 0; skip < lines.size(); ++skip) {
      std::string damaged;
      for (size_t i = 0; i < lines.size(); ++i)
        if (i != skip) damaged += lines[i];
      const Outcome o = t.compile(damaged, t.name + " without line " + std::to_string(skip + 1));
      ++variants;
      failing += o.compiled ? 0 : 1;
    }
  }
  INFO(variants << " variants, " << failing << " with errors, " << seconds_since(start) << " s");
  CHECK(failing > 0);
  CHECK(failing < variants);
}

TEST_CASE("deleting any one character never breaks the checker", "[compiler][robust]") {
  const auto start = std::chrono::steady_clock::now();
  size_t variants = 0, failing = 0;
  for (const auto& t : targets()) {
    const auto starts = char_starts(t.text);
    for (size_t c = 0; c < starts.size(); c += kCharStep) {
      const size_t begin = starts[c];
      const size_t end = c + 1 < starts.size() ? starts[c + 1] : t.text.size();
      std::string damaged = t.text;
      damaged.erase(begin, end - begin);
      const Outcome o = t.compile(damaged, t.name + " without the character at byte " + std::to_string(begin));
      ++variants;
      failing += o.compiled ? 0 : 1;
    }
  }
  INFO(variants << " variants, " << failing << " with errors, " << seconds_since(start) << " s");
  CHECK(failing > 0);
  CHECK(failing < variants);
}

TEST_CASE("deep nesting gives a clean error or a result", "[compiler][robust]") {
  // Beyond the parser's limit: one nesting error, nothing else.
  struct Deep {
    const char* what;
    std::string body;
  };
  const std::vector<Deep> deep = {
      {"10000 parentheses", "rule deep: money = " + nest(10000, "(", "1", ")")},
      {"10000 `not`", "rule deep: bool = " + nest(10000, "not ", "true")},
      {"10000 minus signs", "rule deep: money = " + nest(10000, "-", "1")},
      {"5000 chained `if`", "rule deep: money = " + nest(5000, "if claim.total > 1 then 1 else ", "2")},
      {"5000 nested `if`", "rule deep: money = " + nest(5000, "if (if true then true else ", "true", ") then 1 else 2")},
      {"10000 calls", "rule deep: money = " + nest(10000, "max(1, ", "1", ")")},
      {"10000 sums", "rule deep: money = 1" + nest(10000, " + 1", "")},
      {"10000 `and`", "rule deep: bool = true" + nest(10000, " and true", "")},
      {"2000 nested `highest`",
       "rule deep: money = " + nest(2000, "highest c in person.categories: ", "1", " else 0")},
      {"2000 nested `match`",
       "rule deep: money = " + nest(2000, "match claim.kind { inpatient: ", "1", "; else: 2 }")},
  };
  for (const auto& d : deep) {
    const Outcome o = compile_text(policy(d.body), d.what);
    INFO(d.what << "\n" << o.rendered.substr(0, 2000));
    CHECK(!o.compiled);
    CHECK(o.has(DiagnosticCode::nesting_too_deep));
  }
  // At the parser's limit: a result.
  const std::vector<Deep> at_limit = {
      {"190 minus signs", "rule deep: money = " + nest(190, "-", "1")},
      {"190 `not`", "rule deep: bool = " + nest(190, "not ", "true")},
      {"60 chained `if`", "rule deep: money = " + nest(60, "if claim.total > 1 then 1 else ", "2")},
      {"4 nested `highest`", "rule deep: money = " + nest(4, "highest c in person.categories: ", "1", " else 0")},
  };
  for (const auto& d : at_limit) {
    const Outcome o = compile_text(policy(d.body), d.what);
    INFO(d.what << "\n" << o.rendered.substr(0, 2000));
    CHECK(o.compiled);
  }
}

TEST_CASE("a match with 10000 arms", "[compiler][robust]") {
  std::string arms;
  for (int i = 0; i < 10000; ++i) arms += "inpatient: " + std::to_string(i) + "\n";
  const Outcome o = compile_text(policy("rule wide: money = match claim.kind {\n" + arms + "else: 0 }"), "10000 arms");
  INFO(o.rendered.substr(0, 2000));
  CHECK(!o.compiled);
  CHECK(o.has(DiagnosticCode::duplicate_key));
}

TEST_CASE("long chains of rules and functions stop at the limit", "[compiler][robust]") {
  const auto chain = [](size_t n, const std::string& step) {
    std::string s = "payout chained: money = r0\n";
    for (size_t i = 0; i < n; ++i) s += "rule r" + std::to_string(i) + ": money = " + step + "r" + std::to_string(i + 1) + "\n";
    return s + "rule r" + std::to_string(n) + ": money = claim.total\n";
  };
  SECTION("a chain of 10000 rules: one error") {
    const Outcome o = compile_text(policy(chain(10000, "1 + ")), "10000 rules");
    INFO(o.rendered.substr(0, 3000));
    CHECK(!o.compiled);
    CHECK(o.errors == std::vector<DiagnosticCode>{DiagnosticCode::dependency_too_deep});
  }
  SECTION("a chain within the limit compiles") {
    const Outcome o = compile_text(policy(chain(compiler::kMaxRuleDepth - 2, "1 + ")), "98 rules");
    INFO(o.rendered.substr(0, 3000));
    CHECK(o.compiled);
  }
  SECTION("rules each nested deeply: the expression depth through them") {
    // 20 rules of 150 levels: fewer rules than the limit, 3000 levels in all.
    const Outcome o = compile_text(policy(chain(20, nest(150, "-", ""))), "20 deep rules");
    INFO(o.rendered.substr(0, 3000));
    CHECK(!o.compiled);
    CHECK(o.errors == std::vector<DiagnosticCode>{DiagnosticCode::dependency_too_deep});
  }
  SECTION("a chain of 10000 functions") {
    std::string s = "payout chained: money = f0(claim.total)\n";
    for (int i = 0; i < 10000; ++i)
      s += "fn f" + std::to_string(i) + "(x: money): money = f" + std::to_string(i + 1) + "(x) + 1\n";
    s += "fn f10000(x: money): money = x\n";
    const Outcome o = compile_text(policy(s), "10000 functions");
    INFO(o.rendered.substr(0, 3000));
    CHECK(!o.compiled);
    CHECK(o.errors == std::vector<DiagnosticCode>{DiagnosticCode::dependency_too_deep});
  }
  SECTION("a chain of 10000 rules that fails at its end: each rule checked once") {
    std::string s = "payout chained: money = r0\n";
    for (int i = 0; i < 10000; ++i)
      s += "rule r" + std::to_string(i) + ": money = r" + std::to_string(i + 1) + " + r" + std::to_string(i + 1) + "\n";
    s += "rule r10000: money = no_such_value\n";
    const Outcome o = compile_text(policy(s), "10000 rules used twice");
    CHECK(!o.compiled);
    CHECK(o.has(DiagnosticCode::dependency_too_deep));
  }
  SECTION("a short chain, each rule using the next twice, failing at its end") {
    std::string s = "payout chained: money = r0\n";
    for (int i = 0; i < 60; ++i)
      s += "rule r" + std::to_string(i) + ": money = r" + std::to_string(i + 1) + " + r" + std::to_string(i + 1) + "\n";
    s += "rule r60: money = no_such_value\n";
    const Outcome o = compile_text(policy(s), "60 rules used twice");
    CHECK(o.errors == std::vector<DiagnosticCode>{DiagnosticCode::unknown_name});
  }
}

TEST_CASE("expansions stop at the limit", "[compiler][robust]") {
  SECTION("functions each calling the next twice") {
    std::string s = "payout doubled: money = f0(claim.total)\n";
    for (int i = 0; i < 60; ++i)
      s += "fn f" + std::to_string(i) + "(x: money): money = f" + std::to_string(i + 1) + "(f" + std::to_string(i + 1) + "(x))\n";
    s += "fn f60(x: money): money = x + 1\n";
    const Outcome o = compile_text(policy(s), "2^60 calls");
    INFO(o.rendered.substr(0, 3000));
    CHECK(o.errors == std::vector<DiagnosticCode>{DiagnosticCode::expansion_too_large});
  }
  SECTION("nested `highest` over a set of 11 members") {
    const Outcome o = compile_text(
        policy("rule deep: money = " + nest(40, "highest c in person.categories: ", "1", " else 0")), "11^40 bodies");
    INFO(o.rendered.substr(0, 3000));
    CHECK(o.errors == std::vector<DiagnosticCode>{DiagnosticCode::expansion_too_large});
  }
}

TEST_CASE("large or odd values never reach undefined behaviour", "[compiler][robust]") {
  struct Case {
    const char* what;
    std::string body;
  };
  std::string big_enum = "enum big \"大\" {\n";
  for (int i = 0; i < 70; ++i) big_enum += "  m" + std::to_string(i) + " \"m\"\n";
  big_enum += "}\n";
  const std::vector<Case> cases = {
      {"a set of a member past 64", big_enum + "rule s: set of big = {m0, m66}\nrule t: bool = m67 in {m68, m69}\n"},
      {"money times a count, overflowing", "rule big: money = 999999999999.99 * 999999999"},
      {"a sum overflowing", "rule big: money = 9000000000000 + 9000000000000 + 9000000000000"},
      {"a difference overflowing", "rule big: money = 0 - 9000000000000 - 9000000000000 - 9000000000000"},
      {"a negated largest amount", "rule big: money = -(-9223372036854.775807)"},
      {"a rate of a huge amount", "rule big: money = 100% * 9223372036854.775807"},
      {"counts multiplied", "rule big: count = 9223372036854 * 9223372036854"},
      {"points beyond any rate", "rule big: rate = 80% + 9223372036854 points"},
      {"a date moved past year 9999", "rule big: date = 9999-12-31 + 100000 days"},
      {"a date moved before year 1", "rule big: date = 0001-01-01 - 100000 months"},
      {"a date from huge parts", "rule big: date = date_of(9223372036854, 9223372036854, 9223372036854)"},
      {"an age across all years", "rule big: count = age_on(0001-01-01, 9999-12-31)"},
      {"progressive over a huge amount",
       "rule big: money = progressive(brackets { 0 to 1: 100%, above 1: 100% }, 9223372036854.775807)"},
      {"a domain at the edge", "domain huge: 0..9223372036854\nrule big: bool = true"},
      {"a year number too large", "rule big: count = year_of(9999-12-31) * 9223372036854"},
  };
  for (const auto& c : cases) {
    const Outcome o = compile_text(policy(c.body), c.what);
    INFO(c.what << "\n" << o.rendered.substr(0, 2000));
    SUCCEED();
  }
}
