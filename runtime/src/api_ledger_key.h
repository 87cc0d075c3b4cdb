// The ledger key of a request line found by a scan of its bytes, without
// decoding the request: the cheap first pass of settle_batch.
#pragma once

#include <optional>
#include <string_view>

namespace yibao {

enum class KeyScan : unsigned char {
  found,    // `key` holds the value: exactly what the reader would decode
  absent,   // the line's object has no such string: the reader finds none
  unknown,  // escapes, null, or an unusual shape: decode the line to know
};

// Looks for the string at `record.name` (`person.id`), or at top-level
// `name` when `record` is empty. Sound for deciding owners: when it says
// found or absent, the reader either decodes the same (or no) key, or
// refuses the line (which then touches no ledger).
KeyScan scan_ledger_key(std::string_view line, std::string_view record, std::string_view name,
                        std::string_view& key) noexcept;

}  // namespace yibao
