// SPDX-License-Identifier: MIT
/* Primitives shared by every POSIX system: mmap and friends, files, errors. */
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

int mmapc__posix_fail(int err)
{
    int code;
    switch (err) {
    case ENOMEM:
        code = MMAPC_ENOMEM;
        break;
    case EACCES:
        code = MMAPC_EACCES;
        break;
    case EPERM:
        code = MMAPC_EPERM;
        break;
    case EBADF:
        code = MMAPC_EBADF;
        break;
    case ESRCH:
        code = MMAPC_ESRCH;
        break;
    case EAGAIN:
    case EMFILE:
    case ENFILE:
    case EFBIG:
        code = MMAPC_ELIMIT;
        break;
    case EEXIST:
        code = MMAPC_EEXIST;
        break;
    case EIO:
        code = MMAPC_EIO;
        break;
    case EBUSY:
    case ETXTBSY:
        code = MMAPC_EBUSY;
        break;
    case ENODEV:
    case ENOSYS:
    case EOPNOTSUPP:
        code = MMAPC_EUNSUPPORTED;
        break;
    case EOVERFLOW:
        code = MMAPC_EINVAL_OFFSET;
        break;
    default:
        code = MMAPC_EOS;
        break;
    }
    return mmapc__os_fail(err, code);
}

/* The failure of mmap, mprotect or munmap: ENOMEM is the limit of memory areas (MMAPC_ELIMIT)
 * when the process has reached it, and otherwise a lack of memory or address space. */
int mmapc__posix_map_fail(int err)
{
    if (err == ENOMEM && mmapc__posix_at_area_limit())
        return mmapc__os_fail(err, MMAPC_ELIMIT);
    return mmapc__posix_fail(err);
}

/* ---- files ---- */

int mmapc__os_file_dup(mmapc_file file, mmapc_file *out)
{
    int fd = fcntl(file, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return mmapc__posix_fail(errno);
    *out = fd;
    return 0;
}

void mmapc__os_file_close(mmapc_file file)
{
    close(file);
}

/* ---- mappings ---- */

_Static_assert(MMAPC_PROT_READ == PROT_READ && MMAPC_PROT_WRITE == PROT_WRITE &&
                   MMAPC_PROT_EXEC == PROT_EXEC,
               "mmapc's protection bits are mmap's");

int mmapc__posix_prot(mmapc_prot prot)
{
    return ((prot & MMAPC_PROT_READ) ? PROT_READ : 0) |
           ((prot & MMAPC_PROT_WRITE) ? PROT_WRITE : 0) |
           ((prot & MMAPC_PROT_EXEC) ? PROT_EXEC : 0);
}

/* Lock and advise a mapping just made at addr; on failure the caller unmaps it. */
MMAPC__HOT static int finish(const mmapc__request *rq, void *addr)
{
    if (!(rq->flags & MMAPC__POSIX_AFTER_MMAP))
        return 0; /* the common case: nothing to do after mmap */
    int rc = mmapc__posix_advise(rq, addr);
    if (rc)
        return rc;
    if ((rq->flags & MMAPC_LOCKED) && mlock(addr, rq->size) != 0)
        return mmapc__posix_fail(errno == ENOMEM ? EAGAIN : errno);
    return 0;
}

/* mmap rq with prot and extra flags; checks that an exact address was honoured. */
MMAPC__HOT static int do_mmap(const mmapc__request *rq, int prot, int extra, void **out)
{
    int flags = ((rq->flags & MMAPC_SHARED) ? MAP_SHARED : MAP_PRIVATE) | extra;
    if (!rq->is_file)
        flags |= MAP_ANONYMOUS;
    if (rq->unsafe_flags & MMAPC_UNSAFE_FIXED)
        flags |= MAP_FIXED;
    void *at = rq->address;
    bool aligned = rq->alignment > mmapc__os_page_size() && !(flags & MAP_FIXED) &&
                   !(rq->flags & MMAPC_FIXED_NOREPLACE);
    if (aligned) {
        /* an aligned placeholder of our own, which the mapping then replaces */
        int rc = mmapc__posix_place_aligned(at, rq->size, rq->alignment, &at);
        if (rc)
            return rc;
        flags |= MAP_FIXED;
    }
    void *p = mmap(at, rq->size, prot, flags, rq->is_file ? rq->file : mmapc__posix_anon_fd(rq),
                   rq->is_file ? (off_t)rq->offset : 0);
    if (p == MAP_FAILED) {
        int err = errno;
        if (aligned)
            munmap(at, rq->size);
        return mmapc__posix_map_fail(err);
    }
    if ((rq->flags & MMAPC_FIXED_NOREPLACE) && p != rq->address) {
        /* a kernel without MAP_FIXED_NOREPLACE (or an emulator) took it as a hint */
        munmap(p, rq->size);
        return mmapc__posix_fail(EEXIST);
    }
    *out = p;
    return 0;
}

MMAPC__HOT int mmapc__os_map(const mmapc__request *rq, mmapc__backing *b, void **out)
{
    (void)b;
    void *p = NULL;
    int rc = do_mmap(rq, mmapc__posix_prot(rq->prot), mmapc__posix_map_flags(rq), &p);
    if (rc)
        return rc;
    rc = finish(rq, p);
    if (rc) {
        int raw = mmapc_last_os_error();
        munmap(p, rq->size);
        return mmapc__os_fail(raw, rc);
    }
    if (rq->prot == MMAPC_PROT_RWX)
        mmapc__posix_rwx_made();
    *out = p;
    return 0;
}

/* A reservation is private, inaccessible and charges no commit, whatever it will become; it is
 * hugetlb already when the mapping will be, so that its alignment fits. */
static mmapc__request reservation_of(const mmapc__request *rq)
{
    mmapc__request r = *rq;
    r.is_file = false;
    r.offset = 0;
    r.prot = MMAPC_PROT_NONE;
    r.flags = (rq->flags & (MMAPC_HUGE_PAGES | MMAPC_FIXED_NOREPLACE)) | MMAPC_NO_RESERVE;
    return r;
}

/* What mmap would refuse for lack of access to the file, checked before a reservation, which
 * maps no file yet: any map needs read access, a shared writable one read and write. */
static int check_access(const mmapc__request *rq)
{
    int fl = fcntl(rq->file, F_GETFL);
    if (fl < 0)
        return mmapc__posix_fail(errno);
    int mode = fl & O_ACCMODE;
    if (mode == O_WRONLY ||
        ((rq->flags & MMAPC_SHARED) && (rq->prot & MMAPC_PROT_WRITE) && mode != O_RDWR))
        return mmapc__posix_fail(EACCES);
    return 0;
}

int mmapc__os_reserve(const mmapc__request *rq, mmapc__backing *b, void **out)
{
    (void)b;
    if (rq->is_file) {
        int rc = check_access(rq);
        if (rc)
            return rc;
    }
    mmapc__request r = reservation_of(rq);
    return do_mmap(&r, PROT_NONE, mmapc__posix_map_flags(&r), out);
}

int mmapc__os_commit(const mmapc__request *rq, mmapc__backing *b, void *addr)
{
    (void)b;
    mmapc__request c = *rq;
    c.address = addr;
    c.flags &= ~(unsigned)MMAPC_FIXED_NOREPLACE;
    c.unsafe_flags |= MMAPC_UNSAFE_FIXED; /* replaces our own reservation, nothing else */
    void *p = NULL;
    int rc = do_mmap(&c, mmapc__posix_prot(c.prot), mmapc__posix_map_flags(&c), &p);
    if (rc == 0) {
        rc = finish(&c, p);
        if (rc == 0) {
            if (c.prot == MMAPC_PROT_RWX)
                mmapc__posix_rwx_made();
            return 0;
        }
    }
    /* Whatever failed, the range must be a reservation again, as the caller expects. */
    int raw = mmapc_last_os_error();
    mmapc__request r = reservation_of(&c);
    r.unsafe_flags |= MMAPC_UNSAFE_FIXED;
    void *q = NULL;
    do_mmap(&r, PROT_NONE, mmapc__posix_map_flags(&r), &q);
    return mmapc__os_fail(raw, rc);
}

void mmapc__os_abandon(void *addr, size_t size)
{
    /* The handle goes all the same, so the memory must not stay usable: its pages are given
     * back (MADV_DONTNEED splits no area; locked pages must be unlocked first) and, where the
     * kernel can still split the area, it becomes inaccessible. The address range stays taken
     * (mmapc.h, mmapc_unmap). */
    munlock(addr, size);
    madvise(addr, size, MADV_DONTNEED);
    mprotect(addr, size, PROT_NONE);
}

int mmapc__os_protect(void *addr, size_t size, mmapc_prot prot)
{
    if (mprotect(addr, size, mmapc__posix_prot(prot)) != 0)
        return mmapc__posix_map_fail(errno);
    if (prot == MMAPC_PROT_RWX)
        mmapc__posix_rwx_made();
    return 0;
}

int mmapc__os_flush(mmapc__backing *b, void *addr, size_t size, int async)
{
    (void)b;
    if (msync(addr, size, async ? MS_ASYNC : MS_SYNC) != 0)
        return mmapc__posix_fail(errno);
    return async ? 0 : mmapc__posix_sync(addr, size);
}

int mmapc__os_lock(void *addr, size_t size)
{
    /* past RLIMIT_MEMLOCK, Linux says ENOMEM (unprivileged) or EAGAIN: both are a limit */
    if (mlock(addr, size) != 0)
        return mmapc__posix_fail(errno == ENOMEM ? EAGAIN : errno);
    return 0;
}

int mmapc__os_unlock(void *addr, size_t size)
{
    if (munlock(addr, size) != 0)
        return mmapc__posix_fail(errno);
    return 0;
}

MMAPC__HOT size_t mmapc__os_page_size(void)
{
    static atomic_size_t cached;
    size_t ps = atomic_load_explicit(&cached, memory_order_relaxed);
    if (ps == 0) {
        long v = sysconf(_SC_PAGESIZE);
        ps = v > 0 ? (size_t)v : 4096;
        atomic_store_explicit(&cached, ps, memory_order_relaxed);
    }
    return ps;
}

MMAPC__HOT size_t mmapc__os_granularity(void)
{
    return mmapc__os_page_size();
}

uint64_t mmapc__os_file_end_limit(void)
{
    /* off_t; where void * has 32 bits, glibc's and musl's mmap go through mmap2, which takes the
     * offset in 4096-byte units in a 32-bit word (they refuse an offset of 2^44 or more) */
    return sizeof(void *) == 4 ? (uint64_t)1 << 44 : (uint64_t)INT64_MAX;
}
