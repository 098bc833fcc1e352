// SPDX-License-Identifier: MIT
/* Rows of files that change size: growing an anonymous mapping that holds 1 MiB of data to
 * 256 MiB (mremap) against a new mapping and a copy, and a whole-file map + unmap against
 * fstat + mmap + munmap by hand. */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB ((size_t)1 << 20)
#define GROWN (256 * MIB)

/* ---- grow 1 MiB of data to 256 MiB, then give the 255 MiB back (each side its own way) ---- */

typedef struct grow_ctx {
    mmapc_map *m; /* mmapc: the mapping, 1 MiB between operations */
    void *raw;    /* by hand: the 1 MiB mapping between operations */
} grow_ctx;

static void grow_mmapc(void *arg)
{
    grow_ctx *c = arg;
    int rc = mmapc_resize(c->m, GROWN, MMAPC_RESIZE_MAY_MOVE);
    if (!rc)
        rc = mmapc_resize(c->m, MIB, 0);
    if (rc)
        bench_die("mmapc_resize", rc);
}

/* What a program without mremap writes: a new mapping, the data copied over, the old one gone;
 * the shrink is a munmap of the tail, as mmapc's. */
static void grow_raw(void *arg)
{
    grow_ctx *c = arg;
    char *p = mmap(NULL, GROWN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        bench_die("mmap", 0);
    memcpy(p, c->raw, MIB);
    if (munmap(c->raw, MIB) != 0 || munmap(p + MIB, GROWN - MIB) != 0)
        bench_die("munmap", 0);
    c->raw = p;
}

static void grow_rows(void)
{
    grow_ctx a = {0}, b = {0};
    int rc = mmapc_map_anon(&a.m, MIB, MMAPC_PROT_RW, NULL);
    if (rc)
        bench_die("mmapc_map_anon", rc);
    b.raw = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (b.raw == MAP_FAILED)
        bench_die("mmap", 0);
    memset(mmapc_ptr(a.m), 7, MIB);
    memset(b.raw, 7, MIB);
    bench_variant v[] = {{"mmapc", grow_mmapc, &a}, {"mmap new+memcpy+munmap", grow_raw, &b}};
    bench_result r;
    bench_run(v, 2, 0, &r);
    if (((char *)mmapc_ptr(a.m))[MIB - 1] != 7 || ((char *)b.raw)[MIB - 1] != 7)
        bench_die("grow: the data did not follow", 0);
    bench_row("grow anon, 1 MiB of data", "1 -> 256 MiB", r.median_ns[0], v[1].name, r.median_ns[1],
              r.ratio[1], "<= 0.1", "then shrink back; mremap moves no byte");
    mmapc_unmap(a.m);
    munmap(b.raw, MIB);
}

/* ---- map a whole 1 MiB file and unmap it ---- */

typedef struct whole_ctx {
    int fd;
} whole_ctx;

static void whole_mmapc(void *arg)
{
    whole_ctx *c = arg;
    mmapc_map *m;
    int rc = mmapc_map_file_whole(&m, MMAPC_PROT_READ, c->fd, 0, NULL);
    if (rc)
        bench_die("mmapc_map_file_whole", rc);
    mmapc_unmap(m);
}

static void whole_raw(void *arg)
{
    whole_ctx *c = arg;
    struct stat st;
    if (fstat(c->fd, &st) != 0)
        bench_die("fstat", 0);
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, c->fd, 0);
    if (p == MAP_FAILED)
        bench_die("mmap", 0);
    munmap(p, (size_t)st.st_size);
}

static void whole_rows(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/mmapc-bench-whole-%ld.tmp", bench_cfg.out_dir, (long)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)MIB) != 0)
        bench_die("creating the file", 0);
    unlink(path);
    whole_ctx c = {fd};
    bench_variant v[] = {{"mmapc", whole_mmapc, &c}, {"fstat+mmap+munmap", whole_raw, &c}};
    bench_result r;
    bench_run(v, 2, 0, &r);
    bench_row("whole-file map+unmap", "1 MiB", r.median_ns[0], v[1].name, r.median_ns[1],
              r.ratio[1], "<= 1.05", NULL);
    close(fd);
}

void bench_file_size_rows(void)
{
    grow_rows();
    whole_rows();
}
