// SPDX-License-Identifier: MIT
/* What src/os/posix.c needs from the file of each POSIX system (linux.c; later darwin.c,
 * freebsd.c). */
#ifndef MMAPC_OS_POSIX_H
#define MMAPC_OS_POSIX_H

#include "../os.h"

/* The system-specific mmap flags for rq (populate, no-reserve, huge pages, stack, fixed without
 * replacing). A flag the system lacks adds nothing. */
int mmapc__posix_map_flags(const mmapc__request *rq);
/* The flags that need work after mmap (advice, locking). */
#define MMAPC__POSIX_AFTER_MMAP                                                                    \
    (MMAPC_TRANSPARENT_HUGE_PAGES | MMAPC_NO_CORE_DUMP | MMAPC_SEQUENTIAL | MMAPC_RANDOM_ACCESS |  \
     MMAPC_WILL_NEED | MMAPC_DONT_NEED | MMAPC_LOCKED)
/* Apply rq's advice flags (THP, no-core-dump, access pattern, will/dont need) to a new mapping. */
int mmapc__posix_advise(const mmapc__request *rq, void *addr);
/* Reserve [*out, *out + size), aligned to alignment (a power of two above the page size), as an
 * inaccessible placeholder for a MAP_FIXED mapping to replace; hint as for mmap. */
int mmapc__posix_place_aligned(void *hint, size_t size, size_t alignment, void **out);
/* Turn an errno value into an MMAPC_E* code, recording it as this thread's raw OS error. */
int mmapc__posix_fail(int err);
/* Non-zero when the process has as many memory areas as the system allows (Linux
 * vm.max_map_count), so that an ENOMEM from mmap, mprotect or munmap means that limit. Called
 * on failures only. */
int mmapc__posix_at_area_limit(void);
/* A new anonymous shared memory object of size bytes, the system's best kind (Linux: a
 * sealable memfd); MMAPC_EUNSUPPORTED when it has none, and posix_shm.c falls back to
 * mmapc__posix_shm_fallback(): shm_open of a fresh name, unlinked at once. */
int mmapc__posix_shm_anon(uint64_t size, int inherit, mmapc_file *out);
int mmapc__posix_shm_fallback(uint64_t size, int inherit, mmapc_file *out);

#endif
