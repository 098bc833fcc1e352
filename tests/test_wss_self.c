// SPDX-License-Identifier: MIT
/*
 * Working set of the calling process, on every platform: where the platform measures it
 * (Linux, Windows), the pages of a mapping touched after a reset count as accessed, a mapping
 * never touched counts nothing, and written bytes are exact where they are measured; where it
 * does not (macOS, generic POSIX), every call is MMAPC_EUNSUPPORTED and writes nothing. Bad
 * arguments are MMAPC_EINVAL_ARG everywhere.
 */
#include "check.h"
#include "platform.h"

#include <stdint.h>

#if defined(MMAPC_TEST_GENERIC_POSIX) || defined(__APPLE__)
#define PLATFORM_WSS PROMISE_NO
#else
#define PLATFORM_WSS PROMISE_YES
#endif

#define PAGES 64
#define K 16
#define J 5

static size_t ps;

/* The figures of the area that holds addr. */
static int figures(mmapc_proc *p, uintptr_t addr, unsigned what, mmapc_area *a, mmapc_wss *w)
{
    mmapc_wss_areas *it;
    int rc = mmapc_proc_wss_areas(&it, p, addr, addr + 1, what);
    if (rc)
        return rc;
    rc = mmapc_wss_areas_next(it, a, w);
    mmapc_wss_areas_close(it);
    return rc == 1 ? 0 : rc == 0 ? MMAPC_ENOTFOUND : rc;
}

int main(void)
{
    if (check_pagemap_not_guests())
        return CHECK_SKIP_CODE;
    ps = mmapc_page_size();
    unsigned support = 99;
    CHECK_RC(mmapc_wss_support(NULL), MMAPC_EINVAL_ARG);
    CHECK_OK(mmapc_wss_support(&support));
    mmapc_proc *self;
    if (PLATFORM_AREAS == PROMISE_NO) { /* no process to measure: no handle */
        CHECK_RC(mmapc_proc_open(&self, MMAPC_SELF, 0), MMAPC_EUNSUPPORTED);
        CHECK(support == 0);
        CHECK_RC(mmapc_proc_wss_reset(NULL, MMAPC_WSS_ACCESSED), MMAPC_EINVAL_ARG);
        printf("%d checks, %d failures\n", check_count, check_failures);
        return check_failures ? 1 : 0;
    }
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    CHECK_RC(mmapc_proc_wss_reset(NULL, MMAPC_WSS_ACCESSED), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_wss_reset(self, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_wss_reset(self, 8), MMAPC_EINVAL_ARG);
    mmapc_wss_areas *it = (mmapc_wss_areas *)&support;
    CHECK_RC(mmapc_proc_wss_areas(&it, self, 0, UINT64_MAX, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_wss_areas(&it, NULL, 0, UINT64_MAX, MMAPC_WSS_ACCESSED), MMAPC_EINVAL_ARG);
    CHECK(it == (mmapc_wss_areas *)&support);
    mmapc_wss_areas_close(NULL);
    printf("%s: working set support %u\n", PLATFORM_NAME, support);

    if (PLATFORM_WSS == PROMISE_NO) {
        CHECK(support == 0);
        CHECK_RC(mmapc_proc_wss_reset(self, MMAPC_WSS_ACCESSED), MMAPC_EUNSUPPORTED);
        CHECK_RC(mmapc_proc_wss_areas(&it, self, 0, UINT64_MAX, MMAPC_WSS_ACCESSED),
                 MMAPC_EUNSUPPORTED);
        CHECK(it == (mmapc_wss_areas *)&support);
        mmapc_proc_close(self);
        printf("%d checks, %d failures\n", check_count, check_failures);
        return check_failures ? 1 : 0;
    }
    CHECK(support & MMAPC_WSS_ACCESSED);
    if (!(support & MMAPC_WSS_WRITTEN))
        CHECK_RC(mmapc_proc_wss_reset(self, MMAPC_WSS_WRITTEN), MMAPC_EUNSUPPORTED);

    /* A read+write and written once; B read-only and never touched: two areas */
    mmapc_map *ma, *mb;
    REQUIRE_OK(mmapc_map_anon(&ma, PAGES * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_map_anon(&mb, PAGES * ps, MMAPC_PROT_READ, NULL));
    volatile char *a = mmapc_ptr(ma), *b = mmapc_ptr(mb);
    for (size_t i = 0; i < PAGES; i++)
        a[i * ps] = 1;

    REQUIRE_OK(mmapc_proc_wss_reset(self, support));
    char sum = 0;
    for (size_t i = 0; i < K; i++)
        sum = (char)(sum + a[i * ps]);
    for (size_t i = 0; i < J; i++)
        a[i * ps] = (char)(sum + 1);
    mmapc_area area;
    mmapc_wss w;
    CHECK_OK(figures(self, (uintptr_t)a, support, &area, &w));
    printf("A: accessed %llu written %llu (known %u)\n", (unsigned long long)w.accessed,
           (unsigned long long)w.written, w.known);
    CHECK(area.start <= (uintptr_t)a && area.end >= (uintptr_t)a + PAGES * ps);
    CHECK(w.known == support);
    CHECK(w.accessed >= K * ps && w.accessed <= area.end - area.start);
    /* A may have merged with a neighbour of the process's own (Linux joins adjacent anonymous
     * areas): its figures are then at least A's */
    int alone = area.start == (uintptr_t)a && area.end == (uintptr_t)a + PAGES * ps;
    if (support & MMAPC_WSS_WRITTEN)
        CHECK(alone ? w.written == J * ps : w.written >= J * ps);
    else
        CHECK(w.written == 0);
    CHECK_OK(figures(self, (uintptr_t)b, support, &area, &w));
    CHECK(area.start == (uintptr_t)b && area.end == (uintptr_t)b + PAGES * ps);
    CHECK(w.accessed == 0 && w.written == 0);
    (void)b;

    mmapc_unmap(ma);
    mmapc_unmap(mb);
    mmapc_proc_close(self);
    printf("%d checks, %d failures\n", check_count, check_failures);
    return check_failures ? 1 : 0;
}
