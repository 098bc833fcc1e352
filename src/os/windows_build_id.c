// SPDX-License-Identifier: MIT
/*
 * Windows build IDs: the CodeView (RSDS) record of an image, found through the debug directory of
 * its headers as mapped in the process (ReadProcessMemory at the image's allocation base).
 */
#include "win32.h"

#include "../build_id.h"

#include <string.h>

struct image_reader {
    HANDLE h;
    uint64_t base;
};

/* A piece of the image that cannot be read lies outside it: a malformed image. */
static int image_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    const struct image_reader *r = ctx;
    uint64_t at = r->base + off;
    SIZE_T got = 0;
    if (at < r->base || at > UINTPTR_MAX || len - 1 > UINTPTR_MAX - at)
        return MMAPC_EPARSE;
    if (!ReadProcessMemory(r->h, (LPCVOID)(uintptr_t)at, buf, len, &got) || got != len)
        return MMAPC_EPARSE;
    return 0;
}

static int none(mmapc_build_id *out)
{
    memset(out, 0, sizeof *out);
    return 0;
}

int mmapc__os_build_id(mmapc__proc *p, uint64_t addr, mmapc_build_id *out)
{
    HANDLE h = mmapc__win_proc_handle(p);
    MEMORY_BASIC_INFORMATION mi;
    if ((uint64_t)(uintptr_t)addr != addr) /* above what this (32-bit) build can ask about */
        return mmapc__fail(MMAPC_ENOTFOUND);
    if (!VirtualQueryEx(h, (LPCVOID)(uintptr_t)addr, &mi, sizeof mi)) {
        DWORD err = GetLastError(), code;
        if (GetExitCodeProcess(h, &code) && code != STILL_ACTIVE)
            return mmapc__os_fail((int)err, MMAPC_ESRCH);
        if (err == ERROR_INVALID_PARAMETER) /* above the highest address a process can use */
            return mmapc__os_fail((int)err, MMAPC_ENOTFOUND);
        return mmapc__win_fail(err);
    }
    if (mi.State == MEM_FREE)
        return mmapc__fail(MMAPC_ENOTFOUND);
    if (mi.Type != MEM_IMAGE)
        return none(out);
    struct image_reader r = {h, (uint64_t)(uintptr_t)mi.AllocationBase};
    mmapc_build_id id;
    int rc = mmapc__pe_build_id(image_read, &r, &id);
    if (rc == MMAPC_EPARSE) /* headers that cannot be read or make no sense: none to report */
        return none(out);
    if (rc)
        return rc;
    *out = id;
    return 0;
}

int mmapc__os_build_id_file(mmapc__proc *p, const mmapc_area *a, mmapc_build_id *out)
{
    return mmapc__os_build_id(p, a->start, out);
}
