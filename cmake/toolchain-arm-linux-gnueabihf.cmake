# SPDX-License-Identifier: MIT
# 32-bit Arm (ARMv7, hard float) Linux (glibc) with Debian's cross compiler
# (gcc-arm-linux-gnueabihf, libc6-dev-armhf-cross); tests run under qemu-user (qemu-user package).
# MMAPC_TEST_EMULATOR=qemu: see toolchain-aarch64-linux-gnu.cmake.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++) # for the C++ header test (g++-arm-linux-gnueabihf)
set(CMAKE_CROSSCOMPILING_EMULATOR env MMAPC_TEST_EMULATOR=qemu qemu-arm -L /usr/arm-linux-gnueabihf)

set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
