// SPDX-License-Identifier: MIT
/* Memory use per area on the generic POSIX system: POSIX has no way to ask it (src/os.h). */
#include "posix.h"

int mmapc__os_usage_open(mmapc__proc *p, int which, mmapc__text *t)
{
    (void)p, (void)which, (void)t;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_area_usage(mmapc__proc *p, uint64_t start, uint64_t end, mmapc_area_usage *u)
{
    (void)p, (void)start, (void)end, (void)u;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}
