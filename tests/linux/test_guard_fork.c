// SPDX-License-Identifier: MIT
/*
 * A fork() while another thread is inside the first install of the fault handler: the child's
 * own first guarded copy must answer, not wait for a lock held by a thread that does not exist
 * in it. The install is held still at its first sigaction(), which the link wraps
 * (-Wl,--wrap=sigaction, in tests/linux/CMakeLists.txt): the wrapper tells the test that the
 * installing thread is inside, and waits until the test lets it go. The child runs under an
 * alarm, so a hang fails the test.
 */
#include "testutil.h"

#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/wait.h>

#define HANG_SECONDS 10

int __real_sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int __wrap_sigaction(int sig, const struct sigaction *act, struct sigaction *old);

static sem_t inside, release;
static volatile int hold; /* hold the next look at the SIGBUS handler */

int __wrap_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (hold && sig == SIGBUS && !act) {
        hold = 0;
        sem_post(&inside);
        while (sem_wait(&release) != 0)
            ;
    }
    return __real_sigaction(sig, act, old);
}

typedef struct copy {
    unsigned char src[64], dst[64];
    size_t done;
    int rc;
} copy;

static void guarded(copy *c)
{
    for (size_t i = 0; i < sizeof c->src; i++)
        c->src[i] = (unsigned char)(i * 3 + 1);
    memset(c->dst, 0, sizeof c->dst);
    c->done = 0;
    c->rc = mmapc_copy_guarded(c->dst, c->src, sizeof c->src, &c->done);
}

static void *first_copy(void *arg)
{
    guarded(arg);
    return NULL;
}

int main(void)
{
    REQUIRE(sem_init(&inside, 0, 0) == 0 && sem_init(&release, 0, 0) == 0);
    copy in_thread;
    hold = 1;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, first_copy, &in_thread) == 0);
    while (sem_wait(&inside) != 0)
        ;
    /* the thread is inside the first install now, and stays there until released */
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        alarm(HANG_SECONDS);
        copy c;
        guarded(&c);
        int ok = c.rc == MMAPC_OK && c.done == sizeof c.src && !memcmp(c.dst, c.src, sizeof c.src);
        /* and a fault on the guarded bytes is caught in the child too */
        size_t done = 1;
        int rc = mmapc_copy_guarded(c.dst, (const void *)(uintptr_t)mmapc_page_size(), 8, &done);
        _exit(ok && rc == MMAPC_EIO && done == 0 ? 0 : 1);
    }
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    if (WIFSIGNALED(status))
        fprintf(stderr, "the child was killed by signal %d (SIGALRM: it hung)\n", WTERMSIG(status));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    sem_post(&release);
    REQUIRE(pthread_join(t, NULL) == 0);
    CHECK_OK(in_thread.rc);
    CHECK(in_thread.done == sizeof in_thread.src);
    CHECK(memcmp(in_thread.dst, in_thread.src, sizeof in_thread.src) == 0);
    return check_done();
}
