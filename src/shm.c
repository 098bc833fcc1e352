// SPDX-License-Identifier: MIT
/*
 * Shared memory objects and their views, the double-mapped ring buffer and the dual-mapped JIT
 * memory: the argument checks and the life of each object. Views are ordinary mapping handles,
 * made by map.c (mmapc__map_view); everything that touches the OS goes through src/os.h.
 */
#include "os.h"

#include <stdlib.h>
#include <string.h>

struct mmapc_shm {
    mmapc_file file;
};

struct mmapc_ring {
    unsigned char *ptr;
    size_t size;
};

/* ---- checks ---- */

/* The name without its leading '/', or NULL when it breaks the rules. */
static const char *check_name(const char *name)
{
    if (!name)
        return NULL;
    if (*name == '/')
        name++;
    size_t len = 0;
    for (; name[len]; len++) {
        if (name[len] == '/' || name[len] == '\\' || len == MMAPC_SHM_NAME_MAX)
            return NULL;
    }
    /* "." and ".." would name the objects' folder or the one above it */
    if (len == 0 || (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.'))))
        return NULL;
    return name;
}

static int check_options(const mmapc_shm_options *options, unsigned allowed, unsigned *flags,
                         unsigned *mode)
{
    unsigned f = options ? options->flags : 0;
    if (f & ~allowed)
        return MMAPC_EINVAL_ARG;
    *flags = f;
    if (mode)
        *mode = options && options->mode ? options->mode : 0600;
    return 0;
}

static bool is_granular(uint64_t x)
{
    return (x & (mmapc__os_granularity() - 1)) == 0;
}

/* size rounded up to the allocation granularity, as views and rings are made; 0 when it is 0
 * or the rounded size would not fit (the caller's MMAPC_EINVAL_SIZE). */
static size_t round_granular(size_t size)
{
    size_t gran = mmapc__os_granularity();
    return size > SIZE_MAX - (gran - 1) ? 0 : (size + gran - 1) & ~(gran - 1);
}

/* A handle for a descriptor just made; on failure the descriptor is closed. */
static int wrap(mmapc_shm **out, mmapc_file file)
{
    mmapc_shm *shm = malloc(sizeof *shm);
    if (!shm) {
        mmapc__os_file_close(file);
        return mmapc__fail(MMAPC_ENOMEM);
    }
    shm->file = file;
    *out = shm;
    return 0;
}

/* ---- objects ---- */

int mmapc_shm_create(mmapc_shm **out, const char *name, uint64_t size,
                     const mmapc_shm_options *options)
{
    unsigned flags, mode;
    if (!out || check_options(options, MMAPC_SHM_INHERIT, &flags, &mode))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    const char *bare = name ? check_name(name) : NULL;
    if (name && !bare)
        return mmapc__fail(MMAPC_EINVAL_NAME);
    if (size == 0 || size > (uint64_t)INT64_MAX)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    mmapc_file file;
    int rc = mmapc__os_shm_create(bare, size, mode, (flags & MMAPC_SHM_INHERIT) != 0, &file);
    if (rc)
        return rc;
    rc = wrap(out, file);
    if (rc && bare)
        mmapc__os_shm_unlink(bare); /* the name was ours: a refused call leaves none behind */
    return rc;
}

int mmapc_shm_open(mmapc_shm **out, const char *name, const mmapc_shm_options *options)
{
    unsigned flags;
    if (!out || check_options(options, MMAPC_SHM_FLAGS_ALL, &flags, NULL))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    const char *bare = check_name(name);
    if (!bare)
        return mmapc__fail(MMAPC_EINVAL_NAME);
    mmapc_file file;
    int rc = mmapc__os_shm_open(bare, (flags & MMAPC_SHM_READ_ONLY) != 0,
                                (flags & MMAPC_SHM_INHERIT) != 0, &file);
    return rc ? rc : wrap(out, file);
}

int mmapc_shm_from_file(mmapc_shm **out, mmapc_file file, const mmapc_shm_options *options)
{
    unsigned flags;
    if (!out || check_options(options, MMAPC_SHM_INHERIT, &flags, NULL))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    mmapc_file dup;
    int rc = mmapc__os_shm_dup(file, (flags & MMAPC_SHM_INHERIT) != 0, &dup);
    return rc ? rc : wrap(out, dup);
}

int mmapc_shm_unlink(const char *name)
{
    const char *bare = check_name(name);
    if (!bare)
        return mmapc__fail(MMAPC_EINVAL_NAME);
    return mmapc__os_shm_unlink(bare);
}

void mmapc_shm_close(mmapc_shm *shm)
{
    if (!shm)
        return;
    mmapc__os_file_close(shm->file);
    free(shm);
}

int mmapc_shm_size(const mmapc_shm *shm, uint64_t *size)
{
    if (!shm || !size)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    uint64_t id[2];
    return mmapc__os_shm_info(shm->file, size, id);
}

int mmapc_shm_resize(mmapc_shm *shm, uint64_t size)
{
    if (!shm)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (size == 0 || size > (uint64_t)INT64_MAX)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    return mmapc__os_shm_resize(shm->file, size);
}

mmapc_file mmapc_shm_file(const mmapc_shm *shm)
{
    return shm ? shm->file : (mmapc_file)(intptr_t)-1;
}

int mmapc_shm_set_inherit(mmapc_shm *shm, int inherit)
{
    if (!shm)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    return mmapc__os_shm_set_inherit(shm->file, inherit != 0);
}

int mmapc_shm_seal(mmapc_shm *shm, unsigned seals)
{
    if (!shm || seals == 0 || (seals & ~MMAPC_SHM_SEALS_ALL))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    return mmapc__os_shm_seal(shm->file, seals);
}

int mmapc_shm_seals(const mmapc_shm *shm, unsigned *seals)
{
    if (!shm || !seals)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    return mmapc__os_shm_seals(shm->file, seals);
}

/* ---- views ---- */

/* Check that [offset, offset + size) lies in the object (its last partial page counting as
 * whole, as for files) and give its identity. */
static int check_range(mmapc_shm *shm, uint64_t offset, size_t size, uint64_t id[2])
{
    if (!is_granular(offset))
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    uint64_t have;
    int rc = mmapc__os_shm_info(shm->file, &have, id);
    if (rc)
        return rc;
    if (offset >= have)
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    if (size == 0 || (uint64_t)size > have - offset)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    /* an object can hold more than the platform maps (2^44 bytes in a 32-bit POSIX program),
     * as a file can: the view must end at or below it, as mmapc_map_file() checks */
    uint64_t limit = mmapc__os_file_end_limit();
    if (offset > limit || size > limit - offset)
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    return 0;
}

int mmapc_shm_map(mmapc_map **out, mmapc_shm *shm, uint64_t offset, size_t size, mmapc_prot prot,
                  const mmapc_options *options)
{
    if (!out || !shm)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    uint64_t id[2];
    int rc = check_range(shm, offset, size, id);
    if (rc)
        return rc;
    return mmapc__map_view(out, size, prot, options, shm->file, offset, id);
}

int mmapc_map_dual(mmapc_map **rw, mmapc_map **rx, size_t size)
{
    if (!rw || !rx || rw == rx)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    size = round_granular(size);
    if (size == 0)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    mmapc_shm *shm;
    int rc = mmapc_shm_create(&shm, NULL, size, NULL);
    if (rc)
        return rc;
    mmapc_map *w = NULL, *x = NULL;
    rc = mmapc_shm_map(&w, shm, 0, size, MMAPC_PROT_RW, NULL);
    if (!rc)
        rc = mmapc_shm_map(&x, shm, 0, size, MMAPC_PROT_RX, NULL);
    mmapc_shm_close(shm); /* the views keep the memory */
    if (rc) {
        mmapc_unmap(w);
        return rc;
    }
    *rw = w;
    *rx = x;
    return 0;
}

/* ---- ring buffers ---- */

int mmapc_ring_map(mmapc_ring **out, mmapc_shm *shm, uint64_t offset, size_t size)
{
    if (!out || !shm)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    size = round_granular(size); /* both views in the address space */
    if (size == 0 || size > SIZE_MAX / 2)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    uint64_t id[2];
    int rc = check_range(shm, offset, size, id);
    if (rc)
        return rc;
    mmapc_ring *ring = malloc(sizeof *ring);
    if (!ring)
        return mmapc__fail(MMAPC_ENOMEM);
    void *p;
    rc = mmapc__os_ring_map(shm->file, offset, size, &p);
    if (rc) {
        free(ring);
        return rc;
    }
    *ring = (mmapc_ring){.ptr = p, .size = size};
    *out = ring;
    return 0;
}

int mmapc_ring_create(mmapc_ring **out, size_t size)
{
    if (!out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    size = round_granular(size);
    if (size == 0 || size > SIZE_MAX / 2)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    mmapc_shm *shm;
    int rc = mmapc_shm_create(&shm, NULL, size, NULL);
    if (rc)
        return rc;
    mmapc_ring *ring;
    rc = mmapc_ring_map(&ring, shm, 0, size);
    mmapc_shm_close(shm); /* the views keep the memory */
    if (rc)
        return rc;
    *out = ring;
    return 0;
}

void *mmapc_ring_ptr(const mmapc_ring *ring)
{
    return ring ? ring->ptr : NULL;
}

size_t mmapc_ring_size(const mmapc_ring *ring)
{
    return ring ? ring->size : 0;
}

void mmapc_ring_free(mmapc_ring *ring)
{
    if (!ring)
        return;
    mmapc__os_ring_unmap(ring->ptr, ring->size);
    free(ring);
}
