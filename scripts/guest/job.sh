#!/bin/sh
# SPDX-License-Identifier: MIT
# Run inside the guest (scripts/guest/init), in a chroot of the host's root under a tmpfs overlay:
# the gcc preset's ctest over the build folder, its output in /out/ctest.log. @BUILD@ is the
# build folder's path, the same inside as outside. Under TCG a program runs several times slower
# than on the host, so each test's time limit is made five times longer (in the overlay's copy
# of the CTest files; the host's stay as they are). The tests labelled "browser" (chromium
# loading the pages of mmapc report) are left out: a browser under TCG takes minutes, and what
# they test does not depend on the kernel.
cd @BUILD@ || exit 2
find . -name CTestTestfile.cmake -exec perl -pi -e 's/TIMEOUT "(\d+)"/sprintf("TIMEOUT \"%d\"", $1 * 5)/ge' {} +
{
    echo "kernel $(uname -r)"
    ctest --test-dir . --output-on-failure -j 2 --timeout 900 --label-exclude browser
} >/out/ctest.log 2>&1
