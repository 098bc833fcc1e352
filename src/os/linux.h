// SPDX-License-Identifier: MIT
/* What the Linux files of the platform seam share beyond posix.h: what linux_areas.c, which owns
 * the process handle, offers the files of other concerns about it. */
#ifndef MMAPC_OS_LINUX_H
#define MMAPC_OS_LINUX_H

#include "posix.h"

/* The id of p's process now: the caller's own for MMAPC_SELF (the child's after fork). */
int mmapc__linux_proc_pid(mmapc__proc *p);
/* Non-zero for a handle of the calling process (MMAPC_SELF, or its own id). */
int mmapc__linux_proc_self(mmapc__proc *p);
/* PROCMAP_QUERY for the area holding addr, asking for its build ID only: out->size 0 when it has
 * none. MMAPC_ENOTFOUND when no area holds addr (a kernel thread: none anywhere);
 * MMAPC_EUNSUPPORTED where the kernel lacks the ioctl (as mmapc__os_area_from()). */
int mmapc__linux_query_build_id(mmapc__proc *p, uint64_t addr, mmapc_build_id *out);
/* Open /proc/<pid>/<file> of p's process ("smaps", "smaps_rollup") as a text stream that
 * mmapc__os_text_read() reads (an empty one tells a process without areas from an ended one)
 * and mmapc__os_text_close() closes. MMAPC_EUNSUPPORTED when the kernel has no such file;
 * MMAPC_ESRCH when the process has ended. */
int mmapc__linux_text_open_file(mmapc__proc *p, const char *file, mmapc__text *t);

#endif
