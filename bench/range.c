// SPDX-License-Identifier: MIT
/* Rows of ranges: a commit + decommit cycle of a piece of a reservation, advice, and the
 * residency of 1 GiB, each against the system calls it makes, done by hand. */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PIECE ((size_t)64 << 10)

/* ---- commit + touch + decommit of the middle 64 KiB of a 192 KiB reservation ---- */

typedef struct cycle_ctx {
    mmapc_map *piece; /* mmapc: the middle piece of its own reservation */
    char *raw;        /* raw: the middle of another reservation of the same shape */
} cycle_ctx;

static void cycle_mmapc(void *arg)
{
    cycle_ctx *c = arg;
    int rc = mmapc_commit(c->piece);
    if (rc)
        bench_die("mmapc_commit", rc);
    *(volatile char *)mmapc_ptr(c->piece) = 1;
    rc = mmapc_decommit(c->piece);
    if (rc)
        bench_die("mmapc_decommit", rc);
}

/* What a careful caller writes: a fixed read-write map over the reservation, and a fixed
 * inaccessible no-reserve map to give it back. */
static void cycle_raw_mmap(void *arg)
{
    cycle_ctx *c = arg;
    if (mmap(c->raw, PIECE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
             0) == MAP_FAILED)
        bench_die("mmap", 0);
    *(volatile char *)c->raw = 1;
    if (mmap(c->raw, PIECE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1,
             0) == MAP_FAILED)
        bench_die("mmap", 0);
}

/* The cheaper idiom that keeps the commit charge: mprotect to use it, madvise + mprotect to
 * drop its pages and make it inaccessible. */
static void cycle_raw_protect(void *arg)
{
    cycle_ctx *c = arg;
    if (mprotect(c->raw, PIECE, PROT_READ | PROT_WRITE) != 0)
        bench_die("mprotect", 0);
    *(volatile char *)c->raw = 1;
    if (madvise(c->raw, PIECE, MADV_DONTNEED) != 0 || mprotect(c->raw, PIECE, PROT_NONE) != 0)
        bench_die("madvise+mprotect", 0);
}

static void cycle_rows(void)
{
    mmapc_map *whole, *piece, *back;
    int rc = mmapc_reserve_anon(&whole, 3 * PIECE, MMAPC_PROT_RW, NULL);
    if (!rc)
        rc = mmapc_split_off(whole, PIECE, &piece);
    if (!rc)
        rc = mmapc_split_off(piece, PIECE, &back);
    if (rc)
        bench_die("reserving the pieces", rc);
    char *raw_whole[2];
    for (int i = 0; i < 2; i++) {
        raw_whole[i] =
            mmap(NULL, 3 * PIECE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (raw_whole[i] == MAP_FAILED)
            bench_die("mmap", 0);
    }
    cycle_ctx a = {.piece = piece}, b = {.raw = raw_whole[0] + PIECE},
              p = {.raw = raw_whole[1] + PIECE};
    bench_variant v[] = {{"mmapc", cycle_mmapc, &a},
                         {"mmap(MAP_FIXED) x2", cycle_raw_mmap, &b},
                         {"mprotect+madvise", cycle_raw_protect, &p}};
    bench_result r;
    bench_run(v, 3, 0, &r);
    bench_row("commit+touch+decommit piece", "64 KiB", r.median_ns[0], v[1].name, r.median_ns[1],
              r.ratio[1], "<= 1.05", "the same system calls");
    bench_row("commit+touch+decommit piece", "64 KiB", r.median_ns[0], v[2].name, r.median_ns[2],
              r.ratio[2], "report", "keeps the commit charge");
    mmapc_unmap(whole);
    mmapc_unmap(piece);
    mmapc_unmap(back);
    for (int i = 0; i < 2; i++)
        munmap(raw_whole[i], 3 * PIECE);
}

/* ---- advice ---- */

typedef struct advise_ctx {
    mmapc_map *m;
    mmapc_advice advice;
    int native;
} advise_ctx;

static void advise_mmapc(void *arg)
{
    advise_ctx *c = arg;
    int rc = mmapc_advise(c->m, 0, PIECE, c->advice);
    if (rc)
        bench_die("mmapc_advise", rc);
}

static void advise_raw(void *arg)
{
    advise_ctx *c = arg;
    if (madvise(mmapc_ptr(c->m), PIECE, c->native) != 0)
        bench_die("madvise", 0);
}

static void advise_rows(void)
{
    static const struct {
        const char *name;
        mmapc_advice advice;
        int native;
    } rows[] = {
        {"advise will-need", MMAPC_ADVICE_WILL_NEED, MADV_WILLNEED},
        {"advise populate-write (resident)", MMAPC_ADVICE_POPULATE_WRITE, 23 /* POPULATE_WRITE */},
    };
    /* both sides advise the same resident 64 KiB, which neither advice changes */
    mmapc_map *m;
    int rc = mmapc_map_anon(&m, PIECE, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_POPULATE});
    if (rc)
        bench_die("mmapc_map_anon", rc);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        advise_ctx c = {m, rows[i].advice, rows[i].native};
        bench_variant v[] = {{"mmapc", advise_mmapc, &c}, {"madvise", advise_raw, &c}};
        bench_result r;
        bench_run(v, 2, 0, &r);
        bench_row(rows[i].name, "64 KiB", r.median_ns[0], "madvise", r.median_ns[1], r.ratio[1],
                  "<= 1.05", NULL);
    }
    mmapc_unmap(m);
}

/* ---- residency of 1 GiB, one page in 16 resident ---- */

typedef struct residency_ctx {
    mmapc_map *m;
    unsigned char *vec;
    size_t count;
} residency_ctx;

static void residency_mmapc(void *arg)
{
    residency_ctx *c = arg;
    int rc = mmapc_residency(c->m, 0, mmapc_size(c->m), &c->count, c->vec);
    if (rc)
        bench_die("mmapc_residency", rc);
}

static void residency_count_mmapc(void *arg)
{
    residency_ctx *c = arg;
    int rc = mmapc_residency(c->m, 0, mmapc_size(c->m), &c->count, NULL);
    if (rc)
        bench_die("mmapc_residency", rc);
}

/* mincore, and the count any caller wants from its vector */
static void residency_raw(void *arg)
{
    residency_ctx *c = arg;
    size_t n = mmapc_size(c->m) / mmapc_page_size(), count = 0;
    if (mincore(mmapc_ptr(c->m), mmapc_size(c->m), c->vec) != 0)
        bench_die("mincore", 0);
    for (size_t i = 0; i < n; i++)
        count += c->vec[i] & 1;
    c->count = count;
}

static void residency_rows(void)
{
    size_t size = bench_cfg.quick ? (size_t)64 << 20 : (size_t)1 << 30, page = mmapc_page_size();
    mmapc_map *m;
    int rc = mmapc_map_anon(&m, size, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_NO_RESERVE});
    if (rc)
        bench_die("mmapc_map_anon", rc);
    for (size_t off = 0; off < size; off += 16 * page)
        ((volatile char *)mmapc_ptr(m))[off] = 1;
    unsigned char *v1 = malloc(size / page), *v2 = malloc(size / page);
    if (!v1 || !v2)
        bench_die("malloc", 0);
    residency_ctx a = {m, v1, 0}, b = {m, v2, 0};
    char param[32];
    snprintf(param, sizeof param, "%zu MiB", size >> 20);
    bench_variant v[] = {{"mmapc", residency_mmapc, &a}, {"mincore+count", residency_raw, &b}};
    bench_result r;
    bench_run(v, 2, bench_cfg.quick ? 0 : 51, &r);
    if (a.count != b.count || a.count != size / page / 16)
        bench_die("residency: mmapc and mincore disagree", 0);
    bench_row("residency, per page", param, r.median_ns[0], v[1].name, r.median_ns[1], r.ratio[1],
              "<= 1.05", NULL);
    v[0] = (bench_variant){"mmapc", residency_count_mmapc, &a};
    bench_run(v, 2, bench_cfg.quick ? 0 : 51, &r);
    bench_row("residency, count only", param, r.median_ns[0], v[1].name, r.median_ns[1], r.ratio[1],
              "<= 1.05", "mmapc asks 32768 pages at a time");
    free(v1);
    free(v2);
    mmapc_unmap(m);
}

void bench_range_rows(void)
{
    cycle_rows();
    advise_rows();
    residency_rows();
}
