// request.cpp: storage and presence bits of a decoded request.
#include "yibao/request.h"

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

}  // namespace yibao
