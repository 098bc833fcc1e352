// SPDX-License-Identifier: MIT
/* Windows: creating, committing and releasing mappings.
 *
 * Anonymous memory is one VirtualAlloc allocation; a file mapping is one view of a section made
 * for it. Windows releases an allocation or a view only as a whole, so split pieces share it: a
 * piece that goes is decommitted (anonymous) or made inaccessible (file), and the whole is
 * released with the last piece.
 *
 * A file reservation is plain reserved address space (MEM_RESERVE) until its first piece is
 * committed. Then the reservation is released and the whole view mapped at the same address in
 * its place, every page inaccessible except the pieces committed, which get their protection.
 * Another thread could take the range between the release and the view: the reservation is then
 * put back and the commit fails; if even that is impossible the range is marked lost and the
 * pieces never touch it again.
 *
 * The backing record keeps: os[0] the allocation or view base with state bits in its low bits
 * (the base is aligned to the 64 KiB granularity), os[1] the size of the whole (for a view, the
 * bytes of the file it holds; its pages cover the mapping), os[2] the section, os[3] a duplicate
 * of the file kept for FlushFileBuffers (shared writable views only); for anonymous memory
 * os[2] is MMAPC__WIN_WATCHED when the allocation has a write watch (MMAPC_TRACK_WRITES).
 */
#include "win32.h"

enum {
    ST_PENDING = 1u, /* file reservation: address space only, no view yet */
    ST_LOST = 2u,    /* the reservation was taken by someone else while mapping the view */
    ST_WRITE = 4u,   /* the section can be written through (shared views are mapped writable) */
    ST_EXEC = 8u,    /* the section can be executed (views are mapped executable) */
    ST_BUSY = 16u,   /* a thread is replacing the reservation by the view */
    ST_MASK = 0xffu,
};

/* Pieces of one backing are distinct handles, which distinct threads may commit at the same
 * time: os[0] changes only by compare-and-swap, and is read atomically. */
static uintptr_t load_state(mmapc__backing *b)
{
    return (uintptr_t)InterlockedCompareExchangePointer((PVOID volatile *)&b->os[0], NULL, NULL);
}

static bool swap_state(mmapc__backing *b, uintptr_t from, uintptr_t to)
{
    return InterlockedCompareExchangePointer((PVOID volatile *)&b->os[0], (PVOID)to, (PVOID)from) ==
           (PVOID)from;
}

static char *base_of(mmapc__backing *b)
{
    return (char *)(load_state(b) & ~(uintptr_t)ST_MASK);
}

static bool has(mmapc__backing *b, unsigned state)
{
    return (load_state(b) & state) != 0;
}

/* ---- placement: one attempt function for VirtualAlloc, one for MapViewOfFileEx ---- */

typedef mmapc__win_place_fn place_fn;

typedef struct alloc_args {
    size_t size;
    DWORD type, prot;
} alloc_args;

static void *alloc_at(void *at, const void *args)
{
    const alloc_args *a = args;
    return VirtualAlloc(at, a->size, a->type, a->prot);
}

typedef struct view_args {
    HANDLE section;
    DWORD access;
    uint64_t offset;
    size_t size;
} view_args;

static void *view_at(void *at, const void *args)
{
    const view_args *v = args;
    return MapViewOfFileEx(v->section, v->access, (DWORD)(v->offset >> 32), (DWORD)v->offset,
                           v->size, at);
}

/* How much address space a process has. */
static size_t address_space(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return (size_t)((char *)si.lpMaximumApplicationAddress -
                    (char *)si.lpMinimumApplicationAddress);
}

/* Map at the address rq asks for: exactly with a fixed flag, else there when it is free and
 * anywhere otherwise. Windows starts allocations and views on the 64 KiB granularity, so an
 * exact address off it cannot be honoured, and nothing can replace what is mapped already:
 * MMAPC_UNSAFE_FIXED over a used range is MMAPC_EUNSUPPORTED. */
static int place(const mmapc__request *rq, place_fn fn, const void *args, void **out)
{
    bool exact = (rq->flags & MMAPC_FIXED_NOREPLACE) || (rq->unsafe_flags & MMAPC_UNSAFE_FIXED);
    if (rq->alignment > mmapc__os_granularity() && !exact)
        return mmapc__win_place_aligned(rq, fn, args, out);
    void *at = rq->address;
    if ((uintptr_t)at % mmapc__os_granularity() != 0) {
        if (exact)
            return mmapc__fail(MMAPC_EINVAL_ADDR);
        at = NULL;
    }
    void *p = fn(at, args);
    if (!p && at && !exact)
        p = fn(NULL, args);
    if (p) {
        *out = p;
        return 0;
    }
    DWORD err = GetLastError();
    if (err == ERROR_INVALID_PARAMETER && rq->size > address_space())
        return mmapc__os_fail((int)err, MMAPC_ENOMEM); /* Windows calls it invalid */
    if (exact && err == ERROR_INVALID_ADDRESS)
        return mmapc__os_fail((int)err, (rq->unsafe_flags & MMAPC_UNSAFE_FIXED) ? MMAPC_EUNSUPPORTED
                                                                                : MMAPC_EEXIST);
    return mmapc__win_fail(err);
}

/* The one-time flags of a mapping just made usable at addr. Flags with no Windows meaning
 * (no-reserve, THP, stack, no-core-dump, sequential, random, dont-need) do nothing; populate and
 * will-need do nothing to memory that cannot be read. */
static int finish(const mmapc__request *rq, void *addr, size_t size)
{
    if ((rq->flags & MMAPC_POPULATE) && (rq->prot & MMAPC_PROT_READ)) {
        for (size_t off = 0; off < size; off += rq->page_size)
            (void)*(volatile const char *)((const char *)addr + off);
    }
    if ((rq->flags & MMAPC_WILL_NEED) && rq->prot != MMAPC_PROT_NONE) {
        WIN32_MEMORY_RANGE_ENTRY range = {addr, size};
        if (!PrefetchVirtualMemory(GetCurrentProcess(), 1, &range, 0))
            return mmapc__win_fail(GetLastError());
    }
    if ((rq->flags & MMAPC_LOCKED) && !VirtualLock(addr, size))
        return mmapc__win_fail(GetLastError());
    return 0;
}

/* ---- anonymous memory ---- */

static int anon(const mmapc__request *rq, mmapc__backing *b, void **out, bool reserve)
{
    alloc_args a = {rq->size, MEM_RESERVE, PAGE_NOACCESS};
    if (!reserve) {
        a.type |= MEM_COMMIT;
        a.prot = mmapc__win_prot(rq->prot, false);
    }
    /* the write watch must be asked for when the address space is reserved */
    if (rq->flags & MMAPC_TRACK_WRITES) {
        if (rq->flags & MMAPC_HUGE_PAGES) /* not with large pages */
            return mmapc__fail(MMAPC_EUNSUPPORTED);
        a.type |= MEM_WRITE_WATCH;
    }
    if (rq->flags & MMAPC_HUGE_PAGES) {
        if (reserve) /* Windows commits large pages when it allocates them */
            return mmapc__fail(MMAPC_EUNSUPPORTED);
        int rc = mmapc__win_lock_privilege();
        if (rc)
            return rc;
        a.type |= MEM_LARGE_PAGES;
    }
    void *p;
    int rc = place(rq, alloc_at, &a, &p);
    if (rc) {
        /* a system without large page support (or wine) calls the request invalid */
        if ((rq->flags & MMAPC_HUGE_PAGES) && mmapc_last_os_error() == ERROR_INVALID_PARAMETER)
            return mmapc__os_fail(ERROR_INVALID_PARAMETER, MMAPC_EUNSUPPORTED);
        return rc;
    }
    if (!reserve && (rc = finish(rq, p, rq->size)) != 0) {
        VirtualFree(p, 0, MEM_RELEASE);
        return rc;
    }
    b->os[0] = (uintptr_t)p;
    b->os[1] = rq->size;
    b->os[2] = rq->flags & MMAPC_TRACK_WRITES ? MMAPC__WIN_WATCHED : 0;
    *out = p;
    return 0;
}

/* ---- files ---- */

/* Open a section of rq->file with the most access the file handle allows, so that a later
 * protection change works when the handle permits it and fails cleanly when it does not.
 * Private mappings need only read access (copy-on-write sections). */
static int open_section(const mmapc__request *rq, HANDLE *section, unsigned *state)
{
    static const DWORD shared_tries[] = {PAGE_EXECUTE_READWRITE, PAGE_READWRITE, PAGE_EXECUTE_READ,
                                         PAGE_READONLY};
    static const DWORD private_tries[] = {PAGE_EXECUTE_WRITECOPY, PAGE_WRITECOPY};
    bool shared = rq->flags & MMAPC_SHARED;
    const DWORD *tries = shared ? shared_tries : private_tries;
    size_t count = shared ? 4 : 2;
    HANDLE h = NULL;
    DWORD prot = 0, err = 0;
    for (size_t i = 0; i < count && !h; i++) {
        prot = tries[i];
        h = CreateFileMappingW(rq->file, NULL, prot, 0, 0, NULL);
        err = h ? 0 : GetLastError();
        if (!h && err != ERROR_ACCESS_DENIED)
            break;
    }
    if (!h)
        return mmapc__win_fail(err);
    unsigned st = 0;
    if (prot == PAGE_EXECUTE_READWRITE || prot == PAGE_READWRITE)
        st |= ST_WRITE;
    if (prot & (PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_READ | PAGE_EXECUTE_WRITECOPY))
        st |= ST_EXEC;
    if ((shared && (rq->prot & MMAPC_PROT_WRITE) && !(st & ST_WRITE)) ||
        ((rq->prot & MMAPC_PROT_EXEC) && !(st & ST_EXEC))) {
        CloseHandle(h);
        return mmapc__os_fail(ERROR_ACCESS_DENIED, MMAPC_EACCES);
    }
    *section = h;
    *state = st;
    return 0;
}

/* A view of a shared memory object: the object is the section (windows_shm.c). */
static int object_section(const mmapc__request *rq, HANDLE *section, unsigned *state, size_t *bytes)
{
    bool write, exec;
    int rc = mmapc__win_view_section(rq, section, &write, &exec, bytes);
    if (rc)
        return rc;
    *state = (write ? ST_WRITE : 0u) | (exec ? ST_EXEC : 0u);
    if (((rq->prot & MMAPC_PROT_WRITE) && !write) || ((rq->prot & MMAPC_PROT_EXEC) && !exec)) {
        CloseHandle(*section);
        return mmapc__os_fail(ERROR_ACCESS_DENIED, MMAPC_EACCES);
    }
    return 0;
}

static DWORD view_access(unsigned state, unsigned flags)
{
    DWORD access = FILE_MAP_COPY;
    if (flags & MMAPC_SHARED)
        access = (state & ST_WRITE) ? FILE_MAP_READ | FILE_MAP_WRITE : FILE_MAP_READ;
    return (state & ST_EXEC) ? access | FILE_MAP_EXECUTE : access;
}

/* Give the pages of a view the protection asked for, then the one-time flags. */
static int use_view(const mmapc__request *rq, void *addr)
{
    int rc = mmapc__os_protect(addr, rq->size, rq->prot);
    return rc ? rc : finish(rq, addr, rq->size);
}

/* How many bytes of the file the view holds: a view may not reach past the end of the file, so
 * its last page is the file's last, partial page (the core checked that the file covers all but
 * that page). */
static int view_bytes(const mmapc__request *rq, size_t *bytes)
{
    LARGE_INTEGER size;
    if (!GetFileSizeEx(rq->file, &size))
        return mmapc__win_fail(GetLastError());
    uint64_t left = (uint64_t)size.QuadPart - rq->offset;
    *bytes = left < rq->size ? (size_t)left : rq->size;
    return 0;
}

static int file(const mmapc__request *rq, mmapc__backing *b, void **out, bool reserve)
{
    HANDLE section = NULL, keep = NULL;
    unsigned state = 0;
    size_t bytes = 0;
    int rc = rq->is_view ? object_section(rq, &section, &state, &bytes) : view_bytes(rq, &bytes);
    if (rc)
        return rc;
    if (!rq->is_view && (rc = open_section(rq, &section, &state)) != 0)
        return rc;
    HANDLE self = GetCurrentProcess();
    if ((state & ST_WRITE) && !rq->is_view &&
        !DuplicateHandle(self, rq->file, self, &keep, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
        rc = mmapc__win_fail(GetLastError());
        goto fail;
    }
    void *p;
    if (reserve) {
        alloc_args a = {rq->size, MEM_RESERVE, PAGE_NOACCESS};
        state |= ST_PENDING;
        rc = place(rq, alloc_at, &a, &p);
    } else {
        view_args v = {section, view_access(state, rq->flags), rq->offset, bytes};
        rc = place(rq, view_at, &v, &p);
        if (!rc && (rc = use_view(rq, p)) != 0)
            UnmapViewOfFile(p);
    }
    if (rc)
        goto fail;
    b->os[0] = (uintptr_t)p | state;
    b->os[1] = bytes;
    b->os[2] = (uintptr_t)section;
    b->os[3] = (uintptr_t)keep;
    /* Two views never merge (each is unmapped as a whole), so no two backings share an id:
     * the section handle and the record's own address are unique while it lives. */
    b->file_id[0] = (uintptr_t)section;
    b->file_id[1] = (uintptr_t)b;
    *out = p;
    return 0;
fail:
    if (keep)
        CloseHandle(keep);
    CloseHandle(section);
    return rc;
}

/* Replace the reservation of b by the whole view, all of it inaccessible for now; addr is the
 * piece being committed, whose file offset rq gives. The caller holds ST_BUSY; the new state
 * (view mapped, or still reserved, or lost) is returned. */
static uintptr_t map_reserved_view(const mmapc__request *rq, mmapc__backing *b, void *addr,
                                   uintptr_t state, int *rc)
{
    char *base = (char *)(state & ~(uintptr_t)ST_MASK);
    size_t size = b->os[1];
    view_args v = {(HANDLE)b->os[2], view_access((unsigned)state, rq->flags),
                   rq->offset - (uint64_t)((char *)addr - base), size};
    if (!VirtualFree(base, 0, MEM_RELEASE)) {
        *rc = mmapc__win_fail(GetLastError());
        return state;
    }
    void *p = view_at(base, &v);
    DWORD err = p ? 0 : GetLastError(), old;
    if (p && !VirtualProtect(p, size, PAGE_NOACCESS, &old)) {
        err = GetLastError();
        UnmapViewOfFile(p);
        p = NULL;
    }
    if (!p) {
        *rc = mmapc__win_fail(err);
        return VirtualAlloc(base, size, MEM_RESERVE, PAGE_NOACCESS) ? state : state | ST_LOST;
    }
    *rc = 0;
    return state & ~(uintptr_t)ST_PENDING;
}

/* Make sure b's view is mapped: map it, or wait for the thread that is mapping it. */
static int ensure_view(const mmapc__request *rq, mmapc__backing *b, void *addr)
{
    for (;;) {
        uintptr_t state = load_state(b);
        if (state & ST_LOST)
            return mmapc__os_fail(ERROR_INVALID_ADDRESS, MMAPC_EEXIST);
        if (!(state & ST_PENDING))
            return 0;
        if (state & ST_BUSY) {
            SwitchToThread();
        } else if (swap_state(b, state, state | ST_BUSY)) {
            int rc;
            uintptr_t next = map_reserved_view(rq, b, addr, state, &rc);
            swap_state(b, state | ST_BUSY, next);
            return rc;
        }
    }
}

static int commit_file(const mmapc__request *rq, mmapc__backing *b, void *addr)
{
    int rc = ensure_view(rq, b, addr);
    if (rc)
        return rc;
    rc = use_view(rq, addr);
    if (rc) {
        DWORD old;
        VirtualProtect(addr, rq->size, PAGE_NOACCESS, &old); /* reserved again */
    }
    return rc;
}

/* ---- the seam ---- */

int mmapc__os_map(const mmapc__request *rq, mmapc__backing *b, void **out)
{
    return rq->is_file ? file(rq, b, out, false) : anon(rq, b, out, false);
}

int mmapc__os_map_plain(mmapc__backing *b, size_t size, mmapc_prot prot, const mmapc_file *file,
                        uint64_t offset, void **out)
{
    for (size_t i = 0; i < sizeof b->os / sizeof b->os[0]; i++)
        b->os[i] = 0;
    mmapc__request rq = {.size = size, .prot = prot, .page_size = mmapc__os_page_size()};
    if (file) {
        rq.is_file = true;
        rq.file = *file;
        rq.offset = offset;
    }
    return mmapc__os_map(&rq, b, out);
}

int mmapc__os_reserve(const mmapc__request *rq, mmapc__backing *b, void **out)
{
    return rq->is_file ? file(rq, b, out, true) : anon(rq, b, out, true);
}

int mmapc__os_commit(const mmapc__request *rq, mmapc__backing *b, void *addr)
{
    if (b->is_file)
        return commit_file(rq, b, addr);
    if (!VirtualAlloc(addr, rq->size, MEM_COMMIT, mmapc__win_prot(rq->prot, false)))
        return mmapc__win_fail(GetLastError());
    int rc = finish(rq, addr, rq->size);
    if (rc)
        VirtualFree(addr, rq->size, MEM_DECOMMIT); /* reserved again */
    return rc;
}

int mmapc__os_release(mmapc__backing *b, void *addr, size_t size, int last)
{
    char *base = base_of(b);
    DWORD old;
    if (!b->is_file) {
        if (last)
            VirtualFree(base, 0, MEM_RELEASE);
        else if (addr && !VirtualFree(addr, size, MEM_DECOMMIT))
            VirtualProtect(addr, size, PAGE_NOACCESS, &old); /* large pages do not decommit */
        return 0;
    }
    if (last) {
        if (has(b, ST_PENDING) && !has(b, ST_LOST))
            VirtualFree(base, 0, MEM_RELEASE);
        else if (!has(b, ST_LOST))
            UnmapViewOfFile(base);
        CloseHandle((HANDLE)b->os[2]);
        if (b->os[3])
            CloseHandle((HANDLE)b->os[3]);
    } else if (addr && !has(b, ST_PENDING | ST_LOST)) {
        VirtualUnlock(addr, size); /* fails harmlessly when nothing was locked */
        VirtualProtect(addr, size, PAGE_NOACCESS, &old);
    }
    return 0; /* a piece never needs more of the system to go */
}

void mmapc__os_abandon(void *addr, size_t size)
{
    DWORD old;
    if (!VirtualFree(addr, size, MEM_DECOMMIT))
        VirtualProtect(addr, size, PAGE_NOACCESS, &old);
}
