// The rule-set file's shared pieces: section names, CRC-32C, the IR signature.
#include "rule_set_format.h"

namespace yibao::rule_set {

namespace {

// Byte-at-a-time table for the reflected Castagnoli polynomial. Rule sets
// are small (tens of kilobytes), so one table lookup per byte is plenty.
constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? (c >> 1) ^ 0x82F63B78U : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

}  // namespace

std::uint32_t crc32c(std::span<const std::uint8_t> bytes, std::uint32_t crc) {
  crc = ~crc;
  for (const std::uint8_t b : bytes) crc = kCrcTable[(crc ^ b) & 0xffU] ^ (crc >> 8);
  return ~crc;
}

std::uint32_t ir_signature() {
  std::string text;
#define X(name, arity, doc) text += #name "/" #arity ";";
#include "yibao/ir_ops.def"
#undef X
  for (std::uint8_t t = 0; t < kIrTypeCount; ++t) {
    text += ir::type_name(static_cast<ir::Type>(t));
    text += ';';
  }
  return crc32c({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

std::uint8_t ir_op_count() {
  std::uint8_t n = 0;
#define X(name, arity, doc) ++n;
#include "yibao/ir_ops.def"
#undef X
  return n;
}

const char* section_name(std::uint32_t id) {
  switch (static_cast<SectionId>(id)) {
    case SectionId::identity: return "identity";
    case SectionId::schema: return "schema";
    case SectionId::strings: return "strings";
    case SectionId::nodes: return "nodes";
    case SectionId::rules: return "rules";
    case SectionId::params: return "params";
    case SectionId::unspecifieds: return "unspecifieds";
    case SectionId::tables: return "tables";
    case SectionId::schedules: return "schedules";
    case SectionId::switches: return "switches";
    case SectionId::adjusts: return "adjusts";
    case SectionId::ledgers: return "ledgers";
    case SectionId::sections: return "sections";
    case SectionId::checks: return "checks";
    case SectionId::lines: return "lines";
  }
  return "unknown";
}

}  // namespace yibao::rule_set
