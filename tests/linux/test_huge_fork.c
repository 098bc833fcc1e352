// SPDX-License-Identifier: MIT
/*
 * A fork() while another thread is inside the first read of the huge page sizes: the child's own
 * first call must answer (reading the sizes itself), not wait for a thread that does not exist
 * in it. The read is held still at its opendir(), which the link wraps (-Wl,--wrap=opendir, in
 * tests/linux/CMakeLists.txt): the wrapper tells the test that the reader is inside, and waits
 * until the test lets it go. The child runs under an alarm, so a hang fails the test.
 */
#include "testutil.h"

#include <dirent.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/wait.h>

#define HANG_SECONDS 10

DIR *__real_opendir(const char *name);
DIR *__wrap_opendir(const char *name);

static sem_t inside, release;
static int hold = 1; /* hold the next read of the sizes directory */

DIR *__wrap_opendir(const char *name)
{
    if (hold && strcmp(name, "/sys/kernel/mm/hugepages") == 0) {
        hold = 0;
        sem_post(&inside);
        while (sem_wait(&release) != 0)
            ;
    }
    return __real_opendir(name);
}

typedef struct answer {
    size_t def;
    size_t sizes[16];
    size_t count;
    int rc;
} answer;

static void ask(answer *a)
{
    memset(a, 0, sizeof *a);
    a->def = mmapc_default_huge_page_size();
    a->rc = mmapc_page_sizes(a->sizes, 16, &a->count);
}

static void *first_reader(void *arg)
{
    ask(arg);
    return NULL;
}

int main(void)
{
    REQUIRE(sem_init(&inside, 0, 0) == 0 && sem_init(&release, 0, 0) == 0);
    answer in_thread, in_child;
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, first_reader, &in_thread) == 0);
    while (sem_wait(&inside) != 0)
        ;
    /* the reader is inside the first read now, and stays there until released */
    int pipefd[2];
    REQUIRE(pipe(pipefd) == 0);
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        alarm(HANG_SECONDS);
        close(pipefd[0]);
        answer a;
        ask(&a);
        _exit(write(pipefd[1], &a, sizeof a) == (ssize_t)sizeof a ? 0 : 1);
    }
    close(pipefd[1]);
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    ssize_t got = read(pipefd[0], &in_child, sizeof in_child);
    close(pipefd[0]);
    if (WIFSIGNALED(status))
        fprintf(stderr, "the child was killed by signal %d (SIGALRM: it hung)\n", WTERMSIG(status));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(got == (ssize_t)sizeof in_child);
    sem_post(&release);
    REQUIRE(pthread_join(t, NULL) == 0);
    /* the child's answer is the one the process gets */
    answer after;
    ask(&after);
    CHECK_OK(in_thread.rc);
    CHECK_OK(after.rc);
    CHECK(in_thread.def == after.def && in_thread.count == after.count);
    if (got == (ssize_t)sizeof in_child) {
        CHECK_OK(in_child.rc);
        CHECK(in_child.def == after.def && in_child.count == after.count);
        CHECK(memcmp(in_child.sizes, after.sizes, sizeof after.sizes) == 0);
    }
    return check_done();
}
