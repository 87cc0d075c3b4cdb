# Warnings are on for every target of ours and must stay clean with g++ 12 and clang 14.
function(yibao_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  # g++ 12 at -O3 reports -Wrestrict inside libstdc++ for `"literal" +
  # std::string&&` (GCC bug 105329, a false positive fixed in g++ 13); the
  # expression is everywhere in ordinary code, so the warning is off there.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()
