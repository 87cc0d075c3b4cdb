// The registry of subcommands, in pipeline order. Coming: ir, eval, test,
// compile, fmt, diff, explain, doc.
#include "compiler/cli/command.h"

namespace yibao::cli {

namespace {

const Command registry[] = {
    {"check", "check policies and report errors and warnings", setup_check},
};

}  // namespace

std::span<const Command> commands() { return registry; }

}  // namespace yibao::cli
