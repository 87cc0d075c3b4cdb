// key_table.h (internal): a fixed set of names -> small integers, looked up
// by string_view without allocating.
//
// The request reader looks up JSON keys and enum strings; this table is
// built once from the schema and answers in a few nanoseconds: the hash
// reads at most 16 bytes of the name whatever its length, and linear
// probing in a half-empty table settles collisions.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>
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

// The same names, looked up by the raw bytes of a JSON key or string (no
// escapes) in a few instructions: the hash takes the bytes and the closing
// quote after them, and names are compared a word at a time. Names of more
// than kMaxName bytes are left to KeyTable (find answers -2 for any such
// key).
//
// A key is given as the bytes before its string's first quote, that quote
// following them in memory (as a JSON string's bytes are followed by its
// closing quote). Reads: 16 bytes from the key's start for a key of up to
// 15 bytes, else the key's bytes and up to 7 more, rounded up to whole
// words; the caller's input is padded (line_reader.h).
class RawKeyTable {
 public:
  static constexpr std::size_t kMaxName = 32;
  static constexpr std::size_t kMaxShort = 15;  // names in the collision-free table

  RawKeyTable() = default;
  // The names of `table`, each with `recode` of its value (the request
  // reader's fast path folds a field's type into its code this way).
  template <class Recode = std::identity>
  explicit RawKeyTable(const KeyTable& table, Recode recode = {}) {
    names_.resize(table.size());
    for (std::size_t k = 0; k < table.size(); ++k) {
      const std::string& name = table.name(static_cast<int>(k));
      Name& n = names_[k];
      n.size = static_cast<std::uint32_t>(name.size());
      n.value = recode(table.value(static_cast<int>(k)));
      if (name.empty() || name.size() > kMaxName) {
        has_long_ = true;
        continue;
      }
      // A name with a byte that a raw JSON string cannot hold as it is (a
      // control character, a quote, a backslash) never matches a raw key:
      // left out (size 0), which also lets lookups go without comparing
      // sizes (see find).
      const bool plain = std::none_of(name.begin(), name.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
      });
      if (!plain) {
        n.size = 0;
        continue;
      }
      // A short name's words as find masks a key's: its bytes, then a quote.
      char bytes[sizeof n.words] = {};
      std::memcpy(bytes, name.data(), name.size());
      if (name.size() <= kMaxShort) bytes[name.size()] = '"';
      std::memcpy(n.words, bytes, sizeof n.words);
    }
    // Names of up to 15 bytes get a collision-free table: the first
    // multiplier, in a fixed sequence, that spreads them over distinct
    // buckets of a table at least twice their number (found in a few tries
    // for schema-sized sets; were none found, every key would be declined,
    // which the full decoder then reads). Longer names are compared one by
    // one, in long_.
    std::size_t size = 16;
    while (size < names_.size() * 2) size *= 2;
    for (; size <= (std::size_t{1} << 20) && !perfect(size); size *= 2) {
    }
    for (std::size_t k = 0; k < names_.size(); ++k) {
      if (names_[k].size > kMaxShort && names_[k].size <= kMaxName) long_.push_back(static_cast<int>(k));
    }
  }

  // The entry of the `size` bytes at `key`, -1 when no name is those bytes,
  // or -2 when the key is too long for this table (ask the KeyTable).
  [[gnu::always_inline]] int find(const char* key, std::size_t size) const noexcept {
    int ignored = 0;
    return find(key, size, ignored);
  }
  // The same, and the entry's value in `value` when found: read with the
  // bucket, which saves the fast path a dependent load on its way from a
  // key to the code for its value.
  // (Inlined: the reader calls it for every key and enum member, and g++
  // left it out of line, a call's saves and restores on every key.)
  [[gnu::always_inline]] int find(const char* key, std::size_t size, int& value) const noexcept {
    if (size - 1 >= kMaxShort) {  // 0 bytes, or more than kMaxShort
      const int entry = find_long(key, size);
      if (entry >= 0) value = names_[static_cast<std::size_t>(entry)].value;
      return entry;
    }
    // Both words masked to the key and its closing quote, without a branch
    // on its length (which varies from key to key, so a branch would be
    // mispredicted often). Equal words mean equal keys, sizes and all:
    // neither a key's bytes (those before its first quote) nor a name's
    // (plain, see the constructor) hold a quote, so where one ends and the
    // other goes on, one word has the quote and the other does not. (Zeros
    // after the end would not do: a key may hold zero bytes.)
    const Masks& m = kMasks[size + 1];
    const std::uint64_t first = load(key) & m.first;
    const std::uint64_t second = load(key + 8) & m.second;
    const Bucket& b = buckets_[static_cast<std::size_t>((mix(first, second) * multiplier_) >> shift_)];
    value = b.value;
    return b.words[0] == first && b.words[1] == second ? b.entry : -1;
  }
  int value(int entry) const noexcept { return names_[static_cast<std::size_t>(entry)].value; }

 private:
  struct Name {
    // The name's bytes, zero after its end; a short name's (kMaxShort bytes
    // at most, for the collision-free table) with its quote first.
    std::uint64_t words[kMaxName / 8] = {};
    std::uint32_t size = 0;
    int value = -1;
  };
  // 32 bytes, a power of two, so that a bucket's address is a shift of its
  // index (24 would cost a multiply on every lookup).
  struct alignas(32) Bucket {
    std::uint64_t words[2] = {};  // zero in an empty bucket, which no key's words equal
    int entry = -1;               // -1: empty
    int value = -1;               // the entry's value
  };

  // The bytes of a key of up to 16 bytes in one word, to be multiplied by
  // the table's multiplier (names often share their first eight bytes, so
  // the second word is spread over the whole word first).
  static std::uint64_t mix(std::uint64_t first, std::uint64_t second) noexcept {
    return first ^ (second * 0xC2B2AE3D27D4EB4FULL);
  }

  // Tries tables of `size` buckets; true when one has no collision.
  bool perfect(std::size_t size) {
    unsigned bits = 0;
    while ((std::size_t{1} << bits) < size) ++bits;
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    std::vector<Bucket> buckets;
    for (int attempt = 0; attempt < 64; ++attempt) {
      // splitmix64, odd
      state += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = state;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      const std::uint64_t multiplier = (z ^ (z >> 31)) | 1;
      buckets.assign(size, Bucket{});
      bool ok = true;
      for (std::size_t k = 0; ok && k < names_.size(); ++k) {
        const Name& n = names_[k];
        if (n.size == 0 || n.size > kMaxShort) continue;
        const std::size_t i = static_cast<std::size_t>((mix(n.words[0], n.words[1]) * multiplier) >> (64 - bits));
        if (buckets[i].entry != -1) {
          ok = false;
          break;
        }
        buckets[i] = Bucket{{n.words[0], n.words[1]}, static_cast<int>(k), n.value};
      }
      if (!ok) continue;
      buckets_ = std::move(buckets);
      multiplier_ = multiplier;
      shift_ = 64 - bits;
      return true;
    }
    return false;
  }

  int find_long(const char* key, std::size_t size) const noexcept {
    if (size > kMaxName || size == 0) return has_long_ ? -2 : -1;
    for (const int k : long_) {
      const Name& n = names_[static_cast<std::size_t>(k)];
      if (n.size != size) continue;
      bool same = true;
      for (std::size_t w = 0; same && w * 8 < size; ++w) same = n.words[w] == word(key, size, w);
      if (same) return k;
    }
    return -1;
  }

  static std::uint64_t load(const char* at) noexcept {
    std::uint64_t v = 0;
    std::memcpy(&v, at, 8);
    return v;
  }
  // The w-th word of a key of `size` bytes, zero after its end.
  static std::uint64_t word(const char* key, std::size_t size, std::size_t w) noexcept {
    const std::size_t left = size - w * 8;
    return load(key + w * 8) & kKeep[left >= 8 ? 8 : left];
  }
  // kKeep[n]: the first n bytes of a word (in memory order), n = 0..8.
  static constexpr std::array<std::uint64_t, 9> kKeep = [] {
    std::array<std::uint64_t, 9> keep{};
    for (std::size_t n = 1; n < 8; ++n) {
      keep[n] = std::endian::native == std::endian::little ? (std::uint64_t{1} << (n * 8)) - 1
                                                           : ~((std::uint64_t{1} << ((8 - n) * 8)) - 1);
    }
    keep[8] = ~std::uint64_t{0};
    return keep;
  }();
  // kMasks[n]: the masks of the first n bytes of two words, n = 0..16.
  struct Masks {
    std::uint64_t first;
    std::uint64_t second;
  };
  static constexpr std::array<Masks, 17> kMasks = [] {
    std::array<Masks, 17> masks{};
    for (std::size_t n = 0; n <= 16; ++n) masks[n] = {kKeep[n < 8 ? n : 8], kKeep[n > 8 ? n - 8 : 0]};
    return masks;
  }();

  std::vector<Name> names_;
  std::vector<Bucket> buckets_ = std::vector<Bucket>(1);  // an empty table matches nothing
  std::uint64_t multiplier_ = 0;
  unsigned shift_ = 63;
  std::vector<int> long_;  // entries of 17 to kMaxName bytes
  bool has_long_ = false;  // some name is longer than kMaxName (or empty)
};

}  // namespace yibao::detail
