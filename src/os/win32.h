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

/* Turn a GetLastError() code into an MMAPC_E* code, recording it as this thread's raw error. */
int mmapc__win_fail(DWORD err);
/* The page protection for prot; cow: in a copy-on-write view, where writable means write-copy. */
DWORD mmapc__win_prot(mmapc_prot prot, bool cow);
/* Hold SeLockMemoryPrivilege, which large pages need: 0, or MMAPC_EPERM when it is not granted. */
int mmapc__win_lock_privilege(void);

#endif
