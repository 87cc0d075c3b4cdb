// ledger.h: (person id, benefit year) -> a fixed array of int64 slots, kept
// for a run, saved to and loaded from a JSON Lines file.
//
// Caps, yearly deductibles and running thresholds accumulate per person and
// benefit year (interchange.md, "Ledgers"). The policy says how many slots
// a ledger has and names them; every slot is money in micro-yuan. A new
// ledger starts with all slots 0.
//
// Memory: a ledger costs 8 bytes per slot (64 bytes for 8 slots), plus
// about 30 bytes of index and the person id's bytes. Ledgers live in
// contiguous arrays indexed by an open-addressing hash table, and lookup
// by a string_view id allocates nothing.
//
// Indices returned by find/find_or_create stay valid for the store's life
// (ledgers are never removed); a span from slots() stays valid until the
// next ledger is created.
//
// File format, one ledger per line, in the order the ledgers were created:
//   {"policy": "liaoyuan-2023", "person": "p-3", "year": 2023, "slots": {"basic_paid": 1234.56, "critical_paid": 0.00}}
// `policy` is the policy's identifier and must match the store's; `year`
// is the benefit year, a plain integer; `slots` names every slot of the
// policy exactly once, in any order, each a JSON number with at least two
// and at most six decimals (the exact micro-yuan, trailing zeros trimmed),
// possibly negative. Unknown or missing slots, unknown keys, a key given
// twice and a ledger given twice are refused. Blank lines and a leading
// byte-order mark are ignored, as in request files.
//
// Thread safety: none; one store per run (or per thread, partitioned by
// person).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "yibao/expected.h"
#include "yibao/line_reader.h"

namespace yibao {

struct LedgerEntry {
  std::string_view person;
  std::int32_t year = 0;
  std::span<const std::int64_t> slots;
};

class LedgerStore {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  LedgerStore(std::string policy, std::vector<std::string> slot_names);

  const std::string& policy() const noexcept { return policy_; }
  const std::vector<std::string>& slot_names() const noexcept { return slot_names_; }
  std::size_t slot_count() const noexcept { return slot_names_.size(); }
  // Index of the slot called `name`, or -1.
  int slot_index(std::string_view name) const noexcept;

  // Number of ledgers.
  std::size_t size() const noexcept { return metas_.size(); }

  // The ledger of (person, year), or npos.
  std::size_t find(std::string_view person, std::int32_t year) const noexcept;
  // The ledger of (person, year), created with zero slots if absent. Returns
  // npos only if the store holds 2^32 - 1 ledgers already.
  std::size_t find_or_create(std::string_view person, std::int32_t year);

  // Slots of ledger `index` (from find or find_or_create, or < size()).
  std::span<std::int64_t> slots(std::size_t index) noexcept {
    return {slots_.data() + index * slot_count(), slot_count()};
  }
  std::span<const std::int64_t> slots(std::size_t index) const noexcept {
    return {slots_.data() + index * slot_count(), slot_count()};
  }
  // Ledger `index` with its key; ledgers are indexed in creation order.
  LedgerEntry entry(std::size_t index) const noexcept;

  // Removes every ledger; keeps policy and slot names.
  void clear() noexcept;

  // ---- files (ledger_file.cpp) --------------------------------------------

  // Appends ledger `index` as one line of the file format, '\n' included.
  void append_line(std::size_t index, std::string& out) const;
  // Writes every ledger to `path`, through a temporary file renamed over it
  // so that a failed save never leaves half a file.
  Status save_file(const std::string& path) const;
  // Adds the ledgers read from `lines`. All or nothing: on an error
  // ("line 3: slots.basic_paid: ...") the store is unchanged. A ledger that
  // the store already holds is an error.
  Status load(LineReader& lines);
  Status load_file(const std::string& path);

 private:
  struct Meta {
    std::uint64_t name_offset;  // into names_
    std::uint32_t name_length;
    std::int32_t year;
  };

  std::string_view name_of(const Meta& m) const noexcept {
    return std::string_view(names_).substr(m.name_offset, m.name_length);
  }
  // Position in table_ holding (person, year), or of the empty bucket where it would go.
  std::size_t probe(std::string_view person, std::int32_t year, std::uint32_t hash) const noexcept;
  void grow();

  std::string policy_;
  std::vector<std::string> slot_names_;

  std::string names_;                // person ids, back to back
  std::vector<Meta> metas_;          // per ledger
  std::vector<std::uint32_t> hashes_;  // per ledger: its key's hash, to compare and rehash cheaply
  std::vector<std::int64_t> slots_;  // per ledger: slot_count() values
  std::vector<std::uint32_t> table_;  // ledger index + 1, or 0 for an empty bucket; size a power of 2
};

}  // namespace yibao
