// SPDX-License-Identifier: MIT
/*
 * Files that change size: file ranges at any offset, whole-file and empty mappings, mappings
 * that hold address space to grow into, and resizing. map.c keeps the handle's life; the
 * platform (src/os.h) places, extends and remaps.
 */
#include "os.h"

#include <string.h>

/* ---- file ranges ---- */

/* The first page of the placeholder: no system maps the page at address page_size... */
unsigned char *mmapc__empty_ptr(void)
{
    return (unsigned char *)(uintptr_t)mmapc__os_page_size();
}

MMAPC__HOT int mmapc__file_request(mmapc__request *rq, size_t size, mmapc_file file,
                                   uint64_t offset, mmapc__file_info *info, mmapc__shape *shape)
{
    if (rq->flags & MMAPC_HUGE_PAGES)
        return mmapc__fail(MMAPC_EUNSUPPORTED); /* hugetlbfs files get huge pages without it */
    size_t page = rq->page_size;
    uint64_t limit = mmapc__os_file_end_limit();
    uint64_t lead = offset & (mmapc__os_granularity() - 1);
    if (offset > limit)
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    int rc = mmapc__os_file_info(file, info);
    if (rc)
        return rc;
    uint64_t bytes = size;
    if (size == MMAPC_TO_END) {
        if (info->size == UINT64_MAX) /* a device: no end to map to */
            return mmapc__fail(MMAPC_EUNSUPPORTED);
        if (offset > info->size)
            return mmapc__fail(MMAPC_EINVAL_OFFSET);
        bytes = info->size - offset;
    } else if (info->size != UINT64_MAX) { /* UINT64_MAX: a device, whose size is not known */
        if (offset >= info->size)
            return mmapc__fail(MMAPC_EINVAL_OFFSET);
        if (bytes > info->size - offset)
            return mmapc__fail(MMAPC_EINVAL_SIZE);
    }
    /* the lead bytes and the last page's rest come on top of the caller's bytes: more than the
     * address space holds (a device bounds no size, and a 32-bit size_t no file's) is refused
     * before the sum can wrap */
    if (bytes > SIZE_MAX - lead - (page - 1))
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    /* whole pages from the aligned offset below */
    uint64_t span = bytes ? (lead + bytes + page - 1) & ~(uint64_t)(page - 1) : 0;
    if (span > limit - (offset - lead))
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    rq->size = (size_t)span;
    rq->is_file = true;
    rq->file = file;
    rq->offset = bytes ? offset - lead : offset; /* an empty range maps nothing */
    *shape = (mmapc__shape){.lead = bytes ? (size_t)lead : 0, .size = (size_t)bytes};
    return 0;
}

/* ---- new mappings ---- */

/* The address space to hold after size bytes (from lead) for capacity bytes from the caller's
 * first byte, in whole pages. size is the caller's, not rounded: both round up alike, so a
 * capacity of at least size holds the size's pages. */
static int tail_for(size_t lead, size_t size, size_t capacity, size_t page, size_t *tail)
{
    if (capacity == 0) {
        *tail = 0;
        return 0;
    }
    if (capacity < size || capacity > SIZE_MAX - lead - page)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    size_t mask = page - 1;
    size_t span = size ? (lead + size + mask) & ~mask : 0;
    *tail = ((lead + capacity + mask) & ~mask) - span;
    return 0;
}

/* A file mapping of exactly size bytes (or MMAPC_TO_END); growable ones keep their file and
 * hold capacity bytes of address space. */
static int map_file(mmapc_map **out, size_t size, size_t capacity, mmapc_prot prot, mmapc_file file,
                    uint64_t offset, const mmapc_options *options, bool growable)
{
    if (!out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    mmapc__request rq;
    /* the options and protection are checked with a stand-in size for MMAPC_TO_END */
    int rc = mmapc__make_request(&rq, size == MMAPC_TO_END ? 1 : size, prot, options);
    if (rc)
        return mmapc__fail(rc);
    mmapc__file_info info;
    mmapc__shape shape;
    mmapc__fail(0);
    rc = mmapc__file_request(&rq, size, file, offset, &info, &shape);
    if (rc || !growable)
        return rc ? rc : mmapc__create(out, &rq, &info, &shape);
    size_t lead = (size_t)(offset & (mmapc__os_granularity() - 1));
    rc = tail_for(lead, shape.size, capacity, rq.page_size, &shape.tail);
    if (rc)
        return rc;
    if (shape.tail && !shape.size) { /* the tail starts at the aligned offset's page */
        shape.lead = lead;
        rq.offset -= lead;
    }
    shape.keep_file = true;
    return mmapc__create(out, &rq, &info, &shape);
}

int mmapc_map_file_whole(mmapc_map **out, mmapc_prot prot, mmapc_file file, uint64_t offset,
                         const mmapc_options *options)
{
    return map_file(out, MMAPC_TO_END, 0, prot, file, offset, options, false);
}

int mmapc_map_file_growable(mmapc_map **out, size_t size, size_t capacity, mmapc_prot prot,
                            mmapc_file file, uint64_t offset, const mmapc_options *options)
{
    return map_file(out, size, capacity, prot, file, offset, options, true);
}

int mmapc_map_anon_growable(mmapc_map **out, size_t size, size_t capacity, mmapc_prot prot,
                            const mmapc_options *options)
{
    if (!out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    mmapc__request rq;
    int rc = mmapc__make_request(&rq, size, prot, options);
    if (rc)
        return mmapc__fail(rc);
    mmapc__shape shape = {.size = rq.size};
    rc = tail_for(0, size, capacity, rq.page_size, &shape.tail);
    return rc ? rc : mmapc__create(out, &rq, NULL, &shape);
}

/* ---- for the platforms ---- */

int mmapc__map_ahead(const mmapc__request *rq, mmapc__backing *b, size_t tail, void **out)
{
    mmapc__request whole = *rq;
    whole.size = rq->size + tail;
    void *p = NULL;
    int rc = mmapc__os_reserve(&whole, b, &p);
    if (rc)
        return rc;
    if (rq->size && (rc = mmapc__os_commit(rq, b, p)) != 0) {
        int raw = mmapc_last_os_error();
        mmapc__os_release(b, p, whole.size, 1);
        return mmapc__os_fail(raw, rc);
    }
    *out = p;
    return 0;
}

int mmapc__resize_copy(const mmapc__resize *r, void *to, size_t size)
{
    bool unreadable = !(r->rq.prot & MMAPC_PROT_READ);
    int rc = unreadable ? mmapc__os_protect(r->base, r->span, MMAPC_PROT_READ) : 0;
    if (rc)
        return rc;
    memcpy(to, r->base, r->span < size ? r->span : size);
    if (unreadable)
        mmapc__os_protect(r->base, r->span, r->rq.prot); /* it was so a moment ago */
    return r->rq.prot != MMAPC_PROT_RW ? mmapc__os_protect(to, size, r->rq.prot) : 0;
}

/* ---- resizing ---- */

size_t mmapc_capacity(const mmapc_map *m)
{
    if (!m)
        return 0;
    /* a file mapping that keeps no file cannot grow */
    if (m->backing->is_file && !m->has_file)
        return m->size;
    /* a file mapping's size is exact: the rest of its last page is its to grow into, as is
     * the tail (which starts at the base when the mapping is empty) */
    return mmapc__map_span(m) + m->tail - m->lead;
}

/* The file's end that new_size bytes from m's offset reach: 0 when the file is long enough
 * already or has been extended to it, else an error (and the file is as it was). *grown tells
 * the size the file had when it was extended, for a failure later to give it back. */
static int reach_file(mmapc_map *m, uint64_t end, bool *grew, uint64_t *old_size)
{
    mmapc__file_info info;
    int rc = mmapc__os_file_info(m->file, &info);
    if (rc)
        return rc;
    *grew = false;
    if (info.size == UINT64_MAX || end <= info.size)
        return 0;
    /* only a shared writable mapping writes to the file: any other may not extend it */
    if (!(m->flags & MMAPC_SHARED) || !(m->prot & MMAPC_PROT_WRITE))
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    rc = mmapc__os_file_extend(m->file, end);
    if (rc)
        return rc;
    *grew = true;
    *old_size = info.size;
    return 0;
}

int mmapc_resize(mmapc_map *m, size_t new_size, unsigned flags)
{
    if (!m || (flags & ~(unsigned)MMAPC_RESIZE_MAY_MOVE))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    bool is_file = m->backing->is_file;
    size_t page = m->page_size,
           lead = is_file ? (size_t)(m->offset & (mmapc__os_granularity() - 1)) : 0;
    if (new_size == 0 || new_size > (size_t)PTRDIFF_MAX - lead - page) /* past any system's */
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    if (m->reserved || (is_file && !m->has_file) || m->track ||
        atomic_load_explicit(&m->backing->refs, memory_order_acquire) != 1)
        return mmapc__fail(MMAPC_EINVAL_OP);
    if (m->sealed)
        return mmapc__fail(MMAPC_EPERM);
    if (!is_file)
        new_size = (new_size + page - 1) & ~(page - 1);
    uint64_t end = m->offset + new_size;
    if (is_file && (m->offset > mmapc__os_file_end_limit() ||
                    new_size > mmapc__os_file_end_limit() - m->offset))
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    if (new_size == m->size)
        return 0;

    /* an empty mapping without pages takes its lead now, from its file offset */
    size_t old_lead = (m->size || m->tail) ? m->lead : lead;
    mmapc__resize r = {
        .rq = mmapc__request_of(m),
        .base = (m->size || m->tail) ? mmapc__map_base(m) : NULL,
        .span = mmapc__map_span(m),
        .tail = m->tail,
        .ahead = m->ahead,
        .may_move = (flags & MMAPC_RESIZE_MAY_MOVE) != 0,
    };
    r.rq.address = NULL;
    r.rq.alignment = 0;
    r.rq.flags &= ~(unsigned)MMAPC_FIXED_NOREPLACE;
    r.rq.unsafe_flags &= ~(unsigned)MMAPC_UNSAFE_FIXED;
    r.rq.offset = m->offset - old_lead;
    r.rq.size = (old_lead + new_size + page - 1) & ~(page - 1);

    bool grew = false;
    uint64_t old_file_size = 0;
    mmapc__fail(0);
    if (is_file && new_size > m->size) {
        int rc = reach_file(m, end, &grew, &old_file_size);
        if (rc)
            return rc;
    }
    void *base;
    size_t tail;
    int rc = mmapc__os_resize(m->backing, &r, &base, &tail);
    if (rc) {
        if (grew) {
            int raw = mmapc_last_os_error();
            mmapc__os_file_restore(m->file, old_file_size);
            mmapc__os_fail(raw, rc);
        }
        return rc;
    }
    m->lead = old_lead;
    m->ptr = (unsigned char *)base + old_lead;
    m->size = new_size;
    if (m->ahead && base != r.base && r.base)
        m->ahead = false; /* moved: the new place holds no address space ahead */
    m->tail = tail;
    return 0;
}
