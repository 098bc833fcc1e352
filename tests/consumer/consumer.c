// SPDX-License-Identifier: MIT
/* A program built against an installed mmapc. */
#include <mmapc.h>

#include <stdio.h>

int main(void)
{
    mmapc_map *m;
    if (mmapc_map_anon(&m, 4096, MMAPC_PROT_RW, NULL) != 0)
        return 1;
    ((char *)mmapc_ptr(m))[0] = 1;
    mmapc_unmap(m);
    printf("consumer ok (mmapc %s)\n", mmapc_version());
    return 0;
}
