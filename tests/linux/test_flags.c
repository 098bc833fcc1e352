// SPDX-License-Identifier: MIT
/* Every flag, checked where the kernel shows it: the VmFlags and Rss of /proc/self/smaps. */
#include "check.h"
#include "smaps.h"

#include <sys/mman.h>

static size_t ps;
static int smaps_ok; /* smaps describes our own addresses (not so under qemu-user) */

/* Map with flags, check that the area has (or lacks) a VmFlag. */
static void check_vmflag(unsigned flags, const char *vmflag, int expected)
{
    mmapc_map *m = NULL;
    CHECK_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, &(mmapc_options){.flags = flags}));
    if (!m)
        return;
    if (smaps_ok) {
        int has = smaps_has_flag(mmapc_ptr(m), vmflag);
        if (has != expected)
            fprintf(stderr, "flags 0x%x: VmFlag %s %s\n", flags, vmflag,
                    expected ? "missing" : "unexpected");
        CHECK(has == expected);
    }
    memset(mmapc_ptr(m), 1, 4 * ps);
    mmapc_unmap(m);
}

static void test_vmflags(void)
{
    check_vmflag(0, "sh", 0);
    check_vmflag(MMAPC_SHARED, "sh", 1);
    check_vmflag(MMAPC_NO_RESERVE, "nr", 1);
    check_vmflag(0, "nr", 0);
    check_vmflag(MMAPC_NO_CORE_DUMP, "dd", 1);
    check_vmflag(0, "dd", 0);
    check_vmflag(MMAPC_SEQUENTIAL, "sr", 1);
    check_vmflag(MMAPC_RANDOM_ACCESS, "rr", 1);
    check_vmflag(0, "rr", 0);
    if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0)
        check_vmflag(MMAPC_TRANSPARENT_HUGE_PAGES, "hg", 1);
    else
        CHECK_SKIP("kernel without transparent huge pages: the flag is a documented no-op");
    check_vmflag(MMAPC_TRANSPARENT_HUGE_PAGES, "nh", 0);
    check_vmflag(MMAPC_STACK | MMAPC_SHARED, "sh", 1); /* MAP_STACK is accepted with others */
    check_vmflag(MMAPC_WILL_NEED, "rd", 1);
    check_vmflag(MMAPC_DONT_NEED, "rd", 1);
}

/* How many pages of [p, p + size) are resident (mincore, exact to the page). */
static size_t resident_pages(void *p, size_t size)
{
    unsigned char vec[256];
    size_t pages = size / ps;
    REQUIRE(pages <= sizeof vec);
    REQUIRE(mincore(p, size, vec) == 0);
    size_t n = 0;
    for (size_t i = 0; i < pages; i++)
        n += vec[i] & 1;
    return n;
}

/* Populate faults every page in at creation; without it nothing is resident. */
static void test_populate(void)
{
    mmapc_map *m = NULL;
    size_t size = 64 * ps;
    REQUIRE_OK(mmapc_map_anon(&m, size, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_POPULATE}));
    if (check_under_emulator())
        CHECK_SKIP("qemu-user drops MAP_POPULATE: no page is resident before it is touched");
    else
        CHECK(resident_pages(mmapc_ptr(m), size) == 64);
    mmapc_unmap(m);
    REQUIRE_OK(mmapc_map_anon(&m, size, MMAPC_PROT_RW, NULL));
    CHECK(resident_pages(mmapc_ptr(m), size) == 0);
    mmapc_unmap(m);
}

/* Fixed placement: the hint, the safe no-replace form and the unsafe replacing form. */
static void test_placement(void)
{
    mmapc_map *probe = NULL, *m = NULL, *other = NULL;
    REQUIRE_OK(mmapc_reserve_anon(&probe, 8 * ps, MMAPC_PROT_NONE, NULL));
    unsigned char *free_at = mmapc_ptr(probe);
    mmapc_unmap(probe); /* now a hole we know of */

    REQUIRE_OK(mmapc_map_anon(&m, ps, MMAPC_PROT_RW, &(mmapc_options){.address = free_at}));
    CHECK(mmapc_ptr(m) == free_at); /* a free, aligned hint is honoured */
    unsigned char *p = mmapc_ptr(m);
    p[0] = 0x77;

    /* no-replace over a used range: refused, the old mapping intact */
    CHECK_RC(mmapc_map_anon(&other, ps, MMAPC_PROT_RW,
                            &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = free_at}),
             MMAPC_EEXIST);
    CHECK(other == NULL);
    CHECK(p[0] == 0x77);
    /* no-replace into the free part next to it: placed exactly */
    CHECK_OK(
        mmapc_map_anon(&other, ps, MMAPC_PROT_RW,
                       &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = free_at + ps}));
    CHECK(mmapc_ptr(other) == free_at + ps);
    mmapc_unmap(other);
    other = NULL;
    /* asking for both fixed forms is ambiguous */
    CHECK_RC(mmapc_map_anon(&other, ps, MMAPC_PROT_RW,
                            &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE,
                                             .unsafe_flags = MMAPC_UNSAFE_FIXED,
                                             .address = free_at}),
             MMAPC_EINVAL_ARG);
    mmapc_unmap(m);

    /* the unsafe form replaces whatever is there (here a raw mapping): a fresh zero page */
    void *victim =
        mmap(free_at, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    REQUIRE(victim == free_at);
    p[0] = 0x77;
    CHECK_OK(
        mmapc_map_anon(&other, ps, MMAPC_PROT_RW,
                       &(mmapc_options){.unsafe_flags = MMAPC_UNSAFE_FIXED, .address = free_at}));
    CHECK(mmapc_ptr(other) == free_at);
    CHECK(p[0] == 0);
    mmapc_unmap(other);
}

int main(void)
{
    ps = mmapc_page_size();
    smaps_ok = !check_under_emulator();
    if (!smaps_ok)
        CHECK_SKIP("under an emulator smaps shows the host: VmFlags checks are skipped");
    test_vmflags();
    test_populate();
    test_placement();
    return check_done();
}
