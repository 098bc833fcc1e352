// SPDX-License-Identifier: MIT
/* Root-only checks for everyone: a process that is not root enters a user namespace of its own in
 * which it is root, and may then make a mount namespace and mount in it (bind a file over its own
 * /proc/PID/maps, hide /proc). What needs the real root (a write to /proc/sys or /sys, another
 * user's process) stays out of reach there. */
#ifndef MMAPC_TESTS_USERNS_H
#define MMAPC_TESTS_USERNS_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Write text to a /proc/self file; 0 or -1 with errno. */
static inline int userns_write(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)len ? 0 : -1;
}

/* As root: nothing. Otherwise enter a new user namespace with this uid and gid mapped to 0 (the
 * process must have one thread). Returns 0, or -1 with errno when the kernel does not allow it
 * (user namespaces disabled, or too many). */
static inline int userns_enter(void)
{
    if (geteuid() == 0)
        return 0;
    char uid_map[64], gid_map[64];
    snprintf(uid_map, sizeof uid_map, "0 %lu 1\n", (unsigned long)geteuid());
    snprintf(gid_map, sizeof gid_map, "0 %lu 1\n", (unsigned long)getegid());
    if (unshare(CLONE_NEWUSER) != 0)
        return -1;
    /* setgroups must be denied before an unprivileged process may write gid_map */
    if (userns_write("/proc/self/setgroups", "deny") != 0 && errno != ENOENT)
        return -1;
    if (userns_write("/proc/self/uid_map", uid_map) != 0 ||
        userns_write("/proc/self/gid_map", gid_map) != 0)
        return -1;
    return 0;
}

#endif
