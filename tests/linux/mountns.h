// SPDX-License-Identifier: MIT
/* A private mount namespace for a test's child process, so that it can hide /proc or put a FIFO
 * over a file the library reads, without touching the rest of the system. Needs root. */
#ifndef MMAPC_TESTS_MOUNTNS_H
#define MMAPC_TESTS_MOUNTNS_H

#include <sched.h>
#include <sys/mount.h>

/* Enter a mount namespace of our own whose mounts do not propagate back. Returns 0, or -1 when
 * the system does not let us (not root). */
static inline int mns_enter(void)
{
    if (unshare(CLONE_NEWNS) != 0)
        return -1;
    return mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

#endif
