// ledger.h: (person id, benefit year) -> a fixed array of int64 slots, kept
// for a run, saved to and loaded from a JSON Lines file.
//
// Caps, yearly deductibles and running thresholds accumulate per person and
// benefit year (interchange.md, "Ledgers"). The policy says how many slots
// a ledger has and names them; every slot is money in micro-yuan. A new
// ledger starts with all slots 0.
//
// Memory: a ledger costs 8 bytes per slot (64 bytes for 8 slots), plus
// about 48 bytes of index (an entry, and two buckets at the table's most
// loaded), and the person id's bytes when longer than 16.
// Ledgers live in contiguous arrays indexed by an open-addressing hash
// table, and lookup by a string_view id allocates nothing.
//
// Speed: a store of many people does not fit in the caches, and a stream
// of claims visits people in no useful order, so a lookup is mostly memory
// latency. The table's buckets hold each key's hash beside its index, and
// ids of up to 16 bytes are kept in the ledger's own entry, so that a hit
// costs two dependent misses (bucket, then entry and slots together).
// A caller that knows its next keys early (settle_stream decodes a line
// ahead) can take even those off the critical path: prefetch_bucket() when
// the key is known, prefetch_ledger() some time later, find_or_create()
// later still.
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

  // The same lookups with the key's hash computed before (hash_of).
  static std::uint64_t hash_of(std::string_view person, std::int32_t year) noexcept;
  std::size_t find_or_create(std::string_view person, std::int32_t year, std::uint64_t hash);
  // Hints, with no effect on results: start loading the bucket where the
  // key's probe begins; and, once that has arrived, the entries and slots
  // of the ledgers its probe would compare.
  void prefetch_bucket(std::uint64_t hash) const noexcept;
  void prefetch_ledger(std::uint64_t hash) const noexcept;

  // Slots of ledger `index` (from find or find_or_create, or < size()).
  std::span<std::int64_t> slots(std::size_t index) noexcept {
    return {slots_.data() + index * slot_count(), slot_count()};
  }
  std::span<const std::int64_t> slots(std::size_t index) const noexcept {
    return {slots_.data() + index * slot_count(), slot_count()};
  }
  // Ledger `index` with its key; ledgers are indexed in creation order.
  // The entry's views are valid until the next ledger is created.
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
  // Ids of up to kInlineName bytes are kept in the entry itself (compared
  // with no further miss); longer ones in names_.
  static constexpr std::size_t kInlineName = 16;
  struct Meta {
    std::uint32_t name_length;
    std::int32_t year;
    std::uint64_t name_offset;     // into names_, for a longer id
    char name[kInlineName];        // the id, for a short one (zero-padded)
  };

  std::string_view name_of(const Meta& m) const noexcept {
    return m.name_length <= kInlineName ? std::string_view(m.name, m.name_length)
                                        : std::string_view(names_).substr(m.name_offset, m.name_length);
  }
  // A bucket: the key's 32-bit hash above, ledger index + 1 below; 0 is empty.
  static std::uint64_t bucket_of(std::uint32_t hash, std::size_t index) noexcept {
    return std::uint64_t{hash} << 32 | static_cast<std::uint32_t>(index + 1);
  }
  // Position in table_ holding (person, year), or of the empty bucket where it would go.
  std::size_t probe(std::string_view person, std::int32_t year, std::uint32_t hash) const noexcept;
  void grow();

  std::string policy_;
  std::vector<std::string> slot_names_;

  std::string names_;                 // ids longer than kInlineName, back to back
  std::vector<Meta> metas_;           // per ledger
  std::vector<std::int64_t> slots_;   // per ledger: slot_count() values
  std::vector<std::uint64_t> table_;  // buckets (bucket_of), or 0; size a power of 2
};

}  // namespace yibao
