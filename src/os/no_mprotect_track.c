// SPDX-License-Identifier: MIT
/* Write tracking where the system has no fault-handler backend (Windows, which has its write
 * watch instead: windows_track.c): mmapc_track_start(MMAPC_TRACK_MPROTECT) is
 * MMAPC_EUNSUPPORTED. */
#include "../os.h"

int mmapc__os_mp_start(mmapc__track *t, mmapc_prot prot)
{
    (void)t;
    (void)prot;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

/* Never called: no tracker has this backend. */
int mmapc__os_mp_scan(mmapc__track *t, size_t first, size_t n, mmapc_prot prot, uintptr_t *out,
                      int how)
{
    (void)t;
    (void)first;
    (void)n;
    (void)prot;
    (void)out;
    (void)how;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_mp_set(mmapc__track *t, size_t first, size_t n, mmapc_prot prot, int how)
{
    (void)t;
    (void)first;
    (void)n;
    (void)prot;
    (void)how;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

void mmapc__os_mp_close(mmapc__track *t)
{
    (void)t;
}
