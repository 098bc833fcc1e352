// SPDX-License-Identifier: MIT
// A C++ program built against an installed mmapc, through mmapc.hpp.
#include <mmapc.hpp>

#include <cstdio>

int main()
{
    auto m = mmapc::map::try_anon(4096);
    if (!m)
        return 1;
    m->bytes()[0] = std::byte{1};
    auto area = mmapc::try_area_query(MMAPC_SELF, m->start());
    if (!area || area->start > m->start())
        return 2;
    std::printf("consumer ok (mmapc %s)\n", mmapc::version().data());
    return 0;
}
