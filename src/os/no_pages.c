// SPDX-License-Identifier: MIT
/* Systems without a way to ask the state of another process's pages (macOS, generic POSIX): the
 * primitives of src/os.h for it say so. */
#include "../os.h"

int mmapc__os_pages_open(mmapc__proc *p, uint64_t first, uint64_t last, unsigned flags,
                         mmapc__text *h)
{
    (void)p, (void)first, (void)last, (void)flags, (void)h;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_pages_read(mmapc__text *h, uint64_t start, uint64_t end, unsigned flags,
                         mmapc__page_sink *s)
{
    (void)h, (void)start, (void)end, (void)flags, (void)s;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

void mmapc__os_pages_close(mmapc__text *h)
{
    (void)h;
}

unsigned mmapc__os_pages_reported(void)
{
    return 0;
}
