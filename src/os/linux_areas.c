// SPDX-License-Identifier: MIT
/*
 * Linux memory areas: the PROCMAP_QUERY ioctl on /proc/<pid>/maps (Linux 6.11+) for direct
 * queries, and the text of the same file for iteration and for kernels without the ioctl.
 */
#define _GNU_SOURCE
#include "linux.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h> /* pthread_once, pthread_atfork */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Valgrind cannot know that PROCMAP_QUERY writes the name buffer; its client request (a few
 * instructions, no library) tells it. Built without it where the header is missing. */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#endif
#endif
#ifndef VALGRIND_MAKE_MEM_DEFINED
#define VALGRIND_MAKE_MEM_DEFINED(addr, len) ((void)(addr), (void)(len), 0)
#endif

/* Whether memcheck runs the program (0: not known yet, 1: no, 2: yes), learnt when the first
 * process handle opens (memcheck answers the request -1, other tools and none 0): a query then
 * tells it of the name only when it listens. */
static atomic_int under_valgrind;
#define TELL_VALGRIND(addr, len)                                                                   \
    do {                                                                                           \
        if (atomic_load_explicit(&under_valgrind, memory_order_relaxed) == 2)                      \
            (void)VALGRIND_MAKE_MEM_DEFINED(addr, len);                                            \
    } while (0)

/* From the kernel's UAPI linux/fs.h; older headers (Debian 12) lack it, so it is spelt here. */
struct mmapc__procmap_query {
    uint64_t size;
    uint64_t query_flags;
    uint64_t query_addr;
    uint64_t vma_start;
    uint64_t vma_end;
    uint64_t vma_flags;
    uint64_t vma_page_size;
    uint64_t vma_offset;
    uint64_t inode;
    uint32_t dev_major;
    uint32_t dev_minor;
    uint32_t vma_name_size;
    uint32_t build_id_size;
    uint64_t vma_name_addr;
    uint64_t build_id_addr;
};
#define PQ_READABLE 0x01u
#define PQ_WRITABLE 0x02u
#define PQ_EXECUTABLE 0x04u
#define PQ_SHARED 0x08u
#define PQ_COVERING_OR_NEXT 0x10u
#define PQ_REQUEST _IOWR('f', 17, struct mmapc__procmap_query)

_Static_assert(sizeof(struct mmapc__procmap_query) == 104, "struct procmap_query is 104 bytes");
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || defined(__arm__) ||        \
    defined(__riscv) || defined(__powerpc__) || defined(__mips__)
/* An early version of the patch used another number, which the kernel answers with ENOTTY. */
_Static_assert(PQ_REQUEST == 0xc0686611u, "PROCMAP_QUERY is _IOWR('f', 17, 104 bytes)");
#endif

/* Whether this kernel has PROCMAP_QUERY: learnt from the first answer, then constant. */
enum { IOCTL_UNKNOWN, IOCTL_YES, IOCTL_NO };
static atomic_int ioctl_state = IOCTL_UNKNOWN;

/* A lock would not do for the reopen after fork: a fork by another thread while it is held
 * leaves it held for good in the new child. The descriptor and the process that opened it are
 * one 64-bit word, replaced by compare-and-exchange (lock-free on every target we build). */
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics are lock-free");

struct mmapc__proc {
    /* /proc/<pid>/maps and the pid of the process that opened it:
     * (uint64_t)pid << 32 | fd (see fd_word) */
    _Atomic uint64_t cur;
    bool self;
    int pid;           /* as asked: MMAPC_SELF or a pid */
    atomic_int unread; /* fd untouched by reads, and the handle serves one call: a text stream
                          may take it instead of opening again */
    /* another process's handle: the device and inode of the file opened (0: not known), by
     * which a forked child tells that the number it inherited still names that file */
    uint64_t dev, ino;
};

static uint64_t fd_word(int owner, int fd)
{
    return (uint64_t)(uint32_t)owner << 32 | (uint32_t)fd;
}

static int word_fd(uint64_t w)
{
    return (int)(uint32_t)w;
}

static int word_owner(uint64_t w)
{
    return (int)(uint32_t)(w >> 32);
}

/*
 * Our pid, without a system call on the usual path. getpid() is a real system call (glibc 2.25+)
 * and would cost a self handle almost half an ioctl per query, so the pid is cached in a page
 * marked MADV_WIPEONFORK: the kernel hands every forked child that page zeroed (fork(), _Fork()
 * and a raw clone alike), and the child's first call fills in its own pid. An emulator may accept
 * the advice and ignore it (qemu-user does), so a pthread_atfork() handler clears the page too.
 * Where the advice is refused (Linux before 4.14), every call asks getpid().
 */
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif
/* Published (release) only once the page is wiped on fork and the handler is in place; NULL
 * until then, and for good where either is refused. */
static _Atomic(atomic_int *) pid_page;
static pthread_once_t pid_page_once = PTHREAD_ONCE_INIT;

static void pid_page_forget(void)
{
    atomic_int *page = atomic_load_explicit(&pid_page, memory_order_relaxed);
    if (page)
        atomic_store_explicit(page, 0, memory_order_relaxed);
}

static void pid_page_init(void)
{
    size_t size = (size_t)sysconf(_SC_PAGESIZE);
    void *page = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return;
    /* without the handler, trust only getpid() */
    if (madvise(page, size, MADV_WIPEONFORK) != 0 || pthread_atfork(NULL, NULL, pid_page_forget)) {
        munmap(page, size);
        return;
    }
    atomic_store_explicit(&pid_page, (atomic_int *)page, memory_order_release);
}

/* The first call of a process (or of a forked child), or a kernel without the advice. */
static __attribute__((noinline)) int my_pid_slow(void)
{
    pthread_once(&pid_page_once, pid_page_init);
    atomic_int *page = atomic_load_explicit(&pid_page, memory_order_acquire);
    int pid = (int)getpid();
    if (page)
        atomic_store_explicit(page, pid, memory_order_relaxed);
    return pid;
}

/* Two loads on the usual path: no call into the C library. */
static inline int my_pid(void)
{
    atomic_int *page = atomic_load_explicit(&pid_page, memory_order_acquire);
    int pid = page ? atomic_load_explicit(page, memory_order_relaxed) : 0;
    return pid ? pid : my_pid_slow();
}

/* Map the failure of an open of /proc/<pid>/maps to a portable code. */
static __attribute__((noinline, cold)) int open_fail(int err)
{
    struct stat st;
    if (err == ENOENT) /* no /proc/<pid>: no such process, unless /proc itself is missing */
        return mmapc__os_fail(err, stat("/proc/self", &st) == 0 ? MMAPC_ESRCH : MMAPC_EUNSUPPORTED);
    return mmapc__posix_fail(err);
}

/* The flag of a kernel thread in /proc/<pid>/stat (include/linux/sched.h, since Linux 2.6.27). */
#define PF_KTHREAD 0x00200000u

/* The state letter and flags of /proc/<pid>/stat: 0, or the errno of a failed read (ESRCH for
 * an empty or unreadable one: no such process any more). */
static int read_stat(int pid, char *state, unsigned *flags)
{
    char path[40], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int sfd = open(path, O_RDONLY | O_CLOEXEC);
    if (sfd < 0)
        return errno;
    ssize_t n;
    do
        n = read(sfd, buf, sizeof buf - 1);
    while (n < 0 && errno == EINTR);
    int err = n < 0 ? errno : ESRCH;
    close(sfd);
    if (n <= 0)
        return err;
    buf[n] = '\0';
    /* "pid (comm) state ppid pgrp session tty_nr tpgid flags ...": comm may hold ')' */
    const char *s = strrchr(buf, ')');
    if (!s || sscanf(s + 1, " %c %*d %*d %*d %*d %*d %u", state, flags) != 2)
        return ESRCH;
    return 0;
}

/* A process that has ended: a zombie (Z), or one being taken apart (X, x). */
static int ended_state(char state)
{
    return state == 'Z' || state == 'X' || state == 'x';
}

/*
 * After an empty answer (a listing without a line, or ESRCH from the ioctl): 0 when pid lives
 * without a user address space (a kernel thread), MMAPC_ESRCH when it has ended or is ending,
 * a zombie included, since a user process has areas for as long as it runs. fd, a maps
 * descriptor of the process, then confirms that the stat read was its own and not that of a
 * process that has taken over the pid since (a read of it fails with ESRCH once it is reaped).
 */
static int no_areas(int pid, int fd)
{
    if (pid == MMAPC_SELF || pid == my_pid())
        return 0; /* we run: never an ended process */
    char state;
    unsigned flags;
    int err = read_stat(pid, &state, &flags);
    if (err)
        return mmapc__os_fail(err, MMAPC_ESRCH);
    if (!(flags & PF_KTHREAD) || ended_state(state))
        return mmapc__os_fail(ESRCH, MMAPC_ESRCH);
    char c;
    ssize_t r;
    do
        r = pread(fd, &c, 1, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0 && errno == ESRCH)
        return mmapc__os_fail(ESRCH, MMAPC_ESRCH);
    return 0;
}

int mmapc__os_proc_ended(mmapc__proc *p)
{
    if (p->self || p->pid == my_pid())
        return 0;
    char state;
    unsigned flags;
    int err = read_stat(p->pid, &state, &flags);
    if (err)
        return mmapc__os_fail(err, MMAPC_ESRCH);
    return ended_state(state) ? mmapc__os_fail(ESRCH, MMAPC_ESRCH) : 0;
}

/* Another process's maps: its path made apart, so that opening our own needs no buffer. */
static __attribute__((noinline)) int open_pid_maps(int pid)
{
    char path[32];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    return open(path, O_RDONLY | O_CLOEXEC);
}

static inline int open_maps(int pid, int *fd)
{
    *fd = pid == MMAPC_SELF ? open("/proc/self/maps", O_RDONLY | O_CLOEXEC) : open_pid_maps(pid);
    return *fd < 0 ? open_fail(errno) : 0;
}

/*
 * ESRCH through another process's descriptor, which is bound to the address space the process
 * had when it was opened: a fresh open of the very same file is bound to the process (never to
 * a later one that takes its pid) and reaches the address space it has now, a new one after an
 * exec. The caller asks again through *nfd, then closes it; MMAPC_ESRCH when the process is gone.
 */
static __attribute__((noinline)) int open_again(int fd, int *nfd)
{
    char path[40];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    *nfd = open(path, O_RDONLY | O_CLOEXEC);
    return *nfd < 0 ? open_fail(errno) : 0;
}

/* Whether memcheck runs the program, learnt once (see under_valgrind). */
static __attribute__((noinline, cold)) void learn_valgrind(void)
{
    char probe = 0;
    int memcheck = (long)VALGRIND_MAKE_MEM_DEFINED(&probe, 1) == -1L;
    atomic_store_explicit(&under_valgrind, memcheck ? 2 : 1, memory_order_relaxed);
}

/* Open pid's maps into p. */
MMAPC__HOT static inline __attribute__((always_inline)) int proc_open_in(mmapc__proc *p, int pid,
                                                                         unsigned flags)
{
    if (atomic_load_explicit(&under_valgrind, memory_order_relaxed) == 0)
        learn_valgrind();
    /* the pid first: its cache page must exist before a snapshot of the maps is taken */
    int owner = my_pid();
    int fd, rc = open_maps(pid, &fd);
    if (rc)
        return rc;
    atomic_init(&p->cur, fd_word(owner, fd));
    p->self = pid == MMAPC_SELF;
    p->pid = pid;
    atomic_init(&p->unread, (flags & MMAPC__PROC_ONCE) != 0);
    p->dev = p->ino = 0;
    return 0;
}

int mmapc__os_proc_open(int pid, unsigned flags, mmapc__proc **out)
{
    mmapc__proc *p = malloc(sizeof *p);
    if (!p)
        return mmapc__posix_fail(ENOMEM);
    int rc = proc_open_in(p, pid, flags);
    if (rc) {
        free(p);
        return rc;
    }
    struct stat st;
    if (!p->self && fstat(word_fd(atomic_load(&p->cur)), &st) == 0) {
        p->dev = (uint64_t)st.st_dev;
        p->ino = (uint64_t)st.st_ino;
    }
    *out = p;
    return 0;
}

/* Close p's descriptor, if this process opened it. */
static void proc_close_fd(mmapc__proc *p)
{
    uint64_t w = atomic_load(&p->cur);
    /* in a forked child, a descriptor opened by the parent is not the library's to close: the
     * child may have closed it and given its number to a file of its own */
    if (word_owner(w) == my_pid())
        close(word_fd(w));
}

void mmapc__os_proc_close(mmapc__proc *p)
{
    if (!p)
        return;
    proc_close_fd(p);
    free(p);
}

_Static_assert(sizeof(mmapc__proc) <= sizeof(mmapc__proc_room) &&
                   _Alignof(mmapc__proc) <= _Alignof(mmapc__proc_room),
               "an open process fits a room");

MMAPC__HOT int mmapc__os_proc_open_room(int pid, mmapc__proc_room *room, mmapc__proc **out)
{
    mmapc__proc *p = (mmapc__proc *)(void *)room;
    int rc = proc_open_in(p, pid, MMAPC__PROC_ONCE);
    if (rc)
        return rc;
    *out = p;
    return 0;
}

/* The descriptor is this process's: opened by this thread a moment ago, or by reopen_fd(), in
 * this process too. */
MMAPC__HOT void mmapc__os_proc_close_room(mmapc__proc *p)
{
    close(word_fd(atomic_load_explicit(&p->cur, memory_order_relaxed)));
}

/*
 * The descriptor to use now. A self handle inherited across fork() still reads the parent's
 * address space, so the child opens its own descriptor and publishes it with one
 * compare-and-exchange; a thread that lost the race closes its own and takes the winner's. The
 * inherited descriptor is left alone: the child may have closed it and given its number to a
 * file of its own, so the library no longer knows that it owns it (exec closes it, O_CLOEXEC).
 * A published descriptor is never closed before the handle, so a thread that loaded it never
 * sees it closed or recycled.
 */
static __attribute__((noinline)) int reopen_fd(mmapc__proc *p, uint64_t w, int me, int *fd)
{
    while (word_owner(w) != me) {
        int nfd, rc = open_maps(MMAPC_SELF, &nfd);
        if (rc)
            return rc;
        uint64_t mine = fd_word(me, nfd);
        if (atomic_compare_exchange_strong_explicit(&p->cur, &w, mine, memory_order_acq_rel,
                                                    memory_order_acquire)) {
            atomic_store(&p->unread, 0);
            w = mine;
        } else {
            close(nfd); /* w now holds what another thread published */
        }
    }
    *fd = word_fd(w);
    return 0;
}

/*
 * Another process's handle in a forked child: the descriptor the parent opened may have been
 * closed here since, and its number given to another file (another process's maps, say), whose
 * answers would then pass for the handle's. It is used only while it still names the handle's
 * file (the device and inode of the open), through a descriptor of the child's own: a copy of
 * it (which keeps the access checked when the parent opened it, as the child may have given up
 * the right to open it again), published as reopen_fd() does. Otherwise MMAPC_EBADF: the
 * handle's descriptor is gone from this process.
 */
static __attribute__((noinline)) int adopt_fd(mmapc__proc *p, uint64_t w, int me, int *fd)
{
    while (word_owner(w) != me) {
        struct stat st;
        int old = word_fd(w), nfd;
        if (!p->ino || fstat(old, &st) != 0 || (uint64_t)st.st_ino != p->ino ||
            (uint64_t)st.st_dev != p->dev)
            return mmapc__os_fail(EBADF, MMAPC_EBADF);
        nfd = fcntl(old, F_DUPFD_CLOEXEC, 0);
        if (nfd < 0)
            return mmapc__posix_fail(errno);
        uint64_t mine = fd_word(me, nfd);
        if (atomic_compare_exchange_strong_explicit(&p->cur, &w, mine, memory_order_acq_rel,
                                                    memory_order_acquire))
            w = mine;
        else
            close(nfd); /* w now holds what another thread published */
    }
    *fd = word_fd(w);
    return 0;
}

/* On the usual path one load and a compare (reopen_fd or adopt_fd above after a fork). */
static inline int current_fd(mmapc__proc *p, int *fd)
{
    uint64_t w = atomic_load_explicit(&p->cur, memory_order_acquire);
    int me = my_pid();
    if (word_owner(w) != me)
        return p->self ? reopen_fd(p, w, me, fd) : adopt_fd(p, w, me, fd);
    *fd = word_fd(w);
    return 0;
}

/* The ioctl answered: is it a "no such request" that means the kernel lacks PROCMAP_QUERY? */
static int missing_ioctl(int err)
{
    /* ENOTTY: kernel before 6.11 (or the early magic number); ENOSYS: qemu-user; EINVAL: other
     * emulators and filters. Our arguments are always valid, so none of these is our fault. */
    return err == ENOTTY || err == ENOSYS || err == EINVAL || err == EOPNOTSUPP;
}

/* The kernel reports a name of up to PATH_MAX bytes, its NUL included, and refuses a buffer too
 * short for it with ENAMETOOLONG: query() then answers NAME_SHORT, and mmapc__os_area_from()
 * reports a name of NAME_ROOM bytes, so that the caller asks again with room for any name. */
#define NAME_ROOM 4096
#define NAME_SHORT 1

/* The code of a refused ioctl. */
static __attribute__((noinline)) int query_fail(int err)
{
    if (missing_ioctl(err)) {
        atomic_store_explicit(&ioctl_state, IOCTL_NO, memory_order_relaxed);
        return mmapc__os_fail(err, MMAPC_EUNSUPPORTED);
    }
    switch (err) {
    case ENOENT:
        return mmapc__os_fail(err, MMAPC_ENOTFOUND);
    case ENAMETOOLONG: /* the kernel reports names up to PATH_MAX; the text has them all */
        return mmapc__os_fail(err, MMAPC_EUNSUPPORTED);
    default:
        return mmapc__posix_fail(err);
    }
}

/* The struct of a query, every byte written (valgrind checks that each byte an ioctl reads is
 * defined): field by field, since a compound literal of the whole becomes a slow `rep stos`. */
MMAPC__HOT static inline void query_init(struct mmapc__procmap_query *q, uint64_t addr,
                                         uint64_t flags, char *name, uint32_t cap)
{
    q->size = sizeof *q;
    q->query_flags = flags;
    q->query_addr = addr;
    q->vma_start = 0;
    q->vma_end = 0;
    q->vma_flags = 0;
    q->vma_page_size = 0;
    q->vma_offset = 0;
    q->inode = 0;
    q->dev_major = 0;
    q->dev_minor = 0;
    q->vma_name_size = cap;
    q->build_id_size = 0;
    q->vma_name_addr = (uint64_t)(uintptr_t)name;
    q->build_id_addr = 0;
}

/* The answer of an ioctl that succeeded: valgrind told of the name, the kernel's support noted. */
MMAPC__HOT static inline void query_answered(char *name, uint32_t name_size)
{
    if (name_size)
        TELL_VALGRIND(name, name_size);
    /* written once: a store on every query would bounce the line between threads */
    if (atomic_load_explicit(&ioctl_state, memory_order_relaxed) != IOCTL_YES)
        atomic_store_explicit(&ioctl_state, IOCTL_YES, memory_order_relaxed);
}

MMAPC__HOT static inline int query(int fd, uint64_t addr, uint64_t flags, char *name, size_t cap,
                                   struct mmapc__procmap_query *q)
{
    query_init(q, addr, flags, cap ? name : NULL, cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap);
    /* through a variable: glibc declares the request unsigned long, musl int */
    unsigned long request = PQ_REQUEST;
    int r;
    do
        r = ioctl(fd, request, q);
    while (r < 0 && errno == EINTR);
    if (r == 0) {
        query_answered(name, q->vma_name_size);
        return 0;
    }
    if (errno == ENAMETOOLONG && cap < NAME_ROOM)
        return NAME_SHORT;
    return query_fail(errno);
}

/* query() through open_again()'s descriptor. */
static __attribute__((noinline)) int query_reopened(int fd, uint64_t addr, uint64_t flags,
                                                    char *name, size_t cap,
                                                    struct mmapc__procmap_query *q)
{
    int nfd, rc = open_again(fd, &nfd);
    if (rc)
        return rc;
    rc = query(nfd, addr, flags, name, cap, q);
    close(nfd);
    return rc;
}

/* *out (every field but the path and the kind) and the name's length from an answer. */
MMAPC__HOT static inline void fill_area(mmapc_area *out, const struct mmapc__procmap_query *q,
                                        char *name, size_t cap, size_t *name_len)
{
    out->start = (uint64_t)q->vma_start;
    out->end = (uint64_t)q->vma_end;
    out->allocation_base = out->start;
    out->prot = ((q->vma_flags & PQ_READABLE) ? MMAPC_PROT_READ : 0u) |
                ((q->vma_flags & PQ_WRITABLE) ? MMAPC_PROT_WRITE : 0u) |
                ((q->vma_flags & PQ_EXECUTABLE) ? MMAPC_PROT_EXEC : 0u);
    out->shared = (q->vma_flags & PQ_SHARED) != 0;
    out->offset = q->vma_offset;
    out->dev_major = q->dev_major;
    out->dev_minor = q->dev_minor;
    out->inode = q->inode;
    /* vma_name_size counts the terminating NUL; 0 means the area has no name */
    *name_len = q->vma_name_size ? q->vma_name_size - 1 : 0;
    if (cap && !q->vma_name_size)
        name[0] = '\0';
}

MMAPC__HOT int mmapc__os_area_from(mmapc__proc *p, uint64_t addr, mmapc_area *out, char *name,
                                   size_t cap, size_t *name_len)
{
    if (atomic_load_explicit(&ioctl_state, memory_order_relaxed) == IOCTL_NO)
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    int fd, rc = current_fd(p, &fd);
    if (rc)
        return rc;
    struct mmapc__procmap_query q;
    rc = query(fd, addr, PQ_COVERING_OR_NEXT, name, cap, &q);
    if (rc == MMAPC_ESRCH && !p->self)
        rc = query_reopened(fd, addr, PQ_COVERING_OR_NEXT, name, cap, &q);
    if (rc == NAME_SHORT) {
        *name_len = NAME_ROOM; /* not cap: never again with this buffer */
        return 0;
    }
    if (rc == MMAPC_ESRCH && no_areas(p->pid, fd) == 0)
        return mmapc__fail(MMAPC_ENOTFOUND); /* a kernel thread: no area anywhere */
    if (rc)
        return rc;
    fill_area(out, &q, name, cap, name_len);
    return 0;
}

/* The usual path of a handle's query, kept short: every failure, whatever its cause, only sends
 * the caller the general way (mmapc__os_area_from() then asks again and tells why), so nothing
 * here looks at errno, and little stays live across the system call. */
MMAPC__HOT int mmapc__os_area_at(mmapc__proc *p, uint64_t addr, mmapc_area *out, char *name,
                                 size_t cap)
{
    if (atomic_load_explicit(&ioctl_state, memory_order_relaxed) == IOCTL_NO)
        return MMAPC_EUNSUPPORTED;
    struct mmapc__procmap_query q;
    /* before the descriptor: addr and cap need not live across its slow path's calls; flags 0:
     * only the area that holds addr */
    query_init(&q, addr, 0, name, cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap);
    int fd, rc = current_fd(p, &fd);
    if (rc)
        return rc;
    unsigned long request = PQ_REQUEST; /* glibc declares it unsigned long, musl int */
    if (ioctl(fd, request, &q) != 0)
        return MMAPC_EUNSUPPORTED;
    query_answered(name, q.vma_name_size);
    size_t len;
    fill_area(out, &q, name, 1, &len); /* cap > 0 */
    out->path_len = len;
    return 0;
}

int mmapc__os_area_direct(mmapc__proc *p)
{
    if (atomic_load_explicit(&ioctl_state, memory_order_relaxed) == IOCTL_UNKNOWN) {
        struct mmapc__procmap_query q;
        int fd;
        if (current_fd(p, &fd) == 0)
            (void)query(fd, 0, PQ_COVERING_OR_NEXT, NULL, 0, &q); /* settles ioctl_state */
    }
    return atomic_load_explicit(&ioctl_state, memory_order_relaxed) == IOCTL_YES;
}

int mmapc__linux_proc_pid(mmapc__proc *p)
{
    return p->self ? my_pid() : p->pid;
}

int mmapc__linux_proc_self(mmapc__proc *p)
{
    return p->self || p->pid == my_pid();
}

/* The build ID query's ioctl through fd: 0, or the code of its refusal. */
static int build_id_ioctl(int fd, struct mmapc__procmap_query *q)
{
    unsigned long request = PQ_REQUEST; /* glibc declares it unsigned long, musl int */
    int r;
    do
        r = ioctl(fd, request, q);
    while (r < 0 && errno == EINTR);
    return r == 0 ? 0 : query_fail(errno);
}

int mmapc__linux_query_build_id(mmapc__proc *p, uint64_t addr, mmapc_build_id *out)
{
    if (atomic_load_explicit(&ioctl_state, memory_order_relaxed) == IOCTL_NO)
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    int fd, rc = current_fd(p, &fd);
    if (rc)
        return rc;
    mmapc_build_id id;
    memset(&id, 0, sizeof id);
    struct mmapc__procmap_query q = {.size = sizeof q,
                                     .query_addr = addr,
                                     .build_id_size = (uint32_t)sizeof id.bytes,
                                     .build_id_addr = (uint64_t)(uintptr_t)id.bytes};
    rc = build_id_ioctl(fd, &q);
    int nfd;
    if (rc == MMAPC_ESRCH && !p->self && (rc = open_again(fd, &nfd)) == 0) {
        rc = build_id_ioctl(nfd, &q);
        close(nfd);
    }
    if (rc != 0) {
        if (rc == MMAPC_ESRCH && no_areas(p->pid, fd) == 0)
            return mmapc__fail(MMAPC_ENOTFOUND); /* a kernel thread: no area anywhere */
        return rc;
    }
    if (atomic_load_explicit(&ioctl_state, memory_order_relaxed) != IOCTL_YES)
        atomic_store_explicit(&ioctl_state, IOCTL_YES, memory_order_relaxed);
    TELL_VALGRIND(id.bytes, q.build_id_size);
    id.size = q.build_id_size; /* 0: none */
    *out = id;
    return 0;
}

int mmapc__os_name_is_file(const char *name, const mmapc_area *a)
{
    struct stat st;
    return stat(name, &st) == 0 && st.st_ino == a->inode && major(st.st_dev) == a->dev_major &&
           minor(st.st_dev) == a->dev_minor;
}

/* Whether name (len bytes) is what the kernel prints for real (rlen bytes): each newline as
 * \\012, every other byte as is (fs/proc/task_mmu.c: seq_file_path(m, file, "\\n")). */
static bool printed_as(const char *real, size_t rlen, const char *name, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < rlen; i++) {
        if (real[i] == '\n') {
            if (len - j < 4 || memcmp(name + j, "\\012", 4) != 0)
                return false;
            j += 4;
        } else if (j == len || name[j++] != real[i]) {
            return false;
        }
    }
    return j == len;
}

size_t mmapc__os_text_name(mmapc__proc *p, const mmapc_area *a, char *name, size_t len)
{
    if (len < 4 || !memmem(name, len, "\\012", 4))
        return len; /* nothing escaped */
    /* \012 is a newline, or those four bytes in the name: the link in map_files holds the real
     * name (d_path, " (deleted)" and all, as the text), readable by whoever may read the maps.
     * It is taken when the text is how the kernel prints it: the same area still. */
    char path[96];
    if (p->self || p->pid == my_pid())
        snprintf(path, sizeof path, "/proc/self/map_files/%llx-%llx", (unsigned long long)a->start,
                 (unsigned long long)a->end);
    else
        snprintf(path, sizeof path, "/proc/%d/map_files/%llx-%llx", p->pid,
                 (unsigned long long)a->start, (unsigned long long)a->end);
    char *real = malloc(len + 1);
    ssize_t n = real ? readlink(path, real, len + 1) : -1;
    if (n > 0 && (size_t)n <= len && printed_as(real, (size_t)n, name, len)) {
        memcpy(name, real, (size_t)n);
        free(real);
        return (size_t)n;
    }
    free(real);
    /* No map_files (a kernel without it, an emulator, the area gone since): each \012 is read
     * as the newline the kernel escapes so. */
    size_t j = 0;
    for (size_t i = 0; i < len; j++) {
        if (len - i >= 4 && memcmp(name + i, "\\012", 4) == 0) {
            name[j] = '\n';
            i += 4;
        } else {
            name[j] = name[i++];
        }
    }
    return j;
}

/* A text stream's aux: whether h is the handle's own descriptor, whether it gave any byte yet,
 * and the pid to ask about an empty listing (0: ourselves, never empty). */
#define TEXT_OWN 1
#define TEXT_SERVED 2
#define TEXT_PID_SHIFT 2

int mmapc__os_text_open(mmapc__proc *p, mmapc__text *t)
{
    int fd, rc = current_fd(p, &fd);
    if (rc)
        return rc;
    /* whose listing may be empty for want of areas: asked when it is (see no_areas) */
    intptr_t check = p->self || p->pid == my_pid() ? 0 : (intptr_t)p->pid << TEXT_PID_SHIFT;
    if (atomic_exchange(&p->unread, 0)) {
        t->h = fd;
        t->aux = TEXT_OWN | check; /* the handle's own: not closed with the stream */
        return 0;
    }
    int nfd;
    if (p->self || p->pid == my_pid()) {
        /* ourselves: by name, not through fd, because qemu-user serves its own process's maps
         * from a snapshot taken at open, so only a fresh open sees the present */
        rc = open_maps(MMAPC_SELF, &nfd);
    } else {
        /* reopen the very file of the handle: it stays bound to the process it was opened
         * for, even if the pid number is reused after that process ends */
        rc = open_again(fd, &nfd);
    }
    if (rc)
        return rc;
    t->h = nfd;
    t->aux = check;
    return 0;
}

int mmapc__linux_text_open_file(mmapc__proc *p, const char *file, mmapc__text *t)
{
    int fd, rc = current_fd(p, &fd);
    if (rc)
        return rc;
    bool self = p->self || p->pid == my_pid();
    char path[64];
    if (self)
        snprintf(path, sizeof path, "/proc/self/%s", file);
    else
        snprintf(path, sizeof path, "/proc/%d/%s", p->pid, file);
    int nfd = open(path, O_RDONLY | O_CLOEXEC), err = errno;
    /* The pid may have gone to another process since the handle was opened: the handle's own
     * descriptor, bound to the process it was opened for, fails with ESRCH once that one is
     * reaped, so a read of it that does not fail after the open says that nfd is of the same.
     * A read that gives nothing is of a process without areas. */
    char c;
    ssize_t r = 1;
    if (!self)
        do
            r = pread(fd, &c, 1, 0);
        while (r < 0 && errno == EINTR);
    int rerr = r < 0 ? errno : 0, afd;
    /* nothing from the handle's descriptor: its address space may be one the process left by an
     * exec, and the same file opened again reaches the one it has now (still the same process:
     * that open fails once it is reaped) */
    if (r == 0 && open_again(fd, &afd) == 0) {
        do
            r = pread(afd, &c, 1, 0);
        while (r < 0 && errno == EINTR);
        rerr = r < 0 ? errno : 0;
        close(afd);
    }
    if (r <= 0 && nfd >= 0)
        close(nfd);
    if (r < 0) /* ESRCH: ended */
        return mmapc__posix_fail(rerr);
    if (r == 0) { /* a kernel thread (whose smaps_rollup fails with ESRCH), or an ended process */
        rc = no_areas(p->pid, fd);
        t->h = -1; /* an empty stream */
        t->aux = 0;
        return rc;
    }
    if (nfd < 0) /* a live process without the file: a kernel without it */
        return err == ENOENT ? mmapc__os_fail(err, MMAPC_EUNSUPPORTED) : open_fail(err);
    t->h = nfd;
    t->aux = self ? 0 : (intptr_t)p->pid << TEXT_PID_SHIFT; /* as mmapc__os_text_open() */
    return 0;
}

int mmapc__os_text_read(mmapc__text *t, char *buf, size_t cap, size_t *got)
{
    if (t->h < 0) { /* mmapc__linux_text_open_file() of a process without areas */
        *got = 0;
        return 0;
    }
    ssize_t n;
    do
        n = read((int)t->h, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return mmapc__posix_fail(errno); /* ESRCH once the process is reaped */
    if (n == 0 && !(t->aux & TEXT_SERVED) && (t->aux >> TEXT_PID_SHIFT) != 0) {
        /* nothing at all: a kernel thread, or an ended process (a zombie) */
        int rc = no_areas((int)(t->aux >> TEXT_PID_SHIFT), (int)t->h);
        if (rc)
            return rc;
    }
    if (n > 0)
        t->aux |= TEXT_SERVED;
    *got = (size_t)n;
    return 0;
}

void mmapc__os_text_close(mmapc__text *t)
{
    if (!(t->aux & TEXT_OWN) && t->h >= 0)
        close((int)t->h);
}
