# SPDX-License-Identifier: MIT
# macOS cross builds with Zig's clang (scripts/zig.sh), included by cmake/toolchain-*-macos.cmake
# once they have set MMAPC_ZIG_TARGET and CMAKE_SYSTEM_PROCESSOR. Zig carries the macOS headers
# and the stubs of libSystem, so the library, the tool, the examples and the tests build and link;
# nothing runs (no emulator: the tests are built, not run).
set(CMAKE_SYSTEM_NAME Darwin)
get_filename_component(MMAPC_ZIG_SH "${CMAKE_CURRENT_LIST_DIR}/../scripts/zig.sh" ABSOLUTE)
# Fetched into build/zig on the first configure (npm), unless it is there already.
execute_process(COMMAND sh "${MMAPC_ZIG_SH}" install RESULT_VARIABLE mmapc_zig_rc)
if(NOT mmapc_zig_rc EQUAL 0)
  message(FATAL_ERROR "zig 0.11 is not available: run scripts/zig.sh install (needs npm)")
endif()
set(CMAKE_C_COMPILER "${MMAPC_ZIG_SH}" cc)
set(CMAKE_CXX_COMPILER "${MMAPC_ZIG_SH}" c++)
set(CMAKE_C_COMPILER_TARGET ${MMAPC_ZIG_TARGET})
set(CMAKE_CXX_COMPILER_TARGET ${MMAPC_ZIG_TARGET})
set(CMAKE_AR "${CMAKE_CURRENT_LIST_DIR}/zig-ar.sh" CACHE FILEPATH "zig ar" FORCE)
set(CMAKE_RANLIB "${CMAKE_CURRENT_LIST_DIR}/zig-ranlib.sh" CACHE FILEPATH "zig ranlib" FORCE)
# Nothing here needs the C++ library at run time (the C++ test checks the header, with <cstdio>
# only), so programs link without it: zig would otherwise build its libc++ for each target first,
# which takes minutes.
set(CMAKE_EXE_LINKER_FLAGS_INIT -nostdlib++)
# zig compiles unoptimised code (CMake's probes) with UBSan, whose function check needs the C++
# library's type information.
set(CMAKE_CXX_FLAGS_INIT -fno-sanitize=function)
# No Xcode here: no SDK to look for, and the architecture comes from the target, not -arch.
set(CMAKE_OSX_SYSROOT "" CACHE PATH "" FORCE)
set(CMAKE_OSX_ARCHITECTURES "" CACHE STRING "" FORCE)
# install_name_tool would only rewrite the paths of an install, which a cross build is not made for.
set(CMAKE_INSTALL_NAME_TOOL /bin/false CACHE FILEPATH "no install_name_tool in cross builds" FORCE)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
