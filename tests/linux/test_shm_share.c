// SPDX-License-Identifier: MIT
/* Shared memory objects across processes on Linux: views survive fork() as shared memory, an
 * exec'd child takes up an inherited descriptor or opens a name, descriptors are not inherited
 * unless asked; memfd seals; the shm_open fallback; refused calls leave the memory areas and
 * the descriptors exactly as they were. */
#include "maps_snapshot.h"
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* The fallback for systems without memfd (src/os/posix_shm.c), called directly. */
int mmapc__posix_shm_fallback(uint64_t size, int inherit, mmapc_file *out);

static size_t ps;
/* This program's file: /proc/self/exe as the program sees it (under valgrind the link shows
 * the program, while an exec of /proc/self/exe would start valgrind's own). */
static char self_path[4096];

/* ---- the exec'd child: argv[1] says what to take up, argv[2] from where ---- */

static int child_main(const char *how, const char *what)
{
    mmapc_shm *shm = NULL;
    int rc;
    if (strcmp(how, "--fd") == 0 || strcmp(how, "--closed-fd") == 0) {
        rc = mmapc_shm_from_file(&shm, atoi(what), NULL);
        if (strcmp(how, "--closed-fd") == 0)
            return rc == MMAPC_EBADF ? 0 : 10;
    } else {
        rc = mmapc_shm_open(&shm, what, NULL);
    }
    if (rc)
        return 11;
    mmapc_map *v = NULL;
    if (mmapc_shm_map(&v, shm, 0, ps, MMAPC_PROT_RW, NULL))
        return 12;
    mmapc_shm_close(shm);
    unsigned char *p = mmapc_ptr(v);
    if (p[0] != 'P')
        return 13; /* the parent's byte is not there */
    p[1] = 'C';
    mmapc_unmap(v);
    return 0;
}

/* Run this program again with two arguments; its exit status, or -1. */
static int run_child(const char *how, const char *what)
{
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        execl(self_path, self_path, how, what, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFD);
    REQUIRE(fl >= 0);
    return (fl & FD_CLOEXEC) != 0;
}

/* A forked child writes through a view made before fork; the parent reads, and back. */
static void test_fork(void)
{
    mmapc_shm *shm = NULL;
    mmapc_map *v = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, ps, NULL));
    REQUIRE_OK(mmapc_shm_map(&v, shm, 0, ps, MMAPC_PROT_RW, NULL));
    mmapc_shm_close(shm);
    volatile unsigned char *p = mmapc_ptr(v);
    p[0] = 'P';
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int ok = p[0] == 'P';
        p[1] = 'C';
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(p[1] == 'C');
    mmapc_unmap(v);
}

/* An exec'd child gets the descriptor number as an argument when inheritance was asked for,
 * and finds it closed when not. */
static void test_exec_fd(void)
{
    mmapc_shm *shm = NULL, *plain = NULL;
    mmapc_map *v = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, ps, &(mmapc_shm_options){.flags = MMAPC_SHM_INHERIT}));
    REQUIRE_OK(mmapc_shm_create(&plain, NULL, ps, NULL));
    CHECK(!cloexec(mmapc_shm_file(shm)));
    CHECK(cloexec(mmapc_shm_file(plain)));
    REQUIRE_OK(mmapc_shm_map(&v, shm, 0, ps, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(v);
    p[0] = 'P';
    char num[16];
    snprintf(num, sizeof num, "%d", mmapc_shm_file(shm));
    CHECK(run_child("--fd", num) == 0);
    CHECK(p[1] == 'C');

    snprintf(num, sizeof num, "%d", mmapc_shm_file(plain));
    CHECK(run_child("--closed-fd", num) == 0);
    CHECK_OK(mmapc_shm_set_inherit(plain, 1));
    CHECK(!cloexec(mmapc_shm_file(plain)));
    CHECK_OK(mmapc_shm_set_inherit(shm, 0));
    CHECK(cloexec(mmapc_shm_file(shm)));
    snprintf(num, sizeof num, "%d", mmapc_shm_file(shm));
    CHECK(run_child("--closed-fd", num) == 0);

    mmapc_shm *dup = NULL;
    REQUIRE_OK(mmapc_shm_from_file(&dup, mmapc_shm_file(shm), NULL));
    CHECK(cloexec(mmapc_shm_file(dup)));
    mmapc_shm_close(dup);
    REQUIRE_OK(mmapc_shm_from_file(&dup, mmapc_shm_file(shm),
                                   &(mmapc_shm_options){.flags = MMAPC_SHM_INHERIT}));
    CHECK(!cloexec(mmapc_shm_file(dup)));
    mmapc_shm_close(dup);
    mmapc_unmap(v);
    mmapc_shm_close(shm);
    mmapc_shm_close(plain);
}

/* A second process opens a named object by its name; unlink makes the name go. */
static void test_exec_named(void)
{
    char name[64];
    snprintf(name, sizeof name, "/mmapc-test-%ld-share", (long)getpid());
    mmapc_shm_unlink(name);
    mmapc_shm *shm = NULL;
    mmapc_map *v = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, name, ps, &(mmapc_shm_options){.mode = 0640}));
    struct stat st;
    CHECK(fstat(mmapc_shm_file(shm), &st) == 0 && (st.st_mode & 0777) == 0640);
    CHECK(cloexec(mmapc_shm_file(shm)));
    REQUIRE_OK(mmapc_shm_map(&v, shm, 0, ps, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(v);
    p[0] = 'P';
    CHECK(run_child("--name", name) == 0);
    CHECK(p[1] == 'C');
    char path[128];
    snprintf(path, sizeof path, "/dev/shm%s", name);
    CHECK(access(path, F_OK) == 0);
    CHECK_OK(mmapc_shm_unlink(name));
    CHECK(access(path, F_OK) != 0);
    CHECK(run_child("--name", name) == 11); /* the name is gone */
    p[1] = 0;
    mmapc_unmap(v);
    mmapc_shm_close(shm);
}

/* memfd seals: a sealed object refuses to shrink (grow, be written); seals are seen. */
static void test_seals(void)
{
    mmapc_shm *shm = NULL;
    mmapc_map *v = NULL;
    unsigned seals = 99;
    REQUIRE_OK(mmapc_shm_create(&shm, NULL, 4 * ps, NULL));
    CHECK_OK(mmapc_shm_seals(shm, &seals));
    CHECK(seals == 0);
    CHECK_OK(mmapc_shm_seal(shm, MMAPC_SHM_SEAL_SHRINK));
    CHECK_OK(mmapc_shm_seals(shm, &seals));
    CHECK(seals == MMAPC_SHM_SEAL_SHRINK);
    CHECK_RC(mmapc_shm_resize(shm, 2 * ps), MMAPC_EPERM);
    uint64_t size = 0;
    CHECK_OK(mmapc_shm_size(shm, &size));
    CHECK(size == 4 * ps);
    CHECK_OK(mmapc_shm_resize(shm, 8 * ps));
    CHECK_OK(mmapc_shm_seal(shm, MMAPC_SHM_SEAL_GROW));
    CHECK_RC(mmapc_shm_resize(shm, 9 * ps), MMAPC_EPERM);

    REQUIRE_OK(mmapc_shm_map(&v, shm, 0, ps, MMAPC_PROT_RW, NULL));
    CHECK_RC(mmapc_shm_seal(shm, MMAPC_SHM_SEAL_WRITE), MMAPC_EBUSY);
    ((unsigned char *)mmapc_ptr(v))[0] = 'S';
    mmapc_unmap(v);
    CHECK_OK(mmapc_shm_seal(shm, MMAPC_SHM_SEAL_WRITE | MMAPC_SHM_SEAL_SEAL));
    v = NULL;
    CHECK_RC(mmapc_shm_map(&v, shm, 0, ps, MMAPC_PROT_RW, NULL), MMAPC_EPERM);
    CHECK_OK(mmapc_shm_map(&v, shm, 0, ps, MMAPC_PROT_READ, NULL));
    CHECK(v && ((unsigned char *)mmapc_ptr(v))[0] == 'S');
    mmapc_unmap(v);
    CHECK_RC(mmapc_shm_seal(shm, MMAPC_SHM_SEAL_SHRINK), MMAPC_EPERM);
    CHECK_OK(mmapc_shm_seals(shm, &seals));
    CHECK(seals == MMAPC_SHM_SEALS_ALL);
    mmapc_shm_close(shm);

    /* a named object cannot be sealed: Linux shows it sealed against seals */
    char name[64];
    snprintf(name, sizeof name, "/mmapc-test-%ld-seal", (long)getpid());
    mmapc_shm_unlink(name);
    REQUIRE_OK(mmapc_shm_create(&shm, name, ps, NULL));
    CHECK_OK(mmapc_shm_unlink(name));
    CHECK_RC(mmapc_shm_seal(shm, MMAPC_SHM_SEAL_SHRINK), MMAPC_EPERM);
    CHECK_OK(mmapc_shm_seals(shm, &seals));
    CHECK(seals == MMAPC_SHM_SEAL_SEAL);
    mmapc_shm_close(shm);
}

/* Names in /dev/shm that start with prefix. */
static int count_names(const char *prefix)
{
    DIR *d = opendir("/dev/shm");
    REQUIRE(d != NULL);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

/* The object made without memfd: anonymous at once, usable, shared, not sealable. */
static void test_fallback(void)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "mmapc-%ld-", (long)getpid());
    mmapc_file fd = -1;
    REQUIRE_OK(mmapc__posix_shm_fallback(3 * ps, 0, &fd));
    CHECK(count_names(prefix) == 0);
    CHECK(cloexec(fd));
    mmapc_shm *shm = NULL;
    REQUIRE_OK(mmapc_shm_from_file(&shm, fd, NULL));
    close(fd);
    uint64_t size = 0;
    CHECK_OK(mmapc_shm_size(shm, &size));
    CHECK(size == 3 * ps);
    mmapc_map *a = NULL, *b = NULL;
    REQUIRE_OK(mmapc_shm_map(&a, shm, 0, ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_shm_map(&b, shm, 0, 3 * ps, MMAPC_PROT_READ, NULL));
    ((unsigned char *)mmapc_ptr(a))[ps - 1] = 7;
    CHECK(((unsigned char *)mmapc_ptr(b))[ps - 1] == 7);
    CHECK_RC(mmapc_shm_seal(shm, MMAPC_SHM_SEAL_SHRINK), MMAPC_EPERM);
    mmapc_unmap(a);
    mmapc_unmap(b);
    mmapc_shm_close(shm);
    REQUIRE_OK(mmapc__posix_shm_fallback(ps, 1, &fd));
    CHECK(!cloexec(fd));
    close(fd);
}

/* ---- refused calls change nothing ---- */

static char before[1 << 16], after[1 << 16];

static void test_unchanged(void)
{
    char name[64];
    snprintf(name, sizeof name, "/mmapc-test-%ld-taken", (long)getpid());
    mmapc_shm_unlink(name);
    mmapc_shm *a = NULL, *b = NULL, *ro = NULL, *sealed = NULL, *taken = NULL;
    REQUIRE_OK(mmapc_shm_create(&a, NULL, 4 * ps, NULL));
    REQUIRE_OK(mmapc_shm_create(&b, NULL, 4 * ps, NULL));
    REQUIRE_OK(mmapc_shm_create(&taken, name, ps, NULL));
    REQUIRE_OK(mmapc_shm_open(&ro, name, &(mmapc_shm_options){.flags = MMAPC_SHM_READ_ONLY}));
    REQUIRE_OK(mmapc_shm_create(&sealed, NULL, 2 * ps, NULL));
    REQUIRE_OK(mmapc_shm_seal(sealed, MMAPC_SHM_SEAL_SHRINK | MMAPC_SHM_SEAL_GROW));
    mmapc_map *va = NULL, *vb = NULL;
    unsigned char *at = tu_free_range(2 * ps);
    REQUIRE_OK(mmapc_shm_map(&va, a, 0, ps, MMAPC_PROT_RW,
                             &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = at}));
    REQUIRE_OK(mmapc_shm_map(&vb, b, ps, ps, MMAPC_PROT_RW,
                             &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = at + ps}));
    char long_name[MMAPC_SHM_NAME_MAX + 3];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;

    int files = tu_open_files();
    size_t nb = maps_snapshot(before, sizeof before);
    mmapc_shm *s = NULL;
    mmapc_map *m = NULL;
    mmapc_ring *ring = NULL;
    int refused = 0, calls = 0;
#define REFUSE(call, code) CHECK_REFUSED(&calls, &refused, call, code)
    REFUSE(mmapc_shm_create(&s, NULL, 0, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_shm_create(&s, NULL, (uint64_t)INT64_MAX + 1, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_shm_create(&s, long_name, ps, NULL), MMAPC_EINVAL_NAME);
    REFUSE(mmapc_shm_create(&s, "/a/b", ps, NULL), MMAPC_EINVAL_NAME);
    REFUSE(mmapc_shm_create(&s, name, ps, NULL), MMAPC_EEXIST);
    REFUSE(mmapc_shm_open(&s, "/mmapc-test-no-such-name", NULL), MMAPC_ENOTFOUND);
    REFUSE(mmapc_shm_from_file(&s, -1, NULL), MMAPC_EBADF);
    REFUSE(mmapc_shm_map(&m, a, 4 * ps, ps, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_shm_map(&m, a, 2 * ps, 3 * ps, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_shm_map(&m, a, 1, ps, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_shm_map(&m, ro, 0, ps, MMAPC_PROT_RW, NULL), MMAPC_EACCES);
    REFUSE(mmapc_merge(va, vb), MMAPC_EBACKING_MISMATCH);
    REFUSE(mmapc_merge(vb, va), MMAPC_EBACKING_MISMATCH);
    REFUSE(mmapc_ring_map(&ring, a, 3 * ps, ps + 1), MMAPC_EINVAL_SIZE); /* rounded: past the end */
    REFUSE(mmapc_ring_map(&ring, a, 0, 8 * ps), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_ring_map(&ring, ro, 0, ps), MMAPC_EACCES); /* fails after its reservation */
    REFUSE(mmapc_ring_create(&ring, SIZE_MAX / 2 + 2), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_map_dual(&m, &m, ps), MMAPC_EINVAL_ARG);
    REFUSE(mmapc_shm_resize(sealed, ps), MMAPC_EPERM);
    REFUSE(mmapc_shm_resize(sealed, 4 * ps), MMAPC_EPERM);
    REFUSE(mmapc_shm_resize(ro, 4 * ps), MMAPC_EACCES);
    REFUSE(mmapc_shm_seal(taken, MMAPC_SHM_SEAL_WRITE), MMAPC_EPERM);
    REFUSE(mmapc_shm_unlink("/mmapc-test-no-such-name"), MMAPC_ENOTFOUND);
#undef REFUSE
    size_t na = maps_snapshot(after, sizeof after);
    CHECK(refused == calls);
    CHECK(s == NULL && m == NULL && ring == NULL);
    maps_check_same(before, nb, after, na);
    CHECK(tu_open_files() == files);
    uint64_t size = 0;
    CHECK_OK(mmapc_shm_size(sealed, &size));
    CHECK(size == 2 * ps);
    CHECK_OK(mmapc_shm_size(taken, &size));
    CHECK(size == ps);
    /* both views still work */
    ((unsigned char *)mmapc_ptr(va))[0] = 1;
    ((unsigned char *)mmapc_ptr(vb))[0] = 2;
    CHECK(at[0] == 1 && at[ps] == 2);

    mmapc_unmap(va);
    mmapc_unmap(vb);
    CHECK_OK(mmapc_shm_unlink(name));
    mmapc_shm_close(a);
    mmapc_shm_close(b);
    mmapc_shm_close(ro);
    mmapc_shm_close(sealed);
    mmapc_shm_close(taken);
}

int main(int argc, char **argv)
{
    ps = mmapc_page_size();
    if (argc == 3)
        return child_main(argv[1], argv[2]);
    ssize_t len = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    REQUIRE(len > 0 && (size_t)len < sizeof self_path - 1);
    self_path[len] = 0;
    int files = tu_open_files();
    test_fork();
    if (check_under_emulator()) {
        CHECK_SKIP("an exec'd child cannot run under qemu-user without binfmt_misc");
    } else {
        test_exec_fd();
        test_exec_named();
    }
    test_seals();
    test_fallback();
    test_unchanged();
    CHECK(tu_open_files() == files);
    return check_done();
}
