# SPDX-License-Identifier: MIT
# x86-64 Linux with musl libc through Debian's musl-gcc wrapper (musl-tools). Same machine, other
# libc: the binaries run natively through /lib/ld-musl-x86_64.so.1, so this is not a cross build.
# Threads live in musl's libc itself. musl-gcc sees only musl's headers (no <linux/*.h>), which
# keeps the library honest about what it includes.
set(CMAKE_C_COMPILER musl-gcc)

# musl-tools ships no C++ library, so this target declares no C++ compiler (check_language(CXX) then
# finds none; the C++ header test runs on the other targets). Left alone, it would find the host
# g++, whose glibc C++ library does not link with musl objects.
set(CMAKE_CXX_COMPILER CMAKE_CXX_COMPILER-NOTFOUND)
