// SPDX-License-Identifier: MIT
/*
 * A name that ends in " (deleted)" is looked up (is it a live file's whole name?) once per run
 * of areas of the same file under the same name, not once per area: Linux names every piece of
 * one shared anonymous mapping "/dev/zero (deleted)", and a process can have thousands of them.
 * Each area still gets its own file's answer: the fake platform says "live" for an odd inode.
 */
#include "../check.h"
#include "fake_os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RUN = 1000 };

/* Lines: RUN pieces of /dev/zero (inode 8), then one whose name is the same but whose file is
 * another (inode 9, live), then the first again, then a live file's RUN pieces (inode 11). */
static char *listing(size_t *len)
{
    size_t cap = (3 * RUN + 2) * 96, n = 0;
    char *t = malloc(cap);
    REQUIRE(t);
    uint64_t at = 0x10000000;
    for (int i = 0; i < 3 * RUN + 2; i++, at += 0x1000) {
        unsigned inode = i < RUN ? 8 : i == RUN ? 9 : i == RUN + 1 ? 8 : 11;
        const char *name = inode == 11 ? "/srv/x (deleted)" : "/dev/zero (deleted)";
        n += (size_t)snprintf(t + n, cap - n, "%llx-%llx %s 00000000 00:01 %u %s\n",
                              (unsigned long long)at, (unsigned long long)(at + 0x1000),
                              i % 2 ? "r--s" : "rw-s", inode, name);
    }
    *len = n;
    return t;
}

int main(void)
{
    size_t len;
    char *text = listing(&len);
    static const size_t chunks[] = {0, 13};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        fake_plan plan = {.seed = 3, .max_chunk = chunks[c], .fail_at = -1};
        fake_serve(text, len, &plan);
        fake_name_lookups = 0;
        mmapc_areas *it = NULL;
        REQUIRE_OK(mmapc_areas_open(&it, 1));
        mmapc_area a;
        int rc, i = 0, wrong = 0;
        while ((rc = mmapc_areas_next(it, &a)) == 1) {
            int live = a.inode & 1;
            const char *want = a.inode == 11 ? "/srv/x (deleted)"
                               : live        ? "/dev/zero (deleted)"
                                             : "/dev/zero";
            if (a.deleted == live || strcmp(a.path, want) != 0 || a.path_len != strlen(want))
                wrong++;
            i++;
        }
        CHECK(rc == 0 && i == 3 * RUN + 2);
        CHECK(wrong == 0);
        mmapc_areas_close(it);
        /* one lookup for each run: inode 8, 9, 8 again, 11 */
        if (fake_name_lookups != 4)
            fprintf(stderr, "%ld lookups\n", fake_name_lookups);
        CHECK(fake_name_lookups == 4);
        /* the checker's comparison of every answer with the line parse */
        CHECK(fake_check(text, len, &plan, NULL) == 0);
    }
    free(text);
    return check_done();
}
