// SPDX-License-Identifier: MIT
/* The fault guard is invisible: a differential test. Each cell of a matrix (the disposition the
 * program gave the signal, x its flags, x where the signal comes from, x SIGBUS or SIGSEGV) runs
 * in children: once without mmapc, once with mmapc's handler installed in front of the
 * program's, and, where the signal comes while a copy runs, once during a plain memcpy and once
 * during a guarded copy (mmapc_read). What each child does is the same; how it ends must be the
 * same too: its exit status or the signal that killed it, the calls of the program's handler
 * (how many, how deep, with which signals blocked, on which stack, at which address), and the
 * signal mask, alternate stack and disposition after. Each cell also makes a guarded copy meet a
 * fault of its own (MMAPC_EIO, the program's handler not called), which must leave the mask and
 * the alternate stack as they were. Every child has an alarm, so that one that loops fails.
 * A cell that an emulator or valgrind cannot show as the system would is left out, and the test
 * prints which and why (left_out()); so are the SS_AUTODISARM cells where it is refused.
 *   test_guard_diff [WORD]   only the cells whose name holds WORD (e.g. "SA_RESETHAND") */
#include "testutil.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

enum disp { D_DFL, D_IGN, D_HANDLER, D_INFO };
enum flag { F_NONE, F_RESETHAND, F_NODEFER, F_ONSTACK, F_AUTODISARM, F_MASK, F_COUNT };
enum origin { O_FAULT, O_SENT, O_NESTED, O_THREAD, O_COUNT };
enum mode { M_WITHOUT, M_INSTALLED, M_COPY_WITHOUT, M_COPY_GUARDED, M_OWN, M_COUNT };

static const char *const disp_names[] = {"SIG_DFL", "SIG_IGN", "handler", "SA_SIGINFO handler"};
static const char *const flag_names[] = {
    "no flag", "SA_RESETHAND", "SA_NODEFER", "SA_ONSTACK", "SA_ONSTACK with SS_AUTODISARM",
    "sa_mask"};
static const char *const origin_names[] = {"a fault", "a sent signal", "a fault in another handler",
                                           "a fault in another thread"};
static const char *const mode_names[] = {"without mmapc", "mmapc installed",
                                         "during a memcpy without mmapc", "during a guarded copy",
                                         "the guarded copy's own fault"};

#define ALT_SIZE (256 * 1024)
#define COPY_SIZE (1024 * 1024)

/* What a child tells its parent: the same in both runs of a cell, or the guard is visible. */
typedef struct outcome {
    int status;          /* from waitpid */
    int calls;           /* of the program's handler */
    int max_depth;       /* handler calls nested in each other */
    int sig_blocked;     /* on entry to the first call */
    int usr2_blocked;    /* on entry to the first call (sa_mask) */
    int on_alt;          /* the first call ran on the thread's alternate stack */
    int reset_in;        /* in the first call, the disposition was SIG_DFL (SA_RESETHAND) */
    long addr_off;       /* si_addr of the first call minus the bad page (SA_SIGINFO) */
    unsigned mask_after; /* signals 1-31 blocked after, in the thread the signal went to */
    int alt_after;       /* the alternate stack's flags after, or -1 when it is not ours */
    int disp_after;      /* the disposition, when it changed: 0 SIG_DFL, 1 SIG_IGN, 2 a handler */
    int copy_rc;         /* the copy the signal came during: 0, or mmapc_read's code */
    int fired;           /* the signal came during the copy */
    int reached_end;
} outcome;

static outcome *out; /* shared with the parent */
static size_t ps;
static int sig; /* the signal of the cell */
static enum disp cell_disp;
static enum flag cell_flag;
static enum origin cell_origin;
static unsigned char *bad; /* the page that faults with sig */
static mmapc_file bad_fd;  /* SIGBUS: the file cut short under it */
static unsigned char *alt_main, *alt_thread;
static volatile sig_atomic_t depth, in_copy;
static pthread_t main_thread;
static int disp_before; /* mmapc's handler, when installed, is the disposition */

static int under_valgrind(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return preload && strstr(preload, "vgpreload");
}

static unsigned blocked_now(void)
{
    sigset_t s;
    unsigned m = 0;
    pthread_sigmask(SIG_BLOCK, NULL, &s);
    for (int i = 1; i < 32; i++)
        if (sigismember(&s, i) == 1)
            m |= 1u << i;
    return m;
}

static int on_alt_stack(const void *local)
{
    const unsigned char *p = local;
    return (alt_main && p >= alt_main && p < alt_main + ALT_SIZE) ||
           (alt_thread && p >= alt_thread && p < alt_thread + ALT_SIZE);
}

/* Make the bad page good: the file back to its size, or the page accessible. */
static void fix(void)
{
    if (sig == SIGBUS)
        ftruncate(bad_fd, (off_t)(2 * ps));
    else
        mprotect(bad, ps, PROT_READ | PROT_WRITE);
}

static void touch_bad(void)
{
    (void)*(volatile unsigned char *)bad;
}

/* valgrind does not return from a handler into a fault as the system does (the access faults
 * again after the page is made good; a SIGBUS comes again as SIGSEGV; in another handler or
 * thread it is not made again): there the handler of a fault (a nested one too) ends the child
 * instead, once it has seen what it is called with. */
static int end_in_handler(void)
{
    return under_valgrind() && (cell_origin != O_SENT || depth > 1);
}

/* The program's handler: counts, looks at its mask and stack, probes the bad page once more when
 * it has SA_NODEFER (a nested fault must reach it), and makes the page good unless it has
 * SA_RESETHAND (report, return, and let the fault meet the default action). */
static void handle(void *addr)
{
    volatile int local = 0;
    int d = ++depth;
    out->calls++;
    if (d > out->max_depth)
        out->max_depth = d;
    if (out->calls == 1) {
        unsigned m = blocked_now();
        out->sig_blocked = !!(m & (1u << sig));
        out->usr2_blocked = !!(m & (1u << SIGUSR2));
        out->on_alt = on_alt_stack((const void *)&local);
        out->addr_off = addr ? (long)((unsigned char *)addr - bad) : 0;
        struct sigaction now;
        out->reset_in = sigaction(sig, NULL, &now) == 0 && now.sa_handler == SIG_DFL;
        if (cell_flag == F_NODEFER)
            touch_bad();
    }
    if (end_in_handler()) {
        out->reached_end = 2;
        _exit(0);
    }
    if (cell_flag != F_RESETHAND)
        fix();
    depth--;
}

static void on_plain(int s)
{
    (void)s;
    handle(NULL);
}

static void on_info(int s, siginfo_t *si, void *uc)
{
    (void)s;
    (void)uc;
    handle(si->si_code > 0 ? si->si_addr : NULL);
}

static void set_disposition(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    if (cell_disp == D_DFL || cell_disp == D_IGN) {
        sa.sa_handler = cell_disp == D_DFL ? SIG_DFL : SIG_IGN;
    } else {
        if (cell_disp == D_INFO) {
            sa.sa_sigaction = on_info;
            sa.sa_flags = SA_SIGINFO;
        } else {
            sa.sa_handler = on_plain;
        }
        static const int flags[F_COUNT] = {0, SA_RESETHAND, SA_NODEFER, SA_ONSTACK, SA_ONSTACK, 0};
        sa.sa_flags |= flags[cell_flag];
        if (cell_flag == F_MASK)
            sigaddset(&sa.sa_mask, SIGUSR2);
    }
    REQUIRE(sigaction(sig, &sa, NULL) == 0);
}

#if defined(SS_AUTODISARM)
#define AUTODISARM SS_AUTODISARM
#elif defined(__linux__) /* <linux/signal.h>, which glibc's headers do not give */
#define AUTODISARM (1u << 31)
#else
#define AUTODISARM 0u
#endif

/* Non-zero when the system (or the emulator) takes SS_AUTODISARM. */
static int have_autodisarm(void)
{
    stack_t st, old;
    memset(&st, 0, sizeof st);
    st.ss_sp = malloc(ALT_SIZE);
    st.ss_size = ALT_SIZE;
    st.ss_flags = (int)AUTODISARM;
    int ok = AUTODISARM != 0u && st.ss_sp && sigaltstack(&st, &old) == 0;
    if (ok)
        sigaltstack(&old, NULL);
    free(st.ss_sp);
    return ok;
}

/* Every thread of a child has an alternate stack, with SS_AUTODISARM in that cell. */
static unsigned char *give_alt_stack(void)
{
    unsigned char *p = malloc(ALT_SIZE);
    REQUIRE(p);
    stack_t st;
    memset(&st, 0, sizeof st);
    st.ss_sp = p;
    st.ss_size = ALT_SIZE;
    st.ss_flags = cell_flag == F_AUTODISARM ? (int)AUTODISARM : 0;
    REQUIRE(sigaltstack(&st, NULL) == 0);
    return p;
}

/* The state after, in the thread the signal went to. */
static void record_after(const unsigned char *alt)
{
    out->mask_after = blocked_now();
    stack_t st;
    REQUIRE(sigaltstack(NULL, &st) == 0);
    out->alt_after = st.ss_sp == alt || (st.ss_flags & SS_DISABLE) ? st.ss_flags : -1;
    struct sigaction sa;
    REQUIRE(sigaction(sig, NULL, &sa) == 0);
    int now = sa.sa_handler == SIG_DFL ? 0 : sa.sa_handler == SIG_IGN ? 1 : 2;
    out->disp_after = now == disp_before ? -1 : now;
}

/* The page that faults with sig: past the end of a file cut short (SIGBUS), or inaccessible. */
static void make_bad(void)
{
    if (sig == SIGBUS) {
        char path[TU_PATH_MAX];
        bad_fd = tu_temp_file(NULL, 2 * ps, path);
        tu_remove(path);
        bad = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE, MAP_SHARED, bad_fd, 0);
        REQUIRE(bad != MAP_FAILED);
        tu_truncate(bad_fd, ps);
        bad += ps;
    } else {
        bad = mmap(NULL, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        REQUIRE(bad != MAP_FAILED);
    }
}

/* SIGUSR1: the other handler, in which a fault happens, or which sends sig (blocked in it, so that
 * it comes when the handler returns, in the code it interrupted). */
static void on_usr1(int s)
{
    (void)s;
    if (out->fired || (cell_origin != O_NESTED && cell_origin != O_SENT))
        return;
    if (!in_copy && out->copy_rc == -1000) /* waiting for a copy to interrupt */
        return;
    out->fired = 1;
    if (cell_origin == O_NESTED)
        touch_bad();
    else
        pthread_kill(pthread_self(), sig);
}

static void *faulting_thread(void *arg)
{
    (void)arg;
    alt_thread = give_alt_stack();
    touch_bad();
    record_after(alt_thread);
    return NULL;
}

/* Interrupts the main thread's copies with SIGUSR1, or faults itself while one runs. */
static volatile int stop_pester;
static void *pester(void *arg)
{
    (void)arg;
    while (!stop_pester && !out->fired) {
        if (cell_origin == O_THREAD) {
            if (in_copy) {
                out->fired = 1;
                alt_thread = give_alt_stack();
                touch_bad();
                record_after(alt_thread);
            }
        } else {
            pthread_kill(main_thread, SIGUSR1);
        }
        struct timespec t = {0, 50 * 1000};
        nanosleep(&t, NULL);
    }
    return NULL;
}

/* The C library's memcpy, as a guarded copy calls it: not one the compiler writes inline for a
 * known length, whose stores may fault at another byte first. */
static void *(*volatile plain_copy)(void *, const void *, size_t) = memcpy;

/* The origin, while a copy runs: a fault on the caller's side of it (never the copy's), or a
 * signal sent, a fault in a handler or in another thread while it runs. */
static void during_copy(int guarded)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, COPY_SIZE, MMAPC_PROT_RW, NULL));
    memset(mmapc_ptr(m), 1, COPY_SIZE);
    unsigned char *buf = malloc(COPY_SIZE);
    REQUIRE(buf);
    out->copy_rc = -1000;
    if (cell_origin == O_FAULT) {
        out->fired = 1;
        out->copy_rc = guarded ? mmapc_read(m, 0, bad, 64, NULL) : (plain_copy(bad, buf, 64), 0);
        return;
    }
    pthread_t t;
    REQUIRE(pthread_create(&t, NULL, pester, NULL) == 0);
    int rc = 0;
    for (int i = 0; i < 100000 && !out->fired; i++) {
        in_copy = 1;
        rc = guarded ? mmapc_read(m, 0, buf, COPY_SIZE, NULL)
                     : (plain_copy(buf, mmapc_ptr(m), COPY_SIZE), 0);
        in_copy = 0;
    }
    stop_pester = 1;
    REQUIRE(pthread_join(t, NULL) == 0);
    /* After SA_RESETHAND the signal's disposition is SIG_DFL, not mmapc's handler: a guarded
     * copy begun after that refuses (MMAPC_EHANDLER, as the header says) where memcpy copies */
    out->copy_rc = rc == MMAPC_EHANDLER && cell_flag == F_RESETHAND ? 0 : rc;
    free(buf);
    mmapc_unmap(m);
}

static void child(enum mode mode)
{
    alarm(under_valgrind() || check_under_emulator() ? 10 : 5);
    main_thread = pthread_self();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_DFL; /* the other signal: the default, even under a sanitizer */
    REQUIRE(sigaction(sig == SIGBUS ? SIGSEGV : SIGBUS, &sa, NULL) == 0);
    sa.sa_handler = on_usr1;
    if (cell_origin == O_SENT)
        sigaddset(&sa.sa_mask, sig);
    REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
    make_bad();
    alt_main = give_alt_stack();
    set_disposition();
    if (mode != M_WITHOUT && mode != M_COPY_WITHOUT)
        REQUIRE_OK(mmapc_guard_install(0));
    struct sigaction now;
    REQUIRE(sigaction(sig, NULL, &now) == 0);
    disp_before = now.sa_handler == SIG_DFL ? 0 : now.sa_handler == SIG_IGN ? 1 : 2;
    if (mode == M_OWN) {
        /* the copy's own fault: caught, nothing reaches the program, nothing changes */
        unsigned mask = blocked_now();
        stack_t before, after;
        REQUIRE(sigaltstack(NULL, &before) == 0);
        static unsigned char buf[64];
        size_t done = 1;
        out->copy_rc = mmapc_copy_guarded(buf, bad, sizeof buf, &done);
        REQUIRE(sigaltstack(NULL, &after) == 0);
        out->mask_after = blocked_now() ^ mask;             /* 0: the same */
        out->alt_after = before.ss_flags != after.ss_flags; /* 0: the same */
        out->fired = (int)done;
        out->reached_end = 1;
        _exit(0);
    }
    if (mode == M_COPY_WITHOUT || mode == M_COPY_GUARDED) {
        during_copy(mode == M_COPY_GUARDED);
    } else {
        out->fired = cell_origin != O_NESTED; /* SIGUSR1's handler says when it faults */
        if (cell_origin == O_FAULT) {
            touch_bad();
        } else if (cell_origin == O_SENT) {
            /* To the process; under qemu-user to this thread: qemu's own threads leave SIGSEGV
             * open, and the host's kernel may give a signal sent to the process to one of them,
             * which qemu does not pass to the program (it dies by it, with mmapc or without). */
            if (check_under_emulator())
                pthread_kill(pthread_self(), sig);
            else
                kill(getpid(), sig);
        } else if (cell_origin == O_NESTED) {
            raise(SIGUSR1);
        } else {
            pthread_t t;
            REQUIRE(pthread_create(&t, NULL, faulting_thread, NULL) == 0);
            REQUIRE(pthread_join(t, NULL) == 0);
        }
    }
    if (cell_origin != O_THREAD)
        record_after(alt_main);
    out->reached_end = 1;
    _exit(0);
}

/* Why the current cell cannot be compared here (origin o, O_COUNT: the copy's own fault), or
 * NULL. */
static const char *left_out(int o)
{
    if (check_under_emulator() && sig == SIGBUS && cell_disp == D_IGN && o != O_SENT &&
        o != O_COUNT)
        return "qemu-user does not force a SIGBUS fault that the program ignores: without mmapc "
               "the fault repeats for ever (the system kills the process)";
    if (under_valgrind() && cell_disp <= D_IGN && o != O_SENT && o != O_COUNT)
        return "valgrind does not return into a fault as the system does (a SIGBUS comes again "
               "as SIGSEGV, one in another handler or thread is not made again), and the default "
               "action for a fault is that return, from mmapc's handler";
    return NULL;
}

static void describe(char *s, size_t n, const outcome *o)
{
    int len = WIFSIGNALED(o->status) ? snprintf(s, n, "killed by %d", WTERMSIG(o->status))
                                     : snprintf(s, n, "exit %d", WEXITSTATUS(o->status));
    if (len < 0 || (size_t)len >= n)
        return;
    snprintf(s + len, n - (size_t)len,
             ", calls %d depth %d, in it: sig %s usr2 %s %s stack, si_addr %+ld%s; after: mask "
             "0x%x altstack %d disposition %d; copy %d, came %d, end %d",
             o->calls, o->max_depth, o->sig_blocked ? "blocked" : "open",
             o->usr2_blocked ? "blocked" : "open", o->on_alt ? "alternate" : "normal", o->addr_off,
             o->reset_in ? ", reset to SIG_DFL" : "", o->mask_after, o->alt_after, o->disp_after,
             o->copy_rc, o->fired, o->reached_end);
}

static outcome run(enum mode mode)
{
    memset(out, 0, sizeof *out);
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        child(mode);
        _exit(1);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    outcome o = *out;
    o.status = status;
    return o;
}

/* Field by field: the padding of a copy is not the child's (memcheck). */
static int same(const outcome *a, const outcome *b)
{
    return a->status == b->status && a->calls == b->calls && a->max_depth == b->max_depth &&
           a->sig_blocked == b->sig_blocked && a->usr2_blocked == b->usr2_blocked &&
           a->on_alt == b->on_alt && a->reset_in == b->reset_in && a->addr_off == b->addr_off &&
           a->mask_after == b->mask_after && a->alt_after == b->alt_after &&
           a->disp_after == b->disp_after && a->copy_rc == b->copy_rc && a->fired == b->fired &&
           a->reached_end == b->reached_end;
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    ps = mmapc_page_size();
    out = mmap(NULL, sizeof *out, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(out != MAP_FAILED);
    printf("signals from %s%s\n", check_under_emulator() ? "an emulator" : "the system",
           under_valgrind() ? " under valgrind" : "");
    if (under_valgrind())
        CHECK_SKIP("valgrind does not return from a handler into a fault as the system does: "
                   "the program's handler of a fault ends the child once it has seen its call, "
                   "instead of returning");
    int autodisarm = have_autodisarm();
    if (!autodisarm)
        CHECK_SKIP("no SS_AUTODISARM here (not Linux, or an emulator that refuses it): the "
                   "SA_ONSTACK with SS_AUTODISARM cells are left out");
    int cells = 0, differ = 0;
    long seen_off = 0;
    static const int sigs[2] = {SIGBUS, SIGSEGV};
    for (int si = 0; si < 2; si++) {
        for (int d = D_DFL; d <= D_INFO; d++) {
            for (int f = F_NONE; f < F_COUNT; f++) {
                if ((d == D_DFL || d == D_IGN) && f != F_NONE)
                    continue;
                if (f == F_AUTODISARM && !autodisarm)
                    continue;
                for (int o = 0; o <= O_COUNT; o++) {
                    sig = sigs[si];
                    cell_disp = (enum disp)d;
                    cell_flag = (enum flag)f;
                    cell_origin = (enum origin)(o == O_COUNT ? O_FAULT : o);
                    char name[200];
                    snprintf(name, sizeof name, "%s, %s%s%s, %s",
                             sig == SIGBUS ? "SIGBUS" : "SIGSEGV", disp_names[d],
                             d >= D_HANDLER ? " with " : "", d >= D_HANDLER ? flag_names[f] : "",
                             o == O_COUNT ? mode_names[M_OWN] : origin_names[o]);
                    if (only && !strstr(name, only))
                        continue;
                    const char *why = left_out(o);
                    if (why) {
                        fprintf(stderr, "left out: %s: %s\n", name, why);
                        continue;
                    }
                    cells++;
                    if (o == O_COUNT) {
                        outcome g = run(M_OWN);
                        int ok = WIFEXITED(g.status) && WEXITSTATUS(g.status) == 0 &&
                                 g.copy_rc == MMAPC_EIO && g.calls == 0 && g.mask_after == 0 &&
                                 g.alt_after == 0 && g.fired == 0;
                        if (!ok) {
                            char s[400];
                            describe(s, sizeof s, &g);
                            fprintf(stderr, "%s: %s\n", name, s);
                            differ++;
                        }
                        CHECK(ok);
                        continue;
                    }
                    for (int pair = 0; pair < 2; pair++) {
                        enum mode a = pair ? M_COPY_WITHOUT : M_WITHOUT;
                        enum mode b = pair ? M_COPY_GUARDED : M_INSTALLED;
                        outcome x = run(a), y = run(b);
                        CHECK(same(&x, &y));
                        if (x.addr_off && !seen_off) {
                            seen_off = x.addr_off;
                            printf(
                                "the system gives SIGBUS addresses off by %ld (qemu-user gives a "
                                "32-bit guest the host's): a guarded copy must catch its own "
                                "SIGBUS all the same\n",
                                seen_off);
                        }
                        if (same(&x, &y))
                            continue;
                        char sx[400], sy[400];
                        describe(sx, sizeof sx, &x);
                        describe(sy, sizeof sy, &y);
                        fprintf(stderr, "%s:\n  %s: %s\n  %s: %s\n", name, mode_names[a], sx,
                                mode_names[b], sy);
                        differ++;
                    }
                }
            }
        }
    }
    printf("%d cells, %d differ\n", cells, differ);
    return check_done();
}
