// SPDX-License-Identifier: MIT
/* What the running kernel has, asked of the kernel itself with the raw call (not its version
 * number, which says nothing of a backport or a configuration): the tests expect the library's
 * primary path where the kernel has the feature and its documented fallback where it does not,
 * so that each runs for real on some kernel (make test-kernels). An emulator or valgrind answers
 * the raw call as it answers the library's. */
#ifndef MMAPC_TESTS_KERNEL_PROBE_H
#define MMAPC_TESTS_KERNEL_PROBE_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* PROCMAP_QUERY (Linux 6.11+): _IOWR('f', 17, struct procmap_query), 104 bytes. */
#define PROBE_PROCMAP_QUERY 0xc0686611u

/* 1 when an ioctl PROCMAP_QUERY on /proc/self/maps answers for an address of this program, 0
 * when the kernel (or an emulator) refuses the request, -1 when the probe itself failed. */
static inline int kernel_has_procmap_query(void)
{
    uint64_t q[13]; /* size, flags, address, then what the kernel writes */
    static const char here = 0;
    memset(q, 0, sizeof q);
    q[0] = sizeof q;
    q[2] = (uint64_t)(uintptr_t)&here;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = ioctl(fd, PROBE_PROCMAP_QUERY, q);
    int err = errno;
    close(fd);
    if (rc == 0)
        return 1;
    return err == ENOTTY || err == ENOSYS || err == EINVAL || err == EOPNOTSUPP ? 0 : -1;
}

/* Non-zero when MMAPC_FORCE_TEXT sends the library's queries to the text whatever the kernel
 * has (the same reading of the variable as src/areas.c). */
static inline int forced_text(void)
{
    const char *e = getenv("MMAPC_FORCE_TEXT");
    return e && *e && strcmp(e, "0") != 0;
}

/* 1 when mseal (Linux 6.10+, 64-bit kernels and programs) seals a probe page, 0 when the kernel
 * (or an emulator, or valgrind) lacks it. The probe page stays mapped: a sealed page cannot be
 * unmapped. */
static inline int kernel_has_mseal(void)
{
    long page = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    long rc = syscall(462 /* mseal, one number on every architecture */, p, (size_t)page, 0UL);
    if (rc != 0)
        munmap(p, (size_t)page);
    return rc == 0;
}

#endif
