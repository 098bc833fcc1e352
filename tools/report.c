// SPDX-License-Identifier: MIT
/* mmapc report: one self-contained HTML page of a process's memory (or of a snapshot, or of what
 * changed between two): who it is, a summary by kind in the manner of VMMap, the address space as
 * a picture (inline SVG, to a logarithmic scale, free gaps shown), the resident memory by file
 * and kind as bars, and a table of every area that the page's script shows one page of rows at a
 * time. Nothing is fetched: the style sheet and the script are inline, allowed by their SHA-256
 * in the page's Content-Security-Policy (tools/embed.cmake makes them C arrays); the figures are
 * written by the tool, the script only sorts and pages the table. --svg writes the picture alone.
 * The page is formatted in memory and written once it is whole: a failure writes nothing. */
#include "tool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* tools/report.css and tools/report.js, and the base64 of their SHA-256 (report_assets.c) */
extern const unsigned char report_css[], report_js[];
extern const size_t report_css_len, report_js_len;
extern const char report_css_sha256[], report_js_sha256[];

/* ---- the kinds of the summary ---- */

enum {
    R_CODE,
    R_IMAGE_DATA,
    R_FILE,
    R_SHMEM,
    R_HEAP,
    R_STACK,
    R_ANON,
    R_RESERVED,
    R_GUARD,
    R_PSEUDO,
    R_COUNT
};

static const struct {
    const char *name, *id, *colour;
} rkinds[R_COUNT] = {
    {"image code", "code", "#d9534f"},
    {"image data", "image-data", "#f0ad4e"},
    {"mapped file", "file", "#5bc0de"},
    {"shared memory", "shmem", "#9b59b6"},
    {"heap", "heap", "#2e8b57"},
    {"stack", "stack", "#8b5a2b"},
    {"private anonymous", "anon", "#4a90d9"},
    {"reserved", "reserved", "#c8c8c8"},
    {"guard", "guard", "#505050"},
    {"pseudo", "pseudo", "#e377c2"},
};

/* A guard area: no access, no file, at most this large, next to an area that has access. */
#define GUARD_MAX ((uint64_t)64 << 10)

/* A file by its identity: the areas of an image (a file with an executable area) are its code
 * and its data. */
typedef struct file_key {
    uint32_t major, minor;
    uint64_t inode;
    const char *path;
} file_key;

static int cmp_key(const void *x, const void *y)
{
    const file_key *a = x, *b = y;
    if (a->major != b->major)
        return a->major < b->major ? -1 : 1;
    if (a->minor != b->minor)
        return a->minor < b->minor ? -1 : 1;
    if (a->inode != b->inode)
        return a->inode < b->inode ? -1 : 1;
    return strcmp(a->path, b->path);
}

static file_key key_of(const mmapc_area *a)
{
    return (file_key){a->dev_major, a->dev_minor, a->inode, a->path};
}

static int accessible(const tool_snapshot *s, size_t i)
{
    return i < s->n && s->v[i].a.prot != 0;
}

/* The kind of each area of s into kinds[] (s->n bytes); -1 for want of memory. */
static int classify(const tool_snapshot *s, unsigned char *kinds)
{
    size_t nimg = 0;
    file_key *img = malloc((s->n ? s->n : 1) * sizeof *img);
    if (!img)
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        const mmapc_area *a = &s->v[i].a;
        if (a->kind == MMAPC_AREA_FILE && (a->prot & MMAPC_PROT_EXEC) && !tool_area_is_shmem(a))
            img[nimg++] = key_of(a);
    }
    if (nimg > 1)
        qsort(img, nimg, sizeof *img, cmp_key);
    for (size_t i = 0; i < s->n; i++) {
        const tool_area *t = &s->v[i];
        const mmapc_area *a = &t->a;
        int k;
        if (tool_area_is_shmem(a)) {
            k = R_SHMEM;
        } else if (a->kind == MMAPC_AREA_FILE) {
            file_key want = key_of(a);
            k = nimg && bsearch(&want, img, nimg, sizeof *img, cmp_key)
                    ? (a->prot & MMAPC_PROT_EXEC ? R_CODE : R_IMAGE_DATA)
                    : R_FILE;
        } else if (a->kind == MMAPC_AREA_HEAP) {
            k = R_HEAP;
        } else if (a->kind == MMAPC_AREA_STACK ||
                   ((t->u.known & MMAPC_USAGE_VM_FLAGS) && (t->u.vm_flags & MMAPC_VM_GROWSDOWN))) {
            k = R_STACK;
        } else if (a->kind == MMAPC_AREA_ANON || a->kind == MMAPC_AREA_ANON_NAMED) {
            if (a->prot != 0)
                k = R_ANON;
            else if (a->end - a->start <= GUARD_MAX &&
                     ((i > 0 && s->v[i - 1].a.end == a->start && accessible(s, i - 1)) ||
                      (i + 1 < s->n && s->v[i + 1].a.start == a->end && accessible(s, i + 1))))
                k = R_GUARD;
            else
                k = R_RESERVED;
        } else {
            k = R_PSEUDO;
        }
        kinds[i] = (unsigned char)k;
    }
    free(img);
    return 0;
}

/* ---- the figures of the summary ---- */

enum { F_SIZE, F_RSS, F_PSS, F_PRIVATE_DIRTY, F_SWAP, F_LOCKED, F_COUNT };
static const struct {
    const char *head, *id;
    uint64_t bit;
} figs[F_COUNT] = {
    {"size", "size", MMAPC_USAGE_SIZE},
    {"resident", "rss", MMAPC_USAGE_RSS},
    {"Pss", "pss", MMAPC_USAGE_PSS},
    {"private dirty", "private_dirty", MMAPC_USAGE_PRIVATE_DIRTY},
    {"swapped", "swap", MMAPC_USAGE_SWAP},
    {"locked", "locked", MMAPC_USAGE_LOCKED},
};

typedef struct sums {
    uint64_t areas, v[F_COUNT];
} sums;

static void fig_values(const tool_area *t, uint64_t v[F_COUNT])
{
    v[F_SIZE] = t->a.end - t->a.start;
    v[F_RSS] = t->u.rss;
    v[F_PSS] = t->u.pss;
    v[F_PRIVATE_DIRTY] = t->u.private_dirty;
    v[F_SWAP] = t->u.swap;
    v[F_LOCKED] = t->u.locked;
}

static void add_sums(sums *m, const tool_area *t)
{
    uint64_t v[F_COUNT];
    fig_values(t, v);
    m->areas++;
    for (int f = 0; f < F_COUNT; f++)
        m->v[f] += v[f];
}

/* The figures every area knows (a snapshot without -x: the size only). */
static uint64_t known_bits(const tool_snapshot *s)
{
    uint64_t known = s->has_usage && s->n ? UINT64_MAX : 0;
    for (size_t i = 0; i < s->n && known; i++)
        known &= s->v[i].u.known;
    return known | MMAPC_USAGE_SIZE;
}

/* ---- writing ---- */

/* Text for HTML (or SVG): & < > " ' as entities, a byte that is not UTF-8 as U+FFFD, and so
 * U+FFFE and U+FFFF, which XML forbids (an SVG holding them is no image), a control byte as \ooo
 * (as the tool's tables print it). */
static void ob_html_n(obuf *b, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '&' && s[j] != '<' &&
               s[j] != '>' && s[j] != '"' && s[j] != '\'')
            j++;
        ob_mem(b, str + i, j - i);
        if (j == len)
            return;
        unsigned char c = s[j];
        i = j + 1;
        switch (c) {
        case '&':
            ob_str(b, "&amp;");
            continue;
        case '<':
            ob_str(b, "&lt;");
            continue;
        case '>':
            ob_str(b, "&gt;");
            continue;
        case '"':
            ob_str(b, "&quot;");
            continue;
        case '\'':
            ob_str(b, "&#39;");
            continue;
        default:
            break;
        }
        if (c < 0x20 || c == 0x7f) {
            char esc[5] = {'\\', (char)('0' + (c >> 6)), (char)('0' + ((c >> 3) & 7)),
                           (char)('0' + (c & 7)), 0};
            ob_str(b, esc);
            continue;
        }
        size_t n = utf8_len(s + j, len - j);
        if (n == 0 || (n == 3 && c == 0xef && s[j + 1] == 0xbf && s[j + 2] >= 0xbe)) {
            ob_str(b, "\xef\xbf\xbd");
            i = j + (n ? n : 1);
        } else {
            ob_mem(b, str + j, n);
            i = j + n;
        }
    }
}

static void ob_html(obuf *b, const char *s)
{
    ob_html_n(b, s, strlen(s));
}

/* A JSON string inside a <script> block: as ob_json_string, and < > & as \u escapes, so that no
 * path can end the block. */
static void ob_js_string(obuf *b, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    ob_char(b, '"');
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '"' && s[j] != '\\' &&
               s[j] != '<' && s[j] != '>' && s[j] != '&')
            j++;
        ob_mem(b, str + i, j - i);
        if (j == len)
            break;
        unsigned char c = s[j];
        i = j + 1;
        if (c == '"' || c == '\\') {
            ob_char(b, '\\');
            ob_char(b, (char)c);
        } else if (c < 0x80) {
            ob_str(b, "\\u00");
            ob_hex(b, c, 2);
        } else {
            size_t n = utf8_len(s + j, len - j);
            if (n == 0) {
                ob_str(b, "\\ufffd");
            } else {
                ob_mem(b, str + j, n);
                i = j + n;
            }
        }
    }
    ob_char(b, '"');
}

static void ob_js_str(obuf *b, const char *s)
{
    ob_js_string(b, s, strlen(s));
}

static void kib(obuf *b, uint64_t v)
{
    ob_u64(b, v / 1024, 0);
}

/* "0x7f...". */
static void addr(obuf *b, uint64_t v)
{
    ob_str(b, "0x");
    ob_hex(b, v, 0);
}

/* An area's name as the tables print it: [anon] for anonymous memory, " (deleted)" after a
 * deleted file. */
static void area_name(obuf *b, const mmapc_area *a)
{
    ob_html(b, a->kind == MMAPC_AREA_ANON ? "[anon]" : a->path);
    if (a->deleted)
        ob_str(b, " (deleted)");
}

/* ---- who and when ---- */

typedef struct ident {
    char what[96];       /* "process 1234", "snapshot a.json" */
    char *cmdline, *exe; /* NULL when unknown */
    char when[40];       /* "2026-12-07 15:00:00 UTC", or "" */
    int live;            /* a process (pid), not a snapshot */
    int pid;
} ident;

static void when_text(char *out, size_t size, time_t t)
{
    struct tm tm;
#ifdef _WIN32
    if (gmtime_s(&tm, &t) != 0) {
#else
    if (!gmtime_r(&t, &tm)) {
#endif
        out[0] = '\0';
        return;
    }
    strftime(out, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* The command line and executable of pid, where the system tells them. */
static void identify(ident *id, int pid)
{
    tool_pid_name(pid, id->what, sizeof id->what);
    id->live = 1;
    id->pid = pid;
    when_text(id->when, sizeof id->when, time(NULL));
    id->cmdline = tool_command_line(pid);
    id->exe = tool_executable(pid);
}

static void identify_file(ident *id, const char *path)
{
    snprintf(id->what, sizeof id->what, "snapshot %s", path);
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0)
        when_text(id->when, sizeof id->when, st.st_mtime);
}

static void ident_free(ident *id)
{
    free(id->cmdline);
    free(id->exe);
}

/* ---- the picture: the address space to a logarithmic scale ---- */

enum { MAP_W = 1100, MAP_LEFT = 150, ROW_H = 30, SEG_H = 20, MAX_SEGS = 1500 };
#define BIG_GAP ((uint64_t)1 << 30)

/* A part of the picture: one area, or a run of areas close together that it draws as one. */
typedef struct seg {
    uint64_t start, end;
    size_t first, n;
    int kind;
    uint64_t mapped, largest;
    uint64_t v[F_COUNT];
} seg;

static int floor_log2(uint64_t v)
{
    int n = 0;
    while (v >>= 1)
        n++;
    return n;
}

/* Width in pixels of an area of size bytes: 6 for a page, 5 more each time it doubles. */
static int seg_width(uint64_t size)
{
    uint64_t pages = size / 4096;
    return 6 + 5 * floor_log2(pages ? pages : 1);
}

/* Width of a free gap: 2 for a page, 1 more each time it doubles; 16 with a break mark from
 * 1 GiB on. */
static int gap_width(uint64_t size)
{
    if (size == 0)
        return 0;
    if (size >= BIG_GAP)
        return 16;
    uint64_t pages = size / 4096;
    return 2 + floor_log2(pages ? pages : 1);
}

/* Whether area i joins the run sg at this level of merging: -1 never (an area a part); 0 the
 * same kind and name, a gap of 64 KiB at most; 1 the same kind, 16 MiB; 2 any kind, 1 GiB; 3 as
 * 2, or across any gap while the run has fewer than 1/MAX_SEGS of the areas (so that areas far
 * apart still make MAX_SEGS parts at most, not one). */
static int joins(const tool_snapshot *s, const unsigned char *kinds, const seg *sg, size_t i,
                 int level)
{
    const tool_area *t = &s->v[i], *first = &s->v[sg->first];
    uint64_t gap = t->a.start - sg->end;
    switch (level) {
    case -1:
        return 0;
    case 0:
        return kinds[i] == sg->kind && gap <= ((uint64_t)64 << 10) &&
               strcmp(t->a.path, first->a.path) == 0 && t->a.deleted == first->a.deleted;
    case 1:
        return kinds[i] == sg->kind && gap <= ((uint64_t)16 << 20);
    case 2:
        return gap < BIG_GAP;
    default:
        return gap < BIG_GAP || sg->n < (s->n + MAX_SEGS - 1) / MAX_SEGS;
    }
}

/* The parts of the picture: the areas, each a part while there are at most MAX_SEGS of them,
 * else merged level by level until there are. Returns the count, or -1 for want of memory; *out to
 * be freed. */
static long make_segs(const tool_snapshot *s, const unsigned char *kinds, seg **out)
{
    seg *v = malloc((s->n ? s->n : 1) * sizeof *v);
    if (!v)
        return -1;
    size_t n = 0;
    for (int level = -1; level < 4; level++) {
        n = 0;
        for (size_t i = 0; i < s->n; i++) {
            const tool_area *t = &s->v[i];
            uint64_t fv[F_COUNT], size = t->a.end - t->a.start;
            fig_values(t, fv);
            seg *sg = n ? &v[n - 1] : NULL;
            if (sg && joins(s, kinds, sg, i, level)) {
                sg->end = t->a.end;
                sg->n++;
                sg->mapped += size;
                if (size > sg->largest) { /* a run of mixed kinds shows its largest area's */
                    sg->largest = size;
                    sg->kind = kinds[i];
                }
            } else {
                sg = &v[n++];
                *sg = (seg){t->a.start, t->a.end, i, 1, kinds[i], size, size, {0}};
            }
            for (int f = 0; f < F_COUNT; f++)
                sg->v[f] += fv[f];
        }
        if (n <= MAX_SEGS)
            break;
    }
    *out = v;
    return (long)n;
}

/* The figures of a part, for its caption. */
static void seg_figures(obuf *b, const seg *sg, uint64_t known)
{
    static const char *const names[F_COUNT] = {"",        "resident", "Pss", "private dirty",
                                               "swapped", "locked"};
    int first = 1;
    for (int f = F_RSS; f < F_COUNT; f++) {
        if (!(known & figs[f].bit))
            continue;
        ob_str(b, first ? "" : ", ");
        ob_str(b, names[f]);
        ob_char(b, ' ');
        kib(b, sg->v[f]);
        ob_str(b, " KiB");
        first = 0;
    }
}

static void seg_title(obuf *b, const tool_snapshot *s, const seg *sg, uint64_t known)
{
    const tool_area *t = &s->v[sg->first];
    ob_str(b, "<title>");
    addr(b, sg->start);
    ob_char(b, '-');
    addr(b, sg->end);
    if (sg->n == 1) {
        char p[5];
        area_perms(&t->a, p);
        ob_char(b, ' ');
        ob_str(b, p);
        ob_char(b, ' ');
        kib(b, sg->mapped);
        ob_str(b, " KiB\n");
        area_name(b, &t->a);
    } else {
        ob_char(b, ' ');
        ob_u64(b, sg->n, 0);
        ob_str(b, " areas, ");
        kib(b, sg->mapped);
        ob_str(b, " KiB mapped\nfrom ");
        area_name(b, &t->a);
        ob_str(b, " to ");
        area_name(b, &s->v[sg->first + sg->n - 1].a);
    }
    ob_char(b, '\n');
    ob_str(b, rkinds[sg->kind].name);
    if (known & MMAPC_USAGE_RSS) {
        ob_str(b, "; ");
        seg_figures(b, sg, known);
    }
    ob_str(b, "</title>");
}

/* What changed of an area, for the pictures of a diff (bits). */
enum { M_APPEARED = 1, M_VANISHED = 2, M_CHANGED = 4 };
static const struct {
    unsigned bit;
    const char *word, *colour;
} mark_kinds[] = {
    {M_VANISHED, "vanished", "#c00000"},
    {M_APPEARED, "appeared", "#008000"},
    {M_CHANGED, "changed", "#e07000"},
};

/* The outline of a part that holds changed areas: data-change (its words) and a stroke. */
static void seg_mark(obuf *b, const seg *sg, const unsigned char *marks)
{
    unsigned m = 0;
    for (size_t i = sg->first; i < sg->first + sg->n; i++)
        m |= marks[i];
    if (!m)
        return;
    const char *colour = NULL;
    ob_str(b, "\" data-change=\"");
    for (size_t k = 0, n = 0; k < sizeof mark_kinds / sizeof mark_kinds[0]; k++) {
        if (!(m & mark_kinds[k].bit))
            continue;
        ob_str(b, n++ ? " " : "");
        ob_str(b, mark_kinds[k].word);
        if (!colour)
            colour = mark_kinds[k].colour;
    }
    ob_str(b, "\" stroke=\"");
    ob_str(b, colour);
    ob_str(b, "\" stroke-width=\"2");
}

/* The picture as an <svg> element with the id map_id (standalone: a document of its own, with
 * its namespace and a heading); marks (NULL for none): what changed of each area, outlined.
 * Returns 0, or -1 for want of memory. */
static int svg_map(obuf *b, const tool_snapshot *s, const unsigned char *kinds, const ident *id,
                   int standalone, const char *map_id, const unsigned char *marks)
{
    seg *segs;
    long n = make_segs(s, kinds, &segs);
    if (n < 0)
        return -1;
    uint64_t known = known_bits(s);
    int top = standalone ? 40 : 10;
    /* first the layout, for the height */
    int rows = 1, x = MAP_LEFT;
    for (long k = 0; k < n; k++) {
        int gw = k ? gap_width(segs[k].start - segs[k - 1].end) : 0,
            w = seg_width(segs[k].end - segs[k].start);
        if (x + gw + w > MAP_W && x > MAP_LEFT) {
            rows++;
            x = MAP_LEFT;
            gw = 0;
        }
        x += gw + w;
    }
    int legend_y = top + rows * ROW_H + 10, height = legend_y + 20 * ((R_COUNT + 4) / 5) + 10;
    if (standalone)
        ob_str(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    ob_str(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"");
    ob_str(b, map_id);
    ob_str(b, "\" width=\"");
    ob_u64(b, MAP_W + 10, 0);
    ob_str(b, "\" height=\"");
    ob_u64(b, (uint64_t)height, 0);
    ob_str(b, "\" viewBox=\"0 0 ");
    ob_u64(b, MAP_W + 10, 0);
    ob_char(b, ' ');
    ob_u64(b, (uint64_t)height, 0);
    ob_str(b, "\" font-family=\"monospace\" font-size=\"11\">\n");
    if (standalone) {
        ob_str(b, "<title>mmapc: the address space of ");
        ob_html(b, id->what);
        ob_str(b, "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
                  "<text x=\"4\" y=\"16\" font-size=\"14\">Address space of ");
        ob_html(b, id->what);
        if (id->cmdline) {
            ob_str(b, " (");
            ob_html(b, id->cmdline);
            ob_char(b, ')');
        }
        ob_str(b, "</text>\n<text x=\"4\" y=\"32\">");
        ob_u64(b, s->n, 0);
        ob_str(b, " areas; width grows with the logarithm of the size; free gaps light grey. ");
        ob_html(b, id->when);
        ob_str(b, "</text>\n");
    }
    int y = top;
    x = MAP_LEFT;
    for (long k = 0; k < n; k++) {
        const seg *sg = &segs[k];
        uint64_t gap = k ? sg->start - segs[k - 1].end : 0;
        int gw = gap_width(gap), w = seg_width(sg->end - sg->start);
        int wrap = k == 0 || (x + gw + w > MAP_W && x > MAP_LEFT);
        if (wrap) {
            if (k) {
                y += ROW_H;
                x = MAP_LEFT;
            }
            ob_str(b, "<text x=\"4\" y=\"");
            ob_u64(b, (uint64_t)(y + 14), 0);
            ob_str(b, "\">");
            addr(b, sg->start);
            ob_str(b, "</text>\n");
        } else if (gw) { /* a free gap */
            ob_str(b, "<rect class=\"gap\" data-i=\"g");
            ob_u64(b, (uint64_t)k, 0);
            ob_str(b, "\" x=\"");
            ob_u64(b, (uint64_t)x, 0);
            ob_str(b, "\" y=\"");
            ob_u64(b, (uint64_t)(y + 6), 0);
            ob_str(b, "\" width=\"");
            ob_u64(b, (uint64_t)gw, 0);
            ob_str(b, "\" height=\"8\" fill=\"#ececec\"><title>free ");
            addr(b, segs[k - 1].end);
            ob_char(b, '-');
            addr(b, sg->start);
            ob_char(b, ' ');
            kib(b, gap);
            ob_str(b, " KiB</title></rect>");
            if (gap >= BIG_GAP) { /* a break in the axis */
                ob_str(b, "<path d=\"M");
                ob_u64(b, (uint64_t)(x + 4), 0);
                ob_char(b, ' ');
                ob_u64(b, (uint64_t)(y + SEG_H + 2), 0);
                ob_str(b, "l4 -24m4 24l4 -24\" stroke=\"#808080\" fill=\"none\"/>");
            }
            ob_char(b, '\n');
            x += gw;
        }
        ob_str(b, "<rect class=\"seg\" data-i=\"");
        ob_u64(b, (uint64_t)k, 0);
        ob_str(b, "\" data-kind=\"");
        ob_str(b, rkinds[sg->kind].id);
        ob_str(b, "\" x=\"");
        ob_u64(b, (uint64_t)x, 0);
        ob_str(b, "\" y=\"");
        ob_u64(b, (uint64_t)y, 0);
        ob_str(b, "\" width=\"");
        ob_u64(b, (uint64_t)(w > 1 ? w - 1 : 1), 0);
        ob_str(b, "\" height=\"");
        ob_u64(b, SEG_H, 0);
        ob_str(b, "\" fill=\"");
        ob_str(b, rkinds[sg->kind].colour);
        if (marks)
            seg_mark(b, sg, marks);
        ob_str(b, "\">");
        seg_title(b, s, sg, known);
        ob_str(b, "</rect>\n");
        x += w;
    }
    /* the legend */
    for (int k = 0; k < R_COUNT; k++) {
        int lx = 4 + (k % 5) * 200, ly = legend_y + (k / 5) * 20;
        ob_str(b, "<rect x=\"");
        ob_u64(b, (uint64_t)lx, 0);
        ob_str(b, "\" y=\"");
        ob_u64(b, (uint64_t)ly, 0);
        ob_str(b, "\" width=\"12\" height=\"12\" fill=\"");
        ob_str(b, rkinds[k].colour);
        ob_str(b, "\"/><text x=\"");
        ob_u64(b, (uint64_t)(lx + 18), 0);
        ob_str(b, "\" y=\"");
        ob_u64(b, (uint64_t)(ly + 10), 0);
        ob_str(b, "\">");
        ob_str(b, rkinds[k].name);
        ob_str(b, "</text>\n");
    }
    ob_str(b, "</svg>\n");
    free(segs);
    return 0;
}

/* ---- resident memory by file and kind: sorted bars ---- */

enum { BARS = 25, BAR_LEFT = 420, BAR_W = 400 };

typedef struct group {
    const char *name; /* a file's path, a pseudo-area's name, or the kind's */
    int deleted;
    uint64_t rss, pss, areas;
    uint64_t top;  /* the resident bytes of its largest area, */
    unsigned kind; /* whose kind colours the bar */
} group;

typedef struct named {
    const char *name;
    int deleted;
    size_t i;
} named;

static int cmp_named(const void *x, const void *y)
{
    const named *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    return a->deleted - b->deleted;
}

static int cmp_group(const void *x, const void *y)
{
    const group *a = x, *b = y;
    if (a->rss != b->rss)
        return a->rss > b->rss ? -1 : 1;
    return strcmp(a->name, b->name);
}

static int bars(obuf *b, const tool_snapshot *s, const unsigned char *kinds)
{
    named *v = malloc((s->n ? s->n : 1) * sizeof *v);
    group *g = malloc((s->n ? s->n : 1) * sizeof *g);
    if (!v || !g) {
        free(v);
        free(g);
        return -1;
    }
    for (size_t i = 0; i < s->n; i++) {
        const mmapc_area *a = &s->v[i].a;
        int by_name = a->kind != MMAPC_AREA_ANON && a->path[0];
        v[i] = (named){by_name ? a->path : rkinds[kinds[i]].name, by_name && a->deleted, i};
    }
    if (s->n > 1)
        qsort(v, s->n, sizeof *v, cmp_named);
    size_t ng = 0;
    for (size_t k = 0; k < s->n; k++) {
        const tool_area *t = &s->v[v[k].i];
        if (!ng || cmp_named(&v[k], &v[k - 1]) != 0)
            g[ng++] = (group){v[k].name, v[k].deleted, 0, 0, 0, 0, kinds[v[k].i]};
        if (t->u.rss > g[ng - 1].top) {
            g[ng - 1].top = t->u.rss;
            g[ng - 1].kind = kinds[v[k].i];
        }
        g[ng - 1].rss += t->u.rss;
        g[ng - 1].pss += t->u.pss;
        g[ng - 1].areas++;
    }
    if (ng > 1)
        qsort(g, ng, sizeof *g, cmp_group);
    size_t shown = ng < BARS ? ng : BARS;
    uint64_t max = shown ? g[0].rss : 0;
    ob_str(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"bars\" width=\"1100\" height=\"");
    ob_u64(b, 20 * shown + 10, 0);
    ob_str(b, "\" font-family=\"monospace\" font-size=\"11\">\n");
    for (size_t k = 0; k < shown; k++) {
        const group *gr = &g[k];
        uint64_t y = 20 * k + 4;
        int w =
            max ? (int)((double)gr->rss * BAR_W / (double)max) : 0; /* rss * BAR_W may not fit */
        ob_str(b, "<g class=\"bar\"><title>");
        ob_html(b, gr->name);
        if (gr->deleted)
            ob_str(b, " (deleted)");
        ob_str(b, "</title><text class=\"bar-name\" x=\"");
        ob_u64(b, BAR_LEFT - 8, 0);
        ob_str(b, "\" y=\"");
        ob_u64(b, y + 11, 0);
        ob_str(b, "\" text-anchor=\"end\">");
        /* the end of a long name: its last 56 bytes, from a character's start */
        size_t len = strlen(gr->name), from = len > 56 ? len - 56 : 0;
        while (from < len && ((unsigned char)gr->name[from] & 0xc0) == 0x80)
            from++;
        if (from)
            ob_str(b, "...");
        ob_html_n(b, gr->name + from, len - from);
        if (gr->deleted)
            ob_str(b, " (deleted)");
        ob_str(b, "</text><rect x=\"");
        ob_u64(b, BAR_LEFT, 0);
        ob_str(b, "\" y=\"");
        ob_u64(b, y, 0);
        ob_str(b, "\" width=\"");
        ob_u64(b, (uint64_t)(w > 0 ? w : 1), 0);
        ob_str(b, "\" height=\"14\" fill=\"");
        ob_str(b, rkinds[gr->kind].colour);
        ob_str(b, "\"/><text class=\"bar-value\" x=\"");
        ob_u64(b, (uint64_t)(BAR_LEFT + (w > 0 ? w : 1) + 6), 0);
        ob_str(b, "\" y=\"");
        ob_u64(b, y + 11, 0);
        ob_str(b, "\">");
        kib(b, gr->rss);
        ob_str(b, " KiB, Pss ");
        kib(b, gr->pss);
        ob_str(b, " KiB, ");
        ob_u64(b, gr->areas, 0);
        ob_str(b, gr->areas == 1 ? " area" : " areas");
        ob_str(b, "</text></g>\n");
    }
    ob_str(b, "</svg>\n");
    if (ng > shown) {
        uint64_t rest = 0, areas = 0;
        for (size_t k = shown; k < ng; k++)
            rest += g[k].rss, areas += g[k].areas;
        ob_str(b, "<p class=\"note\" id=\"bars-rest\">and ");
        ob_u64(b, ng - shown, 0);
        ob_str(b, " more (");
        ob_u64(b, areas, 0);
        ob_str(b, " areas), ");
        kib(b, rest);
        ob_str(b, " KiB resident together</p>\n");
    }
    free(v);
    free(g);
    return 0;
}

/* ---- the page ---- */

static void page_head(obuf *b, const char *title)
{
    ob_str(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "style-src 'sha256-");
    ob_str(b, report_css_sha256);
    ob_str(b, "'; script-src 'sha256-");
    ob_str(b, report_js_sha256);
    ob_str(b, "'; base-uri 'none'; form-action 'none'\">\n"
              "<meta name=\"generator\" content=\"mmapc " MMAPC_VERSION_STRING "\">\n<title>");
    ob_html(b, title);
    ob_str(b, "</title>\n<style>");
    ob_mem(b, (const char *)report_css, report_css_len);
    ob_str(b, "</style>\n</head>\n<body>\n");
}

static void page_end(obuf *b)
{
    ob_str(b, "<script>");
    ob_mem(b, (const char *)report_js, report_js_len);
    ob_str(b, "</script>\n</body>\n</html>\n");
}

static void id_row(obuf *b, const char *name, const char *id, const char *value)
{
    ob_str(b, "<dt>");
    ob_str(b, name);
    ob_str(b, "</dt><dd id=\"id-");
    ob_str(b, id);
    ob_str(b, "\">");
    ob_html(b, value && value[0] ? value : "-");
    ob_str(b, "</dd>\n");
}

static void swatch(obuf *b, int k)
{
    ob_str(b, "<svg class=\"swatch\" width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" "
              "fill=\"");
    ob_str(b, rkinds[k].colour);
    ob_str(b, "\"/></svg>");
}

static void summary_row(obuf *b, const char *cls, const char *id, int kind, const char *name,
                        const sums *m, uint64_t known, int has_areas)
{
    ob_str(b, "<tr");
    if (cls) {
        ob_str(b, " class=\"");
        ob_str(b, cls);
        ob_char(b, '"');
    }
    ob_str(b, " data-kind=\"");
    ob_str(b, id);
    ob_str(b, "\"><td>");
    if (kind >= 0)
        swatch(b, kind);
    ob_str(b, name);
    ob_str(b, "</td><td class=\"n\" data-f=\"areas\">");
    if (has_areas)
        ob_u64(b, m->areas, 0);
    else
        ob_char(b, '-');
    ob_str(b, "</td>");
    for (int f = 0; f < F_COUNT; f++) {
        ob_str(b, "<td class=\"n\" data-f=\"");
        ob_str(b, figs[f].id);
        ob_str(b, "\">");
        if (known & figs[f].bit)
            kib(b, m->v[f]);
        else
            ob_char(b, '-');
        ob_str(b, "</td>");
    }
    ob_str(b, "</tr>\n");
}

static void summary_head(obuf *b, const char *id, const char *first)
{
    ob_str(b, "<table id=\"");
    ob_str(b, id);
    ob_str(b, "\">\n<thead><tr><th>");
    ob_str(b, first);
    ob_str(b, "</th><th class=\"n\">areas</th>");
    for (int f = 0; f < F_COUNT; f++) {
        ob_str(b, "<th class=\"n\">");
        ob_str(b, figs[f].head);
        ob_str(b, " KiB</th>");
    }
    ob_str(b, "</tr></thead>\n<tbody>\n");
}

/* The summary by kind: a row per kind present, the totals of the areas, and the process's own
 * totals (smaps_rollup) when roll is not NULL. */
static void summary(obuf *b, const tool_snapshot *s, const unsigned char *kinds,
                    const mmapc_area_usage *roll)
{
    sums k[R_COUNT], all = {0};
    memset(k, 0, sizeof k);
    for (size_t i = 0; i < s->n; i++) {
        add_sums(&k[kinds[i]], &s->v[i]);
        add_sums(&all, &s->v[i]);
    }
    uint64_t known = known_bits(s);
    summary_head(b, "summary", "kind");
    for (int i = 0; i < R_COUNT; i++)
        if (k[i].areas)
            summary_row(b, NULL, rkinds[i].id, i, rkinds[i].name, &k[i], known, 1);
    summary_row(b, "total", "total", -1, "total", &all, known, 1);
    if (roll) {
        sums r = {0};
        r.v[F_SIZE] = all.v[F_SIZE];
        r.v[F_RSS] = roll->rss;
        r.v[F_PSS] = roll->pss;
        r.v[F_PRIVATE_DIRTY] = roll->private_dirty;
        r.v[F_SWAP] = roll->swap;
        r.v[F_LOCKED] = roll->locked;
#ifdef __linux__
        const char *name = "smaps_rollup";
#else
        const char *name = "process totals";
#endif
        summary_row(b, "rollup", "rollup", -1, name, &r, roll->known & ~MMAPC_USAGE_SIZE, 0);
    }
    ob_str(b, "</tbody></table>\n");
}

/* A number of the table, for the script: as a string past 2^53, which JavaScript's numbers do
 * not hold exactly (an inode of overlayfs has its high bits set). */
static void js_u64(obuf *b, uint64_t v)
{
    int exact = v <= ((uint64_t)1 << 53);
    if (!exact)
        ob_char(b, '"');
    ob_u64(b, v, 0);
    if (!exact)
        ob_char(b, '"');
}

/* The table's columns and rows as JSON, for the script. */
typedef struct column {
    const char *name;
    char type; /* a s k i */
    int path;
} column;

static void columns_json(obuf *b, const column *c, int n)
{
    ob_str(b, "{\"columns\": [");
    for (int i = 0; i < n; i++) {
        ob_str(b, i ? ", {\"name\": " : "{\"name\": ");
        ob_js_str(b, c[i].name);
        ob_str(b, ", \"type\": \"");
        ob_char(b, c[i].type);
        ob_str(b, c[i].path ? "\", \"path\": true}" : "\"}");
    }
    ob_str(b, "],\n\"rows\": [");
}

static void table_nav(obuf *b, const char *what)
{
    ob_str(b, "<div id=\"nav\"><button id=\"first\">first</button><button id=\"prev\">previous"
              "</button><button id=\"next\">next</button><button id=\"last\">last</button> page "
              "<input id=\"page-number\" type=\"number\" min=\"1\" value=\"1\"> of <span "
              "id=\"page-count\">1</span>; <span id=\"rows-shown\"></span>; path contains "
              "<input id=\"filter\" type=\"search\"></div>\n"
              "<div id=\"table-wrap\"><table id=\"areas\"><thead></thead><tbody></tbody></table>"
              "</div>\n<noscript><p>The table of ");
    ob_str(b, what);
    ob_str(b, " needs JavaScript; <code>mmapc --json areas -x</code> gives every figure."
              "</p></noscript>\n");
}

/* The table of every area. */
static void area_table(obuf *b, const tool_snapshot *s, const unsigned char *kinds)
{
    uint64_t known = 0;
    for (size_t i = 0; i < s->n; i++)
        known |= s->v[i].u.known;
    int ucols[64], nu = 0;
    for (int i = 0; i < usage_ncols && s->has_usage; i++)
        if (usage_cols[i].bit != MMAPC_USAGE_SIZE && usage_col_shown(i, known))
            ucols[nu++] = i;
    int vmflags = (known & MMAPC_USAGE_VM_FLAGS) != 0;
    column c[96];
    int n = 0;
    c[n++] = (column){"Start", 'a', 0};
    c[n++] = (column){"End", 'a', 0};
    c[n++] = (column){"Perm", 's', 0};
    c[n++] = (column){"Offset", 'a', 0};
    c[n++] = (column){"Device", 's', 0};
    c[n++] = (column){"Inode", 'i', 0};
    c[n++] = (column){"Size", 'k', 0};
    for (int k = 0; k < nu; k++)
        c[n++] = (column){usage_cols[ucols[k]].name, usage_cols[ucols[k]].is_int ? 'i' : 'k', 0};
    if (vmflags)
        c[n++] = (column){"VmFlags", 's', 0};
    if (s->has_build_id)
        c[n++] = (column){"BuildID", 's', 0};
    c[n++] = (column){"Kind", 's', 0};
    c[n++] = (column){"Mapping", 's', 1};
    table_nav(b, "areas");
    ob_str(b, "<script type=\"application/json\" id=\"mmapc-data\">");
    columns_json(b, c, n);
    for (size_t i = 0; i < s->n; i++) {
        const tool_area *t = &s->v[i];
        char p[5], dev[24];
        area_perms(&t->a, p);
        device_text(dev, t->a.dev_major, t->a.dev_minor);
        ob_str(b, i ? ",\n[\"0x" : "\n[\"0x");
        ob_hex(b, t->a.start, 0);
        ob_str(b, "\", \"0x");
        ob_hex(b, t->a.end, 0);
        ob_str(b, "\", \"");
        ob_str(b, p);
        ob_str(b, "\", \"0x");
        ob_hex(b, t->a.offset, 0);
        ob_str(b, "\", \"");
        ob_str(b, dev);
        ob_str(b, "\", ");
        js_u64(b, t->a.inode);
        ob_str(b, ", ");
        js_u64(b, t->a.end - t->a.start);
        for (int k = 0; k < nu; k++) {
            int col = ucols[k];
            ob_str(b, ", ");
            if (!(t->u.known & usage_cols[col].bit)) {
                ob_str(b, "null");
                continue;
            }
            uint64_t v = usage_value(&t->u, col);
            if (usage_cols[col].is_int)
                ob_i64(b, (int64_t)v, 0);
            else
                js_u64(b, v);
        }
        if (vmflags) {
            char text[3 * 64 + 1];
            usage_vm_flags_text(t->u.vm_flags, text, sizeof text);
            ob_str(b, ", \"");
            ob_str(b, text);
            ob_char(b, '"');
        }
        if (s->has_build_id) {
            if (t->bid.size) {
                ob_str(b, ", ");
                ob_json_hex(b, t->bid.bytes, t->bid.size);
            } else {
                ob_str(b, ", null");
            }
        }
        ob_str(b, ", \"");
        ob_str(b, rkinds[kinds[i]].name);
        ob_str(b, "\", ");
        if (t->a.kind == MMAPC_AREA_ANON) {
            ob_str(b, "\"[anon]\"]");
            continue;
        }
        if (t->a.deleted) {
            size_t len = strlen(t->a.path);
            char *name = malloc(len + 11);
            if (name) {
                memcpy(name, t->a.path, len);
                memcpy(name + len, " (deleted)", 11);
                ob_js_string(b, name, len + 10);
                free(name);
            } else {
                ob_js_string(b, t->a.path, len);
            }
        } else {
            ob_js_str(b, t->a.path);
        }
        ob_char(b, ']');
    }
    ob_str(b, "\n]}</script>\n");
}

static void identity(obuf *b, const ident *id, size_t areas)
{
    char pid[24] = "";
    if (id->live && id->pid == MMAPC_SELF)
        snprintf(pid, sizeof pid, "self");
    else if (id->live)
        snprintf(pid, sizeof pid, "%d", id->pid);
    char n[24];
    snprintf(n, sizeof n, "%zu", areas);
    ob_str(b, "<dl class=\"id\" id=\"identity\">\n");
    id_row(b, "pid", "pid", pid);
    id_row(b, "command line", "cmdline", id->cmdline);
    id_row(b, "executable", "exe", id->exe);
    id_row(b, "time", "time", id->when);
    id_row(b, "areas", "areas", n);
    id_row(b, "source", "source", id->what);
    ob_str(b, "</dl>\n");
}

static const char picture_note[] =
    "<p class=\"note\">Every area in address order, its width growing with the logarithm of its "
    "size (a page 6 pixels, 5 more each time the size doubles); areas close together of one kind "
    "are drawn as one part when there are many. Free gaps are light grey, a gap of 1 GiB or more "
    "a break. Point at a part (or click it) for its range, protection, path and figures.</p>\n";

/* The caption of a picture: the title of the part under the pointer (report.js fills it). */
static void caption_box(obuf *b, const char *caption_id)
{
    ob_str(b, "<div class=\"caption\" id=\"");
    ob_str(b, caption_id);
    ob_str(b, "\">Point at a part of the picture.</div>\n");
}

static int page_process(obuf *b, const tool_snapshot *s, const unsigned char *kinds,
                        const ident *id, const mmapc_area_usage *roll)
{
    char title[160];
    snprintf(title, sizeof title, "mmapc report: %s", id->what);
    page_head(b, title);
    ob_str(b, "<h1>Memory of ");
    ob_html(b, id->what);
    ob_str(b, "</h1>\n");
    identity(b, id, s->n);
    ob_str(b, "<h2>Summary by kind</h2>\n");
    summary(b, s, kinds, roll);
#ifdef __linux__
    if (roll)
        ob_str(b, "<p class=\"note\">The kernel rounds Pss down to a KiB in each area, and once in "
                  "smaps_rollup: the areas' total is less by up to 1 KiB an area.</p>\n");
#endif
    if (!s->has_usage && !id->live)
        ob_str(b, "<p class=\"note\">The snapshot has no figures of memory use (written without "
                  "<code>-x</code>): sizes only.</p>\n");
    else if (!s->has_usage)
        ob_str(b, "<p class=\"note\">This system does not tell the memory use of this process's "
                  "areas: sizes only.</p>\n");
    ob_str(b, "<p class=\"note\">Images are the files with an executable area (programs and "
              "libraries); guard areas have no access, at most 64 KiB, next to an area that "
              "has; other areas without access are reserved. Sizes in KiB.</p>\n");
    ob_str(b, "<h2>Address space</h2>\n");
    ob_str(b, picture_note);
    caption_box(b, "caption");
    if (svg_map(b, s, kinds, id, 0, "map", NULL))
        return -1;
    ob_str(b, "<h2>Resident memory by file and kind</h2>\n");
    if (bars(b, s, kinds))
        return -1;
    ob_str(b, "<h2>Areas</h2>\n");
    area_table(b, s, kinds);
    page_end(b);
    return 0;
}

/* ---- report --diff ---- */

static const char *change_word(const change *ch)
{
    switch (ch->kind) {
    case C_ADDED:
        return "appeared";
    case C_REMOVED:
        return "vanished";
    case C_RESIZED:
        return ch->now->a.end - ch->now->a.start >= ch->was->a.end - ch->was->a.start ? "grew"
                                                                                      : "shrank";
    case C_PROTECTION:
        return "protection";
    default:
        return ch->now->u.rss >= ch->was->u.rss ? "resident grew" : "resident shrank";
    }
}

static int cmp_change(const void *x, const void *y)
{
    const change *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

static void opt_kib(obuf *b, const tool_area *t, int size)
{
    if (!t)
        ob_str(b, "null");
    else if (size)
        js_u64(b, t->a.end - t->a.start);
    else if (t->u.known & MMAPC_USAGE_RSS)
        js_u64(b, t->u.rss);
    else
        ob_str(b, "null");
}

static void change_table(obuf *b, const changes *c)
{
    static const column cols[] = {
        {"Change", 's', 0},   {"Start", 'a', 0}, {"End", 'a', 0},      {"Size", 'k', 0},
        {"Old size", 'k', 0}, {"Perm", 's', 0},  {"Old perm", 's', 0}, {"Old Rss", 'k', 0},
        {"Rss", 'k', 0},      {"Kind", 's', 0},  {"Mapping", 's', 1},
    };
    table_nav(b, "changes");
    ob_str(b, "<script type=\"application/json\" id=\"mmapc-data\">");
    columns_json(b, cols, (int)(sizeof cols / sizeof cols[0]));
    for (size_t k = 0; k < c->n; k++) {
        const change *ch = &c->v[k];
        const tool_area *t = ch->now ? ch->now : ch->was;
        char p[5];
        ob_str(b, k ? ",\n[\"" : "\n[\"");
        ob_str(b, change_word(ch));
        ob_str(b, "\", \"0x");
        ob_hex(b, ch->start, 0);
        ob_str(b, "\", \"0x");
        ob_hex(b, ch->end, 0);
        ob_str(b, "\", ");
        js_u64(b, ch->end - ch->start);
        ob_str(b, ", ");
        opt_kib(b, ch->kind == C_RESIZED ? ch->was : NULL, 1);
        area_perms(&t->a, p);
        ob_str(b, ", \"");
        ob_str(b, p);
        ob_str(b, "\", ");
        if (ch->kind == C_PROTECTION) {
            area_perms(&ch->was->a, p);
            ob_char(b, '"');
            ob_str(b, p);
            ob_char(b, '"');
        } else {
            ob_str(b, "null");
        }
        ob_str(b, ", ");
        opt_kib(b, ch->kind == C_RSS || ch->kind == C_RESIZED ? ch->was : NULL, 0);
        ob_str(b, ", ");
        opt_kib(b, ch->kind == C_RSS || ch->kind == C_RESIZED ? ch->now : NULL, 0);
        ob_str(b, ", \"");
        ob_str(b, mmapc_area_kind_name(t->a.kind));
        ob_str(b, "\", ");
        ob_js_str(b, t->a.kind == MMAPC_AREA_ANON ? "[anon]" : t->a.path);
        ob_char(b, ']');
    }
    ob_str(b, "\n]}</script>\n");
}

static void kind_sums(const tool_snapshot *s, const unsigned char *kinds, sums *k)
{
    memset(k, 0, R_COUNT * sizeof *k);
    for (size_t i = 0; i < s->n; i++)
        add_sums(&k[kinds[i]], &s->v[i]);
}

static void signed_kib(obuf *b, uint64_t before, uint64_t after)
{
    if (after >= before) {
        ob_str(b, after > before ? "<td class=\"n grew\">+" : "<td class=\"n\">");
        kib(b, after - before);
    } else {
        ob_str(b, "<td class=\"n shrank\">-");
        kib(b, before - after);
    }
    ob_str(b, "</td>");
}

static int page_diff(obuf *b, const tool_snapshot *before, const tool_snapshot *after,
                     const unsigned char *kb, const unsigned char *ka, const ident *ia,
                     const ident *ib)
{
    changes c = {0};
    tool_compare(before, after, &c);
    if (c.oom) {
        free(c.v);
        return -1;
    }
    if (c.n > 1)
        qsort(c.v, c.n, sizeof *c.v, cmp_change);
    char title[256];
    snprintf(title, sizeof title, "mmapc report: %s to %s", ia->what, ib->what);
    page_head(b, title);
    ob_str(b, "<h1>Changes from ");
    ob_html(b, ia->what);
    ob_str(b, " to ");
    ob_html(b, ib->what);
    ob_str(b, "</h1>\n<dl class=\"id\" id=\"identity\">\n");
    id_row(b, "before", "before", ia->what);
    id_row(b, "written", "before-time", ia->when);
    id_row(b, "after", "after", ib->what);
    id_row(b, "written", "after-time", ib->when);
    ob_str(b, "</dl>\n<h2>Changes</h2>\n<table id=\"counts\"><tbody>\n");
    static const char *const words[] = {"appeared",   "vanished",      "grew",           "shrank",
                                        "protection", "resident grew", "resident shrank"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t n = 0;
        for (size_t k = 0; k < c.n; k++)
            n += strcmp(change_word(&c.v[k]), words[w]) == 0;
        ob_str(b, "<tr><td>");
        ob_str(b, words[w]);
        ob_str(b, "</td><td class=\"n\" data-change=\"");
        ob_str(b, words[w]);
        ob_str(b, "\">");
        ob_u64(b, n, 0);
        ob_str(b, "</td></tr>\n");
    }
    ob_str(b, "</tbody></table>\n<h2>Summary by kind</h2>\n<table id=\"kind-changes\">\n<thead>"
              "<tr><th>kind</th><th class=\"n\">areas before</th><th class=\"n\">areas after</th>"
              "<th class=\"n\">size before KiB</th><th class=\"n\">size after KiB</th>"
              "<th class=\"n\">size change KiB</th><th class=\"n\">resident before KiB</th>"
              "<th class=\"n\">resident after KiB</th><th class=\"n\">resident change KiB</th>"
              "</tr></thead>\n<tbody>\n");
    sums sb[R_COUNT], sa[R_COUNT];
    kind_sums(before, kb, sb);
    kind_sums(after, ka, sa);
    int rss = before->has_usage && after->has_usage;
    for (int k = 0; k < R_COUNT; k++) {
        if (!sb[k].areas && !sa[k].areas)
            continue;
        ob_str(b, "<tr data-kind=\"");
        ob_str(b, rkinds[k].id);
        ob_str(b, "\"><td>");
        swatch(b, k);
        ob_str(b, rkinds[k].name);
        ob_str(b, "</td><td class=\"n\">");
        ob_u64(b, sb[k].areas, 0);
        ob_str(b, "</td><td class=\"n\">");
        ob_u64(b, sa[k].areas, 0);
        ob_str(b, "</td><td class=\"n\">");
        kib(b, sb[k].v[F_SIZE]);
        ob_str(b, "</td><td class=\"n\">");
        kib(b, sa[k].v[F_SIZE]);
        ob_str(b, "</td>");
        signed_kib(b, sb[k].v[F_SIZE], sa[k].v[F_SIZE]);
        if (rss) {
            ob_str(b, "<td class=\"n\">");
            kib(b, sb[k].v[F_RSS]);
            ob_str(b, "</td><td class=\"n\">");
            kib(b, sa[k].v[F_RSS]);
            ob_str(b, "</td>");
            signed_kib(b, sb[k].v[F_RSS], sa[k].v[F_RSS]);
        } else {
            ob_str(b, "<td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">-</td>");
        }
        ob_str(b, "</tr>\n");
    }
    /* the two pictures one above the other, on the same scale: a part that appeared, vanished
     * or changed size is seen where it moves the parts after it */
    ob_str(b, "</tbody></table>\n<h2>Address space before and after</h2>\n");
    ob_str(b, picture_note);
    ob_str(b, "<p class=\"note\">Outlined: a part that holds an area that <span class=\"vanished\">"
              "vanished</span> (before), <span class=\"appeared\">appeared</span> (after), or "
              "<span class=\"changed\">changed</span> its size, protection or resident "
              "memory.</p>\n");
    unsigned char *mb = calloc(before->n + 1, 1), *ma = calloc(after->n + 1, 1);
    int rc = mb && ma ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < c.n; k++) {
        const change *ch = &c.v[k];
        if (ch->was)
            mb[ch->was - before->v] |= ch->kind == C_REMOVED ? M_VANISHED : M_CHANGED;
        if (ch->now)
            ma[ch->now - after->v] |= ch->kind == C_ADDED ? M_APPEARED : M_CHANGED;
    }
    if (rc == 0) {
        ob_str(b, "<h3>Before</h3>\n");
        caption_box(b, "caption-before");
        rc = svg_map(b, before, kb, ia, 0, "map-before", mb);
    }
    if (rc == 0) {
        ob_str(b, "<h3>After</h3>\n");
        caption_box(b, "caption");
        rc = svg_map(b, after, ka, ib, 0, "map", ma);
    }
    free(mb);
    free(ma);
    if (rc == 0) {
        ob_str(b, "<h2>Every change</h2>\n");
        change_table(b, &c);
        page_end(b);
    }
    free(c.v);
    return rc;
}

/* ---- the command ---- */

/* A snapshot's figures of memory use are at most the size of their area (so that their sums,
 * as the sizes', fit in 64 bits); EXIT_FAILED with a message when one is larger. */
static int check_figures(const tool_snapshot *s, const char *path)
{
    for (size_t i = 0; i < s->n; i++) {
        uint64_t v[F_COUNT];
        fig_values(&s->v[i], v);
        for (int f = F_RSS; f < F_COUNT; f++)
            if ((s->v[i].u.known & figs[f].bit) && v[f] > v[F_SIZE]) {
                fprintf(stderr,
                        "mmapc: %s: not a snapshot: the %s of the area at 0x%llx is larger "
                        "than the area\n",
                        path, figs[f].head, (unsigned long long)s->v[i].a.start);
                return EXIT_FAILED;
            }
    }
    return EXIT_OK;
}

/* Write the held output to -o FILE or to the tool's output. */
static int write_out(const tool_opts *o, obuf *b)
{
    if (ob_oom(b)) {
        ob_discard(b);
        return tool_fail(MMAPC_ENOMEM, "report");
    }
    if (!o->output) {
        b->out = o->out;
        ob_flush(b);
        return EXIT_OK;
    }
    /* a file it creates or replaces is removed when the write fails (a device is left) */
    struct stat st;
    int regular = stat(o->output, &st) != 0 || S_ISREG(st.st_mode);
    FILE *f = fopen(o->output, "wb");
    if (!f) {
        fprintf(stderr, "mmapc: %s: %s\n", o->output, strerror(errno));
        ob_discard(b);
        return EXIT_FAILED;
    }
    b->out = f;
    errno = 0; /* the cause of the first failure, of a write or of the flush */
    ob_flush(b);
    int failed = ferror(f) != 0, err = errno;
    if (fflush(f) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    if (failed) {
        fprintf(stderr, "mmapc: %s: write error: %s\n", o->output, err ? strerror(err) : "?");
        if (regular)
            remove(o->output);
        return EXIT_FAILED;
    }
    return EXIT_OK;
}

int cmd_report(const tool_opts *o, int pid, const char *snapshot, const char *diff_a)
{
    tool_snapshot s = {0}, before = {0};
    ident id = {0}, ia = {0};
    mmapc_area_usage roll, *rollp = NULL;
    unsigned char *kinds = NULL, *kb = NULL;
    obuf *b = NULL;
    int rc;
    if (diff_a) {
        if ((rc = tool_snapshot_load(&before, diff_a)) != 0 ||
            (rc = check_figures(&before, diff_a)) != 0) {
            tool_snapshot_free(&before);
            return rc;
        }
        identify_file(&ia, diff_a);
    }
    if (snapshot) {
        rc = tool_snapshot_load(&s, snapshot);
        if (rc == 0)
            rc = check_figures(&s, snapshot);
        identify_file(&id, snapshot);
    } else {
        rc = tool_snapshot_read(&s, pid, o->proc_flags,
                                SNAP_USAGE | SNAP_USAGE_OPTIONAL | SNAP_BUILD_ID);
        identify(&id, pid);
        mmapc_proc *proc;
        if (rc == 0 && s.has_usage && mmapc_proc_open(&proc, pid, o->proc_flags) == 0) {
            if (mmapc_proc_usage_totals(proc, &roll) == 0 && (roll.known & MMAPC_USAGE_RSS))
                rollp = &roll;
            mmapc_proc_close(proc);
        }
    }
    if (rc)
        goto out;
    kinds = malloc(s.n + 1);
    kb = malloc(before.n + 1);
    b = malloc(sizeof *b);
    if (!kinds || !kb || !b || classify(&s, kinds) || classify(&before, kb)) {
        rc = tool_fail(MMAPC_ENOMEM, "report");
        goto out;
    }
    ob_init(b, NULL);
    ob_hold(b);
    if (o->svg)
        rc = svg_map(b, &s, kinds, &id, 1, "map", NULL);
    else if (diff_a)
        rc = page_diff(b, &before, &s, kb, kinds, &ia, &id);
    else
        rc = page_process(b, &s, kinds, &id, rollp);
    if (rc) {
        ob_discard(b);
        rc = tool_fail(MMAPC_ENOMEM, "report");
        goto out;
    }
    rc = write_out(o, b);
out:
    free(b);
    free(kinds);
    free(kb);
    ident_free(&id);
    ident_free(&ia);
    tool_snapshot_free(&s);
    tool_snapshot_free(&before);
    return rc;
}
