// SPDX-License-Identifier: MIT
/* mmapc diff and mmapc watch: what changed between two snapshots of a process's areas.
 *
 * The two lists are walked together over the address space, piece by piece between the
 * boundaries of either: a piece mapped only after is added, only before removed; mapped in both
 * by the same backing (same kind and name, same file at the same offset) with other permissions,
 * its protection changed; by another backing, removed and added. A piece added at one end of an
 * area that was there before with the same backing is that area resized (grown), as is a piece
 * removed at one end of an area whose rest is still there (shrunk). The resident size (Rss) of an
 * area whose start and backing stayed is compared when both snapshots have it. */
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#include <windows.h>
#endif

static const char *const change_names[] = {"added", "removed", "resized", "protection", "rss"};

static void push(changes *c, change_kind kind, uint64_t start, uint64_t end, const tool_area *was,
                 const tool_area *now)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        change *v = cap < SIZE_MAX / sizeof *v ? realloc(c->v, cap * sizeof *v) : NULL;
        if (!v) {
            c->oom = 1;
            return;
        }
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = (change){kind, start, end, was, now};
}

/* The same backing: kind, name, file (and the same file offset at the same address). */
static int same_backing(const tool_area *x, const tool_area *y)
{
    const mmapc_area *a = &x->a, *b = &y->a;
    if (a->kind != b->kind || a->shared != b->shared || a->deleted != b->deleted ||
        a->dev_major != b->dev_major || a->dev_minor != b->dev_minor || a->inode != b->inode ||
        strcmp(a->path, b->path) != 0)
        return 0;
    /* offset - start the same: the same file page at the same address (anonymous: both 0) */
    return a->kind != MMAPC_AREA_FILE || a->offset - a->start == b->offset - b->start;
}

/* The area of s that holds addr, from index *i up (s sorted, addr not decreasing), or NULL. */
static const tool_area *at(const tool_snapshot *s, size_t *i, uint64_t addr)
{
    while (*i < s->n && s->v[*i].a.end <= addr)
        (*i)++;
    return *i < s->n && s->v[*i].a.start <= addr ? &s->v[*i] : NULL;
}

/* The next boundary of s above addr (UINT64_MAX when none). */
static uint64_t next_edge(const tool_snapshot *s, size_t i, uint64_t addr)
{
    if (i >= s->n)
        return UINT64_MAX;
    return s->v[i].a.start > addr ? s->v[i].a.start : s->v[i].a.end;
}

/* An area of s whose start (or end) is addr, or NULL. */
static const tool_area *find_edge(const tool_snapshot *s, uint64_t addr, int end)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((end ? s->v[mid].a.end : s->v[mid].a.start) < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n && (end ? s->v[lo].a.end : s->v[lo].a.start) == addr)
        return &s->v[lo];
    return NULL;
}

/* Whether an added piece [start, end) of area now makes it an area of before, grown. */
static const tool_area *grown_from(const tool_snapshot *before, const tool_area *now,
                                   uint64_t start, uint64_t end)
{
    const tool_area *was = NULL;
    if (start == now->a.start && end < now->a.end) /* grown down */
        was = find_edge(before, end, 0);
    else if (end == now->a.end && start > now->a.start) /* grown up */
        was = find_edge(before, start, 1);
    if (was && was->a.start >= now->a.start && was->a.end <= now->a.end &&
        was->a.end - was->a.start + (end - start) == now->a.end - now->a.start &&
        was->a.prot == now->a.prot && same_backing(was, now))
        return was;
    return NULL;
}

void tool_compare(const tool_snapshot *before, const tool_snapshot *after, changes *c)
{
    size_t i = 0, j = 0;
    uint64_t addr = 0;
    size_t first = c->n;
    for (;;) {
        const tool_area *a = at(before, &i, addr), *b = at(after, &j, addr);
        uint64_t ea = next_edge(before, i, addr), eb = next_edge(after, j, addr);
        uint64_t edge = ea < eb ? ea : eb;
        if (!a && !b) {
            if (edge == UINT64_MAX)
                break;
            addr = edge;
            continue;
        }
        change_kind k;
        if (a && b && same_backing(a, b)) {
            if (a->a.prot == b->a.prot && a->a.shared == b->a.shared) {
                addr = edge;
                continue;
            }
            k = C_PROTECTION;
        } else if (a && b) {
            push(c, C_REMOVED, addr, edge, a, NULL);
            k = C_ADDED;
        } else {
            k = a ? C_REMOVED : C_ADDED;
        }
        change *last = c->n > first ? &c->v[c->n - 1] : NULL;
        if (last && last->kind == k && last->end == addr &&
            last->was == (k == C_ADDED ? NULL : a) && last->now == (k == C_REMOVED ? NULL : b))
            last->end = edge; /* the same pair of areas, one piece on */
        else
            push(c, k, addr, edge, k == C_ADDED ? NULL : a, k == C_REMOVED ? NULL : b);
        if (edge == UINT64_MAX)
            break;
        addr = edge;
    }
    /* added pieces that grow an area, removed pieces that shrink one: resized */
    for (size_t k = first; k < c->n; k++) {
        change *ch = &c->v[k];
        const tool_area *was, *now;
        if (ch->kind == C_ADDED && (was = grown_from(before, ch->now, ch->start, ch->end))) {
            *ch = (change){C_RESIZED, ch->now->a.start, ch->now->a.end, was, ch->now};
        } else if (ch->kind == C_REMOVED &&
                   (now = grown_from(after, ch->was, ch->start, ch->end))) {
            *ch = (change){C_RESIZED, now->a.start, now->a.end, ch->was, now};
        }
    }
    /* resident size, for the areas whose start and backing stayed */
    if (!before->has_usage || !after->has_usage)
        return;
    for (size_t k = 0; k < after->n; k++) {
        const tool_area *now = &after->v[k], *was = find_edge(before, now->a.start, 0);
        if (was && same_backing(was, now) && (was->u.known & now->u.known & MMAPC_USAGE_RSS) &&
            was->u.rss != now->u.rss)
            push(c, C_RSS, now->a.start, now->a.end, was, now);
    }
}

static int by_address(const void *x, const void *y)
{
    const change *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

static void text_line(obuf *b, const change *ch, const char *prefix)
{
    const tool_area *t = ch->now ? ch->now : ch->was;
    char p[5], was[5], detail[96];
    ob_str(b, prefix);
    ob_str(b, change_names[ch->kind]);
    ob_spaces(b, 11 - (int)strlen(change_names[ch->kind]));
    ob_hex(b, ch->start, (int)sizeof(void *) * 2);
    ob_char(b, '-');
    ob_hex(b, ch->end, (int)sizeof(void *) * 2);
    ob_char(b, ' ');
    area_perms(&t->a, p);
    ob_str(b, p);
    ob_u64(b, (ch->end - ch->start) / 1024, 10);
    ob_str(b, "K  ");
    switch (ch->kind) {
    case C_RESIZED:
        snprintf(detail, sizeof detail, "was %lluK", /* and where it began, if elsewhere */
                 (unsigned long long)((ch->was->a.end - ch->was->a.start) / 1024));
        if (ch->was->a.start != ch->start)
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " at %llx",
                     (unsigned long long)ch->was->a.start);
        break;
    case C_PROTECTION:
        area_perms(&ch->was->a, was);
        snprintf(detail, sizeof detail, "was %s", was);
        break;
    case C_RSS:
        snprintf(detail, sizeof detail, "Rss %lluK -> %lluK",
                 (unsigned long long)(ch->was->u.rss / 1024),
                 (unsigned long long)(ch->now->u.rss / 1024));
        break;
    default:
        snprintf(detail, sizeof detail, "-");
        break;
    }
    ob_str(b, detail);
    ob_spaces(b, 28 - (int)strlen(detail));
    ob_char(b, ' ');
    ob_area_name(b, &t->a);
    ob_char(b, '\n');
}

static void json_object(obuf *b, const change *ch, const char *time)
{
    const tool_area *t = ch->now ? ch->now : ch->was;
    char p[5];
    ob_str(b, "{");
    if (time) {
        ob_str(b, "\"time\": ");
        ob_str(b, time);
        ob_str(b, ", ");
    }
    ob_str(b, "\"change\": \"");
    ob_str(b, change_names[ch->kind]);
    ob_str(b, "\", \"start\": \"0x");
    ob_hex(b, ch->start, 0);
    ob_str(b, "\", \"end\": \"0x");
    ob_hex(b, ch->end, 0);
    ob_str(b, "\", \"size\": ");
    ob_u64(b, ch->end - ch->start, 0);
    area_perms(&t->a, p);
    ob_str(b, ", \"perms\": \"");
    ob_str(b, p);
    ob_str(b, "\", \"kind\": \"");
    ob_str(b, mmapc_area_kind_name(t->a.kind));
    ob_str(b, "\", ");
    ob_json_path(b, t->a.path);
    if (ch->kind == C_RESIZED) {
        ob_str(b, ", \"old_start\": \"0x");
        ob_hex(b, ch->was->a.start, 0);
        ob_str(b, "\", \"old_end\": \"0x");
        ob_hex(b, ch->was->a.end, 0);
        ob_str(b, "\", \"old_size\": ");
        ob_u64(b, ch->was->a.end - ch->was->a.start, 0);
    } else if (ch->kind == C_PROTECTION) {
        area_perms(&ch->was->a, p);
        ob_str(b, ", \"old_perms\": \"");
        ob_str(b, p);
        ob_char(b, '"');
    } else if (ch->kind == C_RSS) {
        ob_str(b, ", \"old_rss\": ");
        ob_u64(b, ch->was->u.rss, 0);
        ob_str(b, ", \"rss\": ");
        ob_u64(b, ch->now->u.rss, 0);
    }
    ob_char(b, '}');
}

/* The changes from before to after, printed; the count in *count. 0 or an exit status. */
static int print_changes(const tool_opts *o, const tool_snapshot *before,
                         const tool_snapshot *after, const char *time, size_t *count)
{
    changes c = {0};
    tool_compare(before, after, &c);
    if (c.oom) {
        free(c.v);
        return tool_fail(MMAPC_ENOMEM, "comparing the snapshots");
    }
    if (c.n > 1)
        qsort(c.v, c.n, sizeof *c.v, by_address);
    obuf *b = malloc(sizeof *b);
    if (!b) {
        free(c.v);
        return tool_fail(MMAPC_ENOMEM, "comparing the snapshots");
    }
    ob_init(b, o->out);
    char prefix[40] = "";
    if (time && !o->json)
        snprintf(prefix, sizeof prefix, "%8ss ", time);
    if (o->json && !time)
        ob_char(b, '[');
    for (size_t k = 0; k < c.n; k++) {
        if (o->json) {
            if (!time)
                ob_str(b, k ? ",\n  " : "\n  ");
            json_object(b, &c.v[k], time);
            if (time)
                ob_char(b, '\n');
        } else {
            text_line(b, &c.v[k], prefix);
        }
    }
    if (o->json && !time)
        ob_str(b, c.n ? "\n]\n" : "]\n");
    ob_flush(b);
    free(b);
    free(c.v);
    *count = c.n;
    return EXIT_OK;
}

int cmd_diff(const tool_opts *o, const char *a, const char *b)
{
    tool_snapshot before, after;
    int rc = tool_snapshot_load(&before, a);
    if (rc)
        return rc;
    rc = tool_snapshot_load(&after, b);
    if (rc) {
        tool_snapshot_free(&before);
        return rc;
    }
    size_t n;
    rc = print_changes(o, &before, &after, NULL, &n);
    tool_snapshot_free(&before);
    tool_snapshot_free(&after);
    return rc;
}

double tool_now_seconds(void)
{
#ifdef _WIN32
    return (double)GetTickCount64() / 1e3;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#endif
}

void tool_sleep_seconds(double s)
{
#ifdef _WIN32
    Sleep((DWORD)(s * 1000));
#else
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
#endif
}

int cmd_watch(const tool_opts *o, int pid)
{
    tool_snapshot prev, cur;
    unsigned what = SNAP_USAGE | SNAP_USAGE_OPTIONAL;
    int rc = tool_snapshot_read(&prev, pid, o->proc_flags, what);
    if (rc)
        return rc;
    double t0 = tool_now_seconds();
    for (long look = 0; o->count == 0 || look < o->count; look++) {
        tool_sleep_seconds(o->interval);
        rc = tool_snapshot_read(&cur, pid, o->proc_flags, what);
        if (rc) /* the process has ended (its message said so), or may no longer be read */
            break;
        char time[32];
        snprintf(time, sizeof time, "%.1f", tool_now_seconds() - t0);
        size_t n;
        rc = print_changes(o, &prev, &cur, time, &n);
        tool_snapshot_free(&prev);
        prev = cur;
        if (rc)
            break;
        if (fflush(o->out) != 0 || ferror(o->out))
            break; /* a write error: tool_close_stdout() says so */
    }
    tool_snapshot_free(&prev);
    return rc;
}
