// examples.h: a policy's worked examples (`policies/<region>/<year>.test.yb`,
// starting `examples for <policy-id>`) -> request lines and expectations,
// checked against the policy's request schema; and running them.
//
// Each example becomes one or more JSON request lines built from its field
// assignments (so examples go through the same reader as real requests),
// settled in order with one ledger; each `expect path = value` is compared
// with the result line.
#pragma once

#include <string>
#include <vector>

#include "lang/ast.h"
#include "lang/diagnostics.h"
#include "lang/source.h"
#include "yibao/ir.h"

namespace yibao::compiler {

struct Expectation {
  std::vector<std::string> path;  // {"settlement", "basic"}; {"settlement", "error", "code"}
  std::string expected_json;      // `26700.00`, `"before_coverage"`, `true`, `null`
  std::string written;            // as written, for messages
  Span span;
};

struct ExampleRequest {
  std::string name;
  std::string line;  // the JSON request
  std::vector<Expectation> expectations;
  Span span;
};

struct Example {
  std::string name;
  std::vector<ExampleRequest> requests;
  Span span;
};

// The examples of a parsed examples file, for `program`. Reports mistakes
// (unknown fields, values of the wrong type, an examples file for another
// policy) into `diagnostics`.
std::vector<Example> lower_examples(const ast::File& file, const ir::Program& program, const SourceManager& sources,
                                    Diagnostics& diagnostics);

struct ExampleFailure {
  std::string example;
  std::string request;
  Span span;
  std::string message;  // "settlement.basic: expected 26700.00, got 26000.00"
};

struct ExampleReport {
  int passed = 0;
  int failed = 0;
  std::vector<ExampleFailure> failures;
  std::vector<std::string> result_lines;  // every result, in order
};

// Settles every example (each with fresh ledgers) and compares.
ExampleReport run_examples(const ir::Program& program, const std::vector<Example>& examples);

// `policies/liaoyuan/2023.yb` -> `policies/liaoyuan/2023.test.yb`.
std::string examples_path_for(const std::string& policy_path);

}  // namespace yibao::compiler
