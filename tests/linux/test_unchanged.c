// SPDX-License-Identifier: MIT
/* Every refused call leaves the process as it was: the kernel's list of memory areas
 * (/proc/self/maps) and the open descriptors are byte-for-byte the same before and after. */
#include "maps_snapshot.h"
#include "testutil.h"

#include <fcntl.h>
#include <unistd.h>

static char before[1 << 16], after[1 << 16];

static size_t ps, gran;
static mmapc_map *rw, *ro_shared, *piece_a, *piece_b, *reserved, *other_file;
static mmapc_file file, ro_file;

static int bad_calls(void)
{
    mmapc_map *m = NULL, *out = NULL;
    int refused = 0;
    const mmapc_options shared = {.flags = MMAPC_SHARED};
#define REFUSE(call, code) refused += (call) == (code)
    REFUSE(mmapc_map_anon(&m, 0, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_map_anon(&m, SIZE_MAX, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_map_anon(&m, ps, MMAPC_PROT_RWX, NULL), MMAPC_EUNSAFE_FLAG);
    REFUSE(mmapc_map_anon(&m, ps, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_UNSAFE_FIXED}),
           MMAPC_EUNSAFE_FLAG);
    REFUSE(
        mmapc_map_anon(&m, ps, MMAPC_PROT_RW,
                       &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = mmapc_ptr(rw)}),
        MMAPC_EEXIST);
    REFUSE(mmapc_reserve_anon(&m, 0, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_map_file(&m, 8 * gran, MMAPC_PROT_READ, file, 1, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_map_file(&m, gran, MMAPC_PROT_READ, file, 8 * gran, NULL), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_map_file(&m, 8 * gran, MMAPC_PROT_READ, file, 0, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_map_file(&m, gran, MMAPC_PROT_READ, -1, 0, NULL), MMAPC_EBADF);
    REFUSE(mmapc_map_file(&m, gran, MMAPC_PROT_RW, ro_file, 0, &shared), MMAPC_EACCES);
    REFUSE(mmapc_reserve_file(&m, 8 * gran, MMAPC_PROT_READ, file, 0, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_flush(rw, 0, mmapc_size(rw) + 1), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_flush(rw, 9, 3), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_flush(reserved, 0, ps), MMAPC_EINVAL_OP);
    REFUSE(mmapc_lock(reserved), MMAPC_EINVAL_OP);
    REFUSE(mmapc_protect(rw, MMAPC_PROT_RWX), MMAPC_EUNSAFE_FLAG);
    REFUSE(mmapc_protect(ro_shared, MMAPC_PROT_RW), MMAPC_EACCES);
    REFUSE(mmapc_protect(reserved, MMAPC_PROT_READ), MMAPC_EINVAL_OP);
    REFUSE(mmapc_split_off(rw, 0, &out), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_split_off(rw, mmapc_size(rw), &out), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_split_to(rw, ps + 1, &out), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_merge(piece_a, rw), MMAPC_ENOT_ADJACENT);
    REFUSE(mmapc_merge(piece_a, piece_b), MMAPC_EATTR_MISMATCH);
    REFUSE(mmapc_merge(ro_shared, other_file), MMAPC_EBACKING_MISMATCH);
    REFUSE(mmapc_commit(rw), MMAPC_EINVAL_OP);
#undef REFUSE
    CHECK(m == NULL && out == NULL);
    return refused;
}

int main(void)
{
    ps = mmapc_page_size();
    gran = mmapc_allocation_granularity();
    char path[TU_PATH_MAX];
    file = tu_temp_file(NULL, 4 * gran, path);
    ro_file = tu_open(path, 0);
    REQUIRE_OK(mmapc_map_anon(&rw, 4 * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_map_file(&ro_shared, gran, MMAPC_PROT_READ, ro_file, 0,
                              &(mmapc_options){.flags = MMAPC_SHARED}));
    REQUIRE_OK(mmapc_map_anon(&piece_a, 2 * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_split_off(piece_a, ps, &piece_b));
    REQUIRE_OK(mmapc_protect(piece_b, MMAPC_PROT_READ));
    REQUIRE_OK(mmapc_reserve_anon(&reserved, 4 * ps, MMAPC_PROT_RW, NULL));
    /* adjacent to ro_shared, same protection, but another file */
    char path2[TU_PATH_MAX];
    mmapc_file f2 = tu_temp_file(NULL, gran, path2);
    int rc = mmapc_map_file(&other_file, gran, MMAPC_PROT_READ, f2, 0,
                            &(mmapc_options){.flags = MMAPC_SHARED | MMAPC_FIXED_NOREPLACE,
                                             .address = (char *)mmapc_ptr(ro_shared) + gran});
    if (rc != 0) { /* the page after it is taken: place both anew */
        mmapc_map *probe = NULL;
        REQUIRE_OK(mmapc_reserve_anon(&probe, 2 * gran, MMAPC_PROT_NONE, NULL));
        char *at = mmapc_ptr(probe);
        mmapc_unmap(probe);
        mmapc_unmap(ro_shared);
        REQUIRE_OK(mmapc_map_file(
            &ro_shared, gran, MMAPC_PROT_READ, ro_file, 0,
            &(mmapc_options){.flags = MMAPC_SHARED | MMAPC_FIXED_NOREPLACE, .address = at}));
        REQUIRE_OK(mmapc_map_file(
            &other_file, gran, MMAPC_PROT_READ, f2, 0,
            &(mmapc_options){.flags = MMAPC_SHARED | MMAPC_FIXED_NOREPLACE, .address = at + gran}));
    }
    memset(mmapc_ptr(rw), 0x3c, 4 * ps);

    bad_calls(); /* once to warm up anything lazily initialised (huge page sizes...) */
    int files = tu_open_files();
    size_t n1 = maps_snapshot(before, sizeof before);
    int refused = bad_calls();
    size_t n2 = maps_snapshot(after, sizeof after);
    CHECK(refused == 26);
    maps_check_same(before, n1, after, n2);
    CHECK(tu_open_files() == files);
    /* and everything still works */
    unsigned char *p = mmapc_ptr(rw);
    CHECK(p[0] == 0x3c && p[4 * ps - 1] == 0x3c);
    CHECK(mmapc_size(rw) == 4 * ps && mmapc_protection(rw) == MMAPC_PROT_RW);
    CHECK(((unsigned char *)mmapc_ptr(ro_shared))[5] == tu_pattern(5));
    CHECK_OK(mmapc_protect(piece_b, MMAPC_PROT_RW));
    CHECK_OK(mmapc_merge(piece_a, piece_b));
    CHECK_OK(mmapc_commit(reserved));
    mmapc_unmap(rw);
    mmapc_unmap(ro_shared);
    mmapc_unmap(other_file);
    mmapc_unmap(piece_a);
    mmapc_unmap(reserved);
    tu_close(f2);
    tu_close(file);
    tu_close(ro_file);
    tu_remove(path);
    tu_remove(path2);
    return check_done();
}
