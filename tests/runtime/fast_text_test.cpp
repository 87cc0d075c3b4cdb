// The byte-level helpers of the fast paths: raw key tables (request
// reading) and JSON string escaping (result writing), against plain
// reference versions.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "../../runtime/src/key_table.h"
#include "yibao/json_writer.h"

using namespace yibao;

namespace {

// Escaping as json_writer.h specifies it, one byte at a time.
std::string reference_escape(std::string_view s) {
  std::string out = "\"";
  std::size_t i = 0;
  const auto cont = [&](std::size_t k) { return k < s.size() && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80; };
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t n = 0;
      const auto b1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
      if (c >= 0xC2 && c <= 0xDF && cont(i + 1)) n = 2;
      if (c >= 0xE0 && c <= 0xEF && cont(i + 1) && cont(i + 2) && !(c == 0xE0 && b1 < 0xA0) && !(c == 0xED && b1 > 0x9F))
        n = 3;
      if (c >= 0xF0 && c <= 0xF4 && cont(i + 1) && cont(i + 2) && cont(i + 3) && !(c == 0xF0 && b1 < 0x90) &&
          !(c == 0xF4 && b1 > 0x8F))
        n = 4;
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out + "\"";
}

std::string escaped(std::string_view s) {
  std::string out(json_string_bound(s.size()), '\0');
  out.resize(static_cast<std::size_t>(write_json_string(out.data(), s) - out.data()));
  return out;
}

}  // namespace

TEST_CASE("write_json_string escapes as the reference does, at every length and position", "[json][fast]") {
  std::mt19937_64 rng(7);
  const std::string alphabet = std::string("abcXYZ019 -_\"\\\b\f\n\r\t\x01\x1f\x7f") + "é辽源" + "\xC3\x28\xE2\x82\xF0\x9F\x98\x80\xFF";
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const auto n = rng() % 40;
    for (std::size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    INFO("input: " << s);
    REQUIRE(escaped(s) == reference_escape(s));
  }
  CHECK(escaped("") == "\"\"");
  CHECK(escaped("plain ascii longer than sixteen bytes") == "\"plain ascii longer than sixteen bytes\"");
}

TEST_CASE("raw key tables find exactly their names, by their bytes", "[reader][fast]") {
  // Names sharing their first eight bytes, of every length up to 40 (long
  // ones are left to the KeyTable), and keys that are not names.
  std::vector<std::pair<std::string, int>> entries;
  const std::vector<std::string> names = {"a", "id", "tier", "hukou", "veteran_special", "veteran_rural60",
                                          "veteran_", "veteran_s", "birth_date", "special_outpatient",
                                          "poverty_relapse_long_name", "x23456789012345678901234567890123456"};
  for (std::size_t i = 0; i < names.size(); ++i) entries.emplace_back(names[i], static_cast<int>(i * 10));
  const detail::KeyTable table(entries);
  const detail::RawKeyTable raw(table);
  // A key as the reader gives it: its bytes, its closing quote, and the
  // line's padding.
  const auto find = [&](const std::string& key) {
    std::string padded = key + '"' + std::string(48, '\0');
    const int entry = raw.find(padded.data(), key.size());
    if (entry == -2) return table.find(key) < 0 ? -1 : table.find(key) + 1000;  // answered by the KeyTable
    return entry < 0 ? -1 : raw.value(entry);
  };
  for (std::size_t i = 0; i < names.size(); ++i) {
    INFO(names[i]);
    const int want = static_cast<int>(i * 10) + (names[i].size() > detail::RawKeyTable::kMaxName ? 1000 : 0);
    CHECK(find(names[i]) == want);
  }
  for (const char* other : {"", "b", "i", "idd", "veteran", "veteran_rural6", "veteran_rural600", "Tier",
                                   "birth_datE", "special_outpatien", "poverty_relapse_long_namf"}) {
    INFO(other);
    CHECK(find(std::string(other)) == -1);
  }
  // A name followed by zero bytes is not the name (regression: the words
  // were once padded with zeros, and "id\0\0\0\0" was "id").
  for (const std::string& name : names) {
    if (name.size() + 4 > 16) continue;
    INFO(name << " and zero bytes");
    CHECK(find(name + std::string(4, '\0')) == -1);
    CHECK(find(name + std::string(1, '\0')) == -1);
  }
  // Every prefix of every name, and the name with one byte more, is found
  // exactly when it is a name itself.
  const auto value_of = [&](std::string_view key) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == key) return static_cast<int>(i * 10);
    }
    return -1;
  };
  // A name that no raw JSON string holds as it is (a zero byte, a quote, a
  // backslash) is left out: it matches no key, and in particular not the
  // key that is its prefix before a zero byte.
  {
    const detail::KeyTable odd({{std::string("ab\0", 3), 1}, {"c\"d", 2}, {"e\\f", 3}, {"ok", 4}});
    const detail::RawKeyTable raw_odd(odd);
    std::string padded = std::string("ab\0\"", 4) + std::string(48, '\0');
    CHECK(raw_odd.find(padded.data(), 3) == -1);
    padded = std::string("ab\"", 3) + std::string(48, '\0');
    CHECK(raw_odd.find(padded.data(), 2) == -1);
    padded = "c\"d\"" + std::string(48, '\0');
    CHECK(raw_odd.find(padded.data(), 3) == -1);
    padded = "ok\"" + std::string(48, 'x');
    const int ok = raw_odd.find(padded.data(), 2);
    REQUIRE(ok >= 0);
    CHECK(raw_odd.value(ok) == 4);
  }
  for (const std::string& name : names) {
    if (name.size() > detail::RawKeyTable::kMaxName) continue;
    const std::string longer = name + "s";
    for (std::size_t n = 1; n <= name.size() + 1; ++n) {
      INFO(name << " as " << n << " bytes");
      const std::string key = longer.substr(0, n) + '"' + std::string(48, 'x');
      const int entry = raw.find(key.data(), n);
      CHECK((entry < 0 ? -1 : raw.value(entry)) == value_of(std::string_view(longer).substr(0, n)));
    }
  }
}
