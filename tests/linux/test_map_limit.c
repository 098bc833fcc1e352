// SPDX-License-Identifier: MIT
/*
 * At the limit of memory areas (vm.max_map_count), for real: the test fills its own address
 * space with areas until the kernel refuses one more, then unmaps and protects the middle piece
 * of a split mapping, which needs one area more.
 * - mmapc_protect() and mmapc_unmap_checked() give MMAPC_ELIMIT and change nothing: the handle
 *   is valid, its memory and protection as they were;
 * - a new mapping is MMAPC_ELIMIT too, once the kernel's slack is used;
 * - mmapc_unmap() frees the handle and gives the memory back (not resident, reads as zeros);
 *   the range stays taken, as documented.
 */
#include "testutil.h"

#include <errno.h>
#include <sys/mman.h>

static size_t ps;

/* The area at p is listed (with protection prot, unless prot is -1). qemu-user serves
 * /proc/self/maps itself and at the limit of areas leaves areas out of it (reading the kernel's
 * listing takes memory areas of its own, which it cannot get then), so there the check is skipped.
 * Called only at the limit. */
static void check_listed(const void *p, int prot)
{
    if (check_under_emulator()) {
        CHECK_SKIP("area query at the limit of areas: qemu-user's own listing of our maps leaves "
                   "areas out there");
        return;
    }
    mmapc_area a;
    CHECK_OK(mmapc_area_query(MMAPC_SELF, (uintptr_t)p, &a, NULL, 0));
    CHECK(prot < 0 || a.prot == (mmapc_prot)prot);
}

/* Non-zero where a munmap the kernel refuses is reported as done: qemu-user for a 32-bit machine
 * keeps the machine's address space reserved, unmaps by mapping PROT_NONE over the range and
 * ignores a failure of that mapping, so at the limit of areas the memory stays mapped while the
 * emulated program is told it is gone. */
static int unmap_refusal_hidden(void)
{
    return check_under_emulator() && sizeof(void *) == 4;
}

static int resident(const void *p)
{
    unsigned char v = 0;
    REQUIRE(mincore((void *)(uintptr_t)p, ps, &v) == 0);
    return v & 1;
}

/* Areas until the kernel refuses: every other page of one large region is made readable. */
static char *fill;
static size_t fill_size;

static void fill_areas(void)
{
    long max = 0;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "re");
    REQUIRE(f && fscanf(f, "%ld", &max) == 1);
    fclose(f);
    REQUIRE(max > 0 && max <= (1L << 22));
    fill_size = (size_t)(2 * max + 64) * ps;
    fill = mmap(NULL, fill_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    REQUIRE(fill != MAP_FAILED);
    size_t i;
    for (i = 1; 2 * i * ps < fill_size; i++) {
        if (mprotect(fill + 2 * i * ps, ps, PROT_READ) != 0)
            break;
    }
    REQUIRE(2 * i * ps < fill_size && errno == ENOMEM);
}

int main(void)
{
    ps = mmapc_page_size();
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload")) {
        /* valgrind keeps a table of areas far smaller than the kernel's limit */
        fprintf(stderr, "skipped: under valgrind (VG_N_SEGMENTS)\n");
        return CHECK_SKIP_CODE;
    }
    CHECK(strstr(mmapc_strerror(MMAPC_ELIMIT), "map count") != NULL);

    /* a mapping in three pieces: one kernel area, three handles */
    mmapc_map *front, *mid, *back;
    REQUIRE_OK(mmapc_map_anon(&front, 3 * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_split_off(front, ps, &mid));
    REQUIRE_OK(mmapc_split_off(mid, ps, &back));
    unsigned char *p = mmapc_ptr(mid);
    memset(p, 0xab, ps);

    fill_areas();

    /* protecting the middle piece needs a split: refused, nothing changed */
    CHECK_RC(mmapc_protect(mid, MMAPC_PROT_READ), MMAPC_ELIMIT);
    CHECK(mmapc_last_os_error() == ENOMEM);
    CHECK(mmapc_protection(mid) == MMAPC_PROT_RW);
    p[1] = 0xcd; /* still writable */
    CHECK(p[0] == 0xab && p[1] == 0xcd);

    /* so does unmapping it: the handle stays valid */
    const int hidden = unmap_refusal_hidden();
    if (hidden) {
        CHECK_SKIP("unmap at the limit of areas: qemu-user for a 32-bit machine reports a munmap "
                   "the kernel refuses as done");
    } else {
        CHECK_RC(mmapc_unmap_checked(mid), MMAPC_ELIMIT);
        CHECK(mmapc_ptr(mid) == p && mmapc_size(mid) == ps);
        CHECK(p[0] == 0xab && p[ps - 1] == 0xab && resident(p));
        check_listed(p, MMAPC_PROT_RW);
    }

    /* new mappings: the kernel lets the count pass its limit by one, then refuses */
    mmapc_map *extra[8] = {0};
    int rc = 0;
    size_t made = 0;
    for (; made < 8; made++) {
        /* alternate protections, so that two new neighbours never merge into one area */
        rc = mmapc_map_anon(&extra[made], ps, made % 2 ? MMAPC_PROT_READ : MMAPC_PROT_NONE, NULL);
        if (rc)
            break;
    }
    CHECK(made < 8);
    CHECK_RC(rc, MMAPC_ELIMIT);
    for (size_t i = 0; i < made; i++)
        mmapc_unmap(extra[i]);

    /* mmapc_unmap() cannot unmap it either, but frees the handle and the memory */
    if (!hidden) {
        CHECK_RC(mmapc_unmap_checked(mid), MMAPC_ELIMIT);
        mmapc_unmap(mid);
        CHECK(!resident(p));
        CHECK(p[0] == 0 && p[ps - 1] == 0);
        check_listed(p, -1); /* still taken */
    }

    /* below the limit again, everything goes as usual */
    REQUIRE(munmap(fill, fill_size) == 0);
    if (hidden)
        CHECK_OK(mmapc_unmap_checked(mid));
    CHECK_OK(mmapc_unmap_checked(back));
    mmapc_unmap(front);
    CHECK(munmap(p, ps) == 0); /* what mmapc_unmap() had to leave */
    CHECK_OK(mmapc_unmap_checked(NULL));
    return check_done();
}
