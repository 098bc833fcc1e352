// SPDX-License-Identifier: MIT
/* What the platform promises (tests/platform.h), asserted: a capability it never has answers
 * MMAPC_EUNSUPPORTED, writes no out-pointer and changes nothing; one it always has works; one
 * that depends on the kernel either works or is MMAPC_EUNSUPPORTED. The generic POSIX build
 * adds what its flags do without system-specific ones (populate by touching). */
#include "platform.h"
#include "testutil.h"

#include <stdint.h>

static size_t ps;

/* No memory areas: no process handle opens, so what is asked through one (memory use, build IDs,
 * another process's memory) is out of reach too. */
static void check_no_areas(void)
{
    mmapc_proc *proc = NULL;
    mmapc_areas *it = NULL;
    mmapc_area a = {.start = 7};
    CHECK_RC(mmapc_proc_open(&proc, MMAPC_SELF, 0), MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_proc_open(&proc, MMAPC_SELF, MMAPC_PROC_TEXT), MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_area_query(MMAPC_SELF, (uintptr_t)&a, &a, NULL, 0), MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_areas_open(&it, MMAPC_SELF), MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_areas_open_range(&it, MMAPC_SELF, 0, UINT64_MAX), MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_areas_open_usage(&it, MMAPC_SELF), MMAPC_EUNSUPPORTED); /* memory use too */
    CHECK(proc == NULL && it == NULL && a.start == 7);
    /* the arguments are checked first, as everywhere */
    CHECK_RC(mmapc_proc_open(&proc, -1, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_areas_open_range(&it, MMAPC_SELF, 2, 1), MMAPC_EINVAL_OFFSET);
}

/* The area of a mapping of ours is found by a query and by the iteration. */
static void check_areas(void)
{
    mmapc_map *m;
    REQUIRE_OK(mmapc_map_anon(&m, 2 * ps, MMAPC_PROT_RW, NULL));
    uint64_t at = (uint64_t)mmapc_start(m);
    mmapc_area a;
    CHECK_OK(mmapc_area_query(MMAPC_SELF, at + ps, &a, NULL, 0));
    CHECK(a.start <= at && a.end >= at + 2 * ps && a.prot == MMAPC_PROT_RW);
    mmapc_areas *it;
    int found = 0, rc = 0;
    REQUIRE_OK(mmapc_areas_open(&it, MMAPC_SELF));
    while ((rc = mmapc_areas_next(it, &a)) > 0)
        found += a.start <= at && a.end > at;
    CHECK(rc == 0 && found == 1);
    mmapc_areas_close(it);
    mmapc_unmap(m);
}

static void test_areas(void)
{
    if (PLATFORM_AREAS == PROMISE_NO)
        check_no_areas();
    else
        check_areas();
}

/* Lock on fault: refused where it is promised never to be, undone by unlock where it worked. */
static void test_lock_on_fault(void)
{
    mmapc_map *m;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, NULL));
    int rc = mmapc_lock_on_fault(m);
    if (PLATFORM_LOCK_ON_FAULT == PROMISE_NO)
        CHECK_RC(rc, MMAPC_EUNSUPPORTED);
    if (rc == 0)
        CHECK_OK(mmapc_unlock(m));
    else if (rc == MMAPC_EUNSUPPORTED && PLATFORM_LOCK_ON_FAULT == PROMISE_MAYBE)
        printf("no lock on fault here (an older kernel or an emulator)\n");
    else if (rc != MMAPC_EUNSUPPORTED)
        CHECK(rc == MMAPC_ELIMIT); /* a small RLIMIT_MEMLOCK */
    size_t count = 9;
    CHECK_OK(mmapc_residency(m, 0, 4 * ps, &count, NULL));
    CHECK(count == 0); /* nothing was faulted in */
    mmapc_unmap(m);
}

/* Seals of shared memory objects: a refused seal adds none. */
static void test_shm_seals(void)
{
    mmapc_shm *shm;
    unsigned seals = 99;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, mmapc_allocation_granularity(), NULL));
    CHECK_OK(mmapc_shm_seals(shm, &seals));
    int rc = mmapc_shm_seal(shm, MMAPC_SHM_SEAL_GROW);
    if (PLATFORM_SHM_SEALS == PROMISE_NO) {
        CHECK_RC(rc, MMAPC_EUNSUPPORTED);
        CHECK(seals == 0);
    }
    if (rc == 0) {
        CHECK_OK(mmapc_shm_seals(shm, &seals));
        CHECK(seals & MMAPC_SHM_SEAL_GROW);
        CHECK_RC(mmapc_shm_resize(shm, 2 * mmapc_allocation_granularity()), MMAPC_EPERM);
    } else {
        /* MMAPC_EPERM: an object made without memfd, which Linux shows sealed against seals */
        CHECK(rc == MMAPC_EUNSUPPORTED ||
              (rc == MMAPC_EPERM && PLATFORM_SHM_SEALS == PROMISE_MAYBE));
        unsigned after = 99;
        CHECK_OK(mmapc_shm_seals(shm, &after));
        CHECK(after == seals);
    }
    mmapc_shm_close(shm);
}

/* Huge pages: where there are none, only the base page size is listed and every huge page
 * request is MMAPC_EUNSUPPORTED, writing no handle. */
static void test_huge_pages(void)
{
    size_t sizes[4] = {0}, count = 0;
    CHECK_OK(mmapc_page_sizes(sizes, 4, &count));
    if (PLATFORM_HUGE_PAGES == PROMISE_NO)
        CHECK(count == 1 && sizes[0] == ps && mmapc_default_huge_page_size() == 0);
    if (count > 1)
        return; /* the huge page tests of the platform take it from here */
    CHECK(mmapc_default_huge_page_size() == 0);
    mmapc_map *m = NULL;
    mmapc_options huge = {.flags = MMAPC_HUGE_PAGES};
    mmapc_options sized = {.flags = MMAPC_HUGE_PAGES, .page_size = (size_t)2 << 20};
    CHECK_RC(mmapc_map_anon(&m, (size_t)2 << 20, MMAPC_PROT_RW, &huge), MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_map_anon(&m, (size_t)2 << 20, MMAPC_PROT_RW, &sized), MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_reserve_anon(&m, (size_t)2 << 20, MMAPC_PROT_RW, &sized), MMAPC_EUNSUPPORTED);
    CHECK(m == NULL);
}

#if defined(MMAPC_TEST_GENERIC_POSIX)
/* Populate without a system flag: every page is touched, read or written as the mapping allows,
 * and none of its bytes changes; an inaccessible mapping is left alone. */
static void test_generic_populate(void)
{
    static const struct {
        mmapc_prot prot;
        unsigned flags;
    } cases[] = {
        {MMAPC_PROT_RW, 0},
        {MMAPC_PROT_READ, 0},
        {MMAPC_PROT_RW, MMAPC_SHARED},
        {MMAPC_PROT_RW, MMAPC_DONT_NEED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mmapc_map *m;
        mmapc_options o = {.flags = MMAPC_POPULATE | cases[i].flags};
        REQUIRE_OK(mmapc_map_anon(&m, 16 * ps, cases[i].prot, &o));
        size_t count = 0;
        CHECK_OK(mmapc_residency(m, 0, 16 * ps, &count, NULL));
        /* dont-need comes after populate: the touched pages may be gone again */
        CHECK(count == 16 || (cases[i].flags & MMAPC_DONT_NEED));
        const unsigned char *p = mmapc_ptr(m);
        CHECK(p[0] == 0 && p[15 * ps] == 0);
        mmapc_unmap(m);
    }
    /* a reservation is populated when it is committed */
    mmapc_map *r;
    REQUIRE_OK(
        mmapc_reserve_anon(&r, 8 * ps, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_POPULATE}));
    size_t count = 9;
    CHECK_OK(mmapc_residency(r, 0, 8 * ps, &count, NULL));
    CHECK(count == 0);
    CHECK_OK(mmapc_commit(r));
    CHECK_OK(mmapc_residency(r, 0, 8 * ps, &count, NULL));
    CHECK(count == 8);
    mmapc_unmap(r);
    /* a file: its bytes read in, unchanged */
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 4 * ps, path);
    mmapc_map *fm;
    REQUIRE_OK(mmapc_map_file(&fm, 4 * ps, MMAPC_PROT_RW, f, 0,
                              &(mmapc_options){.flags = MMAPC_POPULATE}));
    CHECK_OK(mmapc_residency(fm, 0, 4 * ps, &count, NULL));
    CHECK(count == 4);
    CHECK(((unsigned char *)mmapc_ptr(fm))[3 * ps + 5] == tu_pattern(3 * ps + 5));
    mmapc_unmap(fm);
    tu_close(f);
    tu_remove(path);
    /* nothing to touch in an inaccessible mapping */
    mmapc_map *none;
    REQUIRE_OK(
        mmapc_map_anon(&none, 4 * ps, MMAPC_PROT_NONE, &(mmapc_options){.flags = MMAPC_POPULATE}));
    CHECK_OK(mmapc_residency(none, 0, 4 * ps, &count, NULL));
    CHECK(count == 0);
    mmapc_unmap(none);
}
#endif

int main(void)
{
    ps = mmapc_page_size();
    printf("platform: %s\n", PLATFORM_NAME);
    test_areas();
    test_lock_on_fault();
    test_shm_seals();
    test_huge_pages();
#if defined(MMAPC_TEST_GENERIC_POSIX)
    test_generic_populate();
#endif
    return check_done();
}
