// SPDX-License-Identifier: MIT
/* The smaps parser of memory use per area (src/usage.h): every key the kernel prints, keys of
 * later kernels skipped, and malformed entries refused with MMAPC_EPARSE. Pure code, run on every
 * platform. */
#include "check.h"

#include "../src/usage.h"

#include <inttypes.h>

/* An entry's key lines as Linux 6.x prints them, for the area 00400000-00404000. */
static const char full_entry[] = "Size:                 16 kB\n"
                                 "KernelPageSize:        4 kB\n"
                                 "MMUPageSize:           4 kB\n"
                                 "Rss:                  12 kB\n"
                                 "Pss:                   7 kB\n"
                                 "Pss_Dirty:             5 kB\n"
                                 "Shared_Clean:          3 kB\n"
                                 "Shared_Dirty:          2 kB\n"
                                 "Private_Clean:         1 kB\n"
                                 "Private_Dirty:         6 kB\n"
                                 "Referenced:           11 kB\n"
                                 "Anonymous:             8 kB\n"
                                 "KSM:                   9 kB\n"
                                 "LazyFree:             10 kB\n"
                                 "AnonHugePages:      2048 kB\n"
                                 "ShmemPmdMapped:       13 kB\n"
                                 "FilePmdMapped:        14 kB\n"
                                 "Shared_Hugetlb:       15 kB\n"
                                 "Private_Hugetlb:      17 kB\n"
                                 "Swap:                 18 kB\n"
                                 "SwapPss:              19 kB\n"
                                 "Locked:               20 kB\n"
                                 "THPeligible:           1\n"
                                 "ProtectionKey:         7\n"
                                 "VmFlags: rd wr mr mw me ac sd \n";

#define KB(n) ((uint64_t)(n)*1024)

/* Parse body (the key lines of one entry) alone; *next is checked to reach its end. */
static int parse_body(const char *body, mmapc_area_usage *u)
{
    const char *next = NULL;
    memset(u, 0x5a, sizeof *u);
    int rc = mmapc__smaps_parse_body(body, body + strlen(body), u, &next);
    CHECK(next != NULL && next >= body && next <= body + strlen(body));
    return rc;
}

static void test_full(void)
{
    mmapc_area_usage u;
    CHECK_OK(parse_body(full_entry, &u));
    CHECK(u.size == KB(16) && u.kernel_page_size == KB(4) && u.mmu_page_size == KB(4));
    CHECK(u.rss == KB(12) && u.pss == KB(7) && u.pss_dirty == KB(5));
    CHECK(u.shared_clean == KB(3) && u.shared_dirty == KB(2));
    CHECK(u.private_clean == KB(1) && u.private_dirty == KB(6));
    CHECK(u.referenced == KB(11) && u.anonymous == KB(8) && u.ksm == KB(9));
    CHECK(u.lazy_free == KB(10) && u.anon_huge_pages == KB(2048));
    CHECK(u.shmem_pmd_mapped == KB(13) && u.file_pmd_mapped == KB(14));
    CHECK(u.shared_hugetlb == KB(15) && u.private_hugetlb == KB(17));
    CHECK(u.swap == KB(18) && u.swap_pss == KB(19) && u.locked == KB(20));
    CHECK(u.thp_eligible == 1 && u.protection_key == 7);
    CHECK(u.vm_flags == (MMAPC_VM_READ | MMAPC_VM_WRITE | MMAPC_VM_MAYREAD | MMAPC_VM_MAYWRITE |
                         MMAPC_VM_MAYEXEC | MMAPC_VM_ACCOUNT | MMAPC_VM_SOFTDIRTY));
    CHECK(u.resident_shared == KB(5) && u.resident_private == KB(7));
    /* every key of an entry, and the sums; never the rollup's Pss_Anon/File/Shmem */
    uint64_t want = ((UINT64_C(1) << 30) - 1) &
                    ~(MMAPC_USAGE_PSS_ANON | MMAPC_USAGE_PSS_FILE | MMAPC_USAGE_PSS_SHMEM);
    CHECK(u.known == want);
    CHECK(u.pss_anon == 0 && u.pss_file == 0 && u.pss_shmem == 0);
}

/* An older kernel prints fewer keys: those it lacks are not known, and read 0. */
static void test_old_kernel(void)
{
    mmapc_area_usage u;
    CHECK_OK(parse_body("Size:                  4 kB\n"
                        "Rss:                   4 kB\n"
                        "Pss:                   4 kB\n"
                        "Shared_Clean:          0 kB\n"
                        "Shared_Dirty:          0 kB\n"
                        "Private_Clean:         4 kB\n"
                        "Private_Dirty:         0 kB\n"
                        "Swap:                  0 kB\n",
                        &u));
    CHECK(u.known ==
          (MMAPC_USAGE_SIZE | MMAPC_USAGE_RSS | MMAPC_USAGE_PSS | MMAPC_USAGE_SHARED_CLEAN |
           MMAPC_USAGE_SHARED_DIRTY | MMAPC_USAGE_PRIVATE_CLEAN | MMAPC_USAGE_PRIVATE_DIRTY |
           MMAPC_USAGE_SWAP | MMAPC_USAGE_RESIDENT_SHARED | MMAPC_USAGE_RESIDENT_PRIVATE));
    CHECK(u.pss_dirty == 0 && u.vm_flags == 0 && u.locked == 0 && u.thp_eligible == 0);
    CHECK(u.resident_private == KB(4));
    /* without Shared_Dirty the sum of shared pages is not known either */
    CHECK_OK(parse_body("Size: 4 kB\nRss: 4 kB\nShared_Clean: 4 kB\n", &u));
    CHECK(!(u.known & MMAPC_USAGE_RESIDENT_SHARED) && u.resident_shared == 0);
}

/* Keys and flag codes of later kernels are skipped, wherever they come. */
static void test_unknown(void)
{
    mmapc_area_usage u;
    CHECK_OK(parse_body("NewFirst:             99 kB\n"
                        "Size:                  8 kB\n"
                        "Rss:                   4 kB\n"
                        "Zswap_Pss:             3 kB\n"
                        "Some_Text: anything at all, even: colons\n"
                        "Count:                 12\n"
                        "Empty:\n"
                        "VmFlags: rd zz wr qq \n"
                        "AfterFlags:            1 kB\n",
                        &u));
    CHECK(u.size == KB(8) && u.rss == KB(4));
    CHECK(u.vm_flags == (MMAPC_VM_READ | MMAPC_VM_WRITE));
    CHECK(u.known == (MMAPC_USAGE_SIZE | MMAPC_USAGE_RSS | MMAPC_USAGE_VM_FLAGS));
    /* the keys in another order than the kernel's are found all the same */
    CHECK_OK(parse_body("Rss: 4 kB\nLocked: 4 kB\nSize: 4 kB\n", &u));
    CHECK(u.rss == KB(4) && u.locked == KB(4) && u.size == KB(4));
    /* a last line without its newline */
    CHECK_OK(parse_body("Size: 4 kB\nRss: 4 kB\nVmFlags: rd sl gu", &u));
    CHECK(u.vm_flags == (MMAPC_VM_READ | MMAPC_VM_SEALED | MMAPC_VM_MAYBE_GUARD));
    CHECK_OK(parse_body("Size: 4 kB\nRss: 4 kB", &u));
    CHECK(u.rss == KB(4));
    /* the largest count 64 bits of bytes hold */
    char big[128];
    snprintf(big, sizeof big, "Size: %" PRIu64 " kB\nRss: 0 kB\n", UINT64_MAX / 1024);
    CHECK_OK(parse_body(big, &u));
    CHECK(u.size == UINT64_MAX / 1024 * 1024);
}

/* Entries the kernel would never print: MMAPC_EPARSE, never a zero. */
static void test_malformed(void)
{
    static const char *const bad[] = {
        "Size: 4 kB\nRss: 4 MB\n",                    /* another unit */
        "Size: 4 kB\nRss: 4kB\n",                     /* no space before the unit */
        "Size: 4 kB\nRss: 4 kB extra\n",              /* something after the unit */
        "Size: 4 kB\nRss: 4\n",                       /* no unit */
        "Size: 4 kB\nRss: kB\n",                      /* no number */
        "Size: 4 kB\nRss: -4 kB\n",                   /* a sign */
        "Size: 4 kB\nRss: 0x10 kB\n",                 /* hex */
        "Size: 4 kB\nRss 4 kB\n",                     /* no colon */
        "Size: 4 kB\n: 4 kB\nRss: 4 kB\n",            /* no key */
        "Size: 4 kB\nR-s-s: 4 kB\nRss: 4 kB\n",       /* a key of other characters */
        "Size: 4 kB\n\nRss: 4 kB\n",                  /* an empty line */
        "Size: 4 kB\nRss: 4 kB\nRss: 4 kB\n",         /* a key twice */
        "Size: 4 kB\n",                               /* no Rss */
        "Rss: 4 kB\n",                                /* no Size */
        "",                                           /* no key at all */
        "Size: 4 kB\nRss: 99999999999999999999 kB\n", /* more than 64 bits of anything */
        "Size: 4 kB\nRss: 18014398509481984 kB\n",    /* 2^54 kB: more than 64 bits of bytes */
        "Size: 4 kB\nRss: 4 kB\nTHPeligible: yes\n",  /* not a number */
        "Size: 4 kB\nRss: 4 kB\nTHPeligible: 1 kB\n", /* a count with a unit */
        "Size: 4 kB\nRss: 4 kB\nProtectionKey: 4294967296\n", /* more than an int */
        "Size: 4 kB\nRss: 4 kB\nVmFlags: rdx\n",              /* three letters */
        "Size: 4 kB\nRss: 4 kB\nVmFlags: rd w\n",             /* one letter */
        "Size: 4 kB\nRss: 4 kB\nVmFlags: RD\n",               /* upper case */
        "Size: 4 kB\nRss: 4 kB\nVmFlags: r1\n",               /* a digit */
        "Size: 4 kB\nRss: 4 kB\nVmFlags: rd,wr\n",            /* another separator */
        "Size: 4 kB\nRss: 4 kB\nVmFlags: rd wr\n\n",          /* an empty line after */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mmapc_area_usage u;
        int rc = parse_body(bad[i], &u);
        if (rc != MMAPC_EPARSE)
            fprintf(stderr, "accepted: '%s'\n", bad[i]);
        CHECK_RC(rc, MMAPC_EPARSE);
    }
    /* a NUL inside a line is not its end */
    static const char nul[] = "Size: 4 kB\nRss:  \0 4 kB\n";
    mmapc_area_usage u;
    const char *next;
    CHECK_RC(mmapc__smaps_parse_body(nul, nul + sizeof nul - 1, &u, &next), MMAPC_EPARSE);
    CHECK(next > nul && next <= nul + sizeof nul - 1);
}

/* A listing of entries, walked as an iteration does: each body ends at the next header. */
static void test_listing(void)
{
    static const char text[] =
        "00400000-00401000 r-xp 00000000 08:01 12 /bin/x\n"
        "Size: 4 kB\nRss: 4 kB\nVmFlags: rd ex \n"
        "00401000-00403000 rw-p 00000000 00:00 0 \n"
        "Size: 8 kB\nRss: 0 kB\nNewKey: 1 kB\n"
        "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]\n"
        "Size: 4 kB\nRss: 0 kB\n";
    const char *end = text + sizeof text - 1, *p = strchr(text, '\n') + 1, *next;
    mmapc_area_usage u;
    CHECK_OK(mmapc__smaps_parse_body(p, end, &u, &next));
    CHECK(u.size == KB(4) && u.vm_flags == (MMAPC_VM_READ | MMAPC_VM_EXEC));
    CHECK(next == strstr(text, "00401000-00403000"));
    CHECK(mmapc__smaps_is_header(next));
    p = strchr(next, '\n') + 1;
    CHECK_OK(mmapc__smaps_parse_body(p, end, &u, &next));
    CHECK(u.size == KB(8) && next == strstr(text, "ffffffffff600000"));
    p = strchr(next, '\n') + 1;
    CHECK_OK(mmapc__smaps_parse_body(p, end, &u, &next));
    CHECK(next == end);
    CHECK(!mmapc__smaps_is_header("Size: 4 kB\n") && !mmapc__smaps_is_header("abc: 1 kB\n"));
    CHECK(!mmapc__smaps_is_header("-1\n") && !mmapc__smaps_is_header(""));
}

static void test_rollup(void)
{
    static const char rollup[] = "55d1e5a4b000-7ffd2a7ed000 ---p 00000000 00:00 0      [rollup]\n"
                                 "Rss:                1676 kB\n"
                                 "Pss:                 291 kB\n"
                                 "Pss_Dirty:           116 kB\n"
                                 "Pss_Anon:            116 kB\n"
                                 "Pss_File:            175 kB\n"
                                 "Pss_Shmem:             0 kB\n"
                                 "Shared_Clean:       1536 kB\n"
                                 "Shared_Dirty:          0 kB\n"
                                 "Private_Clean:        24 kB\n"
                                 "Private_Dirty:       116 kB\n"
                                 "Locked:                0 kB\n";
    mmapc_area_usage u;
    CHECK_OK(mmapc__smaps_parse_rollup(rollup, sizeof rollup - 1, &u));
    CHECK(u.rss == KB(1676) && u.pss == KB(291) && u.pss_anon == KB(116));
    CHECK(u.pss_file == KB(175) && u.resident_shared == KB(1536) && u.resident_private == KB(140));
    CHECK((u.known & MMAPC_USAGE_PSS_FILE) && !(u.known & MMAPC_USAGE_SIZE));
    /* a process without areas: an empty file */
    memset(&u, 0x5a, sizeof u);
    CHECK_OK(mmapc__smaps_parse_rollup("", 0, &u));
    CHECK(u.known == 0 && u.rss == 0 && u.vm_flags == 0);
    static const char *const bad[] = {
        "Rss: 4 kB\n",                                                     /* no header */
        "55d1e5a4b000-7ffd2a7ed000 ---p 00000000 00:00 0      [rollup]\n", /* no Rss */
        "55d1e5a4b000-7ffd2a7ed000 ---p 00000000 00:00 0      [rollup]\nRss: 4 MB\n",
        ("55d1e5a4b000-7ffd2a7ed000 ---p 00000000 00:00 0      [rollup]\nRss: 4 kB\n"
         "00400000-00401000 r-xp 00000000 08:01 12 /bin/x\nSize: 4 kB\nRss: 4 kB\n"), /* two */
        "55d1e5a4b000-7ffd2a7ed000 ---p 00000000 00:00 0      [rollup]", /* cut after the header */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_RC(mmapc__smaps_parse_rollup(bad[i], strlen(bad[i]), &u), MMAPC_EPARSE);
}

static void test_flag_names(void)
{
    static const char *const codes[] = {
        "rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "pf", "dw", "lo", "io", "sr",
        "rr", "dc", "de", "ac", "nr", "ht", "sf", "nl", "ar", "wf", "dd", "sd", "mm", "hg",
        "nh", "mg", "um", "uw", "mp", "bt", "mt", "ui", "ss", "sl", "lf", "dp", "gu",
    };
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        const char *name = mmapc_vm_flag_name(UINT64_C(1) << i);
        CHECK(name && strcmp(name, codes[i]) == 0);
        /* and the parser sets that very bit for the code */
        char body[64];
        mmapc_area_usage u;
        snprintf(body, sizeof body, "Size: 4 kB\nRss: 4 kB\nVmFlags: %s \n", codes[i]);
        CHECK_OK(parse_body(body, &u));
        CHECK(u.vm_flags == UINT64_C(1) << i);
    }
    CHECK(mmapc_vm_flag_name(MMAPC_VM_SEALED) &&
          strcmp(mmapc_vm_flag_name(MMAPC_VM_SEALED), "sl") == 0);
    CHECK(mmapc_vm_flag_name(0) == NULL);
    CHECK(mmapc_vm_flag_name(MMAPC_VM_READ | MMAPC_VM_WRITE) == NULL);
    CHECK(mmapc_vm_flag_name(UINT64_C(1) << n) == NULL);
    CHECK(mmapc_vm_flag_name(UINT64_C(1) << 63) == NULL);
}

static void test_sum(void)
{
    mmapc_area_usage a, b, sum;
    CHECK_OK(parse_body(full_entry, &a));
    CHECK_OK(parse_body("Size: 4 kB\nKernelPageSize: 4 kB\nRss: 4 kB\nPss: 2 kB\n"
                        "Shared_Clean: 0 kB\nShared_Dirty: 0 kB\nPrivate_Clean: 0 kB\n"
                        "Private_Dirty: 4 kB\nVmFlags: rd\n",
                        &b));
    memset(&sum, 0, sizeof sum);
    sum.known = UINT64_MAX;
    mmapc__usage_add(&sum, &a);
    mmapc__usage_add(&sum, &b);
    CHECK(sum.size == KB(20) && sum.rss == KB(16) && sum.pss == KB(9));
    CHECK(sum.resident_private == KB(11) && sum.swap == KB(18));
    CHECK(sum.kernel_page_size == 0 && sum.vm_flags == 0); /* not summed */
    /* only what both knew */
    CHECK(sum.known ==
          (MMAPC_USAGE_SIZE | MMAPC_USAGE_RSS | MMAPC_USAGE_PSS | MMAPC_USAGE_SHARED_CLEAN |
           MMAPC_USAGE_SHARED_DIRTY | MMAPC_USAGE_PRIVATE_CLEAN | MMAPC_USAGE_PRIVATE_DIRTY |
           MMAPC_USAGE_RESIDENT_SHARED | MMAPC_USAGE_RESIDENT_PRIVATE));
}

int main(void)
{
    test_full();
    test_old_kernel();
    test_unknown();
    test_malformed();
    test_listing();
    test_rollup();
    test_flag_names();
    test_sum();
    return check_done();
}
