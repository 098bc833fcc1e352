// SPDX-License-Identifier: MIT
/*
 * The parser of one line of a Linux /proc/<pid>/maps listing, and the classification of an area
 * name that both the text path and PROCMAP_QUERY use. Pure functions: no OS header, no
 * allocation, built and tested on every platform.
 *
 * A line, as the kernel prints it (widths are minimums; fields may be wider):
 *   start-end perms offset major:minor inode [padding name]
 *   7f3c8a200000-7f3c8a222000 r-xp 00002000 103:02 1234567   /usr/lib/x.so (deleted)
 */
#ifndef MMAPC_MAPS_PARSE_H
#define MMAPC_MAPS_PARSE_H

#include "mmapc.h"

/*
 * Parse the line [line, line + len), without its newline, into *out. The byte after the line,
 * line[len], must be readable and hold '\n' or '\0' (the newline in a listing, or a terminator
 * the caller adds): it stops the fast field scans, which check no bounds per character. out->path
 * points into the line and is NOT NUL-terminated: it is out->path_len bytes long (the " (deleted)"
 * suffix is left out and out->deleted set). Returns 0, or MMAPC_EPARSE for anything the kernel
 * would not print (out is then unspecified).
 */
int mmapc__maps_parse_line(const char *line, size_t len, mmapc_area *out);

/*
 * Parse the line at line, which ends at the first '\n' or at end, where the buffer must hold a
 * '\0'; *next gets the start of the line after it (end when there is none), also on failure.
 * The same result as mmapc__maps_parse_line() without a separate search for the line's end.
 * Where SSE2 is, a line followed by enough of the buffer (most lines of a listing) goes through a
 * fast path for the layout the kernel prints, which falls back to the careful parse on any other.
 */
int mmapc__maps_parse_next(const char *line, const char *end, mmapc_area *out, const char **next);

/* What Linux prints after the name of a deleted file. */
#define MMAPC__DELETED_SUFFIX " (deleted)"
#define MMAPC__DELETED_LEN (sizeof MMAPC__DELETED_SUFFIX - 1)

/*
 * Set out->kind, out->deleted and out->path_len from an area name of len bytes as the system
 * prints it ("" for none, "/a/file (deleted)", "[heap]", "[anon:x]"). out->path is not touched.
 */
void mmapc__area_classify(const char *name, size_t len, mmapc_area *out);
/* out->deleted only says that the name ends in the suffix; the caller asks the system whether it
 * is part of a live file's name (mmapc__os_name_is_file in src/os.h). */

#endif
