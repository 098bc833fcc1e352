// SPDX-License-Identifier: MIT
/* The seccomp filter ABI for tests that install one. The kernel's headers where the C library's
 * include path has them; otherwise (musl-gcc sees only musl's headers) the few definitions the
 * tests use, with the values of the kernel's stable ABI (linux/filter.h, linux/bpf_common.h,
 * linux/seccomp.h). */
#ifndef MMAPC_TEST_SECCOMP_FILTER_H
#define MMAPC_TEST_SECCOMP_FILTER_H

#include <stdint.h>
#include <sys/prctl.h>

#if defined(__has_include)
#if __has_include(<linux/filter.h>) && __has_include(<linux/seccomp.h>)
#include <linux/filter.h>
#include <linux/seccomp.h>
#define MMAPC_TEST_KERNEL_SECCOMP 1
#endif
#endif

#ifndef MMAPC_TEST_KERNEL_SECCOMP
struct sock_filter {
    uint16_t code;
    uint8_t jt;
    uint8_t jf;
    uint32_t k;
};
struct sock_fprog {
    unsigned short len;
    struct sock_filter *filter;
};
struct seccomp_data {
    int nr;
    uint32_t arch;
    uint64_t instruction_pointer;
    uint64_t args[6];
};
#define BPF_LD 0x00
#define BPF_W 0x00
#define BPF_ABS 0x20
#define BPF_JMP 0x05
#define BPF_JEQ 0x10
#define BPF_K 0x00
#define BPF_RET 0x06
#define BPF_STMT(code, k)                                                                          \
    {                                                                                              \
        (unsigned short)(code), 0, 0, k                                                            \
    }
#define BPF_JUMP(code, k, jt, jf)                                                                  \
    {                                                                                              \
        (unsigned short)(code), jt, jf, k                                                          \
    }
#define SECCOMP_MODE_FILTER 2
#define SECCOMP_RET_ALLOW 0x7fff0000U
#define SECCOMP_RET_ERRNO 0x00050000U
#define SECCOMP_RET_DATA 0x0000ffffU
#endif

#endif
