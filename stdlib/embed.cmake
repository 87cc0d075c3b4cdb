# Writes a C++ source holding every stdlib/*.yb file as a string, so the yibao
# binary needs no install path for its standard library (jsonnet's way).
# Invoked at build time: cmake -DSTDLIB_DIR=... -DOUT=... -P embed.cmake
file(GLOB sources RELATIVE "${STDLIB_DIR}" "${STDLIB_DIR}/*.yb")
list(SORT sources)
set(body "// Generated from stdlib/*.yb by stdlib/embed.cmake. Do not edit.\n#include \"compiler/stdlib_sources.h\"\n\nnamespace yibao::compiler {\n\nconst std::vector<StdlibSource>& stdlib_sources() {\n  static const std::vector<StdlibSource> sources = {\n")
foreach(src IN LISTS sources)
  file(READ "${STDLIB_DIR}/${src}" text)
  string(REGEX REPLACE "\\.yb$" "" stem "${src}")
  # A raw string literal with a delimiter that the sources never contain.
  string(APPEND body "    {\"std.${stem}\", \"stdlib/${src}\", R\"yb_stdlib(${text})yb_stdlib\"},\n")
endforeach()
string(APPEND body "  };\n  return sources;\n}\n\n}  // namespace yibao::compiler\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
