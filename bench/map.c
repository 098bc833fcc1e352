// SPDX-License-Identifier: MIT
/* Rows of mappings: create + destroy (anonymous, and of a file) against mmap + munmap in an
 * isolated hole; split + merge (absolute). */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct create_ctx {
    size_t size;
    int touch;
    size_t page;
    int fd;         /* the file of the file rows, opened once */
    void *expect;   /* the isolated hole: where every mapping must land */
    long misplaced; /* calls whose mapping landed elsewhere */
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
    c->misplaced += mmapc_ptr(m) != c->expect;
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
    c->misplaced += p != c->expect;
    munmap(p, c->size);
}

/* A file map: both sides check the range against the file (one fstat). */
static void file_mmapc(void *arg)
{
    create_ctx *c = arg;
    mmapc_map *m;
    int rc = mmapc_map_file(&m, c->size, MMAPC_PROT_READ, c->fd, 0, NULL);
    if (rc)
        bench_die("mmapc_map_file", rc);
    c->misplaced += mmapc_ptr(m) != c->expect;
    mmapc_unmap(m);
}

/* The same safety as mmapc's: the range checked against the file's size first. */
static void file_raw(void *arg)
{
    create_ctx *c = arg;
    struct stat st;
    if (fstat(c->fd, &st) != 0 || (uint64_t)st.st_size < c->size)
        bench_die("fstat", 0);
    void *p = mmap(NULL, c->size, PROT_READ, MAP_PRIVATE, c->fd, 0);
    if (p == MAP_FAILED)
        bench_die("mmap", 0);
    c->misplaced += p != c->expect;
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

/* One create + destroy row, both sides in the same isolated hole. */
static void create_row(const char *op, const char *param, bench_fn mine, bench_fn raw,
                       const char *raw_name, const char *target, const create_ctx *proto)
{
    bench_hole h;
    if (bench_hole_make(&h, proto->size) != 0)
        bench_die("making an isolated hole (mmap)", 0);
    create_ctx a = *proto, b = *proto;
    a.expect = b.expect = h.at;
    bench_variant v[] = {{"mmapc", mine, &a}, {raw_name, raw, &b}};
    bench_result r;
    bench_run(v, 2, 0, &r);
    char note[96];
    if (a.misplaced || b.misplaced)
        snprintf(note, sizeof note, "LANDED OUTSIDE THE HOLE: %ld mmapc, %ld raw calls",
                 a.misplaced, b.misplaced);
    else
        snprintf(note, sizeof note, "every call in the isolated hole, %s%s",
                 merge_state(h.at, proto->size), h.plugs ? " (gaps plugged)" : "");
    bench_hole_free(&h);
    bench_row(op, param, r.median_ns[0], raw_name, r.median_ns[1], r.ratio[1], target, note);
}

/* A file of size bytes in dir, deleted at once (it lives until closed): its descriptor, or -1. */
static int temp_file(const char *dir, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/mmapc-bench-map-%ld.tmp", dir, (long)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    unlink(path);
    char block[4096];
    memset(block, 0x5a, sizeof block);
    for (size_t off = 0; off < size; off += sizeof block) {
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block) {
            close(fd);
            return -1;
        }
    }
    return fd;
}

static void create_rows(void)
{
    static const size_t sizes[] = {4096, 65536};
    size_t page = mmapc_page_size();
    for (int touch = 0; touch < 2; touch++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            create_ctx c = {.size = sizes[i], .touch = touch, .page = page, .fd = -1};
            char param[32];
            snprintf(param, sizeof param, "%zu KiB", sizes[i] / 1024);
            /* the goal for the call everyone makes most is tighter */
            const char *target = !touch && sizes[i] == 4096 ? "<= 1.02" : "<= 1.05";
            create_row(touch ? "create+touch+destroy anon RW" : "create+destroy anon RW", param,
                       create_mmapc, create_raw, touch ? "mmap+touch+munmap" : "mmap+munmap",
                       target, &c);
        }
    }
    create_ctx f = {.size = (size_t)1 << 20, .page = page};
    f.fd = temp_file(bench_cfg.out_dir, f.size);
    if (f.fd < 0) {
        bench_note("file map row skipped: cannot write a file in %s", bench_cfg.out_dir);
        return;
    }
    create_row("create+destroy file map RO", "1 MiB", file_mmapc, file_raw, "fstat+mmap+munmap",
               "<= 1.02", &f);
    close(f.fd);
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
