// SPDX-License-Identifier: MIT
/*
 * Build IDs read from an image's bytes: the GNU build-ID note of an ELF file, found exactly as the
 * Linux kernel finds it for PROCMAP_QUERY (lib/buildid.c, its 32-bit arithmetic included), so that
 * reading the file gives what the ioctl gives; and the CodeView record of a mapped PE image. Pure:
 * every byte comes through the caller's read function, and no offset or size from the image is
 * trusted before it is checked.
 */
#include "build_id.h"

#include <string.h>

#define ELF_PT_NOTE 4u
#define ELF_ET_EXEC 2u
#define ELF_ET_DYN 3u
#define ELF_NT_GNU_BUILD_ID 3u
#define ELF_PHDR_MAX 256u /* the kernel looks at no more program headers (MAX_PHDR_CNT) */
#define ELF_ID_MAX 20u    /* nor at longer IDs (BUILD_ID_SIZE_MAX) */
#define ELF_NOTE_HEAD 16u /* Elf32_Nhdr and the name "GNU\0", read together */

#define PE_DEBUG_DIR 6u /* IMAGE_DIRECTORY_ENTRY_DEBUG */
#define PE_CODEVIEW 2u  /* IMAGE_DEBUG_TYPE_CODEVIEW */
#define PE_DEBUG_ENTRY 28u
#define PE_DEBUG_MAX 64u /* entries looked at: images have a handful */
#define PE_RSDS_SIZE 24u /* "RSDS", GUID, age */

_Static_assert(MMAPC_BUILD_ID_MAX >= ELF_ID_MAX && MMAPC_BUILD_ID_MAX >= 20, "room for an ID");

static uint16_t rd16(const unsigned char *p, bool big)
{
    return big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t rd32(const unsigned char *p, bool big)
{
    return big ? (uint32_t)rd16(p, true) << 16 | rd16(p + 2, true)
               : (uint32_t)rd16(p + 2, false) << 16 | rd16(p, false);
}

static uint64_t rd64(const unsigned char *p, bool big)
{
    return big ? (uint64_t)rd32(p, true) << 32 | rd32(p + 4, true)
               : (uint64_t)rd32(p + 4, false) << 32 | rd32(p, false);
}

/* A failed read: a short image is malformed (no raw OS error); any other error is the reader's. */
static int read_fail(int rc)
{
    return rc == MMAPC_EPARSE ? mmapc__fail(rc) : rc;
}

static bool host_big(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 0;
}

static int none(mmapc_build_id *out)
{
    memset(out, 0, sizeof *out);
    return 0;
}

/* The notes of one PT_NOTE segment: 1 and *out set when the build ID is among them, 0 when not,
 * MMAPC_EPARSE when the segment is malformed (the kernel passes over it), or a read error.
 * The kernel keeps the segment's end in 32 bits and aligns sizes in 32 bits (a size within 3
 * of 2^32 aligns to 0): so do we, so that both find the same note. */
static int elf_notes(mmapc__image_read read, void *ctx, bool big, uint64_t off, uint32_t size,
                     mmapc_build_id *out)
{
    if (off > UINT32_MAX - size)
        return MMAPC_EPARSE;
    uint32_t at = (uint32_t)off, end = (uint32_t)off + size;
    while (end - at > ELF_NOTE_HEAD) {
        unsigned char nh[ELF_NOTE_HEAD];
        int rc = read(ctx, at, nh, sizeof nh);
        if (rc)
            return rc;
        uint32_t namesz = rd32(nh, big), descsz = rd32(nh + 4, big), type = rd32(nh + 8, big);
        uint32_t name_room = (namesz + 3u) & ~3u, desc_room = (descsz + 3u) & ~3u;
        uint32_t next = at + 12u; /* no wrap: at + 16 < end */
        if (name_room > UINT32_MAX - next)
            return MMAPC_EPARSE;
        next += name_room;
        if (desc_room > UINT32_MAX - next)
            return MMAPC_EPARSE;
        next += desc_room;
        if (next > end)
            return MMAPC_EPARSE;
        if (type == ELF_NT_GNU_BUILD_ID && namesz == 4 && memcmp(nh + 12, "GNU", 4) == 0 &&
            descsz > 0 && descsz <= ELF_ID_MAX) {
            mmapc_build_id id;
            memset(&id, 0, sizeof id);
            id.size = descsz;
            rc = read(ctx, (uint64_t)at + ELF_NOTE_HEAD, id.bytes, descsz);
            if (rc)
                return rc;
            *out = id;
            return 1;
        }
        at = next;
    }
    return 0;
}

int mmapc__elf_build_id(mmapc__image_read read, void *ctx, bool native, mmapc_build_id *out)
{
    unsigned char eh[64];          /* Elf64_Ehdr; Elf32_Ehdr is 52 bytes */
    int rc = read(ctx, 0, eh, 18); /* up to e_type, as the kernel looks first */
    if (rc)
        return read_fail(rc);
    if (memcmp(eh, "\177ELF", 4) != 0)
        return mmapc__fail(MMAPC_EPARSE);
    bool big;
    if (native)
        big = host_big();
    else if (eh[5] == 1 || eh[5] == 2) /* EI_DATA: ELFDATA2LSB, ELFDATA2MSB */
        big = eh[5] == 2;
    else
        return mmapc__fail(MMAPC_EPARSE);
    unsigned type = rd16(eh + 16, big);
    if (type != ELF_ET_EXEC && type != ELF_ET_DYN)
        return none(out);
    if (eh[4] != 1 && eh[4] != 2) /* EI_CLASS: ELFCLASS32, ELFCLASS64 */
        return mmapc__fail(MMAPC_EPARSE);
    bool wide = eh[4] == 2;
    rc = read(ctx, 0, eh, wide ? 64 : 52);
    if (rc)
        return read_fail(rc);
    uint64_t phoff = wide ? rd64(eh + 32, big) : rd32(eh + 28, big);
    unsigned phnum = rd16(eh + (wide ? 56 : 44), big);
    unsigned phsize = wide ? 56 : 32; /* the kernel's stride, whatever e_phentsize says */
    if (phnum > ELF_PHDR_MAX)
        phnum = ELF_PHDR_MAX;
    if (phoff > UINT64_MAX - (uint64_t)phnum * phsize)
        return mmapc__fail(MMAPC_EPARSE);
    bool malformed = false;
    for (unsigned i = 0; i < phnum; i++) {
        unsigned char ph[56];
        rc = read(ctx, phoff + (uint64_t)i * phsize, ph, phsize);
        if (rc)
            return read_fail(rc);
        if (rd32(ph, big) != ELF_PT_NOTE)
            continue;
        uint64_t off = wide ? rd64(ph + 8, big) : rd32(ph + 4, big);
        /* the kernel takes the size as a 32-bit word */
        uint32_t size = wide ? (uint32_t)rd64(ph + 32, big) : rd32(ph + 16, big);
        rc = elf_notes(read, ctx, big, off, size, out);
        if (rc == 1)
            return 0;
        if (rc == MMAPC_EPARSE)
            malformed = true;
        else if (rc)
            return rc;
    }
    return malformed ? mmapc__fail(MMAPC_EPARSE) : none(out);
}

int mmapc__pe_build_id(mmapc__image_read read, void *ctx, mmapc_build_id *out)
{
    unsigned char b[64];
    int rc = read(ctx, 0, b, 64); /* IMAGE_DOS_HEADER */
    if (rc)
        return read_fail(rc);
    if (b[0] != 'M' || b[1] != 'Z')
        return mmapc__fail(MMAPC_EPARSE);
    uint64_t nt = rd32(b + 0x3c, false); /* e_lfanew */
    /* "PE\0\0", IMAGE_FILE_HEADER (20 bytes), the optional header's magic */
    rc = read(ctx, nt, b, 26);
    if (rc)
        return read_fail(rc);
    if (memcmp(b, "PE\0\0", 4) != 0)
        return mmapc__fail(MMAPC_EPARSE);
    unsigned opt_size = rd16(b + 20, false), magic = rd16(b + 24, false);
    unsigned dirs; /* offset of the data directories in the optional header */
    if (magic == 0x10b)
        dirs = 96; /* PE32 */
    else if (magic == 0x20b)
        dirs = 112; /* PE32+ */
    else
        return mmapc__fail(MMAPC_EPARSE);
    if (opt_size < dirs + (PE_DEBUG_DIR + 1) * 8)
        return none(out); /* no room for a debug directory */
    /* NumberOfRvaAndSizes, then the directories up to the debug one */
    rc = read(ctx, nt + 24 + dirs - 4, b, 4 + (PE_DEBUG_DIR + 1) * 8);
    if (rc)
        return read_fail(rc);
    if (rd32(b, false) <= PE_DEBUG_DIR)
        return none(out);
    uint64_t dir = rd32(b + 4 + PE_DEBUG_DIR * 8, false);
    uint32_t dir_size = rd32(b + 8 + PE_DEBUG_DIR * 8, false);
    unsigned entries = dir ? dir_size / PE_DEBUG_ENTRY : 0;
    if (entries > PE_DEBUG_MAX)
        entries = PE_DEBUG_MAX;
    for (unsigned i = 0; i < entries; i++) {
        unsigned char e[PE_DEBUG_ENTRY]; /* IMAGE_DEBUG_DIRECTORY */
        rc = read(ctx, dir + (uint64_t)i * PE_DEBUG_ENTRY, e, sizeof e);
        if (rc)
            return read_fail(rc);
        uint32_t data = rd32(e + 20, false); /* AddressOfRawData: 0 when not mapped */
        if (rd32(e + 12, false) != PE_CODEVIEW || rd32(e + 16, false) < PE_RSDS_SIZE || !data)
            continue;
        unsigned char cv[PE_RSDS_SIZE];
        rc = read(ctx, data, cv, sizeof cv);
        if (rc)
            return read_fail(rc);
        if (memcmp(cv, "RSDS", 4) != 0)
            continue; /* an older CodeView form (NB10) */
        mmapc_build_id id;
        memset(&id, 0, sizeof id);
        id.size = 20;
        memcpy(id.bytes, cv + 4, 20);
        *out = id;
        return 0;
    }
    return none(out);
}

/* ---- the public reader of an ELF image in memory, and the hex form ---- */

int mmapc__span_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    const mmapc__span *s = ctx;
    if (off > s->size || len > s->size - off)
        return MMAPC_EPARSE;
    memcpy(buf, s->p + off, len);
    return 0;
}

int mmapc_elf_build_id(const void *elf, size_t size, mmapc_build_id *out)
{
    if (!out || (!elf && size))
        return mmapc__fail(MMAPC_EINVAL_ARG);
    mmapc__span s = {elf, size};
    mmapc_build_id id;
    int rc = mmapc__elf_build_id(mmapc__span_read, &s, false, &id);
    if (rc)
        return mmapc__fail(rc);
    *out = id;
    return 0;
}

int mmapc_build_id_hex(const mmapc_build_id *id, char *buf, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    if (!id || !buf || id->size > MMAPC_BUILD_ID_MAX)
        return mmapc__fail(MMAPC_EINVAL_ARG);
    if (size < 2 * id->size + 1)
        return mmapc__fail(MMAPC_EINVAL_SIZE);
    for (size_t i = 0; i < id->size; i++) {
        buf[2 * i] = digits[id->bytes[i] >> 4];
        buf[2 * i + 1] = digits[id->bytes[i] & 15];
    }
    buf[2 * id->size] = '\0';
    return 0;
}
