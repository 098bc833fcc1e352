// SPDX-License-Identifier: MIT
/* macOS side of ranges: madvise advice, populate by touching, discard (MADV_FREE_REUSABLE for a
 * lazy one, fresh pages for zero); no lock on fault, no sealing. */
#include "posix.h"

#include <errno.h>
#include <sys/mman.h>

int mmapc__os_advise(void *addr, size_t size, mmapc_advice advice, mmapc_prot prot)
{
    (void)prot; /* the core checked the access populate needs */
    int native;
    switch (advice) {
    case MMAPC_ADVICE_NORMAL:
        native = MADV_NORMAL;
        break;
    case MMAPC_ADVICE_SEQUENTIAL:
        native = MADV_SEQUENTIAL;
        break;
    case MMAPC_ADVICE_RANDOM:
        native = MADV_RANDOM;
        break;
    case MMAPC_ADVICE_WILL_NEED:
        native = MADV_WILLNEED;
        break;
    case MMAPC_ADVICE_POPULATE_READ:
    case MMAPC_ADVICE_POPULATE_WRITE:
        mmapc__posix_touch(addr, size, advice == MMAPC_ADVICE_POPULATE_WRITE);
        return 0;
    default:
        return 0; /* huge pages, core dumps, cold, page-out (the kernel's own), collapse: none */
    }
    return madvise(addr, size, native) == 0 ? 0 : mmapc__posix_fail(errno);
}

int mmapc__os_discard(void *addr, size_t size, mmapc_discard_mode mode, mmapc_prot prot)
{
    /* MADV_FREE_REUSABLE gives the pages back and takes them off the footprint; their content is
     * then the old one or zeros, which lazy discard allows */
    if (mode == MMAPC_DISCARD_LAZY && madvise(addr, size, MADV_FREE_REUSABLE) == 0)
        return 0;
    return mmapc__posix_zero(addr, size, prot);
}

int mmapc__os_lock_on_fault(void *addr, size_t size)
{
    (void)addr;
    (void)size;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_seal(void *addr, size_t size)
{
    (void)addr;
    (void)size;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}
