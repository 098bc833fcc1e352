// SPDX-License-Identifier: MIT
/* Systems whose direct query has no form for "the area that holds addr, its name into the
 * caller's buffer" (Windows, macOS, generic POSIX): queries take the general way. */
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
