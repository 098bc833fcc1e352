// SPDX-License-Identifier: MIT
/*
 * Proof that split + merge make no system call: a child process runs them under a seccomp
 * filter that traps every system call but write and exit_group. Timing cannot show this; the
 * filter can, exactly.
 */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The filter needs the kernel's headers, which a musl toolchain may not see. */
#if defined(__has_include)
#if __has_include(<linux/filter.h>) && __has_include(<linux/seccomp.h>)
#include <linux/filter.h>
#include <linux/seccomp.h>
#define HAVE_SECCOMP 1
#endif
#endif

/* A sanitizer's allocator maps memory of its own inside malloc: the check means nothing there. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

#define CHECK_ITERATIONS 100000
#define EXIT_SYSCALL 3 /* the child made a system call */
#define EXIT_SETUP 4   /* seccomp is not available here */

#if defined(HAVE_SECCOMP) && !defined(UNDER_SANITIZER)
/* async-signal-safe: format the number by hand, then leave */
static void on_sigsys(int sig, siginfo_t *info, void *uc)
{
    (void)sig;
    (void)uc;
    static const char head[] = "bench: split/merge made system call number ";
    char num[16];
    int n = sizeof num, nr = info->si_syscall;
    num[--n] = '\n';
    do {
        num[--n] = (char)('0' + nr % 10);
        nr /= 10;
    } while (nr > 0 && n > 0);
    if (write(2, head, sizeof head - 1) >= 0 && write(2, num + n, sizeof num - (size_t)n) >= 0)
        _exit(EXIT_SYSCALL);
    _exit(EXIT_SYSCALL);
}

static int install_filter(void)
{
    /* Matched by number only: this is a measurement, not a sandbox, so the architecture check
     * a security filter needs would add nothing. */
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_write, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGSYS, &sa, NULL) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

static int split_merge_n(mmapc_map *m, int n)
{
    for (int i = 0; i < n; i++) {
        mmapc_map *back;
        if (mmapc_split_off(m, mmapc_page_size(), &back) != 0 || mmapc_merge(m, back) != 0)
            return -1;
    }
    return 0;
}

static _Noreturn void child(void)
{
    mmapc_map *m;
    if (mmapc_map_anon(&m, 3 * mmapc_page_size(), MMAPC_PROT_RW, NULL) != 0)
        _exit(1);
    /* the first rounds may grow the heap for the handle; that is malloc, not split/merge */
    if (split_merge_n(m, 1000) != 0)
        _exit(1);
    if (install_filter() != 0)
        _exit(EXIT_SETUP);
    _exit(split_merge_n(m, CHECK_ITERATIONS) != 0 ? 1 : 0);
}

#endif

int bench_syscall_check(void)
{
#ifdef UNDER_SANITIZER
    bench_note("split+merge system call check skipped: a sanitizer's malloc makes system calls");
    return 0;
#elif !defined(HAVE_SECCOMP)
    bench_note("split+merge system call check skipped: built without <linux/seccomp.h>");
    return 0;
#else
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        bench_die("fork", 0);
    if (pid == 0)
        child();
    int status;
    if (waitpid(pid, &status, 0) != pid)
        bench_die("waitpid", 0);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    switch (code) {
    case 0:
        bench_note("split+merge: 0 system calls in %d rounds (checked under a seccomp filter)",
                   CHECK_ITERATIONS);
        return 0;
    case EXIT_SETUP:
        bench_note("split+merge system call check skipped: seccomp filters are not available");
        return 0;
    case EXIT_SYSCALL:
        bench_note("split+merge made a system call (see above): FAILED");
        return 1;
    default:
        bench_note("split+merge check: child ended with status %d: FAILED", code);
        return 1;
    }
#endif
}
