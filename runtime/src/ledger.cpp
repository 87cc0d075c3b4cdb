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

std::uint64_t LedgerStore::hash_of(std::string_view person, std::int32_t year) noexcept {
  return hash_key(person, year);
}

std::size_t LedgerStore::probe(std::string_view person, std::int32_t year, std::uint32_t hash) const noexcept {
  const std::size_t mask = table_.size() - 1;
  std::size_t i = hash & mask;
  for (std::uint64_t b = table_[i]; b != 0; b = table_[i]) {
    if (static_cast<std::uint32_t>(b >> 32) == hash) {
      const std::size_t index = static_cast<std::uint32_t>(b) - 1;
      // Ask for the ledger's slots (read next, by the evaluator) now, so
      // that their miss overlaps the entry's instead of following it.
      __builtin_prefetch(slots_.data() + index * slot_names_.size());
      const Meta& m = metas_[index];
      if (m.year == year && name_of(m) == person) return i;
    }
    i = (i + 1) & mask;
  }
  return i;
}

void LedgerStore::prefetch_bucket(std::uint64_t hash) const noexcept {
  __builtin_prefetch(table_.data() + (static_cast<std::uint32_t>(hash) & (table_.size() - 1)));
}

void LedgerStore::prefetch_ledger(std::uint64_t hash) const noexcept {
  const auto h = static_cast<std::uint32_t>(hash);
  const std::size_t mask = table_.size() - 1;
  // A few buckets at most (the load stays under 1/2): only those of the
  // same hash lead to an entry that the lookup will read.
  for (std::size_t i = h & mask, n = 0; table_[i] != 0 && n < 8; i = (i + 1) & mask, ++n) {
    if (static_cast<std::uint32_t>(table_[i] >> 32) != h) continue;
    const std::size_t index = static_cast<std::uint32_t>(table_[i]) - 1;
    __builtin_prefetch(metas_.data() + index);
    __builtin_prefetch(slots_.data() + index * slot_names_.size());
  }
}

std::size_t LedgerStore::find(std::string_view person, std::int32_t year) const noexcept {
  const auto hash = static_cast<std::uint32_t>(hash_key(person, year));
  const std::size_t i = probe(person, year, hash);
  return table_[i] == 0 ? npos : static_cast<std::uint32_t>(table_[i]) - 1;
}

std::size_t LedgerStore::find_or_create(std::string_view person, std::int32_t year) {
  return find_or_create(person, year, hash_key(person, year));
}

std::size_t LedgerStore::find_or_create(std::string_view person, std::int32_t year, std::uint64_t full_hash) {
  const auto hash = static_cast<std::uint32_t>(full_hash);
  std::size_t i = probe(person, year, hash);
  if (table_[i] != 0) return static_cast<std::uint32_t>(table_[i]) - 1;
  if (metas_.size() >= UINT32_MAX - 1) return npos;
  // Keep the load at most 1/2 so that probes stay short.
  if ((metas_.size() + 1) * 2 > table_.size()) {
    grow();
    i = probe(person, year, hash);
  }
  const std::size_t index = metas_.size();
  Meta m{static_cast<std::uint32_t>(person.size()), year, 0, {}};
  if (person.size() <= kInlineName) {
    if (!person.empty()) std::memcpy(m.name, person.data(), person.size());  // (an empty view may hold no pointer)
  } else {
    m.name_offset = names_.size();
    names_.append(person);
  }
  metas_.push_back(m);
  slots_.resize(slots_.size() + slot_count(), 0);
  table_[i] = bucket_of(hash, index);
  return index;
}

void LedgerStore::grow() {
  std::vector<std::uint64_t> bigger(table_.size() * 2, 0);
  const std::size_t mask = bigger.size() - 1;
  for (const std::uint64_t b : table_) {
    if (b == 0) continue;
    std::size_t i = static_cast<std::uint32_t>(b >> 32) & mask;
    while (bigger[i] != 0) i = (i + 1) & mask;
    bigger[i] = b;
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
  slots_.clear();
  std::fill(table_.begin(), table_.end(), 0);
}

}  // namespace yibao
