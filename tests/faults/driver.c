// SPDX-License-Identifier: MIT
/*
 * The fault sweep's driver: every public call of mmapc.h, each checked the same way.
 *
 * Around each call the driver takes a snapshot of what the process holds: the library's own
 * mappings and descriptors (the interposer's ledger), /proc/self/maps (every file area whole,
 * and the anonymous memory inside the library's ranges; the allocator's and the stack's
 * anonymous memory elsewhere moves with every malloc and is left out) and /proc/self/fd.
 * When a failure was injected during the call and the call failed, the code must be a
 * documented one and the snapshot after must equal the one before; whether it failed or not,
 * the library must never have closed, unmapped or replaced what it does not own. Then the
 * objects involved must still work (the next call is not failed: one failure per run).
 *
 * Run with no failure armed, every call must succeed. run.sh runs it once per failure point
 * (MMAPC_FAULT_CLASS, MMAPC_FAULT_N; interpose.h). Exit status 0: every check held.
 */
#include "interpose.h"
#include "maps_snapshot.h"
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* ---- snapshots ---- */

#define MAPS_CAP (1 << 18)
typedef struct snapshot {
    fault_ledger ledger;
    char maps[MAPS_CAP];
    size_t maps_len;
    char fds[8192];
    size_t fds_len;
    unsigned long injected;
} snapshot;
static snapshot snap_before, snap_after;

/* /proc/self/maps, NUL-terminated, read without allocating (maps_snapshot.h). */
static size_t read_maps(char *buf, size_t cap)
{
    size_t n = maps_snapshot(buf, cap - 1);
    buf[n] = '\0';
    return n;
}

/* Call fn(name, dir, arg) for each entry of the directory at path; -1 when it cannot be
 * opened. getdents64, not readdir: no allocation. */
static int each_entry(const char *path, void (*fn)(const char *, int, void *), void *arg)
{
    static char dents[16384];
    int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return -1;
    long got;
    while ((got = syscall(SYS_getdents64, dir, dents, sizeof dents)) > 0) {
        for (long off = 0; off < got;) {
            /* struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name */
            unsigned short reclen;
            memcpy(&reclen, dents + off + 16, sizeof reclen);
            fn(dents + off + 19, dir, arg);
            off += reclen;
        }
    }
    close(dir);
    return 0;
}

typedef struct fd_list {
    char *buf;
    size_t cap, len;
} fd_list;

static void add_fd(const char *name, int dir, void *arg)
{
    fd_list *l = arg;
    if (name[0] < '0' || name[0] > '9' || atoi(name) == dir)
        return;
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%s", name);
    ssize_t k = readlink(link, target, sizeof target - 1);
    if (k < 0)
        return;
    target[k] = '\0';
    int w = snprintf(l->buf + l->len, l->cap - l->len, "%s %s\n", name, target);
    REQUIRE(w > 0 && (size_t)w < l->cap - l->len);
    l->len += (size_t)w;
}

/* The open descriptors and what each is, one per line. */
static size_t list_fds(char *buf, size_t cap)
{
    fd_list l = {buf, cap, 0};
    REQUIRE(each_entry("/proc/self/fd", add_fd, &l) == 0);
    return l.len;
}

static void take(snapshot *s)
{
    fault_ledger_get(&s->ledger);
    s->maps_len = read_maps(s->maps, sizeof s->maps);
    s->fds_len = list_fds(s->fds, sizeof s->fds);
    s->injected = fault_injected();
}

/* One area of a maps text: anonymous ones are clipped to ranges of interest. */
typedef struct piece {
    uintptr_t start, end;
    char rest[160]; /* perms and, for a file area, offset, device, inode and path */
} piece;
static piece pieces_before[4096], pieces_after[4096];

static int in_ledgers(const fault_ledger *a, const fault_ledger *b, uintptr_t *s, uintptr_t *e)
{
    /* clip [*s, *e) to the first library range of either ledger that meets it (the ranges of
     * both are few; anonymous areas are cut at every range edge by the caller's loop) */
    uintptr_t best_s = 0, best_e = 0;
    const fault_ledger *ls[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < ls[k]->nmaps; i++) {
            uintptr_t rs = ls[k]->maps[i].start, re = ls[k]->maps[i].end;
            if (re <= *s || *e <= rs)
                continue;
            uintptr_t cs = rs > *s ? rs : *s, ce = re < *e ? re : *e;
            if (best_e == 0 || cs < best_s)
                best_s = cs, best_e = ce;
        }
    }
    if (best_e == 0)
        return 0;
    *s = best_s;
    *e = best_e;
    return 1;
}

static size_t pieces_of(const char *maps, const fault_ledger *a, const fault_ledger *b, piece *out,
                        size_t cap)
{
    size_t n = 0;
    const char *line = maps;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char *end;
        uintptr_t s = strtoul(line, &end, 16), e = strtoul(end + 1, &end, 16);
        const char *perms = end + 1;
        /* fields after perms: offset dev inode [path] */
        const char *p = perms;
        for (int f = 0; f < 3 && p < line + len; f++) {
            p = memchr(p, ' ', (size_t)(line + len - p));
            p = p ? p + 1 : line + len;
        }
        unsigned long inode = strtoul(p, NULL, 10);
        if (inode != 0) { /* a file: the whole line */
            REQUIRE(n < cap);
            out[n].start = s;
            out[n].end = e;
            snprintf(out[n].rest, sizeof out[n].rest, "%.*s", (int)(line + len - perms), perms);
            n++;
        } else {
            uintptr_t cs = s, ce = e;
            while (cs < e && in_ledgers(a, b, &cs, &ce)) {
                REQUIRE(n < cap);
                if (n > 0 && out[n - 1].end == cs && strncmp(out[n - 1].rest, perms, 4) == 0 &&
                    out[n - 1].rest[4] == '\0') {
                    out[n - 1].end = ce; /* one anonymous run, whatever the kernel's areas */
                } else {
                    out[n].start = cs;
                    out[n].end = ce;
                    snprintf(out[n].rest, sizeof out[n].rest, "%.4s", perms);
                    n++;
                }
                cs = ce;
                ce = e;
            }
        }
        line = nl ? nl + 1 : line + len;
    }
    return n;
}

/* Non-zero when the process holds the same after as before (printing what differs). */
static int unchanged(const snapshot *b, const snapshot *a)
{
    int same = 1;
    if (!fault_ledger_same(&b->ledger, &a->ledger)) {
        fprintf(stderr, "  the library's mappings or descriptors changed:\n");
        fault_ledger_diff(&b->ledger, &a->ledger);
        same = 0;
    }
    size_t n = pieces_of(b->maps, &b->ledger, &a->ledger, pieces_before, 4096);
    size_t m = pieces_of(a->maps, &b->ledger, &a->ledger, pieces_after, 4096);
    int maps_same = n == m;
    for (size_t i = 0; maps_same && i < n; i++) {
        maps_same = pieces_before[i].start == pieces_after[i].start &&
                    pieces_before[i].end == pieces_after[i].end &&
                    strcmp(pieces_before[i].rest, pieces_after[i].rest) == 0;
    }
    if (!maps_same) {
        fprintf(stderr, "  /proc/self/maps changed:\n");
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "    before %lx-%lx %s\n", (unsigned long)pieces_before[i].start,
                    (unsigned long)pieces_before[i].end, pieces_before[i].rest);
        for (size_t i = 0; i < m; i++)
            fprintf(stderr, "    after  %lx-%lx %s\n", (unsigned long)pieces_after[i].start,
                    (unsigned long)pieces_after[i].end, pieces_after[i].rest);
        same = 0;
    }
    if (b->fds_len != a->fds_len || memcmp(b->fds, a->fds, b->fds_len) != 0) {
        fprintf(stderr, "  open descriptors changed:\nbefore:\n%.*safter:\n%.*s", (int)b->fds_len,
                b->fds, (int)a->fds_len, a->fds);
        same = 0;
    }
    return same;
}

/* ---- calls ---- */

static int failed_calls; /* calls that returned an error after an injected failure */
static int absorbed;     /* calls that succeeded although a failure was injected in them */
static int eintr; /* failures are EINTR: a read or ioctl must be retried, not fail the call */
static int init_phase = 1; /* lazily made, process-wide state may appear: maps not compared */

static void before(void)
{
    take(&snap_before);
}

/* Check the result rc of the call what, made after before(). Returns rc. alt: an error the
 * call may give without an injected failure (a kernel that lacks a feature), or 0. */
static int after_alt(const char *what, int rc, int alt, int line)
{
    take(&snap_after);
    int injected = snap_after.injected != snap_before.injected;
    const char *name = mmapc_err_name(rc);
    if (rc != 0 && strcmp(name, "MMAPC_EUNKNOWN") == 0) {
        fprintf(stderr, "driver.c:%d: %s returned %d, not a documented code\n", line, what, rc);
        CHECK(!"documented error code");
    }
    if (snap_after.ledger.foreign_close != snap_before.ledger.foreign_close ||
        snap_after.ledger.foreign_fixed != snap_before.ledger.foreign_fixed) {
        fprintf(stderr, "driver.c:%d: %s closed, unmapped or replaced what it does not own\n", line,
                what);
        CHECK(!"only the library's own resources touched");
    }
    if (!injected) {
        if (rc != 0 && rc != alt) {
            fprintf(stderr, "driver.c:%d: %s: %s with no failure injected (os error %d)\n", line,
                    what, name, mmapc_last_os_error());
            CHECK(!"success without an injected failure");
        }
        return rc;
    }
    if (rc == 0) {
        absorbed++;
        return rc;
    }
    const char *fn = fault_injected_function();
    if (eintr &&
        (strcmp(fn, "read") == 0 || strcmp(fn, "pread") == 0 || strcmp(fn, "ioctl") == 0)) {
        fprintf(stderr, "driver.c:%d: %s: %s after an EINTR from %s, which must be retried\n", line,
                what, name, fn);
        CHECK(!"EINTR retried");
    }
    failed_calls++;
    printf("failed: %s -> %s (injected in %s)\n", what, name, fault_injected_function());
    if (init_phase) {
        /* state made once for the whole process may stay; descriptors must not */
        if (snap_before.fds_len != snap_after.fds_len ||
            memcmp(snap_before.fds, snap_after.fds, snap_before.fds_len) != 0) {
            fprintf(stderr, "driver.c:%d: %s failed with %s and left a descriptor open\n", line,
                    what, name);
            CHECK(!"a failed call leaves no descriptor open");
        }
    } else {
        if (!unchanged(&snap_before, &snap_after)) {
            fprintf(stderr, "driver.c:%d: %s failed with %s and changed the process\n", line, what,
                    name);
            CHECK(!"a failed call changes nothing");
        }
    }
    return rc;
}

static int after(const char *what, int rc, int line)
{
    return after_alt(what, rc, 0, line);
}

#define CALL(expr) (before(), after(#expr, (expr), __LINE__))
/* A call that may be MMAPC_EUNSUPPORTED here, failure or not. */
#define CALL_MAYBE(expr) (before(), after_alt(#expr, (expr), MMAPC_EUNSUPPORTED, __LINE__))

/* A void call (unmap, close): nothing to compare but what it must not touch. */
#define VOID_CALL(expr)                                                                            \
    do {                                                                                           \
        before();                                                                                  \
        expr;                                                                                      \
        after(#expr, 0, __LINE__);                                                                 \
    } while (0)

/* After a call that succeeded and made the mappings [s1, e1) and [s2, e2) (0, 0: none): the
 * library holds exactly what it held before and those, nothing left over from the making
 * (an aligned placement's trimmed head and tail, a reservation under a ring...). */
static void made(uintptr_t s1, uintptr_t e1, uintptr_t s2, uintptr_t e2)
{
    fault_ledger want = snap_before.ledger;
    fault_ledger_add(&want, s1, e1);
    if (e2)
        fault_ledger_add(&want, s2, e2);
    if (!fault_ledger_same_maps(&want, &snap_after.ledger)) {
        fprintf(stderr, "a call that made %lx-%lx left the library holding more or less:\n",
                (unsigned long)s1, (unsigned long)e1);
        fault_ledger_diff(&want, &snap_after.ledger);
        CHECK(!"a new mapping holds its own range only");
    }
}
#define MADE(m) made(mmapc_start(m), mmapc_end(m), 0, 0)

/* ---- the calls, by theme ---- */

static size_t ps;

/* Non-zero when [p, p + n) is mapped with exactly prot (as /proc/self/maps says). */
static int mapped_as(const void *p, size_t n, const char *perms)
{
    static char maps[MAPS_CAP];
    read_maps(maps, sizeof maps);
    uintptr_t s = (uintptr_t)p, e = s + n;
    for (const char *line = maps; *line;) {
        char *end;
        uintptr_t a = strtoul(line, &end, 16), b = strtoul(end + 1, &end, 16);
        if (a <= s && s < b) {
            if (strncmp(end + 1, perms, 3) != 0)
                return 0;
            s = b;
            if (s >= e)
                return 1;
        }
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    return 0;
}

/* Usable: the mapping is there with its protection, and its bytes are intact. */
static void check_map(mmapc_map *m, unsigned char fill)
{
    static const char *const perms[] = {"---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx"};
    const char *want = mmapc_is_reserved(m) ? "---" : perms[mmapc_protection(m)];
    CHECK(mapped_as(mmapc_ptr(m), mmapc_size(m), want));
    if (!mmapc_is_reserved(m) && (mmapc_protection(m) & MMAPC_PROT_READ)) {
        unsigned char *p = mmapc_ptr(m);
        CHECK(p[0] == fill && p[mmapc_size(m) - 1] == fill);
    }
}

/* mmapc_unmap(): the handle is freed whatever failed inside, so the memory must be gone, or,
 * where the kernel refused the munmap, given back and inaccessible (mmapc.h). */
static void unmap(mmapc_map *m)
{
    /* the pages that hold it: a mapping at an unaligned file offset starts inside one */
    uintptr_t s = mmapc_start(m) & ~(uintptr_t)(ps - 1),
              e = (mmapc_end(m) + ps - 1) & ~(uintptr_t)(ps - 1);
    int sealed = mmapc_is_sealed(m);
    /* mincore tells the page cache of a file or shared memory, not what this mapping holds */
    int anon_private = !mmapc_is_file(m) && !(mmapc_flags(m) & MMAPC_SHARED);
    VOID_CALL(mmapc_unmap(m));
    fault_ledger l;
    fault_ledger_get(&l);
    if (sealed || !fault_ledger_holds(&l, s, e))
        return;
    unsigned char v[64];
    size_t pages = (e - s) / ps, resident = 0;
    REQUIRE(pages <= sizeof v && mincore((void *)s, e - s, v) == 0);
    for (size_t i = 0; i < pages; i++)
        resident += v[i] & 1;
    if (!mapped_as((void *)s, e - s, "---") || (anon_private && resident)) {
        fprintf(stderr, "mmapc_unmap left %lx-%lx usable or resident (injected: %s)\n",
                (unsigned long)s, (unsigned long)e, fault_injected_function());
        CHECK(!"mmapc_unmap unmaps, or leaves the range inaccessible and empty");
    }
}

/* A free place of size bytes, found with a reservation unmapped again; NULL when a failure
 * kept it (a refused munmap leaves the range taken, as documented). */
static char *free_place(size_t size)
{
    mmapc_map *probe = NULL;
    if (CALL(mmapc_reserve_anon(&probe, size, MMAPC_PROT_NONE, NULL)) != 0)
        return NULL;
    uintptr_t at = mmapc_start(probe);
    unmap(probe);
    fault_ledger l;
    fault_ledger_get(&l);
    return fault_ledger_holds(&l, at, at + size) ? NULL : (char *)at;
}

/* mmapc_unmap_checked(): gone, or a failure that changed nothing and a handle that works. */
static void unmap_checked(mmapc_map *m, unsigned char fill)
{
    if (CALL(mmapc_unmap_checked(m)) != 0) {
        check_map(m, fill);
        unmap(m);
    }
}

static void count_huge(const char *name, int dir, void *arg)
{
    (void)dir;
    *(size_t *)arg += strncmp(name, "hugepages-", 10) == 0;
}

/* The huge page sizes sysfs lists, as the driver counts them itself. */
static size_t sysfs_huge_sizes(void)
{
    size_t n = 0;
    each_entry("/sys/kernel/mm/hugepages", count_huge, &n);
    return n;
}

static void facts(void)
{
    CHECK(mmapc_page_size() == (size_t)sysconf(_SC_PAGESIZE));
    CHECK(mmapc_allocation_granularity() == ps);
    /* a success is the truth: a failure on the way (no descriptor free for the directory, a
     * read error) must not give a shorter list, now or later */
    size_t sizes[16], count = 0;
    if (CALL(mmapc_page_sizes(sizes, 16, &count)) == 0) {
        CHECK(count >= 1 && sizes[0] == ps);
        CHECK(count == 1 + sysfs_huge_sizes());
        if (count != 1 + sysfs_huge_sizes())
            fprintf(stderr, "mmapc_page_sizes: %zu sizes, sysfs lists %zu huge ones\n", count,
                    sysfs_huge_sizes());
    }
    size_t huge = 0;
    VOID_CALL(huge = mmapc_default_huge_page_size());
    CHECK(huge == 0 || (huge > ps && (huge & (huge - 1)) == 0));
    CHECK(strcmp(mmapc_version(), MMAPC_VERSION_STRING) == 0);
    CHECK(strcmp(mmapc_err_name(MMAPC_ENOMEM), "MMAPC_ENOMEM") == 0);
    CHECK(strcmp(mmapc_area_kind_name(MMAPC_AREA_HEAP), "heap") == 0);
}

/* Anonymous memory: every flag that costs a system call, then protect, flush, lock, split and
 * merge on one mapping. */
static void anon(void)
{
    static const unsigned flag_sets[] = {
        0,
        MMAPC_POPULATE | MMAPC_NO_RESERVE | MMAPC_STACK,
        MMAPC_TRANSPARENT_HUGE_PAGES | MMAPC_NO_CORE_DUMP | MMAPC_SEQUENTIAL | MMAPC_WILL_NEED,
        MMAPC_RANDOM_ACCESS | MMAPC_DONT_NEED | MMAPC_LOCKED,
    };
    for (size_t i = 0; i < sizeof flag_sets / sizeof flag_sets[0]; i++) {
        mmapc_map *m = NULL;
        mmapc_options o = {.flags = flag_sets[i]};
        if (CALL(mmapc_map_anon(&m, 3 * ps, MMAPC_PROT_RW, &o)) != 0) {

            CHECK(m == NULL);
            continue;
        }
        MADE(m);
        memset(mmapc_ptr(m), 0x5a, 3 * ps);
        check_map(m, 0x5a);
        if (i % 2)
            unmap_checked(m, 0x5a);
        else
            unmap(m);
    }

    mmapc_map *m = NULL;
    if (CALL(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, NULL)) != 0)
        return;
    MADE(m);
    memset(mmapc_ptr(m), 0x11, 4 * ps);
    if (CALL(mmapc_protect(m, MMAPC_PROT_READ)) != 0)
        CHECK(mmapc_protection(m) == MMAPC_PROT_RW);
    check_map(m, 0x11);
    if (CALL(mmapc_protect_no_flush(m, MMAPC_PROT_RX)) != 0)
        CHECK(mmapc_protection(m) != MMAPC_PROT_RX);
    check_map(m, 0x11);
    CALL(mmapc_protect(m, MMAPC_PROT_RW));
    check_map(m, 0x11);
    CALL(mmapc_flush(m, 0, 4 * ps));
    CALL(mmapc_flush_async(m, 1, 2 * ps));
    CALL(mmapc_flush_icache(mmapc_ptr(m), ps));
    if (CALL(mmapc_lock(m)) == 0)
        CALL(mmapc_unlock(m));
    check_map(m, 0x11);

    mmapc_map *back = NULL, *front = NULL;
    if (CALL(mmapc_split_off(m, 2 * ps, &back)) == 0) {
        check_map(back, 0x11);
        if (CALL(mmapc_split_to(back, ps, &front)) == 0) {
            CHECK(mmapc_size(front) == ps && mmapc_size(back) == ps);
            if (CALL(mmapc_merge(back, front)) != 0)
                unmap(front);
        }
        if (CALL(mmapc_merge(m, back)) != 0)
            unmap(back);
    }
    check_map(m, 0x11);
    unmap_checked(m, 0x11);

    /* at a place of our choosing, which must not replace anything */
    void *at = free_place(2 * ps);
    if (at) {
        mmapc_options o = {.flags = MMAPC_FIXED_NOREPLACE, .address = at};
        if (CALL(mmapc_map_anon(&m, 2 * ps, MMAPC_PROT_READ, &o)) == 0) {
            CHECK(mmapc_ptr(m) == at);
            unmap(m);
        }
    }
}

/* Reservations: anonymous, committed whole and in pieces. */
static void reserve(void)
{
    mmapc_map *r = NULL, *part = NULL;
    mmapc_options o = {.flags = MMAPC_NO_CORE_DUMP | MMAPC_LOCKED};
    if (CALL(mmapc_reserve_anon(&r, 4 * ps, MMAPC_PROT_RW, &o)) != 0)
        return;
    MADE(r);
    check_map(r, 0);
    if (CALL(mmapc_split_off(r, 2 * ps, &part)) == 0) {
        if (CALL(mmapc_commit(part)) == 0) {
            memset(mmapc_ptr(part), 0x22, 2 * ps);
            check_map(part, 0x22);
        } else {
            CHECK(mmapc_is_reserved(part));
            check_map(part, 0);
        }
        unmap_checked(part, 0x22);
    }
    if (CALL(mmapc_commit(r)) != 0)
        CHECK(mmapc_is_reserved(r));
    check_map(r, 0);
    unmap(r);
}

/* Files: private and shared maps, a file reservation split and committed, flushes. */
static void files(const char *path, mmapc_file fd)
{
    mmapc_map *m = NULL;
    if (CALL(mmapc_map_file(&m, 4 * ps, MMAPC_PROT_READ, fd, 0, NULL)) == 0) {
        MADE(m);
        CHECK(((unsigned char *)mmapc_ptr(m))[5] == tu_pattern(5));
        unmap(m);
    }
    mmapc_options shared = {.flags = MMAPC_SHARED | MMAPC_WILL_NEED};
    if (CALL(mmapc_map_file(&m, 2 * ps, MMAPC_PROT_RW, fd, ps, &shared)) == 0) {
        MADE(m);
        unsigned char *p = mmapc_ptr(m);
        p[0] = tu_pattern(ps); /* unchanged bytes: any run sees the same file */
        CALL(mmapc_flush(m, 0, 2 * ps));
        CALL(mmapc_flush_async(m, 0, ps));
        mmapc_map *back = NULL;
        if (CALL(mmapc_split_off(m, ps, &back)) == 0 && CALL(mmapc_merge(m, back)) != 0)
            unmap(back);
        unmap(m);
    }
    mmapc_map *r = NULL, *part = NULL;
    if (CALL(mmapc_reserve_file(&r, 4 * ps, MMAPC_PROT_READ, fd, 0, NULL)) == 0) {
        MADE(r);
        if (CALL(mmapc_split_to(r, ps, &part)) == 0) {
            if (CALL(mmapc_commit(part)) == 0)
                CHECK(((unsigned char *)mmapc_ptr(part))[7] == tu_pattern(7));
            else
                CHECK(mmapc_is_reserved(part));
            unmap(part);
        }
        if (CALL(mmapc_commit(r)) == 0)
            CHECK(((unsigned char *)mmapc_ptr(r))[3] == tu_pattern(ps + 3));
        unmap(r);
    }
    (void)path;
}

/* Files that change size: the pages a mapping holds, from the page below its start to the end of
 * its capacity. */
#define MADE_HELD(m)                                                                               \
    made(mmapc_start(m) & ~(uintptr_t)(ps - 1),                                                    \
         (mmapc_start(m) + mmapc_capacity(m) + ps - 1) & ~(uintptr_t)(ps - 1), 0, 0)

/* Whole-file maps at odd offsets, growable maps grown and shrunk (the file extended, storage
 * first), in place, into a tail, and moved. */
static void sizes(mmapc_file fd)
{
    const mmapc_options shared = {.flags = MMAPC_SHARED};
    mmapc_map *m = NULL;
    if (CALL(mmapc_map_file_whole(&m, MMAPC_PROT_READ, fd, ps + 1, NULL)) == 0) {
        MADE_HELD(m);
        CHECK(mmapc_size(m) == 3 * ps - 1);
        CHECK(((unsigned char *)mmapc_ptr(m))[0] == tu_pattern(ps + 1));
        unmap(m);
    }
    if (CALL(mmapc_map_file_growable(&m, MMAPC_TO_END, 8 * ps, MMAPC_PROT_RW, fd, ps + 3,
                                     &shared)) == 0) {
        MADE_HELD(m);
        if (CALL(mmapc_resize(m, 6 * ps, 0)) == 0)
            CHECK(((unsigned char *)mmapc_ptr(m))[0] == tu_pattern(ps + 3));
        CALL(mmapc_resize(m, ps, 0));
        CALL(mmapc_resize(m, 5 * ps, MMAPC_RESIZE_MAY_MOVE));
        unmap(m);
    }
    REQUIRE(ftruncate(fd, (off_t)(4 * ps)) == 0); /* as the other themes want it */
    if (CALL(mmapc_map_file_growable(&m, 2 * ps, 3 * ps, MMAPC_PROT_RW, fd, 0, NULL)) == 0) {
        MADE_HELD(m);
        ((unsigned char *)mmapc_ptr(m))[1] = 0x11; /* private: copied when it moves */
        if (CALL(mmapc_resize(m, 4 * ps, MMAPC_RESIZE_MAY_MOVE)) == 0)
            CHECK(((unsigned char *)mmapc_ptr(m))[1] == 0x11);
        unmap(m);
    }
    if (CALL(mmapc_map_anon_growable(&m, ps, 16 * ps, MMAPC_PROT_RW, NULL)) == 0) {
        MADE_HELD(m);
        memset(mmapc_ptr(m), 0x44, ps);
        CALL(mmapc_resize(m, 8 * ps, 0));
        CALL(mmapc_resize(m, 2 * ps, 0));
        CHECK(mapped_as(mmapc_ptr(m), mmapc_size(m), "rw-"));
        CHECK(((unsigned char *)mmapc_ptr(m))[ps - 1] == 0x44);
        unmap(m);
    }
    if (CALL(mmapc_map_anon(&m, ps, MMAPC_PROT_RW, NULL)) == 0) {
        memset(mmapc_ptr(m), 0x55, ps);
        if (CALL(mmapc_resize(m, 64 * ps, MMAPC_RESIZE_MAY_MOVE)) == 0)
            CHECK(((unsigned char *)mmapc_ptr(m))[ps - 1] == 0x55);
        CALL(mmapc_resize(m, ps, 0)); /* refused: still 64 pages, the first one written */
        CHECK(mapped_as(mmapc_ptr(m), mmapc_size(m), "rw-"));
        CHECK(((unsigned char *)mmapc_ptr(m))[ps - 1] == 0x55);
        unmap(m);
    }
}

/* Ranges: advice, discard, decommit and commit again, residency, lock on fault, aligned
 * mappings, sealing. */
static void ranges(void)
{
    static const mmapc_advice advice[] = {
        MMAPC_ADVICE_NORMAL,    MMAPC_ADVICE_SEQUENTIAL,    MMAPC_ADVICE_RANDOM,
        MMAPC_ADVICE_WILL_NEED, MMAPC_ADVICE_HUGE_PAGES,    MMAPC_ADVICE_NO_HUGE_PAGES,
        MMAPC_ADVICE_DONT_DUMP, MMAPC_ADVICE_DO_DUMP,       MMAPC_ADVICE_COLD,
        MMAPC_ADVICE_PAGE_OUT,  MMAPC_ADVICE_POPULATE_READ, MMAPC_ADVICE_POPULATE_WRITE,
    };
    mmapc_map *m = NULL;
    mmapc_options aligned = {.alignment = 16 * ps};
    if (CALL(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, &aligned)) != 0)
        return;
    MADE(m);
    CHECK(mmapc_start(m) % (16 * ps) == 0);
    memset(mmapc_ptr(m), 0x33, 4 * ps);
    for (size_t i = 0; i < sizeof advice / sizeof advice[0]; i++)
        CALL(mmapc_advise(m, ps, 2 * ps, advice[i]));
    check_map(m, 0x33);
    size_t count = 0;
    unsigned char pages[4];
    if (CALL(mmapc_residency(m, 0, 4 * ps, &count, pages)) == 0)
        CHECK(count <= 4);
    if (CALL(mmapc_discard(m, ps, ps, MMAPC_DISCARD_ZERO)) == 0)
        CHECK(((unsigned char *)mmapc_ptr(m))[ps] == 0);
    CALL(mmapc_discard(m, 2 * ps, ps, MMAPC_DISCARD_LAZY));
    unsigned char *p = mmapc_ptr(m);
    CHECK(p[0] == 0x33 && p[4 * ps - 1] == 0x33);
    if (CALL_MAYBE(mmapc_lock_on_fault(m)) == 0)
        CALL(mmapc_unlock(m));
    if (CALL(mmapc_decommit(m)) == 0) {
        CHECK(mmapc_is_reserved(m));
        check_map(m, 0);
        if (CALL(mmapc_commit(m)) == 0)
            CHECK(p[0] == 0 && p[4 * ps - 1] == 0);
    } else {
        check_map(m, 0x33);
    }
    unmap(m);

    /* sealed: stays for the life of the process */
    if (CALL(mmapc_map_anon(&m, ps, MMAPC_PROT_READ, NULL)) == 0) {
        if (CALL_MAYBE(mmapc_seal(m)) == 0)
            CHECK(mmapc_is_sealed(m));
        unmap(m);
    }
}

/* Fault-safe copies: a read and a write of a file mapping, a raw copy, one that faults (memory
 * made inaccessible behind the library's back), the install. */
static void guarded(mmapc_file fd)
{
    mmapc_map *m = NULL;
    mmapc_options shared = {.flags = MMAPC_SHARED};
    if (CALL(mmapc_map_file(&m, 2 * ps, MMAPC_PROT_RW, fd, 0, &shared)) != 0)
        return;
    MADE(m);
    unsigned char buf[64];
    size_t done = 0;
    if (CALL(mmapc_read(m, 5, buf, sizeof buf, &done)) == 0)
        CHECK(done == sizeof buf && buf[0] == tu_pattern(5) && buf[63] == tu_pattern(68));
    if (CALL(mmapc_write(m, 5, buf, sizeof buf, &done)) == 0) /* the same bytes back */
        CHECK(done == sizeof buf);
    unsigned char *p = mmapc_ptr(m);
    if (CALL(mmapc_copy_guarded(buf, p + ps - 8, 16, &done)) == 0)
        CHECK(done == 16 && buf[15] == tu_pattern(ps + 7));
    REQUIRE(mprotect(p + ps, ps, PROT_NONE) == 0);
    done = 0;
    if (before(),
        after_alt("mmapc_copy_guarded (a fault)", mmapc_copy_guarded(buf, p + ps - 8, 16, &done),
                  MMAPC_EIO, __LINE__) == MMAPC_EIO)
        CHECK(done == 8 && buf[7] == tu_pattern(ps - 1));
    REQUIRE(mprotect(p + ps, ps, PROT_READ | PROT_WRITE) == 0);
    CALL(mmapc_guard_install(0));
    unmap(m);
}

/* Shared memory objects: anonymous and named, views, resize, seals, inheritance, the dual
 * mapping and the ring. */
static void shm(void)
{
    mmapc_shm *o = NULL;
    if (CALL(mmapc_shm_create(&o, NULL, 4 * ps, NULL)) == 0) {
        uint64_t size = 0;
        if (CALL(mmapc_shm_size(o, &size)) == 0)
            CHECK(size == 4 * ps);
        CALL(mmapc_shm_resize(o, 8 * ps));
        CALL(mmapc_shm_set_inherit(o, 1));
        CALL(mmapc_shm_set_inherit(o, 0));
        /* two views side by side: at a free place found with a reservation */
        mmapc_map *a = NULL, *b = NULL;
        char *at = free_place(4 * ps);
        mmapc_options here = {.flags = MMAPC_FIXED_NOREPLACE, .address = at};
        if (at && CALL(mmapc_shm_map(&a, o, 0, 2 * ps, MMAPC_PROT_RW, &here)) == 0) {
            MADE(a);
            memset(mmapc_ptr(a), 0x44, 2 * ps);
            here.address = at + 2 * ps;
            if (CALL(mmapc_shm_map(&b, o, 2 * ps, 2 * ps, MMAPC_PROT_RW, &here)) == 0 &&
                CALL(mmapc_merge(a, b)) != 0)
                unmap(b);
            unsigned char *p = mmapc_ptr(a);
            CHECK(p[0] == 0x44 && p[2 * ps - 1] == 0x44);
            unmap(a);
        }
        unsigned seals = 0;
        CALL(mmapc_shm_seals(o, &seals));
        CALL_MAYBE(mmapc_shm_seal(o, MMAPC_SHM_SEAL_SHRINK));
        mmapc_shm *again = NULL;
        if (CALL(mmapc_shm_from_file(&again, mmapc_shm_file(o), NULL)) == 0)
            VOID_CALL(mmapc_shm_close(again));
        mmapc_ring *ring = NULL;
        if (CALL(mmapc_ring_map(&ring, o, 0, 4 * ps)) == 0) {
            made((uintptr_t)mmapc_ring_ptr(ring), (uintptr_t)mmapc_ring_ptr(ring) + 8 * ps, 0, 0);
            unsigned char *r = mmapc_ring_ptr(ring);
            r[0] = 0x55;
            CHECK(r[mmapc_ring_size(ring)] == 0x55);
            VOID_CALL(mmapc_ring_free(ring));
        }
        VOID_CALL(mmapc_shm_close(o));
    }

    char name[64];
    snprintf(name, sizeof name, "/mmapc-faults-%d", (int)getpid());
    if (CALL(mmapc_shm_create(&o, name, 2 * ps, NULL)) == 0) {
        mmapc_shm *other = NULL;
        mmapc_shm_options ro = {.flags = MMAPC_SHM_READ_ONLY};
        if (CALL(mmapc_shm_open(&other, name, &ro)) == 0) {
            mmapc_map *v = NULL;
            if (CALL(mmapc_shm_map(&v, other, 0, 2 * ps, MMAPC_PROT_READ, NULL)) == 0) {
                MADE(v);
                check_map(v, 0);
                unmap(v);
            }
            VOID_CALL(mmapc_shm_close(other));
        }
        VOID_CALL(mmapc_shm_close(o));
        if (CALL(mmapc_shm_unlink(name)) != 0)
            CHECK(mmapc_shm_unlink(name) == 0); /* nothing injected the second time */
    }

    mmapc_map *rw = NULL, *rx = NULL;
    if (CALL(mmapc_map_dual(&rw, &rx, ps)) == 0) {
        made(mmapc_start(rw), mmapc_end(rw), mmapc_start(rx), mmapc_end(rx));
        memset(mmapc_ptr(rw), 0x66, ps);
        check_map(rx, 0x66);
        unmap(rw);
        unmap(rx);
    }
    mmapc_ring *ring = NULL;
    if (CALL(mmapc_ring_create(&ring, ps)) == 0) {
        made((uintptr_t)mmapc_ring_ptr(ring), (uintptr_t)mmapc_ring_ptr(ring) + 2 * ps, 0, 0);
        unsigned char *r = mmapc_ring_ptr(ring);
        r[1] = 0x77;
        CHECK(r[ps + 1] == 0x77);
        VOID_CALL(mmapc_ring_free(ring));
    }
}

/* Iterate over all areas of pid through it; checks the order, and that want (if any) was seen. */
static void iterate(mmapc_areas *it, const void *want)
{
    mmapc_area a;
    int rc;
    uint64_t last = 0;
    int seen = 0;
    for (;;) {
        before();
        rc = mmapc_areas_next(it, &a);
        after("mmapc_areas_next", rc < 0 ? rc : 0, __LINE__);
        if (rc <= 0)
            break;
        CHECK(a.start >= last && a.end > a.start);
        last = a.end;
        seen |= want && a.start <= (uintptr_t)want && (uintptr_t)want < a.end;
    }
    if (rc == 0 && want)
        CHECK(seen);
    if (rc < 0) { /* the error sticks */
        CHECK(mmapc_areas_next(it, &a) == rc);
    }
}

static void query_checks(int rc, const mmapc_area *a, const void *want)
{
    if (rc == 0)
        CHECK(a->start <= (uintptr_t)want && (uintptr_t)want < a->end);
}

/* Areas of pid (MMAPC_SELF or a child), where want is mapped. */
/* Build IDs (of an anonymous area and of the driver's own file) and the memory of p: want
 * reads, and the scratch bytes (at the same address in a forked child) are written back as they
 * were. */
static unsigned char scratch[3 * 4096];
static void proc_memory(mmapc_proc *p, const void *want)
{
    mmapc_build_id id;
    if (CALL(mmapc_proc_build_id(p, (uintptr_t)want, &id)) == 0)
        CHECK(id.size == 0);
    if (CALL(mmapc_proc_build_id(p, (uintptr_t)&proc_memory, &id)) == 0)
        CHECK(id.size > 0);
    unsigned char buf[sizeof scratch];
    size_t done = 0;
    if (CALL(mmapc_proc_read(p, (uintptr_t)want, buf, 64, &done)) == 0)
        CHECK(done == 64);
    if (CALL(mmapc_proc_read(p, (uintptr_t)scratch, buf, sizeof buf, &done)) == 0 &&
        done == sizeof buf &&
        CALL(mmapc_proc_write(p, (uintptr_t)scratch, buf, sizeof buf, &done)) == 0)
        CHECK(done == sizeof buf);
}

/* Memory use per area through p: an iteration with usage (every area's use read), a query with
 * usage of want, the totals. */
static void usage(mmapc_proc *p, const void *want)
{
    mmapc_areas *it = NULL;
    mmapc_area a;
    mmapc_area_usage u;
    if (CALL(mmapc_proc_areas_usage(&it, p, 0, UINT64_MAX)) == 0) {
        iterate(it, want);
        VOID_CALL(mmapc_areas_close(it));
    }
    if (CALL(mmapc_proc_areas_usage(&it, p, (uintptr_t)want, (uintptr_t)want + 1)) == 0) {
        int rc = mmapc_areas_next(it, &a);
        if (rc == 1)
            CHECK(CALL(mmapc_areas_usage(it, &u)) == 0 && u.size == a.end - a.start);
        VOID_CALL(mmapc_areas_close(it));
    }
    if (CALL(mmapc_proc_query_usage(p, (uintptr_t)want, &a, NULL, 0, &u)) == 0)
        CHECK(a.start <= (uintptr_t)want && (uintptr_t)want < a.end && u.size == a.end - a.start);
    if (CALL(mmapc_proc_usage_totals(p, &u)) == 0)
        CHECK(u.rss > 0);
}

static void areas(int pid, const void *want)
{
    mmapc_area a;
    char path[512];
    query_checks(CALL(mmapc_area_query(pid, (uintptr_t)want, &a, path, sizeof path)), &a, want);
    mmapc_areas *it = NULL;
    if (CALL(mmapc_areas_open(&it, pid)) == 0) {
        iterate(it, want);
        VOID_CALL(mmapc_areas_close(it));
    }
    if (CALL(mmapc_areas_open_range(&it, pid, (uintptr_t)want, (uintptr_t)want + 1)) == 0) {
        iterate(it, want);
        VOID_CALL(mmapc_areas_close(it));
    }
    if (CALL(mmapc_areas_open_usage(&it, pid)) == 0) {
        iterate(it, want);
        VOID_CALL(mmapc_areas_close(it));
    }
    for (int text = 0; text < 2; text++) {
        mmapc_proc *p = NULL;
        if (CALL(mmapc_proc_open(&p, pid, text ? MMAPC_PROC_TEXT : 0)) != 0)
            continue;
        int direct = 0;
        VOID_CALL(direct = mmapc_proc_direct(p));
        (void)direct;
        query_checks(CALL(mmapc_proc_query(p, (uintptr_t)want, &a, path, sizeof path)), &a, want);
        /* still usable after whatever happened */
        query_checks(CALL(mmapc_proc_query(p, (uintptr_t)want, &a, NULL, 0)), &a, want);
        if (CALL(mmapc_proc_areas(&it, p, 0, UINT64_MAX)) == 0) {
            iterate(it, want);
            VOID_CALL(mmapc_areas_close(it));
        }
        proc_memory(p, want);
        usage(p, want);
        VOID_CALL(mmapc_proc_close(p));
    }
}

/* A process handle for ourselves opened before fork(), used in the child. */
static void self_handle_in_child(const void *want)
{
    mmapc_proc *p = NULL;
    if (CALL(mmapc_proc_open(&p, MMAPC_SELF, 0)) != 0)
        return;
    fflush(NULL);
    int failures_before = check_failures;
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        /* memory only the child has: found through the inherited handle */
        void *mine = mmap(NULL, ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        REQUIRE(mine != MAP_FAILED);
        mmapc_area a;
        query_checks(CALL(mmapc_proc_query(p, (uintptr_t)mine, &a, NULL, 0)), &a, mine);
        query_checks(CALL(mmapc_proc_query(p, (uintptr_t)want, &a, NULL, 0)), &a, want);
        mmapc_areas *it = NULL;
        if (CALL(mmapc_proc_areas(&it, p, 0, UINT64_MAX)) == 0) {
            iterate(it, mine);
            VOID_CALL(mmapc_areas_close(it));
        }
        VOID_CALL(mmapc_proc_close(p));
        fflush(NULL);
        _exit(check_failures != failures_before ? 1 : 0); /* the child's own */
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fprintf(stderr, "the child using the inherited handle ended with status 0x%x\n", status);
    VOID_CALL(mmapc_proc_close(p));
}

/* Another process, held still while we look. */
static void other_process(const void *want)
{
    int pipefd[2];
    REQUIRE(pipe(pipefd) == 0);
    fflush(NULL);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(pipefd[1]);
        char c;
        while (read(pipefd[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(0);
    }
    close(pipefd[0]);
    areas(child, want);
    close(pipefd[1]);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
    ps = (size_t)sysconf(_SC_PAGESIZE);
    fault_calls(0); /* the interposer's shared page exists before the first snapshot */
    const char *err = getenv("MMAPC_FAULT_ERRNO");
    eintr = err && strcmp(err, "EINTR") == 0;
    char path[TU_PATH_MAX];
    mmapc_file fd = tu_temp_file(NULL, 4 * ps, path);

    /* first use: lazily made process-wide state (page sizes, the pid cache page, whether the
     * kernel answers queries directly); a failed call must still leak nothing */
    facts();
    mmapc_area a;
    CALL(mmapc_area_query(MMAPC_SELF, (uintptr_t)&main, &a, NULL, 0));
    init_phase = 0;

    facts();
    anon();
    reserve();
    files(path, fd);
    sizes(fd);
    ranges();
    guarded(fd);
    shm();
    /* a mapping of the driver's own to look for in the listings */
    void *want = mmap(NULL, 2 * ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(want != MAP_FAILED);
    areas(MMAPC_SELF, want);
    self_handle_in_child(want);
    other_process(want);
    munmap(want, 2 * ps);

    tu_close(fd);
    tu_remove(path);
    fault_report();
    printf("%d calls failed with an injected failure, %d absorbed it\n", failed_calls, absorbed);
    return check_done();
}
