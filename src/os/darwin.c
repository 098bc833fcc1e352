// SPDX-License-Identifier: MIT
/* macOS: mmap flags (MAP_JIT; 2 MiB superpages on x86-64), advice and populate by touching,
 * Apple silicon's per-thread JIT write switch, the instruction cache, F_FULLFSYNC after msync,
 * huge page sizes. */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <libkern/OSCacheControl.h>
#include <libproc.h>
#include <mach/vm_statistics.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <unistd.h>

/* The one huge page size: x86-64 has 2 MiB superpages (VM_FLAGS_SUPERPAGE_SIZE_2MB), arm64 none. */
#if defined(__x86_64__)
#define SUPERPAGE ((size_t)2 << 20)
#else
#define SUPERPAGE ((size_t)0)
#endif

int mmapc__posix_map_flags(const mmapc__request *rq)
{
    /* Writable and executable memory needs MAP_JIT on arm64 (and under the hardened runtime on
     * x86-64), from the start: it cannot be added later. XNU takes it for private anonymous
     * memory only, and never with MAP_FIXED (a commit, an exact or aligned placement). No-reserve,
     * stack and populate have no mmap flag (populate touches, mmapc__posix_advise). */
    bool placed = (rq->unsafe_flags & MMAPC_UNSAFE_FIXED) || rq->alignment > mmapc__os_page_size();
    if ((rq->unsafe_flags & MMAPC_UNSAFE_JIT) && !rq->is_file && !(rq->flags & MMAPC_SHARED) &&
        !placed)
        return MAP_JIT;
    return 0;
}

int mmapc__posix_anon_fd(const mmapc__request *rq)
{
    /* an anonymous mmap takes VM flags in place of a descriptor */
    if (SUPERPAGE && (rq->flags & MMAPC_HUGE_PAGES))
        return VM_FLAGS_SUPERPAGE_SIZE_2MB;
    return -1;
}

int mmapc__posix_advise(const mmapc__request *rq, void *addr)
{
    static const struct {
        unsigned flag;
        int advice;
    } advice[] = {
        {MMAPC_SEQUENTIAL, MADV_SEQUENTIAL},
        {MMAPC_RANDOM_ACCESS, MADV_RANDOM},
        {MMAPC_WILL_NEED, MADV_WILLNEED},
        {MMAPC_DONT_NEED, MADV_DONTNEED},
    };
    /* populate first, as mmap would have: a private writable mapping gets its own pages (a
     * write), others are read in; so is JIT memory, which this thread may not write yet */
    if ((rq->flags & MMAPC_POPULATE) && (rq->prot & MMAPC_PROT_READ))
        mmapc__posix_touch(addr, rq->size,
                           rq->prot == MMAPC_PROT_RW && !(rq->flags & MMAPC_SHARED));
    for (size_t i = 0; i < sizeof advice / sizeof advice[0]; i++) {
        if ((rq->flags & advice[i].flag) && madvise(addr, rq->size, advice[i].advice) != 0)
            return mmapc__posix_fail(errno);
    }
    return 0; /* transparent huge pages, no-core-dump: macOS has neither */
}

int mmapc__posix_at_area_limit(void)
{
    return 0; /* no limit of memory areas like Linux's vm.max_map_count */
}

void mmapc__posix_rwx_made(void)
{
#if defined(__aarch64__)
    /* MAP_JIT memory is writable or executable per thread: writable now for this one, until
     * mmapc__os_flush_icache() makes it executable */
    pthread_jit_write_protect_np(0);
#endif
}

int mmapc__os_flush_icache(const void *addr, size_t size)
{
#if defined(__aarch64__)
    pthread_jit_write_protect_np(1); /* the code is ready: this thread may run it */
#endif
    sys_icache_invalidate((void *)(uintptr_t)addr, size);
    return 0;
}

/* msync leaves the data in the drive's cache; F_FULLFSYNC asks the drive to write it out, for the
 * whole device, so a descriptor of the mapped file, opened by the path the kernel gives for the
 * mapping, does. */
int mmapc__posix_sync(void *addr, size_t size)
{
    (void)size;
    char path[MAXPATHLEN];
    int len = proc_regionfilename(getpid(), (uint64_t)(uintptr_t)addr, path, sizeof path);
    if (len <= 0 || (size_t)len >= sizeof path)
        return 0; /* anonymous or shared memory without a file: nothing to write */
    path[len] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : mmapc__posix_fail(errno); /* ENOENT: removed, no disk data */
    int rc = 0;
    /* file systems without F_FULLFSYNC (network, FAT) answer ENOTSUP: fsync is all they have */
    if (fcntl(fd, F_FULLFSYNC) != 0 && fsync(fd) != 0)
        rc = mmapc__posix_fail(errno);
    close(fd);
    return rc;
}

int mmapc__os_huge_page_sizes(size_t *sizes, size_t capacity, size_t *count)
{
    if (SUPERPAGE && capacity)
        sizes[0] = SUPERPAGE;
    *count = SUPERPAGE ? 1 : 0;
    return 0;
}

size_t mmapc__os_default_huge_page_size(void)
{
    return SUPERPAGE;
}
