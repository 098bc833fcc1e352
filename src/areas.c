// SPDX-License-Identifier: MIT
/*
 * Memory areas, the portable side: argument checks, query semantics, range iteration, and who
 * owns the strings. The platform gives a direct query and/or a text listing (src/os.h).
 */
#include "maps_parse.h"
#include "os.h"
#include "usage.h"

#include <stdlib.h>
#include <string.h>

/* Name buffer of a direct iteration: the Linux kernel reports names up to PATH_MAX (4096) bytes. */
#define NAME_CAP 4097
/* A query's first name buffer, on the stack: enough for nearly every name, small enough that the
 * query's frame and those below it share a page. A longer name is asked for again on the heap. */
#define NAME_FIRST 256
/* Text read in chunks of this size; a longer line grows a heap buffer. */
#define SCAN_CHUNK 16384
/* An iteration reads the listing through a buffer of this size, under glibc's default mmap
 * threshold so that it comes warm from the heap (an smaps entry is some 1.5 KiB): a fixed
 * buffer, reused, costs no page faults per listing, where a copy of the whole listing (7 MiB of
 * smaps for 10,000 areas) costs one per page. Reading it all first would buy no snapshot:
 * Linux builds the text a page at a time, taking and dropping the lock between reads. The buffer
 * doubles only while one entry does not fit (a name near PATH_MAX in smaps). */
#define ITER_CHUNK (64 * 1024)
/* Read on while this much room is left: a read gives at most a page of text. */
#define ITER_ROOM 4096

enum iter_mode { ITER_TEXT, ITER_DIRECT };

struct mmapc_areas {
    mmapc_proc *proc;
    mmapc_proc own; /* proc points here for a one-shot iteration */
    uint64_t start, end;
    uint64_t last; /* end of the last area given: the next begins there or above */
    enum iter_mode mode;
    int err;   /* sticky error */
    bool done; /* no more areas */
    /* ITER_TEXT: the listing read in turn into buf[0, cap): len bytes read, whole entries up to
     * avail (buf[avail] holds '\0' while saved keeps the byte it replaced), parsed up to pos */
    char *buf;
    size_t cap, len, avail, pos;
    char saved;
    bool eof;
    mmapc__text text;
    bool text_open;
    /* ITER_DIRECT: where the next step starts, and the name buffer */
    uint64_t next;
    char *name;
    size_t name_cap;
    /* opened with usage (usage.c): the current area's, valid while usage->known is not 0 */
    mmapc_area_usage *usage;
    /* the last whole name that ended in " (deleted)", its file and what check_deleted() found:
     * the pieces of one file (Linux names every piece of shared anonymous memory "/dev/zero
     * (deleted)") are looked up once per run of them, not once each */
    char *dname;
    size_t dname_cap, dname_len;
    uint64_t dinode;
    uint32_t dmajor, dminor;
    bool dlive;
};

/* MMAPC_FORCE_TEXT=1 in the environment: queries scan the text, read once per process. */
static atomic_int force_text_state; /* 0 unread, 1 no, 2 yes */

static __attribute__((noinline)) int force_text_read(void)
{
    const char *e = getenv("MMAPC_FORCE_TEXT");
    int s = e && *e && strcmp(e, "0") != 0 ? 2 : 1;
    atomic_store_explicit(&force_text_state, s, memory_order_relaxed);
    return s;
}

static inline bool force_text(void)
{
    int s = atomic_load_explicit(&force_text_state, memory_order_relaxed);
    return (s ? s : force_text_read()) == 2;
}

static int proc_init(mmapc_proc *p, int pid, unsigned os_flags, unsigned flags)
{
    if (pid < 0 || (flags & ~(unsigned)MMAPC_PROC_TEXT))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    p->text = (flags & MMAPC_PROC_TEXT) || force_text();
    return mmapc__os_proc_open(pid, os_flags, &p->os);
}

int mmapc_proc_open(mmapc_proc **out, int pid, unsigned flags)
{
    if (!out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    mmapc_proc *p = malloc(sizeof *p);
    if (!p)
        return mmapc__fail(MMAPC_ENOMEM);
    int rc = proc_init(p, pid, 0, flags);
    if (rc) {
        free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void mmapc_proc_close(mmapc_proc *proc)
{
    if (!proc)
        return;
    mmapc__os_proc_close(proc->os);
    free(proc);
}

int mmapc_proc_direct(mmapc_proc *proc)
{
    if (!proc)
        return 0;
    if (proc->text) { /* text asked for: direct only where there is no text (Windows) */
        mmapc__text t;
        int rc = mmapc__os_text_open(proc->os, &t);
        if (rc == 0)
            mmapc__os_text_close(&t);
        if (rc != MMAPC_EUNSUPPORTED)
            return 0;
    }
    return mmapc__os_area_direct(proc->os);
}

/*
 * A name that ends in " (deleted)" is a deleted file's, or a live file's whose name ends so: when
 * the file at the whole name is the area's own (same device and inode), the suffix is part of its
 * name. name holds the whole name, NUL-terminated.
 */
static void check_deleted(const char *name, mmapc_area *a)
{
    if (a->deleted && mmapc__os_name_is_file(name, a)) {
        a->deleted = 0;
        a->path_len += MMAPC__DELETED_LEN;
    }
}

/* A file's name from the text, at name (writable): what the system escaped in it undone
 * (mmapc__os_text_name), a->path_len set to the real name's length. Only names with a
 * backslash are looked at. */
static void text_name(mmapc_proc *p, mmapc_area *a, char *name)
{
    size_t suffix = a->deleted ? MMAPC__DELETED_LEN : 0, len = a->path_len + suffix;
    if (a->kind == MMAPC_AREA_FILE && memchr(name, '\\', a->path_len))
        a->path_len = mmapc__os_text_name(p->os, a, name, len) - suffix;
}

/* Kept out of a direct query, whose frame it would grow by its 16 KiB chunk. */
#if defined(__GNUC__)
#define APART __attribute__((noinline))
#else
#define APART
#endif

/* Give the caller its copy of the path (truncated to fit). */
MMAPC__HOT static void copy_path(mmapc_area *out, const char *name, char *buf, size_t size)
{
    if (!buf || size == 0) {
        out->path = "";
        return;
    }
    size_t n = out->path_len < size ? out->path_len : size - 1;
    if (n) /* most areas have no name: no call into the C library */
        memcpy(buf, name, n);
    buf[n] = '\0';
    out->path = buf;
}

/*
 * Text scan for a query: read chunks, parse whole lines, stop at the first area that ends above
 * addr. A line longer than the stack chunk moves to a growing heap buffer.
 */
APART static int scan_text(mmapc_proc *p, uint64_t addr, mmapc_area *out, char *buf, size_t size)
{
    mmapc__text t;
    int rc = mmapc__os_text_open(p->os, &t);
    if (rc)
        return rc;
    char chunk[SCAN_CHUNK];
    char *b = chunk, *heap = NULL;
    size_t cap = sizeof chunk, len = 0, got = 0;
    bool eof = false;
    rc = MMAPC_ENOTFOUND;
    while (!eof) {
        if (len + 1 == cap) { /* one line fills the buffer: make room */
            char *nb = realloc(heap, cap * 2);
            if (!nb) {
                rc = mmapc__fail(MMAPC_ENOMEM);
                break;
            }
            if (!heap)
                memcpy(nb, chunk, len);
            b = heap = nb;
            cap *= 2;
        }
        /* one byte stays free to end a last line without a newline (maps_parse.h) */
        int r = mmapc__os_text_read(&t, b + len, cap - len - 1, &got);
        if (r) {
            rc = r;
            break;
        }
        eof = got == 0;
        len += got;
        b[len] = '\0';
        char *line = b, *stop = b + len;
        for (;;) {
            char *nl = memchr(line, '\n', (size_t)(stop - line));
            if (!nl && !(eof && line < stop))
                break;
            size_t n = nl ? (size_t)(nl - line) : (size_t)(stop - line);
            mmapc_area a;
            if (mmapc__maps_parse_line(line, n, &a) != 0) {
                rc = mmapc__fail(MMAPC_EPARSE);
                goto done;
            }
            if (a.end > addr) {
                if (a.start > addr)
                    goto done; /* a gap: rc is still MMAPC_ENOTFOUND */
                char *name = line + (a.path - line);
                text_name(p, &a, name);
                name[a.path_len + (a.deleted ? MMAPC__DELETED_LEN : 0)] = '\0';
                check_deleted(a.path, &a);
                *out = a;
                copy_path(out, a.path, buf, size);
                rc = 0;
                goto done;
            }
            line = nl ? nl + 1 : stop;
        }
        len = (size_t)(stop - line);
        memmove(b, line, len);
    }
done:
    mmapc__os_text_close(&t);
    free(heap);
    if (rc == MMAPC_ENOTFOUND) /* an empty listing too: a process without areas */
        rc = mmapc__fail(MMAPC_ENOTFOUND);
    return rc;
}

/* The steps of a handle's query, folded into it: a call and its register saves cost as much as
 * the step's own work. */
#if defined(__GNUC__)
#define FOLDED static inline __attribute__((always_inline))
#else
#define FOLDED static inline
#endif

/* direct_from() without grow: the name did not fit in *cap bytes. */
#define NAME_LONG 1

/* One direct step: the first area ending above addr. A name longer than *cap moves to a heap
 * buffer (the old *name is freed when on_heap says it came from the heap), or, without grow,
 * the step answers NAME_LONG. */
FOLDED int direct_from(mmapc_proc *p, uint64_t addr, mmapc_area *a, char **name, size_t *cap,
                       bool on_heap, bool grow)
{
    size_t len;
    int rc = mmapc__os_area_from(p->os, addr, a, *name, *cap, &len);
    if (rc == 0 && len >= *cap && !grow)
        return NAME_LONG;
    while (rc == 0 && len >= *cap) {
        char *nb = realloc(on_heap ? *name : NULL, len + 1);
        if (!nb)
            return mmapc__fail(MMAPC_ENOMEM);
        *name = nb;
        on_heap = true;
        *cap = len + 1;
        rc = mmapc__os_area_from(p->os, addr, a, *name, *cap, &len);
    }
    if (rc == 0) {
        mmapc__area_classify(*name, len, a);
        check_deleted(*name, a);
        a->path = *name;
        (*name)[a->path_len] = '\0'; /* drops a " (deleted)" suffix */
    }
    return rc;
}

/* A query answered by the direct primitive, the name read into stack_name[cap] (NAME_LONG when
 * it does not fit and grow is false). *above is set when it found nothing at or above addr, the
 * one case where the text may know better. */
FOLDED int direct_query_in(mmapc_proc *p, uint64_t addr, mmapc_area *out, char *buf, size_t size,
                           bool *above, char *stack_name, size_t cap, bool grow)
{
    char *name = stack_name;
    mmapc_area a;
    int rc = direct_from(p, addr, &a, &name, &cap, false, grow);
    *above = rc == MMAPC_ENOTFOUND;
    if (rc == 0 && a.start > addr)
        rc = mmapc__fail(MMAPC_ENOTFOUND); /* in a gap below the next area */
    if (rc == 0) {
        *out = a;
        copy_path(out, a.path, buf, size);
    }
    if (name != stack_name)
        free(name);
    return rc;
}

/* A name of NAME_FIRST bytes or more: asked again with room for the longest name Linux reports,
 * on the stack. A heap buffer could be a fresh mapping of the allocator's in the very gap the
 * caller asked about, and the query would then report it. */
APART static int direct_query_long(mmapc_proc *p, uint64_t addr, mmapc_area *out, char *buf,
                                   size_t size, bool *above)
{
    char name[NAME_CAP];
    return direct_query_in(p, addr, out, buf, size, above, name, sizeof name, true);
}

FOLDED int direct_query(mmapc_proc *p, uint64_t addr, mmapc_area *out, char *buf, size_t size,
                        bool *above)
{
    char name[NAME_FIRST];
    int rc = direct_query_in(p, addr, out, buf, size, above, name, sizeof name, false);
    if (rc == NAME_LONG)
        rc = direct_query_long(p, addr, out, buf, size, above);
    return rc;
}

/* A query the usual path did not answer: the direct query that also finds the next area, with
 * a name of any length, then the text. */
static int proc_query_answer(mmapc_proc *proc, uint64_t addr, mmapc_area *out, char *path_buf,
                             size_t path_size)
{
    bool above = false;
    int rc;
    if (!proc->text) {
        rc = direct_query(proc, addr, out, path_buf, path_size, &above);
        /* Nothing at or above addr: the text may still list an area the kernel keeps outside
         * the process's own list ([vsyscall] on x86-64, [vectors] on 32-bit Arm). */
        if (rc != MMAPC_EUNSUPPORTED && !above)
            return rc;
    }
    rc = scan_text(proc, addr, out, path_buf, path_size);
    if (rc == MMAPC_EUNSUPPORTED && above)
        return mmapc__fail(MMAPC_ENOTFOUND);
    if (rc == MMAPC_EUNSUPPORTED && proc->text) /* no text here (Windows): ask directly */
        return direct_query(proc, addr, out, path_buf, path_size, &above);
    return rc;
}

/* A query the usual path did not answer, as proc_query_answer() gives it, but "no area there"
 * from an address space that has outlived its process (mmapc__os_proc_ended()): the process's
 * end. */
__attribute__((noinline)) static int proc_query_general(mmapc_proc *proc, uint64_t addr,
                                                        mmapc_area *out, char *path_buf,
                                                        size_t path_size)
{
    int rc = proc_query_answer(proc, addr, out, path_buf, path_size);
    if (rc == MMAPC_ENOTFOUND) {
        int ended = mmapc__os_proc_ended(proc->os);
        if (ended)
            return ended;
    }
    return rc;
}

/* The check of a name that ends in " (deleted)" (check_deleted()), apart: it calls stat(). */
__attribute__((noinline, cold)) static void check_deleted_apart(const char *name, mmapc_area *a)
{
    check_deleted(name, a);
}

/* A query: the usual case (an area holds addr and its name fits the caller's buffer, where the
 * system writes it) with *out straight from the answer; anything else the general way. */
MMAPC__HOT FOLDED int proc_query(mmapc_proc *proc, uint64_t addr, mmapc_area *out, char *path_buf,
                                 size_t path_size)
{
    if (!proc->text && path_size &&
        mmapc__os_area_at(proc->os, addr, out, path_buf, path_size) == 0) {
        mmapc__area_classify(path_buf, out->path_len, out);
        if (out->deleted)
            check_deleted_apart(path_buf, out);
        path_buf[out->path_len] = '\0'; /* drops a " (deleted)" suffix */
        out->path = path_buf;
        return 0;
    }
    return proc_query_general(proc, addr, out, path_buf, path_size);
}

MMAPC__HOT int mmapc_proc_query(mmapc_proc *proc, uint64_t addr, mmapc_area *out, char *path_buf,
                                size_t path_size)
{
    if (!proc || !out || (!path_buf && path_size))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    return proc_query(proc, addr, out, path_buf, path_size);
}

/* The process opened for the one query, in room on the stack. */
MMAPC__HOT int mmapc_area_query(int pid, uint64_t addr, mmapc_area *out, char *path_buf,
                                size_t path_size)
{
    if (!out || (!path_buf && path_size) || pid < 0)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    mmapc__proc_room room;
    mmapc_proc p = {.text = force_text()};
    int rc = mmapc__os_proc_open_room(pid, &room, &p.os);
    if (rc)
        return rc;
    rc = proc_query(&p, addr, out, path_buf, path_size);
    mmapc__os_proc_close_room(p.os);
    return rc;
}

/* ---- iteration ---- */

/* The end of the whole entries in buf[0, len): past the last newline for maps; for smaps, the
 * start of the last header line (an entry is its header, a line that begins with the area's
 * address in lowercase hex, and the key lines after it, which begin with a capital letter), whose
 * key lines may still be to come. */
static size_t whole_entries(const mmapc_areas *it)
{
    const char *b = it->buf;
    size_t end = it->len;
    while (end > 0 && b[end - 1] != '\n')
        end--;
    if (!it->usage)
        return end;
    for (size_t line = end; line > 0;) {
        size_t start = line - 1; /* the newline that ends the line before */
        while (start > 0 && b[start - 1] != '\n')
            start--;
        char c = b[start];
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
            return start;
        line = start;
    }
    return 0;
}

/* Read on into the buffer until it holds at least one whole entry past pos, or the listing
 * ends; what was parsed goes first. 0, or an error (the iteration stops). */
static int refill(mmapc_areas *it)
{
    if (it->avail < it->len)
        it->buf[it->avail] = it->saved;
    memmove(it->buf, it->buf + it->pos, it->len - it->pos);
    it->len -= it->pos;
    it->avail = it->pos = 0;
    for (;;) {
        if (it->cap - it->len < ITER_ROOM) {
            if (whole_entries(it) > 0)
                break;
            /* one entry larger than the buffer: room for it */
            char *nb = realloc(it->buf, it->cap * 2);
            if (!nb)
                return mmapc__fail(MMAPC_ENOMEM);
            it->buf = nb;
            it->cap *= 2;
        }
        size_t got;
        /* keep one byte to end a last line without a newline (maps_parse.h) */
        int rc = mmapc__os_text_read(&it->text, it->buf + it->len, it->cap - it->len - 1, &got);
        if (rc)
            return rc; /* got is set only on success */
        if (got == 0) {
            it->eof = true;
            break;
        }
        it->len += got;
    }
    it->avail = it->eof ? it->len : whole_entries(it);
    if (it->avail < it->len)
        it->saved = it->buf[it->avail];
    it->buf[it->avail] = '\0';
    return 0;
}

/* Open the listing and read its first part, so that a process that is not there fails the
 * open. */
static int text_start(mmapc_areas *it)
{
    int rc = it->usage ? mmapc__os_usage_open(it->proc->os, MMAPC__SMAPS, &it->text)
                       : mmapc__os_text_open(it->proc->os, &it->text);
    if (rc)
        return rc;
    it->text_open = true;
    it->cap = ITER_CHUNK;
    it->buf = malloc(it->cap);
    if (!it->buf)
        return mmapc__fail(MMAPC_ENOMEM);
    return refill(it); /* an empty listing is no areas: the platform tells an ended process */
}

/* The listing is read to its end: its descriptor goes now, not at close. */
static void text_end(mmapc_areas *it)
{
    if (it->text_open)
        mmapc__os_text_close(&it->text);
    it->text_open = false;
}

static int iter_open(mmapc_areas **out, mmapc_proc *proc, int pid, uint64_t start, uint64_t end,
                     bool usage)
{
    if (!out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (start > end)
        return mmapc__fail(MMAPC_EINVAL_OFFSET);
    mmapc_areas *it = calloc(1, sizeof *it);
    if (!it)
        return mmapc__fail(MMAPC_ENOMEM);
    int rc = 0;
    if (proc) {
        it->proc = proc;
    } else {
        it->proc = &it->own;
        rc = proc_init(&it->own, pid, MMAPC__PROC_ONCE, 0);
        if (rc) {
            free(it);
            return rc;
        }
    }
    it->start = it->next = start;
    it->end = end;
    if (usage && !(it->usage = calloc(1, sizeof *it->usage)))
        rc = mmapc__fail(MMAPC_ENOMEM);
    it->done = start == end;
    it->mode = ITER_TEXT;
    if (!it->done && !rc)
        rc = text_start(it);
    bool direct = rc == MMAPC_EUNSUPPORTED; /* no text listing: step with the direct query */
    if (direct) /* and without smaps the system answers usage per area, or cannot at all */
        rc = usage ? mmapc__os_area_usage(it->proc->os, 0, 0, it->usage) : 0;
    if (direct && !rc) {
        text_end(it);
        free(it->buf);
        it->buf = NULL;
        it->mode = ITER_DIRECT;
        it->name_cap = NAME_CAP;
        it->name = malloc(it->name_cap);
        rc = it->name ? 0 : mmapc__fail(MMAPC_ENOMEM);
    }
    if (rc) {
        mmapc_areas_close(it);
        return rc;
    }
    *out = it;
    return 0;
}

int mmapc_areas_open(mmapc_areas **out, int pid)
{
    return iter_open(out, NULL, pid, 0, UINT64_MAX, false);
}

int mmapc_areas_open_range(mmapc_areas **out, int pid, uint64_t start, uint64_t end)
{
    return iter_open(out, NULL, pid, start, end, false);
}

int mmapc_proc_areas(mmapc_areas **out, mmapc_proc *proc, uint64_t start, uint64_t end)
{
    if (!proc)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    return iter_open(out, proc, 0, start, end, false);
}

int mmapc_areas_open_usage(mmapc_areas **out, int pid)
{
    return iter_open(out, NULL, pid, 0, UINT64_MAX, true);
}

int mmapc_proc_areas_usage(mmapc_areas **out, mmapc_proc *proc, uint64_t start, uint64_t end)
{
    if (!proc)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    return iter_open(out, proc, 0, start, end, true);
}

int mmapc_areas_usage(const mmapc_areas *it, mmapc_area_usage *out)
{
    if (!it || !out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (!it->usage || !it->usage->known)
        return mmapc__fail(MMAPC_EINVAL_OP);
    *out = *it->usage;
    return 0;
}

/* check_deleted() of name (the whole name, suffix included) for an iteration: answered again
 * without a lookup for the same name of the same file as the last time. */
static void check_deleted_run(mmapc_areas *it, const char *name, mmapc_area *a)
{
    size_t len = a->path_len + MMAPC__DELETED_LEN;
    if (it->dname && it->dname_len == len && it->dinode == a->inode && it->dmajor == a->dev_major &&
        it->dminor == a->dev_minor && memcmp(it->dname, name, len) == 0) {
        if (it->dlive) {
            a->deleted = 0;
            a->path_len = len;
        }
        return;
    }
    check_deleted(name, a);
    if (len >= it->dname_cap) {
        char *b = realloc(it->dname, len + 1);
        if (!b) /* the last name stays; this one is looked up again next time */
            return;
        it->dname = b;
        it->dname_cap = len + 1;
    }
    memcpy(it->dname, name, len);
    it->dname_len = len;
    it->dinode = a->inode;
    it->dmajor = a->dev_major;
    it->dminor = a->dev_minor;
    it->dlive = !a->deleted;
}

static int next_text(mmapc_areas *it, mmapc_area *out)
{
    for (;;) {
        if (it->pos >= it->avail) {
            if (it->eof)
                break;
            int rc = refill(it);
            if (rc)
                return rc;
            if (it->pos >= it->avail)
                break;
        }
        char *line = it->buf + it->pos;
        const char *next;
        int rc = mmapc__maps_parse_next(line, it->buf + it->avail, out, &next);
        if (it->usage && !rc) /* smaps: the entry's key lines follow its header */
            rc = mmapc__smaps_parse_body(next, it->buf + it->avail, it->usage, &next);
        it->pos = (size_t)(next - it->buf);
        if (rc)
            return mmapc__fail(MMAPC_EPARSE);
        if (out->end <= it->start)
            continue;
        if (out->start >= it->end) /* the rest lies past the range: not read */
            break;
        /* terminate in place: over the newline, or over the " (deleted)" suffix */
        char *name = line + (out->path - line);
        text_name(it->proc, out, name);
        if (out->deleted) {
            name[out->path_len + MMAPC__DELETED_LEN] = '\0';
            check_deleted_run(it, name, out);
        }
        name[out->path_len] = '\0';
        if (out->path_len == 0)
            out->path = "";
        return 1;
    }
    it->done = true;
    text_end(it);
    return 0;
}

static int next_direct(mmapc_areas *it, mmapc_area *out)
{
    int rc = direct_from(it->proc, it->next, out, &it->name, &it->name_cap, true, true);
    if (rc == MMAPC_ENOTFOUND || (rc == 0 && out->start >= it->end)) {
        it->done = true;
        return 0;
    }
    if (!rc && it->usage)
        rc = mmapc__os_area_usage(it->proc->os, out->start, out->end, it->usage);
    if (rc)
        return rc;
    it->next = out->end;
    if (it->next == 0) /* the area ends at the top of the address space */
        it->done = true;
    return 1;
}

/*
 * An area that begins below the end of the last one given. A listing read in several reads while
 * the process maps memory is torn: Linux ends each read of maps (or smaps) at a page of text, and
 * the next one starts again at the first area that ends above the last one printed, so an area
 * that grew or merged with its neighbour in between is printed again from its old start (the
 * kernel's selftest proc-maps-race.c accepts this; valgrind's memcheck does it to its own process,
 * mapping shadow memory next to its areas while the client reads). Likewise a direct step finds
 * the area it asked above grown over its address. What was given stays given: the rest of the area
 * follows from the last end, its file offset with it, so that areas ascend and never overlap.
 * Its usage, with usage, is still the whole area's. 0 when the rest lies past the range.
 */
static int clip(mmapc_areas *it, mmapc_area *a)
{
    uint64_t cut = it->last - a->start;
    if (a->allocation_base == a->start) /* Linux: the start itself */
        a->allocation_base = it->last;
    if (a->inode || a->offset) /* 0 without a file */
        a->offset += cut;
    a->start = it->last;
    if (a->start < it->end)
        return 1;
    it->done = true;
    return 0;
}

int mmapc_areas_next(mmapc_areas *it, mmapc_area *out)
{
    if (!it || !out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (it->err)
        return it->err;
    if (it->done)
        return 0;
    mmapc_area a; /* *out only for an area: the one past a range's end is not the caller's */
    int rc;
    do /* a line wholly below the last area's end: what was given already, printed again (an
        * end of 0 is the top of the address space) */
        rc = it->mode == ITER_TEXT ? next_text(it, &a) : next_direct(it, &a);
    while (rc == 1 && a.end != 0 && a.end <= it->last);
    if (rc == 1 && a.start < it->last)
        rc = clip(it, &a);
    if (rc == 1) {
        it->last = a.end;
        *out = a;
    }
    if (rc < 0)
        it->err = rc;
    if (rc != 1 && it->usage)
        it->usage->known = 0; /* no current area */
    return rc;
}

void mmapc_areas_close(mmapc_areas *it)
{
    if (!it)
        return;
    text_end(it); /* before the process handle it may belong to */
    if (it->proc == &it->own)
        mmapc__os_proc_close(it->own.os);
    free(it->buf);
    free(it->name);
    free(it->dname);
    free(it->usage);
    free(it);
}

const char *mmapc_area_kind_name(mmapc_area_kind kind)
{
    switch (kind) {
    case MMAPC_AREA_ANON:
        return "anon";
    case MMAPC_AREA_FILE:
        return "file";
    case MMAPC_AREA_HEAP:
        return "heap";
    case MMAPC_AREA_STACK:
        return "stack";
    case MMAPC_AREA_VDSO:
        return "vdso";
    case MMAPC_AREA_VVAR:
        return "vvar";
    case MMAPC_AREA_VSYSCALL:
        return "vsyscall";
    case MMAPC_AREA_ANON_NAMED:
        return "anon_named";
    case MMAPC_AREA_ANON_SHMEM:
        return "anon_shmem";
    case MMAPC_AREA_OTHER_PSEUDO:
        return "pseudo";
    }
    return "unknown";
}
