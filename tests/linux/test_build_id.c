// SPDX-License-Identifier: MIT
/*
 * Build IDs of areas equal what `readelf -n` prints for the file, by both ways: PROCMAP_QUERY
 * and the ELF note read from the file (a handle opened with MMAPC_PROC_TEXT), for libc, this
 * program (linked with a build ID), a library with one and a library without (none reported);
 * in this process and in a child. A deleted library and one whose path now leads to another file
 * are read through /proc/<pid>/map_files. Areas without a file have none; an unmapped address is
 * MMAPC_ENOTFOUND.
 */
#include "check.h"
#include "kernel_probe.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>

#ifndef BID_YES
#error "BID_YES: the path of the library built with a build ID"
#endif

/* The build ID readelf prints for path, into hex ("" for none). */
static void readelf_id(const char *path, char *hex, size_t cap)
{
    char cmd[PATH_MAX + 64], line[512];
    snprintf(cmd, sizeof cmd, "readelf -n '%s' 2>/dev/null", path);
    FILE *f = popen(cmd, "r");
    REQUIRE(f);
    hex[0] = '\0';
    while (fgets(line, sizeof line, f)) {
        const char *b = strstr(line, "Build ID: ");
        if (b && !hex[0]) {
            snprintf(hex, cap, "%s", b + 10);
            hex[strcspn(hex, " \r\n")] = '\0';
        }
    }
    int st = pclose(f);
    REQUIRE(st == 0); /* readelf ran and read the file */
}

static void hex_of(mmapc_proc *p, uint64_t addr, char *hex)
{
    mmapc_build_id id;
    int rc = mmapc_proc_build_id(p, addr, &id);
    CHECK_OK(rc);
    if (rc) {
        hex[0] = '?';
        hex[1] = '\0';
        return;
    }
    REQUIRE_OK(mmapc_build_id_hex(&id, hex, MMAPC_BUILD_ID_HEX_SIZE));
}

struct wanted {
    const char *path; /* as the area names it */
    char hex[MMAPC_BUILD_ID_HEX_SIZE];
    int seen;
};

/*
 * Every area of pid by both handles: the same ID both ways, and for the wanted files readelf's.
 * Returns the number of areas.
 */
static int compare_areas(int pid, struct wanted *w, size_t nw)
{
    mmapc_proc *direct, *text;
    REQUIRE_OK(mmapc_proc_open(&direct, pid, 0));
    REQUIRE_OK(mmapc_proc_open(&text, pid, MMAPC_PROC_TEXT));
    mmapc_areas *it;
    REQUIRE_OK(mmapc_proc_areas(&it, direct, 0, UINT64_MAX));
    mmapc_area a;
    int n = 0, rc;
    while ((rc = mmapc_areas_next(it, &a)) == 1) {
        char h1[MMAPC_BUILD_ID_HEX_SIZE], h2[MMAPC_BUILD_ID_HEX_SIZE];
        hex_of(direct, a.start, h1);
        hex_of(text, a.end - 1, h2);
        if (strcmp(h1, h2) != 0)
            fprintf(stderr, "%s: %s by the ioctl, %s from the file\n", a.path, h1, h2);
        CHECK(strcmp(h1, h2) == 0);
        if (a.kind != MMAPC_AREA_FILE)
            CHECK(h1[0] == '\0' || a.kind == MMAPC_AREA_ANON_SHMEM);
        for (size_t i = 0; i < nw; i++)
            if (a.kind == MMAPC_AREA_FILE && strcmp(a.path, w[i].path) == 0) {
                w[i].seen++;
                if (strcmp(h1, w[i].hex) != 0)
                    fprintf(stderr, "%s: %s, readelf says '%s'\n", a.path, h1, w[i].hex);
                CHECK(strcmp(h1, w[i].hex) == 0);
            }
        n++;
    }
    CHECK(rc == 0);
    mmapc_areas_close(it);
    mmapc_proc_close(text);
    mmapc_proc_close(direct);
    return n;
}

/* The path of the C library this program runs with, as its area names it. */
static void libc_path(char *out, size_t cap)
{
    mmapc_area a;
    REQUIRE_OK(mmapc_area_query(MMAPC_SELF, (uintptr_t)&printf, &a, out, cap));
    REQUIRE(a.kind == MMAPC_AREA_FILE && a.path_len < cap);
}

static void copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    REQUIRE(in >= 0 && out >= 0);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        REQUIRE(write(out, buf, (size_t)n) == n);
    REQUIRE(n == 0);
    close(in);
    close(out);
}

static void test_self_and_child(void)
{
    static char libc[PATH_MAX], exe[PATH_MAX], yes[PATH_MAX], no[PATH_MAX];
    libc_path(libc, sizeof libc);
    REQUIRE(realpath("/proc/self/exe", exe));
    REQUIRE(realpath(BID_YES, yes));
    REQUIRE(realpath(BID_NONE, no));
    void *hy = dlopen(yes, RTLD_NOW), *hn = dlopen(no, RTLD_NOW);
    REQUIRE(hy && hn);
    struct wanted w[4] = {{libc}, {exe}, {yes}, {no}};
    for (size_t i = 0; i < 4; i++)
        readelf_id(w[i].path, w[i].hex, sizeof w[i].hex);
    CHECK(w[0].hex[0] && w[1].hex[0] && w[2].hex[0]); /* these have one */
    CHECK(w[3].hex[0] == '\0');                       /* built with --build-id=none */
    CHECK(compare_areas(MMAPC_SELF, w, 4) > 0);
    for (size_t i = 0; i < 4; i++)
        CHECK(w[i].seen > 0);

    /* a child (forked: the same files), holding still */
    int go[2];
    REQUIRE(pipe(go) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        char c;
        close(go[1]);
        _exit(read(go[0], &c, 1) == 0 ? 0 : 1);
    }
    close(go[0]);
    for (size_t i = 0; i < 4; i++)
        w[i].seen = 0;
    CHECK(compare_areas(child, w, 4) > 0);
    for (size_t i = 0; i < 4; i++)
        CHECK(w[i].seen > 0);
    close(go[1]);
    int status;
    REQUIRE(waitpid(child, &status, 0) == child);
    dlclose(hy);
    dlclose(hn);
}

/* A library deleted after loading, and one whose path now names another file: the build ID
 * still comes from the area's own file, through map_files, on the text path too. */
static void test_gone(void)
{
    static char yes[PATH_MAX], gone[PATH_MAX + 16], moved[PATH_MAX + 16], other[PATH_MAX + 16];
    REQUIRE(realpath(BID_YES, yes));
    char want[MMAPC_BUILD_ID_HEX_SIZE];
    readelf_id(yes, want, sizeof want);
    snprintf(gone, sizeof gone, "%s.gone", yes);
    snprintf(moved, sizeof moved, "%s.moved", yes);
    snprintf(other, sizeof other, "%s.other", yes);
    copy_file(yes, gone);
    copy_file(yes, moved);
    copy_file(BID_NONE, other);
    void *hg = dlopen(gone, RTLD_NOW | RTLD_LOCAL);
    void *hm = dlopen(moved, RTLD_NOW | RTLD_LOCAL);
    REQUIRE(hg && hm);
    uint64_t at_gone = (uintptr_t)dlsym(hg, "mmapc_test_build_id_lib");
    uint64_t at_moved = (uintptr_t)dlsym(hm, "mmapc_test_build_id_lib");
    REQUIRE(at_gone && at_moved);
    REQUIRE(unlink(gone) == 0);
    REQUIRE(rename(other, moved) == 0); /* the path now leads to a file without a build ID */

    mmapc_proc *text, *direct;
    REQUIRE_OK(mmapc_proc_open(&text, MMAPC_SELF, MMAPC_PROC_TEXT));
    REQUIRE_OK(mmapc_proc_open(&direct, MMAPC_SELF, 0));
    mmapc_area a;
    REQUIRE_OK(mmapc_proc_query(text, at_gone, &a, NULL, 0));
    CHECK(a.deleted);
    char h[MMAPC_BUILD_ID_HEX_SIZE];
    hex_of(text, at_gone, h);
    CHECK(strcmp(h, want) == 0);
    hex_of(direct, at_gone, h);
    CHECK(strcmp(h, want) == 0);
    hex_of(text, at_moved, h);
    CHECK(strcmp(h, want) == 0);
    hex_of(direct, at_moved, h);
    CHECK(strcmp(h, want) == 0);
    mmapc_proc_close(text);
    mmapc_proc_close(direct);
    dlclose(hg);
    dlclose(hm);
    unlink(moved);
}

/* Areas without a build ID, and an address with no area. */
static void test_none(void)
{
    size_t page = mmapc_page_size();
    /* a file that is not ELF */
    char path[] = "mmapc-build-id-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, "\177ELF but not really, just text", 30) == 30);
    void *f = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
    REQUIRE(f != MAP_FAILED);
    /* made after the file's mapping, which would otherwise take the hole */
    unsigned char *m =
        mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(m != MAP_FAILED);
    REQUIRE(munmap(m + page, page) == 0);
    unsigned flags[2] = {0, MMAPC_PROC_TEXT};
    for (int i = 0; i < 2; i++) {
        mmapc_proc *p;
        REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, flags[i]));
        mmapc_build_id id;
        memset(&id, 0x11, sizeof id);
        CHECK_OK(mmapc_proc_build_id(p, (uintptr_t)m, &id));
        CHECK(id.size == 0 && id.bytes[0] == 0);
        CHECK_OK(mmapc_proc_build_id(p, (uintptr_t)&id, &id)); /* the stack */
        CHECK(id.size == 0);
        CHECK_OK(mmapc_proc_build_id(p, (uintptr_t)f, &id));
        CHECK(id.size == 0);
        mmapc_build_id untouched = id;
        CHECK_RC(mmapc_proc_build_id(p, (uintptr_t)m + page, &id), MMAPC_ENOTFOUND);
        CHECK(memcmp(&id, &untouched, sizeof id) == 0);
        CHECK_RC(mmapc_proc_build_id(p, (uintptr_t)m, NULL), MMAPC_EINVAL_ARG);
        CHECK_RC(mmapc_proc_build_id(NULL, (uintptr_t)m, &id), MMAPC_EINVAL_ARG);
        mmapc_proc_close(p);
    }
    munmap(f, page);
    close(fd);
    unlink(path);
    munmap(m, 3 * page);
}

int main(void)
{
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, 0));
    /* the kernel's own answer where it has PROCMAP_QUERY; without it (an emulator, a kernel
     * before 6.11) both ways below read the files, which is the fallback to check there */
    int has_query = kernel_has_procmap_query();
    REQUIRE(has_query >= 0);
    CHECK(mmapc_proc_direct(p) == (has_query && !forced_text()));
    if (!mmapc_proc_direct(p))
        fprintf(stderr, "note: no PROCMAP_QUERY here: both ways read the build IDs from files\n");
    mmapc_proc_close(p);
    test_self_and_child();
    /* qemu-user for a 32-bit guest on a 64-bit host places the guest at an offset in its own
     * address space, and /proc/PID/map_files names the host's addresses */
    static const char probe[32] = "mmapc probe of guest addresses";
    char seen[32] = {0};
    size_t done = 0;
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, 0));
    int offset = mmapc_proc_read(p, (uintptr_t)probe, seen, sizeof seen, &done) != 0 ||
                 done != sizeof seen || memcmp(probe, seen, sizeof seen) != 0;
    mmapc_proc_close(p);
    if (offset && check_under_emulator())
        CHECK_SKIP("the emulator's guest addresses are not the host's, which map_files names");
    else
        test_gone();
    test_none();
    return check_done();
}
