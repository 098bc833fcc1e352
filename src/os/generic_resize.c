// SPDX-License-Identifier: MIT
/* A generic POSIX system's side of files that change size: no mremap (a mapping grows into its
 * tail or moves), posix_fallocate for a file's storage. POSIX.1-2008 only, like generic.c. */
#include "posix.h"

#include <fcntl.h>

int mmapc__posix_remap(void *old, size_t old_size, size_t new_size, int may_move, void **out)
{
    (void)old;
    (void)old_size;
    (void)new_size;
    (void)may_move;
    (void)out;
    return MMAPC_EUNSUPPORTED;
}

int mmapc__posix_allocate(int fd, uint64_t offset, uint64_t len)
{
    return posix_fallocate(fd, (off_t)offset, (off_t)len);
}
