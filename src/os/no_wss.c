// SPDX-License-Identifier: MIT
/* Systems that cannot measure a working set (macOS, the generic POSIX system): nothing to
 * measure, so wss.c refuses every call with MMAPC_EUNSUPPORTED before reaching the others. */
#include "../os.h"

unsigned mmapc__os_wss_support(void)
{
    return 0;
}

int mmapc__os_wss_reset(mmapc__proc *p, unsigned what)
{
    (void)p, (void)what;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_wss_open(mmapc__proc *p, unsigned what, mmapc__wss **out)
{
    (void)p, (void)what, (void)out;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_wss_area(mmapc__wss *w, const mmapc_area *a, const mmapc_area_usage *u, unsigned what,
                       mmapc_wss *out)
{
    (void)w, (void)a, (void)u, (void)what, (void)out;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

void mmapc__os_wss_close(mmapc__wss *w)
{
    (void)w;
}
