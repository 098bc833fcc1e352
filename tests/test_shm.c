// SPDX-License-Identifier: MIT
/* Shared memory objects and their views, the double-mapped ring and the dual-mapped JIT memory,
 * on every platform: what one view writes the others see, views outlive their object, views of
 * one object merge and others do not, names come and go, and refused calls change nothing. */
#include "testutil.h"

#include "jit_code.h"

static size_t gran;

static unsigned long self_id(void)
{
#ifdef _WIN32
    return (unsigned long)GetCurrentProcessId();
#else
    return (unsigned long)getpid();
#endif
}

/* A name no other run of the test uses at the same time. */
static void unique_name(char *buf, size_t cap, const char *tag)
{
    snprintf(buf, cap, "/mmapc-test-%lu-%s", self_id(), tag);
}

/* Write through one view, read through another at the same object offset; views outlive the
 * object; a view is an ordinary handle. */
static void test_views(void)
{
    mmapc_shm *shm = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, 4 * gran, NULL));
    uint64_t size = 0;
    CHECK_OK(mmapc_shm_size(shm, &size));
    CHECK(size == 4 * gran);
    mmapc_map *whole = NULL, *third = NULL, *ro = NULL;
    REQUIRE_OK(mmapc_shm_map(&whole, shm, 0, 4 * gran, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_shm_map(&third, shm, 2 * gran, gran, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_shm_map(&ro, shm, gran, 2 * gran, MMAPC_PROT_READ, NULL));
    CHECK(mmapc_is_file(third) && mmapc_file_offset(third) == 2 * gran);
    CHECK((mmapc_flags(third) & MMAPC_SHARED) != 0);
    unsigned char *w = mmapc_ptr(whole), *t = mmapc_ptr(third);
    const unsigned char *r = mmapc_ptr(ro);
    CHECK(w[0] == 0 && t[gran - 1] == 0); /* zero-filled */
    w[2 * gran + 5] = 0xa5;
    CHECK(t[5] == 0xa5 && r[gran + 5] == 0xa5);
    t[7] = 0x5a;
    CHECK(w[2 * gran + 7] == 0x5a);

    mmapc_shm_close(shm); /* the views keep the memory alive */
    w[3 * gran] = 0x77;
    CHECK(w[3 * gran] == 0x77 && r[gran + 7] == 0x5a);

    /* ordinary handle: split, protect a piece, flush, lock */
    mmapc_map *back = NULL;
    CHECK_OK(mmapc_split_off(whole, 2 * gran, &back));
    CHECK_OK(mmapc_protect(back, MMAPC_PROT_READ));
    CHECK(((unsigned char *)mmapc_ptr(back))[5] == 0xa5);
    CHECK_OK(mmapc_flush(whole, 0, 2 * gran));
    CHECK_OK(mmapc_lock(third));
    CHECK_OK(mmapc_unlock(third));
    CHECK_OK(mmapc_protect(back, MMAPC_PROT_RW));
    CHECK_OK(mmapc_merge(whole, back));
    CHECK(mmapc_size(whole) == 4 * gran);
    mmapc_unmap(whole);
    mmapc_unmap(third);
    mmapc_unmap(ro);
}

static int view_at(mmapc_map **out, mmapc_shm *shm, uint64_t offset, void *at)
{
    return mmapc_shm_map(out, shm, offset, gran, MMAPC_PROT_RW,
                         &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = at});
}

/* Views of one object at contiguous offsets merge (POSIX); views of two objects, a view and a
 * file mapping, or views at offsets that do not follow, never do, and stay usable. */
static void test_merge(void)
{
    mmapc_shm *a = NULL, *b = NULL;
    REQUIRE_OK(mmapc_shm_create(&a, NULL, 4 * gran, NULL));
    REQUIRE_OK(mmapc_shm_create(&b, NULL, 4 * gran, NULL));
    char path[TU_PATH_MAX];
    mmapc_file file = tu_temp_file(NULL, 2 * gran, path);

    unsigned char *at = tu_free_range(2 * gran);
    mmapc_map *v1 = NULL, *v2 = NULL, *other = NULL, *skip = NULL, *fm = NULL;
    REQUIRE_OK(view_at(&v1, a, 0, at));
    REQUIRE_OK(view_at(&other, b, gran, at + gran));
    CHECK_RC(mmapc_merge(v1, other), MMAPC_EBACKING_MISMATCH);
    ((unsigned char *)mmapc_ptr(other))[0] = 1;
    ((unsigned char *)mmapc_ptr(v1))[0] = 2;
    CHECK(mmapc_size(v1) == gran && mmapc_size(other) == gran);
    mmapc_unmap(other);

    REQUIRE_OK(view_at(&skip, a, 2 * gran, at + gran));
    CHECK_RC(mmapc_merge(v1, skip), MMAPC_EBACKING_MISMATCH);
    mmapc_unmap(skip);

    REQUIRE_OK(mmapc_map_file(
        &fm, gran, MMAPC_PROT_RW, file, gran,
        &(mmapc_options){.flags = MMAPC_SHARED | MMAPC_FIXED_NOREPLACE, .address = at + gran}));
    CHECK_RC(mmapc_merge(v1, fm), MMAPC_EBACKING_MISMATCH);
    CHECK(((unsigned char *)mmapc_ptr(fm))[0] == tu_pattern(gran));
    mmapc_unmap(fm);

    REQUIRE_OK(view_at(&v2, a, gran, at + gran));
    ((unsigned char *)mmapc_ptr(v2))[3] = 9;
#ifdef _WIN32
    /* each view is unmapped as a whole on Windows, so distinct views never merge */
    CHECK_RC(mmapc_merge(v2, v1), MMAPC_EBACKING_MISMATCH);
    mmapc_unmap(v2);
#else
    CHECK_OK(mmapc_merge(v2, v1)); /* either order */
    CHECK(mmapc_ptr(v2) == at && mmapc_size(v2) == 2 * gran && mmapc_file_offset(v2) == 0);
    CHECK(at[0] == 2 && at[gran + 3] == 9);
    v1 = NULL;
    mmapc_unmap(v2);
#endif
    mmapc_unmap(v1);
    mmapc_shm_close(a);
    mmapc_shm_close(b);
    tu_close(file);
    tu_remove(path);
}

/* A named object: opened a second time by name, read-only or not; taken up from its file;
 * the name goes with unlink. */
static void test_named(void)
{
    char name[64];
    unique_name(name, sizeof name, "named");
    mmapc_shm_unlink(name); /* a leftover of a killed run */
    mmapc_shm *shm = NULL, *again = NULL, *ro = NULL, *dup = NULL, *none = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, name, gran, NULL));
    CHECK_RC(mmapc_shm_create(&none, name, gran, NULL), MMAPC_EEXIST);
    REQUIRE_OK(mmapc_shm_open(&again, name + 1, NULL)); /* with or without the leading '/' */
    REQUIRE_OK(mmapc_shm_open(&ro, name, &(mmapc_shm_options){.flags = MMAPC_SHM_READ_ONLY}));
    REQUIRE_OK(mmapc_shm_from_file(&dup, mmapc_shm_file(again), NULL));
    CHECK(mmapc_shm_file(dup) != mmapc_shm_file(again));

    mmapc_map *w = NULL, *r = NULL, *d = NULL, *refused = NULL;
    REQUIRE_OK(mmapc_shm_map(&w, shm, 0, gran, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_shm_map(&r, ro, 0, gran, MMAPC_PROT_READ, NULL));
    REQUIRE_OK(mmapc_shm_map(&d, dup, 0, gran, MMAPC_PROT_RW, NULL));
    ((unsigned char *)mmapc_ptr(w))[10] = 0x42;
    CHECK(((unsigned char *)mmapc_ptr(r))[10] == 0x42);
    CHECK(((unsigned char *)mmapc_ptr(d))[10] == 0x42);
    CHECK_RC(mmapc_shm_map(&refused, ro, 0, gran, MMAPC_PROT_RW, NULL), MMAPC_EACCES);
    CHECK(refused == NULL);

    CHECK_OK(mmapc_shm_unlink(name));
#ifndef _WIN32
    CHECK_RC(mmapc_shm_open(&none, name, NULL), MMAPC_ENOTFOUND);
    CHECK_RC(mmapc_shm_unlink(name), MMAPC_ENOTFOUND);
#endif
    mmapc_shm_close(shm);
    mmapc_shm_close(again);
    mmapc_shm_close(ro);
    mmapc_shm_close(dup);
    ((unsigned char *)mmapc_ptr(d))[11] = 0x43;
    CHECK(((unsigned char *)mmapc_ptr(w))[11] == 0x43);
    mmapc_unmap(w);
    mmapc_unmap(r);
    mmapc_unmap(d);
    /* on Windows the name went with the last handle and view */
    CHECK_RC(mmapc_shm_open(&none, name, NULL), MMAPC_ENOTFOUND);
    CHECK(none == NULL);
}

static void test_resize(void)
{
    mmapc_shm *shm = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, 2 * gran, NULL));
    mmapc_map *v = NULL;
    CHECK_RC(mmapc_shm_map(&v, shm, 3 * gran, gran, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_OFFSET);
    uint64_t size = 0;
    int rc = mmapc_shm_resize(shm, 4 * gran);
#ifdef _WIN32
    if (rc == MMAPC_EUNSUPPORTED) {
        CHECK_SKIP("this system cannot grow a section");
        CHECK_OK(mmapc_shm_size(shm, &size));
        CHECK(size == 2 * gran);
    }
#endif
    if (rc != MMAPC_EUNSUPPORTED) {
        CHECK_OK(rc);
        CHECK_OK(mmapc_shm_size(shm, &size));
        CHECK(size == 4 * gran);
        CHECK_OK(mmapc_shm_map(&v, shm, 3 * gran, gran, MMAPC_PROT_RW, NULL));
        if (v)
            ((unsigned char *)mmapc_ptr(v))[gran - 1] = 1;
        mmapc_unmap(v);
    }
#ifdef _WIN32
    CHECK_RC(mmapc_shm_resize(shm, gran), MMAPC_EUNSUPPORTED); /* sections never shrink */
#else
    CHECK_OK(mmapc_shm_resize(shm, gran));
    CHECK_OK(mmapc_shm_size(shm, &size));
    CHECK(size == gran);
#endif
    CHECK_RC(mmapc_shm_resize(shm, 0), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_shm_resize(NULL, gran), MMAPC_EINVAL_ARG);
    mmapc_shm_close(shm);
}

/* Refused calls return their code and write no out-pointer. */
static void test_refused(void)
{
    char long_name[MMAPC_SHM_NAME_MAX + 3];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0; /* one byte too long */
    long_name[0] = '/';
    char ok_name[MMAPC_SHM_NAME_MAX + 2];
    memcpy(ok_name, long_name, sizeof ok_name - 1);
    ok_name[sizeof ok_name - 1] = 0; /* exactly the longest name */

    mmapc_shm *shm = NULL, *out = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, 2 * gran + 100, NULL));
    CHECK_RC(mmapc_shm_create(&out, NULL, 0, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_shm_create(&out, NULL, UINT64_MAX, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_shm_create(&out, long_name, gran, NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_create(&out, "/a/b", gran, NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_create(&out, "a\\b", gran, NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_create(&out, "/", gran, NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_create(&out, "", gran, NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_create(&out, "//x", gran, NULL), MMAPC_EINVAL_NAME);
    /* "." and ".." would name the folder of the objects or the one above it */
    CHECK_RC(mmapc_shm_create(&out, ".", gran, NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_create(&out, "/..", gran, NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_open(&out, "..", NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_unlink("/."), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_create(&out, NULL, gran, &(mmapc_shm_options){.flags = 1u << 9}),
             MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_shm_create(&out, NULL, gran, &(mmapc_shm_options){.flags = MMAPC_SHM_READ_ONLY}),
             MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_shm_create(NULL, NULL, gran, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_shm_open(&out, long_name, NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_open(&out, NULL, NULL), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_open(&out, "/mmapc-test-never-made-x9", NULL), MMAPC_ENOTFOUND);
    CHECK_RC(mmapc_shm_unlink("x/y"), MMAPC_EINVAL_NAME);
    CHECK_RC(mmapc_shm_from_file(&out, tu_closed_file(), NULL), MMAPC_EBADF);
    CHECK(out == NULL);

    /* the longest name is a valid one */
    CHECK_RC(mmapc_shm_open(&out, ok_name, NULL), MMAPC_ENOTFOUND);

    mmapc_map *m = NULL;
    CHECK_RC(mmapc_shm_map(&m, shm, 0, 0, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_shm_map(&m, shm, 0, 3 * gran, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_shm_map(&m, shm, 3 * gran, gran, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_shm_map(&m, shm, gran / 2, gran, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_shm_map(&m, shm, 0, gran, MMAPC_PROT_RWX, NULL), MMAPC_EUNSAFE_FLAG);
    CHECK_RC(
        mmapc_shm_map(&m, shm, 0, gran, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_HUGE_PAGES}),
        MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_shm_map(&m, NULL, 0, gran, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_ARG);
    CHECK(m == NULL);
    /* the partial last piece of the object can be mapped */
    CHECK_OK(mmapc_shm_map(&m, shm, 2 * gran, 100, MMAPC_PROT_RW, NULL));
    mmapc_unmap(m);

    mmapc_ring *ring = NULL;
    CHECK_RC(mmapc_ring_create(&ring, 0), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_ring_create(&ring, SIZE_MAX - gran + 1), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_ring_map(&ring, shm, 2 * gran, gran), MMAPC_EINVAL_SIZE);
    /* rounded up, the partial last piece does not hold a ring */
    CHECK_RC(mmapc_ring_map(&ring, shm, 2 * gran, 100), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_ring_map(&ring, shm, 4 * gran, gran), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_ring_map(&ring, shm, 0, 4 * gran), MMAPC_EINVAL_SIZE);
    CHECK(ring == NULL);

    mmapc_map *rw = NULL, *rx = NULL;
    CHECK_RC(mmapc_map_dual(&rw, &rx, 0), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_dual(&rw, NULL, gran), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_dual(&rw, &rw, gran), MMAPC_EINVAL_ARG);
    CHECK(rw == NULL && rx == NULL);

    CHECK_RC(mmapc_shm_seal(shm, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_shm_seal(shm, 1u << 7), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_shm_size(shm, NULL), MMAPC_EINVAL_ARG);
    mmapc_shm_close(shm);
    mmapc_shm_close(NULL);
    mmapc_ring_free(NULL);
    CHECK(mmapc_ring_ptr(NULL) == NULL && mmapc_ring_size(NULL) == 0);
}

/* A record written across the end of the ring reads back whole from the start, and a record
 * written as two pieces (end, then start) reads back whole across the end, for every place of
 * the end inside records of several lengths. */
static void check_ring(size_t n)
{
    mmapc_ring *ring = NULL;
    REQUIRE_OK(mmapc_ring_create(&ring, n));
    CHECK(mmapc_ring_size(ring) == n);
    unsigned char *p = mmapc_ring_ptr(ring);
    static const size_t lens[] = {2, 3, 64, 1000, 4096};
    static unsigned char rec[4096];
    long bad = 0;
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t len = lens[li];
        for (size_t k = 1; k < len; k++) { /* k bytes before the end, len - k after it */
            size_t at = n - k;
            for (size_t i = 0; i < len; i++)
                rec[i] = (unsigned char)(i * 31 + k + li);
            memcpy(p + at, rec, len);
            bad += memcmp(p + at, rec, k) != 0 || memcmp(p, rec + k, len - k) != 0;
            for (size_t i = 0; i < len; i++)
                rec[i] = (unsigned char)(i * 17 + k + 3);
            memcpy(p + at, rec, k);
            memcpy(p, rec + k, len - k);
            bad += memcmp(p + at, rec, len) != 0;
            bad += memcmp(p + n, rec + k, len - k) != 0; /* the second view holds the tail */
        }
    }
    CHECK(bad == 0);
    CHECK(memcmp(p, p + n, n) == 0);
    mmapc_ring_free(ring);
}

static void test_ring(void)
{
    check_ring(gran); /* one page where pages are the granularity */
    if (gran < 64 * 1024)
        check_ring(64 * 1024);
    check_ring(1024 * 1024);

    /* sizes are rounded up to the allocation granularity, as mmapc_map_dual() rounds them */
    mmapc_ring *r = NULL;
    const size_t sizes[] = {1, 100, gran - 1, gran + 1, 2 * gran - 1};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t want = (sizes[i] + gran - 1) / gran * gran;
        int rc = mmapc_ring_create(&r, sizes[i]);
        if (rc)
            fprintf(stderr, "ring of %zu bytes: %s\n", sizes[i], mmapc_err_name(rc));
        CHECK(rc == 0);
        if (rc)
            continue;
        CHECK(mmapc_ring_size(r) == want);
        unsigned char *rp = mmapc_ring_ptr(r);
        rp[want - 1] = 9;
        CHECK(rp[2 * want - 1] == 9);
        mmapc_ring_free(r);
    }

    /* a ring over part of a named object, seen by an ordinary view of it */
    mmapc_shm *shm = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, 3 * gran, NULL));
    mmapc_ring *ring = NULL;
    mmapc_map *v = NULL;
    REQUIRE_OK(mmapc_ring_map(&ring, shm, gran, 2 * gran - 1));
    CHECK(mmapc_ring_size(ring) == 2 * gran);
    REQUIRE_OK(mmapc_shm_map(&v, shm, 0, 3 * gran, MMAPC_PROT_READ, NULL));
    unsigned char *p = mmapc_ring_ptr(ring);
    memcpy(p + 2 * gran - 2, "wrap", 4);
    const unsigned char *q = mmapc_ptr(v);
    CHECK(memcmp(q + 3 * gran - 2, "wr", 2) == 0 && memcmp(q + gran, "ap", 2) == 0);
    mmapc_unmap(v);
    mmapc_ring_free(ring);
    mmapc_shm_close(shm);
}

#ifndef NO_JIT_CODE
/* Code written through the writable view runs through the executable one; neither view is
 * writable and executable. */
static void test_dual(void)
{
    mmapc_map *rw = NULL, *rx = NULL;
    REQUIRE_OK(mmapc_map_dual(&rw, &rx, 100));
    CHECK(mmapc_protection(rw) == MMAPC_PROT_RW && mmapc_protection(rx) == MMAPC_PROT_RX);
    CHECK(mmapc_size(rw) == gran && mmapc_size(rx) == gran && mmapc_ptr(rw) != mmapc_ptr(rx));
    unsigned char *w = mmapc_ptr(rw), *x = mmapc_ptr(rx);
    memcpy(w + 64, code, CODE_SIZE);
    CHECK_OK(mmapc_flush_icache(x + 64, CODE_SIZE));
    CHECK(as_function(x + 64)() == 42);
    /* new code at a new place: what a JIT mostly does */
    memcpy(w + 128, code, CODE_SIZE);
    patch(w + 128, 7);
    CHECK_OK(mmapc_flush_icache(x + 128, CODE_SIZE));
    CHECK(as_function(x + 128)() == 7);
    /* code patched in place */
    patch(w + 64, 99);
    CHECK_OK(mmapc_flush_icache(x + 64, CODE_SIZE));
    if (jit_sees_patches_through_alias())
        CHECK(as_function(x + 64)() == 99);
    else
        CHECK_SKIP("a binary translator does not see code patched through another view");
    CHECK_RC(mmapc_protect(rw, MMAPC_PROT_RWX), MMAPC_EUNSAFE_FLAG);
    CHECK_RC(mmapc_protect(rx, MMAPC_PROT_RWX), MMAPC_EUNSAFE_FLAG);
    mmapc_unmap(rw); /* the executable view lives on alone */
    CHECK(as_function(x + 128)() == 7);
    mmapc_unmap(rx);
}

static void write_exec_view(void)
{
    mmapc_map *rw = NULL, *rx = NULL;
    REQUIRE_OK(mmapc_map_dual(&rw, &rx, gran));
    ((volatile unsigned char *)mmapc_ptr(rx))[0] = 0xc3;
}
#endif

static const check_fault_case faults[] = {
#ifndef NO_JIT_CODE
    {"write_exec_view", write_exec_view},
#endif
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    gran = mmapc_allocation_granularity();
    check_fault_main(argc, argv, faults);
    test_ring();
    check_all_faults(faults);
    /* twice, and nothing is left open the second time (wine opens handles of its own the first
     * time it makes a file or a name) */
    int files = 0;
    for (int round = 0; round < 2; round++) {
        test_views();
        test_merge();
        test_named();
        test_resize();
        test_refused();
#ifndef NO_JIT_CODE
        test_dual();
#else
        CHECK_SKIP("no machine code for this architecture in the test");
#endif
        if (round == 0)
            files = tu_open_files();
    }
    CHECK(tu_open_files() == files);
    return check_done();
}
