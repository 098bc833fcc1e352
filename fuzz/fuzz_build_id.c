// SPDX-License-Identifier: MIT
/* libFuzzer target: the pure build-ID readers (src/build_id.c) on arbitrary bytes. The ELF
 * reader runs in both modes (the byte order the file names, and this machine's, as the kernel
 * reads it) and the PE reader on the same bytes; none may read outside them, and an ID found
 * must be one of the sizes each allows. */
#include "build_id.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(int rc, const mmapc_build_id *id, size_t max)
{
    if (rc == 0 && id->size > max)
        abort();
    if (rc != 0 && rc != MMAPC_EPARSE)
        abort();
    for (size_t i = rc == 0 ? id->size : MMAPC_BUILD_ID_MAX; i < MMAPC_BUILD_ID_MAX; i++)
        if (id->bytes[i])
            abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    /* an exact-size copy: a read one byte past it is caught */
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    mmapc__span s = {copy, size};
    mmapc_build_id id;
    check(mmapc_elf_build_id(copy, size, &id), &id, 20);
    check(mmapc__elf_build_id(mmapc__span_read, &s, true, &id), &id, 20);
    int rc = mmapc__pe_build_id(mmapc__span_read, &s, &id);
    check(rc, &id, 20);
    if (rc == 0 && id.size != 0 && id.size != 20)
        abort();
    char hex[MMAPC_BUILD_ID_HEX_SIZE];
    if (rc == 0 && mmapc_build_id_hex(&id, hex, sizeof hex) != 0)
        abort();
    free(copy);
    return 0;
}
