// SPDX-License-Identifier: MIT
/* Write tracking where the system has no userfaultfd write protection (every system but Linux,
 * and the generic POSIX build): the portable side falls back to the mprotect backend. */
#include "../os.h"

int mmapc__os_uffd_start(mmapc__track *t, bool shared)
{
    (void)t;
    (void)shared;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

/* Never called: no tracker has this backend. */
int mmapc__os_uffd_scan(mmapc__track *t, size_t first, size_t n, uintptr_t *out, int how)
{
    (void)t;
    (void)first;
    (void)n;
    (void)out;
    (void)how;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_uffd_reset(mmapc__track *t, size_t first, size_t n, bool protect)
{
    (void)t;
    (void)first;
    (void)n;
    (void)protect;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

void mmapc__os_uffd_close(mmapc__track *t)
{
    (void)t;
}
