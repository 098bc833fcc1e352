// SPDX-License-Identifier: MIT
/* Windows placement: exact addresses on the 64 KiB granularity, nothing replaced ever (the unsafe
 * fixed flag over a used range is MMAPC_EUNSUPPORTED), and two views never merge. */
#include "winutil.h"

static size_t gran;

static void test_exact(void)
{
    unsigned char *at = win_free_range(2 * gran);
    mmapc_map *m = NULL, *x = (mmapc_map *)(uintptr_t)1;
    mmapc_map *const sentinel = x;
    REQUIRE_OK(mmapc_map_anon(&m, gran, MMAPC_PROT_RW,
                              &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = at}));
    CHECK(mmapc_ptr(m) == at);
    memset(at, 0x3c, gran);

    /* the range is used: refused, whatever is there stays */
    CHECK_RC(mmapc_map_anon(&x, gran, MMAPC_PROT_RW,
                            &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = at}),
             MMAPC_EEXIST);
    CHECK(mmapc_last_os_error() == ERROR_INVALID_ADDRESS);
    CHECK_RC(mmapc_map_anon(&x, gran, MMAPC_PROT_RW,
                            &(mmapc_options){.unsafe_flags = MMAPC_UNSAFE_FIXED, .address = at}),
             MMAPC_EUNSUPPORTED);
    CHECK(mmapc_last_os_error() == ERROR_INVALID_ADDRESS);
    /* off the granularity: cannot be honoured */
    CHECK_RC(mmapc_map_anon(&x, gran, MMAPC_PROT_RW,
                            &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE,
                                             .address = at + gran + mmapc_page_size()}),
             MMAPC_EINVAL_ADDR);
    CHECK(x == sentinel);
    CHECK(at[0] == 0x3c && at[gran - 1] == 0x3c);

    /* a hint at a used address is only a hint */
    mmapc_map *h = NULL;
    CHECK_OK(mmapc_map_anon(&h, gran, MMAPC_PROT_RW, &(mmapc_options){.address = at}));
    CHECK(mmapc_ptr(h) != at);
    mmapc_unmap(h);
    mmapc_unmap(m);

    /* the unsafe flag over a free range places the mapping there */
    REQUIRE_OK(mmapc_map_anon(&m, gran, MMAPC_PROT_READ,
                              &(mmapc_options){.unsafe_flags = MMAPC_UNSAFE_FIXED, .address = at}));
    CHECK(mmapc_ptr(m) == at);
    mmapc_unmap(m);
}

/* Views of the same file at contiguous offsets, side by side, are still two views. */
static void test_views_do_not_merge(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 2 * gran, path);
    unsigned char *at = win_free_range(2 * gran);
    mmapc_map *a = NULL, *b = NULL;
    REQUIRE_OK(mmapc_map_file(&a, gran, MMAPC_PROT_READ, f, 0,
                              &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = at}));
    REQUIRE_OK(
        mmapc_map_file(&b, gran, MMAPC_PROT_READ, f, gran,
                       &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = at + gran}));
    CHECK(mmapc_end(a) == mmapc_start(b));
    CHECK_RC(mmapc_merge(a, b), MMAPC_EBACKING_MISMATCH);
    CHECK_RC(mmapc_merge(b, a), MMAPC_EBACKING_MISMATCH);
    CHECK(((unsigned char *)mmapc_ptr(a))[1] == tu_pattern(1));
    CHECK(((unsigned char *)mmapc_ptr(b))[1] == tu_pattern(gran + 1));
    mmapc_unmap(a);
    mmapc_unmap(b);
    CHECK(win_query(at).State == MEM_FREE && win_query(at + gran).State == MEM_FREE);
    tu_close(f);
    tu_remove(path);
}

int main(void)
{
    gran = mmapc_allocation_granularity();
    test_exact();
    test_views_do_not_merge();
    return check_done();
}
