// SPDX-License-Identifier: MIT
/* macOS side of files that change size: no mremap (posix_resize.c grows into a tail or moves),
 * and storage allocated ahead with F_PREALLOCATE, as macOS has no posix_fallocate. */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int mmapc__posix_remap(void *old, size_t old_size, size_t new_size, int may_move, void **out)
{
    (void)old;
    (void)old_size;
    (void)new_size;
    (void)may_move;
    (void)out;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__posix_allocate(int fd, uint64_t offset, uint64_t len)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return errno;
    uint64_t end = offset + len;
    if (end <= (uint64_t)st.st_size)
        return 0; /* no hole to fill: the blocks of a file's inside are there or sparse by choice */
    /* the blocks past the end of the file, contiguous if the disk has them, else any */
    fstore_t fs = {F_ALLOCATECONTIG, F_PEOFPOSMODE, 0, (off_t)(end - (uint64_t)st.st_size), 0};
    if (fcntl(fd, F_PREALLOCATE, &fs) != 0) {
        fs.fst_flags = F_ALLOCATEALL;
        if (fcntl(fd, F_PREALLOCATE, &fs) != 0)
            return errno == ENOTSUP ? EOPNOTSUPP : errno; /* ENOSPC: the disk is full */
    }
    return ftruncate(fd, (off_t)end) == 0 ? 0 : errno;
}
