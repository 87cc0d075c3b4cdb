// nearest.h: a misspelt name -> the closest known name, for "did you mean"
// hints.
//
// Used wherever a name is looked up and not found: unknown request keys,
// enum members, ledger slot names, and (for the compiler) identifiers. The
// distance is the optimal-string-alignment edit distance (insert, delete,
// replace, or swap two neighbouring bytes, each costing 1), so "totla" is 1
// away from "total". A candidate is suggested only when it is close for the
// word's length (see suggestion_limit), so "x" suggests nothing rather than
// a random short name.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace yibao {

// Edit distance between a and b, or any value above `limit` once it is
// certain to exceed it (so comparing a 1 MB key costs nothing).
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) noexcept;

// How far a suggestion may be from `word`: a third of its length, at least 1
// and at most 3.
[[nodiscard]] constexpr std::size_t suggestion_limit(std::string_view word) noexcept {
  const std::size_t third = word.size() / 3;
  return third < 1 ? 1 : (third > 3 ? 3 : third);
}

// The candidate closest to `word` within suggestion_limit(word); on a tie the
// earliest. `candidates` is any range of things convertible to
// std::string_view; the result views the chosen element.
template <class Range>
[[nodiscard]] std::optional<std::string_view> nearest(std::string_view word, const Range& candidates) {
  const std::size_t limit = suggestion_limit(word);
  std::optional<std::string_view> best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    const std::string_view c(candidate);
    const std::size_t d = edit_distance(word, c, limit);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace yibao
