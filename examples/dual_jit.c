// SPDX-License-Identifier: MIT
/* A JIT that keeps W^X without changing protections: one view of the code memory is writable,
 * another view of the same memory is executable, and no page is ever both. */
#include "mmapc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64)
    unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3}; /* return 42 */
    unsigned char *constant = code + 1;
#elif defined(__aarch64__)
    uint32_t code[] = {0x52800540u, 0xd65f03c0u}; /* return 42 */
    unsigned char *constant = NULL;
#elif defined(__arm__)
    uint32_t code[] = {0xe3a0002au, 0xe12fff1eu};    /* return 42 (A32) */
    unsigned char *constant = (unsigned char *)code; /* the low byte of mov r0, #42 */
#else
    puts("no machine code for this architecture in the example");
    return 0;
#endif
    mmapc_map *rw, *rx;
    int rc = mmapc_map_dual(&rw, &rx, 4096);
    if (rc) {
        fprintf(stderr, "dual map: %s\n", mmapc_strerror(rc));
        return 1;
    }
    unsigned char *w = mmapc_ptr(rw), *x = mmapc_ptr(rx);
    int results[2];
    for (int round = 0; round < 2; round++) {
        size_t at = (size_t)round * 64;          /* each function at its own offset */
        memcpy(w + at, code, sizeof code);       /* written through one view */
        mmapc_flush_icache(x + at, sizeof code); /* made visible to instruction fetch */
        int (*fn)(void);
        unsigned char *entry = x + at;
        memcpy(&fn, &entry, sizeof fn); /* run through the other */
        results[round] = fn();
        if (constant)
            *constant = 7; /* the next function returns 7 (on aarch64: 42 again) */
    }
    printf("generated code returned %d, then %d\n", results[0], results[1]);
    mmapc_unmap(rw);
    mmapc_unmap(rx);
    return results[0] == 42 && results[1] == (constant ? 7 : 42) ? 0 : 1;
}
