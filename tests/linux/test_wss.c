// SPDX-License-Identifier: MIT
/*
 * Working set: a child holds two areas, A and B, every page written once. The test resets the
 * child's bits, tells it (through a pipe) to read K pages of A and write J of them, waits for its
 * answer and reads the figures back: A accessed at least K pages, B none; written exactly J
 * pages of A and none of B where the kernel keeps soft-dirty bits (a child of the test's own
 * probes the whole cycle: clear, write, look at bit 55), unknown where it does not. A second
 * interval without a touch shows that the reset clears. Then the errors: bad arguments, an ended
 * process (reaped, and a zombie), a reader that may not write clear_refs; no descriptor leaked.
 */
#include "check.h"
#include "exec_child.h"
#include "soft_dirty.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 64 /* of each area */
#define K 16     /* pages of A read */
#define J 5      /* of those, pages written */

static size_t page;
static int to_child[2], from_child[2];

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    REQUIRE(d);
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static void put(int fd, char c)
{
    REQUIRE(write(fd, &c, 1) == 1);
}

static char get(int fd)
{
    char c = 0;
    REQUIRE(read(fd, &c, 1) == 1);
    return c;
}

/* The child: maps A and B (apart, so that they never merge), writes every page, sends both
 * addresses and obeys: 't' touches (K read, J written), 'n' nothing, 'd' non-dumpable, 'q'
 * ends. Answers each with 'k'. */
static void child_main(void)
{
    char *a = mmap(NULL, (2 * PAGES + 1) * page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED)
        _exit(1);
    char *b = a + (PAGES + 1) * page;
    munmap(a + PAGES * page, page); /* a hole between */
    madvise(a, PAGES * page, MADV_NOHUGEPAGE);
    madvise(b, PAGES * page, MADV_NOHUGEPAGE);
    memset(a, 1, PAGES * page);
    memset(b, 1, PAGES * page);
    uintptr_t addrs[2] = {(uintptr_t)a, (uintptr_t)b};
    if (write(from_child[1], addrs, sizeof addrs) != (ssize_t)sizeof addrs)
        _exit(1);
    for (;;) {
        char c;
        if (read(to_child[0], &c, 1) != 1 || c == 'q')
            _exit(0);
        if (c == 't') {
            volatile char sum = 0;
            for (size_t i = 0; i < K; i++)
                sum += ((volatile char *)a)[i * page];
            for (size_t i = 0; i < J; i++)
                ((volatile char *)a)[i * page] = (char)(sum + 2);
        }
        if (c == 'd')
            prctl(PR_SET_DUMPABLE, 0);
        if (write(from_child[1], "k", 1) != 1)
            _exit(1);
    }
}

/* Whether the kernel keeps soft-dirty bits: the whole cycle (soft_dirty.h). */
static int soft_dirty_works(void)
{
    int code = soft_dirty_probe(page);
    fprintf(stderr, "soft-dirty: %s (probe exit %d)\n", code == 0 ? "kept" : "not kept", code);
    CHECK(code == 0 || code == 1); /* 5: a page never written again shows as written */
    return code == 0;
}

typedef struct figures {
    mmapc_wss a, b;
    int seen_a, seen_b;
} figures;

static void read_figures(mmapc_proc *p, uintptr_t a, uintptr_t b, unsigned what, figures *f)
{
    memset(f, 0, sizeof *f);
    mmapc_wss_areas *it;
    REQUIRE_OK(mmapc_proc_wss_areas(&it, p, 0, UINT64_MAX, what));
    mmapc_area area;
    mmapc_wss w;
    int rc;
    while ((rc = mmapc_wss_areas_next(it, &area, &w)) == 1) {
        CHECK((w.known & ~what) == 0);
        CHECK(w.accessed <= area.end - area.start && w.written <= area.end - area.start);
        if (area.start == a) {
            CHECK(area.end == a + PAGES * page);
            f->a = w;
            f->seen_a++;
        }
        if (area.start == b) {
            f->b = w;
            f->seen_b++;
        }
    }
    CHECK_RC(rc, 0);
    CHECK_RC(mmapc_wss_areas_next(it, &area, &w), 0);
    mmapc_wss_areas_close(it);
    CHECK(f->seen_a == 1 && f->seen_b == 1);
}

/* One interval: reset, the child does cmd, read. */
static void interval(mmapc_proc *p, unsigned what, char cmd, uintptr_t a, uintptr_t b, figures *f)
{
    REQUIRE_OK(mmapc_proc_wss_reset(p, what));
    put(to_child[1], cmd);
    REQUIRE(get(from_child[0]) == 'k');
    read_figures(p, a, b, what, f);
}

/* A reader that may not write the child's clear_refs: as root another user (root owns the
 * files of a non-dumpable process, and may write them whatever its namespace); otherwise the
 * owner's mode bits refuse it. The handle was opened before. */
static int refused_reader(mmapc_proc *p, unsigned what)
{
    pid_t r = fork();
    REQUIRE(r >= 0);
    if (r == 0) {
        if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
                               setresuid(65534, 65534, 65534) != 0))
            _exit(100);
        int rc = mmapc_proc_wss_reset(p, what);
        if (rc != MMAPC_EACCES) {
            fprintf(stderr, "refused reader: reset %s\n", mmapc_err_name(rc));
            _exit(1);
        }
        _exit(0);
    }
    int status;
    REQUIRE(waitpid(r, &status, 0) == r);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* A handle opened before its process runs exec measures the new program: the process lives on
 * (its old address space is gone, not the process). */
static void after_exec(unsigned what)
{
    exec_child c;
    exec_child_start(&c);
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, c.pid, 0));
    REQUIRE_OK(mmapc_proc_wss_reset(p, what));
    exec_child_go(&c);
    CHECK_OK(mmapc_proc_wss_reset(p, what));
    mmapc_wss_areas *it;
    mmapc_area area;
    mmapc_wss w;
    int rc = mmapc_proc_wss_areas(&it, p, 0, UINT64_MAX, what);
    CHECK_RC(rc, MMAPC_OK);
    if (rc == 0) {
        CHECK_RC(mmapc_wss_areas_next(it, &area, &w), 1);
        mmapc_wss_areas_close(it);
    }
    exec_child_end(&c);
    mmapc_proc_close(p);
}

int main(void)
{
    if (check_pagemap_not_guests())
        return CHECK_SKIP_CODE;
    page = mmapc_page_size();
    int fds = count_fds();
    unsigned support = 99;
    CHECK_RC(mmapc_wss_support(NULL), MMAPC_EINVAL_ARG);
    CHECK_OK(mmapc_wss_support(&support));
    CHECK(support & MMAPC_WSS_ACCESSED); /* every kernel of the CI has clear_refs */
    int sd = soft_dirty_works();
    CHECK(((support & MMAPC_WSS_WRITTEN) != 0) == sd);
    unsigned what = support & (MMAPC_WSS_ACCESSED | MMAPC_WSS_WRITTEN);

    REQUIRE(pipe(to_child) == 0 && pipe(from_child) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0)
        child_main();
    uintptr_t addrs[2];
    REQUIRE(read(from_child[0], addrs, sizeof addrs) == (ssize_t)sizeof addrs);
    uintptr_t a = addrs[0], b = addrs[1];
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, child, 0));

    /* bad arguments change nothing */
    CHECK_RC(mmapc_proc_wss_reset(NULL, MMAPC_WSS_ACCESSED), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_wss_reset(p, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_wss_reset(p, 4), MMAPC_EINVAL_ARG);
    mmapc_wss_areas *it = (mmapc_wss_areas *)&addrs; /* written only on success */
    CHECK_RC(mmapc_proc_wss_areas(&it, p, 0, UINT64_MAX, 0), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_wss_areas(&it, NULL, 0, UINT64_MAX, 1), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_wss_areas(NULL, p, 0, UINT64_MAX, 1), MMAPC_EINVAL_ARG);
    CHECK(it == (mmapc_wss_areas *)&addrs);
    CHECK_RC(mmapc_wss_areas_next(NULL, NULL, NULL), MMAPC_EINVAL_ARG);
    mmapc_wss_areas_close(NULL);
    if (!sd)
        CHECK_RC(mmapc_proc_wss_reset(p, MMAPC_WSS_WRITTEN), MMAPC_EUNSUPPORTED);

    /* the pages touched, and only those */
    figures f;
    interval(p, what, 't', a, b, &f);
    fprintf(stderr, "A: accessed %llu written %llu (known %u); B: accessed %llu written %llu\n",
            (unsigned long long)f.a.accessed, (unsigned long long)f.a.written, f.a.known,
            (unsigned long long)f.b.accessed, (unsigned long long)f.b.written);
    CHECK(f.a.known & MMAPC_WSS_ACCESSED);
    CHECK(f.a.accessed >= K * page);
    CHECK(f.b.accessed == 0);
    if (sd) {
        CHECK(f.a.known & MMAPC_WSS_WRITTEN);
        CHECK(f.a.written == J * page);
        CHECK(f.b.written == 0 && (f.b.known & MMAPC_WSS_WRITTEN));
    } else {
        CHECK(!(f.a.known & MMAPC_WSS_WRITTEN) && f.a.written == 0);
    }
    /* an interval without a touch: the reset cleared what the last one saw */
    interval(p, what, 'n', a, b, &f);
    CHECK(f.a.accessed == 0 && f.b.accessed == 0);
    CHECK(f.a.written == 0 && f.b.written == 0);
    /* accessed alone: the written bits are not asked, not counted. Where the kernel keeps
     * soft-dirty bits, the reset leaves them and the TLBs alone (see linux_wss.c), so a page
     * whose translation stayed cached may go unseen: at least K pages only without them */
    interval(p, MMAPC_WSS_ACCESSED, 't', a, b, &f);
    CHECK(f.a.known == MMAPC_WSS_ACCESSED && f.a.written == 0);
    CHECK(sd || f.a.accessed >= K * page);
    CHECK(f.b.accessed == 0);
    /* written alone, where there is soft-dirty */
    if (sd) {
        interval(p, MMAPC_WSS_WRITTEN, 't', a, b, &f);
        CHECK(f.a.known == MMAPC_WSS_WRITTEN && f.a.written == J * page && f.a.accessed == 0);
    }
    /* a range: the areas that intersect it */
    REQUIRE_OK(mmapc_proc_wss_areas(&it, p, b, b + 1, what));
    mmapc_area area;
    mmapc_wss w;
    CHECK_RC(mmapc_wss_areas_next(it, &area, &w), 1);
    CHECK(area.start == b);
    CHECK_RC(mmapc_wss_areas_next(it, &area, &w), 0);
    mmapc_wss_areas_close(it);

    /* no permission */
    put(to_child[1], 'd');
    REQUIRE(get(from_child[0]) == 'k');
    int refused = refused_reader(p, MMAPC_WSS_ACCESSED);
    if (refused == 100)
        fprintf(stderr, "cannot become another user: the refusal is not tested\n");
    else
        CHECK(refused == 0);

    /* an ended process: a zombie, then reaped */
    put(to_child[1], 'q');
    siginfo_t si;
    REQUIRE(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) == 0);
    CHECK_RC(mmapc_proc_wss_reset(p, MMAPC_WSS_ACCESSED), MMAPC_ESRCH);
    CHECK_RC(mmapc_proc_wss_reset(p, what), MMAPC_ESRCH);
    int rc = mmapc_proc_wss_areas(&it, p, 0, UINT64_MAX, what);
    CHECK(rc == MMAPC_ESRCH || rc == 0);
    if (rc == 0) { /* a zombie's listing is empty: then the end is an error */
        CHECK_RC(mmapc_wss_areas_next(it, &area, &w), MMAPC_ESRCH);
        mmapc_wss_areas_close(it);
    }
    REQUIRE(waitpid(child, NULL, 0) == child);
    CHECK_RC(mmapc_proc_wss_reset(p, MMAPC_WSS_ACCESSED), MMAPC_ESRCH);
    CHECK_RC(mmapc_proc_wss_areas(&it, p, 0, UINT64_MAX, what), MMAPC_ESRCH);
    mmapc_proc_close(p);

    after_exec(what);

    /* this process itself */
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, 0));
    char *m = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(m != MAP_FAILED);
    memset(m, 1, PAGES * page);
    REQUIRE_OK(mmapc_proc_wss_reset(p, what));
    for (size_t i = 0; i < J; i++)
        ((volatile char *)m)[i * page] = 3;
    REQUIRE_OK(mmapc_proc_wss_areas(&it, p, (uintptr_t)m, (uintptr_t)m + 1, what));
    CHECK_RC(mmapc_wss_areas_next(it, &area, &w), 1);
    CHECK(w.accessed >= J * page);
    if (sd)
        CHECK(w.written >= J * page); /* the area may have merged with a neighbour */
    mmapc_wss_areas_close(it);
    munmap(m, PAGES * page);
    mmapc_proc_close(p);

    close(to_child[0]);
    close(to_child[1]);
    close(from_child[0]);
    close(from_child[1]);
    CHECK(count_fds() == fds);
    printf("%d checks, %d failures\n", check_count, check_failures);
    return check_failures ? 1 : 0;
}
