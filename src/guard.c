// SPDX-License-Identifier: MIT
/*
 * Fault-safe copies: the portable side. A copy runs as one memcpy under the platform's guard
 * (src/os.h); when a fault on the guarded bytes stops it, the memcpy's order of work is unknown
 * (it may copy the end first), so the copy is done again forward from the start, a page at a
 * time and then a byte at a time in the page that faults: the bytes copied before the fault are
 * then exactly those before the first byte that cannot be copied.
 */
#include "os.h"

#include <string.h>

typedef struct copy_job {
    unsigned char *dst;
    const unsigned char *src;
    size_t len;
    size_t stop;         /* end of the stretch copy_bytes copies */
    volatile size_t pos; /* bytes copied for certain, kept across a fault */
} copy_job;

/* Bytes from a to the next page boundary (the smallest page: the base page size). */
static size_t to_page_end(uintptr_t a)
{
    size_t page = mmapc__os_page_size();
    return page - (a & (page - 1));
}

/* The next stretch from j->pos that crosses no page boundary on either side. */
static size_t stretch(const copy_job *j)
{
    size_t n = j->len - j->pos, d = to_page_end((uintptr_t)(j->dst + j->pos)),
           s = to_page_end((uintptr_t)(j->src + j->pos));
    n = n < d ? n : d;
    return n < s ? n : s;
}

static void copy_all(void *arg)
{
    copy_job *j = arg;
    memcpy(j->dst, j->src, j->len);
    j->pos = j->len;
}

static void copy_pages(void *arg)
{
    copy_job *j = arg;
    while (j->pos < j->len) {
        size_t n = stretch(j);
        memcpy(j->dst + j->pos, j->src + j->pos, n);
        j->pos += n;
    }
}

static void copy_bytes(void *arg)
{
    copy_job *j = arg;
    volatile unsigned char *d = j->dst;
    const volatile unsigned char *s = j->src;
    /* volatile on both sides and on pos: one byte at a time, in order, each counted after it
     * is stored */
    for (size_t i = j->pos; i < j->stop; i++) {
        d[i] = s[i];
        j->pos = i + 1;
    }
}

/* Non-zero when [a, a + len) and [b, b + len) share a byte. */
static int overlap(const void *a, const void *b, size_t len)
{
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x < y ? y - x < len : x - y < len;
}

/* guarded_copy() after a fault stopped the whole copy: again forward, as the top of this file
 * says. Apart, so that the usual copy keeps few registers and a small frame. */
__attribute__((noinline, cold)) static int copy_again(copy_job *j, const uintptr_t ranges[4],
                                                      size_t *done)
{
    int raw = 0;
    j->pos = 0;
    for (;;) {
        if (mmapc__os_guard_run(copy_pages, j, ranges, &raw) == 0) {
            if (done) /* the fault is gone (the file grew back): every byte is copied */
                *done = j->len;
            return 0;
        }
        j->stop = j->pos + stretch(j);
        if (mmapc__os_guard_run(copy_bytes, j, ranges, &raw) != 0)
            break;
    }
    if (done)
        *done = j->pos;
    return mmapc__os_fail(raw, MMAPC_EIO);
}

/* Copy len bytes (not 0), guarding the source (guard_src), the destination (guard_dst) or
 * both. */
static inline int guarded_copy(void *dst, const void *src, size_t len, bool guard_src,
                               bool guard_dst, size_t *done)
{
    int rc = mmapc__os_guard_ready(0);
    if (rc)
        return rc;
    uintptr_t ranges[4] = {0, 0, 0, 0};
    if (guard_src) {
        ranges[0] = (uintptr_t)src;
        ranges[1] = (uintptr_t)src + len;
    }
    if (guard_dst) {
        ranges[2] = (uintptr_t)dst;
        ranges[3] = (uintptr_t)dst + len;
    }
    copy_job j = {.dst = dst, .src = src, .len = len, .pos = 0};
    int raw = 0;
    if (__builtin_expect(mmapc__os_guard_run(copy_all, &j, ranges, &raw) != 0, 0))
        return copy_again(&j, ranges, done);
    if (done)
        *done = len;
    return 0;
}

/* An empty copy: nothing to guard. */
static int copy_none(size_t *done)
{
    if (done)
        *done = 0;
    return 0;
}

/* A guarded copy between buf and [offset, offset + len) of m, either way (write: into m). The
 * handle's fields are read here directly: calls to the public accessors would go through the
 * PLT. */
static inline int map_copy(const mmapc_map *m, size_t offset, void *buf, size_t len, bool write,
                           size_t *done)
{
    if (!m || (!buf && len))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    size_t size = m->size;
    if (offset > size || len > size - offset)
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    if ((uintptr_t)buf > UINTPTR_MAX - len) /* past the top, as in mmapc_copy_guarded() */
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (m->reserved)
        return mmapc__fail(MMAPC_EINVAL_OP);
    if (!(m->prot & (write ? MMAPC_PROT_WRITE : MMAPC_PROT_READ)))
        return mmapc__fail(MMAPC_EACCES);
    unsigned char *at = m->ptr + offset;
    if (overlap(buf, at, len))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (len == 0)
        return copy_none(done);
    return write ? guarded_copy(at, buf, len, false, true, done)
                 : guarded_copy(buf, at, len, true, false, done);
}

int mmapc_read(const mmapc_map *map, size_t offset, void *buf, size_t len, size_t *done)
{
    return map_copy(map, offset, buf, len, false, done);
}

int mmapc_write(mmapc_map *map, size_t offset, const void *buf, size_t len, size_t *done)
{
    return map_copy(map, offset, (void *)buf, len, true, done);
}

int mmapc_copy_guarded(void *dst, const void *src, size_t len, size_t *done)
{
    if (len && (!dst || !src || overlap(dst, src, len) || (uintptr_t)dst > UINTPTR_MAX - len ||
                (uintptr_t)src > UINTPTR_MAX - len))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (len == 0)
        return copy_none(done);
    return guarded_copy(dst, src, len, true, true, done);
}

int mmapc_guard_install(unsigned flags)
{
    if (flags & ~(unsigned)MMAPC_GUARD_NO_CHECK)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    return mmapc__os_guard_ready(flags & MMAPC_GUARD_NO_CHECK ? 3 : 1);
}
