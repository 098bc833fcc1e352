// SPDX-License-Identifier: MIT
/* Files that change size, on every platform: whole-file maps, empty mappings and every call on
 * them, any file offset, growing and shrinking (with and without a reserved capacity). */
#include "testutil.h"

static size_t ps, gran;

#define MIB ((size_t)1 << 20)

/* The bytes of m from its start are the temporary file's pattern from offset. */
static int holds_pattern(const mmapc_map *m, uint64_t offset, size_t len)
{
    const unsigned char *p = mmapc_ptr(m);
    for (size_t i = 0; i < len; i++) {
        if (p[i] != (unsigned char)((offset + i) * 7 + 1))
            return 0;
    }
    return 1;
}

/* Every call on an empty mapping is defined, and none touches memory. */
static void every_call_on_empty(mmapc_map *m)
{
    size_t count = 1;
    unsigned char vec[1] = {9};
    mmapc_map *other = NULL, *piece = NULL;
    CHECK(mmapc_size(m) == 0);
    CHECK(mmapc_ptr(m) != NULL);
    CHECK(mmapc_start(m) == mmapc_end(m));
    CHECK(mmapc_is_file(m));
    CHECK_OK(mmapc_flush(m, 0, 0));
    CHECK_OK(mmapc_flush_async(m, 0, 0));
    CHECK_RC(mmapc_flush(m, 0, 1), MMAPC_EINVAL_OFFSET);
    CHECK_OK(mmapc_lock(m));
    CHECK_OK(mmapc_unlock(m));
    CHECK_OK(mmapc_lock_on_fault(m));
    CHECK_OK(mmapc_unlock(m));
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_NONE));
    CHECK(mmapc_protection(m) == MMAPC_PROT_NONE);
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_READ));
    CHECK_RC(mmapc_protect(m, MMAPC_PROT_RWX), MMAPC_EUNSAFE_FLAG);
    CHECK_RC(mmapc_split_off(m, ps, &piece), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_split_to(m, 0, &piece), MMAPC_EINVAL_OFFSET);
    CHECK(piece == NULL);
    CHECK_OK(mmapc_advise(m, 0, 0, MMAPC_ADVICE_WILL_NEED));
    CHECK_RC(mmapc_advise(m, 0, 1, MMAPC_ADVICE_WILL_NEED), MMAPC_EINVAL_OFFSET);
    CHECK_OK(mmapc_discard(m, 0, 0, MMAPC_DISCARD_ZERO));
    CHECK_RC(mmapc_discard(m, 0, ps, MMAPC_DISCARD_ZERO), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_decommit(m), MMAPC_EINVAL_OP); /* a file mapping */
    CHECK_OK(mmapc_residency(m, 0, 0, &count, vec));
    CHECK(count == 0 && vec[0] == 9);
    CHECK_RC(mmapc_residency(m, 1, 0, &count, vec), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_commit(m), MMAPC_EINVAL_OP);
    /* an empty mapping holds no memory, so it is next to nothing */
    REQUIRE_OK(mmapc_map_anon(&other, ps, MMAPC_PROT_READ, NULL));
    CHECK_RC(mmapc_merge(m, other), MMAPC_ENOT_ADJACENT);
    CHECK_RC(mmapc_merge(other, m), MMAPC_ENOT_ADJACENT);
    mmapc_unmap(other);
    CHECK_OK(mmapc_seal(m));
    CHECK(mmapc_is_sealed(m));
}

static void empty_files(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 0, path);
    mmapc_map *m = NULL;
    /* once first: wine's first file query opens handles of its own */
    REQUIRE_OK(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, 0, NULL));
    mmapc_unmap(m);
    m = NULL;
    int files_before = tu_open_files();
    /* the explicit size keeps its errors */
    CHECK_RC(mmapc_map_file(&m, 1, MMAPC_PROT_READ, f, 0, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, 1, NULL), MMAPC_EINVAL_OFFSET);
    CHECK(m == NULL);
    REQUIRE_OK(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, 0, NULL));
    CHECK(mmapc_file_offset(m) == 0);
    CHECK(mmapc_capacity(m) == 0);
    CHECK(tu_open_files() == files_before); /* a whole-file map keeps no descriptor */
    every_call_on_empty(m);
    mmapc_unmap(m);
    /* shared and writable too */
    REQUIRE_OK(
        mmapc_map_file_whole(&m, MMAPC_PROT_RW, f, 0, &(mmapc_options){.flags = MMAPC_SHARED}));
    CHECK(mmapc_size(m) == 0);
    CHECK_OK(mmapc_unmap_checked(m));
    CHECK(tu_file_size(path) == 0);
    CHECK(tu_open_files() == files_before);
    tu_close(f);
    tu_remove(path);
}

/* An offset equal to the size, aligned or not, is an empty mapping; past it is an error. */
static void offset_at_end(void)
{
    char path[TU_PATH_MAX], path2[TU_PATH_MAX];
    size_t len = 3 * gran + 5;
    mmapc_file f = tu_temp_file(NULL, len, path);
    mmapc_file shorter = tu_temp_file(NULL, 3 * gran, path2);
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, len, NULL));
    CHECK(mmapc_file_offset(m) == len);
    every_call_on_empty(m);
    mmapc_unmap(m);
    REQUIRE_OK(mmapc_map_file_whole(&m, MMAPC_PROT_READ, shorter, 3 * gran, NULL));
    CHECK(mmapc_size(m) == 0);
    mmapc_unmap(m);
    m = NULL;
    CHECK_RC(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, len + 1, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, UINT64_MAX, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_map_file(&m, 1, MMAPC_PROT_READ, f, len, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_map_file_whole(NULL, MMAPC_PROT_READ, f, 0, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_map_file_whole(&m, (mmapc_prot)8, f, 0, NULL), MMAPC_EINVAL_ARG);
    CHECK(m == NULL);
    tu_close(shorter);
    tu_close(f);
    tu_remove(path);
    tu_remove(path2);
}

/* Whole-file and explicit maps at offsets off the granularity point at the byte asked for. */
static void any_offset(void)
{
    char path[TU_PATH_MAX];
    size_t len = 4 * gran + 123;
    mmapc_file f = tu_temp_file(NULL, len, path);
    uint64_t offsets[] = {1, 4095, 4097, gran - 1, gran + 1, 2 * gran - 1, len - 1};
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        uint64_t off = offsets[i];
        mmapc_map *m = NULL;
        REQUIRE_OK(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, off, NULL));
        CHECK(mmapc_size(m) == len - off);
        CHECK(mmapc_file_offset(m) == off);
        CHECK((uintptr_t)mmapc_ptr(m) % ps == off % ps);
        CHECK(holds_pattern(m, off, len - off));
        CHECK_OK(mmapc_flush(m, 0, mmapc_size(m)));
        CHECK_OK(mmapc_advise(m, 1, mmapc_size(m) - 1, MMAPC_ADVICE_WILL_NEED));
        size_t count = 0;
        CHECK_OK(mmapc_residency(m, 0, mmapc_size(m), &count, NULL));
        CHECK(count >= 1);
        /* split at the first page boundary of the memory, then merge back */
        size_t at = ps - (size_t)(off % ps);
        mmapc_map *back = NULL;
        if (at < mmapc_size(m)) {
            CHECK_RC(mmapc_split_off(m, at + 1, &back), MMAPC_EINVAL_OFFSET);
            REQUIRE_OK(mmapc_split_off(m, at, &back));
            CHECK(mmapc_size(m) == at && mmapc_size(back) == len - off - at);
            CHECK(mmapc_file_offset(back) == off + at);
            CHECK(holds_pattern(back, off + at, mmapc_size(back)));
            CHECK_OK(mmapc_protect(back, MMAPC_PROT_NONE));
            CHECK_OK(mmapc_protect(m, MMAPC_PROT_NONE));
            CHECK_OK(mmapc_protect(back, MMAPC_PROT_READ));
            CHECK_OK(mmapc_protect(m, MMAPC_PROT_READ));
            CHECK_OK(mmapc_merge(m, back));
            CHECK(mmapc_size(m) == len - off);
            CHECK(holds_pattern(m, off, len - off));
        }
        mmapc_unmap(m);
        /* the explicit size at the same offset is exactly the bytes asked for */
        size_t want = len - off < 10 ? len - (size_t)off : 10;
        REQUIRE_OK(mmapc_map_file(&m, want, MMAPC_PROT_READ, f, off, NULL));
        CHECK(mmapc_size(m) == want && mmapc_end(m) == mmapc_start(m) + want);
        CHECK(holds_pattern(m, off, want));
        mmapc_unmap(m);
    }
    /* a shared writable map at an odd offset writes that very byte of the file */
    mmapc_map *w = NULL;
    REQUIRE_OK(
        mmapc_map_file(&w, 3, MMAPC_PROT_RW, f, gran + 1, &(mmapc_options){.flags = MMAPC_SHARED}));
    memcpy(mmapc_ptr(w), "abc", 3);
    CHECK_OK(mmapc_flush(w, 1, 3));
    mmapc_unmap(w);
    char got[5];
    tu_read(path, gran, got, 5);
    CHECK(got[0] == (char)(gran * 7 + 1) && memcmp(got + 1, "abc", 3) == 0);
    tu_close(f);
    tu_remove(path);
}

/* mmapc_map_file() and mmapc_reserve_file() at any offset give exactly the bytes asked for, as
 * the whole-file and growable calls do: size, end, the last byte, and every range counted from
 * that size. */
static void exact_one(mmapc_map *m, mmapc_file f, uint64_t off, size_t size)
{
    unsigned char *p = mmapc_ptr(m);
    size_t count = 0;
    CHECK(mmapc_size(m) == size);
    CHECK(mmapc_end(m) == mmapc_start(m) + size);
    CHECK(mmapc_file_offset(m) == off);
    CHECK((uintptr_t)p % ps == off % ps);
    CHECK(holds_pattern(m, off, size));
    CHECK(p[size - 1] == (unsigned char)((off + size - 1) * 7 + 1));
    CHECK(mmapc_capacity(m) == size); /* it keeps no file: it cannot grow */
    CHECK_RC(mmapc_resize(m, size + 1, 0), MMAPC_EINVAL_OP);
    CHECK_OK(mmapc_flush(m, 0, size));
    CHECK_OK(mmapc_flush(m, size, size));
    CHECK_RC(mmapc_flush(m, size, size + 1), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_flush_async(m, 0, size + 1), MMAPC_EINVAL_OFFSET);
    unsigned char last[2] = {0, 0};
    size_t done = 0;
    CHECK_OK(mmapc_read(m, size - 1, last, 1, &done));
    CHECK(done == 1 && last[0] == p[size - 1]);
    CHECK_RC(mmapc_read(m, size - 1, last, 2, &done), MMAPC_EINVAL_OFFSET);
    CHECK_OK(mmapc_advise(m, 0, size, MMAPC_ADVICE_WILL_NEED));
    CHECK_RC(mmapc_advise(m, 0, size + 1, MMAPC_ADVICE_WILL_NEED), MMAPC_EINVAL_OFFSET);
    CHECK_OK(mmapc_residency(m, 0, size, &count, NULL));
    CHECK(count >= 1 && count <= (off % ps + size + ps - 1) / ps); /* the pages it touches */
    CHECK_RC(mmapc_residency(m, size, 1, &count, NULL), MMAPC_EINVAL_OFFSET);
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_NONE));
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_READ));
    CHECK(p[size - 1] == (unsigned char)((off + size - 1) * 7 + 1));
    /* split at the first page boundary of the memory after ptr, then merge back */
    size_t at = ps - (size_t)(off % ps);
    mmapc_map *back = NULL;
    CHECK_RC(mmapc_split_off(m, size, &back), MMAPC_EINVAL_OFFSET);
    if (at < size) {
        REQUIRE_OK(mmapc_split_off(m, at, &back));
        CHECK(mmapc_size(m) == at && mmapc_size(back) == size - at);
        CHECK(mmapc_end(back) == (uintptr_t)p + size);
        CHECK(mmapc_file_offset(back) == off + at);
        CHECK_RC(mmapc_flush(back, 0, size - at + 1), MMAPC_EINVAL_OFFSET);
        CHECK_OK(mmapc_flush(back, 0, size - at));
        CHECK_OK(mmapc_merge(back, m)); /* either order */
        m = back;
        CHECK(mmapc_size(m) == size && mmapc_ptr(m) == p);
        CHECK(holds_pattern(m, off, size));
    }
    mmapc_unmap(m);
    /* a reservation has the same size, before and after its commit, also in pieces */
    m = NULL;
    REQUIRE_OK(mmapc_reserve_file(&m, size, MMAPC_PROT_READ, f, off, NULL));
    CHECK(mmapc_size(m) == size && mmapc_end(m) == mmapc_start(m) + size);
    CHECK_RC(mmapc_flush(m, 0, size + 1), MMAPC_EINVAL_OFFSET);
    back = NULL;
    if (at < size) {
        REQUIRE_OK(mmapc_split_off(m, at, &back));
        CHECK(mmapc_size(back) == size - at);
        CHECK_OK(mmapc_commit(back));
    }
    CHECK_OK(mmapc_commit(m));
    if (back)
        CHECK_OK(mmapc_merge(m, back));
    CHECK(mmapc_size(m) == size && mmapc_end(m) == mmapc_start(m) + size);
    CHECK(holds_pattern(m, off, size));
    mmapc_unmap(m);
}

static void exact_sizes(void)
{
    char path[TU_PATH_MAX];
    size_t len = 2 * gran + 3 * ps;
    mmapc_file f = tu_temp_file(NULL, len, path);
    uint64_t offsets[] = {0, 1, ps - 1, ps, gran + 1, 2 * gran - 1};
    size_t sizes[] = {1, 100, ps - 1, ps, ps + 1, 2 * ps + 3};
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j++) {
            mmapc_map *m = NULL;
            REQUIRE_OK(mmapc_map_file(&m, sizes[j], MMAPC_PROT_READ, f, offsets[i], NULL));
            exact_one(m, f, offsets[i], sizes[j]);
        }
    }
    /* a shared writable mapping writes its last byte, and only its bytes, to the file */
    const mmapc_options shared = {.flags = MMAPC_SHARED};
    mmapc_map *w = NULL;
    REQUIRE_OK(mmapc_map_file(&w, 100, MMAPC_PROT_RW, f, 1, &shared));
    CHECK(mmapc_size(w) == 100);
    ((unsigned char *)mmapc_ptr(w))[99] = 0xee;
    CHECK_OK(mmapc_flush(w, 99, 100));
    mmapc_unmap(w);
    unsigned char got[2];
    tu_read(path, 100, got, 2);
    CHECK(got[0] == 0xee && got[1] == (unsigned char)(101 * 7 + 1));
    tu_close(f);
    tu_remove(path);
}

static void fill(unsigned char *p, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i += 4093)
        p[i] = (unsigned char)(i * seed + 3);
}

static int filled(const unsigned char *p, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i += 4093) {
        if (p[i] != (unsigned char)(i * seed + 3))
            return 0;
    }
    return 1;
}

/* Anonymous memory: in place within its capacity, by moving without one. */
static void grow_anon(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon_growable(&m, 1, 64 * MIB, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    CHECK(mmapc_size(m) == ps && mmapc_capacity(m) == 64 * MIB);
    p[0] = 42;
    CHECK_OK(mmapc_resize(m, 64 * MIB, 0));
    CHECK(mmapc_ptr(m) == p && mmapc_size(m) == 64 * MIB);
    CHECK(p[0] == 42 && p[64 * MIB - 1] == 0);
    fill(p, 64 * MIB, 5);
    CHECK_OK(mmapc_resize(m, MIB, 0)); /* shrink: the capacity stays */
    CHECK(mmapc_ptr(m) == p && mmapc_size(m) == MIB && mmapc_capacity(m) == 64 * MIB);
    CHECK(filled(p, MIB, 5));
    CHECK_OK(mmapc_resize(m, 2 * MIB, 0)); /* grows back zeroed */
    CHECK(filled(p, MIB, 5) && p[MIB] == 0 && p[2 * MIB - 1] == 0);
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_READ));
    CHECK_OK(mmapc_resize(m, 3 * MIB, 0));
    CHECK(mmapc_protection(m) == MMAPC_PROT_READ && p[3 * MIB - 1] == 0);
    /* past the capacity without moving: in place where the system finds room (Linux mremap),
     * otherwise refused and unchanged */
    CHECK_OK(mmapc_resize(m, 64 * MIB, 0));
    int rc = mmapc_resize(m, 64 * MIB + 1, 0);
    CHECK(rc == 0 || rc == MMAPC_EEXIST || rc == MMAPC_ENOMEM);
    CHECK(mmapc_ptr(m) == p && mmapc_size(m) == (rc ? 64 * MIB : 64 * MIB + ps));
    CHECK(filled(p, MIB, 5));
    mmapc_unmap(m);

    /* without capacity: moving when allowed, contents kept */
    REQUIRE_OK(mmapc_map_anon(&m, 1, MMAPC_PROT_RW, NULL));
    fill(mmapc_ptr(m), ps, 7);
    rc = mmapc_resize(m, 64 * MIB, 0);
    CHECK(rc == 0 || rc == MMAPC_ENOMEM || rc == MMAPC_EEXIST);
    if (rc)
        CHECK(mmapc_size(m) == ps);
    CHECK_OK(mmapc_resize(m, 64 * MIB, MMAPC_RESIZE_MAY_MOVE));
    CHECK(mmapc_size(m) == 64 * MIB && filled(mmapc_ptr(m), ps, 7));
    ((unsigned char *)mmapc_ptr(m))[64 * MIB - 1] = 1;
    CHECK_OK(mmapc_resize(m, ps, 0));
    CHECK(mmapc_size(m) == ps && filled(mmapc_ptr(m), ps, 7));
    mmapc_unmap(m);

    /* refusals */
    REQUIRE_OK(mmapc_map_anon_growable(&m, 2 * ps, 4 * ps, MMAPC_PROT_RW, NULL));
    mmapc_map *back = NULL;
    CHECK_RC(mmapc_resize(NULL, ps, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_resize(m, ps, 4), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_resize(m, 0, 0), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_resize(m, SIZE_MAX, MMAPC_RESIZE_MAY_MOVE), MMAPC_EINVAL_SIZE);
    REQUIRE_OK(mmapc_split_off(m, ps, &back));
    CHECK_RC(mmapc_resize(m, 3 * ps, 0), MMAPC_EINVAL_OP); /* a split piece */
    CHECK_RC(mmapc_resize(back, 3 * ps, 0), MMAPC_EINVAL_OP);
    REQUIRE_OK(mmapc_merge(m, back));
    CHECK(mmapc_capacity(m) == 4 * ps);
    CHECK_OK(mmapc_resize(m, 4 * ps, 0));
    mmapc_unmap(m);
    CHECK_RC(mmapc_map_anon_growable(&m, 2 * ps, ps, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_anon_growable(&m, 101, 100, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_anon_growable(&m, ps + 2, ps + 1, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    REQUIRE_OK(mmapc_reserve_anon(&m, ps, MMAPC_PROT_RW, NULL));
    CHECK_RC(mmapc_resize(m, 2 * ps, MMAPC_RESIZE_MAY_MOVE), MMAPC_EINVAL_OP);
    mmapc_unmap(m);
}

/* Size and capacity are both rounded up to pages: the capacity is compared with the size asked
 * for, not with its rounded value (100 and 100 hold one page, and grow to it in place). */
static void anon_rounding(void)
{
    const size_t pairs[][2] = {{100, 100},   {100, 200}, {ps + 1, ps + 2}, {100, ps},
                               {ps, ps + 1}, {1, 1},     {ps - 1, ps},     {ps + 1, 2 * ps + 1}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        size_t size = pairs[i][0], cap = pairs[i][1];
        size_t want_size = (size + ps - 1) / ps * ps, want_cap = (cap + ps - 1) / ps * ps;
        mmapc_map *m = NULL;
        int rc = mmapc_map_anon_growable(&m, size, cap, MMAPC_PROT_RW, NULL);
        if (rc)
            fprintf(stderr, "size %zu, capacity %zu: %s\n", size, cap, mmapc_err_name(rc));
        CHECK(rc == 0);
        if (rc)
            continue;
        unsigned char *p = mmapc_ptr(m);
        CHECK(mmapc_size(m) == want_size && mmapc_capacity(m) == want_cap);
        CHECK_OK(mmapc_resize(m, want_cap, 0));
        CHECK(mmapc_ptr(m) == p && mmapc_size(m) == want_cap);
        p[want_cap - 1] = 1;
        mmapc_unmap(m);
    }
}

/* The capacity of a file mapping counts to the end of the pages it holds: those of its last
 * page past its size (it grows into them in place) and, once growth used the tail up, those
 * still past the size. */
static void file_capacity(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 8 * ps, path);
    const mmapc_options shared = {.flags = MMAPC_SHARED};
    mmapc_map *m = NULL;
    /* the capacity ends inside the first page */
    REQUIRE_OK(mmapc_map_file_growable(&m, 100, 4000, MMAPC_PROT_RW, f, 0, &shared));
    unsigned char *p = mmapc_ptr(m);
    CHECK(mmapc_size(m) == 100 && mmapc_capacity(m) == ps);
    CHECK_OK(mmapc_resize(m, 4000, 0));
    CHECK(mmapc_ptr(m) == p && mmapc_size(m) == 4000 && holds_pattern(m, 0, 4000));
    CHECK(mmapc_capacity(m) == ps);
    mmapc_unmap(m);
    /* at an unaligned offset: from mmapc_ptr() to the end of the page */
    REQUIRE_OK(mmapc_map_file_growable(&m, 100, 200, MMAPC_PROT_RW, f, 1, &shared));
    CHECK(mmapc_size(m) == 100 && mmapc_capacity(m) == ps - 1);
    mmapc_unmap(m);
    /* without a capacity: the last page all the same */
    REQUIRE_OK(mmapc_map_file_growable(&m, 100, 0, MMAPC_PROT_RW, f, 0, &shared));
    p = mmapc_ptr(m);
    CHECK(mmapc_capacity(m) == ps);
    CHECK_OK(mmapc_resize(m, ps, 0));
    CHECK(mmapc_ptr(m) == p && holds_pattern(m, 0, ps));
    mmapc_unmap(m);
#ifndef _WIN32 /* a view cannot reach past its file: no tail there */
    /* growth that uses the tail up */
    REQUIRE_OK(mmapc_map_file_growable(&m, 100, 2 * ps + 10, MMAPC_PROT_RW, f, 0, &shared));
    p = mmapc_ptr(m);
    CHECK(mmapc_capacity(m) == 3 * ps);
    CHECK_OK(mmapc_resize(m, 2 * ps + 10, 0));
    CHECK(mmapc_ptr(m) == p && mmapc_capacity(m) == 3 * ps);
    CHECK_OK(mmapc_resize(m, 3 * ps, 0));
    CHECK(mmapc_ptr(m) == p && holds_pattern(m, 0, 3 * ps));
    mmapc_unmap(m);
#endif
    /* a mapping that cannot grow: its size */
    REQUIRE_OK(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, ps + 5, NULL));
    CHECK(mmapc_capacity(m) == 7 * ps - 5);
    mmapc_unmap(m);
    CHECK(tu_file_size(path) == 8 * ps);
    tu_close(f);
    tu_remove(path);
}

/* A file mapping: the file grows with it, storage first; shrinking leaves the file alone. */
static void grow_file(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 1, path);
    const mmapc_options shared = {.flags = MMAPC_SHARED};
    mmapc_map *m = NULL;
    int files_before = tu_open_files();
    REQUIRE_OK(mmapc_map_file_growable(&m, MMAPC_TO_END, 64 * MIB, MMAPC_PROT_RW, f, 0, &shared));
    CHECK(tu_open_files() > files_before); /* its own duplicate, to extend the file */
    CHECK(mmapc_size(m) == 1 && holds_pattern(m, 0, 1));
    unsigned char *p = mmapc_ptr(m);
#ifdef _WIN32
    unsigned move = MMAPC_RESIZE_MAY_MOVE; /* a view cannot reach past its file */
    CHECK(mmapc_capacity(m) == ps);        /* its one page, no tail */
#else
    unsigned move = 0;
    CHECK(mmapc_capacity(m) == 64 * MIB);
#endif
    CHECK_OK(mmapc_resize(m, 64 * MIB, move));
    if (!move)
        CHECK(mmapc_ptr(m) == p);
    p = mmapc_ptr(m);
    CHECK(mmapc_size(m) == 64 * MIB && tu_file_size(path) == 64 * MIB);
    CHECK(holds_pattern(m, 0, 1) && p[1] == 0 && p[64 * MIB - 1] == 0);
    p[64 * MIB - 1] = 77;
    CHECK_OK(mmapc_flush(m, 64 * MIB - 1, 64 * MIB));
    unsigned char last = 0;
    tu_read(path, 64 * MIB - 1, &last, 1);
    CHECK(last == 77);
    /* shrinking keeps the file */
    CHECK_OK(mmapc_resize(m, MIB + 3, 0));
    CHECK(mmapc_ptr(m) == p && mmapc_size(m) == MIB + 3 && tu_file_size(path) == 64 * MIB);
    /* growing within the file does not change it */
    CHECK_OK(mmapc_resize(m, 32 * MIB, move));
    CHECK(tu_file_size(path) == 64 * MIB && ((unsigned char *)mmapc_ptr(m))[0] == 1);
    mmapc_unmap(m);
    CHECK(tu_open_files() == files_before);

    /* from an empty mapping at an unaligned end */
    tu_truncate(f, gran + 5);
    REQUIRE_OK(mmapc_map_file_growable(&m, MMAPC_TO_END, 0, MMAPC_PROT_RW, f, gran + 5, &shared));
    CHECK(mmapc_size(m) == 0 && mmapc_file_offset(m) == gran + 5);
    CHECK_OK(mmapc_resize(m, 3, MMAPC_RESIZE_MAY_MOVE));
    CHECK(mmapc_size(m) == 3 && tu_file_size(path) == gran + 8);
    memcpy(mmapc_ptr(m), "xyz", 3);
    CHECK_OK(mmapc_flush(m, 0, 3));
    char got[3];
    tu_read(path, gran + 5, got, 3);
    CHECK(memcmp(got, "xyz", 3) == 0);
    mmapc_unmap(m);

    /* from an empty mapping with a capacity: its place is held, and it grows there */
    tu_truncate(f, gran + 8);
    REQUIRE_OK(mmapc_map_file_growable(&m, MMAPC_TO_END, MIB, MMAPC_PROT_RW, f, gran + 8, &shared));
    CHECK(mmapc_size(m) == 0 && mmapc_ptr(m) != NULL);
    p = mmapc_ptr(m);
    CHECK_OK(mmapc_resize(m, 2, move));
    CHECK(mmapc_size(m) == 2 && tu_file_size(path) == gran + 10);
    if (!move)
        CHECK(mmapc_ptr(m) == p && mmapc_capacity(m) >= MIB);
    memcpy(mmapc_ptr(m), "!?", 2);
    CHECK_OK(mmapc_flush(m, 0, 2));
    tu_read(path, gran + 7, got, 3);
    CHECK(memcmp(got, "z!?", 3) == 0);
    mmapc_unmap(m);

    /* refusals: a private or read-only mapping may not extend the file; a plain map keeps no
     * file to grow with */
    REQUIRE_OK(mmapc_map_file_growable(&m, MMAPC_TO_END, 0, MMAPC_PROT_RW, f, 0, NULL));
    size_t size = mmapc_size(m);
    CHECK_RC(mmapc_resize(m, size + 1, MMAPC_RESIZE_MAY_MOVE), MMAPC_EINVAL_SIZE);
    CHECK(mmapc_size(m) == size && tu_file_size(path) == gran + 10);
    mmapc_unmap(m);
    REQUIRE_OK(mmapc_map_file_growable(&m, 1, 0, MMAPC_PROT_READ, f, 0, &shared));
    CHECK_RC(mmapc_resize(m, gran + 11, MMAPC_RESIZE_MAY_MOVE), MMAPC_EINVAL_SIZE);
    CHECK_OK(mmapc_resize(m, gran + 10, MMAPC_RESIZE_MAY_MOVE));
    CHECK(holds_pattern(m, 0, 1) && ((unsigned char *)mmapc_ptr(m))[gran + 5] == 'x');
    mmapc_unmap(m);
    REQUIRE_OK(mmapc_map_file_whole(&m, MMAPC_PROT_RW, f, 0, &shared));
    CHECK_RC(mmapc_resize(m, 1, 0), MMAPC_EINVAL_OP);
    mmapc_unmap(m);
    CHECK_RC(mmapc_map_file_growable(&m, 2, 1, MMAPC_PROT_READ, f, 0, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_file_growable(&m, gran + 11, 0, MMAPC_PROT_READ, f, 0, NULL),
             MMAPC_EINVAL_SIZE);
    CHECK(tu_open_files() == files_before);
    tu_close(f);
    tu_remove(path);
}

int main(void)
{
    ps = mmapc_page_size();
    gran = mmapc_allocation_granularity();
    empty_files();
    offset_at_end();
    any_offset();
    exact_sizes();
    grow_anon();
    anon_rounding();
    grow_file();
    file_capacity();
    return check_done();
}
