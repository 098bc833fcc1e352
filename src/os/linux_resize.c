// SPDX-License-Identifier: MIT
/* Linux side of files that change size: mremap, and posix_fallocate for a file's storage. */
#define _GNU_SOURCE
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>

int mmapc__posix_remap(void *old, size_t old_size, size_t new_size, int may_move, void **out)
{
    void *p = mremap(old, old_size, new_size, may_move ? MREMAP_MAYMOVE : 0);
    if (p == MAP_FAILED) {
        /* EFAULT: the range is several areas (grown into a tail, protected in pieces), which
         * mremap cannot take together; the caller has other ways */
        if (errno == EFAULT)
            return mmapc__os_fail(errno, MMAPC_EUNSUPPORTED);
        return mmapc__posix_fail(errno); /* ENOMEM: no room after it to grow in place */
    }
    *out = p;
    return 0;
}

int mmapc__posix_allocate(int fd, uint64_t offset, uint64_t len)
{
    /* glibc emulates it by writing a byte per block where the file system has no fallocate;
     * musl answers EOPNOTSUPP there */
    return posix_fallocate(fd, (off_t)offset, (off_t)len);
}
