// SPDX-License-Identifier: MIT
/* Protection: what each protection allows and forbids (faults observed in a child process),
 * protection changes, and failed changes that leave the mapping as it was. */
#include "testutil.h"

static volatile unsigned char sink;

static mmapc_map *fault_map(mmapc_prot prot)
{
    mmapc_map *m = NULL;
    if (mmapc_map_anon(&m, mmapc_page_size(), prot, NULL) != 0)
        exit(2); /* not a fault: the parent sees exit status 2 */
    return m;
}

static void read_none(void)
{
    sink = *(volatile unsigned char *)mmapc_ptr(fault_map(MMAPC_PROT_NONE));
}

static void write_read_only(void)
{
    *(volatile unsigned char *)mmapc_ptr(fault_map(MMAPC_PROT_READ)) = 1;
}

static void write_after_protect_read(void)
{
    mmapc_map *m = fault_map(MMAPC_PROT_RW);
    *(volatile unsigned char *)mmapc_ptr(m) = 1;
    if (mmapc_protect(m, MMAPC_PROT_READ) != 0)
        exit(2);
    *(volatile unsigned char *)mmapc_ptr(m) = 2;
}

static void read_after_protect_none(void)
{
    mmapc_map *m = fault_map(MMAPC_PROT_RW);
    if (mmapc_protect(m, MMAPC_PROT_NONE) != 0)
        exit(2);
    sink = *(volatile unsigned char *)mmapc_ptr(m);
}

/* Code placed in read+write memory must not run. */
static void exec_non_exec(void)
{
    mmapc_map *m = fault_map(MMAPC_PROT_RW);
    unsigned char *p = mmapc_ptr(m);
    memset(p, 0xc3, 16); /* x86 `ret`; on other architectures the fetch faults first anyway */
    int (*fn)(void);
    void *code = p;
    memcpy(&fn, &code, sizeof fn);
    sink = (unsigned char)fn();
}

static void write_reserved(void)
{
    mmapc_map *m = NULL;
    if (mmapc_reserve_anon(&m, mmapc_page_size(), MMAPC_PROT_RW, NULL) != 0)
        exit(2);
    *(volatile unsigned char *)mmapc_ptr(m) = 1;
}

static const check_fault_case faults[] = {
    {"read_none", read_none},
    {"write_read_only", write_read_only},
    {"write_after_protect_read", write_after_protect_read},
    {"read_after_protect_none", read_after_protect_none},
    {"exec_non_exec", exec_non_exec},
    {"write_reserved", write_reserved},
    {NULL, NULL},
};

/* The allowed accesses work, through every change. */
static void test_changes(void)
{
    size_t ps = mmapc_page_size();
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 2 * ps, MMAPC_PROT_NONE, NULL));
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RW));
    CHECK(mmapc_protection(m) == MMAPC_PROT_RW);
    unsigned char *p = mmapc_ptr(m);
    p[0] = 42;
    p[2 * ps - 1] = 43;
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_READ));
    CHECK(mmapc_protection(m) == MMAPC_PROT_READ);
    CHECK(p[0] == 42 && p[2 * ps - 1] == 43);
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RX));
    CHECK(mmapc_protection(m) == MMAPC_PROT_RX);
    CHECK(p[0] == 42);
    CHECK_OK(mmapc_protect_no_flush(m, MMAPC_PROT_RX));
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_NONE));
    CHECK(mmapc_protection(m) == MMAPC_PROT_NONE);
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RW));
    CHECK(p[0] == 42); /* contents survive protection changes */
    mmapc_unmap(m);
}

/* Refused changes: the code, and the mapping still has its old protection and contents. */
static void test_refused(void)
{
    size_t ps = mmapc_page_size();
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, ps, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    p[0] = 7;
    CHECK_RC(mmapc_protect(m, MMAPC_PROT_RWX), MMAPC_EUNSAFE_FLAG);
    CHECK_RC(mmapc_protect_no_flush(m, MMAPC_PROT_RWX), MMAPC_EUNSAFE_FLAG);
    CHECK_RC(mmapc_protect(m, MMAPC_PROT_WRITE), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_protect(m, (mmapc_prot)99), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_protect(NULL, MMAPC_PROT_READ), MMAPC_EINVAL_ARG);
    CHECK(mmapc_protection(m) == MMAPC_PROT_RW);
    p[0] = 8; /* still writable */
    CHECK(p[0] == 8);
    mmapc_unmap(m);

    /* a shared mapping of a read-only descriptor cannot become writable */
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, mmapc_allocation_granularity(), path);
    mmapc_file ro = tu_open(path, 0);
    REQUIRE_OK(
        mmapc_map_file(&m, ps, MMAPC_PROT_READ, ro, 0, &(mmapc_options){.flags = MMAPC_SHARED}));
    CHECK_RC(mmapc_protect(m, MMAPC_PROT_RW), MMAPC_EACCES);
    CHECK(mmapc_last_os_error() != 0);
    CHECK(mmapc_protection(m) == MMAPC_PROT_READ);
    CHECK(((unsigned char *)mmapc_ptr(m))[3] == tu_pattern(3));
    mmapc_unmap(m);
    tu_close(ro);
    tu_close(f);
    tu_remove(path);
}

/* With the JIT flag, read+write+exec is allowed, at creation and later. */
static void test_jit_flag(void)
{
    mmapc_map *m = NULL;
    const mmapc_options jit = {.unsafe_flags = MMAPC_UNSAFE_JIT};
    REQUIRE_OK(mmapc_map_anon(&m, mmapc_page_size(), MMAPC_PROT_RW, &jit));
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RWX));
    CHECK(mmapc_protection(m) == MMAPC_PROT_RWX);
    ((unsigned char *)mmapc_ptr(m))[0] = 1;
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RW));
    mmapc_unmap(m);
}

int main(int argc, char **argv)
{
    check_fault_main(argc, argv, faults);
    check_all_faults(faults);
    test_changes();
    test_refused();
    test_jit_flag();
    return check_done();
}
