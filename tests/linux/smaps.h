// SPDX-License-Identifier: MIT
/* Read what the kernel says about the area holding an address, from /proc/self/smaps. */
#ifndef MMAPC_TESTS_SMAPS_H
#define MMAPC_TESTS_SMAPS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct smaps_entry {
    unsigned long start, end;
    char perms[5];
    char vmflags[256]; /* " rd wr mr ..." with a space before each flag */
    unsigned long rss_kb;
    unsigned long kernel_page_kb;
    unsigned long lazyfree_kb; /* pages freed lazily (MADV_FREE) and not reclaimed yet */
    unsigned long locked_kb;
} smaps_entry;

/* Fill e with the area holding addr; 0 if there is none. */
static inline int smaps_find(const void *addr, smaps_entry *e)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return 0;
    char line[4096];
    int found = 0;
    unsigned long a = (unsigned long)addr;
    while (fgets(line, sizeof line, f)) {
        unsigned long s, t;
        char perms[5];
        if (sscanf(line, "%lx-%lx %4s", &s, &t, perms) == 3 && strchr(line, ':') &&
            line[strspn(line, "0123456789abcdef")] == '-') {
            if (found)
                break;
            if (a >= s && a < t) {
                found = 1;
                memset(e, 0, sizeof *e);
                e->start = s;
                e->end = t;
                memcpy(e->perms, perms, sizeof perms);
            }
            continue;
        }
        if (!found)
            continue;
        if (strncmp(line, "VmFlags:", 8) == 0) {
            size_t n = strcspn(line + 8, "\n");
            if (n > sizeof e->vmflags - 2)
                n = sizeof e->vmflags - 2;
            memcpy(e->vmflags, line + 8, n);
            e->vmflags[n] = ' ';
            e->vmflags[n + 1] = '\0';
        } else {
            sscanf(line, "Rss: %lu kB", &e->rss_kb);
            sscanf(line, "KernelPageSize: %lu kB", &e->kernel_page_kb);
            sscanf(line, "LazyFree: %lu kB", &e->lazyfree_kb);
            sscanf(line, "Locked: %lu kB", &e->locked_kb);
        }
    }
    fclose(f);
    return found;
}

/* Non-zero if the area holding addr has the two-letter VmFlag flag (e.g. "dd"). */
static inline int smaps_has_flag(const void *addr, const char *flag)
{
    smaps_entry e;
    if (!smaps_find(addr, &e))
        return 0;
    char needle[8];
    snprintf(needle, sizeof needle, " %s ", flag);
    return strstr(e.vmflags, needle) != NULL;
}

#endif
