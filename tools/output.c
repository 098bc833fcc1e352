// SPDX-License-Identifier: MIT
/* Standard output that fails honestly: a write error (a full disk, a closed descriptor) is exit
 * status 3 with a message, as coreutils' close_stdout does, never a silent success. */
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

int tool_fail(int rc, const char *what)
{
    /* The system's own reason where it tells more than the code; not for a process that is not
     * there, whose reason is the code itself (its /proc directory is missing: ENOENT, "No such
     * file or directory", which reads as if a file were). */
    int os = rc == MMAPC_ESRCH ? 0 : mmapc_last_os_error();
    if (os)
        fprintf(stderr, "mmapc: %s: %s (%s)\n", what, mmapc_strerror(rc), strerror(os));
    else
        fprintf(stderr, "mmapc: %s: %s\n", what, mmapc_strerror(rc));
    switch (rc) {
    case MMAPC_ENOTFOUND:
    case MMAPC_ESRCH:
        return EXIT_NOT_FOUND;
    default:
        return EXIT_FAILED;
    }
}

const char *tool_pid_name(int pid, char *buf, size_t size)
{
    if (pid == MMAPC_SELF)
        snprintf(buf, size, "this process");
    else
        snprintf(buf, size, "process %d", pid);
    return buf;
}

void tool_guard_std_fds(void)
{
#ifndef _WIN32
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        /* Read-only, so that a write to it fails (EBADF) instead of vanishing; and the number
         * is taken before the library opens anything that could get it. */
        int nfd = open("/dev/null", O_RDONLY);
        if (nfd != fd) /* the lowest free number is fd: only a failed open gets here */
            _exit(EXIT_FAILED);
    }
#endif
}

int tool_close_stdout(int status)
{
    errno = 0;
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int err = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    if (!failed)
        return status;
    if (err)
        fprintf(stderr, "mmapc: write error: %s\n", strerror(err));
    else
        fputs("mmapc: write error\n", stderr);
    return EXIT_FAILED;
}
