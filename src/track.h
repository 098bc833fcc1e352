// SPDX-License-Identifier: MIT
/* Write tracking (track.c): the record of a tracked mapping, shared by the portable side and
 * the backends (src/os/linux_track.c: uffd-wp; posix_track.c: mprotect and the fault handler). */
#ifndef MMAPC_TRACK_H
#define MMAPC_TRACK_H

#include "os.h"

/* One record per tracked mapping, shared by the pieces split from it (refs). Pages are counted
 * from base in units of page. */
struct mmapc__track {
    atomic_uint refs;
    mmapc_tracker backend;
    uintptr_t base;
    size_t page;
    size_t pages;
    /* pages that count as written whatever the backend says (discarded, committed again) */
    atomic_uintptr_t *pending;
    void *os; /* the backend's state */
};

#define MMAPC__WBITS (sizeof(uintptr_t) * 8)

static inline size_t mmapc__bit_words(size_t n)
{
    return (n + MMAPC__WBITS - 1) / MMAPC__WBITS;
}

/* The mask of bits [from, to) of one word (0 <= from < to <= MMAPC__WBITS). */
static inline uintptr_t mmapc__bit_mask(size_t from, size_t to)
{
    uintptr_t hi = to == MMAPC__WBITS ? ~(uintptr_t)0 : ((uintptr_t)1 << to) - 1;
    return hi & ~(((uintptr_t)1 << from) - 1);
}

/* Set (on) or clear the bits [first, first + n) of words. Async-signal-safe. */
static inline void mmapc__bits_set(atomic_uintptr_t *words, size_t first, size_t n, bool on)
{
    size_t end = first + n;
    while (first < end) {
        size_t w = first / MMAPC__WBITS, lo = first % MMAPC__WBITS;
        size_t hi = end - w * MMAPC__WBITS < MMAPC__WBITS ? end - w * MMAPC__WBITS : MMAPC__WBITS;
        uintptr_t mask = mmapc__bit_mask(lo, hi);
        if (on)
            atomic_fetch_or_explicit(&words[w], mask, memory_order_acq_rel);
        else
            atomic_fetch_and_explicit(&words[w], ~mask, memory_order_acq_rel);
        first = w * MMAPC__WBITS + hi;
    }
}

static inline bool mmapc__bit_get(atomic_uintptr_t *words, size_t i)
{
    return atomic_load_explicit(&words[i / MMAPC__WBITS], memory_order_acquire) >>
               (i % MMAPC__WBITS) &
           1;
}

/* Take the bits [first, first + n) of words (clearing them, each word atomically) and set them
 * in out, whose bit 0 stands for first. */
static inline void mmapc__bits_take(atomic_uintptr_t *words, size_t first, size_t n, uintptr_t *out)
{
    size_t end = first + n;
    while (first < end) {
        size_t w = first / MMAPC__WBITS, lo = first % MMAPC__WBITS;
        size_t hi = end - w * MMAPC__WBITS < MMAPC__WBITS ? end - w * MMAPC__WBITS : MMAPC__WBITS;
        uintptr_t mask = mmapc__bit_mask(lo, hi);
        uintptr_t got = atomic_load_explicit(&words[w], memory_order_relaxed) & mask;
        if (got)
            got = atomic_fetch_and_explicit(&words[w], ~mask, memory_order_acq_rel) & mask;
        while (got) {
            size_t b = (size_t)__builtin_ctzll((unsigned long long)got);
            size_t i = w * MMAPC__WBITS + b - (end - n); /* index from the range's first */
            out[i / MMAPC__WBITS] |= (uintptr_t)1 << (i % MMAPC__WBITS);
            got &= got - 1;
        }
        first = w * MMAPC__WBITS + hi;
    }
}

/* Set the bits [first, first + n) of the plain bitmap out. */
static inline void mmapc__out_set(uintptr_t *out, size_t first, size_t n)
{
    for (size_t i = first; i < first + n; i++)
        out[i / MMAPC__WBITS] |= (uintptr_t)1 << (i % MMAPC__WBITS);
}

#endif
