// ledger_file.cpp: LedgerStore <-> the JSON Lines ledger file (format in ledger.h).
#include <simdjson.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <system_error>

#include "excerpt.h"
#include "yibao/checked.h"
#include "yibao/date.h"
#include "yibao/json_writer.h"
#include "yibao/ledger.h"
#include "yibao/money.h"
#include "yibao/nearest.h"

namespace yibao {
namespace od = simdjson::ondemand;

namespace {

constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A slot amount as written by write_money_exact: -?(0|[1-9][0-9]*)(.[0-9]{1,6})?
std::optional<Money> parse_exact_money(std::string_view s) noexcept {
  std::size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  const bool negative = i == 1;
  const std::size_t int_begin = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::size_t int_digits = i - int_begin;
  if (int_digits == 0 || (int_digits > 1 && s[int_begin] == '0')) return std::nullopt;
  std::int64_t fraction = 0;
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i]) && frac_digits < 7) {
      fraction = fraction * 10 + (s[i] - '0');
      ++frac_digits;
      ++i;
    }
    if (frac_digits == 0 || frac_digits > 6) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  for (std::size_t k = frac_digits; k < 6; ++k) fraction *= 10;
  std::int64_t whole = 0;
  const auto [end, ec] = std::from_chars(s.data() + int_begin, s.data() + int_begin + int_digits, whole);
  if (ec != std::errc() || end != s.data() + int_begin + int_digits) return std::nullopt;
  const auto micros = checked_mul(whole, kMicrosPerYuan);
  if (!micros) return std::nullopt;
  const auto magnitude = checked_add(*micros, fraction);
  if (!magnitude) return std::nullopt;
  return negative ? -*magnitude : *magnitude;
}

void write_ledger(JsonWriter& w, const std::string& policy, const std::vector<std::string>& slot_names,
                  const LedgerEntry& e) {
  w.begin_object();
  w.key("policy");
  w.string(policy);
  w.key("person");
  w.string(e.person);
  w.key("year");
  w.integer(e.year);
  w.key("slots");
  w.begin_object();
  char buffer[kMoneyTextMax];
  for (std::size_t s = 0; s < slot_names.size(); ++s) {
    w.key(slot_names[s]);
    w.raw(std::string_view(buffer, static_cast<std::size_t>(write_money_exact(buffer, e.slots[s]) - buffer)));
  }
  w.end_object();
  w.end_object();
  w.end_line();
}

// Builds "line N: <path>: <what>" messages.
class LineError {
 public:
  explicit LineError(std::uint64_t line) : line_(line) {}
  Error operator()(std::string_view path, std::string_view what, std::string_view seen = {}) const {
    std::string message = "line " + std::to_string(line_) + ": ";
    if (!path.empty()) {
      message.append(path);
      message.append(": ");
    }
    message.append(what);
    if (!seen.empty()) {
      message.append(", got ");
      detail::append_excerpt(message, seen);
    }
    return Error{std::move(message)};
  }

 private:
  std::uint64_t line_;
};

std::string_view json_problem(simdjson::error_code e) noexcept {
  return e == simdjson::UTF8_ERROR ? "not valid UTF-8" : "not valid JSON";
}

// One ledger line, decoded.
struct ParsedLedger {
  std::string_view person;
  std::int32_t year = 0;
  std::vector<std::int64_t> slots;
  std::vector<bool> seen;
};

Status parse_line(od::parser& parser, const Line& line, const LedgerStore& store, ParsedLedger& out) {
  const LineError at(line.number);
  od::document doc;
  if (auto e = parser.iterate(line.text.data(), line.text.size(), line.text.size() + simdjson::SIMDJSON_PADDING).get(doc)) {
    return at("", json_problem(e));
  }
  od::object object;
  if (auto e = doc.get_object().get(object)) return at("", e == simdjson::INCORRECT_TYPE ? "expected a JSON object" : json_problem(e));
  bool has_policy = false, has_person = false, has_year = false, has_slots = false;
  out.slots.assign(store.slot_count(), 0);
  out.seen.assign(store.slot_count(), false);
  for (auto item : object) {
    od::field field;
    if (auto e = std::move(item).get(field)) return at("", json_problem(e));
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return at("", json_problem(e));
    od::value value = field.value();
    if (key == "policy") {
      if (has_policy) return at("policy", "given twice");
      has_policy = true;
      std::string_view policy;
      if (value.get_string().get(policy)) return at("policy", "expected a string", trim_right(value.raw_json_token()));
      if (policy != store.policy()) {
        return at("policy", "these ledgers belong to another policy: expected " + store.policy(), policy);
      }
    } else if (key == "person") {
      if (has_person) return at("person", "given twice");
      has_person = true;
      if (value.get_string().get(out.person)) return at("person", "expected a string", trim_right(value.raw_json_token()));
    } else if (key == "year") {
      if (has_year) return at("year", "given twice");
      has_year = true;
      const std::string_view written = trim_right(value.raw_json_token());
      std::int32_t year = 0;
      const auto [end, ec] = std::from_chars(written.data(), written.data() + written.size(), year);
      if (ec != std::errc() || end != written.data() + written.size() || year < kMinYear || year > kMaxYear ||
          (written.size() > 1 && written[0] == '0')) {
        return at("year", "expected a year from 1 to 9999", written);
      }
      out.year = year;
    } else if (key == "slots") {
      if (has_slots) return at("slots", "given twice");
      has_slots = true;
      od::object slots;
      if (value.get_object().get(slots)) return at("slots", "expected an object");
      for (auto slot_item : slots) {
        od::field slot_field;
        if (auto e = std::move(slot_item).get(slot_field)) return at("slots", json_problem(e));
        std::string_view name;
        if (auto e = slot_field.unescaped_key().get(name)) return at("slots", json_problem(e));
        const std::string path = "slots." + std::string(name.substr(0, detail::kExcerptBytes));
        const int s = store.slot_index(name);
        if (s < 0) {
          std::string what = "unknown slot for policy " + store.policy();
          if (const auto hint = nearest(name, store.slot_names())) what += " (did you mean " + std::string(*hint) + "?)";
          return at(path, what);
        }
        if (out.seen[static_cast<std::size_t>(s)]) return at(path, "given twice");
        out.seen[static_cast<std::size_t>(s)] = true;
        const std::string_view written = trim_right(slot_field.value().raw_json_token());
        const auto amount = parse_exact_money(written);
        if (!amount) return at(path, "expected an amount with at most six decimals", written);
        out.slots[static_cast<std::size_t>(s)] = *amount;
      }
    } else {
      const std::vector<std::string_view> keys = {"policy", "person", "year", "slots"};
      std::string what = "unknown key";
      if (const auto hint = nearest(key, keys)) what += " (did you mean " + std::string(*hint) + "?)";
      return at(std::string(key.substr(0, detail::kExcerptBytes)), what);
    }
  }
  if (!doc.current_location().error()) return at("", "not valid JSON: more text after the object");
  if (!has_policy) return at("policy", "missing");
  if (!has_person) return at("person", "missing");
  if (!has_year) return at("year", "missing");
  if (!has_slots) return at("slots", "missing");
  for (std::size_t s = 0; s < store.slot_count(); ++s) {
    if (!out.seen[s]) return at("slots." + store.slot_names()[s], "missing");
  }
  return Status::success();
}

}  // namespace

void LedgerStore::append_line(std::size_t index, std::string& out) const {
  JsonWriter w;
  write_ledger(w, policy_, slot_names_, entry(index));
  out.append(w.view());
}

Status LedgerStore::save_file(const std::string& path) const {
  const std::string temporary = path + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return Error{"cannot write ledgers to " + temporary + ": " + std::generic_category().message(errno)};
  JsonWriter w;
  bool ok = true;
  const auto flush = [&] {
    const std::string_view text = w.view();
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), file) != text.size()) ok = false;
    w.clear();
  };
  for (std::size_t i = 0; i < size() && ok; ++i) {
    write_ledger(w, policy_, slot_names_, entry(i));
    if (w.view().size() >= kFlushBytes) flush();
  }
  flush();
  const int saved_errno = errno;
  if (std::fclose(file) != 0) ok = false;
  if (!ok) {
    std::remove(temporary.c_str());
    return Error{"cannot write ledgers to " + temporary + ": " + std::generic_category().message(saved_errno)};
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::generic_category().message(errno);
    std::remove(temporary.c_str());
    return Error{"cannot replace " + path + ": " + reason};
  }
  return Status::success();
}

Status LedgerStore::load(LineReader& lines) {
  // Stage everything first so that an error leaves this store unchanged.
  LedgerStore staged(policy_, slot_names_);
  od::parser parser;
  ParsedLedger parsed;
  Line line;
  for (;;) {
    const LineStatus status = lines.next(line);
    if (status == LineStatus::end) break;
    if (status == LineStatus::error) return Error{"cannot read ledgers: " + lines.error()};
    const LineError at(line.number);
    if (line.too_long) return at("", "line too long for a ledger");
    if (Status s = parse_line(parser, line, *this, parsed); !s) return s;
    std::string what = "ledger of person \"";
    detail::append_excerpt(what, parsed.person);
    what += "\" in " + std::to_string(parsed.year);
    if (find(parsed.person, parsed.year) != npos) return at("", what + " is already loaded");
    if (staged.find(parsed.person, parsed.year) != npos) return at("", what + " is given twice");
    const std::size_t index = staged.find_or_create(parsed.person, parsed.year);
    if (index == npos) return at("", "too many ledgers");
    std::copy(parsed.slots.begin(), parsed.slots.end(), staged.slots(index).begin());
  }
  for (std::size_t i = 0; i < staged.size(); ++i) {
    const LedgerEntry e = staged.entry(i);
    const std::size_t index = find_or_create(e.person, e.year);
    if (index == npos) return Error{"too many ledgers"};
    std::copy(e.slots.begin(), e.slots.end(), slots(index).begin());
  }
  return Status::success();
}

Status LedgerStore::load_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Error{"cannot open ledgers " + path + ": " + std::generic_category().message(errno)};
  LineReader lines = LineReader::from_file(file);
  Status status = load(lines);
  std::fclose(file);
  if (!status) return Error{path + ": " + status.error()};
  return status;
}

}  // namespace yibao
