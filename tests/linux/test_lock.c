// SPDX-License-Identifier: MIT
/* Locking: lock/unlock and the LOCKED flag, and honest failures past RLIMIT_MEMLOCK. */
#include "check.h"
#include "smaps.h"

#include <sys/mman.h>
#include <sys/resource.h>

static size_t ps;

static void test_lock_unlock(void)
{
    struct rlimit rl;
    REQUIRE(getrlimit(RLIMIT_MEMLOCK, &rl) == 0);
    if (getuid() != 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 8 * ps) {
        CHECK_SKIP("RLIMIT_MEMLOCK below 8 pages for this user: lock/unlock not tried");
        return;
    }
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, NULL));
    CHECK_OK(mmapc_lock(m));
    if (!check_under_emulator())
        CHECK(smaps_has_flag(mmapc_ptr(m), "lo"));
    CHECK_OK(mmapc_unlock(m));
    if (!check_under_emulator())
        CHECK(!smaps_has_flag(mmapc_ptr(m), "lo"));
    CHECK_RC(mmapc_lock(NULL), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_unlock(NULL), MMAPC_EINVAL_ARG);
    mmapc_unmap(m);

    REQUIRE_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_LOCKED}));
    if (!check_under_emulator())
        CHECK(smaps_has_flag(mmapc_ptr(m), "lo"));
    mmapc_unmap(m);
}

/* In a child with a small RLIMIT_MEMLOCK (and, as root, without the privilege that ignores it):
 * locking more is MMAPC_ELIMIT, and a LOCKED mapping that cannot be locked is not left behind. */
static int limited_child(void)
{
    struct rlimit small = {2 * ps, 2 * ps};
    if (setrlimit(RLIMIT_MEMLOCK, &small) != 0)
        return 10;
    if (getuid() == 0 && setuid(65534) != 0) /* CAP_IPC_LOCK would ignore the limit */
        return 11;
    mmapc_map *m = NULL;
    if (mmapc_map_anon(&m, 64 * ps, MMAPC_PROT_RW, NULL) != 0)
        return 12;
    if (mmapc_lock(m) != MMAPC_ELIMIT)
        return 13;
    if (mmapc_last_os_error() == 0)
        return 14;
    ((char *)mmapc_ptr(m))[0] = 1; /* still a usable mapping */
    mmapc_unmap(m);
    mmapc_map *locked = NULL;
    if (mmapc_map_anon(&locked, 64 * ps, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_LOCKED}) !=
        MMAPC_ELIMIT)
        return 15;
    if (locked != NULL)
        return 16;
    /* a small one fits */
    if (mmapc_map_anon(&locked, ps, MMAPC_PROT_RW, &(mmapc_options){.flags = MMAPC_LOCKED}) != 0)
        return 17;
    mmapc_unmap(locked);
    return 0;
}

static void test_limit(void)
{
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        _exit(limited_child());
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fprintf(stderr, "limited child: status 0x%x (exit %d)\n", status, WEXITSTATUS(status));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

int main(void)
{
#ifdef UNDER_ASAN
    /* AddressSanitizer replaces mlock and munlock with no-ops, so nothing here can be seen */
    fprintf(stderr, "skipped: mlock is a no-op under AddressSanitizer\n");
    return CHECK_SKIP_CODE;
#endif
    ps = mmapc_page_size();
    test_lock_unlock();
    test_limit();
    return check_done();
}
