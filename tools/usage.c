// SPDX-License-Identifier: MIT
/* Memory use: the columns of `mmapc areas -x` (those of pmap -X, as the kernel gives them, with
 * a totals row) and `mmapc summary` (totals by kind). */
#include "tool.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#define strcasecmp _stricmp
#else
#include <strings.h>
#endif

#define COL(name, json, bit, field)                                                                \
    {                                                                                              \
        name, json, ", \"" json "\": ", sizeof(", \"" json "\": ") - 1, bit,                       \
            offsetof(mmapc_area_usage, field), 0                                                   \
    }
#define INTCOL(name, json, bit, field)                                                             \
    {                                                                                              \
        name, json, ", \"" json "\": ", sizeof(", \"" json "\": ") - 1, bit,                       \
            offsetof(mmapc_area_usage, field), 1                                                   \
    }

/* In the order of pmap -X (and of smaps). */
const usage_col usage_cols[] = {
    COL("Size", "size", MMAPC_USAGE_SIZE, size),
    COL("KernelPageSize", "kernel_page_size", MMAPC_USAGE_KERNEL_PAGE_SIZE, kernel_page_size),
    COL("MMUPageSize", "mmu_page_size", MMAPC_USAGE_MMU_PAGE_SIZE, mmu_page_size),
    COL("Rss", "rss", MMAPC_USAGE_RSS, rss),
    COL("Pss", "pss", MMAPC_USAGE_PSS, pss),
    COL("Pss_Dirty", "pss_dirty", MMAPC_USAGE_PSS_DIRTY, pss_dirty),
    COL("Shared_Clean", "shared_clean", MMAPC_USAGE_SHARED_CLEAN, shared_clean),
    COL("Shared_Dirty", "shared_dirty", MMAPC_USAGE_SHARED_DIRTY, shared_dirty),
    COL("Private_Clean", "private_clean", MMAPC_USAGE_PRIVATE_CLEAN, private_clean),
    COL("Private_Dirty", "private_dirty", MMAPC_USAGE_PRIVATE_DIRTY, private_dirty),
    COL("Referenced", "referenced", MMAPC_USAGE_REFERENCED, referenced),
    COL("Anonymous", "anonymous", MMAPC_USAGE_ANONYMOUS, anonymous),
    COL("KSM", "ksm", MMAPC_USAGE_KSM, ksm),
    COL("LazyFree", "lazy_free", MMAPC_USAGE_LAZY_FREE, lazy_free),
    COL("AnonHugePages", "anon_huge_pages", MMAPC_USAGE_ANON_HUGE_PAGES, anon_huge_pages),
    COL("ShmemPmdMapped", "shmem_pmd_mapped", MMAPC_USAGE_SHMEM_PMD_MAPPED, shmem_pmd_mapped),
    COL("FilePmdMapped", "file_pmd_mapped", MMAPC_USAGE_FILE_PMD_MAPPED, file_pmd_mapped),
    COL("Shared_Hugetlb", "shared_hugetlb", MMAPC_USAGE_SHARED_HUGETLB, shared_hugetlb),
    COL("Private_Hugetlb", "private_hugetlb", MMAPC_USAGE_PRIVATE_HUGETLB, private_hugetlb),
    COL("Swap", "swap", MMAPC_USAGE_SWAP, swap),
    COL("SwapPss", "swap_pss", MMAPC_USAGE_SWAP_PSS, swap_pss),
    COL("Locked", "locked", MMAPC_USAGE_LOCKED, locked),
    INTCOL("THPeligible", "thp_eligible", MMAPC_USAGE_THP_ELIGIBLE, thp_eligible),
    INTCOL("ProtectionKey", "protection_key", MMAPC_USAGE_PROTECTION_KEY, protection_key),
    /* Windows: what QueryWorkingSetEx tells instead of the four Shared_ and Private_ figures */
    COL("Resident_Shared", "resident_shared", MMAPC_USAGE_RESIDENT_SHARED, resident_shared),
    COL("Resident_Private", "resident_private", MMAPC_USAGE_RESIDENT_PRIVATE, resident_private),
};
const int usage_ncols = (int)(sizeof usage_cols / sizeof usage_cols[0]);

/* Columns whose total is no sum: page sizes and a key. */
static int summed(int i)
{
    return usage_cols[i].bit != MMAPC_USAGE_KERNEL_PAGE_SIZE &&
           usage_cols[i].bit != MMAPC_USAGE_MMU_PAGE_SIZE &&
           usage_cols[i].bit != MMAPC_USAGE_PROTECTION_KEY;
}

int usage_col_find(const char *name)
{
    for (int i = 0; i < usage_ncols; i++)
        if (strcasecmp(name, usage_cols[i].name) == 0 || strcasecmp(name, usage_cols[i].json) == 0)
            return i;
    return -1;
}

uint64_t usage_value(const mmapc_area_usage *u, int i)
{
    const char *p = (const char *)u + usage_cols[i].offset;
    if (usage_cols[i].is_int) {
        int v;
        memcpy(&v, p, sizeof v);
        return (uint64_t)(int64_t)v;
    }
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Whether column i is shown: some area knows it. Resident_Shared and Resident_Private only where
 * the four Shared_/Private_ figures are unknown (they are their sums on Linux). */
int usage_col_shown(int i, uint64_t known)
{
    if (usage_cols[i].bit == MMAPC_USAGE_SIZE) /* the area's own size: always known */
        return 1;
    if (!(known & usage_cols[i].bit))
        return 0;
    if (usage_cols[i].bit & (MMAPC_USAGE_RESIDENT_SHARED | MMAPC_USAGE_RESIDENT_PRIVATE))
        return !(known & MMAPC_USAGE_SHARED_CLEAN);
    return 1;
}

/* The value of column i as printed in the table: KiB for a size. */
static inline int64_t cell(const tool_area *t, int i)
{
    if (usage_cols[i].bit == MMAPC_USAGE_SIZE)
        return (int64_t)((t->a.end - t->a.start) / 1024);
    uint64_t v = usage_value(&t->u, i);
    return usage_cols[i].is_int ? (int64_t)v : (int64_t)(v / 1024);
}

/* Each VmFlags bit's code ("rd") and its length, asked of the library once (the tool runs one
 * thread). */
typedef struct vm_code {
    const char *name; /* NULL for a bit without a code */
    size_t len;
} vm_code;

static const vm_code *vm_codes(void)
{
    static vm_code codes[64];
    static int named;
    if (!named) {
        for (int bit = 0; bit < 64; bit++) {
            codes[bit].name = mmapc_vm_flag_name(UINT64_C(1) << bit);
            codes[bit].len = codes[bit].name ? strlen(codes[bit].name) : 0;
        }
        named = 1;
    }
    return codes;
}

size_t usage_vm_flags_text(uint64_t flags, char *out, size_t size)
{
    const vm_code *codes = vm_codes();
    size_t n = 0;
    out[0] = '\0';
    for (int bit = 0; bit < 64 && (flags >> bit); bit++) {
        const char *name = (flags >> bit) & 1 ? codes[bit].name : NULL;
        size_t len = name ? codes[bit].len : 0;
        if (!len || n + len + 2 > size)
            continue;
        if (n)
            out[n++] = ' ';
        memcpy(out + n, name, len + 1);
        n += len;
    }
    return n;
}

enum { VMF_SIZE = 3 * 64 + 1 };

typedef struct layout {
    int show[64];
    int width[64];
    int64_t total[64];
    int addr_w, inode_w, off_w, dev_w, vmf_w, bid_w, vmflags;
    /* the shown columns in order, and whether each is summed: what a row walks */
    int ncols;
    unsigned char cols[64], sums[64];
    int cells_w; /* the bytes a row's figures may take, scratch included */
} layout;

/* l->cols and l->sums from l->show. */
static void index_columns(layout *l)
{
    l->ncols = 0;
    for (int i = 0; i < usage_ncols; i++) {
        if (!l->show[i])
            continue;
        l->cols[l->ncols] = (unsigned char)i;
        l->sums[l->ncols++] = (unsigned char)summed(i);
    }
}

/* l->cells_w from the final widths: per figure a space, its padding, up to 21 digits and sign,
 * and the 16 bytes of spaces put_dec_w() writes at once. */
static void size_cells(layout *l)
{
    l->cells_w = 0;
    for (int k = 0; k < l->ncols; k++)
        l->cells_w += 1 + l->width[l->cols[k]] + 21 + 16;
}

static int imax(int a, int b)
{
    return a > b ? a : b;
}

static void measure(const tool_snapshot *s, int build_id, layout *l)
{
    uint64_t known = 0;
    for (size_t k = 0; k < s->n; k++)
        known |= s->v[k].u.known;
    memset(l, 0, sizeof *l);
    l->addr_w = (int)strlen("Address");
    l->off_w = 8;
    l->dev_w = (int)strlen("Device");
    l->inode_w = (int)strlen("Inode");
    l->vmflags = (known & MMAPC_USAGE_VM_FLAGS) != 0;
    l->vmf_w = (int)strlen("VmFlags");
    l->bid_w = build_id ? (int)strlen("BuildID") : 0;
    for (int i = 0; i < usage_ncols; i++) {
        l->show[i] = usage_col_shown(i, known);
        l->width[i] = (int)strlen(usage_cols[i].name);
    }
    index_columns(l);
    for (size_t k = 0; k < s->n; k++) {
        const tool_area *t = &s->v[k];
        int w = 1;
        for (uint64_t v = t->a.start; v > 15; v >>= 4)
            w++;
        l->addr_w = imax(l->addr_w, w);
        w = 1;
        for (uint64_t v = t->a.offset; v > 15; v >>= 4)
            w++;
        l->off_w = imax(l->off_w, w);
        char dev[24];
        l->dev_w = imax(l->dev_w, device_text(dev, t->a.dev_major, t->a.dev_minor));
        l->inode_w = imax(l->inode_w, dec_width(t->a.inode));
        for (int i = 0; i < usage_ncols; i++) {
            if (!l->show[i])
                continue;
            int64_t v = cell(t, i);
            l->width[i] = imax(l->width[i], dec_width_signed(v));
            if (summed(i))
                l->total[i] += v;
        }
        if (l->vmflags) {
            char text[VMF_SIZE];
            l->vmf_w = imax(l->vmf_w, (int)usage_vm_flags_text(t->u.vm_flags, text, sizeof text));
        }
        if (build_id)
            l->bid_w = imax(l->bid_w, (int)(2 * t->bid.size));
    }
    for (int i = 0; i < usage_ncols; i++)
        if (l->show[i] && summed(i))
            l->width[i] = imax(l->width[i], dec_width_signed(l->total[i]));
    size_cells(l);
}

static void left(obuf *b, const char *s, size_t len, int width)
{
    ob_mem(b, s, len);
    ob_spaces(b, width - (int)len);
}

static void right(obuf *b, const char *s, int width)
{
    ob_spaces(b, width - (int)strlen(s));
    ob_str(b, s);
}

static void header(obuf *b, const layout *l, int build_id)
{
    right(b, "Address", l->addr_w);
    ob_str(b, " Perm ");
    right(b, "Offset", l->off_w);
    ob_char(b, ' ');
    right(b, "Device", l->dev_w);
    ob_char(b, ' ');
    right(b, "Inode", l->inode_w);
    for (int i = 0; i < usage_ncols; i++) {
        if (!l->show[i])
            continue;
        ob_char(b, ' ');
        right(b, usage_cols[i].name, l->width[i]);
    }
    if (l->vmflags) {
        ob_char(b, ' ');
        right(b, "VmFlags", l->vmf_w);
    }
    if (build_id) {
        ob_char(b, ' ');
        left(b, "BuildID", 7, l->bid_w);
    }
    ob_str(b, " Mapping\n");
}

/* One row; totals (may be NULL) gets its figures added. */
static void row(obuf *b, const tool_area *t, const layout *l, int build_id, int64_t *totals_of)
{
    char p[5], dev[24];
    int w = 1;
    for (uint64_t v = t->a.start; v > 15; v >>= 4)
        w++;
    ob_spaces(b, l->addr_w - w);
    ob_hex(b, t->a.start, 0);
    area_perms(&t->a, p);
    ob_char(b, ' ');
    ob_str(b, p);
    ob_char(b, ' ');
    ob_spaces(b, l->off_w - 8);
    ob_hex(b, t->a.offset, 8);
    ob_char(b, ' ');
    right(b, (device_text(dev, t->a.dev_major, t->a.dev_minor), dev), l->dev_w);
    ob_char(b, ' ');
    ob_u64(b, t->a.inode, l->inode_w);
    /* the figures: room for all, then one write each without a check */
    char *o = ob_room(b, (size_t)l->cells_w);
    for (int k = 0; k < l->ncols; k++) {
        int i = l->cols[k];
        int64_t v = cell(t, i);
        *o++ = ' ';
        if (v >= 0) {
            o = put_dec_w(o, (uint64_t)v, l->width[i]);
        } else { /* an int figure below 0 (no key the kernel prints today) */
            int n = dec_width_signed(v);
            for (; n < l->width[i]; n++)
                *o++ = ' ';
            *o++ = '-';
            o = put_dec(o, (uint64_t)0 - (uint64_t)v);
        }
        if (totals_of && l->sums[k])
            totals_of[i] += v;
    }
    b->len = (size_t)(o - b->p);
    if (l->vmflags) {
        char text[VMF_SIZE];
        usage_vm_flags_text(t->u.vm_flags, text, sizeof text);
        ob_char(b, ' ');
        right(b, text, l->vmf_w);
    }
    if (build_id) {
        ob_char(b, ' ');
        if (t->bid.size) {
            for (size_t k = 0; k < t->bid.size; k++)
                ob_hex(b, t->bid.bytes[k], 2);
            ob_spaces(b, l->bid_w - (int)(2 * t->bid.size));
        } else {
            left(b, "-", 1, l->bid_w);
        }
    }
    ob_char(b, ' ');
    ob_area_name(b, &t->a);
    ob_char(b, '\n');
}

static void totals(obuf *b, const layout *l, size_t n, int build_id)
{
    right(b, "total", l->addr_w);
    ob_spaces(b, 6 + l->off_w + 1 + l->dev_w + 1 + l->inode_w);
    for (int i = 0; i < usage_ncols; i++) {
        if (!l->show[i])
            continue;
        ob_char(b, ' ');
        if (summed(i))
            ob_i64(b, l->total[i], l->width[i]);
        else
            right(b, "-", l->width[i]);
    }
    if (l->vmflags)
        ob_spaces(b, 1 + l->vmf_w);
    if (build_id)
        ob_spaces(b, 1 + l->bid_w);
    ob_str(b, " KiB, ");
    ob_u64(b, n, 0);
    ob_str(b, n == 1 ? " area\n" : " areas\n");
}

/* The widths of a table printed as the areas come, before any is seen: those of the names,
 * at least 8 digits for a figure (95 GiB in KiB), 10 for the size, 16 for an address (a wider
 * figure shifts the rest of its row). */
static void fixed_layout(layout *l, uint64_t known, int build_id)
{
    memset(l, 0, sizeof *l);
    l->addr_w = 16;
    l->off_w = 8;
    l->dev_w = (int)strlen("Device");
    l->inode_w = 8;
    l->vmflags = (known & MMAPC_USAGE_VM_FLAGS) != 0;
    l->vmf_w = 20;
    l->bid_w = build_id ? 40 : 0;
    for (int i = 0; i < usage_ncols; i++) {
        l->show[i] = usage_col_shown(i, known);
        int w = usage_cols[i].bit == MMAPC_USAGE_SIZE ? 10 : usage_cols[i].is_int ? 0 : 8;
        l->width[i] = imax((int)strlen(usage_cols[i].name), w);
    }
    index_columns(l);
    size_cells(l);
}

typedef struct xstream {
    obuf *b;
    layout l;
    int build_id, started;
    size_t n;
} xstream;

static int x_row(void *ctx, tool_area *t)
{
    xstream *x = ctx;
    if (!x->started) { /* the columns: those the first area knows (the kernel's keys) */
        fixed_layout(&x->l, t->u.known, x->build_id);
        header(x->b, &x->l, x->build_id);
        x->started = 1;
    }
    row(x->b, t, &x->l, x->build_id, x->l.total);
    x->n++;
    return ob_oom(x->b) ? MMAPC_ENOMEM : 0;
}

/* Formatted as the areas are read, written once all are (a failure part of the way leaves the
 * output empty, as in areas.c). */
int usage_stream_table(FILE *out, int pid, unsigned proc_flags, int build_id)
{
    xstream x = {.build_id = build_id};
    x.b = malloc(sizeof *x.b);
    if (!x.b)
        return tool_fail(MMAPC_ENOMEM, "table");
    ob_init(x.b, out);
    ob_hold(x.b);
    int rc = tool_each_area(pid, proc_flags, SNAP_USAGE | (build_id ? SNAP_BUILD_ID : 0), x_row, &x,
                            NULL);
    if (rc == 0) {
        if (!x.started) {
            fixed_layout(&x.l, 0, build_id);
            header(x.b, &x.l, build_id);
        }
        totals(x.b, &x.l, x.n, build_id);
        if (ob_oom(x.b))
            rc = tool_fail(MMAPC_ENOMEM, "table");
    }
    if (rc == 0)
        ob_flush(x.b);
    else
        ob_discard(x.b);
    free(x.b);
    return rc;
}

int usage_print_table(FILE *out, const tool_snapshot *s, int build_id)
{
    layout l;
    measure(s, build_id, &l);
    obuf *b = malloc(sizeof *b);
    if (!b)
        return tool_fail(MMAPC_ENOMEM, "table");
    ob_init(b, out);
    header(b, &l, build_id);
    for (size_t k = 0; k < s->n; k++)
        row(b, &s->v[k], &l, build_id, NULL);
    totals(b, &l, s->n, build_id);
    ob_flush(b);
    free(b);
    return EXIT_OK;
}

/* The figures of one area as JSON fields, after its other fields. */
void usage_json_fields(obuf *b, const mmapc_area_usage *u)
{
    const vm_code *codes = vm_codes();
    /* room for every field (a key of 32 bytes copied whole, a value of 21) and the flags */
    char *o = ob_room(b, (size_t)usage_ncols * 56 + 64 * 8 + 32);
    for (int i = 0; i < usage_ncols; i++) {
        /* (the size is the area's "size" already) */
        if (!(u->known & usage_cols[i].bit) || usage_cols[i].bit == MMAPC_USAGE_SIZE)
            continue;
        memcpy(o, usage_cols[i].json_key, sizeof usage_cols[i].json_key);
        o += usage_cols[i].json_key_len;
        uint64_t v = usage_value(u, i);
        if (usage_cols[i].is_int && (int64_t)v < 0) {
            *o++ = '-';
            v = (uint64_t)0 - v;
        }
        o = put_dec(o, v);
    }
    if (u->known & MMAPC_USAGE_VM_FLAGS) {
        o = PUT(o, ", \"vm_flags\": [");
        int first = 1;
        for (uint64_t f = u->vm_flags; f; f &= f - 1) {
            int bit = 0;
            while (!((f >> bit) & 1))
                bit++;
            const char *name = codes[bit].name;
            if (!name)
                continue;
            if (!first)
                o = PUT(o, ", ");
            *o++ = '"';
            if (codes[bit].len == 2) /* every code the kernel has today: a copy of known size */
                memcpy(o, name, 2);
            else
                memcpy(o, name, codes[bit].len);
            o += codes[bit].len;
            *o++ = '"';
            first = 0;
        }
        *o++ = ']';
    }
    b->len = (size_t)(o - b->p);
}

/* ---- summary: totals by kind ---- */

/* The rows of the summary, in this order. shmem gathers the shared memory that the kernel
 * names like a file: System V segments, memfd and /dev/shm files, shared /dev/zero. */
enum { K_FILE, K_SHMEM, K_ANON, K_ANON_NAMED, K_HEAP, K_STACK, K_SPECIAL, K_COUNT };
static const char *const kind_names[K_COUNT] = {"file", "shmem", "anon",   "anon_named",
                                                "heap", "stack", "special"};

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int tool_area_is_shmem(const mmapc_area *a)
{
    switch (a->kind) {
    case MMAPC_AREA_FILE:
        return a->shared && (starts(a->path, "/SYSV") || starts(a->path, "/memfd:") ||
                             starts(a->path, "/dev/shm/") || strcmp(a->path, "/dev/zero") == 0);
    case MMAPC_AREA_ANON_SHMEM:
        return 1;
    case MMAPC_AREA_ANON:
        return a->shared;
    default:
        return 0;
    }
}

static int summary_kind(const mmapc_area *a)
{
    if (tool_area_is_shmem(a))
        return K_SHMEM;
    switch (a->kind) {
    case MMAPC_AREA_FILE:
        return K_FILE;
    case MMAPC_AREA_ANON:
        return K_ANON;
    case MMAPC_AREA_ANON_NAMED:
        return K_ANON_NAMED;
    case MMAPC_AREA_HEAP:
        return K_HEAP;
    case MMAPC_AREA_STACK:
        return K_STACK;
    default: /* vdso, vvar, vsyscall and other bracketed names */
        return K_SPECIAL;
    }
}

typedef struct kind_total {
    uint64_t areas, size, rss, pss, swap;
} kind_total;

static void add_to(kind_total *k, const tool_area *t)
{
    k->areas++;
    k->size += t->a.end - t->a.start;
    k->rss += t->u.rss;
    k->pss += t->u.pss;
    k->swap += t->u.swap;
}

static void summary_json_row(obuf *b, const char *kind, const kind_total *k, uint64_t known)
{
    ob_str(b, "{\"kind\": \"");
    ob_str(b, kind);
    ob_str(b, "\", \"areas\": ");
    ob_u64(b, k->areas, 0);
    ob_str(b, ", \"size\": ");
    ob_u64(b, k->size, 0);
    const struct {
        uint64_t bit;
        const char *name;
        uint64_t v;
    } f[] = {{MMAPC_USAGE_RSS, "rss", k->rss},
             {MMAPC_USAGE_PSS, "pss", k->pss},
             {MMAPC_USAGE_SWAP, "swap", k->swap}};
    for (size_t i = 0; i < 3; i++) {
        if (!(known & f[i].bit))
            continue;
        ob_str(b, ", \"");
        ob_str(b, f[i].name);
        ob_str(b, "\": ");
        ob_u64(b, f[i].v, 0);
    }
    ob_char(b, '}');
}

static void summary_text_row(obuf *b, const char *kind, const kind_total *k, uint64_t known)
{
    ob_str(b, kind);
    ob_spaces(b, 11 - (int)strlen(kind));
    ob_u64(b, k->areas, 7);
    ob_u64(b, k->size / 1024, 14);
    const uint64_t bits[3] = {MMAPC_USAGE_RSS, MMAPC_USAGE_PSS, MMAPC_USAGE_SWAP};
    const uint64_t v[3] = {k->rss, k->pss, k->swap};
    for (int i = 0; i < 3; i++) {
        if (known & bits[i])
            ob_u64(b, v[i] / 1024, 12);
        else
            ob_str(b, "           -");
    }
    ob_char(b, '\n');
}

typedef struct summing {
    kind_total k[K_COUNT], all;
    uint64_t known;
} summing;

static int sum_area(void *ctx, tool_area *t)
{
    summing *m = ctx;
    add_to(&m->k[summary_kind(&t->a)], t);
    add_to(&m->all, t);
    m->known &= t->u.known;
    return 0;
}

int cmd_summary(const tool_opts *o, int pid)
{
    summing m = {.known = UINT64_MAX};
    int usage = 0;
    int rc =
        tool_each_area(pid, o->proc_flags, SNAP_USAGE | SNAP_USAGE_OPTIONAL, sum_area, &m, &usage);
    if (rc)
        return rc;
    kind_total *k = m.k, all = m.all;
    uint64_t known = usage && all.areas ? m.known : 0;
    obuf *b = malloc(sizeof *b);
    if (!b)
        return tool_fail(MMAPC_ENOMEM, "summary");
    ob_init(b, o->out);
    if (o->json)
        ob_str(b, "{\"kinds\": [");
    else
        ob_str(b, "KIND         AREAS      SIZE KiB     RSS KiB     PSS KiB    SWAP KiB\n");
    int first = 1;
    for (int i = 0; i < K_COUNT; i++) {
        if (!k[i].areas)
            continue;
        if (o->json) {
            ob_str(b, first ? "\n  " : ",\n  ");
            summary_json_row(b, kind_names[i], &k[i], known);
        } else {
            summary_text_row(b, kind_names[i], &k[i], known);
        }
        first = 0;
    }
    if (o->json) {
        ob_str(b, first ? "],\n \"total\": " : "\n ],\n \"total\": ");
        summary_json_row(b, "total", &all, known);
        ob_str(b, "}\n");
    } else {
        summary_text_row(b, "total", &all, known);
    }
    ob_flush(b);
    free(b);
    return EXIT_OK;
}
