// SPDX-License-Identifier: MIT
/*
 * Page state on Linux: the PAGEMAP_SCAN ioctl (6.7+) on /proc/<pid>/pagemap sums up runs of
 * pages in one call; what it does not tell (whether a page is mapped by this process alone, its
 * frame) comes from reading the pagemap file's entries for the pages in memory only. Where the
 * ioctl is missing (before 6.7; qemu-user, which does not pass it on), every page's entry is read
 * (Documentation/admin-guide/mm/pagemap.rst): the file has no bit for huge pages, so that stays
 * unknown for pages in memory there.
 *
 * The file is opened for each call: a handle of the calling process used in a forked child then
 * reads the child's own pages (a pagemap descriptor inherited across fork reads the parent's).
 */
#define _GNU_SOURCE
#include "linux.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* The bits of a pagemap entry. */
#define PM_PRESENT (UINT64_C(1) << 63)
#define PM_SWAP (UINT64_C(1) << 62)
#define PM_FILE (UINT64_C(1) << 61)
#define PM_UFFD_WP (UINT64_C(1) << 57)
#define PM_EXCLUSIVE (UINT64_C(1) << 56)
#define PM_SOFT_DIRTY (UINT64_C(1) << 55)
#define PM_PFN ((UINT64_C(1) << 55) - 1)

/* include/uapi/linux/fs.h (6.7), declared here for older headers. */
struct mmapc__page_region {
    uint64_t start, end, categories;
};
struct mmapc__pm_scan_arg {
    uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted,
        category_mask, category_anyof_mask, return_mask;
};
_Static_assert(sizeof(struct mmapc__pm_scan_arg) == 96, "struct pm_scan_arg is 96 bytes");
#define PAGEMAP_SCAN_REQUEST _IOWR('f', 16, struct mmapc__pm_scan_arg)
#define PAGE_IS_WRITTEN (1u << 1)
#define PAGE_IS_FILE (1u << 2)
#define PAGE_IS_PRESENT (1u << 3)
#define PAGE_IS_SWAPPED (1u << 4)
#define PAGE_IS_HUGE (1u << 6)
#define PAGE_IS_SOFT_DIRTY (1u << 7)

/* Entries read per pread, regions per ioctl: 8 KiB and 12 KiB on the stack. */
#define BATCH 1024
#define REGIONS 512

/* Whether the kernel has PAGEMAP_SCAN: learnt from the first answer, then constant. */
enum { SCAN_UNKNOWN, SCAN_YES, SCAN_NO };
static atomic_int scan_state = SCAN_UNKNOWN;

/* MMAPC_FORCE_PAGEMAP=1 in the environment: read the file alone, read once per process. */
static atomic_int force_state; /* 0 unread, 1 no, 2 yes */

static bool force_pagemap(void)
{
    int s = atomic_load_explicit(&force_state, memory_order_relaxed);
    if (!s) {
        const char *e = getenv("MMAPC_FORCE_PAGEMAP");
        s = e && *e && strcmp(e, "0") != 0 ? 2 : 1;
        atomic_store_explicit(&force_state, s, memory_order_relaxed);
    }
    return s == 2;
}

/* Whether this kernel sets soft-dirty bits (CONFIG_MEM_SOFT_DIRTY; never on arm64): a page just
 * written in a new area is soft-dirty where it does. A kernel without it still accepts a clear
 * of the bits in clear_refs and then never sets one, so the bit of a real page is asked. */
static pthread_once_t soft_dirty_once = PTHREAD_ONCE_INIT;
static bool soft_dirty;

static void soft_dirty_probe(void)
{
    size_t page = mmapc__os_page_size();
    unsigned char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return;
    *(volatile unsigned char *)p = 1;
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    uint64_t e = 0;
    if (fd >= 0) {
        if (pread(fd, &e, sizeof e, (off_t)((uintptr_t)p / page * sizeof e)) != (ssize_t)sizeof e)
            e = 0;
        close(fd);
    }
    munmap(p, page);
    soft_dirty = (e & PM_PRESENT) && (e & PM_SOFT_DIRTY);
}

static bool has_soft_dirty(void)
{
    pthread_once(&soft_dirty_once, soft_dirty_probe);
    return soft_dirty;
}

unsigned mmapc__os_pages_reported(void)
{
    unsigned r = MMAPC_PAGE_UNMAPPED | MMAPC_PAGE_PRESENT | MMAPC_PAGE_SWAPPED | MMAPC_PAGE_FILE |
                 MMAPC_PAGE_EXCLUSIVE | MMAPC_PAGE_WP | MMAPC_PAGE_HUGE | MMAPC_PAGE_FRAME;
    return has_soft_dirty() ? r | MMAPC_PAGE_SOFT_DIRTY : r;
}

/* h->h: the pagemap descriptor; h->aux: non-zero when PAGEMAP_SCAN is not to be used. */
int mmapc__os_pages_open(mmapc__proc *p, uint64_t first, uint64_t last, unsigned flags,
                         mmapc__text *h)
{
    (void)first;
    mmapc__text t;
    int rc = mmapc__linux_text_open_file(p, "pagemap", &t);
    if (rc)
        return rc;
    if (t.h < 0) /* a process without a user address space (a kernel thread) */
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    /* the file ends with the user address space: no entry for last means it lies past it */
    uint64_t e;
    size_t page = mmapc__os_page_size();
    ssize_t r;
    do
        r = pread((int)t.h, &e, sizeof e, (off_t)(last / page * sizeof e));
    while (r < 0 && errno == EINTR);
    if (r != (ssize_t)sizeof e) {
        int err = errno;
        mmapc__os_text_close(&t);
        if (r < 0)
            return mmapc__posix_fail(err);
        rc = mmapc__os_proc_ended(p); /* an ended process's file is empty too */
        return rc ? rc : mmapc__fail(MMAPC_EINVAL_OFFSET);
    }
    (void)has_soft_dirty(); /* probed before the walk, not in the midst of it */
    h->h = t.h;
    h->aux = (flags & MMAPC_PAGES_READ) || force_pagemap() ||
             atomic_load_explicit(&scan_state, memory_order_relaxed) == SCAN_NO;
    return 0;
}

void mmapc__os_pages_close(mmapc__text *h)
{
    close((int)h->h);
}

/* What one pagemap entry says; huge: the scan's word on it (-1: none, so unknown when present). */
static void decode(uint64_t e, unsigned flags, int huge, bool sd, unsigned *f, unsigned *u,
                   uint64_t *frame)
{
    unsigned fl = 0, un = 0;
    *frame = 0;
    if (e & PM_PRESENT) {
        fl |= MMAPC_PAGE_PRESENT;
        if (flags & MMAPC_PAGES_QUICK) {
            un |= MMAPC_PAGE_EXCLUSIVE | MMAPC_PAGE_FRAME;
        } else {
            if (e & PM_EXCLUSIVE)
                fl |= MMAPC_PAGE_EXCLUSIVE;
            if ((*frame = e & PM_PFN) != 0) /* 0: hidden from a reader without CAP_SYS_ADMIN */
                fl |= MMAPC_PAGE_FRAME;
            else
                un |= MMAPC_PAGE_FRAME;
        }
        if (huge > 0)
            fl |= MMAPC_PAGE_HUGE;
        else if (huge < 0)
            un |= MMAPC_PAGE_HUGE;
    }
    if (e & PM_SWAP)
        fl |= MMAPC_PAGE_SWAPPED;
    if (e & PM_FILE)
        fl |= MMAPC_PAGE_FILE;
    if (e & PM_UFFD_WP)
        fl |= MMAPC_PAGE_WP;
    if (!sd)
        un |= MMAPC_PAGE_SOFT_DIRTY;
    else if (e & PM_SOFT_DIRTY)
        fl |= MMAPC_PAGE_SOFT_DIRTY;
    *f = fl;
    *u = un;
}

/* A window of pagemap entries read ahead: the entries of the pages in memory that the scan
 * reports one run at a time come from one read per BATCH pages, not one read per run. */
typedef struct entry_window {
    uint64_t start; /* address of buf[0] */
    size_t n;       /* entries held */
    uint64_t buf[BATCH];
} entry_window;

/* The entries of [start, end) read and added page by page (equal neighbours joined first). */
static int read_entries(int fd, uint64_t start, uint64_t end, unsigned flags, int huge,
                        entry_window *w, mmapc__page_sink *s)
{
    uint64_t page = mmapc__os_page_size();
    uint64_t run_at = start, run_n = 0, run_frame = 0;
    unsigned run_f = 0, run_u = 0;
    bool sd = has_soft_dirty();
    for (uint64_t at = start; at < end;) {
        if (!(w->n && at >= w->start && (at - w->start) / page < w->n)) {
            ssize_t r;
            do
                r = pread(fd, w->buf, sizeof w->buf, (off_t)(at / page * sizeof w->buf[0]));
            while (r < 0 && errno == EINTR);
            if (r < 0)
                return mmapc__posix_fail(errno);
            if (r < (ssize_t)sizeof w->buf[0]) /* the address space has ended (its process has) */
                return mmapc__fail(MMAPC_ESRCH);
            w->start = at;
            w->n = (size_t)r / sizeof w->buf[0];
        }
        size_t i = (size_t)((at - w->start) / page);
        uint64_t left = (end - at) / page;
        size_t stop = left < w->n - i ? i + (size_t)left : w->n;
        for (; i < stop; i++, at += page) {
            unsigned f, u;
            uint64_t frame;
            decode(w->buf[i], flags, huge, sd, &f, &u, &frame);
            if (run_n && f == run_f && u == run_u &&
                (!(f & MMAPC_PAGE_FRAME) || run_frame + run_n == frame)) {
                run_n++;
                continue;
            }
            if (mmapc__pages_add(s, run_at, run_n, run_f, run_u, run_frame))
                return 0;
            run_at = at;
            run_n = 1;
            run_f = f;
            run_u = u;
            run_frame = frame;
        }
    }
    mmapc__pages_add(s, run_at, run_n, run_f, run_u, run_frame);
    return 0;
}

/* A refusal that says the kernel (or an emulator) lacks the ioctl: our arguments are valid. */
static bool scan_missing(int err)
{
    return err == ENOTTY || err == ENOSYS || err == EINVAL || err == EOPNOTSUPP;
}

/* [start, end) through PAGEMAP_SCAN: 0, 1 when the ioctl cannot answer (read the file), or an
 * error code. */
static int scan(int fd, uint64_t start, uint64_t end, unsigned flags, entry_window *w,
                mmapc__page_sink *s)
{
    uint64_t page = mmapc__os_page_size();
    bool sd = has_soft_dirty();
    unsigned empty =
        sd ? 0u : (unsigned)MMAPC_PAGE_SOFT_DIRTY; /* what an empty page leaves unknown */
    struct mmapc__page_region regs[REGIONS];
    uint64_t at = start;
    while (at < end && !s->full) {
        memset(regs, 0, sizeof regs); /* valgrind: the kernel's writes are not seen */
        struct mmapc__pm_scan_arg arg = {
            .size = sizeof arg,
            .start = at,
            .end = end,
            .vec = (uint64_t)(uintptr_t)regs,
            .vec_len = REGIONS,
            /* only pages in memory or swap (or soft-dirty) come back: the pages between them
             * are of an area (the caller's stretch) and hold nothing, which saves the
             * kernel's writing a region for each of them */
            .category_anyof_mask =
                PAGE_IS_PRESENT | PAGE_IS_SWAPPED | (sd ? PAGE_IS_SOFT_DIRTY : 0),
            .return_mask = PAGE_IS_WRITTEN | PAGE_IS_FILE | PAGE_IS_PRESENT | PAGE_IS_SWAPPED |
                           PAGE_IS_HUGE | PAGE_IS_SOFT_DIRTY,
        };
        unsigned long request = PAGEMAP_SCAN_REQUEST; /* glibc: unsigned long, musl: int */
        int n;
        do
            n = ioctl(fd, request, &arg);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            int err = errno;
            if (scan_missing(err)) {
                atomic_store_explicit(&scan_state, SCAN_NO, memory_order_relaxed);
                if (at == start)
                    return 1;
            }
            if (err == EFAULT && at == start)
                return 1; /* a range the caller's own address space could not hold */
            return mmapc__posix_fail(err);
        }
        if (atomic_load_explicit(&scan_state, memory_order_relaxed) != SCAN_YES)
            atomic_store_explicit(&scan_state, SCAN_YES, memory_order_relaxed);
        if (arg.walk_end <= at || arg.walk_end > end)
            return mmapc__fail(MMAPC_EOS); /* no progress: cannot be */
        for (int i = 0; i < n && !s->full; i++) {
            const struct mmapc__page_region *g = &regs[i];
            if (g->start > at) /* pages of the area that hold nothing */
                mmapc__pages_add(s, at, (g->start - at) / page, 0, empty, 0);
            uint64_t c = g->categories;
            int huge = (c & PAGE_IS_HUGE) != 0;
            if ((c & PAGE_IS_PRESENT) && !(flags & MMAPC_PAGES_QUICK)) {
                int rc = read_entries(fd, g->start, g->end, flags, huge, w, s);
                if (rc)
                    return rc;
            } else {
                unsigned f = 0, u = 0;
                if (c & PAGE_IS_PRESENT) {
                    f |= MMAPC_PAGE_PRESENT | (huge ? MMAPC_PAGE_HUGE : 0u);
                    u |= MMAPC_PAGE_EXCLUSIVE | MMAPC_PAGE_FRAME;
                }
                if (c & PAGE_IS_SWAPPED)
                    f |= MMAPC_PAGE_SWAPPED;
                if (c & PAGE_IS_FILE)
                    f |= MMAPC_PAGE_FILE;
                /* "written" is "not write-protected", said of every page */
                if ((c & (PAGE_IS_PRESENT | PAGE_IS_SWAPPED)) && !(c & PAGE_IS_WRITTEN))
                    f |= MMAPC_PAGE_WP;
                if (!sd)
                    u |= MMAPC_PAGE_SOFT_DIRTY;
                else if (c & PAGE_IS_SOFT_DIRTY)
                    f |= MMAPC_PAGE_SOFT_DIRTY;
                mmapc__pages_add(s, g->start, (g->end - g->start) / page, f, u, 0);
            }
            at = g->end;
        }
        if (!s->full && arg.walk_end > at) { /* nothing up to where the walk stopped */
            mmapc__pages_add(s, at, (arg.walk_end - at) / page, 0, empty, 0);
            at = arg.walk_end;
        }
    }
    return 0;
}

int mmapc__os_pages_read(mmapc__text *h, uint64_t start, uint64_t end, unsigned flags,
                         mmapc__page_sink *s)
{
    int fd = (int)h->h;
    entry_window w;
    w.n = 0;
    if (!h->aux && atomic_load_explicit(&scan_state, memory_order_relaxed) != SCAN_NO) {
        int rc = scan(fd, start, end, flags, &w, s);
        if (rc <= 0)
            return rc;
        h->aux = 1; /* the ioctl cannot answer: the file for the rest of the call */
    }
    return read_entries(fd, start, end, flags, -1, &w, s);
}
