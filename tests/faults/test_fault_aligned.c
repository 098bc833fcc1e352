// SPDX-License-Identifier: MIT
/* An aligned mapping reserves size + alignment and gives back the unaligned head and tail. When
 * the kernel refuses to give one back (ENOMEM at vm.max_map_count), the call must fail and leave
 * nothing behind, or succeed holding its own range only: never keep the piece it meant to free. */
#include "interpose.h"
#include "testutil.h"

#include <errno.h>
#include <sys/mman.h>

int main(void)
{
    size_t ps = mmapc_page_size();
    mmapc_options o = {.alignment = 64 * ps};
    for (unsigned long n = 1; n <= 2; n++) { /* the head's munmap, then the tail's */
        /* A reservation that lands aligned has no head to give back, so no nth munmap to fail:
         * then a page mapped below shifts the next placement, and the case runs again. */
        void *shims[16];
        int nshims = 0, hit = 0;
        while (!hit && nshims < 16) {
            fault_ledger before, after;
            fault_ledger_get(&before);
            unsigned long injected = fault_injected();
            mmapc_map *m = NULL;
            fault_arm(FAULT_munmap, n, ENOMEM);
            int rc = mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, &o);
            fault_arm(FAULT_munmap, 0, 0);
            fault_ledger_get(&after);
            hit = fault_injected() == injected + 1;
            if (!hit) {
                REQUIRE(rc == 0); /* nothing was refused: the mapping, and it alone */
                fault_ledger_add(&before, mmapc_start(m), mmapc_end(m));
                CHECK(fault_ledger_same_maps(&before, &after));
                mmapc_unmap(m);
                shims[nshims] = mmap(NULL, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                REQUIRE(shims[nshims] != MAP_FAILED);
                nshims++;
                continue;
            }
            if (rc == 0) {
                CHECK(mmapc_start(m) % (64 * ps) == 0);
                fault_ledger_add(&before, mmapc_start(m), mmapc_end(m));
                CHECK(fault_ledger_same_maps(&before, &after));
                if (!fault_ledger_same_maps(&before, &after)) {
                    fprintf(stderr, "munmap %lu refused: the library holds more than the mapping\n",
                            n);
                    fault_ledger_diff(&before, &after);
                }
                mmapc_unmap(m);
            } else {
                CHECK(rc == MMAPC_ENOMEM || rc == MMAPC_ELIMIT);
                CHECK(m == NULL);
                CHECK(fault_ledger_same_maps(&before, &after));
            }
        }
        CHECK(hit); /* the nth munmap was refused in one of the placements */
        while (nshims > 0)
            munmap(shims[--nshims], ps);
    }
    return check_done();
}
