// SPDX-License-Identifier: MIT
/*
 * Windows memory use per area: QueryWorkingSetEx about every page of a committed region tells
 * whether it is in the working set (resident), how many processes share it, and whether it is
 * locked there. Windows keeps no per-region Pss, dirty, swap or huge-page counts that a process
 * may read, so those stay unknown (src/os.h, mmapc.h).
 */
#include "win32.h"

#include <psapi.h>
#include <string.h>

/* Pages asked about per call: 4 KiB of answers on the stack. */
#define BATCH 256

int mmapc__os_usage_open(mmapc__proc *p, int which, mmapc__text *t)
{
    (void)p, (void)which, (void)t;
    return mmapc__fail(MMAPC_EUNSUPPORTED); /* no smaps: the answer is per area */
}

int mmapc__os_area_usage(mmapc__proc *p, uint64_t start, uint64_t end, mmapc_area_usage *u)
{
    memset(u, 0, sizeof *u);
    HANDLE h = mmapc__win_proc_handle(p);
    if (start == end) {
        /* the question whether it can answer: Windows can; wine cannot about another process
         * (its NtQueryVirtualMemory lacks MemoryWorkingSetExInformation there, and says
         * ERROR_INVALID_PARAMETER to a question that is valid) */
        PSAPI_WORKING_SET_EX_INFORMATION probe;
        memset(&probe, 0, sizeof probe);
        if (QueryWorkingSetEx(h, &probe, sizeof probe))
            return 0;
        DWORD err = GetLastError();
        return err == ERROR_INVALID_PARAMETER ? mmapc__fail(MMAPC_EUNSUPPORTED)
                                              : mmapc__win_fail(err);
    }
    uint64_t page = mmapc__os_page_size();
    mmapc_area_usage r;
    memset(&r, 0, sizeof r);
    r.known = MMAPC_USAGE_SIZE | MMAPC_USAGE_RSS | MMAPC_USAGE_LOCKED |
              MMAPC_USAGE_RESIDENT_SHARED | MMAPC_USAGE_RESIDENT_PRIVATE;
    r.size = end - start;
    /* a region that is reserved or free holds no page: no need to ask about each */
    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQueryEx(h, (void *)(uintptr_t)start, &mbi, sizeof mbi) && mbi.State != MEM_COMMIT)
        end = start;
    PSAPI_WORKING_SET_EX_INFORMATION info[BATCH];
    for (uint64_t a = start; a < end;) {
        DWORD k = 0;
        for (; k < BATCH && a < end; k++, a += page)
            info[k].VirtualAddress = (void *)(uintptr_t)a;
        if (!QueryWorkingSetEx(h, info, k * (DWORD)sizeof info[0]))
            return mmapc__win_fail(GetLastError());
        for (DWORD i = 0; i < k; i++) {
            PSAPI_WORKING_SET_EX_BLOCK b = info[i].VirtualAttributes;
            if (!b.Valid)
                continue;
            r.rss += page;
            if (b.ShareCount > 1) /* mapped by another process too, as Linux's Shared_* */
                r.resident_shared += page;
            else
                r.resident_private += page;
            if (b.Locked)
                r.locked += page;
        }
    }
    *u = r;
    return 0;
}
