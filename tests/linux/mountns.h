// SPDX-License-Identifier: MIT
/* A private mount namespace for a test's child process, so that it can hide /proc or put a FIFO
 * over a file the library reads, without touching the rest of the system. As root, or for any
 * other user in a user namespace of its own (userns.h). */
#ifndef MMAPC_TESTS_MOUNTNS_H
#define MMAPC_TESTS_MOUNTNS_H

#include "userns.h"

#include <sched.h>
#include <sys/mount.h>

/* Enter a mount namespace of our own whose mounts do not propagate back (the process must have
 * one thread). Returns 0, or -1 when the system does not let us (not root, and no user
 * namespaces). */
static inline int mns_enter(void)
{
    if (userns_enter() != 0 || unshare(CLONE_NEWNS) != 0)
        return -1;
    /* type is ignored for a propagation change; a string, not NULL, for valgrind's check */
    return mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL);
}

#endif
