// The request reader twice over the same schema: with its fast path, and
// with the full decoder alone (RequestReaderOptions::fast_path = false),
// each with its own Request, and what each made of a line, to be compared:
// accepted or refused, the message, the recovered id, and every field's and
// record's presence and value. The fast path reads each line twice: padded
// with spaces, as RequestReader::read pads it (it copies the line), and
// followed by a zero byte, as LineReader gives lines (it reads the line in
// place); for the second, the bytes after the zero are ones a scan must not
// take for the line's, and the line's buffer is overwritten before the
// request is looked at, so that its texts must have been copied out. Shared by the reader's differential test
// (tests/runtime/request_fast_path_test.cpp) and its fuzz target
// (tests/fuzz/fuzz_request.cpp).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "yibao/line_reader.h"
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

// What `reader` made of the line it has just read (`ok`).
inline ReadOutcome outcome_of(bool ok, RequestReader& reader, const Request& request) {
  ReadOutcome o;
  o.ok = ok;
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

inline ReadOutcome read_outcome(RequestReader& reader, Request& request, std::string_view line) {
  const bool ok = reader.read(line, request);
  return outcome_of(ok, reader, request);
}

// The line followed by a zero byte and padding that looks like JSON, read
// in place; the buffer is overwritten before the outcome is taken.
inline ReadOutcome read_in_place(RequestReader& reader, Request& request, std::string_view line) {
  std::string buffer(line);
  buffer += '\0';
  while (buffer.size() < line.size() + kReadPadding) buffer += "\"0\": 1}, \"t\"";
  const bool ok = reader.read_padded(std::string_view(buffer.data(), line.size()), request);
  std::fill(buffer.begin(), buffer.end(), 'X');
  return outcome_of(ok, reader, request);
}

struct ReadOutcomes {
  ReadOutcome fast;      // the fast path, on a copy of the line (read)
  ReadOutcome in_place;  // the fast path, in place (read_padded, a zero after the line)
  ReadOutcome full;      // the full decoder alone
};

struct ReaderPair {
  explicit ReaderPair(const Schema& schema)
      : fast(RequestReader::create(schema).value()),
        full(RequestReader::create(schema, RequestReaderOptions{.fast_path = false}).value()),
        fast_request(fast.make_request()),
        in_place_request(fast.make_request()),
        full_request(full.make_request()) {}

  ReadOutcomes read(std::string_view line) {
    ReadOutcomes o;
    o.fast = read_outcome(fast, fast_request, line);
    o.in_place = read_in_place(fast, in_place_request, line);
    o.full = read_outcome(full, full_request, line);
    return o;
  }

  RequestReader fast;
  RequestReader full;
  Request fast_request;
  Request in_place_request;
  Request full_request;
};

}  // namespace yibao::test
