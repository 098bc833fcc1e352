// SPDX-License-Identifier: MIT
/* Windows protections: read-only really is read-only, copy-on-write is write-copy, and what a
 * file mapping may become is what its file handle allows. */
#include "winutil.h"

static size_t gran;

static mmapc_map *map_or_exit(mmapc_file f, mmapc_prot prot, unsigned flags)
{
    mmapc_map *m = NULL;
    if (mmapc_map_file(&m, gran, prot, f, 0, &(mmapc_options){.flags = flags}) != 0)
        exit(2);
    return m;
}

static mmapc_file temp_or_exit(void)
{
    char path[TU_PATH_MAX];
    return tu_temp_file(NULL, gran, path);
}

static void write_shared_read_only(void)
{
    *(volatile char *)mmapc_ptr(map_or_exit(temp_or_exit(), MMAPC_PROT_READ, MMAPC_SHARED)) = 1;
}

static void write_private_read_only(void)
{
    *(volatile char *)mmapc_ptr(map_or_exit(temp_or_exit(), MMAPC_PROT_READ, 0)) = 1;
}

static const check_fault_case faults[] = {
    {"write_shared_read_only", write_shared_read_only},
    {"write_private_read_only", write_private_read_only},
    {NULL, NULL},
};

static DWORD page_protection(const mmapc_map *m)
{
    return win_query(mmapc_ptr(m)).Protect;
}

/* Each protection becomes the page protection it names, on anonymous memory and on views. */
static void test_page_protections(void)
{
    static const struct {
        mmapc_prot prot;
        DWORD anon, shared, cow;
    } table[] = {
        {MMAPC_PROT_NONE, PAGE_NOACCESS, PAGE_NOACCESS, PAGE_NOACCESS},
        {MMAPC_PROT_READ, PAGE_READONLY, PAGE_READONLY, PAGE_READONLY},
        {MMAPC_PROT_RW, PAGE_READWRITE, PAGE_READWRITE, PAGE_WRITECOPY},
        {MMAPC_PROT_RX, PAGE_EXECUTE_READ, PAGE_EXECUTE_READ, PAGE_EXECUTE_READ},
        {MMAPC_PROT_RWX, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY},
    };
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, gran, path);
    const mmapc_options jit = {.unsafe_flags = MMAPC_UNSAFE_JIT};
    const mmapc_options jit_shared = {.flags = MMAPC_SHARED, .unsafe_flags = MMAPC_UNSAFE_JIT};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        mmapc_map *a = NULL, *s = NULL, *c = NULL;
        REQUIRE_OK(mmapc_map_anon(&a, gran, table[i].prot, &jit));
        REQUIRE_OK(mmapc_map_file(&s, gran, table[i].prot, f, 0, &jit_shared));
        REQUIRE_OK(mmapc_map_file(&c, gran, table[i].prot, f, 0, &jit));
        CHECK(page_protection(a) == table[i].anon);
        CHECK(page_protection(s) == table[i].shared);
        CHECK(page_protection(c) == table[i].cow);
        /* and the same after a change to it from read+write */
        mmapc_map *maps[] = {a, s, c};
        for (int k = 0; k < 3; k++) {
            REQUIRE_OK(mmapc_protect(maps[k], MMAPC_PROT_RW));
            CHECK_OK(mmapc_protect(maps[k], table[i].prot));
            mmapc_unmap(maps[k]);
        }
    }
    tu_close(f);
    tu_remove(path);
}

/* A private writable mapping writes its own copy, never the file, even after a flush. */
static void test_copy_on_write(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, gran, path);
    mmapc_file ro = tu_open(path, 0);
    mmapc_map *c = NULL, *s = NULL;
    REQUIRE_OK(mmapc_map_file(&c, gran, MMAPC_PROT_READ, ro, 0, NULL));
    REQUIRE_OK(
        mmapc_map_file(&s, gran, MMAPC_PROT_READ, f, 0, &(mmapc_options){.flags = MMAPC_SHARED}));
    CHECK_OK(mmapc_protect(c, MMAPC_PROT_RW)); /* read access to the file is enough */
    unsigned char *p = mmapc_ptr(c);
    p[7] = 0x99;
    CHECK_OK(mmapc_flush(c, 0, gran));
    unsigned char got = 0;
    tu_read(path, 7, &got, 1);
    CHECK(got == tu_pattern(7));
    CHECK(((unsigned char *)mmapc_ptr(s))[7] == tu_pattern(7));
    mmapc_unmap(c);
    mmapc_unmap(s);
    tu_close(ro);
    tu_close(f);
    tu_remove(path);
}

/* A handle opened without execute access cannot back an executable view; one with it can. */
static void test_execute_access(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, gran, path);
    HANDLE rw = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, TU_SHARE_ALL, NULL, OPEN_EXISTING,
                            FILE_ATTRIBUTE_NORMAL, NULL);
    REQUIRE(rw != INVALID_HANDLE_VALUE);
    const mmapc_options shared = {.flags = MMAPC_SHARED};
    mmapc_map *m = NULL;

    /* with execute access (tu_temp_file's handle): read, then write, then execute */
    REQUIRE_OK(mmapc_map_file(&m, gran, MMAPC_PROT_READ, f, 0, &shared));
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RW));
    ((unsigned char *)mmapc_ptr(m))[0] = 0xc3;
    CHECK_OK(mmapc_protect(m, MMAPC_PROT_RX));
    CHECK(page_protection(m) == PAGE_EXECUTE_READ);
    mmapc_unmap(m);

    /* without it: read+write works, execute is refused and changes nothing */
    REQUIRE_OK(mmapc_map_file(&m, gran, MMAPC_PROT_RW, rw, 0, &shared));
    if (check_under_wine()) {
        CHECK_SKIP("wine makes executable sections of handles without execute access");
    } else {
        CHECK_RC(mmapc_protect(m, MMAPC_PROT_RX), MMAPC_EACCES);
        CHECK(mmapc_last_os_error() == ERROR_ACCESS_DENIED);
        CHECK(mmapc_protection(m) == MMAPC_PROT_RW && page_protection(m) == PAGE_READWRITE);
        mmapc_map *x = NULL;
        CHECK_RC(mmapc_map_file(&x, gran, MMAPC_PROT_RX, rw, 0, NULL), MMAPC_EACCES);
        CHECK(x == NULL);
    }
    ((unsigned char *)mmapc_ptr(m))[1] = 0x42;
    mmapc_unmap(m);
    unsigned char got = 0;
    tu_read(path, 1, &got, 1);
    CHECK(got == 0x42);
    CloseHandle(rw);
    tu_close(f);
    tu_remove(path);
}

int main(int argc, char **argv)
{
    gran = mmapc_allocation_granularity();
    check_fault_main(argc, argv, faults);
    check_all_faults(faults);
    test_page_protections();
    test_copy_on_write();
    test_execute_access();
    return check_done();
}
