// The version the build was configured with (runtime/CMakeLists.txt).
#include "yibao/yibao.hpp"

namespace yibao {

const char* const kVersion = YIBAO_VERSION_STRING;

}  // namespace yibao
