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
    unsigned char *ptr;
    size_t size;
    mmapc_prot prot;
    unsigned flags;
    unsigned unsafe_flags;
    size_t page_size;
    bool reserved;
    uint64_t offset; /* file offset of ptr */
    mmapc_file file; /* a reservation's own duplicate of its file, until commit */
    bool has_file;
    bool sealed; /* mmapc_seal(): no protect, decommit, discard, remap or unmap any more */
    mmapc__backing *backing;
};

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

/* Record the raw OS error of a failure in this thread and return code. */
int mmapc__os_fail(int raw, int code);
/* Forget the raw OS error (a library-level error follows). */
int mmapc__fail(int code);

#endif
