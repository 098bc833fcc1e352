// SPDX-License-Identifier: MIT
/* Systems whose direct query has no form for "the area that holds addr, its name into the
 * caller's buffer" (Windows, macOS, generic POSIX): queries take the general way, and a one-shot
 * query keeps its open process on the heap. */
#include "../os.h"

int mmapc__os_area_at(mmapc__proc *p, uint64_t addr, mmapc_area *out, char *name, size_t cap)
{
    (void)p;
    (void)addr;
    (void)out;
    (void)name;
    (void)cap;
    return MMAPC_EUNSUPPORTED;
}

int mmapc__os_proc_open_room(int pid, mmapc__proc_room *room, mmapc__proc **out)
{
    (void)room;
    return mmapc__os_proc_open(pid, MMAPC__PROC_ONCE, out);
}

void mmapc__os_proc_close_room(mmapc__proc *p)
{
    mmapc__os_proc_close(p);
}

int mmapc__os_proc_ended(mmapc__proc *p)
{
    (void)p;
    return 0;
}
