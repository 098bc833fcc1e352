# SPDX-License-Identifier: MIT
# 32-bit x86 Linux (glibc) with Debian's cross compiler (gcc-i686-linux-gnu, libc6-dev-i386-cross).
# The tests run natively where the kernel can: an x86-64 kernel with IA32 emulation runs them
# through the host's /lib/ld-linux.so.2 (libc6-i386). A kernel without it (CONFIG_IA32_EMULATION
# off, or ia32_emulation=0) answers "Exec format error"; there they run under qemu-user
# (qemu-user package) like the aarch64 and armv7 targets, with MMAPC_TEST_EMULATOR=qemu (see
# toolchain-aarch64-linux-gnu.cmake). Which of the two is decided once per configure, by running
# a tiny program built with the cross compiler: MMAPC_I686_NATIVE (ON/OFF) in the cache; set it
# yourself (-DMMAPC_I686_NATIVE=OFF) to force qemu.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER i686-linux-gnu-g++) # for the C++ header test (g++-i686-linux-gnu)

set(CMAKE_FIND_ROOT_PATH /usr/i686-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The check is made in the main project only; try_compile projects read this file again but never
# run what they build.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MMAPC_I686_NATIVE)
if(NOT DEFINED MMAPC_I686_NATIVE)
  set(check_dir ${CMAKE_BINARY_DIR}/CMakeFiles/mmapc-i686-check)
  file(MAKE_DIRECTORY ${check_dir})
  # Exit status 42 only from a 32-bit x86 process that really ran.
  file(WRITE ${check_dir}/check.c "int main(void) { return sizeof(void *) == 4 ? 42 : 1; }\n")
  execute_process(COMMAND ${CMAKE_C_COMPILER} -o ${check_dir}/check ${check_dir}/check.c
                  RESULT_VARIABLE check_build OUTPUT_QUIET ERROR_QUIET)
  set(check_run "not built")
  if(check_build EQUAL 0)
    execute_process(COMMAND ${check_dir}/check RESULT_VARIABLE check_run OUTPUT_QUIET ERROR_QUIET
                    TIMEOUT 30)
  endif()
  if(check_run EQUAL 42)
    set(native ON)
  else()
    set(native OFF)
    message(STATUS "i686: this kernel does not run 32-bit x86 programs (${check_run}), "
                   "the tests run under qemu-i386")
  endif()
  set(MMAPC_I686_NATIVE ${native} CACHE BOOL "Run the i686 tests natively (OFF: under qemu-i386)")
  unset(check_dir)
  unset(check_build)
  unset(check_run)
  unset(native)
endif()
# Under qemu the loader comes from the cross root (-L) and must load that root's libc too: the
# host's /etc/ld.so.cache lists the host's 32-bit libraries (libc6-i386, /lib32), of another
# build of glibc, and a loader with a libc not its own hangs in the first pthread_create.
# LD_LIBRARY_PATH=/lib, seen through -L, is the cross root's /lib, searched before that cache.
if(NOT MMAPC_I686_NATIVE)
  set(CMAKE_CROSSCOMPILING_EMULATOR env MMAPC_TEST_EMULATOR=qemu qemu-i386 -L /usr/i686-linux-gnu
                                    -E LD_LIBRARY_PATH=/lib)
endif()
