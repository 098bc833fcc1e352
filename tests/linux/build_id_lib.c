// SPDX-License-Identifier: MIT
/* A small shared library that test_build_id loads, built with a build ID and without one. */
int mmapc_test_build_id_lib(int x);
int mmapc_test_build_id_lib(int x)
{
    return x * 3 + 1;
}
