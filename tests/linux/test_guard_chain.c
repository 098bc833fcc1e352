// SPDX-License-Identifier: MIT
/* The fault guard and the program's own signal handlers, each case in a child process of its
 * own (the parent makes no guarded copy, so each child starts with mmapc's handler not
 * installed): a fault outside a guarded copy reaches the handler the program had before (with
 * SA_SIGINFO or not), or the default action (also the one a handler's SA_RESETHAND left, flags
 * kept), or kills for an ignored SIGBUS as the system does;
 * a handler installed after mmapc's makes guarded copies refuse with MMAPC_EHANDLER until
 * mmapc_guard_install(); a handler that calls the one it replaced cannot make a loop; a handler
 * that jumps away leaves nothing behind that stops the next fault reaching it, nor, out of a
 * guarded copy, a copy that a later fault jumps back into. */
#include "../testutil.h"

#include <errno.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/wait.h>

static size_t ps;
static unsigned char *past; /* a page past the end of a truncated file: SIGBUS on touch */
static mmapc_map *map;
static volatile unsigned char *shared; /* what a child tells its parent beyond its status */

/* valgrind delivers a SIGBUS of a truncated file to a handler unreliably, without mmapc too: the
 * fault again after an SA_SIGINFO handler returns comes as SIGSEGV, and a plain handler that
 * jumps away is not run. */
static int under_valgrind(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return preload && strstr(preload, "vgpreload");
}

/* A mapping of 4 pages of a file cut to 2 pages + 10 bytes: [0, 3 pages) readable. */
static void setup(void)
{
    char path[TU_PATH_MAX];
    mmapc_file fd = tu_temp_file(NULL, 4 * ps, path);
    REQUIRE_OK(mmapc_map_file(&map, 4 * ps, MMAPC_PROT_READ, fd, 0, NULL));
    tu_truncate(fd, 2 * ps + 10);
    tu_close(fd);
    tu_remove(path);
    past = (unsigned char *)mmapc_ptr(map) + 3 * ps;
    shared = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    REQUIRE(shared != MAP_FAILED);
}

/* A guarded read across the cut: 0 when it gives MMAPC_EIO and the exact count, the file's
 * bytes up to its end and zeros after. */
static int guarded_read_works(void)
{
    static unsigned char buf[65536 + 64];
    size_t done = 0;
    int rc = mmapc_read(map, 2 * ps, buf, ps + 64, &done);
    if (rc != MMAPC_EIO)
        return rc ? rc : -1;
    return done == ps && buf[9] == tu_pattern(2 * ps + 9) && buf[10] == 0 ? 0 : -1;
}

static void touch_past(void)
{
    (void)*(volatile unsigned char *)past;
}

/* A guarded read across the cut, then a touch past it outside any guarded copy. */
static void guarded_then_touch(void)
{
    if (guarded_read_works() != 0)
        _exit(2);
    touch_past();
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), void (*plain)(int),
                    struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    if (fn) {
        sa.sa_sigaction = fn;
        sa.sa_flags = SA_SIGINFO;
    } else {
        sa.sa_handler = plain;
    }
    REQUIRE(sigaction(sig, &sa, old) == 0);
}

static void on_bus_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    _exit(sig != SIGBUS ? 40 : si->si_addr == past ? 41 : 47);
}

static void on_bus_plain(int sig)
{
    _exit(sig == SIGBUS ? 42 : 40);
}

/* ---- the cases: each returns the status its child must end with ---- */

static void case_siginfo(void)
{
    install(SIGBUS, on_bus_info, NULL, NULL);
    guarded_then_touch();
}

static void case_plain(void)
{
    install(SIGBUS, NULL, on_bus_plain, NULL);
    guarded_then_touch();
}

static void case_default(void)
{
    install(SIGBUS, NULL, SIG_DFL, NULL);
    guarded_then_touch();
}

static void case_ignored(void)
{
    install(SIGBUS, NULL, SIG_IGN, NULL);
    guarded_then_touch();
}

/* A SIGBUS sent by kill, not raised by a fault, is not the guard's either. */
static void case_sent(void)
{
    install(SIGBUS, NULL, SIG_DFL, NULL);
    if (guarded_read_works() != 0)
        _exit(2);
    kill(getpid(), SIGBUS);
    _exit(3);
}

static void on_segv_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    _exit(sig == SIGSEGV && si->si_addr == (void *)shared ? 43 : 40);
}

/* SIGSEGV: a guarded copy of inaccessible memory is MMAPC_EIO; a touch outside one reaches the
 * program's handler. */
static void case_segv(void)
{
    install(SIGSEGV, on_segv_info, NULL, NULL);
    unsigned char buf[8];
    size_t done = 9;
    REQUIRE(mprotect((void *)shared, ps, PROT_NONE) == 0);
    if (mmapc_copy_guarded(buf, (const void *)shared, sizeof buf, &done) != MMAPC_EIO ||
        done != 0 || mmapc_last_os_error() != EFAULT)
        _exit(2);
    (void)*shared;
}

/* The program installs its handler after mmapc's: guarded copies refuse, and copy nothing,
 * until mmapc_guard_install(); then they work and the program's handler gets the other faults. */
static void case_later(void)
{
    if (guarded_read_works() != 0)
        _exit(2);
    install(SIGBUS, NULL, on_bus_plain, NULL);
    unsigned char buf[16] = {0};
    size_t done = 77;
    if (mmapc_read(map, 0, buf, sizeof buf, &done) != MMAPC_EHANDLER || done != 77 || buf[0])
        _exit(4);
    if (mmapc_copy_guarded(buf, past, 1, &done) != MMAPC_EHANDLER)
        _exit(5);
    if (mmapc_guard_install(0) != 0 || guarded_read_works() != 0)
        _exit(6);
    touch_past();
}

/* The same for SIGSEGV alone: either signal displaced is refused. */
static void case_later_segv(void)
{
    if (guarded_read_works() != 0)
        _exit(2);
    install(SIGSEGV, NULL, SIG_DFL, NULL);
    if (guarded_read_works() != MMAPC_EHANDLER)
        _exit(4);
    if (mmapc_guard_install(0) != 0 || guarded_read_works() != 0)
        _exit(6);
    _exit(44);
}

/* MMAPC_GUARD_NO_CHECK: guarded copies skip the check, so a handler installed later gets the
 * fault of a guarded copy, as the header warns; a later install without it checks again. */
static void case_no_check(void)
{
    if (mmapc_guard_install(MMAPC_GUARD_NO_CHECK) != 0 || guarded_read_works() != 0)
        _exit(2);
    if (mmapc_guard_install(4) != MMAPC_EINVAL_ARG)
        _exit(3);
    install(SIGBUS, NULL, on_bus_plain, NULL);
    guarded_read_works();
    _exit(4);
}

static void case_check_again(void)
{
    if (mmapc_guard_install(MMAPC_GUARD_NO_CHECK) != 0 || mmapc_guard_install(0) != 0)
        _exit(2);
    install(SIGBUS, NULL, on_bus_plain, NULL);
    _exit(guarded_read_works() == MMAPC_EHANDLER ? 48 : 4);
}

/* A handler that calls the one it replaced, mmapc's, which mmapc_guard_install() then put in
 * front of it again: a fault outside a guarded copy goes round once and meets the default
 * action, never loops. */
static struct sigaction chained;
static void on_bus_chaining(int sig, siginfo_t *si, void *uc)
{
    shared[0]++;
    if (chained.sa_flags & SA_SIGINFO)
        chained.sa_sigaction(sig, si, uc);
}

static void case_mutual(void)
{
    if (guarded_read_works() != 0)
        _exit(2);
    install(SIGBUS, on_bus_chaining, NULL, &chained);
    if (guarded_read_works() != MMAPC_EHANDLER)
        _exit(4);
    if (mmapc_guard_install(0) != 0 || guarded_read_works() != 0)
        _exit(6);
    shared[0] = 0;
    touch_past();
}

/* A handler that jumps away, then a second fault from deeper in the stack: it reaches the
 * handler again. */
static sigjmp_buf back;
static void on_bus_jump(int sig)
{
    (void)sig;
    shared[1]++;
    siglongjmp(back, 1);
}

static int deeper(int n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    if (n == 0) {
        touch_past();
        return pad[0];
    }
    return deeper(n - 1) + pad[0];
}

static void case_jump_away(void)
{
    if (under_valgrind())
        _exit(46);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_bus_jump;
    sa.sa_flags = SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    REQUIRE(sigaction(SIGBUS, &sa, NULL) == 0);
    if (guarded_read_works() != 0)
        _exit(2);
    shared[1] = 0;
    if (sigsetjmp(back, 1) == 0)
        touch_past();
    if (shared[1] != 1)
        _exit(4);
    if (sigsetjmp(back, 1) == 0)
        deeper(20);
    if (shared[1] != 2 || guarded_read_works() != 0)
        _exit(5);
    _exit(45);
}

/* A handler that jumps out of a guarded copy (a fault on the caller's buffer, which is not the
 * guard's), both handlers on an alternate stack: the copy it left is over, and a later fault on
 * bytes that copy guarded, outside any copy, reaches the program's handler, not a jump back into
 * the copy's ended frame. */
static void on_segv_jump(int sig)
{
    (void)sig;
    siglongjmp(back, 1);
}

static void case_jump_out_of_copy(void)
{
    static unsigned char alt[65536];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    REQUIRE(sigaltstack(&ss, NULL) == 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_ONSTACK;
    sa.sa_handler = on_segv_jump;
    REQUIRE(sigaction(SIGSEGV, &sa, NULL) == 0);
    sa.sa_handler = on_bus_plain;
    REQUIRE(sigaction(SIGBUS, &sa, NULL) == 0);
    unsigned char *bad = mmap(NULL, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(bad != MAP_FAILED);
    size_t done = 0;
    if (sigsetjmp(back, 1) == 0) {
        mmapc_read(map, 2 * ps, bad, ps + 64, &done); /* faults on bad first, then jumps */
        _exit(5); /* returned: not jumped out of, or returned a second time */
    }
    touch_past(); /* on the bytes the copy guarded */
    _exit(6);
}

/* A handler with SA_SIGINFO and SA_RESETHAND that has run once before mmapc's is installed:
 * the system reset the disposition to SIG_DFL and kept the flags, SA_SIGINFO among them. A
 * fault outside a guarded copy meets that default action, not a call to a null sa_sigaction. */
static volatile sig_atomic_t once_ran;
static void on_bus_once(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    once_ran++;
}

static void case_reset_before(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_sigaction = on_bus_once;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    REQUIRE(sigaction(SIGBUS, &sa, NULL) == 0);
    raise(SIGBUS);
    REQUIRE(sigaction(SIGBUS, NULL, &sa) == 0);
    if (once_ran != 1 || sa.sa_handler != SIG_DFL)
        _exit(3);
    if (guarded_read_works() != 0)
        _exit(2);
    touch_past();
    _exit(4);
}

typedef struct chain_case {
    const char *name;
    void (*fn)(void);
    int exit_code; /* the status it must exit with, or 0 */
    int signal;    /* the signal that must kill it, or 0 */
} chain_case;

static const chain_case cases[] = {
    {"handler with SA_SIGINFO", case_siginfo, 41, 0},
    {"plain handler", case_plain, 42, 0},
    {"default action", case_default, 0, SIGBUS},
    {"ignored", case_ignored, 0, SIGBUS},
    {"sent by kill", case_sent, 0, SIGBUS},
    {"SIGSEGV handler", case_segv, 43, 0},
    {"installed later", case_later, 42, 0},
    {"SIGSEGV installed later", case_later_segv, 44, 0},
    {"handlers calling each other", case_mutual, 0, SIGBUS},
    {"without the check", case_no_check, 42, 0},
    {"with the check again", case_check_again, 48, 0},
    {"handler jumping away", case_jump_away, 45, 0},
    {"handler jumping out of a guarded copy", case_jump_out_of_copy, 42, 0},
    {"SA_RESETHAND done before the install", case_reset_before, 0, SIGBUS},
};

int main(void)
{
    ps = mmapc_page_size();
    setup();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const chain_case *c = &cases[i];
        fflush(NULL);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            c->fn();
            _exit(1);
        }
        int status = 0;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        int ok = c->signal ? WIFSIGNALED(status) && WTERMSIG(status) == c->signal
                           : WIFEXITED(status) && WEXITSTATUS(status) == c->exit_code;
        if (!ok && under_valgrind() && c->signal == SIGBUS && WIFSIGNALED(status) &&
            WTERMSIG(status) == SIGSEGV) {
            CHECK_SKIP("valgrind: the fault again after a handler returns is SIGSEGV, not SIGBUS");
            ok = 1;
        }
        if (!ok && check_under_emulator() && c->fn == case_siginfo && WIFEXITED(status) &&
            WEXITSTATUS(status) == 47) {
            CHECK_SKIP("qemu-user gives a 32-bit guest the host's si_addr for a SIGBUS");
            ok = 1;
        }
        if (!ok && under_valgrind() && c->fn == case_jump_away && WIFEXITED(status) &&
            WEXITSTATUS(status) == 46) {
            CHECK_SKIP("valgrind: a plain SIGBUS handler that jumps away is not run");
            ok = 1;
        }
        if (!ok)
            fprintf(stderr, "%s: child ended with status 0x%x\n", c->name, status);
        CHECK(ok);
    }
    CHECK(shared[0] == 1); /* the handler calling mmapc's ran once, not in a loop */
    mmapc_unmap(map);
    return check_done();
}
