// SPDX-License-Identifier: MIT
/* Split a mapping to give its parts different protections (a guard page), then merge back. */
#include "mmapc.h"

#include <stdio.h>

int main(void)
{
    size_t page = mmapc_page_size();
    mmapc_map *map, *guard;
    int rc = mmapc_map_anon(&map, 8 * page, MMAPC_PROT_RW, NULL);
    if (rc)
        return 1;
    rc = mmapc_split_to(map, page, &guard); /* guard: the first page; map: the other seven */
    if (rc == 0)
        rc = mmapc_protect(guard, MMAPC_PROT_NONE);
    printf("guard page at %p, usable memory at %p (%zu bytes)\n", mmapc_ptr(guard), mmapc_ptr(map),
           mmapc_size(map));
    /* pieces with different protections do not merge; say why */
    printf("merge now: %s\n", mmapc_err_name(mmapc_merge(map, guard)));
    if (rc == 0)
        rc = mmapc_protect(guard, MMAPC_PROT_RW);
    if (rc == 0)
        rc = mmapc_merge(map, guard); /* guard is consumed */
    printf("merged back: %zu bytes at %p (%s)\n", mmapc_size(map), mmapc_ptr(map),
           mmapc_strerror(rc));
    mmapc_unmap(map);
    return rc ? 1 : 0;
}
