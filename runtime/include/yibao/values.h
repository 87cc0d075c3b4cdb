// values.h: every kind of value the interpreter and the IR handle, each as a
// plain int64 payload in a slot.
//
//   money     int64 micro-yuan                     (money.h)
//   rate      int64 parts per million; points too  (rate.h)
//   date      int32 days since 1970-01-01          (date.h)
//   enum      member index (0-based, in declaration order)
//   enum set  uint64 bitmask, bit i = member i (so at most 64 members)
//   bool      0 or 1
//   count     int64 whole number
//
// One representation per kind lets the interpreter keep a request, a policy's
// constants and its intermediate results in one array of int64 slots, and
// the JIT see the same numbers.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>

#include "yibao/checked.h"
#include "yibao/date.h"
#include "yibao/money.h"
#include "yibao/rate.h"

namespace yibao {

using Slot = std::int64_t;
using EnumValue = std::int64_t;  // member index
using EnumSet = std::uint64_t;   // bit i set = member i present
using Count = std::int64_t;

inline constexpr int kMaxEnumSetMembers = 64;

// Precondition: 0 <= member < 64 (Schema::validate refuses sets of larger enums).
[[nodiscard]] constexpr EnumSet enum_set_of(EnumValue member) noexcept {
  return EnumSet{1} << static_cast<unsigned>(member);
}
[[nodiscard]] constexpr bool enum_set_contains(EnumSet set, EnumValue member) noexcept {
  return member >= 0 && member < kMaxEnumSetMembers && ((set >> static_cast<unsigned>(member)) & 1U) != 0;
}
[[nodiscard]] constexpr int enum_set_size(EnumSet set) noexcept { return __builtin_popcountll(set); }

// Enum sets travel in int64 slots: the bit pattern is kept as is.
[[nodiscard]] constexpr Slot slot_from_set(EnumSet set) noexcept { return static_cast<Slot>(set); }
[[nodiscard]] constexpr EnumSet set_from_slot(Slot slot) noexcept { return static_cast<EnumSet>(slot); }

[[nodiscard]] constexpr Slot slot_from_bool(bool b) noexcept { return b ? 1 : 0; }

}  // namespace yibao
