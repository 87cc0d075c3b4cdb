// The request reader twice over the same schema: with its fast path, and
// with the full decoder alone (RequestReaderOptions::fast_path = false),
// each with its own Request, and what each made of a line, to be compared:
// accepted or refused, the message, the recovered id, and every field's and
// record's presence and value. Shared by the reader's differential test
// (tests/runtime/request_fast_path_test.cpp) and its fuzz target
// (tests/fuzz/fuzz_request.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "yibao/request_reader.h"
#include "yibao/schema.h"

namespace yibao::test {

struct ReadOutcome {
  bool ok = false;
  std::string error;
  std::optional<std::string> id;
  // Per field "has given value text", then per record 'R' (present) or 'r'.
  std::string fields;

  bool operator==(const ReadOutcome&) const = default;
};

inline ReadOutcome read_outcome(RequestReader& reader, Request& request, std::string_view line) {
  ReadOutcome o;
  o.ok = reader.read(line, request);
  if (!o.ok) {
    o.error = std::string(reader.error());
    if (const auto id = reader.id()) o.id = std::string(*id);
    return o;
  }
  for (std::size_t f = 0; f < request.field_count(); ++f) {
    const int i = static_cast<int>(f);
    o.fields += std::to_string(request.has(i)) + " " + std::to_string(request.given(i)) + " " +
                std::to_string(request.value(i)) + " " + std::string(request.text(i)) + "\n";
  }
  for (std::size_t r = 0; r < request.record_count(); ++r) o.fields += request.has_record(static_cast<int>(r)) ? 'R' : 'r';
  return o;
}

struct ReaderPair {
  explicit ReaderPair(const Schema& schema)
      : fast(RequestReader::create(schema).value()),
        full(RequestReader::create(schema, RequestReaderOptions{.fast_path = false}).value()),
        fast_request(fast.make_request()),
        full_request(full.make_request()) {}

  // The fast path's outcome, then the full decoder's.
  std::pair<ReadOutcome, ReadOutcome> read(std::string_view line) {
    return {read_outcome(fast, fast_request, line), read_outcome(full, full_request, line)};
  }

  RequestReader fast;
  RequestReader full;
  Request fast_request;
  Request full_request;
};

}  // namespace yibao::test
