// SPDX-License-Identifier: MIT
/* Page state of the calling process, on every platform: where the system has a way to ask
 * (Linux, Windows), a page just written is present and one never touched is not, runs cover the
 * range, a page of another area's neighbourhood that no area holds is unmapped; bad input is
 * refused with nothing written. Where it has none (macOS, generic POSIX), every call is
 * MMAPC_EUNSUPPORTED, nothing written, and no bit is reported. */
#include "check.h"

#include <stdint.h>

#if defined(MMAPC_TEST_GENERIC_POSIX) || defined(__APPLE__)
#define HAS_PAGES 0
#else
#define HAS_PAGES 1
#endif

int main(void)
{
    if (check_pagemap_not_guests())
        return CHECK_SKIP_CODE;
    size_t ps = mmapc_page_size();
    mmapc_map *m;
    REQUIRE_OK(mmapc_map_anon(&m, 8 * ps, MMAPC_PROT_READ | MMAPC_PROT_WRITE, NULL));
    unsigned char *p = mmapc_ptr(m);
    p[0] = 1;
    p[5 * ps] = 1;
    uint64_t base = (uintptr_t)p;
    mmapc_proc *self;
    int rc = mmapc_proc_open(&self, MMAPC_SELF, 0);
    mmapc_page_run runs[16] = {{1, 2, 3, 4, 5}};
    size_t n = 77;
    uint64_t next = 78;
    if (!HAS_PAGES) {
        CHECK(mmapc_pages_reported() == 0);
        if (rc == 0) {
            CHECK_RC(mmapc_proc_pages(self, base, 8 * ps, 0, runs, 16, &n, &next),
                     MMAPC_EUNSUPPORTED);
            mmapc_proc_close(self);
        } else {
            CHECK(rc == MMAPC_EUNSUPPORTED);
        }
        CHECK(n == 77 && next == 78 && runs[0].start == 1);
        mmapc_unmap(m);
        return check_done();
    }
    REQUIRE_OK(rc);
    CHECK(mmapc_pages_reported() & MMAPC_PAGE_PRESENT);
    CHECK_OK(mmapc_proc_pages(self, base, 8 * ps, 0, runs, 16, &n, &next));
    CHECK(next == base + 8 * ps);
    uint64_t at = base;
    unsigned state[8] = {0};
    for (size_t i = 0; i < n; i++) {
        CHECK(runs[i].start == at && runs[i].pages > 0 && !(runs[i].flags & runs[i].unknown));
        for (uint64_t k = 0; k < runs[i].pages && (at - base) / ps + k < 8; k++)
            state[(at - base) / ps + k] = runs[i].flags;
        at += runs[i].pages * ps;
    }
    CHECK(at == base + 8 * ps);
    for (size_t i = 0; i < 8; i++) {
        CHECK(!(state[i] & MMAPC_PAGE_UNMAPPED));
        CHECK(!!(state[i] & MMAPC_PAGE_PRESENT) == (i == 0 || i == 5));
    }
    for (unsigned b = 1; b <= MMAPC_PAGE_FRAME; b <<= 1)
        CHECK(mmapc_page_flag_name(b) != NULL);
    CHECK(mmapc_page_flag_name(0) == NULL && mmapc_page_flag_name(3) == NULL);
    CHECK(strcmp(mmapc_page_flag_name(MMAPC_PAGE_SOFT_DIRTY), "soft_dirty") == 0);

    /* bad input: nothing written */
    n = 77;
    next = 78;
    runs[0].start = 1;
    CHECK_RC(mmapc_proc_pages(self, base, UINT64_MAX, 0, runs, 16, &n, &next), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_proc_pages(self, UINT64_MAX - ps + 1, ps, 0, runs, 16, &n, &next),
             MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_proc_pages(self, base, ps, 0, NULL, 16, &n, &next), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_pages(self, base, ps, 1u << 20, runs, 16, &n, &next), MMAPC_EINVAL_ARG);
    CHECK(n == 77 && next == 78 && runs[0].start == 1);
    mmapc_proc_close(self);

    /* the range once its mapping is gone: one unmapped run (or more, where others took it) */
    mmapc_unmap(m);
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    CHECK_OK(mmapc_proc_pages(self, base, ps, 0, runs, 16, &n, &next));
    CHECK(n == 1 && runs[0].pages == 1);
    mmapc_proc_close(self);
    return check_done();
}
