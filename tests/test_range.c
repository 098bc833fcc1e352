// SPDX-License-Identifier: MIT
/* Ranges on every platform: checked ranges, discard, decommit and commit again, aligned
 * mappings, residency, and the refusals of a sealed or reserved mapping. */
#include "platform.h"
#include "testutil.h"

#include <stdint.h>

#ifdef __linux__
#include "linux/smaps.h"
#endif

static size_t ps;

static int all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

/* Every call refuses a range past the end, an overflowing or reversed one, and a NULL map. */
static void test_bounds(void)
{
    mmapc_map *m;
    size_t count = 7;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, NULL));
    size_t n = mmapc_size(m);
    CHECK_RC(mmapc_advise(m, n + 1, 0, MMAPC_ADVICE_NORMAL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_advise(m, 0, n + 1, MMAPC_ADVICE_NORMAL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_advise(m, ps, n, MMAPC_ADVICE_NORMAL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_advise(m, 1, SIZE_MAX, MMAPC_ADVICE_NORMAL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_advise(m, SIZE_MAX, 2, MMAPC_ADVICE_NORMAL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_advise(m, 0, ps, (mmapc_advice)99), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_advise(NULL, 0, ps, MMAPC_ADVICE_NORMAL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_discard(m, n - ps, 2 * ps, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_discard(m, ps, SIZE_MAX - ps + 1, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_discard(m, 1, ps, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_discard(m, 0, ps + 1, MMAPC_DISCARD_LAZY), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_discard(m, 0, ps, (mmapc_discard_mode)5), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_residency(m, n, 1, &count, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_residency(m, 0, ps, NULL, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_residency(NULL, 0, ps, &count, NULL), MMAPC_EINVAL_ARG);
    CHECK(count == 7); /* written only on success */
    CHECK_RC(mmapc_decommit(NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_seal(NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_lock_on_fault(NULL), MMAPC_EINVAL_ARG);
    CHECK(mmapc_is_sealed(NULL) == 0 && mmapc_is_sealed(m) == 0);
    /* empty ranges, at the end too, are no-ops */
    CHECK_OK(mmapc_advise(m, n, 0, MMAPC_ADVICE_WILL_NEED));
    CHECK_OK(mmapc_discard(m, n, 0, MMAPC_DISCARD_ZERO));
    CHECK_OK(mmapc_residency(m, n, 0, &count, NULL));
    CHECK(count == 0);
    /* an empty range writes no byte of the vector, even where its offset is inside a page */
    unsigned char untouched[1] = {0xAA};
    count = 7;
    CHECK_OK(mmapc_residency(m, 1, 0, &count, untouched));
    CHECK(count == 0 && untouched[0] == 0xAA);
    /* populate needs the access it asks for */
    mmapc_map *ro;
    REQUIRE_OK(mmapc_map_anon(&ro, ps, MMAPC_PROT_READ, NULL));
    CHECK_RC(mmapc_advise(ro, 0, ps, MMAPC_ADVICE_POPULATE_WRITE), MMAPC_EACCES);
    CHECK_OK(mmapc_advise(ro, 0, ps, MMAPC_ADVICE_POPULATE_READ));
    mmapc_unmap(ro);
    mmapc_unmap(m);
}

/* A reservation refuses what needs committed memory; a file or shared mapping refuses what
 * would lose its pages to something else than zeros. */
static void test_states(void)
{
    mmapc_map *r, *s, *f;
    size_t count = 7;
    unsigned char vec[4] = {9, 9, 9, 9};
    REQUIRE_OK(mmapc_reserve_anon(&r, 4 * ps, MMAPC_PROT_RW, NULL));
    CHECK_RC(mmapc_advise(r, 0, ps, MMAPC_ADVICE_WILL_NEED), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_discard(r, 0, ps, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_decommit(r), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_lock_on_fault(r), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_seal(r), MMAPC_EINVAL_OP);
    CHECK_OK(mmapc_residency(r, 0, 4 * ps, &count, vec));
    CHECK(count == 0 && all_bytes(vec, 4, 0));
    CHECK(mmapc_is_reserved(r));
    mmapc_unmap(r);

    REQUIRE_OK(mmapc_map_anon(&s, ps, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_SHARED}));
    CHECK_RC(mmapc_discard(s, 0, ps, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OP);
    CHECK_OK(mmapc_advise(s, 0, ps, MMAPC_ADVICE_WILL_NEED));
    mmapc_unmap(s);

    char path[TU_PATH_MAX];
    size_t gran = mmapc_allocation_granularity();
    mmapc_file file = tu_temp_file(NULL, gran, path);
    REQUIRE_OK(mmapc_map_file(&f, gran, MMAPC_PROT_READ, file, 0, NULL));
    CHECK_RC(mmapc_discard(f, 0, ps, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_discard(f, 0, ps, MMAPC_DISCARD_LAZY), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_decommit(f), MMAPC_EINVAL_OP);
    CHECK_OK(mmapc_advise(f, 0, gran, MMAPC_ADVICE_POPULATE_READ));
    CHECK_OK(mmapc_residency(f, 0, gran, &count, NULL));
    CHECK(count == gran / ps);
    CHECK(((unsigned char *)mmapc_ptr(f))[3] == tu_pattern(3));
    mmapc_unmap(f);
    tu_close(file);
    tu_remove(path);
}

/* Discard to zero reads back zeros in the range and nothing else changes; lazy discard leaves
 * pages that read what is written next. */
static void test_discard(void)
{
    mmapc_map *m;
    REQUIRE_OK(mmapc_map_anon(&m, 8 * ps, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    memset(p, 0xa5, 8 * ps);
    CHECK_OK(mmapc_discard(m, 2 * ps, 3 * ps, MMAPC_DISCARD_ZERO));
    CHECK(all_bytes(p, 2 * ps, 0xa5));
    CHECK(all_bytes(p + 2 * ps, 3 * ps, 0));
    CHECK(all_bytes(p + 5 * ps, 3 * ps, 0xa5));
    CHECK_OK(mmapc_discard(m, 6 * ps, 2 * ps, MMAPC_DISCARD_LAZY));
    CHECK(all_bytes(p, 2 * ps, 0xa5) && all_bytes(p + 5 * ps, ps, 0xa5));
    memset(p + 6 * ps, 0x17, 2 * ps);
    CHECK(all_bytes(p + 6 * ps, 2 * ps, 0x17));
    mmapc_unmap(m);
}

/* Fault cases: touch a piece that was decommitted. */
static void fault_decommitted(void)
{
    mmapc_map *m;
    /* on Windows this runs in a child started afresh, before main sets ps */
    REQUIRE_OK(mmapc_map_anon(&m, mmapc_page_size(), MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_decommit(m));
    *(volatile char *)mmapc_ptr(m) = 1;
}

static const check_fault_case faults[] = {
    {"decommitted", fault_decommitted},
    {NULL, NULL},
};

#ifdef __linux__
/* What the kernel says of a piece just decommitted (at p) or committed and written: no pages and
 * no commit charge ("ac") once decommitted, and a fault when touched; charged when committed. */
static volatile char *fault_at;
static void fault_piece(void)
{
    *fault_at = 1;
}

static void check_kernel_view(void *p, int committed)
{
    static int told;
    if (check_under_emulator()) { /* its smaps describes the emulator, not the program */
        if (!told++)
            CHECK_SKIP("the kernel's view of decommitted pieces: qemu-user's smaps is its own");
        return;
    }
    smaps_entry e;
    CHECK(smaps_find(p, &e));
    CHECK(smaps_has_flag(p, "ac") == committed);
    if (committed) {
        CHECK(e.rss_kb > 0);
        return;
    }
    CHECK(e.rss_kb == 0);
    fault_at = p;
    check_fault_case c[] = {{"decommitted piece", fault_piece}, {NULL, NULL}};
    check_all_faults(c);
}
#else
static void check_kernel_view(void *p, int committed)
{
    (void)p;
    (void)committed; /* the portable checks (zeros, faults) stand for it */
}
#endif

/* Decommit pieces of one 1 GiB reservation (256 MiB on 32-bit systems) and commit them again,
 * 10,000 times: a decommitted piece is reserved, faults, and comes back zero-filled; the data of
 * the other pieces stays. Each piece holds its number in its first and last bytes. */
static void test_decommit_cycles(void)
{
    size_t piece = 64 * 1024; /* a multiple of the page and of the Windows granularity */
    size_t total = sizeof(void *) == 8 ? (size_t)1 << 30 : (size_t)256 << 20;
    size_t npieces = total / piece;
    mmapc_map *whole, **pieces = calloc(npieces, sizeof *pieces);
    REQUIRE(pieces != NULL);
    REQUIRE_OK(mmapc_reserve_anon(&whole, total, MMAPC_PROT_RW, NULL));
    for (size_t i = npieces - 1; i > 0; i--)
        REQUIRE_OK(mmapc_split_off(whole, i * piece, &pieces[i]));
    pieces[0] = whole;

    REQUIRE_OK(mmapc_commit(pieces[5]));
    ((unsigned char *)mmapc_ptr(pieces[5]))[0] = 1;
    CHECK_OK(mmapc_decommit(pieces[5]));
    CHECK(mmapc_is_reserved(pieces[5]));
    CHECK_RC(mmapc_decommit(pieces[5]), MMAPC_EINVAL_OP);
    check_all_faults(faults);

    uint32_t x = 12345;
    int bad = 0, decommits = 0;
    for (int cycle = 0; cycle < 10000; cycle++) {
        x = x * 1103515245u + 12345u;
        size_t i = (x >> 4) % npieces;
        uint32_t *p = mmapc_ptr(pieces[i]);
        uint32_t *last = (uint32_t *)((char *)p + piece) - 1;
        if (mmapc_is_reserved(pieces[i])) {
            if (mmapc_commit(pieces[i]) != 0 || *p != 0 || *last != 0)
                bad++;
            *p = *last = (uint32_t)i;
        } else {
            bad += *p != i || *last != i;
            bad += mmapc_decommit(pieces[i]) != 0;
            decommits++;
        }
        if (cycle % 1000 == 999) /* the kernel's view, now and then (smaps is slow to read) */
            check_kernel_view(p, !mmapc_is_reserved(pieces[i]));
    }
    CHECK(bad == 0);
    CHECK(decommits > 100);
    size_t committed = 0;
    for (size_t i = 0; i < npieces; i++) {
        if (mmapc_is_reserved(pieces[i]))
            continue;
        uint32_t *p = mmapc_ptr(pieces[i]);
        bad += *p != i || *((uint32_t *)((char *)p + piece) - 1) != i;
        committed++;
    }
    CHECK(bad == 0 && committed > 100);
    /* decommitted pieces merge with reserved ones, committed with committed */
    for (size_t i = 1; i < 4; i++) {
        if (!mmapc_is_reserved(pieces[i]))
            REQUIRE_OK(mmapc_decommit(pieces[i]));
    }
    CHECK_OK(mmapc_merge(pieces[1], pieces[2]));
    CHECK_OK(mmapc_merge(pieces[1], pieces[3]));
    CHECK(mmapc_size(pieces[1]) == 3 * piece);
    CHECK_OK(mmapc_commit(pieces[1]));
    CHECK(((uint32_t *)mmapc_ptr(pieces[1]))[0] == 0);
    if (mmapc_is_reserved(pieces[0]))
        CHECK_OK(mmapc_commit(pieces[0]));
    CHECK_OK(mmapc_merge(pieces[0], pieces[1]));
    mmapc_unmap(pieces[0]);
    for (size_t i = 4; i < npieces; i++)
        mmapc_unmap(pieces[i]);
    free(pieces);
}

/* Aligned mappings and reservations start on their alignment and work as any other. */
static void test_alignment(void)
{
    static const size_t aligns[] = {(size_t)2 << 20, sizeof(void *) == 8 ? (size_t)1 << 30 : 0};
    for (size_t k = 0; k < 2 && aligns[k]; k++) {
        size_t a = aligns[k];
        for (int reserve = 0; reserve < 2; reserve++) {
            mmapc_map *m;
            mmapc_options o = {.alignment = a};
            int rc = reserve ? mmapc_reserve_anon(&m, 3 * ps, MMAPC_PROT_RW, &o)
                             : mmapc_map_anon(&m, 3 * ps, MMAPC_PROT_RW, &o);
            CHECK_OK(rc);
            if (rc)
                continue;
            CHECK((mmapc_start(m) & (a - 1)) == 0);
            CHECK(mmapc_size(m) == 3 * ps);
            if (reserve)
                CHECK_OK(mmapc_commit(m));
            memset(mmapc_ptr(m), 0x5a, 3 * ps);
            mmapc_unmap(m);
        }
    }
    /* a mapping larger than its alignment, and many in a row (none may overlap) */
    mmapc_map *ms[8];
    for (int i = 0; i < 8; i++) {
        REQUIRE_OK(mmapc_map_anon(&ms[i], (size_t)3 << 20, MMAPC_PROT_RW,
                                  &(mmapc_options){.alignment = (size_t)2 << 20}));
        CHECK((mmapc_start(ms[i]) & (((size_t)2 << 20) - 1)) == 0);
        memset(mmapc_ptr(ms[i]), i, (size_t)3 << 20);
    }
    for (int i = 0; i < 8; i++) {
        unsigned char *p = mmapc_ptr(ms[i]);
        CHECK(p[0] == i && p[((size_t)3 << 20) - 1] == i);
        mmapc_unmap(ms[i]);
    }
    /* a file mapping aligned too */
    char path[TU_PATH_MAX];
    size_t gran = mmapc_allocation_granularity();
    mmapc_file file = tu_temp_file(NULL, gran, path);
    mmapc_map *f;
    CHECK_OK(mmapc_map_file(&f, gran, MMAPC_PROT_READ, file, 0,
                            &(mmapc_options){.alignment = (size_t)2 << 20}));
    CHECK((mmapc_start(f) & (((size_t)2 << 20) - 1)) == 0);
    CHECK(((unsigned char *)mmapc_ptr(f))[gran - 1] == tu_pattern(gran - 1));
    mmapc_unmap(f);
    tu_close(file);
    tu_remove(path);

    mmapc_map *m = NULL;
    CHECK_RC(mmapc_map_anon(&m, ps, MMAPC_PROT_RW, &(mmapc_options){.alignment = 3 * ps}),
             MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, ps, MMAPC_PROT_RW, &(mmapc_options){.alignment = ps / 2}),
             MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, ps, MMAPC_PROT_RW,
                            &(mmapc_options){.alignment = (size_t)2 << 20,
                                             .address = (void *)(uintptr_t)(1u << 20)}),
             MMAPC_EINVAL_ADDR);
    CHECK_RC(mmapc_map_anon(&m, SIZE_MAX - 4 * ps, MMAPC_PROT_RW,
                            &(mmapc_options){.alignment = (size_t)2 << 20}),
             MMAPC_ENOMEM);
    CHECK(m == NULL);
}

/* Residency follows what was touched, and populate makes every page resident. */
static void test_residency(void)
{
    mmapc_map *m;
    unsigned char vec[16];
    size_t count = 99;
    REQUIRE_OK(mmapc_map_anon(&m, 16 * ps, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    CHECK_OK(mmapc_residency(m, 0, 16 * ps, &count, vec));
    CHECK(count == 0 && all_bytes(vec, 16, 0));
    p[0] = 1;
    p[3 * ps + 7] = 1;
    p[9 * ps] = 1;
    CHECK_OK(mmapc_residency(m, 0, 16 * ps, &count, vec));
    CHECK(count == 3 && vec[0] == 1 && vec[3] == 1 && vec[9] == 1 && vec[1] == 0);
    /* rounded out: bytes 1..(ps + 1) are pages 0 and 1 */
    memset(vec, 9, sizeof vec);
    CHECK_OK(mmapc_residency(m, 1, ps, &count, vec));
    CHECK(count == 1 && vec[0] == 1 && vec[1] == 0 && vec[2] == 9);
    CHECK_OK(mmapc_residency(m, 3 * ps, 7 * ps, &count, NULL));
    CHECK(count == 2);
    CHECK_OK(mmapc_advise(m, 4 * ps, 4 * ps, MMAPC_ADVICE_POPULATE_WRITE));
    CHECK_OK(mmapc_residency(m, 0, 16 * ps, &count, NULL));
    /* qemu-user answers madvise() with success and does nothing */
    int populates = !check_under_emulator();
    if (!populates)
        CHECK_SKIP("populate: qemu-user does not pass madvise() to the kernel");
    CHECK(count == 7 || !populates);
    CHECK_OK(mmapc_advise(m, 0, 16 * ps, MMAPC_ADVICE_POPULATE_READ));
    CHECK_OK(mmapc_residency(m, 0, 16 * ps, &count, vec));
    CHECK((count == 16 && all_bytes(vec, 16, 1)) || !populates);
    CHECK(p[0] == 1 && p[3 * ps + 7] == 1 && p[5 * ps] == 0);
    CHECK_OK(mmapc_discard(m, 0, 16 * ps, MMAPC_DISCARD_ZERO));
    CHECK_OK(mmapc_residency(m, 0, 16 * ps, &count, NULL));
    CHECK(count == 0);
    CHECK(p[0] == 0);
    mmapc_unmap(m);
}

/* Sealing: where the kernel has it, a sealed mapping refuses what would change its pages; where
 * the platform promises none (tests/platform.h), MMAPC_EUNSUPPORTED, and nothing is sealed. */
static void test_seal(void)
{
    mmapc_map *m, *tail;
    REQUIRE_OK(mmapc_map_anon(&m, 3 * ps, MMAPC_PROT_RW, NULL));
    memset(mmapc_ptr(m), 0x42, 3 * ps);
    REQUIRE_OK(mmapc_split_off(m, 2 * ps, &tail));
    int rc = mmapc_seal(m);
    if (PLATFORM_SEAL == PROMISE_NO)
        CHECK_RC(rc, MMAPC_EUNSUPPORTED);
    if (rc == MMAPC_EUNSUPPORTED) {
        if (PLATFORM_SEAL == PROMISE_MAYBE)
            CHECK_SKIP("no sealing here (an older or 32-bit kernel, or an emulator)");
        CHECK(!mmapc_is_sealed(m));
        CHECK_OK(mmapc_protect(m, MMAPC_PROT_READ));
        mmapc_unmap(tail);
        mmapc_unmap(m);
        return;
    }
    CHECK_OK(rc);
    CHECK(mmapc_is_sealed(m) && !mmapc_is_sealed(tail));
    CHECK_OK(mmapc_seal(m));
    CHECK_RC(mmapc_protect(m, MMAPC_PROT_READ), MMAPC_EPERM);
    CHECK_RC(mmapc_protect_no_flush(m, MMAPC_PROT_READ), MMAPC_EPERM);
    CHECK_RC(mmapc_decommit(m), MMAPC_EPERM);
    CHECK_RC(mmapc_discard(m, 0, ps, MMAPC_DISCARD_ZERO), MMAPC_EPERM);
    CHECK_RC(mmapc_discard(m, 0, ps, MMAPC_DISCARD_LAZY), MMAPC_EPERM);
    CHECK(mmapc_protection(m) == MMAPC_PROT_RW && !mmapc_is_reserved(m));
    CHECK(all_bytes(mmapc_ptr(m), 3 * ps, 0x42));
    CHECK_OK(mmapc_advise(m, 0, ps, MMAPC_ADVICE_WILL_NEED));
    /* a sealed piece merges with sealed pieces only */
    CHECK_RC(mmapc_merge(m, tail), MMAPC_EATTR_MISMATCH);
    mmapc_map *back;
    CHECK_OK(mmapc_split_off(m, ps, &back));
    CHECK(mmapc_is_sealed(back));
    CHECK_OK(mmapc_merge(m, back));
    CHECK_OK(mmapc_protect(tail, MMAPC_PROT_READ)); /* the piece that was not sealed */
    mmapc_unmap(tail);
    mmapc_unmap(m); /* frees the handle; the pages stay */
}

int main(int argc, char **argv)
{
    check_fault_main(argc, argv, faults);
    ps = mmapc_page_size();
    test_bounds();
    test_states();
    test_discard();
    test_decommit_cycles();
    test_alignment();
    test_residency();
    test_seal();
    return check_done();
}
