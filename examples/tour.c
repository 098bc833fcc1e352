// SPDX-License-Identifier: MIT
/* A short tour: map memory, write it, change its protection, map a file, print what happened. */
#include "mmapc.h"

#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

static const char *prot_name(mmapc_prot p)
{
    static const char *names[] = {"---", "r--", "-w-", "rw-", "--x", "r-x", "-wx", "rwx"};
    return names[p & 7];
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "%s: %s (%s)\n", what, mmapc_strerror(rc), mmapc_err_name(rc));
    return 1;
}

int main(void)
{
    printf("mmapc %s: page size %zu, allocation granularity %zu\n", mmapc_version(),
           mmapc_page_size(), mmapc_allocation_granularity());
    size_t sizes[8], count;
    if (mmapc_page_sizes(sizes, 8, &count) == 0) {
        printf("page sizes:");
        for (size_t i = 0; i < count && i < 8; i++)
            printf(" %zu KiB", sizes[i] >> 10);
        printf("\n");
    }

    mmapc_map *anon;
    int rc = mmapc_map_anon(&anon, 3 * mmapc_page_size(), MMAPC_PROT_RW, NULL);
    if (rc)
        return fail("map anonymous", rc);
    strcpy(mmapc_ptr(anon), "anonymous memory");
    printf("anonymous: %p-%p %s \"%s\"\n", mmapc_ptr(anon), (void *)mmapc_end(anon),
           prot_name(mmapc_protection(anon)), (char *)mmapc_ptr(anon));
    if ((rc = mmapc_protect(anon, MMAPC_PROT_READ)))
        return fail("protect", rc);
    printf("anonymous: now %s\n", prot_name(mmapc_protection(anon)));
    printf("RWX without the JIT flag: %s\n", mmapc_err_name(mmapc_protect(anon, MMAPC_PROT_RWX)));

    const char *path = "mmapc-tour.txt";
    FILE *f = fopen(path, "wb");
    if (!f)
        return 1;
    fputs("a file, read through a private mapping\n", f);
    fclose(f);
#ifdef _WIN32
    mmapc_file file =
        CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
#else
    mmapc_file file = open(path, O_RDONLY);
#endif
    mmapc_map *fm;
    printf("mapping 100 bytes of a 39-byte file: %s\n",
           mmapc_err_name(mmapc_map_file(&fm, 100, MMAPC_PROT_READ, file, 0, NULL)));
    rc = mmapc_map_file(&fm, 39, MMAPC_PROT_READ, file, 0, NULL);
#ifdef _WIN32
    CloseHandle(file);
#else
    close(file);
#endif
    remove(path);
    if (rc)
        return fail("map file", rc);
    printf("file: %p-%p %s \"%.38s\"\n", mmapc_ptr(fm), (void *)mmapc_end(fm),
           prot_name(mmapc_protection(fm)), (char *)mmapc_ptr(fm));
    mmapc_unmap(fm);
    mmapc_unmap(anon);
    return 0;
}
