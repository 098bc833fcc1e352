// SPDX-License-Identifier: MIT
/* Rows of fault-safe copies: a guarded copy (mmapc_read) of a warm mapping against a plain
 * memcpy of the same bytes into the same buffer, for 1 GiB (the target) and for 4 KiB (where the
 * fixed cost of a guarded copy shows: the two sigaction queries that check the handler, and
 * without them, MMAPC_GUARD_NO_CHECK). */
#include "bench.h"

#include "mmapc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct copy_ctx {
    mmapc_map *map;
    unsigned char *dst;
    size_t len;
} copy_ctx;

static void copy_guarded(void *arg)
{
    copy_ctx *c = arg;
    size_t done = 0;
    int rc = mmapc_read(c->map, 0, c->dst, c->len, &done);
    if (rc || done != c->len)
        bench_die("mmapc_read", rc);
}

static void copy_plain(void *arg)
{
    copy_ctx *c = arg;
    memcpy(c->dst, mmapc_ptr(c->map), c->len);
    __asm__ volatile("" : : "r"(c->dst) : "memory"); /* the copy is not optimised away */
}

static void copy_row(size_t len, int rounds, const char *op, const char *param, const char *target)
{
    copy_ctx c = {.len = len};
    int rc = mmapc_map_anon(&c.map, len, MMAPC_PROT_RW, NULL);
    if (rc)
        bench_die("mmapc_map_anon", rc);
    c.dst = malloc(len);
    if (!c.dst)
        bench_die("malloc", 0);
    /* warm: every page of both sides written before the first round */
    memset(mmapc_ptr(c.map), 0x5a, len);
    memset(c.dst, 0, len);
    /* the handler's first install is not a copy's cost */
    rc = mmapc_guard_install(strstr(op, "no check") ? MMAPC_GUARD_NO_CHECK : 0);
    if (rc)
        bench_die("mmapc_guard_install", rc);
    bench_variant v[] = {{"mmapc", copy_guarded, &c}, {"memcpy", copy_plain, &c}};
    bench_result r;
    bench_run(v, 2, rounds, &r);
    char note[80];
    snprintf(note, sizeof note, "GB/s: guarded %.2f, memcpy %.2f", len / r.median_ns[0],
             len / r.median_ns[1]);
    bench_row(op, param, r.median_ns[0], v[1].name, r.median_ns[1], r.ratio[1], target, note);
    free(c.dst);
    mmapc_unmap(c.map);
}

void bench_guard_rows(void)
{
    size_t big = bench_cfg.quick ? (size_t)64 << 20 : (size_t)1 << 30;
    char param[32];
    snprintf(param, sizeof param, "%zu MiB", big >> 20);
    /* throughput >= 0.95x is time <= 1/0.95 */
    copy_row(big, bench_cfg.quick ? 3 : 101, "guarded copy warm", param, "<= 1.053");
    copy_row(4096, 0, "guarded copy warm", "4 KiB", "report");
    copy_row(4096, 0, "guarded copy warm, no check", "4 KiB", "report");
    int rc = mmapc_guard_install(0); /* the check on again, as by default */
    if (rc)
        bench_die("mmapc_guard_install", rc);
}
