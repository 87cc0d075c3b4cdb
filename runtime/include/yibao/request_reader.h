// request_reader.h: one JSON request line -> a Request, checked against a
// Schema, or a message saying what is wrong with it.
//
// Generic over the schema: the keys, types, ranges, enum members, defaults
// and presence rules all come from the Schema, so nothing medical is known
// here. The rules are interchange.md's:
//   - the line is one JSON object; records (objects) nest one level;
//   - a key the schema does not define is refused, with the nearest known
//     name suggested; a key given twice in one object is refused;
//   - `null` for an optional or defaulted field means absent (the default
//     applies); for a required field it is refused;
//   - an optional record that is absent leaves its fields absent, except
//     that defaulted fields take their defaults (a default taken from
//     another field applies only if that field has a value); its required
//     fields are not required then. A required record that is absent is
//     refused;
//   - booleans are true/false, whole numbers plain JSON integers (`2.0`,
//     `2e0`, `"2"` refused), dates strict `YYYY-MM-DD`, enums member names,
//     enum sets arrays of member names (a member listed twice counts once),
//     money per money.h's parse_money_text, from a JSON number as written
//     or from a string.
// Consistency between amounts (compliant <= total, ...) is not checked
// here: the standard library declares those checks and the interpreter runs
// them.
//
// Messages have the form `claim.hospital_level: expected 1, 2 or 3, got 7`;
// the caller adds `line N: `. When a line is refused, the request's id (the
// schema's id_field) is still recovered if the line is readable that far,
// so the result can echo it.
//
// Robustness: the reader descends at most two levels (records, then enum
// sets) and refuses a value of the wrong kind before looking inside it, so
// deeply nested input is refused without recursion; longer lines than
// max_request_bytes are refused unparsed.
//
// Performance: a well-formed line is decoded by one direct scan of its
// bytes; any other line (escapes, errors, anything unusual) by simdjson
// On-Demand, which also writes every message (see request_reader_impl.h).
// The parser, the message, the recovered id and the text values reuse
// their storage, so once warmed up a read allocates nothing. Text values
// (the id, person.id) are string_views into the reader's storage, valid
// until the next read.
//
// Thread safety: one reader per thread (it owns a parser).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "yibao/expected.h"
#include "yibao/request.h"
#include "yibao/schema.h"

namespace yibao {

struct RequestReaderOptions {
  // Longer requests are refused unparsed (a request is well under 1 KB).
  std::size_t max_request_bytes = std::size_t{1} << 20;
  // Decode well-formed lines with a direct scan before falling back to
  // simdjson On-Demand (same results, several times faster). Off only to
  // test one decoder against the other.
  bool fast_path = true;
};

class RequestReader {
 public:
  // Fails when the schema does not pass Schema::validate().
  static Expected<RequestReader> create(Schema schema, RequestReaderOptions options = {});

  RequestReader(RequestReader&&) noexcept;
  RequestReader& operator=(RequestReader&&) noexcept;
  ~RequestReader();

  const Schema& schema() const noexcept;
  // A Request sized for this reader's schema.
  Request make_request() const { return Request(schema()); }

  // Decodes `line` into `out` (cleared first). Precondition: kReadPadding
  // (line_reader.h) readable bytes follow line.data() + line.size(), as
  // LineReader guarantees. On false, see error() and id(); `out` is then
  // unspecified.
  [[nodiscard]] bool read_padded(std::string_view line, Request& out);
  // The same for a line without padding (it is copied first).
  [[nodiscard]] bool read(std::string_view line, Request& out);

  // After a failed read: what is wrong, without the `line N: ` prefix.
  std::string_view error() const noexcept;
  // After a failed read: the id if it could be recovered (the id field held
  // a string and the line was readable up to it), else nullopt (write
  // null). Valid until the next read.
  std::optional<std::string_view> id() const noexcept;

 private:
  struct Impl;
  explicit RequestReader(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yibao
