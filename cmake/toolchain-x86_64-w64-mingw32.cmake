# SPDX-License-Identifier: MIT
# Windows x86-64 with Debian's mingw-w64 cross compiler (gcc-mingw-w64-x86-64-posix); the tests
# run under wine (wine, wine64) through cmake/wine-run.sh, which keeps a wine prefix of its own in
# the build directory.
# Everything is linked statically (libgcc, winpthreads), so the programs need no DLL but Windows'.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
# C++ only for the header test, when g++-mingw-w64-x86-64-posix is installed
find_program(MMAPC_MINGW_CXX x86_64-w64-mingw32-g++-posix)
if(MMAPC_MINGW_CXX)
  set(CMAKE_CXX_COMPILER ${MMAPC_MINGW_CXX})
endif()
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_CROSSCOMPILING_EMULATOR env MMAPC_WINEPREFIX=${CMAKE_BINARY_DIR}/wineprefix
    sh ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh)

set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
