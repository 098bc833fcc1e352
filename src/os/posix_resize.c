// SPDX-License-Identifier: MIT
/* POSIX side of files that change size: mappings with a tail to grow into, resizing, files
 * extended with their storage allocated first. What a system does its own way (Linux mremap,
 * the way storage is allocated) comes from the hooks of posix.h. */
#include "posix.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

int mmapc__os_map_tail(const mmapc__request *rq, mmapc__backing *b, size_t *tail, void **out)
{
    return mmapc__map_ahead(rq, b, *tail, out);
}

/* ---- files ---- */

int mmapc__os_file_extend(mmapc_file file, uint64_t size)
{
    mmapc__file_info info;
    int rc = mmapc__os_file_info(file, &info);
    if (rc || info.size >= size)
        return rc;
    int err = mmapc__posix_allocate(file, info.size, size - info.size);
    if (err == EOPNOTSUPP || err == ENOSYS) {
        /* a file system that cannot allocate ahead: the file grows all the same, sparse */
        if (ftruncate(file, (off_t)size) != 0)
            return mmapc__posix_fail(errno);
        return 0;
    }
    if (err) {
        /* a failed allocation may have left the file longer (emulated by writing zeros) */
        mmapc__file_info now;
        if (mmapc__os_file_info(file, &now) == 0 && now.size != info.size)
            mmapc__os_file_restore(file, info.size);
        /* a full disk, or a quota reached: no space for the file either way */
        if (err == ENOSPC || err == EDQUOT)
            return mmapc__os_fail(err, MMAPC_ENOSPC);
        return mmapc__posix_fail(err);
    }
    return 0;
}

void mmapc__os_file_restore(mmapc_file file, uint64_t size)
{
    int err = errno;
    if (ftruncate(file, (off_t)size) != 0)
        errno = err; /* the failure being reported is the one that matters */
}

/* ---- resizing ---- */

/* The request for the pages [from, from + size) of r's mapping at its base. */
static mmapc__request piece(const mmapc__resize *r, unsigned char *base, size_t from, size_t size)
{
    mmapc__request p = r->rq;
    p.address = base + from;
    p.size = size;
    if (p.is_file)
        p.offset += from;
    return p;
}

static int shrink(mmapc__backing *b, const mmapc__resize *r, size_t *tail)
{
    unsigned char *cut = (unsigned char *)r->base + r->rq.size;
    size_t len = r->span - r->rq.size;
    if (r->ahead) {
        /* the pages given up join the tail: reserved again, so that the address stays ours */
        int rc = mmapc__os_decommit(b, cut, len, r->rq.flags, r->rq.page_size);
        if (rc)
            return rc;
        *tail = r->tail + len;
        return 0;
    }
    int rc = mmapc__os_release(b, cut, len, 0); /* the end of an area: no new area needed */
    if (rc)
        return rc;
    *tail = 0;
    return 0;
}

/* A new mapping for r at its new size with the contents of the old one, which goes. A shared
 * file mapping's contents are the file's; any other's are copied. */
static int move(mmapc__backing *b, const mmapc__resize *r, void **base)
{
    bool copy = !(r->rq.is_file && (r->rq.flags & MMAPC_SHARED));
    mmapc__request n = r->rq;
    if (copy)
        n.prot = MMAPC_PROT_RW; /* written first, given its protection after */
    void *p = NULL;
    int rc = mmapc__os_map(&n, b, &p);
    if (rc)
        return rc;
    if (copy && (rc = mmapc__resize_copy(r, p, n.size)) != 0)
        goto fail;
    if ((rc = mmapc__os_release(b, r->base, r->span + r->tail, 0)) != 0)
        goto fail;
    *base = p;
    return 0;
fail:;
    int raw = mmapc_last_os_error();
    munmap(p, n.size);
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
        return 0; /* the same pages */
    if (span < r->span)
        return shrink(b, r, tail);
    size_t add = span - r->span;
    if (add <= r->tail) {
        /* into the tail: the pages after the mapping, as a commit of a reservation */
        mmapc__request p = piece(r, r->base, r->span, add);
        int rc = mmapc__os_commit(&p, b, p.address);
        if (rc == 0)
            *tail = r->tail - add;
        return rc;
    }
    if (!r->tail) {
        /* in place: the system's remap, else the new pages mapped right after the old ones
         * where nothing is (the handle covers both) */
        void *p = NULL;
        int rc = mmapc__posix_remap(r->base, r->span, span, 0, &p);
        if (rc == 0 || (rc != MMAPC_EUNSUPPORTED && rc != MMAPC_ENOMEM))
            return rc;
        mmapc__request after = piece(r, r->base, r->span, add);
        after.flags |= MMAPC_FIXED_NOREPLACE;
        rc = mmapc__os_map(&after, b, &p);
        if (rc != MMAPC_EEXIST)
            return rc;
        if (!r->may_move)
            return rc; /* the room after the mapping is taken */
        rc = mmapc__posix_remap(r->base, r->span, span, 1, &p);
        if (rc == 0)
            *base = p;
        if (rc != MMAPC_EUNSUPPORTED)
            return rc;
    } else if (!r->may_move) {
        return mmapc__fail(MMAPC_EEXIST); /* the tail is too short, and what follows not ours */
    }
    *tail = 0;
    return move(b, r, base);
}
