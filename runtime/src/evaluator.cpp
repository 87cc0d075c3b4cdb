// The interpreter: a recursive walk over the IR's node DAG with memoized
// rules. Each op's meaning is stated once in ir_ops.def; this file follows it.
#include "yibao/evaluator.h"

#include <algorithm>

#include "yibao/checked.h"
#include "yibao/date.h"
#include "yibao/money.h"
#include "yibao/rate.h"

namespace yibao {

using ir::Op;

Evaluator::Evaluator(const ir::Program& program, EvaluatorOptions options)
    : program_(program),
      options_(options),
      memo_(program.rules.size()),
      memo_errors_(program.rules.size()),
      segments_(program.segments),
      schedules_(program.schedules) {}

bool Evaluator::fail(EvalErrorCode code, std::uint32_t node, std::int32_t unspecified) {
  error_ = EvalError{code, unspecified, static_cast<std::int32_t>(node), -1, 0};
  return false;
}

void Evaluator::begin_request(const Request& request, std::span<std::int64_t> ledger) {
  if (!prepared_) prepare();
  request_ = &request;
  ledger_ = ledger;
  error_ = EvalError{};
  if (++generation_ == 0) {  // wrapped: invalidate every memo explicitly
    for (auto& m : memo_) m.generation = 0;
    generation_ = 1;
  }
  // Drop the schedules adjusted during the last request (rare: compare first).
  if (segments_.size() != program_.segments.size()) segments_.resize(program_.segments.size());
  if (schedules_.size() != program_.schedules.size()) schedules_.resize(program_.schedules.size());
  trace_.clear();
  cells_read_.clear();
  depth_ = 0;
  if (tracing_) {
    reads_.clear();
    inputs_.clear();
    step_ = -1;
  }
}

// Groups the reads of this request by step, each thing read once, in the
// order first read (TraceStep::inputs_first). Only when tracing.
void Evaluator::finish_trace() {
  inputs_.clear();
  for (TraceStep& s : trace_) s.inputs_count = 0;
  for (const Read& r : reads_) ++trace_[r.step].inputs_count;
  std::uint32_t at = 0;
  for (TraceStep& s : trace_) {
    s.inputs_first = at;
    at += s.inputs_count;
    s.inputs_count = 0;
  }
  inputs_.resize(reads_.size());
  for (const Read& r : reads_) {
    TraceStep& s = trace_[r.step];
    const auto first = inputs_.begin() + s.inputs_first;
    const auto end = first + s.inputs_count;
    const auto same = [&](const TraceInput& x) {
      return x.kind == r.input.kind && x.index == r.input.index && x.cell == r.input.cell;
    };
    if (std::find_if(first, end, same) == end) {
      *end = r.input;
      ++s.inputs_count;
    }
  }
  // Close the gaps the repeated reads left.
  std::uint32_t to = 0;
  for (TraceStep& s : trace_) {
    if (to != s.inputs_first) std::copy_n(inputs_.begin() + s.inputs_first, s.inputs_count, inputs_.begin() + to);
    s.inputs_first = to;
    to += s.inputs_count;
  }
  inputs_.resize(to);
}

bool Evaluator::eval_rule(std::int32_t rule, std::int64_t& out) {
  Memo& m = memo_[static_cast<std::size_t>(rule)];
  if (m.generation == generation_) {
    if (!m.ok) error_ = memo_errors_[static_cast<std::size_t>(rule)];
    out = m.value;
    return m.ok;
  }
  std::size_t trace_at = trace_.size();
  const std::int32_t caller_step = step_;
  if (tracing_) {
    trace_.push_back(TraceStep{rule, 0, {}, depth_});
    step_ = static_cast<std::int32_t>(trace_at);
  }
  ++depth_;
  std::int64_t v = 0;
  const bool ok = eval(static_cast<std::uint32_t>(program_.rules[static_cast<std::size_t>(rule)].root), v);
  --depth_;
  step_ = caller_step;
  m.generation = generation_;
  m.ok = ok;
  m.value = v;
  if (!ok) memo_errors_[static_cast<std::size_t>(rule)] = error_;
  if (tracing_) {
    trace_[trace_at].value = v;
    trace_[trace_at].error = ok ? EvalError{} : error_;
  }
  out = v;
  return ok;
}

bool Evaluator::progressive(std::int64_t schedule, std::int64_t amount, std::uint32_t node, std::int64_t& out) {
  const ir::Schedule& s = schedules_[static_cast<std::size_t>(schedule)];
  std::int64_t total = 0;
  for (std::uint32_t i = 0; i < s.count; ++i) {
    const ir::Segment& seg = segments_[s.first + i];
    if (amount <= seg.lo) break;
    const std::int64_t part = std::min(amount, seg.hi) - seg.lo;
    const auto paid = money_times_rate(part, seg.rate);
    if (!paid) return overflow(node);
    const auto sum = money_add(total, *paid);
    if (!sum) return overflow(node);
    total = *sum;
  }
  out = total;
  return true;
}

// adjust: the first override that holds sets every rate; otherwise the
// points of every line that holds are summed. Rates stay within 0..100%.
bool Evaluator::adjust(const ir::Node& n, std::uint32_t node, std::int64_t& out) {
  std::int64_t base = 0;
  if (!eval(program_.kid(n, 0), base)) return false;
  const ir::Adjust& a = program_.adjusts[static_cast<std::size_t>(n.ref)];
  bool overridden = false;
  std::int64_t override_rate = 0;
  std::int64_t delta = 0;
  for (const ir::AdjustLine& line : a.lines) {
    if (overridden && line.is_override) continue;
    if (overridden) break;
    std::int64_t holds = 0;
    if (!eval(program_.kid(n, line.cond_kid), holds)) return false;
    if (!holds) continue;
    std::int64_t v = 0;
    if (!eval(program_.kid(n, line.value_kid), v)) return false;
    if (line.is_override) {
      overridden = true;
      override_rate = v;
    } else {
      const auto d = checked_add(delta, v);
      if (!d) return overflow(node);
      delta = *d;
    }
  }
  auto adjusted = [&](std::int64_t rate) -> std::optional<std::int64_t> {
    if (overridden) return clamp_rate(override_rate);
    const auto r = checked_add(rate, delta);
    if (!r) return std::nullopt;
    return clamp_rate(*r);
  };
  if (n.type.kind == ir::Type::rate) {
    const auto r = adjusted(base);
    if (!r) return overflow(node);
    out = *r;
    return true;
  }
  // A schedule: copy its segments with adjusted rates into this request's pool.
  const ir::Schedule src = schedules_[static_cast<std::size_t>(base)];
  ir::Schedule copy{static_cast<std::uint32_t>(segments_.size()), src.count};
  for (std::uint32_t i = 0; i < src.count; ++i) {
    ir::Segment seg = segments_[src.first + i];
    const auto r = adjusted(seg.rate);
    if (!r) return overflow(node);
    seg.rate = *r;
    segments_.push_back(seg);
  }
  out = static_cast<std::int64_t>(schedules_.size());
  schedules_.push_back(copy);
  return true;
}

bool Evaluator::eval(std::uint32_t node, std::int64_t& out) {
  const ir::Node& n = program_.nodes[node];
  std::int64_t a = 0, b = 0, c = 0;
  auto kid = [&](std::uint32_t i, std::int64_t& v) { return eval(program_.kid(n, i), v); };
  auto two = [&]() { return kid(0, a) && kid(1, b); };

  switch (n.op) {
    case Op::constant:
      out = n.imm;
      return true;
    case Op::input:
      out = request_->value(n.ref);
      if (tracing_) note(step_, TraceInputKind::field, n.ref, out);
      return true;
    case Op::input_present:
      out = request_->has(n.ref) ? 1 : 0;
      if (tracing_) note(step_, TraceInputKind::present, n.ref, out);
      return true;
    case Op::record_present:
      out = request_->has_record(n.ref) ? 1 : 0;
      if (tracing_) note(step_, TraceInputKind::record, n.ref, out);
      return true;
    case Op::rule:
      if (!eval_rule(n.ref, out)) return false;
      if (tracing_) note(step_, TraceInputKind::rule, n.ref, out);
      return true;
    case Op::param_ref: {
      const ir::Param& p = program_.params[static_cast<std::size_t>(n.ref)];
      if (p.unspecified) return fail(EvalErrorCode::unspecified, node, p.unspecified_ref);
      out = p.value;
      if (tracing_) note(step_, TraceInputKind::param, n.ref, out);
      return true;
    }
    case Op::ledger: {
      const ir::Ledger& l = program_.ledgers[static_cast<std::size_t>(n.ref)];
      std::int64_t slot = l.slot;
      if (l.keyed) {
        if (!kid(0, a)) return false;
        if (a < l.key_lo || a > l.key_hi) {
          error_ = EvalError{EvalErrorCode::unspecified, -1, static_cast<std::int32_t>(node), n.ref, a};
          return false;
        }
        slot += a - l.key_lo;
      }
      out = ledger_.empty() ? 0 : ledger_[static_cast<std::size_t>(slot)];
      if (tracing_) note(step_, TraceInputKind::ledger, static_cast<std::int32_t>(slot), out);
      return true;
    }
    case Op::table: {
      const ir::Table& t = program_.tables[static_cast<std::size_t>(n.ref)];
      std::size_t index = 0;
      for (std::uint32_t d = 0; d < t.dims.size(); ++d) {
        if (!kid(d, a)) return false;
        const ir::TableDim& dim = t.dims[d];
        if (a < dim.lo || a > dim.hi) {
          error_ = EvalError{EvalErrorCode::unspecified, -1, static_cast<std::int32_t>(node), n.ref, a};
          return false;
        }
        index = index * static_cast<std::size_t>(dim.hi - dim.lo + 1) + static_cast<std::size_t>(a - dim.lo);
      }
      if (recording_cells_) cells_read_.push_back(CellRead{n.ref, static_cast<std::uint32_t>(index)});
      if (t.cell_unspecified[index] >= 0) return fail(EvalErrorCode::unspecified, node, t.cell_unspecified[index]);
      out = t.cells[index];
      if (tracing_) note(step_, TraceInputKind::table, n.ref, out, static_cast<std::uint32_t>(index));
      return true;
    }
    case Op::unspecified:
      return fail(EvalErrorCode::unspecified, node, n.ref);

    case Op::add:
    case Op::sub:
    case Op::mul: {
      if (!two()) return false;
      const auto r = n.op == Op::add ? checked_add(a, b) : n.op == Op::sub ? checked_sub(a, b) : checked_mul(a, b);
      if (!r) return overflow(node);
      out = *r;
      return true;
    }
    case Op::neg: {
      if (!kid(0, a)) return false;
      const auto r = checked_sub(0, a);
      if (!r) return overflow(node);
      out = *r;
      return true;
    }
    case Op::mul_rate: {
      if (!two()) return false;
      const auto r = money_times_rate(a, b);
      if (!r) return overflow(node);
      out = *r;
      return true;
    }
    case Op::min:
    case Op::max: {
      if (!kid(0, a)) return false;
      for (std::uint32_t i = 1; i < n.kid_count; ++i) {
        if (!kid(i, b)) return false;
        a = n.op == Op::min ? std::min(a, b) : std::max(a, b);
      }
      out = a;
      return true;
    }
    case Op::eq: if (!two()) return false; out = a == b; return true;
    case Op::ne: if (!two()) return false; out = a != b; return true;
    case Op::lt: if (!two()) return false; out = a < b; return true;
    case Op::le: if (!two()) return false; out = a <= b; return true;
    case Op::gt: if (!two()) return false; out = a > b; return true;
    case Op::ge: if (!two()) return false; out = a >= b; return true;
    case Op::and_:
      if (!kid(0, a)) return false;
      if (!a) { out = 0; return true; }
      if (!kid(1, b)) return false;
      out = b != 0;
      return true;
    case Op::or_:
      if (!kid(0, a)) return false;
      if (a) { out = 1; return true; }
      if (!kid(1, b)) return false;
      out = b != 0;
      return true;
    case Op::not_:
      if (!kid(0, a)) return false;
      out = !a;
      return true;
    case Op::if_:
      if (!kid(0, a)) return false;
      return kid(a ? 1 : 2, out);
    case Op::in_range:
      if (!two() || !kid(2, c)) return false;
      out = b <= a && a <= c;
      return true;
    case Op::set_has:
      if (!two()) return false;
      out = (static_cast<std::uint64_t>(a) >> b) & 1U;
      return true;
    case Op::set_has_any:
      if (!two()) return false;
      out = (a & b) != 0;
      return true;
    case Op::member_of:
      if (!two()) return false;
      out = (static_cast<std::uint64_t>(b) >> a) & 1U;
      return true;
    case Op::switch_: {
      if (!kid(0, a)) return false;
      const ir::Switch& s = program_.switches[static_cast<std::size_t>(n.ref)];
      const std::int64_t at = a - s.lo;
      if (at < 0 || at >= static_cast<std::int64_t>(s.arms.size()) || s.arms[static_cast<std::size_t>(at)] < 0) {
        error_ = EvalError{EvalErrorCode::unspecified, -1, static_cast<std::int32_t>(node), -1, a};
        return false;
      }
      return kid(static_cast<std::uint32_t>(s.arms[static_cast<std::size_t>(at)]), out);
    }
    case Op::highest: {
      if (!kid(0, a)) return false;
      const auto set = static_cast<std::uint64_t>(a);
      if (set == 0) return kid(1, out);
      bool any = false;
      std::int64_t best = 0;
      for (std::uint32_t m = 0; m + 2 < n.kid_count; ++m) {
        if (!((set >> m) & 1U)) continue;
        if (!kid(m + 2, b)) return false;
        if (!any || b > best) best = b;
        any = true;
      }
      if (!any) return kid(1, out);
      out = best;
      return true;
    }
    case Op::adjust:
      return adjust(n, node, out);

    case Op::date_add:
    case Op::date_sub: {
      if (!two()) return false;
      const std::int64_t sign = n.op == Op::date_add ? 1 : -1;
      std::optional<Date> d = static_cast<Date>(a);
      if (ir::duration_months(b) != 0) d = add_months(*d, sign * ir::duration_months(b));
      if (d && ir::duration_days(b) != 0) d = add_days(*d, sign * ir::duration_days(b));
      if (!d) return overflow(node);
      out = *d;
      return true;
    }
    case Op::age_on:
      if (!two()) return false;
      out = age_on(static_cast<Date>(a), static_cast<Date>(b));
      return true;
    case Op::year_of:
      if (!kid(0, a)) return false;
      out = year_of(static_cast<Date>(a));
      return true;
    case Op::date_of: {
      if (!two() || !kid(2, c)) return false;
      if (a < kMinYear || a > kMaxYear || b < 1 || b > 12 || c < 1 || c > 31) return overflow(node);
      const auto d = from_ymd(static_cast<std::int32_t>(a), static_cast<std::int32_t>(b), static_cast<std::int32_t>(c));
      if (!d) return overflow(node);
      out = *d;
      return true;
    }
    case Op::next_month_start: {
      if (!kid(0, a)) return false;
      const auto d = first_day_of_next_month(static_cast<Date>(a));
      if (!d) return overflow(node);
      out = *d;
      return true;
    }
    case Op::progressive:
      if (!two()) return false;
      return progressive(a, b, node, out);
    case Op::progressive_between: {
      if (!two() || !kid(2, c)) return false;
      std::int64_t lo = 0, hi = 0;
      if (!progressive(a, b, node, lo) || !progressive(a, c, node, hi)) return false;
      const auto r = checked_sub(hi, lo);
      if (!r) return overflow(node);
      out = *r;
      return true;
    }
    case Op::round_cents: {
      if (!kid(0, a)) return false;
      const auto r = round_to_cents_half_up(a);
      if (!r) return overflow(node);
      out = *r;
      return true;
    }
  }
  return overflow(node);  // unreachable for a valid program
}

bool Evaluator::fold(std::uint32_t node, std::int64_t& out) {
  request_ = nullptr;
  ledger_ = {};
  error_ = EvalError{};
  return eval(node, out);
}

int Evaluator::failing_check(const Request& request) {
  begin_request(request, {});
  if (code_) {
    // The checks' unit gives the first that fails, or -1; when one cannot
    // be computed, check_ says which.
    std::int64_t failed = -1;
    if (!run(checks_entry(), failed)) return check_;
    return static_cast<int>(failed);
  }
  for (std::size_t i = 0; i < program_.checks.size(); ++i) {
    const ir::Check& check = program_.checks[i];
    if (check.record >= 0 && !request.has_record(check.record)) continue;
    std::int64_t holds = 0;
    if (!eval(static_cast<std::uint32_t>(check.cond), holds) || !holds) return static_cast<int>(i);
  }
  return -1;
}

bool Evaluator::apply_updates(const ir::Section& section) {
  pending_.clear();
  for (const ir::LedgerUpdate& u : section.updates) {
    std::int64_t v = 0;
    if (u.when >= 0) {
      if (!eval(static_cast<std::uint32_t>(u.when), v)) return false;
      if (!v) continue;
    }
    const ir::Ledger& l = program_.ledgers[static_cast<std::size_t>(u.ledger)];
    std::int64_t slot = l.slot;
    if (l.keyed) {
      if (!eval(static_cast<std::uint32_t>(u.key), v)) return false;
      if (v < l.key_lo || v > l.key_hi) {
        error_ = EvalError{EvalErrorCode::unspecified, -1, u.key, u.ledger, v};
        return false;
      }
      slot += v - l.key_lo;
    }
    if (!eval(static_cast<std::uint32_t>(u.amount), v)) return false;
    pending_.push_back(PendingUpdate{static_cast<std::int32_t>(slot), v});
  }
  return commit_pending(section);
}

bool Evaluator::commit_pending(const ir::Section& section) {
  if (ledger_.empty()) return true;
  // Check every sum before changing anything, so an overflow leaves the ledger as it was.
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    std::int64_t total = ledger_[static_cast<std::size_t>(pending_[i].slot)];
    for (std::size_t j = 0; j <= i; ++j) {
      if (pending_[j].slot != pending_[i].slot) continue;
      const auto s = checked_add(total, pending_[j].amount);
      if (!s) return overflow(static_cast<std::uint32_t>(section.updates.front().amount));
      total = *s;
    }
  }
  for (const PendingUpdate& p : pending_) ledger_[static_cast<std::size_t>(p.slot)] += p.amount;
  return true;
}

bool Evaluator::eval_section(const ir::Section& section, SectionOutcome& out) {
  out.values.assign(section.fields.size(), 0);
  out.written.assign(section.fields.size(), 0);
  std::int64_t v = 0;
  if (section.when >= 0) {
    if (!eval(static_cast<std::uint32_t>(section.when), v)) return false;
    if (!v) {
      out.kind = SectionOutcome::Kind::absent;
      return true;
    }
  }
  for (const ir::SectionReason& r : section.reasons) {
    if (!eval(static_cast<std::uint32_t>(r.cond), v)) return false;
    if (!v) continue;
    out.kind = SectionOutcome::Kind::reason;
    out.reason_code = r.code;
    out.reason_enum = r.reason_enum;
    for (std::size_t i = 0; i < section.fields.size(); ++i) {
      const ir::SectionField& f = section.fields[i];
      if (f.otherwise < 0) continue;
      if (!eval(static_cast<std::uint32_t>(f.otherwise), out.values[i])) return false;
      out.written[i] = 1;
    }
    return true;
  }
  for (std::size_t i = 0; i < section.fields.size(); ++i) {
    const ir::SectionField& f = section.fields[i];
    if (f.when >= 0) {
      if (!eval(static_cast<std::uint32_t>(f.when), v)) return false;
      if (!v) continue;
    }
    if (!eval(static_cast<std::uint32_t>(f.value), out.values[i])) return false;
    out.written[i] = 1;
  }
  out.kind = SectionOutcome::Kind::fields;
  return apply_updates(section);
}

void Evaluator::evaluate(const Request& request, std::span<std::int64_t> ledger, Result& out) {
  begin_request(request, ledger);
  if (out.sections.size() != program_.sections.size()) out.sections.resize(program_.sections.size());
  out.assessed_any = false;
  if (code_) {
    // The sections' unit does all of the below.
    result_out_ = &out;
    std::int64_t unused = 0;
    run(sections_entry(), unused);
    section_ = -1;
    if (tracing_) finish_trace();
    return;
  }
  for (std::size_t i = 0; i < program_.sections.size(); ++i) {
    const ir::Section& section = program_.sections[i];
    SectionOutcome& o = out.sections[i];
    o.error = EvalError{};
    if (!eval_section(section, o)) {
      o.kind = SectionOutcome::Kind::error;
      o.error = error_;
      continue;
    }
    if (o.kind == SectionOutcome::Kind::fields && !section.updates.empty()) out.assessed_any = true;
  }
  if (tracing_) finish_trace();
}

}  // namespace yibao
