// SPDX-License-Identifier: MIT
/*
 * Working set, the portable side: argument checks, and an iteration that walks the usage
 * iteration (src/usage.c) and asks the platform for each area's figures (src/os.h:
 * mmapc__os_wss_*).
 */
#include "os.h"

#include <stdlib.h>
#include <string.h>

#define ALL_WSS (MMAPC_WSS_ACCESSED | MMAPC_WSS_WRITTEN)

struct mmapc_wss_areas {
    mmapc_areas *usage; /* the areas with their use */
    mmapc__wss *os;     /* the platform's state for the written bits (may be NULL) */
    unsigned what;      /* the figures asked for that the system measures */
    int err;            /* a failure, returned from then on */
};

int mmapc_wss_support(unsigned *out)
{
    if (!out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    *out = mmapc__os_wss_support();
    return 0;
}

int mmapc_proc_wss_reset(mmapc_proc *proc, unsigned what)
{
    if (!proc || what == 0 || (what & ~ALL_WSS))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (what & ~mmapc__os_wss_support())
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    return mmapc__os_wss_reset(proc->os, what);
}

int mmapc_proc_wss_areas(mmapc_wss_areas **out, mmapc_proc *proc, uint64_t start, uint64_t end,
                         unsigned what)
{
    if (!out || !proc || what == 0 || (what & ~ALL_WSS))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    what &= mmapc__os_wss_support();
    if (!what)
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    mmapc_wss_areas *it = calloc(1, sizeof *it);
    if (!it)
        return mmapc__fail(MMAPC_ENOMEM);
    it->what = what;
    int rc = mmapc_proc_areas_usage(&it->usage, proc, start, end);
    if (rc == 0)
        rc = mmapc__os_wss_open(proc->os, what, &it->os);
    if (rc) {
        mmapc_wss_areas_close(it);
        return rc;
    }
    *out = it;
    return 0;
}

int mmapc_wss_areas_next(mmapc_wss_areas *it, mmapc_area *area, mmapc_wss *wss)
{
    if (!it || !area || !wss)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (it->err)
        return it->err;
    mmapc_area a;
    mmapc_area_usage u;
    mmapc_wss w;
    int rc = mmapc_areas_next(it->usage, &a);
    if (rc == 1 && (rc = mmapc_areas_usage(it->usage, &u)) == 0 &&
        (rc = mmapc__os_wss_area(it->os, &a, &u, it->what, &w)) == 0)
        rc = 1;
    if (rc < 0) {
        it->err = rc;
        return rc;
    }
    if (rc == 1) {
        *area = a;
        *wss = w;
    }
    return rc;
}

void mmapc_wss_areas_close(mmapc_wss_areas *it)
{
    if (!it)
        return;
    mmapc__os_wss_close(it->os);
    mmapc_areas_close(it->usage);
    free(it);
}
