// SPDX-License-Identifier: MIT
/* A byte queue on a double-mapped ring: the ring's memory appears twice, back to back, so a
 * record that runs past the end is written and read with one plain memcpy, never split. */
#include "mmapc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct queue {
    mmapc_ring *ring;
    unsigned char *buf;
    size_t size;
    uint64_t head, tail; /* bytes written and read so far */
} queue;

static int push(queue *q, const void *rec, size_t len)
{
    if (q->size - (q->head - q->tail) < len)
        return 0;                                 /* full */
    memcpy(q->buf + q->head % q->size, rec, len); /* may run into the second view: fine */
    q->head += len;
    return 1;
}

static int pop(queue *q, void *rec, size_t len)
{
    if (q->head - q->tail < len)
        return 0; /* empty */
    memcpy(rec, q->buf + q->tail % q->size, len);
    q->tail += len;
    return 1;
}

int main(void)
{
    queue q = {0};
    /* the size must be a multiple of the allocation granularity */
    int rc = mmapc_ring_create(&q.ring, mmapc_allocation_granularity());
    if (rc) {
        fprintf(stderr, "ring: %s\n", mmapc_strerror(rc));
        return 1;
    }
    q.buf = mmapc_ring_ptr(q.ring);
    q.size = mmapc_ring_size(q.ring);

    /* 100-byte records: the ring's size is no multiple of 100, so many of them wrap */
    unsigned char in[100], out[100];
    size_t wrapped = 0, bad = 0;
    for (unsigned i = 0; i < 10000; i++) {
        memset(in, (int)(i & 0xff), sizeof in);
        wrapped += q.head % q.size + sizeof in > q.size;
        if (!push(&q, in, sizeof in) || !pop(&q, out, sizeof out))
            return 1;
        bad += memcmp(in, out, sizeof in) != 0;
    }
    printf("10000 records through a %zu-byte ring, %zu across its end, %zu damaged\n", q.size,
           wrapped, bad);
    mmapc_ring_free(q.ring);
    return bad == 0 && wrapped > 0 ? 0 : 1;
}
