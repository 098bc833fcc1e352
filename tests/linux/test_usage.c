// SPDX-License-Identifier: MIT
/*
 * Memory use per area on Linux, against the kernel's own text: for a quiescent child with 10,000
 * areas every figure of every area equals its /proc/PID/smaps entry, field for field (the text
 * parsed here with sscanf, apart from the library), the totals equal smaps_rollup, and a query
 * gives what the iteration gave. Then this process's own mappings with known use, and the
 * errors.
 */
#include "check.h"
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child's extra areas; a tenth of them on a slow run (valgrind, an emulator), where the
 * test's own parse of the text would take minutes. */
#define AREAS 10000
static size_t areas = AREAS;
#define TRIES 6

/* AddressSanitizer makes mlock() a no-op that succeeds. */
#if defined(__SANITIZE_ADDRESS__)
#define MLOCK_WORKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MLOCK_WORKS 0
#endif
#endif
#ifndef MLOCK_WORKS
#define MLOCK_WORKS 1
#endif

/* ---- the child ---- */

/* The child's part: n extra areas of every sort of use, their place written to fd, then
 * pause() until killed: pages written (private dirty), pages only read (the zero page: nothing
 * resident), pages never touched, locked pages (written: resident on every kernel), and a file
 * mapped read-only (clean, shared with the page cache). */
static _Noreturn void be_child(int fd, size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 2 * n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t msg[2] = {0, 0};
    if (m != MAP_FAILED) {
        for (size_t i = 0; i < n; i++) {
            char *a = m + 2 * i * page; /* two pages an area */
            if (i % 3 == 0)
                a[0] = 1, a[page] = (char)i;
            else if (i % 3 == 1)
                a[page] = 1;
            /* a page to be locked is written first: a read-only page never written is locked as
             * the shared zero page, which some kernels (6.1, 6.18) count in neither Rss nor
             * Locked, and others (6.12) in both */
            if (i % 997 == 5)
                a[0] = 2;
            if (i % 2 && mprotect(a, 2 * page, PROT_READ) != 0)
                _exit(1);
            if (i % 997 == 5 && mlock(a, page) != 0)
                _exit(1);
            volatile char sink = a[0];
            (void)sink;
        }
        msg[0] = (uint64_t)(uintptr_t)m;
        msg[1] = 2 * n * page;
    }
    int f = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    void *p = f >= 0 ? mmap(NULL, page, PROT_READ, MAP_PRIVATE, f, 0) : MAP_FAILED;
    if (p != MAP_FAILED)
        (void)*(volatile char *)p;
    if (write(fd, msg, sizeof msg) != sizeof msg)
        _exit(1);
    for (;;)
        pause();
}

/* The child runs a fresh image of this program (exec), so that it shares no copy-on-write page
 * with this process: every page this process writes while it looks would otherwise move the
 * child's shared and private counts. Where the exec fails (an emulator without binfmt), the
 * forked copy is the child. */
static pid_t child_with_areas(const char *self, uint64_t *base, size_t *size)
{
    int p[2];
    REQUIRE(pipe(p) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        char fd[16], n[24];
        snprintf(fd, sizeof fd, "%d", p[1]);
        snprintf(n, sizeof n, "%zu", areas);
        execl(self, self, "--child", fd, n, (char *)NULL);
        be_child(p[1], areas);
    }
    uint64_t msg[2] = {0, 0};
    close(p[1]);
    REQUIRE(read(p[0], msg, sizeof msg) == sizeof msg && msg[0] != 0);
    close(p[0]);
    *base = msg[0];
    *size = (size_t)msg[1];
    return pid;
}

/* ---- the oracle: /proc/PID/<file> as text, parsed apart from the library ---- */

static char *read_text(int pid, const char *file, size_t *len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    REQUIRE(buf);
    for (;;) {
        if (cap - n < 65536) {
            buf = realloc(buf, 2 * cap + 1);
            REQUIRE(buf);
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        REQUIRE(got >= 0);
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The field of u that a key names, by the key as the kernel prints it. */
static uint64_t *kb_field(mmapc_area_usage *u, const char *key, uint64_t *bit)
{
#define F(name, field, b)                                                                          \
    if (strcmp(key, name) == 0) {                                                                  \
        *bit = b;                                                                                  \
        return &u->field;                                                                          \
    }
    F("Size", size, MMAPC_USAGE_SIZE)
    F("KernelPageSize", kernel_page_size, MMAPC_USAGE_KERNEL_PAGE_SIZE)
    F("MMUPageSize", mmu_page_size, MMAPC_USAGE_MMU_PAGE_SIZE)
    F("Rss", rss, MMAPC_USAGE_RSS)
    F("Pss", pss, MMAPC_USAGE_PSS)
    F("Pss_Dirty", pss_dirty, MMAPC_USAGE_PSS_DIRTY)
    F("Pss_Anon", pss_anon, MMAPC_USAGE_PSS_ANON)
    F("Pss_File", pss_file, MMAPC_USAGE_PSS_FILE)
    F("Pss_Shmem", pss_shmem, MMAPC_USAGE_PSS_SHMEM)
    F("Shared_Clean", shared_clean, MMAPC_USAGE_SHARED_CLEAN)
    F("Shared_Dirty", shared_dirty, MMAPC_USAGE_SHARED_DIRTY)
    F("Private_Clean", private_clean, MMAPC_USAGE_PRIVATE_CLEAN)
    F("Private_Dirty", private_dirty, MMAPC_USAGE_PRIVATE_DIRTY)
    F("Referenced", referenced, MMAPC_USAGE_REFERENCED)
    F("Anonymous", anonymous, MMAPC_USAGE_ANONYMOUS)
    F("KSM", ksm, MMAPC_USAGE_KSM)
    F("LazyFree", lazy_free, MMAPC_USAGE_LAZY_FREE)
    F("AnonHugePages", anon_huge_pages, MMAPC_USAGE_ANON_HUGE_PAGES)
    F("ShmemPmdMapped", shmem_pmd_mapped, MMAPC_USAGE_SHMEM_PMD_MAPPED)
    F("FilePmdMapped", file_pmd_mapped, MMAPC_USAGE_FILE_PMD_MAPPED)
    F("Shared_Hugetlb", shared_hugetlb, MMAPC_USAGE_SHARED_HUGETLB)
    F("Private_Hugetlb", private_hugetlb, MMAPC_USAGE_PRIVATE_HUGETLB)
    F("Swap", swap, MMAPC_USAGE_SWAP)
    F("SwapPss", swap_pss, MMAPC_USAGE_SWAP_PSS)
    F("Locked", locked, MMAPC_USAGE_LOCKED)
#undef F
    return NULL;
}

/* The MMAPC_VM_* bit of a two-letter code, through the library's names; 0 if none. */
static uint64_t flag_bit(const char *code)
{
    for (int i = 0; i < 64; i++) {
        const char *name = mmapc_vm_flag_name(UINT64_C(1) << i);
        if (name && strcmp(name, code) == 0)
            return UINT64_C(1) << i;
    }
    return 0;
}

/* One key line of the text into *u, the way a reader of proc(5) would: 0, or -1 if the line is
 * not understood (every key this kernel prints must be). */
static int oracle_line(const char *line, mmapc_area_usage *u)
{
    char key[64];
    unsigned long long v;
    int off = 0;
    if (sscanf(line, "%63[A-Za-z_]:%n", key, &off) != 1 || off == 0)
        return -1;
    uint64_t bit = 0;
    if (strcmp(key, "VmFlags") == 0) {
        char code[8];
        int n;
        for (const char *p = line + off; sscanf(p, "%7s%n", code, &n) == 1; p += n) {
            uint64_t b = flag_bit(code);
            if (!b)
                return -1;
            u->vm_flags |= b;
        }
        u->known |= MMAPC_USAGE_VM_FLAGS;
        return 0;
    }
    if (strcmp(key, "THPeligible") == 0 || strcmp(key, "ProtectionKey") == 0) {
        int x;
        if (sscanf(line + off, "%d", &x) != 1)
            return -1;
        if (key[0] == 'T') {
            u->thp_eligible = x;
            u->known |= MMAPC_USAGE_THP_ELIGIBLE;
        } else {
            u->protection_key = x;
            u->known |= MMAPC_USAGE_PROTECTION_KEY;
        }
        return 0;
    }
    uint64_t *f = kb_field(u, key, &bit);
    if (!f || sscanf(line + off, "%llu kB", &v) != 1)
        return -1;
    *f = (uint64_t)v * 1024;
    u->known |= bit;
    return 0;
}

typedef struct entry {
    uint64_t start, end;
    mmapc_area_usage u;
} entry;

/* The whole smaps text into entries; returns how many (the sums of shared and private pages
 * added as the library defines them). */
static size_t oracle_parse(char *text, entry *out, size_t cap)
{
    size_t n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long long s, e;
        char dash;
        if (sscanf(line, "%llx%c%llx ", &s, &dash, &e) == 3 && dash == '-') {
            REQUIRE(n < cap);
            memset(&out[n], 0, sizeof out[n]);
            out[n].start = s;
            out[n].end = e;
            n++;
            continue;
        }
        REQUIRE(n > 0);
        if (oracle_line(line, &out[n - 1].u) != 0) {
            fprintf(stderr, "line not understood: '%s'\n", line);
            CHECK(0);
        }
    }
    for (size_t i = 0; i < n; i++) {
        mmapc_area_usage *u = &out[i].u;
        u->resident_shared = u->shared_clean + u->shared_dirty;
        u->resident_private = u->private_clean + u->private_dirty;
        u->known |= MMAPC_USAGE_RESIDENT_SHARED | MMAPC_USAGE_RESIDENT_PRIVATE;
    }
    return n;
}

/* The library's iteration with usage into entries. */
static size_t library_entries(mmapc_proc *proc, entry *out, size_t cap)
{
    mmapc_areas *it;
    REQUIRE_OK(mmapc_proc_areas_usage(&it, proc, 0, UINT64_MAX));
    mmapc_area a;
    size_t n = 0;
    int rc;
    while ((rc = mmapc_areas_next(it, &a)) == 1) {
        REQUIRE(n < cap);
        out[n].start = a.start;
        out[n].end = a.end;
        CHECK_OK(mmapc_areas_usage(it, &out[n].u));
        n++;
    }
    CHECK_RC(rc, 0);
    mmapc_areas_close(it);
    return n;
}

/* Add the byte counts of a to *sum (not the page sizes: they are no amounts). */
static void add_usage(mmapc_area_usage *sum, const mmapc_area_usage *a)
{
    uint64_t *s = &sum->rss;
    const uint64_t *x = &a->rss;
    /* rss .. locked, then the two sums of resident pages, are consecutive uint64_t fields */
    for (size_t i = 0; i <= (size_t)(&a->resident_private - &a->rss); i++)
        s[i] += x[i];
}

static int same_usage(const mmapc_area_usage *x, const mmapc_area_usage *y)
{
    return memcmp(x, y, sizeof *x) == 0;
}

/* Equal but for the figures that other processes move on pages they map too: the proportional
 * ones (a page's share changes as they map and unmap it) and Referenced (reclaim clears the bit
 * for all who map the page). Only for an area that holds such pages. */
static int same_but_shared(const mmapc_area_usage *x, const mmapc_area_usage *y)
{
    if (x->resident_shared == 0 && y->resident_shared == 0)
        return 0;
    mmapc_area_usage a = *x, b = *y;
    a.pss = b.pss, a.pss_dirty = b.pss_dirty, a.swap_pss = b.swap_pss, a.locked = b.locked;
    a.referenced = b.referenced;
    /* a page the last other process unmapped (or a new one mapped) moves between shared and
     * private: the clean and the dirty totals stay */
    if (a.shared_clean + a.private_clean != b.shared_clean + b.private_clean ||
        a.shared_dirty + a.private_dirty != b.shared_dirty + b.private_dirty)
        return 0;
    a.shared_clean = b.shared_clean, a.private_clean = b.private_clean;
    a.shared_dirty = b.shared_dirty, a.private_dirty = b.private_dirty;
    a.resident_shared = b.resident_shared, a.resident_private = b.resident_private;
    return same_usage(&a, &b);
}

static void print_diff(const entry *lib, const entry *raw)
{
    fprintf(stderr,
            "area %" PRIx64 "-%" PRIx64 ": known %" PRIx64 "/%" PRIx64 " rss %" PRIu64 "/%" PRIu64
            " pss %" PRIu64 "/%" PRIu64 " flags %" PRIx64 "/%" PRIx64 "\n",
            lib->start, lib->end, lib->u.known, raw->u.known, lib->u.rss, raw->u.rss, lib->u.pss,
            raw->u.pss, lib->u.vm_flags, raw->u.vm_flags);
}

/* Every area of the child, field for field, against the text read before and after the
 * iteration. A Pss moves when another process maps or unmaps a shared page (and may move back
 * between the two reads), a referenced bit of a shared page when reclaim clears it: a try that
 * finds a difference is made again, and only the last one's differences fail the test. */
static void test_child_areas(int pid, mmapc_proc *proc, entry *lib, entry *raw, size_t cap,
                             size_t *count)
{
    for (int t = 0; t < TRIES; t++) {
        int final = t + 1 == TRIES;
        size_t len1, len2;
        char *before = read_text(pid, "smaps", &len1);
        size_t n = library_entries(proc, lib, cap);
        char *after = read_text(pid, "smaps", &len2);
        int stable = len1 == len2 && memcmp(before, after, len1) == 0;
        free(after);
        size_t m = stable || final ? oracle_parse(before, raw, cap) : 0;
        free(before);
        size_t bad = 0, moved = 0;
        for (size_t i = 0; i < n && i < m; i++) {
            if (lib[i].start == raw[i].start && lib[i].end == raw[i].end &&
                same_usage(&lib[i].u, &raw[i].u))
                continue;
            /* the last try lets another process's share of a page shared with it move */
            if (final && lib[i].start == raw[i].start && lib[i].end == raw[i].end &&
                same_but_shared(&lib[i].u, &raw[i].u)) {
                moved++;
                continue;
            }
            if (bad++ < 5 && final)
                print_diff(&lib[i], &raw[i]);
        }
        if (moved)
            fprintf(stderr,
                    "%zu areas shared with other processes changed their share while "
                    "they were read; compared without it\n",
                    moved);
        if (!final && (!stable || bad || n != m))
            continue;
        CHECK(n == m);
        CHECK(n >= areas);
        CHECK(bad == 0);
        /* the child's pages are what it made them: some written, some locked, some resident */
        uint64_t written = 0, locked = 0, lockflag = 0;
        for (size_t i = 0; i < n; i++) {
            written += lib[i].u.private_dirty;
            locked += lib[i].u.locked;
            lockflag += (lib[i].u.vm_flags & MMAPC_VM_LOCKED) != 0;
        }
        CHECK(written >= (uint64_t)areas / 3 * 2 * 4096);
        if (MLOCK_WORKS)
            CHECK(locked >= areas / 997 * 4096 && lockflag >= areas / 997);
        else
            CHECK_SKIP("locked pages: mlock() is a no-op under AddressSanitizer");
        *count = n;
        return;
    }
}

/* A condition of the totals: counted as a check on the last try only, so that a try that meets
 * a figure moving (a shared page's referenced bit, cleared by reclaim for all who map it) can
 * be made again; the truth asserted is that they agree when nothing moves. */
static int agree(int final, int cond, int line, const char *what)
{
    if (final) {
        check_count++;
        if (!cond) {
            check_failures++;
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, line, what);
        }
    }
    return cond;
}
#define AGREE(cond) (ok &= agree(final, (cond), __LINE__, #cond))

static void test_totals(mmapc_proc *proc, entry *lib, size_t cap, size_t n0)
{
    for (int t = 0; t < TRIES; t++) {
        int final = t + 1 == TRIES, ok = 1;
        size_t n = library_entries(proc, lib, cap);
        mmapc_area_usage sum, tot, sum2;
        memset(&sum, 0, sizeof sum);
        for (size_t i = 0; i < n; i++)
            add_usage(&sum, &lib[i].u);
        CHECK_OK(mmapc_proc_usage_totals(proc, &tot));
        size_t n2 = library_entries(proc, lib, cap);
        memset(&sum2, 0, sizeof sum2);
        for (size_t i = 0; i < n2; i++)
            add_usage(&sum2, &lib[i].u);
        if ((n != n2 || !same_usage(&sum, &sum2)) && !final)
            continue;
        AGREE(n == n0);
        uint64_t slack = (uint64_t)n * 1024;
        AGREE(tot.rss == sum.rss);
        /* (on the last try a page may have moved between shared and private, as above) */
        AGREE(tot.shared_clean + tot.private_clean == sum.shared_clean + sum.private_clean);
        AGREE(tot.shared_dirty + tot.private_dirty == sum.shared_dirty + sum.private_dirty);
        AGREE(final ||
              (tot.shared_clean == sum.shared_clean && tot.shared_dirty == sum.shared_dirty));
        AGREE(tot.referenced == sum.referenced && tot.anonymous == sum.anonymous);
        AGREE(tot.ksm == sum.ksm && tot.lazy_free == sum.lazy_free);
        AGREE(tot.anon_huge_pages == sum.anon_huge_pages);
        AGREE(tot.shmem_pmd_mapped == sum.shmem_pmd_mapped);
        AGREE(tot.file_pmd_mapped == sum.file_pmd_mapped);
        AGREE(tot.shared_hugetlb == sum.shared_hugetlb);
        AGREE(tot.private_hugetlb == sum.private_hugetlb);
        AGREE(tot.swap == sum.swap);
        AGREE(tot.resident_shared + tot.resident_private ==
              sum.resident_shared + sum.resident_private);
        AGREE(final || tot.resident_shared == sum.resident_shared);
        /* on the last try, the share of pages shared with processes that come and go (an
         * emulator's own code under a parallel test run) may have moved between the reads */
        uint64_t moving = final ? sum.shared_clean + sum.shared_dirty : 0;
        AGREE(tot.pss + moving >= sum.pss && tot.pss < sum.pss + slack + moving);
        AGREE(tot.pss_dirty >= sum.pss_dirty && tot.pss_dirty - sum.pss_dirty < slack);
        AGREE(tot.swap_pss >= sum.swap_pss && tot.swap_pss - sum.swap_pss < slack);
        AGREE(tot.locked >= sum.locked && tot.locked - sum.locked < slack);
        AGREE(tot.pss_anon + tot.pss_file + tot.pss_shmem <= tot.pss &&
              tot.pss - (tot.pss_anon + tot.pss_file + tot.pss_shmem) < 3 * 1024);
        /* what the rollup has and has not */
        AGREE((tot.known & (MMAPC_USAGE_RSS | MMAPC_USAGE_PSS | MMAPC_USAGE_PSS_ANON)) ==
              (MMAPC_USAGE_RSS | MMAPC_USAGE_PSS | MMAPC_USAGE_PSS_ANON));
        AGREE(!(tot.known & (MMAPC_USAGE_SIZE | MMAPC_USAGE_VM_FLAGS)));
        AGREE(tot.rss > (uint64_t)areas / 3 * 2 * 4096);
        if (ok || final) {
            CHECK(ok);
            return;
        }
    }
}

/* Under valgrind (its preload library) or an emulator every step is tens of times slower. */
static int slow_run(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return check_under_emulator() || (preload && strstr(preload, "vgpreload"));
}

/* A query gives the area and the very use the iteration gave, for areas across the child. */
static void test_queries(mmapc_proc *proc, const entry *lib, size_t n, uint64_t base, size_t size)
{
    size_t asked = 0, same = 0, stride = 97;
    for (size_t i = 0; i < n; i += stride) {
        /* the child's own areas, whose use does not move (qemu-user lists the host's areas of
         * an emulated child, not at the guest's addresses: there every area is asked about) */
        if (!check_under_emulator() && (lib[i].start < base || lib[i].end > base + size))
            continue;
        mmapc_area a;
        mmapc_area_usage u;
        char path[64];
        uint64_t addr = lib[i].start + (lib[i].end - lib[i].start) / 2;
        asked++;
        if (mmapc_proc_query_usage(proc, addr, &a, path, sizeof path, &u) == 0 &&
            a.start == lib[i].start && a.end == lib[i].end &&
            (same_usage(&u, &lib[i].u) || same_but_shared(&u, &lib[i].u)) && a.path == path)
            same++;
    }
    CHECK(asked >= areas / stride - 2);
    CHECK(same == asked);
}

/* ---- this process ---- */

static void test_self(void)
{
    if (check_under_emulator()) { /* the child of test_child_areas is looked at from outside */
        CHECK_SKIP("this process's own use: qemu-user 7.2 passes /proc/self/smaps through, the "
                   "host's areas of qemu at the host's addresses, not the guest's");
        return;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(m != MAP_FAILED);
    for (int i = 0; i < 5; i++)
        m[i * page] = 1;
    REQUIRE(madvise(m, 16 * page, MADV_DONTDUMP) == 0);
    int locked = MLOCK_WORKS && mlock(m + 15 * page, page) == 0; /* splits off the last page */
    mmapc_proc *self;
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    mmapc_area a;
    mmapc_area_usage u;
    CHECK_OK(mmapc_proc_query_usage(self, (uint64_t)(uintptr_t)m + page, &a, NULL, 0, &u));
    CHECK(a.start == (uint64_t)(uintptr_t)m && a.end == a.start + (locked ? 15 : 16) * page);
    CHECK(u.size == a.end - a.start);
    CHECK((u.rss == 5 * page && u.private_dirty == 5 * page && u.anonymous == 5 * page));
    CHECK((u.resident_private == 5 * page && u.resident_shared == 0 && u.swap == 0));
    CHECK(u.kernel_page_size == page && u.locked == 0);
    CHECK((u.vm_flags & (MMAPC_VM_READ | MMAPC_VM_WRITE | MMAPC_VM_DONTDUMP)) ==
          (MMAPC_VM_READ | MMAPC_VM_WRITE | MMAPC_VM_DONTDUMP));
    CHECK(!(u.vm_flags & (MMAPC_VM_EXEC | MMAPC_VM_SHARED | MMAPC_VM_LOCKED)));
    CHECK(*a.path == '\0');
    if (locked) {
        CHECK_OK(mmapc_proc_query_usage(self, (uint64_t)(uintptr_t)m + 15 * page, &a, NULL, 0, &u));
        CHECK((u.locked == page && u.rss == page && (u.vm_flags & MMAPC_VM_LOCKED)));
    }
    /* the same through an iteration over that range */
    mmapc_areas *it;
    CHECK_OK(mmapc_proc_areas_usage(&it, self, (uint64_t)(uintptr_t)m, (uint64_t)(uintptr_t)m + 1));
    CHECK_RC(mmapc_areas_usage(it, &u), MMAPC_EINVAL_OP); /* before the first area */
    CHECK_RC(mmapc_areas_next(it, &a), 1);
    CHECK_OK(mmapc_areas_usage(it, &u));
    CHECK(u.rss == 5 * page && a.start == (uint64_t)(uintptr_t)m);
    CHECK_RC(mmapc_areas_next(it, &a), 0);
    CHECK_RC(mmapc_areas_usage(it, &u), MMAPC_EINVAL_OP); /* after the end */
    mmapc_areas_close(it);
    /* a plain iteration has no usage */
    CHECK_OK(mmapc_proc_areas(&it, self, 0, UINT64_MAX));
    CHECK_RC(mmapc_areas_next(it, &a), 1);
    CHECK_RC(mmapc_areas_usage(it, &u), MMAPC_EINVAL_OP);
    mmapc_areas_close(it);
    /* one-shot iteration of the caller */
    CHECK_OK(mmapc_areas_open_usage(&it, MMAPC_SELF));
    int found = 0;
    while (mmapc_areas_next(it, &a) == 1)
        if (a.start == (uint64_t)(uintptr_t)m && mmapc_areas_usage(it, &u) == 0)
            found = u.rss == 5 * page;
    CHECK(found);
    mmapc_areas_close(it);
    /* refused calls */
    mmapc_area_usage keep;
    memset(&keep, 0x5a, sizeof keep);
    u = keep;
    CHECK_RC(mmapc_areas_usage(NULL, &u), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_query_usage(self, 0, &a, NULL, 0, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_query_usage(NULL, 0, &a, NULL, 0, &u), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_query_usage(self, 0, &a, NULL, 4, &u), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_query_usage(self, 0, &a, NULL, 0, &u), MMAPC_ENOTFOUND);
    CHECK_RC(mmapc_proc_usage_totals(self, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_usage_totals(NULL, &u), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_areas_usage(&it, NULL, 0, 1), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_areas_usage(&it, self, 2, 1), MMAPC_EINVAL_OFFSET);
    CHECK(memcmp(&u, &keep, sizeof u) == 0);
    mmapc_proc_close(self);
    munmap(m, 16 * page);
}

/* A kernel thread has no areas and no use; an ended process is MMAPC_ESRCH. */
static void test_no_areas(void)
{
    mmapc_proc *p;
    mmapc_area_usage u;
    mmapc_areas *it;
    mmapc_area a;
    if (mmapc_proc_open(&p, 2, 0) == 0) { /* kthreadd */
        memset(&u, 0x5a, sizeof u);
        CHECK_OK(mmapc_proc_usage_totals(p, &u));
        CHECK(u.known == 0 && u.rss == 0);
        CHECK_OK(mmapc_proc_areas_usage(&it, p, 0, UINT64_MAX));
        CHECK_RC(mmapc_areas_next(it, &a), 0);
        mmapc_areas_close(it);
        mmapc_proc_close(p);
    }
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        _exit(0);
    REQUIRE_OK(mmapc_proc_open(&p, (int)pid, 0));
    REQUIRE(waitpid(pid, NULL, 0) == pid);
    CHECK_RC(mmapc_proc_usage_totals(p, &u), MMAPC_ESRCH);
    CHECK_RC(mmapc_proc_areas_usage(&it, p, 0, UINT64_MAX), MMAPC_ESRCH);
    mmapc_proc_close(p);
    CHECK_RC(mmapc_areas_open_usage(&it, (int)pid), MMAPC_ESRCH);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--child") == 0)
        be_child(atoi(argv[2]), (size_t)atol(argv[3]));
    if (slow_run())
        areas = AREAS / 10;
    test_self();
    test_no_areas();
    uint64_t base;
    size_t size, n = 0;
    pid_t pid = child_with_areas(argv[0], &base, &size);
    size_t cap = areas + 2000;
    entry *lib = calloc(cap, sizeof *lib), *raw = calloc(cap, sizeof *raw);
    REQUIRE(lib && raw);
    mmapc_proc *proc;
    REQUIRE_OK(mmapc_proc_open(&proc, (int)pid, 0));
    test_child_areas((int)pid, proc, lib, raw, cap, &n);
    test_queries(proc, lib, n, base, size);
    test_totals(proc, lib, cap, n);
    mmapc_proc_close(proc);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    free(lib);
    free(raw);
    return check_done();
}
