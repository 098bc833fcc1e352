// SPDX-License-Identifier: MIT
/* File mappings: private and shared, offsets, flush, and every bad input leaving all as it was. */
#include "testutil.h"

static size_t gran;

/* Shared: a write through one mapping is seen through a second and, after flush, by read(). */
static void test_shared(void)
{
    char path[TU_PATH_MAX];
    size_t len = 4 * gran;
    mmapc_file f = tu_temp_file(NULL, len, path);
    mmapc_map *a = NULL, *b = NULL;
    REQUIRE_OK(
        mmapc_map_file(&a, len, MMAPC_PROT_RW, f, 0, &(mmapc_options){.flags = MMAPC_SHARED}));
    REQUIRE_OK(
        mmapc_map_file(&b, len, MMAPC_PROT_READ, f, 0, &(mmapc_options){.flags = MMAPC_SHARED}));
    CHECK(mmapc_is_file(a));
    CHECK(mmapc_flags(a) == MMAPC_SHARED);
    unsigned char *pa = mmapc_ptr(a), *pb = mmapc_ptr(b);
    CHECK(pa[0] == tu_pattern(0) && pa[len - 1] == tu_pattern(len - 1));
    memcpy(pa + 100, "shared write", 12);
    CHECK(memcmp(pb + 100, "shared write", 12) == 0);
    memcpy(pa + 3 * gran + 5, "tail", 4);
    CHECK_OK(mmapc_flush(a, 0, len));
    char got[16];
    tu_read(path, 100, got, 12);
    CHECK(memcmp(got, "shared write", 12) == 0);
    tu_read(path, 3 * gran + 5, got, 4);
    CHECK(memcmp(got, "tail", 4) == 0);
    /* a sub-range flush, synchronous and asynchronous */
    memcpy(pa + gran + 1, "sub", 3);
    CHECK_OK(mmapc_flush(a, gran + 1, gran + 4));
    tu_read(path, gran + 1, got, 3);
    CHECK(memcmp(got, "sub", 3) == 0);
    memcpy(pa + 2 * gran, "async", 5);
    CHECK_OK(mmapc_flush_async(a, 2 * gran, 2 * gran + 5));
    CHECK_OK(mmapc_flush(a, 2 * gran, 2 * gran + 5));
    tu_read(path, 2 * gran, got, 5);
    CHECK(memcmp(got, "async", 5) == 0);
    mmapc_unmap(a);
    mmapc_unmap(b);
    tu_close(f);
    tu_remove(path);
}

/* Private: writes are copy-on-write and never reach the file, even after flush. */
static void test_private(void)
{
    char path[TU_PATH_MAX];
    size_t len = 2 * gran;
    mmapc_file f = tu_temp_file(NULL, len, path);
    mmapc_map *a = NULL, *b = NULL;
    REQUIRE_OK(mmapc_map_file(&a, len, MMAPC_PROT_RW, f, 0, NULL));
    REQUIRE_OK(mmapc_map_file(&b, len, MMAPC_PROT_READ, f, 0, NULL));
    tu_close(f); /* the mapping does not need the file to stay open */
    unsigned char *pa = mmapc_ptr(a), *pb = mmapc_ptr(b);
    pa[10] = 0xee;
    CHECK(pb[10] == tu_pattern(10));
    CHECK_OK(mmapc_flush(a, 0, len));
    unsigned char got;
    tu_read(path, 10, &got, 1);
    CHECK(got == tu_pattern(10));
    mmapc_unmap(a);
    mmapc_unmap(b);
    tu_remove(path);
}

/* An offset maps the bytes from there; a size that is not a page multiple stays exact. */
static void test_offset(void)
{
    char path[TU_PATH_MAX];
    size_t len = 3 * gran + 100;
    mmapc_file f = tu_temp_file(NULL, len, path);
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_file(&m, gran + 100, MMAPC_PROT_READ, f, 2 * gran, NULL));
    unsigned char *p = mmapc_ptr(m);
    CHECK(mmapc_file_offset(m) == 2 * gran);
    CHECK(mmapc_size(m) == gran + 100 && mmapc_end(m) == (uintptr_t)p + gran + 100);
    CHECK(p[0] == tu_pattern(2 * gran));
    CHECK(p[gran + 99] == tu_pattern(3 * gran + 99));
    mmapc_unmap(m);
    tu_close(f);
    tu_remove(path);
}

/* Every bad input: the right code, *out untouched, no descriptor leaked, the file unchanged. */
static void test_bad_input(void)
{
    char path[TU_PATH_MAX];
    size_t len = 2 * gran;
    mmapc_file f = tu_temp_file(NULL, len, path);
    mmapc_file ro = tu_open(path, 0);
    int files_before = tu_open_files();
    mmapc_map *m = NULL;
    const mmapc_options shared = {.flags = MMAPC_SHARED};

    CHECK_RC(mmapc_map_file(&m, 0, MMAPC_PROT_READ, f, 0, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_file(&m, SIZE_MAX, MMAPC_PROT_READ, f, 0, NULL), MMAPC_EINVAL_SIZE);
    /* any offset maps (tests/test_file_size.c); the range must still lie inside the file */
    CHECK_RC(mmapc_map_file(&m, len, MMAPC_PROT_READ, f, 1, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_file(&m, 2, MMAPC_PROT_READ, f, len - 1, NULL), MMAPC_EINVAL_SIZE);
    /* offset at and past the end of the file */
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_READ, f, len, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_READ, f, 4 * gran, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_READ, f, UINT64_MAX - gran + 1, NULL),
             MMAPC_EINVAL_OFFSET);
    /* size past the end */
    CHECK_RC(mmapc_map_file(&m, len + 1, MMAPC_PROT_READ, f, 0, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_file(&m, gran + 1, MMAPC_PROT_READ, f, gran, NULL), MMAPC_EINVAL_SIZE);
    /* bad descriptors */
#ifndef _WIN32
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_READ, -1, 0, NULL), MMAPC_EBADF);
#endif
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_READ, tu_closed_file(), 0, NULL), MMAPC_EBADF);
    /* a read-only descriptor cannot back a shared writable mapping */
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_RW, ro, 0, &shared), MMAPC_EACCES);
    CHECK(mmapc_last_os_error() != 0);
    /* protection and flag checks apply to files too */
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_RWX, f, 0, NULL), MMAPC_EUNSAFE_FLAG);
    CHECK_RC(mmapc_map_file(&m, gran, MMAPC_PROT_READ, f, 0,
                            &(mmapc_options){.flags = MMAPC_HUGE_PAGES}),
             MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_map_file(NULL, gran, MMAPC_PROT_READ, f, 0, NULL), MMAPC_EINVAL_ARG);
    CHECK(m == NULL);
    CHECK(tu_open_files() == files_before);

    /* a read-only descriptor is fine for private writable (copy-on-write) and shared read */
    CHECK_OK(mmapc_map_file(&m, gran, MMAPC_PROT_RW, ro, 0, NULL));
    mmapc_unmap(m);
    CHECK_OK(mmapc_map_file(&m, gran, MMAPC_PROT_READ, ro, 0, &shared));
    mmapc_unmap(m);

    unsigned char got[64];
    tu_read(path, 0, got, sizeof got);
    int same = 1;
    for (size_t i = 0; i < sizeof got; i++)
        same &= got[i] == tu_pattern(i);
    CHECK(same);
    CHECK(tu_file_size(path) == len);
    tu_close(ro);
    tu_close(f);
    tu_remove(path);
}

/* Flush ranges are checked against the mapping. */
static void test_flush_ranges(void)
{
    char path[TU_PATH_MAX];
    size_t len = 2 * gran;
    mmapc_file f = tu_temp_file(NULL, len, path);
    mmapc_map *m = NULL;
    REQUIRE_OK(
        mmapc_map_file(&m, len, MMAPC_PROT_RW, f, 0, &(mmapc_options){.flags = MMAPC_SHARED}));
    size_t size = mmapc_size(m);
    CHECK_RC(mmapc_flush(m, 0, size + 1), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_flush(m, size + 1, size + 2), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_flush(m, 10, 5), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_flush(m, SIZE_MAX, SIZE_MAX), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_flush_async(m, 0, size + 1), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_flush_async(m, 7, 3), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_flush(NULL, 0, 1), MMAPC_EINVAL_ARG);
    CHECK_OK(mmapc_flush(m, 5, 5));
    CHECK_OK(mmapc_flush(m, size, size));
    CHECK_OK(mmapc_flush(m, 0, size));
    /* the mapping still works after the refused calls */
    ((char *)mmapc_ptr(m))[1] = 'x';
    CHECK_OK(mmapc_flush(m, 1, 2));
    char got;
    tu_read(path, 1, &got, 1);
    CHECK(got == 'x');
    mmapc_unmap(m);
    /* anonymous memory: flush succeeds and does nothing */
    REQUIRE_OK(mmapc_map_anon(&m, gran, MMAPC_PROT_RW, NULL));
    CHECK_OK(mmapc_flush(m, 0, gran));
    CHECK_RC(mmapc_flush(m, 0, gran + 1), MMAPC_EINVAL_OFFSET);
    mmapc_unmap(m);
    tu_close(f);
    tu_remove(path);
}

int main(void)
{
    gran = mmapc_allocation_granularity();
    test_shared();
    test_private();
    test_offset();
    test_bad_input();
    test_flush_ranges();
    return check_done();
}
