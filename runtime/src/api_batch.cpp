// settle_batch: a chunk of lines at a time, in two parallel passes. First
// each thread reads the ledger keys of a slice of the chunk, which decides
// the owner of every line (a hash of the person; lines that touch no ledger
// are dealt round); then each thread settles its own lines in input order
// on its own Session and ledger store. The results are gathered in input
// order, and at the end the threads' ledgers are put back into the caller's
// store in the order one thread would have created them.
#include "yibao/batch.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <tuple>
#include <string>
#include <thread>
#include <vector>

#include "yibao/session.hpp"
#include "yibao/settle.h"

namespace yibao {

namespace {

// FNV-1a: any fixed function of the key's bytes keeps a person on one thread.
std::uint32_t hash_key(std::string_view key) noexcept {
  std::uint32_t h = 2166136261U;
  for (const char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619U;
  }
  return h;
}

// Runs job(t) for t in 0..n-1, job(0) on this thread.
template <class Job>
void run_parallel(unsigned n, Job&& job) {
  std::vector<std::jthread> others;
  others.reserve(n - 1);
  for (unsigned t = 1; t < n; ++t) others.emplace_back([&job, t] { job(t); });
  job(0);
}

struct ChunkLine {
  std::size_t at = 0;  // into Chunk::text
  std::size_t size = 0;
  std::uint64_t number = 0;
  bool too_long = false;
  unsigned owner = 0;
};

// One thread's share: its session and store, and its results of a chunk.
struct Worker {
  LedgerStore store;
  std::unique_ptr<Session> session;
  std::string results;
  std::vector<std::size_t> ends;  // per line it settled: end of its result in `results`
  // Ledgers this worker created: (line sequence number, index in store).
  std::vector<std::pair<std::uint64_t, std::size_t>> created;
};


}  // namespace

namespace {

Status settle_in_threads(const std::shared_ptr<const RuleSet>& rule_set, LineReader& lines, std::FILE* out,
                         LedgerStore& ledgers, BatchOptions options) {
  if (!options.engine) options.engine = rule_set->engine_factory();  // the JIT, when loaded with it
  if (options.threads <= 1) {
    SettleOptions settle;
    settle.explain = options.explain;
    settle.engine = options.engine;
    return settle_stream(rule_set->program(), lines, out, ledgers, settle);
  }
  const unsigned n = options.threads;
  const auto owner_of = [n](std::string_view key) { return hash_key(key) % n; };

  std::vector<Worker> workers;
  workers.reserve(n);
  for (unsigned t = 0; t < n; ++t) workers.push_back(Worker{rule_set->make_ledger_store(), nullptr, {}, {}, {}});
  for (Worker& w : workers) {
    SessionOptions session_options;
    session_options.explain = options.explain;
    session_options.engine = options.engine;
    auto session = Session::create(rule_set, w.store, session_options);
    if (!session) return Error{session.error()};
    w.session = std::make_unique<Session>(std::move(*session));
  }
  // The caller's ledgers, each to the thread of its person.
  for (std::size_t i = 0; i < ledgers.size(); ++i) {
    const LedgerEntry e = ledgers.entry(i);
    LedgerStore& store = workers[owner_of(e.person)].store;
    const std::size_t index = store.find_or_create(e.person, e.year);
    if (index == LedgerStore::npos) return Error{"too many ledgers"};
    std::copy(e.slots.begin(), e.slots.end(), store.slots(index).begin());
  }

  std::string text;  // the chunk's lines, each followed by kReadPadding bytes (a zero, then spaces)
  std::vector<ChunkLine> chunk;
  std::string merged;
  std::uint64_t sequence = 0;  // lines settled before this chunk
  const std::size_t chunk_lines = std::max<std::size_t>(options.chunk_lines, 1);
  bool more = true;
  while (more) {
    text.clear();
    chunk.clear();
    Line line;
    while (chunk.size() < chunk_lines) {
      const LineStatus status = lines.next(line);
      if (status == LineStatus::end) {
        more = false;
        break;
      }
      if (status == LineStatus::error) return Error{lines.error()};
      chunk.push_back(ChunkLine{text.size(), line.text.size(), line.number, line.too_long, 0});
      text.append(line.text);
      text += '\0';  // as LineReader ends its lines: the reader's fast path reads them in place
      text.append(kReadPadding - 1, ' ');
    }
    const auto view = [&](const ChunkLine& l) { return std::string_view(text.data() + l.at, l.size); };

    // Pass 1: owners, each thread over a contiguous slice.
    const std::size_t slice = (chunk.size() + n - 1) / n;
    run_parallel(n, [&](unsigned t) {
      const std::size_t end = std::min(chunk.size(), (t + 1) * slice);
      for (std::size_t i = t * slice; i < end; ++i) {
        ChunkLine& l = chunk[i];
        const auto key = l.too_long ? std::nullopt : workers[t].session->ledger_key(view(l));
        l.owner = key ? owner_of(*key) : static_cast<unsigned>(i % n);
      }
    });

    // Pass 2: each thread settles its own lines, in order.
    run_parallel(n, [&](unsigned t) {
      Worker& w = workers[t];
      w.results.clear();
      w.ends.clear();
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        const ChunkLine& l = chunk[i];
        if (l.owner != t) continue;
        const std::size_t before = w.store.size();
        if (l.too_long) {
          w.session->refuse(kLineTooLong, l.number, w.results);
        } else {
          w.session->settle_padded(view(l), l.number, w.results);
        }
        for (std::size_t k = before; k < w.store.size(); ++k) w.created.emplace_back(sequence + i, k);
        w.ends.push_back(w.results.size());
      }
    });

    // Results in input order.
    merged.clear();
    std::vector<std::size_t> taken(n, 0);  // per worker: lines gathered
    for (const ChunkLine& l : chunk) {
      Worker& w = workers[l.owner];
      const std::size_t k = taken[l.owner]++;
      const std::size_t from = k == 0 ? 0 : w.ends[k - 1];
      merged.append(w.results, from, w.ends[k] - from);
    }
    if (!merged.empty() && std::fwrite(merged.data(), 1, merged.size(), out) != merged.size())
      return Error{"cannot write the results"};
    sequence += chunk.size();
  }
  if (std::fflush(out) != 0) return Error{"cannot write the results"};

  // Ledgers back: the caller's own first (updated), then new ones in the
  // order of the lines that created them.
  for (std::size_t i = 0; i < ledgers.size(); ++i) {
    const LedgerEntry e = ledgers.entry(i);
    const LedgerStore& store = workers[owner_of(e.person)].store;
    const auto from = store.slots(store.find(e.person, e.year));
    std::copy(from.begin(), from.end(), ledgers.slots(i).begin());
  }
  std::vector<std::tuple<std::uint64_t, unsigned, std::size_t>> created;
  for (unsigned t = 0; t < n; ++t) {
    for (const auto& [seq, index] : workers[t].created) created.emplace_back(seq, t, index);
  }
  std::sort(created.begin(), created.end());
  for (const auto& [seq, t, index] : created) {
    const LedgerEntry e = workers[t].store.entry(index);
    const std::size_t to = ledgers.find_or_create(e.person, e.year);
    if (to == LedgerStore::npos) return Error{"too many ledgers"};
    std::copy(e.slots.begin(), e.slots.end(), ledgers.slots(to).begin());
  }
  return Status::success();
}

}  // namespace

Status settle_batch(const std::shared_ptr<const RuleSet>& rule_set, LineReader& lines, std::FILE* out,
                    LedgerStore& ledgers, BatchOptions options) {
  if (!rule_set) return Error{"no rule set"};
  try {
    return settle_in_threads(rule_set, lines, out, ledgers, options);
  } catch (const std::exception& e) {  // no thread, no memory: a value like any failure
    return Error{std::string("cannot settle in threads: ") + e.what()};
  }
}

}  // namespace yibao
