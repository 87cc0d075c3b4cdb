// rule_set_file.h: a compiled rule set (`yibao compile POLICY.yb -o
// POLICY.ybc`): an ir::Program as bytes and back, so that an engine settles
// claims without the parser or the compiler. The byte layout, the version
// policy and the compatibility promise are in docs/rule-set-format.md.
//
// The bytes depend only on the program, never on the source's formatting:
// by default no source locations are written (every ir::Loc loads as
// absent, and Program::files as empty), so reformatting a policy or moving
// it to another folder leaves its compiled bytes unchanged. The price is
// that explain traces and overflow messages of a loaded program carry no
// `file:line`. RuleSetWriteOptions::debug_info (`yibao compile -g`) adds a
// line table with the files and lines, exactly as the compiler gave them.
//
// Loading never trusts the bytes: any input gives a program or an error
// naming what is wrong (and the byte offset where that applies); counts are
// checked against the bytes left before anything is allocated, and the
// loaded program passes validate_program(), so that evaluating it cannot
// read out of bounds.
//
// Thread safety: pure functions; a loaded Program is a plain value.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "yibao/expected.h"
#include "yibao/ir.h"

namespace yibao {

// The first bytes of every rule-set file: "\x89YBC\r\n\x1a\n" (a non-ASCII
// byte, then line endings and ^Z, so that a text-mode copy is detected).
inline constexpr std::uint8_t kRuleSetMagic[8] = {0x89, 'Y', 'B', 'C', '\r', '\n', 0x1a, '\n'};
// The format version this build writes and the only one it reads.
inline constexpr std::uint32_t kRuleSetFormatVersion = 1;

struct RuleSetWriteOptions {
  bool debug_info = false;  // source lines for explain
};

std::vector<std::uint8_t> write_rule_set(const ir::Program& program, RuleSetWriteOptions options = {});

// Never crashes on any bytes; see above.
Expected<ir::Program> read_rule_set(std::span<const std::uint8_t> bytes);
Expected<ir::Program> read_rule_set_file(const std::string& path);

// Whether `bytes` start with the rule-set magic number (for tools that take
// either a policy's source or its compiled form).
bool is_rule_set(std::span<const std::uint8_t> bytes) noexcept;
// The same for a file's first bytes; false when it cannot be read.
bool is_rule_set_file(const std::string& path) noexcept;

// Checks everything the evaluator, the settler and the IR printer rely on
// and that the type system of the compiler otherwise guarantees: every index
// in range (node kids, rule roots, table, ledger, field, record, enum,
// string, schedule references), op arities, table and schedule shapes,
// ledger slots within Program::ledger_slots, an acyclic node graph no
// deeper than kMaxRuleSetDepth, and that every value used as an index at
// run time (enumeration members, texts, schedules) can only come from
// places that hold valid ones. Returns the first problem found.
inline constexpr std::uint32_t kMaxRuleSetDepth = 5000;
inline constexpr std::int32_t kMaxLedgerSlots = 1 << 16;
Status validate_program(const ir::Program& program);

}  // namespace yibao
