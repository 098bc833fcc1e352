// SPDX-License-Identifier: MIT
/* Reading and writing the one-number files of /proc/sys and /sys (nr_hugepages...). */
#ifndef MMAPC_TESTS_SYSFS_H
#define MMAPC_TESTS_SYSFS_H

#include <stdio.h>

/* The number in the file at path, or -1. */
static inline long read_long(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;
    if (f) {
        if (fscanf(f, "%ld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

/* Write v to the file at path; 0 on success, -1 otherwise. */
static inline int write_long(const char *path, long v)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fprintf(f, "%ld\n", v) > 0;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

#endif
