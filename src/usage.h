// SPDX-License-Identifier: MIT
/*
 * The parser of a Linux /proc/<pid>/smaps listing (and of smaps_rollup): pure functions, no OS
 * header, no allocation, built and tested on every platform. An entry is a header line in the
 * format of /proc/<pid>/maps (src/maps_parse.h) followed by lines "Key:   value", for example
 *   Rss:                   8 kB
 *   THPeligible:           0
 *   VmFlags: rd wr mr mw me ac sd
 * Known keys fill fields of mmapc_area_usage and set their bits in known; a key the parser does
 * not know (one a later kernel adds) is skipped; anything else is MMAPC_EPARSE.
 */
#ifndef MMAPC_USAGE_H
#define MMAPC_USAGE_H

#include "internal.h"

/*
 * Parse the key lines of one entry, from p (the line after its header) up to the next header
 * line or end, where the buffer must hold a '\0'. *u is zeroed first and filled; *next gets the
 * start of the next header line (end when there is none), also on failure. Returns 0, or
 * MMAPC_EPARSE for a malformed line, a key given twice, or an entry without Size and Rss.
 */
int mmapc__smaps_parse_body(const char *p, const char *end, mmapc_area_usage *u, const char **next);

/*
 * Parse a whole smaps_rollup text [buf, buf + len), where buf[len] must be '\0': a header line
 * ("start-end ---p 00000000 00:00 0 [rollup]") and the key lines (Rss at least). An empty text
 * (a process without areas) gives zeros with known 0. Returns 0 or MMAPC_EPARSE.
 */
int mmapc__smaps_parse_rollup(const char *buf, size_t len, mmapc_area_usage *u);

/* Non-zero when the line at p is an entry's header: hex digits and a '-' (keys never are). */
int mmapc__smaps_is_header(const char *p);

/* Add the byte counts of a to *sum, and keep in sum->known the bits that both know. */
void mmapc__usage_add(mmapc_area_usage *sum, const mmapc_area_usage *a);

/* The figures mmapc__usage_add() sums: every byte count. */
#define MMAPC__USAGE_SUMMED                                                                        \
    ((((UINT64_C(1) << 25) - 1) & ~(MMAPC_USAGE_KERNEL_PAGE_SIZE | MMAPC_USAGE_MMU_PAGE_SIZE)) |   \
     MMAPC_USAGE_RESIDENT_SHARED | MMAPC_USAGE_RESIDENT_PRIVATE)

#endif
