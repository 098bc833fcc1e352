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
            fprintf(stderr, "%s:%d: %s failed: %s (%s, os error %d)\n", __FILE__, __LINE__,        \
                    #expr, mmapc_err_name(require_rc_), mmapc_strerror(require_rc_),               \
                    mmapc_last_os_error());                                                        \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

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

/* Call first in main: in a re-run child, runs the named fault and never returns. */
static inline void check_fault_main(int argc, char **argv, const check_fault_case *cases)
{
    check_argv0 = argv[0];
    if (argc == 3 && strcmp(argv[1], "--fault") == 0) {
        for (const check_fault_case *c = cases; c->name; c++) {
            if (strcmp(c->name, argv[2]) == 0) {
                c->fn();
                exit(0); /* no fault: the parent sees a normal exit */
            }
        }
        exit(3);
    }
}

#ifdef _WIN32
/* Non-zero when the child ended with an access violation. */
static inline int check_faults(const check_fault_case *c)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "\"%s\" --fault %s", check_argv0, c->name);
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return 0;
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code == (DWORD)EXCEPTION_ACCESS_VIOLATION;
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
