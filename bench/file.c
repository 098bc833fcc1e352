// SPDX-License-Identifier: MIT
/* Rows of file reading: sum the 64-bit words of a file through mmapc, raw mmap, and read(). */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define CHUNK (1u << 20) /* the read() buffer, and the unit of writing the file */

typedef struct file_ctx {
    int fd;
    size_t size;
    uint64_t expect; /* sum of the words as written */
    uint64_t *buf;   /* CHUNK bytes, for read() */
} file_ctx;

/* Several independent accumulators, so that the loop is limited by memory, not by one chain of
 * additions. One copy of the loop serves all three sides. */
__attribute__((noinline)) static uint64_t sum_words(const uint64_t *w, size_t n)
{
    uint64_t a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        a += w[i];
        b += w[i + 1];
        c += w[i + 2];
        d += w[i + 3];
        e += w[i + 4];
        f += w[i + 5];
        g += w[i + 6];
        h += w[i + 7];
    }
    for (; i < n; i++)
        a += w[i];
    return a + b + c + d + e + f + g + h;
}

static void check_sum(const file_ctx *c, uint64_t sum)
{
    if (sum != c->expect) {
        fprintf(stderr, "bench: wrong sum of the file's words\n");
        exit(1);
    }
}

static void sum_mmapc(void *arg)
{
    file_ctx *c = arg;
    mmapc_map *m;
    int rc = mmapc_map_file(&m, c->size, MMAPC_PROT_READ, c->fd, 0, NULL);
    if (rc)
        bench_die("mmapc_map_file", rc);
    check_sum(c, sum_words(mmapc_ptr(m), c->size / 8));
    mmapc_unmap(m);
}

static void sum_mmap(void *arg)
{
    file_ctx *c = arg;
    void *p = mmap(NULL, c->size, PROT_READ, MAP_PRIVATE, c->fd, 0);
    if (p == MAP_FAILED)
        bench_die("mmap", 0);
    check_sum(c, sum_words(p, c->size / 8));
    munmap(p, c->size);
}

static void sum_read(void *arg)
{
    file_ctx *c = arg;
    uint64_t sum = 0;
    for (size_t off = 0; off < c->size;) {
        ssize_t n = pread(c->fd, c->buf, CHUNK, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || n % 8 != 0)
            bench_die("pread", 0);
        sum += sum_words(c->buf, (size_t)n / 8);
        off += (size_t)n;
    }
    check_sum(c, sum);
}

static unsigned long long mem_available(void)
{
    unsigned long long kb = 0;
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f)
        return 0;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
            break;
    }
    fclose(f);
    return kb * 1024;
}

/* Create the file (deleted at once: it lives until closed, whatever happens) and fill it. */
static int make_file(file_ctx *c, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/mmapc-bench-%ld.tmp", dir, (long)getpid());
    c->fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (c->fd < 0)
        return -1;
    unlink(path);
    c->expect = 0;
    uint64_t word = 0;
    for (size_t off = 0; off < c->size; off += CHUNK) {
        for (size_t i = 0; i < CHUNK / 8; i++, word++) {
            c->buf[i] = word * 0x9e3779b97f4a7c15u;
            c->expect += c->buf[i];
        }
        if (write(c->fd, c->buf, CHUNK) != (ssize_t)CHUNK) {
            close(c->fd);
            return -1;
        }
    }
    return 0;
}

void bench_file_rows(void)
{
    file_ctx c = {.size = bench_cfg.quick ? (size_t)64 << 20 : (size_t)1 << 30};
    char param[32];
    snprintf(param, sizeof param, "%zu MiB", c.size >> 20);
    struct statvfs vfs;
    const char *dir = bench_cfg.out_dir;
    if (statvfs(dir, &vfs) != 0) {
        bench_note("file rows skipped: cannot stat the file system of %s", dir);
        return;
    }
    unsigned long long free_bytes = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
    /* leave room for others on the disk, and keep the file in the page cache */
    if (free_bytes < c.size + ((size_t)512 << 20) || mem_available() < 2ull * c.size) {
        bench_note("file rows skipped: need %zu MiB + 512 MiB free in %s (have %llu MiB) and "
                   "twice the file in available memory",
                   c.size >> 20, dir, free_bytes >> 20);
        return;
    }
    c.buf = aligned_alloc(4096, CHUNK);
    if (!c.buf)
        bench_die("aligned_alloc", 0);
    if (make_file(&c, dir) != 0) {
        bench_note("file rows skipped: cannot create a file in %s: %s", dir, strerror(errno));
        free(c.buf);
        return;
    }
    bench_variant v[] = {{"mmapc", sum_mmapc, &c},
                         {"raw mmap", sum_mmap, &c},
                         {"read() 1 MiB buffer", sum_read, &c}};
    bench_result r;
    bench_run(v, 3, bench_cfg.quick ? 3 : 21, &r);
    char note[80];
    snprintf(note, sizeof note, "GB/s: mmapc %.2f, mmap %.2f, read %.2f", c.size / r.median_ns[0],
             c.size / r.median_ns[1], c.size / r.median_ns[2]);
    /* throughput >= 0.95x is time <= 1/0.95 */
    bench_row("sum u64 of a file, warm", param, r.median_ns[0], v[1].name, r.median_ns[1],
              r.ratio[1], "<= 1.053", note);
    bench_row("sum u64 of a file, warm", param, r.median_ns[0], v[2].name, r.median_ns[2],
              r.ratio[2], "report", NULL);
    close(c.fd); /* the last reference: the file's blocks are freed now */
    free(c.buf);
}
