// The registry of subcommands. Each subcommand's file registers itself (see
// command.h), so that adding one touches no shared table.
#include <algorithm>
#include <vector>

#include "compiler/cli/command.h"

namespace yibao::cli {

namespace {

struct Entry {
  Command command;
  int rank;
};

// A function-local static: registrations run during static initialisation,
// in an unspecified order across files, possibly before any namespace-scope
// vector here would be constructed.
std::vector<Entry>& entries() {
  static std::vector<Entry> all;
  return all;
}

}  // namespace

Registration::Registration(Command command, int rank) { entries().push_back({command, rank}); }

std::span<const Command> commands() {
  static const std::vector<Command> sorted = [] {
    std::vector<Entry> all = entries();
    std::sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) {
      return a.rank != b.rank ? a.rank < b.rank : a.command.name < b.command.name;
    });
    std::vector<Command> out;
    for (const Entry& e : all) out.push_back(e.command);
    return out;
  }();
  return sorted;
}

}  // namespace yibao::cli
