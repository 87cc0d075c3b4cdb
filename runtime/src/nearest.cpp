// nearest.cpp: the bounded optimal-string-alignment distance behind nearest().
#include "yibao/nearest.h"

#include <algorithm>
#include <vector>

namespace yibao {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) noexcept {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  const std::size_t gap = n > m ? n - m : m - n;
  if (gap > limit) return limit + 1;  // at least `gap` insertions are needed
  if (m > 256) return limit + 1;      // names are short; keep the rows on the stack

  // Three rolling rows of the dynamic programme over b: two rows back are
  // needed for the swap of neighbouring bytes.
  std::size_t rows[3][257];
  std::size_t* before = rows[0];
  std::size_t* previous = rows[1];
  std::size_t* current = rows[2];
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    std::size_t row_min = current[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, before[j - 2] + 1);
      current[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > limit) return limit + 1;  // every path already costs more
    std::size_t* recycled = before;
    before = previous;
    previous = current;
    current = recycled;
  }
  return previous[m];
}

}  // namespace yibao
