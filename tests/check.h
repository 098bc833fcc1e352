// SPDX-License-Identifier: MIT
/* A small assertion header for the tests: each CHECK prints where it failed and counts it. */
#ifndef MMAPC_TESTS_CHECK_H
#define MMAPC_TESTS_CHECK_H

#include "mmapc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

/* CTest treats this exit status as "skipped" (SKIP_RETURN_CODE). */
#define CHECK_SKIP_CODE 77

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

/* Check that an mmapc call returns the expected code, naming both on failure. */
#define CHECK_RC(expr, expected)                                                                   \
    do {                                                                                           \
        check_count++;                                                                             \
        int check_rc_ = (expr);                                                                    \
        if (check_rc_ != (expected)) {                                                             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s returned %s (%s), expected %s\n", __FILE__, __LINE__,       \
                    #expr, mmapc_err_name(check_rc_), mmapc_strerror(check_rc_),                   \
                    mmapc_err_name(expected));                                                     \
        }                                                                                          \
    } while (0)

#define CHECK_OK(expr) CHECK_RC(expr, MMAPC_OK)

/* In a run of calls that must be refused, between snapshots of the process: count the call in
 * *calls and, when it returns code, in *refused; print what it returned otherwise (no CHECK, so
 * the run itself adds nothing to the counts of a later snapshot). */
#define CHECK_REFUSED(calls, refused, expr, code)                                                  \
    do {                                                                                           \
        (*(calls))++;                                                                              \
        int check_refused_rc_ = (expr);                                                            \
        if (check_refused_rc_ == (code))                                                           \
            (*(refused))++;                                                                        \
        else                                                                                       \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s\n", __FILE__, __LINE__, #expr,     \
                    mmapc_err_name(check_refused_rc_), mmapc_err_name(code));                      \
    } while (0)

/* A precondition the rest of the test cannot do without. */
#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond);             \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#define REQUIRE_OK(expr)                                                                           \
    do {                                                                                           \
        int require_rc_ = (expr);                                                                  \
        if (require_rc_ != 0) {                                                                    \
            fprintf(stderr, "%s:%d: %s failed: %s (%s, os error %d)\n", __FILE__, __LINE__, #expr, \
                    mmapc_err_name(require_rc_), mmapc_strerror(require_rc_),                      \
                    mmapc_last_os_error());                                                        \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

/* Whether valgrind runs the test (its preload is in LD_PRELOAD). */
static inline int check_under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload") != NULL;
}

/* Under valgrind write tracking has no backend (userfaultfd is a system call it does not know,
 * and mmapc refuses the mprotect one there): check that it says so, nothing tracked. */
static inline int check_track_under_valgrind(void)
{
    if (!check_under_valgrind())
        return 0;
    mmapc_map *m;
    size_t page = mmapc_page_size();
    if (mmapc_map_anon(&m, page, MMAPC_PROT_RW, NULL) != 0)
        return 0;
    int rc = mmapc_track_start(m, MMAPC_TRACK_MPROTECT);
    fprintf(stderr, "under valgrind: mmapc_track_start(MPROTECT) gives %s\n", mmapc_err_name(rc));
    CHECK_RC(rc, MMAPC_EUNSUPPORTED);
    CHECK(mmapc_track_backend(m) == MMAPC_TRACKER_NONE);
    mmapc_unmap(m);
    mmapc_map *t = NULL;
    mmapc_options o;
    memset(&o, 0, sizeof o);
    o.flags = MMAPC_TRACK_WRITES;
    CHECK_RC(mmapc_map_anon(&t, page, MMAPC_PROT_RW, &o), MMAPC_EUNSUPPORTED);
    CHECK(t == NULL);
    return 1;
}

/* Non-zero when the tests run under an emulator (qemu-user): the cross toolchains' emulator
 * command sets MMAPC_TEST_EMULATOR, so a check that meets an emulator limit can say so and skip
 * that check only. */
static inline int check_under_emulator(void)
{
    const char *e = getenv("MMAPC_TEST_EMULATOR");
    return e && *e;
}

/* Whether the page tables the test reads are not the guest's: qemu-user hands a 32-bit guest's
 * /proc/self/pagemap (and clear_refs, smaps' bits) through untranslated, the host's pages at
 * the guest's addresses. Says so when they are not; the test then exits with CHECK_SKIP_CODE. */
static inline int check_pagemap_not_guests(void)
{
    if (!(check_under_emulator() && sizeof(void *) < 8))
        return 0;
    fprintf(stderr, "skipped: under qemu-user a 32-bit guest's addresses are not the host's, and "
                    "the pagemap file is the host's\n");
    return 1;
}

/* Print a skipped check with its reason (never a silent pass). */
#define CHECK_SKIP(why) fprintf(stderr, "%s:%d: skipped: %s\n", __FILE__, __LINE__, why)

static inline int check_done(void)
{
    if (check_failures) {
        fprintf(stderr, "%d of %d checks failed\n", check_failures, check_count);
        return 1;
    }
    printf("all %d checks passed\n", check_count);
    return 0;
}

/*
 * Fault tests. A fault function makes its own mapping and touches it so that it must fault; it
 * runs in a child process (fork on POSIX; on Windows the test re-runs itself with
 * "--fault NAME"), and the parent checks how the child ended.
 */
typedef void (*check_fault_fn)(void);
typedef struct check_fault_case {
    const char *name;
    check_fault_fn fn;
} check_fault_case;

static const char *check_argv0;

#ifdef _WIN32
/* An exception nobody handles ends the child at once with the exception's code as its exit
 * status: no error dialog, no debugger (wine would start winedbg and print a backtrace). */
static LONG WINAPI check_end_on_exception(EXCEPTION_POINTERS *e)
{
    TerminateProcess(GetCurrentProcess(), e->ExceptionRecord->ExceptionCode);
    return EXCEPTION_CONTINUE_SEARCH;
}

static inline void check_fault_child_init(void)
{
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    SetUnhandledExceptionFilter(check_end_on_exception);
}
#else
static inline void check_fault_child_init(void) {}
#endif

/* Call first in main: in a re-run child, runs the named fault and never returns. */
static inline void check_fault_main(int argc, char **argv, const check_fault_case *cases)
{
    check_argv0 = argv[0];
    if (argc == 3 && strcmp(argv[1], "--fault") == 0) {
        for (const check_fault_case *c = cases; c->name; c++) {
            if (strcmp(c->name, argv[2]) == 0) {
                check_fault_child_init();
                c->fn();
                exit(0); /* no fault: the parent sees a normal exit */
            }
        }
        exit(3);
    }
}

#ifdef _WIN32
/* Non-zero when the child (this program re-run with "--fault NAME") ended with an access
 * violation. */
static inline int check_faults(const check_fault_case *c)
{
    wchar_t self[MAX_PATH], cmd[MAX_PATH + 300];
    DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return 0;
    _snwprintf(cmd, sizeof cmd / sizeof cmd[0], L"\"%ls\" --fault %hs", self, c->name);
    cmd[sizeof cmd / sizeof cmd[0] - 1] = 0;
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    fflush(NULL);
    if (!CreateProcessW(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        fprintf(stderr, "fault '%s': CreateProcess failed (%lu)\n", c->name, GetLastError());
        return 0;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    if (code == (DWORD)EXCEPTION_ACCESS_VIOLATION)
        return 1;
    fprintf(stderr, "fault '%s': child ended with status 0x%lx, not an access violation\n", c->name,
            code);
    return 0;
}

/* Non-zero when the program runs under wine, which tells itself by an export of its ntdll. */
static inline int check_under_wine(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}
#else
/* Non-zero when the child was killed by SIGSEGV. */
static inline int check_faults(const check_fault_case *c)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        /* the default action, even where a sanitizer or debugger installed a handler */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigaction(SIGSEGV, &dfl, NULL);
        sigaction(SIGBUS, &dfl, NULL);
        c->fn();
        _exit(0);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
        return 0;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
        return 1;
    fprintf(stderr, "fault '%s': child ended with status 0x%x, not SIGSEGV\n", c->name, status);
    return 0;
}
#endif

/* Run every case of a NULL-terminated table in a child; each must fault. */
static inline void check_all_faults(const check_fault_case *cases)
{
    for (const check_fault_case *c = cases; c->name; c++) {
        int faulted = check_faults(c);
        if (!faulted)
            fprintf(stderr, "fault case %s did not fault\n", c->name);
        CHECK(faulted);
    }
}

#endif
