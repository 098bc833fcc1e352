// SPDX-License-Identifier: MIT
/*
 * Read a mapped file that another process truncates while it is mapped: guarded reads return
 * MMAPC_EIO with the exact number of bytes read, where a plain read through the pointer would
 * end the program with SIGBUS. (POSIX: Windows refuses to truncate a file that is mapped.)
 */
#define _XOPEN_SOURCE 700 /* mkstemp, truncate */
#include "mmapc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RECORD 100
#define RECORDS 1000

int main(void)
{
    char path[] = "mmapc-example-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    char rec[RECORD + 1];
    for (int i = 0; i < RECORDS; i++) {
        snprintf(rec, sizeof rec, "record %04d %*s\n", i, RECORD - 13, "");
        if (write(fd, rec, RECORD) != RECORD)
            return 1;
    }
    mmapc_map *map;
    int rc = mmapc_map_file(&map, (size_t)RECORD * RECORDS, MMAPC_PROT_READ, fd, 0, NULL);
    if (rc) {
        fprintf(stderr, "map: %s\n", mmapc_strerror(rc));
        return 1;
    }

    /* another process cuts the file to 40,000 bytes while we have it mapped */
    pid_t pid = fork();
    if (pid == 0)
        _exit(truncate(path, 40000) == 0 ? 0 : 1);
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
        return 1;

    /* read the records; a read that meets the cut says how far it got */
    size_t total = 0;
    for (int i = 0; i < RECORDS; i++) {
        size_t done = 0;
        rc = mmapc_read(map, (size_t)i * RECORD, rec, RECORD, &done);
        total += done;
        if (rc == MMAPC_EIO) {
            printf("record %d: the mapping faulted after %zu of its %d bytes (%s)\n", i, done,
                   RECORD, mmapc_strerror(rc));
            break;
        }
        if (rc) {
            fprintf(stderr, "read: %s\n", mmapc_strerror(rc));
            return 1;
        }
    }
    /* the page that holds the new end of the file reads as zeros past it; the next faults */
    size_t page = mmapc_page_size(), readable = (40000 + page - 1) / page * page;
    printf("read %zu bytes in all; the file now has 40000, and the pages up to %zu can be read\n",
           total, readable);
    mmapc_unmap(map);
    close(fd);
    unlink(path);
    return total == readable ? 0 : 1;
}
