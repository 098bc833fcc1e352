// SPDX-License-Identifier: MIT
/* The DLL works on its own: a program linked against libmmapc.dll (not the static library) maps,
 * protects and splits memory and reads the error table through it. */
#include "mmapc.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    if (strcmp(mmapc_version(), MMAPC_VERSION_STRING) != 0)
        return 1;
    mmapc_map *m = NULL, *back = NULL;
    size_t ps = mmapc_page_size();
    if (mmapc_map_anon(&m, 2 * ps, MMAPC_PROT_RW, NULL) != 0)
        return 2;
    memset(mmapc_ptr(m), 7, 2 * ps);
    if (mmapc_split_off(m, ps, &back) != 0 || mmapc_protect(back, MMAPC_PROT_READ) != 0)
        return 3;
    int ok = ((unsigned char *)mmapc_ptr(back))[ps - 1] == 7;
    mmapc_unmap(back);
    mmapc_unmap(m);
    if (!ok || mmapc_map_anon(&m, 0, MMAPC_PROT_RW, NULL) != MMAPC_EINVAL_SIZE ||
        strcmp(mmapc_err_name(MMAPC_EINVAL_SIZE), "MMAPC_EINVAL_SIZE") != 0)
        return 4;
    printf("libmmapc %s works as a DLL\n", mmapc_version());
    return 0;
}
