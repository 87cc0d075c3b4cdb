// rule_set_format.h: what the rule-set writer and reader share: the header
// layout, the section ids, the CRC-32C checksum, the IR signature, and the
// byte-level encoder and (bounds-checked) decoder. docs/rule-set-format.md
// describes the same layout for people; keep the two in step.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "yibao/rule_set_file.h"

namespace yibao::rule_set {

// Header: fixed size, at offset 0.
//   0  magic[8]
//   8  u32 format version
//  12  u32 byte-order mark 0x01020304, written in the writer's byte order
//  16  u8 size of int32 (4), u8 size of int64 (8), u8 IR op count, u8 IR type count
//  20  u32 IR signature (CRC-32C of the op and type names and arities)
//  24  u32 flags (kFlagDebugInfo)
//  28  u32 section count
//  32  u64 file size, checksum included
//  40  section table: count x { u32 id, u32 zero, u64 offset, u64 size }
//  ... sections, in the table's order
//  end u32 CRC-32C of every byte before it
inline constexpr std::size_t kHeaderSize = 40;
inline constexpr std::size_t kSectionEntrySize = 24;
inline constexpr std::size_t kChecksumSize = 4;
inline constexpr std::uint32_t kByteOrderMark = 0x01020304;
inline constexpr std::uint32_t kFlagDebugInfo = 1;

enum class SectionId : std::uint32_t {
  identity = 1,     // policy_id, title, region, source, year
  schema = 2,       // enums, records, fields, id_field, ledger_key_field, domains
  strings = 3,      // Program::strings
  nodes = 4,        // nodes and kids
  rules = 5,
  params = 6,
  unspecifieds = 7,
  tables = 8,
  schedules = 9,    // segments and schedules
  switches = 10,
  adjusts = 11,
  ledgers = 12,     // ledgers and ledger_slots
  sections = 13,    // result sections, their reasons, fields and updates
  checks = 14,
  lines = 15,       // debug info only: files and every Loc, in a fixed order
};
inline constexpr std::uint32_t kFirstSection = 1;
inline constexpr std::uint32_t kLastSection = 15;
const char* section_name(std::uint32_t id);

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as in iSCSI and
// ext4: check value 0xE3069283 for "123456789".
std::uint32_t crc32c(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0);

// A fingerprint of the IR definition this build was compiled with (op
// names, order and arity; type names and order): a file written by a build
// whose ir_ops.def differs is refused rather than misread.
std::uint32_t ir_signature();
std::uint8_t ir_op_count();
inline constexpr std::uint8_t kIrTypeCount = 12;  // ir::Type, brackets last
inline constexpr std::uint8_t kFieldTypeCount = 7;
inline constexpr std::uint8_t kPresenceCount = 3;

// Every source location of a program, in the order the `lines` section
// stores them. `P` is ir::Program or const ir::Program.
template <class P, class F>
void for_each_loc(P& p, F&& f) {
  for (auto& n : p.nodes) f(n.loc);
  for (auto& r : p.rules) f(r.loc);
  for (auto& prm : p.params) f(prm.loc);
  for (auto& u : p.unspecifieds) f(u.loc);
  for (auto& t : p.tables) f(t.loc);
  for (auto& l : p.ledgers) f(l.loc);
  for (auto& s : p.sections) {
    f(s.loc);
    for (auto& r : s.reasons) f(r.loc);
    for (auto& fld : s.fields) f(fld.loc);
    for (auto& u : s.updates) f(u.loc);
  }
  for (auto& c : p.checks) f(c.loc);
}

// Appends fixed-width integers in the machine's byte order, strings as u32
// length + bytes, and patches sizes in place.
class Encoder {
 public:
  std::vector<std::uint8_t>& bytes() { return out_; }
  std::size_t size() const { return out_.size(); }

  template <class T>
  void put(T v) {
    static_assert(std::is_integral_v<T>);
    std::uint8_t raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    out_.insert(out_.end(), raw, raw + sizeof(T));
  }
  void u8(std::uint8_t v) { put(v); }
  void u32(std::uint32_t v) { put(v); }
  void i32(std::int32_t v) { put(v); }
  void i64(std::int64_t v) { put(v); }
  void u64(std::uint64_t v) { put(v); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void count(std::size_t n) { u32(static_cast<std::uint32_t>(n)); }
  void string(std::string_view s) {
    count(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  template <class T>
  void patch(std::size_t at, T v) {
    std::memcpy(out_.data() + at, &v, sizeof(T));
  }

 private:
  std::vector<std::uint8_t> out_;
};

// Reads what Encoder wrote from a byte range, never past its end. The first
// failure is kept (with the absolute byte offset where it happened) and
// every later read returns zeros, so a decoder reads straight through and
// checks ok() once per item.
class Decoder {
 public:
  // `base` is the offset of bytes[0] in the file, for messages.
  Decoder(std::span<const std::uint8_t> bytes, std::size_t base, std::string_view what)
      : bytes_(bytes), base_(base), what_(what) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::size_t offset() const { return base_ + at_; }
  std::size_t left() const { return bytes_.size() - at_; }
  bool at_end() const { return at_ == bytes_.size(); }

  template <class T>
  T get() {
    static_assert(std::is_integral_v<T>);
    T v{};
    if (!ok()) return v;
    if (left() < sizeof(T)) {
      fail("truncated: needs " + std::to_string(sizeof(T)) + " bytes, " + std::to_string(left()) + " left");
      return v;
    }
    std::memcpy(&v, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  std::uint8_t u8() { return get<std::uint8_t>(); }
  std::uint32_t u32() { return get<std::uint32_t>(); }
  std::int32_t i32() { return get<std::int32_t>(); }
  std::int64_t i64() { return get<std::int64_t>(); }
  std::uint64_t u64() { return get<std::uint64_t>(); }
  bool boolean() {
    const std::size_t at = offset();
    const std::uint8_t v = u8();
    if (v > 1) fail_at(at, "a flag is " + std::to_string(v) + ", expected 0 or 1");
    return v == 1;
  }
  // An enumeration stored as u8, below `limit`.
  template <class E>
  E enumerated(std::uint8_t limit, std::string_view name) {
    const std::size_t at = offset();
    const std::uint8_t v = u8();
    if (ok() && v >= limit) fail_at(at, std::string(name) + " " + std::to_string(v) + " is out of range (0.." + std::to_string(limit - 1) + ")");
    return ok() ? static_cast<E>(v) : E{};
  }
  // A count of items each at least `min_item_bytes` long: never more than
  // the bytes left could hold, so a corrupt count cannot make the reader
  // allocate more than the file's size.
  std::size_t count(std::size_t min_item_bytes, std::string_view items) {
    const std::size_t at = offset();
    const std::uint32_t n = u32();
    if (!ok()) return 0;
    if (min_item_bytes > 0 && n > left() / min_item_bytes) {
      fail_at(at, std::to_string(n) + " " + std::string(items) + " cannot fit in the " + std::to_string(left()) +
                      " bytes left");
      return 0;
    }
    return n;
  }
  std::string string() {
    const std::size_t n = count(1, "bytes of text");
    if (!ok()) return {};
    std::string s(reinterpret_cast<const char*>(bytes_.data() + at_), n);
    at_ += n;
    return s;
  }

  void fail(const std::string& message) { fail_at(offset(), message); }
  void fail_at(std::size_t at, const std::string& message) {
    if (!ok()) return;
    error_ = std::string(what_) + " section at byte " + std::to_string(at) + ": " + message;
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t base_;
  std::size_t at_ = 0;
  std::string_view what_;
  std::string error_;
};

}  // namespace yibao::rule_set
