// SPDX-License-Identifier: MIT
/*
 * Page state on Windows: QueryWorkingSetEx about each page tells whether it is in the working set
 * (present), whether it belongs to a section that processes may share (a file view or shared
 * memory: MMAPC_PAGE_FILE) and how many share it, and whether it is a large page. Whether a page
 * is in the page file, soft-dirty or write-protected, and its frame, are not told: unknown.
 */
#include "win32.h"

#include <psapi.h>

/* Pages asked about per call: 4 KiB of answers on the stack. */
#define BATCH 256

/* What Windows never tells about a page in an area. */
#define UNTOLD (MMAPC_PAGE_SWAPPED | MMAPC_PAGE_SOFT_DIRTY | MMAPC_PAGE_WP | MMAPC_PAGE_FRAME)

unsigned mmapc__os_pages_reported(void)
{
    return MMAPC_PAGE_UNMAPPED | MMAPC_PAGE_PRESENT | MMAPC_PAGE_FILE | MMAPC_PAGE_EXCLUSIVE |
           MMAPC_PAGE_HUGE;
}

int mmapc__os_pages_open(mmapc__proc *p, uint64_t first, uint64_t last, unsigned flags,
                         mmapc__text *h)
{
    (void)first, (void)flags;
    HANDLE ph = mmapc__win_proc_handle(p);
    DWORD code;
    if (GetExitCodeProcess(ph, &code) && code != STILL_ACTIVE)
        return mmapc__os_fail(ERROR_INVALID_HANDLE, MMAPC_ESRCH);
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    if (last > (uint64_t)(uintptr_t)si.lpMaximumApplicationAddress)
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    h->h = (intptr_t)ph;
    h->aux = 0;
    return 0;
}

void mmapc__os_pages_close(mmapc__text *h)
{
    (void)h; /* the process handle's */
}

int mmapc__os_pages_read(mmapc__text *h, uint64_t start, uint64_t end, unsigned flags,
                         mmapc__page_sink *s)
{
    HANDLE ph = (HANDLE)h->h;
    uint64_t page = mmapc__os_page_size();
    PSAPI_WORKING_SET_EX_INFORMATION info[BATCH];
    for (uint64_t a = start; a < end && !s->full;) {
        DWORD k = 0;
        for (uint64_t q = a; k < BATCH && q < end; k++, q += page)
            info[k].VirtualAddress = (void *)(uintptr_t)q;
        if (!QueryWorkingSetEx(ph, info, k * (DWORD)sizeof info[0]))
            return mmapc__win_fail(GetLastError());
        for (DWORD i = 0; i < k; i++, a += page) {
            PSAPI_WORKING_SET_EX_BLOCK b = info[i].VirtualAttributes;
            unsigned f = 0, u = UNTOLD;
            if (b.Valid) {
                f |= MMAPC_PAGE_PRESENT;
                if (b.Shared)
                    f |= MMAPC_PAGE_FILE;
                if (!b.Shared || b.ShareCount <= 1)
                    f |= MMAPC_PAGE_EXCLUSIVE;
                if (b.LargePage)
                    f |= MMAPC_PAGE_HUGE;
            }
            if (flags & MMAPC_PAGES_QUICK)
                f &= ~(unsigned)MMAPC_PAGE_EXCLUSIVE, u |= MMAPC_PAGE_EXCLUSIVE;
            if (mmapc__pages_add(s, a, 1, f, u, 0))
                return 0;
        }
    }
    return 0;
}
