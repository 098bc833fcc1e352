// SPDX-License-Identifier: MIT
/* The pure readers of build IDs (build_id.c): every byte of the image comes through the caller's
 * read function, which answers for the bounds. Built and tested on every target, and fuzzed. */
#ifndef MMAPC_BUILD_ID_H
#define MMAPC_BUILD_ID_H

#include "internal.h"

/* Read len bytes at offset off of the image into buf: 0; MMAPC_EPARSE when they are not all
 * there (past the end of the image), which the readers take as a malformed image; or another
 * error (an I/O error), which ends the search with that error. */
typedef int (*mmapc__image_read)(void *ctx, uint64_t off, void *buf, size_t len);

/* An image held in memory, for mmapc__span_read(): size bytes at p. */
typedef struct mmapc__span {
    const unsigned char *p;
    size_t size;
} mmapc__span;
/* A mmapc__image_read over a mmapc__span (ctx): never a byte outside it. */
int mmapc__span_read(void *ctx, uint64_t off, void *buf, size_t len);

/* The GNU build-ID note of an ELF file, found as the Linux kernel finds it for PROCMAP_QUERY
 * (lib/buildid.c): the first note of type 3 named "GNU" with 1 to 20 bytes, in the PT_NOTE
 * segments of the first 256 program headers of an executable or shared object, notes aligned to
 * 4 bytes. native: read the fields in this machine's byte order whatever the file says, as the
 * kernel does (so a file of the other order has none); otherwise in the order EI_DATA names.
 * 0 and *out set (size 0: none); MMAPC_EPARSE when it is not ELF, its header or program headers
 * cannot be read, or a malformed note segment was passed over and no ID found; another error
 * of read. */
int mmapc__elf_build_id(mmapc__image_read read, void *ctx, bool native, mmapc_build_id *out);

/* The CodeView (RSDS) record of a PE image as mapped (offsets are RVAs): the GUID's 16 bytes and
 * the age's 4, little-endian. 0 and *out set (size 0: the image has no such record);
 * MMAPC_EPARSE when the headers are not those of a PE image or lie outside it; another error of
 * read. */
int mmapc__pe_build_id(mmapc__image_read read, void *ctx, mmapc_build_id *out);

#endif
