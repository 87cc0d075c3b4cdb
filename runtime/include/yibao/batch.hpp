// batch.hpp: settling a whole stream of request lines on several threads
// (part of the embedding API, see yibao.hpp; `yibao eval --threads N`).
//
// Persons are spread over the threads by their ledger key (person.id), so
// each person's requests are settled in input order on one thread and the
// ledgers come out as from one thread. Results are written in input order.
// Lines are taken in chunks, so memory stays bounded whatever the input's
// length. The results and the ledgers (their values and their order) are
// the same bytes for every number of threads.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>

#include "yibao/engine.h"
#include "yibao/expected.h"
#include "yibao/ledger.h"
#include "yibao/line_reader.h"
#include "yibao/rule_set.hpp"

namespace yibao {

struct BatchOptions {
  unsigned threads = 1;
  bool explain = false;         // results carry an "explain" array
  std::size_t chunk_lines = 8192;  // lines read before they are spread over the threads
  EngineFactory engine;         // as SessionOptions::engine; empty: the RuleSet's engine
};

// Settles every line of `lines` into `out`, reading and updating `ledgers`
// (a store for this rule set, possibly loaded from a file). Fails only when
// reading or writing fails; bad requests are answered, not failures.
Status settle_batch(const std::shared_ptr<const RuleSet>& rule_set, LineReader& lines, std::FILE* out,
                    LedgerStore& ledgers, BatchOptions options = {});

}  // namespace yibao
