// SPDX-License-Identifier: MIT
/*
 * The default huge page size and the list of page sizes agree, with /proc mounted and without
 * it: the default is one of the listed huge sizes, or 0 exactly when none is listed; and a
 * huge-page mapping of the default size gets the same answer in both cases. Without /proc the
 * test runs in a child in a private mount namespace with /proc unmounted (needs root).
 */
#include "mountns.h"
#include "testutil.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>

typedef struct facts {
    size_t sizes[16];
    size_t count;
    size_t def;
    int map_rc; /* mmapc_map_anon of one default-sized huge page, without reserving it */
} facts;

static void read_facts(facts *f)
{
    memset(f, 0, sizeof *f);
    REQUIRE_OK(mmapc_page_sizes(f->sizes, 16, &f->count));
    REQUIRE(f->count >= 1 && f->count <= 16);
    f->def = mmapc_default_huge_page_size();
    mmapc_options o = {.flags = MMAPC_HUGE_PAGES | MMAPC_NO_RESERVE};
    mmapc_map *m = NULL;
    f->map_rc = mmapc_map_anon(&m, f->def ? f->def : 1, MMAPC_PROT_RW, &o);
    if (m) {
        CHECK(mmapc_map_page_size(m) == f->def);
        mmapc_unmap(m);
    }
}

static void check_agree(const facts *f, const char *where)
{
    int listed = 0;
    for (size_t i = 1; i < f->count; i++)
        listed |= f->sizes[i] == f->def;
    if (f->count > 1 ? !listed : f->def != 0) {
        fprintf(stderr, "%s: default huge page size %zu, listed:", where, f->def);
        for (size_t i = 0; i < f->count; i++)
            fprintf(stderr, " %zu", f->sizes[i]);
        fprintf(stderr, "\n");
    }
    CHECK(f->count > 1 ? listed : f->def == 0);
}

int main(void)
{
    const char *preload = getenv("LD_PRELOAD");
    if (check_under_emulator() || (preload && strstr(preload, "vgpreload"))) {
        fprintf(stderr, "skipped: qemu-user and valgrind need /proc, which the test unmounts\n");
        return CHECK_SKIP_CODE;
    }
    /* without /proc, in a child that has not read the facts yet */
    int pipefd[2];
    REQUIRE(pipe(pipefd) == 0);
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(pipefd[0]);
        if (mns_enter() != 0 || umount2("/proc", MNT_DETACH) != 0) {
            fprintf(stderr, "skipped: no /proc-less mount namespace: %s\n", strerror(errno));
            _exit(CHECK_SKIP_CODE);
        }
        struct stat st;
        REQUIRE(stat("/proc/meminfo", &st) != 0);
        facts f;
        read_facts(&f);
        REQUIRE(write(pipefd[1], &f, sizeof f) == (ssize_t)sizeof f);
        _exit(0);
    }
    close(pipefd[1]);
    facts without;
    ssize_t got = read(pipefd[0], &without, sizeof without);
    close(pipefd[0]);
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    int skipped = WIFEXITED(status) && WEXITSTATUS(status) == CHECK_SKIP_CODE;
    if (!skipped)
        REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0 && got == (ssize_t)sizeof without);

    facts with;
    read_facts(&with);
    check_agree(&with, "with /proc");
    if (!skipped) {
        check_agree(&without, "without /proc");
        CHECK(without.count == with.count);
        CHECK(memcmp(without.sizes, with.sizes, with.count * sizeof with.sizes[0]) == 0);
        if (without.map_rc != with.map_rc)
            fprintf(stderr, "a default huge page: %s without /proc, %s with it\n",
                    mmapc_err_name(without.map_rc), mmapc_err_name(with.map_rc));
        CHECK(without.map_rc == with.map_rc);
    }
    int rc = check_done();
    return rc == 0 && skipped ? CHECK_SKIP_CODE : rc;
}
