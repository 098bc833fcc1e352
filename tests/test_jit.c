// SPDX-License-Identifier: MIT
/* A tiny JIT: real machine code for this architecture is written into a mapping, made executable
 * (with the instruction-cache flush), called, and its result checked. */
#include "testutil.h"

#include "jit_code.h"

#ifndef NO_JIT_CODE
/* Write, make exec (flushing), run; then make writable again, patch, make exec, run again. */
static void test_write_exec_cycle(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, mmapc_page_size(), MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    memcpy(p, code, CODE_SIZE);
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RX));
    CHECK(as_function(p)() == 42);
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RW));
    patch(p, 99);
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RX));
    CHECK(as_function(p)() == 99);
    mmapc_unmap(m);
}

/* With the JIT flag the code can be patched in place while executable, flushing by hand. */
static void test_rwx(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, mmapc_page_size(), MMAPC_PROT_RWX,
                              &(mmapc_options){.unsafe_flags = MMAPC_UNSAFE_JIT}));
    unsigned char *p = mmapc_ptr(m);
    memcpy(p, code, CODE_SIZE);
    CHECK_OK(mmapc_flush_icache(p, CODE_SIZE));
    CHECK(as_function(p)() == 42);
    patch(p, 7);
    CHECK_OK(mmapc_flush_icache(p, CODE_SIZE));
    CHECK(as_function(p)() == 7);
    mmapc_unmap(m);
}

/* make-exec without the flush, followed by an explicit flush, is the other supported pattern. */
static void test_no_flush_then_flush(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, mmapc_page_size(), MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(m);
    memcpy(p, code, CODE_SIZE);
    patch(p, 5);
    CHECK_OK(mmapc_protect_no_flush(m, MMAPC_PROT_RX));
    CHECK_OK(mmapc_flush_icache(p, CODE_SIZE));
    CHECK(as_function(p)() == 5);
    mmapc_unmap(m);
}
#endif

int main(void)
{
    CHECK_OK(mmapc_flush_icache(NULL, 0));
    CHECK_RC(mmapc_flush_icache(NULL, 16), MMAPC_EINVAL_ARG);
#ifdef NO_JIT_CODE
    fprintf(stderr, "skipped: no machine code for this architecture in the test\n");
    check_done();
    return CHECK_SKIP_CODE;
#else
    test_write_exec_cycle();
    test_rwx();
    test_no_flush_then_flush();
    return check_done();
#endif
}
