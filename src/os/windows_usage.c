// SPDX-License-Identifier: MIT
/* Windows memory use per area: QueryWorkingSetEx over the pages of a region (src/os.h). */
#include "win32.h"

int mmapc__os_usage_open(mmapc__proc *p, int which, mmapc__text *t)
{
    (void)p, (void)which, (void)t;
    return mmapc__fail(MMAPC_EUNSUPPORTED); /* no smaps: the answer is per area */
}

int mmapc__os_area_usage(mmapc__proc *p, uint64_t start, uint64_t end, mmapc_area_usage *u)
{
    (void)p, (void)start, (void)end, (void)u;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}
