// SPDX-License-Identifier: MIT
/* mmapc_unmap() when the kernel refuses the munmap (ENOMEM, as at vm.max_map_count): the handle
 * is freed all the same, so the memory must not stay usable and resident. It is given back
 * (MADV_DONTNEED) and made inaccessible; the address range stays reserved. */
#include "interpose.h"
#include "maps_snapshot.h"
#include "testutil.h"

#include <errno.h>
#include <sys/mman.h>

static char maps[1 << 18];

/* The permissions /proc/self/maps gives the page at p ("" when it is not mapped). */
static const char *perms_at(const void *p)
{
    static char perms[5];
    size_t n = maps_snapshot(maps, sizeof maps - 1);
    maps[n] = '\0';
    perms[0] = '\0';
    for (const char *line = maps; *line;) {
        char *end;
        uintptr_t s = strtoul(line, &end, 16), e = strtoul(end + 1, &end, 16);
        if (s <= (uintptr_t)p && (uintptr_t)p < e)
            snprintf(perms, sizeof perms, "%.4s", end + 1);
        const char *nl = strchr(line, '\n');
        line = nl ? nl + 1 : line + strlen(line);
    }
    return perms;
}

static int resident(void *p, size_t size)
{
    unsigned char v[4];
    REQUIRE(size / mmapc_page_size() <= sizeof v);
    REQUIRE(mincore(p, size, v) == 0);
    int n = 0;
    for (size_t i = 0; i < size / mmapc_page_size(); i++)
        n += v[i] & 1;
    return n;
}

int main(void)
{
    size_t ps = mmapc_page_size();
    for (int piece = 0; piece < 2; piece++) {
        /* a whole mapping, and the middle piece of a split one (what fails for real) */
        mmapc_map *m = NULL, *mid = NULL, *back = NULL;
        REQUIRE_OK(mmapc_map_anon(&m, 3 * ps, MMAPC_PROT_RW, NULL));
        memset(mmapc_ptr(m), 0x5c, 3 * ps);
        mmapc_map *victim = m;
        if (piece) {
            REQUIRE_OK(mmapc_split_off(m, ps, &mid));
            REQUIRE_OK(mmapc_split_off(mid, ps, &back));
            victim = mid;
        }
        unsigned char *p = mmapc_ptr(victim);
        size_t size = mmapc_size(victim);
        CHECK(resident(p, size) == (int)(size / ps));
        unsigned long before = fault_injected();
        fault_arm(FAULT_munmap, 1, ENOMEM);
        mmapc_unmap(victim);
        fault_arm(FAULT_munmap, 0, 0);
        CHECK(fault_injected() == before + 1);
        /* refused by the kernel: still mapped, but inaccessible and not resident */
        CHECK(strcmp(perms_at(p), "---p") == 0);
        CHECK(resident(p, size) == 0);
        if (strcmp(perms_at(p), "---p") != 0)
            fprintf(stderr, "after a refused munmap the range is '%s', not ---p\n", perms_at(p));
        if (piece) {
            /* the neighbours are untouched */
            CHECK(((unsigned char *)mmapc_ptr(m))[0] == 0x5c);
            CHECK(((unsigned char *)mmapc_ptr(back))[ps - 1] == 0x5c);
            CHECK(strcmp(perms_at(mmapc_ptr(m)), "rw-p") == 0);
            mmapc_unmap(back);
        }
        if (piece)
            mmapc_unmap(m);
        munmap(p, size); /* the test's own clean-up of what the library had to leave */
    }
    return check_done();
}
