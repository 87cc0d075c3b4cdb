// The seed policies compiled for the API tests, once per process.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "yibao/yibao.hpp"

namespace yibao::test {

// policies/<region>/<year>.yb, compiled (e.g. "dianjiang-2024").
std::shared_ptr<const RuleSet> seed_rule_set(std::string_view id);
// The path of a file under the source tree.
std::string source_path(std::string_view relative);
// The lines of a file, without their '\n'.
std::vector<std::string> read_lines(const std::string& path);
// A whole file.
std::string read_file(const std::string& path);
// An Outcome as comparable text: refusal or id, then every section's kind,
// reason, error and fields (raw value and text).
std::string describe(const Outcome& o);

}  // namespace yibao::test
