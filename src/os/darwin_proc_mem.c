// SPDX-License-Identifier: MIT
/*
 * Another process's memory on macOS: mach_vm_read_overwrite() and mach_vm_write() on its task
 * (task_for_pid, darwin_areas.c), which respect the protection of the pages. A transfer fails as
 * a whole when any page of it cannot be reached, so after a failure the range is taken again a
 * page at a time, and the count stops exactly at the first page that is not mapped or lacks the
 * access.
 */
#include "darwin_sys.h"
#include "posix.h"

int mmapc__os_proc_copy(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                        size_t *done)
{
    unsigned char *bytes = buf;
    task_t task = mmapc__darwin_task(p);
    size_t n = 0;
    bool careful = false;
    while (n < len) {
        uint64_t at = addr + n;
        if (at < addr)
            break; /* past the top */
        size_t step = mmapc__proc_step(at, len - n, careful);
        mach_vm_address_t local = (mach_vm_address_t)(uintptr_t)(bytes + n);
        mach_vm_size_t got = step;
        kern_return_t kr =
            write ? mach_vm_write(task, at, (vm_offset_t)local, (mach_msg_type_number_t)step)
                  : mach_vm_read_overwrite(task, at, step, local, &got);
        if (kr == KERN_SUCCESS) {
            n += (size_t)got;
            continue;
        }
        if (kr == KERN_INVALID_ADDRESS || kr == KERN_PROTECTION_FAILURE) {
            if (!careful && step > mmapc__proc_step(at, step, true)) {
                careful = true; /* failed as a whole: again a page at a time */
                continue;
            }
            break; /* the first page it cannot reach */
        }
        return mmapc__darwin_fail(p, kr);
    }
    *done = n;
    return 0;
}

/* Never asked for: mmapc__os_proc_copy() honours the protection by itself. */
int mmapc__os_proc_copy_forced(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                               size_t *done)
{
    (void)p;
    (void)addr;
    (void)buf;
    (void)len;
    (void)write;
    (void)done;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}
