// SPDX-License-Identifier: MIT
/*
 * A generic POSIX system (MMAPC_GENERIC_POSIX): what posix.c needs from a system file, made of
 * POSIX.1-2008 calls only. It is compiled without the C library's extensions (no _DEFAULT_SOURCE,
 * no _GNU_SOURCE), so that a call or flag of one system fails to build here. Flags without a
 * POSIX counterpart are no-ops; populate touches the pages; no huge pages.
 */
#if defined(_DEFAULT_SOURCE) || defined(_GNU_SOURCE) || defined(_BSD_SOURCE)
#error "src/os/generic*.c are built with POSIX.1-2008 alone (CMakeLists.txt, MMAPC_GENERIC_POSIX)"
#endif
#include "posix.h"

#include <sys/mman.h>

int mmapc__posix_map_flags(const mmapc__request *rq)
{
    (void)rq; /* POSIX mmap has no populate, no-reserve, huge page, stack or no-replace flag */
    return 0;
}

int mmapc__posix_anon_fd(const mmapc__request *rq)
{
    (void)rq;
    return -1;
}

void mmapc__posix_rwx_made(void) {}

int mmapc__posix_sync(void *addr, size_t size)
{
    (void)addr;
    (void)size;
    return 0; /* msync(MS_SYNC) is all POSIX asks for */
}

int mmapc__os_flush_icache(const void *addr, size_t size)
{
    char *p = (char *)(uintptr_t)addr;
    __builtin___clear_cache(p, p + size);
    return 0;
}

int mmapc__posix_advise(const mmapc__request *rq, void *addr)
{
    static const struct {
        unsigned flag;
        int advice;
    } advice[] = {
        {MMAPC_SEQUENTIAL, POSIX_MADV_SEQUENTIAL},
        {MMAPC_RANDOM_ACCESS, POSIX_MADV_RANDOM},
        {MMAPC_WILL_NEED, POSIX_MADV_WILLNEED},
        {MMAPC_DONT_NEED, POSIX_MADV_DONTNEED},
    };
    /* populate first, as mmap would have, so that dont-need comes after it; a private writable
     * mapping gets its own pages (a write), others are read in */
    if ((rq->flags & MMAPC_POPULATE) && (rq->prot & MMAPC_PROT_READ))
        mmapc__posix_touch(addr, rq->size,
                           (rq->prot & MMAPC_PROT_WRITE) && !(rq->flags & MMAPC_SHARED));
    for (size_t i = 0; i < sizeof advice / sizeof advice[0]; i++) {
        if (!(rq->flags & advice[i].flag))
            continue;
        int err = posix_madvise(addr, rq->size, advice[i].advice); /* returns the error */
        if (err)
            return mmapc__posix_fail(err);
    }
    return 0; /* transparent huge pages, no-core-dump: no POSIX counterpart */
}

int mmapc__posix_at_area_limit(void)
{
    return 0; /* POSIX has no limit of memory areas to ask about */
}

int mmapc__os_huge_page_sizes(size_t *sizes, size_t capacity, size_t *count)
{
    (void)sizes;
    (void)capacity;
    *count = 0;
    return 0;
}

size_t mmapc__os_default_huge_page_size(void)
{
    return 0;
}
