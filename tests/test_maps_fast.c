// SPDX-License-Identifier: MIT
/*
 * The fast path of the maps parser (16 bytes at a time, where SSE2 is) against the careful one:
 * on lines of every layout the kernel prints, and on many mutations of them, the two give the
 * same answer field for field, and the same start of the next line; and the fast path does take
 * the layouts it is for. The parser's source is included here, so that its steps can be called
 * one by one; its public names are renamed, apart from the library's copy.
 */
#define mmapc__maps_parse_line t_maps_parse_line
#define mmapc__maps_parse_next t_maps_parse_next
#define mmapc__area_classify t_area_classify
#include "../src/maps_parse.c"

#include "check.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t below(uint64_t n)
{
    return rnd() % n;
}

/* A random number of exactly digits hex digits (leading digit not 0 unless digits is 1). */
static uint64_t hex_of_width(unsigned digits)
{
    if (digits >= 16)
        return rnd() | 1ull << 63;
    uint64_t top = 1ull << (4 * digits), low = digits > 1 ? top >> 4 : 0;
    return low + below(top - low);
}

/*
 * One line as the kernel prints it, with the widths drawn from what kernels print: addresses of
 * 8, 12 or 16 digits (the minimum is 8), offsets of 8 or more, majors and minors of 2 or more,
 * inodes of any size; a name or none. *fixed says whether it has the fixed layout of the fast
 * path (addresses of 8 or 12 digits, both alike, offset 8, major and minor 2).
 */
static int kernel_line(char *buf, size_t size, int *fixed)
{
    static const unsigned widths[] = {8, 12, 12, 12, 16};
    unsigned w = widths[below(5)];
    uint64_t top = w < 16 ? 1ull << (4 * w) : 0; /* 0: all 64 bits */
    uint64_t start = hex_of_width(w) & ~0xfffull;
    if (start > top - 0x100000)
        start = top - 0x100000;
    /* mostly an end of the same width; sometimes a wider one */
    int wider = w < 16 && below(8) == 0;
    uint64_t end = wider ? hex_of_width(w + 4) : start + (below(64) + 1) * 0x1000;
    unsigned owidth = below(6) ? 8 : 9 + (unsigned)below(8);
    uint64_t off = owidth == 8 ? below(1ull << 32) : hex_of_width(owidth);
    unsigned maj = below(4) ? (unsigned)below(256) : 256 + (unsigned)below(3840);
    unsigned min = below(4) ? (unsigned)below(256) : 256 + (unsigned)below(1u << 20);
    uint64_t inode = below(3) == 0 ? 0 : below(2) ? below(100000000) : rnd();
    char perms[5] = {below(2) ? 'r' : '-', below(2) ? 'w' : '-', below(2) ? 'x' : '-',
                     below(2) ? 's' : 'p', '\0'};
    int n = snprintf(buf, size, "%0*llx-%0*llx %s %08llx %02x:%02x %llu ", (int)w,
                     (unsigned long long)start, (int)w, (unsigned long long)end, perms,
                     (unsigned long long)off, maj, min, (unsigned long long)inode);
    *fixed = (w == 8 || w == 12) && !wider && owidth == 8 && maj < 256 && min < 256;
    static const char *names[] = {"/usr/lib/x86_64-linux-gnu/libc.so.6",
                                  "[heap]",
                                  "[stack]",
                                  "[anon:cache]",
                                  "/tmp/a file (deleted)",
                                  "/memfd:ring (deleted)",
                                  "[vsyscall]",
                                  "/x"};
    switch (below(3)) {
    case 0: /* no name: the line ends in the space after the inode */
        break;
    case 1: /* a name at the column the kernel pads to */
        while (n < 73)
            buf[n++] = ' ';
        n += snprintf(buf + n, size - (size_t)n, "%s", names[below(8)]);
        break;
    default: /* a name after less padding, and a line without the trailing space */
        if (below(2))
            n += snprintf(buf + n, size - (size_t)n, "%s", names[below(8)]);
        else
            n--;
        break;
    }
    buf[n++] = '\n';
    buf[n] = '\0';
    return n;
}

/* The bytes a mutation writes: the separators, digits of both cases, letters just outside the
 * digits, the line's end, bytes with the high bit. */
static char mutant(void)
{
    static const char pool[] = "-: \n0123456789abcdefABCDEFgG/`@[]rwxps\t\x7f\x80\xb0\xe6\xff";
    if (below(16) == 0)
        return '\0';
    return pool[below(sizeof pool - 1)];
}

/* The fast and the careful parse of the line at line in [line, end] agree. */
static int agree(const char *line, const char *end)
{
    mmapc_area fast, careful;
    memset(&fast, 0x5a, sizeof fast);
    memset(&careful, 0x5a, sizeof careful);
    const char *nf = NULL, *nc = NULL;
    int rf = t_maps_parse_next(line, end, &fast, &nf);
    int rc = careful_next(line, end, &careful, &nc);
    int same = rf == rc && nf == nc && (rf != 0 || memcmp(&fast, &careful, sizeof fast) == 0);
    if (!same) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        fprintf(stderr, "fast and careful differ (%d, %d) on \"%.*s\"\n", rf, rc,
                (int)((nl ? nl : end) - line), line);
    }
    return same;
}

/* A listing of whole lines, parsed line by line as an iteration does. */
static void test_listings(void)
{
    enum { LINES = 400 };
    static char buf[LINES * 160 + 1];
    int disagree = 0;
    size_t fast_taken = 0, fixed_lines = 0;
    for (int round = 0; round < 50; round++) {
        size_t len = 0;
        for (int i = 0; i < LINES; i++) {
            int fixed;
            size_t at = len;
            len += (size_t)kernel_line(buf + len, sizeof buf - len, &fixed);
#ifdef FAST_FIELDS
            mmapc_area a;
            fixed_lines += fixed != 0;
            if (fixed && fast_fields(buf + at, &a) != NULL)
                fast_taken++;
#else
            (void)at;
            (void)fixed;
            (void)fast_taken;
            (void)fixed_lines;
#endif
        }
        const char *end = buf + len;
        size_t lines = 0;
        for (const char *p = buf; p < end; lines++) {
            disagree += !agree(p, end);
            mmapc_area a;
            const char *next;
            CHECK_OK(t_maps_parse_next(p, end, &a, &next));
            CHECK(next > p && next <= end);
            p = next;
        }
        CHECK(lines == LINES);
    }
    CHECK(disagree == 0);
#ifdef FAST_FIELDS
    /* every line of the fixed layout took the fast path, and most lines have that layout */
    CHECK(fast_taken == fixed_lines);
    CHECK(fixed_lines > 50 * LINES / 4);
#endif
}

/* Lines with one to three bytes changed, followed by more of the listing (so that the fast path
 * may run) and at the very end of the buffer. */
static void test_mutations(void)
{
    static char buf[4096];
    int disagree = 0, accepted = 0, refused = 0;
    for (int round = 0; round < 200000; round++) {
        int fixed;
        int n = kernel_line(buf, sizeof buf, &fixed);
        int changes = 1 + (int)below(3);
        for (int c = 0; c < changes; c++)
            buf[below((uint64_t)n)] = mutant();
        int m = n + kernel_line(buf + n, sizeof buf - (size_t)n, &fixed);
        disagree += !agree(buf, buf + m); /* room after it */
        mmapc_area a;
        const char *next;
        int rc = t_maps_parse_next(buf, buf + m, &a, &next);
        buf[n] = '\0';
        disagree += !agree(buf, buf + n); /* the last line of the buffer */
        if (rc == 0)
            accepted++;
        else
            refused++;
    }
    CHECK(disagree == 0);
    CHECK(accepted > 1000 && refused > 1000); /* both outcomes were compared */
}

/* Lines the fast path gives up on, and lines it takes, by hand. */
#define L(s)                                                                                       \
    {                                                                                              \
        s, sizeof s - 1                                                                            \
    }
static void test_layouts(void)
{
    static const struct {
        const char *s;
        size_t n;
    } lines[] = {
        L("7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n"),
        L("00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus-daemon\n"),
        L("7F0000000000-7F0000001000 rw-p 00000000 00:00 0 \n"), /* uppercase: careful path */
        L("7f0000000000-7f0000001000 rw-p 0000000A 0A:0b 0 \n"),
        L("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]\n"),
        L("7f0000000000-7f0000001000 r--p 00000000 103:02 1234567   /usr/lib/x.so\n"),
        L("7f0000000000-7f0000001000 r--p 100000000 fd:01 12 /big\n"),
        L("000007f0000000-000007f0000001 r--p 00000000 fd:01 12 /zeros\n"),
        L("00400000-7f0000001000 r--p 00000000 fd:01 12 /mixed\n"),
        L("7f0000001000-7f0000001000 rw-p 00000000 00:00 0 \n"), /* empty: refused by both */
        L("7f0000002000-7f0000001000 rw-p 00000000 00:00 0 \n"), /* reversed */
        L("7f0000000000-7f0000001000 rw-p 00000000 00:00 18446744073709551616\n"),
        L("7f0000000000-7f0000001000 rw-p 00000000 00:00 0x\n"),
        L("7f0000000000-7f0000001000 rw-p 00000000 00:00 0 /a\0b\n"), /* a NUL in the name */
        L("7f0000000000-7f0000001000 rw-q 00000000 00:00 0 \n"),
        L("7f0000000000-7f0000001000 rwxs 00000000 00:00 0\n"),
        L("7f0000000000-7f0000001000 rw-p 00000000 00:00 0 "), /* the last, without newline */
        L("7f0000000000-7f0000001000 rw-p 00000000 00:00 0    \n"),
    };
    static char buf[512];
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t n = lines[i].n;
        memcpy(buf, lines[i].s, n);
        memcpy(buf + n, lines[0].s, lines[0].n + 1);
        CHECK(agree(buf, buf + n + lines[0].n)); /* room after it */
        buf[n] = '\0';
        CHECK(agree(buf, buf + n)); /* the end of the buffer */
    }
#ifdef FAST_FIELDS
    mmapc_area a;
    CHECK(fast_fields(lines[0].s, &a) != NULL && a.start == 0x7f0000000000ull);
    CHECK(a.end == 0x7f0000001000ull && a.prot == MMAPC_PROT_RW && !a.shared && a.inode == 0);
    CHECK(fast_fields(lines[1].s, &a) != NULL && a.inode == 173521 && a.dev_major == 8);
    CHECK(a.prot == (MMAPC_PROT_READ | MMAPC_PROT_EXEC) && a.end == 0x452000 && !a.shared);
    CHECK(a.start == 0x400000 && a.dev_minor == 2 && a.offset == 0);
    CHECK(fast_fields(lines[2].s, &a) == NULL);
    CHECK(fast_fields(lines[3].s, &a) == NULL);
    CHECK(fast_fields(lines[4].s, &a) == NULL);
    CHECK(fast_fields(lines[5].s, &a) == NULL);
    CHECK(fast_fields(lines[15].s, &a) != NULL && a.prot == MMAPC_PROT_RWX && a.shared);
#endif
}

int main(void)
{
    test_layouts();
    test_listings();
    test_mutations();
    return check_done();
}
