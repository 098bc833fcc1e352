// SPDX-License-Identifier: MIT
/*
 * Memory use per area. The smaps parser (pure: no OS call, tested and fuzzed everywhere) and the
 * portable side of the public calls: iteration hooks into areas.c, queries and totals here. The
 * platform gives an smaps text or a per-area answer (src/os.h).
 */
#include "usage.h"

#include "maps_parse.h"
#include "os.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- the parser ---- */

enum key_kind { KEY_KB, KEY_INT, KEY_FLAGS };

typedef struct smaps_key {
    const char *name;
    unsigned char len;
    unsigned char kind;
    unsigned short off; /* of the field in mmapc_area_usage */
} smaps_key;

#define KEY(text, kind, field)                                                                     \
    {                                                                                              \
        text, sizeof text - 1, kind, offsetof(mmapc_area_usage, field)                             \
    }

/* In the order the kernel prints them, and in the order of the MMAPC_USAGE_* bits: entry i sets
 * bit i. The parser tries the key after the last one first. */
static const smaps_key keys[] = {
    KEY("Size", KEY_KB, size),
    KEY("KernelPageSize", KEY_KB, kernel_page_size),
    KEY("MMUPageSize", KEY_KB, mmu_page_size),
    KEY("Rss", KEY_KB, rss),
    KEY("Pss", KEY_KB, pss),
    KEY("Pss_Dirty", KEY_KB, pss_dirty),
    KEY("Pss_Anon", KEY_KB, pss_anon),
    KEY("Pss_File", KEY_KB, pss_file),
    KEY("Pss_Shmem", KEY_KB, pss_shmem),
    KEY("Shared_Clean", KEY_KB, shared_clean),
    KEY("Shared_Dirty", KEY_KB, shared_dirty),
    KEY("Private_Clean", KEY_KB, private_clean),
    KEY("Private_Dirty", KEY_KB, private_dirty),
    KEY("Referenced", KEY_KB, referenced),
    KEY("Anonymous", KEY_KB, anonymous),
    KEY("KSM", KEY_KB, ksm),
    KEY("LazyFree", KEY_KB, lazy_free),
    KEY("AnonHugePages", KEY_KB, anon_huge_pages),
    KEY("ShmemPmdMapped", KEY_KB, shmem_pmd_mapped),
    KEY("FilePmdMapped", KEY_KB, file_pmd_mapped),
    KEY("Shared_Hugetlb", KEY_KB, shared_hugetlb),
    KEY("Private_Hugetlb", KEY_KB, private_hugetlb),
    KEY("Swap", KEY_KB, swap),
    KEY("SwapPss", KEY_KB, swap_pss),
    KEY("Locked", KEY_KB, locked),
    KEY("THPeligible", KEY_INT, thp_eligible),
    KEY("ProtectionKey", KEY_INT, protection_key),
    KEY("VmFlags", KEY_FLAGS, vm_flags),
};
#define NKEYS (sizeof keys / sizeof keys[0])
_Static_assert(NKEYS == 28, "one key per MMAPC_USAGE_* bit up to MMAPC_USAGE_VM_FLAGS");

/* The two-letter VmFlags codes, in the order of the MMAPC_VM_* bits. */
static const char vm_codes[][3] = {
    "rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "pf", "dw", "lo", "io", "sr",
    "rr", "dc", "de", "ac", "nr", "ht", "sf", "nl", "ar", "wf", "dd", "sd", "mm", "hg",
    "nh", "mg", "um", "uw", "mp", "bt", "mt", "ui", "ss", "sl", "lf", "dp", "gu",
};
#define NCODES (sizeof vm_codes / sizeof vm_codes[0])
_Static_assert(NCODES == 41, "one code per MMAPC_VM_* bit");

/* The bit of a code, or -1 for a code this parser does not know. A switch: no table to fill at
 * first use, so no state. */
static int vm_code_bit(unsigned a, unsigned b)
{
    switch (a << 8 | b) {
#define C(x, y, bit)                                                                               \
    case (unsigned)(x) << 8 | (unsigned)(y):                                                       \
        return bit
        C('r', 'd', 0);
        C('w', 'r', 1);
        C('e', 'x', 2);
        C('s', 'h', 3);
        C('m', 'r', 4);
        C('m', 'w', 5);
        C('m', 'e', 6);
        C('m', 's', 7);
        C('g', 'd', 8);
        C('p', 'f', 9);
        C('d', 'w', 10);
        C('l', 'o', 11);
        C('i', 'o', 12);
        C('s', 'r', 13);
        C('r', 'r', 14);
        C('d', 'c', 15);
        C('d', 'e', 16);
        C('a', 'c', 17);
        C('n', 'r', 18);
        C('h', 't', 19);
        C('s', 'f', 20);
        C('n', 'l', 21);
        C('a', 'r', 22);
        C('w', 'f', 23);
        C('d', 'd', 24);
        C('s', 'd', 25);
        C('m', 'm', 26);
        C('h', 'g', 27);
        C('n', 'h', 28);
        C('m', 'g', 29);
        C('u', 'm', 30);
        C('u', 'w', 31);
        C('m', 'p', 32);
        C('b', 't', 33);
        C('m', 't', 34);
        C('u', 'i', 35);
        C('s', 's', 36);
        C('s', 'l', 37);
        C('l', 'f', 38);
        C('d', 'p', 39);
        C('g', 'u', 40);
#undef C
    }
    return -1;
}

const char *mmapc_vm_flag_name(uint64_t flag)
{
    if (flag == 0 || (flag & (flag - 1)) != 0)
        return NULL;
    unsigned bit = 0;
    while (!(flag & 1)) {
        flag >>= 1;
        bit++;
    }
    return bit < NCODES ? vm_codes[bit] : NULL;
}

static inline int is_key_char(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26 || (unsigned)(c - '0') < 10 || c == '_';
}

static inline int is_hex_lower(unsigned char c)
{
    return (unsigned)(c - '0') < 10 || (unsigned)(c - 'a') < 6;
}

int mmapc__smaps_is_header(const char *p)
{
    const char *s = p;
    while (is_hex_lower((unsigned char)*s))
        s++;
    return s > p && *s == '-';
}

/* The line's end: p at its '\n' or at end (the '\0'). */
static inline int at_eol(const char *p, const char *end)
{
    return *p == '\n' || p == end;
}

/* Spaces, then a decimal number of at least one digit up to max: its end, or NULL. */
static inline const char *read_number(const char *p, uint64_t max, uint64_t *out)
{
    while (*p == ' ')
        p++;
    const char *digits = p;
    uint64_t v = 0;
    unsigned d;
    while ((d = (unsigned)(*p - '0')) < 10) {
        if (v > (max - d) / 10)
            return NULL;
        v = v * 10 + d;
        p++;
    }
    *out = v;
    return p == digits ? NULL : p;
}

/* Non-zero when [p, e) holds spaces only: eight at a time, then one at a time. */
static inline int all_spaces(const char *p, const char *e)
{
    const uint64_t spaces = 0x2020202020202020u;
    for (; e - p >= 8; p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        if (w != spaces)
            return 0;
    }
    for (; p < e; p++)
        if (*p != ' ')
            return 0;
    return 1;
}

/* The value of a line "Key:   123 kB" from p (after the colon) to eol (its newline or the end
 * of the text), in bytes (at most 64 bits of them). Read from the end of the line backwards: the
 * unit, the digits, then spaces only up to the colon. */
static inline int read_kb(const char *p, const char *eol, uint64_t *out)
{
    if (eol - p < 4 || eol[-3] != ' ' || eol[-2] != 'k' || eol[-1] != 'B')
        return MMAPC_EPARSE;
    const char *last = eol - 3, *d = last;
    while (d > p && (unsigned)(d[-1] - '0') < 10)
        d--;
    if (d == last || !all_spaces(p, d))
        return MMAPC_EPARSE;
    uint64_t v = 0;
    if (last - d < 17) { /* below 10^16 kB: no overflow of bytes */
        for (; d < last; d++)
            v = v * 10 + (unsigned)(*d - '0');
    } else if (read_number(d, UINT64_MAX / 1024, &v) != last) {
        return MMAPC_EPARSE;
    }
    *out = v * 1024;
    return 0;
}

/* "    0" up to the end of the line: a number that fits an int. */
static int read_int(const char **pp, const char *end, int *out)
{
    uint64_t v;
    const char *p = read_number(*pp, 0x7fffffff, &v);
    if (!p || !at_eol(p, end))
        return MMAPC_EPARSE;
    *pp = p;
    *out = (int)v;
    return 0;
}

/* " rd wr mr " up to the end of the line: two lowercase letters each, a space or the end after
 * each. A code this parser does not know (a later kernel's) is skipped. */
static int read_flags(const char **pp, const char *end, uint64_t *out)
{
    const char *p = *pp;
    uint64_t flags = 0;
    for (;;) {
        while (*p == ' ')
            p++;
        if (at_eol(p, end))
            break;
        unsigned a = (unsigned char)p[0], b = (unsigned char)p[1];
        if (a - 'a' >= 26 || b - 'a' >= 26 || !(p[2] == ' ' || at_eol(p + 2, end)))
            return MMAPC_EPARSE;
        int bit = vm_code_bit(a, b);
        if (bit >= 0)
            flags |= UINT64_C(1) << bit;
        p += 2;
    }
    *pp = p;
    *out = flags;
    return 0;
}

/* The index of the key [k, k + len), looked for from index from on; -1 for a key not in the
 * table. */
static int find_key(const char *k, size_t len, unsigned from)
{
    /* from the key expected next on: a kernel that leaves keys out prints the rest in order */
    for (unsigned j = 0; j < NKEYS; j++) {
        unsigned i = (from + j) % NKEYS;
        if (keys[i].len == len && memcmp(keys[i].name, k, len) == 0)
            return (int)i;
    }
    return -1;
}

/* One key line at *pp: parsed into u, *pp moved to the next line. The key the kernel prints
 * next is tried first, in place: in the usual listing that is the only comparison. */
static int parse_key_line(const char **pp, const char *end, mmapc_area_usage *u, unsigned *hint)
{
    const char *k = *pp, *nl = memchr(k, '\n', (size_t)(end - k));
    const char *eol = nl ? nl : end, *p;
    *pp = nl ? nl + 1 : end; /* the next line, whatever this one holds */
    int i = -1;
    unsigned h = *hint;
    if (h < NKEYS && (size_t)(eol - k) > keys[h].len && k[keys[h].len] == ':' &&
        memcmp(k, keys[h].name, keys[h].len) == 0) {
        i = (int)h;
        p = k + keys[h].len;
    } else {
        for (p = k; is_key_char((unsigned char)*p); p++)
            ;
        if (p == k || *p != ':')
            return MMAPC_EPARSE;
        i = find_key(k, (size_t)(p - k), h < NKEYS ? h : 0);
    }
    p++;       /* over the colon */
    if (i < 0) /* a key of a later kernel: skipped */
        return 0;
    uint64_t bit = UINT64_C(1) << i;
    if (u->known & bit)
        return MMAPC_EPARSE; /* the kernel never says a key twice */
    char *field = (char *)u + keys[i].off;
    int rc;
    switch (keys[i].kind) {
    case KEY_KB:
        rc = read_kb(p, eol, (uint64_t *)(void *)field);
        break;
    case KEY_INT:
        rc = read_int(&p, eol, (int *)(void *)field);
        break;
    default:
        rc = read_flags(&p, eol, (uint64_t *)(void *)field);
        break;
    }
    if (rc)
        return rc;
    u->known |= bit;
    *hint = (unsigned)i + 1;
    return 0;
}

/* Keys in every entry since Linux 2.6.x: an entry without them is not one the kernel wrote. */
#define ENTRY_NEEDS (MMAPC_USAGE_SIZE | MMAPC_USAGE_RSS)

/* The sums that do not depend on the platform: resident memory shared and private. */
static void derive(mmapc_area_usage *u)
{
    const uint64_t shared = MMAPC_USAGE_SHARED_CLEAN | MMAPC_USAGE_SHARED_DIRTY;
    const uint64_t priv = MMAPC_USAGE_PRIVATE_CLEAN | MMAPC_USAGE_PRIVATE_DIRTY;
    if ((u->known & shared) == shared) {
        u->resident_shared = u->shared_clean + u->shared_dirty;
        u->known |= MMAPC_USAGE_RESIDENT_SHARED;
    }
    if ((u->known & priv) == priv) {
        u->resident_private = u->private_clean + u->private_dirty;
        u->known |= MMAPC_USAGE_RESIDENT_PRIVATE;
    }
}

/* The kernel prints a kB line as its key and colon padded with spaces to 16 bytes (the key's
 * text in show_smap()), the value right-aligned in 8 (seq_put_decimal_ull_width), and " kB":
 * 28 bytes with the newline. Index: the key's in keys[]; zeros for keys that are not in kB (no
 * line begins with a zero byte). Read as two words. */
static const union {
    char text[16];
    uint64_t w[2];
} kb_prefix[NKEYS] = {
    {"Size:           "},
    {"KernelPageSize: "},
    {"MMUPageSize:    "},
    {"Rss:            "},
    {"Pss:            "},
    {"Pss_Dirty:      "},
    {"Pss_Anon:       "},
    {"Pss_File:       "},
    {"Pss_Shmem:      "},
    {"Shared_Clean:   "},
    {"Shared_Dirty:   "},
    {"Private_Clean:  "},
    {"Private_Dirty:  "},
    {"Referenced:     "},
    {"Anonymous:      "},
    {"KSM:            "},
    {"LazyFree:       "},
    {"AnonHugePages:  "},
    {"ShmemPmdMapped: "},
    {"FilePmdMapped:  "},
    {"Shared_Hugetlb: "},
    {"Private_Hugetlb:"},
    {"Swap:           "},
    {"SwapPss:        "},
    {"Locked:         "},
    {{0}},
    {{0}},
    {{0}},
};
#define KB_LINE 28
/* Keys the fast path looks at after the hint: smaps leaves out Pss_Anon, Pss_File, Pss_Shmem
 * (smaps_rollup only) and some kernels KSM, so the next key printed may be up to 3 on. */
#define KB_AHEAD 4

static inline uint64_t load8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* The index of the lowest byte of w (in memory order on a little-endian machine) that is not
 * zero; w is not 0. */
static inline unsigned first_set_byte(uint64_t w)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (unsigned)__builtin_ctzll(w) / 8;
#else
    unsigned char b[8];
    memcpy(b, &w, 8);
    unsigned i = 0;
    while (b[i] == 0)
        i++;
    return i;
#endif
}

/* A kB line at *pp in the kernel's exact layout, for one of the keys from *hint on: its value
 * stored, *pp and *hint moved on, 1. 0 for anything else, which the careful parse then reads
 * (nothing changed). */
static inline int fast_kb_line(const char **pp, const char *end, mmapc_area_usage *u,
                               unsigned *hint)
{
    const char *p = *pp;
    if (end - p < KB_LINE || memcmp(p + KB_LINE - 4, " kB\n", 4) != 0)
        return 0;
    uint64_t w0 = load8(p), w1 = load8(p + 8);
    unsigned i = *hint, stop_at = i + KB_AHEAD < NKEYS ? i + KB_AHEAD : NKEYS;
    while (i < stop_at && (w0 != kb_prefix[i].w[0] || w1 != kb_prefix[i].w[1]))
        i++;
    if (i == stop_at)
        return 0;
    uint64_t bit = UINT64_C(1) << i;
    if (u->known & bit)
        return 0; /* said twice: the careful parse refuses it */
    /* the value's 8 bytes: spaces, then digits (little-endian: the first byte lowest) */
    uint64_t lead = load8(p + 16) ^ UINT64_C(0x2020202020202020);
    if (lead == 0)
        return 0;
    const char *d = p + 16 + first_set_byte(lead), *last = p + KB_LINE - 4;
    uint64_t v = 0;
    for (; d < last; d++) {
        unsigned c = (unsigned)(*d - '0');
        if (c >= 10)
            return 0;
        v = v * 10 + c;
    }
    *(uint64_t *)(void *)((char *)u + keys[i].off) = v * 1024; /* 8 digits: no overflow */
    u->known |= bit;
    *hint = i + 1;
    *pp = p + KB_LINE;
    return 1;
}

static int parse_keys(const char *p, const char *end, mmapc_area_usage *u, const char **next)
{
    memset(u, 0, sizeof *u);
    unsigned hint = 0;
    int rc = 0;
    while (p < end) {
        if (fast_kb_line(&p, end, u, &hint))
            continue;
        if (mmapc__smaps_is_header(p))
            break;
        rc = parse_key_line(&p, end, u, &hint);
        if (rc)
            break; /* p is past the line: *next moves on */
    }
    *next = p;
    if (rc)
        return rc;
    derive(u);
    return 0;
}

int mmapc__smaps_parse_body(const char *p, const char *end, mmapc_area_usage *u, const char **next)
{
    int rc = parse_keys(p, end, u, next);
    if (rc == 0 && (u->known & ENTRY_NEEDS) != ENTRY_NEEDS)
        rc = MMAPC_EPARSE;
    return rc;
}

int mmapc__smaps_parse_rollup(const char *buf, size_t len, mmapc_area_usage *u)
{
    const char *end = buf + len, *next;
    if (len == 0) { /* a process without areas */
        memset(u, 0, sizeof *u);
        return 0;
    }
    const char *nl = memchr(buf, '\n', len);
    mmapc_area header;
    if (!nl || mmapc__maps_parse_line(buf, (size_t)(nl - buf), &header) != 0)
        return MMAPC_EPARSE;
    mmapc_area_usage t;
    int rc = parse_keys(nl + 1, end, &t, &next);
    if (rc == 0 && (next != end || !(t.known & MMAPC_USAGE_RSS)))
        rc = MMAPC_EPARSE; /* one header only, and Rss at least */
    if (rc == 0)
        *u = t;
    return rc;
}

void mmapc__usage_add(mmapc_area_usage *sum, const mmapc_area_usage *a)
{
    for (unsigned i = 0; i < 25; i++)
        if (MMAPC__USAGE_SUMMED & (UINT64_C(1) << i))
            *(uint64_t *)(void *)((char *)sum + keys[i].off) +=
                *(const uint64_t *)(const void *)((const char *)a + keys[i].off);
    sum->resident_shared += a->resident_shared;
    sum->resident_private += a->resident_private;
    sum->known &= a->known & MMAPC__USAGE_SUMMED;
}

/* ---- the portable side ---- */

/* A query's smaps is read in chunks of this size; the buffer grows for a longer entry. */
#define QUERY_CHUNK 65536
/* The room a read needs at least; below it the buffer doubles. */
#define READ_ROOM 4096
/* A query asks again this many times when the area changed between the query and smaps. */
#define QUERY_TRIES 4
/* The name buffer of a query with usage: the longest name Linux reports, and its NUL. */
#define NAME_CAP 4097

/* Make room for READ_ROOM more bytes and the terminator in *buf. */
static int make_room(char **buf, size_t *cap, size_t len)
{
    if (*cap - len >= READ_ROOM)
        return 0;
    char *nb = realloc(*buf, *cap * 2);
    if (!nb)
        return mmapc__fail(MMAPC_ENOMEM);
    *buf = nb;
    *cap *= 2;
    return 0;
}

/*
 * The smaps entry of the first area that ends above addr, read up to the entry after it and no
 * further: *start and *end get its bounds, *u its use. MMAPC_ENOTFOUND when there is none.
 * Lines before the entry are dropped as they are passed, so the buffer holds about one entry.
 */
static int smaps_entry_at(mmapc__proc *os, uint64_t addr, uint64_t *start, uint64_t *end,
                          mmapc_area_usage *u)
{
    mmapc__text t;
    int rc = mmapc__os_usage_open(os, MMAPC__SMAPS, &t);
    if (rc)
        return rc;
    size_t cap = QUERY_CHUNK, len = 0, scan = 0, body = 0, stop = 0;
    bool found = false, eof = false;
    char *buf = malloc(cap);
    rc = buf ? MMAPC_ENOTFOUND : mmapc__fail(MMAPC_ENOMEM);
    while (buf && !eof && !stop) {
        size_t got;
        int r = make_room(&buf, &cap, len);
        if (!r)
            r = mmapc__os_text_read(&t, buf + len, cap - len - 1, &got);
        if (r) {
            rc = r;
            break;
        }
        eof = got == 0;
        len += got;
        buf[len] = '\0';
        while (scan < len) { /* whole lines only, or the last one at the end */
            char *line = buf + scan, *nl = memchr(line, '\n', len - scan);
            if (!nl && !eof)
                break;
            size_t n = nl ? (size_t)(nl - line) : len - scan;
            if (mmapc__smaps_is_header(line)) {
                if (found) {
                    stop = scan; /* the next entry's header ends ours */
                    break;
                }
                mmapc_area a;
                if (mmapc__maps_parse_line(line, n, &a) != 0) {
                    rc = mmapc__fail(MMAPC_EPARSE);
                    goto out;
                }
                if (a.end > addr) {
                    found = true;
                    *start = a.start;
                    *end = a.end;
                    body = scan + n + (nl != NULL);
                }
            }
            scan += n + (nl != NULL);
        }
        if (!found) { /* drop what was passed */
            memmove(buf, buf + scan, len - scan);
            len -= scan;
            scan = 0;
        }
    }
    if (rc != MMAPC_ENOTFOUND) /* a read failed */
        goto out;
    if (found) {
        const char *next;
        size_t e = stop ? stop : len;
        buf[e] = '\0';
        rc = mmapc__smaps_parse_body(buf + body, buf + e, u, &next) ? mmapc__fail(MMAPC_EPARSE) : 0;
    } else {
        rc = mmapc__fail(MMAPC_ENOTFOUND);
    }
out:
    mmapc__os_text_close(&t);
    free(buf);
    return rc;
}

int mmapc_proc_query_usage(mmapc_proc *proc, uint64_t addr, mmapc_area *out, char *path_buf,
                           size_t path_size, mmapc_area_usage *usage)
{
    if (!proc || !out || !usage || (!path_buf && path_size))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    /* the name goes to the caller's buffer only on success */
    char name[NAME_CAP];
    for (int i = 0; i < QUERY_TRIES; i++) {
        mmapc_area a;
        mmapc_area_usage u;
        int rc = mmapc_proc_query(proc, addr, &a, name, sizeof name);
        if (rc)
            return rc;
        rc = mmapc__os_area_usage(proc->os, a.start, a.end, &u);
        if (rc == MMAPC_EUNSUPPORTED) { /* the system has a text listing instead */
            uint64_t s = 0, e = 0;
            rc = smaps_entry_at(proc->os, addr, &s, &e, &u);
            if (rc == MMAPC_ENOTFOUND || (rc == 0 && (s != a.start || e != a.end)))
                continue; /* the area changed between the two reads */
        }
        if (rc)
            return rc;
        *out = a;
        *usage = u;
        if (path_size) {
            size_t n = a.path_len < path_size ? a.path_len : path_size - 1;
            n = n < sizeof name - 1 ? n : sizeof name - 1;
            memcpy(path_buf, name, n);
            path_buf[n] = '\0';
            out->path = path_buf;
        } else {
            out->path = "";
        }
        return 0;
    }
    return mmapc__fail(MMAPC_EBUSY);
}

/* The totals as the sum over every area, where the system has no totals of its own. */
static int sum_areas(mmapc_proc *proc, mmapc_area_usage *out)
{
    mmapc_areas *it;
    int rc = mmapc_proc_areas_usage(&it, proc, 0, UINT64_MAX);
    if (rc)
        return rc;
    mmapc_area_usage sum, u;
    memset(&sum, 0, sizeof sum);
    sum.known = MMAPC__USAGE_SUMMED;
    mmapc_area a;
    bool any = false;
    while ((rc = mmapc_areas_next(it, &a)) == 1 && (rc = mmapc_areas_usage(it, &u)) == 0) {
        mmapc__usage_add(&sum, &u);
        any = true;
    }
    mmapc_areas_close(it);
    if (rc < 0)
        return rc;
    if (!any)
        sum.known = 0;
    *out = sum;
    return 0;
}

int mmapc_proc_usage_totals(mmapc_proc *proc, mmapc_area_usage *out)
{
    if (!proc || !out)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    mmapc__text t;
    int rc = mmapc__os_usage_open(proc->os, MMAPC__SMAPS_ROLLUP, &t);
    if (rc == MMAPC_EUNSUPPORTED)
        return sum_areas(proc, out);
    if (rc)
        return rc;
    size_t cap = 2 * READ_ROOM, len = 0, got = 0; /* the rollup is some 1,000 bytes */
    char *buf = malloc(cap);
    rc = buf ? 0 : mmapc__fail(MMAPC_ENOMEM);
    while (!rc) {
        rc = make_room(&buf, &cap, len);
        if (!rc)
            rc = mmapc__os_text_read(&t, buf + len, cap - len - 1, &got);
        if (rc || got == 0)
            break;
        len += got;
    }
    mmapc__os_text_close(&t);
    if (!rc) {
        mmapc_area_usage u;
        buf[len] = '\0';
        rc = mmapc__smaps_parse_rollup(buf, len, &u) ? mmapc__fail(MMAPC_EPARSE) : 0;
        if (!rc)
            *out = u;
    }
    free(buf);
    return rc;
}
