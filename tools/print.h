// SPDX-License-Identifier: MIT
/* Output of the mmapc tool: areas as a table or as JSON, and JSON strings for any bytes, through
 * a buffer that formats numbers by hand (a listing of 10,000 areas with 30 figures each must not
 * cost more than reading them). */
#ifndef MMAPC_TOOL_PRINT_H
#define MMAPC_TOOL_PRINT_H

#include "mmapc.h"

#include <stdio.h>
#include <string.h>

/* A buffer in front of a stream; full, it is written out with one fwrite. Held (ob_hold), it
 * keeps everything until ob_flush instead, so that a command that fails part of the way through
 * writes nothing (ob_discard) rather than the start of a table or of a JSON document. */
typedef struct obuf {
    FILE *out;
    char *p;      /* where the next bytes go: own, or (held) the held output's free part */
    size_t len;   /* bytes written at p */
    size_t cap;   /* room at p */
    int hold;     /* ob_hold: nothing is written before ob_flush */
    int held_oom; /* held output was lost for want of memory */
    char *held;   /* held: the output so far (held_len bytes, then those at p) */
    size_t held_len, held_cap;
    mmapc_map *held_map; /* where held lives, or NULL when it is a heap block (or none) */
    char own[1 << 16];
} obuf;

void ob_init(obuf *b, FILE *out);
/* From now on keep the output in memory until ob_flush or ob_discard. */
void ob_hold(obuf *b);
/* Write out what the buffer holds (and what it held). */
void ob_flush(obuf *b);
/* Drop what the buffer holds, written out nothing of it. */
void ob_discard(obuf *b);
/* Whether held output was lost for want of memory (then ob_flush writes nothing). */
int ob_oom(const obuf *b);
/* Out with what the buffer holds, to make room. */
void ob_spill(obuf *b);
void ob_mem_slow(obuf *b, const char *s, size_t n);
void ob_char_slow(obuf *b, char c);
/* The writers a table calls for every cell, inline: a call each would cost more than the copy. */
static inline void ob_mem(obuf *b, const char *s, size_t n)
{
    if (n > b->cap - b->len) {
        ob_mem_slow(b, s, n);
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}
static inline void ob_char(obuf *b, char c)
{
    if (b->len == b->cap) {
        ob_char_slow(b, c);
        return;
    }
    b->p[b->len++] = c;
}
/* Inline too: a literal's length is then known when it compiles. */
static inline void ob_str(obuf *b, const char *s)
{
    ob_mem(b, s, strlen(s));
}
void ob_spaces(obuf *b, int n);

/* Room for n bytes in the buffer (n at most its size): where to write them. The writers below
 * write into such room without a check each, then the caller sets b->len. */
char *ob_room(obuf *b, size_t n);
#define PUT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)
/* Hexadecimal digits of v, as many as it needs (up to 16 bytes written). */
char *put_hex(char *o, uint64_t v);
/* The same zero-padded to width digits (at most 16). */
char *put_hex_w(char *o, uint64_t v, int width);
/* Decimal digits of v (up to 20). */
char *put_dec(char *o, uint64_t v);
/* The same right-aligned in width (up to width + 20 bytes written); one digit inline. */
char *put_dec_w_any(char *o, uint64_t v, int width);
static inline char *put_dec_w(char *o, uint64_t v, int width)
{
    if (v < 10 && width <= 16) {
        memcpy(o, "                ", 16);
        o += width > 1 ? width - 1 : 0;
        *o++ = (char)('0' + v);
        return o;
    }
    return put_dec_w_any(o, v, width);
}
/* Decimal, right-aligned in width characters (0: no padding); neg puts a minus sign first. */
void ob_digits(obuf *b, uint64_t v, int neg, int width);
/* Most figures of a table are one digit (0, or a page or two in KiB): those inline. */
static inline void ob_u64(obuf *b, uint64_t v, int width)
{
    if (v < 10 && width <= 16 && b->cap - b->len >= 16) {
        int pad = width > 1 ? width - 1 : 0;
        memcpy(b->p + b->len, "                ", 16);
        b->p[b->len + (size_t)pad] = (char)('0' + v);
        b->len += (size_t)pad + 1;
        return;
    }
    ob_digits(b, v, 0, width);
}
static inline void ob_i64(obuf *b, int64_t v, int width)
{
    if (v >= 0)
        ob_u64(b, (uint64_t)v, width);
    else
        ob_digits(b, (uint64_t)0 - (uint64_t)v, 1, width);
}
/* Lower-case hexadecimal, zero-padded to width digits (0: as many as needed). */
void ob_hex(obuf *b, uint64_t v, int width);
/* The number of characters of v in decimal. */
int dec_width(uint64_t v);
int dec_width_signed(int64_t v);

/* Length of the valid UTF-8 sequence at s (at most n bytes, n > 0), or 0 if it is not one. */
size_t utf8_len(const unsigned char *s, size_t n);

/* Escape a string for JSON, quotes included. Bytes that are not UTF-8 become U+FFFD; the
 * return value is non-zero when that happened (the caller then adds the raw bytes in hex). */
int ob_json_string(obuf *b, const char *s, size_t len);
int json_string(FILE *out, const char *s, size_t len);
/* The bytes as lower-case hex, in quotes. */
void ob_json_hex(obuf *b, const void *s, size_t len);
/* "path": "..." and, for a path that is not UTF-8, "path_hex": "...". */
void ob_json_path(obuf *b, const char *path);
/* A path for a table: control bytes as \ooo, a backslash doubled (not on Windows). */
void ob_path(obuf *b, const char *s);
/* The device as "major:minor", each at least two hex digits; returns the length. */
int device_text(char out[24], uint32_t major, uint32_t minor);
/* The path or kind of an area for a table: [anon], or the path escaped, and " (deleted)". */
void ob_area_name(obuf *b, const mmapc_area *a);
/* "rwxp": permissions and p (private) or s (shared). */
void area_perms(const mmapc_area *a, char out[5]);

/* The header line of the table, with a BUILD-ID column or without. */
void ob_area_header(obuf *b, int build_id);
/* One area as a table row; note (may be NULL) is appended after the path; bid (may be NULL: no
 * such column) is the build ID. */
void print_area_row(FILE *out, const mmapc_area *a, const char *note);
void ob_area_row(obuf *b, const mmapc_area *a, const mmapc_build_id *bid, const char *note);
/* One area as a JSON object without its closing brace, so that a caller may add fields. */
void ob_area_json_fields(obuf *b, const mmapc_area *a);
/* One area as a JSON object (no trailing newline). */
void print_area_json(FILE *out, const mmapc_area *a);

#endif
