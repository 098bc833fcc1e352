// SPDX-License-Identifier: MIT
/*
 * No descriptor that mmapc opens survives an exec: the test opens every kind (process handles,
 * text handles, iterations in progress, a file reservation and its split piece, a self handle
 * reopened in a forked child), then runs itself with --list-fds and compares the descriptors the
 * new image holds with those the test left open on purpose.
 *
 * Descriptors held only during one call (platform facts, one-shot queries and iterations) are
 * caught in the middle of that call: in a private mount namespace a FIFO replaces the file the
 * library reads, so the call blocks with its descriptor open until the test has exec'd.
 */
#include "mountns.h"
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FD_MAX 1024

typedef struct fdset {
    bool has[FD_MAX];
} fdset;

/* In the exec'd image: print our descriptors, one per line. */
static int list_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return 2;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
            printf("%s\n", e->d_name);
    }
    closedir(d);
    return 0;
}

/* The descriptors of this process that an exec would keep (no close-on-exec flag). */
static void inheritable(fdset *s)
{
    memset(s, 0, sizeof *s);
    for (int fd = 0; fd < FD_MAX; fd++) {
        int f = fcntl(fd, F_GETFD);
        s->has[fd] = f >= 0 && !(f & FD_CLOEXEC);
    }
}

/* Non-zero when descriptor fd is the file qemu-user answers an open of the process's own maps
 * with ("/memfd:qemu-open (deleted)", or an unlinked "qemu-open.XXXXXX"). */
static bool emulator_maps(int fd)
{
    char path[64], link[256];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n <= 0)
        return false;
    link[n] = '\0';
    return strstr(link, "qemu-open") != NULL;
}

/*
 * Under an emulator, what an exec would keep, from the flags: the exec'd image is a binary of the
 * emulated machine, which the host runs only through binfmt_misc (not there in CI), so the exec
 * fails. The kernel keeps exactly the descriptors without FD_CLOEXEC, which inheritable() reads,
 * except those qemu-user opened for its own listing of our maps: it serves that file itself, from
 * a memfd it makes without close-on-exec whatever O_CLOEXEC the open asked for.
 */
static void emulated_exec_fds(fdset *s)
{
    static bool told;
    if (!told) {
        CHECK_SKIP("exec: an image of the emulated machine cannot be run; the descriptors without "
                   "FD_CLOEXEC are compared instead, not those qemu-user makes for our own maps");
        told = true;
    }
    inheritable(s);
    for (int fd = 0; fd < FD_MAX; fd++) {
        if (s->has[fd] && emulator_maps(fd))
            s->has[fd] = false;
    }
}

/* The descriptors an image exec'd by us now holds. */
static void exec_fds(fdset *s)
{
    if (check_under_emulator()) {
        emulated_exec_fds(s);
        return;
    }
    memset(s, 0, sizeof *s);
    int p[2];
    REQUIRE(pipe2(p, O_CLOEXEC) == 0);
    /* not fflush(NULL): a call in progress may hold the lock of a stream of its own */
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (dup2(p[1], 1) == 1)
            execl("/proc/self/exe", "test_exec_fds", "--list-fds", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    char buf[8192];
    size_t len = 0;
    ssize_t n;
    while ((n = read(p[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n;
    close(p[0]);
    buf[len] = 0;
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        int fd = atoi(line);
        REQUIRE(fd >= 0 && fd < FD_MAX);
        s->has[fd] = true;
    }
}

/* Non-zero when the exec'd image holds exactly the descriptors in want; prints the difference. */
static int exec_keeps_only(const fdset *want, const char *what)
{
    fdset got;
    exec_fds(&got);
    int same = 1;
    for (int fd = 0; fd < FD_MAX; fd++) {
        if (got.has[fd] != want->has[fd]) {
            fprintf(stderr, "%s: descriptor %d %s the exec\n", what, fd,
                    got.has[fd] ? "survived" : "did not survive");
            same = 0;
        }
    }
    return same;
}

static void check_control(const fdset *base)
{
    /* the check sees a descriptor left open on purpose, so it can fail */
    fdset want = *base;
    int fd = open("/dev/null", O_RDONLY);
    REQUIRE(fd >= 0 && fd < FD_MAX);
    want.has[fd] = true;
    CHECK(exec_keeps_only(&want, "control"));
    close(fd);
}

/* Descriptors that mmapc holds between calls. */
static void check_held(const fdset *base, pid_t other)
{
    int local = 0;
    mmapc_area a;
    mmapc_proc *self, *text, *proc;
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    REQUIRE_OK(mmapc_proc_open(&text, MMAPC_SELF, MMAPC_PROC_TEXT));
    REQUIRE_OK(mmapc_proc_open(&proc, other, 0));
    CHECK_OK(mmapc_proc_query(self, (uintptr_t)&local, &a, NULL, 0));
    CHECK_OK(mmapc_proc_query(text, (uintptr_t)&local, &a, NULL, 0));
    CHECK_OK(mmapc_proc_query(proc, (uintptr_t)&check_held, &a, NULL, 0));

    mmapc_areas *all, *range, *theirs;
    REQUIRE_OK(mmapc_areas_open(&all, MMAPC_SELF));
    REQUIRE_OK(mmapc_proc_areas(&range, text, 0, UINT64_MAX));
    REQUIRE_OK(mmapc_areas_open(&theirs, other));
    CHECK(mmapc_areas_next(all, &a) == 1);
    CHECK(mmapc_areas_next(range, &a) == 1);
    CHECK(mmapc_areas_next(theirs, &a) == 1);

    char path[TU_PATH_MAX];
    size_t page = mmapc_page_size();
    mmapc_file f = tu_temp_file(NULL, 2 * page, path);
    REQUIRE(fcntl(f, F_SETFD, FD_CLOEXEC) == 0); /* the test's own, not inherited */
    mmapc_map *res, *back;
    REQUIRE_OK(mmapc_reserve_file(&res, 2 * page, MMAPC_PROT_READ, f, 0, NULL));
    REQUIRE_OK(mmapc_split_off(res, page, &back));
    size_t sizes[8], count;
    CHECK_OK(mmapc_page_sizes(sizes, 8, &count));
    (void)mmapc_default_huge_page_size();

    CHECK(exec_keeps_only(base, "handles, iterations, file reservation"));

    /* a forked child reopens its self handle; that descriptor must not survive either */
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        check_failures = 0;
        CHECK_OK(mmapc_proc_query(self, (uintptr_t)&local, &a, NULL, 0));
        CHECK(exec_keeps_only(base, "self handle reopened after fork"));
        _exit(check_failures ? 1 : 0);
    }
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    mmapc_unmap(res);
    mmapc_unmap(back);
    close(f);
    tu_remove(path);
    mmapc_areas_close(all);
    mmapc_areas_close(range);
    mmapc_areas_close(theirs);
    mmapc_proc_close(self);
    mmapc_proc_close(text);
    mmapc_proc_close(proc);
    CHECK(exec_keeps_only(base, "after closing everything"));
}

/* ---- descriptors held during one call ---- */

typedef struct call {
    const char *name;
    void (*fn)(struct call *);
    pid_t pid;
    int rc;
    atomic_int done;
} call;

static void call_facts(call *c)
{
    c->rc = mmapc_default_huge_page_size() != 0 ? 0 : -1;
}

static void call_query(call *c)
{
    mmapc_area a;
    c->rc = mmapc_area_query(c->pid, 0x400000, &a, NULL, 0);
}

static void call_iterate(call *c)
{
    mmapc_areas *it;
    mmapc_area a;
    c->rc = mmapc_areas_open(&it, c->pid);
    if (c->rc == 0) {
        c->rc = mmapc_areas_next(it, &a) == 1 ? 0 : -1;
        mmapc_areas_close(it);
    }
}

static void *run_call(void *arg)
{
    call *c = arg;
    c->fn(c);
    atomic_store(&c->done, 1);
    return NULL;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/*
 * In a child: a FIFO over path, which c's call reads; once the call has it open, exec and
 * compare; then feed it content and check the call's result. Exits 0, 1 (failed) or 77 (no
 * private mount namespace here).
 */
static void child_with_fifo(call *c, const char *path, const char *content)
{
    check_failures = 0;
    if (mns_enter() != 0) {
        fprintf(stderr, "skipped: %s: no private mount namespace: %s\n", c->name, strerror(errno));
        _exit(CHECK_SKIP_CODE);
    }
    char fifo[TU_PATH_MAX];
    const char *dir = getenv("TMPDIR");
    snprintf(fifo, sizeof fifo, "%s/mmapc-fifo-%d", dir && *dir ? dir : "/tmp", (int)getpid());
    REQUIRE(mkfifo(fifo, 0600) == 0);
    int bound = mount(fifo, path, NULL, MS_BIND, NULL);
    if (bound != 0)
        fprintf(stderr, "%s: bind over %s: %s\n", c->name, path, strerror(errno));
    REQUIRE(bound == 0);
    fdset base;
    inheritable(&base);
    int before = tu_open_files();
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, run_call, c) == 0);
    /* the writer's open returns once the call has opened the FIFO for reading */
    int w = -1;
    for (int i = 0; i < 10000 && w < 0 && !atomic_load(&c->done); i++) {
        w = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (w < 0)
            sleep_ms(1);
    }
    if (w < 0)
        fprintf(stderr, "%s: the call never opened %s\n", c->name, path);
    CHECK(w >= 0);
    if (w >= 0) {
        /* wait for the call's descriptor to be installed */
        for (int i = 0; i < 10000 && tu_open_files() < before + 2; i++)
            sleep_ms(1);
        CHECK(tu_open_files() >= before + 2);
        CHECK(exec_keeps_only(&base, c->name));
        REQUIRE(fcntl(w, F_SETFL, 0) == 0);
        REQUIRE(write(w, content, strlen(content)) == (ssize_t)strlen(content));
        close(w);
    }
    REQUIRE(pthread_join(t, NULL) == 0);
    if (c->rc != 0)
        fprintf(stderr, "%s: the call returned %d\n", c->name, c->rc);
    CHECK(c->rc == 0);
    umount(path);
    unlink(fifo);
    _exit(check_failures ? 1 : 0);
}

/* Returns 1 when the case ran, 0 when it was skipped. */
static int check_during(call *c, const char *path, const char *content)
{
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        child_with_fifo(c, path, content);
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == CHECK_SKIP_CODE)
        return 0;
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        fprintf(stderr, "%s: child ended with status 0x%x\n", c->name, status);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list-fds") == 0)
        return list_fds();
    const char *preload = getenv("LD_PRELOAD");
    if (check_under_emulator() || (preload && strstr(preload, "vgpreload"))) {
        /* an exec'd image would be the host's program, not ours under the tool, and the tool's
         * own descriptors and blocking reads get in the way */
        fprintf(stderr, "skipped: under qemu-user or valgrind\n");
        return CHECK_SKIP_CODE;
    }

    /* a process to describe, which stays still */
    pid_t parent = getpid();
    pid_t other = fork();
    REQUIRE(other >= 0);
    if (other == 0) {
        /* never outlive the test (a REQUIRE that ends it early), nor hold its output open */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(0);
        pause();
        _exit(0);
    }

    /* these run first: each child must read the facts for the first time */
    char maps[64];
    snprintf(maps, sizeof maps, "/proc/%d/maps", (int)other);
    const char *listing = "00400000-00401000 r--p 00000000 00:00 0 \n";
    call facts = {"platform facts (/proc/meminfo)", call_facts, 0, 0, 0};
    call query = {"one-shot query", call_query, other, 0, 0};
    call iterate = {"one-shot iteration", call_iterate, other, 0, 0};
    int ran =
        check_during(&facts, "/proc/meminfo", "MemTotal: 1024 kB\nHugepagesize:       2048 kB\n");
    ran += check_during(&query, maps, listing);
    ran += check_during(&iterate, maps, listing);

    fdset base;
    inheritable(&base);
    check_control(&base);
    check_held(&base, other);

    kill(other, SIGKILL);
    waitpid(other, NULL, 0);
    int rc = check_done();
    if (rc == 0 && ran < 3) {
        fprintf(stderr, "skipped: descriptors held during a call (needs root)\n");
        return CHECK_SKIP_CODE;
    }
    return rc;
}
