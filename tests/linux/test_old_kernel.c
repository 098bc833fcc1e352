// SPDX-License-Identifier: MIT
/*
 * The fallbacks the header documents for kernels older than the oldest one CI boots (6.1), and
 * again for those it boots, each in a child whose seccomp filter answers one call as such a
 * kernel does: MADV_POPULATE_READ/WRITE with EINVAL (before 5.14: the pages are touched by
 * hand), MADV_FREE with EINVAL (before 4.5: lazy discard zeroes), MADV_COLD, MADV_PAGEOUT and
 * MADV_COLLAPSE with EINVAL (before 5.4 and 6.1: no-ops), mlock2 with EINVAL (before 4.4: lock
 * on fault is MMAPC_EUNSUPPORTED), mseal with ENOSYS (before 6.10: MMAPC_EUNSUPPORTED) and the
 * PROCMAP_QUERY ioctl with ENOTTY (before 6.11: queries and build IDs from the text and the
 * files, the same answers). Each child first checks that the filter answers the raw call so, then
 * that the library keeps its promise with nothing changed that it did not promise.
 */
#include "check.h"
#include "kernel_probe.h"
#include "seccomp_filter.h"
#include "smaps.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The advice numbers of the kernel's ABI, for C libraries whose headers predate them. */
enum {
    ADV_FREE = 8,
    ADV_COLD = 20,
    ADV_PAGEOUT = 21,
    ADV_POP_READ = 22,
    ADV_POP_WRITE = 23,
    ADV_COLLAPSE = 25
};
#define NO_ARG (-1)

static size_t ps;

/* The low 32 bits of system call argument i in struct seccomp_data. */
static uint32_t arg_offset(int i)
{
    uint32_t off = (uint32_t)(offsetof(struct seccomp_data, args) + (size_t)i * 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    off += 4;
#endif
    return off;
}

/* From now on, system call nr (with argument arg equal to value, unless arg is NO_ARG) fails
 * with err; every other call is let through. 0, or -1 when the filter could not be installed. */
static int answer_as_old_kernel(long nr, int arg, uint32_t value, int err)
{
    struct sock_filter with_arg[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg_offset(arg < 0 ? 0 : arg)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_filter any_arg[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof with_arg / sizeof with_arg[0], with_arg};
    if (arg == NO_ARG)
        prog = (struct sock_fprog){sizeof any_arg / sizeof any_arg[0], any_arg};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
        return -1;
    return 0;
}

/* Run body in a child under the filter; the child's checks count there, its status here. */
static void in_old_kernel(const char *what, long nr, int arg, uint32_t value, int err,
                          void (*body)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        check_count = check_failures = 0; /* the child's own count */
        if (answer_as_old_kernel(nr, arg, value, err) != 0) {
            fprintf(stderr, "%s: the seccomp filter could not be installed: %s\n", what,
                    strerror(errno));
            _exit(99);
        }
        body();
        fprintf(stdout, "%s: ", what);
        int rc = check_done();
        fflush(NULL);
        _exit(rc);
    }
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fprintf(stderr, "%s: the child failed (status 0x%x)\n", what, (unsigned)status);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Every page of [p, p + len) resident, in mincore's words. */
static int all_resident(const void *p, size_t len)
{
    unsigned char vec[64];
    REQUIRE(len / ps <= sizeof vec);
    if (mincore((void *)(uintptr_t)p, len, vec) != 0)
        return 0;
    for (size_t i = 0; i < len / ps; i++)
        if (!(vec[i] & 1))
            return 0;
    return 1;
}

static mmapc_map *fresh(size_t pages)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, pages * ps, MMAPC_PROT_RW, NULL));
    /* single pages: no transparent huge page makes a range resident behind our back */
    (void)madvise(mmapc_ptr(m), pages * ps, MADV_NOHUGEPAGE);
    return m;
}

/* ---- before 5.14: populate touches every page (a write for populate-write) ---- */

static void populate(int write)
{
    mmapc_map *m = fresh(16);
    char *p = mmapc_ptr(m);
    CHECK(madvise(p, 16 * ps, write ? ADV_POP_WRITE : ADV_POP_READ) == -1 && errno == EINVAL);
    CHECK(!all_resident(p, 16 * ps));
    CHECK_OK(mmapc_advise(m, 0, 16 * ps,
                          write ? MMAPC_ADVICE_POPULATE_WRITE : MMAPC_ADVICE_POPULATE_READ));
    CHECK(all_resident(p, 16 * ps));
    if (write) { /* private pages of this mapping, not the zero page */
        smaps_entry e;
        CHECK(smaps_find(p, &e) && e.rss_kb * 1024 == 16 * ps);
    }
    CHECK(p[0] == 0 && p[16 * ps - 1] == 0);
    mmapc_unmap(m);
}
static void populate_read(void)
{
    populate(0);
}
static void populate_write(void)
{
    populate(1);
}

/* ---- before 4.5: lazy discard zeroes at once ---- */

static void lazy_discard(void)
{
    mmapc_map *m = fresh(8);
    char *p = mmapc_ptr(m);
    memset(p, 0x5a, 8 * ps);
    CHECK(madvise(p, ps, ADV_FREE) == -1 && errno == EINVAL);
    CHECK_OK(mmapc_discard(m, 2 * ps, 4 * ps, MMAPC_DISCARD_LAZY));
    CHECK(p[ps] == 0x5a && p[2 * ps] == 0 && p[6 * ps - 1] == 0 && p[6 * ps] == 0x5a);
    mmapc_unmap(m);
}

/* ---- before 5.4 (cold, page-out) and 6.1 (collapse): advice the kernel lacks is a no-op ---- */

static void unknown_advice(int native, mmapc_advice advice)
{
    mmapc_map *m = fresh(4);
    char *p = mmapc_ptr(m);
    memset(p, 0x33, 4 * ps);
    CHECK(madvise(p, 4 * ps, native) == -1 && errno == EINVAL);
    CHECK_OK(mmapc_advise(m, 0, 4 * ps, advice));
    CHECK(p[0] == 0x33 && p[4 * ps - 1] == 0x33 && all_resident(p, 4 * ps));
    mmapc_unmap(m);
}
static void cold(void)
{
    unknown_advice(ADV_COLD, MMAPC_ADVICE_COLD);
}
static void page_out(void)
{
    unknown_advice(ADV_PAGEOUT, MMAPC_ADVICE_PAGE_OUT);
}
static void collapse(void)
{
    unknown_advice(ADV_COLLAPSE, MMAPC_ADVICE_COLLAPSE);
}

/* ---- before 4.4: no lock on fault ---- */

static void lock_on_fault(void)
{
    mmapc_map *m = fresh(4);
    char *p = mmapc_ptr(m);
    CHECK_RC(mmapc_lock_on_fault(m), MMAPC_EUNSUPPORTED);
    CHECK(!smaps_has_flag(p, "lf") && !smaps_has_flag(p, "lo"));
    p[0] = 1;
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_READ));
    mmapc_unmap(m);
}

/* ---- before 6.10 (and 32-bit kernels): no seal ---- */

static void seal(void)
{
    mmapc_map *m = fresh(2);
    CHECK_RC(mmapc_seal(m), MMAPC_EUNSUPPORTED);
    CHECK(!mmapc_is_sealed(m) && !smaps_has_flag(mmapc_ptr(m), "sl"));
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_READ)); /* nothing was sealed */
    mmapc_unmap(m);
}

/* ---- before 6.11: no PROCMAP_QUERY; the text and the files give the same answers ---- */

static mmapc_area seen_area;
static char seen_path[4096];
static mmapc_build_id seen_id;
static int seen_id_rc;

static void text_queries(void)
{
    CHECK(kernel_has_procmap_query() == 0);
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, 0));
    mmapc_area a;
    char path[4096];
    CHECK_OK(mmapc_proc_query(p, (uintptr_t)&seen_area, &a, path, sizeof path));
    /* the parent learnt that the kernel answers the ioctl; the first refusal here (a filter put
     * in later, as a sandbox does) turns the process to the text for good */
    CHECK(!mmapc_proc_direct(p));
    CHECK(a.start == seen_area.start && a.end == seen_area.end && a.prot == seen_area.prot &&
          a.offset == seen_area.offset && strcmp(path, seen_path) == 0);
    mmapc_build_id id;
    memset(&id, 0, sizeof id);
    int rc = mmapc_proc_build_id(p, (uintptr_t)&seen_area, &id);
    CHECK(rc == seen_id_rc);
    CHECK(rc != 0 || memcmp(&id, &seen_id, sizeof id) == 0);
    mmapc_proc_close(p);
}

int main(void)
{
    ps = (size_t)sysconf(_SC_PAGESIZE);
    if (check_under_emulator()) {
        fprintf(stderr, "skipped: qemu-user runs a seccomp filter on its own system calls, not "
                        "the guest's\n");
        return CHECK_SKIP_CODE;
    }
    /* what the kernel itself answers, for the child without PROCMAP_QUERY to match */
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, 0));
    REQUIRE_OK(mmapc_proc_query(p, (uintptr_t)&seen_area, &seen_area, seen_path, sizeof seen_path));
    seen_id_rc = mmapc_proc_build_id(p, (uintptr_t)&seen_area, &seen_id);
    mmapc_proc_close(p);

    in_old_kernel("populate-read", SYS_madvise, 2, ADV_POP_READ, EINVAL, populate_read);
    in_old_kernel("populate-write", SYS_madvise, 2, ADV_POP_WRITE, EINVAL, populate_write);
    in_old_kernel("lazy discard", SYS_madvise, 2, ADV_FREE, EINVAL, lazy_discard);
    in_old_kernel("cold", SYS_madvise, 2, ADV_COLD, EINVAL, cold);
    in_old_kernel("page-out", SYS_madvise, 2, ADV_PAGEOUT, EINVAL, page_out);
    in_old_kernel("collapse", SYS_madvise, 2, ADV_COLLAPSE, EINVAL, collapse);
#ifdef SYS_mlock2
    in_old_kernel("lock on fault", SYS_mlock2, NO_ARG, 0, EINVAL, lock_on_fault);
#endif
    in_old_kernel("seal", 462 /* mseal */, NO_ARG, 0, ENOSYS, seal);
    in_old_kernel("text queries", SYS_ioctl, 1, PROBE_PROCMAP_QUERY, ENOTTY, text_queries);
    return check_done();
}
