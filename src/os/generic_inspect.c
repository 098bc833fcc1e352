// SPDX-License-Identifier: MIT
/* The generic POSIX system has no build IDs of areas and no way into another process's memory:
 * the primitives of src/os.h for them say so. */
#include "../os.h"

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

int mmapc__os_proc_copy(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                        size_t *done)
{
    (void)p;
    (void)addr;
    (void)buf;
    (void)len;
    (void)write;
    (void)done;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_proc_copy_forced(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                               size_t *done)
{
    return mmapc__os_proc_copy(p, addr, buf, len, write, done);
}
