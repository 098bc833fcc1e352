// SPDX-License-Identifier: MIT
/*
 * Build IDs of areas, the portable side: the system's direct answer (PROCMAP_QUERY), or else the
 * area from a query and its build ID read from the file (src/os.h).
 */
#include "os.h"

#include <string.h>

/* Room for the whole of any path the Linux kernel reports (PATH_MAX, its NUL included). */
#define PATH_ROOM 4097

/* Kept out of the direct query's frame, which its path buffer would grow by a page. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int
from_file(mmapc_proc *proc, uint64_t addr, mmapc_build_id *out)
{
    char path[PATH_ROOM];
    mmapc_area a;
    int rc = mmapc_proc_query(proc, addr, &a, path, sizeof path);
    return rc ? rc : mmapc__os_build_id_file(proc->os, &a, out);
}

int mmapc_proc_build_id(mmapc_proc *proc, uint64_t addr, mmapc_build_id *out)
{
    if (!proc || !out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    mmapc_build_id id;
    int rc = MMAPC_EUNSUPPORTED;
    if (!proc->text)
        rc = mmapc__os_build_id(proc->os, addr, &id);
    /* Without a direct answer, read the file. Nothing at addr for the kernel: the text may
     * still list an area it keeps outside the process's own list ([vsyscall]), without a file
     * and so without a build ID; the query tells. */
    if (rc == MMAPC_EUNSUPPORTED || rc == MMAPC_ENOTFOUND)
        rc = from_file(proc, addr, &id);
    if (rc)
        return rc;
    *out = id;
    return 0;
}
