// SPDX-License-Identifier: MIT
/* Windows side of ranges: aligned placement, advice, discard, decommit, residency
 * (QueryWorkingSetEx). Lock on fault and sealing have no Windows counterpart. */
#include "win32.h"

#include <psapi.h>

/* How many times an aligned free range is looked for before giving up: another thread must take
 * the range between the probe and the allocation each time for this to run out. */
#define ALIGNED_TRIES 16

int mmapc__win_place_aligned(const mmapc__request *rq, mmapc__win_place_fn fn, const void *args,
                             void **out)
{
    size_t align = rq->alignment;
    if (rq->size > SIZE_MAX - align)
        return mmapc__os_fail(ERROR_NOT_ENOUGH_MEMORY, MMAPC_ENOMEM);
    DWORD err = ERROR_NOT_ENOUGH_MEMORY;
    for (int i = 0; i < ALIGNED_TRIES; i++) {
        /* reserve more than needed to find an aligned start inside, free it, take that start;
         * the first try starts at the hint, which the core checked is aligned */
        void *hint = i == 0 ? rq->address : NULL;
        char *probe = VirtualAlloc(hint, rq->size + align, MEM_RESERVE, PAGE_NOACCESS);
        if (!probe && hint)
            probe = VirtualAlloc(NULL, rq->size + align, MEM_RESERVE, PAGE_NOACCESS);
        if (!probe)
            return mmapc__win_fail(GetLastError());
        VirtualFree(probe, 0, MEM_RELEASE);
        void *at = (void *)(((uintptr_t)probe + align - 1) & ~(uintptr_t)(align - 1));
        void *p = fn(at, args);
        if (p) {
            *out = p;
            return 0;
        }
        err = GetLastError();
        if (err != ERROR_INVALID_ADDRESS)
            break; /* not a race with another thread: trying again will not help */
    }
    return mmapc__win_fail(err == ERROR_INVALID_ADDRESS ? ERROR_NOT_ENOUGH_MEMORY : err);
}

/* Touch every page with a read: committed pages become private at the first touch. */
static void touch(void *addr, size_t size)
{
    size_t page = mmapc__os_page_size();
    for (size_t off = 0; off < size; off += page)
        (void)*(volatile const char *)((const char *)addr + off);
}

int mmapc__os_advise(void *addr, size_t size, mmapc_advice advice, mmapc_prot prot)
{
    if (advice == MMAPC_ADVICE_POPULATE_READ || advice == MMAPC_ADVICE_POPULATE_WRITE) {
        touch(addr, size);
    } else if (advice == MMAPC_ADVICE_WILL_NEED && prot != MMAPC_PROT_NONE) {
        WIN32_MEMORY_RANGE_ENTRY range = {addr, size};
        if (!PrefetchVirtualMemory(GetCurrentProcess(), 1, &range, 0))
            return mmapc__win_fail(GetLastError());
    }
    return 0; /* the rest has no Windows meaning */
}

int mmapc__os_discard(void *addr, size_t size, mmapc_discard_mode mode, mmapc_prot prot)
{
    if (mode == MMAPC_DISCARD_LAZY) {
        if (!VirtualAlloc(addr, size, MEM_RESET, PAGE_NOACCESS))
            return mmapc__win_fail(GetLastError());
        return 0;
    }
    /* fresh committed pages read as zeros */
    VirtualUnlock(addr, size); /* fails harmlessly when nothing was locked */
    if (!VirtualFree(addr, size, MEM_DECOMMIT))
        return mmapc__win_fail(GetLastError());
    if (!VirtualAlloc(addr, size, MEM_COMMIT, mmapc__win_prot(prot, false)))
        return mmapc__win_fail(GetLastError());
    return 0;
}

int mmapc__os_decommit(mmapc__backing *b, void *addr, size_t size, unsigned flags, size_t page_size)
{
    (void)b;
    (void)page_size;
    if (flags & MMAPC_HUGE_PAGES) /* large pages are committed for as long as they exist */
        return mmapc__fail(MMAPC_EUNSUPPORTED);
    VirtualUnlock(addr, size);
    if (!VirtualFree(addr, size, MEM_DECOMMIT))
        return mmapc__win_fail(GetLastError());
    return 0;
}

int mmapc__os_residency(const void *addr, size_t size, size_t page_size, size_t *count,
                        unsigned char *pages)
{
    size_t base = mmapc__os_page_size();
    size_t step = page_size / base; /* a large page is resident as a whole */
    PSAPI_WORKING_SET_EX_INFORMATION info[256];
    size_t n = size / page_size, total = 0;
    for (size_t done = 0; done < n; done += 256) {
        size_t k = n - done < 256 ? n - done : 256;
        for (size_t i = 0; i < k; i++)
            info[i].VirtualAddress = (char *)(uintptr_t)addr + (done + i) * step * base;
        if (!QueryWorkingSetEx(GetCurrentProcess(), info, (DWORD)(k * sizeof info[0])))
            return mmapc__win_fail(GetLastError());
        for (size_t i = 0; i < k; i++) {
            unsigned char r = info[i].VirtualAttributes.Valid;
            total += r;
            if (pages)
                pages[done + i] = r;
        }
    }
    *count = total;
    return 0;
}

int mmapc__os_lock_on_fault(void *addr, size_t size)
{
    (void)addr;
    (void)size;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_seal(void *addr, size_t size)
{
    (void)addr;
    (void)size;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}
