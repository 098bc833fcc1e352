// SPDX-License-Identifier: MIT
/* Platform facts: page size, allocation granularity, supported page sizes. */
#include "check.h"

static int is_power_of_two(size_t x)
{
    return x && !(x & (x - 1));
}

int main(void)
{
    size_t ps = mmapc_page_size();
    CHECK(is_power_of_two(ps) && ps >= 4096);
    size_t gran = mmapc_allocation_granularity();
    CHECK(is_power_of_two(gran) && gran >= ps && gran % ps == 0);

    size_t count = 0;
    CHECK_OK(mmapc_page_sizes(NULL, 0, &count));
    CHECK(count >= 1);
    size_t sizes[32];
    size_t count2 = 0;
    CHECK_OK(mmapc_page_sizes(sizes, 32, &count2));
    CHECK(count2 == count);
    CHECK(sizes[0] == ps);
    for (size_t i = 1; i < count && i < 32; i++) {
        CHECK(is_power_of_two(sizes[i]));
        CHECK(sizes[i] > sizes[i - 1]);
    }
    /* a short buffer gets the first ones and the full count */
    size_t one[1] = {0};
    CHECK_OK(mmapc_page_sizes(one, 1, &count2));
    CHECK(one[0] == ps && count2 == count);
    CHECK_RC(mmapc_page_sizes(NULL, 4, &count2), MMAPC_EINVAL_ARG);
    CHECK_RC(mmapc_page_sizes(sizes, 4, NULL), MMAPC_EINVAL_ARG);

    size_t def = mmapc_default_huge_page_size();
    if (def) {
        int listed = 0;
        for (size_t i = 1; i < count && i < 32; i++)
            listed |= sizes[i] == def;
        CHECK(listed);
    }
    printf("page size %zu, granularity %zu, %zu page sizes, default huge %zu\n", ps, gran, count,
           def);
    return check_done();
}
