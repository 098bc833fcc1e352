// SPDX-License-Identifier: MIT
/* Windows flags and errors: large pages, locking, the flags with no Windows meaning (accepted, no
 * effect), and GetLastError() codes kept per thread behind the portable codes. */
#include "winutil.h"

static size_t gran;

/* Large pages work with SeLockMemoryPrivilege and fail with a clear error without it. */
static void test_large_pages(void)
{
    size_t large = GetLargePageMinimum();
    CHECK(mmapc_default_huge_page_size() == large);
    if (large == 0) {
        CHECK_SKIP("this processor has no large pages");
        return;
    }
    mmapc_map *m = NULL;
    const mmapc_options huge = {.flags = MMAPC_HUGE_PAGES};
    int rc = mmapc_map_anon(&m, 1, MMAPC_PROT_RW, &huge);
    if (rc == 0) {
        CHECK(mmapc_size(m) == large && mmapc_map_page_size(m) == large);
        CHECK((uintptr_t)mmapc_ptr(m) % large == 0);
        memset(mmapc_ptr(m), 1, large);
        mmapc_unmap(m);
    } else if (rc == MMAPC_EPERM) {
        CHECK(mmapc_last_os_error() == ERROR_PRIVILEGE_NOT_HELD);
        CHECK_SKIP("large pages: SeLockMemoryPrivilege not held, the error is checked");
    } else {
        /* a system without large page support (wine 8 with the privilege) calls it invalid */
        CHECK_RC(rc, MMAPC_EUNSUPPORTED);
        CHECK(mmapc_last_os_error() == ERROR_INVALID_PARAMETER);
        CHECK_SKIP("large pages refused by the system, the error is checked");
    }
    CHECK(m == NULL || rc == 0);
    /* Windows commits large pages when it allocates them: no reservation of them */
    mmapc_map *r = NULL;
    CHECK_RC(mmapc_reserve_anon(&r, large, MMAPC_PROT_RW, &huge), MMAPC_EUNSUPPORTED);
    CHECK(r == NULL);
}

/* Locking keeps the pages in the working set; unlocking twice is not an error. */
static void test_lock(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * mmapc_page_size(), MMAPC_PROT_RW,
                              &(mmapc_options){.flags = MMAPC_LOCKED}));
    ((char *)mmapc_ptr(m))[0] = 1;
    CHECK_OK(mmapc_unlock(m));
    CHECK_OK(mmapc_unlock(m));
    CHECK_OK(mmapc_lock(m));
    CHECK_OK(mmapc_unlock(m));
    mmapc_unmap(m);
}

/* Every flag is accepted on anonymous memory and files; those with no Windows meaning change
 * nothing that can be seen, the others (populate, will need, locked) leave usable memory. */
static void test_every_flag(void)
{
    static const unsigned flags[] = {
        MMAPC_POPULATE,   MMAPC_NO_RESERVE,    MMAPC_TRANSPARENT_HUGE_PAGES,
        MMAPC_STACK,      MMAPC_NO_CORE_DUMP,  MMAPC_LOCKED,
        MMAPC_SEQUENTIAL, MMAPC_RANDOM_ACCESS, MMAPC_WILL_NEED,
        MMAPC_DONT_NEED,  MMAPC_SHARED,
    };
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, gran, path);
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        const mmapc_options o = {.flags = flags[i]};
        mmapc_map *a = NULL, *b = NULL, *r = NULL;
        CHECK_OK(mmapc_map_anon(&a, gran, MMAPC_PROT_RW, &o));
        CHECK_OK(mmapc_map_file(&b, gran, MMAPC_PROT_READ, f, 0, &o));
        CHECK_OK(mmapc_reserve_anon(&r, gran, MMAPC_PROT_RW, &o));
        CHECK_OK(mmapc_commit(r));
        if (a && b && r) {
            CHECK(mmapc_flags(a) == flags[i]);
            CHECK(win_query(mmapc_ptr(a)).Protect == PAGE_READWRITE);
            ((char *)mmapc_ptr(a))[gran - 1] = 1;
            ((char *)mmapc_ptr(r))[0] = 1;
            CHECK(((unsigned char *)mmapc_ptr(b))[gran - 1] == tu_pattern(gran - 1));
        }
        mmapc_unmap(a);
        mmapc_unmap(b);
        mmapc_unmap(r);
    }
    tu_close(f);
    tu_remove(path);
}

/* The raw Windows error stays with the thread; a library-level error clears it. */
static void test_raw_errors(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, gran, path);
    mmapc_file ro = tu_open(path, 0);
    mmapc_map *m = NULL;
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_READ, INVALID_HANDLE_VALUE, 0, NULL), MMAPC_EBADF);
    CHECK(mmapc_last_os_error() == ERROR_INVALID_HANDLE);
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_READ, NULL, 0, NULL), MMAPC_EBADF);
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_READ, tu_closed_file(), 0, NULL), MMAPC_EBADF);
    CHECK(mmapc_last_os_error() == ERROR_INVALID_HANDLE);
    CHECK_RC(
        mmapc_map_file(&m, gran, MMAPC_PROT_RW, ro, 0, &(mmapc_options){.flags = MMAPC_SHARED}),
        MMAPC_EACCES);
    CHECK(mmapc_last_os_error() == ERROR_ACCESS_DENIED);
    CHECK_RC(mmapc_map_file(&m, 2, MMAPC_PROT_READ, f, 4 * gran, NULL), MMAPC_EINVAL_OFFSET);
    CHECK(mmapc_last_os_error() == 0);
    /* an anonymous mapping larger than the address space */
    CHECK_RC(mmapc_map_anon(&m, (size_t)1 << 62, MMAPC_PROT_RW, NULL), MMAPC_ENOMEM);
    CHECK(mmapc_last_os_error() != 0);
    CHECK(m == NULL);
    tu_close(ro);
    tu_close(f);
    tu_remove(path);
}

int main(void)
{
    gran = mmapc_allocation_granularity();
    test_large_pages();
    test_lock();
    test_every_flag();
    test_raw_errors();
    return check_done();
}
