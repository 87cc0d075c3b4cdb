// key_table.h (internal): a fixed set of names -> small integers, looked up
// by string_view without allocating.
//
// The request reader looks up JSON keys and enum strings; this table is
// built once from the schema and answers in a few nanoseconds: the hash
// reads at most 16 bytes of the name whatever its length, and linear
// probing in a half-empty table settles collisions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yibao::detail {

class KeyTable {
 public:
  KeyTable() = default;
  // Names must be distinct (Schema::validate ensures it).
  explicit KeyTable(std::vector<std::pair<std::string, int>> entries) {
    std::size_t size = 4;
    while (size < entries.size() * 2) size *= 2;
    mask_ = size - 1;
    buckets_.assign(size, -1);
    for (auto& [name, value] : entries) {
      names_.push_back(std::move(name));
      values_.push_back(value);
    }
    for (std::size_t k = 0; k < names_.size(); ++k) {
      std::size_t i = hash(names_[k]) & mask_;
      while (buckets_[i] != -1) i = (i + 1) & mask_;
      buckets_[i] = static_cast<int>(k);
    }
  }

  // Position of `name` among the entries, or -1.
  int find_entry(std::string_view name) const noexcept {
    if (buckets_.empty()) return -1;
    std::size_t i = hash(name) & mask_;
    for (int k = buckets_[i]; k != -1; k = buckets_[i]) {
      if (names_[static_cast<std::size_t>(k)] == name) return k;
      i = (i + 1) & mask_;
    }
    return -1;
  }
  // The value of `name`, or -1.
  int find(std::string_view name) const noexcept {
    const int k = find_entry(name);
    return k < 0 ? -1 : values_[static_cast<std::size_t>(k)];
  }

  std::size_t size() const noexcept { return names_.size(); }
  const std::string& name(int entry) const noexcept { return names_[static_cast<std::size_t>(entry)]; }
  int value(int entry) const noexcept { return values_[static_cast<std::size_t>(entry)]; }
  // The names, in the order given, for suggestions and messages.
  const std::vector<std::string>& names() const noexcept { return names_; }

 private:
  // Mixes the length with the first and last 8 bytes (fewer for short
  // names): schema names differ there, and the equality check settles the rest.
  static std::size_t hash(std::string_view s) noexcept {
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    const std::size_t n = s.size();
    if (n >= 8) {
      std::memcpy(&head, s.data(), 8);
      std::memcpy(&tail, s.data() + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t a = 0;
      std::uint32_t b = 0;
      std::memcpy(&a, s.data(), 4);
      std::memcpy(&b, s.data() + n - 4, 4);
      head = a;
      tail = b;
    } else if (n > 0) {
      head = static_cast<unsigned char>(s[0]) | static_cast<std::uint64_t>(static_cast<unsigned char>(s[n / 2])) << 8 |
             static_cast<std::uint64_t>(static_cast<unsigned char>(s[n - 1])) << 16;
    }
    std::uint64_t h = (head ^ 0x9E3779B97F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL;
    h ^= (tail + n) * 0x94D049BB133111EBULL;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }

  std::vector<std::string> names_;
  std::vector<int> values_;
  std::vector<int> buckets_;  // entry index, or -1 for an empty bucket
  std::size_t mask_ = 0;
};

}  // namespace yibao::detail
