// SPDX-License-Identifier: MIT
/* Windows: shared memory objects are sections backed by the paging file, named `Local\name`;
 * views are views of the section (windows_map.c, mmapc__win_view_section); the ring maps two
 * views back to back, over placeholders where the system has them. */
#include "win32.h"

#include <string.h>

#ifndef MEM_RESERVE_PLACEHOLDER
#define MEM_RESERVE_PLACEHOLDER 0x00040000
#endif
#ifndef MEM_REPLACE_PLACEHOLDER
#define MEM_REPLACE_PLACEHOLDER 0x00004000
#endif
#ifndef MEM_PRESERVE_PLACEHOLDER
#define MEM_PRESERVE_PLACEHOLDER 0x00000002
#endif

/* ---- the parts of the system looked up at run time (Windows 10 1803+; wine has some) ---- */

typedef PVOID(WINAPI *virtual_alloc2_fn)(HANDLE, PVOID, SIZE_T, ULONG, ULONG, void *, ULONG);
typedef PVOID(WINAPI *map_view3_fn)(HANDLE, HANDLE, PVOID, ULONG64, SIZE_T, ULONG, ULONG, void *,
                                    ULONG);
typedef BOOL(WINAPI *unmap_view_ex_fn)(PVOID, ULONG);
typedef LONG(NTAPI *nt_query_section_fn)(HANDLE, int, PVOID, SIZE_T, SIZE_T *);
typedef LONG(NTAPI *nt_extend_section_fn)(HANDLE, LARGE_INTEGER *);

typedef struct section_basic_information {
    PVOID base;
    ULONG attributes;
    LARGE_INTEGER size;
} section_basic_information;

static FARPROC lookup(const char *module, const char *name)
{
    HMODULE m = GetModuleHandleA(module);
    return m ? GetProcAddress(m, name) : NULL;
}

/* A function pointer from a FARPROC, without the cast warning between function types. */
#define AS_FN(type, p) ((type)(void (*)(void))(p))

/* test hooks (win32.h) */
int mmapc__win_ring_no_placeholders;
void (*mmapc__win_ring_gap)(void *addr, size_t size);

/* ---- objects ---- */

/* L"Local\\" + name, from UTF-8. */
static int wide_name(const char *name, wchar_t *out, size_t cap)
{
    static const wchar_t prefix[] = L"Local\\";
    size_t plen = sizeof prefix / sizeof prefix[0] - 1;
    memcpy(out, prefix, sizeof prefix);
    int n =
        MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, out + plen, (int)(cap - plen));
    return n > 0 ? 0 : mmapc__os_fail((int)GetLastError(), MMAPC_EINVAL_NAME);
}

#define WIDE_CAP (MMAPC_SHM_NAME_MAX + 16)

int mmapc__os_shm_create(const char *name, uint64_t size, unsigned mode, int inherit,
                         mmapc_file *out)
{
    (void)mode;
    wchar_t wname[WIDE_CAP];
    if (name) {
        int rc = wide_name(name, wname, WIDE_CAP);
        if (rc)
            return rc;
    }
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, inherit ? TRUE : FALSE};
    /* executable too, so that a JIT can map an executable view */
    static const DWORD tries[] = {PAGE_EXECUTE_READWRITE, PAGE_READWRITE};
    HANDLE h = NULL;
    DWORD err = 0;
    for (size_t i = 0; i < 2 && !h; i++) {
        SetLastError(0);
        h = CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, tries[i] | SEC_COMMIT,
                               (DWORD)(size >> 32), (DWORD)size, name ? wname : NULL);
        err = GetLastError();
        if (!h && err != ERROR_ACCESS_DENIED && err != ERROR_INVALID_PARAMETER)
            break;
    }
    if (!h)
        return mmapc__win_fail(err);
    if (name && err == ERROR_ALREADY_EXISTS) {
        CloseHandle(h);
        return mmapc__os_fail((int)err, MMAPC_EEXIST);
    }
    *out = h;
    return 0;
}

int mmapc__os_shm_open(const char *name, int read_only, int inherit, mmapc_file *out)
{
    wchar_t wname[WIDE_CAP];
    int rc = wide_name(name, wname, WIDE_CAP);
    if (rc)
        return rc;
    DWORD access = SECTION_QUERY | FILE_MAP_READ | (read_only ? 0 : FILE_MAP_WRITE);
    HANDLE h = OpenFileMappingW(access | FILE_MAP_EXECUTE, inherit ? TRUE : FALSE, wname);
    if (!h && GetLastError() == ERROR_ACCESS_DENIED)
        h = OpenFileMappingW(access, inherit ? TRUE : FALSE, wname);
    if (!h) {
        DWORD err = GetLastError();
        return err == ERROR_FILE_NOT_FOUND ? mmapc__os_fail((int)err, MMAPC_ENOTFOUND)
                                           : mmapc__win_fail(err);
    }
    *out = h;
    return 0;
}

int mmapc__os_shm_unlink(const char *name)
{
    (void)name; /* a name lasts as long as a handle to its object */
    return 0;
}

int mmapc__os_shm_dup(mmapc_file f, int inherit, mmapc_file *out)
{
    HANDLE self = GetCurrentProcess();
    if (!DuplicateHandle(self, f, self, out, 0, inherit ? TRUE : FALSE, DUPLICATE_SAME_ACCESS))
        return mmapc__win_fail(GetLastError());
    return 0;
}

int mmapc__os_shm_set_inherit(mmapc_file f, int inherit)
{
    if (!SetHandleInformation(f, HANDLE_FLAG_INHERIT, inherit ? HANDLE_FLAG_INHERIT : 0))
        return mmapc__win_fail(GetLastError());
    return 0;
}

int mmapc__os_shm_info(mmapc_file f, uint64_t *size, uint64_t id[2])
{
    nt_query_section_fn query = AS_FN(nt_query_section_fn, lookup("ntdll.dll", "NtQuerySection"));
    if (!query)
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    section_basic_information info;
    LONG status = query(f, 0 /* SectionBasicInformation */, &info, sizeof info, NULL);
    if (status < 0) {
        /* an NTSTATUS: a handle that is not a section, or not one we may query */
        return mmapc__os_fail((int)status, status == (LONG)0xC0000008L /* invalid handle */ ||
                                                   status == (LONG)0xC0000024L /* wrong type */
                                               ? MMAPC_EBADF
                                               : MMAPC_EACCES);
    }
    *size = (uint64_t)info.size.QuadPart;
    id[0] = id[1] = 0; /* distinct views never merge on Windows (windows_map.c) */
    return 0;
}

int mmapc__os_shm_resize(mmapc_file f, uint64_t size)
{
    uint64_t now, id[2];
    int rc = mmapc__os_shm_info(f, &now, id);
    if (rc)
        return rc;
    /* Info rounds to pages: a size within the last page is no change. */
    if (size <= now && size > now - mmapc__os_page_size())
        return 0;
    if (size < now)
        return mmapc__fail(MMAPC_EUNSUPPORTED); /* sections never shrink */
    nt_extend_section_fn extend =
        AS_FN(nt_extend_section_fn, lookup("ntdll.dll", "NtExtendSection"));
    LARGE_INTEGER want;
    want.QuadPart = (LONGLONG)size;
    LONG status = extend ? extend(f, &want) : -1;
    if (status < 0) /* paging-file sections cannot grow on most systems */
        return mmapc__os_fail((int)status, MMAPC_EUNSUPPORTED);
    return 0;
}

int mmapc__os_shm_seal(mmapc_file f, unsigned seals)
{
    (void)f;
    (void)seals;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_shm_seals(mmapc_file f, unsigned *seals)
{
    (void)f;
    *seals = 0;
    return 0;
}

/* ---- views (for windows_map.c) ---- */

int mmapc__win_view_section(const mmapc__request *rq, HANDLE *section, bool *write, bool *exec,
                            size_t *bytes)
{
    uint64_t size, id[2];
    int rc = mmapc__os_shm_info(rq->file, &size, id);
    if (rc)
        return rc;
    /* what views may do is the section's access, which Windows tells only by trying: map one
     * byte with the most access first */
    static const DWORD tries[] = {FILE_MAP_WRITE | FILE_MAP_EXECUTE, FILE_MAP_WRITE,
                                  FILE_MAP_READ | FILE_MAP_EXECUTE, FILE_MAP_READ};
    size_t i = 0;
    void *probe = NULL;
    for (; i < 4 && !probe; i++)
        probe = MapViewOfFile(rq->file, tries[i], 0, 0, 1);
    if (!probe)
        return mmapc__win_fail(GetLastError());
    UnmapViewOfFile(probe);
    HANDLE self = GetCurrentProcess();
    if (!DuplicateHandle(self, rq->file, self, section, 0, FALSE, DUPLICATE_SAME_ACCESS))
        return mmapc__win_fail(GetLastError());
    *write = i <= 2;
    *exec = i == 1 || i == 3;
    uint64_t left = size - rq->offset;
    *bytes = left < rq->size ? (size_t)left : rq->size;
    return 0;
}

/* ---- rings ---- */

/* Both views over placeholders: reserve 2 * size as one placeholder, split it in two, replace
 * each half by a view. Nothing else can take the range in between. 1: the system lacks
 * placeholders, use the other way. */
static int ring_placeholders(HANDLE section, uint64_t offset, size_t size, void **out)
{
    virtual_alloc2_fn alloc2 = AS_FN(virtual_alloc2_fn, lookup("kernelbase.dll", "VirtualAlloc2"));
    map_view3_fn map3 = AS_FN(map_view3_fn, lookup("kernelbase.dll", "MapViewOfFile3"));
    if (!alloc2 || !map3 || mmapc__win_ring_no_placeholders)
        return 1;
    HANDLE self = GetCurrentProcess();
    char *base =
        alloc2(self, NULL, 2 * size, MEM_RESERVE | MEM_RESERVE_PLACEHOLDER, PAGE_NOACCESS, NULL, 0);
    if (!base)
        return GetLastError() == ERROR_INVALID_PARAMETER ? 1 : mmapc__win_fail(GetLastError());
    if (!VirtualFree(base, size, MEM_RELEASE | MEM_PRESERVE_PLACEHOLDER)) {
        DWORD err = GetLastError();
        VirtualFree(base, 0, MEM_RELEASE);
        return err == ERROR_INVALID_PARAMETER ? 1 : mmapc__win_fail(err);
    }
    void *lo =
        map3(section, self, base, offset, size, MEM_REPLACE_PLACEHOLDER, PAGE_READWRITE, NULL, 0);
    void *hi = lo ? map3(section, self, base + size, offset, size, MEM_REPLACE_PLACEHOLDER,
                         PAGE_READWRITE, NULL, 0)
                  : NULL;
    if (!hi) {
        DWORD err = GetLastError();
        if (lo)
            UnmapViewOfFile(lo); /* its half becomes a free range */
        else
            VirtualFree(base, 0, MEM_RELEASE);
        VirtualFree(base + size, 0, MEM_RELEASE);
        return err == ERROR_INVALID_PARAMETER && !lo ? 1 : mmapc__win_fail(err);
    }
    *out = base;
    return 0;
}

/* Without placeholders: find 2 * size free bytes by reserving them, free them, map both views
 * there. Another thread may take part of the range in between: try again, a bounded number of
 * times. */
static int ring_retry(HANDLE section, uint64_t offset, size_t size, void **out)
{
    DWORD hi_off = (DWORD)(offset >> 32), lo_off = (DWORD)offset;
    for (int attempt = 0; attempt < 64; attempt++) {
        char *base = VirtualAlloc(NULL, 2 * size, MEM_RESERVE, PAGE_NOACCESS);
        if (!base)
            return mmapc__win_fail(GetLastError());
        VirtualFree(base, 0, MEM_RELEASE);
        if (mmapc__win_ring_gap)
            mmapc__win_ring_gap(base, 2 * size);
        void *lo = MapViewOfFileEx(section, FILE_MAP_WRITE, hi_off, lo_off, size, base);
        void *hi =
            lo ? MapViewOfFileEx(section, FILE_MAP_WRITE, hi_off, lo_off, size, base + size) : NULL;
        if (hi) {
            *out = base;
            return 0;
        }
        DWORD err = GetLastError();
        if (lo)
            UnmapViewOfFile(lo);
        if (err != ERROR_INVALID_ADDRESS)
            return mmapc__win_fail(err);
    }
    return mmapc__os_fail(ERROR_INVALID_ADDRESS, MMAPC_ENOMEM);
}

int mmapc__os_ring_map(mmapc_file f, uint64_t offset, size_t size, void **out)
{
    int rc = ring_placeholders(f, offset, size, out);
    return rc == 1 ? ring_retry(f, offset, size, out) : rc;
}

void mmapc__os_ring_unmap(void *addr, size_t size)
{
    UnmapViewOfFile(addr);
    UnmapViewOfFile((char *)addr + size);
}
