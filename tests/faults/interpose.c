// SPDX-License-Identifier: MIT
/*
 * The wrappers behind tests/faults/interpose.h. The faults build renames every reference the
 * library makes to a C library function F (listed in calls.txt) to mmapc_fault_F, defined here;
 * each wrapper counts the call in its class, fails it when it is the armed one (with no side
 * effect, as the kernel would, except close, which releases the descriptor even when it
 * reports an error), and otherwise calls F and updates the ledger.
 *
 * The counters live in a shared page, so that a forked child continues the parent's count and
 * one failure point means one call in the whole run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "interpose.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/* ---- classes ---- */

static const char *const class_names[] = {
#define FAULT_NAME(name, err) #name,
    FAULT_CLASSES(FAULT_NAME)
#undef FAULT_NAME
};
static const int class_errno[] = {
#define FAULT_ERR(name, err) err,
    FAULT_CLASSES(FAULT_ERR)
#undef FAULT_ERR
};

const char *fault_class_name(int cls)
{
    return cls >= 0 && cls < FAULT_NCLASSES ? class_names[cls] : "?";
}

int fault_class_find(const char *name)
{
    for (int i = 0; i < FAULT_NCLASSES; i++) {
        if (strcmp(class_names[i], name) == 0)
            return i;
    }
    return -1;
}

static const struct {
    const char *name;
    int value;
} errno_names[] = {
    {"ENOMEM", ENOMEM}, {"EIO", EIO},       {"EINTR", EINTR},   {"EBADF", EBADF},
    {"ESRCH", ESRCH},   {"EAGAIN", EAGAIN}, {"EMFILE", EMFILE}, {"ENFILE", ENFILE},
    {"EACCES", EACCES}, {"EPERM", EPERM},   {"ENOSPC", ENOSPC}, {"EINVAL", EINVAL},
};

int fault_errno_value(const char *name)
{
    for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++) {
        if (strcmp(errno_names[i].name, name) == 0)
            return errno_names[i].value;
    }
    return 0;
}

static const char *errno_name(int value)
{
    for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++) {
        if (errno_names[i].value == value)
            return errno_names[i].name;
    }
    return "?";
}

/* ---- the shared counters ---- */

struct shared {
    atomic_ulong calls[FAULT_NCLASSES];
    atomic_ulong injected;
    atomic_ulong unclassified; /* syscall() numbers not classified */
    long last_unclassified;
    int armed;            /* class to fail, or -1 */
    unsigned long target; /* fail the call whose count reaches this */
    int err;              /* 0: the class's own */
    int last_class, last_err;
    char last_function[32];
    uintptr_t last_offset;
};
static struct shared *sh;

static void arm(int cls, unsigned long n, int err)
{
    if (n == 0 || cls < 0 || cls >= FAULT_NCLASSES) {
        sh->armed = -1;
        return;
    }
    sh->target = atomic_load(&sh->calls[cls]) + n;
    sh->err = err;
    sh->armed = cls;
}

static void init_once(void)
{
    void *p = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        abort();
    sh = p;
    sh->armed = -1;
    sh->last_class = -1;
    const char *c = getenv("MMAPC_FAULT_CLASS");
    const char *n = getenv("MMAPC_FAULT_N");
    const char *e = getenv("MMAPC_FAULT_ERRNO");
    if (c && *c && n && *n) {
        int cls = fault_class_find(c);
        if (cls < 0) {
            fprintf(stderr, "MMAPC_FAULT_CLASS: no class %s\n", c);
            abort();
        }
        int err = e && *e ? fault_errno_value(e) : 0;
        if (e && *e && !err) {
            fprintf(stderr, "MMAPC_FAULT_ERRNO: unknown %s\n", e);
            abort();
        }
        arm(cls, strtoul(n, NULL, 10), err);
    }
}

static void init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_once);
}

void fault_arm(int cls, unsigned long n, int err)
{
    init();
    arm(cls, n, err);
}

unsigned long fault_calls(int cls)
{
    init();
    return cls >= 0 && cls < FAULT_NCLASSES ? atomic_load(&sh->calls[cls]) : 0;
}

unsigned long fault_injected(void)
{
    init();
    return atomic_load(&sh->injected);
}

unsigned long fault_unclassified(void)
{
    init();
    return atomic_load(&sh->unclassified);
}

const char *fault_injected_function(void)
{
    init();
    return sh->last_function;
}

uintptr_t fault_injected_offset(void)
{
    init();
    return sh->last_offset;
}

/* Count a call of cls by fn (called from ret); non-zero when it must fail, with errno set to
 * err_here (the class's errno as this call would give it) or to the armed errno. */
static int hit(int cls, const char *fn, void *ret, int err_here)
{
    init();
    unsigned long n = atomic_fetch_add(&sh->calls[cls], 1) + 1;
    if (sh->armed != cls || n != sh->target)
        return 0;
    int err = sh->err ? sh->err : err_here ? err_here : class_errno[cls];
    atomic_fetch_add(&sh->injected, 1);
    sh->last_class = cls;
    sh->last_err = err;
    snprintf(sh->last_function, sizeof sh->last_function, "%s", fn);
    Dl_info info;
    sh->last_offset = dladdr(ret, &info) && info.dli_fbase
                          ? (uintptr_t)ret - (uintptr_t)info.dli_fbase
                          : (uintptr_t)ret;
    errno = err;
    return 1;
}

void fault_report(void)
{
    init();
    const char *path = getenv("MMAPC_FAULT_REPORT");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    for (int i = 0; i < FAULT_NCLASSES; i++)
        fprintf(f, "calls %s %lu\n", class_names[i], atomic_load(&sh->calls[i]));
    if (sh->last_class >= 0)
        fprintf(f, "injected %s %s %s 0x%lx\n", class_names[sh->last_class],
                errno_name(sh->last_err), sh->last_function, (unsigned long)sh->last_offset);
    else
        fprintf(f, "injected none\n");
    if (atomic_load(&sh->unclassified))
        fprintf(f, "unclassified syscall %ld (%lu calls)\n", sh->last_unclassified,
                atomic_load(&sh->unclassified));
    fclose(f);
}

/* ---- the ledger (per process) ---- */

static fault_ledger ledger;
static pthread_mutex_t ledger_lock = PTHREAD_MUTEX_INITIALIZER;

/* Does the ledger hold all of [s, e)? */
static int covers(const fault_ledger *L, uintptr_t s, uintptr_t e)
{
    while (s < e) {
        size_t i;
        for (i = 0; i < L->nmaps; i++) {
            if (L->maps[i].start <= s && s < L->maps[i].end)
                break;
        }
        if (i == L->nmaps)
            return 0;
        s = L->maps[i].end;
    }
    return 1;
}

static void maps_remove(fault_ledger *L, uintptr_t s, uintptr_t e)
{
    for (size_t i = 0; i < L->nmaps; i++) {
        uintptr_t a = L->maps[i].start, b = L->maps[i].end;
        if (b <= s || e <= a)
            continue;
        if (a < s && e < b) { /* a hole in the middle: split */
            if (L->nmaps == sizeof L->maps / sizeof L->maps[0])
                abort();
            L->maps[L->nmaps].start = e;
            L->maps[L->nmaps].end = b;
            L->nmaps++;
            L->maps[i].end = s;
        } else if (a < s) {
            L->maps[i].end = s;
        } else if (e < b) {
            L->maps[i].start = e;
        } else {
            L->maps[i] = L->maps[--L->nmaps];
            i--;
        }
    }
}

static void maps_add(fault_ledger *L, uintptr_t s, uintptr_t e)
{
    maps_remove(L, s, e);
    if (L->nmaps == sizeof L->maps / sizeof L->maps[0])
        abort();
    L->maps[L->nmaps].start = s;
    L->maps[L->nmaps].end = e;
    L->nmaps++;
}

static uintptr_t page_up(uintptr_t x)
{
    uintptr_t ps = (uintptr_t)sysconf(_SC_PAGESIZE);
    return (x + ps - 1) & ~(ps - 1);
}

static void on_mapped(void *p, size_t len, int flags)
{
    uintptr_t s = (uintptr_t)p, e = s + page_up(len);
    pthread_mutex_lock(&ledger_lock);
    if ((flags & MAP_FIXED) && !covers(&ledger, s, e))
        ledger.foreign_fixed++;
    maps_add(&ledger, s, e);
    pthread_mutex_unlock(&ledger_lock);
}

static void on_unmapped(void *p, size_t len)
{
    uintptr_t s = (uintptr_t)p, e = s + page_up(len);
    pthread_mutex_lock(&ledger_lock);
    if (!covers(&ledger, s, e))
        ledger.foreign_close++;
    maps_remove(&ledger, s, e);
    pthread_mutex_unlock(&ledger_lock);
}

static void on_opened(int fd)
{
    if (fd >= 0 && fd < (int)sizeof ledger.fds)
        ledger.fds[fd] = 1;
}

static void on_closed(int fd)
{
    if (fd < 0 || fd >= (int)sizeof ledger.fds || !ledger.fds[fd])
        ledger.foreign_close++;
    else
        ledger.fds[fd] = 0;
}

/* The ledger's mappings as sorted, merged ranges. */
static size_t normalised(const fault_ledger *l, uintptr_t (*out)[2])
{
    size_t n = 0;
    for (size_t i = 0; i < l->nmaps; i++) {
        size_t j = n++;
        while (j > 0 && out[j - 1][0] > l->maps[i].start) {
            out[j][0] = out[j - 1][0];
            out[j][1] = out[j - 1][1];
            j--;
        }
        out[j][0] = l->maps[i].start;
        out[j][1] = l->maps[i].end;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && out[m - 1][1] == out[i][0]) {
            out[m - 1][1] = out[i][1];
        } else {
            out[m][0] = out[i][0];
            out[m][1] = out[i][1];
            m++;
        }
    }
    return m;
}

void fault_ledger_get(fault_ledger *out)
{
    pthread_mutex_lock(&ledger_lock);
    *out = ledger;
    pthread_mutex_unlock(&ledger_lock);
}

int fault_ledger_same_maps(const fault_ledger *a, const fault_ledger *b)
{
    static uintptr_t x[256][2], y[256][2];
    size_t n = normalised(a, x), m = normalised(b, y);
    return n == m && memcmp(x, y, n * sizeof x[0]) == 0;
}

int fault_ledger_same(const fault_ledger *a, const fault_ledger *b)
{
    return fault_ledger_same_maps(a, b) && memcmp(a->fds, b->fds, sizeof a->fds) == 0;
}

void fault_ledger_add(fault_ledger *l, uintptr_t start, uintptr_t end)
{
    maps_add(l, start, end);
}

void fault_ledger_diff(const fault_ledger *before, const fault_ledger *after)
{
    static uintptr_t x[256][2], y[256][2];
    size_t n = normalised(before, x), m = normalised(after, y);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "  library held before: %lx-%lx\n", (unsigned long)x[i][0],
                (unsigned long)x[i][1]);
    for (size_t i = 0; i < m; i++)
        fprintf(stderr, "  library holds after: %lx-%lx\n", (unsigned long)y[i][0],
                (unsigned long)y[i][1]);
    for (size_t fd = 0; fd < sizeof before->fds; fd++) {
        if (before->fds[fd] != after->fds[fd])
            fprintf(stderr, "  descriptor %zu: %s\n", fd,
                    after->fds[fd] ? "opened and kept" : "closed");
    }
}

int fault_ledger_holds(const fault_ledger *l, uintptr_t start, uintptr_t end)
{
    for (size_t i = 0; i < l->nmaps; i++) {
        if (l->maps[i].start < end && start < l->maps[i].end)
            return 1;
    }
    return 0;
}

/* ---- the wrappers ----
 * Each is declared first (the library's renamed references need no header; the declarations
 * keep -Wmissing-prototypes quiet). RET is where the library called from. */
#define RET __builtin_return_address(0)

/* The errno a failing read of fd gives: a /proc file of a process that is gone says ESRCH. */
static int read_errno(int fd)
{
    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    return n >= 6 && memcmp(target, "/proc/", 6) == 0 ? ESRCH : EIO;
}

/* memory */
static void *do_mmap(void *a, size_t len, int prot, int flags, int fd, off_t off, void *ret)
{
    if (hit(FAULT_mmap, "mmap", ret, 0))
        return MAP_FAILED;
    void *p = mmap(a, len, prot, flags, fd, off);
    if (p != MAP_FAILED)
        on_mapped(p, len, flags);
    return p;
}
void *mmapc_fault_mmap(void *a, size_t len, int prot, int flags, int fd, off_t off);
void *mmapc_fault_mmap(void *a, size_t len, int prot, int flags, int fd, off_t off)
{
    return do_mmap(a, len, prot, flags, fd, off, RET);
}
void *mmapc_fault_mmap64(void *a, size_t len, int prot, int flags, int fd, off_t off);
void *mmapc_fault_mmap64(void *a, size_t len, int prot, int flags, int fd, off_t off)
{
    return do_mmap(a, len, prot, flags, fd, off, RET);
}

int mmapc_fault_munmap(void *a, size_t len);
int mmapc_fault_munmap(void *a, size_t len)
{
    if (hit(FAULT_munmap, "munmap", RET, 0))
        return -1;
    int r = munmap(a, len);
    if (r == 0)
        on_unmapped(a, len);
    return r;
}

void *mmapc_fault_mremap(void *old, size_t old_len, size_t len, int flags, ...);
void *mmapc_fault_mremap(void *old, size_t old_len, size_t len, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    void *want = (flags & MREMAP_FIXED) ? va_arg(ap, void *) : NULL;
    va_end(ap);
    if (hit(FAULT_mremap, "mremap", RET, 0))
        return MAP_FAILED;
    void *p = mremap(old, old_len, len, flags, want);
    if (p != MAP_FAILED) {
        pthread_mutex_lock(&ledger_lock);
        maps_remove(&ledger, (uintptr_t)old, (uintptr_t)old + page_up(old_len));
        maps_add(&ledger, (uintptr_t)p, (uintptr_t)p + page_up(len));
        pthread_mutex_unlock(&ledger_lock);
    }
    return p;
}

/* mmapc_fault_NAME: fails as class cls, else calls fn (NAME's counterpart for 64-bit offsets,
 * which is what the plain name means in a build with _FILE_OFFSET_BITS=64) */
#define SIMPLE_AS(cls, name, fn, params, args)                                                     \
    int mmapc_fault_##name params;                                                                 \
    int mmapc_fault_##name params                                                                  \
    {                                                                                              \
        if (hit(FAULT_##cls, #fn, RET, 0))                                                         \
            return -1;                                                                             \
        return fn args;                                                                            \
    }
#define SIMPLE(cls, fn, params, args) SIMPLE_AS(cls, fn, fn, params, args)
SIMPLE(mprotect, mprotect, (void *a, size_t len, int prot), (a, len, prot))
SIMPLE(madvise, madvise, (void *a, size_t len, int advice), (a, len, advice))
SIMPLE(madvise, posix_madvise, (void *a, size_t len, int advice), (a, len, advice))
SIMPLE(mincore, mincore, (void *a, size_t len, unsigned char *vec), (a, len, vec))
SIMPLE(msync, msync, (void *a, size_t len, int flags), (a, len, flags))
SIMPLE(mlock, mlock, (const void *a, size_t len), (a, len))
SIMPLE(mlock, mlock2, (const void *a, size_t len, unsigned flags), (a, len, flags))
SIMPLE(mlock, mlockall, (int flags), (flags))
SIMPLE(munlock, munlock, (const void *a, size_t len), (a, len))
SIMPLE(munlock, munlockall, (void), ())

/* descriptors */
static int opened(int fd)
{
    if (fd >= 0) {
        pthread_mutex_lock(&ledger_lock);
        on_opened(fd);
        pthread_mutex_unlock(&ledger_lock);
    }
    return fd;
}

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

#define OPEN(fn, params, args)                                                                     \
    int mmapc_fault_##fn params;                                                                   \
    int mmapc_fault_##fn params                                                                    \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, flags);                                                                       \
        mode_t mode = mode_arg(flags, ap);                                                         \
        va_end(ap);                                                                                \
        if (hit(FAULT_open, #fn, RET, 0))                                                          \
            return -1;                                                                             \
        return opened(fn args);                                                                    \
    }
OPEN(open, (const char *path, int flags, ...), (path, flags, mode))
OPEN(open64, (const char *path, int flags, ...), (path, flags, mode))
OPEN(openat, (int dir, const char *path, int flags, ...), (dir, path, flags, mode))
OPEN(openat64, (int dir, const char *path, int flags, ...), (dir, path, flags, mode))

int mmapc_fault_memfd_create(const char *name, unsigned flags);
int mmapc_fault_memfd_create(const char *name, unsigned flags)
{
    if (hit(FAULT_open, "memfd_create", RET, 0))
        return -1;
    return opened(memfd_create(name, flags));
}

static FILE *do_fopen(const char *path, const char *mode, void *ret)
{
    if (hit(FAULT_open, "fopen", ret, 0))
        return NULL;
    FILE *f = fopen(path, mode);
    if (f)
        opened(fileno(f));
    return f;
}
FILE *mmapc_fault_fopen(const char *path, const char *mode);
FILE *mmapc_fault_fopen(const char *path, const char *mode)
{
    return do_fopen(path, mode, RET);
}
FILE *mmapc_fault_fopen64(const char *path, const char *mode);
FILE *mmapc_fault_fopen64(const char *path, const char *mode)
{
    return do_fopen(path, mode, RET);
}

DIR *mmapc_fault_opendir(const char *path);
DIR *mmapc_fault_opendir(const char *path)
{
    if (hit(FAULT_open, "opendir", RET, 0))
        return NULL;
    DIR *d = opendir(path);
    if (d)
        opened(dirfd(d));
    return d;
}

/* A failing close still releases the descriptor (Linux), so the wrapper closes it too. */
static int closed(int fd, int r, int fail)
{
    pthread_mutex_lock(&ledger_lock);
    if (r == 0 || fail)
        on_closed(fd);
    pthread_mutex_unlock(&ledger_lock);
    return fail ? -1 : r;
}

int mmapc_fault_close(int fd);
int mmapc_fault_close(int fd)
{
    int fail = hit(FAULT_close, "close", RET, 0), err = errno;
    int r = close(fd);
    errno = fail ? err : errno;
    return closed(fd, r, fail);
}

int mmapc_fault_fclose(FILE *f);
int mmapc_fault_fclose(FILE *f)
{
    int fd = fileno(f);
    int fail = hit(FAULT_close, "fclose", RET, 0), err = errno;
    int r = fclose(f);
    errno = fail ? err : errno;
    return closed(fd, r, fail) ? EOF : 0;
}

int mmapc_fault_closedir(DIR *d);
int mmapc_fault_closedir(DIR *d)
{
    int fd = dirfd(d);
    int fail = hit(FAULT_close, "closedir", RET, 0), err = errno;
    int r = closedir(d);
    errno = fail ? err : errno;
    return closed(fd, r, fail);
}

int mmapc_fault_dup(int fd);
int mmapc_fault_dup(int fd)
{
    if (hit(FAULT_dup, "dup", RET, 0))
        return -1;
    return opened(dup(fd));
}

static int dup_onto(int fd, int nfd, int flags, const char *fn, void *ret)
{
    if (hit(FAULT_dup, fn, ret, 0))
        return -1;
    pthread_mutex_lock(&ledger_lock);
    int mine = nfd >= 0 && nfd < (int)sizeof ledger.fds && ledger.fds[nfd];
    pthread_mutex_unlock(&ledger_lock);
    int r = flags < 0 ? dup2(fd, nfd) : dup3(fd, nfd, flags);
    if (r >= 0 && !mine) {
        /* over a descriptor the library does not own (open or not: it takes a number that
         * belongs to the program) */
        pthread_mutex_lock(&ledger_lock);
        ledger.foreign_fixed++;
        pthread_mutex_unlock(&ledger_lock);
    }
    return opened(r);
}

int mmapc_fault_dup2(int fd, int nfd);
int mmapc_fault_dup2(int fd, int nfd)
{
    return dup_onto(fd, nfd, -1, "dup2", RET);
}

int mmapc_fault_dup3(int fd, int nfd, int flags);
int mmapc_fault_dup3(int fd, int nfd, int flags)
{
    return dup_onto(fd, nfd, flags, "dup3", RET);
}

static int do_fcntl(int fd, int cmd, void *arg, const char *fn, void *ret)
{
    int dupfd = cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC;
    if (hit(FAULT_dup, fn, ret, dupfd ? EMFILE : EBADF))
        return -1;
    int r = fcntl(fd, cmd, arg);
    return dupfd ? opened(r) : r;
}

int mmapc_fault_fcntl(int fd, int cmd, ...);
int mmapc_fault_fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return do_fcntl(fd, cmd, arg, "fcntl", RET);
}

int mmapc_fault_fcntl64(int fd, int cmd, ...);
int mmapc_fault_fcntl64(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return do_fcntl(fd, cmd, arg, "fcntl", RET);
}

/* reading and writing */
ssize_t mmapc_fault_read(int fd, void *buf, size_t n);
ssize_t mmapc_fault_read(int fd, void *buf, size_t n)
{
    if (hit(FAULT_read, "read", RET, read_errno(fd)))
        return -1;
    return read(fd, buf, n);
}

static ssize_t do_pread(int fd, void *buf, size_t n, off_t off, void *ret)
{
    if (hit(FAULT_read, "pread", ret, read_errno(fd)))
        return -1;
    return pread(fd, buf, n, off);
}
ssize_t mmapc_fault_pread(int fd, void *buf, size_t n, off_t off);
ssize_t mmapc_fault_pread(int fd, void *buf, size_t n, off_t off)
{
    return do_pread(fd, buf, n, off, RET);
}
ssize_t mmapc_fault_pread64(int fd, void *buf, size_t n, off_t off);
ssize_t mmapc_fault_pread64(int fd, void *buf, size_t n, off_t off)
{
    return do_pread(fd, buf, n, off, RET);
}

char *mmapc_fault_fgets(char *s, int n, FILE *f);
char *mmapc_fault_fgets(char *s, int n, FILE *f)
{
    if (hit(FAULT_read, "fgets", RET, read_errno(fileno(f))))
        return NULL;
    return fgets(s, n, f);
}

static struct dirent *do_readdir(DIR *d, void *ret)
{
    if (hit(FAULT_read, "readdir", ret, EIO))
        return NULL;
    return readdir(d);
}
struct dirent *mmapc_fault_readdir(DIR *d);
struct dirent *mmapc_fault_readdir(DIR *d)
{
    return do_readdir(d, RET);
}
struct dirent *mmapc_fault_readdir64(DIR *d);
struct dirent *mmapc_fault_readdir64(DIR *d)
{
    return do_readdir(d, RET);
}

ssize_t mmapc_fault_readlink(const char *path, char *buf, size_t n);
ssize_t mmapc_fault_readlink(const char *path, char *buf, size_t n)
{
    if (hit(FAULT_read, "readlink", RET, EIO))
        return -1;
    return readlink(path, buf, n);
}

ssize_t mmapc_fault_process_vm_readv(pid_t pid, const struct iovec *l, unsigned long ln,
                                     const struct iovec *r, unsigned long rn, unsigned long fl);
ssize_t mmapc_fault_process_vm_readv(pid_t pid, const struct iovec *l, unsigned long ln,
                                     const struct iovec *r, unsigned long rn, unsigned long fl)
{
    if (hit(FAULT_read, "process_vm_readv", RET, ESRCH))
        return -1;
    return process_vm_readv(pid, l, ln, r, rn, fl);
}

ssize_t mmapc_fault_write(int fd, const void *buf, size_t n);
ssize_t mmapc_fault_write(int fd, const void *buf, size_t n)
{
    if (hit(FAULT_write, "write", RET, 0))
        return -1;
    return write(fd, buf, n);
}

static ssize_t do_pwrite(int fd, const void *buf, size_t n, off_t off, void *ret)
{
    if (hit(FAULT_write, "pwrite", ret, 0))
        return -1;
    return pwrite(fd, buf, n, off);
}
ssize_t mmapc_fault_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t mmapc_fault_pwrite(int fd, const void *buf, size_t n, off_t off)
{
    return do_pwrite(fd, buf, n, off, RET);
}
ssize_t mmapc_fault_pwrite64(int fd, const void *buf, size_t n, off_t off);
ssize_t mmapc_fault_pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    return do_pwrite(fd, buf, n, off, RET);
}

ssize_t mmapc_fault_process_vm_writev(pid_t pid, const struct iovec *l, unsigned long ln,
                                      const struct iovec *r, unsigned long rn, unsigned long fl);
ssize_t mmapc_fault_process_vm_writev(pid_t pid, const struct iovec *l, unsigned long ln,
                                      const struct iovec *r, unsigned long rn, unsigned long fl)
{
    if (hit(FAULT_write, "process_vm_writev", RET, ESRCH))
        return -1;
    return process_vm_writev(pid, l, ln, r, rn, fl);
}

int mmapc_fault_ioctl(int fd, unsigned long request, ...);
int mmapc_fault_ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (hit(FAULT_ioctl, "ioctl", RET, 0))
        return -1;
    return ioctl(fd, request, arg);
}

int mmapc_fault_shm_open(const char *name, int flags, mode_t mode);
int mmapc_fault_shm_open(const char *name, int flags, mode_t mode)
{
    if (hit(FAULT_open, "shm_open", RET, 0))
        return -1;
    return opened(shm_open(name, flags, mode));
}

SIMPLE(unlink, shm_unlink, (const char *name), (name))
SIMPLE(unlink, unlink, (const char *path), (path))

/* file status */
SIMPLE(stat, fstat, (int fd, struct stat *st), (fd, st))
SIMPLE_AS(stat, fstat64, fstat, (int fd, struct stat *st), (fd, st))
SIMPLE(stat, stat, (const char *path, struct stat *st), (path, st))
SIMPLE_AS(stat, stat64, stat, (const char *path, struct stat *st), (path, st))
SIMPLE(stat, lstat, (const char *path, struct stat *st), (path, st))
SIMPLE_AS(stat, lstat64, lstat, (const char *path, struct stat *st), (path, st))
SIMPLE(stat, fstatat, (int dir, const char *path, struct stat *st, int flags),
       (dir, path, st, flags))
SIMPLE_AS(stat, fstatat64, fstatat, (int dir, const char *path, struct stat *st, int flags),
          (dir, path, st, flags))
#ifdef STATX_BASIC_STATS /* C libraries without statx() (musl before 1.2.5) */
SIMPLE(stat, statx, (int dir, const char *path, int flags, unsigned mask, struct statx *st),
       (dir, path, flags, mask, st))
#endif
SIMPLE(stat, access, (const char *path, int mode), (path, mode))

/* file size */
SIMPLE(resize, ftruncate, (int fd, off_t len), (fd, len))
SIMPLE_AS(resize, ftruncate64, ftruncate, (int fd, off_t len), (fd, len))
SIMPLE(resize, fallocate, (int fd, int mode, off_t off, off_t len), (fd, mode, off, len))
SIMPLE_AS(resize, fallocate64, fallocate, (int fd, int mode, off_t off, off_t len),
          (fd, mode, off, len))

/* posix_fallocate returns the error instead of setting errno */
static int pfalloc(int fd, off_t off, off_t len, void *ret)
{
    if (hit(FAULT_resize, "posix_fallocate", ret, 0))
        return errno;
    return posix_fallocate(fd, off, len);
}
int mmapc_fault_posix_fallocate(int fd, off_t off, off_t len);
int mmapc_fault_posix_fallocate(int fd, off_t off, off_t len)
{
    return pfalloc(fd, off, len, RET);
}
int mmapc_fault_posix_fallocate64(int fd, off_t off, off_t len);
int mmapc_fault_posix_fallocate64(int fd, off_t off, off_t len)
{
    return pfalloc(fd, off, len, RET);
}

/* memory from the heap */
void *mmapc_fault_malloc(size_t n);
void *mmapc_fault_malloc(size_t n)
{
    if (hit(FAULT_alloc, "malloc", RET, 0))
        return NULL;
    return malloc(n);
}

void *mmapc_fault_calloc(size_t n, size_t size);
void *mmapc_fault_calloc(size_t n, size_t size)
{
    if (hit(FAULT_alloc, "calloc", RET, 0))
        return NULL;
    return calloc(n, size);
}

void *mmapc_fault_realloc(void *p, size_t n);
void *mmapc_fault_realloc(void *p, size_t n)
{
    if (hit(FAULT_alloc, "realloc", RET, 0))
        return NULL;
    return realloc(p, n);
}

void *mmapc_fault_aligned_alloc(size_t align, size_t n);
void *mmapc_fault_aligned_alloc(size_t align, size_t n)
{
    if (hit(FAULT_alloc, "aligned_alloc", RET, 0))
        return NULL;
    return aligned_alloc(align, n);
}

int mmapc_fault_posix_memalign(void **p, size_t align, size_t n);
int mmapc_fault_posix_memalign(void **p, size_t align, size_t n)
{
    if (hit(FAULT_alloc, "posix_memalign", RET, 0))
        return ENOMEM;
    return posix_memalign(p, align, n);
}

char *mmapc_fault_strdup(const char *s);
char *mmapc_fault_strdup(const char *s)
{
    if (hit(FAULT_alloc, "strdup", RET, 0))
        return NULL;
    return strdup(s);
}

/* pthread_atfork returns the error instead of setting errno */
int mmapc_fault_pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void));
int mmapc_fault_pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
    if (hit(FAULT_atfork, "pthread_atfork", RET, 0))
        return errno;
    return pthread_atfork(prepare, parent, child);
}

/* syscall(): the class by the system call's number */
static int syscall_class(long nr)
{
    switch (nr) {
    case SYS_mmap:
        return FAULT_mmap;
    case SYS_munmap:
        return FAULT_munmap;
    case SYS_mprotect:
    case 462: /* mseal (Linux 6.10), not in older headers */
        return FAULT_mprotect;
    case SYS_mremap:
        return FAULT_mremap;
    case SYS_madvise:
#ifdef SYS_process_madvise
    case SYS_process_madvise:
#endif
        return FAULT_madvise;
    case SYS_mincore:
        return FAULT_mincore;
    case SYS_msync:
        return FAULT_msync;
    case SYS_mlock:
#ifdef SYS_mlock2
    case SYS_mlock2:
#endif
        return FAULT_mlock;
    case SYS_munlock:
        return FAULT_munlock;
    case SYS_openat:
#ifdef SYS_memfd_create
    case SYS_memfd_create:
#endif
#ifdef SYS_pidfd_open
    case SYS_pidfd_open:
#endif
        return FAULT_open;
    case SYS_read:
    case SYS_pread64:
    case SYS_process_vm_readv:
        return FAULT_read;
    case SYS_write:
    case SYS_pwrite64:
    case SYS_process_vm_writev:
        return FAULT_write;
    case SYS_ioctl:
        return FAULT_ioctl;
    case SYS_fstat:
    case SYS_newfstatat:
#ifdef SYS_statx
    case SYS_statx:
#endif
        return FAULT_stat;
    case SYS_dup:
    case SYS_dup3:
    case SYS_fcntl:
        return FAULT_dup;
    case SYS_close:
        return FAULT_close;
    case SYS_ftruncate:
    case SYS_fallocate:
        return FAULT_resize;
    default:
        return -1;
    }
}

/* The system call's own arguments are not known here, so six are passed on, as glibc's
 * syscall() does; reading the ones the caller did not pass is what makes ASan object. */
long mmapc_fault_syscall(long nr, ...);
__attribute__((no_sanitize("address"))) long mmapc_fault_syscall(long nr, ...)
{
    va_list ap;
    va_start(ap, nr);
    long a[6];
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    int cls = syscall_class(nr);
    if (cls < 0) {
        init();
        atomic_fetch_add(&sh->unclassified, 1);
        sh->last_unclassified = nr;
    } else if (hit(cls, "syscall", RET, 0)) {
        return -1;
    }
    long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (r < 0)
        return r;
    if (cls == FAULT_open || ((nr == SYS_dup || nr == SYS_dup3) && cls == FAULT_dup) ||
        (nr == SYS_fcntl && (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC)))
        opened((int)r);
    else if (nr == SYS_close)
        closed((int)a[0], 0, 0);
    else if (nr == SYS_mmap)
        on_mapped((void *)r, (size_t)a[1], (int)a[3]);
    else if (nr == SYS_munmap)
        on_unmapped((void *)a[0], (size_t)a[1]);
    return r;
}
