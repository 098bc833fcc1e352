// SPDX-License-Identifier: MIT
/*
 * A direct query first asks the kernel for the name into a short buffer and asks again with room
 * for any name when the kernel refuses that one (ENAMETOOLONG). Files whose paths are longer than
 * that first buffer, up to nearly PATH_MAX, live and deleted, come back whole through a process
 * handle, a one-shot query and iteration, and truncated to fit a short caller buffer; an area
 * in a gap still leaves the caller's buffer alone.
 */
#include "areas_util.h"

#include <limits.h>
#include <sys/stat.h>

#define DEEP_MAX 4000 /* the longest path made here, under PATH_MAX with its NUL */

static char top[256];
static char made[64][DEEP_MAX + 1]; /* directories made, to remove in reverse */
static int nmade;

/* A directory under top whose path is about len bytes long (components of up to 200 bytes). */
static void make_deep(char *path, size_t len)
{
    snprintf(path, DEEP_MAX + 1, "%s", top);
    while (strlen(path) + 40 < len) {
        size_t n = strlen(path), add = len - 40 - n;
        if (add > 201)
            add = 201;
        path[n] = '/';
        memset(path + n + 1, 'd', add - 1);
        path[n + add] = '\0';
        if (mkdir(path, 0700) == 0) {
            REQUIRE(nmade < 64);
            snprintf(made[nmade++], DEEP_MAX + 1, "%s", path);
        } else {
            REQUIRE(errno == EEXIST);
        }
    }
}

/* Map the one page of a new one-byte file whose path is about len bytes long (into path). */
static char *map_long(size_t len, const char *tail, char *path)
{
    make_deep(path, len);
    size_t n = strlen(path);
    snprintf(path + n, DEEP_MAX + 1 - n, "/%s", tail);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0 && write(fd, "x", 1) == 1);
    char *p = mmap(NULL, 1, PROT_READ, MAP_SHARED, fd, 0); /* one page */
    close(fd);
    REQUIRE(p != MAP_FAILED);
    return p;
}

static char buf[PATH_MAX + 16];

/* The area at p through every way of asking: whole path, file kind, deletion mark. */
static void expect(mmapc_proc *proc, const char *p, const char *path, int deleted)
{
    size_t len = strlen(path);
    mmapc_area a;
    uint64_t addr = (uint64_t)(uintptr_t)p;

    memset(buf, 'x', sizeof buf);
    CHECK_OK(mmapc_proc_query(proc, addr + 5, &a, buf, sizeof buf));
    CHECK(a.start == addr && a.kind == MMAPC_AREA_FILE && (int)a.deleted == deleted);
    CHECK(a.path_len == len && a.path == buf && strcmp(buf, path) == 0);

    memset(buf, 'x', sizeof buf);
    CHECK_OK(mmapc_area_query(MMAPC_SELF, addr, &a, buf, sizeof buf));
    CHECK(a.path_len == len && strcmp(buf, path) == 0 && (int)a.deleted == deleted);

    /* a short caller buffer: the start of the path, NUL-terminated, path_len still whole */
    char small[17];
    CHECK_OK(mmapc_proc_query(proc, addr, &a, small, sizeof small));
    CHECK(a.path_len == len && strlen(small) == 16 && memcmp(small, path, 16) == 0);

    /* no buffer: the kind and the length are still known */
    CHECK_OK(mmapc_proc_query(proc, addr, &a, NULL, 0));
    CHECK(a.path_len == len && a.kind == MMAPC_AREA_FILE && strcmp(a.path, "") == 0);

    mmapc_areas *it;
    CHECK_OK(mmapc_proc_areas(&it, proc, addr, addr + 1));
    int rc = mmapc_areas_next(it, &a);
    CHECK(rc == 1);
    if (rc == 1)
        CHECK(a.start == addr && a.path_len == len && strcmp(a.path, path) == 0 &&
              (int)a.deleted == deleted);
    mmapc_areas_close(it);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(top, sizeof top, "%s/mmapc-long-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    REQUIRE(mkdtemp(top) != NULL);

    mmapc_proc *proc;
    REQUIRE_OK(mmapc_proc_open(&proc, MMAPC_SELF, 0));
    /* direct where the kernel has PROCMAP_QUERY (Linux 6.11+), else the text: the same answers */

    static char p300[DEEP_MAX + 1], p1000[DEEP_MAX + 1], p4000[DEEP_MAX + 1], gone[DEEP_MAX + 1];
    char *m300 = map_long(300, "three hundred", p300);
    char *m1000 = map_long(1000, "a thousand", p1000);
    char *m4000 = map_long(DEEP_MAX, "nearly PATH_MAX", p4000);
    char *mgone = map_long(1000, "gone", gone);
    CHECK(strlen(p300) > 256 && strlen(p4000) > 3900);
    REQUIRE(unlink(gone) == 0);

    expect(proc, m300, p300, 0);
    expect(proc, m1000, p1000, 0);
    expect(proc, m4000, p4000, 0);
    expect(proc, mgone, gone, 1);

    /* a gap just below a long-named area: not found, and the caller's buffer untouched */
    long page = sysconf(_SC_PAGESIZE);
    char *hole = mmap(NULL, (size_t)page * 3, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(hole != MAP_FAILED);
    REQUIRE(munmap(hole, (size_t)page * 3) == 0);
    int fd = open(p1000, O_RDWR | O_CLOEXEC);
    REQUIRE(fd >= 0);
    char *above =
        mmap(hole + 2 * page, (size_t)page, PROT_READ, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    close(fd);
    if (above == hole + 2 * page) {
        mmapc_area a;
        memset(buf, 'x', sizeof buf);
        CHECK_RC(mmapc_proc_query(proc, (uint64_t)(uintptr_t)(hole + page), &a, buf, sizeof buf),
                 MMAPC_ENOTFOUND);
        CHECK(buf[0] == 'x' && buf[sizeof buf - 1] == 'x');
        munmap(above, (size_t)page);
    } else if (above != MAP_FAILED) {
        munmap(above, (size_t)page); /* the hint was taken elsewhere: no gap to test here */
    }

    mmapc_proc_close(proc);
    char *maps[] = {m300, m1000, m4000, mgone};
    const char *live[] = {p300, p1000, p4000};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
        munmap(maps[i], (size_t)page);
    for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
        unlink(live[i]);
    while (nmade > 0)
        REQUIRE(rmdir(made[--nmade]) == 0);
    REQUIRE(rmdir(top) == 0);
    return check_done();
}
