// SPDX-License-Identifier: MIT
/* Rows of inspection: the build ID of an area through a process handle against the bare
 * PROCMAP_QUERY ioctl asking for it on a kept descriptor, and a read of 4 KiB from a child
 * against process_vm_readv of the same bytes. */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct bid_ctx {
    mmapc_proc *proc;
    int fd;
    uint64_t addr;
    unsigned char id[MMAPC_BUILD_ID_MAX];
    size_t size;
} bid_ctx;

static void bid_mmapc(void *arg)
{
    bid_ctx *c = arg;
    mmapc_build_id id;
    int rc = mmapc_proc_build_id(c->proc, c->addr, &id);
    if (rc)
        bench_die("mmapc_proc_build_id", rc);
    c->size = id.size;
    memcpy(c->id, id.bytes, sizeof c->id);
}

static void bid_raw(void *arg)
{
    bid_ctx *c = arg;
    struct raw_query_args q = {.size = sizeof q,
                               .query_addr = c->addr,
                               .build_id_size = sizeof c->id,
                               .build_id_addr = (uint64_t)(uintptr_t)c->id};
    if (ioctl(c->fd, (raw_ioctl_request)RAW_PROCMAP_QUERY, &q) != 0)
        bench_die("PROCMAP_QUERY", -errno);
    c->size = q.build_id_size;
}

static void build_id_row(void)
{
    if (!raw_procmap_available()) {
        bench_note("build-id query: no PROCMAP_QUERY here, row left out");
        return;
    }
    bid_ctx a = {.addr = (uintptr_t)&printf}, b = a;
    int rc = mmapc_proc_open(&a.proc, MMAPC_SELF, 0);
    if (rc)
        bench_die("mmapc_proc_open", rc);
    b.fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (b.fd < 0)
        bench_die("open /proc/self/maps", -errno);
    bench_variant v[] = {{"mmapc", bid_mmapc, &a}, {"PROCMAP_QUERY kept fd", bid_raw, &b}};
    bench_result r;
    bench_run(v, 2, 0, &r);
    int same = a.size == 20 && a.size == b.size && memcmp(a.id, b.id, a.size) == 0;
    bench_row("build-id query via process handle", "libc", r.median_ns[0], v[1].name,
              r.median_ns[1], r.ratio[1], "<= 1.1", same ? NULL : "ANSWERS DIFFER");
    close(b.fd);
    mmapc_proc_close(a.proc);
}

#define READ_SIZE 4096

typedef struct read_ctx {
    mmapc_proc *proc;
    pid_t pid;
    uint64_t addr;
    unsigned char buf[READ_SIZE];
} read_ctx;

static unsigned char child_data[4 * READ_SIZE];

static void read_mmapc(void *arg)
{
    read_ctx *c = arg;
    size_t done;
    int rc = mmapc_proc_read(c->proc, c->addr, c->buf, READ_SIZE, &done);
    if (rc || done != READ_SIZE)
        bench_die("mmapc_proc_read", rc);
}

static void read_raw(void *arg)
{
    read_ctx *c = arg;
    struct iovec l = {c->buf, READ_SIZE}, r = {(void *)(uintptr_t)c->addr, READ_SIZE};
    if (process_vm_readv(c->pid, &l, 1, &r, 1, 0) != READ_SIZE)
        bench_die("process_vm_readv", -errno);
}

static void read_row(void)
{
    for (size_t i = 0; i < sizeof child_data; i++)
        child_data[i] = (unsigned char)(i * 7 + 1);
    int go[2];
    if (pipe(go) != 0)
        bench_die("pipe", -errno);
    pid_t child = fork();
    if (child < 0)
        bench_die("fork", -errno);
    if (child == 0) {
        char c;
        close(go[1]);
        _exit(read(go[0], &c, 1) == 0 ? 0 : 1); /* holds still until the pipe closes */
    }
    close(go[0]);
    /* a page-aligned 4 KiB in the child's copy of the data */
    uintptr_t at = ((uintptr_t)child_data + READ_SIZE - 1) & ~(uintptr_t)(READ_SIZE - 1);
    read_ctx *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!a || !b)
        bench_die("calloc", 0);
    a->pid = b->pid = child;
    a->addr = b->addr = at;
    int rc = mmapc_proc_open(&a->proc, child, 0);
    if (rc)
        bench_die("mmapc_proc_open", rc);
    struct iovec l = {b->buf, READ_SIZE}, r = {(void *)at, READ_SIZE};
    if (process_vm_readv(child, &l, 1, &r, 1, 0) != READ_SIZE) {
        bench_note("cross-process read: process_vm_readv refused here (%s), row left out",
                   strerror(errno));
    } else {
        bench_variant v[] = {{"mmapc", read_mmapc, a}, {"process_vm_readv", read_raw, b}};
        bench_result res;
        bench_run(v, 2, 0, &res);
        int same =
            memcmp(a->buf, b->buf, READ_SIZE) == 0 && memcmp(a->buf, (void *)at, READ_SIZE) == 0;
        bench_row("read another process's memory", "4 KiB", res.median_ns[0], v[1].name,
                  res.median_ns[1], res.ratio[1], "<= 1.05", same ? NULL : "ANSWERS DIFFER");
    }
    mmapc_proc_close(a->proc);
    close(go[1]);
    waitpid(child, NULL, 0);
    free(a);
    free(b);
}

void bench_inspect_rows(void)
{
    build_id_row();
    read_row();
}
