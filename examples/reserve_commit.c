// SPDX-License-Identifier: MIT
/* Reserve a large range of address space, then commit it piece by piece as it is needed:
 * the pattern of arenas, heaps and growable buffers. */
#include "mmapc.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    size_t chunk = 16 * mmapc_page_size();
    mmapc_map *reserved, *used = NULL;
    /* 256 MiB of address space: no memory is committed and none is charged yet */
    int rc = mmapc_reserve_anon(&reserved, (size_t)256 << 20, MMAPC_PROT_RW, NULL);
    if (rc) {
        fprintf(stderr, "reserve: %s\n", mmapc_strerror(rc));
        return 1;
    }
    for (int i = 0; i < 4 && rc == 0; i++) {
        mmapc_map *piece;
        rc = mmapc_split_to(reserved, chunk, &piece); /* take the front chunk */
        if (rc == 0)
            rc = mmapc_commit(piece);
        if (rc == 0) {
            memset(mmapc_ptr(piece), i, chunk);
            rc = used ? mmapc_merge(used, piece) : 0; /* pieces of one reservation merge */
            if (!used)
                used = piece;
        }
    }
    if (rc)
        fprintf(stderr, "grow: %s\n", mmapc_strerror(rc));
    printf("committed %zu bytes at %p; %zu bytes still reserved after it\n", mmapc_size(used),
           mmapc_ptr(used), mmapc_size(reserved));
    mmapc_unmap(used);
    mmapc_unmap(reserved);
    return rc ? 1 : 0;
}
