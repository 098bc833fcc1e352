// SPDX-License-Identifier: MIT
/*
 * Rows of memory areas: query the area holding an address, and enumerate all areas, with N
 * extra areas in the process. The queried area lies above the extra ones, so a text scan
 * passes all N lines before the match while a direct query should not care about N.
 */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define NAME_SIZE 4096 /* both sides ask for the area's name into a buffer this large */

typedef struct query_ctx {
    uintptr_t addr;
    uintptr_t start; /* the answer, checked against the other side's */
    mmapc_proc *proc;
    int fd;
    char *text; /* the raw text scan's buffer, kept across calls */
    size_t cap;
    size_t count; /* areas or lines, for enumeration */
    char name[NAME_SIZE];
} query_ctx;

static void check_query(int rc, const char *what)
{
    if (rc)
        bench_die(what, rc);
}

static void q_mmapc_oneshot(void *arg)
{
    query_ctx *c = arg;
    mmapc_area a;
    check_query(mmapc_area_query(MMAPC_SELF, c->addr, &a, c->name, NAME_SIZE), "mmapc_area_query");
    c->start = a.start;
}

static void q_mmapc_proc(void *arg)
{
    query_ctx *c = arg;
    mmapc_area a;
    check_query(mmapc_proc_query(c->proc, c->addr, &a, c->name, NAME_SIZE), "mmapc_proc_query");
    c->start = a.start;
}

static void q_raw_ioctl(query_ctx *c, int fd)
{
    uint64_t start, end;
    if (raw_procmap_query(fd, c->addr, &start, &end, c->name, NAME_SIZE) != 0)
        bench_die("PROCMAP_QUERY", 0);
    c->start = (uintptr_t)start;
}

static void q_raw_oneshot(void *arg)
{
    query_ctx *c = arg;
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        bench_die("open /proc/self/maps", 0);
    q_raw_ioctl(c, fd);
    close(fd);
}

static void q_raw_fd(void *arg)
{
    query_ctx *c = arg;
    q_raw_ioctl(c, c->fd);
}

static void q_raw_text(void *arg)
{
    query_ctx *c = arg;
    if (raw_read_maps(&c->text, &c->cap) < 0)
        bench_die("read /proc/self/maps", 0);
    c->start = (uintptr_t)raw_text_find(c->text, c->addr);
}

static void e_mmapc(void *arg)
{
    query_ctx *c = arg;
    mmapc_areas *it;
    check_query(mmapc_areas_open(&it, MMAPC_SELF), "mmapc_areas_open");
    mmapc_area a;
    size_t n = 0;
    int rc;
    while ((rc = mmapc_areas_next(it, &a)) == 1)
        n++;
    mmapc_areas_close(it);
    check_query(rc, "mmapc_areas_next");
    c->count = n;
}

static void e_raw(void *arg)
{
    query_ctx *c = arg;
    long len = raw_read_maps(&c->text, &c->cap);
    if (len < 0)
        bench_die("read /proc/self/maps", 0);
    c->count = raw_count_lines(c->text, (size_t)len);
}

/* Time mmapc against raw on one pair of functions; one table row; the two medians go to q. */
static void pair(const char *op, const char *param, bench_fn mine, bench_fn raw,
                 const char *raw_name, const char *target, query_ctx *a, query_ctx *b, double *q)
{
    bench_variant v[] = {{"mmapc", mine, a}, {raw_name, raw, b}};
    bench_result r;
    bench_run(v, 2, 0, &r);
    int same = a->start == b->start && a->count == b->count;
    bench_row(op, param, r.median_ns[0], raw_name, r.median_ns[1], r.ratio[1], target,
              same ? NULL : "ANSWERS DIFFER");
    q[0] = r.median_ns[0];
    q[1] = r.median_ns[1];
}

static void rows_for(size_t n, uintptr_t target, FILE *dat, double q[6])
{
    extra_areas e;
    if (extra_areas_make(&e, n) != 0)
        bench_die("making the extra areas (mmap/mprotect)", 0);
    if (n && (uintptr_t)e.base > target)
        bench_note("N=%zu: the extra areas lie above the queried one", n);
    query_ctx *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!a || !b)
        bench_die("calloc", 0);
    a->addr = b->addr = target;
    check_query(mmapc_proc_open(&a->proc, MMAPC_SELF, 0), "mmapc_proc_open");
    b->fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (b->fd < 0)
        bench_die("open /proc/self/maps", 0);
    char param[32];
    snprintf(param, sizeof param, "N=%zu", n);
    if (raw_procmap_available()) {
        pair("query one-shot", param, q_mmapc_oneshot, q_raw_oneshot, "open+PROCMAP_QUERY+close",
             "<= 1.2", a, b, q);
        if (!mmapc_proc_direct(a->proc))
            bench_note("the process handle does not use PROCMAP_QUERY");
        pair("query via process handle", param, q_mmapc_proc, q_raw_fd, "PROCMAP_QUERY kept fd",
             "<= 1.03", a, b, q + 2);
    }
    mmapc_proc_close(a->proc);
    check_query(mmapc_proc_open(&a->proc, MMAPC_SELF, MMAPC_PROC_TEXT), "mmapc_proc_open text");
    pair("query, text path", param, q_mmapc_proc, q_raw_text, "read maps+sscanf to match", "<= 1.0",
         a, b, q + 4);
    if (n != 100)
        pair("enumerate all areas", param, e_mmapc, e_raw, "read maps+count lines", "<= 1.15", a, b,
             (double[2]){0});
    fprintf(dat, "%zu", n);
    for (int i = 0; i < 6; i++) { /* NaN: not measured here, a gap in the plot */
        if (q[i] > 0)
            fprintf(dat, " %.1f", q[i]);
        else
            fprintf(dat, " NaN");
    }
    fprintf(dat, "\n");
    mmapc_proc_close(a->proc);
    close(b->fd);
    free(b->text);
    free(a);
    free(b);
    extra_areas_free(&e);
}

void bench_areas_rows(void)
{
    static const size_t counts[] = {0, 100, 1000, 10000};
    char path[4096];
    snprintf(path, sizeof path, "%s/query.dat", bench_cfg.out_dir);
    FILE *dat = fopen(path, "w");
    if (!dat)
        bench_die("creating query.dat", 0);
    fprintf(dat, "# N mmapc_oneshot raw_oneshot mmapc_handle raw_fd mmapc_text raw_text (ns)\n");
    /* mapped before the extra areas, so that it lies above them (mmap places top-down) */
    void *target = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (target == MAP_FAILED)
        bench_die("mmap", 0);
    enum { LEVELS = sizeof counts / sizeof counts[0] };
    double q[LEVELS][6] = {{0}};
    if (!raw_procmap_available())
        bench_note("direct query rows skipped: this kernel has no PROCMAP_QUERY (Linux 6.11+)");
    for (size_t i = 0; i < LEVELS; i++)
        rows_for(counts[i], (uintptr_t)target, dat, q[i]);
    if (q[0][0] > 0)
        bench_note("flat in N? N=10000 / N=0: mmapc one-shot %.2fx (raw %.2fx), process handle "
                   "%.2fx (raw %.2fx)",
                   q[LEVELS - 1][0] / q[0][0], q[LEVELS - 1][1] / q[0][1],
                   q[LEVELS - 1][2] / q[0][2], q[LEVELS - 1][3] / q[0][3]);
    munmap(target, 4096);
    fclose(dat);
}
