// SPDX-License-Identifier: MIT
/* Write tracking where the system has no write watch (every system but Windows): the portable
 * side uses uffd-wp or the mprotect backend. */
#include "../os.h"

int mmapc__os_ww_start(mmapc__track *t, const mmapc__backing *b)
{
    (void)t;
    (void)b;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

/* Never called: no tracker has this backend. */
int mmapc__os_ww_scan(mmapc__track *t, size_t first, size_t n, uintptr_t *out, int how)
{
    (void)t;
    (void)first;
    (void)n;
    (void)out;
    (void)how;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_ww_reset(mmapc__track *t, size_t first, size_t n)
{
    (void)t;
    (void)first;
    (void)n;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}
