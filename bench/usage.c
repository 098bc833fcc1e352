// SPDX-License-Identifier: MIT
/*
 * Rows of memory use per area, for a child with 10,000 extra areas (1,000 in quick mode), stopped
 * in pause(): the library's iteration with usage (open, every area and its use, close) against
 * a plain read of the child's /proc/PID/smaps into a buffer, the cost the kernel sets; the totals
 * (mmapc_proc_usage_totals) against a read of smaps_rollup; and a query with usage of the
 * child's last area against a read of smaps to that area's entry; and one look of the working
 * set (mmapc_proc_wss_reset of the accessed bits, then every area's figures) against the raw
 * steps it needs: the same words written to the child's clear_refs, then a read of its smaps.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <mmapc.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct usage_ctx {
    int pid;
    mmapc_proc *proc;
    char path[64]; /* the file a raw variant reads */
    char *buf;
    size_t cap;
    uint64_t addr;  /* a query's address */
    uint64_t sum;   /* what the variant found, so that nothing is optimised away */
    size_t stop_at; /* raw query: bytes of smaps to read (to the entry after the area) */
} usage_ctx;

static void u_iterate(void *arg)
{
    usage_ctx *c = arg;
    mmapc_areas *it;
    int rc = mmapc_areas_open_usage(&it, c->pid);
    if (rc)
        bench_die("mmapc_areas_open_usage", rc);
    mmapc_area a;
    mmapc_area_usage u;
    while ((rc = mmapc_areas_next(it, &a)) == 1) {
        if ((rc = mmapc_areas_usage(it, &u)) != 0)
            break;
        c->sum += u.rss;
    }
    mmapc_areas_close(it);
    if (rc)
        bench_die("iteration with usage", rc);
}

/* Read c->path into c->buf until limit bytes or more are in (the query's baseline). */
static size_t read_file(usage_ctx *c, size_t limit)
{
    int fd = open(c->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        bench_die(c->path, 0);
    size_t len = 0;
    for (;;) {
        if (c->cap - len < 65536) {
            size_t cap = c->cap ? c->cap * 2 : (size_t)1 << 20;
            char *b = realloc(c->buf, cap);
            if (!b)
                bench_die("realloc", 0);
            c->buf = b;
            c->cap = cap;
        }
        ssize_t got = read(fd, c->buf + len, c->cap - len);
        if (got < 0)
            bench_die("read", 0);
        len += (size_t)got;
        if (got == 0 || len >= limit)
            break;
    }
    close(fd);
    return len;
}

static void r_read(void *arg)
{
    usage_ctx *c = arg;
    long len = raw_read_file(c->path, &c->buf, &c->cap);
    if (len < 0)
        bench_die(c->path, 0);
    c->sum += (uint64_t)len;
}

/* What the library writes to clear_refs for the accessed bits (src/os/linux_wss.c): "1", and
 * "4" for its TLB flush where the kernel keeps no soft-dirty bits. */
static const char *wss_words(void)
{
    unsigned what = 0;
    mmapc_wss_support(&what);
    return (what & MMAPC_WSS_WRITTEN) ? "1" : "14";
}

static void u_wss(void *arg)
{
    usage_ctx *c = arg;
    int rc = mmapc_proc_wss_reset(c->proc, MMAPC_WSS_ACCESSED);
    if (rc)
        bench_die("mmapc_proc_wss_reset", rc);
    mmapc_wss_areas *it;
    if ((rc = mmapc_proc_wss_areas(&it, c->proc, 0, UINT64_MAX, MMAPC_WSS_ACCESSED)) != 0)
        bench_die("mmapc_proc_wss_areas", rc);
    mmapc_area a;
    mmapc_wss w;
    while ((rc = mmapc_wss_areas_next(it, &a, &w)) == 1)
        c->sum += w.accessed;
    mmapc_wss_areas_close(it);
    if (rc)
        bench_die("wss iteration", rc);
}

static void r_wss(void *arg)
{
    usage_ctx *c = arg;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/clear_refs", c->pid);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        bench_die(path, 0);
    for (const char *w = wss_words(); *w; w++)
        if (write(fd, w, 1) != 1)
            bench_die("write clear_refs", 0);
    close(fd);
    r_read(arg);
}

static void r_read_to(void *arg)
{
    usage_ctx *c = arg;
    c->sum += read_file(c, c->stop_at);
}

static void u_totals(void *arg)
{
    usage_ctx *c = arg;
    mmapc_area_usage u;
    int rc = mmapc_proc_usage_totals(c->proc, &u);
    if (rc)
        bench_die("mmapc_proc_usage_totals", rc);
    c->sum += u.rss;
}

static void u_query(void *arg)
{
    usage_ctx *c = arg;
    mmapc_area a;
    mmapc_area_usage u;
    int rc = mmapc_proc_query_usage(c->proc, c->addr, &a, NULL, 0, &u);
    if (rc)
        bench_die("mmapc_proc_query_usage", rc);
    c->sum += u.rss;
}

/* The first byte of an smaps header line: a lowercase hex digit (keys begin in upper case). */
static int is_header_start(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

/* A child with count extra areas, stopped in pause() until killed; *last gets the start of its
 * highest extra area. */
static pid_t child_with_areas(size_t count, uint64_t *last)
{
    int p[2];
    if (pipe(p) != 0)
        bench_die("pipe", 0);
    pid_t pid = fork();
    if (pid < 0)
        bench_die("fork", 0);
    if (pid == 0) {
        extra_areas e;
        uint64_t at = 0;
        if (extra_areas_make(&e, count) == 0)
            at = (uint64_t)(uintptr_t)e.base + e.size - (uint64_t)sysconf(_SC_PAGESIZE);
        if (write(p[1], &at, sizeof at) != sizeof at)
            _exit(1);
        for (;;)
            pause();
    }
    close(p[1]);
    if (read(p[0], last, sizeof *last) != sizeof *last || *last == 0)
        bench_die("the child's extra areas", 0);
    close(p[0]);
    return pid;
}

void bench_usage_rows(void)
{
    size_t n = bench_cfg.quick ? 1000 : 10000;
    uint64_t last;
    pid_t pid = child_with_areas(n, &last);
    usage_ctx *mine = calloc(1, sizeof *mine), *raw = calloc(1, sizeof *raw);
    if (!mine || !raw)
        bench_die("calloc", 0);
    mine->pid = raw->pid = (int)pid;
    int rc = mmapc_proc_open(&mine->proc, (int)pid, 0);
    if (rc)
        bench_die("mmapc_proc_open", rc);
    char param[32];
    snprintf(param, sizeof param, "N=%zu", n);
    int rounds = bench_cfg.quick ? 3 : 41;
    bench_result r;

    snprintf(raw->path, sizeof raw->path, "/proc/%d/smaps", (int)pid);
    bench_variant it[] = {{"mmapc", u_iterate, mine}, {"read smaps", r_read, raw}};
    bench_run(it, 2, rounds, &r);
    bench_row("enumerate with usage", param, r.median_ns[0], "read /proc/PID/smaps", r.median_ns[1],
              r.ratio[1], "<= 1.3", "child's areas, each with its use");

    snprintf(raw->path, sizeof raw->path, "/proc/%d/smaps_rollup", (int)pid);
    bench_variant tot[] = {{"mmapc", u_totals, mine}, {"read smaps_rollup", r_read, raw}};
    bench_run(tot, 2, rounds, &r);
    bench_row("usage totals", param, r.median_ns[0], "read /proc/PID/smaps_rollup", r.median_ns[1],
              r.ratio[1], "<= 1.3", NULL);

    /* the query's baseline reads as far as the query must: to the entry after the area */
    snprintf(raw->path, sizeof raw->path, "/proc/%d/smaps", (int)pid);
    long got = raw_read_file(raw->path, &raw->buf, &raw->cap);
    if (got < 0)
        bench_die(raw->path, 0);
    size_t whole = (size_t)got;
    char head[40];
    snprintf(head, sizeof head, "\n%llx-", (unsigned long long)last);
    char *at = memmem(raw->buf, whole, head, strlen(head));
    char *after = at ? memchr(at + 1, '\n', whole - (size_t)(at + 1 - raw->buf)) : NULL;
    while (after && after + 1 < raw->buf + whole && !is_header_start(after[1]))
        after = memchr(after + 1, '\n', whole - (size_t)(after + 1 - raw->buf));
    raw->stop_at = after ? (size_t)(after - raw->buf) + 2 : whole;
    mine->addr = last;
    bench_variant q[] = {{"mmapc", u_query, mine}, {"read smaps to the area", r_read_to, raw}};
    bench_run(q, 2, rounds, &r);
    bench_row("query with usage, last area", param, r.median_ns[0], "read smaps up to its entry",
              r.median_ns[1], r.ratio[1], "report", "PROCMAP_QUERY, then smaps to the entry");

    bench_variant wss[] = {{"mmapc", u_wss, mine}, {"clear_refs + read smaps", r_wss, raw}};
    bench_run(wss, 2, rounds, &r);
    bench_row("wss look (reset + read)", param, r.median_ns[0], "clear_refs + read smaps",
              r.median_ns[1], r.ratio[1], "<= 1.3",
              "the accessed bits; written bytes read pagemap too");

    mmapc_proc_close(mine->proc);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    free(raw->buf);
    free(mine);
    free(raw);
}
