# Finds LLVM for the JIT through llvm-config (LLVM's own CMake package needs
# the C language and probes FFI, terminfo, zlib and libxml2, none of which the
# JIT uses). Sets YIBAO_LLVM_FOUND, and when found the imported target
# yibao::llvm: LLVM's headers (as system headers) and the shared libLLVM.
set(YIBAO_LLVM_FOUND OFF)
find_program(YIBAO_LLVM_CONFIG NAMES llvm-config-14 llvm-config
             PATHS /usr/lib/llvm-14/bin NO_CACHE)
if(YIBAO_LLVM_CONFIG)
  execute_process(COMMAND ${YIBAO_LLVM_CONFIG} --version OUTPUT_VARIABLE _llvm_version OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${YIBAO_LLVM_CONFIG} --includedir OUTPUT_VARIABLE _llvm_include OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${YIBAO_LLVM_CONFIG} --libdir OUTPUT_VARIABLE _llvm_libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${YIBAO_LLVM_CONFIG} --components OUTPUT_VARIABLE _llvm_components OUTPUT_STRIP_TRAILING_WHITESPACE)
  string(REGEX MATCH "^[0-9]+" _llvm_major "${_llvm_version}")
  find_library(YIBAO_LIBLLVM NAMES LLVM-${_llvm_major} LLVM PATHS ${_llvm_libdir} NO_DEFAULT_PATH)
  # The JIT is written against LLVM 14's typed-pointer API.
  if(_llvm_major EQUAL 14 AND _llvm_components MATCHES "orcjit" AND YIBAO_LIBLLVM AND EXISTS ${_llvm_include}/llvm/ExecutionEngine/Orc/LLJIT.h)
    set(YIBAO_LLVM_FOUND ON)
    add_library(yibao::llvm INTERFACE IMPORTED)
    target_include_directories(yibao::llvm SYSTEM INTERFACE ${_llvm_include})
    target_compile_definitions(yibao::llvm INTERFACE __STDC_CONSTANT_MACROS __STDC_FORMAT_MACROS __STDC_LIMIT_MACROS)
    target_link_libraries(yibao::llvm INTERFACE ${YIBAO_LIBLLVM})
    message(STATUS "LLVM ${_llvm_version} for the JIT: ${YIBAO_LIBLLVM}")
  endif()
endif()
