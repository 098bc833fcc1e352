// SPDX-License-Identifier: MIT
/*
 * Areas of processes that end while they are read: short-lived children, reaped by another
 * thread, while this thread iterates and queries their areas. A child reaped between the open of
 * its listing and the first read makes the kernel answer the read with ESRCH; every call must
 * then return MMAPC_ESRCH (or succeed, when it was quicker than the child), never anything else
 * and never touch memory it should not.
 */
#include "areas_util.h"

#include <pthread.h>
#include <string.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <time.h>

/* Run for RUN_SECONDS and at least MIN_ROUNDS (a slow machine, a sanitizer) and until the race
 * was met, but never longer than MAX_SECONDS. Before the fix, the wild write came within some 40
 * rounds. Under an emulator a fork and a listing cost some 100 ms (qemu-user: about 8 rounds a
 * second), so there the minimum is EMU_MIN_ROUNDS, still past those 40, within EMU_MAX_SECONDS. */
#define RUN_SECONDS 3.0
#define MAX_SECONDS 20.0
#define MIN_ROUNDS 200
#define EMU_MAX_SECONDS 60.0
#define EMU_MIN_ROUNDS 80
#define VG_MIN_ROUNDS 40
#define MAX_ROUNDS 40000

static atomic_int stop;

/* Reap every child as soon as it ends. */
static void *reaper(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        if (waitpid(-1, NULL, 0) < 0)
            sched_yield(); /* no child right now */
    }
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Counts of what the calls answered. */
static long n_ok, n_gone;

static void tally(int rc, const char *what)
{
    if (rc == 0)
        n_ok++;
    else if (rc == MMAPC_ESRCH)
        n_gone++;
    else {
        fprintf(stderr, "%s: %s (os error %d)\n", what, mmapc_err_name(rc), mmapc_last_os_error());
        CHECK(0);
    }
}

/* Walk to the end of it and close it: 0 when the walk ended normally, else the error. */
static int walk(mmapc_areas *it)
{
    mmapc_area a;
    int rc;
    while ((rc = mmapc_areas_next(it, &a)) > 0) {
    }
    mmapc_areas_close(it);
    return rc;
}

static void one_round(unsigned round)
{
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        /* end at slightly different moments, to sweep the window between open and read */
        for (volatile unsigned i = 0; i < (round % 64) * 50; i++) {
        }
        _exit(0);
    }
    mmapc_areas *it;
    int rc = mmapc_areas_open(&it, pid);
    if (rc == 0)
        rc = walk(it);
    tally(rc, "iteration");

    mmapc_proc *p;
    rc = mmapc_proc_open(&p, pid, MMAPC_PROC_TEXT);
    if (rc == 0) {
        mmapc_area a;
        char buf[256];
        rc = mmapc_proc_query(p, (uint64_t)(uintptr_t)&one_round, &a, buf, sizeof buf);
        mmapc_proc_close(p);
    }
    tally(rc, "text query");
}

int main(void)
{
    const int emulated = check_under_emulator();
    /* Under valgrind a round takes some 0.2 s and the reap race is rarely met in the time a test
     * may take; there the test is for memcheck's eyes on every path a round takes. */
    const char *preload = getenv("LD_PRELOAD");
    const int valgrind = preload && strstr(preload, "vgpreload");
    const unsigned min_rounds = emulated ? EMU_MIN_ROUNDS : valgrind ? VG_MIN_ROUNDS : MIN_ROUNDS;
    const double max_seconds = emulated ? EMU_MAX_SECONDS : MAX_SECONDS;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, reaper, NULL) == 0);
    double start = now();
    unsigned rounds = 0;
    for (;;) {
        double spent = now() - start;
        if (rounds >= MAX_ROUNDS || spent > max_seconds ||
            (spent > RUN_SECONDS && rounds >= min_rounds && (n_gone > 0 || valgrind)))
            break;
        one_round(rounds++);
    }
    atomic_store(&stop, 1);
    /* wake the reaper if it waits for a child */
    pid_t last = fork();
    REQUIRE(last >= 0);
    if (last == 0)
        _exit(0);
    REQUIRE(pthread_join(t, NULL) == 0);
    printf("%u rounds: %ld answers, %ld of them 'no such process'\n", rounds, n_ok + n_gone,
           n_gone);
    CHECK(rounds >= min_rounds);
    CHECK(n_gone > 0 || valgrind); /* the race was met at least once */
    return check_done();
}
