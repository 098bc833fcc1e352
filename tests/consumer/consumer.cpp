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
    std::byte back{};
    if (!m->try_read(0, {&back, 1}) || back != std::byte{1}) /* every backend has guarded reads */
        return 2;
    std::printf("consumer ok (mmapc %s)\n", mmapc::version().data());
    return 0;
}
