// SPDX-License-Identifier: MIT
/* Ranges of a hugetlb mapping: residency counts whole huge pages, discard and decommit work on
 * huge page boundaries only and give the huge pages back to the pool. 2 MiB pages are reserved
 * for the test (as root) and the pool is put back afterwards. */
#include "check.h"
#include "sysfs.h"

#define HUGE ((size_t)2 << 20)
#define POOL "/sys/kernel/mm/hugepages/hugepages-2048kB/"

static void test_huge(void)
{
    mmapc_map *m, *back;
    const mmapc_options o = {.flags = MMAPC_HUGE_PAGES, .page_size = HUGE};
    REQUIRE_OK(mmapc_map_anon(&m, 3 * HUGE, MMAPC_PROT_RW, &o));
    unsigned char *p = mmapc_ptr(m);
    unsigned char vec[3] = {9, 9, 9};
    size_t count = 99;
    CHECK_OK(mmapc_residency(m, 0, 3 * HUGE, &count, vec));
    CHECK(count == 0 && vec[0] == 0 && vec[2] == 0);
    p[0] = 1;
    p[2 * HUGE + 5] = 2;
    CHECK_OK(mmapc_residency(m, 0, 3 * HUGE, &count, vec));
    CHECK(count == 2 && vec[0] == 1 && vec[1] == 0 && vec[2] == 1);
    /* one byte of the last huge page is the whole page */
    memset(vec, 9, sizeof vec);
    CHECK_OK(mmapc_residency(m, 2 * HUGE + 7, 1, &count, vec));
    CHECK(count == 1 && vec[0] == 1 && vec[1] == 9);

    /* discard: huge page boundaries only, and the page goes back to the pool */
    long free_before = read_long(POOL "free_hugepages");
    CHECK_RC(mmapc_discard(m, 0, mmapc_page_size(), MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OFFSET);
    CHECK(p[0] == 1);
    CHECK_OK(mmapc_discard(m, 0, HUGE, MMAPC_DISCARD_ZERO));
    CHECK(read_long(POOL "free_hugepages") == free_before + 1);
    CHECK(p[0] == 0 && p[2 * HUGE + 5] == 2);
    p[0] = 3;
    CHECK_OK(mmapc_discard(m, 0, HUGE, MMAPC_DISCARD_LAZY)); /* hugetlb has no MADV_FREE */
    CHECK(p[0] == 0);

    /* decommit a huge piece and commit it again */
    CHECK_OK(mmapc_split_off(m, 2 * HUGE, &back));
    free_before = read_long(POOL "free_hugepages");
    CHECK_OK(mmapc_decommit(back));
    CHECK(mmapc_is_reserved(back));
    CHECK(read_long(POOL "free_hugepages") == free_before + 1);
    CHECK_OK(mmapc_residency(back, 0, HUGE, &count, NULL));
    CHECK(count == 0);
    CHECK_OK(mmapc_commit(back));
    unsigned char *q = mmapc_ptr(back);
    CHECK(q[5] == 0);
    q[5] = 4;
    CHECK_OK(mmapc_merge(m, back));
    CHECK(mmapc_map_page_size(m) == HUGE && p[2 * HUGE + 5] == 4);
    mmapc_unmap(m);
}

int main(void)
{
    if (mmapc_default_huge_page_size() != HUGE || check_under_emulator()) {
        fprintf(stderr, "skipped: no 2 MiB hugetlb pages here (or an emulator refuses them)\n");
        return CHECK_SKIP_CODE;
    }
    long old = read_long(POOL "nr_hugepages");
    int grew = 0;
    if (read_long(POOL "free_hugepages") < 3) {
        grew = write_long(POOL "nr_hugepages", old + 3) == 0;
        if (!grew || read_long(POOL "free_hugepages") < 3) {
            if (grew)
                write_long(POOL "nr_hugepages", old);
            fprintf(stderr, "skipped: fewer than 3 free 2 MiB huge pages, and the pool cannot "
                            "grow (a write to sysfs, as the real root)\n");
            return CHECK_SKIP_CODE;
        }
    }
    test_huge();
    if (grew)
        CHECK(write_long(POOL "nr_hugepages", old) == 0 && read_long(POOL "nr_hugepages") == old);
    return check_done();
}
