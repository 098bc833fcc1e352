# SPDX-License-Identifier: MIT
# 32-bit x86 Linux (glibc) with Debian's cross compiler (gcc-i686-linux-gnu, libc6-dev-i386-cross).
# The tests run natively: an x86-64 kernel with IA32 emulation runs them through the host's
# /lib/ld-linux.so.2 (libc6-i386). qemu-i386 is deliberately not used: a child killed by SIGSEGV
# under it never ends.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER i686-linux-gnu-g++) # for the C++ header test (g++-i686-linux-gnu)

set(CMAKE_FIND_ROOT_PATH /usr/i686-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
