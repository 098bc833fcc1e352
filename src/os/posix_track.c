// SPDX-License-Identifier: MIT
/*
 * Write tracking with mprotect and the fault handler (every POSIX system): the tracked pages
 * that may be written are made read-only ("armed"); the first write to one faults, and the
 * handler of guarded copies (posix_guard.c) asks mmapc__posix_track_fault() first, which marks
 * the page written and makes it writable again. A report makes the range read-only again and
 * takes the marks.
 *
 * No write is lost: the handler (lock; page writable; mark; unlock) and a report (lock; range
 * read-only; take the marks; unlock) exclude each other with a spin lock per tracker, so that
 * a handler's "writable" never lands after a report's "read-only" with its mark already taken.
 * The lock is taken with every signal blocked outside the handler, so that a handler never
 * waits for its own thread. Trackers are found by the handler in a fixed table of slots, each
 * with a count of the handlers looking at it, which the close waits for.
 *
 * A fault on a page of a tracker that is not armed (a piece stopped, unmapped or protected
 * read-only), or on an armed page already marked written (made writable by another thread
 * since the fault, or an execute, not a write), may have raced a change: the handler lets the
 * instruction run once more, and passes the fault on if the same thread faults at the same
 * address again with no report and no change of the tracker in between.
 */
#include "../track.h"
#include "posix.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Valgrind (3.19) does not resume a store that faulted on a page the handler has made writable
 * as the system does: the store goes on with clobbered registers (a memset then writes through
 * a garbage pointer). Its client request (a few instructions, no library) tells whether it
 * runs the program, and the backend is refused there. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#if defined(__GNUC__)
#define TRACK_TLS _Thread_local __attribute__((tls_model("initial-exec")))
#else
#define TRACK_TLS _Thread_local
#endif

#define SLOTS 64

typedef struct mp_state {
    atomic_int lock;
    atomic_uint gen; /* reports and changes of armed pages, for the handler's second look */
    size_t slot;
    atomic_uintptr_t *dirty; /* written since the last report */
    atomic_uintptr_t *armed; /* tracked, and writable by the mapping's protection */
    atomic_uintptr_t *exec;  /* the mapping's protection has exec */
} mp_state;

static struct {
    _Atomic(mmapc__track *) t;
    atomic_int users;
} slots[SLOTS];
static atomic_int tracking; /* trackers in the table: the handler looks only when there are */

/* The handler's last fault let through once, in this thread. */
static TRACK_TLS uintptr_t last_addr;
static TRACK_TLS unsigned last_gen;

static void spin_lock(mp_state *s)
{
    while (atomic_exchange_explicit(&s->lock, 1, memory_order_acquire))
        sched_yield();
}

static void spin_unlock(mp_state *s)
{
    atomic_store_explicit(&s->lock, 0, memory_order_release);
}

/* Outside the handler: the lock with every signal blocked (old gets the mask to restore). */
static void lock_blocked(mp_state *s, sigset_t *old)
{
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, old);
    spin_lock(s);
}

static void unlock_blocked(mp_state *s, const sigset_t *old)
{
    spin_unlock(s);
    pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* A child made by fork() while another thread held a lock: none holds it in the child. */
static void after_fork_child(void)
{
    for (size_t i = 0; i < SLOTS; i++) {
        mmapc__track *t = atomic_load(&slots[i].t);
        if (t)
            atomic_store(&((mp_state *)t->os)->lock, 0);
        atomic_store(&slots[i].users, 0);
    }
}

static pthread_once_t fork_once = PTHREAD_ONCE_INIT;
static void register_fork(void)
{
    pthread_atfork(NULL, NULL, after_fork_child);
}

static int pprot(mmapc_prot prot)
{
    return mmapc__posix_prot(prot);
}

static void *page_at(const mmapc__track *t, size_t i)
{
    return (void *)(t->base + i * t->page);
}

/* The fault at a in tracker t: 1 handled (run the instruction again), -1 not ours (pass it
 * on), 0 not in t's pages. */
static int on_tracked(mmapc__track *t, uintptr_t a)
{
    if (a < t->base || a - t->base >= t->pages * t->page)
        return 0;
    mp_state *s = t->os;
    size_t i = (a - t->base) / t->page;
    spin_lock(s);
    unsigned gen = atomic_load_explicit(&s->gen, memory_order_relaxed);
    bool seen = last_addr == a && last_gen == gen;
    int r = 1;
    if (mmapc__bit_get(s->armed, i) && !(seen && mmapc__bit_get(s->dirty, i))) {
        int prot = PROT_READ | PROT_WRITE | (mmapc__bit_get(s->exec, i) ? PROT_EXEC : 0);
        if (mprotect(page_at(t, i), t->page, prot) == 0)
            mmapc__bits_set(s->dirty, i, 1, true);
        else
            r = -1;
    } else if (seen) {
        r = -1;
    }
    spin_unlock(s);
    last_addr = a;
    last_gen = gen;
    return r;
}

int mmapc__posix_track_fault(int sig, const siginfo_t *si)
{
    if (!atomic_load_explicit(&tracking, memory_order_acquire) || si->si_code <= 0)
        return 0;
        /* a write to a read-only page: SIGSEGV with SEGV_ACCERR (macOS may raise SIGBUS) */
#if defined(__APPLE__)
    if (sig != SIGSEGV && sig != SIGBUS)
        return 0;
#else
    if (sig != SIGSEGV || si->si_code != SEGV_ACCERR)
        return 0;
#endif
    int saved = errno, r = 0;
    uintptr_t a = (uintptr_t)si->si_addr;
    for (size_t i = 0; i < SLOTS && !r; i++) {
        if (!atomic_load_explicit(&slots[i].t, memory_order_acquire))
            continue;
        atomic_fetch_add_explicit(&slots[i].users, 1, memory_order_acq_rel);
        mmapc__track *t = atomic_load_explicit(&slots[i].t, memory_order_acquire);
        if (t)
            r = on_tracked(t, a);
        atomic_fetch_sub_explicit(&slots[i].users, 1, memory_order_acq_rel);
    }
    errno = saved;
    return r > 0;
}

static void state_free(mp_state *s)
{
    free(s->dirty);
    free(s->armed);
    free(s->exec);
    free(s);
}

/* Mark [first, first + n) armed or not, and exec, for protection prot (how: MMAPC__MP_*). */
static void mark(mp_state *s, size_t first, size_t n, mmapc_prot prot, int how)
{
    bool arm = how == MMAPC__MP_ARM && (prot & MMAPC_PROT_WRITE);
    mmapc__bits_set(s->armed, first, n, arm);
    mmapc__bits_set(s->exec, first, n, (prot & MMAPC_PROT_EXEC) != 0);
}

int mmapc__os_mp_start(mmapc__track *t, mmapc_prot prot)
{
    if (RUNNING_ON_VALGRIND)
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    int rc = mmapc__os_guard_ready(0); /* the handler, in place */
    if (rc)
        return rc;
    pthread_once(&fork_once, register_fork);
    mp_state *s = calloc(1, sizeof *s);
    size_t words = mmapc__bit_words(t->pages);
    if (s) {
        s->dirty = calloc(words, sizeof *s->dirty);
        s->armed = calloc(words, sizeof *s->armed);
        s->exec = calloc(words, sizeof *s->exec);
    }
    if (!s || !s->dirty || !s->armed || !s->exec) {
        if (s)
            state_free(s);
        return mmapc__fail(MMAPC_ENOMEM);
    }
    mark(s, 0, t->pages, prot, MMAPC__MP_ARM);
    t->os = s;
    size_t i = 0;
    for (; i < SLOTS; i++) {
        mmapc__track *none = NULL;
        if (atomic_compare_exchange_strong(&slots[i].t, &none, t))
            break;
    }
    if (i == SLOTS) {
        state_free(s);
        t->os = NULL;
        return mmapc__fail(MMAPC_ELIMIT);
    }
    s->slot = i;
    atomic_fetch_add(&tracking, 1);
    /* published first: a write between the mprotect and the table would find no tracker */
    if ((prot & MMAPC_PROT_WRITE) &&
        mprotect(page_at(t, 0), t->pages * t->page, pprot(prot & ~MMAPC_PROT_WRITE)) != 0) {
        rc = mmapc__posix_fail(errno);
        mprotect(page_at(t, 0), t->pages * t->page, pprot(prot));
        mmapc__os_mp_close(t);
        return rc;
    }
    return 0;
}

int mmapc__os_mp_scan(mmapc__track *t, size_t first, size_t n, mmapc_prot prot, uintptr_t *out,
                      int how)
{
    mp_state *s = t->os;
    sigset_t old;
    int rc = 0;
    if (how == MMAPC__SCAN_PEEK) { /* the marks as they are: a handler only adds to them */
        for (size_t i = 0; i < n; i++)
            if (mmapc__bit_get(s->dirty, first + i))
                mmapc__out_set(out, i, 1);
        return 0;
    }
    lock_blocked(s, &old);
    if ((prot & MMAPC_PROT_WRITE) &&
        mprotect(page_at(t, first), n * t->page, pprot(prot & ~MMAPC_PROT_WRITE)) != 0)
        rc = mmapc__posix_fail(errno); /* pages made read-only so far stay armed: no harm */
    else if (how == MMAPC__SCAN_CLEAR)
        mmapc__bits_set(s->dirty, first, n, false);
    else
        mmapc__bits_take(s->dirty, first, n, out);
    /* a fault that comes back after this is a new one, not the same one again */
    atomic_fetch_add_explicit(&s->gen, 1, memory_order_relaxed);
    unlock_blocked(s, &old);
    return rc;
}

int mmapc__os_mp_set(mmapc__track *t, size_t first, size_t n, mmapc_prot prot, int how)
{
    mp_state *s = t->os;
    sigset_t old;
    int rc = 0;
    lock_blocked(s, &old);
    if (how != MMAPC__MP_DROP) {
        mmapc_prot now = how == MMAPC__MP_ARM ? prot & ~MMAPC_PROT_WRITE : prot;
        if (mprotect(page_at(t, first), n * t->page, pprot(now)) != 0)
            rc = mmapc__posix_fail(errno);
    }
    if (!rc) {
        mark(s, first, n, prot, how);
        atomic_fetch_add_explicit(&s->gen, 1, memory_order_relaxed);
    }
    unlock_blocked(s, &old);
    return rc;
}

void mmapc__os_mp_close(mmapc__track *t)
{
    mp_state *s = t->os;
    atomic_store(&slots[s->slot].t, NULL);
    atomic_fetch_sub(&tracking, 1);
    while (atomic_load(&slots[s->slot].users))
        sched_yield(); /* a handler still looking at it */
    state_free(s);
}
