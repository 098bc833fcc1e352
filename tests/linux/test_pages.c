// SPDX-License-Identifier: MIT
/*
 * Page state of a process: a child lays out a known pattern (every other page of an anonymous
 * area written, one page dropped with MADV_DONTNEED, one locked, a shared file page, a private
 * file page read and one written, a hole, a transparent huge page where the system gives one),
 * and its runs, through PAGEMAP_SCAN where the kernel has it and through the pagemap file alone,
 * agree page by page with a direct read of /proc/<pid>/pagemap and with the pattern. Both ways
 * agree with each other. Where the kernel has asynchronous userfaultfd write protection (6.7+),
 * pages it protects are write-protected, never-touched ones swapped (its marker), a written one
 * not protected. Runs taken a few at a time are the runs taken at once. A self handle
 * used in a forked child describes the child. Bad input, an ended process and a reader without
 * the right are refused with their codes, nothing written, no descriptor left open.
 */
#include "check.h"
#include "exec_child.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define ANON_PAGES 16
#define DROPPED 14 /* written, then MADV_DONTNEED */
#define LOCKED 12  /* written and mlock'd */
#define MAX_RUNS 4096

static size_t page;
static volatile unsigned char sink;

/* What the child tells the parent: its addresses. */
struct layout {
    uint64_t anon, shared_file, private_file, hole_area, thp;
    int thp_ok;
};

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static int thp_possible(void)
{
    char buf[128] = "";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f)
        return 0;
    if (!fgets(buf, sizeof buf, f))
        buf[0] = 0;
    fclose(f);
    return strstr(buf, "[never]") == NULL && buf[0] != 0;
}

static void child_main(int out, int in, const char *path)
{
    struct layout l = {0};
    unsigned char *a =
        mmap(NULL, ANON_PAGES * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED)
        _exit(2);
    for (size_t i = 0; i < ANON_PAGES; i += 2)
        a[i * page] = 1;
    madvise(a + DROPPED * page, page, MADV_DONTNEED);
    (void)mlock(a + LOCKED * page, page);
    l.anon = (uintptr_t)a;
    int fd = open(path, O_RDWR);
    if (fd < 0)
        _exit(2);
    volatile unsigned char *sf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    volatile unsigned char *pf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (sf == MAP_FAILED || pf == MAP_FAILED)
        _exit(2);
    sink = sf[0]; /* a load whose value is kept: valgrind drops one that is not */
    sink = pf[0];
    pf[page] = 7;
    l.shared_file = (uintptr_t)sf;
    l.private_file = (uintptr_t)pf;
    unsigned char *h =
        mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (h == MAP_FAILED || munmap(h + page, page) != 0)
        _exit(2);
    l.hole_area = (uintptr_t)h;
    size_t huge = 2u << 20;
    if (thp_possible() && sizeof(void *) == 8) {
        unsigned char *t =
            mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (t != MAP_FAILED) {
            unsigned char *al =
                (unsigned char *)(((uintptr_t)t + huge - 1) & ~(uintptr_t)(huge - 1));
            madvise(al, huge, MADV_HUGEPAGE);
            memset(al, 1, huge);
            l.thp = (uintptr_t)al;
            l.thp_ok = 1;
        }
    }
    if (write(out, &l, sizeof l) != (ssize_t)sizeof l)
        _exit(2);
    char c;
    while (read(in, &c, 1) > 0) /* until the parent is done */
        ;
    _exit(0);
}

/* The oracle: the pagemap entry of one page of pid. */
static uint64_t entry(int pid, uint64_t addr)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/pagemap", pid);
    int fd = open(p, O_RDONLY);
    uint64_t e = 0;
    REQUIRE(fd >= 0);
    REQUIRE(pread(fd, &e, 8, (off_t)(addr / page * 8)) == 8);
    close(fd);
    return e;
}

/* The flags of one page as the entry tells them (the bits both ways know). */
static unsigned oracle(uint64_t e)
{
    unsigned f = 0;
    if (e >> 63 & 1)
        f |= MMAPC_PAGE_PRESENT;
    if (e >> 62 & 1)
        f |= MMAPC_PAGE_SWAPPED;
    if (e >> 61 & 1)
        f |= MMAPC_PAGE_FILE;
    if ((e >> 56 & 1) && (e >> 63 & 1))
        f |= MMAPC_PAGE_EXCLUSIVE;
    if (e >> 57 & 1)
        f |= MMAPC_PAGE_WP;
    if (e >> 55 & 1)
        f |= MMAPC_PAGE_SOFT_DIRTY;
    return f;
}

/* The runs of [addr, addr + len) in one call, checked for shape. */
static size_t runs_of(mmapc_proc *p, uint64_t addr, uint64_t len, unsigned flags, mmapc_page_run *r)
{
    size_t n = 0;
    uint64_t next = 0;
    CHECK_OK(mmapc_proc_pages(p, addr, len, flags, r, MAX_RUNS, &n, &next));
    CHECK(next == addr + len);
    uint64_t at = addr;
    for (size_t i = 0; i < n; i++) {
        CHECK(r[i].start == at && r[i].pages > 0);
        CHECK((r[i].flags & r[i].unknown) == 0);
        at += r[i].pages * page;
    }
    CHECK(at == addr + len);
    return n;
}

/* The state of page addr in runs r[0..n). */
static const mmapc_page_run *run_at(const mmapc_page_run *r, size_t n, uint64_t addr)
{
    for (size_t i = 0; i < n; i++)
        if (addr >= r[i].start && addr < r[i].start + r[i].pages * page)
            return &r[i];
    return NULL;
}

static mmapc_page_run r_a[MAX_RUNS], r_b[MAX_RUNS];

#define ORACLE_BITS                                                                                \
    (MMAPC_PAGE_PRESENT | MMAPC_PAGE_SWAPPED | MMAPC_PAGE_FILE | MMAPC_PAGE_EXCLUSIVE |            \
     MMAPC_PAGE_WP | MMAPC_PAGE_SOFT_DIRTY)

/* Each page of [addr, addr + len) against the oracle, by both ways, and both against each other. */
static void compare(mmapc_proc *p, int pid, uint64_t addr, uint64_t len)
{
    size_t na = runs_of(p, addr, len, 0, r_a);
    size_t nb = runs_of(p, addr, len, MMAPC_PAGES_READ, r_b);
    for (uint64_t at = addr; at < addr + len; at += page) {
        const mmapc_page_run *a = run_at(r_a, na, at), *b = run_at(r_b, nb, at);
        REQUIRE(a && b);
        if (a->flags & MMAPC_PAGE_UNMAPPED) {
            CHECK(a->flags == MMAPC_PAGE_UNMAPPED && b->flags == MMAPC_PAGE_UNMAPPED);
            continue;
        }
        unsigned o = oracle(entry(pid, at));
        unsigned known_a = ORACLE_BITS & ~a->unknown, known_b = ORACLE_BITS & ~b->unknown;
        if ((a->flags & known_a) != (o & known_a) || (b->flags & known_b) != (o & known_b)) {
            check_failures++;
            fprintf(stderr, "page %#llx: scan %#x/%#x read %#x/%#x oracle %#x\n",
                    (unsigned long long)at, a->flags, a->unknown, b->flags, b->unknown, o);
        }
        unsigned both = ~a->unknown & ~b->unknown;
        CHECK((a->flags & both) == (b->flags & both));
        if ((a->flags & MMAPC_PAGE_FRAME) && (b->flags & MMAPC_PAGE_FRAME))
            CHECK(a->frame + (at - a->start) / page == b->frame + (at - b->start) / page);
        if (a->flags & MMAPC_PAGE_FRAME) {
            uint64_t e = entry(pid, at) & ((UINT64_C(1) << 55) - 1);
            CHECK(a->frame + (at - a->start) / page == e);
        }
        if (!(mmapc_pages_reported() & MMAPC_PAGE_SOFT_DIRTY))
            CHECK((a->unknown & MMAPC_PAGE_SOFT_DIRTY) && (b->unknown & MMAPC_PAGE_SOFT_DIRTY));
    }
}

static unsigned flags_at(mmapc_proc *p, uint64_t addr, unsigned how, unsigned *unknown)
{
    mmapc_page_run r;
    size_t n = 0;
    uint64_t next = 0;
    CHECK_OK(mmapc_proc_pages(p, addr, page, how, &r, 1, &n, &next));
    REQUIRE(n == 1 && r.start == addr && r.pages == 1);
    if (unknown)
        *unknown = r.unknown;
    return r.flags;
}

/* The pattern, by both ways. */
static void pattern(mmapc_proc *p, const struct layout *l)
{
    static const unsigned hows[] = {0, MMAPC_PAGES_READ, MMAPC_PAGES_QUICK};
    for (size_t k = 0; k < 3; k++) {
        unsigned how = hows[k], u;
        for (size_t i = 0; i < ANON_PAGES; i++) {
            unsigned f = flags_at(p, l->anon + i * page, how, &u);
            int in = i % 2 == 0 && i != DROPPED;
            CHECK(!!(f & MMAPC_PAGE_PRESENT) == in);
            CHECK(!(f & (MMAPC_PAGE_FILE | MMAPC_PAGE_SWAPPED | MMAPC_PAGE_UNMAPPED)));
            if (in && how != MMAPC_PAGES_QUICK)
                CHECK(f & MMAPC_PAGE_EXCLUSIVE);
            if (how == MMAPC_PAGES_QUICK)
                CHECK(in ? (u & MMAPC_PAGE_EXCLUSIVE) != 0 : 1);
            if (in && (mmapc_pages_reported() & MMAPC_PAGE_SOFT_DIRTY))
                CHECK(f & MMAPC_PAGE_SOFT_DIRTY); /* written in a new area */
        }
        unsigned f = flags_at(p, l->shared_file, how, NULL);
        CHECK((f & (MMAPC_PAGE_PRESENT | MMAPC_PAGE_FILE)) ==
              (MMAPC_PAGE_PRESENT | MMAPC_PAGE_FILE));
        /* never touched (fault-around may have mapped it in with its neighbour) */
        f = flags_at(p, l->shared_file + page, how, NULL);
        CHECK(!(f & MMAPC_PAGE_UNMAPPED) && (!(f & MMAPC_PAGE_PRESENT) || (f & MMAPC_PAGE_FILE)));
        f = flags_at(p, l->private_file, how, NULL); /* read: the file's page */
        CHECK((f & (MMAPC_PAGE_PRESENT | MMAPC_PAGE_FILE)) ==
              (MMAPC_PAGE_PRESENT | MMAPC_PAGE_FILE));
        f = flags_at(p, l->private_file + page, how, NULL); /* written: a private copy */
        CHECK((f & (MMAPC_PAGE_PRESENT | MMAPC_PAGE_FILE)) == MMAPC_PAGE_PRESENT);
        if (how != MMAPC_PAGES_QUICK)
            CHECK(f & MMAPC_PAGE_EXCLUSIVE);
        /* the hole: one unmapped run between two areas */
        mmapc_page_run r[4];
        size_t n = 0;
        uint64_t next = 0;
        CHECK_OK(mmapc_proc_pages(p, l->hole_area, 3 * page, how, r, 4, &n, &next));
        CHECK(n == 3 && next == l->hole_area + 3 * page);
        CHECK(n == 3 && r[1].flags == MMAPC_PAGE_UNMAPPED && r[1].pages == 1 && r[1].unknown == 0);
        CHECK(n == 3 && !(r[0].flags & MMAPC_PAGE_UNMAPPED) && !(r[2].flags & MMAPC_PAGE_UNMAPPED));
    }
}

/* A transparent huge page: where the system gave one (the pagemap oracle cannot tell, so the
 * child's smaps is asked), the scan says huge and the file alone leaves it unknown. */
static void huge_page(mmapc_proc *p, int pid, const struct layout *l)
{
    if (!l->thp_ok)
        return;
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/smaps", pid);
    FILE *f = fopen(path, "r");
    REQUIRE(f);
    int in = 0;
    unsigned long long huge_kb = 0, s, e;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%llx-%llx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' '))
            in = l->thp >= s && l->thp < e;
        else if (in && sscanf(line, "AnonHugePages: %llu kB", &huge_kb) == 1)
            in = 0;
    }
    fclose(f);
    size_t n;
    mmapc_page_run r[MAX_RUNS];
    uint64_t next;
    CHECK_OK(mmapc_proc_pages(p, l->thp, 2u << 20, 0, r, MAX_RUNS, &n, &next));
    uint64_t huge_pages = 0, scan_known = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].flags & MMAPC_PAGE_HUGE)
            huge_pages += r[i].pages;
        if (!(r[i].unknown & MMAPC_PAGE_HUGE))
            scan_known += r[i].pages;
    }
    if (scan_known == (2u << 20) / page) /* PAGEMAP_SCAN answered */
        CHECK(huge_pages * page == (huge_kb >= 2048 ? 2u << 20 : 0));
    fprintf(stderr, "thp: AnonHugePages %llu kB, huge pages %llu, known %llu\n", huge_kb,
            (unsigned long long)huge_pages, (unsigned long long)scan_known);
    CHECK_OK(mmapc_proc_pages(p, l->thp, 2u << 20, MMAPC_PAGES_READ, r, MAX_RUNS, &n, &next));
    for (size_t i = 0; i < n; i++)
        CHECK(!(r[i].flags & MMAPC_PAGE_HUGE) && (r[i].unknown & MMAPC_PAGE_HUGE));
}

/* Taken a run or two at a time from *next, the runs are those of one call. */
static void in_pieces(mmapc_proc *p, uint64_t addr, uint64_t len)
{
    size_t n = runs_of(p, addr, len, 0, r_a), got = 0;
    uint64_t at = addr;
    for (size_t cap = 1; at < addr + len; cap = cap % 2 + 1) {
        size_t k = 0;
        uint64_t next = 0;
        CHECK_OK(mmapc_proc_pages(p, at, addr + len - at, 0, r_b, cap, &k, &next));
        REQUIRE(k > 0 && next > at);
        for (size_t i = 0; i < k && got < n; i++, got++)
            CHECK(memcmp(&r_b[i], &r_a[got], sizeof r_b[i]) == 0);
        at = next;
    }
    CHECK(got == n);
}

/* Bad input: refused, nothing written. */
static void bad_input(mmapc_proc *p, uint64_t addr)
{
    mmapc_page_run r = {1, 2, 3, 4, 5};
    size_t n = 99;
    uint64_t next = 98;
    CHECK_OK(mmapc_proc_pages(p, addr, 0, 0, &r, 1, &n, &next));
    CHECK(n == 0 && next == addr && r.start == 1);
    n = 99;
    next = 98;
    CHECK_RC(mmapc_proc_pages(p, addr, UINT64_MAX, 0, &r, 1, &n, &next), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_proc_pages(p, UINT64_MAX - page + 1, 2 * page, 0, &r, 1, &n, &next),
             MMAPC_EINVAL_OFFSET);
    /* past the end of the user address space (no system has one up to 2^64 - 1 page) */
    CHECK_RC(mmapc_proc_pages(p, UINT64_MAX - page + 1, page, 0, &r, 1, &n, &next),
             MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_proc_pages(p, addr, UINT64_C(1) << 62, 0, &r, 1, &n, &next),
             MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_proc_pages(NULL, addr, page, 0, &r, 1, &n, &next), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_pages(p, addr, page, 0, NULL, 1, &n, &next), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_pages(p, addr, page, 0, &r, 1, NULL, &next), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_pages(p, addr, page, 0, &r, 1, &n, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_proc_pages(p, addr, page, 1u << 9, &r, 1, &n, &next), MMAPC_EINVAL_ARG);
    CHECK(n == 99 && next == 98 && r.start == 1 && r.pages == 2);
}

/* linux/userfaultfd.h, under names of ours: the kernel's values, so that the check runs where
 * the C library has no kernel headers (musl) or older ones (before Linux 6.7). */
typedef struct uf_range {
    uint64_t start, len;
} uf_range;
typedef struct uf_api {
    uint64_t api, features, ioctls;
} uf_api;
typedef struct uf_register {
    uf_range range;
    uint64_t mode, ioctls;
} uf_register;
typedef struct uf_writeprotect {
    uf_range range;
    uint64_t mode;
} uf_writeprotect;
#define UF_API 0xAAu
#define UF_IOCTL_API _IOWR(0xAA, 0x3F, uf_api)
#define UF_IOCTL_REGISTER _IOWR(0xAA, 0x00, uf_register)
#define UF_IOCTL_WRITEPROTECT _IOWR(0xAA, 0x06, uf_writeprotect)
#define UF_REGISTER_MODE_WP (1u << 1)
#define UF_WRITEPROTECT_MODE_WP (1u << 0)
#define UF_FEATURE_WP_UNPOPULATED (1u << 13)
#define UF_FEATURE_WP_ASYNC (1u << 15)
#define UF_USER_MODE_ONLY 1
#ifndef SYS_userfaultfd
#define SYS_userfaultfd (-1) /* a C library that does not know it: ENOSYS */
#endif

/* Write protection by userfaultfd (asynchronous: a write just clears the protection): 4 pages
 * of our own, protected, then page 1 written. A kernel without it (before 6.7, qemu-user,
 * valgrind) leaves the relation untested, as the write tracking's tests do. */
static void uffd_wp(void)
{
    int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UF_USER_MODE_ONLY);
    if (fd < 0)
        fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
    if (fd < 0) {
        CHECK_SKIP("userfaultfd: not here");
        return;
    }
    uf_api api = {.api = UF_API, .features = UF_FEATURE_WP_ASYNC | UF_FEATURE_WP_UNPOPULATED};
    unsigned char *m =
        mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(m != MAP_FAILED);
    uf_register reg = {.range = {(uintptr_t)m, 4 * page}, .mode = UF_REGISTER_MODE_WP};
    uf_writeprotect wp = {.range = {(uintptr_t)m, 4 * page}, .mode = UF_WRITEPROTECT_MODE_WP};
    /* glibc takes the request as unsigned long, musl as int */
    unsigned long req_api = UF_IOCTL_API, req_reg = UF_IOCTL_REGISTER,
                  req_wp = UF_IOCTL_WRITEPROTECT;
    if (ioctl(fd, req_api, &api) != 0 || ioctl(fd, req_reg, &reg) != 0 ||
        ioctl(fd, req_wp, &wp) != 0) {
        CHECK_SKIP("userfaultfd: no asynchronous write protection (Linux 6.7+)");
        munmap(m, 4 * page);
        close(fd);
        return;
    }
    m[page] = 1;
    mmapc_proc *self;
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    for (unsigned how = 0; how <= MMAPC_PAGES_READ; how += MMAPC_PAGES_READ) {
        for (size_t i = 0; i < 4; i++) {
            unsigned f = flags_at(self, (uintptr_t)m + i * page, how, NULL);
            if (i == 1)
                CHECK((f & MMAPC_PAGE_PRESENT) && !(f & MMAPC_PAGE_WP));
            else
                CHECK((f & MMAPC_PAGE_SWAPPED) && (f & MMAPC_PAGE_WP) && !(f & MMAPC_PAGE_PRESENT));
        }
    }
    compare(self, (int)getpid(), (uintptr_t)m, 4 * page);
    mmapc_proc_close(self);
    munmap(m, 4 * page);
    close(fd);
}

/* A handle opened before its process runs exec describes the new program's pages: the process
 * lives on (its old address space is gone, not the process). */
static void after_exec(void)
{
    exec_child c;
    exec_child_start(&c);
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, c.pid, 0));
    mmapc_areas *it;
    mmapc_area a;
    REQUIRE_OK(mmapc_proc_areas(&it, p, 0, UINT64_MAX));
    REQUIRE(mmapc_areas_next(it, &a) == 1);
    mmapc_areas_close(it);
    exec_child_go(&c);
    REQUIRE_OK(mmapc_proc_areas(&it, p, 0, UINT64_MAX));
    REQUIRE(mmapc_areas_next(it, &a) == 1);
    mmapc_areas_close(it);
    for (unsigned how = 0; how <= MMAPC_PAGES_READ; how += MMAPC_PAGES_READ) {
        mmapc_page_run r;
        size_t n = 0;
        uint64_t next = 0;
        CHECK_OK(mmapc_proc_pages(p, a.start, page, how, &r, 1, &n, &next));
        CHECK(n == 1 && next == a.start + page && !(r.flags & MMAPC_PAGE_UNMAPPED));
    }
    exec_child_end(&c);
    mmapc_proc_close(p);
}

/* A self handle opened before fork describes the child in the child. */
static void self_after_fork(void)
{
    mmapc_proc *self;
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    volatile unsigned char *x =
        mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(x != MAP_FAILED);
    /* the parent's first: opened and used before the fork */
    CHECK(!(flags_at(self, (uintptr_t)x, 0, NULL) & MMAPC_PAGE_PRESENT));
    fflush(NULL);
    pid_t c = fork();
    REQUIRE(c >= 0);
    if (c == 0) {
        x[0] = 1;
        mmapc_page_run r;
        size_t n = 0;
        uint64_t next;
        int ok = 1;
        for (unsigned how = 0; how <= MMAPC_PAGES_READ; how += MMAPC_PAGES_READ)
            ok &= mmapc_proc_pages(self, (uintptr_t)x, page, how, &r, 1, &n, &next) == 0 &&
                  n == 1 && (r.flags & MMAPC_PAGE_PRESENT);
        _exit(ok ? 0 : 1);
    }
    int st;
    REQUIRE(waitpid(c, &st, 0) == c);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(!(flags_at(self, (uintptr_t)x, MMAPC_PAGES_READ, NULL) & MMAPC_PAGE_PRESENT));
    munmap((void *)x, page);
    mmapc_proc_close(self);
}

/* A reader that drops to nobody may not read our pages through a handle it inherited. */
static void no_permission(void)
{
    if (geteuid() != 0)
        return; /* the refusal needs a process of another user: made as root */
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, (int)getpid(), 0));
    fflush(NULL);
    pid_t c = fork();
    REQUIRE(c >= 0);
    if (c == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(77);
        mmapc_page_run r = {0};
        size_t n = 5;
        uint64_t next = 6;
        int rc = mmapc_proc_pages(p, (uintptr_t)&page & ~(uintptr_t)(page - 1), page, 0, &r, 1, &n,
                                  &next);
        if (rc != MMAPC_EACCES && rc != MMAPC_EPERM)
            fprintf(stderr, "as nobody: %s\n", mmapc_err_name(rc));
        _exit((rc == MMAPC_EACCES || rc == MMAPC_EPERM) && n == 5 && next == 6 ? 0 : 1);
    }
    int st;
    REQUIRE(waitpid(c, &st, 0) == c);
    CHECK(WIFEXITED(st) && (WEXITSTATUS(st) == 0 || WEXITSTATUS(st) == 77));
    mmapc_proc_close(p);
}

int main(void)
{
    if (check_pagemap_not_guests())
        return CHECK_SKIP_CODE;
    page = (size_t)sysconf(_SC_PAGESIZE);
    int fds = count_fds();
    char path[] = "/tmp/mmapc_pages_XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(ftruncate(fd, (off_t)(2 * page)) == 0);
    close(fd);
    int up[2], down[2];
    REQUIRE(pipe(up) == 0 && pipe(down) == 0);
    fflush(NULL);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(up[0]);
        close(down[1]);
        child_main(up[1], down[0], path);
    }
    close(up[1]);
    close(down[0]);
    struct layout l;
    REQUIRE(read(up[0], &l, sizeof l) == (ssize_t)sizeof l);
    close(up[0]);

    fprintf(stderr, "reported %#x\n", mmapc_pages_reported());
    CHECK(mmapc_pages_reported() & MMAPC_PAGE_PRESENT);
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, child, 0));
    pattern(p, &l);
    compare(p, child, l.anon, ANON_PAGES * page);
    compare(p, child, l.shared_file, 2 * page);
    compare(p, child, l.private_file, 2 * page);
    compare(p, child, l.hole_area, 3 * page);
    huge_page(p, child, &l);
    in_pieces(p, l.anon, ANON_PAGES * page);
    in_pieces(p, l.hole_area, 3 * page);
    bad_input(p, l.anon);

    /* the child ends: its handle answers MMAPC_ESRCH, nothing written */
    close(down[1]);
    int st;
    REQUIRE(waitpid(child, &st, 0) == child);
    mmapc_page_run r = {7};
    size_t n = 3;
    uint64_t next = 4;
    CHECK_RC(mmapc_proc_pages(p, l.anon, page, 0, &r, 1, &n, &next), MMAPC_ESRCH);
    CHECK_RC(mmapc_proc_pages(p, l.anon, page, MMAPC_PAGES_READ, &r, 1, &n, &next), MMAPC_ESRCH);
    CHECK(n == 3 && next == 4 && r.start == 7);
    mmapc_proc_close(p);
    unlink(path);

    self_after_fork();
    after_exec();
    uffd_wp();
    no_permission();
    CHECK(count_fds() == fds);
    return check_done();
}
