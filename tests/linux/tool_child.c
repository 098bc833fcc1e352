// SPDX-License-Identifier: MIT
/*
 * A process for the tool's tests to look at: `tool_child N` makes N extra areas (one page each,
 * protections alternating so that none merge, every fourth one touched) and the scripted areas
 * below, prints "ready BASE" (the scripted areas' base address, hexadecimal) and then obeys its
 * standard input, one word a line, answering "ok" after each:
 *
 *   change   remove X, grow Z, shrink W, protect V, add Y, touch U (see below)
 *   exit     end
 *
 * `tool_child churn` instead, every 20 ms, flips the protection of one page and touches one more
 * page of a 64 MiB area (for about five minutes), so that every look of `mmapc watch` sees a
 * change: the Rss of that area grows.
 *
 * The scripted areas lie in a range it reserved and gave back, each with free pages around it:
 *   X = BASE + 0 pages,  4 pages rw-, touched: removed by `change`
 *   Z = BASE + 8,        2 pages rw-: grown to 4 pages in place (mremap)
 *   W = BASE + 16,       4 pages r--: shrunk to 2 pages (the last two unmapped)
 *   V = BASE + 24,       4 pages rw-: made read-only (mprotect)
 *   Y = BASE + 32,       3 pages r-x: added (mapped by `change`)
 *   U = BASE + 40,       4 pages rw-, untouched: all four pages touched (Rss +16 KiB)
 * It writes with write(2) and reads with read(2) only, so no stdio buffer appears between two
 * looks of the test.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static size_t page;
static char *base;

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static char *at(size_t pages)
{
    return base + pages * page;
}

static void map_at(size_t where, size_t pages, int prot)
{
    void *p = mmap(at(where), pages * page, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                   -1, 0);
    if (p != at(where))
        die("mmap at a chosen address");
}

static void say(const char *s)
{
    size_t n = strlen(s);
    if (write(1, s, n) != (ssize_t)n)
        exit(1);
}

static void change(void)
{
    if (munmap(at(0), 4 * page) != 0) /* X removed */
        die("munmap X");
    if (mremap(at(8), 2 * page, 4 * page, 0) != at(8)) /* Z grown in place */
        die("mremap Z");
    if (munmap(at(18), 2 * page) != 0) /* W shrunk */
        die("munmap W");
    if (mprotect(at(24), 4 * page, PROT_READ) != 0) /* V protected */
        die("mprotect V");
    map_at(32, 3, PROT_READ | PROT_EXEC); /* Y added */
    memset(at(40), 1, 4 * page);          /* U touched */
}

int main(int argc, char **argv)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    if (argc > 1 && strcmp(argv[1], "churn") == 0) {
        size_t pages = ((size_t)64 << 20) / page;
        char *p = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        char *grow =
            mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED || grow == MAP_FAILED)
            die("mmap");
        /* one page a touch: where transparent huge pages are "always" (Debian's kernels) the
         * first touch would make 2 MiB resident and the next 511 change nothing */
        (void)madvise(grow, pages * page, MADV_NOHUGEPAGE);
        say("ready\n");
        for (size_t i = 0;; i++) {
            if (mprotect(p, page, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE) != 0)
                die("mprotect");
            grow[i % pages * page] = 1;
            usleep(20000);
        }
    }
    long n = argc > 1 ? atol(argv[1]) : 0;
    if (n > 0) {
        size_t len = (size_t)n * 2 * page; /* an area, a gap, an area... */
        char *extra = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (extra == MAP_FAILED)
            die("mmap");
        for (long i = 0; i < n; i++)
            if (mprotect(extra + (size_t)i * 2 * page, page,
                         i % 2 ? PROT_READ : PROT_READ | PROT_WRITE) != 0)
                die("mprotect");
        for (long i = 0; i < n; i += 4)
            extra[(size_t)i * 2 * page] = 1;
    }
    /* a free range for the scripted areas */
    base = mmap(NULL, 64 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED || munmap(base, 64 * page) != 0)
        die("reserve");
    map_at(0, 4, PROT_READ | PROT_WRITE);
    memset(at(0), 1, 4 * page);
    map_at(8, 2, PROT_READ | PROT_WRITE);
    map_at(16, 4, PROT_READ);
    map_at(24, 4, PROT_READ | PROT_WRITE);
    map_at(40, 4, PROT_READ | PROT_WRITE);
    char line[64];
    snprintf(line, sizeof line, "ready %lx\n", (unsigned long)(uintptr_t)base);
    say(line);
    for (;;) {
        char cmd[64];
        ssize_t got = read(0, cmd, sizeof cmd - 1);
        if (got <= 0)
            return 0;
        cmd[got] = '\0';
        if (strncmp(cmd, "change", 6) == 0)
            change();
        else if (strncmp(cmd, "exit", 4) == 0)
            return 0;
        say("ok\n");
    }
}
