// SPDX-License-Identifier: MIT
/* Split at page boundaries (keeping front or back) and merge back, with every refusal leaving
 * both mappings valid and unchanged. */
#include "testutil.h"

static size_t ps;

static void fill(mmapc_map *m)
{
    unsigned char *p = mmapc_ptr(m);
    for (size_t i = 0; i < mmapc_size(m); i += 512)
        p[i] = (unsigned char)(i / 512);
}

static int intact(const unsigned char *base, size_t from, size_t to)
{
    for (size_t i = from; i < to; i += 512) {
        if (base[i] != (unsigned char)(i / 512))
            return 0;
    }
    return 1;
}

static void test_split_off_and_merge(void)
{
    mmapc_map *m = NULL, *back = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, NULL));
    fill(m);
    unsigned char *base = mmapc_ptr(m);
    REQUIRE_OK(mmapc_split_off(m, ps, &back));
    CHECK(mmapc_ptr(m) == base && mmapc_size(m) == ps);
    CHECK(mmapc_ptr(back) == base + ps && mmapc_size(back) == 3 * ps);
    CHECK(mmapc_protection(back) == MMAPC_PROT_RW);
    CHECK(intact(base, 0, 4 * ps));
    /* pieces are independent: protecting one leaves the other */
    CHECK_OK(mmapc_protect(back, MMAPC_PROT_READ));
    CHECK_RC(mmapc_merge(m, back), MMAPC_EATTR_MISMATCH);
    base[0] = 0; /* front still writable (and holds the filled value again) */
    CHECK_OK(mmapc_protect(back, MMAPC_PROT_RW));
    CHECK_OK(mmapc_merge(m, back));
    CHECK(mmapc_ptr(m) == base && mmapc_size(m) == 4 * ps);
    CHECK(intact(base, 0, 4 * ps));
    mmapc_unmap(m);
}

static void test_split_to_and_merge_either_order(void)
{
    mmapc_map *m = NULL, *front = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 3 * ps, MMAPC_PROT_RW, NULL));
    fill(m);
    unsigned char *base = mmapc_ptr(m);
    REQUIRE_OK(mmapc_split_to(m, 2 * ps, &front));
    CHECK(mmapc_ptr(front) == base && mmapc_size(front) == 2 * ps);
    CHECK(mmapc_ptr(m) == base + 2 * ps && mmapc_size(m) == ps);
    /* merge with the other one before: m grows downwards */
    CHECK_OK(mmapc_merge(m, front));
    CHECK(mmapc_ptr(m) == base && mmapc_size(m) == 3 * ps);
    CHECK(intact(base, 0, 3 * ps));
    /* freeing a piece unmaps only that piece */
    mmapc_map *tail = NULL;
    REQUIRE_OK(mmapc_split_off(m, ps, &tail));
    mmapc_unmap(tail);
    CHECK(intact(base, 0, ps));
    mmapc_unmap(m);
}

static void test_split_refused(void)
{
    mmapc_map *m = NULL, *out = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 2 * ps, MMAPC_PROT_RW, NULL));
    void *base = mmapc_ptr(m);
    CHECK_RC(mmapc_split_off(m, 0, &out), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_split_off(m, 2 * ps, &out), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_split_off(m, 3 * ps, &out), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_split_off(m, ps / 2, &out), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_split_off(m, ps + 1, &out), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_split_to(m, 0, &out), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_split_to(m, SIZE_MAX, &out), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_split_off(NULL, ps, &out), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_split_off(m, ps, NULL), MMAPC_EINVAL_ARG);
    CHECK(out == NULL);
    CHECK(mmapc_ptr(m) == base && mmapc_size(m) == 2 * ps);
    memset(base, 1, 2 * ps);
    mmapc_unmap(m);
}

/* Each refused merge: the code, and both mappings unchanged and usable. */
static void expect_refused(mmapc_map *a, mmapc_map *b, int code)
{
    void *pa = mmapc_ptr(a), *pb = mmapc_ptr(b);
    size_t sa = mmapc_size(a), sb = mmapc_size(b);
    CHECK_RC(mmapc_merge(a, b), code);
    CHECK(mmapc_ptr(a) == pa && mmapc_size(a) == sa);
    CHECK(mmapc_ptr(b) == pb && mmapc_size(b) == sb);
}

static void test_merge_refused(void)
{
    mmapc_map *a = NULL, *b = NULL, *c = NULL;
    /* not adjacent: a gap in between */
    REQUIRE_OK(mmapc_map_anon(&a, 3 * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_split_off(a, ps, &b));
    REQUIRE_OK(mmapc_split_off(b, ps, &c));
    expect_refused(a, c, MMAPC_ENOT_ADJACENT);
    expect_refused(c, a, MMAPC_ENOT_ADJACENT);
    CHECK_RC(mmapc_merge(a, a), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_merge(a, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_merge(NULL, a), MMAPC_EINVAL_ARG);
    /* different protection */
    REQUIRE_OK(mmapc_protect(b, MMAPC_PROT_READ));
    expect_refused(a, b, MMAPC_EATTR_MISMATCH);
    REQUIRE_OK(mmapc_protect(b, MMAPC_PROT_RW));
    CHECK_OK(mmapc_merge(a, b));
    CHECK_OK(mmapc_merge(a, c));
    CHECK(mmapc_size(a) == 3 * ps);
    mmapc_unmap(a);

    /* two separate allocations side by side (on the allocation granularity: Windows places
     * allocations there, and a freed piece stays its allocation's until the whole goes) */
    size_t gran = mmapc_allocation_granularity();
    unsigned char *base = tu_free_range(2 * gran);
    REQUIRE_OK(
        mmapc_reserve_anon(&a, gran, MMAPC_PROT_RW,
                           &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = base}));
    REQUIRE_OK(mmapc_reserve_anon(
        &b, gran, MMAPC_PROT_RW,
        &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = base + gran}));
    expect_refused(a, b, MMAPC_EBACKING_MISMATCH);
    mmapc_unmap(a);
    mmapc_unmap(b);

    /* different flags */
    base = tu_free_range(2 * gran);
    REQUIRE_OK(mmapc_map_anon(&a, gran, MMAPC_PROT_RW,
                              &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = base}));
    REQUIRE_OK(mmapc_map_anon(
        &b, gran, MMAPC_PROT_RW,
        &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE | MMAPC_STACK, .address = base + gran}));
    expect_refused(a, b, MMAPC_EATTR_MISMATCH);
    mmapc_unmap(a);
    mmapc_unmap(b);
}

/* File pieces merge when they are the same file at contiguous offsets, and only then. */
static void test_merge_files(void)
{
    size_t gran = mmapc_allocation_granularity();
    char p1[TU_PATH_MAX], p2[TU_PATH_MAX];
    mmapc_file f1 = tu_temp_file(NULL, 4 * gran, p1);
    mmapc_file f2 = tu_temp_file(NULL, 4 * gran, p2);
    mmapc_map *a = NULL, *b = NULL;

    REQUIRE_OK(mmapc_map_file(&a, 2 * gran, MMAPC_PROT_READ, f1, 0, NULL));
    REQUIRE_OK(mmapc_split_off(a, gran, &b));
    CHECK(mmapc_file_offset(b) == gran);
    CHECK(((unsigned char *)mmapc_ptr(b))[0] == tu_pattern(gran));
    CHECK_OK(mmapc_merge(b, a));
    CHECK(mmapc_file_offset(b) == 0 && mmapc_size(b) == 2 * gran);
    mmapc_unmap(b);

    /* separately mapped: same file but offsets not contiguous; another file; anonymous */
    unsigned char *base = tu_free_range(2 * gran);
    const mmapc_options at0 = {.flags = MMAPC_FIXED_NOREPLACE, .address = base};
    const mmapc_options at1 = {.flags = MMAPC_FIXED_NOREPLACE, .address = base + gran};
    REQUIRE_OK(mmapc_map_file(&a, gran, MMAPC_PROT_READ, f1, 0, &at0));
    REQUIRE_OK(mmapc_map_file(&b, gran, MMAPC_PROT_READ, f1, 2 * gran, &at1));
    expect_refused(a, b, MMAPC_EBACKING_MISMATCH);
    mmapc_unmap(b);
    REQUIRE_OK(mmapc_map_file(&b, gran, MMAPC_PROT_READ, f2, gran, &at1));
    expect_refused(a, b, MMAPC_EBACKING_MISMATCH);
    mmapc_unmap(b);
    REQUIRE_OK(mmapc_map_anon(&b, gran, MMAPC_PROT_READ, &at1));
    expect_refused(a, b, MMAPC_EBACKING_MISMATCH);
    expect_refused(b, a, MMAPC_EBACKING_MISMATCH);
    mmapc_unmap(b);
    /* the same file at the contiguous offset, mapped separately: one file, one range */
    REQUIRE_OK(mmapc_map_file(&b, gran, MMAPC_PROT_READ, f1, gran, &at1));
#ifdef _WIN32
    /* not on Windows: each view is unmapped as a whole, so two views stay two handles */
    expect_refused(a, b, MMAPC_EBACKING_MISMATCH);
    mmapc_unmap(b);
#else
    CHECK_OK(mmapc_merge(a, b));
    CHECK(mmapc_size(a) == 2 * gran && ((unsigned char *)mmapc_ptr(a))[gran] == tu_pattern(gran));
#endif
    mmapc_unmap(a);
    tu_close(f1);
    tu_close(f2);
    tu_remove(p1);
    tu_remove(p2);
}

/* Split and merge many times: no leak, no drift. */
static void test_many(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 8 * ps, MMAPC_PROT_RW, NULL));
    fill(m);
    for (int round = 0; round < 1000; round++) {
        mmapc_map *piece = NULL;
        size_t at = (size_t)(round % 7 + 1) * ps;
        REQUIRE_OK((round & 1) ? mmapc_split_off(m, at, &piece) : mmapc_split_to(m, at, &piece));
        REQUIRE_OK(mmapc_merge(piece, m));
        m = piece;
    }
    CHECK(mmapc_size(m) == 8 * ps);
    CHECK(intact(mmapc_ptr(m), 0, 8 * ps));
    mmapc_unmap(m);
}

int main(void)
{
    ps = mmapc_page_size();
    test_split_off_and_merge();
    test_split_to_and_merge_either_order();
    test_split_refused();
    test_merge_refused();
    test_merge_files();
    test_many();
    return check_done();
}
