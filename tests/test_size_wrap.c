// SPDX-License-Identifier: MIT
/*
 * Sizes, offsets and buffers near the top of the address space at every entry point that takes
 * them: refused with the documented code before any arithmetic on them can wrap, the
 * out-pointer untouched, nothing mapped and no descriptor left behind. size_t is 32 bits on
 * i686 and armv7, where a file or an object can hold more bytes than the address space.
 */
#include "testutil.h"

#ifndef _WIN32
#include <fcntl.h>
#endif

static size_t ps, gran;

/* A value no call writes to an out-pointer. */
#define UNTOUCHED ((mmapc_map *)(uintptr_t)0x7)

/* A call that must be refused with want (0: any error), leaving *m (UNTOUCHED before the call)
 * alone; *m is read after the call has returned. */
static void check_refused(int rc, mmapc_map **m, int want, const char *what, size_t size,
                          uint64_t offset)
{
    if ((want ? rc != want : rc == 0) || *m != UNTOUCHED)
        fprintf(stderr, "%s: size %#zx at %#llx: %s, expected %s\n", what, size,
                (unsigned long long)offset, mmapc_err_name(rc),
                want ? mmapc_err_name(want) : "an error");
    CHECK(want ? rc == want : rc != 0);
    CHECK(*m == UNTOUCHED);
    if (rc == 0 && *m != UNTOUCHED)
        mmapc_unmap(*m);
    *m = UNTOUCHED; /* for the next call */
}

#ifndef _WIN32
/* A device has no size to bound the range: only the address space does. Its offset's lead
 * bytes come on top of the size, rounded to whole pages. */
static void device_sizes(void)
{
    int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    REQUIRE(zero >= 0);
    int files = tu_open_files();
    uint64_t offsets[] = {1, ps - 1, ps + 1, gran - 1, gran + 1};
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        uint64_t off = offsets[i];
        size_t lead = (size_t)(off & (gran - 1));
        /* the largest size a call takes, and the smallest whose pages would not fit */
        size_t wrap[] = {SIZE_MAX - ps + 1, SIZE_MAX - (ps - 1) - lead + 1, SIZE_MAX - 1};
        for (size_t j = 0; j < sizeof wrap / sizeof wrap[0]; j++) {
            size_t size = wrap[j];
            mmapc_map *m = UNTOUCHED;
            check_refused(mmapc_map_file(&m, size, MMAPC_PROT_READ, zero, off, NULL), &m,
                          MMAPC_EINVAL_SIZE, "map_file", size, off);
            check_refused(mmapc_reserve_file(&m, size, MMAPC_PROT_READ, zero, off, NULL), &m,
                          MMAPC_EINVAL_SIZE, "reserve_file", size, off);
            check_refused(mmapc_map_file_growable(&m, size, 0, MMAPC_PROT_READ, zero, off, NULL),
                          &m, MMAPC_EINVAL_SIZE, "map_file_growable", size, off);
            check_refused(mmapc_map_file_growable(&m, size, size, MMAPC_PROT_READ, zero, off, NULL),
                          &m, MMAPC_EINVAL_SIZE, "map_file_growable with capacity", size, off);
        }
        /* just below: the pages fit in size_t, the address space refuses them */
        size_t below = SIZE_MAX - (ps - 1) - lead - ps + 1;
        mmapc_map *m = UNTOUCHED;
        check_refused(mmapc_map_file(&m, below, MMAPC_PROT_READ, zero, off, NULL), &m, 0,
                      "map_file", below, off);
        check_refused(mmapc_map_file_growable(&m, 1, SIZE_MAX - lead - ps + 1, MMAPC_PROT_READ,
                                              zero, off, NULL),
                      &m, MMAPC_EINVAL_SIZE, "map_file_growable capacity", 1, off);
    }
    CHECK(tu_open_files() == files);
    close(zero);
}
#endif

/* Capacities past the address space. */
static void capacities(void)
{
    mmapc_map *m = UNTOUCHED;
    size_t caps[] = {SIZE_MAX, SIZE_MAX - ps + 2, SIZE_MAX - ps + 1};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        check_refused(mmapc_map_anon_growable(&m, 1, caps[i], MMAPC_PROT_RW, NULL), &m, 0,
                      "map_anon_growable capacity", caps[i], 0);
    check_refused(mmapc_map_anon_growable(&m, SIZE_MAX, SIZE_MAX, MMAPC_PROT_RW, NULL), &m,
                  MMAPC_EINVAL_SIZE, "map_anon_growable", SIZE_MAX, 0);
}

/* Buffers whose end would pass the top of the address space: refused, nothing touched. */
static void buffers(void)
{
    void *top = (void *)(UINTPTR_MAX - 10);
    CHECK_RC(mmapc_flush_icache(top, 100), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_flush_icache(top, SIZE_MAX), MMAPC_EINVAL_ARG);
    /* in the last page, where no mapping lies: the flush's loop over cache lines would wrap
     * round (it ran for ever on aarch64) */
    CHECK_RC(mmapc_flush_icache(top, 10), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_flush_icache((void *)(UINTPTR_MAX - ps + 1), 1), MMAPC_EINVAL_ARG);

    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, ps, MMAPC_PROT_RW, NULL));
    size_t done = 12345;
    CHECK_RC(mmapc_read(m, 0, top, 100, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_write(m, 0, top, 100, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_copy_guarded(top, mmapc_ptr(m), 100, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_copy_guarded(mmapc_ptr(m), top, 100, &done), MMAPC_EINVAL_ARG);
    CHECK(done == 12345);
    mmapc_unmap(m);
}

/* Views and rings: sizes past the address space and offsets past what the platform maps. */
static void objects(void)
{
    mmapc_shm *shm = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, 2 * gran, NULL));
    mmapc_map *m = UNTOUCHED;
    check_refused(mmapc_shm_map(&m, shm, 0, SIZE_MAX, MMAPC_PROT_RW, NULL), &m, MMAPC_EINVAL_SIZE,
                  "shm_map", SIZE_MAX, 0);
    mmapc_ring *ring = (mmapc_ring *)(uintptr_t)0x7;
    CHECK_RC(mmapc_ring_map(&ring, shm, 0, SIZE_MAX), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_ring_map(&ring, shm, 0, SIZE_MAX - gran + 1), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_ring_create(&ring, SIZE_MAX), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_ring_create(&ring, SIZE_MAX / 2 + 2), MMAPC_EINVAL_SIZE);
    CHECK(ring == (mmapc_ring *)(uintptr_t)0x7);
    mmapc_map *x = UNTOUCHED;
    CHECK_RC(mmapc_map_dual(&m, &x, SIZE_MAX), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_dual(&m, &x, SIZE_MAX - gran + 2), MMAPC_EINVAL_SIZE);
    CHECK(m == UNTOUCHED && x == UNTOUCHED);
    mmapc_shm_close(shm);

#ifndef _WIN32
    /* a 32-bit program maps file bytes up to 2^44 (mmap2): an object may hold more */
    if (sizeof(void *) == 4) {
        uint64_t limit = (uint64_t)1 << 44;
        if (mmapc_shm_create(&shm, NULL, limit + 2 * gran, NULL) != 0) {
            CHECK_SKIP("no sparse object past 2^44 bytes");
            return;
        }
        int files = tu_open_files();
        check_refused(mmapc_shm_map(&m, shm, limit, gran, MMAPC_PROT_RW, NULL), &m,
                      MMAPC_EINVAL_OFFSET, "shm_map", gran, limit);
        check_refused(mmapc_shm_map(&m, shm, limit - gran, 2 * gran, MMAPC_PROT_RW, NULL), &m,
                      MMAPC_EINVAL_OFFSET, "shm_map", 2 * gran, limit - gran);
        CHECK_RC(mmapc_ring_map(&ring, shm, limit, gran), MMAPC_EINVAL_OFFSET);
        REQUIRE_OK(mmapc_shm_map(&m, shm, limit - gran, gran, MMAPC_PROT_RW, NULL));
        ((volatile unsigned char *)mmapc_ptr(m))[0] = 1;
        mmapc_unmap(m);
        CHECK(tu_open_files() == files);
        mmapc_shm_close(shm);
    }
#endif
}

int main(void)
{
    ps = mmapc_page_size();
    gran = mmapc_allocation_granularity();
#ifndef _WIN32
    device_sizes();
#endif
    capacities();
    objects();
    buffers(); /* last: before the fix, a buffer past the top faults */
    return check_done();
}
