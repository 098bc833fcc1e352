// SPDX-License-Identifier: MIT
/* Shared by the portable core and the platform files; never installed. */
#ifndef MMAPC_INTERNAL_H
#define MMAPC_INTERNAL_H

#include "mmapc.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The calls programs make most (create, destroy, query) and what they call: GCC and Clang put
 * them together in .text.hot, so that between two system calls the library's part of such a
 * call touches few pages of code. */
#if defined(__GNUC__)
#define MMAPC__HOT __attribute__((hot))
#else
#define MMAPC__HOT
#endif

/* What a mapping was made from. Split pieces share one record (reference-counted), so that
 * merge can tell pieces of one allocation from strangers and, on Windows, the allocation is
 * released when its last piece goes. */
typedef struct mmapc__backing {
    atomic_uint refs;
    bool is_file;
    uint64_t file_id[2]; /* from mmapc__file_info; compared by merge */
    uintptr_t os[4];     /* platform state (Windows: section handle, allocation base...) */
} mmapc__backing;

/* A mapping to make, as the core hands it to the platform. */
typedef struct mmapc__request {
    void *address; /* hint, or the exact address with MMAPC_FIXED_NOREPLACE/MMAPC_UNSAFE_FIXED */
    size_t size;   /* rounded to page_size */
    mmapc_prot prot;
    unsigned flags;
    unsigned unsafe_flags;
    size_t page_size; /* base page size, or the huge page size with MMAPC_HUGE_PAGES */
    size_t alignment; /* 0, or the alignment of the start (mmapc_options::alignment) */
    bool is_file;
    bool is_view; /* a view of a shared memory object: file is the object (shm.c) */
    mmapc_file file;
    uint64_t offset;
} mmapc__request;

struct mmapc_map {
    unsigned char *ptr; /* the caller's first byte */
    size_t size;        /* the caller's bytes from ptr (0: an empty mapping, file_size.c) */
    size_t lead;        /* bytes mapped before ptr: an unaligned file offset's (file_size.c) */
    size_t tail;        /* address space held after the mapped pages, to grow into in place */
    size_t page_size;
    uint64_t offset; /* file offset of ptr */
    mmapc__backing *backing;
    mmapc_prot prot;
    /* the fields a plain mapping has zero follow one another, so that a few stores clear them */
    unsigned flags;
    unsigned unsafe_flags;
    mmapc_file file; /* a reservation's own duplicate of its file, until commit */
    bool ahead;      /* made with a capacity: pages given up by a shrink join the tail */
    bool reserved;
    union {
        struct {
            bool has_file;
            bool tracked; /* track is set */
        };
        uint16_t kept; /* either: mmapc_unmap() takes its general path, in one test */
    };
    bool sealed; /* mmapc_seal(): no protect, decommit, discard, remap or unmap any more */
    struct mmapc__track *track; /* write tracking (track.c); shared by split pieces */
};

/* The memory a mapping holds: from its base, lead bytes before ptr, whole pages up to the end
 * of the caller's bytes. An empty mapping holds none (and its ptr is a placeholder, never
 * dereferenced); its tail, if any, starts at the base. */
static inline unsigned char *mmapc__map_base(const mmapc_map *m)
{
    return m->ptr - m->lead;
}

static inline size_t mmapc__map_span(const mmapc_map *m)
{
    size_t mask = m->page_size - 1;
    return m->size ? (m->lead + m->size + mask) & ~mask : 0;
}

/* What a new handle holds of the memory mmapc__create() makes for rq. */
typedef struct mmapc__shape {
    size_t lead;    /* bytes of rq's first page before the caller's first byte */
    size_t size;    /* the caller's bytes (0 with rq->size 0: an empty mapping) */
    size_t tail;    /* address space to hold after rq's pages, to grow into (file_size.c) */
    bool keep_file; /* the handle keeps a duplicate of rq->file, to extend it (file_size.c) */
} mmapc__shape;

struct mmapc__file_info;
/* Make a mapping for rq (rq->size whole pages at rq->offset, aligned; 0: no memory) shaped by
 * shape (map.c: the handle's life; file_size.c makes the shapes other than the plain one). */
int mmapc__create(mmapc_map **out, mmapc__request *rq, const struct mmapc__file_info *info,
                  const mmapc__shape *shape);
/* The request that recreates m's pages as they stand, from its base. */
mmapc__request mmapc__request_of(const mmapc_map *m);
/* Fill rq from the caller's arguments, checking each; rq->size is rounded up. */
int mmapc__make_request(mmapc__request *rq, size_t size, mmapc_prot prot,
                        const mmapc_options *options);
/* Check a file range (file_size.c): [offset, offset + size) lies inside the file, or with
 * size MMAPC_TO_END, runs to its end. rq gets the aligned offset and the whole pages to map
 * (rq->size 0 for an empty range, allowed only with MMAPC_TO_END), shape the lead and the
 * caller's bytes: exactly the bytes asked for, for every file mapping. */
int mmapc__file_request(mmapc__request *rq, size_t size, mmapc_file file, uint64_t offset,
                        struct mmapc__file_info *info, mmapc__shape *shape);
/* The placeholder pointer of an empty mapping that holds no memory: never NULL, never mapped. */
unsigned char *mmapc__empty_ptr(void);

/* A shared view of [offset, offset + size) of a memory object (shm.c), whose range the caller
 * checked against the object and whose identity info gives; map.c makes it as it makes a file
 * mapping, with the same options. */
int mmapc__map_view(mmapc_map **out, size_t size, mmapc_prot prot, const mmapc_options *options,
                    mmapc_file object, uint64_t offset, const uint64_t id[2]);

/* A process handle (mmapc_proc_open(), areas.c): the platform's open process, and whether
 * queries use the text listing. */
typedef struct mmapc__proc mmapc__proc;
struct mmapc_proc {
    mmapc__proc *os;
    bool text; /* queries use the text listing */
};

/* Write tracking's hooks (track.c), called only for a tracked mapping (m->track set). */
/* A piece split from a tracked mapping shares its record. */
void mmapc__track_split(mmapc_map *piece);
/* m's pages leave the record (unmap, decommit: before the system call), or come back to it
 * (back true: that call failed). */
void mmapc__track_leave(mmapc_map *m, bool back);
/* m's handle goes (after the unmap): drop its share of the record. */
void mmapc__track_put(struct mmapc__track *t);
/* Change the protection of tracked m's pages (mmapc_protect()), keeping them tracked. */
int mmapc__track_protect(mmapc_map *m, mmapc_prot prot);
/* m was committed again, or [from, to) of its pages (from its base) discarded: they count as
 * written. */
int mmapc__track_commit(mmapc_map *m);
void mmapc__track_discard(mmapc_map *m, size_t from, size_t to);

/* Record the raw OS error of a failure in this thread and return code. */
int mmapc__os_fail(int raw, int code);
/* Forget the raw OS error (a library-level error follows). */
int mmapc__fail(int code);

#endif
