// key_table.h (internal): a fixed set of names -> small integers, looked up
// by string_view without allocating.
//
// The request reader looks up every JSON key and enum string it sees; a
// small open-addressing table with FNV-1a costs a few nanoseconds per name
// and is built once from the schema.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yibao::detail {

class KeyTable {
 public:
  KeyTable() = default;
  // Names must be distinct (Schema::validate ensures it).
  explicit KeyTable(const std::vector<std::pair<std::string, int>>& entries) {
    std::size_t size = 4;
    while (size < entries.size() * 2) size *= 2;
    mask_ = size - 1;
    slots_.assign(size, Slot{});
    names_.reserve(entries.size());
    for (const auto& [name, value] : entries) names_.push_back(name);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      std::size_t i = hash(names_[k]) & mask_;
      while (slots_[i].value != kEmpty) i = (i + 1) & mask_;
      slots_[i] = Slot{names_[k], entries[k].second};
    }
  }

  // Slots view the strings inside names_: a move keeps them in place, a copy
  // would not.
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;
  KeyTable(KeyTable&&) noexcept = default;
  KeyTable& operator=(KeyTable&&) noexcept = default;
  ~KeyTable() = default;

  // The value of `name`, or -1.
  int find(std::string_view name) const noexcept {
    if (slots_.empty()) return -1;
    std::size_t i = hash(name) & mask_;
    while (slots_[i].value != kEmpty) {
      if (slots_[i].name == name) return slots_[i].value;
      i = (i + 1) & mask_;
    }
    return -1;
  }

  // The names, in the order given, for suggestions and messages.
  const std::vector<std::string>& names() const noexcept { return names_; }

 private:
  static constexpr int kEmpty = -1;
  struct Slot {
    std::string_view name;  // views names_, whose buffer never moves after construction
    int value = kEmpty;
  };

  static std::size_t hash(std::string_view s) noexcept {
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    return static_cast<std::size_t>(h ^ (h >> 29));
  }

  std::vector<std::string> names_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace yibao::detail
