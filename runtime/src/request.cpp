// request.cpp: storage and presence bits of a decoded request.
#include "yibao/request.h"

#include <algorithm>

namespace yibao {
namespace {
std::size_t words_for(std::size_t bits) { return (bits + 63) / 64; }
}  // namespace

Request::Request(const Schema& schema)
    : slots_(schema.fields.size(), 0),
      texts_(schema.fields.size()),
      has_(words_for(schema.fields.size()), 0),
      given_(words_for(schema.fields.size()), 0),
      records_(words_for(schema.records.size()), 0),
      record_count_(schema.records.size()) {}

void Request::clear() noexcept {
  std::fill(slots_.begin(), slots_.end(), 0);
  std::fill(texts_.begin(), texts_.end(), std::string_view());
  std::fill(has_.begin(), has_.end(), 0);
  std::fill(given_.begin(), given_.end(), 0);
  std::fill(records_.begin(), records_.end(), 0);
}

}  // namespace yibao
