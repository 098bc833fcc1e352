// SPDX-License-Identifier: MIT
/*
 * Another process's memory on Windows: ReadProcessMemory() / WriteProcessMemory(), over a range
 * that proc_mem.c has bounded by the regions' protections (WriteProcessMemory would write a
 * read-only page, and wine reads an inaccessible one). A transfer that still runs into memory it
 * cannot reach fails (ERROR_PARTIAL_COPY); the rest of the range is then taken a page at a time,
 * so the count done is exact.
 */
#include "win32.h"

static bool exited(HANDLE h)
{
    DWORD code;
    return GetExitCodeProcess(h, &code) && code != STILL_ACTIVE;
}

static int transfer(HANDLE h, uint64_t addr, unsigned char *buf, size_t len, bool write,
                    size_t *done)
{
    bool careful = false;
    size_t n_done = 0;
    while (n_done < len) {
        uint64_t at = addr + n_done;
        if (at < addr || at > UINTPTR_MAX)
            break;
        size_t n = mmapc__proc_step(at, len - n_done, careful);
        SIZE_T got = 0;
        BOOL ok = write ? WriteProcessMemory(h, (void *)(uintptr_t)at, buf + n_done, n, &got)
                        : ReadProcessMemory(h, (const void *)(uintptr_t)at, buf + n_done, n, &got);
        if (ok && got == n) {
            n_done += n;
            continue;
        }
        DWORD err = ok ? ERROR_PARTIAL_COPY : GetLastError();
        if (exited(h))
            return mmapc__os_fail((int)err, MMAPC_ESRCH);
        if (err != ERROR_PARTIAL_COPY && err != ERROR_NOACCESS && err != ERROR_INVALID_ADDRESS)
            return mmapc__win_fail(err);
        if (got > 0 && got < n) /* what was done before the fault */
            n_done += got;
        else if (careful)
            break;
        careful = true;
    }
    *done = n_done;
    return 0;
}

int mmapc__os_proc_copy(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                        size_t *done)
{
    /* WriteProcessMemory makes a read-only page writable for the copy, and wine reads
     * inaccessible pages: proc_mem.c first bounds the range by the regions' protections */
    (void)p;
    (void)addr;
    (void)buf;
    (void)len;
    (void)write;
    (void)done;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_proc_copy_forced(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                               size_t *done)
{
    HANDLE h = mmapc__win_proc_handle(p);
    HANDLE own = NULL;
    if (write && h != GetCurrentProcess()) {
        /* the handle reads; writing needs more rights. Its process cannot end for good and give
         * its id away while the handle is open, so the id names the same process. */
        own =
            OpenProcess(PROCESS_VM_WRITE | PROCESS_VM_OPERATION | PROCESS_QUERY_LIMITED_INFORMATION,
                        FALSE, GetProcessId(h));
        if (!own)
            return mmapc__win_fail(GetLastError());
        h = own;
    }
    int rc = transfer(h, addr, buf, len, write, done);
    if (own)
        CloseHandle(own);
    return rc;
}
