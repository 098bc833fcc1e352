// SPDX-License-Identifier: MIT
/* Ranges as Windows sees them: residency is the working set (QueryWorkingSetEx, asked here
 * directly), a decommitted piece is MEM_RESERVE again, and aligned allocations start on their
 * alignment in VirtualQuery's own words. */
#include "check.h"

#include <psapi.h>

static size_t ps;

/* What QueryWorkingSetEx says of each page of [p, p + pages * ps). */
static void working_set(const char *p, size_t pages, unsigned char *out)
{
    for (size_t i = 0; i < pages; i++) {
        PSAPI_WORKING_SET_EX_INFORMATION info;
        info.VirtualAddress = (void *)(p + i * ps);
        REQUIRE(QueryWorkingSetEx(GetCurrentProcess(), &info, sizeof info));
        out[i] = (unsigned char)info.VirtualAttributes.Valid;
    }
}

static void test_residency_is_working_set(void)
{
    enum { PAGES = 300 }; /* more than one batch of the library's queries */
    static unsigned char ours[PAGES], theirs[PAGES];
    mmapc_map *m;
    REQUIRE_OK(mmapc_map_anon(&m, PAGES * ps, MMAPC_PROT_RW, NULL));
    char *p = mmapc_ptr(m);
    for (size_t i = 0; i < PAGES; i += 3)
        p[i * ps] = 1;
    size_t count = 0, expect = 0;
    CHECK_OK(mmapc_residency(m, 0, PAGES * ps, &count, ours));
    working_set(p, PAGES, theirs);
    int same = 1;
    for (size_t i = 0; i < PAGES; i++) {
        expect += theirs[i];
        same &= ours[i] == theirs[i];
    }
    CHECK(same && count == expect);
    CHECK(count >= PAGES / 3); /* every touched page is in the working set */
    /* a part, rounded out to pages */
    CHECK_OK(mmapc_residency(m, ps + 1, 10 * ps, &count, NULL));
    expect = 0;
    for (size_t i = 1; i < 12; i++)
        expect += theirs[i];
    CHECK(count == expect);
    mmapc_unmap(m);
}

static void test_decommit_is_reserve(void)
{
    mmapc_map *whole, *back;
    size_t gran = mmapc_allocation_granularity();
    REQUIRE_OK(mmapc_map_anon(&whole, 2 * gran, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_split_off(whole, gran, &back));
    memset(mmapc_ptr(whole), 7, 2 * gran);
    CHECK_OK(mmapc_decommit(back));
    MEMORY_BASIC_INFORMATION mi;
    REQUIRE(VirtualQuery(mmapc_ptr(back), &mi, sizeof mi) == sizeof mi);
    CHECK(mi.State == MEM_RESERVE && mi.RegionSize == gran);
    REQUIRE(VirtualQuery(mmapc_ptr(whole), &mi, sizeof mi) == sizeof mi);
    CHECK(mi.State == MEM_COMMIT && mi.Protect == PAGE_READWRITE);
    size_t count = 1;
    CHECK_OK(mmapc_residency(back, 0, gran, &count, NULL));
    CHECK(count == 0);
    CHECK_OK(mmapc_commit(back));
    REQUIRE(VirtualQuery(mmapc_ptr(back), &mi, sizeof mi) == sizeof mi);
    CHECK(mi.State == MEM_COMMIT && mi.Protect == PAGE_READWRITE);
    CHECK(((unsigned char *)mmapc_ptr(back))[0] == 0);
    CHECK(((unsigned char *)mmapc_ptr(whole))[gran - 1] == 7);
    /* discard to zero keeps the pages committed, with their protection */
    CHECK_OK(mmapc_discard(whole, 0, gran, MMAPC_DISCARD_ZERO));
    REQUIRE(VirtualQuery(mmapc_ptr(whole), &mi, sizeof mi) == sizeof mi);
    CHECK(mi.State == MEM_COMMIT && mi.Protect == PAGE_READWRITE);
    CHECK(((unsigned char *)mmapc_ptr(whole))[5] == 0);
    CHECK_OK(mmapc_merge(whole, back));
    mmapc_unmap(whole);
    CHECK_RC(mmapc_lock_on_fault(NULL), MMAPC_EINVAL_ARG);
}

static void test_aligned_allocation(void)
{
    static const size_t aligns[] = {(size_t)2 << 20, (size_t)1 << 30};
    for (size_t k = 0; k < 2; k++) {
        mmapc_map *m;
        REQUIRE_OK(mmapc_reserve_anon(&m, (size_t)4 << 20, MMAPC_PROT_RW,
                                      &(mmapc_options){.alignment = aligns[k]}));
        MEMORY_BASIC_INFORMATION mi;
        REQUIRE(VirtualQuery(mmapc_ptr(m), &mi, sizeof mi) == sizeof mi);
        /* the allocation itself starts there: nothing of the probe is left before it */
        CHECK(mi.AllocationBase == mmapc_ptr(m) &&
              ((uintptr_t)mi.AllocationBase & (aligns[k] - 1)) == 0);
        CHECK(mi.State == MEM_RESERVE && mi.RegionSize == ((size_t)4 << 20));
        CHECK_OK(mmapc_commit(m));
        CHECK_RC(mmapc_seal(m), MMAPC_EUNSUPPORTED);
        CHECK_RC(mmapc_lock_on_fault(m), MMAPC_EUNSUPPORTED);
        mmapc_unmap(m);
    }
}

int main(void)
{
    ps = mmapc_page_size();
    test_residency_is_working_set();
    test_decommit_is_reserve();
    test_aligned_allocation();
    return check_done();
}
