// SPDX-License-Identifier: MIT
/* libFuzzer target for the smaps parser (src/usage.h). The input is an smaps listing, parsed as
 * an iteration does (header line, then the entry's key lines), and as a whole smaps_rollup.
 * Checks, beyond "no crash": every step moves on, and what the parser accepts is consistent. */
#include "../src/maps_parse.h"
#include "../src/usage.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Byte counts that Linux prints in kB: the parser gives whole kB. */
static void check_usage(const mmapc_area_usage *u)
{
    const uint64_t *kb[] = {&u->size,          &u->rss,          &u->pss,
                            &u->shared_clean,  &u->shared_dirty, &u->private_clean,
                            &u->private_dirty, &u->swap,         &u->locked};
    for (size_t i = 0; i < sizeof kb / sizeof kb[0]; i++)
        if (*kb[i] % 1024 != 0)
            abort();
    if ((u->known & MMAPC_USAGE_RESIDENT_SHARED) &&
        u->resident_shared != u->shared_clean + u->shared_dirty)
        abort();
    if (!(u->known & MMAPC_USAGE_RSS) && u->rss != 0)
        abort(); /* a figure not known is 0 */
    if (!(u->known & MMAPC_USAGE_VM_FLAGS) && u->vm_flags != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    /* a copy with the terminator the parser's contract asks after the text, so that ASan catches
     * any read further */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *end = text + size, *p = text;
    while (p < end) {
        mmapc_area a;
        mmapc_area_usage u;
        const char *next;
        int rc = mmapc__maps_parse_next(p, end, &a, &next);
        if (next <= p || next > end)
            abort();
        if (rc == 0) {
            const char *after;
            rc = mmapc__smaps_parse_body(next, end, &u, &after);
            if (after < next || after > end)
                abort();
            if (rc == 0) {
                if ((u.known & (MMAPC_USAGE_SIZE | MMAPC_USAGE_RSS)) !=
                    (MMAPC_USAGE_SIZE | MMAPC_USAGE_RSS))
                    abort();
                if (after != end && !mmapc__smaps_is_header(after))
                    abort(); /* an entry ends at the next header */
                check_usage(&u);
            } else if (rc != MMAPC_EPARSE) {
                abort();
            }
            next = after > next ? after : next;
        }
        p = next;
    }
    mmapc_area_usage r;
    int rc = mmapc__smaps_parse_rollup(text, size, &r);
    if (rc == 0)
        check_usage(&r);
    else if (rc != MMAPC_EPARSE)
        abort();
    free(text);
    return 0;
}
