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

/* How many of the len bytes from addr lie in areas that allow the access, one after another. */
static int accessible(mmapc_proc *proc, uint64_t addr, size_t len, bool write, size_t *out)
{
    unsigned need = write ? MMAPC_PROT_WRITE : MMAPC_PROT_READ;
    size_t n = 0;
    while (n < len) {
        mmapc_area a;
        int rc = mmapc_proc_query(proc, addr + n, &a, NULL, 0);
        if (rc == MMAPC_ENOTFOUND)
            break;
        if (rc)
            return rc;
        if (!(a.prot & need))
            break;
        uint64_t room = a.end - (addr + n); /* a.end 0: the area ends at the top */
        n = room == 0 || room >= len - n ? len : n + (size_t)room;
    }
    *out = n;
    return 0;
}

/* A transfer's arguments are checked, and *done (done may be NULL, as for mmapc_read())
 * written only on success. */
static int transfer(mmapc_proc *proc, uint64_t addr, void *buf, size_t len, size_t *done,
                    bool write)
{
    if (!proc || (!buf && len))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    size_t n = 0;
    int rc = len ? mmapc__os_proc_copy(proc->os, addr, buf, len, write, &n) : 0;
    if (rc == MMAPC_EUNSUPPORTED) {
        /* a copy through any protection: only as far as the areas allow the access */
        size_t reach;
        rc = accessible(proc, addr, len, write, &reach);
        if (rc == 0 && reach)
            rc = mmapc__os_proc_copy_forced(proc->os, addr, buf, reach, write, &n);
    }
    if (rc)
        return rc;
    if (done)
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
