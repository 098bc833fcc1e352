// SPDX-License-Identifier: MIT
/* Ranges as the Linux kernel sees them: advice in /proc/self/smaps VmFlags, residency against
 * mincore, lazy free and page-out in Rss and LazyFree, lock on fault, sealing, and refusals that
 * leave /proc/self/maps as it was. */
#include "kernel_probe.h"
#include "maps_snapshot.h"
#include "smaps.h"
#include "testutil.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static size_t ps;

/* Non-zero under valgrind, which answers system calls it does not know (mlock2 in 3.19, mseal)
 * with ENOSYS. */
static int under_valgrind(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return preload && strstr(preload, "vgpreload");
}

/* Non-zero under AddressSanitizer, whose interceptors ignore mlock() and munlock(). */
static int sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 1;
#endif
#endif
    return 0;
}

/* Each advice that the kernel records shows in the VmFlags of the pages it was given to, and only
 * there; the one that undoes it takes it away. */
static void test_vmflags(void)
{
    static const struct {
        mmapc_advice advice, undo;
        const char *flag;
    } cases[] = {
        {MMAPC_ADVICE_SEQUENTIAL, MMAPC_ADVICE_NORMAL, "sr"},
        {MMAPC_ADVICE_RANDOM, MMAPC_ADVICE_NORMAL, "rr"},
        {MMAPC_ADVICE_HUGE_PAGES, MMAPC_ADVICE_NO_HUGE_PAGES, "hg"},
        {MMAPC_ADVICE_NO_HUGE_PAGES, MMAPC_ADVICE_HUGE_PAGES, "nh"},
        {MMAPC_ADVICE_DONT_DUMP, MMAPC_ADVICE_DO_DUMP, "dd"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mmapc_map *m;
        REQUIRE_OK(mmapc_map_anon(&m, 3 * ps, MMAPC_PROT_RW, NULL));
        char *p = mmapc_ptr(m);
        CHECK(!smaps_has_flag(p + ps, cases[i].flag));
        /* bytes inside page 1 only: rounded out to exactly that page */
        CHECK_OK(mmapc_advise(m, ps + 10, ps - 20, cases[i].advice));
        CHECK(smaps_has_flag(p + ps, cases[i].flag));
        CHECK(!smaps_has_flag(p, cases[i].flag) && !smaps_has_flag(p + 2 * ps, cases[i].flag));
        if (!smaps_has_flag(p + ps, cases[i].flag))
            fprintf(stderr, "advice %d: no '%s' in VmFlags\n", (int)cases[i].advice, cases[i].flag);
        CHECK_OK(mmapc_advise(m, ps, ps, cases[i].undo));
        CHECK(!smaps_has_flag(p + ps, cases[i].flag));
        mmapc_unmap(m);
    }
}

/* mmapc_residency() says what mincore() says, page by page, whatever the pattern. */
static void test_residency_is_mincore(void)
{
    enum { PAGES = 1024 };
    static unsigned char ours[PAGES], theirs[PAGES];
    mmapc_map *m;
    REQUIRE_OK(mmapc_map_anon(&m, PAGES * ps, MMAPC_PROT_RW, NULL));
    char *p = mmapc_ptr(m);
    /* single pages, with holes between them: where transparent huge pages are "always" (Debian's
     * kernels), one write would make a whole 2 MiB resident */
    if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0)
        CHECK_OK(mmapc_advise(m, 0, PAGES * ps, MMAPC_ADVICE_NO_HUGE_PAGES));
    uint32_t x = 99;
    for (int i = 0; i < PAGES / 3; i++) {
        x = x * 1103515245u + 12345u;
        p[(x >> 8) % PAGES * ps] = 1;
    }
    size_t count = 0, expect = 0;
    CHECK_OK(mmapc_residency(m, 0, PAGES * ps, &count, ours));
    REQUIRE(mincore(p, PAGES * ps, theirs) == 0);
    int same = 1;
    for (int i = 0; i < PAGES; i++) {
        expect += theirs[i] & 1;
        same &= ours[i] == (theirs[i] & 1);
    }
    CHECK(same && count == expect && count > 100 && count < PAGES);
    /* the count alone, over a part, as the vector says */
    size_t part = 0;
    CHECK_OK(mmapc_residency(m, 100 * ps, 500 * ps, &part, NULL));
    expect = 0;
    for (int i = 100; i < 600; i++)
        expect += theirs[i] & 1;
    CHECK(part == expect);

    /* populate: every page resident, in mincore's own words */
    CHECK_OK(mmapc_advise(m, 0, PAGES * ps, MMAPC_ADVICE_POPULATE_READ));
    REQUIRE(mincore(p, PAGES * ps, theirs) == 0);
    int all = 1;
    for (int i = 0; i < PAGES; i++)
        all &= theirs[i] & 1;
    CHECK(all);
    CHECK_OK(mmapc_discard(m, 0, PAGES * ps, MMAPC_DISCARD_ZERO));
    CHECK_OK(mmapc_advise(m, 0, PAGES * ps, MMAPC_ADVICE_POPULATE_WRITE));
    REQUIRE(mincore(p, PAGES * ps, theirs) == 0);
    for (int i = 0; i < PAGES; i++)
        all &= theirs[i] & 1;
    CHECK(all);
    smaps_entry e;
    CHECK(smaps_find(p, &e) &&
          e.rss_kb * 1024 == PAGES * ps); /* private pages, not the zero page */
    mmapc_unmap(m);
}

/* Discard to zero frees the pages at once; lazy discard marks them LazyFree, and page-out (or
 * memory pressure) frees them, after which they read as zeros. */
static void test_discard_rss(void)
{
    size_t n = 256 * ps;
    mmapc_map *m;
    smaps_entry e;
    REQUIRE_OK(mmapc_map_anon(&m, n, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    /* an area of its own, which no neighbour merges into: its Rss is ours alone */
    REQUIRE_OK(mmapc_advise(m, 0, n, MMAPC_ADVICE_DONT_DUMP));
    memset(p, 0x66, n);
    CHECK(smaps_find(p, &e) && e.rss_kb * 1024 == n);
    CHECK_OK(mmapc_discard(m, 0, n / 2, MMAPC_DISCARD_ZERO));
    CHECK(smaps_find(p, &e) && e.rss_kb * 1024 == n / 2);
    CHECK(p[0] == 0 && p[n / 2] == 0x66);

    memset(p, 0x66, n);
    CHECK_OK(mmapc_discard(m, 0, n, MMAPC_DISCARD_LAZY));
    CHECK(smaps_find(p, &e));
    /* With no memory pressure the pages stay, counted as lazily freed; the last few may wait in
     * this CPU's batch (up to 31 folios) before the kernel counts them. */
    CHECK(e.rss_kb * 1024 == n && e.lazyfree_kb * 1024 >= n - 31 * ps);
    if (e.lazyfree_kb * 1024 < n - 31 * ps)
        fprintf(stderr, "LazyFree %lu kB, Rss %lu kB\n", e.lazyfree_kb, e.rss_kb);
    CHECK_OK(mmapc_advise(m, 0, n, MMAPC_ADVICE_PAGE_OUT));
    /* Page-out frees the lazily freed pages, but for those still waiting in a CPU's batch (a
     * slow process, valgrind, may leave up to 31 there); a freed page reads as zeros. */
    CHECK(smaps_find(p, &e) && e.rss_kb * 1024 <= 31 * ps && e.lazyfree_kb * 1024 <= 31 * ps);
    size_t zero_pages = 0;
    for (size_t i = 0; i < n; i += ps)
        zero_pages += p[i] == 0 && p[i + ps - 1] == 0;
    CHECK(zero_pages * ps >= n - 31 * ps);
    /* a page written after the lazy discard keeps what was written */
    memset(p, 0x77, 2 * ps);
    CHECK_OK(mmapc_discard(m, 0, 2 * ps, MMAPC_DISCARD_LAZY));
    p[0] = 0x78;
    CHECK_OK(mmapc_advise(m, 0, 2 * ps, MMAPC_ADVICE_PAGE_OUT));
    CHECK(p[0] == 0x78 && p[ps] == 0);
    /* cold and collapse are accepted (collapse may find nothing to collapse) */
    CHECK_OK(mmapc_advise(m, 0, n, MMAPC_ADVICE_COLD));
    mmapc_unmap(m);
}

/* A 2 MiB aligned range advised huge and collapsed is one transparent huge page. */
static void test_collapse(void)
{
    size_t huge = (size_t)2 << 20;
    mmapc_map *m;
    REQUIRE_OK(mmapc_map_anon(&m, huge, MMAPC_PROT_RW, &(mmapc_options){.alignment = huge}));
    char *p = mmapc_ptr(m);
    CHECK_OK(mmapc_advise(m, 0, huge, MMAPC_ADVICE_NO_HUGE_PAGES));
    p[0] = 1;
    CHECK_OK(mmapc_advise(m, 0, huge, MMAPC_ADVICE_HUGE_PAGES));
    int rc = mmapc_advise(m, 0, huge, MMAPC_ADVICE_COLLAPSE);
    CHECK(rc == 0 || rc == MMAPC_EBUSY || rc == MMAPC_ENOMEM);
    size_t count = 0;
    CHECK_OK(mmapc_residency(m, 0, huge, &count, NULL));
    if (rc == 0)
        CHECK(count == huge / ps);
    mmapc_unmap(m);
}

/* Lock on fault: VmFlags "lf" and "lo"; only touched pages are resident and locked. */
/* The VmFlags the kernel prints for 16 fresh pages locked on fault by a raw mlock2(): "lo" and
 * "lf" on most kernels, but "lo" and "??" on 6.1, whose table of flag names lacks the one of
 * VM_LOCKONFAULT. Empty when the raw call fails. */
static void raw_lock_on_fault_flags(char *out, size_t cap)
{
    out[0] = '\0';
    char *q = mmap(NULL, 16 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(q != MAP_FAILED);
    smaps_entry e;
    if (syscall(SYS_mlock2, q, 16 * ps, 1 /* MLOCK_ONFAULT */) == 0 && smaps_find(q, &e))
        snprintf(out, cap, "%s", e.vmflags);
    munmap(q, 16 * ps);
}

static void test_lock_on_fault(void)
{
    mmapc_map *m;
    smaps_entry e;
    char raw[sizeof e.vmflags];
    raw_lock_on_fault_flags(raw, sizeof raw);
    REQUIRE_OK(mmapc_map_anon(&m, 16 * ps, MMAPC_PROT_RW, NULL));
    char *p = mmapc_ptr(m);
    int rc = mmapc_lock_on_fault(m);
    if (rc == MMAPC_EUNSUPPORTED && under_valgrind())
        CHECK_SKIP("lock on fault: valgrind does not know mlock2()");
    else
        CHECK_OK(rc);
    if (rc == 0) {
        /* the same flags as the raw call's, "lo" among them */
        CHECK(smaps_has_flag(p, "lo"));
        CHECK(smaps_find(p, &e) && strcmp(e.vmflags, raw) == 0);
        if (strcmp(e.vmflags, raw) != 0)
            fprintf(stderr, "VmFlags:%s, raw mlock2:%s\n", e.vmflags, raw);
        CHECK(smaps_find(p, &e) && e.rss_kb == 0 && e.locked_kb == 0);
        p[0] = p[5 * ps] = 1;
        CHECK(smaps_find(p, &e) && e.locked_kb * 1024 == 2 * ps && e.rss_kb * 1024 == 2 * ps);
        CHECK_RC(mmapc_discard(m, 0, ps, MMAPC_DISCARD_ZERO), MMAPC_EBUSY);
        CHECK(p[0] == 1);
        CHECK_OK(mmapc_unlock(m));
        if (sanitized())
            CHECK_SKIP("AddressSanitizer turns munlock() into a no-op");
        else
            CHECK(!smaps_has_flag(p, "lf") && !smaps_has_flag(p, "lo"));
    }
    mmapc_unmap(m);
}

/* The refusals of every range call, on a committed, a reserved and a sealed mapping (NULL where
 * the kernel cannot seal). */
static int refusals(mmapc_map *rw, mmapc_map *reserved, mmapc_map *sealed)
{
    size_t n = mmapc_size(rw), count = 5;
    int refused = 0;
#define REFUSE(call, code) refused += (call) == (code)
    REFUSE(mmapc_advise(rw, 0, n + 1, MMAPC_ADVICE_DONT_DUMP), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_advise(rw, n, 1, MMAPC_ADVICE_HUGE_PAGES), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_advise(rw, ps, SIZE_MAX, MMAPC_ADVICE_RANDOM), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_advise(rw, 0, ps, (mmapc_advice)-1), MMAPC_EINVAL_ARG);
    REFUSE(mmapc_discard(rw, n - ps, 2 * ps, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_discard(rw, ps + 1, ps, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_discard(rw, SIZE_MAX - ps + 1, 2 * ps, MMAPC_DISCARD_LAZY), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_residency(rw, n + ps, 0, &count, NULL), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_advise(reserved, 0, ps, MMAPC_ADVICE_DONT_DUMP), MMAPC_EINVAL_OP);
    REFUSE(mmapc_advise(reserved, 0, ps, MMAPC_ADVICE_POPULATE_READ), MMAPC_EINVAL_OP);
    REFUSE(mmapc_discard(reserved, 0, ps, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OP);
    REFUSE(mmapc_decommit(reserved), MMAPC_EINVAL_OP);
    REFUSE(mmapc_lock_on_fault(reserved), MMAPC_EINVAL_OP);
    REFUSE(mmapc_seal(reserved), MMAPC_EINVAL_OP);
    if (!sealed)
        return refused;
    REFUSE(mmapc_protect(sealed, MMAPC_PROT_READ), MMAPC_EPERM);
    REFUSE(mmapc_decommit(sealed), MMAPC_EPERM);
    REFUSE(mmapc_discard(sealed, 0, ps, MMAPC_DISCARD_ZERO), MMAPC_EPERM);
    REFUSE(mmapc_discard(sealed, 0, ps, MMAPC_DISCARD_LAZY), MMAPC_EPERM);
#undef REFUSE
    CHECK(count == 5);
    return refused;
}

/* Refusals leave the kernel's list of areas and the handles as they were; sealing shows as "sl",
 * and unmapping a sealed mapping leaves its pages. */
static void test_refusals_and_seal(void)
{
    static char before[1 << 16], after[1 << 16];
    mmapc_map *rw, *reserved, *sealed;
    REQUIRE_OK(mmapc_map_anon(&rw, 4 * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_reserve_anon(&reserved, 4 * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_map_anon(&sealed, 2 * ps, MMAPC_PROT_RW, NULL));
    memset(mmapc_ptr(rw), 0x3c, 4 * ps);
    memset(mmapc_ptr(sealed), 0x4d, 2 * ps);
    /* sealed where the kernel seals a probe page (Linux 6.10+, 64-bit), MMAPC_EUNSUPPORTED
     * where it (or an emulator, or valgrind) does not */
    int has_mseal = kernel_has_mseal();
    REQUIRE(has_mseal >= 0);
    int rc = mmapc_seal(sealed);
    if (has_mseal) {
        CHECK_OK(rc);
        CHECK(rc != 0 || smaps_has_flag(mmapc_ptr(sealed), "sl"));
    } else {
        CHECK_RC(rc, MMAPC_EUNSUPPORTED);
        CHECK(!smaps_has_flag(mmapc_ptr(sealed), "sl"));
        fprintf(stderr, "note: no mseal here: mmapc_seal() is MMAPC_EUNSUPPORTED, as documented\n");
    }
    mmapc_map *seal = rc == 0 ? sealed : NULL;
    refusals(rw, reserved, seal); /* once to warm up anything lazily initialised */
    size_t n1 = maps_snapshot(before, sizeof before);
    int refused = refusals(rw, reserved, seal);
    size_t n2 = maps_snapshot(after, sizeof after);
    CHECK(refused == (rc == 0 ? 18 : 14));
    maps_check_same(before, n1, after, n2);
    unsigned char *p = mmapc_ptr(rw);
    CHECK(p[0] == 0x3c && p[4 * ps - 1] == 0x3c && mmapc_size(rw) == 4 * ps);
    CHECK(mmapc_protection(rw) == MMAPC_PROT_RW && !mmapc_is_reserved(rw));
    CHECK(mmapc_is_reserved(reserved) && mmapc_size(reserved) == 4 * ps);
    CHECK(((unsigned char *)mmapc_ptr(sealed))[ps] == 0x4d);
    CHECK(mmapc_protection(sealed) == MMAPC_PROT_RW && !mmapc_is_reserved(sealed));
    CHECK_OK(mmapc_commit(reserved));

    if (rc == 0) {
        /* the kernel refuses to unmap sealed pages: the handle goes, the pages stay */
        volatile unsigned char *s = mmapc_ptr(sealed);
        mmapc_unmap(sealed);
        smaps_entry e;
        CHECK(smaps_find((const void *)s, &e) && smaps_has_flag((const void *)s, "sl"));
        CHECK(s[0] == 0x4d);
    } else {
        mmapc_unmap(sealed);
    }
    mmapc_unmap(rw);
    mmapc_unmap(reserved);
}

int main(void)
{
    ps = mmapc_page_size();
    if (check_under_emulator()) {
        /* qemu-user answers madvise() with success and does nothing, lacks mlock2 and mseal, and
         * its smaps describes itself: only the refusals mean something there */
        CHECK_SKIP(
            "advice, residency, lock on fault, sealing: qemu-user passes none to the kernel");
        test_refusals_and_seal();
        return check_done();
    }
    test_vmflags();
    test_residency_is_mincore();
    test_discard_rss();
    test_collapse();
    test_lock_on_fault();
    test_refusals_and_seal();
    return check_done();
}
