// SPDX-License-Identifier: MIT
/*
 * Fault injection for the tests: every C library call that libmmapc makes goes through a wrapper
 * here (the build renames the library's references, see tests/faults/CMakeLists.txt), which can
 * fail the Nth call of one class with a realistic errno and keeps a ledger of the mappings and
 * descriptors the library holds. Only the library's own calls are counted: the test's calls, the
 * C library's internal ones and the sanitizer runtime's go straight to the C library.
 *
 * Environment (read at the first wrapped call, or set with fault_arm()):
 *   MMAPC_FAULT_CLASS   the class to fail (a name of FAULT_CLASSES, e.g. "alloc")
 *   MMAPC_FAULT_N       fail its Nth call (1 = the first); 0 or unset: fail nothing
 *   MMAPC_FAULT_ERRNO   errno to fail with, by name (e.g. "EINTR"); default: the class's own
 *   MMAPC_FAULT_REPORT  file that fault_report() writes the counts to
 */
#ifndef MMAPC_TESTS_FAULTS_INTERPOSE_H
#define MMAPC_TESTS_FAULTS_INTERPOSE_H

#include <stddef.h>
#include <stdint.h>

/* X(name, errno it fails with): the function classes. Where the class's errno depends on the
 * call (a read of /proc fails with ESRCH, a read elsewhere with EIO) the wrapper decides. */
#define FAULT_CLASSES(X)                                                                           \
    X(mmap, ENOMEM)                                                                                \
    X(munmap, ENOMEM)                                                                              \
    X(mprotect, ENOMEM)                                                                            \
    X(mremap, ENOMEM)                                                                              \
    X(madvise, EAGAIN)                                                                             \
    X(mincore, EAGAIN)                                                                             \
    X(msync, EIO)                                                                                  \
    X(mlock, EAGAIN)                                                                               \
    X(munlock, ENOMEM)                                                                             \
    X(open, EMFILE)                                                                                \
    X(read, ESRCH)                                                                                 \
    X(write, EIO)                                                                                  \
    X(ioctl, ESRCH)                                                                                \
    X(stat, EIO)                                                                                   \
    X(dup, EMFILE)                                                                                 \
    X(close, EIO)                                                                                  \
    X(unlink, EACCES)                                                                              \
    X(alloc, ENOMEM)                                                                               \
    X(resize, ENOSPC)                                                                              \
    X(atfork, ENOMEM)

enum fault_class {
#define FAULT_ENUM(name, err) FAULT_##name,
    FAULT_CLASSES(FAULT_ENUM)
#undef FAULT_ENUM
        FAULT_NCLASSES
};

const char *fault_class_name(int cls);
/* The class named name, or -1. */
int fault_class_find(const char *name);
/* errno value of a name such as "EINTR", or 0. */
int fault_errno_value(const char *name);

/* From now on, fail the nth next call of cls (1: the very next) once, with err (0: the class's
 * own errno). n == 0 disarms. */
void fault_arm(int cls, unsigned long n, int err);
/* Calls of cls made so far (by this process and its forked children). */
unsigned long fault_calls(int cls);
/* Failures injected so far (all classes, parent and children). */
unsigned long fault_injected(void);
/* Where the last failure was injected: the wrapped function and the return address's offset
 * in the executable (for addr2line). */
const char *fault_injected_function(void);
uintptr_t fault_injected_offset(void);

/* The ledger: what the library holds now, as its own calls made and gave back. */
typedef struct fault_ledger {
    size_t nmaps;
    struct {
        uintptr_t start, end;
    } maps[256];
    unsigned char fds[1024];     /* 1: a descriptor the library opened and has not closed */
    unsigned long foreign_close; /* closes of descriptors the library did not open */
    unsigned long foreign_fixed; /* MAP_FIXED/dup3 over memory or descriptors it does not own */
} fault_ledger;
void fault_ledger_get(fault_ledger *out);
/* Non-zero when a and b hold the same mappings (as byte ranges) and descriptors. */
int fault_ledger_same(const fault_ledger *a, const fault_ledger *b);
/* The same, comparing the mappings only. */
int fault_ledger_same_maps(const fault_ledger *a, const fault_ledger *b);
/* Add [start, end) to the mappings of l (a copy: the live ledger is the wrappers' own). */
void fault_ledger_add(fault_ledger *l, uintptr_t start, uintptr_t end);
/* Print the differences between two ledgers. */
void fault_ledger_diff(const fault_ledger *before, const fault_ledger *after);
/* Non-zero when the library holds [start, end) (some of it). */
int fault_ledger_holds(const fault_ledger *l, uintptr_t start, uintptr_t end);

/* Calls of syscall() with a number the interposer does not classify (passed through, never
 * failed; the report lists them so that the sweep can say so). */
unsigned long fault_unclassified(void);

/* Write "class calls" lines and "injected CLASS N FUNCTION OFFSET" (or "injected none") to
 * MMAPC_FAULT_REPORT, if set. */
void fault_report(void);

#endif
