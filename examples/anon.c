// SPDX-License-Identifier: MIT
/* Anonymous memory: map, write, make read-only, unmap. */
#include "mmapc.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    mmapc_map *map;
    int rc = mmapc_map_anon(&map, 1 << 20, MMAPC_PROT_RW, NULL);
    if (rc) {
        fprintf(stderr, "map: %s\n", mmapc_strerror(rc));
        return 1;
    }
    char *p = mmapc_ptr(map);
    strcpy(p, "hello from mmapc");
    rc = mmapc_protect(map, MMAPC_PROT_READ); /* from here on, a write would fault */
    if (rc) {
        fprintf(stderr, "protect: %s\n", mmapc_strerror(rc));
        mmapc_unmap(map);
        return 1;
    }
    printf("%zu bytes at %p, now read-only: \"%s\"\n", mmapc_size(map), mmapc_ptr(map), p);
    mmapc_unmap(map);
    return 0;
}
