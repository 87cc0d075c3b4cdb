// The helpers compiled code calls for the operations that are rare or long
// (brackets, adjusted schedules, calendar arithmetic, the ledger commit,
// money * rate beyond 64 bits). Each does what the interpreter does
// (evaluator.cpp), with the same library functions, so that results agree.
#include <algorithm>
#include <optional>

#include "engine.h"
#include "frame.h"
#include "yibao/checked.h"
#include "yibao/date.h"
#include "yibao/money.h"
#include "yibao/rate.h"

namespace yibao::jit {

namespace {

JitEngine& engine_of(char* frame) {
  return *static_cast<JitEngine*>(reinterpret_cast<FrameHeader*>(frame)->engine);
}

bool give(std::optional<std::int64_t> v, std::int64_t* out) {
  if (!v) return false;
  *out = *v;
  return true;
}

}  // namespace

extern "C" {

bool yibao_jit_mul_rate(std::int64_t money, std::int64_t rate, std::int64_t* out) {
  return give(money_times_rate(money, rate), out);
}

bool yibao_jit_progressive(char* frame, std::int64_t schedule, std::int64_t amount, std::int64_t* out) {
  const JitEngine& e = engine_of(frame);
  const ir::Schedule& s = e.schedules[static_cast<std::size_t>(schedule)];
  std::int64_t total = 0;
  for (std::uint32_t i = 0; i < s.count; ++i) {
    const ir::Segment& seg = e.segments[s.first + i];
    if (amount <= seg.lo) break;
    const auto paid = money_times_rate(std::min(amount, seg.hi) - seg.lo, seg.rate);
    if (!paid) return false;
    const auto sum = money_add(total, *paid);
    if (!sum) return false;
    total = *sum;
  }
  *out = total;
  return true;
}

bool yibao_jit_adjust_schedule(char* frame, std::int64_t schedule, std::int64_t overridden, std::int64_t override_rate,
                               std::int64_t delta, std::int64_t* out) {
  JitEngine& e = engine_of(frame);
  const ir::Schedule src = e.schedules[static_cast<std::size_t>(schedule)];
  const ir::Schedule copy{static_cast<std::uint32_t>(e.segments.size()), src.count};
  for (std::uint32_t i = 0; i < src.count; ++i) {
    ir::Segment seg = e.segments[src.first + i];
    if (overridden != 0) {
      seg.rate = clamp_rate(override_rate);
    } else {
      const auto r = checked_add(seg.rate, delta);
      if (!r) return false;
      seg.rate = clamp_rate(*r);
    }
    e.segments.push_back(seg);
  }
  *out = static_cast<std::int64_t>(e.schedules.size());
  e.schedules.push_back(copy);
  return true;
}

bool yibao_jit_date_add(std::int64_t date, std::int64_t duration, std::int64_t sign, std::int64_t* out) {
  std::optional<Date> d = static_cast<Date>(date);
  if (ir::duration_months(duration) != 0) d = add_months(*d, sign * ir::duration_months(duration));
  if (d && ir::duration_days(duration) != 0) d = add_days(*d, sign * ir::duration_days(duration));
  if (!d) return false;
  *out = *d;
  return true;
}

std::int64_t yibao_jit_age_on(std::int64_t birth, std::int64_t on) {
  return age_on(static_cast<Date>(birth), static_cast<Date>(on));
}

std::int64_t yibao_jit_year_of(std::int64_t date) { return year_of(static_cast<Date>(date)); }

bool yibao_jit_date_of(std::int64_t y, std::int64_t m, std::int64_t d, std::int64_t* out) {
  if (y < kMinYear || y > kMaxYear || m < 1 || m > 12 || d < 1 || d > 31) return false;
  return give(from_ymd(static_cast<std::int32_t>(y), static_cast<std::int32_t>(m), static_cast<std::int32_t>(d)), out);
}

bool yibao_jit_next_month_start(std::int64_t date, std::int64_t* out) {
  return give(first_day_of_next_month(static_cast<Date>(date)), out);
}

bool yibao_jit_commit(char* frame, std::int64_t count) {
  const FrameHeader& h = *reinterpret_cast<FrameHeader*>(frame);
  if (h.has_ledger == 0) return true;
  const JitEngine& e = engine_of(frame);
  const auto* pending = reinterpret_cast<const PendingUpdate*>(frame + e.pending_offset());
  const auto n = static_cast<std::size_t>(count);
  // Every sum checked before anything changes, as Evaluator::commit_pending.
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t total = h.ledger[pending[i].slot];
    for (std::size_t j = 0; j <= i; ++j) {
      if (pending[j].slot != pending[i].slot) continue;
      const auto s = checked_add(total, pending[j].amount);
      if (!s) return false;
      total = *s;
    }
  }
  for (std::size_t i = 0; i < n; ++i) h.ledger[pending[i].slot] += pending[i].amount;
  return true;
}

}  // extern "C"

}  // namespace yibao::jit
