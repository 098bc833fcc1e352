// SPDX-License-Identifier: MIT
/* Write tracking across fork(): a child inherits a tracked mapping. With uffd-wp the inherited
 * descriptors act on the parent's memory, so the child's reports are refused (MMAPC_EBADF) and
 * never reset the parent's record, its writes do not fault, and it can stop and start tracking
 * of its own; with the mprotect backend the child goes on tracking its own writes. Either way the
 * parent's record is the parent's. */
#include "check.h"

#include <sys/wait.h>
#include <unistd.h>

static size_t page;

/* In the child: 0 when all went as expected, else the number of the first failed step. */
static int child(mmapc_map *m, mmapc_tracker backend)
{
    unsigned char *p = mmapc_ptr(m);
    unsigned char bits[1];
    size_t count = 0;
    p[2 * page] = 7; /* no fault that kills, with either backend */
    if (backend == MMAPC_TRACKER_UFFD_WP) {
        if (mmapc_track_bitmap(m, 0, 4 * page, bits, &count) != MMAPC_EBADF)
            return 1;
        if (mmapc_track_stop(m) != 0 || mmapc_track_backend(m) != MMAPC_TRACKER_NONE)
            return 2;
        if (mmapc_track_start(m, 0) != 0)
            return 3;
    }
    /* tracked in the child now: the page written before a report that the child made */
    p[3 * page] = 7;
    if (mmapc_track_bitmap(m, 0, 4 * page, bits, &count) != 0)
        return 4;
    /* mprotect: the page written before the fork and the child's two; uffd-wp restarted: 3 */
    if (backend == MMAPC_TRACKER_UFFD_WP ? bits[0] != 0x08 : bits[0] != 0x0d)
        return 5;
    if (mmapc_track_bitmap(m, 0, 4 * page, bits, &count) != 0 || count != 0)
        return 6;
    return 0;
}

static void run(unsigned flags)
{
    mmapc_map *m;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_track_start(m, flags));
    mmapc_tracker backend = mmapc_track_backend(m);
    unsigned char *p = mmapc_ptr(m);
    p[0] = 1; /* written before the fork: the parent reports it */
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        _exit(child(m, backend));
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        fprintf(stderr, "backend %d: child status %#x\n", (int)backend, status);
    /* the parent's record: its own write, none of the child's */
    p[page] = 1;
    unsigned char bits[1];
    size_t count = 0;
    CHECK_OK(mmapc_track_bitmap(m, 0, 4 * page, bits, &count));
    CHECK(count == 2 && bits[0] == 0x03);
    CHECK(p[2 * page] == 0 && p[3 * page] == 0);
    mmapc_unmap(m);
}

int main(void)
{
    if (check_track_under_valgrind())
        return check_done();
    page = mmapc_page_size();
    run(0);
    run(MMAPC_TRACK_MPROTECT);
    return check_done();
}
