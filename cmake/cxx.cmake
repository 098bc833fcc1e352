# SPDX-License-Identifier: MIT
# C++ for the programs of mmapc.hpp (tests/cxx, examples/*.cpp, bench/cxx.cpp): enabled when a
# C++ compiler is there; MMAPC_CXX_LIBRARY_LINKS when its programs also link with the C++
# library, which the macOS cross builds leave out (cmake/zig-macos.cmake).
include(CheckLanguage)
check_language(CXX)
if(CMAKE_CXX_COMPILER)
  enable_language(CXX)
  include(CheckCXXSourceCompiles)
  check_cxx_source_compiles("#include <system_error>
    int main() { return std::generic_category().message(0).empty(); }" MMAPC_CXX_LIBRARY_LINKS)
endif()
