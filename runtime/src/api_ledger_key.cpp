// A structural scan of one JSON object line for one string member. A line
// without a backslash has no escapes, so every string is the bytes between
// two quotes and a member's value is its raw text; anything the scan does
// not expect gives up (KeyScan::unknown) rather than guess.
#include "api_ledger_key.h"

#include <cstddef>

namespace yibao {

namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  void skip_space() noexcept {
    while (at_ < s_.size() && (s_[at_] == ' ' || s_[at_] == '\t' || s_[at_] == '\r' || s_[at_] == '\n')) ++at_;
  }
  bool take(char c) noexcept {
    skip_space();
    if (at_ < s_.size() && s_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  bool peek(char c) noexcept {
    skip_space();
    return at_ < s_.size() && s_[at_] == c;
  }
  // A string's content (after its opening quote has been taken).
  bool string(std::string_view& out) noexcept {
    const std::size_t end = s_.find('"', at_);
    if (end == std::string_view::npos) return false;
    out = s_.substr(at_, end - at_);
    at_ = end + 1;
    return true;
  }
  // Any value: a string, an object or array (brackets counted, strings
  // skipped), or a bare word (number, true, false, null).
  bool skip_value() noexcept {
    skip_space();
    if (at_ >= s_.size()) return false;
    std::string_view ignored;
    if (s_[at_] == '"') {
      ++at_;
      return string(ignored);
    }
    if (s_[at_] == '{' || s_[at_] == '[') {
      int depth = 0;
      while (at_ < s_.size()) {
        const char c = s_[at_++];
        if (c == '"') {
          if (!string(ignored)) return false;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    const std::size_t start = at_;
    while (at_ < s_.size() && s_[at_] != ',' && s_[at_] != '}' && s_[at_] != ']' && s_[at_] != ' ' &&
           s_[at_] != '\t' && s_[at_] != '\r' && s_[at_] != '\n')
      ++at_;
    return at_ > start;
  }

 private:
  std::string_view s_;
  std::size_t at_ = 0;
};

// Scans the members of an object whose '{' has been taken, for `name` (and,
// with a record, the record's object). The first match is the answer: were
// the key or the record given again later, the reader would refuse the
// line, and a refused line touches no ledger. Absent needs the whole
// object.
KeyScan scan_object(Scanner& in, std::string_view record, std::string_view name, std::string_view& key) {
  if (in.take('}')) return KeyScan::absent;
  bool record_seen = false;
  for (;;) {
    std::string_view member;
    if (!in.take('"') || !in.string(member) || !in.take(':')) return KeyScan::unknown;
    if (record.empty() && member == name) {
      return in.take('"') && in.string(key) ? KeyScan::found : KeyScan::unknown;  // null, a number: decode
    }
    if (!record.empty() && member == record && !record_seen) {
      if (!in.take('{')) return KeyScan::unknown;
      const KeyScan inner = scan_object(in, {}, name, key);
      if (inner != KeyScan::absent) return inner;
      record_seen = true;
    } else if (!in.skip_value()) {
      return KeyScan::unknown;
    }
    if (in.take(',')) continue;
    return in.take('}') ? KeyScan::absent : KeyScan::unknown;
  }
}

}  // namespace

KeyScan scan_ledger_key(std::string_view line, std::string_view record, std::string_view name,
                        std::string_view& key) noexcept {
  if (line.find('\\') != std::string_view::npos) return KeyScan::unknown;
  Scanner in(line);
  key = {};
  if (!in.take('{')) return KeyScan::unknown;
  return scan_object(in, record, name, key);
}

}  // namespace yibao
