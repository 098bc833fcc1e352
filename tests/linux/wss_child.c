// SPDX-License-Identifier: MIT
/*
 * A process for the tests of `mmapc wss`: it maps two areas of 64 pages, A and B (a hole
 * between), writes every page once, prints "ready A B PAGE SD" (addresses in hexadecimal, the
 * page size, and 1 when the kernel keeps soft-dirty bits: a child of its own clears them, writes
 * one of two pages and finds bit 55 of that one only), and then, until its standard input ends,
 * keeps reading the first 16 pages of A and writing the first 5 of them; B stays untouched. The
 * figures of any interval are then at least 16 pages accessed of A, exactly 5 pages written, and
 * nothing of B. It writes with write(2) only.
 */
#define _GNU_SOURCE
#include "soft_dirty.h"

#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 64
#define K 16
#define J 5

static size_t page;

int main(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    char *a = mmap(NULL, (2 * PAGES + 1) * page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED)
        return 1;
    char *b = a + (PAGES + 1) * page;
    munmap(a + PAGES * page, page);
    madvise(a, PAGES * page, MADV_NOHUGEPAGE);
    madvise(b, PAGES * page, MADV_NOHUGEPAGE);
    memset(a, 1, PAGES * page);
    memset(b, 1, PAGES * page);
    char line[128];
    int n = snprintf(line, sizeof line, "ready %lx %lx %zu %d\n", (unsigned long)(uintptr_t)a,
                     (unsigned long)(uintptr_t)b, page, soft_dirty_probe(page) == 0);
    if (write(1, line, (size_t)n) != n)
        return 1;
    struct pollfd in = {0, POLLIN, 0};
    for (unsigned char v = 0;; v++) {
        volatile char sum = 0;
        for (size_t i = 0; i < K; i++)
            sum += ((volatile char *)a)[i * page];
        for (size_t i = 0; i < J; i++)
            ((volatile char *)a)[i * page] = (char)(sum + v);
        if (poll(&in, 1, 1) != 0)
            return 0; /* input ended (or failed) */
    }
}
