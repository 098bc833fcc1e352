// SPDX-License-Identifier: MIT
/* An append-only log in a file that may be empty: map it whole, read from an unaligned offset,
 * grow it in place into a reserved tail, and handle a full disk as an error. */
#include "mmapc.h"

#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

static mmapc_file open_log(const char *path)
{
#ifdef _WIN32
    return CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                       CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
#else
    return open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
#endif
}

static void close_log(mmapc_file file)
{
#ifdef _WIN32
    CloseHandle(file);
#else
    close(file);
#endif
}

/* Append a record: grow the mapping (and the file, its storage first), then write. */
static int append(mmapc_map *log, const char *record)
{
    size_t at = mmapc_size(log), len = strlen(record);
    int rc = mmapc_resize(log, at + len, MMAPC_RESIZE_MAY_MOVE);
    if (rc == MMAPC_ENOSPC) {
        fprintf(stderr, "disk full: the log keeps its %zu bytes\n", at);
        return rc;
    }
    if (rc)
        return rc;
    memcpy((char *)mmapc_ptr(log) + at, record, len);
    return 0;
}

int main(void)
{
    const char *path = "mmapc-growing.log";
    mmapc_file file = open_log(path);
    const mmapc_options shared = {.flags = MMAPC_SHARED};

    /* 1. A whole-file map of a file that is empty: valid, size 0, nothing to read. */
    mmapc_map *whole;
    int rc = mmapc_map_file_whole(&whole, MMAPC_PROT_READ, file, 0, NULL);
    if (rc) {
        fprintf(stderr, "map: %s\n", mmapc_strerror(rc));
        return 1;
    }
    printf("empty file: %zu bytes mapped\n", mmapc_size(whole));
    mmapc_unmap(whole);

    /* 2. A log that grows in place: 64 MiB of address space held for it, same address. */
    mmapc_map *log;
    rc = mmapc_map_file_growable(&log, MMAPC_TO_END, (size_t)64 << 20, MMAPC_PROT_RW, file, 0,
                                 &shared);
    if (rc) {
        fprintf(stderr, "map: %s\n", mmapc_strerror(rc));
        return 1;
    }
    void *start = NULL;
    const char *records[] = {"first record\n", "second record\n", "third record\n"};
    for (size_t i = 0; i < 3 && rc == 0; i++) {
        rc = append(log, records[i]);
        if (i == 0)
            start = mmapc_ptr(log);
    }
    printf("log: %zu bytes, %s\n", mmapc_size(log),
           mmapc_ptr(log) == start ? "grown in place" : "moved (no capacity here)");
    mmapc_flush(log, 0, mmapc_size(log));
    mmapc_unmap(log);

    /* 3. Any offset: the second record, read from wherever it starts in the file. */
    size_t second = strlen(records[0]);
    rc = mmapc_map_file(&whole, strlen(records[1]) - 1, MMAPC_PROT_READ, file, second, NULL);
    if (rc == 0) {
        printf("at offset %zu: %.*s\n", second, (int)strlen(records[1]) - 1,
               (const char *)mmapc_ptr(whole));
        mmapc_unmap(whole);
    }
    close_log(file);
    remove(path);
    return rc ? 1 : 0;
}
