// SPDX-License-Identifier: MIT
/* File offsets past 4 GiB reach the right bytes, also where size_t and long are 32 bits. */
#include "testutil.h"

int main(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 0, path);
    const uint64_t far = ((uint64_t)5 << 30) + mmapc_allocation_granularity();
    /* a sparse file: 5 GiB of holes, then a marker */
    if (ftruncate(f, (off_t)(far + 4096)) != 0) {
        fprintf(stderr, "skipped: the file system cannot hold a sparse 5 GiB file\n");
        tu_close(f);
        tu_remove(path);
        return CHECK_SKIP_CODE;
    }
    REQUIRE(pwrite(f, "far!", 4, (off_t)far) == 4);
    mmapc_map *m = NULL;
    CHECK_OK(mmapc_map_file(&m, 4096, MMAPC_PROT_READ, f, far, NULL));
    if (m) {
        if (check_under_emulator() && sizeof(long) == 4)
            CHECK_SKIP("qemu-user 7.2 cuts a 32-bit guest's mmap2 offset to 32 bits");
        else
            CHECK(memcmp(mmapc_ptr(m), "far!", 4) == 0);
        CHECK(mmapc_file_offset(m) == far);
        mmapc_unmap(m);
    }
    /* just past the end, far away, is still refused */
    CHECK_RC(mmapc_map_file(&m, 8192, MMAPC_PROT_READ, f, far, NULL), MMAPC_EINVAL_SIZE);
    CHECK_RC(mmapc_map_file(&m, 4096, MMAPC_PROT_READ, f, far + 65536, NULL), MMAPC_EINVAL_OFFSET);
    tu_close(f);
    tu_remove(path);
    return check_done();
}
