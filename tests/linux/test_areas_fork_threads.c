// SPDX-License-Identifier: MIT
/*
 * MMAPC_SELF handles used across fork() from several threads. A child's first query through an
 * inherited handle opens a descriptor of its own; a grandchild forked by another thread while
 * that happens must still be able to query (no lock taken across fork stays taken). Every
 * grandchild runs under an alarm, so a hang fails the test instead of stalling it.
 */
#include "areas_util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define HANDLES 64
#define RUN_SECONDS 2.0
#define HANG_SECONDS 5

static mmapc_proc *handles[HANDLES];
static atomic_int querying;

/* Query through every handle: the number of queries that failed. */
static int query_all(void)
{
    int bad = 0;
    mmapc_area a;
    for (int i = 0; i < HANDLES; i++)
        bad += mmapc_proc_query(handles[i], (uint64_t)(uintptr_t)&a, &a, NULL, 0) != 0;
    return bad;
}

/* Fork grandchildren while the child's main thread makes its first queries. */
static void *forker(void *arg)
{
    int *bad = arg;
    while (atomic_load(&querying)) {
        pid_t pid = fork();
        if (pid < 0)
            break;
        if (pid == 0) {
            alarm(HANG_SECONDS);
            _exit(query_all() ? 2 : 0);
        }
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
                fprintf(stderr, "a grandchild hung in its first query\n");
            else
                fprintf(stderr, "a grandchild failed: status 0x%x\n", status);
            (*bad)++;
        }
    }
    return NULL;
}

/* One child: its main thread queries every inherited handle while another thread forks. */
static int child(void)
{
    int bad = 0;
    pthread_t t;
    atomic_store(&querying, 1);
    if (pthread_create(&t, NULL, forker, &bad) != 0)
        return 1;
    int failed = query_all();
    atomic_store(&querying, 0);
    pthread_join(t, NULL);
    return failed || bad;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(unsigned flags)
{
    for (int i = 0; i < HANDLES; i++)
        REQUIRE_OK(mmapc_proc_open(&handles[i], MMAPC_SELF, flags));
    CHECK(query_all() == 0);
    int rounds = 0, failed = 0;
    double end = now() + RUN_SECONDS;
    while (now() < end && failed == 0) {
        fflush(NULL);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0)
            _exit(child());
        int status;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
        rounds++;
    }
    printf("%s: %d children, %d failed\n", flags ? "text" : "direct", rounds, failed);
    CHECK(failed == 0);
    CHECK(rounds > 0);
    CHECK(query_all() == 0);
    for (int i = 0; i < HANDLES; i++)
        mmapc_proc_close(handles[i]);
}

int main(void)
{
    run(0);
    run(MMAPC_PROC_TEXT);
    return check_done();
}
