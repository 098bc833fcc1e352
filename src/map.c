// SPDX-License-Identifier: MIT
/*
 * The portable core of mappings: argument checks, the life of a handle, protection state,
 * split and merge. Everything that touches the OS goes through src/os.h.
 */
#include "os.h"

#include <stdlib.h>

/* ---- argument checks ---- */

static bool prot_is_valid(mmapc_prot prot)
{
    switch (prot) {
    case MMAPC_PROT_NONE:
    case MMAPC_PROT_READ:
    case MMAPC_PROT_RW:
    case MMAPC_PROT_RX:
    case MMAPC_PROT_RWX:
        return true;
    default:
        return false; /* write-only and write+exec have no portable meaning */
    }
}

static int check_prot(mmapc_prot prot, unsigned unsafe_flags)
{
    if (!prot_is_valid(prot))
        return MMAPC_EINVAL_ARG;
    if (prot == MMAPC_PROT_RWX && !(unsafe_flags & MMAPC_UNSAFE_JIT))
        return MMAPC_EUNSAFE_FLAG;
    return 0;
}

static bool is_power_of_two(size_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

static bool huge_size_is_supported(size_t size)
{
    size_t sizes[16];
    size_t count = 0;
    if (mmapc__os_huge_page_sizes(sizes, 16, &count) != 0)
        return false;
    for (size_t i = 0; i < count && i < 16; i++) {
        if (sizes[i] == size)
            return true;
    }
    return false;
}

/* make_request() for the default options: only the protection and the size need checking. */
MMAPC__HOT static inline int default_request(mmapc__request *rq, size_t size, mmapc_prot prot)
{
    size_t page = mmapc__os_page_size();
    if (!prot_is_valid(prot))
        return MMAPC_EINVAL_ARG;
    if (prot == MMAPC_PROT_RWX)
        return MMAPC_EUNSAFE_FLAG;
    if (size == 0 || size > SIZE_MAX - (page - 1))
        return MMAPC_EINVAL_SIZE;
    *rq =
        (mmapc__request){.size = (size + page - 1) & ~(page - 1), .prot = prot, .page_size = page};
    return 0;
}

/* Fill rq from the caller's arguments, checking each; rq->size is rounded up. */
MMAPC__HOT static int make_request(mmapc__request *rq, size_t size, mmapc_prot prot,
                                   const mmapc_options *options)
{
    static const mmapc_options defaults = {0};
    const mmapc_options *o = options ? options : &defaults;

    if (!options || (o->flags == 0 && o->unsafe_flags == 0 && o->address == NULL &&
                     o->page_size == 0 && o->alignment == 0)) {
        return default_request(rq, size, prot);
    }

    if (o->flags & ~MMAPC_FLAGS_ALL)
        return (o->flags & MMAPC_UNSAFE_FLAGS_ALL) ? MMAPC_EUNSAFE_FLAG : MMAPC_EINVAL_ARG;
    if (o->unsafe_flags & ~MMAPC_UNSAFE_FLAGS_ALL)
        return MMAPC_EINVAL_ARG;
    int rc = check_prot(prot, o->unsafe_flags);
    if (rc)
        return rc;
    if ((o->flags & MMAPC_SEQUENTIAL) && (o->flags & MMAPC_RANDOM_ACCESS))
        return MMAPC_EINVAL_ARG;
    if ((o->flags & MMAPC_WILL_NEED) && (o->flags & MMAPC_DONT_NEED))
        return MMAPC_EINVAL_ARG;

    size_t page = mmapc__os_page_size();
    if (o->flags & MMAPC_HUGE_PAGES) {
        page = o->page_size ? o->page_size : mmapc__os_default_huge_page_size();
        if (page == 0)
            return MMAPC_EUNSUPPORTED;
        if (!is_power_of_two(page))
            return MMAPC_EINVAL_ARG;
        if (!huge_size_is_supported(page))
            return MMAPC_EUNSUPPORTED;
    } else if (o->page_size != 0) {
        return MMAPC_EINVAL_ARG;
    }

    bool fixed = (o->flags & MMAPC_FIXED_NOREPLACE) || (o->unsafe_flags & MMAPC_UNSAFE_FIXED);
    if ((o->flags & MMAPC_FIXED_NOREPLACE) && (o->unsafe_flags & MMAPC_UNSAFE_FIXED))
        return MMAPC_EINVAL_ARG;
    if (fixed && o->address == NULL)
        return MMAPC_EINVAL_ADDR;
    if ((uintptr_t)o->address & (page - 1))
        return MMAPC_EINVAL_ADDR;
    if (o->alignment && (!is_power_of_two(o->alignment) || o->alignment < page))
        return MMAPC_EINVAL_ARG;
    if (o->alignment && ((uintptr_t)o->address & (o->alignment - 1)))
        return MMAPC_EINVAL_ADDR;

    if (size == 0 || size > SIZE_MAX - (page - 1))
        return MMAPC_EINVAL_SIZE;
    size_t rounded = (size + page - 1) & ~(page - 1);
    if (fixed && (uintptr_t)o->address > UINTPTR_MAX - rounded)
        return MMAPC_EINVAL_ADDR;

    *rq = (mmapc__request){
        .address = o->address,
        .size = rounded,
        .prot = prot,
        .flags = o->flags,
        .unsafe_flags = o->unsafe_flags,
        .page_size = page,
        .alignment = o->alignment,
    };
    return 0;
}

int mmapc__make_request(mmapc__request *rq, size_t size, mmapc_prot prot,
                        const mmapc_options *options)
{
    return make_request(rq, size, prot, options);
}

/* ---- handles ----
 * A new mapping costs one allocation: its first handle and its backing record live in one block.
 * Handles made by split are allocated on their own. The block lives as long as the backing has
 * references (the first handle holds one while it lives), so it is freed with the last piece. */

typedef struct first_block {
    mmapc_map map;
    mmapc__backing backing;
} first_block;

static first_block *block_of(mmapc__backing *b)
{
    return (first_block *)(void *)((char *)b - offsetof(first_block, backing));
}

/* One block freed by an unmap is kept for the next new mapping, so that a program creating and
 * destroying mappings in turn skips malloc and free (some 130 instructions of glibc's, and their
 * cache lines). Not under AddressSanitizer, which must see each block freed to report a use of a
 * handle after its unmap. */
#if defined(__has_feature)
#define MMAPC__HAS_FEATURE(x) __has_feature(x)
#else
#define MMAPC__HAS_FEATURE(x) 0
#endif
#if !defined(__SANITIZE_ADDRESS__) && !MMAPC__HAS_FEATURE(address_sanitizer)
#define SPARE_BLOCK 1
static _Atomic(first_block *) spare_block;
#endif

/* The kept block, taken; NULL if there is none. */
MMAPC__HOT static inline first_block *spare_take(void)
{
#ifdef SPARE_BLOCK
    /* a plain load first: the locked exchange only when there is a block to take */
    if (atomic_load_explicit(&spare_block, memory_order_relaxed))
        return atomic_exchange_explicit(&spare_block, NULL, memory_order_acq_rel);
#endif
    return NULL;
}

MMAPC__HOT static first_block *block_alloc(void)
{
    first_block *blk = spare_take();
    /* malloc, not calloc: glibc's calloc bypasses the per-thread cache, and create() sets
     * every field */
    return blk ? blk : malloc(sizeof(first_block));
}

MMAPC__HOT static void block_free(first_block *blk)
{
#ifdef SPARE_BLOCK
    if (!atomic_load_explicit(&spare_block, memory_order_relaxed)) {
        blk = atomic_exchange_explicit(&spare_block, blk, memory_order_acq_rel);
        if (!blk)
            return;
    }
#endif
    free(blk);
}

/* Likewise one handle of a split piece freed (by a merge, an unmap) is kept for the next split,
 * so that splitting and merging in turn skips malloc and free; not under AddressSanitizer. */
#ifdef SPARE_BLOCK
static _Atomic(mmapc_map *) spare_piece;
#endif

static inline mmapc_map *piece_alloc(void)
{
#ifdef SPARE_BLOCK
    if (atomic_load_explicit(&spare_piece, memory_order_relaxed)) {
        mmapc_map *m = atomic_exchange_explicit(&spare_piece, NULL, memory_order_acq_rel);
        if (m)
            return m;
    }
#endif
    return malloc(sizeof(mmapc_map));
}

static inline void piece_free(mmapc_map *m)
{
#ifdef SPARE_BLOCK
    if (!atomic_load_explicit(&spare_piece, memory_order_relaxed)) {
        m = atomic_exchange_explicit(&spare_piece, m, memory_order_acq_rel);
        if (!m)
            return;
    }
#endif
    free(m);
}

/* Give back [addr, addr + size) (addr NULL: nothing to give), then drop one reference to b.
 * On failure nothing has changed: the reference is dropped only once the piece is gone. */
MMAPC__HOT static int release_piece(mmapc__backing *b, void *addr, size_t size)
{
    /* refs == 1: ours is the only handle on b, so no other thread can be splitting it and
     * the locked decrement is not needed */
    bool only = atomic_load_explicit(&b->refs, memory_order_acquire) == 1;
    int rc = mmapc__os_release(b, addr, size, only);
    if (rc)
        return rc;
    if (!only && atomic_fetch_sub(&b->refs, 1) == 1) {
        /* the other pieces went while ours was given back: the whole goes now */
        mmapc__os_release(b, NULL, 0, 1);
        only = true;
    }
    if (only)
        block_free(block_of(b));
    return 0;
}

/* Free a handle's own memory and its share of the backing; addr/size as in release_piece. On
 * failure the handle is untouched. */
MMAPC__HOT __attribute__((always_inline)) static inline int free_plain(mmapc_map *m, void *addr,
                                                                       size_t size)
{
    mmapc__backing *b = m->backing;
    bool own = m != &block_of(b)->map, has_file = m->has_file;
    mmapc_file file = m->file;
    int rc = release_piece(b, addr, size); /* may free the block that holds m */
    if (rc)
        return rc;
    if (has_file)
        mmapc__os_file_close(file);
    if (own)
        piece_free(m);
    return 0;
}

/* free_plain() of a tracked handle: its pages leave the record before they go (so that no
 * fault there is taken for the record's), and its share of the record goes after. A block
 * freed has no record (create_plain() takes one as it is). */
__attribute__((noinline, cold)) static int free_tracked(mmapc_map *m, void *addr, size_t size)
{
    struct mmapc__track *track = m->track;
    if (size)
        mmapc__track_leave(m, false);
    m->track = NULL;
    m->tracked = false;
    int rc = free_plain(m, addr, size);
    if (rc) {
        m->track = track;
        m->tracked = true;
        if (size)
            mmapc__track_leave(m, true);
        return rc;
    }
    mmapc__track_put(track);
    return 0;
}

MMAPC__HOT static int free_handle(mmapc_map *m, void *addr, size_t size)
{
    if (__builtin_expect(m->tracked, 0))
        return free_tracked(m, addr, size);
    return free_plain(m, addr, size);
}

/* A mapping made with MMAPC_TRACK_WRITES (committed, not empty) starts being tracked, or goes
 * (the mapping's error). */
__attribute__((noinline, cold)) static int track_new(mmapc_map *m)
{
    int rc = mmapc_track_start(m, 0);
    if (rc) {
        int raw = mmapc_last_os_error();
        mmapc_unmap(m);
        mmapc__os_fail(raw, rc);
    }
    return rc;
}

MMAPC__HOT static int create(mmapc_map **out, mmapc__request *rq, const mmapc__file_info *info,
                             bool reserve, const mmapc__shape *shape)
{
    first_block *blk = block_alloc();
    if (!blk)
        return mmapc__fail(MMAPC_ENOMEM);
    mmapc__backing *b = &blk->backing;
    atomic_init(&b->refs, 1);
    b->is_file = rq->is_file;
    b->file_id[0] = info ? info->id[0] : 0;
    b->file_id[1] = info ? info->id[1] : 0;
    for (size_t i = 0; i < sizeof b->os / sizeof b->os[0]; i++)
        b->os[i] = 0;
    mmapc_map *m = &blk->map;
    *m = (mmapc_map){
        .size = shape ? shape->size : rq->size,
        .lead = shape ? shape->lead : 0,
        .tail = shape ? shape->tail : 0,
        .prot = rq->prot,
        .flags = rq->flags,
        .unsafe_flags = rq->unsafe_flags,
        .page_size = rq->page_size,
        .reserved = reserve,
        .offset = rq->offset + (shape ? shape->lead : 0), /* the caller's first byte's */
        .backing = b,
    };
    if ((reserve || (shape && shape->keep_file)) && rq->is_file) {
        int rc = mmapc__os_file_dup(rq->file, &m->file);
        if (rc) {
            block_free(blk);
            return rc;
        }
        m->has_file = true;
    }
    void *ptr = NULL;
    int rc = 0; /* an empty mapping without a tail holds no memory at all */
    if (reserve)
        rc = mmapc__os_reserve(rq, b, &ptr);
    else if (shape && shape->tail)
        rc = mmapc__os_map_tail(rq, b, &m->tail, &ptr); /* file_size.c's shapes */
    else if (rq->size)
        rc = mmapc__os_map(rq, b, &ptr);
    if (rc) {
        if (m->has_file)
            mmapc__os_file_close(m->file);
        block_free(blk);
        return rc;
    }
    m->ahead = m->tail != 0;
    if (!ptr)
        m->lead = 0; /* no memory: the placeholder is the base */
    m->ptr = ptr ? (unsigned char *)ptr + m->lead : mmapc__empty_ptr();
    if (__builtin_expect((rq->flags & MMAPC_TRACK_WRITES) != 0, 0) && !reserve && m->size &&
        (rc = track_new(m)) != 0)
        return rc;
    *out = m;
    return 0;
}

/* The end of create_plain() when the system refused the mapping: apart, so that the hot path
 * keeps nothing across the free. */
__attribute__((noinline, cold)) static int plain_refused(first_block *blk, int rc)
{
    block_free(blk);
    return rc;
}

/* The base page size, read with one load once known; the granularity of file offsets likewise
 * (set after the page size). */
static atomic_size_t page_size_known;
static atomic_size_t granularity_known;

MMAPC__HOT static inline size_t page_size(void)
{
    size_t page = atomic_load_explicit(&page_size_known, memory_order_relaxed);
    if (page == 0) {
        page = mmapc__os_page_size();
        atomic_store_explicit(&page_size_known, page, memory_order_relaxed);
    }
    return page;
}

/* The plain mapping (mmapc__os_map_plain) in blk: size bytes of file from offset (aligned;
 * info identifies the file), or anonymous (info NULL); the caller's bytes from lead, counted in
 * bytes. Made without the general path's steps: most programs ask for nothing else, many times.
 * On failure blk goes back. */
MMAPC__HOT __attribute__((always_inline)) static inline int
create_plain(mmapc_map **out, first_block *blk, size_t bytes, size_t size, size_t page,
             mmapc_prot prot, mmapc_file file, uint64_t offset, size_t lead,
             const mmapc__file_info *info)
{
    /* every field but the address first, so that little lives across the system call */
    mmapc__backing *b = &blk->backing;
    mmapc_map *m = &blk->map;
    /* field by field: a compound literal of the whole becomes a slow `rep stos` */
    m->size = bytes;
    m->lead = lead;
    m->tail = 0;
    m->ahead = false;
    m->prot = prot;
    m->flags = 0;
    m->unsafe_flags = 0;
    m->page_size = page;
    m->reserved = false;
    m->offset = offset + lead;
    m->file = (mmapc_file)0; /* not used without has_file */
    m->kept = 0;             /* has_file, tracked */
    m->sealed = false;
    /* m->track: NULL in every block (create_plain_new(), free_tracked()) */
    m->backing = b;
    atomic_init(&b->refs, 1);
    b->is_file = info != NULL;
    if (info) { /* read by merge only for a file */
        b->file_id[0] = info->id[0];
        b->file_id[1] = info->id[1];
    }
    void *ptr = NULL;
    int rc = mmapc__os_map_plain(b, size, prot, info ? &file : NULL, offset, &ptr);
    if (rc)
        return plain_refused(blk, rc);
    m->ptr = (unsigned char *)ptr + lead;
    *out = m;
    return 0;
}

/* create_plain() of an anonymous mapping with a new block: apart, so that the hot path keeps no
 * register across a malloc it seldom makes. */
__attribute__((noinline)) static int create_plain_new(mmapc_map **out, size_t size, size_t page,
                                                      mmapc_prot prot)
{
    first_block *blk = malloc(sizeof *blk);
    if (!blk)
        return mmapc__fail(MMAPC_ENOMEM);
    blk->map.track = NULL;
    return create_plain(out, blk, size, size, page, prot, (mmapc_file)0, 0, 0, NULL);
}

int mmapc__create(mmapc_map **out, mmapc__request *rq, const mmapc__file_info *info,
                  const mmapc__shape *shape)
{
    return create(out, rq, info, false, shape);
}

/* The protections a mapping without options may have: none, read, read+write, read+exec. */
#define PLAIN_PROTS                                                                                \
    (1u << MMAPC_PROT_NONE | 1u << MMAPC_PROT_READ | 1u << MMAPC_PROT_RW | 1u << MMAPC_PROT_RX)

static inline bool plain_prot(mmapc_prot prot)
{
    return (unsigned)prot < 8 && (PLAIN_PROTS >> prot & 1);
}

__attribute__((noinline)) static int map_anon(mmapc_map **out, size_t size, mmapc_prot prot,
                                              const mmapc_options *options, bool reserve)
{
    if (!out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    (void)page_size(); /* known from now on, to mmapc_map_anon()'s plain path */
    mmapc__request rq;
    /* no options: the short path, without a call */
    int rc = options ? make_request(&rq, size, prot, options) : default_request(&rq, size, prot);
    if (rc)
        return mmapc__fail(rc);
    return create(out, &rq, NULL, reserve, NULL);
}

__attribute__((noinline)) static int map_file(mmapc_map **out, size_t size, mmapc_prot prot,
                                              mmapc_file file, uint64_t offset,
                                              const mmapc_options *options, bool reserve)
{
    if (!out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    /* known from now on, to mmapc_map_file()'s plain path */
    if (!atomic_load_explicit(&granularity_known, memory_order_relaxed)) {
        (void)page_size();
        atomic_store_explicit(&granularity_known, mmapc__os_granularity(), memory_order_relaxed);
    }
    mmapc__request rq;
    /* no options: the short path, without a call */
    int rc = options ? make_request(&rq, size, prot, options) : default_request(&rq, size, prot);
    if (rc)
        return mmapc__fail(rc);
    /* a file reservation cannot be decommitted again should tracking fail to start at commit */
    if (reserve && (rq.flags & MMAPC_TRACK_WRITES))
        return mmapc__fail(MMAPC_EINVAL_OP);
    mmapc__file_info info;
    mmapc__shape shape;
    mmapc__fail(0);
    rc = mmapc__file_request(&rq, size, file, offset, &info, &shape);
    if (rc)
        return rc; /* an OS error from file_info has its raw code recorded already */
    return create(out, &rq, &info, reserve, &shape);
}

MMAPC__HOT int mmapc_map_anon(mmapc_map **out, size_t size, mmapc_prot prot,
                              const mmapc_options *options)
{
    /* page 0: not known yet; map_anon() learns it */
    size_t page = atomic_load_explicit(&page_size_known, memory_order_relaxed);
    if (__builtin_expect(options != NULL, 0) || __builtin_expect(!out, 0) ||
        __builtin_expect(!plain_prot(prot), 0) || __builtin_expect(page == 0, 0) ||
        __builtin_expect(size - 1 >= SIZE_MAX - (page - 1), 0))
        return map_anon(out, size, prot, options, false); /* size 0 or near SIZE_MAX too */
    size_t rounded = (size + page - 1) & ~(page - 1);
    first_block *blk = spare_take();
    if (!blk)
        return create_plain_new(out, rounded, page, prot);
    return create_plain(out, blk, rounded, rounded, page, prot, (mmapc_file)0, 0, 0, NULL);
}

int mmapc_reserve_anon(mmapc_map **out, size_t size, mmapc_prot prot, const mmapc_options *options)
{
    return map_anon(out, size, prot, options, true);
}

/* Offsets below this need no check against the platform's limit of file offsets (2^44 for a
 * 32-bit POSIX program), whatever the size of a plain mapping (below SIZE_MAX / 2). */
#define PLAIN_OFFSET_MAX ((uint64_t)1 << 40)

MMAPC__HOT int mmapc_map_file(mmapc_map **out, size_t size, mmapc_prot prot, mmapc_file file,
                              uint64_t offset, const mmapc_options *options)
{
    size_t page = atomic_load_explicit(&page_size_known, memory_order_relaxed);
    size_t granularity = atomic_load_explicit(&granularity_known, memory_order_relaxed);
    if (__builtin_expect(options != NULL, 0) || __builtin_expect(!out, 0) ||
        __builtin_expect(!plain_prot(prot), 0) || __builtin_expect(granularity == 0, 0) ||
        __builtin_expect(size - 1 >= SIZE_MAX / 2, 0) ||
        __builtin_expect(offset >= PLAIN_OFFSET_MAX, 0))
        return map_file(out, size, prot, file, offset, options, false);
    /* no block kept: the general path, which allocates one */
    first_block *blk = spare_take();
    if (!blk)
        return map_file(out, size, prot, file, offset, options, false);
    /* what mmapc__file_request() checks, where no sum can wrap */
    mmapc__file_info info;
    int rc = mmapc__os_file_info(file, &info);
    if (rc)
        return plain_refused(blk, rc);
    if (info.size != UINT64_MAX) { /* UINT64_MAX: a device, whose size is not known */
        if (offset >= info.size)
            return plain_refused(blk, mmapc__fail(MMAPC_EINVAL_OFFSET));
        if (size > info.size - offset)
            return plain_refused(blk, mmapc__fail(MMAPC_EINVAL_SIZE));
    }
    size_t lead = (size_t)(offset & (granularity - 1));
    return create_plain(out, blk, size, (lead + size + page - 1) & ~(page - 1), page, prot, file,
                        offset - lead, lead, &info);
}

int mmapc_reserve_file(mmapc_map **out, size_t size, mmapc_prot prot, mmapc_file file,
                       uint64_t offset, const mmapc_options *options)
{
    return map_file(out, size, prot, file, offset, options, true);
}

int mmapc__map_view(mmapc_map **out, size_t size, mmapc_prot prot, const mmapc_options *options,
                    mmapc_file object, uint64_t offset, const uint64_t id[2])
{
    mmapc__request rq;
    int rc = make_request(&rq, size, prot, options);
    if (rc)
        return mmapc__fail(rc);
    if (rq.flags & MMAPC_HUGE_PAGES)
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    rq.flags |= MMAPC_SHARED;
    rq.is_file = rq.is_view = true;
    rq.file = object;
    rq.offset = offset;
    mmapc__file_info info = {.id = {id[0], id[1]}};
    return create(out, &rq, &info, false, NULL);
}

mmapc__request mmapc__request_of(const mmapc_map *m)
{
    return (mmapc__request){
        .address = mmapc__map_base(m),
        .size = mmapc__map_span(m),
        .prot = m->prot,
        .flags = m->flags,
        .unsafe_flags = m->unsafe_flags,
        .page_size = m->page_size,
        .is_file = m->backing->is_file,
        .file = m->file,
        .offset = m->offset - m->lead,
    };
}

int mmapc_commit(mmapc_map *m)
{
    if (!m)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (!m->reserved)
        return mmapc__fail(MMAPC_EINVAL_OP);
    mmapc__request rq = mmapc__request_of(m);
    mmapc__fail(0);
    if (rq.is_file) {
        /* the file may have shrunk since the reservation was made */
        mmapc__file_info info;
        int rc = mmapc__os_file_info(m->file, &info);
        if (rc)
            return rc;
        /* the caller's bytes must lie inside the file, as when the reservation was made; the
         * rest of the last page may pass the file's end */
        if (info.size != UINT64_MAX && (m->offset >= info.size || m->size > info.size - m->offset))
            return mmapc__fail(MMAPC_EINVAL_SIZE);
    }
    int rc = mmapc__os_commit(&rq, m->backing, rq.address);
    if (rc)
        return rc;
    m->reserved = false;
    if (m->has_file) {
        mmapc__os_file_close(m->file);
        m->has_file = false;
    }
    if (m->track)
        mmapc__track_commit(m); /* its pages are new: each counts as written */
    else if ((m->flags & MMAPC_TRACK_WRITES) && m->size && (rc = mmapc_track_start(m, 0)) != 0) {
        int raw = mmapc_last_os_error();
        mmapc__os_decommit(m->backing, rq.address, rq.size, m->flags, m->page_size);
        m->reserved = true;
        return mmapc__os_fail(raw, rc);
    }
    return 0;
}

/* Free m and what it holds of the address space: its pages and its tail (none for an empty
 * mapping without a tail). */
MMAPC__HOT static int free_held(mmapc_map *m)
{
    size_t held = mmapc__map_span(m) + m->tail;
    return free_handle(m, held ? mmapc__map_base(m) : NULL, held);
}

/* The end of mmapc_unmap() when the system kept the range (rc): at the limit of memory areas no
 * memory may leak all the same; a sealed range (MMAPC_EPERM) keeps its pages, as the seal
 * promised. The handle goes. */
__attribute__((noinline)) static void unmap_refused(mmapc_map *m, int rc)
{
    if (rc == MMAPC_ELIMIT || rc == MMAPC_ENOMEM)
        mmapc__os_abandon(mmapc__map_base(m), mmapc__map_span(m) + m->tail);
    free_handle(m, NULL, 0);
}

/* mmapc_unmap() of a piece of a split mapping, or of a handle that keeps a file. */
__attribute__((noinline)) static void unmap_other(mmapc_map *m)
{
    int rc = free_held(m);
    if (rc)
        unmap_refused(m, rc);
}

MMAPC__HOT void mmapc_unmap(mmapc_map *m)
{
    if (!m)
        return;
    mmapc__backing *b = m->backing;
    if (m != &block_of(b)->map || m->kept ||
        atomic_load_explicit(&b->refs, memory_order_acquire) != 1) {
        unmap_other(m);
        return;
    }
    /* the handle the mapping was made with, alone on it: memory and block go together (the
     * block starts with the handle) */
    first_block *blk = block_of(b);
    size_t held = mmapc__map_span(&blk->map) + blk->map.tail;
    int rc = held ? mmapc__os_release(b, mmapc__map_base(&blk->map), held, 1) : 0;
    if (rc)
        unmap_refused(&blk->map, rc);
    else
        block_free(blk);
}

int mmapc_unmap_checked(mmapc_map *m)
{
    return m ? free_held(m) : 0;
}

/* ---- accessors ---- */

MMAPC__HOT void *mmapc_ptr(const mmapc_map *m)
{
    return m ? m->ptr : NULL;
}

size_t mmapc_size(const mmapc_map *m)
{
    return m ? m->size : 0;
}

uintptr_t mmapc_start(const mmapc_map *m)
{
    return m ? (uintptr_t)m->ptr : 0;
}

uintptr_t mmapc_end(const mmapc_map *m)
{
    return m ? (uintptr_t)m->ptr + m->size : 0;
}

mmapc_prot mmapc_protection(const mmapc_map *m)
{
    return m ? m->prot : MMAPC_PROT_NONE;
}

unsigned mmapc_flags(const mmapc_map *m)
{
    return m ? m->flags : 0;
}

int mmapc_is_reserved(const mmapc_map *m)
{
    return m ? m->reserved : 0;
}

size_t mmapc_map_page_size(const mmapc_map *m)
{
    return m ? m->page_size : 0;
}

uint64_t mmapc_file_offset(const mmapc_map *m)
{
    return m ? m->offset : 0;
}

int mmapc_is_file(const mmapc_map *m)
{
    return m ? m->backing->is_file : 0;
}

/* ---- protection ---- */

static int protect(mmapc_map *m, mmapc_prot prot, bool flush_icache)
{
    if (!m)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    int rc = check_prot(prot, m->unsafe_flags);
    if (rc)
        return mmapc__fail(rc);
    if (m->reserved)
        return mmapc__fail(MMAPC_EINVAL_OP);
    if (m->sealed)
        return mmapc__fail(MMAPC_EPERM);
    unsigned char *base = mmapc__map_base(m);
    size_t span = mmapc__map_span(m);
    /* an empty mapping: no page to change; a tracked one's pages change as tracking says */
    rc = !span ? 0 : m->track ? mmapc__track_protect(m, prot) : mmapc__os_protect(base, span, prot);
    if (rc) {
        /* mprotect over several kernel areas can stop half-way; put the old protection back
         * (it was in force a moment ago, so this cannot ask for more than we had) */
        int raw = mmapc_last_os_error();
        if (m->track)
            mmapc__track_protect(m, m->prot);
        else
            mmapc__os_protect(base, span, m->prot);
        return mmapc__os_fail(raw, rc);
    }
    m->prot = prot;
    if (span && flush_icache && (prot & MMAPC_PROT_EXEC))
        return mmapc__os_flush_icache(base, span);
    return 0;
}

int mmapc_protect(mmapc_map *m, mmapc_prot prot)
{
    return protect(m, prot, true);
}

int mmapc_protect_no_flush(mmapc_map *m, mmapc_prot prot)
{
    return protect(m, prot, false);
}

/* ---- flush, lock ---- */

static int flush(mmapc_map *m, size_t start, size_t end, int async)
{
    if (!m)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (start > end || end > m->size)
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    if (m->reserved)
        return mmapc__fail(MMAPC_EINVAL_OP);
    if (start == end)
        return 0;
    /* the OS wants a page-aligned start: from the page that holds start, lead bytes included */
    size_t from = (m->lead + start) & ~(m->page_size - 1);
    return mmapc__os_flush(m->backing, mmapc__map_base(m) + from, m->lead + end - from, async);
}

int mmapc_flush(mmapc_map *m, size_t start, size_t end)
{
    return flush(m, start, end, 0);
}

int mmapc_flush_async(mmapc_map *m, size_t start, size_t end)
{
    return flush(m, start, end, 1);
}

/* Lock (or unlock) committed memory. */
static int lock(mmapc_map *m, int (*os_op)(void *, size_t))
{
    if (!m)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (m->reserved)
        return mmapc__fail(MMAPC_EINVAL_OP);
    size_t span = mmapc__map_span(m);
    return span ? os_op(mmapc__map_base(m), span) : 0; /* an empty mapping: nothing to lock */
}

int mmapc_lock(mmapc_map *m)
{
    return lock(m, mmapc__os_lock);
}

int mmapc_unlock(mmapc_map *m)
{
    return lock(m, mmapc__os_unlock);
}

int mmapc_lock_on_fault(mmapc_map *m)
{
    return lock(m, mmapc__os_lock_on_fault);
}

int mmapc_flush_icache(const void *addr, size_t size)
{
    /* A range that reaches the last page of the address space is no range of instructions (no
     * system maps that page), and the flush's loop over cache lines, rounded out to whole
     * lines, would step past the top and wrap round for ever (aarch64's libgcc). */
    if ((!addr && size) || (uintptr_t)addr > UINTPTR_MAX - size ||
        (size && (uintptr_t)addr + (size - 1) >= UINTPTR_MAX - (mmapc_page_size() - 1)))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (size == 0)
        return 0;
    return mmapc__os_flush_icache(addr, size);
}

/* ---- split and merge ---- */

/* Split m at `at`: m keeps [0, at) when keep_front, else [at, size); *out gets the other part. */
/* split()'s part for a piece of a file reservation (each piece commits on its own, so each
 * keeps its own file) or of a tracked mapping (the pieces share the record). On failure the
 * piece is freed. */
__attribute__((noinline, cold)) static int split_kept(const mmapc_map *m, mmapc_map *piece)
{
    if (m->has_file) {
        int rc = mmapc__os_file_dup(m->file, &piece->file);
        if (rc) {
            piece_free(piece);
            return rc;
        }
    }
    if (m->tracked)
        mmapc__track_split(piece);
    return 0;
}

static int split(mmapc_map *m, size_t at, mmapc_map **out, bool keep_front)
{
    if (!m || !out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    /* at is a page boundary of the memory (lead bytes come before ptr) */
    if (at == 0 || at >= m->size || ((m->lead + at) & (m->page_size - 1)))
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    mmapc_map *piece = piece_alloc();
    if (!piece)
        return mmapc__fail(MMAPC_ENOMEM);
    *piece = *m;
    if (__builtin_expect(m->kept, 0)) { /* has_file or tracked: one test on the common path */
        int rc = split_kept(m, piece);
        if (rc)
            return rc;
    }
    atomic_fetch_add(&m->backing->refs, 1);
    mmapc_map *front = keep_front ? m : piece;
    mmapc_map *back = keep_front ? piece : m;
    front->size = at;
    front->tail = 0; /* the tail follows the back */
    back->ptr += at;
    back->size -= at;
    back->lead = 0;
    if (back->backing->is_file)
        back->offset += at;
    *out = piece;
    return 0;
}

int mmapc_split_off(mmapc_map *m, size_t at, mmapc_map **back)
{
    return split(m, at, back, true);
}

int mmapc_split_to(mmapc_map *m, size_t at, mmapc_map **front)
{
    return split(m, at, front, false);
}

/* The flags that describe the memory itself. Placement and one-time actions (populate, will
 * need, dont need, fixed) say how a piece was made, not what it is, so they do not matter. */
#define MERGE_FLAGS                                                                                \
    (MMAPC_SHARED | MMAPC_NO_RESERVE | MMAPC_HUGE_PAGES | MMAPC_TRANSPARENT_HUGE_PAGES |           \
     MMAPC_STACK | MMAPC_NO_CORE_DUMP | MMAPC_LOCKED | MMAPC_SEQUENTIAL | MMAPC_RANDOM_ACCESS)

int mmapc_merge(mmapc_map *m, mmapc_map *other)
{
    if (!m || !other || m == other)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (m->size == 0 || other->size == 0)
        return mmapc__fail(MMAPC_ENOT_ADJACENT); /* an empty mapping holds no memory to join */
    bool other_after = m->ptr + m->size == other->ptr;
    bool other_before = other->ptr + other->size == m->ptr;
    if (!other_after && !other_before)
        return mmapc__fail(MMAPC_ENOT_ADJACENT);
    if (m->prot != other->prot || ((m->flags ^ other->flags) & MERGE_FLAGS) ||
        ((m->unsafe_flags ^ other->unsafe_flags) & MMAPC_UNSAFE_JIT) ||
        m->reserved != other->reserved || m->page_size != other->page_size ||
        m->sealed != other->sealed || m->track != other->track)
        return mmapc__fail(MMAPC_EATTR_MISMATCH);

    const mmapc_map *lo = other_after ? m : other;
    const mmapc_map *hi = other_after ? other : m;
    const mmapc__backing *a = m->backing, *b = other->backing;
    if (a->is_file != b->is_file)
        return mmapc__fail(MMAPC_EBACKING_MISMATCH);
    if (a->is_file) {
        /* the same file, and the bytes of hi follow those of lo in the file as in memory */
        if (a->file_id[0] != b->file_id[0] || a->file_id[1] != b->file_id[1] ||
            lo->offset + lo->size != hi->offset)
            return mmapc__fail(MMAPC_EBACKING_MISMATCH);
    } else if (a != b) {
        return mmapc__fail(MMAPC_EBACKING_MISMATCH);
    }

    /* lo's caller bytes end on a page boundary: hi's pages start there (mappings never overlap),
     * so hi has no lead, and lo has no tail */
    if (other_before) {
        m->ptr = other->ptr;
        m->offset = other->offset;
        m->lead = other->lead;
    } else {
        m->tail = other->tail;
    }
    m->size += other->size;
    /* other's memory now belongs to m: drop its handle and its share of the backing (and of
     * the record of write tracking, m's too) only */
    if (__builtin_expect(other->tracked, 0))
        free_tracked(other, NULL, 0);
    else
        free_plain(other, NULL, 0);
    return 0;
}

/* ---- platform facts ---- */

size_t mmapc_page_size(void)
{
    return mmapc__os_page_size();
}

size_t mmapc_allocation_granularity(void)
{
    return mmapc__os_granularity();
}

size_t mmapc_default_huge_page_size(void)
{
    return mmapc__os_default_huge_page_size();
}

int mmapc_page_sizes(size_t *sizes, size_t capacity, size_t *count)
{
    if (!count || (!sizes && capacity))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    size_t huge = 0;
    int rc = mmapc__os_huge_page_sizes(capacity > 1 ? sizes + 1 : NULL,
                                       capacity > 1 ? capacity - 1 : 0, &huge);
    if (rc)
        return rc;
    if (capacity > 0)
        sizes[0] = mmapc__os_page_size();
    *count = huge + 1;
    return 0;
}
