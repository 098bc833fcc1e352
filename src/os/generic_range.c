// SPDX-License-Identifier: MIT
/* A generic POSIX system's side of ranges: posix_madvise advice, populate by touching, discard by
 * fresh pages; no lock on fault, no sealing. */
#include "posix.h"

#include <sys/mman.h>

int mmapc__os_advise(void *addr, size_t size, mmapc_advice advice, mmapc_prot prot)
{
    (void)prot; /* the core checked the access populate needs */
    int native;
    switch (advice) {
    case MMAPC_ADVICE_NORMAL:
        native = POSIX_MADV_NORMAL;
        break;
    case MMAPC_ADVICE_SEQUENTIAL:
        native = POSIX_MADV_SEQUENTIAL;
        break;
    case MMAPC_ADVICE_RANDOM:
        native = POSIX_MADV_RANDOM;
        break;
    case MMAPC_ADVICE_WILL_NEED:
        native = POSIX_MADV_WILLNEED;
        break;
    case MMAPC_ADVICE_POPULATE_READ:
    case MMAPC_ADVICE_POPULATE_WRITE:
        mmapc__posix_touch(addr, size, advice == MMAPC_ADVICE_POPULATE_WRITE);
        return 0;
    default:
        return 0; /* huge pages, core dumps, cold, page-out, collapse: no POSIX counterpart */
    }
    int err = posix_madvise(addr, size, native); /* returns the error */
    return err ? mmapc__posix_fail(err) : 0;
}

int mmapc__os_discard(void *addr, size_t size, mmapc_discard_mode mode, mmapc_prot prot)
{
    /* POSIX_MADV_DONTNEED may keep the data (glibc ignores it), so both modes zero: new pages
     * replace the old ones, which go back to the system at once */
    (void)mode;
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
