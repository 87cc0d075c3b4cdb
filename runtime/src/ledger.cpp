// ledger.cpp: the in-memory ledger store and its hash index.
#include "yibao/ledger.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace yibao {
namespace {

// A fast 64-bit mix of the id's bytes, 8 at a time, and the year.
std::uint64_t hash_key(std::string_view s, std::int32_t year) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(year)) << 17) ^ s.size();
  std::size_t i = 0;
  const auto mix = [&h](std::uint64_t word) {
    h ^= word;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 31;
  };
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, s.data() + i, 8);
    mix(word);
  }
  if (i < s.size()) {
    std::uint64_t word = 0;
    std::memcpy(&word, s.data() + i, s.size() - i);
    mix(word);
  }
  h ^= h >> 29;
  h *= 0x94D049BB133111EBULL;
  return h ^ (h >> 32);
}

}  // namespace

LedgerStore::LedgerStore(std::string policy, std::vector<std::string> slot_names)
    : policy_(std::move(policy)), slot_names_(std::move(slot_names)), table_(16, 0) {}

int LedgerStore::slot_index(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < slot_names_.size(); ++i) {
    if (slot_names_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::size_t LedgerStore::probe(std::string_view person, std::int32_t year, std::uint32_t hash) const noexcept {
  const std::size_t mask = table_.size() - 1;
  std::size_t i = hash & mask;
  while (table_[i] != 0) {
    const std::size_t index = table_[i] - 1;
    // A store of many people does not fit in the caches: ask for the
    // ledger's slots (read next, by the evaluator) now, so that their miss
    // overlaps those of the key's checks instead of following them.
    __builtin_prefetch(slots_.data() + index * slot_names_.size());
    const Meta& m = metas_[index];
    if (hashes_[index] == hash && m.year == year && name_of(m) == person) return i;
    i = (i + 1) & mask;
  }
  return i;
}

std::size_t LedgerStore::find(std::string_view person, std::int32_t year) const noexcept {
  const auto hash = static_cast<std::uint32_t>(hash_key(person, year));
  const std::size_t i = probe(person, year, hash);
  return table_[i] == 0 ? npos : table_[i] - 1;
}

std::size_t LedgerStore::find_or_create(std::string_view person, std::int32_t year) {
  const auto hash = static_cast<std::uint32_t>(hash_key(person, year));
  std::size_t i = probe(person, year, hash);
  if (table_[i] != 0) return table_[i] - 1;
  if (metas_.size() >= UINT32_MAX - 1) return npos;
  // Keep the load at most 1/2 so that probes stay short.
  if ((metas_.size() + 1) * 2 > table_.size()) {
    grow();
    i = probe(person, year, hash);
  }
  const std::size_t index = metas_.size();
  metas_.push_back(Meta{names_.size(), static_cast<std::uint32_t>(person.size()), year});
  names_.append(person);
  hashes_.push_back(hash);
  slots_.resize(slots_.size() + slot_count(), 0);
  table_[i] = static_cast<std::uint32_t>(index + 1);
  return index;
}

void LedgerStore::grow() {
  std::vector<std::uint32_t> bigger(table_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (std::size_t index = 0; index < metas_.size(); ++index) {
    std::size_t i = hashes_[index] & mask;
    while (bigger[i] != 0) i = (i + 1) & mask;
    bigger[i] = static_cast<std::uint32_t>(index + 1);
  }
  table_ = std::move(bigger);
}

LedgerEntry LedgerStore::entry(std::size_t index) const noexcept {
  const Meta& m = metas_[index];
  return LedgerEntry{name_of(m), m.year, slots(index)};
}

void LedgerStore::clear() noexcept {
  names_.clear();
  metas_.clear();
  hashes_.clear();
  slots_.clear();
  std::fill(table_.begin(), table_.end(), 0);
}

}  // namespace yibao
