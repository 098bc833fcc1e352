// SPDX-License-Identifier: MIT
/* Shared memory objects on every POSIX system: named objects (shm_open), the anonymous object
 * made with shm_open + shm_unlink where the system has no better one, sizes, inheritance and the
 * double-mapped ring. */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

/* "/name": the form shm_open() wants (name is checked and at most MMAPC_SHM_NAME_MAX bytes). */
static void shm_path(const char *name, char path[MMAPC_SHM_NAME_MAX + 2])
{
    snprintf(path, MMAPC_SHM_NAME_MAX + 2, "/%s", name);
}

/* An errno of shm_open or shm_unlink: no such name is "not found". */
static int name_fail(int err)
{
    return err == ENOENT ? mmapc__os_fail(err, MMAPC_ENOTFOUND) : mmapc__posix_fail(err);
}

static int size_fail(int err)
{
    return err == EINVAL || err == EFBIG ? mmapc__os_fail(err, MMAPC_EINVAL_SIZE)
                                         : mmapc__posix_fail(err);
}

int mmapc__os_shm_set_inherit(mmapc_file f, int inherit)
{
    int fl = fcntl(f, F_GETFD);
    if (fl < 0 || fcntl(f, F_SETFD, inherit ? fl & ~FD_CLOEXEC : fl | FD_CLOEXEC) < 0)
        return mmapc__posix_fail(errno);
    return 0;
}

/* Give a descriptor just made its size and inheritance; on failure it is closed. */
static int finish(int fd, uint64_t size, int inherit, mmapc_file *out)
{
    int rc = 0;
    if (size && ftruncate(fd, (off_t)size) != 0)
        rc = size_fail(errno);
    if (!rc && inherit)
        rc = mmapc__os_shm_set_inherit(fd, 1);
    if (rc) {
        close(fd);
        return rc;
    }
    *out = fd;
    return 0;
}

int mmapc__posix_shm_fallback(uint64_t size, int inherit, mmapc_file *out)
{
    static atomic_uint counter;
    for (int attempt = 0; attempt < 64; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        /* 30 bytes at most on macOS (pids below 100000), which refuses more than 31 (PSHMNAMLEN) */
        char path[64];
        snprintf(path, sizeof path, "/mmapc-%ld-%x-%lx", (long)getpid(),
                 atomic_fetch_add(&counter, 1), (unsigned long)ts.tv_nsec);
        int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            return mmapc__posix_fail(errno);
        shm_unlink(path); /* anonymous from now on */
        return finish(fd, size, inherit, out);
    }
    return mmapc__posix_fail(EEXIST);
}

int mmapc__os_shm_create(const char *name, uint64_t size, unsigned mode, int inherit,
                         mmapc_file *out)
{
    if ((uint64_t)(off_t)size != size)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    if (!name) {
        int rc = mmapc__posix_shm_anon(size, inherit, out);
        return rc == MMAPC_EUNSUPPORTED ? mmapc__posix_shm_fallback(size, inherit, out) : rc;
    }
    char path[MMAPC_SHM_NAME_MAX + 2];
    shm_path(name, path);
    int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)mode);
    if (fd < 0)
        return name_fail(errno);
    int rc = finish(fd, size, inherit, out);
    if (rc)
        shm_unlink(path);
    return rc;
}

int mmapc__os_shm_open(const char *name, int read_only, int inherit, mmapc_file *out)
{
    char path[MMAPC_SHM_NAME_MAX + 2];
    shm_path(name, path);
    int fd = shm_open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC, 0);
    if (fd < 0)
        return name_fail(errno);
    return finish(fd, 0, inherit, out);
}

int mmapc__os_shm_unlink(const char *name)
{
    char path[MMAPC_SHM_NAME_MAX + 2];
    shm_path(name, path);
    return shm_unlink(path) == 0 ? 0 : name_fail(errno);
}

int mmapc__os_shm_dup(mmapc_file f, int inherit, mmapc_file *out)
{
    if (f < 0)
        return mmapc__posix_fail(EBADF);
    int fd = fcntl(f, inherit ? F_DUPFD : F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return mmapc__posix_fail(errno);
    *out = fd;
    return 0;
}

int mmapc__os_shm_info(mmapc_file f, uint64_t *size, uint64_t id[2])
{
    struct stat st;
    if (fstat(f, &st) != 0)
        return mmapc__posix_fail(errno);
    *size = (uint64_t)st.st_size;
    id[0] = (uint64_t)st.st_dev;
    id[1] = (uint64_t)st.st_ino;
    return 0;
}

int mmapc__os_shm_resize(mmapc_file f, uint64_t size)
{
    if ((uint64_t)(off_t)size != size)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    int fl = fcntl(f, F_GETFL);
    if (fl < 0)
        return mmapc__posix_fail(errno);
    if ((fl & O_ACCMODE) == O_RDONLY)
        return mmapc__posix_fail(EACCES); /* ftruncate would call it EINVAL */
    return ftruncate(f, (off_t)size) == 0 ? 0 : size_fail(errno);
}

int mmapc__os_ring_map(mmapc_file f, uint64_t offset, size_t size, void **out)
{
    /* an inaccessible reservation of both halves, which the two views then replace */
    char *base =
        mmap(NULL, 2 * size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return mmapc__posix_fail(errno);
    for (int half = 0; half < 2; half++) {
        void *p = mmap(base + (size_t)half * size, size, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_FIXED, f, (off_t)offset);
        if (p == MAP_FAILED) {
            int err = errno;
            munmap(base, 2 * size);
            return mmapc__posix_fail(err);
        }
    }
    *out = base;
    return 0;
}

void mmapc__os_ring_unmap(void *addr, size_t size)
{
    munmap(addr, 2 * size);
}
