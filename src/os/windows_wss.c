// SPDX-License-Identifier: MIT
/*
 * Working set on Windows: the reset empties the working set of the process
 * (SetProcessWorkingSetSize with -1, -1, as EmptyWorkingSet does); a page found in it again at
 * the read (QueryWorkingSetEx: valid, the usage iteration's Rss) was accessed since. Windows
 * keeps no record of writes that another process may read (GetWriteWatch is for the caller's own
 * MEM_WRITE_WATCH allocations): written bytes are not measured.
 */
#include "win32.h"

unsigned mmapc__os_wss_support(void)
{
    return MMAPC_WSS_ACCESSED;
}

int mmapc__os_wss_reset(mmapc__proc *p, unsigned what)
{
    (void)what; /* accessed only: wss.c refused the rest */
    HANDLE h = mmapc__win_proc_handle(p), own = NULL;
    DWORD code;
    if (GetExitCodeProcess(h, &code) && code != STILL_ACTIVE)
        return mmapc__os_fail(ERROR_INVALID_PARAMETER, MMAPC_ESRCH); /* ended */
    if (h != GetCurrentProcess()) {
        /* the handle reads; trimming needs PROCESS_SET_QUOTA. Its process cannot give its id
         * away while the handle is open, so the id names the same process. */
        own = OpenProcess(PROCESS_SET_QUOTA | PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                          GetProcessId(h));
        if (!own)
            return mmapc__win_fail(GetLastError());
        h = own;
    }
    int rc = 0;
    if (!SetProcessWorkingSetSize(h, (SIZE_T)-1, (SIZE_T)-1))
        rc = mmapc__win_fail(GetLastError());
    if (own)
        CloseHandle(own);
    return rc;
}

int mmapc__os_wss_open(mmapc__proc *p, unsigned what, mmapc__wss **out)
{
    (void)p, (void)what;
    *out = NULL;
    return 0;
}

int mmapc__os_wss_area(mmapc__wss *w, const mmapc_area *a, const mmapc_area_usage *u, unsigned what,
                       mmapc_wss *out)
{
    (void)w, (void)a;
    mmapc_wss r = {0};
    if ((what & MMAPC_WSS_ACCESSED) && (u->known & MMAPC_USAGE_RSS)) {
        r.accessed = u->rss;
        r.known = MMAPC_WSS_ACCESSED;
    }
    *out = r;
    return 0;
}

void mmapc__os_wss_close(mmapc__wss *w)
{
    (void)w;
}
