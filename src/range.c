// SPDX-License-Identifier: MIT
/*
 * The portable side of ranges: advice, discard, decommit, residency and sealing (lock on fault
 * shares the checks of lock in map.c).
 * Each call checks its handle, its byte range and the mapping's state here, before the platform
 * (src/os.h) does one OS thing, so that a refused call changes nothing.
 */
#include "os.h"

/* The whole pages of m that [offset, offset + len) touches, as [*from, *to) from m's base (the
 * lead bytes of an unaligned file offset come before ptr): 0 with the range checked; outward
 * rounds the ends out to pages, otherwise they must be on pages already. */
static int page_range(const mmapc_map *m, size_t offset, size_t len, bool outward, size_t *from,
                      size_t *to)
{
    if (offset > m->size || len > m->size - offset)
        return MMAPC_EINVAL_OFFSET; /* also catches an offset + len that would overflow */
    size_t mask = m->page_size - 1, end = m->lead + offset + len;
    offset += m->lead;
    if (!outward && ((offset & mask) || (end & mask)))
        return MMAPC_EINVAL_OFFSET;
    *from = offset & ~mask;
    *to = (end + mask) & ~mask; /* end <= lead + size, within the pages: cannot overflow */
    return 0;
}

/* The checks every range call shares: a handle, a range inside it, committed memory when the
 * call needs it. 1 when there is nothing to do (an empty range), 0 to go on, or an error. */
static int check(const mmapc_map *m, size_t offset, size_t len, bool outward, bool committed,
                 size_t *from, size_t *to)
{
    if (!m)
        return MMAPC_EINVAL_ARG;
    int rc = page_range(m, offset, len, outward, from, to);
    if (rc)
        return rc;
    if (committed && m->reserved)
        return MMAPC_EINVAL_OP;
    return len == 0;
}

int mmapc_advise(mmapc_map *m, size_t offset, size_t len, mmapc_advice advice)
{
    size_t from, to;
    if ((unsigned)advice > MMAPC_ADVICE_COLLAPSE)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    int rc = check(m, offset, len, true, true, &from, &to);
    if (rc)
        return rc > 0 ? 0 : mmapc__fail(rc);
    if ((advice == MMAPC_ADVICE_POPULATE_READ && !(m->prot & MMAPC_PROT_READ)) ||
        (advice == MMAPC_ADVICE_POPULATE_WRITE && !(m->prot & MMAPC_PROT_WRITE)))
        return mmapc__fail(MMAPC_EACCES);
    return mmapc__os_advise(mmapc__map_base(m) + from, to - from, advice, m->prot);
}

int mmapc_discard(mmapc_map *m, size_t offset, size_t len, mmapc_discard_mode mode)
{
    size_t from, to;
    if (mode != MMAPC_DISCARD_ZERO && mode != MMAPC_DISCARD_LAZY)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    int rc = check(m, offset, len, false, true, &from, &to);
    if (rc)
        return rc > 0 ? 0 : mmapc__fail(rc);
    /* file and shared pages would come back from the file or the other mappings, not as zeros */
    if (m->backing->is_file || (m->flags & MMAPC_SHARED))
        return mmapc__fail(MMAPC_EINVAL_OP);
    if (m->sealed)
        return mmapc__fail(MMAPC_EPERM);
    rc = mmapc__os_discard(mmapc__map_base(m) + from, to - from, mode, m->prot);
    if (!rc && m->track)
        mmapc__track_discard(m, from, to); /* zeros now: the pages changed */
    return rc;
}

int mmapc_decommit(mmapc_map *m)
{
    if (!m)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (m->reserved || m->backing->is_file)
        return mmapc__fail(MMAPC_EINVAL_OP);
    if (m->sealed)
        return mmapc__fail(MMAPC_EPERM);
    if (m->track)
        mmapc__track_leave(m, false); /* tracking rests until the commit */
    int rc = mmapc__os_decommit(m->backing, mmapc__map_base(m), mmapc__map_span(m), m->flags,
                                m->page_size);
    if (rc) {
        if (m->track)
            mmapc__track_leave(m, true);
        return rc;
    }
    m->reserved = true;
    return 0;
}

int mmapc_residency(const mmapc_map *m, size_t offset, size_t len, size_t *count,
                    unsigned char *pages)
{
    size_t from, to;
    if (!count)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    int rc = check(m, offset, len, true, false, &from, &to);
    if (rc < 0)
        return mmapc__fail(rc);
    if (rc > 0) { /* an empty range: no page, no byte of the vector */
        *count = 0;
        return 0;
    }
    if (m->reserved) {
        *count = 0; /* nothing committed to be resident */
        for (size_t i = 0; pages && i < (to - from) / m->page_size; i++)
            pages[i] = 0;
        return 0;
    }
    return mmapc__os_residency(mmapc__map_base(m) + from, to - from, m->page_size, count, pages);
}

int mmapc_seal(mmapc_map *m)
{
    if (!m)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (m->reserved)
        return mmapc__fail(MMAPC_EINVAL_OP);
    size_t span = mmapc__map_span(m);
    int rc = span ? mmapc__os_seal(mmapc__map_base(m), span) : 0; /* empty: nothing to seal */
    if (rc)
        return rc;
    m->sealed = true;
    return 0;
}

int mmapc_is_sealed(const mmapc_map *m)
{
    return m ? m->sealed : 0;
}
