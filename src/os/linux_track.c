// SPDX-License-Identifier: MIT
/*
 * Linux write tracking with userfaultfd's asynchronous write protection (Linux 6.7+): the
 * tracked range is registered with a userfaultfd of its own and write-protected once; a write
 * to a protected page is resolved inside the kernel (the page becomes writable and counts as
 * written: no message, no handler thread); the PAGEMAP_SCAN ioctl on /proc/self/pagemap
 * reports the written pages and protects them again, atomically per page.
 *
 * PAGE_IS_WRITTEN means "not write-protected": pages never protected (never touched, without
 * the protection at the start) would count as written, hence the protection of the whole range
 * at the start and after each commit. After fork() the descriptors a child inherits act on the
 * parent's memory, so each tracker remembers the process that made it.
 */
#include "../track.h"
#include "posix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* linux/userfaultfd.h, under names of ours: the kernel's values, for C libraries without the
 * kernel's headers (musl) and headers older than Linux 6.7 (Debian 12's). */
typedef struct uffd_range {
    uint64_t start, len;
} uffd_range;
typedef struct uffd_api {
    uint64_t api, features, ioctls;
} uffd_api;
typedef struct uffd_register {
    uffd_range range;
    uint64_t mode, ioctls;
} uffd_register;
typedef struct uffd_writeprotect {
    uffd_range range;
    uint64_t mode;
} uffd_writeprotect;
#define UFFD_API_VERSION 0xAAu
#define UFFD_IOCTL_API _IOWR(0xAA, 0x3F, uffd_api)
#define UFFD_IOCTL_REGISTER _IOWR(0xAA, 0x00, uffd_register)
#define UFFD_IOCTL_UNREGISTER _IOR(0xAA, 0x01, uffd_range)
#define UFFD_IOCTL_WRITEPROTECT _IOWR(0xAA, 0x06, uffd_writeprotect)
#define UFFD_REGISTER_MODE_WP (1u << 1)
#define UFFD_WRITEPROTECT_MODE_WP (1u << 0)
#define UFFD_FEAT_WP_HUGETLBFS_SHMEM (1u << 12)
#define UFFD_FEAT_WP_UNPOPULATED (1u << 13)
#define UFFD_FEAT_WP_ASYNC (1u << 15)
#define UFFD_FLAG_USER_MODE_ONLY 1

/* linux/fs.h's PAGEMAP_SCAN, under names of ours (the header may have them, or not). */
typedef struct scan_region {
    uint64_t start, end, categories;
} scan_region;

typedef struct scan_arg {
    uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
    uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
} scan_arg;

#define SCAN_IOCTL _IOWR('f', 16, scan_arg)
#define SCAN_WP_MATCHING (1u << 0)
#define SCAN_CHECK_WPASYNC (1u << 1)
#define SCAN_IS_WRITTEN (1u << 1)

/* ioctl() with a request through a variable: glibc declares it unsigned long, musl int. */
static int req(int fd, unsigned long request, void *arg)
{
    return ioctl(fd, request, arg);
}

typedef struct uffd_state {
    int uffd;
    int pagemap;
    pid_t pid;
} uffd_state;

static int fail_errno(int err)
{
    /* no such system call, or not for this memory or this caller: no backend here */
    if (err == ENOSYS || err == EINVAL || err == EPERM || err == ENOTTY || err == EOPNOTSUPP)
        return mmapc__os_fail(err, MMAPC_EUNSUPPORTED);
    return mmapc__posix_fail(err);
}

static int protect(int uffd, uintptr_t start, size_t len, bool wp)
{
    uffd_writeprotect w = {
        .range = {.start = start, .len = len},
        .mode = wp ? UFFD_WRITEPROTECT_MODE_WP : 0,
    };
    return req(uffd, UFFD_IOCTL_WRITEPROTECT, &w) == 0 ? 0 : fail_errno(errno);
}

static int enroll(int uffd, uintptr_t start, size_t len)
{
    uffd_register r = {
        .range = {.start = start, .len = len},
        .mode = UFFD_REGISTER_MODE_WP,
    };
    if (req(uffd, UFFD_IOCTL_REGISTER, &r) != 0)
        return fail_errno(errno);
    int rc = protect(uffd, start, len, true);
    if (rc) {
        uffd_range u = {.start = start, .len = len};
        req(uffd, UFFD_IOCTL_UNREGISTER, &u);
    }
    return rc;
}

/* One scan of [start, end): the written pages' regions into vec, protected again unless peek. */
static int scan_once(uffd_state *s, uint64_t start, uint64_t end, scan_region *vec, size_t len,
                     bool peek, uint64_t *walk_end, long *regions)
{
    scan_arg a = {
        .size = sizeof a,
        .flags = peek ? SCAN_CHECK_WPASYNC : SCAN_WP_MATCHING | SCAN_CHECK_WPASYNC,
        .start = start,
        .end = end,
        .vec = (uint64_t)(uintptr_t)vec,
        .vec_len = len,
        .category_mask = SCAN_IS_WRITTEN,
        .return_mask = SCAN_IS_WRITTEN,
    };
    long got = req(s->pagemap, SCAN_IOCTL, &a);
    if (got < 0)
        return fail_errno(errno);
    *walk_end = a.walk_end;
    *regions = got;
    return 0;
}

#ifndef SYS_userfaultfd
#define SYS_userfaultfd (-1) /* a C library that does not know it: ENOSYS */
#endif

static int open_fds(uffd_state *s, bool shared)
{
    int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_FLAG_USER_MODE_ONLY);
    if (fd < 0 && errno == EINVAL) /* before Linux 5.11: no user-mode-only flag */
        fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return fail_errno(errno);
    uffd_api api = {
        .api = UFFD_API_VERSION,
        .features = UFFD_FEAT_WP_ASYNC | UFFD_FEAT_WP_UNPOPULATED |
                    (shared ? UFFD_FEAT_WP_HUGETLBFS_SHMEM : 0),
    };
    int rc = 0;
    if (req(fd, UFFD_IOCTL_API, &api) != 0)
        rc = fail_errno(errno);
    int pm = rc ? -1 : open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (!rc && pm < 0)
        rc = errno == ENOENT || errno == EACCES ? mmapc__os_fail(errno, MMAPC_EUNSUPPORTED)
                                                : mmapc__posix_fail(errno);
    if (rc) {
        close(fd);
        return rc;
    }
    s->uffd = fd;
    s->pagemap = pm;
    s->pid = getpid();
    return 0;
}

static void close_fds(uffd_state *s)
{
    close(s->uffd);
    close(s->pagemap);
}

/* Whether the backend works here, found once by tracking two pages: the second written must be
 * the one page reported, and nothing the second time. An emulator may pass the calls on to a
 * kernel that acts on its own addresses (qemu-user), or lack them. */
static atomic_int works; /* 0 unknown, 1 yes, -1 no */

static int probe(void)
{
    size_t page = mmapc__os_page_size();
    unsigned char *p =
        mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0; /* not known: ask again next time */
    uffd_state s;
    int rc = open_fds(&s, false), verdict = -1;
    if (rc == MMAPC_ELIMIT || rc == MMAPC_ENOMEM) {
        verdict = 0;
    } else if (!rc) {
        if (enroll(s.uffd, (uintptr_t)p, 2 * page) == 0) {
            p[page] = 1;
            scan_region v[4];
            uint64_t walk = 0;
            long n1 = -1, n2 = -1;
            if (scan_once(&s, (uintptr_t)p, (uintptr_t)p + 2 * page, v, 4, false, &walk, &n1) ==
                    0 &&
                n1 == 1 && v[0].start == (uintptr_t)p + page &&
                v[0].end == (uintptr_t)p + 2 * page &&
                scan_once(&s, (uintptr_t)p, (uintptr_t)p + 2 * page, v, 4, false, &walk, &n2) ==
                    0 &&
                n2 == 0)
                verdict = 1;
        }
        close_fds(&s);
    }
    munmap(p, 2 * page);
    if (verdict)
        atomic_store(&works, verdict);
    return verdict;
}

int mmapc__os_uffd_start(mmapc__track *t, bool shared)
{
    int known = atomic_load(&works);
    if (known == 0)
        known = probe();
    if (known < 0)
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    uffd_state *s = malloc(sizeof *s);
    if (!s)
        return mmapc__fail(MMAPC_ENOMEM);
    int rc = open_fds(s, shared);
    if (!rc) {
        rc = enroll(s->uffd, t->base, t->pages * t->page);
        if (rc)
            close_fds(s);
    }
    if (rc) {
        free(s);
        return rc;
    }
    t->os = s;
    return 0;
}

int mmapc__os_uffd_scan(mmapc__track *t, size_t first, size_t n, uintptr_t *out, int how)
{
    uffd_state *s = t->os;
    if (s->pid != getpid())
        return mmapc__fail(MMAPC_EBADF);
    uint64_t start = t->base + (uint64_t)first * t->page, end = start + (uint64_t)n * t->page;
    /* a reset alone is the same scan with its answer dropped: it protects only the written
     * pages (UFFDIO_WRITEPROTECT of the range would visit every page: 20x slower for 1 GiB) */
    scan_region vec[64];
    while (start < end) {
        uint64_t walk = end;
        long got = 0;
        int rc = scan_once(s, start, end, vec, sizeof vec / sizeof vec[0], how == MMAPC__SCAN_PEEK,
                           &walk, &got);
        if (rc)
            return rc;
        for (long i = 0; i < got && how != MMAPC__SCAN_CLEAR; i++) {
            size_t from = (size_t)((vec[i].start - t->base) / t->page) - first;
            mmapc__out_set(out, from, (size_t)((vec[i].end - vec[i].start) / t->page));
        }
        if (walk <= start)
            break; /* no progress: nothing more to walk */
        start = walk;
    }
    return 0;
}

int mmapc__os_uffd_reset(mmapc__track *t, size_t first, size_t n, bool wp)
{
    uffd_state *s = t->os;
    if (s->pid != getpid())
        return mmapc__fail(MMAPC_EBADF);
    uintptr_t start = t->base + first * t->page;
    return wp ? enroll(s->uffd, start, n * t->page) : protect(s->uffd, start, n * t->page, false);
}

void mmapc__os_uffd_close(mmapc__track *t)
{
    uffd_state *s = t->os;
    close_fds(s); /* the last reference to the userfaultfd unregisters its ranges */
    free(s);
}
