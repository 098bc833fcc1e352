// SPDX-License-Identifier: MIT
/* The system calls of a plain mapping's life on POSIX systems (fstat, mmap, munmap), inline in
 * the core's hot path (map.c): a call into the platform's file for each would cost more than the
 * rest of the work the library does around them. Included by os.h only. */
#ifndef MMAPC_POSIX_HOT_H
#define MMAPC_POSIX_HOT_H

#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
/* The generic POSIX system's own files (src/os/generic*.c) are built without the C library's
 * extensions: syscall() and MAP_ANONYMOUS are then hidden, and what needs them is left out. */
#if defined(__linux__) && defined(__x86_64__) && (defined(_DEFAULT_SOURCE) || defined(_GNU_SOURCE))
#include <sys/syscall.h>
#define MMAPC__FSTAT_SYSCALL 1
#endif

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif

/* The code of errno err (posix.c), the raw error recorded. */
__attribute__((cold)) int mmapc__posix_fail(int err);

/* fstat(), through the plain fstat system call where the C library's struct stat is the kernel's:
 * glibc 2.33+ turns fstat() into newfstatat(fd, "", AT_EMPTY_PATH), which kernels before 6.11
 * answer through a path lookup of "". */
static inline int mmapc__posix_fstat(int fd, struct stat *st)
{
#if defined(MMAPC__FSTAT_SYSCALL) && defined(SYS_fstat)
    return (int)syscall(SYS_fstat, fd, st);
#else
    return fstat(fd, st);
#endif
}

MMAPC__HOT static inline int mmapc__os_file_info(mmapc_file file, mmapc__file_info *info)
{
    struct stat st;
    /* a descriptor below 0 is EBADF, as fstat says */
    if (mmapc__posix_fstat(file, &st) != 0) {
        *info = (mmapc__file_info){0}; /* written on every path: compilers see it set */
        return mmapc__posix_fail(errno);
    }
    info->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : UINT64_MAX;
    info->id[0] = (uint64_t)st.st_dev;
    info->id[1] = (uint64_t)st.st_ino;
    return 0;
}

/* The code of a failed mmap or munmap with errno err (ENOMEM at the limit of memory areas is
 * MMAPC_ELIMIT), the raw error recorded. */
__attribute__((cold)) int mmapc__posix_map_fail(int err);

#if defined(MAP_ANONYMOUS) /* map.c's, which is built with them */
MMAPC__HOT static inline int mmapc__os_map_plain(mmapc__backing *b, size_t size, mmapc_prot prot,
                                                 const mmapc_file *file, uint64_t offset,
                                                 void **out)
{
    (void)b;
    /* mmapc's protection bits are mmap's (asserted in posix.c) */
    void *p = file ? mmap(NULL, size, (int)prot, MAP_PRIVATE, *file, (off_t)offset)
                   : mmap(NULL, size, (int)prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return mmapc__posix_map_fail(errno);
    *out = p;
    return 0;
}
#endif

MMAPC__HOT static inline int mmapc__os_release(mmapc__backing *b, void *addr, size_t size, int last)
{
    (void)b;
    (void)last;
    /* munmap refuses (ENOMEM) to unmap a piece from inside a kernel area when the split needs
     * one area more than vm.max_map_count allows */
    if (addr && munmap(addr, size) != 0)
        return mmapc__posix_map_fail(errno);
    return 0;
}

#endif
