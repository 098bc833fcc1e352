// SPDX-License-Identifier: MIT
/* Windows: platform facts, errors, files, and the primitives that act on mapped memory
 * (protection, flush, lock, instruction cache). Creating and releasing mappings is in
 * windows_map.c. */
#include "win32.h"

#include <stdatomic.h>

int mmapc__win_fail(DWORD err)
{
    int code;
    switch (err) {
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
    case ERROR_COMMITMENT_LIMIT:
    case ERROR_NO_SYSTEM_RESOURCES:
        code = MMAPC_ENOMEM;
        break;
    case ERROR_ACCESS_DENIED:
    case ERROR_NOACCESS:
        code = MMAPC_EACCES;
        break;
    case ERROR_PRIVILEGE_NOT_HELD:
    case ERROR_NOT_ALL_ASSIGNED:
        code = MMAPC_EPERM;
        break;
    case ERROR_INVALID_HANDLE:
        code = MMAPC_EBADF;
        break;
    case ERROR_WORKING_SET_QUOTA:
    case ERROR_PAGEFILE_QUOTA:
    case ERROR_TOO_MANY_OPEN_FILES:
    case ERROR_NOT_ENOUGH_QUOTA:
        code = MMAPC_ELIMIT;
        break;
    case ERROR_INVALID_ADDRESS:
        code = MMAPC_EEXIST;
        break;
    case ERROR_IO_DEVICE:
    case ERROR_CRC:
    case ERROR_READ_FAULT:
    case ERROR_WRITE_FAULT:
        code = MMAPC_EIO;
        break;
    case ERROR_BUSY:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
    case ERROR_USER_MAPPED_FILE:
        code = MMAPC_EBUSY;
        break;
    case ERROR_NOT_SUPPORTED:
    case ERROR_CALL_NOT_IMPLEMENTED:
        code = MMAPC_EUNSUPPORTED;
        break;
    case ERROR_MAPPED_ALIGNMENT:
        code = MMAPC_EINVAL_OFFSET;
        break;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
        code = MMAPC_ENOSPC;
        break;
    default:
        code = MMAPC_EOS;
        break;
    }
    return mmapc__os_fail((int)err, code);
}

/* ---- platform facts ---- */

/* Page size or allocation granularity, asked once (neither is 0, so 0 means not yet asked). */
static size_t system_fact(atomic_size_t *cached, bool granularity)
{
    size_t v = atomic_load_explicit(cached, memory_order_relaxed);
    if (v == 0) {
        SYSTEM_INFO si;
        GetSystemInfo(&si);
        v = granularity ? si.dwAllocationGranularity : si.dwPageSize;
        atomic_store_explicit(cached, v, memory_order_relaxed);
    }
    return v;
}

size_t mmapc__os_page_size(void)
{
    static atomic_size_t cached;
    return system_fact(&cached, false);
}

size_t mmapc__os_granularity(void)
{
    static atomic_size_t cached;
    return system_fact(&cached, true);
}

uint64_t mmapc__os_file_end_limit(void)
{
    return (uint64_t)INT64_MAX; /* MapViewOfFile takes a 64-bit offset */
}

/* Windows has one large page size (2 MiB on x86-64); 0 when the processor has none. */
size_t mmapc__os_default_huge_page_size(void)
{
    return GetLargePageMinimum();
}

int mmapc__os_huge_page_sizes(size_t *sizes, size_t capacity, size_t *count)
{
    size_t large = GetLargePageMinimum();
    if (large && capacity > 0)
        sizes[0] = large;
    *count = large ? 1 : 0;
    return 0;
}

/* Large pages need SeLockMemoryPrivilege enabled in the process token. It is asked for once, on
 * the first large-page request; the answer (0 or a Windows error) is kept. */
static BOOL CALLBACK enable_lock_privilege(PINIT_ONCE once, PVOID param, PVOID *result)
{
    (void)once;
    (void)param;
    DWORD err = 0;
    HANDLE token;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token)) {
        err = GetLastError();
    } else {
        TOKEN_PRIVILEGES tp = {.PrivilegeCount = 1};
        tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
        if (!LookupPrivilegeValueW(NULL, L"SeLockMemoryPrivilege", &tp.Privileges[0].Luid))
            err = GetLastError();
        else if (!AdjustTokenPrivileges(token, FALSE, &tp, 0, NULL, NULL))
            err = GetLastError();
        else
            err = GetLastError(); /* ERROR_NOT_ALL_ASSIGNED when the account lacks it */
        CloseHandle(token);
    }
    /* the low bits of an init-once result are reserved */
    *result = (PVOID)((uintptr_t)err << INIT_ONCE_CTX_RESERVED_BITS);
    return TRUE;
}

int mmapc__win_lock_privilege(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    PVOID result = NULL;
    InitOnceExecuteOnce(&once, enable_lock_privilege, NULL, &result);
    DWORD err = (DWORD)((uintptr_t)result >> INIT_ONCE_CTX_RESERVED_BITS);
    if (err == ERROR_NOT_ALL_ASSIGNED)
        return mmapc__os_fail(ERROR_PRIVILEGE_NOT_HELD, MMAPC_EPERM);
    return err ? mmapc__win_fail(err) : 0;
}

/* ---- files ---- */

int mmapc__os_file_info(mmapc_file file, mmapc__file_info *info)
{
    BY_HANDLE_FILE_INFORMATION fi;
    if (file == NULL || file == INVALID_HANDLE_VALUE) /* the latter is the process itself */
        return mmapc__os_fail(ERROR_INVALID_HANDLE, MMAPC_EBADF);
    if (!GetFileInformationByHandle(file, &fi))
        return mmapc__win_fail(GetLastError());
    info->size = ((uint64_t)fi.nFileSizeHigh << 32) | fi.nFileSizeLow;
    info->id[0] = fi.dwVolumeSerialNumber;
    info->id[1] = ((uint64_t)fi.nFileIndexHigh << 32) | fi.nFileIndexLow;
    return 0;
}

int mmapc__os_file_dup(mmapc_file file, mmapc_file *out)
{
    HANDLE self = GetCurrentProcess();
    if (!DuplicateHandle(self, file, self, out, 0, FALSE, DUPLICATE_SAME_ACCESS))
        return mmapc__win_fail(GetLastError());
    return 0;
}

void mmapc__os_file_close(mmapc_file file)
{
    CloseHandle(file);
}

/* ---- protection, flush, lock ---- */

DWORD mmapc__win_prot(mmapc_prot prot, bool cow)
{
    switch (prot) {
    case MMAPC_PROT_NONE:
        return PAGE_NOACCESS;
    case MMAPC_PROT_READ:
        return PAGE_READONLY;
    case MMAPC_PROT_RW:
        return cow ? PAGE_WRITECOPY : PAGE_READWRITE;
    case MMAPC_PROT_RX:
        return PAGE_EXECUTE_READ;
    default:
        return cow ? PAGE_EXECUTE_WRITECOPY : PAGE_EXECUTE_READWRITE;
    }
}

/* A view can never get more access than it was mapped with, which the protection it was mapped
 * with (AllocationProtect) tells; a copy-on-write view must be asked for write-copy, never plain
 * read+write. Anonymous memory allows everything. */
int mmapc__os_protect(void *addr, size_t size, mmapc_prot prot)
{
    MEMORY_BASIC_INFORMATION mi;
    if (!VirtualQuery(addr, &mi, sizeof mi))
        return mmapc__win_fail(GetLastError());
    bool cow = false;
    if (mi.Type != MEM_PRIVATE) {
        DWORD max = mi.AllocationProtect;
        cow = (max & (PAGE_WRITECOPY | PAGE_EXECUTE_WRITECOPY)) != 0;
        bool can_write = cow || (max & (PAGE_READWRITE | PAGE_EXECUTE_READWRITE));
        bool can_exec = max & (PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY);
        if (((prot & MMAPC_PROT_WRITE) && !can_write) || ((prot & MMAPC_PROT_EXEC) && !can_exec))
            return mmapc__os_fail(ERROR_ACCESS_DENIED, MMAPC_EACCES);
    }
    DWORD old;
    if (!VirtualProtect(addr, size, mmapc__win_prot(prot, cow), &old))
        return mmapc__win_fail(GetLastError());
    return 0;
}

/* os[3] of a file backing is the file handle kept for FlushFileBuffers (see windows_map.c). */
int mmapc__os_flush(mmapc__backing *b, void *addr, size_t size, int async)
{
    if (!b->is_file)
        return 0;
    if (!FlushViewOfFile(addr, size))
        return mmapc__win_fail(GetLastError());
    HANDLE file = (HANDLE)b->os[3];
    if (!async && file && !FlushFileBuffers(file))
        return mmapc__win_fail(GetLastError());
    return 0;
}

int mmapc__os_lock(void *addr, size_t size)
{
    if (!VirtualLock(addr, size))
        return mmapc__win_fail(GetLastError());
    return 0;
}

int mmapc__os_unlock(void *addr, size_t size)
{
    /* unlocking pages that are not locked succeeds on POSIX; here it says ERROR_NOT_LOCKED */
    if (!VirtualUnlock(addr, size) && GetLastError() != ERROR_NOT_LOCKED)
        return mmapc__win_fail(GetLastError());
    return 0;
}

int mmapc__os_flush_icache(const void *addr, size_t size)
{
    if (!FlushInstructionCache(GetCurrentProcess(), addr, size))
        return mmapc__win_fail(GetLastError());
    return 0;
}
