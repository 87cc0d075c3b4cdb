// stdlib_sources.h: the standard library's yibao sources, embedded in the
// binary at build time (stdlib/embed.cmake), by module name.
#pragma once

#include <string_view>
#include <vector>

namespace yibao::compiler {

struct StdlibSource {
  std::string_view module;  // "std.resident"
  std::string_view path;    // "stdlib/resident.yb", for diagnostics
  std::string_view text;
};

const std::vector<StdlibSource>& stdlib_sources();

}  // namespace yibao::compiler
