// SPDX-License-Identifier: MIT
/* Anonymous mappings: creation, content, accessors, rounding and option checks. */
#include "check.h"

#include <stdint.h>

static void test_basic(void)
{
    size_t ps = mmapc_page_size();
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 3 * ps, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    CHECK(p != NULL);
    CHECK(mmapc_size(m) == 3 * ps);
    CHECK(mmapc_start(m) == (uintptr_t)p);
    CHECK(mmapc_end(m) == (uintptr_t)p + 3 * ps);
    CHECK(mmapc_protection(m) == MMAPC_PROT_RW);
    CHECK(!mmapc_is_reserved(m));
    CHECK(!mmapc_is_file(m));
    CHECK(mmapc_map_page_size(m) == ps);
    CHECK((uintptr_t)p % ps == 0);
    int zero = 1;
    for (size_t i = 0; i < 3 * ps; i++)
        zero &= p[i] == 0;
    CHECK(zero);
    memset(p, 0xab, 3 * ps);
    CHECK(p[3 * ps - 1] == 0xab);
    mmapc_unmap(m);
}

static void test_rounding(void)
{
    size_t ps = mmapc_page_size();
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 1, MMAPC_PROT_READ, NULL));
    CHECK(mmapc_size(m) == ps);
    mmapc_unmap(m);
    REQUIRE_OK(mmapc_map_anon(&m, ps + 1, MMAPC_PROT_READ, NULL));
    CHECK(mmapc_size(m) == 2 * ps);
    mmapc_unmap(m);
}

static void test_bad_input(void)
{
    mmapc_map *m = (mmapc_map *)(uintptr_t)0x1; /* must stay untouched on failure */
    mmapc_map *const sentinel = m;
    CHECK_RC(mmapc_map_anon(&m, 0, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_anon(&m, SIZE_MAX, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_anon(&m, SIZE_MAX - mmapc_page_size() + 2, MMAPC_PROT_RW, NULL),
             MMAPC_EINVAL_SIZE);
    /* rounds fine but no address space is that large: the OS refuses (ENOMEM; valgrind's
     * mmap says EINVAL), with its raw error kept */
    int rc = mmapc_map_anon(&m, SIZE_MAX - 2 * mmapc_page_size(), MMAPC_PROT_RW, NULL);
    CHECK(rc == MMAPC_ENOMEM || rc == MMAPC_EOS);
    CHECK(mmapc_last_os_error() != 0);
    CHECK_RC(mmapc_map_anon(NULL, 4096, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_WRITE, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, 4096, (mmapc_prot)(MMAPC_PROT_WRITE | MMAPC_PROT_EXEC), NULL),
             MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, 4096, (mmapc_prot)8, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RWX, NULL), MMAPC_EUNSAFE_FLAG);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW, &(mmapc_options){.flags = 1u << 20}),
             MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW, &(mmapc_options){.unsafe_flags = 1u}),
             MMAPC_EINVAL_ARG);
    /* an unsafe flag smuggled into the safe flags */
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_UNSAFE_FIXED}),
             MMAPC_EUNSAFE_FLAG);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW,
                            &(mmapc_options){.flags = MMAPC_SEQUENTIAL | MMAPC_RANDOM_ACCESS}),
             MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW, &(mmapc_options){.page_size = 4096}),
             MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW,
                            &(mmapc_options){.flags = MMAPC_HUGE_PAGES, .page_size = 3 << 20}),
             MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW,
                            &(mmapc_options){.flags = MMAPC_HUGE_PAGES, .page_size = 1u << 14}),
             MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW, &(mmapc_options){.address = (void *)0x1001}),
             MMAPC_EINVAL_ADDR);
    CHECK_RC(
        mmapc_map_anon(&m, 4096, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE}),
        MMAPC_EINVAL_ADDR);
    CHECK_RC(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW,
                            &(mmapc_options){.unsafe_flags = MMAPC_UNSAFE_FIXED}),
             MMAPC_EINVAL_ADDR);
    CHECK(m == sentinel);
    CHECK(mmapc_last_os_error() == 0);
}

static void test_every_protection(void)
{
    static const mmapc_prot prots[] = {MMAPC_PROT_NONE, MMAPC_PROT_READ, MMAPC_PROT_RW,
                                       MMAPC_PROT_RX};
    for (size_t i = 0; i < sizeof prots / sizeof prots[0]; i++) {
        mmapc_map *m = NULL;
        CHECK_OK(mmapc_map_anon(&m, 4096, prots[i], NULL));
        CHECK(mmapc_protection(m) == prots[i]);
        mmapc_unmap(m);
    }
    mmapc_map *m = NULL;
    CHECK_OK(mmapc_map_anon(&m, 4096, MMAPC_PROT_RWX,
                            &(mmapc_options){.unsafe_flags = MMAPC_UNSAFE_JIT}));
    CHECK(mmapc_protection(m) == MMAPC_PROT_RWX);
    mmapc_unmap(m);
}

int main(void)
{
    test_basic();
    test_rounding();
    test_bad_input();
    test_every_protection();
    mmapc_unmap(NULL);
    return check_done();
}
