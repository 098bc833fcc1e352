// SPDX-License-Identifier: MIT
/* Write tracking on this kernel: the backend chosen is uffd-wp exactly where the kernel has
 * asynchronous userfaultfd write protection and PAGEMAP_SCAN (Linux 6.7+), the mprotect one
 * elsewhere (Debian's 6.1), and MMAPC_TRACK_KERNEL_ONLY fails there; each kind of memory
 * (private, shared anonymous, a memory object, a file) is tracked right by whichever backend
 * takes it; with no descriptor left (RLIMIT_NOFILE) the start falls back or fails cleanly,
 * leaving no descriptor open. */
#include "check.h"
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static size_t page;

/* 1 when the kernel gives asynchronous write protection and PAGEMAP_SCAN, asked raw. */
static int kernel_has_wp_scan(void)
{
    int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | 1 /* user mode only */);
    if (fd < 0)
        return 0;
    /* struct uffdio_api (api, features, ioctls) and UFFDIO_API, as the kernel has them */
    uint64_t api[3] = {0xAA, 1u << 15 /* WP_ASYNC */, 0};
    unsigned long request = _IOWR(0xAA, 0x3F, uint64_t[3]); /* glibc: unsigned long; musl: int */
    int ok = ioctl(fd, request, api) == 0;
    close(fd);
    if (!ok)
        return 0;
    uint64_t arg[12] = {0}, vec[3];
    static char here[1];
    arg[0] = sizeof arg;
    arg[2] = (uint64_t)(uintptr_t)here & ~(uint64_t)(page - 1);
    arg[3] = arg[2] + page;
    arg[5] = (uint64_t)(uintptr_t)vec;
    arg[6] = 1;
    arg[11] = 1u << 3; /* return PAGE_IS_PRESENT */
    int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (pm < 0)
        return 0;
    request = _IOWR('f', 16, uint64_t[12]);
    ok = ioctl(pm, request, arg) >= 0;
    close(pm);
    return ok;
}

static int open_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 1024; fd++)
        n += fcntl(fd, F_GETFD) != -1;
    return n;
}

/* Write pages 1 and 3 of m, report: exactly those; again: none. */
static void check_tracks(mmapc_map *m, const char *what)
{
    unsigned char *p = mmapc_ptr(m);
    unsigned char bits[1];
    size_t count = 0;
    CHECK_OK(mmapc_track_bitmap(m, 0, 4 * page, bits, &count));
    if (count != 0)
        fprintf(stderr, "%s: %zu pages written before any write (bits %#x)\n", what, count,
                bits[0]);
    CHECK(count == 0);
    p[page] = 1;
    p[3 * page + 5] = 2;
    CHECK_OK(mmapc_track_bitmap(m, 0, 4 * page, bits, &count));
    CHECK(count == 2 && bits[0] == 0x0a);
    CHECK_OK(mmapc_track_bitmap(m, 0, 4 * page, bits, &count));
    CHECK(count == 0);
    printf("%s: backend %d\n", what, (int)mmapc_track_backend(m));
}

int main(void)
{
    if (check_track_under_valgrind())
        return check_done();
    page = mmapc_page_size();
    int has = kernel_has_wp_scan();
    printf("kernel: uffd-wp async and PAGEMAP_SCAN %s\n", has ? "yes" : "no");
    mmapc_map *m;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, NULL));
    CHECK_OK(mmapc_track_start(m, 0));
    if (check_under_emulator()) /* the library's own probe decides there */
        CHECK(mmapc_track_backend(m) != MMAPC_TRACKER_NONE);
    else
        CHECK(mmapc_track_backend(m) == (has ? MMAPC_TRACKER_UFFD_WP : MMAPC_TRACKER_MPROTECT));
    check_tracks(m, "private");
    mmapc_unmap(m);
    REQUIRE_OK(mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, NULL));
    int rc = mmapc_track_start(m, MMAPC_TRACK_KERNEL_ONLY);
    if (!check_under_emulator())
        CHECK_RC(rc, has ? MMAPC_OK : MMAPC_EUNSUPPORTED);
    if (rc == 0)
        CHECK(mmapc_track_backend(m) == MMAPC_TRACKER_UFFD_WP);
    mmapc_unmap(m);

    /* shared anonymous memory, a memory object, a file: whichever backend takes them */
    REQUIRE_OK(
        mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_SHARED}));
    REQUIRE_OK(mmapc_track_start(m, 0));
    check_tracks(m, "shared anonymous");
    mmapc_unmap(m);
    mmapc_shm *shm;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, 4 * page, NULL));
    REQUIRE_OK(mmapc_shm_map(&m, shm, 0, 4 * page, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_track_start(m, 0));
    check_tracks(m, "memory object");
    mmapc_unmap(m);
    mmapc_shm_close(shm);
    char path[] = "/tmp/mmapc_track_XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    unlink(path);
    REQUIRE(ftruncate(fd, (off_t)(4 * page)) == 0);
    REQUIRE_OK(mmapc_map_file(&m, 4 * page, MMAPC_PROT_RW, fd, 0,
                              &(mmapc_options){.flags = MMAPC_SHARED}));
    REQUIRE_OK(mmapc_track_start(m, 0));
    check_tracks(m, "file");
    mmapc_unmap(m);
    close(fd);

    /* no descriptor left: the fallback without a flag; a clean refusal with the kernel only */
    int before = open_fds();
    struct rlimit old, low;
    REQUIRE(getrlimit(RLIMIT_NOFILE, &old) == 0);
    int first_free = 0; /* a new descriptor takes the lowest free number: none below the limit */
    while (fcntl(first_free, F_GETFD) != -1)
        first_free++;
    low = old;
    low.rlim_cur = (rlim_t)first_free;
    REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
    REQUIRE_OK(mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, NULL));
    rc = mmapc_track_start(m, MMAPC_TRACK_KERNEL_ONLY);
    CHECK(rc == MMAPC_ELIMIT || (!has && rc == MMAPC_EUNSUPPORTED) ||
          (check_under_emulator() && rc == MMAPC_EUNSUPPORTED));
    CHECK(mmapc_track_backend(m) == MMAPC_TRACKER_NONE);
    CHECK_OK(mmapc_track_start(m, 0));
    CHECK(mmapc_track_backend(m) == MMAPC_TRACKER_MPROTECT);
    check_tracks(m, "no descriptor left");
    REQUIRE(setrlimit(RLIMIT_NOFILE, &old) == 0);
    mmapc_unmap(m);
    CHECK(open_fds() == before);
    return check_done();
}
