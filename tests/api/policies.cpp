#include "policies.h"

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "compiler/compile.h"

namespace yibao::test {

std::string source_path(std::string_view relative) { return std::string(YIBAO_SOURCE_DIR) + "/" + std::string(relative); }

std::shared_ptr<const RuleSet> seed_rule_set(std::string_view id) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const RuleSet>, std::less<>> cache;
  const std::lock_guard lock(mutex);
  if (const auto it = cache.find(id); it != cache.end()) return it->second;
  const auto dash = id.rfind('-');
  const std::string path =
      source_path("policies/" + std::string(id.substr(0, dash)) + "/" + std::string(id.substr(dash + 1)) + ".yb");
  SourceManager sources;
  Diagnostics diagnostics;
  auto program = compiler::compile_policy(sources, path, {}, diagnostics);
  if (!program) throw std::runtime_error("cannot compile " + path);
  auto rule_set = RuleSet::from_program(std::move(*program));
  if (!rule_set) throw std::runtime_error(rule_set.error());
  cache.emplace(std::string(id), *rule_set);
  return *rule_set;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string describe(const Outcome& o) {
  std::string s = o.refused ? "refused: " + std::string(o.message) : "answered";
  if (o.id) s += " id=" + std::string(*o.id);
  for (const SectionResult& section : o.sections) {
    s += " | " + std::string(section.name) + ":" + std::to_string(static_cast<int>(section.kind));
    s += " " + std::string(section.reason) + " " + std::to_string(static_cast<int>(section.error)) + " " +
         std::string(section.error_name);
    for (const FieldValue& f : section.fields) s += " " + std::string(f.name) + "=" + std::to_string(f.raw) + "/" + std::string(f.text);
  }
  return s;
}

}  // namespace yibao::test
