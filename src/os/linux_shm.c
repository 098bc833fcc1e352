// SPDX-License-Identifier: MIT
/* Linux: anonymous shared memory objects are memfds, which can be sealed. */
#define _GNU_SOURCE
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001u
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002u
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

int mmapc__posix_shm_anon(uint64_t size, int inherit, mmapc_file *out)
{
    int fd = memfd_create("mmapc", MFD_ALLOW_SEALING | (inherit ? 0 : MFD_CLOEXEC));
    if (fd < 0) {
        /* no memfd (kernel before 3.17, a filter that forbids it): shm_open does the job */
        if (errno == ENOSYS || errno == EINVAL || errno == EPERM)
            return mmapc__fail(MMAPC_EUNSUPPORTED);
        return mmapc__posix_fail(errno);
    }
    if (ftruncate(fd, (off_t)size) != 0) {
        int err = errno;
        close(fd);
        return err == EINVAL || err == EFBIG ? mmapc__os_fail(err, MMAPC_EINVAL_SIZE)
                                             : mmapc__posix_fail(err);
    }
    *out = fd;
    return 0;
}

static const struct {
    unsigned ours;
    int kernel;
} seal_bits[] = {
    {MMAPC_SHM_SEAL_SHRINK, F_SEAL_SHRINK},
    {MMAPC_SHM_SEAL_GROW, F_SEAL_GROW},
    {MMAPC_SHM_SEAL_WRITE, F_SEAL_WRITE},
    {MMAPC_SHM_SEAL_SEAL, F_SEAL_SEAL},
};
#define SEAL_BITS (sizeof seal_bits / sizeof seal_bits[0])

int mmapc__os_shm_seal(mmapc_file f, unsigned seals)
{
    int bits = 0;
    for (size_t i = 0; i < SEAL_BITS; i++)
        bits |= (seals & seal_bits[i].ours) ? seal_bits[i].kernel : 0;
    if (fcntl(f, F_ADD_SEALS, bits) == 0)
        return 0;
    int err = errno;
    /* EINVAL: a kernel or file system that knows no seals (tmpfs files other than memfds show
     * F_SEAL_SEAL, so adding to them is EPERM) */
    return err == EINVAL ? mmapc__os_fail(err, MMAPC_EUNSUPPORTED) : mmapc__posix_fail(err);
}

int mmapc__os_shm_seals(mmapc_file f, unsigned *seals)
{
    int bits = fcntl(f, F_GET_SEALS);
    if (bits < 0 && errno != EINVAL)
        return mmapc__posix_fail(errno);
    unsigned ours = 0;
    for (size_t i = 0; bits > 0 && i < SEAL_BITS; i++)
        ours |= (bits & seal_bits[i].kernel) ? seal_bits[i].ours : 0;
    *seals = ours;
    return 0;
}
