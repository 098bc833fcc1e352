/* Parser of one /proc/<pid>/maps line: hand-written, in place, no sscanf, no allocation. */
#include "maps_parse.h"

#include <string.h>

static const char deleted_suffix[] = " (deleted)";
#define DELETED_LEN (sizeof deleted_suffix - 1)

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20; /* fold to lower case */
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Read a hex number of at least one digit that fits in max; *p advances past it. */
static int read_hex(const char **p, const char *end, uint64_t max, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    int d;
    if (s == end || (d = hex_digit((unsigned char)*s)) < 0)
        return -1;
    do {
        if (v > (max - (uint64_t)d) / 16)
            return -1;
        v = v * 16 + (uint64_t)d;
        s++;
    } while (s != end && (d = hex_digit((unsigned char)*s)) >= 0);
    *p = s;
    *out = v;
    return 0;
}

static int read_dec(const char **p, const char *end, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    if (s == end || *s < '0' || *s > '9')
        return -1;
    do {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
        s++;
    } while (s != end && *s >= '0' && *s <= '9');
    *p = s;
    *out = v;
    return 0;
}

static int expect(const char **p, const char *end, char c)
{
    if (*p == end || **p != c)
        return -1;
    (*p)++;
    return 0;
}

/* One permission letter: the letter itself or '-'. */
static int perm(const char **p, const char *end, char letter, unsigned bit, unsigned *prot)
{
    if (*p == end)
        return -1;
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

int mmapc__maps_parse_line(const char *line, size_t len, mmapc_area *out)
{
    const char *p = line, *end = line + len;
    uint64_t start, stop, offset, major, minor, inode;
    unsigned prot = 0;

    if (read_hex(&p, end, UINT64_MAX, &start) || expect(&p, end, '-') ||
        read_hex(&p, end, UINT64_MAX, &stop) || expect(&p, end, ' ') || start >= stop)
        return MMAPC_EPARSE;
    if (perm(&p, end, 'r', MMAPC_PROT_READ, &prot) || perm(&p, end, 'w', MMAPC_PROT_WRITE, &prot) ||
        perm(&p, end, 'x', MMAPC_PROT_EXEC, &prot) || p == end || (*p != 'p' && *p != 's'))
        return MMAPC_EPARSE;
    out->shared = *p++ == 's';
    if (expect(&p, end, ' ') || read_hex(&p, end, UINT64_MAX, &offset) || expect(&p, end, ' ') ||
        read_hex(&p, end, UINT32_MAX, &major) || expect(&p, end, ':') ||
        read_hex(&p, end, UINT32_MAX, &minor) || expect(&p, end, ' ') || read_dec(&p, end, &inode))
        return MMAPC_EPARSE;
    /* The name, if any, follows a run of padding spaces; anonymous lines may end in one. */
    if (p != end && *p != ' ')
        return MMAPC_EPARSE;
    while (p != end && *p == ' ')
        p++;
    size_t name_len = (size_t)(end - p);
    if (memchr(p, '\0', name_len) != NULL)
        return MMAPC_EPARSE; /* the kernel never prints NUL; a C string could not hold it */

    out->start = (uint64_t)start;
    out->end = (uint64_t)stop;
    out->allocation_base = (uint64_t)start;
    out->prot = prot;
    out->offset = offset;
    out->dev_major = (uint32_t)major;
    out->dev_minor = (uint32_t)minor;
    out->inode = inode;
    out->path = p;
    mmapc__area_classify(p, name_len, out);
    return 0;
}
