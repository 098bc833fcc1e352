// SPDX-License-Identifier: MIT
/* Areas as a table (in the spirit of pmap -x) and as JSON. */
#include "print.h"

#include <inttypes.h>
#include <string.h>

#define ADDR_WIDTH ((int)sizeof(void *) * 2)

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
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

int json_string(FILE *out, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    int replaced = 0;
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(out, "\\u%04x", c);
            i++;
        } else {
            size_t n = utf8_len(s + i, len - i);
            if (n == 0) {
                fputs("\\ufffd", out);
                replaced = 1;
                i++;
            } else {
                fwrite(s + i, 1, n, out);
                i += n;
            }
        }
    }
    fputc('"', out);
    return replaced;
}

void json_hex(FILE *out, const char *s, size_t len)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++)
        fprintf(out, "%02x", (unsigned char)s[i]);
    fputc('"', out);
}

static void perms(const mmapc_area *a, char out[5])
{
    out[0] = (a->prot & MMAPC_PROT_READ) ? 'r' : '-';
    out[1] = (a->prot & MMAPC_PROT_WRITE) ? 'w' : '-';
    out[2] = (a->prot & MMAPC_PROT_EXEC) ? 'x' : '-';
    out[3] = a->shared ? 's' : 'p';
    out[4] = '\0';
}

void print_area_header(FILE *out)
{
    fprintf(out, "%-*s %-*s %10s %-4s %-8s %-9s %10s %s\n", ADDR_WIDTH, "START", ADDR_WIDTH, "END",
            "SIZE", "PERM", "OFFSET", "DEVICE", "INODE", "PATH OR KIND");
}

/* A path on a terminal: control bytes as \ooo, as the kernel escapes a newline, and a backslash
 * doubled, so that a name holding the four bytes \012 does not print as one holding a newline.
 * (Windows names cannot hold control bytes, and there a backslash is the separator.) */
static void print_path(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\%03o", c);
#ifndef _WIN32
        else if (c == '\\')
            fputs("\\\\", out);
#endif
        else
            fputc(c, out);
    }
}

void print_area_row(FILE *out, const mmapc_area *a, const char *note)
{
    char p[5], dev[24];
    perms(a, p);
    snprintf(dev, sizeof dev, "%02" PRIx32 ":%02" PRIx32, a->dev_major, a->dev_minor);
    fprintf(out, "%0*" PRIx64 " %0*" PRIx64 " %9" PRIu64 "K %s %08" PRIx64 " %-9s %10" PRIu64 " ",
            ADDR_WIDTH, a->start, ADDR_WIDTH, a->end, (a->end - a->start) / 1024, p, a->offset, dev,
            a->inode);
    if (a->kind == MMAPC_AREA_ANON)
        fputs("[anon]", out);
    else
        print_path(out, a->path);
    if (a->deleted)
        fputs(" (deleted)", out);
    if (note)
        fprintf(out, "  <- %s", note);
    fputc('\n', out);
}

void print_area_json(FILE *out, const mmapc_area *a)
{
    char p[5];
    perms(a, p);
    fprintf(out,
            "{\"start\": \"0x%" PRIx64 "\", \"end\": \"0x%" PRIx64 "\", \"size\": %" PRIu64
            ", \"perms\": \"%s\", \"read\": %s, \"write\": %s, \"exec\": %s, \"shared\": %s, "
            "\"offset\": %" PRIu64 ", \"dev_major\": %" PRIu32 ", \"dev_minor\": %" PRIu32
            ", \"inode\": %" PRIu64 ", \"kind\": \"%s\", \"deleted\": %s, \"path\": ",
            a->start, a->end, a->end - a->start, p, (a->prot & MMAPC_PROT_READ) ? "true" : "false",
            (a->prot & MMAPC_PROT_WRITE) ? "true" : "false",
            (a->prot & MMAPC_PROT_EXEC) ? "true" : "false", a->shared ? "true" : "false", a->offset,
            a->dev_major, a->dev_minor, a->inode, mmapc_area_kind_name(a->kind),
            a->deleted ? "true" : "false");
    size_t len = strlen(a->path);
    if (json_string(out, a->path, len)) {
        fputs(", \"path_hex\": ", out);
        json_hex(out, a->path, len);
    }
    fputc('}', out);
}
