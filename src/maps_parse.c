// SPDX-License-Identifier: MIT
/* Parser of one /proc/<pid>/maps line: hand-written, in place, no sscanf, no allocation. */
#include "maps_parse.h"

#include <string.h>

static const char deleted_suffix[] = MMAPC__DELETED_SUFFIX;
#define DELETED_LEN MMAPC__DELETED_LEN

/* Hex digit values plus one, so that the zero of every other byte means "not a digit": a table
 * look-up instead of branches, since a line has some 40 hex digits. */
static const unsigned char hex_table[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * The fixed fields are read without a bounds check per character: the byte after the line is
 * '\n' or '\0' (see maps_parse.h), which matches no digit and no expected separator, so every
 * step stops at the end of the line at the latest.
 */

/* More than 16 hex digits from first to s: an overflow, unless it is leading zeros. */
static int hex_too_long(const char *first, const char *s)
{
    while (*first == '0')
        first++;
    return s - first > 16;
}

/* Read a hex number of at least one digit that fits in max; *p advances past it. Digits are
 * shifted in unchecked; the count of significant digits guards against overflow. */
static inline int read_hex(const char **p, uint64_t max, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    unsigned d;
    while ((d = hex_table[(unsigned char)*s]) != 0) {
        v = (v << 4) | (d - 1);
        s++;
    }
    if (s == *p || v > max || (s - *p > 16 && hex_too_long(*p, s)))
        return -1;
    *p = s;
    *out = v;
    return 0;
}

/* Read a decimal number of at least one digit that fits in 64 bits. */
static int read_dec(const char **p, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    unsigned d;
    /* 19 digits cannot overflow; only a 20th needs the careful step */
    while ((d = (unsigned)(*s - '0')) < 10 && s - *p < 19) {
        v = v * 10 + d;
        s++;
    }
    while ((d = (unsigned)(*s - '0')) < 10) {
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
        s++;
    }
    if (s == *p)
        return -1;
    *p = s;
    *out = v;
    return 0;
}

static int expect(const char **p, char c)
{
    if (**p != c)
        return -1;
    (*p)++;
    return 0;
}

/* One permission letter: the letter itself or '-'. */
static int perm(const char **p, char letter, unsigned bit, unsigned *prot)
{
    if (**p == letter)
        *prot |= bit;
    else if (**p != '-')
        return -1;
    (*p)++;
    return 0;
}

static int prefix(const char *s, size_t len, const char *pre)
{
    size_t n = strlen(pre);
    return len >= n && memcmp(s, pre, n) == 0;
}

static int equals(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

static mmapc_area_kind pseudo_kind(const char *s, size_t len)
{
    if (equals(s, len, "[heap]"))
        return MMAPC_AREA_HEAP;
    /* "[stack:TID]" is how kernels before 4.5 named thread stacks */
    if (equals(s, len, "[stack]") || prefix(s, len, "[stack:"))
        return MMAPC_AREA_STACK;
    if (equals(s, len, "[vdso]"))
        return MMAPC_AREA_VDSO;
    if (equals(s, len, "[vvar]") || equals(s, len, "[vvar_vclock]"))
        return MMAPC_AREA_VVAR;
    if (equals(s, len, "[vsyscall]") || equals(s, len, "[vectors]"))
        return MMAPC_AREA_VSYSCALL;
    if (prefix(s, len, "[anon:"))
        return MMAPC_AREA_ANON_NAMED;
    if (prefix(s, len, "[anon_shmem:"))
        return MMAPC_AREA_ANON_SHMEM;
    return MMAPC_AREA_OTHER_PSEUDO;
}

void mmapc__area_classify(const char *name, size_t len, mmapc_area *out)
{
    out->deleted = 0;
    out->path_len = len;
    if (len == 0) {
        out->kind = MMAPC_AREA_ANON;
    } else if (len >= 2 && name[0] == '[' && name[len - 1] == ']') {
        out->kind = pseudo_kind(name, len);
    } else {
        out->kind = MMAPC_AREA_FILE;
        if (len > DELETED_LEN &&
            memcmp(name + len - DELETED_LEN, deleted_suffix, DELETED_LEN) == 0) {
            out->deleted = 1;
            out->path_len = len - DELETED_LEN;
        }
    }
}

/* The fixed fields, up to the inode, into *out; returns what follows them, or NULL. */
static const char *parse_fields(const char *line, mmapc_area *out)
{
    const char *p = line;
    uint64_t start, stop, offset, major, minor, inode;
    unsigned prot = 0;
    if (read_hex(&p, UINT64_MAX, &start) || expect(&p, '-') || read_hex(&p, UINT64_MAX, &stop) ||
        expect(&p, ' ') || start >= stop)
        return NULL;
    if (perm(&p, 'r', MMAPC_PROT_READ, &prot) || perm(&p, 'w', MMAPC_PROT_WRITE, &prot) ||
        perm(&p, 'x', MMAPC_PROT_EXEC, &prot) || (*p != 'p' && *p != 's'))
        return NULL;
    out->shared = *p++ == 's';
    if (expect(&p, ' ') || read_hex(&p, UINT64_MAX, &offset) || expect(&p, ' ') ||
        read_hex(&p, UINT32_MAX, &major) || expect(&p, ':') || read_hex(&p, UINT32_MAX, &minor) ||
        expect(&p, ' ') || read_dec(&p, &inode))
        return NULL;
    out->start = start;
    out->end = stop;
    out->allocation_base = start;
    out->prot = prot;
    out->offset = offset;
    out->dev_major = (uint32_t)major;
    out->dev_minor = (uint32_t)minor;
    out->inode = inode;
    return p;
}

/* The name in [p, end), after the fields: a run of padding spaces, then the name, if any
 * (anonymous lines may end in one space). */
static int parse_name(const char *p, const char *end, mmapc_area *out)
{
    if (p != end && *p != ' ')
        return MMAPC_EPARSE;
    while (p != end && *p == ' ')
        p++;
    size_t name_len = (size_t)(end - p);
    if (name_len && memchr(p, '\0', name_len) != NULL)
        return MMAPC_EPARSE; /* the kernel never prints NUL; a C string could not hold it */
    out->path = p;
    mmapc__area_classify(p, name_len, out);
    return 0;
}

int mmapc__maps_parse_line(const char *line, size_t len, mmapc_area *out)
{
    if (line[len] != '\n' && line[len] != '\0')
        return MMAPC_EPARSE; /* the caller broke the contract; nothing safe to do */
    /* the field scans stop at line[len] at the latest, and at any newline before it */
    const char *p = parse_fields(line, out);
    return p ? parse_name(p, line + len, out) : MMAPC_EPARSE;
}

int mmapc__maps_parse_next(const char *line, const char *end, mmapc_area *out, const char **next)
{
    const char *p = parse_fields(line, out);
    const char *nl = p ? memchr(p, '\n', (size_t)(end - p)) : NULL;
    *next = nl ? nl + 1 : end;
    if (!p)
        return MMAPC_EPARSE;
    return parse_name(p, nl ? nl : end, out);
}
