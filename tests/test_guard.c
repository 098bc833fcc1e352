// SPDX-License-Identifier: MIT
/* Fault-safe copies on every platform: the checks, copies that succeed, and copies that meet
 * memory made inaccessible behind mmapc's back (a fault the guard turns into MMAPC_EIO with the
 * exact count), from one thread and from two at once; a fault outside a guarded copy still
 * ends the process. (tests/linux/test_guard_truncate.c: a file truncated by another process;
 * test_guard_chain.c: the handlers the program had, and one it installs later.) */
#include "testutil.h"

#include <pthread.h>
#include <stdint.h>

#ifndef _WIN32
#include <errno.h>
#include <sys/mman.h>
#endif

#define PAGES 8
#define BAD 5 /* the page made inaccessible */

static size_t ps;

/* Make [p, p + n) inaccessible without telling mmapc. */
static void make_inaccessible(void *p, size_t n)
{
#ifdef _WIN32
    DWORD old;
    REQUIRE(VirtualProtect(p, n, PAGE_NOACCESS, &old));
#else
    REQUIRE(mprotect(p, n, PROT_NONE) == 0);
#endif
}

static int fault_error(void)
{
#ifdef _WIN32
    return ERROR_NOACCESS;
#else
    return EFAULT;
#endif
}

/* A mapping of PAGES pages with byte i = i * 7 + 1, whose page BAD is then made inaccessible. */
static mmapc_map *broken_map(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, PAGES * ps, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    for (size_t i = 0; i < PAGES * ps; i++)
        p[i] = (unsigned char)(i * 7 + 1);
    make_inaccessible(p + BAD * ps, ps);
    return m;
}

static void test_checks(void)
{
    mmapc_map *m = NULL, *r = NULL, *ro = NULL, *none = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 2 * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_reserve_anon(&r, ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_map_anon(&ro, ps, MMAPC_PROT_READ, NULL));
    REQUIRE_OK(mmapc_map_anon(&none, ps, MMAPC_PROT_NONE, NULL));
    unsigned char buf[64];
    size_t done = 12345;
    CHECK_RC(mmapc_read(NULL, 0, buf, 1, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_read(m, 0, NULL, 1, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_write(m, 0, NULL, 1, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_read(m, 2 * ps + 1, buf, 0, &done), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_read(m, 2 * ps - 1, buf, 2, &done), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_write(m, 1, buf, SIZE_MAX, &done), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_read(m, SIZE_MAX, buf, 2, &done), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_read(r, 0, buf, 1, &done), MMAPC_EINVAL_OP);
    CHECK_RC(mmapc_read(none, 0, buf, 1, &done), MMAPC_EACCES);
    CHECK_RC(mmapc_write(ro, 0, buf, 1, &done), MMAPC_EACCES);
    /* the buffer inside the range it copies: the copy again after a fault would be wrong */
    unsigned char *p = mmapc_ptr(m);
    CHECK_RC(mmapc_read(m, 0, p + 10, 20, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_write(m, 10, p, 20, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_copy_guarded(p, p + 5, 10, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_copy_guarded(NULL, p, 10, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_copy_guarded(buf, NULL, 10, &done), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_copy_guarded((void *)(UINTPTR_MAX - 4), p, 10, &done), MMAPC_EINVAL_ARG);
    CHECK(done == 12345); /* a refused call writes no count */
    /* empty copies succeed, even at the end */
    CHECK_OK(mmapc_read(m, 2 * ps, buf, 0, &done));
    CHECK(done == 0);
    done = 7;
    CHECK_OK(mmapc_write(m, 0, NULL, 0, &done));
    CHECK(done == 0);
    done = 7;
    CHECK_OK(mmapc_copy_guarded(NULL, NULL, 0, &done));
    CHECK(done == 0);
    mmapc_unmap(m);
    mmapc_unmap(r);
    mmapc_unmap(ro);
    mmapc_unmap(none);
}

static void test_copies(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    unsigned char *in = malloc(4 * ps), *out = malloc(4 * ps);
    REQUIRE(in && out);
    for (size_t i = 0; i < 4 * ps; i++)
        in[i] = (unsigned char)(i * 13 + 5);
    size_t done = 0;
    CHECK_OK(mmapc_write(m, 0, in, 4 * ps, &done));
    CHECK(done == 4 * ps && memcmp(p, in, 4 * ps) == 0);
    for (int k = 0; k < 200; k++) {
        size_t off = tu_random(4 * ps), len = tu_random(4 * ps - off + 1);
        memset(out, 0, 4 * ps);
        CHECK_OK(mmapc_read(m, off, out, len, &done));
        CHECK(done == len && memcmp(out, in + off, len) == 0);
        CHECK_OK(mmapc_write(m, off, out, len, NULL)); /* NULL count: allowed */
        CHECK(memcmp(p, in, 4 * ps) == 0);
    }
    CHECK_OK(mmapc_copy_guarded(out, p + 3, ps, &done));
    CHECK(done == ps && memcmp(out, in + 3, ps) == 0);
    free(in);
    free(out);
    mmapc_unmap(m);
}

/* Copies that meet the inaccessible page: MMAPC_EIO and the count exact to the byte, the bytes
 * before it copied; copies that stop before it succeed. */
static void test_faults(void)
{
    mmapc_map *m = broken_map();
    unsigned char *p = mmapc_ptr(m);
    size_t cut = BAD * ps, size = PAGES * ps;
    unsigned char *buf = malloc(size);
    REQUIRE(buf);
    int exact = 0, eio = 0, ok = 0;
    for (int k = 0; k < 1000; k++) {
        size_t off = tu_random(size), len = tu_random(size - off + 1);
        int writing = k % 3 == 1, raw = k % 3 == 2;
        size_t want = off + len <= cut ? len : off >= cut ? 0 : cut - off;
        if (off > cut && off < cut + ps)
            want = 0;
        else if (off >= cut + ps)
            want = len; /* past the bad page: fine */
        memset(buf, 0xee, size);
        size_t done = SIZE_MAX;
        int rc;
        if (writing) {
            for (size_t i = 0; i < len; i++)
                buf[i] = (unsigned char)((off + i) * 7 + 1); /* the same bytes: the map is kept */
            rc = mmapc_write(m, off, buf, len, &done);
        } else if (raw) {
            rc = mmapc_copy_guarded(buf, p + off, len, &done);
        } else {
            rc = mmapc_read(m, off, buf, len, &done);
        }
        if (want == len) {
            ok += rc == 0 && done == len;
        } else {
            eio += rc == MMAPC_EIO && mmapc_last_os_error() == fault_error();
            if (rc != MMAPC_EIO || done != want)
                fprintf(stderr, "off %zu len %zu: %s, done %zu, want %zu\n", off, len,
                        mmapc_err_name(rc), done, want);
        }
        if (done == want && (rc == 0) == (want == len)) {
            int same = 1;
            for (size_t i = 0; !writing && i < want; i++)
                same &= buf[i] == (unsigned char)((off + i) * 7 + 1);
            exact += same;
        }
    }
    printf("%d copies succeeded, %d faulted\n", ok, eio);
    CHECK(exact == 1000);
    CHECK(ok + eio == 1000);
    CHECK(ok > 50 && eio > 50);
    /* the destination side of a raw copy: a write into the inaccessible page */
    size_t done = 0;
    CHECK_RC(mmapc_copy_guarded(p + cut - 100, buf, 300, &done), MMAPC_EIO);
    CHECK(done == 100);
    CHECK_RC(mmapc_copy_guarded(p + cut - 1, buf, 2, &done), MMAPC_EIO);
    CHECK(done == 1);
    CHECK_RC(mmapc_copy_guarded(buf, p + cut, 1, &done), MMAPC_EIO);
    CHECK(done == 0);
    free(buf);
    mmapc_unmap(m);
}

/* Two threads copying at once, one of them faulting every time: the other is unaffected. */
typedef struct worker_arg {
    mmapc_map *m;
    size_t off, len, want;
    int good; /* copies with the right code, count and bytes */
} worker_arg;

#define ROUNDS 2000

static void *worker(void *arg)
{
    worker_arg *w = arg;
    unsigned char *buf = malloc(w->len);
    if (!buf)
        return NULL;
    for (int i = 0; i < ROUNDS; i++) {
        size_t done = SIZE_MAX;
        memset(buf, 0, w->len);
        int rc = mmapc_read(w->m, w->off, buf, w->len, &done);
        int right =
            done == w->want && (rc == 0) == (w->want == w->len) && (rc == 0 || rc == MMAPC_EIO);
        for (size_t k = 0; right && k < w->want; k++)
            right = buf[k] == (unsigned char)((w->off + k) * 7 + 1);
        w->good += right;
    }
    free(buf);
    return w;
}

static void test_threads(void)
{
    mmapc_map *m = broken_map();
    worker_arg a = {m, BAD * ps - 3 * ps / 2, 2 * ps, 3 * ps / 2, 0};
    worker_arg b = {m, 0, BAD * ps, BAD * ps, 0};
    pthread_t ta, tb;
    REQUIRE(pthread_create(&ta, NULL, worker, &a) == 0);
    REQUIRE(pthread_create(&tb, NULL, worker, &b) == 0);
    void *ra = NULL, *rb = NULL;
    REQUIRE(pthread_join(ta, &ra) == 0);
    REQUIRE(pthread_join(tb, &rb) == 0);
    CHECK(ra == &a && rb == &b);
    CHECK(a.good == ROUNDS);
    CHECK(b.good == ROUNDS);
    mmapc_unmap(m);
}

/* After guarded copies, a fault outside any of them still ends the process. (The child's handler
 * was set to the default action after mmapc had installed its own, inherited by fork: the
 * install puts mmapc's in front of it again.) */
static void fault_outside_copy(void)
{
    if (mmapc_guard_install(0) != 0)
        exit(5);
    mmapc_map *m = broken_map();
    unsigned char buf[16];
    size_t done = 0;
    if (mmapc_read(m, BAD * ps - 8, buf, 16, &done) != MMAPC_EIO || done != 8)
        exit(4);
    ((volatile unsigned char *)mmapc_ptr(m))[BAD * ps + 1] = 1;
}

/* A fault inside a guarded copy but not on the guarded bytes (the caller's buffer) is not
 * caught either. */
static void fault_in_buffer(void)
{
    if (mmapc_guard_install(0) != 0)
        exit(5);
    mmapc_map *m = broken_map(), *bad = NULL;
    if (mmapc_map_anon(&bad, ps, MMAPC_PROT_NONE, NULL) != 0)
        exit(4);
    size_t done = 0;
    int rc = mmapc_read(m, 0, mmapc_ptr(bad), 16, &done);
    exit(rc == MMAPC_EIO ? 6 : 7);
}

static const check_fault_case fault_cases[] = {
    {"outside", fault_outside_copy},
    {"buffer", fault_in_buffer},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    ps = mmapc_page_size();
    check_fault_main(argc, argv, fault_cases);
    test_checks();
    test_copies();
    test_faults();
    test_threads();
    check_all_faults(fault_cases);
    CHECK_OK(mmapc_guard_install(0));
    return check_done();
}
