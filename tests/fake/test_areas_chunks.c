// SPDX-License-Identifier: MIT
/*
 * src/areas.c on a fake platform (fake_os.c) that serves listings in chunks of many sizes and
 * fails one read of each stream, at every read in turn. Every iteration and query must equal the
 * line-by-line parse of the listing, or return the read's error (MMAPC_ESRCH, as when the
 * process is reaped under the reader) without touching memory it should not: the fake fills
 * the count of a failed read with junk, so a loop that used it would write far out of its
 * buffer. The fuzzer fuzz/fuzz_areas.c runs the same checks on random listings and plans.
 */
#include "../check.h"
#include "fake_os.h"

#define SMALL 2000 /* listings up to this size are also read one byte and 7 bytes at a time */

static const char small[] =
    "00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus-daemon\n"
    "00651000-00652000 r--p 00051000 08:02 173521      /usr/bin/dbus-daemon (deleted)\n"
    "00652000-00655000 rw-p 00052000 08:02 173522      /usr/bin/x (deleted)\n"
    "00e03000-00e24000 rw-p 00000000 00:00 0           [heap]\n"
    "35b1800000-35b1820000 r-xp 00000000 08:02 135522  /usr/lib64/ld-2.15.so\n"
    "7f2c2c000000-7f2c2c021000 rw-p 00000000 00:00 0 \n"
    "7f2c30a00000-7f2c30a01000 rw-s 00000000 00:01 7   /dev/zero (deleted)\n"
    "7f2c30a01000-7f2c30a02000 ---p 00000000 00:00 0   [anon:thread stack guard]\n"
    "7ffc6d7d1000-7ffc6d7f2000 rw-p 00000000 00:00 0   [stack]\n"
    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]";

static const char bad[] = "10000-11000 r--p 00000000 08:01 12 /bin/one\n"
                          "20000-22000 rw-p 00000000 00:00 0 \n"
                          "30000-31000 rw-x 00000000 00:00 0\n"
                          "40000-41000 r--p 00000000 00:00 0 [heap]\n";

/* A listing of n lines of distinct areas, some deleted (inode odd: a live "x (deleted)"). */
static char *many(size_t n, size_t *len)
{
    size_t cap = n * 120 + 1;
    char *s = malloc(cap), *p = s;
    REQUIRE(s != NULL);
    for (size_t i = 0; i < n; i++)
        p += snprintf(p, cap - (size_t)(p - s),
                      "%llx-%llx r-xp %08zx fd:01 %zu                      /usr/lib/lib%zu.so%s\n",
                      0x10000ull + i * 0x3000, 0x12000ull + i * 0x3000, i * 0x1000, i + 100, i,
                      i % 7 == 0 ? " (deleted)" : "");
    *len = (size_t)(p - s);
    return s;
}

/* One line whose path is longer than any read buffer of a query. */
static char *long_line(size_t path_len, size_t *len)
{
    char *s = malloc(path_len + 200);
    REQUIRE(s != NULL);
    int n = snprintf(s, 200, "100000-200000 r--p 00000000 08:01 42 /");
    for (size_t i = 0; i < path_len; i++)
        s[(size_t)n + i] = (char)('a' + i % 26);
    size_t end = (size_t)n + path_len;
    end += (size_t)sprintf(s + end, " (deleted)\n300000-301000 rw-p 00000000 00:00 0 [heap]\n");
    *len = end;
    return s;
}

static long runs;

/* Under plan, without an error and then with one at each read in turn. */
static void each_read(const char *name, const char *text, size_t len, fake_plan plan)
{
    long reads = 0;
    plan.fail_at = -1;
    int bad_runs = fake_check(text, len, &plan, &reads) != 0;
    runs++;
    CHECK(reads > 0);
    for (long k = 0; k < reads; k++) {
        plan.fail_at = k;
        plan.path_size = (size_t)(k % 4 == 0 ? 0 : k % 4 == 1 ? 1 : k % 4 == 2 ? 9 : 4097);
        plan.seed = (uint64_t)k * 77 + len;
        bad_runs += fake_check(text, len, &plan, NULL) != 0;
        runs++;
    }
    if (bad_runs)
        fprintf(stderr, "%s, chunks of up to %zu bytes: %d of %ld runs differ\n", name,
                plan.max_chunk, bad_runs, reads + 1);
    CHECK(bad_runs == 0);
}

static void listing(const char *name, const char *text, size_t len)
{
    static const size_t chunks[] = {1, 7, 4093, 0};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        if (chunks[i] && chunks[i] < 100 && len > SMALL)
            continue;
        fake_plan plan = {.seed = len + i,
                          .max_chunk = chunks[i],
                          .fail_code = MMAPC_ESRCH,
                          .queries = 4,
                          .path_size = 64};
        each_read(name, text, len, plan);
    }
    /* the stream cannot be opened at all */
    fake_plan plan = {.fail_at = -1, .fail_code = MMAPC_EACCES, .fail_open = 1, .queries = 2};
    CHECK(fake_check(text, len, &plan, NULL) == 0);
}

int main(void)
{
    listing("small", small, sizeof small - 1);
    listing("bad line", bad, sizeof bad - 1);
    listing("empty", "", 0);
    size_t len;
    char *big = many(3000, &len); /* beyond the first snapshot buffer */
    listing("3000 lines", big, len);
    free(big);
    char *longer = long_line(40000, &len); /* beyond a query's stack buffer */
    listing("long path", longer, len);
    free(longer);
    printf("%ld runs\n", runs);
    return check_done();
}
