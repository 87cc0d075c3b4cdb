// CPU time of the calling thread, for the benchmarks that time passes
// themselves (bench/limit, the reader's timing test): on a machine shared
// with other work it moves far less than wall time.
#pragma once

#include <ctime>

namespace yibao::test {

inline double thread_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace yibao::test
