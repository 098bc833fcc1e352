// SPDX-License-Identifier: MIT
/*
 * Process handles and one-shot calls: what a query returns and where its path lives, bad
 * arguments, the three "not there" errors (no process, no permission, no area), a handle used
 * across fork() and shared between threads, a process that ends under an open handle.
 */
#include "areas_util.h"
#include "kernel_probe.h"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static size_t page;

/* Both kinds of handle for the calling process. */
static mmapc_proc *open_self(int text)
{
    mmapc_proc *p = NULL;
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, text ? MMAPC_PROC_TEXT : 0));
    return p;
}

static void test_query_paths(void)
{
    /* an address in our own executable: a file area whose path we know */
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    REQUIRE(n > 0);
    exe[n] = '\0';
    mmapc_area a;
    char buf[4200];
    CHECK_OK(mmapc_area_query(MMAPC_SELF, (uintptr_t)&test_query_paths, &a, buf, sizeof buf));
    CHECK(a.kind == MMAPC_AREA_FILE && a.path == buf);
    /* qemu-user 7.2 lists one line per host mapping with the protection of its first guest page;
     * it maps the whole executable read-only on the host, so where the code is not the file's
     * first segment (i686: -z separate-code) the code shows as r--. */
    if (check_under_emulator() && !(a.prot & MMAPC_PROT_EXEC))
        CHECK_SKIP("the executable's code is not r-x in the emulator's /proc/self/maps");
    else
        CHECK(a.prot & MMAPC_PROT_EXEC);
    CHECK(strcmp(a.path, exe) == 0 && a.path_len == (size_t)n && a.inode != 0);
    CHECK(a.start <= (uintptr_t)&test_query_paths && (uintptr_t)&test_query_paths < a.end);
    /* a buffer too small: a truncated, terminated copy and the full length */
    char small[5];
    CHECK_OK(mmapc_area_query(MMAPC_SELF, (uintptr_t)&test_query_paths, &a, small, sizeof small));
    CHECK(a.path == small && strlen(small) == 4 && memcmp(small, exe, 4) == 0);
    CHECK(a.path_len == (size_t)n);
    /* no buffer: "" and still the length */
    CHECK_OK(mmapc_area_query(MMAPC_SELF, (uintptr_t)&test_query_paths, &a, NULL, 0));
    CHECK(strcmp(a.path, "") == 0 && a.path_len == (size_t)n && a.kind == MMAPC_AREA_FILE);
    /* the stack: named [stack] (except where a tool such as valgrind moved it), as listed */
    int local = 0;
    mmapc_area listed;
    char listed_path[4200];
    CHECK_OK(mmapc_area_query(MMAPC_SELF, (uintptr_t)&local, &a, buf, sizeof buf));
    CHECK(au_find(MMAPC_SELF, &local, &listed, listed_path, sizeof listed_path) == 0);
    CHECK(au_same(&a, &listed));
    CHECK(a.prot == MMAPC_PROT_RW && !a.shared && a.offset == 0 && a.inode == 0);
    if (strcmp(a.path, "[stack]") == 0)
        CHECK(a.kind == MMAPC_AREA_STACK);
    else
        CHECK_SKIP("the main stack is not [stack] here (valgrind?)");
}

static void test_bad_args(void)
{
    mmapc_proc *p = open_self(0);
    mmapc_area a;
    mmapc_areas *it = NULL;
    char buf[16];
    CHECK_RC(mmapc_proc_open(NULL, MMAPC_SELF, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_open(&p, -1, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_open(&p, MMAPC_SELF, 1u << 7), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_query(NULL, 0, &a, buf, sizeof buf), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_query(p, 0, NULL, buf, sizeof buf), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_query(p, 0, &a, NULL, 8), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_area_query(MMAPC_SELF, 0, NULL, NULL, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_area_query(-5, 0, &a, NULL, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_areas_open(NULL, MMAPC_SELF), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_areas_open(&it, -1), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_areas(&it, NULL, 0, 1), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_areas_next(NULL, &a), MMAPC_EINVAL_ARG);
    CHECK(it == NULL); /* nothing written on failure */
    REQUIRE_OK(mmapc_areas_open(&it, MMAPC_SELF));
    CHECK_RC(mmapc_areas_next(it, NULL), MMAPC_EINVAL_ARG);
    mmapc_areas_close(it);
    mmapc_areas_close(NULL);
    mmapc_proc_close(NULL);
    /* the handle still works after all that */
    CHECK_OK(mmapc_proc_query(p, (uintptr_t)&page, &a, NULL, 0));
    mmapc_proc_close(p);
}

static void test_direct_detection(void)
{
    mmapc_proc *d = open_self(0), *t = open_self(1);
    CHECK(!mmapc_proc_direct(t));
    /* direct exactly where the kernel (or an emulator) answers the raw ioctl, and not forced */
    int has = kernel_has_procmap_query();
    REQUIRE(has >= 0);
    CHECK(mmapc_proc_direct(d) == (has && !forced_text()));
    mmapc_proc_close(d);
    mmapc_proc_close(t);
}

/* A pid that cannot exist: above the kernel's pid_max. */
static int impossible_pid(void)
{
    FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
    int max = 4194304;
    if (f) {
        if (fscanf(f, "%d", &max) != 1)
            max = 4194304;
        fclose(f);
    }
    return max + 1;
}

static void test_no_process(void)
{
    int pid = impossible_pid();
    mmapc_proc *p = NULL;
    mmapc_areas *it = NULL;
    mmapc_area a;
    CHECK_RC(mmapc_proc_open(&p, pid, 0), MMAPC_ESRCH);
    CHECK_RC(mmapc_area_query(pid, 0, &a, NULL, 0), MMAPC_ESRCH);
    CHECK_RC(mmapc_areas_open(&it, pid), MMAPC_ESRCH);
    CHECK(p == NULL && it == NULL);

    /* a process that ends while a handle is open on it */
    for (int text = 0; text < 2; text++) {
        fflush(NULL);
        pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            for (;;)
                pause();
        }
        REQUIRE_OK(mmapc_proc_open(&p, child, text ? MMAPC_PROC_TEXT : 0));
        CHECK_OK(mmapc_proc_query(p, (uintptr_t)&page, &a, NULL, 0)); /* inherited, still there */
        kill(child, SIGKILL);
        /* a zombie first (ended, not yet reaped), then gone */
        siginfo_t si;
        REQUIRE(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) == 0);
        for (int i = 0; i < 2; i++) {
            int rc = mmapc_proc_query(p, (uintptr_t)&page, &a, NULL, 0);
            if (rc != MMAPC_ESRCH)
                fprintf(stderr, "ended process (%s, %s): %s\n", text ? "text" : "direct",
                        i ? "reaped" : "zombie", mmapc_err_name(rc));
            CHECK(rc == MMAPC_ESRCH);
            /* with a name buffer, and where no area ever was: the same answer */
            char name[64];
            rc = mmapc_proc_query(p, 0x10000, &a, name, sizeof name);
            if (rc != MMAPC_ESRCH)
                fprintf(stderr, "ended process (%s, %s), 0x10000 with a name buffer: %s (%d)\n",
                        text ? "text" : "direct", i ? "reaped" : "zombie", mmapc_err_name(rc),
                        mmapc_last_os_error());
            CHECK(rc == MMAPC_ESRCH);
            CHECK_RC(mmapc_proc_areas(&it, p, 0, UINT64_MAX), MMAPC_ESRCH);
            if (i == 0)
                waitpid(child, NULL, 0);
        }
        mmapc_proc_close(p);
    }
}

/* A thread of the process that vforked: ends the whole process (whose vfork child, sharing the
 * address space, lives on) when the test says so through the pipe whose end arg is. */
static void *end_process(void *arg)
{
    char c;
    (void)!read(*(int *)arg, &c, 1);
    syscall(SYS_exit_group, 0);
    return NULL;
}

/*
 * A process that has ended while its address space lives on: the kernel keeps an address space
 * for as long as anything holds it (here a vfork child that shares it; in the wild a kernel
 * thread such as khugepaged that scans it for a moment), and the maps descriptor a handle holds
 * still answers from it. A query that finds nothing there says the process is gone, not that
 * it has no area at the address.
 */
static void test_address_space_outlives(void)
{
    int ready[2], go[2];
    REQUIRE(pipe(ready) == 0 && pipe(go) == 0);
    fflush(NULL);
    pid_t owner = fork();
    REQUIRE(owner >= 0);
    if (owner == 0) {
        /* in the owner: a thread that ends it, then a vfork child that holds the address space
         * and tells its pid (the write is all it does before it waits to be killed) */
        pthread_t t;
        if (pthread_create(&t, NULL, end_process, &go[0]) != 0)
            _exit(1);
        pid_t holder = vfork();
        if (holder == 0) {
            pid_t me = (pid_t)syscall(SYS_getpid);
            (void)!write(ready[1], &me, sizeof me);
            for (;;)
                pause();
        }
        _exit(1); /* not reached: the thread ends the process while the child holds it */
    }
    close(ready[1]);
    close(go[0]);
    mmapc_proc *p = NULL;
    REQUIRE_OK(mmapc_proc_open(&p, owner, 0)); /* the owner waits for go: it still runs */
    pid_t holder = -1;
    REQUIRE(read(ready[0], &holder, sizeof holder) == (ssize_t)sizeof holder && holder > 0);
    close(ready[0]);
    REQUIRE(write(go[1], "g", 1) == 1); /* now end */
    close(go[1]);
    int status = 0;
    REQUIRE(waitpid(owner, &status, 0) == owner);
    mmapc_area a;
    char name[64];
    /* the holder still runs in the address space the owner had */
    CHECK(kill(holder, 0) == 0);
    int rc = mmapc_proc_query(p, 0x10000, &a, name, sizeof name);
    if (rc != MMAPC_ESRCH)
        fprintf(stderr, "ended process, address space held: %s\n", mmapc_err_name(rc));
    CHECK(rc == MMAPC_ESRCH);
    CHECK_RC(mmapc_proc_query(p, 0x10000, &a, NULL, 0), MMAPC_ESRCH);
    CHECK_RC(mmapc_area_query(owner, 0x10000, &a, NULL, 0), MMAPC_ESRCH);
    mmapc_proc_close(p);
    kill(holder, SIGKILL); /* not our child: init (or a subreaper) reaps it */
}

/* A handle follows its process across exec, by either path: the old program's address is gone,
 * the shell's own file is there. */
static void test_exec(void)
{
    for (int text = 0; text < 2; text++) {
        /* sync: the handle is open; in, out: the shell's input (read to its end) and output */
        int sync[2], in[2], out[2];
        REQUIRE(pipe2(sync, O_CLOEXEC) == 0);
        REQUIRE(pipe2(in, O_CLOEXEC) == 0);
        REQUIRE(pipe2(out, O_CLOEXEC) == 0);
        fflush(NULL);
        pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            char go;
            if (read(sync[0], &go, 1) != 1 || dup2(in[0], 0) != 0 || dup2(out[1], 1) != 1)
                _exit(1);
            execl("/bin/sh", "sh", "-c", "echo running; read line; exit 0", (char *)NULL);
            _exit(127);
        }
        close(sync[0]);
        close(in[0]);
        close(out[1]);
        mmapc_proc *p = NULL;
        mmapc_area a;
        REQUIRE_OK(mmapc_proc_open(&p, child, text ? MMAPC_PROC_TEXT : 0));
        CHECK_OK(mmapc_proc_query(p, (uintptr_t)&page, &a, NULL, 0));
        REQUIRE(write(sync[1], "g", 1) == 1); /* now exec */
        close(sync[1]);
        char said[16];
        REQUIRE(read(out[0], said, sizeof said) > 0); /* the shell runs */
        close(out[0]);
        /* the shell's file by its inode (qemu-user resolves /bin/sh's links its own way) */
        struct stat sh;
        char buf[4096];
        REQUIRE(stat("/bin/sh", &sh) == 0);
        int rc = mmapc_proc_query(p, (uintptr_t)&page, &a, buf, sizeof buf);
        /* where the shell happens to have an area at that address, it is not our file */
        CHECK(rc == MMAPC_ENOTFOUND || (rc == 0 && strstr(buf, "test_areas_proc") == NULL));
        mmapc_areas *it = NULL;
        REQUIRE_OK(mmapc_proc_areas(&it, p, 0, UINT64_MAX));
        int shell = 0, ours = 0;
        uint64_t in_shell = 0;
        while ((rc = mmapc_areas_next(it, &a)) == 1) {
            if (a.kind == MMAPC_AREA_FILE && a.inode == (uint64_t)sh.st_ino && !shell++)
                in_shell = a.start;
            ours += strstr(a.path, "test_areas_proc") != NULL;
        }
        CHECK(rc == 0 && shell > 0 && ours == 0);
        mmapc_areas_close(it);
        CHECK_OK(mmapc_proc_query(p, in_shell, &a, buf, sizeof buf));
        CHECK(a.start == in_shell && a.inode == (uint64_t)sh.st_ino);
        /* the shell's build ID through the old handle: as a handle opened now answers */
        mmapc_proc *fresh = NULL;
        mmapc_build_id old_id, new_id;
        memset(&old_id, 0, sizeof old_id);
        memset(&new_id, 0, sizeof new_id);
        REQUIRE_OK(mmapc_proc_open(&fresh, child, text ? MMAPC_PROC_TEXT : 0));
        int old_rc = mmapc_proc_build_id(p, in_shell, &old_id);
        int new_rc = mmapc_proc_build_id(fresh, in_shell, &new_id);
        CHECK(old_rc == new_rc && old_rc != MMAPC_ESRCH);
        CHECK(old_id.size == new_id.size && memcmp(old_id.bytes, new_id.bytes, old_id.size) == 0);
        mmapc_proc_close(fresh);
        mmapc_proc_close(p);
        close(in[1]); /* the shell reads the end and exits */
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
}

static void test_no_permission(void)
{
    if (geteuid() != 0) {
        /* pid 1 belongs to root */
        mmapc_proc *p = NULL;
        int rc = mmapc_proc_open(&p, 1, 0);
        if (rc == 0) {
            CHECK_SKIP("no permission: pid 1 is readable to us");
            mmapc_proc_close(p);
            return;
        }
        CHECK(rc == MMAPC_EACCES || rc == MMAPC_EPERM);
        return;
    }
    /* as root: a child that drops to nobody may not read us */
    pid_t parent = getpid();
    fflush(NULL);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(77);
        mmapc_area a;
        mmapc_proc *p = NULL;
        mmapc_areas *it = NULL;
        int r1 = mmapc_area_query(parent, (uintptr_t)&page, &a, NULL, 0);
        int r2 = mmapc_proc_open(&p, parent, 0);
        int r3 = mmapc_areas_open(&it, parent);
        int ok = (r1 == MMAPC_EACCES || r1 == MMAPC_EPERM) && r2 == r1 && r3 == r1;
        if (!ok)
            fprintf(stderr, "as nobody: %s %s %s\n", mmapc_err_name(r1), mmapc_err_name(r2),
                    mmapc_err_name(r3));
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
        CHECK_SKIP("no permission: could not drop privileges");
    else
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* A MMAPC_SELF handle opened before fork() describes the child in the child; a handle for the
 * parent's pid still describes the parent. */
/* Open a handle on pid into *out and return the number of its descriptor: the lowest free one
 * (a handle opens one), checked to name pid's maps. */
static int handle_fd_of(mmapc_proc **out, int pid, unsigned flags)
{
    int n = open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(n >= 0);
    close(n);
    REQUIRE_OK(mmapc_proc_open(out, pid, flags));
    char link[64], want[64], got[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", n);
    snprintf(want, sizeof want, "/proc/%d/maps", pid);
    ssize_t len = readlink(link, got, sizeof got - 1);
    REQUIRE(len > 0);
    got[len] = '\0';
    REQUIRE(strcmp(got, want) == 0);
    return n;
}

/*
 * A handle on another process, used in a forked child: while the descriptor it inherited still
 * names the handle's file, the answers are that process's; once the child has closed it and given
 * its number to another file (its own maps, /dev/null), MMAPC_EBADF, never the other file's
 * answers, and the library's other handles are unharmed.
 */
static void test_fork_other_handle(void)
{
    for (int text = 0; text < 2; text++) {
        fflush(NULL);
        pid_t other = fork(); /* shares our areas up to here: page lies in both */
        REQUIRE(other >= 0);
        if (other == 0) {
            for (;;)
                pause();
        }
        unsigned flags = text ? MMAPC_PROC_TEXT : 0;
        mmapc_proc *kept = NULL, *lost_maps = NULL, *lost_null = NULL;
        REQUIRE_OK(mmapc_proc_open(&kept, other, flags));
        int n1 = handle_fd_of(&lost_maps, other, flags),
            n2 = handle_fd_of(&lost_null, other, flags);
        int direct = mmapc_proc_direct(kept);
        fflush(NULL);
        pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            /* the exit status tells which check failed, one bit each */
            int fails = 0;
            /* only in this child: an area that the other process lacks */
            char *mine = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (mine == MAP_FAILED)
                _exit(64);
            mmapc_area a;
            /* qemu-user cannot show another emulated process's areas as that process sees them:
             * there only the descriptors' part is checked */
            int emulated = check_under_emulator();
            int rc = mmapc_proc_query(kept, (uintptr_t)&page, &a, NULL, 0);
            if (emulated ? rc != 0 && rc != MMAPC_ENOTFOUND : rc != 0)
                fails |= 1;
            if (!emulated &&
                mmapc_proc_query(kept, (uintptr_t)mine, &a, NULL, 0) != MMAPC_ENOTFOUND)
                fails |= 2;
            /* the numbers of the other two now name files of this child's */
            int mine_fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
            int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (mine_fd < 0 || null_fd < 0)
                _exit(64);
            if (dup2(mine_fd, n1) != n1 || dup2(null_fd, n2) != n2)
                _exit(64);
            if (mmapc_proc_query(lost_maps, (uintptr_t)mine, &a, NULL, 0) != MMAPC_EBADF)
                fails |= 4;
            if (mmapc_proc_query(lost_null, (uintptr_t)&page, &a, NULL, 0) != MMAPC_EBADF)
                fails |= 8;
            mmapc_areas *it = NULL;
            if (mmapc_proc_areas(&it, lost_maps, 0, UINT64_MAX) != MMAPC_EBADF || it)
                fails |= 16;
            /* the kept handle still answers, as directly as before */
            rc = mmapc_proc_query(kept, (uintptr_t)&page, &a, NULL, 0);
            if ((emulated ? rc != 0 && rc != MMAPC_ENOTFOUND : rc != 0) ||
                mmapc_proc_direct(kept) != direct)
                fails |= 32;
            mmapc_proc_close(kept);
            mmapc_proc_close(lost_maps); /* closes nothing of this child's */
            mmapc_proc_close(lost_null);
            if (fcntl(n1, F_GETFD) < 0 || fcntl(n2, F_GETFD) < 0)
                fails |= 64;
            _exit(fails);
        }
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fprintf(stderr, "another process's handle in a child (%s): status 0x%x\n",
                    text ? "text" : "direct", (unsigned)status);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        mmapc_proc_close(kept);
        mmapc_proc_close(lost_maps);
        mmapc_proc_close(lost_null);
        kill(other, SIGKILL);
        REQUIRE(waitpid(other, NULL, 0) == other);
    }
}

static void test_fork(void)
{
    /* each kind of handle, with fork() and with a raw fork system call that runs no
     * pthread_atfork() handler (not under qemu-user, which ignores MADV_WIPEONFORK) */
    for (int round = 0; round < 4; round++) {
        int text = round & 1, raw = round >> 1;
#ifdef SYS_fork
        if (raw && check_under_emulator()) {
            CHECK_SKIP("raw fork system call under an emulator");
            continue;
        }
#else
        if (raw)
            continue; /* this architecture has only clone */
#endif
        mmapc_proc *self = open_self(text), *parent = NULL;
        REQUIRE_OK(mmapc_proc_open(&parent, getpid(), text ? MMAPC_PROC_TEXT : 0));
        char *only_parent =
            mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        REQUIRE(only_parent != MAP_FAILED);
        mmapc_area a;
        CHECK_OK(mmapc_proc_query(self, (uintptr_t)only_parent, &a, NULL, 0)); /* used before */
        fflush(NULL);
#ifdef SYS_fork
        pid_t child = raw ? (pid_t)syscall(SYS_fork) : fork();
#else
        pid_t child = fork();
#endif
        REQUIRE(child >= 0);
        if (child == 0) {
            char *only_child = mmap(NULL, page, PROT_READ | PROT_EXEC,
                                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (only_child == MAP_FAILED || munmap(only_parent, page) != 0)
                _exit(2);
            /* the exit status tells which check failed, one bit each */
            int fails = 0;
            if (mmapc_proc_query(self, (uintptr_t)only_child, &a, NULL, 0) != 0 ||
                a.prot != MMAPC_PROT_RX)
                fails |= 1;
            if (mmapc_proc_query(self, (uintptr_t)only_parent, &a, NULL, 0) != MMAPC_ENOTFOUND)
                fails |= 2;
            /* qemu-user cannot show another emulated process's areas as that process sees them */
            if (!check_under_emulator() &&
                mmapc_proc_query(parent, (uintptr_t)only_parent, &a, NULL, 0) != 0)
                fails |= 4;
            mmapc_areas *it;
            int seen = 0, rc;
            if (mmapc_proc_areas(&it, self, 0, UINT64_MAX) != 0)
                _exit(3);
            while ((rc = mmapc_areas_next(it, &a)) > 0)
                seen += a.start == (uintptr_t)only_child;
            mmapc_areas_close(it);
            if (seen != 1 || rc != 0)
                fails |= 8;
            /* the child owns its copies of both handles (and valgrind checks it for leaks) */
            mmapc_proc_close(self);
            mmapc_proc_close(parent);
            _exit(fails);
        }
        if (check_under_emulator())
            CHECK_SKIP("fork: the parent's areas seen from the child, under an emulator");
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
            fprintf(stderr, "%s (%s): child status 0x%x\n", raw ? "SYS_fork" : "fork()",
                    text ? "text" : "direct", status);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        /* the parent's handle is untouched by what the child did */
        CHECK_OK(mmapc_proc_query(self, (uintptr_t)only_parent, &a, NULL, 0));
        munmap(only_parent, page);
        mmapc_proc_close(self);
        mmapc_proc_close(parent);
    }
}

/* One handle, many threads, each querying its own area and a shared one. */
#define THREADS 8
typedef struct worker {
    mmapc_proc *proc;
    int rounds;
    int failures;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    /* guard pages around, so that no other thread's new mapping can merge with ours */
    char *base = mmap(NULL, page * 4, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *mine = base + page;
    if (base == MAP_FAILED || mprotect(mine, page, PROT_READ) != 0 ||
        mprotect(mine + page, page, PROT_READ | PROT_WRITE) != 0) {
        w->failures++;
        return NULL;
    }
    for (int i = 0; i < w->rounds; i++) {
        mmapc_area a;
        char buf[64];
        uintptr_t at = (uintptr_t)mine + (size_t)(i & 1) * page;
        int rc = mmapc_proc_query(w->proc, at, &a, buf, sizeof buf);
        unsigned want = (i & 1) ? MMAPC_PROT_RW : MMAPC_PROT_READ;
        w->failures += rc != 0 || a.start != at || a.end != at + page || a.prot != want;
        rc = mmapc_proc_query(w->proc, (uintptr_t)&test_fork, &a, buf, sizeof buf);
        w->failures += rc != 0 || a.kind != MMAPC_AREA_FILE;
    }
    munmap(base, page * 4);
    return NULL;
}

static void test_threads(void)
{
    for (int text = 0; text < 2; text++) {
        mmapc_proc *p = open_self(text);
        pthread_t t[THREADS];
        worker w[THREADS];
        for (int i = 0; i < THREADS; i++) {
            w[i] = (worker){.proc = p, .rounds = text ? 100 : 2000};
            REQUIRE(pthread_create(&t[i], NULL, work, &w[i]) == 0);
        }
        int failures = 0;
        for (int i = 0; i < THREADS; i++) {
            pthread_join(t[i], NULL);
            failures += w[i].failures;
        }
        if (failures)
            fprintf(stderr, "threads (%s): %d wrong answers\n", text ? "text" : "direct", failures);
        CHECK(failures == 0);
        mmapc_proc_close(p);
    }
}

static void test_no_leak(void)
{
    int before = tu_open_files_areas();
    mmapc_area a;
    mmapc_areas *it;
    for (int i = 0; i < 50; i++) {
        CHECK_OK(mmapc_area_query(MMAPC_SELF, (uintptr_t)&page, &a, NULL, 0));
        CHECK_RC(mmapc_area_query(MMAPC_SELF, 0, &a, NULL, 0), MMAPC_ENOTFOUND);
        REQUIRE_OK(mmapc_areas_open_range(&it, MMAPC_SELF, 0, 1));
        mmapc_areas_close(it);
        mmapc_proc *p = open_self(i & 1);
        CHECK_OK(mmapc_proc_query(p, (uintptr_t)&page, &a, NULL, 0));
        mmapc_proc_close(p);
    }
    CHECK(tu_open_files_areas() == before);
}

int main(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    test_query_paths();
    test_bad_args();
    test_direct_detection();
    test_no_process();
    test_address_space_outlives();
    test_exec();
    test_no_permission();
    test_fork();
    test_fork_other_handle();
    test_threads();
    test_no_leak();
    return check_done();
}
