// SPDX-License-Identifier: MIT
/*
 * Linux build IDs: PROCMAP_QUERY gives them directly (linux_areas.c); otherwise the ELF note is
 * read from the area's file, opened by its path when that still leads to the area's own file and
 * through /proc/<pid>/map_files/<start>-<end> when not (deleted, replaced, a name that was cut or
 * cannot be looked up from here).
 */
#define _GNU_SOURCE
#include "linux.h"

#include "../build_id.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int mmapc__os_build_id(mmapc__proc *p, uint64_t addr, mmapc_build_id *out)
{
    return mmapc__linux_query_build_id(p, addr, out);
}

/* The file's first bytes, read once: the headers and notes of nearly every ELF file lie there. */
#define HEAD_SIZE 4096

struct file_reader {
    int fd;
    size_t head_len;
    unsigned char head[HEAD_SIZE];
};

/* pread until len bytes or the end of the file: 0 with *got, or an error code. */
static int read_at(int fd, uint64_t off, void *buf, size_t len, size_t *got)
{
    size_t n = 0;
    while (n < len) {
        ssize_t r = pread(fd, (char *)buf + n, len - n, (off_t)(off + n));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return mmapc__posix_fail(errno);
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *got = n;
    return 0;
}

static int file_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    struct file_reader *r = ctx;
    if (off <= r->head_len && len <= r->head_len - off) {
        memcpy(buf, r->head + off, len);
        return 0;
    }
    if (off > (uint64_t)INT64_MAX - len)
        return MMAPC_EPARSE;
    size_t got = 0;
    int rc = read_at(r->fd, off, buf, len, &got);
    return rc ? rc : got == len ? 0 : MMAPC_EPARSE;
}

/* Whether fd, opened with O_PATH, is a regular file, and whether it is a's own file. */
static int check_file(int fd, const mmapc_area *a, bool *regular, bool *own)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return mmapc__posix_fail(errno);
    *regular = S_ISREG(st.st_mode);
    *own = st.st_ino == a->inode && major(st.st_dev) == a->dev_major &&
           minor(st.st_dev) == a->dev_minor;
    return 0;
}

/* Open for reading the file that fd (O_PATH) names: never a device's open, which could block or
 * act (fd was checked to be a regular file). */
static int reopen(int fd, int *out)
{
    char path[40];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int nfd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (nfd < 0)
        return mmapc__posix_fail(errno);
    *out = nfd;
    return 0;
}

/* The area's file through /proc/<pid>/map_files (O_PATH), which needs CAP_SYS_ADMIN or
 * CAP_CHECKPOINT_RESTORE. */
static int open_map_file(mmapc__proc *p, const mmapc_area *a, int *fd)
{
    char path[96];
    if (mmapc__linux_proc_self(p))
        snprintf(path, sizeof path, "/proc/self/map_files/%llx-%llx", (unsigned long long)a->start,
                 (unsigned long long)a->end);
    else
        snprintf(path, sizeof path, "/proc/%d/map_files/%llx-%llx", mmapc__linux_proc_pid(p),
                 (unsigned long long)a->start, (unsigned long long)a->end);
    *fd = open(path, O_PATH | O_CLOEXEC);
    if (*fd < 0)
        return errno == ENOENT ? mmapc__os_fail(errno, MMAPC_ENOTFOUND) : mmapc__posix_fail(errno);
    return 0;
}

/* An O_PATH descriptor of a's file: by its path when that is the area's own file, else through
 * map_files. *regular tells whether it is a regular file (only those are read). */
static int open_area_file(mmapc__proc *p, const mmapc_area *a, int *out, bool *regular)
{
    bool own = false;
    int fd = -1, rc;
    if (a->kind == MMAPC_AREA_FILE && !a->deleted && a->path_len == strlen(a->path) &&
        a->path[0] == '/') {
        fd = open(a->path, O_PATH | O_CLOEXEC);
        if (fd >= 0 && check_file(fd, a, regular, &own) != 0)
            own = false;
        if (own) {
            *out = fd;
            return 0;
        }
    }
    int mfd;
    rc = open_map_file(p, a, &mfd);
    if (rc == 0) {
        rc = check_file(mfd, a, regular, &own);
        if (rc == 0) {
            if (fd >= 0)
                close(fd);
            *out = mfd;
            return 0;
        }
        close(mfd);
    }
    /* map_files refused (no privilege): the path's file, if its inode is the area's (another
     * device number: overlayfs, btrfs subvolumes), is the best there is */
    if (fd >= 0) {
        struct stat st;
        if (fstat(fd, &st) == 0 && st.st_ino == a->inode) {
            *regular = S_ISREG(st.st_mode);
            *out = fd;
            return 0;
        }
        close(fd);
    }
    return rc;
}

static int none(mmapc_build_id *out)
{
    memset(out, 0, sizeof *out);
    return 0;
}

int mmapc__os_build_id_file(mmapc__proc *p, const mmapc_area *a, mmapc_build_id *out)
{
    /* only areas with a file behind them (shared anonymous memory has one too) */
    if (a->inode == 0 && a->kind != MMAPC_AREA_FILE && a->kind != MMAPC_AREA_ANON_SHMEM)
        return none(out);
    int pfd;
    bool regular = false;
    int rc = open_area_file(p, a, &pfd, &regular);
    if (rc == MMAPC_ENOTFOUND) /* the area went away in between */
        return rc;
    if (rc)
        return rc;
    if (!regular) { /* a device or the like: the kernel reads no build ID there either */
        close(pfd);
        return none(out);
    }
    struct file_reader r;
    rc = reopen(pfd, &r.fd);
    close(pfd);
    if (rc)
        return rc;
    rc = read_at(r.fd, 0, r.head, sizeof r.head, &r.head_len);
    mmapc_build_id id;
    if (rc == 0)
        rc = mmapc__elf_build_id(file_read, &r, true, &id);
    close(r.fd);
    if (rc == MMAPC_EPARSE) /* not ELF, or malformed: the kernel reports none */
        return none(out);
    if (rc)
        return rc;
    *out = id;
    return 0;
}
