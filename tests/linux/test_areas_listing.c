// SPDX-License-Identifier: MIT
/*
 * The library's areas equal /proc/<pid>/maps line for line, for this process and for a child
 * with 10,000 extra mappings and areas of every kind; queries (PROCMAP_QUERY and the text path,
 * which must agree) at the first byte, the last byte, one past the end and in gaps; iteration
 * over ranges that start and end inside areas.
 */
#include "areas_util.h"
#include "kernel_probe.h"

#include <signal.h>

#define EXTRA 10000
#define RAW_CAP (16u << 20)

static char self_raw[1 << 20];

static void test_self(void)
{
    au_special s;
    au_make_special(&s);
    /* The iterator first (its snapshot buffer is allocated before it reads), then the raw text
     * into static memory: nothing changes our areas in between. */
    for (int round = 0; round < 2; round++) {
        mmapc_areas *it;
        REQUIRE_OK(mmapc_areas_open(&it, MMAPC_SELF));
        size_t len = au_read_all("/proc/self/maps", self_raw, sizeof self_raw);
        long n = au_compare(self_raw, len, it);
        mmapc_areas_close(it);
        CHECK(n > 5);
    }
    au_check_special(MMAPC_SELF, &s);
}

/* A child holding EXTRA extra areas and the special ones still until it is killed. */
static pid_t spawn_child(au_special *s)
{
    int to_parent[2];
    REQUIRE(pipe(to_parent) == 0);
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(to_parent[0]);
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        /* one mapping, then every other page made writable: EXTRA areas that cannot merge */
        char *many = mmap(NULL, page * EXTRA, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (many == MAP_FAILED)
            _exit(2);
        for (size_t i = 1; i < EXTRA; i += 2)
            if (mprotect(many + i * page, page, PROT_READ | PROT_WRITE) != 0)
                _exit(3);
        au_make_special(s);
        if (write(to_parent[1], s, sizeof *s) != (ssize_t)sizeof *s)
            _exit(4);
        for (;;)
            pause();
    }
    close(to_parent[1]);
    ssize_t got = read(to_parent[0], s, sizeof *s);
    close(to_parent[0]);
    if (got != (ssize_t)sizeof *s) {
        int status;
        waitpid(pid, &status, 0);
        fprintf(stderr, "child failed to set up (status 0x%x)\n", status);
        exit(1);
    }
    return pid;
}

/* The expected answer to a query at addr, from the listing: index of the area, or -1. */
static long expect_at(const mmapc_area *v, long n, uint64_t addr)
{
    long lo = 0, hi = n;
    while (lo < hi) {
        long mid = (lo + hi) / 2;
        if (v[mid].end <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].start <= addr ? lo : -1;
}

static int query_failures;

static void check_query(mmapc_proc *p, const mmapc_area *v, char **paths, long n, uint64_t addr)
{
    char buf[4200];
    mmapc_area a;
    long want = expect_at(v, n, addr);
    int rc = mmapc_proc_query(p, addr, &a, buf, sizeof buf);
    int ok = want < 0 ? rc == MMAPC_ENOTFOUND : rc == 0 && au_same(&a, &v[want]);
    if (!ok && query_failures++ < 5)
        fprintf(stderr, "query %#" PRIx64 " (%s): %s, expected %s%s\n", addr,
                mmapc_proc_direct(p) ? "direct" : "text", mmapc_err_name(rc),
                want < 0 ? "no area" : "area ", want < 0 ? "" : paths[want]);
    CHECK(ok);
}

/* Queries at the edges of area i and in the gap after it, if any. */
static void check_edges(mmapc_proc *p, const mmapc_area *v, char **paths, long n, long i)
{
    check_query(p, v, paths, n, v[i].start);
    check_query(p, v, paths, n, v[i].end - 1);
    check_query(p, v, paths, n, v[i].end); /* one past the end: the next area or a gap */
    if (v[i].start > 0)
        check_query(p, v, paths, n, v[i].start - 1);
}

static void check_range(mmapc_proc *p, const mmapc_area *v, long n, long i, long j)
{
    /* from inside area i to inside area j: exactly areas i..j */
    uint64_t start = v[i].start + (v[i].end - v[i].start) / 2;
    uint64_t end = v[j].start + (v[j].end - v[j].start) / 2 + 1;
    mmapc_areas *it;
    REQUIRE_OK(mmapc_proc_areas(&it, p, start, end));
    mmapc_area a;
    long k = i;
    int rc;
    while ((rc = mmapc_areas_next(it, &a)) > 0) {
        CHECK(k <= j && au_same(&a, &v[k]));
        k++;
    }
    CHECK(rc == 0 && k == j + 1);
    mmapc_areas_close(it);
    (void)n;
}

static void test_child(void)
{
    au_special s;
    pid_t pid = spawn_child(&s);
    char *raw = malloc(RAW_CAP);
    REQUIRE(raw != NULL);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    size_t len = au_read_all(path, raw, RAW_CAP);

    /* line for line, through a one-shot iteration and through both kinds of handle */
    mmapc_proc *direct, *text;
    REQUIRE_OK(mmapc_proc_open(&direct, pid, 0));
    REQUIRE_OK(mmapc_proc_open(&text, pid, MMAPC_PROC_TEXT));
    mmapc_areas *it;
    REQUIRE_OK(mmapc_areas_open(&it, pid));
    long n = au_compare(raw, len, it);
    mmapc_areas_close(it);
    CHECK(n > EXTRA);
    REQUIRE_OK(mmapc_proc_areas(&it, direct, 0, UINT64_MAX));
    CHECK(au_compare(raw, len, it) == n);
    mmapc_areas_close(it);
    /* qemu-user shows another process's maps as the host sees it, where a 32-bit guest's
     * addresses are moved by the emulator's base: the child's own pointers are not there */
    if (check_under_emulator() && sizeof(void *) == 4)
        CHECK_SKIP("qemu-user, 32-bit guest: the child's areas at its own addresses");
    else
        au_check_special(pid, &s);
    REQUIRE(n > EXTRA);

    /* keep the listing (paths copied out of the iteration) as the oracle for queries */
    mmapc_area *v = calloc((size_t)n, sizeof *v);
    char **paths = calloc((size_t)n, sizeof *paths);
    REQUIRE(v && paths);
    REQUIRE_OK(mmapc_areas_open(&it, pid));
    for (long i = 0; i < n; i++) {
        REQUIRE(mmapc_areas_next(it, &v[i]) == 1);
        paths[i] = strdup(v[i].path);
        REQUIRE(paths[i] != NULL);
        v[i].path = paths[i];
    }
    mmapc_areas_close(it);

    /* the direct query exactly where the kernel answers PROCMAP_QUERY (unless forced to the
     * text); where it does not, the same handle answers from the text, checked below */
    int has_query = kernel_has_procmap_query();
    REQUIRE(has_query >= 0);
    CHECK(mmapc_proc_direct(direct) == (has_query && !forced_text()));
    if (mmapc_proc_direct(direct))
        for (long i = 0; i < n; i++)
            check_edges(direct, v, paths, n, i);
    else
        fprintf(stderr, "note: no PROCMAP_QUERY here: every query of this test reads the text\n");
    CHECK(!mmapc_proc_direct(text));
    /* the text path scans up to the answer, so it gets a sample: the ends, every 97th area, and
     * every area that is not plain anonymous memory */
    for (long i = 0; i < n; i++)
        if (i < 3 || i > n - 4 || i % 97 == 0 || v[i].kind != MMAPC_AREA_ANON)
            check_edges(text, v, paths, n, i);
    check_query(direct, v, paths, n, 0);
    check_query(text, v, paths, n, 0);
    check_query(direct, v, paths, n, UINT64_MAX);
    check_query(text, v, paths, n, UINT64_MAX);

    /* ranges inside the many small areas, across special ones, and over everything */
    for (long i = 0; i + 7 < n; i += n / 13) {
        check_range(direct, v, n, i, i + 7);
        check_range(text, v, n, i, i);
    }
    check_range(direct, v, n, 0, n - 1);
    REQUIRE_OK(mmapc_proc_areas(&it, direct, v[1].start, v[1].start));
    mmapc_area a;
    CHECK(mmapc_areas_next(it, &a) == 0); /* an empty range */
    mmapc_areas_close(it);
    CHECK_RC(mmapc_proc_areas(&it, direct, 2, 1), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_areas_open_range(&it, pid, 2, 1), MMAPC_EINVAL_OFFSET);

    for (long i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(v);
    free(raw);
    mmapc_proc_close(direct);
    mmapc_proc_close(text);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

int main(void)
{
    test_self();
    test_child();
    return check_done();
}
