// SPDX-License-Identifier: MIT
/* POSIX side of ranges: aligned placement, decommit and residency (mincore). */
#include "posix.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

int mmapc__posix_place_aligned(void *hint, size_t size, size_t alignment, void **out)
{
    size_t page = mmapc__os_page_size();
    if (size > SIZE_MAX - (alignment - page))
        return mmapc__posix_fail(ENOMEM);
    size_t span = size + alignment - page; /* holds an aligned start whatever the kernel gives */
    char *p = mmap(hint, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return mmapc__posix_fail(errno);
    char *start = (char *)(((uintptr_t)p + alignment - 1) & ~(uintptr_t)(alignment - 1));
    size_t head = (size_t)(start - p), tail = span - head - size;
    /* A trim splits an area, which fails (ENOMEM) at vm.max_map_count; what is left is then
     * still one area, which goes whole, so that a failed placement leaves nothing behind. */
    if (head && munmap(p, head) != 0) {
        int err = errno;
        munmap(p, span);
        return mmapc__posix_fail(err);
    }
    if (tail && munmap(start + size, tail) != 0) {
        int err = errno;
        munmap(start, size + tail);
        return mmapc__posix_fail(err);
    }
    *out = start;
    return 0;
}

int mmapc__os_decommit(mmapc__backing *b, void *addr, size_t size, unsigned flags, size_t page_size)
{
    (void)b;
    /* what mmapc__os_reserve() makes: private, inaccessible, no commit charge; hugetlb when the
     * mapping is, so that a later commit fits */
    mmapc__request r = {
        .address = addr,
        .size = size,
        .flags = (flags & MMAPC_HUGE_PAGES) | MMAPC_NO_RESERVE,
        .page_size = page_size,
    };
    int f = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | mmapc__posix_map_flags(&r);
    if (mmap(addr, size, PROT_NONE, f, mmapc__posix_anon_fd(&r), 0) == MAP_FAILED)
        return mmapc__posix_fail(errno);
    return 0;
}

void mmapc__posix_touch(void *addr, size_t size, bool write)
{
    size_t page = mmapc__os_page_size();
    for (size_t off = 0; off < size; off += page) {
        char *p = (char *)addr + off;
        if (write) {
            /* A write that changes nothing and loses no store another thread makes meanwhile.
             * Not an atomic add of zero: clang makes that idempotent read-modify-write a plain
             * load, which faults the page in for reading only (the zero page, nothing private);
             * a compare-and-exchange of the value with itself stays a write access. */
            char v = __atomic_load_n(p, __ATOMIC_RELAXED);
            while (
                !__atomic_compare_exchange_n(p, &v, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
                ;
        } else
            (void)*(volatile char *)p;
    }
}

int mmapc__posix_zero(void *addr, size_t size, mmapc_prot prot)
{
    /* MAP_FIXED replaces the old pages in the one call */
    if (mmap(addr, size, mmapc__posix_prot(prot), MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
        MAP_FAILED)
        return mmapc__posix_fail(errno);
    return 0;
}

/* The resident pages of mincore's vector vec[0, n), each byte made exactly 1 or 0 when
 * normalise. The kernel promises only the low bit, but Linux writes 0 or 1, so the vector is
 * only read, unless a byte holds more. Branch-free, so the compiler vectorises it. */
static size_t count_resident(unsigned char *vec, size_t n, bool normalise)
{
    size_t count = 0;
    unsigned char seen = 0;
    for (size_t i = 0; i < n; i++) {
        count += vec[i] & 1;
        seen |= vec[i];
    }
    if (normalise && (seen & ~1)) {
        for (size_t i = 0; i < n; i++)
            vec[i] &= 1;
    }
    return count;
}

int mmapc__os_residency(const void *addr, size_t size, size_t page_size, size_t *count,
                        unsigned char *pages)
{
    size_t base = mmapc__os_page_size();
    char *p = (char *)(uintptr_t)addr;
    size_t total = 0;
    if (page_size != base) {
        /* a huge page is resident as a whole: ask about its first base page */
        for (size_t i = 0; i < size / page_size; i++) {
            unsigned char v;
            if (mincore(p + i * page_size, base, (void *)&v) != 0)
                return mmapc__posix_fail(errno);
            total += v & 1;
            if (pages)
                pages[i] = v & 1;
        }
    } else if (pages) {
        /* straight into the caller's vector, then one pass to count and normalise */
        if (mincore(p, size, (void *)pages) != 0) /* char * on macOS, unsigned char * on Linux */
            return mmapc__posix_fail(errno);
        total = count_resident(pages, size / base, true);
    } else {
        /* 32 KiB of stack: one call per 128 MiB, so that the calls cost next to nothing */
        unsigned char vec[32768];
        for (size_t done = 0; done < size / base; done += sizeof vec) {
            size_t n = size / base - done < sizeof vec ? size / base - done : sizeof vec;
            if (mincore(p + done * base, n * base, (void *)vec) != 0)
                return mmapc__posix_fail(errno);
            total += count_resident(vec, n, false);
        }
    }
    *count = total;
    return 0;
}
