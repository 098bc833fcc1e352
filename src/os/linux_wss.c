// SPDX-License-Identifier: MIT
/*
 * Working set on Linux, as wss.pl measures it: /proc/<pid>/clear_refs clears the accessed bits
 * ("1") and the soft-dirty bits ("4") of every page of the process; afterwards each area's
 * smaps `Referenced` (the usage iteration's) gives the bytes accessed, and bit 55 of each page's
 * /proc/<pid>/pagemap entry the pages written.
 *
 * A kernel built without CONFIG_MEM_SOFT_DIRTY (and every arm64 kernel) accepts "4" and never
 * sets bit 55, so soft-dirty is probed: an area's flags start soft-dirty where the kernel keeps
 * the bits, so a fresh written page of the caller's shows bit 55 there and nowhere else. The
 * probe clears nothing.
 *
 * The written pages are counted with one PAGEMAP_SCAN ioctl (Linux 6.7+) where the kernel has it:
 * it reports runs of soft-dirty pages and passes over what is not populated; older kernels read
 * the area's 8-byte pagemap entries. The scan leaves out a page of the shared zero page (only
 * read, never written), which pagemap's entries cannot tell apart from a page without the PFN.
 */
#include "linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PM_SOFT_DIRTY (UINT64_C(1) << 55)
#define PM_SWAPPED (UINT64_C(1) << 62)
#define PM_PRESENT (UINT64_C(1) << 63)

/* Entries read per pread: 8 KiB of the stack. */
#define BATCH 1024

/* PAGEMAP_SCAN (linux/fs.h of 6.7+), spelt out for older headers. */
struct scan_region {
    uint64_t start, end, categories;
};
struct scan_arg {
    uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
    uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define SCAN_IOCTL _IOWR('f', 16, struct scan_arg)
#define PAGE_IS_PRESENT (1u << 3)
#define PAGE_IS_SWAPPED (1u << 4)
#define PAGE_IS_PFNZERO (1u << 5)
#define PAGE_IS_SOFT_DIRTY (1u << 7)
/* Regions per ioctl: 1.5 KiB of the stack. */
#define REGIONS 64

/* Set once the kernel refused PAGEMAP_SCAN (ENOTTY before 6.7, EINVAL for a field it lacks). */
static atomic_int no_scan;

struct mmapc__wss {
    int fd; /* /proc/<pid>/pagemap */
};

/* MMAPC_WSS_* bits with 0x100 set once probed. */
static atomic_uint support;

/* The pagemap entry of the page at addr of the calling process, or 0. */
static uint64_t own_entry(const void *addr)
{
    uint64_t e = 0;
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    off_t at = (off_t)((uintptr_t)addr / mmapc__os_page_size() * sizeof e);
    if (pread(fd, &e, sizeof e, at) != (ssize_t)sizeof e)
        e = 0;
    close(fd);
    return e;
}

static unsigned probe(void)
{
    unsigned bits = 0;
    if (access("/proc/self/clear_refs", W_OK) == 0)
        bits |= MMAPC_WSS_ACCESSED;
    size_t page = mmapc__os_page_size();
    void *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        *(volatile char *)p = 1;
        uint64_t e = own_entry(p);
        if ((bits & MMAPC_WSS_ACCESSED) && (e & PM_PRESENT) && (e & PM_SOFT_DIRTY))
            bits |= MMAPC_WSS_WRITTEN;
        munmap(p, page);
    }
    return bits;
}

unsigned mmapc__os_wss_support(void)
{
    unsigned s = atomic_load_explicit(&support, memory_order_relaxed);
    if (!s) {
        s = probe() | 0x100; /* two threads may both probe: same answer */
        atomic_store_explicit(&support, s, memory_order_relaxed);
    }
    return s & 0xffu;
}

/* Open /proc/<pid>/<file> of p. ENOENT is an ended process, or a kernel without the file. */
static int open_file(mmapc__proc *p, const char *file, int flags, int *out)
{
    char path[48];
    if (mmapc__linux_proc_self(p))
        snprintf(path, sizeof path, "/proc/self/%s", file);
    else
        snprintf(path, sizeof path, "/proc/%d/%s", mmapc__linux_proc_pid(p), file);
    int fd = open(path, flags | O_CLOEXEC), err = errno;
    /* after the open: a file of a zombie opens (and clear_refs takes a write, doing nothing) */
    int rc = mmapc__os_proc_ended(p);
    if (rc) {
        if (fd >= 0)
            close(fd);
        return rc;
    }
    if (fd < 0)
        return err == ENOENT ? mmapc__os_fail(err, MMAPC_EUNSUPPORTED) : mmapc__posix_fail(err);
    *out = fd;
    return 0;
}

static int write_word(int fd, const char *word)
{
    ssize_t r;
    do
        r = write(fd, word, 1);
    while (r < 0 && errno == EINTR);
    return r == 1 ? 0 : mmapc__posix_fail(r < 0 ? errno : EIO);
}

int mmapc__os_wss_reset(mmapc__proc *p, unsigned what)
{
    int fd, rc = open_file(p, "clear_refs", O_WRONLY, &fd);
    if (rc)
        return rc;
    /* "1" clears the accessed bits without flushing the TLBs, so that a page whose translation
     * a CPU still caches would be accessed unseen; "4" ends with a flush of the process's TLB
     * entries (and clears nothing where the kernel keeps no soft-dirty bits), so it comes after,
     * unless it would clear soft-dirty bits that were not asked for */
    if (what & MMAPC_WSS_ACCESSED)
        rc = write_word(fd, "1");
    if (rc == 0 && ((what & MMAPC_WSS_WRITTEN) || !(mmapc__os_wss_support() & MMAPC_WSS_WRITTEN)))
        rc = write_word(fd, "4");
    close(fd);
    return rc;
}

int mmapc__os_wss_open(mmapc__proc *p, unsigned what, mmapc__wss **out)
{
    if (!(what & MMAPC_WSS_WRITTEN)) {
        *out = NULL;
        return 0;
    }
    mmapc__wss *w = malloc(sizeof *w);
    if (!w)
        return mmapc__fail(MMAPC_ENOMEM);
    int rc = open_file(p, "pagemap", O_RDONLY, &w->fd);
    if (rc) {
        free(w);
        return rc;
    }
    *out = w;
    return 0;
}

/* The soft-dirty pages of [start, end), resident or swapped and not the zero page, counted by
 * PAGEMAP_SCAN from *at up: 0 with *at at end, or at the first page it could not take (the
 * kernel refused it: the caller reads the entries from there); an error code. */
static int scan_written(int fd, uint64_t *at, uint64_t end, uint64_t *written)
{
    struct scan_region v[REGIONS];
    while (*at < end && !atomic_load_explicit(&no_scan, memory_order_relaxed)) {
        struct scan_arg arg = {
            .size = sizeof arg,
            .start = *at,
            .end = end,
            .vec = (uint64_t)(uintptr_t)v,
            .vec_len = REGIONS,
            .category_inverted = PAGE_IS_PFNZERO,
            .category_mask = PAGE_IS_SOFT_DIRTY | PAGE_IS_PFNZERO,
            .category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
            .return_mask = PAGE_IS_SOFT_DIRTY,
        };
        unsigned long request = SCAN_IOCTL; /* glibc: unsigned long, musl: int */
        int n = ioctl(fd, request, &arg);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == ENOTTY || errno == EINVAL || errno == EOPNOTSUPP)) {
            atomic_store_explicit(&no_scan, 1, memory_order_relaxed);
            break;
        }
        if (n < 0)
            return mmapc__posix_fail(errno);
        for (int i = 0; i < n && i < REGIONS; i++)
            *written += v[i].end - v[i].start;
        if (arg.walk_end <= *at)
            break; /* no progress: the entries say the rest */
        *at = arg.walk_end;
    }
    return 0;
}

/* The bytes of [start, end) soft-dirty, resident or swapped. Every entry is read: smaps' Rss
 * cannot bound the scan, as a page of the shared zero page is present in pagemap and left out of
 * Rss. */
static int count_written(int fd, uint64_t start, uint64_t end, uint64_t *out)
{
    uint64_t page = mmapc__os_page_size(), bytes = 0;
    int rc = scan_written(fd, &start, end, &bytes);
    if (rc)
        return rc;
    uint64_t written = bytes / page;
    uint64_t e[BATCH];
    for (uint64_t at = start / page; at < end / page;) {
        uint64_t n = end / page - at < BATCH ? end / page - at : BATCH;
        ssize_t r = pread(fd, e, (size_t)n * sizeof e[0], (off_t)(at * sizeof e[0]));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return mmapc__posix_fail(errno);
        if (r == 0) /* the address space is gone: the process ended */
            return mmapc__os_fail(ESRCH, MMAPC_ESRCH);
        size_t got = (size_t)r / sizeof e[0];
        for (size_t i = 0; i < got; i++)
            if ((e[i] & (PM_PRESENT | PM_SWAPPED)) && (e[i] & PM_SOFT_DIRTY))
                written++;
        at += got;
    }
    *out = written * page;
    return 0;
}

int mmapc__os_wss_area(mmapc__wss *w, const mmapc_area *a, const mmapc_area_usage *u, unsigned what,
                       mmapc_wss *out)
{
    mmapc_wss r = {0};
    if ((what & MMAPC_WSS_ACCESSED) && (u->known & MMAPC_USAGE_REFERENCED)) {
        r.accessed = u->referenced;
        r.known |= MMAPC_WSS_ACCESSED;
    }
    if ((what & MMAPC_WSS_WRITTEN) && w) {
        /* an area that holds no page has none written: no need to read its entries (a
         * sanitizer's terabytes of shadow among them) */
        uint64_t held = ((u->known & MMAPC_USAGE_RSS) ? u->rss : 1) +
                        ((u->known & MMAPC_USAGE_SWAP) ? u->swap : 0);
        int rc = held ? count_written(w->fd, a->start, a->end, &r.written) : 0;
        if (rc)
            return rc;
        r.known |= MMAPC_WSS_WRITTEN;
    }
    *out = r;
    return 0;
}

void mmapc__os_wss_close(mmapc__wss *w)
{
    if (!w)
        return;
    close(w->fd);
    free(w);
}
