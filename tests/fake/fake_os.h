// SPDX-License-Identifier: MIT
/*
 * A fake platform for src/areas.c: it implements the memory-area primitives of src/os.h by
 * serving a listing given in memory, in chunks of chosen sizes, with a read error at a chosen
 * read. fake_check() runs iterations and queries on it and compares every answer with the
 * line-by-line parse of the listing (src/maps_parse.h). Built with areas.c, maps_parse.c and
 * error.c, without the real platform files: by tests/fake/ and by the fuzzer in fuzz/.
 */
#ifndef MMAPC_TESTS_FAKE_OS_H
#define MMAPC_TESTS_FAKE_OS_H

#include <stddef.h>
#include <stdint.h>

typedef struct fake_plan {
    uint64_t seed;    /* drives chunk sizes and the choice of addresses and ranges */
    size_t max_chunk; /* each read gives 1..max_chunk bytes (0: all that was asked for) */
    long fail_at;     /* index of the read of each stream that fails; -1: none */
    int fail_code;    /* what it fails with (a negative MMAPC_E* code) */
    int fail_open;    /* non-zero: opening the stream fails with fail_code */
    unsigned queries; /* how many addresses to query (besides the iterations) */
    size_t path_size; /* buffer of each query's path (0: no buffer) */
} fake_plan;

/*
 * Iterate (all, and a range) and query the listing [text, text + len) under plan, and compare
 * with the line-by-line parse. Returns the number of differences (each printed to stderr).
 * *reads, when not NULL, gets the most reads any one stream made (so a caller can put a read
 * error at each of them).
 */
int fake_check(const char *text, size_t len, const fake_plan *plan, long *reads);

/* How many times the core asked whether a name ending in " (deleted)" is a live file's. */
extern long fake_name_lookups;

/* Serve [text, text + len) under plan to the calls that follow, without checking them. */
void fake_serve(const char *text, size_t len, const fake_plan *plan);

#endif
