// SPDX-License-Identifier: MIT
/* Linux memory use per area: the text of /proc/<pid>/smaps and smaps_rollup, parsed by usage.c.
 * Linux has no per-area answer: each area's use is its smaps entry. */
#include "linux.h"

int mmapc__os_usage_open(mmapc__proc *p, int which, mmapc__text *t)
{
    return mmapc__linux_text_open_file(p, which == MMAPC__SMAPS_ROLLUP ? "smaps_rollup" : "smaps",
                                       t);
}

int mmapc__os_area_usage(mmapc__proc *p, uint64_t start, uint64_t end, mmapc_area_usage *u)
{
    (void)p, (void)start, (void)end, (void)u;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}
