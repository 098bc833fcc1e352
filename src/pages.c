// SPDX-License-Identifier: MIT
/*
 * Page state of a process, the portable side: argument checks, the walk over the areas of the
 * range (the holes between them become unmapped runs, so every system reports them alike), and
 * the runs the platform's pages are gathered into (src/os.h: mmapc__os_pages_*).
 */
#include "os.h"

#include <string.h>

int mmapc__pages_add(mmapc__page_sink *s, uint64_t start, uint64_t n, unsigned flags,
                     unsigned unknown, uint64_t frame)
{
    if (s->full)
        return 1;
    if (n == 0)
        return 0;
    uint64_t page = mmapc__os_page_size();
    if (!(flags & MMAPC_PAGE_FRAME))
        frame = 0;
    if (s->count) {
        mmapc_page_run *last = &s->runs[s->count - 1];
        if (last->flags == flags && last->unknown == unknown &&
            last->start + last->pages * page == start &&
            (!(flags & MMAPC_PAGE_FRAME) || last->frame + last->pages == frame)) {
            last->pages += n;
            s->next = start + n * page;
            return 0;
        }
    }
    if (s->count == s->cap) {
        s->full = true;
        return 1; /* s->next stays where the last run ends */
    }
    s->runs[s->count++] = (mmapc_page_run){start, n, frame, flags, unknown};
    s->next = start + n * page;
    return 0;
}

/* The hole [from, to) as unmapped pages. */
static int add_hole(mmapc__page_sink *s, uint64_t from, uint64_t to)
{
    if (to <= from)
        return 0;
    return mmapc__pages_add(s, from, (to - from) / mmapc__os_page_size(), MMAPC_PAGE_UNMAPPED, 0,
                            0);
}

/* Describe [first, end) (end > first, no wrap: inside the user address space) into s: the
 * stretches that areas cover without a gap go to the platform, the gaps are holes. */
static int walk(mmapc_proc *proc, mmapc__text *h, uint64_t first, uint64_t end, unsigned flags,
                mmapc__page_sink *s)
{
    mmapc_areas *it;
    int rc = mmapc_proc_areas(&it, proc, first, end);
    if (rc)
        return rc;
    uint64_t at = first;       /* described up to here */
    uint64_t from = 0, to = 0; /* the stretch of areas not yet described */
    mmapc_area a;
    while (!s->full && (rc = mmapc_areas_next(it, &a)) == 1) {
        uint64_t lo = a.start > first ? a.start : first;
        uint64_t hi = a.end == 0 || a.end > end ? end : a.end; /* an end of 0: the top */
        if (lo >= hi)
            continue;
        if (to == lo) { /* joins the stretch */
            to = hi;
            continue;
        }
        if (to > from && (rc = mmapc__os_pages_read(h, from, to, flags, s)) != 0)
            break;
        at = to > from ? to : at;
        if (add_hole(s, at, lo))
            break;
        from = lo;
        to = hi;
    }
    if (rc >= 0 && !s->full) {
        rc = to > from ? mmapc__os_pages_read(h, from, to, flags, s) : 0;
        if (to > from)
            at = to;
        if (rc == 0)
            add_hole(s, at, end);
    }
    mmapc_areas_close(it);
    return rc < 0 ? rc : 0;
}

int mmapc_proc_pages(mmapc_proc *proc, uint64_t addr, uint64_t len, unsigned flags,
                     mmapc_page_run *runs, size_t cap, size_t *count, uint64_t *next)
{
    if (!proc || !count || !next || (!runs && cap) ||
        (flags & ~(unsigned)(MMAPC_PAGES_QUICK | MMAPC_PAGES_READ)))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (len && len - 1 > UINT64_MAX - addr)
        return mmapc__fail(MMAPC_EINVAL_OFFSET); /* past 2^64 */
    uint64_t page = mmapc__os_page_size();
    uint64_t first = addr & ~(page - 1);
    if (len == 0) {
        *count = 0;
        *next = addr;
        return 0;
    }
    uint64_t last = (addr + (len - 1)) & ~(page - 1);
    mmapc__text h;
    int rc = mmapc__os_pages_open(proc->os, first, last, flags, &h);
    if (rc)
        return rc;
    /* last is inside the user address space, which ends well below 2^64 */
    mmapc__page_sink s = {runs, cap, 0, first, false};
    rc = walk(proc, &h, first, last + page, flags, &s);
    mmapc__os_pages_close(&h);
    if (rc)
        return rc;
    *count = s.count;
    *next = s.next;
    return 0;
}

unsigned mmapc_pages_reported(void)
{
    return mmapc__os_pages_reported();
}

const char *mmapc_page_flag_name(unsigned flag)
{
    static const char *const names[] = {"unmapped",   "present", "swapped", "file", "exclusive",
                                        "soft_dirty", "wp",      "huge",    "frame"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (flag == 1u << i)
            return names[i];
    return NULL;
}
