// The registry of subcommands, in pipeline order. Coming: compile, fmt, diff,
// explain, doc.
#include "compiler/cli/command.h"

namespace yibao::cli {

namespace {

const Command registry[] = {
    {"check", "check policies and report errors and warnings", setup_check},
    {"ir", "print a policy's intermediate representation", setup_ir},
    {"eval", "settle requests (JSON Lines) against a policy", setup_eval},
    {"test", "run the policies' worked examples", setup_test},
};

}  // namespace

std::span<const Command> commands() { return registry; }

}  // namespace yibao::cli
