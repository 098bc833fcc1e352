// SPDX-License-Identifier: MIT
/* Rows of shared memory objects: records through the double-mapped ring against a plain buffer
 * that splits each copy at its end; an object's create + view + destroy against raw memfd_create,
 * ftruncate and mmap. */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- a queue of length-prefixed records ---- */

typedef struct queue_ctx {
    unsigned char *buf;
    size_t size;
    size_t head; /* always below size: the offset of the next record */
    size_t len;  /* payload bytes of each record */
    unsigned char rec[4096 + 8], out[4096 + 8];
    unsigned long bad;
} queue_ctx;

/* Push one record (8-byte length, then the payload) and pop it again. With the ring both copies
 * are single memcpy calls whatever the position. */
static void ring_op(void *arg)
{
    queue_ctx *q = arg;
    size_t n = q->len + 8;
    uint64_t len = q->len; /* 8 bytes on every target (size_t is 4 on 32-bit ones) */
    memcpy(q->rec, &len, 8);
    memcpy(q->buf + q->head, q->rec, n);
    memcpy(q->out, q->buf + q->head, n);
    q->bad += q->out[n - 1] != q->rec[n - 1];
    q->head = (q->head + n) % q->size;
}

/* The same queue in a plain buffer: each copy is split where it meets the end. */
static void plain_op(void *arg)
{
    queue_ctx *q = arg;
    size_t n = q->len + 8;
    uint64_t len = q->len; /* 8 bytes on every target (size_t is 4 on 32-bit ones) */
    memcpy(q->rec, &len, 8);
    size_t first = q->size - q->head < n ? q->size - q->head : n;
    memcpy(q->buf + q->head, q->rec, first);
    memcpy(q->buf, q->rec + first, n - first);
    memcpy(q->out, q->buf + q->head, first);
    memcpy(q->out + first, q->buf, n - first);
    q->bad += q->out[n - 1] != q->rec[n - 1];
    q->head = (q->head + n) % q->size;
}

static void ring_rows(void)
{
    const size_t size = 64 * 1024;
    mmapc_ring *ring;
    int rc = mmapc_ring_create(&ring, size);
    if (rc)
        bench_die("mmapc_ring_create", rc);
    unsigned char *plain = malloc(size);
    if (!plain)
        bench_die("malloc", 0);
    static const size_t lens[] = {64, 256, 1024, 4096};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        static queue_ctx a, b;
        a = (queue_ctx){.buf = mmapc_ring_ptr(ring), .size = size, .len = lens[i]};
        b = (queue_ctx){.buf = plain, .size = size, .len = lens[i]};
        memset(a.rec, 0x5a, sizeof a.rec);
        memset(b.rec, 0x5a, sizeof b.rec);
        bench_variant v[] = {{"ring", ring_op, &a}, {"split copy", plain_op, &b}};
        bench_result r;
        bench_run(v, 2, 0, &r);
        if (a.bad || b.bad)
            bench_die("a record came back damaged", 0);
        char param[48];
        snprintf(param, sizeof param, "%zu B + 8 B header", lens[i]);
        bench_row("ring push+pop, 64 KiB ring", param, r.median_ns[0], "split copy", r.median_ns[1],
                  r.ratio[1], "<= 1.00", NULL);
    }
    mmapc_ring_free(ring);
    free(plain);
}

/* ---- create + view + destroy ---- */

typedef struct object_ctx {
    size_t size;
} object_ctx;

static void object_mine(void *arg)
{
    object_ctx *c = arg;
    mmapc_shm *shm;
    mmapc_map *view;
    int rc = mmapc_shm_create(&shm, NULL, c->size, NULL);
    if (!rc)
        rc = mmapc_shm_map(&view, shm, 0, c->size, MMAPC_PROT_RW, NULL);
    if (rc)
        bench_die("mmapc_shm_create/map", rc);
    ((volatile unsigned char *)mmapc_ptr(view))[0] = 1;
    mmapc_unmap(view);
    mmapc_shm_close(shm);
}

static void object_raw(void *arg)
{
    object_ctx *c = arg;
    int fd = memfd_create("raw", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0 || ftruncate(fd, (off_t)c->size) != 0)
        bench_die("memfd_create/ftruncate", 0);
    void *p = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        bench_die("mmap", 0);
    ((volatile unsigned char *)p)[0] = 1;
    munmap(p, c->size);
    close(fd);
}

static void object_rows(void)
{
    static const size_t sizes[] = {4096, 64 * 1024};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        object_ctx a = {sizes[i]}, b = {sizes[i]};
        bench_variant v[] = {{"mmapc", object_mine, &a},
                             {"memfd_create+ftruncate+mmap", object_raw, &b}};
        bench_result r;
        bench_run(v, 2, 0, &r);
        char param[32];
        snprintf(param, sizeof param, "%zu KiB, touched", sizes[i] / 1024);
        bench_row("shm object create+view+destroy", param, r.median_ns[0],
                  "memfd_create+ftruncate+mmap", r.median_ns[1], r.ratio[1], "<= 1.10", NULL);
    }
}

void bench_shm_rows(void)
{
    ring_rows();
    object_rows();
}
