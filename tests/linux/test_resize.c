// SPDX-License-Identifier: MIT
/* Linux: mmapc_resize() grows in place with mremap when the room after a mapping is free and
 * refuses (or moves, when allowed) when it is not; every refusal leaves /proc/self/maps byte for
 * byte as it was; a full disk (a 1 MiB tmpfs in a mount namespace of our own) is MMAPC_ENOSPC,
 * never a signal, the file unchanged; unaligned offsets past 4 GiB reach the right bytes. */
#include "maps_snapshot.h"
#include "mountns.h"
#include "testutil.h"

#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

static size_t ps;
static char before[1 << 16], after[1 << 16];

/* Growing in place needs free room after the mapping: a page of room, then a blocker. */
static void in_place_or_refused(void)
{
    unsigned char *area = mmap(NULL, 4 * ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(area != MAP_FAILED);
    REQUIRE(munmap(area, 2 * ps) == 0); /* [area, +2 pages) free, then 2 pages of blocker */
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, ps, MMAPC_PROT_RW,
                              &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = area}));
    memset(area, 0x5a, ps);
    CHECK_OK(mmapc_resize(m, 2 * ps, 0));
    CHECK(mmapc_ptr(m) == area && mmapc_size(m) == 2 * ps && area[ps - 1] == 0x5a);
    CHECK(area[2 * ps - 1] == 0);

    size_t n1 = maps_snapshot(before, sizeof before);
    int calls = 0, refused = 0;
    int rc = mmapc_resize(m, 3 * ps, 0);
    calls++;
    refused += rc == MMAPC_EEXIST || rc == MMAPC_ENOMEM;
    CHECK_REFUSED(&calls, &refused, mmapc_resize(m, 0, 0), MMAPC_EINVAL_SIZE);
    CHECK_REFUSED(&calls, &refused, mmapc_resize(m, SIZE_MAX - ps, MMAPC_RESIZE_MAY_MOVE),
                  MMAPC_EINVAL_SIZE);
    CHECK_REFUSED(&calls, &refused, mmapc_resize(m, 3 * ps, 8), MMAPC_EINVAL_ARG);
    size_t n2 = maps_snapshot(after, sizeof after);
    CHECK(refused == calls);
    maps_check_same(before, n1, after, n2);
    CHECK(mmapc_ptr(m) == area && mmapc_size(m) == 2 * ps);

    /* allowed to move: mremap takes the pages along */
    CHECK_OK(mmapc_resize(m, 64 * ps, MMAPC_RESIZE_MAY_MOVE));
    unsigned char *p = mmapc_ptr(m);
    CHECK(p != area && p[0] == 0x5a && p[ps - 1] == 0x5a && p[64 * ps - 1] == 0);
    mmapc_unmap(m);
    munmap(area + 2 * ps, 2 * ps);
}

/* Refused resizes of every kind change no memory area. */
static void refusals_unchanged(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 3 * ps, path);
    mmapc_map *full = NULL, *priv = NULL, *ro = NULL, *plain = NULL, *piece = NULL, *res = NULL;
    const mmapc_options shared = {.flags = MMAPC_SHARED};
    REQUIRE_OK(mmapc_map_anon_growable(&full, 2 * ps, 2 * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_map_file_growable(&priv, MMAPC_TO_END, 0, MMAPC_PROT_RW, f, 1, NULL));
    REQUIRE_OK(mmapc_map_file_growable(&ro, 5, 0, MMAPC_PROT_READ, f, ps + 7, &shared));
    REQUIRE_OK(mmapc_map_file(&plain, ps, MMAPC_PROT_RW, f, 0, &shared));
    REQUIRE_OK(mmapc_map_anon(&piece, 2 * ps, MMAPC_PROT_RW, NULL));
    mmapc_map *back = NULL;
    REQUIRE_OK(mmapc_split_off(piece, ps, &back));
    REQUIRE_OK(mmapc_reserve_anon(&res, ps, MMAPC_PROT_RW, NULL));
    /* a blocker right after the full one, so that it cannot grow without moving */
    unsigned char *end = (unsigned char *)mmapc_ptr(full) + 2 * ps;
    void *blocker =
        mmap(end, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    int blocked = blocker == end;

    size_t n1 = maps_snapshot(before, sizeof before);
    int calls = 0, refused = 0;
    if (blocked)
        CHECK_REFUSED(&calls, &refused, mmapc_resize(full, 3 * ps, 0), MMAPC_EEXIST);
    CHECK_REFUSED(&calls, &refused, mmapc_resize(priv, 3 * ps, MMAPC_RESIZE_MAY_MOVE),
                  MMAPC_EINVAL_SIZE);
    CHECK_REFUSED(&calls, &refused, mmapc_resize(ro, 2 * ps, MMAPC_RESIZE_MAY_MOVE),
                  MMAPC_EINVAL_SIZE);
    CHECK_REFUSED(&calls, &refused, mmapc_resize(plain, 2 * ps, MMAPC_RESIZE_MAY_MOVE),
                  MMAPC_EINVAL_OP);
    CHECK_REFUSED(&calls, &refused, mmapc_resize(piece, 4 * ps, MMAPC_RESIZE_MAY_MOVE),
                  MMAPC_EINVAL_OP);
    CHECK_REFUSED(&calls, &refused, mmapc_resize(back, ps / 2, 0), MMAPC_EINVAL_OP);
    CHECK_REFUSED(&calls, &refused, mmapc_resize(res, 2 * ps, MMAPC_RESIZE_MAY_MOVE),
                  MMAPC_EINVAL_OP);
    size_t n2 = maps_snapshot(after, sizeof after);
    CHECK(refused == calls);
    maps_check_same(before, n1, after, n2);
    CHECK(tu_file_size(path) == 3 * ps);
    if (blocked)
        munmap(blocker, ps);
    mmapc_unmap(full);
    mmapc_unmap(priv);
    mmapc_unmap(ro);
    mmapc_unmap(plain);
    mmapc_unmap(piece);
    mmapc_unmap(back);
    mmapc_unmap(res);
    tu_close(f);
    tu_remove(path);
}

/* In the child: a 1 MiB tmpfs; growing a file mapping past it is MMAPC_ENOSPC. */
static int full_disk(void)
{
    char dir[] = "/tmp/mmapc-enospc-XXXXXX";
    if (!mkdtemp(dir) || mns_enter() != 0 || mount("tmpfs", dir, "tmpfs", 0, "size=1m") != 0) {
        fprintf(stderr, "skipped: no private mount namespace with a tmpfs here (not root?)\n");
        return CHECK_SKIP_CODE;
    }
    char path[sizeof dir + 8];
    snprintf(path, sizeof path, "%s/file", dir);
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(pwrite(fd, "head", 4, 0) == 4);
    const mmapc_options shared = {.flags = MMAPC_SHARED};
    for (int ahead = 0; ahead < 2; ahead++) {
        mmapc_map *m = NULL;
        REQUIRE_OK(mmapc_map_file_growable(&m, MMAPC_TO_END, ahead ? 4 << 20 : 0, MMAPC_PROT_RW, fd,
                                           0, &shared));
        unsigned char *p = mmapc_ptr(m);
        size_t n1 = maps_snapshot(before, sizeof before);
        CHECK_RC(mmapc_resize(m, 2 << 20, MMAPC_RESIZE_MAY_MOVE), MMAPC_ENOSPC);
        size_t n2 = maps_snapshot(after, sizeof after);
        maps_check_same(before, n1, after, n2);
        struct stat st;
        CHECK(fstat(fd, &st) == 0 && st.st_size == 4 && st.st_blocks <= 8);
        CHECK(mmapc_ptr(m) == p && mmapc_size(m) == 4 && memcmp(p, "head", 4) == 0);
        /* what fits, grows, and is there to write */
        CHECK_OK(mmapc_resize(m, 256 << 10, MMAPC_RESIZE_MAY_MOVE));
        CHECK(fstat(fd, &st) == 0 && st.st_size == 256 << 10);
        p = mmapc_ptr(m);
        memset(p + 4, 1, (256 << 10) - 4);
        CHECK(memcmp(p, "head", 4) == 0);
        mmapc_unmap(m);
        REQUIRE(ftruncate(fd, 4) == 0);
    }
    close(fd);
    umount2(dir, MNT_DETACH);
    rmdir(dir);
    return check_done();
}

static void full_disk_in_child(void)
{
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        _exit(full_disk());
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(!WIFSIGNALED(status)); /* never a SIGBUS */
    if (WIFEXITED(status) && WEXITSTATUS(status) == CHECK_SKIP_CODE)
        CHECK_SKIP("full disk: no private mount namespace");
    else
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Unaligned offsets past 4 GiB (32-bit programs too). */
static void far_offsets(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 0, path);
    const uint64_t far = ((uint64_t)5 << 30) + 1;
    if (ftruncate(f, (off_t)(far + 2 * ps)) != 0) {
        CHECK_SKIP("the file system cannot hold a sparse 5 GiB file");
        tu_close(f);
        tu_remove(path);
        return;
    }
    REQUIRE(pwrite(f, "far!", 4, (off_t)far) == 4);
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, far, NULL));
    CHECK(mmapc_size(m) == 2 * ps && mmapc_file_offset(m) == far);
    if (check_under_emulator() && sizeof(long) == 4)
        CHECK_SKIP("qemu-user 7.2 cuts a 32-bit guest's mmap2 offset to 32 bits");
    else
        CHECK(memcmp(mmapc_ptr(m), "far!", 4) == 0);
    mmapc_unmap(m);
    REQUIRE_OK(mmapc_map_file(&m, 3, MMAPC_PROT_READ, f, far + 1, NULL));
    if (!(check_under_emulator() && sizeof(long) == 4))
        CHECK(memcmp(mmapc_ptr(m), "ar!", 3) == 0);
    mmapc_unmap(m);
    CHECK_RC(mmapc_map_file_whole(&m, MMAPC_PROT_READ, f, far + 2 * ps + 1, NULL),
             MMAPC_EINVAL_OFFSET);
    tu_close(f);
    tu_remove(path);
}

int main(void)
{
    ps = mmapc_page_size();
    in_place_or_refused();
    refusals_unchanged();
    full_disk_in_child();
    far_offsets();
    return check_done();
}
