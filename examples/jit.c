// SPDX-License-Identifier: MIT
/* A tiny JIT: write machine code, make it executable (which flushes the instruction cache),
 * call it. Memory is never writable and executable at once. */
#include "mmapc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64)
    static const unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3}; /* return 42 */
#elif defined(__aarch64__)
    static const uint32_t code[] = {0x52800540u, 0xd65f03c0u}; /* return 42 */
#elif defined(__arm__)
    static const uint32_t code[] = {0xe3a0002au, 0xe12fff1eu}; /* return 42 (A32) */
#else
    puts("no machine code for this architecture in the example");
    return 0;
#endif
    mmapc_map *map;
    int rc = mmapc_map_anon(&map, sizeof code, MMAPC_PROT_RW, NULL);
    if (rc) {
        fprintf(stderr, "map: %s\n", mmapc_strerror(rc));
        return 1;
    }
    memcpy(mmapc_ptr(map), code, sizeof code);
    rc = mmapc_protect(map, MMAPC_PROT_RX);
    if (rc) {
        fprintf(stderr, "make exec: %s\n", mmapc_strerror(rc));
        mmapc_unmap(map);
        return 1;
    }
    int (*fn)(void);
    void *entry = mmapc_ptr(map);
    memcpy(&fn, &entry, sizeof fn); /* object pointer to function pointer, portably */
    int result = fn();
    printf("generated code returned %d\n", result);
    mmapc_unmap(map);
    return result == 42 ? 0 : 1;
}
