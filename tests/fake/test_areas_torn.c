// SPDX-License-Identifier: MIT
/*
 * A listing read in several reads while the process maps memory is torn: Linux ends each read
 * of /proc/<pid>/maps (and smaps) at a page of text, and the next read starts again at the first
 * area that ends above the last one printed, so an area that grew or merged with its neighbour
 * in between is printed twice, the second time from its old start (the kernel's own selftest,
 * proc-maps-race.c, accepts this). Valgrind does it to its own process: memcheck maps shadow
 * memory next to its own areas, which grow, while the client reads. An iteration still gives
 * ascending areas that do not overlap: the part of a later line that an earlier one covered is
 * not given again.
 */
#include "../check.h"
#include "fake_os.h"

#include <string.h>

static const char torn[] =
    "00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus-daemon\n"
    /* the end of one read, then the same area grown, at the start of the next */
    "1000000000-1000010000 rwxp 00000000 00:00 0 \n"
    "1000000000-1000014000 rwxp 00000000 00:00 0 \n"
    /* a file area merged with the one before it: its offset follows its start */
    "1000020000-1000030000 r--p 00010000 08:02 99      /usr/lib/x.so\n"
    "1000018000-1000040000 r--p 00008000 08:02 99      /usr/lib/x.so\n"
    /* wholly covered by what came before */
    "1000030000-1000038000 rw-p 00000000 00:00 0 \n"
    "7ffc6d7d1000-7ffc6d7f2000 rw-p 00000000 00:00 0   [stack]\n";

struct want {
    uint64_t start, end, offset;
};

static const struct want all[] = {
    {0x400000, 0x452000, 0},
    {0x1000000000, 0x1000010000, 0},
    {0x1000010000, 0x1000014000, 0},
    {0x1000020000, 0x1000030000, 0x10000},
    {0x1000030000, 0x1000040000, 0x20000},
    {0x7ffc6d7d1000, 0x7ffc6d7f2000, 0},
};

/* An iteration of [start, end) gives the count areas of want[]. */
static void iterate(uint64_t start, uint64_t end, const struct want *want, size_t count)
{
    mmapc_areas *it = NULL;
    CHECK_OK(mmapc_areas_open_range(&it, 1, start, end));
    if (!it)
        return;
    mmapc_area a;
    size_t n = 0;
    int rc;
    while ((rc = mmapc_areas_next(it, &a)) == 1) {
        const struct want *w = n < count ? &want[n] : NULL;
        if (!w || a.start != w->start || a.end != w->end || a.offset != w->offset)
            fprintf(stderr, "[%llx, %llx): area %zu is %llx-%llx at offset %llx\n",
                    (unsigned long long)start, (unsigned long long)end, n,
                    (unsigned long long)a.start, (unsigned long long)a.end,
                    (unsigned long long)a.offset);
        CHECK(w && a.start == w->start && a.end == w->end && a.offset == w->offset);
        CHECK(a.allocation_base == a.start);
        n++;
    }
    CHECK(rc == 0);
    CHECK(n == count);
    mmapc_areas_close(it);
}

int main(void)
{
    /* in one read, and a few bytes at a time: the text is the same */
    static const size_t chunks[] = {0, 7};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        fake_plan plan = {.seed = 1, .max_chunk = chunks[i], .fail_at = -1};
        fake_serve(torn, sizeof torn - 1, &plan);
        iterate(0, UINT64_MAX, all, 6);
        /* a range inside the part printed twice: its first area is the grown one, whole */
        static const struct want grown[] = {{0x1000000000, 0x1000014000, 0}};
        iterate(0x1000012000, 0x1000013000, grown, 1);
        /* a range that ends where the first line of the grown area ended */
        iterate(0x1000000000, 0x1000010000, all + 1, 1);
        iterate(0x1000028000, 0x1000031000, all + 3, 2);
        /* and the checker's own comparison, which holds the same rule */
        CHECK(fake_check(torn, sizeof torn - 1, &plan, NULL) == 0);
    }
    return check_done();
}
