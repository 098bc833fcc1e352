// SPDX-License-Identifier: MIT
/*
 * Rows of write tracking (`--only track`), each timed by hand in interleaved rounds, since the
 * part to time follows an untimed part (the writes before a report, the report before the
 * writes) that the harness's blocks would include:
 * - report-and-reset of a 1 GiB tracked mapping with 1% of its pages written: mmapc (uffd-wp,
 *   PAGEMAP_SCAN) against what a program does without PAGEMAP_SCAN on the same kind of
 *   mapping: read /proc/self/pagemap for the range, and write-protect again each run of pages
 *   whose uffd-wp bit (57) is clear;
 * - the cost of a first write to a page after a reset, per backend, against a write fault on an
 *   untracked page (a page given back with MADV_DONTNEED: the kernel allocates a zeroed page);
 *   and the uffd-wp backend against the mprotect one;
 * - restore of the 1% written pages of 1 GiB from a snapshot (look at the runs without a reset,
 *   copy them back, reset the region)
 *   against a memcpy of the whole 1 GiB.
 */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_ROUNDS 64

static size_t page;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *x, int n)
{
    qsort(x, (size_t)n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* The pages a round writes: 1% of n, spread out, different each round. */
static void write_some(unsigned char *p, size_t n, unsigned round)
{
    size_t step = 100;
    for (size_t i = round % step; i < n; i += step)
        p[i * page] = (unsigned char)(round + 1);
}

/* ---- the report without PAGEMAP_SCAN: pagemap's uffd-wp bit, and a protect per run ---- */

/* linux/userfaultfd.h's structures and requests, which a C library without the kernel's headers
 * (musl) lacks */
typedef struct wp_range {
    uint64_t start, len;
} wp_range;
typedef struct wp_arg {
    wp_range range;
    uint64_t mode;
} wp_arg;
typedef struct reg_arg {
    wp_range range;
    uint64_t mode, ioctls;
} reg_arg;
#define RAW_UFFDIO_API _IOWR(0xAA, 0x3F, uint64_t[3])
#define RAW_UFFDIO_REGISTER _IOWR(0xAA, 0x00, reg_arg)
#define RAW_UFFDIO_WRITEPROTECT _IOWR(0xAA, 0x06, wp_arg)

typedef struct raw_wp {
    int uffd, pagemap;
    uint64_t *entries;
} raw_wp;

static int raw_wp_open(raw_wp *r, void *addr, size_t len)
{
    r->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | 1 /* user mode only */);
    if (r->uffd < 0)
        return -1;
    uint64_t api[3] = {0xAA, (1u << 15) | (1u << 13), 0}; /* WP_ASYNC, WP_UNPOPULATED */
    reg_arg reg = {.range = {(uintptr_t)addr, len}, .mode = 1u << 1};
    wp_arg wp = {.range = {(uintptr_t)addr, len}, .mode = 1};
    r->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    r->entries = malloc(len / page * sizeof(uint64_t));
    if (ioctl(r->uffd, (raw_ioctl_request)RAW_UFFDIO_API, api) ||
        ioctl(r->uffd, (raw_ioctl_request)RAW_UFFDIO_REGISTER, &reg) ||
        ioctl(r->uffd, (raw_ioctl_request)RAW_UFFDIO_WRITEPROTECT, &wp) || r->pagemap < 0 ||
        !r->entries)
        return -1;
    return 0;
}

/* Report the written pages of [addr, addr + len) (count them) and protect them again. */
static size_t raw_wp_report(raw_wp *r, unsigned char *addr, size_t len)
{
    size_t n = len / page, count = 0;
    if (pread(r->pagemap, r->entries, n * 8, (off_t)((uintptr_t)addr / page * 8)) !=
        (ssize_t)(n * 8))
        bench_die("pread pagemap", 0);
    for (size_t i = 0; i < n;) {
        /* present (63) and not write-protected (57): written */
        if (!(r->entries[i] >> 63 & 1) || (r->entries[i] >> 57 & 1)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && (r->entries[j] >> 63 & 1) && !(r->entries[j] >> 57 & 1))
            j++;
        wp_arg wp = {.range = {(uintptr_t)(addr + i * page), (j - i) * page}, .mode = 1};
        if (ioctl(r->uffd, (raw_ioctl_request)RAW_UFFDIO_WRITEPROTECT, &wp))
            bench_die("UFFDIO_WRITEPROTECT", 0);
        count += j - i;
        i = j;
    }
    return count;
}

static void report_rows(size_t size, int rounds)
{
    mmapc_map *m;
    int rc = mmapc_map_anon(&m, size, MMAPC_PROT_RW, NULL);
    if (rc)
        bench_die("mmapc_map_anon", rc);
    memset(mmapc_ptr(m), 1, size);
    if ((rc = mmapc_track_start(m, MMAPC_TRACK_KERNEL_ONLY)) != 0) {
        bench_note("track: no uffd-wp + PAGEMAP_SCAN here (%s): no report row", mmapc_err_name(rc));
        mmapc_unmap(m);
        return;
    }
    unsigned char *raw =
        mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        bench_die("mmap", 0);
    memset(raw, 1, size);
    raw_wp r;
    if (raw_wp_open(&r, raw, size))
        bench_die("userfaultfd baseline", 0);
    size_t n = size / page, bytes = (n + 7) / 8;
    unsigned char *bits = malloc(bytes);
    double mine[MAX_ROUNDS], base[MAX_ROUNDS], ratio[MAX_ROUNDS];
    for (int k = 0; k < rounds; k++) {
        size_t count = 0, got = 0;
        for (int side = 0; side < 2; side++) {
            int s = (k + side) % 2; /* order alternates */
            if (s == 0) {
                write_some(mmapc_ptr(m), n, (unsigned)k);
                double t0 = bench_now_ns();
                if ((rc = mmapc_track_bitmap(m, 0, size, bits, &count)) != 0)
                    bench_die("mmapc_track_bitmap", rc);
                mine[k] = bench_now_ns() - t0;
            } else {
                write_some(raw, n, (unsigned)k);
                double t0 = bench_now_ns();
                got = raw_wp_report(&r, raw, size);
                base[k] = bench_now_ns() - t0;
            }
        }
        if (k && (count != got || count < n / 100))
            bench_die("the two reports disagree", 0);
        ratio[k] = mine[k] / base[k];
    }
    char param[32];
    snprintf(param, sizeof param, "%zu MiB, 1%%", size >> 20);
    bench_row("track: report+reset", param, median(mine, rounds), "pagemap read + protect runs",
              median(base, rounds), median(ratio, rounds), "<= 0.2x", "uffd-wp, PAGEMAP_SCAN");
    free(bits);
    free(r.entries);
    close(r.uffd);
    close(r.pagemap);
    munmap(raw, size);
    mmapc_unmap(m);
}

/* ---- first write after a reset, per backend ---- */

#define WPAGES 256

/* Median ns of a first write to a page after a reset with the backend flags asks for, and of a
 * write fault on a page given back, per page, interleaved; NAN-free: 0 when not available. */
static int fault_costs(unsigned flags, int rounds, double *tracked, double *untracked,
                       double *ratio_out)
{
    mmapc_map *m;
    int rc = mmapc_map_anon(&m, WPAGES * page, MMAPC_PROT_RW, NULL);
    if (rc)
        bench_die("mmapc_map_anon", rc);
    memset(mmapc_ptr(m), 1, WPAGES * page);
    if (mmapc_track_start(m, flags) != 0 ||
        (flags == 0 && mmapc_track_backend(m) != MMAPC_TRACKER_UFFD_WP)) {
        mmapc_unmap(m);
        return -1;
    }
    volatile unsigned char *p = mmapc_ptr(m);
    unsigned char *raw =
        mmap(NULL, WPAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        bench_die("mmap", 0);
    volatile unsigned char *q = raw;
    unsigned char bits[WPAGES / 8];
    double mine[MAX_ROUNDS], base[MAX_ROUNDS], ratio[MAX_ROUNDS];
    for (int k = 0; k < rounds; k++) {
        for (int side = 0; side < 2; side++) {
            if ((k + side) % 2 == 0) {
                if ((rc = mmapc_track_bitmap(m, 0, WPAGES * page, bits, NULL)) != 0)
                    bench_die("mmapc_track_bitmap", rc);
                double t0 = bench_now_ns();
                for (size_t i = 0; i < WPAGES; i++)
                    p[i * page] = 2;
                mine[k] = (bench_now_ns() - t0) / WPAGES;
            } else {
                madvise(raw, WPAGES * page, MADV_DONTNEED);
                double t0 = bench_now_ns();
                for (size_t i = 0; i < WPAGES; i++)
                    q[i * page] = 2;
                base[k] = (bench_now_ns() - t0) / WPAGES;
            }
        }
        ratio[k] = mine[k] / base[k];
    }
    *tracked = median(mine, rounds);
    *untracked = median(base, rounds);
    *ratio_out = median(ratio, rounds);
    munmap(raw, WPAGES * page);
    mmapc_unmap(m);
    return 0;
}

static void fault_rows(int rounds)
{
    double u_ns = 0, u_base = 0, u_ratio = 0, m_ns = 0, m_base = 0, m_ratio = 0;
    int have_u = fault_costs(0, rounds, &u_ns, &u_base, &u_ratio) == 0;
    if (fault_costs(MMAPC_TRACK_MPROTECT, rounds, &m_ns, &m_base, &m_ratio) != 0)
        bench_die("mprotect backend", 0);
    if (have_u)
        bench_row("track: first write after reset", "uffd-wp, per page", u_ns,
                  "write fault, untracked page", u_base, u_ratio, "report", "MADV_DONTNEED'd page");
    bench_row("track: first write after reset", "mprotect, per page", m_ns,
              "write fault, untracked page", m_base, m_ratio, "report", "MADV_DONTNEED'd page");
    if (have_u)
        bench_row("track: first write after reset", "uffd-wp vs mprotect", u_ns, "mprotect backend",
                  m_ns, u_ns / m_ns, "<= 0.1x", "medians of the rows above");
    else
        bench_note("track: no uffd-wp backend here: no uffd-wp row");
}

/* ---- restore of the written pages from a snapshot ---- */

static void restore_rows(size_t size, int rounds)
{
    mmapc_map *m;
    int rc = mmapc_map_anon(&m, size, MMAPC_PROT_RW, NULL);
    if (rc)
        bench_die("mmapc_map_anon", rc);
    /* the baseline restores an untracked region of the same size from the same snapshot */
    unsigned char *p = mmapc_ptr(m), *snap = malloc(size),
                  *raw =
                      mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!snap || raw == MAP_FAILED)
        bench_die("malloc", 0);
    memset(p, 1, size);
    memset(raw, 1, size);
    memset(snap, 1, size);
    if ((rc = mmapc_track_start(m, 0)) != 0)
        bench_die("mmapc_track_start", rc);
    size_t n = size / page, cap = 4096;
    mmapc_track_run *runs = malloc(cap * sizeof *runs);
    double mine[MAX_ROUNDS], base[MAX_ROUNDS], ratio[MAX_ROUNDS];
    for (int k = 0; k < rounds; k++) {
        for (int side = 0; side < 2; side++) {
            if ((k + side) % 2 == 0) {
                write_some(p, n, (unsigned)k);
                double t0 = bench_now_ns();
                for (size_t at = 0; at < size;) {
                    size_t count = 0, next = 0;
                    rc = mmapc_track_peek_runs(m, at, size - at, runs, cap, &count, &next);
                    if (rc)
                        bench_die("mmapc_track_peek_runs", rc);
                    for (size_t i = 0; i < count; i++)
                        memcpy(p + runs[i].offset, snap + runs[i].offset, runs[i].len);
                    at = next;
                }
                /* the pages copied back count as clean again: part of the restore */
                if ((rc = mmapc_track_reset(m, 0, size)) != 0)
                    bench_die("mmapc_track_reset", rc);
                mine[k] = bench_now_ns() - t0;
            } else {
                write_some(raw, n, (unsigned)k);
                double t0 = bench_now_ns();
                memcpy(raw, snap, size);
                base[k] = bench_now_ns() - t0;
            }
        }
        if (memcmp(p, snap, size) != 0 || memcmp(raw, snap, size) != 0)
            bench_die("the restore left a difference", 0);
        ratio[k] = mine[k] / base[k];
    }
    char param[32];
    snprintf(param, sizeof param, "%zu MiB, 1%%", size >> 20);
    char note[64];
    snprintf(note, sizeof note, "backend %s",
             mmapc_track_backend(m) == MMAPC_TRACKER_UFFD_WP ? "uffd-wp" : "mprotect");
    bench_row("track: restore written pages", param, median(mine, rounds), "memcpy of it all",
              median(base, rounds), median(ratio, rounds), "<= 0.05x", note);
    free(runs);
    free(snap);
    munmap(raw, size);
    mmapc_unmap(m);
}

void bench_track_rows(void)
{
    page = mmapc_page_size();
    size_t size = bench_cfg.quick ? (size_t)64 << 20 : (size_t)1 << 30;
    int rounds = bench_cfg.quick ? 3 : 21;
    report_rows(size, rounds);
    fault_rows(bench_cfg.quick ? 5 : 41);
    restore_rows(size, rounds);
}
