// checked.h: int64 arithmetic that reports overflow instead of wrapping.
//
// Every value of the runtime (money, rates, counts, dates) is an int64 payload,
// and an amount too large to compute exactly must become the `overflow`
// error of interchange.md, never a wrong number. These helpers turn the
// compiler's __builtin_*_overflow into std::optional results.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>

namespace yibao {

// A 128-bit integer for exact intermediate products; __extension__ keeps
// -Wpedantic quiet about the non-standard type.
__extension__ typedef __int128 Int128;

[[nodiscard]] constexpr std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

[[nodiscard]] constexpr std::optional<std::int64_t> checked_sub(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}

[[nodiscard]] constexpr std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// Narrows an exact 128-bit intermediate back to int64, or reports overflow.
[[nodiscard]] constexpr std::optional<std::int64_t> narrow_int64(Int128 v) noexcept {
  if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

// a * num / den rounded half away from zero, exact: in 64 bits when the
// product fits (the usual case, and a 64-bit division by a constant `den` is
// a multiplication once inlined), else in 128 bits (a library call).
// Precondition: den > 0. Returns nullopt when the result leaves int64.
[[nodiscard]] constexpr std::optional<std::int64_t> mul_div_round_half_away(std::int64_t a, std::int64_t num,
                                                                            std::int64_t den) noexcept {
  std::int64_t product64 = 0;
  // den <= INT64_MAX / 2 keeps `remainder * 2` exact.
  if (den <= INT64_MAX / 2 && !__builtin_mul_overflow(a, num, &product64)) {
    std::int64_t quotient = product64 / den;  // |quotient| <= |product64|: no overflow
    const std::int64_t remainder = product64 % den;
    if (remainder * 2 >= den) {
      ++quotient;
    } else if (remainder * 2 <= -den) {
      --quotient;
    }
    return quotient;
  }
  const Int128 product = static_cast<Int128>(a) * num;
  Int128 quotient = product / den;
  const Int128 remainder = product % den;  // same sign as product (C++ truncates toward zero)
  if (remainder * 2 >= den) {
    ++quotient;
  } else if (remainder * 2 <= -static_cast<Int128>(den)) {
    --quotient;
  }
  return narrow_int64(quotient);
}

}  // namespace yibao
