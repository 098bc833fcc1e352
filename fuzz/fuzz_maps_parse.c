// SPDX-License-Identifier: MIT
/* libFuzzer target for the /proc/<pid>/maps line parser. Checks, beyond "no crash", that what the
 * parser accepts is consistent: a range, a path inside the line, and a classification that agrees
 * with the path; and that its fast path (where SSE2 is) agrees with the careful one on every line
 * of the input read as a listing. The parser's source is included, for its careful step. */
#include "../src/maps_parse.c"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    /* a copy of the line and the NUL the parser's contract asks after it, so that ASan catches
     * any read further */
    char *line = malloc(size + 1);
    if (!line)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    mmapc_area a, b;
    memset(&a, 0, sizeof a); /* padding too, for the comparison below */
    memset(&b, 0, sizeof b);
    int rc = mmapc__maps_parse_line(line, size, &a);
    /* the streaming form agrees on one line, and always moves on */
    const char *next;
    int rc_next = mmapc__maps_parse_next(line, line + size, &b, &next);
    if (next <= line && size > 0)
        abort();
    if (!memchr(line, '\n', size) && (rc != rc_next || (rc == 0 && memcmp(&a, &b, sizeof a) != 0)))
        abort();
    if (rc == 0) {
        if (a.start >= a.end || a.allocation_base != a.start || (a.prot & ~7u) != 0)
            abort();
        if (a.path < line || a.path + a.path_len > line + size)
            abort();
        if ((a.kind == MMAPC_AREA_ANON) != (a.path_len == 0 && !a.deleted))
            abort();
        if (a.deleted && a.kind != MMAPC_AREA_FILE)
            abort();
        if (memchr(a.path, 0, a.path_len) != NULL)
            abort();
    }
    /* the input as a listing, line by line as an iteration reads it: the fast path runs where
     * enough of the buffer follows a line, and must give what the careful path gives */
    for (const char *p = line, *end = line + size; p < end; p = next) {
        const char *careful_after;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        rc = mmapc__maps_parse_next(p, end, &a, &next);
        if (rc != careful_next(p, end, &b, &careful_after) || next != careful_after || next <= p ||
            next > end || (rc == 0 && memcmp(&a, &b, sizeof a) != 0))
            abort();
    }
    free(line);
    return 0;
}
