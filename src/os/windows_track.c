// SPDX-License-Identifier: MIT
/* Windows write tracking: the write watch of an allocation made with MEM_WRITE_WATCH
 * (windows_map.c, for MMAPC_TRACK_WRITES). GetWriteWatch(WRITE_WATCH_FLAG_RESET) reports the
 * pages written since the last reset and resets them, page by page atomically; the watch covers
 * the whole allocation, which split pieces share, and each piece asks only for its own range. */
#include "win32.h"

#include "../track.h"

/* Addresses per call: as many as the pages track.c asks for at most (its CHUNK), so that one
 * call normally reports a whole range; a fuller range is reported in further calls. */
#define BATCH 4096

int mmapc__os_ww_start(mmapc__track *t, const mmapc__backing *b)
{
    if (b->is_file || !(b->os[2] & MMAPC__WIN_WATCHED))
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    /* from now on no page counts as written */
    if (ResetWriteWatch((void *)t->base, t->pages * t->page))
        return mmapc__win_fail(ERROR_INVALID_PARAMETER);
    return 0;
}

int mmapc__os_ww_scan(mmapc__track *t, size_t first, size_t n, uintptr_t *out, int how)
{
    if (how == MMAPC__SCAN_CLEAR)
        return mmapc__os_ww_reset(t, first, n);
    PVOID addrs[BATCH];
    char *from = (char *)t->base + first * t->page, *end = from + n * t->page;
    while (from < end) {
        ULONG_PTR count = BATCH;
        ULONG granularity = 0;
        UINT err = GetWriteWatch(how == MMAPC__SCAN_PEEK ? 0 : WRITE_WATCH_FLAG_RESET, from,
                                 (SIZE_T)(end - from), addrs, &count, &granularity);
        if (err)
            return mmapc__win_fail(GetLastError() ? GetLastError() : ERROR_INVALID_PARAMETER);
        for (ULONG_PTR i = 0; i < count; i++) {
            size_t at = (size_t)((char *)addrs[i] - (char *)t->base);
            size_t page = at / t->page, pages = granularity > t->page ? granularity / t->page : 1;
            if (page + pages > first + n)
                pages = first + n - page;
            mmapc__out_set(out, page - first, pages);
        }
        if (count < BATCH)
            break;
        /* the array filled up: the pages after the last one reported were neither reported nor
         * reset */
        from = (char *)addrs[count - 1] + (granularity ? granularity : t->page);
    }
    return 0;
}

int mmapc__os_ww_reset(mmapc__track *t, size_t first, size_t n)
{
    if (ResetWriteWatch((char *)t->base + first * t->page, n * t->page))
        return mmapc__win_fail(ERROR_INVALID_PARAMETER);
    return 0;
}
