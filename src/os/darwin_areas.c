// SPDX-License-Identifier: MIT
/*
 * macOS memory areas: mach_vm_region_recurse on the task (this process's own, or another's from
 * task_for_pid), descending into submaps (the shared cache) so that each area is a leaf region,
 * with its file from proc_regionfilename. There is no text listing: areas.c steps with the
 * direct query.
 */
#include "darwin_sys.h"
#include "posix.h"

#include <errno.h>
#include <libproc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <unistd.h>

struct mmapc__proc {
    task_t task; /* a send right of our own, except for MMAPC_SELF */
    int pid;     /* MMAPC_SELF: ourselves, asked with getpid() each time (fork) */
};

int mmapc__darwin_fail(const mmapc__proc *p, kern_return_t kr)
{
    if (p->pid != MMAPC_SELF && kill(p->pid, 0) != 0 && errno == ESRCH)
        return mmapc__os_fail((int)kr, MMAPC_ESRCH);
    return mmapc__os_fail((int)kr, kr == KERN_PROTECTION_FAILURE ? MMAPC_EACCES : MMAPC_EOS);
}

task_t mmapc__darwin_task(const mmapc__proc *p)
{
    return p->pid == MMAPC_SELF ? mach_task_self() : p->task;
}

int mmapc__os_proc_open(int pid, unsigned flags, mmapc__proc **out)
{
    (void)flags;
    mmapc__proc *p = malloc(sizeof *p);
    if (!p)
        return mmapc__posix_fail(ENOMEM);
    *p = (mmapc__proc){.task = MACH_PORT_NULL, .pid = pid};
    if (pid != MMAPC_SELF) { /* our own pid too: the handle stays this process's after a fork */
        /* another process's task needs the com.apple.security.cs.debugger entitlement (or root
         * with the system's protection off); without it the kernel says KERN_FAILURE */
        kern_return_t kr = task_for_pid(mach_task_self(), pid, &p->task);
        if (kr != KERN_SUCCESS) {
            int gone = kill(pid, 0) != 0 && errno == ESRCH;
            free(p);
            return mmapc__os_fail((int)kr, gone ? MMAPC_ESRCH : MMAPC_EPERM);
        }
    }
    *out = p;
    return 0;
}

void mmapc__os_proc_close(mmapc__proc *p)
{
    if (!p)
        return;
    if (p->task != MACH_PORT_NULL)
        mach_port_deallocate(mach_task_self(), p->task);
    free(p);
}

int mmapc__os_area_direct(mmapc__proc *p)
{
    (void)p;
    return 1;
}

static unsigned prot_bits(vm_prot_t prot)
{
    return ((prot & VM_PROT_READ) ? MMAPC_PROT_READ : 0u) |
           ((prot & VM_PROT_WRITE) ? MMAPC_PROT_WRITE : 0u) |
           ((prot & VM_PROT_EXECUTE) ? MMAPC_PROT_EXEC : 0u);
}

/* Shared: pages other maps see (a shared file or object, memory shared with another task);
 * private: copy-on-write, private, untouched (empty) memory. */
static int is_shared(unsigned char share_mode)
{
    return share_mode == SM_SHARED || share_mode == SM_TRUESHARED ||
           share_mode == SM_SHARED_ALIASED;
}

/* The file of the area at addr into name (see mmapc__os_area_from): "" when it has none. */
static void region_name(const mmapc__proc *p, uint64_t addr, char *name, size_t cap,
                        size_t *name_len)
{
    char path[MAXPATHLEN];
    int pid = p->pid == MMAPC_SELF ? getpid() : p->pid;
    int len = proc_regionfilename(pid, addr, path, sizeof path);
    size_t n = len > 0 ? (size_t)len : 0;
    if (n >= sizeof path)
        n = sizeof path - 1;
    *name_len = n;
    if (n < cap) {
        memcpy(name, path, n);
        name[n] = '\0';
    }
}

int mmapc__os_area_from(mmapc__proc *p, uint64_t addr, mmapc_area *out, char *name, size_t cap,
                        size_t *name_len)
{
    mach_vm_address_t at = addr;
    mach_vm_size_t size = 0;
    natural_t depth = 0;
    vm_region_submap_info_data_64_t info;
    for (;;) {
        mach_msg_type_number_t count = VM_REGION_SUBMAP_INFO_COUNT_64;
        kern_return_t kr = mach_vm_region_recurse(mmapc__darwin_task(p), &at, &size, &depth,
                                                  (vm_region_recurse_info_t)&info, &count);
        if (kr == KERN_INVALID_ADDRESS) /* nothing at or above addr */
            return mmapc__os_fail((int)kr, MMAPC_ENOTFOUND);
        if (kr != KERN_SUCCESS)
            return mmapc__darwin_fail(p, kr);
        if (!info.is_submap)
            break;
        depth++; /* a submap (the shared cache): the same address, one level down */
    }
    *out = (mmapc_area){
        .start = at,
        .end = at + size,
        .allocation_base = at,
        .prot = prot_bits(info.protection),
        .shared = is_shared(info.share_mode),
        .offset = info.offset,
    };
    region_name(p, at, name, cap, name_len);
    if (*name_len == 0)
        out->offset = 0; /* anonymous: the offset is into its memory object, not a file */
    return 0;
}

/* macOS marks no deleted file in a name: a name that ends in " (deleted)" is the file's own. */
int mmapc__os_name_is_file(const char *name, const mmapc_area *a)
{
    (void)name;
    (void)a;
    return 1;
}

/* The text here (none) escapes nothing. */
size_t mmapc__os_text_name(mmapc__proc *p, const mmapc_area *a, char *name, size_t len)
{
    (void)p;
    (void)a;
    (void)name;
    return len;
}

/* ---- no text listing on macOS ---- */

int mmapc__os_text_open(mmapc__proc *p, mmapc__text *t)
{
    (void)p;
    (void)t;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_text_read(mmapc__text *t, char *buf, size_t cap, size_t *got)
{
    (void)t;
    (void)buf;
    (void)cap;
    *got = 0;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

void mmapc__os_text_close(mmapc__text *t)
{
    (void)t;
}
