# SPDX-License-Identifier: MIT
# 64-bit Arm Linux (glibc) with Debian's cross compiler (gcc-aarch64-linux-gnu,
# libc6-dev-arm64-cross); tests run under qemu-user (qemu-user package).
# MMAPC_TEST_EMULATOR=qemu tells a test that it runs emulated, so that it can skip, with a printed
# reason, only the checks qemu-user cannot honour (PROCMAP_QUERY, mlock2, MAP_HUGETLB ...).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++) # for the C++ header test (g++-aarch64-linux-gnu)
set(CMAKE_CROSSCOMPILING_EMULATOR env MMAPC_TEST_EMULATOR=qemu qemu-aarch64 -L /usr/aarch64-linux-gnu)

set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
