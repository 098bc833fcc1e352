// SPDX-License-Identifier: MIT
/* Linux: mmap flags, madvise advice, huge page sizes from sysfs. */
#define _GNU_SOURCE
#include "posix.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

int mmapc__posix_map_flags(const mmapc__request *rq)
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
static size_t huge_sizes[MAX_HUGE_SIZES];
static size_t huge_count;
static size_t huge_default;
static pthread_once_t huge_once = PTHREAD_ONCE_INIT;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static void read_huge_sizes(void)
{
    DIR *d = opendir("/sys/kernel/mm/hugepages");
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL && huge_count < MAX_HUGE_SIZES) {
            unsigned long long kb;
            char unit[3] = {0};
            if (sscanf(e->d_name, "hugepages-%llu%2s", &kb, unit) == 2 && strcmp(unit, "kB") == 0)
                huge_sizes[huge_count++] = (size_t)(kb * 1024);
        }
        closedir(d);
        qsort(huge_sizes, huge_count, sizeof huge_sizes[0], cmp_size);
    }
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        char line[128];
        while (fgets(line, sizeof line, f)) {
            unsigned long long kb;
            if (sscanf(line, "Hugepagesize: %llu kB", &kb) == 1) {
                huge_default = (size_t)(kb * 1024);
                break;
            }
        }
        fclose(f);
    }
    if (huge_count == 0)
        huge_default = 0; /* no hugetlbfs sizes: no huge pages to ask for */
}

int mmapc__os_huge_page_sizes(size_t *sizes, size_t capacity, size_t *count)
{
    pthread_once(&huge_once, read_huge_sizes);
    for (size_t i = 0; i < huge_count && i < capacity; i++)
        sizes[i] = huge_sizes[i];
    *count = huge_count;
    return 0;
}

size_t mmapc__os_default_huge_page_size(void)
{
    pthread_once(&huge_once, read_huge_sizes);
    return huge_default;
}
