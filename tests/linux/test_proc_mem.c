// SPDX-License-Identifier: MIT
/*
 * Another process's memory: 10,000 random ranges read from a child equal the child's data; a
 * range that runs into an inaccessible or unmapped page gives the exact count of the bytes before
 * it; a write is seen by the child; a process we may not trace is MMAPC_EPERM. The same through
 * /proc/<pid>/mem, in a reader whose seccomp filter refuses process_vm_readv/writev with EPERM
 * (as container runtimes do) or ENOSYS (a kernel without them).
 */
#include "check.h"
#include "seccomp_filter.h"

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define DATA_PAGES 64
#define RANGES 10000

/* Layout of the child's region, in pages: data, then one inaccessible page, one unmapped page,
 * and one more page of data. */
#define PAGE_NONE DATA_PAGES
#define PAGE_HOLE (DATA_PAGES + 1)
#define PAGE_LAST (DATA_PAGES + 2)
#define REGION_PAGES (DATA_PAGES + 3)

static size_t page;
static unsigned char *region; /* same address in the child (made before fork) */

/* The child's byte at offset i of the region (it writes them after fork, so our copy differs). */
static unsigned char child_byte(size_t i)
{
    uint32_t x = (uint32_t)i * 2654435761u + 12345u;
    x ^= x >> 15;
    return (unsigned char)(x * 2246822519u >> 24);
}

struct verify {
    size_t offset, len;
    unsigned char seed;
};

static int to_child[2], from_child[2];

static void child_main(void)
{
    close(to_child[1]);
    close(from_child[0]);
    for (size_t i = 0; i < DATA_PAGES * page; i++)
        region[i] = child_byte(i);
    for (size_t i = PAGE_LAST * page; i < REGION_PAGES * page; i++)
        region[i] = child_byte(i);
    char ok = 1;
    if (write(from_child[1], &ok, 1) != 1)
        _exit(2);
    struct verify v;
    while (read(to_child[0], &v, sizeof v) == (ssize_t)sizeof v) {
        if (v.len == 0) { /* become untraceable */
            ok = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
        } else {
            ok = 1;
            for (size_t i = 0; i < v.len; i++)
                ok &= region[v.offset + i] == (unsigned char)(v.seed + i * 7);
        }
        if (write(from_child[1], &ok, 1) != 1)
            _exit(2);
    }
    _exit(0);
}

static int ask_child(size_t offset, size_t len, unsigned char seed)
{
    struct verify v;
    memset(&v, 0, sizeof v); /* its padding goes down the pipe too */
    v.offset = offset;
    v.len = len;
    v.seed = seed;
    char ok = 0;
    REQUIRE(write(to_child[1], &v, sizeof v) == (ssize_t)sizeof v);
    REQUIRE(read(from_child[0], &ok, 1) == 1);
    return ok;
}

static uint64_t rnd_state = 88172645463325252ull;
static uint64_t rnd(uint64_t bound)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state % bound;
}

/* Everything a reader checks; returns the number of failed checks (so that a forked reader can
 * report them in its exit status). */
static int check_reads_and_writes(mmapc_proc *p, int writes)
{
    int before = check_failures;
    static unsigned char buf[DATA_PAGES * 4096 * 4];
    size_t data = DATA_PAGES * page, done;
    uint64_t base = (uintptr_t)region;

    /* random ranges inside the data */
    int bad = 0;
    /* valgrind runs the comparisons some 50 times slower: fewer ranges there */
    const char *preload = getenv("LD_PRELOAD");
    int ranges = preload && strstr(preload, "vgpreload") ? RANGES / 10 : RANGES;
    for (int i = 0; i < ranges; i++) {
        size_t off = (size_t)rnd(data);
        size_t len = (size_t)rnd(data - off + 1);
        done = SIZE_MAX;
        int rc = mmapc_proc_read(p, base + off, buf, len, &done);
        if (rc != 0 || done != len) {
            if (bad++ < 5)
                fprintf(stderr, "range %zu+%zu: %s, %zu done\n", off, len, mmapc_err_name(rc),
                        done);
            continue;
        }
        for (size_t j = 0; j < len; j++)
            if (buf[j] != child_byte(off + j)) {
                if (bad++ < 5)
                    fprintf(stderr, "range %zu+%zu: byte %zu differs\n", off, len, j);
                break;
            }
    }
    CHECK(bad == 0);

    /* into the inaccessible page: exactly the bytes before it */
    for (size_t before_end = 1; before_end <= 3 * page; before_end += page - 1) {
        size_t off = data - before_end;
        CHECK_OK(mmapc_proc_read(p, base + off, buf, before_end + 100, &done));
        CHECK(done == before_end);
        size_t j = 0;
        while (j < done && buf[j] == child_byte(off + j))
            j++;
        CHECK(j == done);
    }
    /* a range that starts in it, or in the unmapped page, or runs from the hole into data */
    CHECK_OK(mmapc_proc_read(p, base + PAGE_NONE * page, buf, 10, &done));
    CHECK(done == 0);
    CHECK_OK(mmapc_proc_read(p, base + PAGE_HOLE * page + 5, buf, 10, &done));
    CHECK(done == 0);
    CHECK_OK(mmapc_proc_read(p, base + PAGE_HOLE * page, buf, 2 * page, &done));
    CHECK(done == 0);
    /* the page after the hole reads on its own */
    CHECK_OK(mmapc_proc_read(p, base + PAGE_LAST * page, buf, page, &done));
    CHECK(done == page && buf[0] == child_byte(PAGE_LAST * page));
    /* a large range over everything stops at the inaccessible page */
    CHECK_OK(mmapc_proc_read(p, base, buf, REGION_PAGES * page, &done));
    CHECK(done == data);
    /* nothing to read */
    done = 1;
    CHECK_OK(mmapc_proc_read(p, base, buf, 0, &done));
    CHECK(done == 0);

    if (writes) {
        /* a write is seen by the child */
        size_t off = (size_t)rnd(data - 5000), len = 4097;
        for (size_t j = 0; j < len; j++)
            buf[j] = (unsigned char)(writes + j * 7);
        CHECK_OK(mmapc_proc_write(p, base + off, buf, len, &done));
        CHECK(done == len);
        CHECK(ask_child(off, len, (unsigned char)writes));
        /* a write that runs into the inaccessible page: the bytes before it land, exactly */
        off = data - 300;
        for (size_t j = 0; j < 1000; j++)
            buf[j] = (unsigned char)(writes + 1 + j * 7);
        CHECK_OK(mmapc_proc_write(p, base + off, buf, 1000, &done));
        CHECK(done == 300);
        CHECK(ask_child(off, 300, (unsigned char)(writes + 1)));
        CHECK_OK(mmapc_proc_write(p, base + PAGE_HOLE * page, buf, 10, &done));
        CHECK(done == 0);
        /* put the child's bytes back for the next reader */
        for (size_t j = 0; j < data; j++)
            buf[j] = child_byte(j);
        CHECK_OK(mmapc_proc_write(p, base, buf, data, &done));
        CHECK(done == data);
    }
    return check_failures - before;
}

/* A reader in a child of ours (the target's sibling) whose seccomp filter answers
 * process_vm_readv and process_vm_writev with err: the library must take /proc/<pid>/mem. */
static int filtered_reader(mmapc_proc *p, int err, int writes)
{
    pid_t r = fork();
    REQUIRE(r >= 0);
    if (r == 0) {
        struct sock_filter f[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_readv, 2, 0),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_writev, 1, 0),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
        };
        struct sock_fprog prog = {sizeof f / sizeof f[0], f};
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
            _exit(100);
        /* the filter is in place: the system call is refused */
        char c;
        struct iovec l = {&c, 1}, rem = {region, 1};
        if (process_vm_readv(getppid(), &l, 1, &rem, 1, 0) != -1 || errno != err)
            _exit(101);
        _exit(check_reads_and_writes(p, writes) ? 1 : 0);
    }
    int status;
    REQUIRE(waitpid(r, &status, 0) == r);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* A reader that may not trace the target (non-dumpable, and we without CAP_SYS_PTRACE in its
 * user namespace): the handle was opened before, so only the memory calls are refused. */
static int untraceable_reader(mmapc_proc *p)
{
    pid_t r = fork();
    REQUIRE(r >= 0);
    if (r == 0) {
        if (unshare(CLONE_NEWUSER) != 0)
            _exit(100);
        char buf[16] = {0};
        size_t done = 77;
        int rc = mmapc_proc_read(p, (uintptr_t)region, buf, sizeof buf, &done);
        int wc = mmapc_proc_write(p, (uintptr_t)region, buf, sizeof buf, &done);
        if (rc != MMAPC_EPERM || wc != MMAPC_EPERM || done != 77) {
            fprintf(stderr, "untraceable: read %s, write %s, done %zu\n", mmapc_err_name(rc),
                    mmapc_err_name(wc), done);
            _exit(1);
        }
        _exit(0);
    }
    int status;
    REQUIRE(waitpid(r, &status, 0) == r);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(void)
{
    page = mmapc_page_size();
    region =
        mmap(NULL, REGION_PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(region != MAP_FAILED);
    REQUIRE(mprotect(region + PAGE_NONE * page, page, PROT_NONE) == 0);
    REQUIRE(munmap(region + PAGE_HOLE * page, page) == 0);
    REQUIRE(pipe(to_child) == 0 && pipe(from_child) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0)
        child_main();
    char ok;
    REQUIRE(read(from_child[0], &ok, 1) == 1 && ok == 1);

    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, child, 0));
    /* qemu-user for a 32-bit guest on a 64-bit host has no process_vm_readv and places the
     * guest at an offset in its own address space, which /proc/PID/mem does not know */
    static const char probe[32] = "mmapc probe of guest addresses";
    char seen[32] = {0};
    size_t seen_len = 0;
    int offset = mmapc_proc_read(p, (uintptr_t)probe, seen, sizeof seen, &seen_len) != 0 ||
                 seen_len != sizeof seen || memcmp(probe, seen, sizeof seen) != 0;
    if (offset && check_under_emulator()) {
        CHECK_SKIP("the emulator's guest addresses are not the host's, which /proc/PID/mem reads");
        mmapc_proc_close(p);
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        return CHECK_SKIP_CODE; /* nothing here can be checked (.ci/allowed-skips) */
    }
    check_reads_and_writes(p, 1);

    /* ourselves, through MMAPC_SELF: our own copy of the region */
    mmapc_proc *self;
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    unsigned char mine[64];
    size_t done;
    memset(region, 0x5a, 64);
    CHECK_OK(mmapc_proc_read(self, (uintptr_t)region, mine, sizeof mine, &done));
    CHECK(done == sizeof mine && mine[0] == 0x5a && mine[63] == 0x5a);
    CHECK_OK(mmapc_proc_read(self, (uintptr_t)region + PAGE_NONE * page - 8, mine, 64, &done));
    CHECK(done == 8);

    /* argument checks */
    CHECK_RC(mmapc_proc_read(NULL, 0, mine, 1, &done), MMAPC_EINVAL_ARG);
    /* done may be NULL, as for mmapc_read(): the copy happens all the same */
    memset(mine, 0, sizeof mine);
    CHECK_OK(mmapc_proc_read(self, (uintptr_t)region, mine, sizeof mine, NULL));
    CHECK(mine[0] == 0x5a && mine[63] == 0x5a);
    CHECK_OK(mmapc_proc_read(self, (uintptr_t)region + PAGE_NONE * page - 8, mine, 64, NULL));
    memset(mine, 0x33, 8);
    CHECK_OK(mmapc_proc_write(self, (uintptr_t)region, mine, 8, NULL));
    CHECK(region[0] == 0x33 && region[7] == 0x33 && region[8] == 0x5a);
    CHECK_OK(mmapc_proc_read(self, (uintptr_t)region, NULL, 0, NULL));
    CHECK_RC(mmapc_proc_read(p, 0, NULL, 1, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_write(p, 0, NULL, 1, &done), MMAPC_EINVAL_ARG);

    /* /proc/<pid>/mem, when the system calls are refused by a filter or missing */
    if (check_under_emulator()) {
        CHECK_SKIP("qemu-user runs a seccomp filter on its own system calls, not the guest's");
    } else {
        CHECK(filtered_reader(p, EPERM, 3) == 0);
        CHECK(filtered_reader(p, ENOSYS, 5) == 0);
    }

    /* a process we may not trace */
    CHECK(ask_child(0, 0, 0));
    int u = untraceable_reader(p);
    if (u == 100)
        CHECK_SKIP("no user namespace for the reader (qemu-user runs threads of its own, which "
                   "unshare refuses; or user namespaces are disabled)");
    else
        CHECK(u == 0);

    mmapc_proc_close(self);
    mmapc_proc_close(p);
    close(to_child[1]);
    int status;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return check_done();
}
