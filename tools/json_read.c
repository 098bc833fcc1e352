// SPDX-License-Identifier: MIT
/* A snapshot read back from the tool's own JSON (`mmapc --json areas [-x] PID > A.json`), for
 * `mmapc diff`. The reader is strict: RFC 8259 JSON only (no comments, no trailing commas, no
 * bytes that are not UTF-8), nesting at most 64 deep, a file of at most 1 GiB, and then an array
 * of area objects whose fields have the types the tool writes. Anything else is an error that
 * names the line and column, never a guess. Fields the reader does not know are checked as JSON
 * and passed over, so that a snapshot of a later version still reads. */
#include "tool.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64 };
#define MAX_FILE ((size_t)1 << 30)

typedef struct reader {
    const char *path;
    const char *text, *p, *end;
    char *str; /* the last string read, decoded, NUL-terminated */
    size_t str_len, str_cap;
    int failed;
} reader;

static int fail(reader *r, const char *where, const char *fmt, ...)
{
    if (r->failed)
        return -1;
    r->failed = 1;
    size_t line = 1, col = 1;
    for (const char *q = r->text; q < where && q < r->end; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    fprintf(stderr, "mmapc: %s: line %zu, column %zu: ", r->path, line, col);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static void skip_ws(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int str_put(reader *r, const char *s, size_t n)
{
    if (r->str_len + n + 1 > r->str_cap) {
        size_t cap = r->str_cap ? r->str_cap : 256;
        while (cap < r->str_len + n + 1)
            cap *= 2;
        char *q = realloc(r->str, cap);
        if (!q)
            return fail(r, r->p, "out of memory");
        r->str = q;
        r->str_cap = cap;
    }
    memcpy(r->str + r->str_len, s, n);
    r->str_len += n;
    r->str[r->str_len] = '\0';
    return 0;
}

static int hex4(reader *r, const char *at, unsigned *out)
{
    unsigned v = 0;
    if (r->end - at < 4)
        return fail(r, at, "a \\u escape needs four hexadecimal digits");
    for (int i = 0; i < 4; i++) {
        char c = at[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return fail(r, at + i, "a \\u escape needs four hexadecimal digits");
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return 0;
}

static int put_utf8(reader *r, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80)
        u[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
        u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    else
        u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    return str_put(r, u, n);
}

/* A string (at the opening quote), decoded into r->str. */
static int read_string(reader *r)
{
    r->str_len = 0;
    if (str_put(r, "", 0))
        return -1;
    r->p++; /* the quote */
    for (;;) {
        const char *run = r->p;
        while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20 &&
               (unsigned char)*r->p < 0x80)
            r->p++;
        if (r->p > run && str_put(r, run, (size_t)(r->p - run)))
            return -1;
        if (r->p >= r->end)
            return fail(r, r->p, "a string without its closing quote");
        unsigned char c = (unsigned char)*r->p;
        if (c == '"') {
            r->p++;
            return 0;
        }
        if (c < 0x20)
            return fail(r, r->p, "a control character in a string (it must be escaped)");
        if (c >= 0x80) {
            size_t n = utf8_len((const unsigned char *)r->p, (size_t)(r->end - r->p));
            if (!n)
                return fail(r, r->p, "bytes that are not UTF-8");
            if (str_put(r, r->p, n))
                return -1;
            r->p += n;
            continue;
        }
        /* an escape */
        const char *at = r->p++;
        if (r->p >= r->end)
            return fail(r, at, "a string without its closing quote");
        char e = *r->p++;
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char decoded[] = "\"\\/\b\f\n\r\t";
            if (str_put(r, &decoded[simple - "\"\\/bfnrt"], 1))
                return -1;
            continue;
        }
        if (e != 'u')
            return fail(r, at, "an unknown escape '\\%c'", e);
        unsigned cp, lo;
        if (hex4(r, r->p, &cp))
            return -1;
        r->p += 4;
        if (cp >= 0xdc00 && cp <= 0xdfff)
            return fail(r, at, "a lone low surrogate");
        if (cp >= 0xd800 && cp <= 0xdbff) {
            if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
                return fail(r, at, "a high surrogate without its low one");
            if (hex4(r, r->p + 2, &lo))
                return -1;
            if (lo < 0xdc00 || lo > 0xdfff)
                return fail(r, at, "a high surrogate without its low one");
            r->p += 6;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        }
        if (put_utf8(r, cp))
            return -1;
    }
}

/* A number's text (RFC 8259 grammar), at r->p; *integer is set when it has no fraction and no
 * exponent. */
static int read_number(reader *r, const char **start, size_t *len, int *integer)
{
    const char *s = r->p, *q = r->p;
    *integer = 1;
    if (q < r->end && *q == '-')
        q++;
    if (q >= r->end || !(*q >= '0' && *q <= '9'))
        return fail(r, s, "a bad number");
    if (*q == '0')
        q++;
    else
        while (q < r->end && *q >= '0' && *q <= '9')
            q++;
    if (q < r->end && *q == '.') {
        *integer = 0;
        q++;
        if (q >= r->end || !(*q >= '0' && *q <= '9'))
            return fail(r, s, "a bad number");
        while (q < r->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < r->end && (*q == 'e' || *q == 'E')) {
        *integer = 0;
        q++;
        if (q < r->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= r->end || !(*q >= '0' && *q <= '9'))
            return fail(r, s, "a bad number");
        while (q < r->end && *q >= '0' && *q <= '9')
            q++;
    }
    *start = s;
    *len = (size_t)(q - s);
    r->p = q;
    return 0;
}

static int literal(reader *r, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return fail(r, r->p, "not JSON: expected a value");
    r->p += n;
    return 0;
}

/* Any value, checked and passed over. */
static int skip_value(reader *r, int depth)
{
    skip_ws(r);
    if (r->p >= r->end)
        return fail(r, r->p, "the document ends where a value should be");
    const char *num;
    size_t len;
    int integer;
    switch (*r->p) {
    case '"':
        return read_string(r);
    case 't':
        return literal(r, "true");
    case 'f':
        return literal(r, "false");
    case 'n':
        return literal(r, "null");
    case '[':
    case '{': {
        char close = *r->p == '[' ? ']' : '}';
        if (depth >= MAX_DEPTH)
            return fail(r, r->p, "nested more than %d deep", MAX_DEPTH);
        r->p++;
        skip_ws(r);
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return 0;
        }
        for (;;) {
            if (close == '}') {
                skip_ws(r);
                if (r->p >= r->end || *r->p != '"')
                    return fail(r, r->p, "expected a member name in quotes");
                if (read_string(r))
                    return -1;
                skip_ws(r);
                if (r->p >= r->end || *r->p != ':')
                    return fail(r, r->p, "expected ':'");
                r->p++;
            }
            if (skip_value(r, depth + 1))
                return -1;
            skip_ws(r);
            if (r->p < r->end && *r->p == ',') {
                r->p++;
                continue;
            }
            if (r->p < r->end && *r->p == close) {
                r->p++;
                return 0;
            }
            return fail(r, r->p, "expected ',' or '%c'", close);
        }
    }
    default:
        return read_number(r, &num, &len, &integer);
    }
}

/* ---- the snapshot's fields ---- */

static int want(reader *r, char c, const char *what)
{
    skip_ws(r);
    if (r->p >= r->end || *r->p != c)
        return fail(r, r->p, "expected %s", what);
    r->p++;
    return 0;
}

static int get_string(reader *r, const char *key)
{
    skip_ws(r);
    if (r->p >= r->end || *r->p != '"')
        return fail(r, r->p, "\"%s\" must be a string", key);
    return read_string(r);
}

static int get_bool(reader *r, const char *key, int *out)
{
    skip_ws(r);
    if (r->end - r->p >= 4 && memcmp(r->p, "true", 4) == 0) {
        r->p += 4;
        *out = 1;
        return 0;
    }
    if (r->end - r->p >= 5 && memcmp(r->p, "false", 5) == 0) {
        r->p += 5;
        *out = 0;
        return 0;
    }
    return fail(r, r->p, "\"%s\" must be true or false", key);
}

/* An integer in [min, max] (min < 0 allows negatives). */
static int get_int(reader *r, const char *key, int64_t min, uint64_t max, uint64_t *out)
{
    skip_ws(r);
    const char *at = r->p, *s;
    size_t len;
    int integer;
    if (r->p >= r->end || !(*r->p == '-' || (*r->p >= '0' && *r->p <= '9')))
        return fail(r, at, "\"%s\" must be a number", key);
    if (read_number(r, &s, &len, &integer))
        return -1;
    if (!integer)
        return fail(r, at, "\"%s\" must be a whole number", key);
    int neg = s[0] == '-';
    uint64_t v = 0;
    for (size_t i = (size_t)neg; i < len; i++) {
        if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
            return fail(r, at, "\"%s\" is out of range", key);
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (neg ? (min >= 0 || v > (uint64_t)0 - (uint64_t)min) : v > max)
        return fail(r, at, "\"%s\" is out of range", key);
    *out = neg ? (uint64_t)0 - v : v;
    return 0;
}

/* "0x..." as the tool writes addresses. */
static int get_addr(reader *r, const char *key, uint64_t *out)
{
    const char *at = r->p;
    if (get_string(r, key))
        return -1;
    const char *s = r->str;
    uint64_t v = 0;
    if (s[0] != '0' || s[1] != 'x' || !s[2])
        return fail(r, at, "\"%s\" must be an address such as \"0x7f0000\"", key);
    for (s += 2; *s; s++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
        if (d < 0 || v > (UINT64_MAX >> 4))
            return fail(r, at, "\"%s\" must be an address such as \"0x7f0000\"", key);
        v = v * 16 + (uint64_t)d;
    }
    *out = v;
    return 0;
}

/* Hex text in r->str to bytes, in place; returns the count, or -1. */
static long unhex(reader *r, const char *at, const char *key, size_t max)
{
    size_t n = r->str_len;
    if (n % 2 || n / 2 > max)
        return fail(r, at, "\"%s\" must be hexadecimal bytes", key);
    for (size_t i = 0; i < n; i += 2) {
        int v = 0;
        for (size_t k = i; k < i + 2; k++) {
            char c = r->str[k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                return fail(r, at, "\"%s\" must be hexadecimal bytes", key);
            v = v * 16 + d;
        }
        r->str[i / 2] = (char)v;
    }
    return (long)(n / 2);
}

static int vm_flags(reader *r, uint64_t *out)
{
    *out = 0;
    if (want(r, '[', "\"vm_flags\" as a list of names"))
        return -1;
    skip_ws(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
        return 0;
    }
    for (;;) {
        if (get_string(r, "vm_flags"))
            return -1;
        for (int bit = 0; bit < 64; bit++) { /* a name this library does not know: passed over */
            const char *name = mmapc_vm_flag_name(UINT64_C(1) << bit);
            if (name && strcmp(name, r->str) == 0)
                *out |= UINT64_C(1) << bit;
        }
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        return want(r, ']', "',' or ']'");
    }
}

enum {
    F_START = 1,
    F_END = 2,
    F_PERMS = 4,
    F_PATH = 8,
    F_SIZE = 16,
    F_KIND = 32,
    F_BUILD_ID = 64,
    F_REQUIRED = F_START | F_END | F_PERMS | F_PATH
};

/* One member of an area object; path and path_hex receive copies of the paths. */
static int member(reader *r, const char *key, tool_area *t, unsigned *seen, char **path,
                  char **path_hex, size_t *hex_len, uint64_t *size)
{
    const char *at = r->p;
    uint64_t v = 0;
    int b = 0, c;
    if (strcmp(key, "start") == 0) {
        *seen |= F_START;
        return get_addr(r, key, &t->a.start);
    }
    if (strcmp(key, "end") == 0) {
        *seen |= F_END;
        return get_addr(r, key, &t->a.end);
    }
    if (strcmp(key, "size") == 0) {
        *seen |= F_SIZE;
        return get_int(r, key, 0, UINT64_MAX, size);
    }
    if (strcmp(key, "perms") == 0) {
        *seen |= F_PERMS;
        if (get_string(r, key))
            return -1;
        const char *p = r->str;
        if (r->str_len != 4 || (p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
            (p[2] != 'x' && p[2] != '-') || (p[3] != 'p' && p[3] != 's'))
            return fail(r, at, "\"perms\" must be four letters such as \"rw-p\"");
        t->a.prot = (p[0] == 'r' ? MMAPC_PROT_READ : 0) | (p[1] == 'w' ? MMAPC_PROT_WRITE : 0) |
                    (p[2] == 'x' ? MMAPC_PROT_EXEC : 0);
        t->a.shared = p[3] == 's';
        return 0;
    }
    if (strcmp(key, "offset") == 0 || strcmp(key, "inode") == 0) {
        if (get_int(r, key, 0, UINT64_MAX, &v))
            return -1;
        *(key[0] == 'o' ? &t->a.offset : &t->a.inode) = v;
        return 0;
    }
    if (strcmp(key, "dev_major") == 0 || strcmp(key, "dev_minor") == 0) {
        if (get_int(r, key, 0, UINT32_MAX, &v))
            return -1;
        *(strcmp(key, "dev_major") == 0 ? &t->a.dev_major : &t->a.dev_minor) = (uint32_t)v;
        return 0;
    }
    if (strcmp(key, "kind") == 0) {
        *seen |= F_KIND;
        if (get_string(r, key))
            return -1;
        for (int k = MMAPC_AREA_ANON; k <= MMAPC_AREA_OTHER_PSEUDO; k++)
            if (strcmp(r->str, mmapc_area_kind_name((mmapc_area_kind)k)) == 0) {
                t->a.kind = (mmapc_area_kind)k;
                return 0;
            }
        return fail(r, at, "unknown kind \"%s\"", r->str);
    }
    if (strcmp(key, "deleted") == 0) {
        if (get_bool(r, key, &b))
            return -1;
        t->a.deleted = b;
        return 0;
    }
    if (strcmp(key, "path") == 0 || strcmp(key, "path_hex") == 0) {
        int hex = key[4] == '_';
        if (get_string(r, key))
            return -1;
        long n = r->str_len;
        if (hex && (n = unhex(r, at, key, SIZE_MAX)) < 0)
            return -1;
        if (memchr(r->str, '\0', (size_t)n))
            return fail(r, at, "a path holding a NUL byte");
        char *copy = malloc((size_t)n + 1);
        if (!copy)
            return fail(r, at, "out of memory");
        memcpy(copy, r->str, (size_t)n);
        copy[n] = '\0';
        char **slot = hex ? path_hex : path;
        free(*slot);
        *slot = copy;
        if (hex)
            *hex_len = (size_t)n;
        else
            *seen |= F_PATH;
        return 0;
    }
    if (strcmp(key, "build_id") == 0) {
        *seen |= F_BUILD_ID;
        skip_ws(r);
        if (r->p < r->end && *r->p == 'n')
            return literal(r, "null");
        if (get_string(r, key))
            return -1;
        long n = unhex(r, at, key, MMAPC_BUILD_ID_MAX);
        if (n < 0)
            return -1;
        t->bid.size = (size_t)n;
        memcpy(t->bid.bytes, r->str, (size_t)n);
        return 0;
    }
    if (strcmp(key, "vm_flags") == 0) {
        t->u.known |= MMAPC_USAGE_VM_FLAGS;
        return vm_flags(r, &t->u.vm_flags);
    }
    if ((c = usage_col_find(key)) >= 0 && strcmp(key, usage_cols[c].json) == 0) {
        const usage_col *col = &usage_cols[c];
        if (get_int(r, key, col->is_int ? INT32_MIN : 0, col->is_int ? INT32_MAX : UINT64_MAX, &v))
            return -1;
        char *field = (char *)&t->u + col->offset;
        if (col->is_int) {
            int iv = (int)(int64_t)v;
            memcpy(field, &iv, sizeof iv);
        } else {
            memcpy(field, &v, sizeof v);
        }
        t->u.known |= col->bit;
        return 0;
    }
    return skip_value(r, 2); /* a field of a later version */
}

static int area_object(reader *r, tool_snapshot *s)
{
    const char *at = r->p;
    tool_area t;
    memset(&t, 0, sizeof t);
    unsigned seen = 0;
    char *path = NULL, *path_hex = NULL, key[32];
    size_t hex_len = 0;
    uint64_t size = 0;
    int rc = -1;
    if (want(r, '{', "an area: an object"))
        return -1;
    skip_ws(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        fail(r, at, "an area without \"start\", \"end\", \"perms\" and \"path\"");
        return -1;
    }
    for (;;) {
        skip_ws(r);
        if (r->p >= r->end || *r->p != '"') {
            fail(r, r->p, "expected a member name in quotes");
            goto out;
        }
        if (read_string(r))
            goto out;
        /* a name too long for any known member, or holding a NUL byte, is none of them */
        int known = r->str_len < sizeof key && strlen(r->str) == r->str_len;
        snprintf(key, sizeof key, "%s", known ? r->str : "");
        if (want(r, ':', "':'") || member(r, key, &t, &seen, &path, &path_hex, &hex_len, &size))
            goto out;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (want(r, '}', "',' or '}'"))
            goto out;
        break;
    }
    if ((seen & F_REQUIRED) != F_REQUIRED) {
        fail(r, at, "an area without \"start\", \"end\", \"perms\" and \"path\"");
        goto out;
    }
    if (t.a.end <= t.a.start || ((seen & F_SIZE) && size != t.a.end - t.a.start)) {
        fail(r, at, "an area whose start, end and size do not agree");
        goto out;
    }
    if (!(seen & F_KIND))
        t.a.kind = path[0] ? MMAPC_AREA_FILE : MMAPC_AREA_ANON;
    t.a.path = path_hex ? path_hex : path;
    if (path_hex && strlen(path_hex) != hex_len) {
        fail(r, at, "a path holding a NUL byte");
        goto out;
    }
    if (t.u.known)
        t.u.known |= MMAPC_USAGE_SIZE, t.u.size = t.a.end - t.a.start;
    if (tool_snapshot_add(s, &t.a, &t.u)) {
        fail(r, at, "out of memory");
        goto out;
    }
    s->v[s->n - 1].bid = t.bid;
    if (t.u.known)
        s->has_usage = 1;
    if (seen & F_BUILD_ID) /* (written with --build-id: null or the ID) */
        s->has_build_id = 1;
    rc = 0;
out:
    free(path);
    free(path_hex);
    return rc;
}

static int parse(reader *r, tool_snapshot *s)
{
    if (r->end - r->p >= 3 && memcmp(r->p, "\xef\xbb\xbf", 3) == 0)
        return fail(r, r->p, "a byte order mark (JSON has none)");
    skip_ws(r);
    if (r->p < r->end && *r->p == '{')
        return fail(r, r->p,
                    "one area (as `mmapc --json query` prints), not a snapshot: an array "
                    "of areas (`mmapc --json areas`)");
    if (want(r, '[', "an array of areas (as `mmapc --json areas` prints)"))
        return -1;
    skip_ws(r);
    if (r->p < r->end && *r->p == ']') {
        r->p++;
    } else {
        for (;;) {
            if (area_object(r, s))
                return -1;
            skip_ws(r);
            if (r->p < r->end && *r->p == ',') {
                r->p++;
                continue;
            }
            if (want(r, ']', "',' or ']'"))
                return -1;
            break;
        }
    }
    skip_ws(r);
    if (r->p != r->end)
        return fail(r, r->p, "more after the end of the snapshot");
    return 0;
}

static int read_file(const char *path, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mmapc: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    const char *why = buf ? NULL : "out of memory";
    while (!why) {
        if (n == cap) {
            char *q = cap < MAX_FILE ? realloc(buf, cap * 2) : NULL;
            if (!q) {
                why = cap < MAX_FILE ? "out of memory" : "larger than 1 GiB, not a snapshot";
                break;
            }
            buf = q;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0 && ferror(f))
            why = strerror(errno);
        else if (got == 0)
            break;
    }
    if (f != stdin)
        fclose(f);
    if (why) {
        fprintf(stderr, "mmapc: %s: %s\n", path, why);
        free(buf);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

static int by_start(const void *x, const void *y)
{
    const tool_area *a = x, *b = y;
    return a->a.start < b->a.start ? -1 : a->a.start > b->a.start;
}

int tool_snapshot_load(tool_snapshot *s, const char *path)
{
    *s = (tool_snapshot){0};
    char *text;
    size_t len;
    if (read_file(path, &text, &len))
        return EXIT_FAILED;
    reader r = {.path = path, .text = text, .p = text, .end = text + len};
    int rc = parse(&r, s);
    free(r.str);
    free(text);
    if (rc) {
        tool_snapshot_free(s);
        return EXIT_FAILED;
    }
    tool_snapshot_fix_paths(s);
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, by_start);
    for (size_t i = 1; i < s->n; i++)
        if (s->v[i].a.start < s->v[i - 1].a.end) {
            fprintf(stderr, "mmapc: %s: not a snapshot: areas 0x%llx and 0x%llx overlap\n", path,
                    (unsigned long long)s->v[i - 1].a.start, (unsigned long long)s->v[i].a.start);
            tool_snapshot_free(s);
            return EXIT_FAILED;
        }
    return EXIT_OK;
}
