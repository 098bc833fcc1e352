// SPDX-License-Identifier: MIT
/* Areas as a table (in the spirit of pmap -x) and as JSON; the output buffer. */
#include "print.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define ADDR_WIDTH ((int)sizeof(void *) * 2)

void ob_init(obuf *b, FILE *out)
{
    b->out = out;
    b->p = b->own;
    b->len = 0;
    b->cap = sizeof b->own;
    b->hold = b->held_oom = 0;
    b->held = NULL;
    b->held_len = b->held_cap = 0;
    b->held_map = NULL;
}

/* Held output of a few megabytes (a table of 10,000 areas) costs a page fault per page in a heap
 * block; in a mapping of its own with transparent huge pages (Linux) it costs a few, and it
 * grows in place into the address space it holds. A heap block where that cannot be had (an
 * address space too small for the capacity, a limit). The output is formatted straight into
 * it, never copied there. */
#define HELD_ALIGN ((size_t)2 << 20) /* a transparent huge page on x86-64 and aarch64 */
/* Pages are made (and zeroed) only as output reaches them: a first size that most listings fit
 * in costs nothing more, and spares them the resizes. */
#define HELD_FIRST ((size_t)8 << 20)
#define HELD_CAPACITY ((size_t)1 << (sizeof(void *) >= 8 ? 32 : 26))
/* The room held output always has for the next writes (as much as the buffer of its own). */
#define HELD_ROOM (sizeof(((obuf *)0)->own))

/* Room for cap bytes of held output: 0, or -1 (nothing changed). */
static int held_grow(obuf *b, size_t cap)
{
    if (!b->held && cap <= HELD_CAPACITY) {
        size_t size = cap > HELD_FIRST ? cap : HELD_FIRST;
        mmapc_options o = {.flags = MMAPC_TRANSPARENT_HUGE_PAGES, .alignment = HELD_ALIGN};
        if (mmapc_map_anon_growable(&b->held_map, size, HELD_CAPACITY, MMAPC_PROT_RW, &o) == 0) {
            b->held = mmapc_ptr(b->held_map);
            b->held_cap = mmapc_size(b->held_map);
            return 0;
        }
        b->held_map = NULL;
    }
    if (b->held_map) {
        if (mmapc_resize(b->held_map, cap, MMAPC_RESIZE_MAY_MOVE) != 0)
            return -1;
        b->held = mmapc_ptr(b->held_map);
        b->held_cap = mmapc_size(b->held_map);
        return 0;
    }
    char *h = realloc(b->held, cap);
    if (!h)
        return -1;
    b->held = h;
    b->held_cap = cap;
    return 0;
}

static void held_free(obuf *b)
{
    if (b->held_map)
        mmapc_unmap(b->held_map);
    else
        free(b->held);
    b->held_map = NULL;
    b->held = NULL;
}

/* Held: what was written counted in the held output (copied there from the buffer of its own
 * the first time), and room for at least want more bytes at p. On failure the output is lost
 * (held_oom): writes go on into the buffer of its own and are dropped. */
static void held_settle(obuf *b, size_t want)
{
    if (b->held_oom) {
        b->len = 0;
        return;
    }
    size_t pending = b->p == b->own ? b->len : 0;
    if (b->p != b->own)
        b->held_len += b->len;
    b->len = 0;
    if (b->held_cap - b->held_len < pending + want) {
        size_t need = b->held_len + pending + want, cap = b->held_cap ? b->held_cap : HELD_FIRST;
        while (cap < need && cap <= SIZE_MAX / 2)
            cap *= 2;
        if (cap < need || held_grow(b, cap) != 0) {
            b->held_oom = 1;
            b->p = b->own;
            b->cap = sizeof b->own;
            return;
        }
    }
    if (pending) {
        memcpy(b->held + b->held_len, b->own, pending);
        b->held_len += pending;
    }
    b->p = b->held + b->held_len;
    b->cap = b->held_cap - b->held_len;
}

void ob_hold(obuf *b)
{
    b->hold = 1;
    if (b->len == 0)
        held_settle(b, HELD_ROOM); /* from the first byte in the held output: no copy later */
}

/* The buffer is full: out with what it holds (held: room for more). */
void ob_spill(obuf *b)
{
    if (b->hold) {
        held_settle(b, HELD_ROOM);
        return;
    }
    if (b->len) /* a failed write shows in ferror(out), which the caller checks */
        fwrite(b->p, 1, b->len, b->out);
    b->len = 0;
}

void ob_flush(obuf *b)
{
    if (b->hold) {
        held_settle(b, 0);
        if (!b->held_oom && b->held_len)
            fwrite(b->held, 1, b->held_len, b->out);
    } else if (b->len) {
        fwrite(b->p, 1, b->len, b->out);
    }
    held_free(b);
    ob_init(b, b->out);
}

void ob_discard(obuf *b)
{
    held_free(b);
    ob_init(b, b->out);
}

int ob_oom(const obuf *b)
{
    return b->held_oom;
}

void ob_mem_slow(obuf *b, const char *s, size_t n)
{
    if (b->hold) {
        held_settle(b, n > HELD_ROOM ? n : HELD_ROOM);
        if (n > b->cap) /* lost for want of memory */
            return;
    } else {
        ob_spill(b);
        if (n > b->cap) {
            fwrite(s, 1, n, b->out);
            return;
        }
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void ob_char_slow(obuf *b, char c)
{
    ob_spill(b);
    b->p[b->len++] = c;
}

void ob_spaces(obuf *b, int n)
{
    if (n > 0 && (size_t)n <= b->cap - b->len) {
        for (int i = 0; i < n; i++)
            b->p[b->len + (size_t)i] = ' ';
        b->len += (size_t)n;
        return;
    }
    static const char blanks[] = "                                ";
    while (n > 0) {
        int k = n < 32 ? n : 32;
        ob_mem(b, blanks, (size_t)k);
        n -= k;
    }
}

int dec_width(uint64_t v)
{
    int n = 1; /* a compare a digit, no division */
    for (uint64_t p = 10; n < 20 && v >= p; p *= 10)
        n++;
    return n;
}

int dec_width_signed(int64_t v)
{
    return v < 0 ? 1 + dec_width((uint64_t)0 - (uint64_t)v) : dec_width((uint64_t)v);
}

static const char two_digits[] = "00010203040506070809101112131415161718192021222324252627282930313"
                                 "23334353637383940414243444546474849"
                                 "50515253545556575859606162636465666768697071727374757677787980818"
                                 "28384858687888990919293949596979899";

/* Decimal, right-aligned in width: the hot path of a table of figures, two digits a division,
 * written straight into the buffer. */
void ob_digits(obuf *b, uint64_t v, int neg, int width)
{
    int n = dec_width(v);
    int len = n + (neg != 0), pad = width > len ? width - len : 0;
    if ((size_t)(pad + len) > b->cap - b->len) {
        ob_spill(b);
        if ((size_t)(pad + len) > b->cap) { /* (a width no table asks for) */
            ob_spaces(b, pad);
            pad = 0;
        }
    }
    char *out = b->p + b->len;
    if (pad <= 16 && b->cap - b->len >= 16) {
        /* 16 spaces in two stores: the padding, then digits over the rest */
        memcpy(out, "                ", 16);
    } else {
        for (int i = 0; i < pad; i++)
            out[i] = ' ';
    }
    out += pad;
    if (neg)
        *out++ = '-';
    (void)put_dec(out, v); /* n digits */
    b->len += (size_t)(pad + len);
}

/* Two hexadecimal digits of each byte value. */
static const char hex_pairs[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
                                "2122232425262728292a2b2c2d2e2f"
                                "303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f50"
                                "5152535455565758595a5b5c5d5e5f"
                                "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80"
                                "8182838485868788898a8b8c8d8e8f"
                                "909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0"
                                "b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                                "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0"
                                "e1e2e3e4e5e6e7e8e9eaebecedeeef"
                                "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

/* The 8 hexadecimal digits of h, most significant first, as the bytes of a word in memory order:
 * each nibble spread into a byte of its own, then '0'-'9' or 'a'-'f' added to all eight at once. */
static inline uint64_t hex8(uint32_t h)
{
    uint64_t x = h;
    x = ((x & 0xffff0000u) << 16) | (x & 0xffffu);
    x = ((x & UINT64_C(0x0000ff000000ff00)) << 8) | (x & UINT64_C(0x000000ff000000ff));
    x = ((x & UINT64_C(0x00f000f000f000f0)) << 4) | (x & UINT64_C(0x000f000f000f000f));
    /* byte i holds nibble i, the least significant first; 1 in each byte that is 10 or more */
    uint64_t letters = ((x + UINT64_C(0x0606060606060606)) >> 4) & UINT64_C(0x0101010101010101);
    x += UINT64_C(0x3030303030303030) + letters * (uint64_t)('a' - '0' - 10);
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_bswap64(x); /* the most significant digit first in memory */
#else
    unsigned char c[8];
    for (int i = 0; i < 8; i++)
        c[i] = (unsigned char)(x >> (8 * (7 - i)));
    uint64_t w;
    memcpy(&w, c, 8);
    return w;
#endif
}

/* The hexadecimal digits v needs (1 to 16). */
static inline int hex_width(uint64_t v)
{
#if defined(__GNUC__)
    return v ? (67 - __builtin_clzll(v)) / 4 : 1;
#else
    int n = 1;
    for (uint64_t t = v >> 4; t; t >>= 4)
        n++;
    return n;
#endif
}

void ob_hex(obuf *b, uint64_t v, int width)
{
    int n = hex_width(v); /* as many digits as v needs, at least width (up to 16) */
    if (width > n)
        n = width > 16 ? 16 : width;
    if (b->cap - b->len < 16)
        ob_spill(b);
    char *out = b->p + b->len;
    uint64_t lo = hex8((uint32_t)v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* whole words: the leading zero digits shifted out (the first char is the word's low byte),
     * what lies past the n digits overwritten by the next output (16 bytes of room) */
    if (n > 8) {
        uint64_t hi = hex8((uint32_t)(v >> 32)) >> (8 * (16 - n));
        memcpy(out, &hi, 8);
        memcpy(out + n - 8, &lo, 8);
    } else {
        lo >>= 8 * (8 - n);
        memcpy(out, &lo, 8);
    }
#else
    char all[16];
    uint64_t hi = hex8((uint32_t)(v >> 32));
    memcpy(all, &hi, 8);
    memcpy(all + 8, &lo, 8);
    for (int i = 0; i < n; i++)
        out[i] = all[16 - n + i];
#endif
    b->len += (size_t)n;
}

size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len;
    uint32_t cp, min;
    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xe0) == 0xc0)
        len = 2, cp = s[0] & 0x1fu, min = 0x80;
    else if ((s[0] & 0xf0) == 0xe0)
        len = 3, cp = s[0] & 0x0fu, min = 0x800;
    else if ((s[0] & 0xf8) == 0xf0)
        len = 4, cp = s[0] & 0x07u, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    /* no overlong forms, no surrogates, nothing past U+10FFFF */
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    return len;
}

int ob_json_string(obuf *b, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    int replaced = 0;
    ob_char(b, '"');
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            ob_char(b, '\\');
            ob_char(b, (char)c);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            ob_str(b, "\\u00");
            ob_hex(b, c, 2);
            i++;
        } else if (c < 0x80) { /* the common case: a run of plain ASCII */
            size_t j = i + 1;
            while (j < len && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '"' && s[j] != '\\')
                j++;
            ob_mem(b, str + i, j - i);
            i = j;
        } else {
            size_t n = utf8_len(s + i, len - i);
            if (n == 0) {
                ob_str(b, "\\ufffd");
                replaced = 1;
                i++;
            } else {
                ob_mem(b, str + i, n);
                i += n;
            }
        }
    }
    ob_char(b, '"');
    return replaced;
}

int json_string(FILE *out, const char *s, size_t len)
{
    obuf b;
    ob_init(&b, out);
    int r = ob_json_string(&b, s, len);
    ob_flush(&b);
    return r;
}

void ob_json_hex(obuf *b, const void *s, size_t len)
{
    ob_char(b, '"');
    for (size_t i = 0; i < len; i++)
        ob_hex(b, ((const unsigned char *)s)[i], 2);
    ob_char(b, '"');
}

void ob_json_path(obuf *b, const char *path)
{
    if (!path[0]) { /* anonymous memory: most areas of a large process */
        ob_str(b, "\"path\": \"\"");
        return;
    }
    size_t len = strlen(path);
    ob_str(b, "\"path\": ");
    if (ob_json_string(b, path, len)) {
        ob_str(b, ", \"path_hex\": ");
        ob_json_hex(b, path, len);
    }
}

void area_perms(const mmapc_area *a, char out[5])
{
    out[0] = (a->prot & MMAPC_PROT_READ) ? 'r' : '-';
    out[1] = (a->prot & MMAPC_PROT_WRITE) ? 'w' : '-';
    out[2] = (a->prot & MMAPC_PROT_EXEC) ? 'x' : '-';
    out[3] = a->shared ? 's' : 'p';
    out[4] = '\0';
}

void ob_area_header(obuf *b, int build_id)
{
    char line[160];
    int n = snprintf(line, sizeof line, "%-*s %-*s %10s %-4s %-8s %-9s %10s %s%s\n", ADDR_WIDTH,
                     "START", ADDR_WIDTH, "END", "SIZE", "PERM", "OFFSET", "DEVICE", "INODE",
                     build_id ? "BUILD-ID                                 " : "", "PATH OR KIND");
    ob_mem(b, line, (size_t)n);
}

/* A path on a terminal: control bytes as \ooo, as the kernel escapes a newline, and a backslash
 * doubled, so that a name holding the four bytes \012 does not print as one holding a newline.
 * (Windows names cannot hold control bytes, and there a backslash is the separator.) */
void ob_path(obuf *b, const char *s)
{
    for (;;) { /* runs of plain bytes whole */
        size_t run = 0;
        while ((unsigned char)s[run] >= 0x20 && s[run] != 0x7f
#ifndef _WIN32
               && s[run] != '\\'
#endif
        )
            run++;
        ob_mem(b, s, run);
        s += run;
        if (!*s)
            return;
        unsigned char c = (unsigned char)*s++;
        if (c < 0x20 || c == 0x7f) {
            char esc[5] = {'\\', (char)('0' + (c >> 6)), (char)('0' + ((c >> 3) & 7)),
                           (char)('0' + (c & 7)), 0};
            ob_str(b, esc);
        }
#ifndef _WIN32
        else if (c == '\\')
            ob_str(b, "\\\\");
#endif
        else
            ob_char(b, (char)c);
    }
}

/* Hexadecimal, at least two digits, into out; returns the count written. */
static int hex2(char *out, uint32_t v)
{
    if (v < 256) { /* device numbers mostly are */
        memcpy(out, hex_pairs + 2 * v, 2);
        return 2;
    }
    int n = 0;
    char tmp[8];
    do {
        tmp[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    if (n < 2)
        tmp[n++] = '0';
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

int device_text(char out[24], uint32_t major, uint32_t minor)
{
    int n = hex2(out, major);
    out[n++] = ':';
    n += hex2(out + n, minor);
    out[n] = '\0';
    return n;
}

/* Room for n bytes in the buffer. */
char *ob_room(obuf *b, size_t n)
{
    if (n > b->cap - b->len)
        ob_spill(b);
    return b->p + b->len;
}

/* The hexadecimal digits of v, as many as it needs (up to 16), two at a time from a table. */
char *put_hex(char *o, uint64_t v)
{
    int n = hex_width(v);
    char *d = o + n;
    for (int left = n; left >= 2; left -= 2, v >>= 8) {
        d -= 2;
        memcpy(d, hex_pairs + 2 * (v & 0xff), 2);
    }
    if (n & 1)
        *o = "0123456789abcdef"[v & 15];
    return o + n;
}

/* The decimal digits of v (up to 20). */
char *put_dec(char *o, uint64_t v)
{
    if (v < 10) {
        *o = (char)('0' + v);
        return o + 1;
    }
    int n = dec_width(v);
    char *d = o + n; /* from the last digit back, two a division */
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        *--d = two_digits[2 * r + 1];
        *--d = two_digits[2 * r];
    }
    if (v >= 10) {
        *--d = two_digits[2 * v + 1];
        *--d = two_digits[2 * v];
    } else {
        *--d = (char)('0' + v);
    }
    return o + n;
}

/* v in hexadecimal, zero-padded to width digits (at most 16); up to 16 bytes written. */
char *put_hex_w(char *o, uint64_t v, int width)
{
    if (width == 16 || (width == 8 && v <= 0xffffffffu)) { /* the usual: two words, or one */
        uint64_t lo = hex8((uint32_t)v);
        if (width == 16) {
            uint64_t hi = hex8((uint32_t)(v >> 32));
            memcpy(o, &hi, 8);
            o += 8;
        }
        memcpy(o, &lo, 8);
        return o + 8;
    }
    for (int n = hex_width(v); n < width; width--)
        *o++ = '0';
    return put_hex(o, v);
}

/* v in decimal, right-aligned in width; up to width + 20 bytes written. */
char *put_dec_w_any(char *o, uint64_t v, int width)
{
    int n = v < 10 ? 1 : dec_width(v);
    if (n < width) {
        int pad = width - n;
        if (pad <= 16)
            memcpy(o, "                ", 16);
        else
            memset(o, ' ', (size_t)pad);
        o += pad;
    }
    return put_dec(o, v);
}

void ob_area_name(obuf *b, const mmapc_area *a)
{
    if (a->kind == MMAPC_AREA_ANON)
        ob_str(b, "[anon]");
    else
        ob_path(b, a->path);
    if (a->deleted)
        ob_str(b, " (deleted)");
}

void ob_area_row(obuf *b, const mmapc_area *a, const mmapc_build_id *bid, const char *note)
{
    /* the fixed columns, up to the inode: some 110 bytes, scratch included */
    char *o = ob_room(b, 160);
    o = put_hex_w(o, a->start, ADDR_WIDTH);
    *o++ = ' ';
    o = put_hex_w(o, a->end, ADDR_WIDTH);
    *o++ = ' ';
    o = put_dec_w(o, (a->end - a->start) / 1024, 9);
    o = PUT(o, "K ");
    *o++ = (a->prot & MMAPC_PROT_READ) ? 'r' : '-';
    *o++ = (a->prot & MMAPC_PROT_WRITE) ? 'w' : '-';
    *o++ = (a->prot & MMAPC_PROT_EXEC) ? 'x' : '-';
    *o++ = a->shared ? 's' : 'p';
    *o++ = ' ';
    o = put_hex_w(o, a->offset, 8);
    *o++ = ' ';
    int w = device_text(o, a->dev_major, a->dev_minor);
    o += w;
    for (; w < 9; w++)
        *o++ = ' ';
    *o++ = ' ';
    o = put_dec_w(o, a->inode, 10);
    *o++ = ' ';
    b->len = (size_t)(o - b->p);
    if (bid) { /* 40 columns: a 20-byte ID, as GNU ld makes by default */
        for (size_t i = 0; i < bid->size; i++)
            ob_hex(b, bid->bytes[i], 2);
        if (!bid->size)
            ob_char(b, '-');
        ob_spaces(b, 41 - (bid->size ? 2 * (int)bid->size : 1));
    }
    ob_area_name(b, a);
    if (note) {
        ob_str(b, "  <- ");
        ob_str(b, note);
    }
    ob_char(b, '\n');
}

void print_area_row(FILE *out, const mmapc_area *a, const char *note)
{
    obuf b;
    ob_init(&b, out);
    ob_area_row(&b, a, NULL, note);
    ob_flush(&b);
}

static char *put_bool(char *o, int v)
{
    return v ? PUT(o, "true") : PUT(o, "false");
}

void ob_area_json_fields(obuf *b, const mmapc_area *a)
{
    /* the fixed fields, up to the kind: 350 bytes at most, scratch included */
    char *o = ob_room(b, 512);
    o = PUT(o, "{\"start\": \"0x");
    o = put_hex(o, a->start);
    o = PUT(o, "\", \"end\": \"0x");
    o = put_hex(o, a->end);
    o = PUT(o, "\", \"size\": ");
    o = put_dec(o, a->end - a->start);
    o = PUT(o, ", \"perms\": \"");
    *o++ = (a->prot & MMAPC_PROT_READ) ? 'r' : '-';
    *o++ = (a->prot & MMAPC_PROT_WRITE) ? 'w' : '-';
    *o++ = (a->prot & MMAPC_PROT_EXEC) ? 'x' : '-';
    *o++ = a->shared ? 's' : 'p';
    o = PUT(o, "\", \"read\": ");
    o = put_bool(o, (a->prot & MMAPC_PROT_READ) != 0);
    o = PUT(o, ", \"write\": ");
    o = put_bool(o, (a->prot & MMAPC_PROT_WRITE) != 0);
    o = PUT(o, ", \"exec\": ");
    o = put_bool(o, (a->prot & MMAPC_PROT_EXEC) != 0);
    o = PUT(o, ", \"shared\": ");
    o = put_bool(o, a->shared != 0);
    o = PUT(o, ", \"offset\": ");
    o = put_dec(o, a->offset);
    o = PUT(o, ", \"dev_major\": ");
    o = put_dec(o, a->dev_major);
    o = PUT(o, ", \"dev_minor\": ");
    o = put_dec(o, a->dev_minor);
    o = PUT(o, ", \"inode\": ");
    o = put_dec(o, a->inode);
    o = PUT(o, ", \"kind\": \"");
    /* the kinds' names, asked once, each padded to 16 bytes for a copy of known size */
    static char kinds[MMAPC_AREA_OTHER_PSEUDO + 1][16];
    static unsigned char kind_len[MMAPC_AREA_OTHER_PSEUDO + 1];
    static int named;
    if (!named) {
        for (int k = 0; k <= MMAPC_AREA_OTHER_PSEUDO; k++) {
            const char *name = mmapc_area_kind_name((mmapc_area_kind)k);
            size_t len = strlen(name) < sizeof kinds[k] ? strlen(name) : sizeof kinds[k];
            memcpy(kinds[k], name, len);
            kind_len[k] = (unsigned char)len;
        }
        named = 1;
    }
    if ((unsigned)a->kind <= MMAPC_AREA_OTHER_PSEUDO) {
        memcpy(o, kinds[a->kind], sizeof kinds[a->kind]);
        o += kind_len[a->kind];
        o = a->deleted ? PUT(o, "\", \"deleted\": true, ") : PUT(o, "\", \"deleted\": false, ");
        b->len = (size_t)(o - b->p);
    } else { /* (a kind of a later version) */
        b->len = (size_t)(o - b->p);
        ob_str(b, mmapc_area_kind_name(a->kind));
        ob_str(b, a->deleted ? "\", \"deleted\": true, " : "\", \"deleted\": false, ");
    }
    ob_json_path(b, a->path);
}

void print_area_json(FILE *out, const mmapc_area *a)
{
    obuf b;
    ob_init(&b, out);
    ob_area_json_fields(&b, a);
    ob_char(&b, '}');
    ob_flush(&b);
}
