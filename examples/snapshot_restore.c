// SPDX-License-Identifier: MIT
/*
 * A snapshot-and-restore loop, as a snapshot fuzzer runs one: a 1 GiB region holds a program's
 * state; after each run only the pages the run wrote are copied back from the snapshot, found
 * with write tracking, instead of copying the whole gigabyte.
 *
 * The snapshot itself is sparse: tracking starts on the fresh (all-zero) region, so the first
 * report names the pages the set-up wrote, and only those are copied into the snapshot; every
 * other page of both is zero and costs no memory.
 */
#include "mmapc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REGION (sizeof(void *) < 8 ? (size_t)256 << 20 : (size_t)1 << 30) /* 32-bit: 256 MiB */
#define RUNS 4
#define MAX_RUNS 1024 /* page runs per report call: a full array is continued */

/* Copy the written pages of region from src to dst, then reset the region's record: the copies
 * into it are not the next run's writes. The look does not reset, so the copies do not fault on
 * pages protected again. Returns the pages copied. */
static size_t copy_written(mmapc_map *region, unsigned char *dst, const unsigned char *src)
{
    static mmapc_track_run runs[MAX_RUNS];
    size_t pages = 0, at = 0;
    while (at < REGION) {
        size_t count = 0, next = 0;
        int rc = mmapc_track_peek_runs(region, at, REGION - at, runs, MAX_RUNS, &count, &next);
        if (rc) {
            fprintf(stderr, "report: %s\n", mmapc_strerror(rc));
            exit(1);
        }
        for (size_t i = 0; i < count; i++) {
            memcpy(dst + runs[i].offset, src + runs[i].offset, runs[i].len);
            pages += runs[i].len / mmapc_page_size();
        }
        at = next;
    }
    int rc = mmapc_track_reset(region, 0, REGION);
    if (rc) {
        fprintf(stderr, "reset: %s\n", mmapc_strerror(rc));
        exit(1);
    }
    return pages;
}

int main(void)
{
    size_t page = mmapc_page_size();
    mmapc_map *region, *snapshot;
    /* created tracked: on Windows only memory made so can be (its write watch) */
    int rc = mmapc_map_anon(&region, REGION, MMAPC_PROT_RW,
                            &(mmapc_options){.flags = MMAPC_TRACK_WRITES});
    if (rc == 0)
        rc = mmapc_map_anon(&snapshot, REGION, MMAPC_PROT_RW, NULL);
    if (rc == MMAPC_EUNSUPPORTED) {
        /* no backend here (under valgrind, say): exit status 77, "cannot run here" to tests */
        fprintf(stderr, "write tracking is not available here: %s\n", mmapc_strerror(rc));
        return 77;
    }
    if (rc) {
        fprintf(stderr, "set-up: %s\n", mmapc_strerror(rc));
        return 1;
    }
    const char *names[] = {"none", "uffd-wp", "mprotect", "write watch"};
    printf("tracking %zu MiB with the %s backend\n", REGION >> 20,
           names[mmapc_track_backend(region)]);
    unsigned char *mem = mmapc_ptr(region), *snap = mmapc_ptr(snapshot);

    /* the set-up: a header and some tables, then the snapshot of what it wrote */
    strcpy((char *)mem, "state v1");
    for (size_t i = 0; i < 64; i++)
        mem[(i * 997 % (REGION / page)) * page + 8] = (unsigned char)i;
    size_t taken = copy_written(region, snap, mem);
    printf("snapshot: %zu pages copied\n", taken);

    /* runs that scribble over about 1% of the pages, each restored afterwards */
    unsigned seed = 1;
    for (int run = 0; run < RUNS; run++) {
        for (size_t i = 0; i < REGION / page / 100; i++) {
            seed = seed * 1103515245u + 12345u;
            mem[(seed >> 4) % (REGION / page) * page + (seed & 15)] ^= 0x5a;
        }
        strcpy((char *)mem, "state changed");
        size_t restored = copy_written(region, mem, snap);
        printf("run %d: %zu pages restored (%.1f MiB of %zu)\n", run, restored,
               (double)restored * (double)page / (1 << 20), REGION >> 20);
    }
    /* the first pages and every 61st, as in the snapshot */
    int same = strcmp((char *)mem, "state v1") == 0;
    for (size_t i = 0; same && i < REGION / page; i++)
        if (i % 61 == 0 || i < 64)
            same = memcmp(mem + i * page, snap + i * page, page) == 0;
    printf("state after the runs: \"%s\", %s the snapshot\n", (char *)mem,
           same ? "equal to" : "NOT equal to");
    mmapc_unmap(snapshot);
    mmapc_unmap(region);
    return same ? 0 : 1;
}
