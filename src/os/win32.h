// SPDX-License-Identifier: MIT
/* What the Windows files of the platform seam share: the Windows headers at the version they
 * need, and the mapping of GetLastError() codes to MMAPC_E* codes. */
#ifndef MMAPC_OS_WIN32_H
#define MMAPC_OS_WIN32_H

#if !defined(_WIN32_WINNT) || _WIN32_WINNT < 0x0602
#undef _WIN32_WINNT
#define _WIN32_WINNT 0x0602 /* Windows 8: PrefetchVirtualMemory */
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include "../os.h"

/* os[2] of an anonymous backing: its allocation was made with MEM_WRITE_WATCH (windows_map.c,
 * for MMAPC_TRACK_WRITES), so windows_track.c can track its writes. */
#define MMAPC__WIN_WATCHED ((uintptr_t)1)

/* Turn a GetLastError() code into an MMAPC_E* code, recording it as this thread's raw error. */
int mmapc__win_fail(DWORD err);
/* The page protection for prot; cow: in a copy-on-write view, where writable means write-copy. */
DWORD mmapc__win_prot(mmapc_prot prot, bool cow);
/* One attempt to place a mapping at an address (VirtualAlloc, MapViewOfFileEx): its address, or
 * NULL with GetLastError() set. */
typedef void *(*mmapc__win_place_fn)(void *at, const void *args);
/* Place rq at a start aligned to rq->alignment (above the granularity) with fn (windows_range.c):
 * find an aligned free range, then try fn there, again a bounded number of times when another
 * thread took it in between. */
int mmapc__win_place_aligned(const mmapc__request *rq, mmapc__win_place_fn fn, const void *args,
                             void **out);
/* Hold SeLockMemoryPrivilege, which large pages need: 0, or MMAPC_EPERM when it is not granted. */
int mmapc__win_lock_privilege(void);
/* For a view of a shared memory object (rq->is_view): a duplicate of its section, whether views
 * may write and execute, and the bytes of the section the view holds (windows_shm.c). */
int mmapc__win_view_section(const mmapc__request *rq, HANDLE *section, bool *write, bool *exec,
                            size_t *bytes);
/* The process handle of p (windows_areas.c): opened with PROCESS_QUERY_INFORMATION and
 * PROCESS_VM_READ, or GetCurrentProcess() for MMAPC_SELF. */
HANDLE mmapc__win_proc_handle(mmapc__proc *p);
/* Test hooks of the ring (tests/windows/test_win_shm.c): non-zero maps rings without
 * placeholders even where the system has them; the function, when set, is called between
 * freeing the found range and mapping the two views there, where another thread may take it. */
extern int mmapc__win_ring_no_placeholders;
extern void (*mmapc__win_ring_gap)(void *addr, size_t size);

#endif
