// SPDX-License-Identifier: MIT
/* Real machine code for the JIT tests: `int f(void) { return 42; }` for this architecture, a way
 * to patch its constant, and a cast of a code address to a function. NO_JIT_CODE where there is
 * none. */
#ifndef MMAPC_TESTS_JIT_CODE_H
#define MMAPC_TESTS_JIT_CODE_H

#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
static const unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3}; /* mov eax, 42; ret */
static inline void patch(unsigned char *p, uint8_t value)
{
    p[1] = value;
}
#elif defined(__aarch64__)
static const uint32_t code_words[] = {0x52800540u, 0xd65f03c0u}; /* mov w0, #42; ret */
#define code ((const unsigned char *)code_words)
#define CODE_SIZE sizeof code_words
static inline void patch(unsigned char *p, uint8_t value)
{
    uint32_t insn = 0x52800000u | ((uint32_t)value << 5); /* mov w0, #value */
    memcpy(p, &insn, 4);
}
#elif defined(__arm__)
/* Arm (A32) state; the caller's blx to an even address switches from Thumb if it needs to. */
static const uint32_t code_words[] = {0xe3a0002au, 0xe12fff1eu}; /* mov r0, #42; bx lr */
#define code ((const unsigned char *)code_words)
#define CODE_SIZE sizeof code_words
static inline void patch(unsigned char *p, uint8_t value)
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

/* Zero when the program runs under a binary translator (qemu-user, valgrind) that keeps its
 * translation of code patched in place through another mapping of the same memory: such a
 * translator sees only writes through the address it runs (real JITs tell valgrind with
 * VALGRIND_DISCARD_TRANSLATIONS). Code written at a new place runs everywhere. */
static inline int jit_sees_patches_through_alias(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return !check_under_emulator() && !(preload && strstr(preload, "vgpreload"));
}

#ifndef NO_JIT_CODE
typedef int (*fn_t)(void);

static inline fn_t as_function(void *p)
{
    fn_t fn;
    memcpy(&fn, &p, sizeof fn);
    return fn;
}
#endif

#endif
