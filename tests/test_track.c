// SPDX-License-Identifier: MIT
/* Write tracking on every platform: with each backend the system has (the best one, then the
 * mprotect one where it differs), a model of the written pages checked against the bitmap and
 * the runs, trackers that stay independent, the calls that change a mapping (split, merge,
 * protect, discard, decommit and commit, unmap, stop), and the refused calls, which change
 * nothing; and MMAPC_TRACK_WRITES, which creates a mapping tracked. Windows tracks only memory
 * allocated with a write watch: there every mapping is created with the flag, its tracking
 * stopped, and started again by the cases (as the other systems start it on a plain mapping). */
#include "check.h"

#include <stdint.h>
#ifndef _WIN32
#include <sys/resource.h>
#endif

#define PAGES 200

static size_t page;

/* A mapping of n pages that mmapc_track_start() can track: on Windows, made with a write watch
 * (MMAPC_TRACK_WRITES, which tracks it from the start: stopped here). */
static int new_map(mmapc_map **m, size_t n)
{
#ifdef _WIN32
    int rc =
        mmapc_map_anon(m, n * page, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_TRACK_WRITES});
    if (!rc) {
        CHECK(mmapc_track_backend(*m) == MMAPC_TRACKER_WRITE_WATCH);
        CHECK_OK(mmapc_track_stop(*m));
    }
    return rc;
#else
    return mmapc_map_anon(m, n * page, MMAPC_PROT_RW, NULL);
#endif
}

/* Report the whole of m as a bitmap; *count the pages written. */
static void bitmap(mmapc_map *m, unsigned char *bits, size_t *count)
{
    memset(bits, 0xAA, (PAGES + 7) / 8 + 1);
    CHECK_OK(mmapc_track_bitmap(m, 0, mmapc_size(m), bits, count));
}

static int bit(const unsigned char *bits, size_t i)
{
    return bits[i / 8] >> (i % 8) & 1;
}

/* Write the pages set in want (n of them), report, and compare with the model through both
 * outputs (the runs with a small array, continued). */
static void model_round(mmapc_map *m, const unsigned char *want, size_t n, int runs_cap)
{
    unsigned char *p = mmapc_ptr(m);
    size_t expect = 0;
    for (size_t i = 0; i < n; i++)
        if (want[i]) {
            p[i * page + (i % 7)] = (unsigned char)(i + 1);
            expect++;
        }
    if (runs_cap == 0) {
        unsigned char bits[(PAGES + 7) / 8 + 1];
        size_t count = 0;
        bitmap(m, bits, &count);
        CHECK(count == expect);
        size_t wrong = 0;
        for (size_t i = 0; i < n; i++)
            wrong += bit(bits, i) != want[i];
        CHECK(wrong == 0);
        CHECK(bits[(PAGES + 7) / 8] == 0xAA); /* nothing written past the bits asked for */
        return;
    }
    unsigned char seen[PAGES] = {0};
    size_t at = 0, total = 0, calls = 0;
    mmapc_track_run runs[64];
    while (at < n * page && calls++ < 10000) {
        size_t count = 0, next = 0;
        CHECK_OK(mmapc_track_runs(m, at, n * page - at, runs, (size_t)runs_cap, &count, &next));
        CHECK(count <= (size_t)runs_cap);
        CHECK(next > at || count > 0);
        for (size_t r = 0; r < count; r++) {
            CHECK(runs[r].offset % page == 0 && runs[r].len % page == 0 && runs[r].len > 0);
            CHECK(runs[r].offset >= at && runs[r].offset + runs[r].len <= next);
            for (size_t i = runs[r].offset / page; i < (runs[r].offset + runs[r].len) / page; i++) {
                CHECK(!seen[i]);
                seen[i] = 1;
                total++;
            }
        }
        at = next;
    }
    CHECK(total == expect);
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++)
        wrong += seen[i] != want[i];
    CHECK(wrong == 0);
}

static unsigned rnd_state = 12345;
static unsigned rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 16;
}

static void test_model(unsigned flags)
{
    mmapc_map *m;
    REQUIRE_OK(new_map(&m, PAGES));
    memset(mmapc_ptr(m), 1, PAGES * page); /* populated before: both kinds of page */
    mmapc_map *half;
    REQUIRE_OK(mmapc_track_start(m, flags));
    CHECK(mmapc_track_backend(m) != MMAPC_TRACKER_NONE);
    unsigned char want[PAGES];
    memset(want, 0, sizeof want);
    model_round(m, want, PAGES, 0); /* nothing written since the start */
    for (int round = 0; round < 12; round++) {
        int density = round % 4; /* none, sparse, dense, all */
        for (size_t i = 0; i < PAGES; i++)
            want[i] = density == 3 || (density && rnd() % (density == 1 ? 17 : 2) == 0);
        int caps[] = {0, 1, 3, 64};
        model_round(m, want, PAGES, caps[round % 4]);
    }
    memset(want, 0, sizeof want);
    model_round(m, want, PAGES, 0); /* a report resets: nothing the second time */
    /* a sub-range reports and resets only its own pages */
    unsigned char *p = mmapc_ptr(m);
    p[3 * page] = 1;
    p[10 * page] = 1;
    unsigned char bits[PAGES / 8];
    size_t count = 0;
    CHECK_OK(mmapc_track_bitmap(m, 8 * page, 8 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x04);
    CHECK_OK(mmapc_track_bitmap(m, 0, 8 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x08);
    /* a guarded write counts too */
    CHECK_OK(mmapc_write(m, 5 * page + 1, "x", 1, NULL));
    CHECK_OK(mmapc_track_bitmap(m, 0, 8 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x20);
    /* split: each piece reports its own pages; merged back, the whole */
    REQUIRE_OK(mmapc_split_off(m, 100 * page, &half));
    CHECK(mmapc_track_backend(half) == mmapc_track_backend(m));
    p[1 * page] = 1;
    p[101 * page] = 1;
    p[102 * page] = 1;
    CHECK_OK(mmapc_track_bitmap(half, 0, 100 * page, bits, &count));
    CHECK(count == 2 && (bits[0] & 0x07) == 0x06);
    CHECK_OK(mmapc_track_bitmap(m, 0, 8 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x02);
    CHECK_OK(mmapc_merge(m, half));
    p[150 * page] = 1;
    mmapc_track_run runs[4];
    size_t next = 0;
    CHECK_OK(mmapc_track_runs(m, 0, PAGES * page, runs, 4, &count, &next));
    CHECK(count == 1 && runs[0].offset == 150 * page && runs[0].len == page &&
          next == PAGES * page);
    /* stop: the pages are plainly writable, reports refused */
    CHECK_OK(mmapc_track_stop(m));
    CHECK(mmapc_track_backend(m) == MMAPC_TRACKER_NONE);
    memset(p, 2, PAGES * page);
    CHECK_RC(mmapc_track_bitmap(m, 0, page, bits, &count), MMAPC_EINVAL_OP);
    CHECK_OK(mmapc_track_stop(m)); /* not tracked: nothing to do */
    /* again, then unmapped while tracked */
    REQUIRE_OK(mmapc_track_start(m, flags));
    p[7 * page] = 3;
    mmapc_unmap(m);
}

/* Two tracked mappings: a report on one leaves the other's record alone. */
static void test_independent(unsigned flags)
{
    mmapc_map *a, *b;
    REQUIRE_OK(new_map(&a, 16));
    REQUIRE_OK(new_map(&b, 16));
    REQUIRE_OK(mmapc_track_start(a, flags));
    REQUIRE_OK(mmapc_track_start(b, flags));
    ((unsigned char *)mmapc_ptr(a))[2 * page] = 1;
    ((unsigned char *)mmapc_ptr(b))[3 * page] = 1;
    unsigned char bits[2];
    size_t count = 0;
    CHECK_OK(mmapc_track_bitmap(a, 0, 16 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x04 && bits[1] == 0);
    CHECK_OK(mmapc_track_bitmap(b, 0, 16 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x08 && bits[1] == 0);
    /* merge of a tracked and an untracked piece, or of two records: refused, both kept */
    mmapc_map *piece;
    REQUIRE_OK(mmapc_split_off(a, 8 * page, &piece));
    CHECK_OK(mmapc_track_stop(piece));
    CHECK_RC(mmapc_merge(a, piece), MMAPC_EATTR_MISMATCH);
    CHECK(mmapc_track_backend(a) != MMAPC_TRACKER_NONE);
    CHECK(mmapc_track_backend(piece) == MMAPC_TRACKER_NONE);
    ((unsigned char *)mmapc_ptr(piece))[0] = 1; /* not tracked: plainly writable */
    CHECK_OK(mmapc_track_bitmap(a, 0, 8 * page, bits, &count));
    CHECK(count == 0);
    mmapc_unmap(piece);
    /* a tracked piece unmapped: the other goes on with the record */
    REQUIRE_OK(mmapc_split_off(b, 8 * page, &piece));
    mmapc_unmap(piece);
    ((unsigned char *)mmapc_ptr(b))[7 * page] = 1;
    CHECK_OK(mmapc_track_bitmap(b, 0, 8 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x80);
#ifndef _WIN32 /* Windows keeps the piece's pages reserved until the whole allocation goes */
    /* and a new mapping where the piece was is not taken for it (written plainly) */
    mmapc_map *again;
    REQUIRE_OK(mmapc_map_anon(&again, 8 * page, MMAPC_PROT_RW,
                              &(mmapc_options){.address = (unsigned char *)mmapc_ptr(b) + 8 * page,
                                               .flags = MMAPC_FIXED_NOREPLACE}));
    memset(mmapc_ptr(again), 3, 8 * page);
    CHECK_OK(mmapc_track_bitmap(b, 0, 8 * page, bits, &count));
    CHECK(count == 0);
    mmapc_unmap(again);
#endif
    mmapc_unmap(a);
    mmapc_unmap(b);
}

/* Protect, discard, decommit and commit keep the record right. */
static void test_changes(unsigned flags)
{
    mmapc_map *m;
    REQUIRE_OK(new_map(&m, 16));
    REQUIRE_OK(mmapc_track_start(m, flags));
    unsigned char *p = mmapc_ptr(m);
    unsigned char bits[2];
    size_t count = 0;
    p[page] = 1;
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_READ));
    CHECK(p[page] == 1); /* readable */
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RW));
    p[2 * page] = 1;
    CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
    CHECK(count == 2 && bits[0] == 0x06);
    /* a discard makes pages zeros: they changed */
    p[4 * page] = 9;
    CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
    CHECK_OK(mmapc_discard(m, 4 * page, 2 * page, MMAPC_DISCARD_ZERO));
    CHECK(p[4 * page] == 0);
    CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
    CHECK(count == 2 && bits[0] == 0x30);
    /* decommit: reports refused; commit: every page changed, then tracked again */
    int dc = mmapc_decommit(m);
    if (dc == MMAPC_EUNSUPPORTED) {
        CHECK_SKIP("no decommit here");
    } else {
        CHECK_OK(dc);
        CHECK_RC(mmapc_track_bitmap(m, 0, 16 * page, bits, &count), MMAPC_EINVAL_OP);
        CHECK(mmapc_track_backend(m) != MMAPC_TRACKER_NONE);
        CHECK_OK(mmapc_commit(m));
        CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
        CHECK(count == 16);
        CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
        CHECK(count == 0);
        p[15 * page] = 1;
        CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
        CHECK(count == 1 && bits[1] == 0x80);
    }
    CHECK_RC(mmapc_resize(m, 32 * page, MMAPC_RESIZE_MAY_MOVE), MMAPC_EINVAL_OP);
    mmapc_unmap(m);
}

/* Refused calls: clear codes, nothing reset. */
static void test_refused(unsigned flags)
{
    mmapc_map *m, *r;
    REQUIRE_OK(new_map(&m, 8));
    unsigned char bits[2];
    size_t count = 7, next = 0;
    mmapc_track_run runs[2];
    CHECK_RC(mmapc_track_bitmap(m, 0, page, bits, &count), MMAPC_EINVAL_OP); /* untracked */
    CHECK_RC(mmapc_track_start(NULL, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_track_start(m, 1u << 7), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_track_start(m, MMAPC_TRACK_MPROTECT | MMAPC_TRACK_KERNEL_ONLY),
             MMAPC_EINVAL_ARG);
    REQUIRE_OK(mmapc_track_start(m, flags));
    CHECK_RC(mmapc_track_start(m, flags), MMAPC_EINVAL_OP);
    unsigned char *p = mmapc_ptr(m);
    p[0] = 1;
    CHECK_RC(mmapc_track_bitmap(NULL, 0, page, bits, &count), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_track_bitmap(m, 0, page, NULL, &count), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_track_bitmap(m, 1, page, bits, &count), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_track_bitmap(m, 0, page + 1, bits, &count), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_track_bitmap(m, 0, 9 * page, bits, &count), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_track_bitmap(m, 8 * page, SIZE_MAX, bits, &count), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_track_runs(m, 0, page, runs, 0, &count, &next), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_track_runs(m, 0, page, NULL, 2, &count, &next), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_track_runs(m, 0, page, runs, 2, NULL, &next), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_track_runs(m, page, 9 * page, runs, 2, &count, &next), MMAPC_EINVAL_OFFSET);
    CHECK(count == 7 && next == 0); /* out-pointers untouched */
    /* the write is still there to report */
    CHECK_OK(mmapc_track_runs(m, 0, 8 * page, runs, 2, &count, &next));
    CHECK(count == 1 && runs[0].offset == 0 && runs[0].len == page && next == 8 * page);
    /* an empty range */
    CHECK_OK(mmapc_track_bitmap(m, 8 * page, 0, NULL, &count));
    CHECK(count == 0);
    mmapc_unmap(m);
    /* a reservation, a sealed mapping */
    REQUIRE_OK(mmapc_reserve_anon(&r, 4 * page, MMAPC_PROT_RW, NULL));
    CHECK_RC(mmapc_track_start(r, flags), MMAPC_EINVAL_OP);
    CHECK(mmapc_track_backend(r) == MMAPC_TRACKER_NONE);
    mmapc_unmap(r);
    CHECK(mmapc_track_backend(NULL) == MMAPC_TRACKER_NONE);
    CHECK_RC(mmapc_track_stop(NULL), MMAPC_EINVAL_ARG);
}

/* A tracked mapping protected read-only faults on a write as an untracked one does. */
static void write_read_only(void)
{
    mmapc_map *m;
    /* the fault test's child put the default action back: mmapc's handler goes first again */
    if (mmapc_guard_install(0) != 0 || mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, NULL) != 0 ||
        mmapc_track_start(m, MMAPC_TRACK_MPROTECT) != 0 || mmapc_protect(m, MMAPC_PROT_READ) != 0)
        exit(2);
    ((volatile unsigned char *)mmapc_ptr(m))[page] = 1;
}

static void write_read_only_auto(void)
{
    mmapc_map *m;
    if (mmapc_guard_install(0) != 0 || mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, NULL) != 0 ||
        mmapc_track_start(m, 0) != 0 || mmapc_protect(m, MMAPC_PROT_READ) != 0)
        exit(2);
    ((volatile unsigned char *)mmapc_ptr(m))[page] = 1;
}

static const check_fault_case faults[] = {
    {"write_read_only", write_read_only},
    {"write_read_only_auto", write_read_only_auto},
    {NULL, NULL},
};

/* MMAPC_TRACK_WRITES: tracked from the creation (or from each commit of a reservation), the
 * writes after it reported exactly. */
static void test_created(void)
{
    mmapc_options o = {.flags = MMAPC_TRACK_WRITES};
    mmapc_map *m;
    unsigned char bits[2];
    size_t count = 9;
    int rc;
    REQUIRE_OK(mmapc_map_anon(&m, 16 * page, MMAPC_PROT_RW, &o));
    CHECK(mmapc_track_backend(m) != MMAPC_TRACKER_NONE);
    CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
    CHECK(count == 0 && bits[0] == 0 && bits[1] == 0);
    unsigned char *p = mmapc_ptr(m);
    p[page] = 1;
    p[9 * page + 5] = 1;
    CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
    CHECK(count == 2 && bits[0] == 0x02 && bits[1] == 0x02);
    CHECK_RC(mmapc_track_start(m, 0), MMAPC_EINVAL_OP); /* tracked already */
    /* stopped and started again: the writes in between are forgotten */
    CHECK_OK(mmapc_track_stop(m));
    p[2 * page] = 1;
    REQUIRE_OK(mmapc_track_start(m, 0));
    p[3 * page] = 1;
    CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x08 && bits[1] == 0);
    mmapc_unmap(m);
    /* a reservation: tracked from its commit, every page counted after a commit again */
    mmapc_map *r;
    REQUIRE_OK(mmapc_reserve_anon(&r, 8 * page, MMAPC_PROT_RW, &o));
    CHECK(mmapc_track_backend(r) == MMAPC_TRACKER_NONE);
    REQUIRE_OK(mmapc_commit(r));
    CHECK(mmapc_track_backend(r) != MMAPC_TRACKER_NONE);
    p = mmapc_ptr(r);
    CHECK_OK(mmapc_track_bitmap(r, 0, 8 * page, bits, &count));
    CHECK(count == 0);
    p[4 * page] = 1;
    CHECK_OK(mmapc_track_bitmap(r, 0, 8 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x10);
    int dc = mmapc_decommit(r);
    if (dc == MMAPC_EUNSUPPORTED) {
        CHECK_SKIP("no decommit here");
    } else {
        CHECK_OK(dc);
        REQUIRE_OK(mmapc_commit(r));
        CHECK_OK(mmapc_track_bitmap(r, 0, 8 * page, bits, &count));
        CHECK(count == 8 && bits[0] == 0xFF);
        p[0] = 1;
        CHECK_OK(mmapc_track_bitmap(r, 0, 8 * page, bits, &count));
        CHECK(count == 1 && bits[0] == 0x01);
    }
    mmapc_unmap(r);
    /* a view of shared memory: tracked (the mprotect backend at least), except on Windows,
     * which cannot watch a view */
    mmapc_shm *shm;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, 16 * page, NULL));
    rc = mmapc_shm_map(&m, shm, 0, 16 * page, MMAPC_PROT_RW, &o);
#ifdef _WIN32
    CHECK_RC(rc, MMAPC_EUNSUPPORTED);
#else
    REQUIRE_OK(rc);
    CHECK(mmapc_track_backend(m) != MMAPC_TRACKER_NONE);
    ((unsigned char *)mmapc_ptr(m))[6 * page] = 1;
    CHECK_OK(mmapc_track_bitmap(m, 0, 16 * page, bits, &count));
    CHECK(count == 1 && bits[0] == 0x40 && bits[1] == 0);
    mmapc_unmap(m);
#endif
    mmapc_shm_close(shm);
    /* a file reservation cannot be decommitted should the start fail at its commit */
    CHECK_RC(mmapc_reserve_file(&r, page, MMAPC_PROT_READ, (mmapc_file)0, 0, &o), MMAPC_EINVAL_OP);
#ifdef _WIN32
    /* Windows: only an allocation made with the write watch can be tracked */
    REQUIRE_OK(mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, NULL));
    CHECK_RC(mmapc_track_start(m, 0), MMAPC_EUNSUPPORTED);
    CHECK_RC(mmapc_track_start(m, MMAPC_TRACK_KERNEL_ONLY), MMAPC_EUNSUPPORTED);
    CHECK(mmapc_track_backend(m) == MMAPC_TRACKER_NONE);
    ((unsigned char *)mmapc_ptr(m))[0] = 1; /* plainly writable */
    mmapc_unmap(m);
    REQUIRE_OK(new_map(&m, 4));
    CHECK_RC(mmapc_track_start(m, MMAPC_TRACK_MPROTECT), MMAPC_EUNSUPPORTED);
    CHECK(mmapc_track_backend(m) == MMAPC_TRACKER_NONE);
    REQUIRE_OK(mmapc_track_start(m, MMAPC_TRACK_KERNEL_ONLY));
    CHECK(mmapc_track_backend(m) == MMAPC_TRACKER_WRITE_WATCH);
    mmapc_unmap(m);
    o.flags |= MMAPC_HUGE_PAGES; /* large pages have no write watch */
    CHECK_RC(mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, &o), MMAPC_EUNSUPPORTED);
#else
    /* a start that fails: the creation fails and leaves nothing mapped. No descriptor for
     * uffd-wp, and the mprotect backend's trackers all taken. */
    mmapc_map *full[70];
    size_t used = 0;
    rc = 0;
    while (used < 70) {
        REQUIRE_OK(mmapc_map_anon(&full[used], page, MMAPC_PROT_RW, NULL));
        rc = mmapc_track_start(full[used], MMAPC_TRACK_MPROTECT);
        used++;
        if (rc)
            break;
    }
    CHECK_RC(rc, MMAPC_ELIMIT);
    mmapc_map *hole;
    REQUIRE_OK(mmapc_map_anon(&hole, 4 * page, MMAPC_PROT_RW, NULL));
    void *at = mmapc_ptr(hole);
    mmapc_unmap(hole);
    struct rlimit was;
    REQUIRE(getrlimit(RLIMIT_NOFILE, &was) == 0);
    struct rlimit none = {0, was.rlim_max};
    REQUIRE(setrlimit(RLIMIT_NOFILE, &none) == 0);
    m = NULL;
    o.address = at;
    o.flags |= MMAPC_FIXED_NOREPLACE;
    rc = mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, &o);
    REQUIRE(setrlimit(RLIMIT_NOFILE, &was) == 0);
    CHECK_RC(rc, MMAPC_ELIMIT);
    CHECK(m == NULL);
    /* nothing left where it was: the place is free again */
    o.flags = MMAPC_FIXED_NOREPLACE;
    CHECK_OK(mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, &o));
    mmapc_unmap(m);
    /* a reservation's commit: reserved again, then committed once a tracker is free */
    o.flags = MMAPC_TRACK_WRITES;
    REQUIRE_OK(mmapc_reserve_anon(&r, 4 * page, MMAPC_PROT_RW, &o));
    REQUIRE(setrlimit(RLIMIT_NOFILE, &none) == 0);
    rc = mmapc_commit(r);
    REQUIRE(setrlimit(RLIMIT_NOFILE, &was) == 0);
    CHECK_RC(rc, MMAPC_ELIMIT);
    CHECK(mmapc_is_reserved(r) == 1);
    CHECK(mmapc_track_backend(r) == MMAPC_TRACKER_NONE);
    mmapc_unmap(full[0]);
    CHECK_OK(mmapc_commit(r));
    CHECK(mmapc_track_backend(r) != MMAPC_TRACKER_NONE);
    mmapc_unmap(r);
    for (size_t i = 1; i < used; i++)
        mmapc_unmap(full[i]);
#endif
}

int main(int argc, char **argv)
{
    check_fault_main(argc, argv, faults);
    if (check_track_under_valgrind())
        return check_done();
    page = mmapc_page_size();
    mmapc_map *m;
    REQUIRE_OK(new_map(&m, 1));
    int rc = mmapc_track_start(m, 0);
    mmapc_unmap(m);
    REQUIRE_OK(rc);
    test_created();
#ifdef _WIN32
    unsigned sets[1] = {0}; /* no mprotect backend there */
#else
    unsigned sets[2] = {0, MMAPC_TRACK_MPROTECT};
    CHECK(check_faults(&faults[0]));
    CHECK(check_faults(&faults[1]));
#endif
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        test_model(sets[i]);
        test_independent(sets[i]);
        test_changes(sets[i]);
        test_refused(sets[i]);
    }
    return check_done();
}
