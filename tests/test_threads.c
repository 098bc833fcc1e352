// SPDX-License-Identifier: MIT
/* Distinct handles used from distinct threads at once, including pieces of one split
 * allocation freed concurrently (the shared backing is reference-counted), and splits and
 * merges in every thread at once (the handles freed by merges are reused by splits). */
#include "check.h"

#include <pthread.h>

#define THREADS 4
#define ROUNDS 300

static void *worker(void *arg)
{
    mmapc_map *piece = arg;
    size_t ps = mmapc_page_size();
    int ok = 1;
    for (int i = 0; i < ROUNDS; i++) {
        mmapc_map *m = NULL;
        if (mmapc_map_anon(&m, 2 * ps, MMAPC_PROT_RW, NULL) != 0)
            return NULL;
        mmapc_map *back = NULL;
        ok &= mmapc_split_off(m, ps, &back) == 0;
        ((volatile char *)mmapc_ptr(back))[0] = 1;
        ok &= mmapc_protect(back, MMAPC_PROT_READ) == 0;
        ok &= mmapc_protect(m, MMAPC_PROT_NONE) == 0;
        mmapc_unmap(back);
        mmapc_unmap(m);
        ((volatile char *)mmapc_ptr(piece))[i % 64] = (char)i;
    }
    mmapc_unmap(piece);
    return ok ? piece : NULL;
}

/* Split a piece of 4 pages in three and merge it back, over and over: each new handle must be
 * the thread's own, with the fields its split gave it, until its merge. */
static void *splitter(void *arg)
{
    mmapc_map *m = arg;
    size_t ps = mmapc_page_size();
    uintptr_t start = mmapc_start(m);
    int ok = 1;
    for (int i = 0; i < ROUNDS * 4; i++) {
        mmapc_map *back = NULL, *front = NULL;
        ok &= mmapc_split_off(m, 3 * ps, &back) == 0;
        ok &= mmapc_split_to(m, ps, &front) == 0;
        ((volatile char *)mmapc_ptr(back))[0] = (char)i;
        ok &= mmapc_start(front) == start && mmapc_size(front) == ps;
        ok &= mmapc_start(m) == start + ps && mmapc_size(m) == 2 * ps;
        ok &= mmapc_start(back) == start + 3 * ps && mmapc_size(back) == ps;
        ok &= mmapc_merge(m, back) == 0 && mmapc_merge(m, front) == 0;
        ok &= mmapc_start(m) == start && mmapc_size(m) == 4 * ps;
    }
    return ok ? m : NULL;
}

int main(void)
{
    size_t ps = mmapc_page_size();
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, THREADS * ps, MMAPC_PROT_RW, NULL));
    mmapc_map *pieces[THREADS];
    for (int i = THREADS - 1; i > 0; i--)
        REQUIRE_OK(mmapc_split_off(m, (size_t)i * ps, &pieces[i]));
    pieces[0] = m;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        REQUIRE(pthread_create(&t[i], NULL, worker, pieces[i]) == 0);
    for (int i = 0; i < THREADS; i++) {
        void *r = NULL;
        REQUIRE(pthread_join(t[i], &r) == 0);
        CHECK(r == pieces[i]);
    }

    /* pieces of one allocation in some threads, mappings of their own in the others */
    REQUIRE_OK(mmapc_map_anon(&m, THREADS / 2 * 4 * ps, MMAPC_PROT_RW, NULL));
    for (int i = THREADS / 2 - 1; i > 0; i--)
        REQUIRE_OK(mmapc_split_off(m, (size_t)i * 4 * ps, &pieces[i]));
    pieces[0] = m;
    for (int i = THREADS / 2; i < THREADS; i++)
        REQUIRE_OK(mmapc_map_anon(&pieces[i], 4 * ps, MMAPC_PROT_RW, NULL));
    for (int i = 0; i < THREADS; i++)
        REQUIRE(pthread_create(&t[i], NULL, splitter, pieces[i]) == 0);
    for (int i = 0; i < THREADS; i++) {
        void *r = NULL;
        REQUIRE(pthread_join(t[i], &r) == 0);
        CHECK(r == pieces[i]);
    }
    for (int i = 0; i < THREADS; i++)
        mmapc_unmap(pieces[i]);
    return check_done();
}
