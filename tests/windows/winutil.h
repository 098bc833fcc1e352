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

#endif
