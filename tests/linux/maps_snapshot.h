// SPDX-License-Identifier: MIT
/* The text of /proc/self/maps, to prove that a refused call left every memory area as it was. */
#ifndef MMAPC_TESTS_MAPS_SNAPSHOT_H
#define MMAPC_TESTS_MAPS_SNAPSHOT_H

#include "check.h"

#include <fcntl.h>
#include <unistd.h>

/* Read /proc/self/maps into buf without allocating (stdio would); returns its length. */
static inline size_t maps_snapshot(char *buf, size_t cap)
{
    int fd = open("/proc/self/maps", O_RDONLY);
    REQUIRE(fd >= 0);
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd, buf + n, cap - n)) > 0)
        n += (size_t)r;
    close(fd);
    REQUIRE(n < cap);
    return n;
}

/* Check that two snapshots are the same, printing both when they are not. */
static inline void maps_check_same(const char *before, size_t n1, const char *after, size_t n2)
{
    int same = n1 == n2 && memcmp(before, after, n1) == 0;
    CHECK(same);
    if (!same)
        fprintf(stderr, "maps before:\n%.*s\nmaps after:\n%.*s\n", (int)n1, before, (int)n2, after);
}

#endif
