// SPDX-License-Identifier: MIT
/* macOS has no ELF build IDs (its images carry an LC_UUID instead), and memory use per area is
 * not reported yet: the primitives of src/os.h for them say so. */
#include "posix.h"

int mmapc__os_build_id(mmapc__proc *p, uint64_t addr, mmapc_build_id *out)
{
    (void)p;
    (void)addr;
    (void)out;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_build_id_file(mmapc__proc *p, const mmapc_area *a, mmapc_build_id *out)
{
    (void)p;
    (void)a;
    (void)out;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_usage_open(mmapc__proc *p, int which, mmapc__text *t)
{
    (void)p;
    (void)which;
    (void)t;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_area_usage(mmapc__proc *p, uint64_t start, uint64_t end, mmapc_area_usage *u)
{
    (void)p;
    (void)start;
    (void)end;
    (void)u;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}
