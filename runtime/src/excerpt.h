// excerpt.h (internal): shortens text seen in the input for an error message.
//
// A message quotes what it refused ("got 1.005"), but input can be huge: a
// 1 MB string must not become a 1 MB message. The cut never splits a UTF-8
// sequence, so the message stays valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace yibao::detail {

inline constexpr std::size_t kExcerptBytes = 60;

// Appends `text`, cut to about kExcerptBytes bytes with "..." when cut.
inline void append_excerpt(std::string& out, std::string_view text) {
  if (text.size() <= kExcerptBytes) {
    out.append(text);
    return;
  }
  std::size_t cut = kExcerptBytes;
  // Step back over continuation bytes (10xxxxxx) to a sequence start.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
  out.append(text.substr(0, cut));
  out.append("...");
}

}  // namespace yibao::detail
