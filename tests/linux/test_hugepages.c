// SPDX-License-Identifier: MIT
/* Huge pages: 2 MiB hugetlb pages reserved for the test (as root, restored afterwards), the
 * default and an explicit page size, rounding, and split granularity. */
#include "check.h"
#include "smaps.h"
#include "sysfs.h"

#define NR_2M "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
#define FREE_2M "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"
#define MIB ((size_t)1 << 20)

static void check_huge(mmapc_map *m, size_t page)
{
    CHECK(mmapc_map_page_size(m) == page);
    CHECK(mmapc_size(m) % page == 0);
    CHECK(mmapc_start(m) % page == 0);
    volatile unsigned char *p = mmapc_ptr(m);
    for (size_t i = 0; i < mmapc_size(m); i += 4096)
        p[i] = 0x42; /* usable, every base page of it */
    CHECK(p[mmapc_size(m) - 4096] == 0x42);
    smaps_entry e;
    if (!check_under_emulator() && smaps_find(mmapc_ptr(m), &e)) {
        CHECK(e.kernel_page_kb * 1024 == page);
        CHECK(strstr(e.vmflags, " ht ") != NULL);
    }
}

static void test_2m(void)
{
    mmapc_map *m = NULL, *back = NULL;
    /* the default huge page size, one byte rounded up to a whole huge page */
    REQUIRE_OK(mmapc_map_anon(&m, 1, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_HUGE_PAGES}));
    check_huge(m, mmapc_default_huge_page_size());
    mmapc_unmap(m);
    /* an explicit 2 MiB page size; split only at huge page boundaries */
    const mmapc_options o = {.flags = MMAPC_HUGE_PAGES, .page_size = 2 * MIB};
    REQUIRE_OK(mmapc_map_anon(&m, 4 * MIB, MMAPC_PROT_RW, &o));
    check_huge(m, 2 * MIB);
    CHECK_RC(mmapc_split_off(m, mmapc_page_size(), &back), MMAPC_EINVAL_OFFSET);
    CHECK_OK(mmapc_split_off(m, 2 * MIB, &back));
    CHECK_OK(mmapc_merge(m, back));
    /* a huge and an ordinary mapping never merge */
    mmapc_unmap(m);
    /* reserve then commit huge pages */
    REQUIRE_OK(mmapc_reserve_anon(&m, 2 * MIB, MMAPC_PROT_RW, &o));
    CHECK_OK(mmapc_commit(m));
    check_huge(m, 2 * MIB);
    mmapc_unmap(m);
}

#define NR_1G "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"
#define FREE_1G "/sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages"
#define GIB ((size_t)1 << 30)

/* An explicit 1 GiB page size, when one such page is free or can be reserved (as root, and
 * the kernel finds a free, aligned physical gigabyte), put back afterwards. */
static void test_1g(void)
{
    long old = read_long(NR_1G);
    if (old < 0 || sizeof(void *) < 8) {
        CHECK_SKIP("no 1 GiB huge pages on this system");
        return;
    }
    int reserved = 0;
    if (read_long(FREE_1G) < 1) {
        if (getuid() != 0 || write_long(NR_1G, old + 1) != 0 || read_long(FREE_1G) < 1) {
            if (getuid() == 0)
                write_long(NR_1G, old);
            CHECK_SKIP("no free 1 GiB huge page, and none could be reserved");
            return;
        }
        reserved = 1;
    }
    mmapc_map *m = NULL;
    CHECK_OK(mmapc_map_anon(&m, GIB, MMAPC_PROT_RW,
                            &(mmapc_options){.flags = MMAPC_HUGE_PAGES, .page_size = GIB}));
    if (m) {
        check_huge(m, GIB);
        mmapc_map *back = NULL;
        CHECK_RC(mmapc_split_off(m, 2 * MIB, &back), MMAPC_EINVAL_OFFSET);
        mmapc_unmap(m);
    }
    if (reserved)
        CHECK(write_long(NR_1G, old) == 0 && read_long(NR_1G) == old);
}

int main(void)
{
    size_t sizes[8], count = 0;
    REQUIRE_OK(mmapc_page_sizes(sizes, 8, &count));
    int has_2m = 0;
    for (size_t i = 1; i < count && i < 8; i++)
        has_2m |= sizes[i] == 2 * MIB;
    if (!has_2m || mmapc_default_huge_page_size() != 2 * MIB) {
        fprintf(stderr, "skipped: this system has no 2 MiB default huge pages\n");
        return CHECK_SKIP_CODE;
    }
    if (check_under_emulator()) {
        /* qemu-user refuses MAP_HUGETLB with EINVAL: the request must fail cleanly */
        mmapc_map *m = NULL;
        int rc =
            mmapc_map_anon(&m, 2 * MIB, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_HUGE_PAGES});
        if (rc == 0) {
            CHECK(mmapc_size(m) == 2 * MIB);
            memset(mmapc_ptr(m), 1, 2 * MIB);
        } else {
            CHECK(m == NULL);
        }
        mmapc_unmap(m);
        fprintf(stderr, "skipped: huge pages under an emulator (MAP_HUGETLB is refused)\n");
        check_done();
        return CHECK_SKIP_CODE;
    }
    long old = read_long(NR_2M);
    int reserved = 0;
    if (read_long(FREE_2M) < 4) {
        if (getuid() != 0 || write_long(NR_2M, old + 4) != 0 || read_long(NR_2M) < old + 4) {
            if (getuid() == 0)
                write_long(NR_2M, old);
            /* a write to sysfs: the real root, which a user namespace does not give */
            fprintf(stderr, "skipped: no free 2 MiB huge pages and cannot reserve them (needs "
                            "root: a write to sysfs that a user namespace does not allow)\n");
            return CHECK_SKIP_CODE;
        }
        reserved = 1;
    }
    test_2m();
    test_1g();
    if (reserved)
        CHECK(write_long(NR_2M, old) == 0 && read_long(NR_2M) == old);
    return check_done();
}
