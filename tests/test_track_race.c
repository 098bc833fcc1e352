// SPDX-License-Identifier: MIT
/* Write tracking loses no write: writer threads add to a counter in random pages while another
 * thread reports and resets in a loop, taking a snapshot of the counters after each report.
 * A page whose counter changed between two snapshots was written after the first report's
 * reset of it, so it is in the next report or the one after, never in neither. Run with each
 * backend: the one the kernel offers (Windows: the write watch of a mapping created with
 * MMAPC_TRACK_WRITES), and the mprotect one (none on Windows). */
#include "check.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define PAGES 256
#define WRITERS 3
#define ROUNDS 200

static size_t page;
static unsigned char *base;
static atomic_int stop;
static atomic_ulong writes; /* made by all writers: each round waits for some */

static _Atomic uint64_t *counter(size_t i)
{
    return (_Atomic uint64_t *)(void *)(base + i * page + 8 * (i % 16));
}

static void *writer(void *arg)
{
    unsigned s = (unsigned)(uintptr_t)arg * 2654435761u + 1;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        s = s * 1103515245u + 12345u;
        size_t i = (s >> 8) % PAGES;
        /* a few hot pages, and the rest now and then */
        if ((s >> 20) % 4)
            i %= 8;
        atomic_fetch_add_explicit(counter(i), 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&writes, 1, memory_order_relaxed);
    }
    return NULL;
}

static unsigned char reports[ROUNDS + 2][PAGES];
static uint64_t snaps[ROUNDS + 2][PAGES];

/* Report the whole mapping into reports[k], as a bitmap or as runs in turn. */
static void report(mmapc_map *m, int k)
{
    memset(reports[k], 0, PAGES);
    if (k % 2) {
        unsigned char bits[PAGES / 8];
        size_t count = 0, set = 0;
        CHECK_OK(mmapc_track_bitmap(m, 0, PAGES * page, bits, &count));
        for (size_t i = 0; i < PAGES; i++) {
            reports[k][i] = bits[i / 8] >> (i % 8) & 1;
            set += reports[k][i];
        }
        CHECK(set == count);
        return;
    }
    size_t at = 0;
    while (at < PAGES * page) {
        mmapc_track_run runs[5];
        size_t count = 0, next = 0;
        CHECK_OK(mmapc_track_runs(m, at, PAGES * page - at, runs, 5, &count, &next));
        for (size_t r = 0; r < count; r++)
            for (size_t i = runs[r].offset / page; i < (runs[r].offset + runs[r].len) / page; i++)
                reports[k][i] = 1;
        if (next <= at)
            break;
        at = next;
    }
}

static void snapshot(int k)
{
    for (size_t i = 0; i < PAGES; i++)
        snaps[k][i] = atomic_load_explicit(counter(i), memory_order_relaxed);
}

static void run(unsigned flags, const char *what)
{
    mmapc_map *m;
    /* tracked from the creation with the best backend, else from the start */
    mmapc_options o = {.flags = flags ? 0 : MMAPC_TRACK_WRITES};
    REQUIRE_OK(mmapc_map_anon(&m, PAGES * page, MMAPC_PROT_RW, &o));
    base = mmapc_ptr(m);
    if (flags)
        REQUIRE_OK(mmapc_track_start(m, flags));
    printf("%s: backend %d\n", what, (int)mmapc_track_backend(m));
    snapshot(0);
    atomic_store(&stop, 0);
    pthread_t th[WRITERS];
    for (int i = 0; i < WRITERS; i++)
        REQUIRE(pthread_create(&th[i], NULL, writer, (void *)(uintptr_t)(i + 1)) == 0);
    for (int k = 1; k <= ROUNDS; k++) {
        unsigned long before = atomic_load(&writes);
        while (atomic_load(&writes) - before < 20)
            sched_yield();
        report(m, k);
        snapshot(k);
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(th[i], NULL);
    report(m, ROUNDS + 1);
    snapshot(ROUNDS + 1);
    size_t lost = 0, changed = 0, reported = 0;
    for (int k = 1; k <= ROUNDS + 1; k++)
        for (size_t i = 0; i < PAGES; i++) {
            reported += reports[k][i];
            if (snaps[k][i] == snaps[k - 1][i])
                continue;
            changed++;
            bool next = k <= ROUNDS && reports[k + 1][i];
            if (!reports[k][i] && !next) {
                if (lost++ < 5)
                    fprintf(stderr, "%s: page %zu changed before snapshot %d, not reported\n", what,
                            i, k);
            }
        }
    printf("%s: %zu changes between snapshots, %zu pages reported\n", what, changed, reported);
    CHECK(lost == 0);
    CHECK(changed > ROUNDS / 2); /* the writers did write while the reports ran */
    /* nothing written since the last report */
    unsigned char bits[PAGES / 8];
    size_t count = 1;
    CHECK_OK(mmapc_track_bitmap(m, 0, PAGES * page, bits, &count));
    CHECK(count == 0);
    mmapc_unmap(m);
}

int main(void)
{
    if (check_track_under_valgrind())
        return check_done();
    page = mmapc_page_size();
    run(0, "best");
#ifndef _WIN32 /* no mprotect backend there */
    run(MMAPC_TRACK_MPROTECT, "mprotect");
#endif
    return check_done();
}
