// SPDX-License-Identifier: MIT
/* Windows side of files that change size.
 *
 * Anonymous memory with a tail is one allocation reserved whole and committed from its front;
 * it grows by committing more and shrinks by decommitting (an allocation is released only as a
 * whole, so what a shrink gives up stays in the tail). A file view cannot reach past its file,
 * so a file mapping holds no tail at first; a shrink makes the view's last pages inaccessible
 * (they become its tail, and it grows back into them), and growing past the view maps a new
 * view of a new section, elsewhere. The backing record is windows_map.c's: os[0] the base (its
 * low bits state), os[1] the allocation's size or the view's bytes, os[2] the section, os[3]
 * the file handle kept for flushing. */
#include "win32.h"

int mmapc__os_map_tail(const mmapc__request *rq, mmapc__backing *b, size_t *tail, void **out)
{
    if (rq->is_file) {
        *tail = 0; /* a view holds no address space past its file */
        *out = NULL;
        return rq->size ? mmapc__os_map(rq, b, out) : 0;
    }
    return mmapc__map_ahead(rq, b, *tail, out);
}

/* ---- files ---- */

/* The answers of a system that does not know a request. */
static bool unsupported(DWORD err)
{
    return err == ERROR_INVALID_PARAMETER || err == ERROR_NOT_SUPPORTED ||
           err == ERROR_INVALID_FUNCTION || err == ERROR_CALL_NOT_IMPLEMENTED;
}

static int set_info(mmapc_file file, FILE_INFO_BY_HANDLE_CLASS cls, uint64_t size)
{
    if (cls == FileAllocationInfo) {
        FILE_ALLOCATION_INFO a = {.AllocationSize.QuadPart = (LONGLONG)size};
        return SetFileInformationByHandle(file, cls, &a, sizeof a) ? 0 : (int)GetLastError();
    }
    FILE_END_OF_FILE_INFO e = {.EndOfFile.QuadPart = (LONGLONG)size};
    if (SetFileInformationByHandle(file, cls, &e, sizeof e))
        return 0;
    DWORD err = GetLastError();
    if (!unsupported(err))
        return (int)err;
    /* a system without it (wine): SetEndOfFile at the file pointer, which the caller's handle
     * shares with our duplicate, so it is put back */
    LARGE_INTEGER at, zero = {0}, to = {.QuadPart = (LONGLONG)size};
    if (!SetFilePointerEx(file, zero, &at, FILE_CURRENT) ||
        !SetFilePointerEx(file, to, NULL, FILE_BEGIN))
        return (int)GetLastError();
    err = SetEndOfFile(file) ? 0 : GetLastError();
    SetFilePointerEx(file, at, NULL, FILE_BEGIN);
    return (int)err;
}

int mmapc__os_file_extend(mmapc_file file, uint64_t size)
{
    LARGE_INTEGER now;
    if (!GetFileSizeEx(file, &now))
        return mmapc__win_fail(GetLastError());
    uint64_t old = (uint64_t)now.QuadPart;
    if (old >= size)
        return 0;
    /* the storage first: a full disk says so here (ERROR_DISK_FULL), before the size moves;
     * a file system that cannot allocate ahead is extended without it */
    DWORD err = (DWORD)set_info(file, FileAllocationInfo, size);
    if (err && !unsupported(err)) {
        set_info(file, FileAllocationInfo, old);
        return mmapc__win_fail(err);
    }
    err = (DWORD)set_info(file, FileEndOfFileInfo, size);
    if (err) {
        set_info(file, FileAllocationInfo, old);
        return mmapc__win_fail(err);
    }
    return 0;
}

void mmapc__os_file_restore(mmapc_file file, uint64_t size)
{
    DWORD err = GetLastError();
    set_info(file, FileEndOfFileInfo, size);
    SetLastError(err);
}

/* ---- resizing ---- */

/* A mapping of r at its new size somewhere new, into which the old pages are copied unless a
 * shared file view holds them already; b then describes it and the old one is gone. */
static int move(mmapc__backing *b, const mmapc__resize *r, void **base)
{
    bool copy = !(r->rq.is_file && (r->rq.flags & MMAPC_SHARED));
    mmapc__backing fresh = *b;
    mmapc__request n = r->rq;
    if (copy)
        n.prot = MMAPC_PROT_RW; /* written first, given its protection after */
    void *p = NULL;
    int rc = mmapc__os_map(&n, &fresh, &p);
    if (rc)
        return rc;
    if (copy && (rc = mmapc__resize_copy(r, p, n.size)) != 0)
        goto fail;
    mmapc__os_release(b, NULL, 0, 1); /* the old allocation or view, section and handle */
    for (size_t i = 0; i < sizeof b->os / sizeof b->os[0]; i++)
        b->os[i] = fresh.os[i];
    if (b->is_file)
        b->file_id[0] = fresh.file_id[0]; /* [1] stays the record's own address */
    *base = p;
    return 0;
fail:;
    int raw = mmapc_last_os_error();
    mmapc__os_release(&fresh, NULL, 0, 1);
    return mmapc__os_fail(raw, rc);
}

int mmapc__os_resize(mmapc__backing *b, const mmapc__resize *r, void **base, size_t *tail)
{
    size_t span = r->rq.size;
    if (!r->base) { /* an empty mapping holds no address: any will do */
        *tail = 0;
        return mmapc__os_map(&r->rq, b, base);
    }
    *base = r->base;
    *tail = r->tail;
    if (span == r->span)
        return 0;
    unsigned char *end = (unsigned char *)r->base + span;
    if (span < r->span) {
        /* the pages given up stay the mapping's, inaccessible: Windows frees an allocation or a
         * view only whole */
        size_t cut = r->span - span;
        DWORD old;
        VirtualUnlock(end, cut); /* fails harmlessly when nothing was locked */
        if ((b->is_file || !VirtualFree(end, cut, MEM_DECOMMIT)) &&
            !VirtualProtect(end, cut, PAGE_NOACCESS, &old))
            return mmapc__win_fail(GetLastError());
        *tail = r->tail + cut;
        return 0;
    }
    size_t add = span - r->span;
    if (add <= r->tail) {
        /* into the tail: committed again (anonymous), or the view's pages made usable */
        mmapc__request p = r->rq;
        p.address = (unsigned char *)r->base + r->span;
        p.size = add;
        p.offset += r->span;
        int rc = mmapc__os_commit(&p, b, p.address);
        if (rc == 0)
            *tail = r->tail - add;
        return rc;
    }
    if (!r->may_move)
        return mmapc__fail(MMAPC_EEXIST); /* an allocation or a view never grows in place */
    *tail = 0;
    return move(b, r, base);
}
