// SPDX-License-Identifier: MIT
/* What the macOS files need from <mach/mach_vm.h>, which the cross compiler's headers lack: the
 * prototypes as the SDK declares them (the MIG routines of mach_vm.defs, in libSystem). */
#ifndef MMAPC_OS_DARWIN_SYS_H
#define MMAPC_OS_DARWIN_SYS_H

#include <mach/mach.h>

kern_return_t mach_vm_region_recurse(vm_map_t target_task, mach_vm_address_t *address,
                                     mach_vm_size_t *size, natural_t *nesting_depth,
                                     vm_region_recurse_info_t info,
                                     mach_msg_type_number_t *infoCnt);
kern_return_t mach_vm_read_overwrite(vm_map_t target_task, mach_vm_address_t address,
                                     mach_vm_size_t size, mach_vm_address_t data,
                                     mach_vm_size_t *outsize);
kern_return_t mach_vm_write(vm_map_t target_task, mach_vm_address_t address, vm_offset_t data,
                            mach_msg_type_number_t dataCnt);

/* Between the macOS files (darwin_areas.c): the task of an open process (this one's own is asked
 * for each time, as a forked child has its own), and the code of a failed Mach call on it
 * (MMAPC_ESRCH once the process has ended). */
typedef struct mmapc__proc mmapc__proc;
task_t mmapc__darwin_task(const mmapc__proc *p);
int mmapc__darwin_fail(const mmapc__proc *p, kern_return_t kr);

#endif
