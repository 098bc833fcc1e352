// SPDX-License-Identifier: MIT
/*
 * The pure build-ID readers (src/build_id.c), on images made here: ELF of both classes and byte
 * orders, notes before and after the build ID, and malformed headers and notes, each read from a
 * heap block of its exact size (so that a read past it is caught by AddressSanitizer and
 * valgrind); the CodeView record of a PE image; the hex form.
 */
#include "check.h"

#include "build_id.h"

#include <stdint.h>

static const unsigned char ID[20] = {0xde, 0xad, 0xbe, 0xef, 1,  2,  3,  4,  5,  6,
                                     7,    8,    9,    10,   11, 12, 13, 14, 15, 16};

struct image {
    unsigned char b[1024];
    size_t len;
    bool wide, big;
};

static void put(struct image *im, size_t at, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        unsigned shift = 8 * (im->big ? bytes - 1 - i : i);
        im->b[at + i] = (unsigned char)(v >> shift);
    }
    if (at + bytes > im->len)
        im->len = at + bytes;
}

/* One note at at: header, name (padded to 4), desc (padded to 4); returns the next offset. */
static size_t note(struct image *im, size_t at, uint32_t type, const char *name, uint32_t namesz,
                   const unsigned char *desc, uint32_t descsz)
{
    put(im, at, namesz, 4);
    put(im, at + 4, descsz, 4);
    put(im, at + 8, type, 4);
    at += 12;
    if (namesz > 64 || descsz > 64) /* a header that lies about its sizes: nothing follows */
        return at;
    if (name)
        memcpy(im->b + at, name, namesz);
    at += (namesz + 3u) & ~3u;
    if (desc)
        memcpy(im->b + at, desc, descsz);
    at += (descsz + 3u) & ~3u;
    if (at > im->len)
        im->len = at;
    return at;
}

/* An ELF header (type) and program headers at 64: for each segment i, type[i], offset, size. */
static void elf(struct image *im, bool wide, bool big, unsigned type, unsigned phnum,
                const uint32_t *ptype, const uint64_t *off, const uint64_t *size)
{
    memset(im, 0, sizeof *im);
    im->wide = wide;
    im->big = big;
    memcpy(im->b, "\177ELF", 4);
    im->b[4] = wide ? 2 : 1;
    im->b[5] = big ? 2 : 1;
    im->b[6] = 1;
    put(im, 16, type, 2);
    size_t phsize = wide ? 56 : 32;
    put(im, wide ? 32 : 28, 64, wide ? 8 : 4); /* e_phoff */
    put(im, wide ? 54 : 42, phsize, 2);
    put(im, wide ? 56 : 44, phnum, 2);
    for (unsigned i = 0; i < phnum; i++) {
        size_t ph = 64 + i * phsize;
        put(im, ph, ptype[i], 4);
        put(im, ph + (wide ? 8 : 4), off[i], wide ? 8 : 4);
        put(im, ph + (wide ? 32 : 16), size[i], wide ? 8 : 4);
    }
}

/* mmapc_elf_build_id on an exact-size heap copy of the first len bytes. */
static int read_id(const struct image *im, size_t len, mmapc_build_id *out)
{
    unsigned char *copy = malloc(len ? len : 1);
    REQUIRE(copy);
    memcpy(copy, im->b, len);
    int rc = mmapc_elf_build_id(copy, len, out);
    free(copy);
    return rc;
}

static int is_id(const mmapc_build_id *id, const unsigned char *want, size_t n)
{
    if (id->size != n || memcmp(id->bytes, want, n) != 0)
        return 0;
    for (size_t i = n; i < MMAPC_BUILD_ID_MAX; i++)
        if (id->bytes[i])
            return 0;
    return 1;
}

static void test_well_formed(void)
{
    static const unsigned char long_id[24] = {0};
    for (int v = 0; v < 4; v++) {
        bool wide = v & 1, big = v & 2;
        struct image im;
        /* a load segment, then notes: an ABI tag, a build ID too long for the kernel (passed
         * over), then the one */
        uint32_t ptype[2] = {1, 4};
        uint64_t off[2] = {0, 256}, size[2] = {256, 0};
        elf(&im, wide, big, 3, 2, ptype, off, size);
        size_t at = note(&im, 256, 1, "GNU", 4, (const unsigned char *)"abcdefghijklmnop", 16);
        at = note(&im, at, 3, "GNU", 4, long_id, sizeof long_id);
        at = note(&im, at, 3, "GNU", 4, ID, sizeof ID);
        put(&im, 64 + (wide ? 56 : 32) + (wide ? 32 : 16), at - 256, wide ? 8 : 4);
        mmapc_build_id id;
        CHECK_OK(read_id(&im, im.len, &id));
        CHECK(is_id(&id, ID, sizeof ID));
        /* every shorter image is refused or says none: never a read past its end */
        for (size_t len = 0; len < im.len; len++) {
            int rc = read_id(&im, len, &id);
            CHECK(rc == MMAPC_EPARSE || (rc == 0 && id.size == 0));
        }
        /* a short ID (1 byte), and an executable */
        elf(&im, wide, big, 2, 1, ptype + 1, off + 1, size);
        at = note(&im, 256, 3, "GNU", 4, ID, 1);
        put(&im, 64 + (wide ? 32 : 16), at - 256, wide ? 8 : 4);
        CHECK_OK(read_id(&im, im.len, &id));
        CHECK(is_id(&id, ID, 1));
        /* a relocatable object: the kernel looks only into executables and shared objects */
        put(&im, 16, 1, 2);
        CHECK_OK(read_id(&im, im.len, &id));
        CHECK(id.size == 0);
        /* no build-ID note: none */
        elf(&im, wide, big, 3, 1, ptype + 1, off + 1, size);
        at = note(&im, 256, 1, "GNU", 4, ID, 16);
        put(&im, 64 + (wide ? 32 : 16), at - 256, wide ? 8 : 4);
        CHECK_OK(read_id(&im, im.len, &id));
        CHECK(id.size == 0);
        /* another owner's note of type 3 is not a build ID */
        elf(&im, wide, big, 3, 1, ptype + 1, off + 1, size);
        at = note(&im, 256, 3, "GNX", 4, ID, 20);
        put(&im, 64 + (wide ? 32 : 16), at - 256, wide ? 8 : 4);
        CHECK_OK(read_id(&im, im.len, &id));
        CHECK(id.size == 0);
    }
}

static void test_malformed(void)
{
    struct image im;
    mmapc_build_id id;
    memset(&id, 0xee, sizeof id);
    mmapc_build_id untouched = id;
    uint32_t ptype[2] = {4, 4};
    uint64_t off[2] = {256, 512}, size[2] = {0, 0};

    /* not ELF */
    elf(&im, true, false, 3, 0, ptype, off, size);
    im.b[1] = 'F';
    CHECK_RC(read_id(&im, 64, &id), MMAPC_EPARSE);
    CHECK(memcmp(&id, &untouched, sizeof id) == 0);
    /* an unknown class or byte order */
    elf(&im, true, false, 3, 0, ptype, off, size);
    im.b[4] = 3;
    CHECK_RC(read_id(&im, 64, &id), MMAPC_EPARSE);
    im.b[4] = 2;
    im.b[5] = 0;
    CHECK_RC(read_id(&im, 64, &id), MMAPC_EPARSE);
    /* program headers past the end, or an offset that wraps */
    elf(&im, true, false, 3, 2, ptype, off, size);
    CHECK_RC(read_id(&im, 64 + 56, &id), MMAPC_EPARSE);
    put(&im, 32, UINT64_MAX - 10, 8);
    CHECK_RC(read_id(&im, im.len, &id), MMAPC_EPARSE);
    CHECK(memcmp(&id, &untouched, sizeof id) == 0);

    for (int v = 0; v < 4; v++) {
        bool wide = v & 1, big = v & 2;
        size_t ph1 = 64 + (wide ? 56 : 32);
        unsigned szat = wide ? 32 : 16, w = wide ? 8 : 4;
        /* a note whose description runs past its segment, and nothing else: refused */
        elf(&im, wide, big, 3, 1, ptype, off, size);
        size_t at = note(&im, 256, 3, "GNU", 4, ID, 20);
        put(&im, 64 + szat, at - 256 - 4, w);
        CHECK_RC(read_id(&im, im.len, &id), MMAPC_EPARSE);
        /* ... but the kernel passes over that segment: a build ID in the next one counts */
        elf(&im, wide, big, 3, 2, ptype, off, size);
        at = note(&im, 256, 3, "GNU", 4, ID, 20);
        put(&im, 64 + szat, at - 256 - 4, w);
        at = note(&im, 512, 3, "GNU", 4, ID + 4, 16);
        put(&im, ph1 + szat, at - 512, w);
        CHECK_OK(read_id(&im, im.len, &id));
        CHECK(is_id(&id, ID + 4, 16));
        /* sizes near 2^32 (which the kernel's 32-bit alignment wraps to 0) and a segment that
         * lies past the end of the image or past 4 GiB */
        elf(&im, wide, big, 3, 2, ptype, off, size);
        note(&im, 256, 3, "GNU", 0xfffffffdu, NULL, 0xffffffffu);
        put(&im, 64 + szat, 64, w);
        put(&im, ph1 + (wide ? 8 : 4), wide ? UINT64_C(0x1fffffff0) : 0xfffffff0u, w);
        put(&im, ph1 + szat, 0x100, w);
        CHECK_RC(read_id(&im, im.len, &id), MMAPC_EPARSE);
        /* a segment size that wraps a 32-bit end */
        elf(&im, wide, big, 3, 1, ptype, off, size);
        note(&im, 256, 3, "GNU", 4, ID, 20);
        put(&im, 64 + szat, 0xffffffffu, w);
        CHECK_RC(read_id(&im, im.len, &id), MMAPC_EPARSE);
        /* an empty description, then a tail too short for a note header: none */
        elf(&im, wide, big, 3, 1, ptype, off, size);
        at = note(&im, 256, 3, "GNU", 4, NULL, 0);
        put(&im, 64 + szat, at - 256 + 12, w);
        CHECK_OK(read_id(&im, im.len, &id)); /* the kernel ignores a tail too short for a note */
        CHECK(id.size == 0);
    }
    CHECK_RC(mmapc_elf_build_id(NULL, 1, &id), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_elf_build_id(im.b, im.len, NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_elf_build_id(NULL, 0, &id), MMAPC_EPARSE);
}

/* ---- PE ---- */

static int pe_id(const struct image *im, size_t len, mmapc_build_id *out)
{
    unsigned char *copy = malloc(len ? len : 1);
    REQUIRE(copy);
    memcpy(copy, im->b, len);
    mmapc__span s = {copy, len};
    int rc = mmapc__pe_build_id(mmapc__span_read, &s, out);
    free(copy);
    return rc;
}

/* A PE image as mapped: DOS header, PE header at 0x80, the debug directory at 0x200 with a
 * non-CodeView entry and a CodeView one whose record is at 0x300. */
static void pe(struct image *im, bool plus)
{
    memset(im, 0, sizeof *im);
    im->b[0] = 'M';
    im->b[1] = 'Z';
    put(im, 0x3c, 0x80, 4);
    memcpy(im->b + 0x80, "PE\0\0", 4);
    unsigned dirs = plus ? 112 : 96;
    put(im, 0x80 + 20, dirs + 16 * 8, 2); /* SizeOfOptionalHeader */
    put(im, 0x80 + 24, plus ? 0x20b : 0x10b, 2);
    put(im, 0x80 + 24 + dirs - 4, 16, 4); /* NumberOfRvaAndSizes */
    put(im, 0x80 + 24 + dirs + 6 * 8, 0x200, 4);
    put(im, 0x80 + 24 + dirs + 6 * 8 + 4, 2 * 28, 4);
    put(im, 0x200 + 12, 13, 4); /* POGO */
    put(im, 0x200 + 16, 32, 4);
    put(im, 0x200 + 20, 0x280, 4);
    put(im, 0x200 + 28 + 12, 2, 4); /* CODEVIEW */
    put(im, 0x200 + 28 + 16, 24 + 12, 4);
    put(im, 0x200 + 28 + 20, 0x300, 4);
    memcpy(im->b + 0x300, "RSDS", 4);
    memcpy(im->b + 0x304, ID, 20);
    memcpy(im->b + 0x318, "x.pdb", 6);
    im->len = 0x320;
}

static void test_pe(void)
{
    struct image im;
    mmapc_build_id id;
    for (int plus = 0; plus < 2; plus++) {
        pe(&im, plus);
        CHECK_OK(pe_id(&im, im.len, &id));
        CHECK(is_id(&id, ID, 20));
        for (size_t len = 0; len < 0x318; len += 7) { /* short of the whole record */
            int rc = pe_id(&im, len, &id);
            CHECK(rc == MMAPC_EPARSE || (rc == 0 && id.size == 0));
        }
        /* an older record (NB10) is not RSDS: none */
        memcpy(im.b + 0x300, "NB10", 4);
        CHECK_OK(pe_id(&im, im.len, &id));
        CHECK(id.size == 0);
        /* no debug directory */
        pe(&im, plus);
        put(&im, 0x80 + 24 + (plus ? 112 : 96) - 4, 6, 4);
        CHECK_OK(pe_id(&im, im.len, &id));
        CHECK(id.size == 0);
        /* not an image, or an unknown optional header */
        pe(&im, plus);
        im.b[0x81] = 'X';
        CHECK_RC(pe_id(&im, im.len, &id), MMAPC_EPARSE);
        pe(&im, plus);
        put(&im, 0x80 + 24, 0x107, 2);
        CHECK_RC(pe_id(&im, im.len, &id), MMAPC_EPARSE);
        /* a directory that points outside the image */
        pe(&im, plus);
        put(&im, 0x80 + 24 + (plus ? 112 : 96) + 6 * 8, 0xfffffff0u, 4);
        CHECK_RC(pe_id(&im, im.len, &id), MMAPC_EPARSE);
    }
}

static void test_hex(void)
{
    mmapc_build_id id = {0};
    char buf[MMAPC_BUILD_ID_HEX_SIZE];
    memcpy(id.bytes, ID, 4);
    id.size = 4;
    CHECK_OK(mmapc_build_id_hex(&id, buf, sizeof buf));
    CHECK(strcmp(buf, "deadbeef") == 0);
    CHECK_OK(mmapc_build_id_hex(&id, buf, 9));
    memset(buf, 'x', sizeof buf);
    CHECK_RC(mmapc_build_id_hex(&id, buf, 8), MMAPC_EINVAL_SIZE);
    CHECK(buf[0] == 'x');
    id.size = 0;
    CHECK_OK(mmapc_build_id_hex(&id, buf, 1));
    CHECK(buf[0] == '\0');
    id.size = MMAPC_BUILD_ID_MAX + 1;
    CHECK_RC(mmapc_build_id_hex(&id, buf, sizeof buf), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_build_id_hex(NULL, buf, sizeof buf), MMAPC_EINVAL_ARG);
}

int main(void)
{
    test_well_formed();
    test_malformed();
    test_pe();
    test_hex();
    return check_done();
}
