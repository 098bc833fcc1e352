// SPDX-License-Identifier: MIT
/* Rows of mappings: create + destroy against mmap + munmap; split + merge (absolute). */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct create_ctx {
    size_t size;
    int touch;
    size_t page;
    void *last; /* address of the latest mapping, to check both sides got the same place */
} create_ctx;

static void touch_pages(volatile char *p, size_t size, size_t page)
{
    for (size_t off = 0; off < size; off += page)
        p[off] = 1;
}

static void create_mmapc(void *arg)
{
    create_ctx *c = arg;
    mmapc_map *m;
    int rc = mmapc_map_anon(&m, c->size, MMAPC_PROT_RW, NULL);
    if (rc)
        bench_die("mmapc_map_anon", rc);
    if (c->touch)
        touch_pages(mmapc_ptr(m), c->size, c->page);
    c->last = mmapc_ptr(m);
    mmapc_unmap(m);
}

static void create_raw(void *arg)
{
    create_ctx *c = arg;
    void *p = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        bench_die("mmap", 0);
    if (c->touch)
        touch_pages(p, c->size, c->page);
    c->last = p;
    munmap(p, c->size);
}

/* Whether a fresh mapping at p of size bytes became part of a larger area (merged). */
static const char *merge_state(void *p, size_t size)
{
    char *buf = NULL;
    size_t cap = 0;
    const char *state = "?";
    void *q = mmap(p, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED)
        return state;
    if (q == p && raw_read_maps(&buf, &cap) >= 0) {
        uint64_t start = raw_text_find(buf, (uint64_t)(uintptr_t)p);
        state = start == (uint64_t)(uintptr_t)p ? "own area" : "merges";
    }
    munmap(q, size);
    free(buf);
    return state;
}

static void create_rows(void)
{
    static const size_t sizes[] = {4096, 65536};
    size_t page = mmapc_page_size();
    for (int touch = 0; touch < 2; touch++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            create_ctx a = {sizes[i], touch, page, NULL}, b = a;
            bench_variant v[] = {{"mmapc", create_mmapc, &a}, {"mmap+munmap", create_raw, &b}};
            bench_result r;
            bench_run(v, 2, 0, &r);
            char param[32], note[64];
            snprintf(param, sizeof param, "%zu KiB", sizes[i] / 1024);
            /* both sides must land in the same place: a merging mapping costs more */
            snprintf(note, sizeof note, "%s, %s",
                     a.last == b.last ? "same address" : "ADDR DIFFERS",
                     merge_state(a.last, sizes[i]));
            bench_row(touch ? "create+touch+destroy anon RW" : "create+destroy anon RW", param,
                      r.median_ns[0], touch ? "mmap+touch+munmap" : "mmap+munmap", r.median_ns[1],
                      r.ratio[1], "<= 1.05", note);
        }
    }
}

static void split_merge(void *arg)
{
    mmapc_map *m = arg, *back;
    int rc = mmapc_split_off(m, mmapc_page_size(), &back);
    if (rc)
        bench_die("mmapc_split_off", rc);
    rc = mmapc_merge(m, back);
    if (rc)
        bench_die("mmapc_merge", rc);
}

/* Split a 3-page mapping after its first page and merge it back, with n extra areas around. */
static double split_merge_ns(size_t n)
{
    extra_areas e;
    int rc = extra_areas_make(&e, n);
    if (rc)
        bench_die("extra areas (mmap/mprotect)", 0);
    mmapc_map *m;
    rc = mmapc_map_anon(&m, 3 * mmapc_page_size(), MMAPC_PROT_RW, NULL);
    if (rc)
        bench_die("mmapc_map_anon", rc);
    bench_variant v[] = {{"mmapc", split_merge, m}};
    bench_result r;
    bench_run(v, 1, 0, &r);
    mmapc_unmap(m);
    extra_areas_free(&e);
    return r.median_ns[0];
}

void bench_map_rows(void)
{
    create_rows();
    double flat = split_merge_ns(0);
    bench_row("split+merge 3 pages", "N=0", flat, NULL, 0, 0, "flat", NULL);
    double many = split_merge_ns(10000);
    char note[64];
    snprintf(note, sizeof note, "%.2fx the N=0 time", many / flat);
    bench_row("split+merge 3 pages", "N=10000", many, NULL, 0, 0, "flat", note);
}
