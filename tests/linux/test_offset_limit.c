// SPDX-License-Identifier: MIT
/*
 * The largest file offset a mapping can reach is checked up front: one page beyond it is
 * MMAPC_EINVAL_OFFSET from map and reserve alike, never MMAPC_EOS from the C library. A 32-bit
 * program reaches 2^44 bytes (mmap2 counts the offset in 4096-byte units in a 32-bit word, and
 * glibc's and musl's mmap64 refuse more); a 64-bit one reaches 2^63 - 1 (off_t). Pages below
 * the limit map.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>

/* The first page-aligned offset whose page the platform cannot map. */
static uint64_t beyond(void)
{
    return sizeof(void *) == 4 ? (uint64_t)1 << 44 : ((uint64_t)1 << 63) - 4096;
}

/* Map (and reserve, then commit) one page of f at offset; both give want. */
static void check_at(mmapc_file f, uint64_t offset, int want, const char *what)
{
    size_t page = mmapc_page_size();
    mmapc_map *m = NULL;
    int rc = mmapc_map_file(&m, page, MMAPC_PROT_READ, f, offset, NULL);
    if (rc != want)
        fprintf(stderr, "%s: map at %#llx: %s (os error %d), expected %s\n", what,
                (unsigned long long)offset, mmapc_err_name(rc), mmapc_last_os_error(),
                mmapc_err_name(want));
    CHECK(rc == want);
    if (rc == 0) {
        CHECK(((volatile unsigned char *)mmapc_ptr(m))[0] == 0);
        mmapc_unmap(m);
    }
    m = NULL;
    rc = mmapc_reserve_file(&m, page, MMAPC_PROT_READ, f, offset, NULL);
    if (rc == 0) {
        rc = mmapc_commit(m);
        mmapc_unmap(m);
    }
    if (rc != want)
        fprintf(stderr, "%s: reserve and commit at %#llx: %s (os error %d), expected %s\n", what,
                (unsigned long long)offset, mmapc_err_name(rc), mmapc_last_os_error(),
                mmapc_err_name(want));
    CHECK(rc == want);
}

int main(void)
{
    size_t page = mmapc_page_size();
    uint64_t end = beyond();
    int files = tu_open_files();

    /* a device has no size to check against: only the limit stands */
    int zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    REQUIRE(zero >= 0);
    check_at(zero, end - 2 * 4096, 0, "/dev/zero, a page below the limit");
    check_at(zero, end, MMAPC_EINVAL_OFFSET, "/dev/zero, one page beyond");
    check_at(zero, (uint64_t)1 << 44, sizeof(void *) == 4 ? MMAPC_EINVAL_OFFSET : 0,
             "/dev/zero, 2^44");
    check_at(zero, (uint64_t)1 << 62, sizeof(void *) == 4 ? MMAPC_EINVAL_OFFSET : 0,
             "/dev/zero, 2^62");
    check_at(zero, (uint64_t)1 << 63, MMAPC_EINVAL_OFFSET, "/dev/zero, 2^63");
    close(zero);

    /* a sparse file that reaches past the limit where off_t can say so (tmpfs holds one up to
     * 2^63 - 1 bytes) */
    uint64_t size = sizeof(void *) == 4 ? end + 2 * page : end;
    char path[TU_PATH_MAX];
    snprintf(path, sizeof path, "/dev/shm/mmapc-offset-XXXXXX");
    int f = mkstemp(path);
    if (f >= 0 && ftruncate(f, (off_t)size) == 0) {
        check_at(f, end - 2 * 4096, 0, "sparse file, a page below the limit");
        check_at(f, end, MMAPC_EINVAL_OFFSET, "sparse file, one page beyond");
    } else {
        fprintf(stderr, "no sparse file of %#llx bytes in /dev/shm: %s\n", (unsigned long long)size,
                strerror(errno));
        CHECK(0);
    }
    if (f >= 0) {
        close(f);
        unlink(path);
    }
    CHECK(tu_open_files() == files);
    return check_done();
}
