// SPDX-License-Identifier: MIT
/*
 * The driver of the instruction budgets (bench/icount.sh): `icount ROW` runs one operation a
 * few times to warm it (the lazy binding of its calls, the library's caches), then ICOUNT_N
 * times inside a function of its own, icount_run(), which callgrind's --toggle-collect counts
 * alone. Each row has a raw twin: the system calls a caller would make without mmapc, in the
 * same loop, so that the difference is what the library adds in user space.
 */
#define _GNU_SOURCE
#include "bench.h"
#include "mmapc.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define ICOUNT_N 1000
#define FILE_SIZE ((size_t)1 << 20)

static struct {
    int fd;           /* the 1 MiB file of the file rows */
    int maps;         /* /proc/self/maps, kept, for the raw handle query */
    mmapc_proc *proc; /* this process, for the handle query */
    mmapc_map *map;   /* 3 pages: split + merge, and the guarded read */
    uint64_t addr;    /* what the queries ask about: a named area (this program's data) */
    char name[256];
    unsigned char buf[4096];
} g;

static int fails;
static void check(int ok, const char *what)
{
    if (!ok && fails++ == 0)
        fprintf(stderr, "icount: %s failed\n", what);
}

/* ---- the operations, one call each ---- */

static void anon_mmapc(void)
{
    mmapc_map *m;
    check(mmapc_map_anon(&m, 4096, MMAPC_PROT_RW, NULL) == 0, "mmapc_map_anon");
    mmapc_unmap(m);
}

static void anon_raw(void)
{
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap");
    munmap(p, 4096);
}

static void file_mmapc(void)
{
    mmapc_map *m;
    check(mmapc_map_file(&m, FILE_SIZE, MMAPC_PROT_READ, g.fd, 0, NULL) == 0, "mmapc_map_file");
    mmapc_unmap(m);
}

/* The same safety as mmapc's: the range is checked against the file's size first. */
static void file_raw(void)
{
    struct stat st;
    check(fstat(g.fd, &st) == 0 && (uint64_t)st.st_size >= FILE_SIZE, "fstat");
    void *p = mmap(NULL, FILE_SIZE, PROT_READ, MAP_PRIVATE, g.fd, 0);
    check(p != MAP_FAILED, "mmap of the file");
    munmap(p, FILE_SIZE);
}

static void query_handle_mmapc(void)
{
    mmapc_area a;
    check(mmapc_proc_query(g.proc, g.addr, &a, g.name, sizeof g.name) == 0 && a.start <= g.addr,
          "mmapc_proc_query");
}

static int raw_query(int fd)
{
    struct raw_query_args q = {
        .size = sizeof q,
        .query_addr = g.addr,
        .vma_name_size = sizeof g.name,
        .vma_name_addr = (uint64_t)(uintptr_t)g.name,
    };
    return ioctl(fd, (raw_ioctl_request)RAW_PROCMAP_QUERY, &q) == 0 && q.vma_start <= g.addr;
}

static void query_handle_raw(void)
{
    check(raw_query(g.maps), "PROCMAP_QUERY");
}

static void query_oneshot_mmapc(void)
{
    mmapc_area a;
    check(mmapc_area_query(0, g.addr, &a, g.name, sizeof g.name) == 0 && a.start <= g.addr,
          "mmapc_area_query");
}

static void query_oneshot_raw(void)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    check(fd >= 0 && raw_query(fd), "open + PROCMAP_QUERY");
    close(fd);
}

static void split_merge_mmapc(void)
{
    mmapc_map *back;
    check(mmapc_split_off(g.map, 4096, &back) == 0, "mmapc_split_off");
    check(mmapc_merge(g.map, back) == 0, "mmapc_merge");
}

static void nothing(void) {}

static void read_mmapc(void)
{
    size_t done;
    check(mmapc_read(g.map, 0, g.buf, sizeof g.buf, &done) == 0, "mmapc_read");
}

static void read_raw(void)
{
    memcpy(g.buf, mmapc_ptr(g.map), sizeof g.buf);
    __asm__ volatile("" ::: "memory"); /* the copy is not to be dropped */
}

/* ---- rows ---- */

typedef struct row {
    const char *name;
    void (*op)(void);
} row;

static const row rows[] = {
    {"anon-mmapc", anon_mmapc},
    {"anon-raw", anon_raw},
    {"file-mmapc", file_mmapc},
    {"file-raw", file_raw},
    {"query-handle-mmapc", query_handle_mmapc},
    {"query-handle-raw", query_handle_raw},
    {"query-oneshot-mmapc", query_oneshot_mmapc},
    {"query-oneshot-raw", query_oneshot_raw},
    {"split-merge-mmapc", split_merge_mmapc},
    {"split-merge-raw", nothing},
    {"read-mmapc", read_mmapc},
    {"read-raw", read_raw},
};

/* What callgrind counts: ICOUNT_N calls of op, and this loop. */
__attribute__((noinline)) void icount_run(void (*op)(void));
__attribute__((noinline)) void icount_run(void (*op)(void))
{
    for (int i = 0; i < ICOUNT_N; i++)
        op();
}

static int setup(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/icount-file", dir);
    g.fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (g.fd < 0 || ftruncate(g.fd, (off_t)FILE_SIZE) != 0) {
        perror(path);
        return -1;
    }
    unlink(path);
    g.maps = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (g.maps < 0 || mmapc_proc_open(&g.proc, 0, 0) != 0 ||
        mmapc_map_anon(&g.map, 3 * 4096, MMAPC_PROT_RW, NULL) != 0) {
        fprintf(stderr, "icount: setup failed\n");
        return -1;
    }
    memset(mmapc_ptr(g.map), 1, 3 * 4096);
    g.addr = (uint64_t)(uintptr_t)&g; /* this program's data: an area with a name */
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: icount ROW TMPDIR\nrows:");
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            fprintf(stderr, " %s", rows[i].name);
        fprintf(stderr, "\n");
        return 2;
    }
    const row *r = NULL;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (strcmp(argv[1], rows[i].name) == 0)
            r = &rows[i];
    }
    if (!r) {
        fprintf(stderr, "icount: no row %s\n", argv[1]);
        return 2;
    }
    if (setup(argv[2]) != 0)
        return 1;
    if (strncmp(r->name, "query", 5) == 0 && !mmapc_proc_direct(g.proc)) {
        fprintf(stderr, "icount: this kernel has no PROCMAP_QUERY\n");
        return 3;
    }
    for (int i = 0; i < 10; i++)
        r->op();
    icount_run(r->op);
    mmapc_unmap(g.map);
    mmapc_proc_close(g.proc);
    close(g.maps);
    close(g.fd);
    return fails ? 1 : 0;
}
