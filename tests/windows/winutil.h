// SPDX-License-Identifier: MIT
/* What the Windows-only tests share: the state of a page as Windows reports it. */
#ifndef MMAPC_TESTS_WINUTIL_H
#define MMAPC_TESTS_WINUTIL_H

#include "testutil.h"

static inline MEMORY_BASIC_INFORMATION win_query(const void *addr)
{
    MEMORY_BASIC_INFORMATION mi;
    REQUIRE(VirtualQuery(addr, &mi, sizeof mi) == sizeof mi);
    return mi;
}

/* Free address space of size bytes on the allocation granularity, free again when returned. */
static inline unsigned char *win_free_range(size_t size)
{
    void *p = VirtualAlloc(NULL, size, MEM_RESERVE, PAGE_NOACCESS);
    REQUIRE(p != NULL);
    REQUIRE(VirtualFree(p, 0, MEM_RELEASE));
    return p;
}

/* ---- snapshots of the address space, to prove that a refused call changed nothing ---- */

#define WIN_MAX_REGIONS 16384

typedef struct win_region {
    uintptr_t base, size, allocation;
    DWORD state, protect, type;
} win_region;

/* Every region of the address space into r (WIN_MAX_REGIONS of them), without allocating. */
static inline size_t win_snapshot(win_region *r)
{
    size_t n = 0;
    MEMORY_BASIC_INFORMATION mi;
    uintptr_t at = 0;
    while (VirtualQuery((void *)at, &mi, sizeof mi) == sizeof mi) {
        REQUIRE(n < WIN_MAX_REGIONS);
        r[n++] = (win_region){(uintptr_t)mi.BaseAddress,
                              mi.RegionSize,
                              (uintptr_t)mi.AllocationBase,
                              mi.State,
                              mi.Protect,
                              mi.Type};
        if ((uintptr_t)mi.BaseAddress + mi.RegionSize <= at)
            break;
        at = (uintptr_t)mi.BaseAddress + mi.RegionSize;
    }
    return n;
}

/* Non-zero when two snapshots are the same; the first difference is printed. */
static inline int win_same_regions(const win_region *a, size_t na, const win_region *b, size_t nb)
{
    for (size_t i = 0; i < na && i < nb; i++) {
        if (a[i].base != b[i].base || a[i].size != b[i].size ||
            a[i].allocation != b[i].allocation || a[i].state != b[i].state ||
            a[i].protect != b[i].protect || a[i].type != b[i].type) {
            fprintf(stderr,
                    "region %zu: %p+%zx state %lx prot %lx, now %p+%zx state %lx prot %lx\n", i,
                    (void *)a[i].base, (size_t)a[i].size, a[i].state, a[i].protect,
                    (void *)b[i].base, (size_t)b[i].size, b[i].state, b[i].protect);
            return 0;
        }
    }
    if (na != nb)
        fprintf(stderr, "%zu regions, now %zu\n", na, nb);
    return na == nb;
}

#endif
