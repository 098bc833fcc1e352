// SPDX-License-Identifier: MIT
/* The fake platform of fake_os.h, and the checker that compares areas.c with the line parser. */
#include "fake_os.h"

#include "maps_parse.h"
#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_PID 4242
#define DELETED_LEN MMAPC__DELETED_LEN

/* ---- the fake platform ---- */

static struct {
    const char *text;
    size_t len;
    const fake_plan *plan;
    /* the one stream open at a time */
    int streams; /* open now: 0 or 1 */
    int procs;   /* process handles open now */
    size_t pos;
    long nread;
    long most_reads;
    int injected; /* the planned error happened in the last stream */
    uint64_t rng;
} F;

static uint64_t next_random(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

struct mmapc__proc {
    int pid;
};

int mmapc__os_proc_open(int pid, unsigned flags, mmapc__proc **out)
{
    (void)flags;
    mmapc__proc *p = malloc(sizeof *p);
    if (!p)
        return mmapc__fail(MMAPC_ENOMEM);
    p->pid = pid;
    F.procs++;
    *out = p;
    return 0;
}

void mmapc__os_proc_close(mmapc__proc *p)
{
    if (!p)
        return;
    F.procs--;
    free(p);
}

/* No direct query: everything goes through the text, whose loops are what this checks. */
int mmapc__os_area_from(mmapc__proc *p, uint64_t addr, mmapc_area *out, char *name, size_t cap,
                        size_t *name_len)
{
    (void)p, (void)addr, (void)out, (void)name, (void)cap, (void)name_len;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_area_direct(mmapc__proc *p)
{
    (void)p;
    return 0;
}

/* A name the core asks about must be whole: it ends in the suffix. An odd inode says "a live
 * file of that name", so that both answers are checked. */
long fake_name_lookups;

int mmapc__os_name_is_file(const char *name, const mmapc_area *a)
{
    fake_name_lookups++;
    size_t n = strlen(name);
    if (n < DELETED_LEN ||
        memcmp(name + n - DELETED_LEN, MMAPC__DELETED_SUFFIX, DELETED_LEN) != 0) {
        fprintf(stderr, "fake: asked about a name without the suffix: '%s'\n", name);
        abort();
    }
    return (int)(a->inode & 1);
}

/* The fake text escapes nothing. */
size_t mmapc__os_text_name(mmapc__proc *p, const mmapc_area *a, char *name, size_t len)
{
    (void)p;
    (void)a;
    (void)name;
    return len;
}

int mmapc__os_text_open(mmapc__proc *p, mmapc__text *t)
{
    (void)p;
    if (F.streams != 0) {
        fprintf(stderr, "fake: a second stream opened before the first was closed\n");
        abort();
    }
    F.injected = 0;
    if (F.plan->fail_open) {
        F.injected = 1;
        return mmapc__fail(F.plan->fail_code);
    }
    F.streams++;
    F.pos = 0;
    F.nread = 0;
    F.rng = F.plan->seed;
    t->h = 1;
    t->aux = 0;
    return 0;
}

int mmapc__os_text_read(mmapc__text *t, char *buf, size_t cap, size_t *got)
{
    if (F.streams != 1 || t->h != 1 || cap == 0) {
        fprintf(stderr, "fake: read of a stream not open, or of 0 bytes\n");
        abort();
    }
    long k = F.nread++;
    if (F.nread > F.most_reads)
        F.most_reads = F.nread;
    if (k == F.plan->fail_at) {
        F.injected = 1;
        *got = (size_t)0x5a5a5a5a; /* nothing may be read from it on failure */
        return mmapc__fail(F.plan->fail_code);
    }
    size_t n = F.len - F.pos;
    if (F.plan->max_chunk) {
        size_t c = 1 + (size_t)(next_random(&F.rng) % F.plan->max_chunk);
        if (n > c)
            n = c;
    }
    if (n > cap)
        n = cap;
    memcpy(buf, F.text + F.pos, n);
    /* bytes the read did not give hold junk, so that a use of them shows */
    size_t junk = cap - n < 64 ? cap - n : 64;
    memset(buf + n, 'Z', junk);
    F.pos += n;
    *got = n;
    return 0;
}

/* Memory use: the served text is the smaps listing too (a listing with key lines after each
 * header line), and there is no per-area answer. */
int mmapc__os_usage_open(mmapc__proc *p, int which, mmapc__text *t)
{
    (void)which;
    return mmapc__os_text_open(p, t);
}

int mmapc__os_area_usage(mmapc__proc *p, uint64_t start, uint64_t end, mmapc_area_usage *u)
{
    (void)p, (void)start, (void)end, (void)u;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

void mmapc__os_text_close(mmapc__text *t)
{
    if (F.streams != 1 || t->h != 1) {
        fprintf(stderr, "fake: close of a stream not open\n");
        abort();
    }
    F.streams--;
}

/* ---- the oracle: the listing parsed line by line ---- */

typedef struct line {
    mmapc_area a; /* a.path points into names */
    int rc;       /* 0, or MMAPC_EPARSE */
} line;

typedef struct oracle {
    line *lines;
    size_t count;
    char *names; /* each line's path, NUL-terminated */
} oracle;

static void oracle_make(oracle *o, const char *text, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += text[i] == '\n';
    count += len && text[len - 1] != '\n';
    o->lines = calloc(count ? count : 1, sizeof *o->lines);
    o->names = malloc(len + count + 1);
    if (!o->lines || !o->names)
        abort();
    o->count = count;
    const char *s = text, *end = text + len;
    char *copy = malloc(len + 1), *names = o->names;
    if (!copy)
        abort();
    for (size_t i = 0; i < count; i++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
        memcpy(copy, s, n);
        copy[n] = '\0';
        line *l = &o->lines[i];
        l->rc = mmapc__maps_parse_line(copy, n, &l->a);
        if (l->rc == 0) {
            if (l->a.deleted && (l->a.inode & 1)) { /* the fake's live "x (deleted)" */
                l->a.deleted = 0;
                l->a.path_len += DELETED_LEN;
            }
            memcpy(names, l->a.path, l->a.path_len);
            names[l->a.path_len] = '\0';
            l->a.path = names;
            names += l->a.path_len + 1;
        }
        s = nl ? nl + 1 : end;
    }
    free(copy);
}

static void oracle_free(oracle *o)
{
    free(o->lines);
    free(o->names);
}

/* ---- the checks ---- */

static int failures;

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "fake_check: " __VA_ARGS__);                                               \
        fputc('\n', stderr);                                                                       \
        failures++;                                                                                \
    } while (0)

static int same_fields(const mmapc_area *x, const mmapc_area *y)
{
    return x->start == y->start && x->end == y->end && x->allocation_base == y->allocation_base &&
           x->prot == y->prot && x->shared == y->shared && x->kind == y->kind &&
           x->path_len == y->path_len && x->deleted == y->deleted && x->offset == y->offset &&
           x->dev_major == y->dev_major && x->dev_minor == y->dev_minor && x->inode == y->inode;
}

/* What an iteration over [start, end) must give: the areas, then 0 or MMAPC_EPARSE. The listing
 * is read as the iteration goes: a read that fails at open fails the open and leaves *out as it
 * was; one that fails later ends the iteration there with its error, every area before it
 * right. */
static void check_iteration(const oracle *o, mmapc_proc *proc, uint64_t start, uint64_t end)
{
    mmapc_areas *it = (mmapc_areas *)&failures; /* must stay as it is on failure */
    F.injected = 0;
    int rc = proc ? mmapc_proc_areas(&it, proc, start, end)
                  : mmapc_areas_open_range(&it, FAKE_PID, start, end);
    if (F.injected) {
        if (rc != F.plan->fail_code || it != (mmapc_areas *)&failures)
            FAIL("iteration [%llx, %llx): %s after a read error, expected %s",
                 (unsigned long long)start, (unsigned long long)end, mmapc_err_name(rc),
                 mmapc_err_name(F.plan->fail_code));
        if (rc == 0)
            mmapc_areas_close(it);
        return;
    }
    if (rc != 0) {
        FAIL("iteration [%llx, %llx): open gave %s", (unsigned long long)start,
             (unsigned long long)end, mmapc_err_name(rc));
        return;
    }
    size_t i = 0, n = 0;
    int want = 0;
    uint64_t last = 0; /* the end of the last area: each begins there or above (mmapc.h) */
    mmapc_area a;
    for (;; i++) {
        /* the next line the oracle yields, and the area it gives: a line that begins below the
         * last area's end (a torn listing) gives only what lies above it, or nothing */
        const line *l = NULL;
        mmapc_area w;
        if (start != end) {
            for (; i < o->count; i++) {
                if (o->lines[i].rc) {
                    want = MMAPC_EPARSE;
                    break;
                }
                if (o->lines[i].a.end <= start)
                    continue;
                if (o->lines[i].a.start >= end)
                    break;
                if (o->lines[i].a.end <= last)
                    continue;
                l = &o->lines[i];
                break;
            }
        }
        if (l) {
            w = l->a;
            if (w.start < last) {
                if (w.inode || w.offset)
                    w.offset += last - w.start;
                w.start = w.allocation_base = last;
            }
            if (w.start >= end)
                l = NULL;
        }
        rc = mmapc_areas_next(it, &a);
        if (F.injected) {
            if (rc != F.plan->fail_code)
                FAIL("iteration [%llx, %llx): after %zu areas and a read error got %s, expected %s",
                     (unsigned long long)start, (unsigned long long)end, n, mmapc_err_name(rc),
                     mmapc_err_name(F.plan->fail_code));
            else if (mmapc_areas_next(it, &a) != rc)
                FAIL("iteration: the read error did not stay");
            break;
        }
        if (!l) {
            if (rc != want)
                FAIL("iteration [%llx, %llx): after %zu areas got %s (%d), expected %s",
                     (unsigned long long)start, (unsigned long long)end, n, mmapc_err_name(rc), rc,
                     mmapc_err_name(want));
            else if (mmapc_areas_next(it, &a) != want)
                FAIL("iteration: its end or error did not stay");
            break;
        }
        if (rc != 1) {
            FAIL("iteration [%llx, %llx): area %zu (line %zu) missing: %s",
                 (unsigned long long)start, (unsigned long long)end, n, i, mmapc_err_name(rc));
            break;
        }
        if (a.start < last || a.end <= a.start)
            FAIL("iteration [%llx, %llx): area %zu %llx-%llx out of order after one ending at %llx",
                 (unsigned long long)start, (unsigned long long)end, n, (unsigned long long)a.start,
                 (unsigned long long)a.end, (unsigned long long)last);
        last = a.end;
        if (!same_fields(&a, &w) || strlen(a.path) != a.path_len ||
            memcmp(a.path, w.path, a.path_len) != 0)
            FAIL("iteration: area %zu (line %zu) differs: %llx-%llx '%s' deleted %d, expected "
                 "%llx-%llx '%s' deleted %d",
                 n, i, (unsigned long long)a.start, (unsigned long long)a.end, a.path, a.deleted,
                 (unsigned long long)w.start, (unsigned long long)w.end, w.path, w.deleted);
        n++;
    }
    mmapc_areas_close(it);
}

/* What a query of addr must give. */
static void check_query(const oracle *o, mmapc_proc *proc, uint64_t addr, size_t size)
{
    const line *want = NULL;
    int want_rc = MMAPC_ENOTFOUND;
    for (size_t i = 0; i < o->count; i++) {
        if (o->lines[i].rc) {
            want_rc = MMAPC_EPARSE;
            break;
        }
        if (o->lines[i].a.end > addr) {
            if (o->lines[i].a.start <= addr) {
                want = &o->lines[i];
                want_rc = 0;
            }
            break;
        }
    }
    char *buf = size ? malloc(size) : NULL; /* exactly size bytes, for ASan */
    if (size && !buf)
        abort();
    mmapc_area a, before;
    memset(&a, 0x5a, sizeof a);
    before = a;
    F.injected = 0;
    int rc = proc ? mmapc_proc_query(proc, addr, &a, buf, size)
                  : mmapc_area_query(FAKE_PID, addr, &a, buf, size);
    if (F.injected)
        want_rc = F.plan->fail_code;
    if (rc != want_rc) {
        FAIL("query %llx: %s, expected %s", (unsigned long long)addr, mmapc_err_name(rc),
             mmapc_err_name(want_rc));
    } else if (rc != 0) {
        if (memcmp(&a, &before, sizeof a) != 0)
            FAIL("query %llx: the area was written on failure", (unsigned long long)addr);
    } else {
        size_t keep = size == 0 ? 0 : (a.path_len < size ? a.path_len : size - 1);
        if (!same_fields(&a, &want->a) || (size && a.path != buf) || strlen(a.path) != keep ||
            memcmp(a.path, want->a.path, keep) != 0)
            FAIL("query %llx: %llx-%llx '%s' differs from %llx-%llx '%s'", (unsigned long long)addr,
                 (unsigned long long)a.start, (unsigned long long)a.end, a.path,
                 (unsigned long long)want->a.start, (unsigned long long)want->a.end, want->a.path);
    }
    free(buf);
}

/* An address near an area of the listing (or anywhere, when it has none). */
static uint64_t pick_address(const oracle *o, uint64_t *rng)
{
    uint64_t r = next_random(rng);
    if (o->count == 0 || o->lines[r % o->count].rc)
        return next_random(rng);
    const mmapc_area *a = &o->lines[r % o->count].a;
    switch ((r >> 32) % 5) {
    case 0:
        return a->start;
    case 1:
        return a->end - 1;
    case 2:
        return a->end;
    case 3:
        return a->start - 1;
    default:
        return a->start + (next_random(rng) % (a->end - a->start));
    }
}

void fake_serve(const char *text, size_t len, const fake_plan *plan)
{
    F.text = text;
    F.len = len;
    F.plan = plan;
}

int fake_check(const char *text, size_t len, const fake_plan *plan, long *reads)
{
    fake_serve(text, len, plan);
    F.most_reads = 0;
    failures = 0;
    oracle o;
    oracle_make(&o, text, len);
    uint64_t rng = plan->seed ^ 0x1234567u;

    check_iteration(&o, NULL, 0, UINT64_MAX);
    uint64_t x = pick_address(&o, &rng), y = pick_address(&o, &rng);
    check_iteration(&o, NULL, x < y ? x : y, x < y ? y : x);
    mmapc_proc *proc;
    int rc = mmapc_proc_open(&proc, FAKE_PID, MMAPC_PROC_TEXT);
    if (rc) {
        FAIL("mmapc_proc_open: %s", mmapc_err_name(rc));
    } else {
        check_iteration(&o, proc, 0, UINT64_MAX);
        for (unsigned i = 0; i < plan->queries; i++)
            check_query(&o, proc, pick_address(&o, &rng), plan->path_size);
        mmapc_proc_close(proc);
    }
    if (plan->queries)
        check_query(&o, NULL, pick_address(&o, &rng), plan->path_size);
    if (F.streams != 0 || F.procs != 0)
        FAIL("%d streams and %d process handles left open", F.streams, F.procs);
    oracle_free(&o);
    if (reads)
        *reads = F.most_reads;
    return failures;
}
