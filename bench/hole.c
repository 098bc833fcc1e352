// SPDX-License-Identifier: MIT
/*
 * An isolated place for the mappings of a create + destroy row. A fresh mapping that the kernel
 * puts next to an area of the same kind merges into it, and its munmap splits that area again:
 * both cost more than the call itself, and whether they happen depends on the layout left by
 * earlier rows. So each row gets a hole of exactly the mapping's size between two PROT_NONE
 * guard pages, and every higher gap the mapping would fit in is plugged with PROT_NONE. The
 * kernel places a mapping without a hint in the highest gap that fits (top-down), so the plain
 * calls of both sides, with no hint and no flag, land in the hole: the caller's calls are
 * measured as they are written, without merges or splits. Every call checks where it landed.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <sys/mman.h>
#include <unistd.h>

int bench_hole_make(bench_hole *h, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    *h = (bench_hole){.len = len, .whole = len + 2 * page};
    char *r = mmap(NULL, h->whole, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED)
        return -1;
    h->base = r;
    h->at = r + page;
    if (munmap(h->at, len) != 0) {
        munmap(r, h->whole);
        return -1;
    }
    /* a probe that does not land in the hole found a higher gap: it stays there as a plug */
    for (;;) {
        void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            bench_hole_free(h);
            return -1;
        }
        if (p == h->at) {
            munmap(p, len);
            return 0;
        }
        if (h->plugs == BENCH_HOLE_PLUGS) {
            munmap(p, len);
            bench_hole_free(h);
            return -1;
        }
        h->plug[h->plugs++] = p;
    }
}

void bench_hole_free(bench_hole *h)
{
    for (int i = 0; i < h->plugs; i++)
        munmap(h->plug[i], h->len);
    h->plugs = 0;
    if (h->base) { /* the two guards only: whatever fills the hole now is not ours */
        size_t page = (h->whole - h->len) / 2;
        munmap(h->base, page);
        munmap((char *)h->at + h->len, page);
    }
    h->base = h->at = NULL;
}
