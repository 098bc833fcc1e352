// SPDX-License-Identifier: MIT
/*
 * An arena allocator over one reservation: address space for the largest size it may ever reach
 * is reserved once, 2 MiB aligned so that huge pages can back it, and committed one chunk at a
 * time as the arena grows. Resetting the arena decommits the chunks it used, which gives their
 * memory back to the system (and the commit charge with it), while the address space stays
 * reserved for the next round. Pointers into the arena never move.
 */
#include <mmapc.h>

#include <stdio.h>
#include <string.h>

#define CHUNK                                                                                      \
    ((size_t)1 << 20) /* commit granule: a multiple of every page size and granularity             \
                       */
#define MAX_CHUNKS 64

typedef struct arena {
    mmapc_map *chunks[MAX_CHUNKS]; /* the reservation, split into one piece per chunk */
    size_t committed;              /* chunks committed, from the first */
    size_t used;                   /* bytes handed out */
} arena;

static int arena_init(arena *a)
{
    memset(a, 0, sizeof *a);
    mmapc_map *whole;
    int rc = mmapc_reserve_anon(&whole, MAX_CHUNKS * CHUNK, MMAPC_PROT_RW,
                                &(mmapc_options){.alignment = (size_t)2 << 20});
    if (rc)
        return rc;
    /* split from the back: whole keeps the front each time, and ends as chunk 0 */
    for (size_t i = MAX_CHUNKS - 1; i > 0; i--) {
        rc = mmapc_split_off(whole, i * CHUNK, &a->chunks[i]);
        if (rc)
            return rc;
    }
    a->chunks[0] = whole;
    return 0;
}

static void *arena_alloc(arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size > MAX_CHUNKS * CHUNK - a->used)
        return NULL;
    while (a->used + size > a->committed * CHUNK) {
        int rc = mmapc_commit(a->chunks[a->committed]);
        if (rc) {
            fprintf(stderr, "commit: %s\n", mmapc_strerror(rc));
            return NULL;
        }
        a->committed++;
    }
    void *p = (char *)mmapc_ptr(a->chunks[0]) + a->used;
    a->used += size;
    return p;
}

/* Forget everything: the first chunk stays committed (and is zeroed), the others are
 * decommitted, so memory use drops back to one chunk. */
static int arena_reset(arena *a)
{
    for (size_t i = 1; i < a->committed; i++) {
        int rc = mmapc_decommit(a->chunks[i]);
        if (rc)
            return rc;
    }
    if (a->committed > 0) {
        int rc = mmapc_discard(a->chunks[0], 0, CHUNK, MMAPC_DISCARD_ZERO);
        if (rc)
            return rc;
        a->committed = 1;
    }
    a->used = 0;
    return 0;
}

static size_t arena_resident(const arena *a)
{
    size_t total = 0;
    for (size_t i = 0; i < a->committed; i++) {
        size_t n = 0;
        if (mmapc_residency(a->chunks[i], 0, CHUNK, &n, NULL) == 0)
            total += n;
    }
    return total * mmapc_page_size();
}

static void arena_free(arena *a)
{
    for (size_t i = 0; i < MAX_CHUNKS; i++)
        mmapc_unmap(a->chunks[i]);
}

int main(void)
{
    arena a;
    int rc = arena_init(&a);
    if (rc) {
        fprintf(stderr, "arena: %s\n", mmapc_strerror(rc));
        return 1;
    }
    printf("reserved %zu MiB at %p\n", MAX_CHUNKS * CHUNK >> 20, mmapc_ptr(a.chunks[0]));
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++) {
            char *s = arena_alloc(&a, 4000);
            if (!s)
                return 1;
            memset(s, 'a' + round, 4000);
        }
        printf("round %d: %zu bytes used, %zu chunks committed, %zu KiB resident\n", round, a.used,
               a.committed, arena_resident(&a) >> 10);
        if ((rc = arena_reset(&a)) != 0) {
            fprintf(stderr, "reset: %s\n", mmapc_strerror(rc));
            return 1;
        }
        printf("  after reset: %zu chunk committed, %zu KiB resident\n", a.committed,
               arena_resident(&a) >> 10);
    }
    arena_free(&a);
    return 0;
}
