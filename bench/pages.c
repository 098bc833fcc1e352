// SPDX-License-Identifier: MIT
/* Rows of page state: the present pages of 1 GiB of anonymous memory with 1% of its pages
 * written (every 100th), through mmapc_proc_pages() on a handle of this process, against a bare
 * read of the same range's entries from a kept /proc/self/pagemap descriptor (2 MiB, one pread)
 * and a count of their present bits. Three rows: MMAPC_PAGES_QUICK (PAGEMAP_SCAN alone where the
 * kernel has it), the default (the scan, then the pagemap entries of the present pages for
 * exclusive and frame), and MMAPC_PAGES_READ (the file alone, as before Linux 6.7). */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define SPAN ((size_t)1 << 30)
#define EVERY 100
#define MAX_RUNS 8192

typedef struct pages_ctx {
    mmapc_proc *proc;
    unsigned flags;
    int fd;
    uint64_t base;
    uint64_t *entries;
    uint64_t present;
} pages_ctx;

static mmapc_page_run runs[MAX_RUNS];

static void pages_mmapc(void *arg)
{
    pages_ctx *c = arg;
    size_t n;
    uint64_t next, present = 0;
    int rc = mmapc_proc_pages(c->proc, c->base, SPAN, c->flags, runs, MAX_RUNS, &n, &next);
    if (rc || next != c->base + SPAN)
        bench_die("mmapc_proc_pages", rc ? rc : MMAPC_ENOMEM);
    for (size_t i = 0; i < n; i++)
        if (runs[i].flags & MMAPC_PAGE_PRESENT)
            present += runs[i].pages;
    c->present = present;
}

static void pages_raw(void *arg)
{
    pages_ctx *c = arg;
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = SPAN / page;
    if (pread(c->fd, c->entries, n * 8, (off_t)(c->base / page * 8)) != (ssize_t)(n * 8))
        bench_die("pread /proc/self/pagemap", -errno);
    uint64_t present = 0;
    for (size_t i = 0; i < n; i++)
        present += c->entries[i] >> 63;
    c->present = present;
}

void bench_pages_rows(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, SPAN, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        bench_note("page state: cannot map 1 GiB, rows left out");
        return;
    }
    madvise(m, SPAN, MADV_NOHUGEPAGE); /* 1% of the pages, not 1% of the huge pages */
    for (size_t i = 0; i < SPAN / page; i += EVERY)
        m[i * page] = 1;
    pages_ctx raw = {.base = (uintptr_t)m};
    raw.fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    raw.entries = malloc(SPAN / page * 8);
    if (raw.fd < 0 || !raw.entries)
        bench_die("open /proc/self/pagemap", -errno);
    static const struct {
        unsigned flags;
        const char *op, *target;
    } rows[] = {
        {MMAPC_PAGES_QUICK, "page state, 1 GiB, 1% written (QUICK)", "<= 0.5"},
        {0, "page state, 1 GiB, 1% written (default)", "<= 1.2"},
        {MMAPC_PAGES_READ, "page state, 1 GiB, 1% written (READ)", "<= 1.3"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        pages_ctx a = {.base = (uintptr_t)m, .flags = rows[k].flags};
        int rc = mmapc_proc_open(&a.proc, MMAPC_SELF, 0);
        if (rc)
            bench_die("mmapc_proc_open", rc);
        bench_variant v[] = {{"mmapc", pages_mmapc, &a}, {"pread pagemap", pages_raw, &raw}};
        bench_result r;
        bench_run(v, 2, bench_cfg.quick ? 0 : 41, &r);
        int same = a.present == raw.present && a.present == (SPAN / page + EVERY - 1) / EVERY;
        bench_row(rows[k].op, "2621 runs", r.median_ns[0], v[1].name, r.median_ns[1], r.ratio[1],
                  rows[k].target, same ? NULL : "ANSWERS DIFFER");
        mmapc_proc_close(a.proc);
    }
    close(raw.fd);
    free(raw.entries);
    munmap(m, SPAN);
}
