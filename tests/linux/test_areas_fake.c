// SPDX-License-Identifier: MIT
/*
 * The text path on listings the kernel would not print: a child process in its own mount
 * namespace bind-mounts a file of its making over its /proc/PID/maps. A line that cannot be
 * parsed must reach the caller as MMAPC_EPARSE (never a silent end), a last line without a
 * newline must count, and a line longer than the scan buffer must come through whole.
 * As root it needs nothing more; otherwise the child enters a user namespace of its own to mount
 * (userns.h), and only a kernel that allows none is a skip with the reason.
 */
#include "areas_util.h"
#include "userns.h"

#include <sched.h>
#include <sys/mount.h>

static char fake_path[256];

/* Put text over our own /proc/PID/maps. */
static void fake_maps(const char *text, size_t len)
{
    FILE *f = fopen(fake_path, "w");
    REQUIRE(f != NULL);
    REQUIRE(fwrite(text, 1, len, f) == len && fclose(f) == 0);
    umount2("/proc/self/maps", MNT_DETACH); /* the previous fake, if any */
    REQUIRE(mount(fake_path, "/proc/self/maps", "none", MS_BIND, NULL) == 0);
}

static void test_bad_line(void)
{
    static const char text[] = "10000-11000 r--p 00000000 08:01 12 /bin/one\n"
                               "20000-22000 rw-p 00000000 00:00 0 \n"
                               "30000-31000 rw-x 00000000 00:00 0\n" /* bad share mode */
                               "40000-41000 r--p 00000000 00:00 0 [heap]\n";
    fake_maps(text, sizeof text - 1);
    mmapc_areas *it;
    mmapc_area a;
    REQUIRE_OK(mmapc_areas_open(&it, MMAPC_SELF));
    CHECK(mmapc_areas_next(it, &a) == 1 && a.start == 0x10000 && strcmp(a.path, "/bin/one") == 0);
    CHECK(mmapc_areas_next(it, &a) == 1 && a.start == 0x20000 && a.kind == MMAPC_AREA_ANON);
    CHECK_RC(mmapc_areas_next(it, &a), MMAPC_EPARSE);
    CHECK_RC(mmapc_areas_next(it, &a), MMAPC_EPARSE); /* it stays an error */
    mmapc_areas_close(it);
    /* a range that ends before the bad line: its end is known only from the bad line itself,
     * so that line is still an error, not a quiet end */
    REQUIRE_OK(mmapc_areas_open_range(&it, MMAPC_SELF, 0x10800, 0x20001));
    CHECK(mmapc_areas_next(it, &a) == 1 && a.start == 0x10000);
    CHECK(mmapc_areas_next(it, &a) == 1 && a.start == 0x20000);
    CHECK_RC(mmapc_areas_next(it, &a), MMAPC_EPARSE);
    mmapc_areas_close(it);
    /* a range that ends before a good line stops there */
    REQUIRE_OK(mmapc_areas_open_range(&it, MMAPC_SELF, 0, 0x10001));
    CHECK(mmapc_areas_next(it, &a) == 1 && a.start == 0x10000);
    CHECK(mmapc_areas_next(it, &a) == 0);
    mmapc_areas_close(it);

    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, MMAPC_PROC_TEXT));
    char buf[64];
    CHECK_OK(mmapc_proc_query(p, 0x21fff, &a, buf, sizeof buf));
    CHECK(a.start == 0x20000 && a.end == 0x22000 && a.prot == MMAPC_PROT_RW);
    CHECK_RC(mmapc_proc_query(p, 0x18000, &a, buf, sizeof buf), MMAPC_ENOTFOUND); /* a gap */
    CHECK_RC(mmapc_proc_query(p, 0x40000, &a, buf, sizeof buf), MMAPC_EPARSE);    /* past it */
    mmapc_proc_close(p);
}

static void test_last_line_and_long_path(void)
{
    /* a path of 40,000 bytes, more than the 16 KiB a query scans at a time */
    enum { LONG = 40000 };
    static char text[LONG + 256];
    int n = snprintf(text, sizeof text, "10000-11000 r--p 00000000 08:01 12 /");
    for (int i = 1; i < LONG; i++)
        text[n++] = (char)('a' + i % 26);
    n += snprintf(text + n, sizeof text - (size_t)n,
                  " (deleted)\n20000-21000 r--s 00001000 fff:fffff 99 [anon_shmem:x]");
    fake_maps(text, (size_t)n); /* no newline after the last line */

    mmapc_areas *it;
    mmapc_area a;
    REQUIRE_OK(mmapc_areas_open(&it, MMAPC_SELF));
    CHECK(mmapc_areas_next(it, &a) == 1);
    CHECK(a.path_len == LONG && strlen(a.path) == LONG && a.deleted && a.path[LONG - 1] != ' ');
    CHECK(mmapc_areas_next(it, &a) == 1);
    CHECK(a.kind == MMAPC_AREA_ANON_SHMEM && a.shared && a.dev_major == 0xfff && a.inode == 99);
    CHECK(strcmp(a.path, "[anon_shmem:x]") == 0 && a.offset == 0x1000);
    CHECK(mmapc_areas_next(it, &a) == 0);
    mmapc_areas_close(it);

    static char big[LONG + 1];
    char small[8];
    CHECK_OK(mmapc_area_query(MMAPC_SELF, 0x10000, &a, small, sizeof small));
    CHECK(a.path_len == LONG && strcmp(a.path, "/bcdefg") == 0 && a.deleted);
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, MMAPC_PROC_TEXT));
    CHECK_OK(mmapc_proc_query(p, 0x10fff, &a, big, sizeof big));
    CHECK(a.path == big && strlen(big) == LONG && big[LONG - 1] == 'a' + (LONG - 1) % 26);
    CHECK_OK(mmapc_proc_query(p, 0x20000, &a, big, sizeof big));
    CHECK(a.kind == MMAPC_AREA_ANON_SHMEM);
    CHECK_RC(mmapc_proc_query(p, 0x21000, &a, big, sizeof big), MMAPC_ENOTFOUND);
    mmapc_proc_close(p);
}

static void test_empty(void)
{
    /* what a process without a user address space shows; we run, so it is no area, not an
     * ended process (test_areas_empty.c checks kernel threads and zombies) */
    fake_maps("", 0);
    mmapc_areas *it = NULL;
    mmapc_area a;
    CHECK_OK(mmapc_areas_open(&it, MMAPC_SELF));
    CHECK(it && mmapc_areas_next(it, &a) == 0);
    mmapc_areas_close(it);
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, MMAPC_PROC_TEXT));
    CHECK_RC(mmapc_proc_query(p, 0x10000, &a, NULL, 0), MMAPC_ENOTFOUND);
    mmapc_proc_close(p);
}

int main(void)
{
    if (check_under_emulator()) {
        fprintf(stderr, "skipped: the emulator serves /proc/self/maps itself\n");
        return CHECK_SKIP_CODE;
    }
    const char *dir = getenv("TMPDIR");
    snprintf(fake_path, sizeof fake_path, "%s/mmapc-fake-maps-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(fake_path);
    REQUIRE(fd >= 0);
    close(fd);
    fflush(NULL);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (userns_enter() != 0 || unshare(CLONE_NEWNS) != 0 ||
            mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
            mount(fake_path, "/proc/self/maps", "none", MS_BIND, NULL) != 0) {
            fprintf(stderr,
                    "skipped: cannot bind a file over /proc/self/maps (%s): needs root, or user "
                    "namespaces\n",
                    strerror(errno));
            _exit(CHECK_SKIP_CODE);
        }
        test_bad_line();
        test_last_line_and_long_path();
        test_empty();
        int rc = check_done();
        fflush(NULL);
        _exit(rc);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    unlink(fake_path);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    fprintf(stderr, "child ended with status 0x%x\n", status);
    return 1;
}
