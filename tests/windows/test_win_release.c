// SPDX-License-Identifier: MIT
/* Windows releases an allocation or a view only whole: split pieces share it, a piece that goes
 * is decommitted (anonymous) or made inaccessible (file), and the last piece releases it all.
 * File reservations are address space only until a piece is committed. */
#include "winutil.h"

static size_t ps, gran;

/* A freed piece of a file view stays in the view but can no longer be read. */
static void read_freed_file_piece(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 2 * gran, path);
    mmapc_map *m = NULL, *back = NULL;
    if (mmapc_map_file(&m, 2 * gran, MMAPC_PROT_READ, f, 0, NULL) ||
        mmapc_split_off(m, gran, &back))
        exit(2);
    volatile unsigned char *p = mmapc_ptr(back);
    mmapc_unmap(back);
    (void)*p;
}

/* The piece of a file reservation that was not committed stays inaccessible after another
 * piece was (the whole view is mapped by then). */
static void read_uncommitted_file_piece(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 2 * gran, path);
    mmapc_map *m = NULL, *back = NULL;
    if (mmapc_reserve_file(&m, 2 * gran, MMAPC_PROT_READ, f, 0, NULL) ||
        mmapc_split_off(m, gran, &back) || mmapc_commit(m))
        exit(2);
    (void)*(volatile unsigned char *)mmapc_ptr(m);
    (void)*(volatile unsigned char *)mmapc_ptr(back);
}

static const check_fault_case faults[] = {
    {"read_freed_file_piece", read_freed_file_piece},
    {"read_uncommitted_file_piece", read_uncommitted_file_piece},
    {NULL, NULL},
};

static void test_anon_pieces(void)
{
    mmapc_map *m = NULL, *back = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, NULL));
    unsigned char *base = mmapc_ptr(m);
    REQUIRE_OK(mmapc_split_off(m, ps, &back));
    mmapc_unmap(m);
    MEMORY_BASIC_INFORMATION mi = win_query(base);
    CHECK(mi.State == MEM_RESERVE && mi.AllocationBase == base); /* decommitted, still ours */
    unsigned char *b = mmapc_ptr(back);
    b[0] = 1;
    b[3 * ps - 1] = 2;
    CHECK(win_query(b).State == MEM_COMMIT);
    mmapc_unmap(back);
    CHECK(win_query(base).State == MEM_FREE); /* the last piece released the allocation */

    /* pieces merged back are one handle again; freeing it releases everything */
    REQUIRE_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, NULL));
    base = mmapc_ptr(m);
    REQUIRE_OK(mmapc_split_to(m, 2 * ps, &back));
    REQUIRE_OK(mmapc_merge(m, back));
    CHECK(win_query(base).State == MEM_COMMIT);
    mmapc_unmap(m);
    CHECK(win_query(base).State == MEM_FREE);
}

static void test_file_pieces(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 3 * gran, path);
    mmapc_map *m = NULL, *back = NULL;
    /* wine opens a few handles of its own for the first view of a process: count after it */
    REQUIRE_OK(mmapc_map_file(&m, gran, MMAPC_PROT_READ, f, 0, NULL));
    mmapc_unmap(m);
    int handles = tu_open_files();
    REQUIRE_OK(mmapc_map_file(&m, 3 * gran, MMAPC_PROT_READ, f, 0, NULL));
    unsigned char *base = mmapc_ptr(m);
    REQUIRE_OK(mmapc_split_off(m, gran, &back));
    mmapc_unmap(m);
    MEMORY_BASIC_INFORMATION mi = win_query(base);
    CHECK(mi.Type == MEM_MAPPED && mi.Protect == PAGE_NOACCESS);
    unsigned char *b = mmapc_ptr(back);
    CHECK(b[0] == tu_pattern(gran) && b[2 * gran - 1] == tu_pattern(3 * gran - 1));
    mmapc_unmap(back);
    CHECK(win_query(base).State == MEM_FREE);
    CHECK(tu_open_files() == handles); /* the section went with the view */
    tu_close(f);
    tu_remove(path);
}

static void test_file_reservation(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 4 * gran, path);
    int handles = tu_open_files();
    mmapc_map *m = NULL, *back = NULL;
    const mmapc_options shared = {.flags = MMAPC_SHARED};
    REQUIRE_OK(mmapc_reserve_file(&m, 4 * gran, MMAPC_PROT_RW, f, 0, &shared));
    unsigned char *base = mmapc_ptr(m);
    MEMORY_BASIC_INFORMATION mi = win_query(base);
    CHECK(mi.State == MEM_RESERVE); /* address space only, no view yet */
    REQUIRE_OK(mmapc_split_off(m, gran, &back));
    CHECK_OK(mmapc_commit(back));
    mi = win_query(mmapc_ptr(back));
    CHECK(mi.Type == MEM_MAPPED && mi.State == MEM_COMMIT && mi.Protect == PAGE_READWRITE);
    CHECK(mi.AllocationBase == base); /* the whole view, in place of the reservation */
    CHECK(win_query(base).Protect == PAGE_NOACCESS); /* still reserved */
    unsigned char *b = mmapc_ptr(back);
    CHECK(b[0] == tu_pattern(gran));
    b[1] = 0xab;
    CHECK_OK(mmapc_flush(back, 0, 2));
    unsigned char got = 0;
    tu_read(path, gran + 1, &got, 1);
    CHECK(got == 0xab);
    CHECK_OK(mmapc_commit(m));
    CHECK(base[5] == tu_pattern(5));
    CHECK_OK(mmapc_merge(m, back));
    CHECK(mmapc_size(m) == 4 * gran);
    mmapc_unmap(m);
    CHECK(win_query(base).State == MEM_FREE);
    CHECK(tu_open_files() == handles);

    /* a reservation given back before any commit */
    REQUIRE_OK(mmapc_reserve_file(&m, 2 * gran, MMAPC_PROT_READ, f, 0, NULL));
    base = mmapc_ptr(m);
    mmapc_unmap(m);
    CHECK(win_query(base).State == MEM_FREE);
    CHECK(tu_open_files() == handles);
    tu_close(f);
    tu_remove(path);
}

/* Pieces of one file reservation committed by several threads at once: the first maps the
 * view, the others wait for it, and every piece ends up with its own bytes of the file. */
#define PIECES 8
static mmapc_map *pieces[PIECES];
static int piece_rc[PIECES];
static HANDLE go;

static DWORD WINAPI commit_piece(LPVOID arg)
{
    size_t i = (size_t)(uintptr_t)arg;
    WaitForSingleObject(go, INFINITE);
    piece_rc[i] = mmapc_commit(pieces[i]);
    return 0;
}

static void test_concurrent_commits(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, PIECES * gran, path);
    go = CreateEventA(NULL, TRUE, FALSE, NULL);
    REQUIRE(go != NULL);
    for (int round = 0; round < 20; round++) {
        ResetEvent(go);
        REQUIRE_OK(mmapc_reserve_file(&pieces[0], PIECES * gran, MMAPC_PROT_READ, f, 0, NULL));
        for (size_t i = PIECES - 1; i > 0; i--)
            REQUIRE_OK(mmapc_split_off(pieces[0], i * gran, &pieces[i]));
        HANDLE threads[PIECES];
        for (size_t i = 0; i < PIECES; i++) {
            threads[i] = CreateThread(NULL, 0, commit_piece, (LPVOID)(uintptr_t)i, 0, NULL);
            REQUIRE(threads[i] != NULL);
        }
        SetEvent(go); /* all at once */
        WaitForMultipleObjects(PIECES, threads, TRUE, INFINITE);
        int ok = 1;
        for (size_t i = 0; i < PIECES; i++) {
            CloseHandle(threads[i]);
            ok &= piece_rc[i] == 0 && !mmapc_is_reserved(pieces[i]);
            ok &= piece_rc[i] == 0 &&
                  ((unsigned char *)mmapc_ptr(pieces[i]))[3] == tu_pattern(i * gran + 3);
        }
        CHECK(ok);
        for (size_t i = 0; i < PIECES; i++)
            mmapc_unmap(pieces[i]);
    }
    CloseHandle(go);
    tu_close(f);
    tu_remove(path);
}

int main(int argc, char **argv)
{
    ps = mmapc_page_size();
    gran = mmapc_allocation_granularity();
    check_fault_main(argc, argv, faults);
    check_all_faults(faults);
    test_anon_pieces();
    test_file_pieces();
    test_file_reservation();
    test_concurrent_commits();
    return check_done();
}
