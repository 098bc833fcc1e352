// SPDX-License-Identifier: MIT
/*
 * Another process's memory on Linux: process_vm_readv() / process_vm_writev(), and
 * /proc/<pid>/mem (pread / pwrite) where the kernel or an emulator lacks them (ENOSYS) or a
 * filter refuses them (EPERM from seccomp, as container runtimes install; a real refusal of the
 * ptrace check refuses the open of the mem file too, and then the call is MMAPC_EPERM). The mem
 * file reads and writes through any protection, so proc_mem.c first bounds its range by the
 * areas' protections: both ways copy the same bytes.
 *
 * Exact counts: a transfer stops at the first page it cannot pin and reports the bytes before it;
 * the next call starts at that page and fails at once. Where a transfer fails as a whole
 * (EFAULT with nothing done, as the documentation allows for a vector element), the range is
 * taken again a page at a time, so the count is exact either way.
 */
#define _GNU_SOURCE
#include "linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

/* Whether process_vm_readv/writev exist here: learnt from the first ENOSYS, then constant. */
static atomic_int vm_missing;

/* The system calls; *done counts on from where it stands. MMAPC_EUNSUPPORTED: refused (errno
 * ENOSYS, or EPERM from a filter or the ptrace check), for the caller to try the mem file. */
static int vm_transfer(int pid, uint64_t addr, unsigned char *buf, size_t len, bool write,
                       size_t *done)
{
    bool careful = false;
    while (*done < len) {
        uint64_t at = addr + *done;
        if (at < addr || at > UINTPTR_MAX)
            break; /* past the top, or above what this program can name */
        size_t n = mmapc__proc_step(at, len - *done, careful);
        struct iovec local = {buf + *done, n}, remote = {(void *)(uintptr_t)at, n};
        ssize_t r = write ? process_vm_writev(pid, &local, 1, &remote, 1, 0)
                          : process_vm_readv(pid, &local, 1, &remote, 1, 0);
        if (r > 0) {
            *done += (size_t)r;
            careful = careful || (size_t)r < n;
            continue;
        }
        int err = r == 0 ? EFAULT : errno;
        if (err == EINTR)
            continue;
        if (err == EFAULT) {
            if (!careful && n > mmapc__proc_step(at, n, true)) {
                careful = true; /* failed as a whole: again a page at a time */
                continue;
            }
            break;
        }
        if (err == ENOSYS)
            atomic_store_explicit(&vm_missing, 1, memory_order_relaxed);
        if (err == ENOSYS || err == EPERM)
            return mmapc__os_fail(err, MMAPC_EUNSUPPORTED);
        return mmapc__posix_fail(err);
    }
    return 0;
}

/* /proc/<pid>/mem: pread and pwrite stop at the first page they cannot reach (EIO when they
 * reach none); 0 bytes means the process has no memory any more (it ended). */
static int mem_transfer(mmapc__proc *p, uint64_t addr, unsigned char *buf, size_t len, bool write,
                        size_t *done)
{
    char path[40];
    if (mmapc__linux_proc_self(p))
        snprintf(path, sizeof path, "/proc/self/mem");
    else
        snprintf(path, sizeof path, "/proc/%d/mem", mmapc__linux_proc_pid(p));
    int fd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT)
            return mmapc__os_fail(err, MMAPC_ESRCH);
        if (err == EACCES) /* the ptrace check, as process_vm_readv reports it */
            return mmapc__os_fail(err, MMAPC_EPERM);
        return mmapc__posix_fail(err);
    }
    int rc = 0;
    while (*done < len) {
        uint64_t at = addr + *done;
        if (at < addr || at > (uint64_t)INT64_MAX)
            break; /* an offset the file cannot take: no user memory there */
        size_t n = mmapc__proc_step(at, len - *done, false);
        if (n - 1 > (uint64_t)INT64_MAX - at)
            n = (size_t)((uint64_t)INT64_MAX - at) + 1;
        ssize_t r =
            write ? pwrite(fd, buf + *done, n, (off_t)at) : pread(fd, buf + *done, n, (off_t)at);
        if (r > 0) {
            *done += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EIO || errno == EFAULT))
            break; /* not mapped, or not accessible */
        rc = r == 0 ? mmapc__os_fail(ESRCH, MMAPC_ESRCH) : mmapc__posix_fail(errno);
        break;
    }
    close(fd);
    return rc;
}

int mmapc__os_proc_copy(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                        size_t *done)
{
    if (atomic_load_explicit(&vm_missing, memory_order_relaxed))
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    size_t n = 0;
    int rc = vm_transfer(mmapc__linux_proc_pid(p), addr, buf, len, write, &n);
    if (rc == MMAPC_EUNSUPPORTED && n) /* refused midway (cannot be): the rest comes forced */
        rc = 0;
    if (rc)
        return rc;
    *done = n;
    return 0;
}

int mmapc__os_proc_copy_forced(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                               size_t *done)
{
    size_t n = 0;
    int rc = mem_transfer(p, addr, buf, len, write, &n);
    if (rc)
        return rc;
    *done = n;
    return 0;
}
