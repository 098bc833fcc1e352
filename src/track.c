// SPDX-License-Identifier: MIT
/*
 * Write tracking of a mapping: the portable side. The record (src/track.h) covers the pages of
 * the mapping it started on; split pieces share it and each reports its own pages. A backend
 * (src/os.h) reports the written pages of a range into a bitmap and resets them; this file
 * checks the arguments, adds the pages that count as written whatever the backend saw (a
 * discard, a commit after a decommit), and gives the caller a bitmap or runs of pages.
 */
#include "track.h"

#include <stdlib.h>
#include <string.h>

/* Pages reported per backend call: the scratch bitmap lives on the stack. */
#define CHUNK 4096

/* m's pages as indices of its record: [*first, *first + *n). */
static void pages_of(const mmapc_map *m, size_t *first, size_t *n)
{
    const mmapc__track *t = m->track;
    *first = (size_t)((uintptr_t)mmapc__map_base(m) - t->base) / t->page;
    *n = mmapc__map_span(m) / t->page;
}

static void track_free(mmapc__track *t)
{
    free(t->pending);
    free(t);
}

/* Start t with the system's backend: uffd-wp (Linux), else write watch (Windows). */
static int kernel_start(mmapc__track *t, const mmapc_map *m)
{
    t->backend = MMAPC_TRACKER_UFFD_WP;
    int rc = mmapc__os_uffd_start(t, (m->flags & MMAPC_SHARED) || m->backing->is_file);
    if (rc != MMAPC_EUNSUPPORTED)
        return rc;
    t->backend = MMAPC_TRACKER_WRITE_WATCH;
    return mmapc__os_ww_start(t, m->backing);
}

int mmapc_track_start(mmapc_map *m, unsigned flags)
{
    if (!m || (flags & ~(unsigned)MMAPC_TRACK_FLAGS_ALL) ||
        flags == (MMAPC_TRACK_MPROTECT | MMAPC_TRACK_KERNEL_ONLY))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (m->reserved || m->size == 0 || m->track || m->sealed)
        return mmapc__fail(MMAPC_EINVAL_OP);
    mmapc__track *t = malloc(sizeof *t);
    if (!t)
        return mmapc__fail(MMAPC_ENOMEM);
    atomic_init(&t->refs, 1);
    t->base = (uintptr_t)mmapc__map_base(m);
    t->page = m->page_size;
    t->pages = mmapc__map_span(m) / m->page_size;
    t->os = NULL;
    t->pending = calloc(mmapc__bit_words(t->pages), sizeof *t->pending);
    if (!t->pending) {
        free(t);
        return mmapc__fail(MMAPC_ENOMEM);
    }
    mmapc__fail(0);
    int rc = MMAPC_EUNSUPPORTED;
    if (!(flags & MMAPC_TRACK_MPROTECT))
        rc = kernel_start(t, m);
    if (rc && !(flags & MMAPC_TRACK_KERNEL_ONLY)) {
        t->backend = MMAPC_TRACKER_MPROTECT;
        rc = mmapc__os_mp_start(t, m->prot);
    }
    if (rc) {
        track_free(t);
        return rc;
    }
    m->track = t;
    m->tracked = true;
    return 0;
}

void mmapc__track_put(mmapc__track *t)
{
    if (atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (t->backend == MMAPC_TRACKER_UFFD_WP)
        mmapc__os_uffd_close(t);
    else if (t->backend == MMAPC_TRACKER_MPROTECT)
        mmapc__os_mp_close(t);
    track_free(t);
}

int mmapc_track_stop(mmapc_map *m)
{
    if (!m)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    mmapc__track *t = m->track;
    if (!t)
        return 0;
    size_t first, n;
    pages_of(m, &first, &n);
    int rc = 0;
    if (m->reserved) {
        /* its pages left the record at the decommit */
    } else if (t->backend == MMAPC_TRACKER_MPROTECT) {
        rc = mmapc__os_mp_set(t, first, n, m->prot, MMAPC__MP_DISARM);
    } else if (t->backend == MMAPC_TRACKER_UFFD_WP &&
               atomic_load_explicit(&t->refs, memory_order_acquire) > 1) {
        /* the other pieces stay registered; this one's pages must not wait for a report to
         * become plainly writable (MMAPC_EBADF: a forked child, whose pages are not protected) */
        rc = mmapc__os_uffd_reset(t, first, n, false);
        if (rc == MMAPC_EBADF)
            rc = 0;
    }
    if (rc)
        return rc;
    m->track = NULL;
    m->tracked = false;
    mmapc__track_put(t);
    return 0;
}

mmapc_tracker mmapc_track_backend(const mmapc_map *m)
{
    return m && m->track ? m->track->backend : MMAPC_TRACKER_NONE;
}

void mmapc__track_split(mmapc_map *piece)
{
    atomic_fetch_add_explicit(&piece->track->refs, 1, memory_order_relaxed);
}

void mmapc__track_leave(mmapc_map *m, bool back)
{
    mmapc__track *t = m->track;
    if (t->backend != MMAPC_TRACKER_MPROTECT || m->reserved)
        return; /* uffd-wp: the kernel forgets pages that go, commit registers them again */
    size_t first, n;
    pages_of(m, &first, &n);
    mmapc__os_mp_set(t, first, n, m->prot, back ? MMAPC__MP_ARM : MMAPC__MP_DROP);
}

int mmapc__track_protect(mmapc_map *m, mmapc_prot prot)
{
    mmapc__track *t = m->track;
    if (t->backend != MMAPC_TRACKER_MPROTECT) /* the kernel keeps the write protection */
        return mmapc__os_protect(mmapc__map_base(m), mmapc__map_span(m), prot);
    size_t first, n;
    pages_of(m, &first, &n);
    return mmapc__os_mp_set(t, first, n, prot, MMAPC__MP_ARM);
}

int mmapc__track_commit(mmapc_map *m)
{
    mmapc__track *t = m->track;
    size_t first, n;
    pages_of(m, &first, &n);
    mmapc__bits_set(t->pending, first, n, true);
    if (t->backend == MMAPC_TRACKER_MPROTECT)
        return mmapc__os_mp_set(t, first, n, m->prot, MMAPC__MP_ARM);
    if (t->backend == MMAPC_TRACKER_WRITE_WATCH)
        return mmapc__os_ww_reset(t, first, n);
    return mmapc__os_uffd_reset(t, first, n, true);
}

void mmapc__track_discard(mmapc_map *m, size_t from, size_t to)
{
    mmapc__track *t = m->track;
    size_t first, n;
    pages_of(m, &first, &n);
    mmapc__bits_set(t->pending, first + from / t->page, (to - from) / t->page, true);
}

/* Check a report's arguments: 0 with the range as pages of the record, [*first, *first + *n). */
static int check(const mmapc_map *m, size_t offset, size_t len, size_t *first, size_t *n)
{
    if (!m)
        return MMAPC_EINVAL_ARG;
    if (offset > m->size || len > m->size - offset)
        return MMAPC_EINVAL_OFFSET;
    size_t mask = m->page_size - 1, from = m->lead + offset, end = from + len;
    if ((from & mask) || ((end & mask) && offset + len != m->size))
        return MMAPC_EINVAL_OFFSET;
    if (!m->track || m->reserved)
        return MMAPC_EINVAL_OP;
    size_t base;
    pages_of(m, &base, n);
    *first = base + from / m->page_size;
    *n = (end + mask) / m->page_size - from / m->page_size;
    return 0;
}

/* Report and reset [first, first + n) of m's record (n <= CHUNK) into out, zeroed here; or as
 * how (MMAPC__SCAN_*) says. */
static int report(mmapc_map *m, size_t first, size_t n, uintptr_t *out, int how)
{
    mmapc__track *t = m->track;
    memset(out, 0, mmapc__bit_words(n) * sizeof *out);
    int rc = t->backend == MMAPC_TRACKER_UFFD_WP ? mmapc__os_uffd_scan(t, first, n, out, how)
             : t->backend == MMAPC_TRACKER_WRITE_WATCH
                 ? mmapc__os_ww_scan(t, first, n, out, how)
                 : mmapc__os_mp_scan(t, first, n, m->prot, out, how);
    if (rc)
        return rc;
    if (how == MMAPC__SCAN_RESET) {
        mmapc__bits_take(t->pending, first, n, out);
    } else if (how == MMAPC__SCAN_CLEAR) {
        mmapc__bits_set(t->pending, first, n, false);
    } else {
        for (size_t i = 0; i < n; i++)
            if (mmapc__bit_get(t->pending, first + i))
                mmapc__out_set(out, i, 1);
    }
    return 0;
}

static int bitmap(mmapc_map *m, size_t offset, size_t len, unsigned char *bits, size_t *count,
                  int how)
{
    size_t first, n;
    int rc = check(m, offset, len, &first, &n);
    if (!rc && !bits && len)
        rc = MMAPC_EINVAL_ARG;
    if (rc)
        return mmapc__fail(rc);
    uintptr_t chunk[CHUNK / MMAPC__WBITS];
    size_t written = 0;
    for (size_t done = 0; done < n;) {
        size_t k = n - done < CHUNK ? n - done : CHUNK;
        rc = report(m, first + done, k, chunk, how);
        if (rc)
            return rc;
        /* done is a multiple of 8 until the last chunk: whole bytes */
        for (size_t i = 0; i < (k + 7) / 8; i++) {
            unsigned char byte =
                (unsigned char)(chunk[i * 8 / MMAPC__WBITS] >> (i * 8 % MMAPC__WBITS));
            bits[done / 8 + i] = byte;
            written += (size_t)__builtin_popcount(byte);
        }
        done += k;
    }
    if (count)
        *count = written;
    return 0;
}

int mmapc_track_bitmap(mmapc_map *m, size_t offset, size_t len, unsigned char *bits, size_t *count)
{
    return bitmap(m, offset, len, bits, count, MMAPC__SCAN_RESET);
}

int mmapc_track_peek(mmapc_map *m, size_t offset, size_t len, unsigned char *bits, size_t *count)
{
    return bitmap(m, offset, len, bits, count, MMAPC__SCAN_PEEK);
}

int mmapc_track_reset(mmapc_map *m, size_t offset, size_t len)
{
    size_t first, n;
    int rc = check(m, offset, len, &first, &n);
    if (rc)
        return mmapc__fail(rc);
    uintptr_t chunk[CHUNK / MMAPC__WBITS];
    for (size_t done = 0; done < n;) {
        size_t k = n - done < CHUNK ? n - done : CHUNK;
        rc = report(m, first + done, k, chunk, MMAPC__SCAN_CLEAR);
        if (rc)
            return rc;
        done += k;
    }
    return 0;
}

static int runs_of(mmapc_map *m, size_t offset, size_t len, mmapc_track_run *runs, size_t capacity,
                   size_t *count, size_t *next, int how)
{
    size_t first, n;
    int rc = check(m, offset, len, &first, &n);
    if (!rc && (!runs || !capacity || !count || !next))
        rc = MMAPC_EINVAL_ARG;
    if (rc)
        return mmapc__fail(rc);
    size_t page = m->page_size, origin = (size_t)(m->ptr - mmapc__map_base(m));
    size_t base_page = first - ((size_t)((uintptr_t)mmapc__map_base(m) - m->track->base) / page);
    uintptr_t chunk[CHUNK / MMAPC__WBITS];
    size_t used = 0, done = 0;
    while (done < n) {
        size_t left = capacity - used;
        /* k pages hold at most (k + 1) / 2 runs: never more than the entries left */
        size_t k = left > CHUNK / 2 ? CHUNK : 2 * left - 1;
        if (k > n - done)
            k = n - done;
        rc = report(m, first + done, k, chunk, how);
        if (rc)
            return rc;
        for (size_t i = 0; i < k;) {
            if (!(chunk[i / MMAPC__WBITS] >> (i % MMAPC__WBITS) & 1)) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < k && (chunk[j / MMAPC__WBITS] >> (j % MMAPC__WBITS) & 1))
                j++;
            size_t at = (base_page + done + i) * page - origin;
            if (used && runs[used - 1].offset + runs[used - 1].len == at) {
                runs[used - 1].len += (j - i) * page;
            } else {
                runs[used].offset = at;
                runs[used].len = (j - i) * page;
                used++;
            }
            i = j;
        }
        done += k;
        if (used == capacity)
            break;
    }
    *count = used;
    size_t stop = (base_page + done) * page - origin;
    *next = done == n ? offset + len : stop;
    return 0;
}

int mmapc_track_runs(mmapc_map *m, size_t offset, size_t len, mmapc_track_run *runs,
                     size_t capacity, size_t *count, size_t *next)
{
    return runs_of(m, offset, len, runs, capacity, count, next, MMAPC__SCAN_RESET);
}

int mmapc_track_peek_runs(mmapc_map *m, size_t offset, size_t len, mmapc_track_run *runs,
                          size_t capacity, size_t *count, size_t *next)
{
    return runs_of(m, offset, len, runs, capacity, count, next, MMAPC__SCAN_PEEK);
}
