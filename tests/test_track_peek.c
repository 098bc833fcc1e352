// SPDX-License-Identifier: MIT
/* Write tracking's look without a reset (mmapc_track_peek, mmapc_track_peek_runs) and reset
 * without a look (mmapc_track_reset), with each backend the system has, against a model: a
 * look names the pages written since the last reset and changes nothing (a second look names
 * them again, a report-and-reset after it too); a reset forgets the pages of its range only;
 * the restore loop of a snapshot (look, copy back, reset) leaves nothing counted as written;
 * refused calls change nothing. */
#include "check.h"

#include <stdint.h>

#define PAGES 96

static size_t page;

/* A mapping of size bytes tracked as flags ask: 0 is the best backend, which a mapping created
 * with MMAPC_TRACK_WRITES gets on every system (Windows' write watch needs the flag at the
 * creation). */
static mmapc_map *tracked(size_t size, unsigned flags, const unsigned char *fill, size_t fill_len)
{
    mmapc_map *m;
    if (flags == 0) {
        REQUIRE_OK(
            mmapc_map_anon(&m, size, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_TRACK_WRITES}));
        if (fill) {
            memcpy(mmapc_ptr(m), fill, fill_len);
            REQUIRE_OK(mmapc_track_reset(m, 0, size)); /* the fill is not the test's write */
        }
        return m;
    }
    REQUIRE_OK(mmapc_map_anon(&m, size, MMAPC_PROT_RW, NULL));
    if (fill)
        memcpy(mmapc_ptr(m), fill, fill_len);
    REQUIRE_OK(mmapc_track_start(m, flags));
    return m;
}

static int bit(const unsigned char *bits, size_t i)
{
    return bits[i / 8] >> (i % 8) & 1;
}

/* The bitmap of a look at the whole of m equals want. */
static void look_equals(mmapc_map *m, const unsigned char *want)
{
    unsigned char bits[PAGES / 8 + 1];
    memset(bits, 0xAA, sizeof bits);
    size_t count = 0, expect = 0, wrong = 0;
    CHECK_OK(mmapc_track_peek(m, 0, PAGES * page, bits, &count));
    for (size_t i = 0; i < PAGES; i++) {
        expect += want[i];
        wrong += bit(bits, i) != want[i];
    }
    CHECK(count == expect);
    CHECK(wrong == 0);
    CHECK(bits[PAGES / 8] == 0xAA);
    /* the runs, two at a time: the same pages */
    unsigned char seen[PAGES] = {0};
    size_t at = 0, calls = 0;
    while (at < PAGES * page && calls++ < 1000) {
        mmapc_track_run runs[2];
        size_t n = 0, next = 0;
        CHECK_OK(mmapc_track_peek_runs(m, at, PAGES * page - at, runs, 2, &n, &next));
        CHECK(next > at || n > 0);
        for (size_t r = 0; r < n; r++)
            for (size_t o = runs[r].offset; o < runs[r].offset + runs[r].len; o += page)
                seen[o / page] = 1;
        at = next;
    }
    CHECK(memcmp(seen, want, PAGES) == 0);
}

static void test_peek(unsigned flags)
{
    unsigned char *ones = malloc(PAGES * page);
    REQUIRE(ones != NULL);
    memset(ones, 1, PAGES * page);
    mmapc_map *m = tracked(PAGES * page, flags, ones, PAGES * page);
    free(ones);
    unsigned char *p = mmapc_ptr(m);
    unsigned char want[PAGES] = {0};
    look_equals(m, want);
    for (size_t i = 0; i < PAGES; i += 5) {
        p[i * page] = 2;
        want[i] = 1;
    }
    look_equals(m, want);
    look_equals(m, want); /* a look changes nothing */
    p[1 * page] = 2;      /* written after a look: added */
    want[1] = 1;
    look_equals(m, want);
    /* a report-and-reset after looks still names every page */
    unsigned char bits[PAGES / 8 + 1];
    size_t count = 0, expect = 0;
    for (size_t i = 0; i < PAGES; i++)
        expect += want[i];
    CHECK_OK(mmapc_track_bitmap(m, 0, PAGES * page, bits, &count));
    CHECK(count == expect);
    memset(want, 0, sizeof want);
    look_equals(m, want);
    /* a reset forgets its range only */
    p[2 * page] = 3;
    p[40 * page] = 3;
    p[41 * page] = 3;
    CHECK_OK(mmapc_track_reset(m, 32 * page, 32 * page));
    want[2] = 1;
    look_equals(m, want);
    /* and the pages it reset are tracked again: a later write counts */
    p[41 * page] = 4;
    want[41] = 1;
    look_equals(m, want);
    /* a discard counts as written to a look as to a report, and a reset forgets it */
    CHECK_OK(mmapc_discard(m, 60 * page, 2 * page, MMAPC_DISCARD_ZERO));
    want[60] = want[61] = 1;
    look_equals(m, want);
    CHECK_OK(mmapc_track_reset(m, 0, PAGES * page));
    memset(want, 0, sizeof want);
    look_equals(m, want);
    /* refused: nothing reset, nothing written */
    p[7 * page] = 5;
    want[7] = 1;
    memset(bits, 0x5A, sizeof bits);
    CHECK_RC(mmapc_track_peek(m, page / 2, page, bits, &count), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_track_peek(m, 0, (PAGES + 1) * page, bits, &count), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_track_peek(m, 0, page, NULL, &count), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_track_peek(NULL, 0, page, bits, &count), MMAPC_EINVAL_ARG);
    CHECK(bits[0] == 0x5A);
    CHECK_RC(mmapc_track_reset(m, page / 2, page), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_track_reset(m, PAGES * page, page), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_track_reset(m, SIZE_MAX - page + 1, page), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_track_reset(NULL, 0, page), MMAPC_EINVAL_ARG);
    size_t n = 0, next = 0;
    mmapc_track_run runs[1];
    CHECK_RC(mmapc_track_peek_runs(m, 0, page, runs, 0, &n, &next), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_track_peek_runs(m, 0, page, runs, 1, NULL, &next), MMAPC_EINVAL_ARG);
    look_equals(m, want);
    CHECK_OK(mmapc_track_stop(m));
    CHECK_RC(mmapc_track_peek(m, 0, page, bits, &count), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_track_reset(m, 0, page), MMAPC_EINVAL_OP);
    mmapc_unmap(m);
}

/* The snapshot loop: a run writes, the restore copies back the pages a look names, a reset
 * forgets the copies; the memory equals the snapshot and nothing counts as written. */
static void test_restore(unsigned flags)
{
    unsigned char *snap = malloc(PAGES * page);
    REQUIRE(snap != NULL);
    for (size_t i = 0; i < PAGES * page; i++)
        snap[i] = (unsigned char)(i * 7 + 1);
    mmapc_map *m = tracked(PAGES * page, flags, snap, PAGES * page);
    unsigned char *p = mmapc_ptr(m);
    unsigned char want[PAGES] = {0};
    for (int round = 0; round < 4; round++) {
        for (size_t i = (size_t)round; i < PAGES; i += 3 + (size_t)round)
            p[i * page + 9] ^= 0xFF;
        mmapc_track_run runs[PAGES];
        size_t n = 0, next = 0;
        CHECK_OK(mmapc_track_peek_runs(m, 0, PAGES * page, runs, PAGES, &n, &next));
        CHECK(next == PAGES * page);
        for (size_t r = 0; r < n; r++)
            memcpy(p + runs[r].offset, snap + runs[r].offset, runs[r].len);
        CHECK_OK(mmapc_track_reset(m, 0, PAGES * page));
        CHECK(memcmp(p, snap, PAGES * page) == 0);
        look_equals(m, want);
    }
    free(snap);
    mmapc_unmap(m);
}

int main(void)
{
    if (check_track_under_valgrind())
        return check_done();
    page = mmapc_page_size();
    /* the best backend, then the mprotect one, which every system but Windows has */
#ifdef _WIN32
    unsigned sets[] = {0};
#else
    unsigned sets[] = {0, MMAPC_TRACK_MPROTECT};
#endif
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        test_peek(sets[i]);
        test_restore(sets[i]);
    }
    return check_done();
}
