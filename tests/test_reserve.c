// SPDX-License-Identifier: MIT
/* Reserve, then commit: inaccessible until committed, committed piece by piece after a split,
 * and the operations that need committed memory refuse a reservation. */
#include "testutil.h"

static size_t ps;

static void touch_reserved(void)
{
    mmapc_map *m = NULL;
    if (mmapc_reserve_anon(&m, 4 * mmapc_page_size(), MMAPC_PROT_RW, NULL) != 0)
        exit(2);
    *(volatile char *)mmapc_ptr(m) = 1;
}

/* The piece of a large reservation that was not committed stays inaccessible. */
static void touch_uncommitted_piece(void)
{
    size_t page = mmapc_page_size();
    mmapc_map *m = NULL, *back = NULL;
    if (mmapc_reserve_anon(&m, 4 * page, MMAPC_PROT_RW, NULL) != 0 ||
        mmapc_split_off(m, page, &back) != 0 || mmapc_commit(m) != 0)
        exit(2);
    *(volatile char *)mmapc_ptr(m) = 1; /* committed: fine */
    *(volatile char *)mmapc_ptr(back) = 1;
}

static const check_fault_case faults[] = {
    {"touch_reserved", touch_reserved},
    {"touch_uncommitted_piece", touch_uncommitted_piece},
    {NULL, NULL},
};

static void test_reserve_commit(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_reserve_anon(&m, 16 * ps, MMAPC_PROT_RW, NULL));
    CHECK(mmapc_is_reserved(m));
    CHECK(mmapc_size(m) == 16 * ps);
    CHECK(mmapc_protection(m) == MMAPC_PROT_RW);
    CHECK_RC(mmapc_flush(m, 0, ps), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_flush_async(m, 0, ps), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_lock(m), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_unlock(m), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_protect(m, MMAPC_PROT_READ), MMAPC_EINVAL_OP);
    CHECK(mmapc_is_reserved(m));
    void *before = mmapc_ptr(m);
    CHECK_OK(mmapc_commit(m));
    CHECK(!mmapc_is_reserved(m));
    CHECK(mmapc_ptr(m) == before);
    CHECK_RC(mmapc_commit(m), MMAPC_EINVAL_OP);
    unsigned char *p = mmapc_ptr(m);
    p[0] = 1;
    p[16 * ps - 1] = 2;
    CHECK(p[0] == 1 && p[16 * ps - 1] == 2);
    CHECK_OK(mmapc_flush(m, 0, ps));
    mmapc_unmap(m);
    CHECK_RC(mmapc_commit(NULL), MMAPC_EINVAL_ARG);
}

/* Reserve a large range, split off a piece, commit only that piece. */
static void test_commit_piece(void)
{
    mmapc_map *all = NULL, *rest = NULL;
    /* 1 GiB of address space on 64-bit targets, 64 MiB on 32-bit: no memory is charged */
    size_t big = sizeof(void *) == 8 ? (size_t)1 << 30 : (size_t)64 << 20;
    REQUIRE_OK(mmapc_reserve_anon(&all, big, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_split_off(all, 4 * ps, &rest));
    CHECK(mmapc_is_reserved(all) && mmapc_is_reserved(rest));
    CHECK_OK(mmapc_commit(all));
    memset(mmapc_ptr(all), 0x5a, 4 * ps);
    CHECK(((unsigned char *)mmapc_ptr(all))[4 * ps - 1] == 0x5a);
    /* a committed and a reserved piece do not merge */
    CHECK_RC(mmapc_merge(all, rest), MMAPC_EATTR_MISMATCH);
    /* grow the committed part by committing the next piece and merging it in */
    mmapc_map *next = NULL;
    REQUIRE_OK(mmapc_split_to(rest, 4 * ps, &next));
    CHECK_OK(mmapc_commit(next));
    CHECK_OK(mmapc_merge(all, next));
    CHECK(mmapc_size(all) == 8 * ps);
    memset(mmapc_ptr(all), 0x11, 8 * ps);
    CHECK(mmapc_end(all) == mmapc_start(rest));
    mmapc_unmap(all);
    mmapc_unmap(rest);
}

/* Reserved file mappings: checked at reserve time, mapped at commit. */
static void test_reserve_file(void)
{
    char path[TU_PATH_MAX];
    size_t gran = mmapc_allocation_granularity();
    mmapc_file f = tu_temp_file(NULL, 2 * gran, path);
    int files_before = tu_open_files();
    mmapc_map *m = NULL;
    CHECK_RC(mmapc_reserve_file(&m, 3 * gran, MMAPC_PROT_READ, f, 0, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_reserve_file(&m, 2 * gran, MMAPC_PROT_READ, f, 1, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_reserve_file(&m, 1, MMAPC_PROT_READ, f, 2 * gran + 1, NULL),
             MMAPC_EINVAL_OFFSET);
    CHECK(m == NULL);
    CHECK(tu_open_files() == files_before);
    REQUIRE_OK(mmapc_reserve_file(&m, gran, MMAPC_PROT_RW, f, gran,
                                  &(mmapc_options){.flags = MMAPC_SHARED}));
    tu_close(f); /* the reservation keeps its own duplicate */
    CHECK(mmapc_is_reserved(m) && mmapc_is_file(m));
    CHECK_OK(mmapc_commit(m));
    unsigned char *p = mmapc_ptr(m);
    CHECK(p[0] == tu_pattern(gran));
    p[1] = 0xfe;
    CHECK_OK(mmapc_flush(m, 0, 2));
    unsigned char got;
    tu_read(path, gran + 1, &got, 1);
    CHECK(got == 0xfe);
    mmapc_unmap(m);
    CHECK(tu_open_files() == files_before - 1);
    tu_remove(path);

    /* a file whose size is not a page multiple: its last, partial page commits */
    f = tu_temp_file(NULL, gran + 100, path);
    REQUIRE_OK(mmapc_reserve_file(&m, gran + 100, MMAPC_PROT_READ, f, 0, NULL));
    CHECK_OK(mmapc_commit(m));
    CHECK(((unsigned char *)mmapc_ptr(m))[gran + 99] == tu_pattern(gran + 99));
    mmapc_unmap(m);
#ifndef _WIN32 /* Windows refuses to shrink a file that a section holds */
    /* a file that shrank under its reservation is refused at commit, which leaves it reserved;
     * grown back, it commits */
    REQUIRE_OK(mmapc_reserve_file(&m, gran + 100, MMAPC_PROT_READ, f, 0, NULL));
    tu_truncate(f, gran / 2);
    CHECK_RC(mmapc_commit(m), MMAPC_EINVAL_SIZE);
    CHECK(mmapc_is_reserved(m));
    /* the reservation's size is exact: a file that lost a byte of it is refused too, though
     * the bytes still lie in the file's last page */
    tu_truncate(f, gran + 99);
    CHECK_RC(mmapc_commit(m), MMAPC_EINVAL_SIZE);
    CHECK(mmapc_is_reserved(m) && mmapc_size(m) == gran + 100);
    tu_truncate(f, gran + 100);
    CHECK_OK(mmapc_commit(m));
    CHECK(!mmapc_is_reserved(m));
    mmapc_unmap(m);
#endif
    tu_close(f);
    tu_remove(path);
}

static void test_bad_input(void)
{
    mmapc_map *m = NULL;
    CHECK_RC(mmapc_reserve_anon(&m, 0, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_reserve_anon(&m, SIZE_MAX, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_reserve_anon(&m, ps, MMAPC_PROT_RWX, NULL), MMAPC_EUNSAFE_FLAG);
    CHECK_RC(mmapc_reserve_anon(NULL, ps, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_ARG);
    CHECK(m == NULL);
}

int main(int argc, char **argv)
{
    check_fault_main(argc, argv, faults);
    ps = mmapc_page_size();
    check_all_faults(faults);
    test_reserve_commit();
    test_commit_piece();
    test_reserve_file();
    test_bad_input();
    return check_done();
}
