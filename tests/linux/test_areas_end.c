// SPDX-License-Identifier: MIT
/*
 * The end of an iteration leaves the caller's area alone: mmapc_areas_next() writes *out only
 * when it returns 1. An iteration of a range looks at the area after the range to know that
 * it is past the end; that area must not reach the caller, whose last area stays as it was
 * (direct and text listings, with and without memory use).
 */
#include "testutil.h"

#include <sys/mman.h>

static int same(const mmapc_area *x, const mmapc_area *y)
{
    return x->start == y->start && x->end == y->end && x->prot == y->prot &&
           x->offset == y->offset && x->inode == y->inode && x->kind == y->kind &&
           x->path == y->path && x->path_len == y->path_len;
}

static void check_end(unsigned flags, int usage, const unsigned char *p, size_t ps)
{
    mmapc_proc *proc;
    REQUIRE_OK(mmapc_proc_open(&proc, MMAPC_SELF, flags));
    mmapc_areas *it;
    uint64_t start = (uint64_t)(uintptr_t)p;
    int rc = usage ? mmapc_proc_areas_usage(&it, proc, start, start + ps)
                   : mmapc_proc_areas(&it, proc, start, start + ps);
    if (rc == MMAPC_EUNSUPPORTED && usage) {
        mmapc_proc_close(proc);
        return;
    }
    REQUIRE_OK(rc);
    mmapc_area a, last;
    int n = 0;
    while ((rc = mmapc_areas_next(it, &a)) == 1)
        last = a, n++;
    CHECK_RC(rc, 0);
    /* qemu-user passes /proc/self/smaps through: the host's areas, not at this range */
    if (!usage || !check_under_emulator())
        CHECK(n == 1 && last.start == start && last.end == start + ps);
    if (n) {
        CHECK(same(&a, &last));
        CHECK_RC(mmapc_areas_next(it, &a), 0);
        CHECK(same(&a, &last));
    }
    mmapc_areas_close(it);
    mmapc_proc_close(proc);
}

int main(void)
{
    size_t ps = mmapc_page_size();
    /* three pages, the middle one of another protection: an area with a neighbour after it */
    unsigned char *p =
        mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    REQUIRE(mprotect(p + ps, ps, PROT_READ) == 0);
    for (int usage = 0; usage <= 1; usage++) {
        check_end(0, usage, p + ps, ps);
        check_end(MMAPC_PROC_TEXT, usage, p + ps, ps);
    }
    munmap(p, 3 * ps);
    return check_done();
}
