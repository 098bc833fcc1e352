// SPDX-License-Identifier: MIT
/* Helpers of the memory-area tests: the raw /proc/<pid>/maps text as the oracle, areas of every
 * kind to look for, and a child process that holds them still while the parent looks. */
#ifndef MMAPC_TESTS_AREAS_UTIL_H
#define MMAPC_TESTS_AREAS_UTIL_H

#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

#define ANON_NAME "mmapc test name"

/* Read all of path into buf (no allocation, so reading does not change our own areas). */
static inline size_t au_read_all(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    size_t len = 0;
    for (;;) {
        REQUIRE(len < cap);
        ssize_t n = read(fd, buf + len, cap - len);
        REQUIRE(n >= 0);
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    return len;
}

/* The area as the kernel prints it, up to the inode (show_map_vma's format). */
static inline void au_format(const mmapc_area *a, char *out, size_t cap)
{
    snprintf(out, cap, "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64 " %02x:%02x %" PRIu64,
             a->start, a->end, (a->prot & MMAPC_PROT_READ) ? 'r' : '-',
             (a->prot & MMAPC_PROT_WRITE) ? 'w' : '-', (a->prot & MMAPC_PROT_EXEC) ? 'x' : '-',
             a->shared ? 's' : 'p', a->offset, a->dev_major, a->dev_minor, a->inode);
}

/* The name the kernel prints for the area: path plus the deletion suffix. */
static inline void au_name(const mmapc_area *a, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s", a->path, a->deleted ? " (deleted)" : "");
}

/*
 * Compare the areas of it with the raw listing, line for line: the formatted prefix, then the
 * name after the padding. Returns the number of areas (or -1 after printing a difference).
 */
static inline long au_compare(const char *raw, size_t len, mmapc_areas *it)
{
    const char *line = raw, *end = raw + len;
    long n = 0;
    mmapc_area a;
    int rc;
    static char want[8192], name[8192];
    while ((rc = mmapc_areas_next(it, &a)) > 0) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl) {
            fprintf(stderr, "area %ld beyond the listing\n", n);
            return -1;
        }
        au_format(&a, want, sizeof want);
        size_t w = strlen(want);
        const char *rest = line + w;
        while (rest < nl && *rest == ' ')
            rest++;
        au_name(&a, name, sizeof name);
        if ((size_t)(nl - line) < w || memcmp(line, want, w) != 0 ||
            (line[w] != ' ' && line + w != nl) || strlen(name) != (size_t)(nl - rest) ||
            memcmp(rest, name, (size_t)(nl - rest)) != 0) {
            fprintf(stderr, "line %ld differs:\n  kernel: %.*s\n  mmapc:  %s %s\n", n,
                    (int)(nl - line), line, want, name);
            return -1;
        }
        line = nl + 1;
        n++;
    }
    if (rc != 0) {
        fprintf(stderr, "mmapc_areas_next: %s\n", mmapc_err_name(rc));
        return -1;
    }
    if (line != end) {
        fprintf(stderr, "listing has lines after area %ld: %.60s\n", n, line);
        return -1;
    }
    return n;
}

/* Non-zero when two descriptions of an area agree in every field and in the path. */
static inline int au_same(const mmapc_area *x, const mmapc_area *y)
{
    return x->start == y->start && x->end == y->end && x->allocation_base == y->allocation_base &&
           x->prot == y->prot && x->shared == y->shared && x->kind == y->kind &&
           x->path_len == y->path_len && strcmp(x->path, y->path) == 0 &&
           x->deleted == y->deleted && x->offset == y->offset && x->dev_major == y->dev_major &&
           x->dev_minor == y->dev_minor && x->inode == y->inode;
}

/* Areas of every kind the tests look for. */
typedef struct au_special {
    char *deleted; /* a file mapped, then deleted */
    char *spaces;  /* a file whose name has spaces, mapped at a file offset of one page */
    char *named;   /* [anon:NAME], or NULL when the kernel cannot name areas */
    char *shared;  /* shared anonymous memory ("/dev/zero (deleted)") */
    char *none;    /* PROT_NONE reservation */
    char deleted_path[256], spaces_path[256];
} au_special;

static inline char *au_map_file(char *path, size_t cap, const char *name, int prot, int flags,
                                long offset_pages)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/%s XXXXXX", dir && *dir ? dir : "/tmp", name);
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    long page = sysconf(_SC_PAGESIZE);
    REQUIRE(ftruncate(fd, page * (offset_pages + 2)) == 0);
    char *p = mmap(NULL, (size_t)page * 2, prot, flags, fd, page * offset_pages);
    REQUIRE(p != MAP_FAILED);
    close(fd);
    return p;
}

static inline void au_make_special(au_special *s)
{
    memset(s, 0, sizeof *s);
    long page = sysconf(_SC_PAGESIZE);
    s->deleted = au_map_file(s->deleted_path, sizeof s->deleted_path, "mmapc-deleted",
                             PROT_READ | PROT_WRITE, MAP_SHARED, 0);
    REQUIRE(unlink(s->deleted_path) == 0);
    s->spaces = au_map_file(s->spaces_path, sizeof s->spaces_path, "mmapc name with  spaces",
                            PROT_READ, MAP_PRIVATE, 1);
    s->named =
        mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(s->named != MAP_FAILED);
    if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)s->named, (unsigned long)page * 3,
              (unsigned long)ANON_NAME) != 0) {
        fprintf(stderr,
                "skipped: [anon:NAME] areas: prctl(PR_SET_VMA_ANON_NAME): %s "
                "(kernel without CONFIG_ANON_VMA_NAME?)\n",
                strerror(errno));
        munmap(s->named, (size_t)page * 3);
        s->named = NULL;
    }
    s->shared = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(s->shared != MAP_FAILED);
    s->none =
        mmap(NULL, (size_t)page * 4, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    REQUIRE(s->none != MAP_FAILED);
}

/* Find the area holding p in a listing of pid; returns 0 and *a (path copied to buf). */
static inline int au_find(int pid, const void *p, mmapc_area *a, char *buf, size_t cap)
{
    mmapc_areas *it;
    REQUIRE_OK(mmapc_areas_open(&it, pid));
    int rc, found = 0;
    while ((rc = mmapc_areas_next(it, a)) > 0) {
        if (a->start <= (uintptr_t)p && (uintptr_t)p < a->end) {
            snprintf(buf, cap, "%s", a->path);
            a->path = buf;
            found = 1;
            break;
        }
    }
    mmapc_areas_close(it);
    return found ? 0 : -1;
}

/* Check the special areas of pid as the library describes them. */
static inline void au_check_special(int pid, const au_special *s)
{
    static char buf[512];
    long page = sysconf(_SC_PAGESIZE);
    mmapc_area a;
    CHECK(au_find(pid, s->deleted, &a, buf, sizeof buf) == 0);
    CHECK(a.kind == MMAPC_AREA_FILE && a.deleted && a.shared && a.inode != 0);
    CHECK(strcmp(a.path, s->deleted_path) == 0);
    CHECK(au_find(pid, s->spaces, &a, buf, sizeof buf) == 0);
    CHECK(a.kind == MMAPC_AREA_FILE && !a.deleted && !a.shared && a.offset == (uint64_t)page);
    CHECK(strcmp(a.path, s->spaces_path) == 0 && a.prot == MMAPC_PROT_READ);
    if (s->named) {
        CHECK(au_find(pid, s->named, &a, buf, sizeof buf) == 0);
        CHECK(a.kind == MMAPC_AREA_ANON_NAMED && strcmp(a.path, "[anon:" ANON_NAME "]") == 0);
        CHECK(a.start == (uintptr_t)s->named && a.end - a.start == (uintptr_t)page * 3);
    } else {
        CHECK_SKIP("[anon:NAME] area: the kernel cannot name anonymous areas");
    }
    CHECK(au_find(pid, s->shared, &a, buf, sizeof buf) == 0);
    CHECK(a.shared && a.kind == MMAPC_AREA_FILE && a.deleted && strcmp(a.path, "/dev/zero") == 0);
    CHECK(au_find(pid, s->none, &a, buf, sizeof buf) == 0);
    CHECK(a.prot == MMAPC_PROT_NONE && a.kind == MMAPC_AREA_ANON && a.path_len == 0);
}

/* How many descriptors the process has open, to prove nothing leaked. */
static inline int tu_open_files_areas(void)
{
    int n = 0;
    char path[64];
    for (int fd = 0; fd < 1024; fd++) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        n += access(path, F_OK) == 0;
    }
    return n;
}

#endif
