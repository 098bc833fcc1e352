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

__attribute__((noinline)) static mmapc_area_kind pseudo_kind(const char *s, size_t len)
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

/*
 * The fast path, where SSE2 is (every x86-64): the layout the kernel prints for nearly every
 * line, with the fields at fixed places, checked and converted 16 bytes at a time. The byte
 * loops above carry each number through a chain of dependent steps, about two cycles a digit;
 * here the fields are independent of each other, and the one choice, the width of the addresses,
 * is a branch the processor predicts (it rarely changes from line to line). Taken: addresses of
 * W = 12 or 8 lowercase hex digits (the kernel's minimum width is 8), an offset of 8, major and
 * minor of 2; the inode goes through read_dec(). On any other line (uppercase digits, wider
 * fields, a bad byte) it gives up and parse_fields() decides, so where it succeeds its result is
 * the careful one (tests/test_maps_parse.c and the fuzzer compare the two: MMAPC__MAPS_CAREFUL
 * leaves it out).
 */
#if defined(__SSE2__) && !defined(MMAPC__MAPS_CAREFUL)
#include <emmintrin.h>
#define FAST_FIELDS 1
/* The bytes from the start of a line that the fast path may read: 16 from where the offset
 * starts, at 2 * 12 + 7 (see fixed_fields), and the inode after them (read_dec stops at the
 * end of the buffer by itself). */
#define FAST_ROOM (2 * 12 + 7 + 16)

/* Bit i set when byte i of v is a lowercase hex digit; *letters gets 0xff for 'a'..'f'. */
static inline unsigned hex_mask(__m128i v, __m128i *letters)
{
    /* c in [lo, hi]: c - lo (wrapping) is at most hi - lo, so subtracting that saturates to 0 */
    __m128i zero = _mm_setzero_si128();
    __m128i digit =
        _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8('0')), _mm_set1_epi8(9)), zero);
    *letters =
        _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8('a')), _mm_set1_epi8(5)), zero);
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(digit, *letters));
}

/* The values of the hex digits of v (letters as from hex_mask) in groups of four: 32-bit lane i
 * holds the number that digits 4i..4i+3 spell. */
static inline __m128i hex_quads(__m128i v, __m128i letters)
{
    __m128i nib = _mm_add_epi8(_mm_and_si128(v, _mm_set1_epi8(0x0f)),
                               _mm_and_si128(letters, _mm_set1_epi8(9)));
    /* 16-bit lanes: first digit * 16 + second */
    __m128i pairs = _mm_and_si128(_mm_or_si128(_mm_slli_epi16(nib, 4), _mm_srli_epi16(nib, 8)),
                                  _mm_set1_epi16(0x00ff));
    return _mm_madd_epi16(pairs, _mm_set1_epi32(0x00010100)); /* first pair * 256 + second */
}

/* The first eight or twelve digits of a field, from its quads. */
static inline uint64_t quads8(__m128i q)
{
    uint64_t lo = (uint64_t)_mm_cvtsi128_si64(q);
    return (lo & 0xffff) << 16 | lo >> 32;
}

static inline uint64_t quads12(__m128i q)
{
    uint64_t hi = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(q, q));
    return quads8(q) << 16 | (hi & 0xffff);
}

/* Bit i set where byte i of v equals byte i of want. */
static inline unsigned same(__m128i v, const char want[16])
{
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_loadu_si128((const __m128i *)want)));
}

/* parse_fields() for addresses of w digits and FAST_ROOM readable bytes at line; NULL when the
 * line has another layout. Four loads of 16 bytes, each from the start of a field:
 *   a: start, '-'                                  at line
 *   b: end, ' '                                    at line + w + 1
 *   m: permissions, ' '                            at line + 2w + 2
 *   o: offset, ' ', major, ':', minor, ' ', inode  at line + 2w + 7 */
static inline __attribute__((always_inline)) const char *fixed_fields(const char *line, unsigned w,
                                                                      mmapc_area *out)
{
    static const char yes_letters[16] = "rwxs xxxxxxxxxxx", no_letters[16] = "---p xxxxxxxxxxx";
    static const char seps[16] = "xxxxxxxx xx:xx x"; /* of o: ' ' at 8, ':' at 11, ' ' at 14 */
    __m128i a = _mm_loadu_si128((const __m128i *)line);
    __m128i b = _mm_loadu_si128((const __m128i *)(line + w + 1));
    __m128i m = _mm_loadu_si128((const __m128i *)(line + 2 * w + 2));
    __m128i o = _mm_loadu_si128((const __m128i *)(line + 2 * w + 7));
    __m128i la, lb, lo;
    unsigned ma = hex_mask(a, &la), mb = hex_mask(b, &lb), mo = hex_mask(o, &lo);
    unsigned digits = (1u << w) - 1, yes = same(m, yes_letters), no = same(m, no_letters);
    /* one branch for all the checks: | rather than || */
    int bad = ((ma & digits) != digits) | (line[w] != '-') | ((mb & digits) != digits) |
              (line[2 * w + 1] != ' ') | (((yes | no) & 0x1f) != 0x1f) | ((mo & 0x36ff) != 0x36ff) |
              ((same(o, seps) & 0x4900) != 0x4900);
    __m128i qa = hex_quads(a, la), qb = hex_quads(b, lb), qo = hex_quads(o, lo);
    uint64_t start = w == 12 ? quads12(qa) : quads8(qa);
    uint64_t stop = w == 12 ? quads12(qb) : quads8(qb);
    const char *p = line + 2 * w + 7;
    unsigned major = (unsigned)(hex_table[(unsigned char)p[9]] - 1) << 4 |
                     (unsigned)(hex_table[(unsigned char)p[10]] - 1);
    unsigned minor = (unsigned)(hex_table[(unsigned char)p[12]] - 1) << 4 |
                     (unsigned)(hex_table[(unsigned char)p[13]] - 1);
    uint64_t inode;
    p += 15;
    if (bad || start >= stop)
        return NULL;
    unsigned d0 = (unsigned)(p[0] - '0'), d1 = (unsigned)(p[1] - '0');
    if (d0 < 10 && d1 >= 10) { /* one digit: the 0 of every area without a file */
        inode = d0;
        p++;
    } else if (read_dec(&p, &inode)) {
        return NULL;
    }
    out->start = start;
    out->end = stop;
    out->allocation_base = start;
    out->prot = yes & 7u; /* r, w, x: MMAPC_PROT_READ, _WRITE, _EXEC */
    out->shared = (int)(yes >> 3 & 1u);
    out->offset = quads8(qo);
    out->dev_major = major;
    out->dev_minor = minor;
    out->inode = inode;
    return p;
}

/* The place of the first of the 16 bytes at s that is not c (16: all are). */
static inline unsigned first_not(const char *s, char c)
{
    __m128i v = _mm_loadu_si128((const __m128i *)s);
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c))) ^ 0xffffu;
    return m ? (unsigned)__builtin_ctz(m) : 16;
}

/* The place of the first of the 16 bytes at s that is c or d (16: none is). */
static inline unsigned first_of(const char *s, char c, char d)
{
    __m128i v = _mm_loadu_si128((const __m128i *)s);
    unsigned m = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)), _mm_cmpeq_epi8(v, _mm_set1_epi8(d))));
    return m ? (unsigned)__builtin_ctz(m) : 16;
}

/*
 * parse_name() and the search for the line's end in one pass, 16 bytes at a time, for the name
 * after the fields at p (p[0] == ' '): 1 when it decided the line (a name, or none), 0 when it
 * leaves the line to the careful steps (a NUL in the name, or the end of the buffer near).
 */
static inline int fast_name(const char *p, const char *end, mmapc_area *out, const char **next)
{
    const char *name = p, *stop;
    unsigned n;
    do { /* the padding */
        if (end - name < 16)
            return 0;
        n = first_not(name, ' ');
        name += n;
    } while (n == 16);
    stop = name;
    do { /* the newline, or a NUL */
        if (end - stop < 16)
            return 0;
        n = first_of(stop, '\n', '\0');
        stop += n;
    } while (n == 16);
    if (*stop != '\n')
        return 0;
    out->path = name;
    mmapc__area_classify(name, (size_t)(stop - name), out);
    *next = stop + 1;
    return 1;
}

_Static_assert(MMAPC_PROT_READ == 1 && MMAPC_PROT_WRITE == 2 && MMAPC_PROT_EXEC == 4,
               "the permission letters map to bits in their order");

/* The fixed layout, where the separators say the addresses are 12 or 8 digits wide. */
static inline const char *fast_fields(const char *line, mmapc_area *out)
{
    if (line[12] == '-')
        return fixed_fields(line, 12, out);
    if (line[8] == '-')
        return fixed_fields(line, 8, out);
    return NULL;
}
#endif

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

/* mmapc__maps_parse_next() by the careful path alone. */
static int careful_next(const char *line, const char *end, mmapc_area *out, const char **next)
{
    const char *p = parse_fields(line, out);
    const char *nl = p ? memchr(p, '\n', (size_t)(end - p)) : NULL;
    *next = nl ? nl + 1 : end;
    if (!p)
        return MMAPC_EPARSE;
    return parse_name(p, nl ? nl : end, out);
}

int mmapc__maps_parse_next(const char *line, const char *end, mmapc_area *out, const char **next)
{
#ifdef FAST_FIELDS
    const char *p = end - line >= FAST_ROOM ? fast_fields(line, out) : NULL;
    if (p) {
        if (p[0] == ' ' && p[1] == '\n') { /* an area without a name, the most common line */
            out->path = p + 1;
            mmapc__area_classify(p + 1, 0, out);
            *next = p + 2;
            return 0;
        }
        if (p[0] == ' ' && fast_name(p, end, out, next))
            return 0;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        *next = nl ? nl + 1 : end;
        return parse_name(p, nl ? nl : end, out);
    }
#endif
    return careful_next(line, end, out, next);
}
