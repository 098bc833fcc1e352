// SPDX-License-Identifier: MIT
/* The baselines: what a caller would write with plain system calls, no mmapc. */
#define _GNU_SOURCE
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

int raw_procmap_query(int fd, uint64_t addr, uint64_t *start, uint64_t *end, char *name,
                      uint32_t name_size)
{
    /* query_flags 0: only the area that covers addr (0x10 would also accept the next one) */
    struct raw_query_args q = {
        .size = sizeof q,
        .query_addr = addr,
        .vma_name_size = name_size,
        .vma_name_addr = (uint64_t)(uintptr_t)name,
    };
    if (ioctl(fd, (raw_ioctl_request)RAW_PROCMAP_QUERY, &q) != 0)
        return -errno;
    *start = q.vma_start;
    *end = q.vma_end;
    return 0;
}

int raw_procmap_available(void)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    uint64_t s, e;
    char name[256];
    int rc = raw_procmap_query(fd, (uint64_t)(uintptr_t)&fd, &s, &e, name, sizeof name);
    close(fd);
    return rc == 0;
}

long raw_read_maps(char **buf, size_t *cap)
{
    return raw_read_file("/proc/self/maps", buf, cap);
}

long raw_read_file(const char *path, char **buf, size_t *cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    for (;;) {
        if (*cap - len < 4096) {
            size_t ncap = *cap ? *cap * 2 : 1 << 16;
            char *nb = realloc(*buf, ncap);
            if (!nb) {
                close(fd);
                return -1;
            }
            *buf = nb;
            *cap = ncap;
        }
        ssize_t n = read(fd, *buf + len, *cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    (*buf)[len] = '\0';
    return (long)len;
}

uint64_t raw_text_find(const char *text, uint64_t addr)
{
    for (const char *line = text; *line;) {
        /* sscanf on a copy of the line: on the whole buffer, glibc's sscanf measures the rest
         * of the string first, which would make the scan quadratic */
        char head[64];
        size_t n = strcspn(line, "\n");
        size_t k = n < sizeof head - 1 ? n : sizeof head - 1;
        memcpy(head, line, k);
        head[k] = '\0';
        uint64_t start, end;
        if (sscanf(head, "%" SCNx64 "-%" SCNx64, &start, &end) == 2 && start <= addr && addr < end)
            return start;
        if (line[n] == '\0')
            break;
        line += n + 1;
    }
    return 0;
}

size_t raw_count_lines(const char *text, size_t len)
{
    size_t n = 0;
    for (const char *p = text, *stop = text + len; (p = memchr(p, '\n', (size_t)(stop - p))); p++)
        n++;
    return n;
}

int extra_areas_make(extra_areas *e, size_t count)
{
    e->base = NULL;
    e->size = 0;
    if (count == 0)
        return 0;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = count * page;
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -errno;
    /* every other page read-only: neighbours differ, so the kernel keeps count areas */
    for (size_t i = 1; i < count; i += 2) {
        if (mprotect(p + i * page, page, PROT_READ) != 0) {
            int err = errno;
            munmap(p, size);
            return -err;
        }
    }
    e->base = p;
    e->size = size;
    return 0;
}

void extra_areas_free(extra_areas *e)
{
    if (e->base)
        munmap(e->base, e->size);
    e->base = NULL;
}
