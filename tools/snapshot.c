// SPDX-License-Identifier: MIT
/* The areas of a process held in memory, for the commands that sort, total, compare or look
 * around: one array of areas, their paths in one block of text (no allocation per area). */
#include "tool.h"

#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#define strcasecmp _stricmp
#else
#include <strings.h>
#endif

void tool_snapshot_free(tool_snapshot *s)
{
    free(s->v);
    free(s->strings);
    *s = (tool_snapshot){0};
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return MMAPC_ENOMEM;
        n *= 2;
    }
    void *q = realloc(*p, n * elem);
    if (!q)
        return MMAPC_ENOMEM;
    *p = q;
    *cap = n;
    return 0;
}

int tool_snapshot_add(tool_snapshot *s, const mmapc_area *a, const mmapc_area_usage *u)
{
    size_t len = strlen(a->path);
    if (grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v) || len >= SIZE_MAX - s->strings_len ||
        grow((void **)&s->strings, &s->strings_cap, s->strings_len + len + 1, 1))
        return MMAPC_ENOMEM;
    tool_area *t = &s->v[s->n++];
    memset(t, 0, sizeof *t);
    t->a = *a;
    t->a.path = NULL;
    t->a.path_len = len;
    t->path_off = s->strings_len;
    memcpy(s->strings + s->strings_len, a->path, len + 1);
    s->strings_len += len + 1;
    if (u)
        t->u = *u;
    return 0;
}

void tool_snapshot_fix_paths(tool_snapshot *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->v[i].a.path = s->strings + s->v[i].path_off;
}

/* The file of the last area whose build ID was asked for, to ask once for a run of areas of one
 * file (one ioctl each with PROCMAP_QUERY, but otherwise a read of the file). */
typedef struct last_file {
    uint32_t major, minor;
    uint64_t inode;
    int deleted, valid;
    char *path;
    size_t cap;
    mmapc_build_id bid;
} last_file;

static void build_id(mmapc_proc *proc, tool_area *t, last_file *last)
{
    t->bid.size = 0;
    if (t->a.kind != MMAPC_AREA_FILE)
        return;
    size_t len = strlen(t->a.path);
    if (last->valid && last->inode == t->a.inode && last->major == t->a.dev_major &&
        last->minor == t->a.dev_minor && last->deleted == t->a.deleted &&
        strcmp(last->path, t->a.path) == 0) {
        t->bid = last->bid;
        return;
    }
    /* an area gone since the listing, a file that cannot be read: no build ID */
    if (mmapc_proc_build_id(proc, t->a.start, &t->bid) != 0)
        t->bid.size = 0;
    last->valid = 0;
    if (len >= last->cap) {
        char *p = realloc(last->path, len + 1);
        if (!p)
            return; /* (then the next area asks again) */
        last->path = p;
        last->cap = len + 1;
    }
    memcpy(last->path, t->a.path, len + 1);
    *last = (last_file){t->a.dev_major, t->a.dev_minor, t->a.inode, t->a.deleted, 1,
                        last->path,     last->cap,      t->bid};
}

int tool_each_area(int pid, unsigned proc_flags, unsigned what, tool_area_fn fn, void *ctx,
                   int *had_usage)
{
    char who[64], msg[160];
    tool_pid_name(pid, who, sizeof who);
    /* A process handle only for the build IDs, which it queries; a listing alone is a one-shot
     * iteration, which reads the text through the descriptor it opens (one open, not two). */
    mmapc_proc *proc = NULL;
    int rc = 0;
    if (what & SNAP_BUILD_ID)
        rc = mmapc_proc_open(&proc, pid, proc_flags);
    if (rc) {
        snprintf(msg, sizeof msg, "cannot read the areas of %s", who);
        return tool_fail(rc, msg);
    }
    mmapc_areas *it;
    int usage = (what & SNAP_USAGE) != 0;
    if (proc)
        rc = usage ? mmapc_proc_areas_usage(&it, proc, 0, UINT64_MAX)
                   : mmapc_proc_areas(&it, proc, 0, UINT64_MAX);
    else
        rc = usage ? mmapc_areas_open_usage(&it, pid) : mmapc_areas_open(&it, pid);
    if (rc == MMAPC_EUNSUPPORTED && usage && (what & SNAP_USAGE_OPTIONAL)) {
        usage = 0; /* no memory use on this system: the areas still */
        rc = proc ? mmapc_proc_areas(&it, proc, 0, UINT64_MAX) : mmapc_areas_open(&it, pid);
    }
    if (rc) {
        mmapc_proc_close(proc);
        snprintf(msg, sizeof msg, "cannot read the %sareas of %s",
                 usage ? "memory use of the " : "", who);
        return tool_fail(rc, msg);
    }
    if (had_usage)
        *had_usage = usage;
    tool_area t;
    memset(&t, 0, sizeof t);
    last_file last = {0};
    size_t n = 0;
    while ((rc = mmapc_areas_next(it, &t.a)) > 0) {
        if (usage && (rc = mmapc_areas_usage(it, &t.u)) != 0)
            break;
        if (what & SNAP_BUILD_ID)
            build_id(proc, &t, &last);
        if ((rc = fn(ctx, &t)) != 0)
            break;
        n++;
    }
    free(last.path);
    mmapc_areas_close(it);
    mmapc_proc_close(proc);
    if (rc < 0) {
        snprintf(msg, sizeof msg, "listing of %s, after %zu areas", who, n);
        return tool_fail(rc, msg);
    }
    return EXIT_OK;
}

static int add_area(void *ctx, tool_area *t)
{
    tool_snapshot *s = ctx;
    int rc = tool_snapshot_add(s, &t->a, &t->u);
    if (rc == 0)
        s->v[s->n - 1].bid = t->bid;
    return rc;
}

int tool_snapshot_read(tool_snapshot *s, int pid, unsigned proc_flags, unsigned what)
{
    *s = (tool_snapshot){0};
    int usage = 0;
    int rc = tool_each_area(pid, proc_flags, what, add_area, s, &usage);
    if (rc) {
        tool_snapshot_free(s);
        return rc;
    }
    tool_snapshot_fix_paths(s);
    s->has_usage = usage;
    s->has_build_id = (what & SNAP_BUILD_ID) != 0;
    return EXIT_OK;
}

/* ---- sorting ---- */

enum { SORT_ADDRESS = -1, SORT_SIZE = -2, SORT_PATH = -3, SORT_KIND = -4, SORT_UNKNOWN = -100 };

static const struct {
    const char *name;
    int key;
} plain_keys[] = {
    {"address", SORT_ADDRESS}, {"start", SORT_ADDRESS}, {"size", SORT_SIZE},
    {"path", SORT_PATH},       {"mapping", SORT_PATH},  {"kind", SORT_KIND},
};

static int sort_key(const char *column)
{
    if (!column)
        return SORT_ADDRESS;
    for (size_t i = 0; i < sizeof plain_keys / sizeof plain_keys[0]; i++)
        if (strcasecmp(column, plain_keys[i].name) == 0)
            return plain_keys[i].key;
    int c = usage_col_find(column);
    return c >= 0 ? c : SORT_UNKNOWN;
}

int tool_sort_needs_usage(const char *column)
{
    return sort_key(column) >= 0;
}

void tool_sort_columns(FILE *out)
{
    for (size_t i = 0; i < sizeof plain_keys / sizeof plain_keys[0]; i++)
        fprintf(out, "%s, ", plain_keys[i].name);
    for (int i = 0; i < usage_ncols; i++) /* (Size is size, above) */
        if (usage_cols[i].bit != MMAPC_USAGE_SIZE)
            fprintf(out, "%s%s", usage_cols[i].json, i + 1 < usage_ncols ? ", " : "");
}

static int sort_by; /* the key of the sort under way (qsort takes no context) */

static int cmp_u64(uint64_t x, uint64_t y)
{
    return x < y ? -1 : x > y;
}

static int compare(const void *pa, const void *pb)
{
    const tool_area *x = pa, *y = pb;
    int c = 0;
    switch (sort_by) {
    case SORT_ADDRESS:
        break;
    case SORT_SIZE: /* largest first */
        c = cmp_u64(y->a.end - y->a.start, x->a.end - x->a.start);
        break;
    case SORT_PATH:
        c = strcmp(x->a.path, y->a.path);
        break;
    case SORT_KIND:
        c = strcmp(mmapc_area_kind_name(x->a.kind), mmapc_area_kind_name(y->a.kind));
        break;
    default:
        c = cmp_u64(usage_value(&y->u, sort_by), usage_value(&x->u, sort_by));
        break;
    }
    return c ? c : cmp_u64(x->a.start, y->a.start); /* ties in address order */
}

int tool_snapshot_sort(tool_snapshot *s, const char *column)
{
    int key = sort_key(column);
    if (key == SORT_UNKNOWN)
        return -1;
    sort_by = key;
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, compare);
    return 0;
}
