// SPDX-License-Identifier: MIT
// The public header compiles as C++ and its functions link with C linkage.
#include "mmapc.h"

#include <cstdio>

int main()
{
    mmapc_map *m = nullptr;
    mmapc_options o{};
    o.flags = MMAPC_SHARED;
    if (mmapc_map_anon(&m, 4096, MMAPC_PROT_RW, &o) != 0)
        return 1;
    static_cast<char *>(mmapc_ptr(m))[0] = 1;
    mmapc_unmap(m);
    std::printf("%s\n", mmapc_err_name(MMAPC_EINVAL_SIZE));
    return 0;
}
