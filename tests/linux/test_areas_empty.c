// SPDX-License-Identifier: MIT
/*
 * Processes without areas. A kernel thread (kthreadd, pid 2) lives without a user address space:
 * its listing is empty, so an iteration ends at once without error and a query finds nothing
 * (MMAPC_ENOTFOUND). A zombie has ended: it has no memory left, so every call says
 * MMAPC_ESRCH, as for a process already reaped.
 */
#include "areas_util.h"

#include <sys/wait.h>

#define KTHREADD 2
#define PF_KTHREAD_FLAG 0x00200000u

/* The areas of an iteration: their count, or the error that ended it. */
static int count_areas(mmapc_areas *it)
{
    mmapc_area a;
    int n = 0, rc;
    while ((rc = mmapc_areas_next(it, &a)) > 0)
        n++;
    CHECK_RC(mmapc_areas_next(it, &a), rc); /* the end, or the error, stays */
    mmapc_areas_close(it);
    return rc < 0 ? rc : n;
}

/* Every call on pid, through one-shot calls and a handle (direct and text), answers with
 * want_iter for an iteration (an area count or an error) and want_query for a query. */
static void check_pid(int pid, int want_iter, int want_query)
{
    mmapc_areas *it;
    mmapc_area a;
    char buf[64];
    int rc = mmapc_areas_open(&it, pid);
    CHECK_RC(rc == 0 ? count_areas(it) : rc, want_iter);
    rc = mmapc_areas_open_range(&it, pid, 0, 1u << 20);
    CHECK_RC(rc == 0 ? count_areas(it) : rc, want_iter);
    CHECK_RC(mmapc_area_query(pid, 0x10000, &a, buf, sizeof buf), want_query);
    CHECK_RC(mmapc_area_query(pid, UINT64_MAX - 1, &a, NULL, 0), want_query);
    for (unsigned flags = 0; flags <= MMAPC_PROC_TEXT; flags += MMAPC_PROC_TEXT) {
        mmapc_proc *p;
        rc = mmapc_proc_open(&p, pid, flags);
        if (rc != 0) {
            CHECK_RC(rc, want_query); /* only a process that is gone may refuse the open */
            continue;
        }
        CHECK_RC(mmapc_proc_query(p, 0x10000, &a, buf, sizeof buf), want_query);
        CHECK_RC(mmapc_proc_query(p, 0, &a, NULL, 0), want_query);
        rc = mmapc_proc_areas(&it, p, 0, UINT64_MAX);
        CHECK_RC(rc == 0 ? count_areas(it) : rc, want_iter);
        mmapc_proc_close(p);
    }
}

/* Non-zero when pid is a kernel thread (PF_KTHREAD in its flags). */
static int kernel_thread(int pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    unsigned flags = 0;
    return p && sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %u", &flags) == 1 &&
           (flags & PF_KTHREAD_FLAG) != 0;
}

static void test_kernel_thread(void)
{
    REQUIRE(kernel_thread(KTHREADD)); /* kthreadd is pid 2 since Linux 2.6.27 */
    check_pid(KTHREADD, 0, MMAPC_ENOTFOUND);
}

static void test_zombie(void)
{
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        _exit(0);
    siginfo_t si;
    REQUIRE(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0); /* a zombie now */
    check_pid(pid, MMAPC_ESRCH, MMAPC_ESRCH);
    REQUIRE(waitpid(pid, NULL, 0) == pid); /* reaped: gone for good */
    check_pid(pid, MMAPC_ESRCH, MMAPC_ESRCH);
}

/* A handle opened on a live child answers MMAPC_ESRCH once the child is a zombie. */
static void test_handle_outlives(void)
{
    int go[2];
    REQUIRE(pipe(go) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        char c;
        close(go[1]);
        _exit(read(go[0], &c, 1) == 1 ? 0 : 1);
    }
    close(go[0]);
    mmapc_proc *direct, *text;
    mmapc_area a;
    REQUIRE_OK(mmapc_proc_open(&direct, pid, 0));
    REQUIRE_OK(mmapc_proc_open(&text, pid, MMAPC_PROC_TEXT));
    CHECK_OK(mmapc_proc_query(direct, (uint64_t)(uintptr_t)&test_zombie, &a, NULL, 0));
    CHECK_OK(mmapc_proc_query(text, (uint64_t)(uintptr_t)&test_zombie, &a, NULL, 0));
    REQUIRE(write(go[1], "x", 1) == 1);
    siginfo_t si;
    REQUIRE(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0);
    CHECK_RC(mmapc_proc_query(direct, (uint64_t)(uintptr_t)&test_zombie, &a, NULL, 0), MMAPC_ESRCH);
    CHECK_RC(mmapc_proc_query(text, (uint64_t)(uintptr_t)&test_zombie, &a, NULL, 0), MMAPC_ESRCH);
    mmapc_areas *it;
    CHECK_RC(mmapc_proc_areas(&it, text, 0, UINT64_MAX), MMAPC_ESRCH);
    REQUIRE(waitpid(pid, NULL, 0) == pid);
    CHECK_RC(mmapc_proc_query(direct, (uint64_t)(uintptr_t)&test_zombie, &a, NULL, 0), MMAPC_ESRCH);
    CHECK_RC(mmapc_proc_areas(&it, direct, 0, UINT64_MAX), MMAPC_ESRCH);
    mmapc_proc_close(direct);
    mmapc_proc_close(text);
    close(go[1]);
}

int main(void)
{
    test_kernel_thread();
    test_zombie();
    test_handle_outlives();
    return check_done();
}
