// After warm-up, a session settles and evaluates without allocating: every
// operator new in this program is counted.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "policies.h"

namespace {
std::atomic<std::size_t> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (simdjson allocates with them), so that every
// block these deletes free came from malloc: otherwise AddressSanitizer,
// whose own nothrow new the program would keep, reports a mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace yibao;

TEST_CASE("a warmed-up session allocates nothing per request", "[api][alloc]") {
  const auto rules = yibao::test::seed_rule_set("dianjiang-2024");
  const auto lines = yibao::test::read_lines(yibao::test::source_path("policies/dianjiang/2024.requests.jsonl"));
  auto session = Session::create(rules);
  REQUIRE(session);
  std::string out;
  out.reserve(1 << 20);
  const auto pass = [&] {
    std::uint64_t number = 0;
    for (const std::string& line : lines) {
      out.clear();
      session->settle(line, ++number, out);
      (void)session->evaluate(line, number);
    }
  };
  pass();  // warm-up: buffers grow, every person's ledger is created
  pass();
  const std::size_t before = allocations.load();
  pass();
  CHECK(allocations.load() - before == 0);
}
