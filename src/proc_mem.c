// SPDX-License-Identifier: MIT
/*
 * Another process's memory, the portable side: argument checks, the count of bytes done, and the
 * steps the platforms split a range into (src/os.h: mmapc__os_proc_read / _write).
 */
#include "os.h"

/* Bytes per system call: below Linux's cap of a transfer (MAX_RW_COUNT, 2 GiB - 4 KiB). */
#define CHUNK ((size_t)1 << 30)

size_t mmapc__proc_step(uint64_t at, size_t len, bool careful)
{
    size_t n = len < CHUNK ? len : CHUNK;
    if (careful) {
        uint64_t page = mmapc__os_page_size();
        uint64_t to_page = page - (at & (page - 1));
        if (n > to_page)
            n = (size_t)to_page;
    }
    uint64_t room = (uint64_t)UINTPTR_MAX - at; /* bytes after at's one */
    if (n - 1 > room)
        n = (size_t)room + 1;
    return n;
}

/* A transfer's arguments are checked, and *done written only on success. */
static int transfer(mmapc_proc *proc, uint64_t addr, void *buf, size_t len, size_t *done,
                    bool write)
{
    if (!proc || !done || (!buf && len))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    size_t n = 0;
    int rc = 0;
    if (len)
        rc = write ? mmapc__os_proc_write(proc->os, addr, buf, len, &n)
                   : mmapc__os_proc_read(proc->os, addr, buf, len, &n);
    if (rc)
        return rc;
    *done = n;
    return 0;
}

int mmapc_proc_read(mmapc_proc *proc, uint64_t addr, void *buf, size_t len, size_t *done)
{
    return transfer(proc, addr, buf, len, done, false);
}

int mmapc_proc_write(mmapc_proc *proc, uint64_t addr, const void *buf, size_t len, size_t *done)
{
    /* only read from: the platform takes it as const */
    return transfer(proc, addr, (void *)(uintptr_t)buf, len, done, true);
}
