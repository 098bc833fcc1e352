// SPDX-License-Identifier: MIT
/* Linux: mmap flags, madvise advice, huge page sizes (sysfs; the default from /proc/meminfo). */
#define _GNU_SOURCE
#include "posix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

static unsigned log2_of(size_t x)
{
    unsigned n = 0;
    while (x > 1) {
        x >>= 1;
        n++;
    }
    return n;
}

MMAPC__HOT int mmapc__posix_map_flags(const mmapc__request *rq)
{
    int f = 0;
    if (!(rq->flags & (MMAPC_POPULATE | MMAPC_NO_RESERVE | MMAPC_STACK | MMAPC_FIXED_NOREPLACE |
                       MMAPC_HUGE_PAGES)))
        return 0;
    if (rq->flags & MMAPC_POPULATE)
        f |= MAP_POPULATE;
    if (rq->flags & MMAPC_NO_RESERVE)
        f |= MAP_NORESERVE;
    if (rq->flags & MMAPC_STACK)
        f |= MAP_STACK;
    if (rq->flags & MMAPC_FIXED_NOREPLACE)
        f |= MAP_FIXED_NOREPLACE;
    if (rq->flags & MMAPC_HUGE_PAGES)
        f |= MAP_HUGETLB | (int)(log2_of(rq->page_size) << MAP_HUGE_SHIFT);
    return f;
}

int mmapc__posix_anon_fd(const mmapc__request *rq)
{
    (void)rq;
    return -1;
}

void mmapc__posix_rwx_made(void) {}

int mmapc__posix_sync(void *addr, size_t size)
{
    (void)addr;
    (void)size;
    return 0;
}

int mmapc__os_flush_icache(const void *addr, size_t size)
{
    char *p = (char *)(uintptr_t)addr;
    __builtin___clear_cache(p, p + size);
    return 0;
}

static int advise(void *addr, size_t size, int advice)
{
    if (madvise(addr, size, advice) != 0)
        return mmapc__posix_fail(errno);
    return 0;
}

int mmapc__posix_advise(const mmapc__request *rq, void *addr)
{
    unsigned f = rq->flags;
    int rc = 0;
    /* a kernel built without THP answers EINVAL: the flag cannot be honoured, so it is a no-op */
    if ((f & MMAPC_TRANSPARENT_HUGE_PAGES) && madvise(addr, rq->size, MADV_HUGEPAGE) != 0 &&
        errno != EINVAL)
        return mmapc__posix_fail(errno);
    if (!rc && (f & MMAPC_NO_CORE_DUMP))
        rc = advise(addr, rq->size, MADV_DONTDUMP);
    if (!rc && (f & MMAPC_SEQUENTIAL))
        rc = advise(addr, rq->size, MADV_SEQUENTIAL);
    if (!rc && (f & MMAPC_RANDOM_ACCESS))
        rc = advise(addr, rq->size, MADV_RANDOM);
    if (!rc && (f & MMAPC_WILL_NEED))
        rc = advise(addr, rq->size, MADV_WILLNEED);
    if (!rc && (f & MMAPC_DONT_NEED))
        rc = advise(addr, rq->size, MADV_DONTNEED);
    return rc;
}

/* ---- huge page sizes: read once, race-free ---- */

#define MAX_HUGE_SIZES 16
typedef struct huge_table {
    size_t sizes[MAX_HUGE_SIZES]; /* ascending */
    size_t count;
    size_t deflt;
} huge_table;
/*
 * The sizes once read, published with one compare-and-exchange and kept for the life of the
 * process. No lock: a fork() by another thread while it held one would leave it held for good
 * in the child, whose first call would then wait for ever. A call that finds nothing published
 * reads the sizes itself (two threads may both read; one table wins, the other is freed). A read
 * that failed (no descriptor free for the directory, a read error) is not kept: the call that
 * met it returns the error and the next one reads again.
 */
static _Atomic(huge_table *) huge_published;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The start of the file at path as a string in buf ("" when it cannot be read). Not stdio: its
 * descriptor must be close-on-exec, and a stream's lock would be held across the read. */
static const char *read_text(const char *path, char *buf, size_t cap)
{
    size_t len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        while (len < cap - 1) {
            ssize_t n = read(fd, buf + len, cap - 1 - len);
            if (n < 0 && errno == EINTR)
                continue; /* interrupted by a signal: read again */
            if (n <= 0)
                break;
            len += (size_t)n;
        }
        close(fd);
    }
    buf[len] = 0;
    return buf;
}

static int read_huge_sizes(huge_table *t)
{
    t->count = 0;
    t->deflt = 0;
    DIR *d = opendir("/sys/kernel/mm/hugepages");
    if (!d && errno != ENOENT)
        return mmapc__posix_fail(errno); /* ENOENT: a kernel without hugetlbfs */
    if (d) {
        struct dirent *e;
        for (;;) {
            errno = 0;
            if ((e = readdir(d)) == NULL || t->count == MAX_HUGE_SIZES)
                break;
            unsigned long long kb;
            char unit[3] = {0};
            if (sscanf(e->d_name, "hugepages-%llu%2s", &kb, unit) == 2 && strcmp(unit, "kB") == 0)
                t->sizes[t->count++] = (size_t)(kb * 1024);
        }
        int err = e == NULL ? errno : 0;
        closedir(d);
        if (err) {
            t->count = 0;
            return mmapc__posix_fail(err);
        }
        qsort(t->sizes, t->count, sizeof t->sizes[0], cmp_size);
    }
    if (t->count == 0)
        return 0; /* no hugetlbfs sizes: no huge pages to ask for, no default */
    /* The list is the one source: the default is one of its sizes. The kernel names its default
     * only in /proc/meminfo; without /proc (or with a size sysfs does not list) it is the
     * smallest listed size, the kernel's own default unless the boot line chose another. */
    t->deflt = t->sizes[0];
    char text[8192];
    errno = 0;
    const char *line = strstr(read_text("/proc/meminfo", text, sizeof text), "\nHugepagesize:");
    if (!text[0] && errno && errno != ENOENT) { /* there, but not readable now */
        t->count = 0;
        return mmapc__posix_fail(errno);
    }
    unsigned long long kb;
    if (line && sscanf(line, " Hugepagesize: %llu kB", &kb) == 1) {
        for (size_t i = 0; i < t->count; i++) {
            if (t->sizes[i] == (size_t)(kb * 1024))
                t->deflt = t->sizes[i];
        }
    }
    return 0;
}

/* The sizes: the published table, or one read now into *local and published when memory for a
 * copy can be had (without it the answer is right all the same, and the next call reads again). */
static int huge_sizes_get(huge_table *local, const huge_table **out)
{
    huge_table *t = atomic_load_explicit(&huge_published, memory_order_acquire);
    if (!t) {
        int rc = read_huge_sizes(local);
        if (rc)
            return rc;
        t = local;
        huge_table *copy = malloc(sizeof *copy), *none = NULL;
        if (copy) {
            *copy = *local;
            if (atomic_compare_exchange_strong_explicit(
                    &huge_published, &none, copy, memory_order_acq_rel, memory_order_acquire)) {
                t = copy;
            } else {
                free(copy); /* another thread published first: its table is the same */
                t = none;
            }
        }
    }
    *out = t;
    return 0;
}

int mmapc__posix_at_area_limit(void)
{
    char text[32];
    unsigned long max =
        strtoul(read_text("/proc/sys/vm/max_map_count", text, sizeof text), NULL, 10);
    /* The kernel's own listing: qemu-user serves /proc/self/maps itself and leaves out its own
     * areas, which count against the limit all the same; /proc/thread-self (Linux 3.17+) lists
     * the same areas and reaches the kernel. */
    int fd = open("/proc/thread-self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (max == 0 || fd < 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    unsigned long lines = 0;
    char buf[16384];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
    }
    close(fd);
    /* the listing may show one area the count leaves out ([vsyscall]); a split of an area
     * fails once the count has reached the limit */
    return lines + 1 >= max;
}

int mmapc__os_huge_page_sizes(size_t *sizes, size_t capacity, size_t *count)
{
    huge_table local;
    const huge_table *t;
    int rc = huge_sizes_get(&local, &t);
    if (rc)
        return rc;
    for (size_t i = 0; i < t->count && i < capacity; i++)
        sizes[i] = t->sizes[i];
    *count = t->count;
    return 0;
}

size_t mmapc__os_default_huge_page_size(void)
{
    huge_table local;
    const huge_table *t;
    return huge_sizes_get(&local, &t) == 0 ? t->deflt : 0; /* 0 now; the next call reads again */
}
