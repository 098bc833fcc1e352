// SPDX-License-Identifier: MIT
/*
 * POSIX side of fault-safe copies: one SIGBUS/SIGSEGV handler for the process, installed once
 * under a lock, and a per-thread recovery point (a sigjmp_buf) that it jumps to when a fault on
 * the guarded bytes stops a guarded copy. Every other fault goes to the handler the program had
 * before, or meets the default action, as it would have without mmapc: mmapc's handler is
 * installed with that handler's SA_ONSTACK, SA_NODEFER and mask, so that the kernel gives it the
 * stack and the mask it would have had, and its SA_RESETHAND is done by hand.
 */
#include "posix.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* initial-exec: the handler reads these, and a dynamic TLS access could allocate in it */
#if defined(__GNUC__)
#define GUARD_TLS _Thread_local __attribute__((tls_model("initial-exec")))
#else
#define GUARD_TLS _Thread_local
#endif

typedef struct guard_frame {
    sigjmp_buf env;
    const uintptr_t *ranges;
    struct guard_frame *outer; /* a guarded copy made while this one runs (a handler's) */
    volatile int sig;
    sigset_t mask; /* the copy's signal mask, from the fault's context */
} guard_frame;

static GUARD_TLS guard_frame *current;
/* While the handler passes a fault on: an address in its frame, and the fault's description. */
static GUARD_TLS uintptr_t passing;
static GUARD_TLS const siginfo_t *passing_si;
/* The address of the last fault caught, as the system gave it. */
static GUARD_TLS uintptr_t caught_at;

static const int signals[2] = {SIGBUS, SIGSEGV};
/* The handlers mmapc replaced, for each signal; two copies, so that mmapc_guard_install() can
 * write one while a handler in another thread reads the other. */
static struct sigaction previous[2][2];
static atomic_int previous_slot;
static atomic_int installed;
static atomic_int check_each = 1; /* check the installed handler at each guarded copy */
/* The pid of the process one of whose threads installs; 0: none. Not a mutex: a fork() while
 * another thread held one would leave it held for good in the child, whose first guarded copy
 * would then wait for ever. A child finds its parent's pid here, and takes the lock over. */
static atomic_int install_owner;

static void install_lock(void)
{
    int me = (int)getpid();
    for (;;) {
        int owner = 0;
        if (atomic_compare_exchange_strong(&install_owner, &owner, me))
            return;
        if (owner != me && atomic_compare_exchange_strong(&install_owner, &owner, me))
            return; /* held by a thread of the parent at fork(): none holds it here */
        sched_yield();
    }
}

/* What the address of a SIGBUS is off by: qemu-user gives a 32-bit guest the host's address of
 * the page (the guest's plus qemu's guest base), where a SIGSEGV has the guest's. 0 elsewhere;
 * measured once by calibrate_bus(). */
static uintptr_t bus_offset;
static atomic_int bus_measured;

static int in_ranges(const uintptr_t *r, uintptr_t a)
{
    return (a >= r[0] && a < r[1]) || (a >= r[2] && a < r[3]);
}

/* The default action for sig: the faulting instruction runs again when the handler returns and
 * meets it; a signal that was sent, not raised by a fault, is sent again. */
static void default_action(int sig, const siginfo_t *si)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    if (si->si_code <= 0)
        raise(sig);
}

/* After a handler without SA_SIGINFO returns, where Linux gives such a handler the old signal
 * frame (32-bit x86 and Arm), whose return leaves the alternate stack as it is (one with
 * SS_AUTODISARM stays disarmed): mmapc's handler, with SA_SIGINFO, returns through the frame
 * that sets it back from uc_stack, which is made to say so. */
static void old_frame_return(void *uc)
{
#if defined(__linux__) && (defined(__i386__) || defined(__arm__))
    stack_t now;
    if (sigaltstack(NULL, &now) == 0)
        ((ucontext_t *)uc)->uc_stack = now;
#else
    (void)uc;
#endif
}

/* A fault that is not the guard's: to the handler the program had, or the default action. Its
 * own function, so that on_fault has no local in memory: a sanitizer keeps such locals on a
 * stack of its own, which a jump out of the handler would leave behind. */
__attribute__((noinline)) static void pass_on(int sig, siginfo_t *si, void *uc, uintptr_t here)
{
    int saved_errno = errno;
    /* Back here with the same fault while passing it on, from a frame below (stacks grow
     * down): the handler called is one that calls the handler it replaced, mmapc's. End the
     * loop as the system would. A mark left by a handler that jumped away is never both: a new
     * fault has its own description, or one at the same place in a frame at the same place. */
    if (passing_si == si && here < passing) {
        default_action(sig, si);
        errno = saved_errno;
        return;
    }
    const struct sigaction *p = &previous[atomic_load(&previous_slot)][sig == SIGBUS ? 0 : 1];
    /* SIG_DFL or SIG_IGN whatever the flags: the system's own SA_RESETHAND (a handler that ran
     * before mmapc's was installed) sets SIG_DFL and keeps SA_SIGINFO */
    if (p->sa_handler == SIG_DFL || p->sa_handler == SIG_IGN) {
        /* a sent signal that is ignored is discarded; a fault cannot be ignored: the system
         * kills for it too */
        if (p->sa_handler == SIG_DFL || si->si_code > 0)
            default_action(sig, si);
    } else {
        /* The kernel gave this handler the previous one's stack and mask (install()); its
         * SA_RESETHAND, done by the kernel when it calls a handler, is done here: the handler
         * then meets the default action if it returns into the fault again. */
        if (p->sa_flags & SA_RESETHAND) {
            struct sigaction dfl = *p;
            dfl.sa_handler = SIG_DFL;
            sigaction(sig, &dfl, NULL);
        }
        /* No copy runs for the handler: one that jumps away (out of a copy whose caller's
         * buffer faulted) ends the copy, whose frame a later fault must not jump back into. */
        guard_frame *copy = current;
        current = NULL;
        passing = here;
        passing_si = si;
        if (p->sa_flags & SA_SIGINFO) {
            p->sa_sigaction(sig, si, uc);
        } else {
            p->sa_handler(sig);
            old_frame_return(uc);
        }
        passing_si = NULL;
        current = copy;
    }
    errno = saved_errno;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    /* a first write to a tracked page, before all else: a guarded copy may make it too */
    if (mmapc__posix_track_fault(sig, si))
        return;
    guard_frame *f = current;
    /* A fault raised by the system (not sent) on the guarded bytes: anywhere else it is not the
     * copy's, even while a copy runs (a handler that interrupted it faults elsewhere). */
    uintptr_t a = (uintptr_t)si->si_addr - (sig == SIGBUS ? bus_offset : 0);
    if (f && si->si_code > 0 && in_ranges(f->ranges, a)) {
        const ucontext_t *c = uc;
        f->sig = sig;
        f->mask = c->uc_sigmask;
        caught_at = (uintptr_t)si->si_addr;
        /* An alternate stack with a flag beyond these two (Linux SS_AUTODISARM) was disarmed for
         * this handler, to be armed again from the context when it returns, which the jump
         * skips: armed again here. */
        if (c->uc_stack.ss_flags & ~(SS_ONSTACK | SS_DISABLE))
            sigaltstack(&c->uc_stack, NULL);
        siglongjmp(f->env, 1);
    }
    pass_on(sig, si, uc, (uintptr_t)__builtin_frame_address(0));
}

static int is_ours(const struct sigaction *a)
{
    return (a->sa_flags & SA_SIGINFO) && a->sa_sigaction == on_fault;
}

static void calibrate_touch(void *page)
{
    (void)*(volatile unsigned char *)page;
}

/* In a 32-bit process, once: the address of a SIGBUS on a page of an empty shared memory
 * object, minus the page's, is bus_offset (qemu-user's guest base; 0 on a real system). Not
 * where SIGBUS is blocked (the system would kill), nor in a 64-bit process (no such emulator,
 * and valgrind cannot deliver this SIGBUS). */
static void calibrate_bus(void)
{
    if (UINTPTR_MAX > 0xffffffffu || atomic_load(&bus_measured))
        return;
    sigset_t now;
    if (pthread_sigmask(SIG_BLOCK, NULL, &now) != 0 || sigismember(&now, SIGBUS))
        return;
    int saved_errno = errno, last = mmapc_last_os_error();
    mmapc_file fd;
    if (mmapc__os_shm_create(NULL, 0, 0, 0, &fd) == 0) {
        size_t page = mmapc__os_page_size();
        void *p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
        if (p != MAP_FAILED) {
            uintptr_t any[4] = {0, UINTPTR_MAX, 0, 0};
            int raw = 0;
            bus_offset = 0; /* every address is the calibration's */
            if (mmapc__os_guard_run(calibrate_touch, p, any, &raw) != 0 && raw == EIO) {
                bus_offset = caught_at - (uintptr_t)p;
                atomic_store(&bus_measured, 1);
            }
            munmap(p, page);
        }
        close(fd);
    }
    mmapc__os_fail(last, 0);
    errno = saved_errno;
}

static int install(void)
{
    struct sigaction cur[2];
    for (int i = 0; i < 2; i++)
        if (sigaction(signals[i], NULL, &cur[i]) != 0)
            return mmapc__posix_fail(errno);
    if (is_ours(&cur[0]) && is_ours(&cur[1]))
        return 0;
    int old = atomic_load(&previous_slot), slot = atomic_load(&installed) ? !old : old;
    for (int i = 0; i < 2; i++)
        previous[slot][i] = is_ours(&cur[i]) ? previous[old][i] : cur[i];
    atomic_store(&previous_slot, slot);
    for (int i = 0; i < 2; i++) {
        /* The stack and the mask the previous handler would have been called with: the kernel
         * gives them to mmapc's, which calls it, or jumps back to a copy and restores them. */
        struct sigaction act;
        memset(&act, 0, sizeof act);
        act.sa_sigaction = on_fault;
        act.sa_flags = SA_SIGINFO | (previous[slot][i].sa_flags & (SA_ONSTACK | SA_NODEFER));
        act.sa_mask = previous[slot][i].sa_mask;
        if (!is_ours(&cur[i]) && sigaction(signals[i], &act, NULL) != 0) {
            int err = errno;
            if (i == 1) /* put the first back: nothing changed */
                sigaction(signals[0], &cur[0], NULL);
            atomic_store(&previous_slot, old);
            return mmapc__posix_fail(err);
        }
    }
    atomic_store_explicit(&installed, 1, memory_order_release);
    calibrate_bus();
    return 0;
}

/* mmapc__os_guard_ready() when the handler is not known to be in place, or how is not 0:
 * install under the lock. Apart, so that the check before each copy keeps a small frame. */
__attribute__((noinline, cold)) static int guard_install(int how)
{
    install_lock();
    int rc = 0;
    if (how != 0 || !atomic_load(&installed))
        rc = install();
    if (!rc && how != 0)
        atomic_store(&check_each, how != 3);
    atomic_store(&install_owner, 0);
    return rc || how != 0 ? rc : mmapc__os_guard_ready(0);
}

/* One query: whether mmapc's handler is the one installed for sig. */
static int still_ours(int sig)
{
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) != 0)
        return mmapc__posix_fail(errno);
    return is_ours(&cur) ? 0 : mmapc__fail(MMAPC_EHANDLER);
}

int mmapc__os_guard_ready(int how)
{
    if (__builtin_expect(how != 0 || !atomic_load_explicit(&installed, memory_order_acquire), 0))
        return guard_install(how);
    if (!atomic_load_explicit(&check_each, memory_order_relaxed))
        return 0;
    int rc = still_ours(signals[0]);
    return rc ? rc : still_ours(signals[1]);
}

int mmapc__os_guard_run(void (*fn)(void *), void *arg, const uintptr_t ranges[4], int *raw)
{
    guard_frame f;
    f.ranges = ranges;
    f.outer = current;
    f.sig = 0;
    /* no mask saved: that would be a system call per copy; the handler takes it from the
     * fault's context instead, to restore below */
    if (sigsetjmp(f.env, 0)) {
        current = f.outer;
        pthread_sigmask(SIG_SETMASK, &f.mask, NULL);
        *raw = f.sig == SIGBUS ? EIO : EFAULT;
        return 1;
    }
    current = &f;
    atomic_signal_fence(memory_order_seq_cst);
    fn(arg);
    atomic_signal_fence(memory_order_seq_cst);
    current = f.outer;
    return 0;
}
