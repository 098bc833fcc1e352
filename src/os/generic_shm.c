// SPDX-License-Identifier: MIT
/* A generic POSIX system's shared memory, and macOS's: no anonymous kind of its own (posix_shm.c
 * makes one with shm_open and shm_unlink), no seals. */
#include "posix.h"

int mmapc__posix_shm_anon(uint64_t size, int inherit, mmapc_file *out)
{
    (void)size;
    (void)inherit;
    (void)out;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_shm_seal(mmapc_file f, unsigned seals)
{
    (void)f;
    (void)seals;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_shm_seals(mmapc_file f, unsigned *seals)
{
    (void)f;
    *seals = 0;
    return 0;
}
