// SPDX-License-Identifier: MIT
/* Whether the kernel keeps soft-dirty bits, asked of the whole cycle (not of the library's
 * probe): a child of the caller's writes two pages, clears its soft-dirty bits through
 * /proc/self/clear_refs, writes one page again and reads bit 55 of both pagemap entries. */
#ifndef MMAPC_TESTS_SOFT_DIRTY_H
#define MMAPC_TESTS_SOFT_DIRTY_H

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child's exit status: 0 kept (bit 55 on the page written again only), 1 not kept (on
 * neither), 5 wrong (the page not written again shows as written), 2 to 4 a step failed; -1 when
 * no child could be made. */
static inline int soft_dirty_probe(size_t page)
{
    pid_t c = fork();
    if (c < 0)
        return -1;
    if (c == 0) {
        char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            _exit(2);
        p[0] = p[page] = 1;
        int fd = open("/proc/self/clear_refs", O_WRONLY);
        if (fd < 0 || write(fd, "4", 1) != 1)
            _exit(3);
        close(fd);
        p[0] = 2;
        uint64_t e[2];
        fd = open("/proc/self/pagemap", O_RDONLY);
        if (fd < 0 || pread(fd, e, sizeof e, (off_t)((uintptr_t)p / page * 8)) != sizeof e)
            _exit(4);
        int d0 = (int)(e[0] >> 55 & 1), d1 = (int)(e[1] >> 55 & 1);
        _exit(d0 && !d1 ? 0 : !d0 && !d1 ? 1 : 5);
    }
    int status;
    if (waitpid(c, &status, 0) != c || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

#endif
