// SPDX-License-Identifier: MIT
/* The /proc/<pid>/maps line parser: every shape the kernel prints, and hostile lines. Pure code,
 * run on every platform. */
#include "check.h"

#include "../src/maps_parse.h"

static int parse(const char *line, mmapc_area *a)
{
    memset(a, 0x5a, sizeof *a);
    return mmapc__maps_parse_line(line, strlen(line), a);
}

/* The parsed path, NUL-terminated, for comparisons. */
static const char *path_of(const mmapc_area *a)
{
    static char buf[16384];
    REQUIRE(a->path_len < sizeof buf);
    memcpy(buf, a->path, a->path_len);
    buf[a->path_len] = '\0';
    return buf;
}

static void test_file_line(void)
{
    mmapc_area a;
    CHECK_OK(parse("55d0c1a00000-55d0c1a22000 r-xp 00002000 fd:01 1234567                    "
                   "/usr/bin/cat",
                   &a));
    CHECK(a.start == 0x55d0c1a00000ull);
    CHECK(a.end == 0x55d0c1a22000ull);
    CHECK(a.allocation_base == a.start);
    CHECK(a.prot == (MMAPC_PROT_READ | MMAPC_PROT_EXEC));
    CHECK(a.shared == 0);
    CHECK(a.offset == 0x2000);
    CHECK(a.dev_major == 0xfd && a.dev_minor == 1);
    CHECK(a.inode == 1234567);
    CHECK(a.kind == MMAPC_AREA_FILE);
    CHECK(a.deleted == 0);
    CHECK(strcmp(path_of(&a), "/usr/bin/cat") == 0);
}

static void test_anon_lines(void)
{
    mmapc_area a;
    /* the kernel leaves a space after the inode of an unnamed area */
    CHECK_OK(parse("7f0000000000-7f0000001000 ---p 00000000 00:00 0 ", &a));
    CHECK(a.kind == MMAPC_AREA_ANON && a.path_len == 0 && a.prot == MMAPC_PROT_NONE);
    CHECK_OK(parse("7f0000000000-7f0000001000 rw-s 00000000 00:00 0", &a));
    CHECK(a.kind == MMAPC_AREA_ANON && a.shared == 1 && a.prot == MMAPC_PROT_RW);
    CHECK_OK(parse("7f0000000000-7f0000001000 -w-p 00000000 00:00 0", &a));
    CHECK(a.prot == MMAPC_PROT_WRITE);
    CHECK_OK(parse("7f0000000000-7f0000001000 rwxp 00000000 00:00 0", &a));
    CHECK(a.prot == MMAPC_PROT_RWX);
}

static void test_wide_fields(void)
{
    mmapc_area a;
    /* major up to 12 bits, minor up to 20 bits, 64-bit inode, 64-bit offset */
    CHECK_OK(parse("10000-11000 r--s ffffffffffff0000 fff:fffff 18446744073709551615 /x", &a));
    CHECK(a.dev_major == 0xfff && a.dev_minor == 0xfffff);
    CHECK(a.inode == UINT64_MAX);
    CHECK(a.offset == 0xffffffffffff0000ull);
    CHECK(a.shared == 1);
    CHECK_OK(parse("10000-11000 r--p 00000000 103:02 4294967296 /x", &a));
    CHECK(a.dev_major == 0x103 && a.dev_minor == 2 && a.inode == 4294967296ull);
    /* 64-bit addresses on every platform: a 32-bit program may read a 64-bit process */
    CHECK_OK(parse("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0   [vsyscall]", &a));
    CHECK(a.kind == MMAPC_AREA_VSYSCALL && a.prot == MMAPC_PROT_EXEC);
    CHECK(a.start == 0xffffffffff600000ull && a.end == 0xffffffffff601000ull);
}

static void test_paths(void)
{
    mmapc_area a;
    CHECK_OK(parse("10000-11000 rw-s 00000000 00:05 77    /tmp/a file  with spaces", &a));
    CHECK(strcmp(path_of(&a), "/tmp/a file  with spaces") == 0 && a.kind == MMAPC_AREA_FILE);
    CHECK_OK(parse("10000-11000 rw-s 00000000 00:05 77    /tmp/gone (deleted)", &a));
    CHECK(a.deleted == 1 && strcmp(path_of(&a), "/tmp/gone") == 0);
    CHECK_OK(parse("10000-11000 rw-s 00000000 00:05 77    /tmp/sp ace (deleted) (deleted)", &a));
    CHECK(a.deleted == 1 && strcmp(path_of(&a), "/tmp/sp ace (deleted)") == 0);
    CHECK_OK(parse("10000-11000 rw-s 00000000 00:01 9 /memfd:buf (deleted)", &a));
    CHECK(a.deleted == 1 && a.kind == MMAPC_AREA_FILE && strcmp(path_of(&a), "/memfd:buf") == 0);
    /* a name that merely contains the suffix word is not deleted */
    CHECK_OK(parse("10000-11000 r--p 00000000 00:05 77 /tmp/(deleted)x", &a));
    CHECK(a.deleted == 0 && strcmp(path_of(&a), "/tmp/(deleted)x") == 0);

    /* a path longer than any fixed buffer */
    static char line[12000];
    int n = snprintf(line, sizeof line, "10000-11000 r--p 00000000 08:01 12 /");
    for (int i = 0; i < 10000; i++)
        line[n + i] = (char)('a' + i % 26);
    line[n + 10000] = '\0';
    CHECK_OK(parse(line, &a));
    CHECK(a.path_len == 10001 && a.path[0] == '/' && a.path[10000] == 'a' + 9999 % 26);
}

static void test_pseudo(void)
{
    static const struct {
        const char *name;
        mmapc_area_kind kind;
    } cases[] = {
        {"[heap]", MMAPC_AREA_HEAP},
        {"[stack]", MMAPC_AREA_STACK},
        {"[stack:1234]", MMAPC_AREA_STACK},
        {"[vdso]", MMAPC_AREA_VDSO},
        {"[vvar]", MMAPC_AREA_VVAR},
        {"[vvar_vclock]", MMAPC_AREA_VVAR},
        {"[vsyscall]", MMAPC_AREA_VSYSCALL},
        {"[vectors]", MMAPC_AREA_VSYSCALL},
        {"[anon:my cache]", MMAPC_AREA_ANON_NAMED},
        {"[anon:]", MMAPC_AREA_ANON_NAMED},
        {"[anon_shmem:ring]", MMAPC_AREA_ANON_SHMEM},
        {"[uprobes]", MMAPC_AREA_OTHER_PSEUDO},
        {"[sigpage]", MMAPC_AREA_OTHER_PSEUDO},
        {"[heapx]", MMAPC_AREA_OTHER_PSEUDO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[128];
        mmapc_area a;
        snprintf(line, sizeof line, "10000-11000 rw-p 00000000 00:00 0    %s", cases[i].name);
        CHECK_OK(parse(line, &a));
        CHECK(a.kind == cases[i].kind);
        CHECK(a.deleted == 0 && strcmp(path_of(&a), cases[i].name) == 0);
    }
    mmapc_area a;
    /* brackets that do not close are a file name, not a pseudo-area */
    CHECK_OK(parse("10000-11000 rw-p 00000000 00:00 0 [heap", &a));
    CHECK(a.kind == MMAPC_AREA_FILE);
    CHECK(strcmp(mmapc_area_kind_name(MMAPC_AREA_ANON_NAMED), "anon_named") == 0);
    CHECK(strcmp(mmapc_area_kind_name((mmapc_area_kind)99), "unknown") == 0);
}

static void test_classify(void)
{
    mmapc_area a;
    mmapc__area_classify("", 0, &a);
    CHECK(a.kind == MMAPC_AREA_ANON && a.path_len == 0 && !a.deleted);
    mmapc__area_classify(" (deleted)", 10, &a); /* nothing before the suffix: not a deletion */
    CHECK(a.kind == MMAPC_AREA_FILE && a.path_len == 10 && !a.deleted);
    mmapc__area_classify("/a (deleted)", 12, &a);
    CHECK(a.kind == MMAPC_AREA_FILE && a.path_len == 2 && a.deleted);
    mmapc__area_classify("[]", 2, &a);
    CHECK(a.kind == MMAPC_AREA_OTHER_PSEUDO);
}

static void test_hostile(void)
{
    static const char *bad[] = {
        "",
        " ",
        "\n",
        "10000",
        "10000-",
        "10000-11000",
        "10000-11000 ",
        "10000-11000 rw-",
        "10000-11000 rw-x 00000000 00:00 0",  /* share mode must be p or s */
        "10000-11000 rq-p 00000000 00:00 0",  /* unknown letter */
        "10000-11000 wr-p 00000000 00:00 0",  /* letters out of place */
        "10000-11000 rw-p 00000000 00:00",    /* no inode */
        "10000-11000 rw-p 00000000 00:00 ",   /* no inode */
        "10000-11000 rw-p 00000000 0000 0",   /* no colon */
        "10000-11000 rw-p 00000000 :00 0",    /* no major */
        "10000-11000 rw-p 00000000 00: 0",    /* no minor */
        "10000-11000 rw-p 0000000g 00:00 0",  /* not hex */
        "10000-11000 rw-p 00000000 00:00 0x", /* junk after the inode */
        "10000-11000 rw-p 00000000 00:00 -1",
        "10000-11000  rw-p 00000000 00:00 0", /* two spaces */
        "11000-10000 rw-p 00000000 00:00 0",  /* reversed */
        "10000-10000 rw-p 00000000 00:00 0",  /* empty */
        "-10000 rw-p 00000000 00:00 0",
        "1000010000 rw-p 00000000 00:00 0",
        "10000-11000 rw-p 10000000000000000 00:00 0",           /* offset over 64 bits */
        "10000-11000 rw-p 00000000 100000000:00 0",             /* major over 32 bits */
        "10000-11000 rw-p 00000000 00:100000000 0",             /* minor over 32 bits */
        "10000-11000 rw-p 00000000 00:00 18446744073709551616", /* inode over 64 bits */
        "10000000000000000-10000000000000001 rw-p 00000000 00:00 0",
        "10000-11000\trw-p 00000000 00:00 0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mmapc_area a;
        int rc = parse(bad[i], &a);
        if (rc != MMAPC_EPARSE)
            fprintf(stderr, "accepted: \"%s\"\n", bad[i]);
        CHECK(rc == MMAPC_EPARSE);
    }
    /* a NUL inside the line: a C string could not carry the name */
    const char nul[] = "10000-11000 rw-p 00000000 00:00 0 /a\0b";
    mmapc_area a;
    CHECK_RC(mmapc__maps_parse_line(nul, sizeof nul - 1, &a), MMAPC_EPARSE);
    /* the length is honoured: the line ends at its newline, whatever follows */
    const char two[] = "10000-11000 rw-p 00000000 00:00 123\n20000-21000 rw-p 00000000 00:00 4";
    CHECK_OK(mmapc__maps_parse_line(two, strchr(two, '\n') - two, &a));
    CHECK(a.inode == 123 && a.start == 0x10000 && a.path_len == 0);
    /* the byte after the line must be its newline or a NUL (the parser's contract) */
    const char cut[] = "10000-11000 rw-p 00000000 00:00 123456";
    CHECK_RC(mmapc__maps_parse_line(cut, sizeof cut - 4, &a), MMAPC_EPARSE);
}

int main(void)
{
    test_file_line();
    test_anon_lines();
    test_wide_fields();
    test_paths();
    test_pseudo();
    test_classify();
    test_hostile();
    return check_done();
}
