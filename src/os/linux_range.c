// SPDX-License-Identifier: MIT
/* Linux side of ranges: madvise advice and discard, lock on fault (mlock2), sealing (mseal). */
#define _GNU_SOURCE
#include "posix.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Values of the kernel's uapi, for C libraries that are older than the kernel. */
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef SYS_mlock2
#if defined(__x86_64__)
#define SYS_mlock2 325
#elif defined(__i386__)
#define SYS_mlock2 376
#else
#define SYS_mlock2 284 /* the generic table (arm64, riscv...) */
#endif
#endif
/* mseal has one number on every architecture (Linux 6.10). */
#define MMAPC_SYS_MSEAL 462

int mmapc__os_advise(void *addr, size_t size, mmapc_advice advice, mmapc_prot prot)
{
    (void)prot; /* the core checked the access populate needs */
    static const int native[] = {
        [MMAPC_ADVICE_NORMAL] = MADV_NORMAL,
        [MMAPC_ADVICE_SEQUENTIAL] = MADV_SEQUENTIAL,
        [MMAPC_ADVICE_RANDOM] = MADV_RANDOM,
        [MMAPC_ADVICE_WILL_NEED] = MADV_WILLNEED,
        [MMAPC_ADVICE_HUGE_PAGES] = MADV_HUGEPAGE,
        [MMAPC_ADVICE_NO_HUGE_PAGES] = MADV_NOHUGEPAGE,
        [MMAPC_ADVICE_DONT_DUMP] = MADV_DONTDUMP,
        [MMAPC_ADVICE_DO_DUMP] = MADV_DODUMP,
        [MMAPC_ADVICE_COLD] = MADV_COLD,
        [MMAPC_ADVICE_PAGE_OUT] = MADV_PAGEOUT,
        [MMAPC_ADVICE_POPULATE_READ] = MADV_POPULATE_READ,
        [MMAPC_ADVICE_POPULATE_WRITE] = MADV_POPULATE_WRITE,
        [MMAPC_ADVICE_COLLAPSE] = MADV_COLLAPSE,
    };
    if (madvise(addr, size, native[advice]) == 0)
        return 0;
    int err = errno;
    if (err == EINVAL) {
        /* Our arguments are checked, so the kernel does not know this advice (or cannot apply it
         * to this kind of memory, as THP advice on hugetlb): populate by hand, else a no-op. */
        if (advice == MMAPC_ADVICE_POPULATE_READ || advice == MMAPC_ADVICE_POPULATE_WRITE)
            mmapc__posix_touch(addr, size, advice == MMAPC_ADVICE_POPULATE_WRITE);
        return 0;
    }
    if (advice == MMAPC_ADVICE_COLLAPSE && err == EAGAIN)
        return mmapc__os_fail(err, MMAPC_EBUSY); /* pages busy now, not a limit */
    return mmapc__posix_fail(err);
}

int mmapc__os_discard(void *addr, size_t size, mmapc_discard_mode mode, mmapc_prot prot)
{
    (void)prot;
    if (mode == MMAPC_DISCARD_LAZY && madvise(addr, size, MADV_FREE) == 0)
        return 0;
    /* MADV_FREE is unknown to the kernel or to the mapping (hugetlb): zero, which is one of the
     * contents lazy discard allows */
    if (mode == MMAPC_DISCARD_ZERO || errno == EINVAL) {
        if (madvise(addr, size, MADV_DONTNEED) == 0)
            return 0;
    }
    /* EINVAL for checked arguments: the pages are locked */
    return errno == EINVAL ? mmapc__os_fail(errno, MMAPC_EBUSY) : mmapc__posix_fail(errno);
}

int mmapc__os_lock_on_fault(void *addr, size_t size)
{
    if (syscall(SYS_mlock2, addr, size, MLOCK_ONFAULT) != 0) {
        if (errno == EINVAL) /* a kernel without MLOCK_ONFAULT */
            return mmapc__os_fail(errno, MMAPC_EUNSUPPORTED);
        return mmapc__posix_fail(errno == ENOMEM ? EAGAIN : errno); /* as mmapc__os_lock */
    }
    return 0;
}

int mmapc__os_seal(void *addr, size_t size)
{
    if (syscall(MMAPC_SYS_MSEAL, addr, size, 0UL) != 0)
        return mmapc__posix_fail(errno);
    return 0;
}
