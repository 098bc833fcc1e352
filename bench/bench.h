// SPDX-License-Identifier: MIT
/* Shared by the files of the benchmark program: the harness, the raw baselines, the rows. */
#ifndef MMAPC_BENCH_H
#define MMAPC_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* The C++ rows (cxx.cpp) include this too. */
#ifdef __cplusplus
#define BENCH_NORETURN [[noreturn]]
extern "C" {
#else
#define BENCH_NORETURN _Noreturn
#endif

/* ---- harness (harness.c) and output (report.c) ---- */

/* One operation to time; it stops the program through bench_die() if it fails. */
typedef void (*bench_fn)(void *ctx);

typedef struct bench_variant {
    const char *name; /* the baseline's name in the table ("mmap+munmap") */
    bench_fn fn;
    void *ctx;
} bench_variant;

#define BENCH_MAX_VARIANTS 4

typedef struct bench_result {
    double median_ns[BENCH_MAX_VARIANTS]; /* per operation, median over the rounds */
    double ratio[BENCH_MAX_VARIANTS];     /* variant 0 / variant i, median of per-round ratios */
} bench_result;

typedef struct bench_config {
    int quick;           /* CI mode: few short rounds, smaller sizes */
    int rounds;          /* rounds of one block per variant */
    double block_ns;     /* aim of one block's duration */
    const char *out_dir; /* where the CSV (and the file of the file rows) go */
} bench_config;

extern bench_config bench_cfg;

/* Time the variants interleaved: every round runs one block of each, in alternating order,
 * with the same number of operations per block. rounds 0 means bench_cfg.rounds. */
void bench_run(const bench_variant *v, int nv, int rounds, bench_result *out);
/* Nanoseconds of a monotonic clock. */
double bench_now_ns(void);

/* One line of the table and of the CSV. baseline NULL: an absolute figure with no ratio. */
void bench_row(const char *op, const char *param, double mmapc_ns, const char *baseline,
               double base_ns, double ratio, const char *target, const char *note);
/* A line of text under the table (and a comment in the CSV). */
void bench_note(const char *fmt, ...);
/* Open DIR/bench.csv and DIR/bench.md (report.c); close them, notes at the end of the latter. */
int bench_report_open(const char *dir);
void bench_report_close(void);
void bench_print_machine(void);
BENCH_NORETURN void bench_die(const char *what, int code);

/* ---- raw baselines (raw.c): plain system calls, no mmapc ---- */

/* struct procmap_query of the kernel's UAPI linux/fs.h (Linux 6.11+), which older C library
 * headers (Debian 12's) lack, and its request, _IOWR('f', 17, struct procmap_query). */
struct raw_query_args {
    uint64_t size;
    uint64_t query_flags;
    uint64_t query_addr;
    uint64_t vma_start;
    uint64_t vma_end;
    uint64_t vma_flags;
    uint64_t vma_page_size;
    uint64_t vma_offset;
    uint64_t inode;
    uint32_t dev_major;
    uint32_t dev_minor;
    uint32_t vma_name_size;
    uint32_t build_id_size;
    uint64_t vma_name_addr;
    uint64_t build_id_addr;
};
#define RAW_PROCMAP_QUERY 0xc0686611u
/* The request's type in ioctl(): unsigned long in glibc, int in musl and POSIX. */
#ifdef __GLIBC__
typedef unsigned long raw_ioctl_request;
#else
typedef int raw_ioctl_request;
#endif

/* The PROCMAP_QUERY ioctl on a /proc/<pid>/maps descriptor: 0, or -errno. The area holding
 * addr (not the next one), its name copied into name. */
int raw_procmap_query(int fd, uint64_t addr, uint64_t *start, uint64_t *end, char *name,
                      uint32_t name_size);
/* Whether this kernel answers PROCMAP_QUERY. */
int raw_procmap_available(void);
/* Read the whole of /proc/self/maps into *buf (grown as needed); returns its length or -1. */
long raw_read_maps(char **buf, size_t *cap);
/* The same for any file (/proc/PID/smaps...). */
long raw_read_file(const char *path, char **buf, size_t *cap);
/* Start of the line of text holding addr, parsed with sscanf line by line; 0 if none. */
uint64_t raw_text_find(const char *text, uint64_t addr);
/* Number of newlines in text[0, len). */
size_t raw_count_lines(const char *text, size_t len);

/* A set of `count` separate memory areas (alternating protections, so none merge). */
typedef struct extra_areas {
    void *base;
    size_t size;
} extra_areas;
int extra_areas_make(extra_areas *e, size_t count);
void extra_areas_free(extra_areas *e);

/* An isolated hole for the mappings of a create + destroy row (hole.c): len bytes at `at`
 * between two PROT_NONE guard pages, with every higher gap that len would fit in plugged, so
 * that mmap without a hint lands at `at` and neither merges with nor splits a neighbour. */
#define BENCH_HOLE_PLUGS 64
typedef struct bench_hole {
    void *at;
    size_t len;
    void *base; /* the reservation: guard, hole, guard */
    size_t whole;
    void *plug[BENCH_HOLE_PLUGS];
    int plugs;
} bench_hole;
/* 0, or -1 when the hole cannot be made (mmap failed, or too many gaps to plug). */
int bench_hole_make(bench_hole *h, size_t len);
void bench_hole_free(bench_hole *h);

/* ---- rows (one file each) ---- */
void bench_map_rows(void);       /* create+destroy; split+merge (map.c) */
void bench_areas_rows(void);     /* query and enumerate with N extra areas (areas.c) */
void bench_file_rows(void);      /* sum a file through a mapping (file.c) */
void bench_shm_rows(void);       /* ring push+pop; object create+view+destroy (shm.c) */
void bench_range_rows(void);     /* decommit cycle, advice, residency (range.c) */
void bench_file_size_rows(void); /* grow with mremap, whole-file map (file_size.c) */
void bench_guard_rows(void);     /* guarded copy against memcpy (guard.c) */
void bench_tool_rows(void);      /* mmapc areas -x against a read of smaps (tool.c) */
void bench_usage_rows(void);     /* enumerate, totals, query with memory use (usage.c) */
void bench_inspect_rows(void);   /* build-id query, read of another process (inspect.c) */
void bench_pages_rows(void);     /* page state of 1 GiB, 1% written, against pagemap (pages.c) */
int bench_syscall_check(void);   /* split+merge under seccomp (syscalls.c): 0 ok, 1 failed */
void bench_cxx_rows(void);
void bench_track_rows(void);
/* write tracking: report, first write, restore (track.c) */ /* mmapc.hpp's owners against the C
                                                                calls (cxx.cpp) */

#ifdef __cplusplus
}
#endif

#endif
