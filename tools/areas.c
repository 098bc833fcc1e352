// SPDX-License-Identifier: MIT
/* mmapc areas and mmapc query: the areas of a process as a table (plain, or with pmap -X's
 * columns), or as JSON; sorted; the area holding an address and its neighbours. */
#include "tool.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* One area as a JSON object, with its figures and build ID when the snapshot has them. */
static void area_json(obuf *b, int has_usage, int has_build_id, const tool_area *t, int holds)
{
    ob_area_json_fields(b, &t->a);
    if (has_usage)
        usage_json_fields(b, &t->u);
    if (has_build_id) {
        ob_str(b, ", \"build_id\": ");
        if (t->bid.size)
            ob_json_hex(b, t->bid.bytes, t->bid.size);
        else
            ob_str(b, "null");
    }
    if (holds >= 0)
        ob_str(b, holds ? ", \"holds\": true" : ", \"holds\": false");
    ob_char(b, '}');
}

/* Areas [from, to) of s: a table (with -x, pmap -X's) or JSON (an array, or one object when
 * single). match: the index of the area holding the address asked about, or -1. */
static int print_rows(const tool_opts *o, const tool_snapshot *s, size_t from, size_t to,
                      long match, int single)
{
    if (o->extended && !o->json) {
        tool_snapshot view = *s;
        view.v += from;
        view.n = to - from;
        return usage_print_table(o->out, &view, o->build_id);
    }
    obuf *b = malloc(sizeof *b);
    if (!b)
        return tool_fail(MMAPC_ENOMEM, "listing");
    ob_init(b, o->out);
    if (!o->json) {
        ob_area_header(b, o->build_id);
    } else if (!single) {
        ob_char(b, '[');
    }
    for (size_t i = from; i < to; i++) {
        const tool_area *t = &s->v[i];
        if (o->json) {
            if (!single)
                ob_str(b, i > from ? ",\n  " : "\n  ");
            area_json(b, s->has_usage, s->has_build_id, t, match < 0 ? -1 : (long)i == match);
        } else {
            ob_area_row(b, &t->a, o->build_id ? &t->bid : NULL,
                        (long)i == match && to - from > 1 ? "holds the address" : NULL);
        }
    }
    if (o->json)
        ob_str(b, single ? "\n" : to > from ? "\n]\n" : "]\n");
    ob_flush(b);
    free(b);
    return EXIT_OK;
}

static unsigned snapshot_needs(const tool_opts *o)
{
    unsigned what = 0;
    if (o->extended || tool_sort_needs_usage(o->sort))
        what |= SNAP_USAGE;
    if (o->build_id)
        what |= SNAP_BUILD_ID;
    return what;
}

typedef struct stream {
    obuf *b;
    const tool_opts *o;
    const tool_note *notes;
    int nnotes;
    size_t n;
} stream;

static int stream_row(void *ctx, tool_area *t)
{
    stream *st = ctx;
    if (st->o->json) {
        if (st->n) /* (two literals: their lengths known when it compiles) */
            ob_str(st->b, ",\n  ");
        else
            ob_str(st->b, "\n  ");
        area_json(st->b, st->o->extended, st->o->build_id, t, -1);
    } else {
        const char *note = NULL;
        for (int i = 0; i < st->nnotes; i++)
            if (t->a.start < st->notes[i].end && st->notes[i].start < t->a.end)
                note = st->notes[i].text;
        ob_area_row(st->b, &t->a, st->o->build_id ? &t->bid : NULL, note);
    }
    st->n++;
    return ob_oom(st->b) ? MMAPC_ENOMEM : 0;
}

/* The areas as they come, formatted as they are read but written only once all are: a failure
 * part of the way (a process that ends, memory) leaves the output empty, never the start of a
 * table or of a JSON document. intro (may be NULL) goes first. */
static int stream_areas(const tool_opts *o, int pid, const char *intro, const tool_note *notes,
                        int nnotes)
{
    stream st = {.o = o, .notes = notes, .nnotes = nnotes};
    st.b = malloc(sizeof *st.b);
    if (!st.b)
        return tool_fail(MMAPC_ENOMEM, "listing");
    ob_init(st.b, o->out);
    ob_hold(st.b);
    if (intro)
        ob_str(st.b, intro);
    if (o->json)
        ob_char(st.b, '[');
    else
        ob_area_header(st.b, o->build_id);
    int rc = tool_each_area(pid, o->proc_flags, snapshot_needs(o), stream_row, &st, NULL);
    if (rc == 0 && o->json)
        ob_str(st.b, st.n ? "\n]\n" : "]\n");
    if (rc == 0 && ob_oom(st.b))
        rc = tool_fail(MMAPC_ENOMEM, "listing");
    if (rc == 0)
        ob_flush(st.b);
    else
        ob_discard(st.b);
    free(st.b);
    return rc;
}

int tool_print_areas(int pid, unsigned proc_flags, int json, const char *intro,
                     const tool_note *notes, int nnotes)
{
    tool_opts o = {.out = stdout, .json = json, .proc_flags = proc_flags, .context = -1};
    return stream_areas(&o, pid, intro, notes, nnotes);
}

int cmd_areas(const tool_opts *o, int pid)
{
    if (!o->sort) { /* as the areas come */
        if (o->extended && !o->json)
            return usage_stream_table(o->out, pid, o->proc_flags, o->build_id);
        return stream_areas(o, pid, NULL, NULL, 0);
    }
    tool_snapshot s;
    int rc = tool_snapshot_read(&s, pid, o->proc_flags, snapshot_needs(o));
    if (rc)
        return rc;
    tool_snapshot_sort(&s, o->sort);
    rc = print_rows(o, &s, 0, s.n, -1, 0);
    tool_snapshot_free(&s);
    return rc;
}

static int not_found(const tool_opts *o, uint64_t addr, const char *who)
{
    if (o->json) /* a JSON document still, so that a pipe into a JSON reader works */
        fputs("null\n", o->out);
    fprintf(stderr, "mmapc: no area at 0x%" PRIx64 " in %s\n", addr, who);
    return EXIT_NOT_FOUND;
}

/* query --context N: the whole listing, then the area and N on each side. */
static int query_context(const tool_opts *o, uint64_t addr, int pid, const char *who)
{
    tool_snapshot s;
    int rc = tool_snapshot_read(&s, pid, o->proc_flags, snapshot_needs(o));
    if (rc)
        return rc;
    size_t lo = 0, hi = s.n; /* the first area that ends above addr */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s.v[mid].a.end <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == s.n || s.v[lo].a.start > addr) {
        rc = not_found(o, addr, who);
    } else {
        size_t n = (size_t)o->context;
        size_t from = lo > n ? lo - n : 0, to = s.n - lo - 1 > n ? lo + n + 1 : s.n;
        rc = print_rows(o, &s, from, to, (long)lo, 0);
    }
    tool_snapshot_free(&s);
    return rc;
}

int cmd_query(const tool_opts *o, uint64_t addr, int pid)
{
    char who[64], what[160];
    tool_pid_name(pid, who, sizeof who);
    if (o->context >= 0)
        return query_context(o, addr, pid, who);
    tool_snapshot s = {0};
    tool_area t = {0};
    char small[4096], *buf = small;
    size_t size = sizeof small;
    mmapc_proc *proc;
    int rc = mmapc_proc_open(&proc, pid, o->proc_flags);
    if (rc) {
        snprintf(what, sizeof what, "cannot read the areas of %s", who);
        return tool_fail(rc, what);
    }
    for (;;) {
        rc = o->extended ? mmapc_proc_query_usage(proc, addr, &t.a, buf, size, &t.u)
                         : mmapc_proc_query(proc, addr, &t.a, buf, size);
        if (rc || t.a.path_len < size)
            break;
        /* a longer path than the buffer: ask again */
        if (buf != small)
            free(buf);
        size = t.a.path_len + 1;
        buf = malloc(size);
        if (!buf) {
            rc = MMAPC_ENOMEM;
            break;
        }
    }
    if (rc == 0 && o->build_id && mmapc_proc_build_id(proc, addr, &t.bid) != 0)
        t.bid.size = 0;
    mmapc_proc_close(proc);
    if (rc == MMAPC_ENOTFOUND) {
        rc = not_found(o, addr, who);
    } else if (rc) {
        snprintf(what, sizeof what, "query of 0x%" PRIx64 " in %s", addr, who);
        rc = tool_fail(rc, what);
    } else {
        s.v = &t;
        s.n = 1;
        s.has_usage = o->extended;
        s.has_build_id = o->build_id;
        rc = print_rows(o, &s, 0, 1, -1, 1);
    }
    if (buf != small)
        free(buf);
    return rc;
}
