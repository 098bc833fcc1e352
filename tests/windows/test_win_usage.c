// SPDX-License-Identifier: MIT
/* Memory use per area on Windows: the working set (QueryWorkingSetEx, asked here directly, page
 * by page) of a region as an iteration with usage, a query and the totals report it; what Windows
 * cannot tell stays unknown. */
#include "check.h"

#include <psapi.h>

static size_t ps;

/* What Windows can tell of a region. */
#define WIN_KNOWN                                                                                  \
    (MMAPC_USAGE_SIZE | MMAPC_USAGE_RSS | MMAPC_USAGE_LOCKED | MMAPC_USAGE_RESIDENT_SHARED |       \
     MMAPC_USAGE_RESIDENT_PRIVATE)

/* Resident bytes of [p, p + pages * ps) as QueryWorkingSetEx says, and how many are locked. */
static uint64_t working_set(const char *p, size_t pages, uint64_t *locked)
{
    uint64_t rss = 0;
    *locked = 0;
    for (size_t i = 0; i < pages; i++) {
        PSAPI_WORKING_SET_EX_INFORMATION info;
        info.VirtualAddress = (void *)(p + i * ps);
        REQUIRE(QueryWorkingSetEx(GetCurrentProcess(), &info, sizeof info));
        rss += info.VirtualAttributes.Valid ? ps : 0;
        *locked += info.VirtualAttributes.Valid && info.VirtualAttributes.Locked ? ps : 0;
    }
    return rss;
}

static void test_region(void)
{
    enum { PAGES = 600 }; /* more than two batches of the library's queries */
    char *p = VirtualAlloc(NULL, PAGES * ps, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    REQUIRE(p != NULL);
    for (size_t i = 0; i < PAGES; i += 3)
        p[i * ps] = 1;
    int locked = VirtualLock(p, ps) != 0;
    uint64_t want_locked, want = working_set(p, PAGES, &want_locked);
    CHECK(want >= PAGES / 3 * ps); /* every touched page is in the working set */

    mmapc_proc *self;
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    mmapc_area a;
    mmapc_area_usage u;
    CHECK_OK(mmapc_proc_query_usage(self, (uint64_t)(uintptr_t)p + ps, &a, NULL, 0, &u));
    CHECK(a.start == (uint64_t)(uintptr_t)p && a.end == a.start + PAGES * ps);
    CHECK(u.known == WIN_KNOWN);
    CHECK(u.size == PAGES * ps && u.rss == want && u.locked == want_locked);
    CHECK(u.resident_private == want && u.resident_shared == 0); /* nobody else maps it */
    CHECK(u.pss == 0 && u.swap == 0 && u.vm_flags == 0);
    if (locked)
        CHECK(u.locked <= ps);

    /* the same through an iteration with usage */
    mmapc_areas *it;
    CHECK_OK(mmapc_proc_areas_usage(&it, self, (uint64_t)(uintptr_t)p, (uint64_t)(uintptr_t)p + 1));
    CHECK_RC(mmapc_areas_next(it, &a), 1);
    mmapc_area_usage v;
    CHECK_OK(mmapc_areas_usage(it, &v));
    CHECK(memcmp(&u, &v, sizeof u) == 0);
    CHECK_RC(mmapc_areas_next(it, &a), 0);
    CHECK_RC(mmapc_areas_usage(it, &v), MMAPC_EINVAL_OP);
    mmapc_areas_close(it);

    /* the totals: the sum over the areas, with what every area knows */
    mmapc_area_usage t;
    CHECK_OK(mmapc_proc_usage_totals(self, &t));
    CHECK(t.known == WIN_KNOWN);
    CHECK(t.rss >= want && t.size >= PAGES * ps);
    CHECK(t.rss == t.resident_shared + t.resident_private);
    mmapc_proc_close(self);
    if (locked)
        VirtualUnlock(p, ps);
    VirtualFree(p, 0, MEM_RELEASE);
}

/* A reservation holds no page: nothing resident, and no page-by-page query of its gigabyte. */
static void test_reservation(void)
{
    size_t size = (size_t)1 << (sizeof(void *) == 8 ? 30 : 26);
    char *p = VirtualAlloc(NULL, size, MEM_RESERVE, PAGE_NOACCESS);
    REQUIRE(p != NULL);
    mmapc_proc *self;
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    mmapc_area a;
    mmapc_area_usage u;
    CHECK_OK(mmapc_proc_query_usage(self, (uint64_t)(uintptr_t)p, &a, NULL, 0, &u));
    CHECK(u.size == size && u.rss == 0 && u.known == WIN_KNOWN);
    mmapc_proc_close(self);
    VirtualFree(p, 0, MEM_RELEASE);
}

/* One-shot iteration of the caller: every area has its use, resident bytes split in two. */
static void test_all_areas(void)
{
    mmapc_areas *it;
    REQUIRE_OK(mmapc_areas_open_usage(&it, MMAPC_SELF));
    mmapc_area a;
    mmapc_area_usage u;
    int n = 0, consistent = 0, rc;
    uint64_t rss = 0;
    while ((rc = mmapc_areas_next(it, &a)) == 1) {
        n++;
        if (mmapc_areas_usage(it, &u) == 0 && u.size == a.end - a.start &&
            u.rss == u.resident_shared + u.resident_private && u.rss <= u.size)
            consistent++;
        rss += u.rss;
    }
    CHECK_RC(rc, 0);
    CHECK(n > 10 && consistent == n && rss > 0);
    mmapc_areas_close(it);
}

int main(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    ps = si.dwPageSize;
    test_region();
    test_reservation();
    test_all_areas();
    return check_done();
}
