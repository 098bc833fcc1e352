// SPDX-License-Identifier: MIT
/* Map a file shared, change it through memory, flush part of it to disk. */
#include "mmapc.h"

#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

int main(void)
{
    const char *path = "mmapc-example.dat";
    FILE *out = fopen(path, "wb");
    if (!out)
        return 1;
    for (int i = 0; i < 8192; i++)
        fputc('.', out);
    fclose(out);

#ifdef _WIN32
    mmapc_file file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                                  FILE_ATTRIBUTE_NORMAL, NULL);
#else
    mmapc_file file = open(path, O_RDWR);
#endif
    mmapc_map *map;
    int rc =
        mmapc_map_file(&map, 8192, MMAPC_PROT_RW, file, 0, &(mmapc_options){.flags = MMAPC_SHARED});
#ifdef _WIN32
    CloseHandle(file); /* the mapping does not need the file to stay open */
#else
    close(file);
#endif
    if (rc) {
        fprintf(stderr, "map %s: %s\n", path, mmapc_strerror(rc));
        return 1;
    }
    char *p = mmapc_ptr(map);
    memcpy(p + 100, "written through a mapping", 25);
    rc = mmapc_flush(map, 100, 125); /* just the bytes we changed; waits for the write */
    if (rc)
        fprintf(stderr, "flush: %s\n", mmapc_strerror(rc));
    /* out of bounds is an error, never undefined behaviour */
    printf("flush past the end: %s\n", mmapc_err_name(mmapc_flush(map, 0, 1 << 20)));
    mmapc_unmap(map);

    char buf[26] = {0};
    FILE *in = fopen(path, "rb");
    if (!in || fseek(in, 100, SEEK_SET) != 0 || fread(buf, 1, 25, in) != 25)
        return 1;
    fclose(in);
    remove(path);
    printf("file now says: \"%s\"\n", buf);
    return rc ? 1 : 0;
}
