// SPDX-License-Identifier: MIT
/* A tiny JIT: real machine code for this architecture is written into a mapping, made executable
 * (with the instruction-cache flush), called, and its result checked. */
#include "testutil.h"

#include <stdint.h>

/* A function `int f(void) { return 42; }`, then the same with the constant patched. */
#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
static const unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3}; /* mov eax, 42; ret */
static void patch(unsigned char *p, uint8_t value)
{
    p[1] = value;
}
#elif defined(__aarch64__)
static const uint32_t code_words[] = {0x52800540u, 0xd65f03c0u}; /* mov w0, #42; ret */
#define code ((const unsigned char *)code_words)
#define CODE_SIZE sizeof code_words
static void patch(unsigned char *p, uint8_t value)
{
    uint32_t insn = 0x52800000u | ((uint32_t)value << 5); /* mov w0, #value */
    memcpy(p, &insn, 4);
}
#elif defined(__arm__)
/* Arm (A32) state; the caller's blx to an even address switches from Thumb if it needs to. */
static const uint32_t code_words[] = {0xe3a0002au, 0xe12fff1eu}; /* mov r0, #42; bx lr */
#define code ((const unsigned char *)code_words)
#define CODE_SIZE sizeof code_words
static void patch(unsigned char *p, uint8_t value)
{
    uint32_t insn = 0xe3a00000u | value; /* mov r0, #value */
    memcpy(p, &insn, 4);
}
#else
#define NO_JIT_CODE 1
#endif

#ifndef CODE_SIZE
#define CODE_SIZE sizeof code
#endif

#ifndef NO_JIT_CODE
typedef int (*fn_t)(void);

static fn_t as_function(void *p)
{
    fn_t fn;
    memcpy(&fn, &p, sizeof fn);
    return fn;
}

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
