// SPDX-License-Identifier: MIT
/* What src/os/posix.c needs from the file of each POSIX system (linux.c; later darwin.c,
 * freebsd.c). */
#ifndef MMAPC_OS_POSIX_H
#define MMAPC_OS_POSIX_H

#include "../os.h"

/* The system-specific mmap flags for rq (populate, no-reserve, huge pages, stack, fixed without
 * replacing). A flag the system lacks adds nothing. */
int mmapc__posix_map_flags(const mmapc__request *rq);
/* The descriptor argument of an anonymous mmap for rq: -1, except where the system passes flags
 * there (macOS: VM_FLAGS_SUPERPAGE_SIZE_2MB for huge pages). */
int mmapc__posix_anon_fd(const mmapc__request *rq);
/* The flags that need work after mmap (advice, locking; populate where mmap has no flag for it). */
#define MMAPC__POSIX_AFTER_MMAP                                                                    \
    (MMAPC_TRANSPARENT_HUGE_PAGES | MMAPC_NO_CORE_DUMP | MMAPC_SEQUENTIAL | MMAPC_RANDOM_ACCESS |  \
     MMAPC_WILL_NEED | MMAPC_DONT_NEED | MMAPC_LOCKED | MMAPC_POPULATE)
/* Apply rq's advice flags (THP, no-core-dump, access pattern, will/dont need) to a new mapping,
 * and populate it by touching its pages where mmapc__posix_map_flags() could not ask for it. */
int mmapc__posix_advise(const mmapc__request *rq, void *addr);
/* Reserve [*out, *out + size), aligned to alignment (a power of two above the page size), as an
 * inaccessible placeholder for a MAP_FIXED mapping to replace; hint as for mmap. */
int mmapc__posix_place_aligned(void *hint, size_t size, size_t alignment, void **out);
/* The mmap / mprotect protection bits of prot. */
int mmapc__posix_prot(mmapc_prot prot);
/* Fault in every page of [addr, addr + size): a read, or with write an atomic add of zero, which
 * writes without changing a byte even while other threads write the page. */
void mmapc__posix_touch(void *addr, size_t size, bool write);
/* Put fresh zero-filled private anonymous pages with protection prot over [addr, addr + size), a
 * piece of a private anonymous mapping: the discard of a system without one of its own. A lock
 * on the old pages goes with them. On failure the range is as it was. */
int mmapc__posix_zero(void *addr, size_t size, mmapc_prot prot);
/* Memory was just made read+write+exec (map, commit, protect): the calling thread may now need
 * leave to write it (macOS on arm64: MAP_JIT memory, pthread_jit_write_protect_np); nothing
 * elsewhere. */
void mmapc__posix_rwx_made(void);
/* After a synchronous msync of [addr, addr + size): what else the data needs to reach the disk
 * (macOS: F_FULLFSYNC, as msync leaves it in the drive's cache); 0 elsewhere. */
int mmapc__posix_sync(void *addr, size_t size);
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

/* Files that change size (posix_resize.c). Resize the mapping [old, old + old_size) to new_size
 * bytes in place, or anywhere with may_move, keeping its contents (Linux mremap): *out gets
 * the new start. MMAPC_EUNSUPPORTED where the system cannot (posix_resize.c then grows into a
 * tail, or makes a new mapping and copies). */
int mmapc__posix_remap(void *old, size_t old_size, size_t new_size, int may_move, void **out);
/* Allocate the storage of [offset, offset + len) of the file fd, making the file at least
 * offset + len bytes long: 0, or an errno value (posix_fallocate's convention): ENOSPC when the
 * disk is full, EOPNOTSUPP when the file system cannot allocate ahead. */
int mmapc__posix_allocate(int fd, uint64_t offset, uint64_t len);

/* Write tracking (posix_track.c): the fault sig described by si, raised by the system in this
 * thread, is a first write to a page the mprotect backend tracks: recorded and the page made
 * writable (1: return from the handler, the instruction runs again), or not (0). Called first
 * by the fault handler of posix_guard.c; async-signal-safe. */
#include <signal.h>
int mmapc__posix_track_fault(int sig, const siginfo_t *si);

#endif
