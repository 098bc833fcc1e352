// SPDX-License-Identifier: MIT
/*
 * What the platform under test promises, so that a portable test asserts the promised answer:
 * a capability the platform never has must answer MMAPC_EUNSUPPORTED (asserted, never skipped),
 * one it always has must work, and only one that depends on the kernel or an emulator is found
 * out at run time. MMAPC_TEST_GENERIC_POSIX comes from CMake (MMAPC_GENERIC_POSIX=ON): the
 * generic POSIX backend (src/os/generic*.c), whatever system it runs on.
 */
#ifndef MMAPC_TESTS_PLATFORM_H
#define MMAPC_TESTS_PLATFORM_H

#define PROMISE_NO 0    /* never: MMAPC_EUNSUPPORTED */
#define PROMISE_YES 1   /* always */
#define PROMISE_MAYBE 2 /* depends on the kernel, its settings or an emulator */

#if defined(MMAPC_TEST_GENERIC_POSIX)
#define PLATFORM_NAME "generic POSIX"
#define PLATFORM_AREAS PROMISE_NO         /* describing memory areas: no POSIX call does it */
#define PLATFORM_SEAL PROMISE_NO          /* mmapc_seal() */
#define PLATFORM_LOCK_ON_FAULT PROMISE_NO /* mmapc_lock_on_fault() */
#define PLATFORM_SHM_SEALS PROMISE_NO     /* mmapc_shm_seal() */
#define PLATFORM_HUGE_PAGES PROMISE_NO    /* MMAPC_HUGE_PAGES, huge page sizes */
#elif defined(_WIN32)
#define PLATFORM_NAME "Windows"
#define PLATFORM_AREAS PROMISE_YES
#define PLATFORM_SEAL PROMISE_NO
#define PLATFORM_LOCK_ON_FAULT PROMISE_NO
#define PLATFORM_SHM_SEALS PROMISE_NO
#define PLATFORM_HUGE_PAGES PROMISE_MAYBE /* large pages: SeLockMemoryPrivilege */
#elif defined(__APPLE__)
#define PLATFORM_NAME "macOS"
#define PLATFORM_AREAS PROMISE_YES
#define PLATFORM_SEAL PROMISE_NO
#define PLATFORM_LOCK_ON_FAULT PROMISE_NO
#define PLATFORM_SHM_SEALS PROMISE_NO
#define PLATFORM_HUGE_PAGES PROMISE_MAYBE /* 2 MiB superpages on x86-64 only */
#elif defined(__linux__)
#define PLATFORM_NAME "Linux"
#define PLATFORM_AREAS PROMISE_YES           /* with /proc mounted */
#define PLATFORM_SEAL PROMISE_MAYBE          /* mseal: Linux 6.10+, 64-bit */
#define PLATFORM_LOCK_ON_FAULT PROMISE_MAYBE /* mlock2: Linux 4.4+ */
#define PLATFORM_SHM_SEALS PROMISE_MAYBE     /* memfd seals: Linux 3.17+ */
#define PLATFORM_HUGE_PAGES PROMISE_MAYBE    /* hugetlbfs sizes the kernel offers */
#else
#error "tests/platform.h: say what this platform promises"
#endif

#endif
