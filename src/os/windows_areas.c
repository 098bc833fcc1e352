// SPDX-License-Identifier: MIT
/*
 * Windows memory areas: VirtualQueryEx on the process, stepping over free regions, and the file
 * of mapped and image regions from GetMappedFileNameW, turned from a device path into a drive
 * path and into UTF-8. There is no text listing: areas.c steps with the direct query.
 */
#include "win32.h"

#include <psapi.h>
#include <stdlib.h>

#define MAX_DRIVES 26
#define DEVICE_CAP 128

struct mmapc__proc {
    HANDLE h;
    bool self;
    /* the device behind each drive letter, learnt on the first path needed */
    INIT_ONCE drives_once;
    wchar_t device[MAX_DRIVES][DEVICE_CAP]; /* "\Device\HarddiskVolume3"; "" for none */
};

static bool exited(HANDLE h)
{
    DWORD code;
    return GetExitCodeProcess(h, &code) && code != STILL_ACTIVE;
}

/* Non-zero when this program cannot see all of target: a 32-bit program on 64-bit Windows
 * (WOW64) asks VirtualQueryEx with 32-bit addresses, so a 64-bit process would end at 4 GiB. */
static bool too_wide(HANDLE target)
{
    BOOL reader_wow = FALSE, target_wow = FALSE;
    if (sizeof(void *) == 8 || !IsWow64Process(GetCurrentProcess(), &reader_wow) || !reader_wow)
        return false; /* a 64-bit program, or 32-bit Windows, where every process is 32-bit */
    return IsWow64Process(target, &target_wow) && !target_wow;
}

int mmapc__os_proc_open(int pid, unsigned flags, mmapc__proc **out)
{
    (void)flags;
    mmapc__proc *p = calloc(1, sizeof *p);
    if (!p)
        return mmapc__fail(MMAPC_ENOMEM);
    InitOnceInitialize(&p->drives_once);
    p->self = pid == MMAPC_SELF;
    if (p->self) {
        p->h = GetCurrentProcess();
    } else {
        p->h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, (DWORD)pid);
        DWORD err = p->h ? 0 : GetLastError();
        int rc = 0;
        if (err == ERROR_INVALID_PARAMETER) /* what OpenProcess says of a pid nobody has */
            rc = mmapc__os_fail((int)err, MMAPC_ESRCH);
        else if (err)
            rc = mmapc__win_fail(err);
        else if (exited(p->h))
            rc = mmapc__os_fail(ERROR_INVALID_PARAMETER, MMAPC_ESRCH);
        else if (too_wide(p->h))
            rc = mmapc__fail(MMAPC_EUNSUPPORTED);
        if (rc) {
            if (p->h)
                CloseHandle(p->h);
            free(p);
            return rc;
        }
    }
    *out = p;
    return 0;
}

void mmapc__os_proc_close(mmapc__proc *p)
{
    if (!p)
        return;
    if (!p->self)
        CloseHandle(p->h);
    free(p);
}

HANDLE mmapc__win_proc_handle(mmapc__proc *p)
{
    return p->h;
}

int mmapc__os_area_direct(mmapc__proc *p)
{
    (void)p;
    return 1;
}

/* ---- paths ---- */

static BOOL CALLBACK learn_drives(PINIT_ONCE once, PVOID param, PVOID *result)
{
    (void)once;
    (void)result;
    mmapc__proc *p = param;
    DWORD mask = GetLogicalDrives();
    for (int i = 0; i < MAX_DRIVES; i++) {
        wchar_t drive[3] = {(wchar_t)(L'A' + i), L':', 0};
        if ((mask & (1u << i)) && !QueryDosDeviceW(drive, p->device[i], DEVICE_CAP))
            p->device[i][0] = 0;
    }
    return TRUE;
}

/* Turn the device path nt ("\Device\HarddiskVolume3\dir\file"; wine says "\??\C:\dir\file")
 * into a drive path in dos; a path on no drive stays as it is. Returns the length. */
static size_t drive_path(mmapc__proc *p, const wchar_t *nt, wchar_t *dos, size_t cap)
{
    const wchar_t *rest = nt;
    wchar_t prefix[3] = {0};
    if (wcsncmp(nt, L"\\??\\", 4) == 0) {
        rest = nt + 4;
    } else if (wcsncmp(nt, L"\\Device\\Mup\\", 12) == 0) {
        rest = nt + 11; /* a network path: \\server\share\... */
        prefix[0] = L'\\';
    } else {
        InitOnceExecuteOnce(&p->drives_once, learn_drives, p, NULL);
        for (int i = 0; i < MAX_DRIVES; i++) {
            size_t n = wcslen(p->device[i]);
            if (n && wcsncmp(nt, p->device[i], n) == 0 && nt[n] == L'\\') {
                prefix[0] = (wchar_t)(L'A' + i);
                prefix[1] = L':';
                rest = nt + n;
                break;
            }
        }
    }
    size_t np = wcslen(prefix), nr = wcslen(rest);
    if (np + nr >= cap)
        nr = cap - 1 - np;
    memcpy(dos, prefix, np * sizeof *dos);
    memcpy(dos + np, rest, nr * sizeof *dos);
    dos[np + nr] = 0;
    return np + nr;
}

/* The file of the region at base as UTF-8 in name (see mmapc__os_area_from). */
static int region_path(mmapc__proc *p, void *base, char *name, size_t cap, size_t *name_len)
{
    enum { SMALL = 1024, LARGE = 32768 }; /* LARGE: the longest path Windows has */
    wchar_t small[2][SMALL], *heap = NULL;
    wchar_t *nt = small[0], *dos = small[1];
    size_t wcap = SMALL;
    DWORD n = GetMappedFileNameW(p->h, base, nt, (DWORD)wcap);
    if (n >= wcap - 1) { /* perhaps cut short: ask again with room for any path */
        heap = malloc(2 * LARGE * sizeof *heap);
        if (!heap)
            return mmapc__fail(MMAPC_ENOMEM);
        nt = heap;
        dos = heap + LARGE;
        wcap = LARGE;
        n = GetMappedFileNameW(p->h, base, nt, (DWORD)wcap);
    }
    int rc = 0;
    *name_len = 0;
    if (cap)
        name[0] = 0;
    if (n == 0) /* a view of pagefile-backed memory has no file: that is no error */
        goto done;
    nt[n < wcap ? n : wcap - 1] = 0;
    size_t wlen = drive_path(p, nt, dos, wcap);
    int len = WideCharToMultiByte(CP_UTF8, 0, dos, (int)wlen, NULL, 0, NULL, NULL);
    if (len <= 0) {
        rc = mmapc__win_fail(GetLastError());
        goto done;
    }
    *name_len = (size_t)len;
    if ((size_t)len < cap) { /* else the caller asks again with room for *name_len */
        WideCharToMultiByte(CP_UTF8, 0, dos, (int)wlen, name, len, NULL, NULL);
        name[len] = 0;
    }
done:
    free(heap);
    return rc;
}

/* ---- the query ---- */

static unsigned prot_bits(const MEMORY_BASIC_INFORMATION *mi)
{
    if (mi->State != MEM_COMMIT)
        return 0;                 /* reserved: inaccessible */
    switch (mi->Protect & 0xff) { /* without the PAGE_GUARD / PAGE_NOCACHE modifiers */
    case PAGE_READONLY:
        return MMAPC_PROT_READ;
    case PAGE_READWRITE:
    case PAGE_WRITECOPY:
        return MMAPC_PROT_READ | MMAPC_PROT_WRITE;
    case PAGE_EXECUTE:
        return MMAPC_PROT_EXEC;
    case PAGE_EXECUTE_READ:
        return MMAPC_PROT_READ | MMAPC_PROT_EXEC;
    case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY:
        return MMAPC_PROT_READ | MMAPC_PROT_WRITE | MMAPC_PROT_EXEC;
    default:
        return 0;
    }
}

static int query_fail(mmapc__proc *p, DWORD err)
{
    if (exited(p->h))
        return mmapc__os_fail((int)err, MMAPC_ESRCH);
    if (err == ERROR_INVALID_PARAMETER) /* above the highest address a process can use */
        return mmapc__fail(MMAPC_ENOTFOUND);
    return mmapc__win_fail(err);
}

/* The region holding addr, from its first page (VirtualQueryEx starts at addr's page). */
static int region_at(mmapc__proc *p, uintptr_t addr, MEMORY_BASIC_INFORMATION *mi)
{
    if (!VirtualQueryEx(p->h, (void *)addr, mi, sizeof *mi))
        return query_fail(p, GetLastError());
    uintptr_t at = (uintptr_t)mi->AllocationBase, page = (uintptr_t)mi->BaseAddress;
    if (mi->State == MEM_FREE || page == at)
        return 0;
    /* a region ends just below addr's page (always so when iterating): addr starts one */
    MEMORY_BASIC_INFORMATION below;
    if (VirtualQueryEx(p->h, (void *)(page - 1), &below, sizeof below) &&
        (uintptr_t)below.BaseAddress + below.RegionSize == page)
        return 0;
    /* else walk the regions of the allocation up to the one holding addr */
    for (;;) {
        if (!VirtualQueryEx(p->h, (void *)at, mi, sizeof *mi))
            return query_fail(p, GetLastError());
        if (at + mi->RegionSize > addr)
            return 0;
        at += mi->RegionSize;
    }
}

int mmapc__os_area_from(mmapc__proc *p, uint64_t addr64, mmapc_area *out, char *name, size_t cap,
                        size_t *name_len)
{
    uintptr_t addr = (uintptr_t)addr64;
    if ((uint64_t)addr != addr64) /* above what this (32-bit) build can ask about */
        return mmapc__fail(MMAPC_ENOTFOUND);
    MEMORY_BASIC_INFORMATION mi;
    int rc = region_at(p, addr, &mi);
    /* free regions are not areas: step over them to the next allocation */
    while (rc == 0 && mi.State == MEM_FREE) {
        uintptr_t next = (uintptr_t)mi.BaseAddress + mi.RegionSize;
        if (next <= addr)
            return mmapc__fail(MMAPC_ENOTFOUND);
        addr = next;
        rc = region_at(p, addr, &mi);
    }
    if (rc)
        return rc;
    *out = (mmapc_area){
        .start = (uintptr_t)mi.BaseAddress,
        .end = (uintptr_t)mi.BaseAddress + mi.RegionSize,
        .allocation_base = (uintptr_t)mi.AllocationBase,
        .prot = prot_bits(&mi),
        /* views made copy-on-write (and images) are private, as on POSIX */
        .shared = mi.Type != MEM_PRIVATE &&
                  !(mi.AllocationProtect & (PAGE_WRITECOPY | PAGE_EXECUTE_WRITECOPY)),
    };
    if (mi.Type == MEM_MAPPED || mi.Type == MEM_IMAGE)
        return region_path(p, mi.BaseAddress, name, cap, name_len);
    *name_len = 0;
    if (cap)
        name[0] = 0;
    return 0;
}

/* Windows marks no deleted file in a name: a name that ends in " (deleted)" is the file's own. */
int mmapc__os_name_is_file(const char *name, const mmapc_area *a)
{
    (void)name;
    (void)a;
    return 1;
}

/* The text here (none) escapes nothing. */
size_t mmapc__os_text_name(mmapc__proc *p, const mmapc_area *a, char *name, size_t len)
{
    (void)p;
    (void)a;
    (void)name;
    return len;
}

/* ---- no text listing on Windows ---- */

int mmapc__os_text_open(mmapc__proc *p, mmapc__text *t)
{
    (void)p;
    (void)t;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_text_read(mmapc__text *t, char *buf, size_t cap, size_t *got)
{
    (void)t;
    (void)buf;
    (void)cap;
    *got = 0;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

void mmapc__os_text_close(mmapc__text *t)
{
    (void)t;
}
