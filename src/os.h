/*
 * The platform seam. The portable core (map.c, areas.c) calls only these primitives; each
 * platform implements them in src/os/<platform>.c. Every primitive takes arguments the core has
 * already checked and aligned, does one OS thing, and returns 0 or a negative MMAPC_E* code
 * (after recording the raw OS error with mmapc__os_fail()).
 */
#ifndef MMAPC_OS_H
#define MMAPC_OS_H

#include "internal.h"

/* ---- platform facts (cheap after the first call; safe from any thread) ---- */
size_t mmapc__os_page_size(void);
size_t mmapc__os_granularity(void);
/* Huge page sizes the system offers, ascending; *count gets the total. */
int mmapc__os_huge_page_sizes(size_t *sizes, size_t capacity, size_t *count);
size_t mmapc__os_default_huge_page_size(void);

/* ---- files ---- */
typedef struct mmapc__file_info {
    uint64_t size;
    uint64_t id[2]; /* identifies the file: device and inode on POSIX */
} mmapc__file_info;
int mmapc__os_file_info(mmapc_file file, mmapc__file_info *info);
int mmapc__os_file_dup(mmapc_file file, mmapc_file *out);
void mmapc__os_file_close(mmapc_file file);

/* ---- mappings ----
 * rq describes the whole mapping; b is the backing record the core allocated for it (the
 * platform may keep state in b->os). */
/* Create a committed mapping; *out gets its address. */
int mmapc__os_map(const mmapc__request *rq, mmapc__backing *b, void **out);
/* Reserve inaccessible address space for rq without committing memory. */
int mmapc__os_reserve(const mmapc__request *rq, mmapc__backing *b, void **out);
/* Turn the reservation at addr (rq->size bytes) into the mapping rq describes. On failure the
 * range is still reserved. */
int mmapc__os_commit(const mmapc__request *rq, mmapc__backing *b, void *addr);
/* Give back [addr, addr + size), a piece of b; last is non-zero when no other piece of b
 * remains, so the platform may release b's whole allocation and its own state. */
void mmapc__os_release(mmapc__backing *b, void *addr, size_t size, int last);
int mmapc__os_protect(void *addr, size_t size, mmapc_prot prot);
int mmapc__os_flush(mmapc__backing *b, void *addr, size_t size, int async);
int mmapc__os_lock(void *addr, size_t size);
int mmapc__os_unlock(void *addr, size_t size);
int mmapc__os_flush_icache(const void *addr, size_t size);

#endif
