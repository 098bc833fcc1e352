// SPDX-License-Identifier: MIT
/* A child that runs exec when told, for the tests of a handle opened before its process runs
 * exec: exec_child_start() forks it (it waits), exec_child_go() has it run exec of a shell that
 * waits in turn and returns once the exec is done, exec_child_end() lets it end and reaps it. */
#ifndef MMAPC_TESTS_EXEC_CHILD_H
#define MMAPC_TESTS_EXEC_CHILD_H

#include "check.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct exec_child {
    pid_t pid;
    int gate; /* written to: the child runs exec; closed: the shell ends */
    int done; /* end of file once the exec is done (the child's end is closed by it) */
} exec_child;

static inline void exec_child_start(exec_child *c)
{
    int gate[2], done[2];
    REQUIRE(pipe(gate) == 0 && pipe2(done, O_CLOEXEC) == 0);
    fflush(NULL);
    c->pid = fork();
    REQUIRE(c->pid >= 0);
    if (c->pid == 0) {
        close(gate[1]);
        close(done[0]);
        char x;
        if (read(gate[0], &x, 1) != 1)
            _exit(1);
        dup2(gate[0], 0); /* the shell waits for the end of the pipe */
        execl("/bin/sh", "sh", "-c", "read x", (char *)NULL);
        _exit(127);
    }
    close(gate[0]);
    close(done[1]);
    c->gate = gate[1];
    c->done = done[0];
}

static inline void exec_child_go(exec_child *c)
{
    REQUIRE(write(c->gate, "x", 1) == 1);
    char x;
    REQUIRE(read(c->done, &x, 1) == 0);
    close(c->done);
}

static inline void exec_child_end(exec_child *c)
{
    close(c->gate);
    int st;
    REQUIRE(waitpid(c->pid, &st, 0) == c->pid);
}

#endif
