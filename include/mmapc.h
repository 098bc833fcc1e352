// SPDX-License-Identifier: MIT
/**
 * @file mmapc.h
 * @brief mmapc: safe memory mappings on every major OS.
 *
 * The whole public API of libmmapc. Conventions:
 * - every function that can fail returns `int`: 0 on success or a negative
 *   `MMAPC_E*` code, and writes its result through an out-pointer only on success;
 * - functions that cannot fail return their value directly;
 * - destructors accept NULL;
 * - option structs mean "defaults" when all-zero, and NULL means defaults too.
 *
 * Distinct handles may be used from distinct threads at the same time; one handle
 * must not be used by two threads at once without the caller's own locking.
 */
#ifndef MMAPC_H
#define MMAPC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Version */
/**@{*/
/** Major version: changes when the API or ABI breaks (the shared library's SONAME). */
#define MMAPC_VERSION_MAJOR 0
/** Minor version: changes when calls are added. */
#define MMAPC_VERSION_MINOR 2
/** Patch version: changes for fixes only. */
#define MMAPC_VERSION_PATCH 0
/** The version as text, "MAJOR.MINOR.PATCH": CMake, pkg-config and the packages read it here. */
#define MMAPC_VERSION_STRING "0.2.0"
/** The version as one comparable number: major * 10000 + minor * 100 + patch. */
#define MMAPC_VERSION                                                                              \
    (MMAPC_VERSION_MAJOR * 10000 + MMAPC_VERSION_MINOR * 100 + MMAPC_VERSION_PATCH)
/**@}*/

/** Marks every exported symbol. Define MMAPC_STATIC when linking the static library on Windows. */
#if defined(_WIN32) && !defined(MMAPC_STATIC)
#ifdef MMAPC_BUILDING
#define MMAPC_API __declspec(dllexport)
#else
#define MMAPC_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define MMAPC_API __attribute__((visibility("default")))
#else
#define MMAPC_API
#endif

/** The run-time version, to compare with MMAPC_VERSION_STRING of the header one built with. */
MMAPC_API const char *mmapc_version(void);

/* ------------------------------------------------------------------------------------------ */
/** @name Errors
 * Every code with its name and message, in one list. Values are the same on every platform.
 * X(NAME, value, message)
 */
/**@{*/
/** Applies X(NAME, value, message) to every error code, for tables of codes, names and messages.
 *  NAME lacks the MMAPC_ prefix (EINVAL_SIZE stands for MMAPC_EINVAL_SIZE). */
#define MMAPC_ERROR_LIST(X)                                                                        \
    X(EINVAL_SIZE, -1, "invalid size: zero, too large, or past the end of the file")               \
    X(EINVAL_OFFSET, -2, "invalid offset or range: unaligned, reversed or out of bounds")          \
    X(EINVAL_ARG, -3, "invalid argument: NULL handle, unknown flag or protection")                 \
    X(EINVAL_OP, -4, "operation invalid in the mapping's state (reserved, not committed)")         \
    X(EINVAL_ADDR, -5, "invalid address: unaligned, or missing where one is required")             \
    X(ENOT_ADJACENT, -6, "mappings are not adjacent")                                              \
    X(EATTR_MISMATCH, -7, "mappings differ in protection, flags or state")                         \
    X(EBACKING_MISMATCH, -8, "mappings differ in backing (allocation, file or file offset)")       \
    X(EUNSAFE_FLAG, -9, "operation needs an unsafe flag (JIT for RWX, FIXED for a fixed address)") \
    X(EUNSUPPORTED, -10, "not supported on this platform or by this kernel")                       \
    X(EPARSE, -11, "could not parse the memory-area description")                                  \
    X(EINVAL_NAME, -12, "invalid name: empty, too long, . or .., or a '/' or '\\' past byte 1")    \
    X(EHANDLER, -13, "another SIGBUS/SIGSEGV handler displaced mmapc's fault guard")               \
    X(ENOMEM, -20, "out of memory or address space")                                               \
    X(EACCES, -21, "access denied (file mode or protection does not allow it)")                    \
    X(EPERM, -22, "operation not permitted (privilege or policy)")                                 \
    X(EBADF, -23, "bad file descriptor or handle")                                                 \
    X(ESRCH, -24, "no such process")                                                               \
    X(ELIMIT, -25, "would exceed a resource limit (locked memory, open files, map count)")         \
    X(EEXIST, -26, "already exists: address range in use, or object name taken")                   \
    X(ENOTFOUND, -27, "not found: no memory area at that address, or no such name")                \
    X(EIO, -28, "input/output error")                                                              \
    X(EBUSY, -29, "resource busy")                                                                 \
    X(EOS, -30, "other operating-system error (see mmapc_last_os_error)")                          \
    X(ENOSPC, -31, "no space left on the device for the file's storage")

/** Error codes. 0 is success; every error is negative. */
typedef enum mmapc_error {
    MMAPC_OK = 0,
#define MMAPC__ERROR_ENUM(name, value, message) MMAPC_##name = value,
    MMAPC_ERROR_LIST(MMAPC__ERROR_ENUM)
#undef MMAPC__ERROR_ENUM
} mmapc_error;

/** A sentence that describes @p code ("unknown error" for a code not in the list). */
MMAPC_API const char *mmapc_strerror(int code);
/** The symbolic name of @p code, e.g. "MMAPC_EINVAL_SIZE" ("MMAPC_OK" for 0). */
MMAPC_API const char *mmapc_err_name(int code);
/**
 * The raw OS error (errno on POSIX, GetLastError() on Windows) of the last failed OS call
 * made by mmapc in the calling thread, or 0 if the last failure was not an OS failure.
 */
MMAPC_API int mmapc_last_os_error(void);
/**@}*/

/* ------------------------------------------------------------------------------------------ */
/** @name Protections, flags and options */
/**@{*/

/** Page protection. Only the five combinations below are accepted. */
typedef enum mmapc_prot {
    MMAPC_PROT_NONE = 0,
    MMAPC_PROT_READ = 1,
    MMAPC_PROT_WRITE = 2,
    MMAPC_PROT_EXEC = 4,
    MMAPC_PROT_RW = MMAPC_PROT_READ | MMAPC_PROT_WRITE,
    MMAPC_PROT_RX = MMAPC_PROT_READ | MMAPC_PROT_EXEC,
    /** Read, write and execute: refused with MMAPC_EUNSAFE_FLAG unless MMAPC_UNSAFE_JIT. */
    MMAPC_PROT_RWX = MMAPC_PROT_READ | MMAPC_PROT_WRITE | MMAPC_PROT_EXEC
} mmapc_prot;

/**
 * Flags of a mapping. A flag that a platform cannot honour is a documented no-op there;
 * a flag that it could honour but that fails is an error and no mapping is left behind.
 */
enum mmapc_flag {
    /** Shared: writes are seen by other mappings of the same file and reach the file.
     *  Without it the mapping is private (copy-on-write). No-op for anonymous memory on
     *  Windows, which has no fork() to share it with. */
    MMAPC_SHARED = 1u << 0,
    /** Fault every page in at creation (Linux MAP_POPULATE; elsewhere a touch of each page). */
    MMAPC_POPULATE = 1u << 1,
    /** Do not reserve swap / commit charge (Linux MAP_NORESERVE; no-op on Windows). */
    MMAPC_NO_RESERVE = 1u << 2,
    /** Back with huge pages (Linux hugetlbfs; Windows large pages). See mmapc_options::page_size.
     *  Windows: needs SeLockMemoryPrivilege (MMAPC_EPERM without it), and large pages cannot
     *  be reserved without being committed (mmapc_reserve_anon() is MMAPC_EUNSUPPORTED). */
    MMAPC_HUGE_PAGES = 1u << 3,
    /** Ask for transparent huge pages (Linux madvise(MADV_HUGEPAGE); no-op elsewhere). */
    MMAPC_TRANSPARENT_HUGE_PAGES = 1u << 4,
    /** Memory for a thread stack (Linux MAP_STACK; no-op on Windows). */
    MMAPC_STACK = 1u << 5,
    /** Leave out of core dumps (Linux MADV_DONTDUMP; no-op on Windows). */
    MMAPC_NO_CORE_DUMP = 1u << 6,
    /** Lock the pages in memory at creation (mlock / VirtualLock); MMAPC_ELIMIT past
     *  RLIMIT_MEMLOCK, and then no mapping is left behind.
     *  On Windows the process's working-set size is the limit, and inaccessible memory
     *  (MMAPC_PROT_NONE) cannot be locked (MMAPC_EACCES). */
    MMAPC_LOCKED = 1u << 7,
    /** Access will be sequential (MADV_SEQUENTIAL; no-op on Windows). */
    MMAPC_SEQUENTIAL = 1u << 8,
    /** Access will be random (MADV_RANDOM; no-op on Windows). Not with MMAPC_SEQUENTIAL. */
    MMAPC_RANDOM_ACCESS = 1u << 9,
    /** The pages will be needed soon (MADV_WILLNEED; PrefetchVirtualMemory on Windows). */
    MMAPC_WILL_NEED = 1u << 10,
    /** The pages will not be needed soon: MADV_DONTNEED at creation (at commit for a
     *  reservation), before anything was written, so no data is lost; the kernel drops any
     *  pages it read ahead (populate, will-need). Not with MMAPC_WILL_NEED. No-op on Windows. */
    MMAPC_DONT_NEED = 1u << 11,
    /** Place the mapping at mmapc_options::address exactly, or fail with MMAPC_EEXIST if
     *  anything is mapped there (never replaces). Safe, unlike MMAPC_UNSAFE_FIXED. On Windows the
     *  address must be a multiple of the 64 KiB allocation granularity (MMAPC_EINVAL_ADDR). */
    MMAPC_FIXED_NOREPLACE = 1u << 12,
    /** Track the writes to the mapping from its creation, as mmapc_track_start() with flags 0
     *  would just after it (see "Write tracking"); a failure to start is the creation's error
     *  and no mapping is left behind. A reservation is tracked from each mmapc_commit() (a
     *  failure to start there decommits it again and is the commit's error); a file
     *  reservation cannot have it (MMAPC_EINVAL_OP); an empty mapping is not tracked. Windows
     * watches only the writes to anonymous memory allocated with MEM_WRITE_WATCH, which this flag
     * asks for: a file mapping (MMAPC_EUNSUPPORTED) cannot have it there, nor huge pages
     * (MMAPC_EUNSUPPORTED). */
    MMAPC_TRACK_WRITES = 1u << 13,
};

/** Flags that can break memory safety; they go in mmapc_options::unsafe_flags only. */
enum mmapc_unsafe_flag {
    /** Place the mapping at mmapc_options::address exactly, replacing whatever is mapped there.
     *  Windows cannot replace a mapping: there it is MMAPC_EUNSUPPORTED over a used range and
     *  places the mapping over a free one (address aligned as for MMAPC_FIXED_NOREPLACE). */
    MMAPC_UNSAFE_FIXED = 1u << 24,
    /** Permit read+write+exec memory (at creation and in mmapc_protect). */
    MMAPC_UNSAFE_JIT = 1u << 25,
};

/** Every safe flag, for validation. */
#define MMAPC_FLAGS_ALL ((1u << 14) - 1u)
/** Every unsafe flag, for validation. */
#define MMAPC_UNSAFE_FLAGS_ALL (MMAPC_UNSAFE_FIXED | MMAPC_UNSAFE_JIT)

/** Options of a new mapping. All-zero (or a NULL pointer) means the defaults. */
typedef struct mmapc_options {
    /** Bitwise OR of `enum mmapc_flag`. An unsafe flag here is MMAPC_EUNSAFE_FLAG. */
    unsigned flags;
    /** Bitwise OR of `enum mmapc_unsafe_flag`. */
    unsigned unsafe_flags;
    /** Address hint; the exact address with MMAPC_FIXED_NOREPLACE or MMAPC_UNSAFE_FIXED.
     *  Must be aligned to the page size (to the huge page size with huge pages). */
    void *address;
    /** With MMAPC_HUGE_PAGES, the huge page size (a power of two among mmapc_page_sizes());
     *  0 picks the system's default huge page size. Must be 0 without MMAPC_HUGE_PAGES. */
    size_t page_size;
    /** Alignment of the mapping's start: 0 for none, or a power of two at least the mapping's
     *  page size (MMAPC_EINVAL_ARG otherwise), e.g. 2 MiB or 1 GiB so that transparent huge
     *  pages can back it from its first byte. POSIX reserves size + alignment and gives back
     *  the unaligned head and tail; Windows, whose allocations start on the 64 KiB granularity
     *  anyway, finds an aligned free range and allocates there, trying again (a bounded number
     *  of times, MMAPC_ENOMEM after) when another thread takes it in between. With an
     *  address (hint or exact) the address must be a multiple of it (MMAPC_EINVAL_ADDR). */
    size_t alignment;
} mmapc_options;

/** A file to map: a file descriptor on POSIX, a HANDLE on Windows. */
#ifdef _WIN32
typedef void *mmapc_file;
#else
typedef int mmapc_file;
#endif
/**@}*/

/* ------------------------------------------------------------------------------------------ */
/** @name Mappings */
/**@{*/

/** A mapping owned by the caller. Opaque; free with mmapc_unmap(). */
typedef struct mmapc_map mmapc_map;

/**
 * Map @p size bytes of anonymous memory (zero-filled) with protection @p prot.
 *
 * @p size is rounded up to the page size (the huge page size with MMAPC_HUGE_PAGES);
 * mmapc_size() tells the rounded size.
 * @return 0 and `*out` set; MMAPC_EINVAL_SIZE (0 or too large), MMAPC_EINVAL_ARG (bad
 * protection, unknown flag, NULL out), MMAPC_EUNSAFE_FLAG (RWX without JIT, unsafe flag in
 * `flags`), MMAPC_EINVAL_ADDR, MMAPC_EEXIST, or an OS error code.
 */
MMAPC_API int mmapc_map_anon(mmapc_map **out, size_t size, mmapc_prot prot,
                             const mmapc_options *options);

/**
 * Map @p size bytes of @p file starting at @p offset.
 *
 * @p offset may be any offset: the system maps from the multiple of
 * mmapc_allocation_granularity() below it, and mmapc_ptr() points at the byte at @p offset.
 * mmapc_size() is @p size exactly, not rounded, and mmapc_end() is mmapc_ptr() + @p size: the
 * system maps whole pages, but the bytes of the last page past the size are not the caller's
 * (see "Files that change size"). The mapping must end at or below the last file byte the
 * platform can map (MMAPC_EINVAL_OFFSET):
 * 2^44 in a 32-bit POSIX program (mmap2 counts the offset in 4096-byte units in 32 bits),
 * 2^63 - 1 elsewhere.
 * The range must lie inside the file: an offset past the end is MMAPC_EINVAL_OFFSET and a size
 * that reaches past the end is MMAPC_EINVAL_SIZE, so that no access can raise SIGBUS at
 * creation time (a file truncated later by someone else still can). A device has no size to
 * check against; there a size whose pages (with the bytes before an unaligned @p offset) do not
 * fit in the address space is MMAPC_EINVAL_SIZE. The mapping does not keep
 * @p file open; closing it afterwards is fine. A shared writable mapping needs a file opened
 * for reading and writing (MMAPC_EACCES otherwise); private mappings need only read access.
 * On Windows an executable mapping, or a later change to an executable protection, needs a
 * handle opened with execute access too (GENERIC_EXECUTE; MMAPC_EACCES otherwise).
 */
MMAPC_API int mmapc_map_file(mmapc_map **out, size_t size, mmapc_prot prot, mmapc_file file,
                             uint64_t offset, const mmapc_options *options);

/**
 * Reserve address space for an anonymous mapping without committing memory.
 * The range is inaccessible (and costs no commit charge) until mmapc_commit() applies @p prot
 * and the flags. Arguments are checked as in mmapc_map_anon().
 */
MMAPC_API int mmapc_reserve_anon(mmapc_map **out, size_t size, mmapc_prot prot,
                                 const mmapc_options *options);

/**
 * Reserve address space for a file mapping; mmapc_commit() maps the file there.
 * Arguments are checked now as in mmapc_map_file(), the file's access included (a shared writable
 * reservation of a file open read-only is MMAPC_EACCES now, not at commit), and again at commit.
 * The reservation keeps its own duplicate of @p file until it is committed or unmapped. Its size
 * is @p size exactly, as for mmapc_map_file(), before and after the commit; at commit the file
 * must still hold those bytes (MMAPC_EINVAL_SIZE otherwise, the reservation kept).
 */
MMAPC_API int mmapc_reserve_file(mmapc_map **out, size_t size, mmapc_prot prot, mmapc_file file,
                                 uint64_t offset, const mmapc_options *options);

/**
 * Commit a reserved mapping: it becomes accessible with the protection and flags it was
 * reserved with. MMAPC_EINVAL_OP if it is already committed. On failure it stays reserved.
 */
MMAPC_API int mmapc_commit(mmapc_map *map);

/**
 * Unmap exactly the range of @p map and free the handle. Accepts NULL.
 * Linux may refuse to unmap a piece from inside a larger kernel area (a split mapping) when the
 * process is at vm.max_map_count, since the cut needs one area more. The handle is freed all the
 * same and no memory leaks: the pages are given back (MADV_DONTNEED, which needs no new area;
 * locked pages are unlocked first; private memory reads as zeros or as the file if touched) and
 * the range is made inaccessible where the kernel can still split the area, but the address
 * range stays taken for the life of the process. The pages of shared memory stay with the file
 * or the other processes that map it. To see the failure and keep the handle, use
 * mmapc_unmap_checked().
 */
MMAPC_API void mmapc_unmap(mmapc_map *map);

/**
 * Unmap exactly the range of @p map and free the handle, or fail and change nothing.
 * @return 0 (also for NULL); MMAPC_ELIMIT when the system's limit of memory areas
 * (vm.max_map_count on Linux) forbids the split the unmap needs: @p map is then still valid, its
 * memory untouched, and still owned by the caller, who may try again after unmapping other
 * mappings or merging the pieces back (mmapc_merge() makes no system call), or give up with
 * mmapc_unmap(); another OS error code likewise.
 */
MMAPC_API int mmapc_unmap_checked(mmapc_map *map);

/** First byte of the mapping. */
MMAPC_API void *mmapc_ptr(const mmapc_map *map);
/** Size in bytes from mmapc_ptr(). For a file mapping, whatever call made it and at any
 *  offset, exactly the bytes asked for (0 for an empty mapping); for anonymous memory and views
 *  of memory objects, the size asked for rounded up to the mapping's page size. */
MMAPC_API size_t mmapc_size(const mmapc_map *map);
/** Address of the first byte. */
MMAPC_API uintptr_t mmapc_start(const mmapc_map *map);
/** Address one past the last byte. */
MMAPC_API uintptr_t mmapc_end(const mmapc_map *map);
/** Current protection (for a reservation: the protection it will get at commit). */
MMAPC_API mmapc_prot mmapc_protection(const mmapc_map *map);
/** The flags the mapping was made with. */
MMAPC_API unsigned mmapc_flags(const mmapc_map *map);
/** Non-zero while the mapping is reserved and not committed. */
MMAPC_API int mmapc_is_reserved(const mmapc_map *map);
/** The page size backing the mapping (the huge page size for huge-page mappings). */
MMAPC_API size_t mmapc_map_page_size(const mmapc_map *map);
/** For a file mapping, the file offset of its first byte; 0 for anonymous memory. */
MMAPC_API uint64_t mmapc_file_offset(const mmapc_map *map);
/** Non-zero for a file mapping. */
MMAPC_API int mmapc_is_file(const mmapc_map *map);

/**
 * Change the protection of the whole mapping. Making it executable flushes the instruction
 * cache. RWX needs the mapping to have been made with MMAPC_UNSAFE_JIT (MMAPC_EUNSAFE_FLAG).
 * A reservation is MMAPC_EINVAL_OP. On failure the mapping keeps its old protection; changing a
 * piece of a larger memory area splits that area, which is MMAPC_ELIMIT at the system's limit of
 * memory areas (Linux vm.max_map_count).
 */
MMAPC_API int mmapc_protect(mmapc_map *map, mmapc_prot prot);

/** mmapc_protect() without the instruction-cache flush, for callers that flush themselves. */
MMAPC_API int mmapc_protect_no_flush(mmapc_map *map, mmapc_prot prot);

/**
 * Write the bytes [start, end) of the mapping (offsets from mmapc_ptr()) back to its file and
 * wait for the write. start > end or end > mmapc_size() is MMAPC_EINVAL_OFFSET (a file
 * mapping's exact size: the rest of its last page is not in range); an empty range is a
 * no-op; a reservation is MMAPC_EINVAL_OP. On anonymous memory it succeeds and does nothing.
 */
MMAPC_API int mmapc_flush(mmapc_map *map, size_t start, size_t end);

/** As mmapc_flush() but only schedules the write (MS_ASYNC; FlushViewOfFile alone). */
MMAPC_API int mmapc_flush_async(mmapc_map *map, size_t start, size_t end);

/** Lock the pages of the mapping in memory. MMAPC_ELIMIT past RLIMIT_MEMLOCK. */
MMAPC_API int mmapc_lock(mmapc_map *map);
/** Unlock the pages of the mapping. */
MMAPC_API int mmapc_unlock(mmapc_map *map);

/**
 * Make instructions written to [addr, addr + size) visible to instruction fetch
 * (a no-op on x86; needed on Arm). mmapc_protect() to an executable protection does it.
 * @return 0; MMAPC_EINVAL_ARG (NULL @p addr with a non-zero @p size, or a range that reaches
 * the last page of the address space, where no mapping lies).
 */
MMAPC_API int mmapc_flush_icache(const void *addr, size_t size);

/**
 * Split @p map at byte offset @p at (strictly inside, with mmapc_ptr() + @p at a multiple of
 * mmapc_map_page_size(); for a mapping at an aligned offset, @p at a multiple of it):
 * @p map keeps [0, at) and `*back` receives [at, size), so a file mapping's back piece ends
 * where the mapping ended, its size exact, and the two sizes add up to the old one. No system
 * call.
 * @return MMAPC_EINVAL_OFFSET for a bad @p at.
 */
MMAPC_API int mmapc_split_off(mmapc_map *map, size_t at, mmapc_map **back);

/** As mmapc_split_off(), but @p map keeps [at, size) and `*front` receives [0, at). */
MMAPC_API int mmapc_split_to(mmapc_map *map, size_t at, mmapc_map **front);

/**
 * Merge @p other into @p map. They must be adjacent (either order: MMAPC_ENOT_ADJACENT), have the
 * same protection, state (reserved or committed), page size and the flags that describe the
 * memory (shared, no-reserve, huge pages, THP, stack, no-core-dump, locked, access pattern, JIT;
 * not placement or one-time advice) (MMAPC_EATTR_MISMATCH), and the same backing: pieces of the
 * same anonymous allocation, or the same file at contiguous offsets (MMAPC_EBACKING_MISMATCH).
 * On success @p other is consumed (freed) and @p map covers both; on failure both are
 * unchanged and still owned by the caller. Decided from the handles alone: no system call.
 */
MMAPC_API int mmapc_merge(mmapc_map *map, mmapc_map *other);
/**@}*/

/* ------------------------------------------------------------------------------------------ */
/** @name Platform facts */
/**@{*/

/** The base page size (4096 on most systems). */
MMAPC_API size_t mmapc_page_size(void);
/** The granularity of mapping addresses and file offsets (page size on POSIX, 64 KiB on Windows).
 */
MMAPC_API size_t mmapc_allocation_granularity(void);
/**
 * The supported page sizes, ascending, the base page size first and then the huge page sizes
 * the system offers. Writes at most @p capacity of them to @p sizes (which may be NULL when
 * @p capacity is 0) and the total count to `*count`.
 * @return 0; MMAPC_EINVAL_ARG; or an OS error code (e.g. MMAPC_ELIMIT with no descriptor free)
 * when the system's list could not be read, in which case the next call reads it again.
 */
MMAPC_API int mmapc_page_sizes(size_t *sizes, size_t capacity, size_t *count);
/**
 * The default huge page size, or 0 if the system has none. It is always one of the huge sizes
 * mmapc_page_sizes() lists, and 0 exactly when that lists none. On Linux it is the kernel's
 * default (Hugepagesize in /proc/meminfo); without /proc mounted, the smallest listed size.
 * 0 too when the list could not be read just now (see mmapc_page_sizes()).
 */
MMAPC_API size_t mmapc_default_huge_page_size(void);
/**@}*/

/* ------------------------------------------------------------------------------------------ */
/* ===== Memory areas ======================================================================== */
/** @name Memory areas
 * Describe the memory areas of this process or of another one: iterate over all of them or over
 * those that intersect a range, or ask which area holds an address.
 *
 * On Linux a query is one `PROCMAP_QUERY` ioctl (Linux 6.11+) on `/proc/<pid>/maps`; kernels and
 * emulators without it are detected once and answered from the text of that file. Iteration reads
 * the text, whole, before it returns the first area, so it sees one snapshot that the caller's own
 * mappings made during the loop do not disturb. Setting the environment variable
 * `MMAPC_FORCE_TEXT=1` (read once per process) or opening a process with MMAPC_PROC_TEXT makes
 * queries use the text too.
 *
 * Paths are the files' real names on both paths. The Linux text escapes a newline in a name as
 * `\012` and leaves a backslash as is, so a name holding `\012` there is taken from
 * `/proc/<pid>/map_files` (when the text is how the kernel prints that link); where that cannot be
 * read (an emulator, an area gone since the listing), each `\012` is read as a newline, and a
 * name holding those four bytes is then misread.
 *
 * A process without a user address space (a Linux kernel thread, such as kthreadd) has no areas:
 * an iteration of it ends at once without error and a query gives MMAPC_ENOTFOUND. A process
 * that has ended gives MMAPC_ESRCH, a zombie (ended, not yet reaped by its parent) included,
 * since its memory is gone for good; so does a handle whose process ends while it is open.
 * On Linux without `/proc` mounted, every call that opens or reads a process returns
 * MMAPC_EUNSUPPORTED.
 */
/**@{*/

/** The calling process, wherever a process id is expected. It follows fork(): a handle for
 *  MMAPC_SELF opened before fork() describes the child when used in the child. */
#define MMAPC_SELF 0

/** What backs an area (from its name on Linux). */
typedef enum mmapc_area_kind {
    MMAPC_AREA_ANON = 0,    /**< anonymous memory without a name */
    MMAPC_AREA_FILE,        /**< a file (path holds its path) */
    MMAPC_AREA_HEAP,        /**< `[heap]` */
    MMAPC_AREA_STACK,       /**< `[stack]` (the main thread's) */
    MMAPC_AREA_VDSO,        /**< `[vdso]` */
    MMAPC_AREA_VVAR,        /**< `[vvar]` and `[vvar_vclock]` */
    MMAPC_AREA_VSYSCALL,    /**< `[vsyscall]` (x86-64) and `[vectors]` (Arm) */
    MMAPC_AREA_ANON_NAMED,  /**< `[anon:NAME]`, named with prctl(PR_SET_VMA_ANON_NAME) */
    MMAPC_AREA_ANON_SHMEM,  /**< `[anon_shmem:NAME]`, named shared anonymous memory */
    MMAPC_AREA_OTHER_PSEUDO /**< any other bracketed name (`[uprobes]`, `[sigpage]`...) */
} mmapc_area_kind;

/**
 * One memory area. Addresses are 64-bit on every platform, so that a 32-bit program can describe
 * a 64-bit process. The strings it points to belong to whoever filled it in (see
 * mmapc_areas_next() and mmapc_area_query()); copy them to keep them longer.
 */
typedef struct mmapc_area {
    uint64_t start;           /**< first byte */
    uint64_t end;             /**< one past the last byte */
    uint64_t allocation_base; /**< start of the allocation it belongs to (Windows
                                    AllocationBase); on Linux the same as start */
    unsigned prot;            /**< MMAPC_PROT_READ | _WRITE | _EXEC bits, any combination */
    int shared;               /**< non-zero when shared, zero when private (copy-on-write) */
    mmapc_area_kind kind;     /**< what backs the area: a file, anonymous memory, a pseudo-area */
    /** The file path for MMAPC_AREA_FILE, without a " (deleted)" suffix; for pseudo-areas the
     *  bracketed name as printed (`[heap]`, `[anon:cache]`); "" for MMAPC_AREA_ANON. Never NULL,
     *  NUL-terminated; may be a truncated copy (see path_len). */
    const char *path;
    /** Length of the full path (without the suffix). path holds all of it when path_len ==
     *  strlen(path); a query into a buffer too small stores a truncated copy. */
    size_t path_len;
    /** Non-zero when the file was deleted. Linux prints " (deleted)" after a deleted file's
     *  name, and a live file's own name may end so too: when a name ends in the suffix, the
     *  file at the whole name is compared with the area's device and inode, and on a match the
     *  file is live and the suffix stays in path as part of its name. What stays ambiguous is
     *  counted as deleted: a name that cannot be looked up from the calling process (another
     *  mount namespace or root directory, a directory it may not search) and a file whose
     *  device as stat() reports it differs from the area's (btrfs subvolumes, overlayfs). A
     *  deleted file that has another link at the whole name is reported live, under that name. */
    int deleted;
    uint64_t offset;    /**< file offset of start; 0 when not file-backed, and on Windows,
                             which does not tell it */
    uint32_t dev_major; /**< device of the file (Linux; 0 elsewhere or when anonymous) */
    uint32_t dev_minor; /**< minor device number (Linux; 0 elsewhere or when anonymous) */
    uint64_t inode;     /**< inode of the file (Linux; 0 elsewhere or when anonymous) */
} mmapc_area;

/**
 * An open process: open once, query many times. Keeps what a query needs open (on Linux the
 * maps file, so a query costs one ioctl). May be shared between threads: queries through it
 * keep no state in the handle (each call brings its own buffers). In a forked child a MMAPC_SELF
 * handle opens a descriptor of its own at its first use, without a lock (so a fork by another
 * thread at any moment is safe); the descriptor inherited from the parent is left alone, as the
 * child may have closed it and reused its number (exec closes it). A handle on another process
 * is taken over the same way in a forked child (Linux) while the descriptor it inherited still
 * names the handle's file; once the child has closed it (and perhaps given its number to another
 * file), queries and iterations through the handle answer MMAPC_EBADF.
 *
 * A handle stays with the process it was opened for: across an exec it answers for the new
 * program, and a process that later takes the same pid is never it (Linux binds the descriptor
 * to the process; after an exec a direct query opens it again each time, so a handle opened
 * anew is faster). An address space can outlive its process for a moment (the kernel keeps it
 * while anything holds it: a kernel thread that scans it, a vfork child that shares it); a
 * query that finds no area there answers MMAPC_ESRCH, as for a process that has ended.
 */
typedef struct mmapc_proc mmapc_proc;

/** Flags of mmapc_proc_open(). */
enum mmapc_proc_flag {
    /** Answer queries from the text listing even when the kernel could answer directly. */
    MMAPC_PROC_TEXT = 1u << 0,
};

/**
 * Open process @p pid (MMAPC_SELF for the caller) for queries and iteration.
 * @return 0 and `*out` set; MMAPC_ESRCH when there is no such process, MMAPC_EACCES or
 * MMAPC_EPERM when we may not read it, MMAPC_EINVAL_ARG for a negative pid, an unknown flag or
 * a NULL out; MMAPC_EUNSUPPORTED for a 64-bit process opened by a 32-bit program on 64-bit
 * Windows (WOW64), which could see only its lowest 4 GiB. Such a program sees the low 4 GiB of
 * itself and of other 32-bit processes, all their own areas, but not the 64-bit system DLLs that
 * Windows maps above.
 */
MMAPC_API int mmapc_proc_open(mmapc_proc **out, int pid, unsigned flags);
/** Close a process handle. Accepts NULL. Iterators made from it must be closed first. In a
 *  forked child it closes only a descriptor the child itself opened: the one inherited from the
 *  parent is left alone (the child may have reused its number; exec closes it). */
MMAPC_API void mmapc_proc_close(mmapc_proc *proc);
/** Non-zero when queries through @p proc ask the kernel directly (PROCMAP_QUERY on Linux,
 *  VirtualQueryEx on Windows), zero when they scan the text listing. */
MMAPC_API int mmapc_proc_direct(mmapc_proc *proc);

/**
 * The area that contains @p addr in @p proc.
 *
 * The path is copied into @p path_buf (@p path_size bytes, NUL-terminated, truncated to fit;
 * `out->path_len` tells the full length) and `out->path` points to it, so it lives as long as
 * the caller's buffer. With a NULL @p path_buf (and @p path_size 0) `out->path` is "" for every
 * area and path_len still tells the length. Nothing is allocated on the usual path.
 * @return 0; MMAPC_ENOTFOUND when no area holds @p addr; MMAPC_ESRCH when the process is gone;
 * MMAPC_EPARSE when the text listing holds a line that cannot be parsed; MMAPC_EINVAL_ARG.
 */
MMAPC_API int mmapc_proc_query(mmapc_proc *proc, uint64_t addr, mmapc_area *out, char *path_buf,
                               size_t path_size);
/** One-shot mmapc_proc_query() for @p pid: on Linux one open, one ioctl and one close. */
MMAPC_API int mmapc_area_query(int pid, uint64_t addr, mmapc_area *out, char *path_buf,
                               size_t path_size);

/**
 * An iteration over areas, in ascending address order: each area begins at or above the end of
 * the one before. Linux gives the text a page at a time, one read each, so an area that grows
 * or merges with its neighbour between two reads (mapped by another thread, by valgrind for
 * itself) is listed twice, the second time from its old start: the iteration gives only the part
 * above the area given before, its file offset moved with its start (with usage, the use is the
 * whole area's). The text is read as the iteration goes, through a buffer of fixed size (64 KiB,
 * more only for an entry that does not fit), so memory does not grow with the number of areas;
 * reading it all first would give no truer snapshot. Use from one thread at a time.
 */
typedef struct mmapc_areas mmapc_areas;

/**
 * Iterate over all areas of @p pid (MMAPC_SELF for the caller).
 * @return 0 and `*out` set, or the errors of mmapc_proc_open().
 */
MMAPC_API int mmapc_areas_open(mmapc_areas **out, int pid);
/**
 * Iterate over the areas of @p pid that intersect [@p start, @p end): the first one may begin
 * before @p start and the last one end after @p end. start > end is MMAPC_EINVAL_OFFSET; an
 * empty range yields no area.
 */
MMAPC_API int mmapc_areas_open_range(mmapc_areas **out, int pid, uint64_t start, uint64_t end);
/** As mmapc_areas_open_range(), through an open process handle, which must outlive the
 *  iteration. Pass 0 and UINT64_MAX for all areas. */
MMAPC_API int mmapc_proc_areas(mmapc_areas **out, mmapc_proc *proc, uint64_t start, uint64_t end);
/**
 * The next area. Its strings live in the iteration and stay valid until the next call of
 * mmapc_areas_next() or mmapc_areas_close() on it; nothing is allocated per area.
 * @return 1 and `*out` set; 0 at the end; MMAPC_EPARSE for a line that cannot be parsed, or the
 * error of a read of the rest of the listing (MMAPC_ESRCH: the process ended part of the way);
 * the iteration stops there: every later call returns the same error.
 */
MMAPC_API int mmapc_areas_next(mmapc_areas *it, mmapc_area *out);
/** End an iteration. Accepts NULL. */
MMAPC_API void mmapc_areas_close(mmapc_areas *it);
/** The name of a kind, e.g. "heap", "anon_named". */
MMAPC_API const char *mmapc_area_kind_name(mmapc_area_kind kind);
/**@}*/
/* ===== end of Memory areas ================================================================= */

/* ------------------------------------------------------------------------------------------ */
/* ===== Ranges ============================================================================== */
/** @name Ranges: advice, discard, decommit, residency, lock on fault, sealing
 * What allocators, garbage collectors and JITs do to pieces of their memory.
 *
 * A range is @p offset and @p len in bytes from mmapc_ptr(). Every call checks it: @p offset or
 * `offset + len` past mmapc_size(), or an overflowing sum, is MMAPC_EINVAL_OFFSET, and an empty
 * range (@p len 0) is a no-op. Calls that need committed memory refuse a reservation with
 * MMAPC_EINVAL_OP. A refused call changes nothing. A call applies to whole pages (of
 * mmapc_map_page_size()): advice and residency round the start down and the end up; discard,
 * which loses data, refuses a range whose ends are not on page boundaries.
 *
 * A mapping sealed with mmapc_seal() refuses mmapc_protect(), mmapc_protect_no_flush(),
 * mmapc_decommit() and mmapc_discard() with MMAPC_EPERM (the code the kernel gives for them),
 * as it refuses any call that would change or remove its pages.
 */
/**@{*/

/** Advice about how a range will be used: mmapc_advise(). None of them loses data. */
typedef enum mmapc_advice {
    /** No special treatment (MADV_NORMAL): undoes sequential and random. */
    MMAPC_ADVICE_NORMAL = 0,
    /** Read ahead aggressively, free pages soon after use (MADV_SEQUENTIAL). */
    MMAPC_ADVICE_SEQUENTIAL,
    /** Do not read ahead (MADV_RANDOM). */
    MMAPC_ADVICE_RANDOM,
    /** The range will be needed soon: read it ahead (MADV_WILLNEED; PrefetchVirtualMemory on
     *  Windows, where it needs an accessible mapping and is a no-op for MMAPC_PROT_NONE). */
    MMAPC_ADVICE_WILL_NEED,
    /** Back the range with transparent huge pages (MADV_HUGEPAGE). */
    MMAPC_ADVICE_HUGE_PAGES,
    /** Never back the range with transparent huge pages (MADV_NOHUGEPAGE). */
    MMAPC_ADVICE_NO_HUGE_PAGES,
    /** Leave the range out of core dumps (MADV_DONTDUMP). */
    MMAPC_ADVICE_DONT_DUMP,
    /** Put the range back into core dumps (MADV_DODUMP). */
    MMAPC_ADVICE_DO_DUMP,
    /** The range is cold: reclaim it before other memory (MADV_COLD, Linux 5.4+). */
    MMAPC_ADVICE_COLD,
    /** Reclaim the range now: write it to swap or its file, or free pages that need no
     *  writing (MADV_PAGEOUT, Linux 5.4+). Contents stay what they were. */
    MMAPC_ADVICE_PAGE_OUT,
    /** Fault the range in for reading now (MADV_POPULATE_READ, Linux 5.14+; a read of each page
     *  where the kernel lacks it, and on Windows). Needs a readable mapping (MMAPC_EACCES). */
    MMAPC_ADVICE_POPULATE_READ,
    /** Fault the range in for writing now, without changing a byte (MADV_POPULATE_WRITE,
     *  Linux 5.14+; a compare-and-exchange of a byte of each page with itself where the kernel
     *  lacks it; a read of each page on Windows, whose committed pages are private at the first
     *  touch). Needs a writable mapping (MMAPC_EACCES). */
    MMAPC_ADVICE_POPULATE_WRITE,
    /** Collapse the range into transparent huge pages now (MADV_COLLAPSE, Linux 6.1+). */
    MMAPC_ADVICE_COLLAPSE,
} mmapc_advice;

/**
 * Advise the system about the pages of [@p offset, @p offset + @p len) (rounded out to whole
 * pages). Advice a platform or kernel cannot honour (Windows: all but will-need and populate;
 * Linux without THP, without MADV_COLD / MADV_PAGEOUT / MADV_COLLAPSE; a hugetlb mapping for
 * the transparent huge page advice) is a no-op that returns 0; advice it could honour but that
 * fails is an error (MMAPC_ENOMEM, MMAPC_EBUSY when collapse finds the pages busy).
 * @return 0; MMAPC_EINVAL_ARG (NULL map, unknown advice), MMAPC_EINVAL_OFFSET, MMAPC_EINVAL_OP
 * (a reservation: advice would be lost at commit), MMAPC_EACCES (populate without the access).
 */
MMAPC_API int mmapc_advise(mmapc_map *map, size_t offset, size_t len, mmapc_advice advice);

/** How mmapc_discard() drops a range. */
typedef enum mmapc_discard_mode {
    /** The range reads as zeros from now on and its pages are freed at once (MADV_DONTNEED;
     *  Windows: decommitted and committed again). */
    MMAPC_DISCARD_ZERO = 0,
    /** The pages may be freed whenever the system wants memory; until a page is written again
     *  its contents are undefined (old data or zeros). Cheaper than zeroing: nothing happens
     *  until there is memory pressure (MADV_FREE, Linux 4.5+, and MADV_DONTNEED where the kernel
     *  or the mapping lacks it, as hugetlb does; Windows: MEM_RESET). */
    MMAPC_DISCARD_LAZY = 1,
} mmapc_discard_mode;

/**
 * Drop the contents of [@p offset, @p offset + @p len), which must start and end on page
 * boundaries (MMAPC_EINVAL_OFFSET otherwise: data outside the range is never lost). Only private
 * anonymous memory can be discarded (file and shared mappings: MMAPC_EINVAL_OP, since their
 * pages would be read back from the file or the other mappings instead of being zero).
 * On Linux, locked pages (MMAPC_LOCKED, mmapc_lock()) cannot be discarded: MMAPC_EBUSY.
 * @return 0; MMAPC_EINVAL_ARG (NULL map, unknown mode), MMAPC_EINVAL_OFFSET, MMAPC_EINVAL_OP
 * (a reservation, a file or shared mapping), MMAPC_EPERM (sealed), MMAPC_EBUSY, or an OS error.
 */
MMAPC_API int mmapc_discard(mmapc_map *map, size_t offset, size_t len, mmapc_discard_mode mode);

/**
 * Return a committed anonymous mapping, or a split piece of one, to the reserved state: its
 * contents are dropped, it becomes inaccessible and stops counting against the commit limit
 * (POSIX: a fixed PROT_NONE, no-reserve anonymous mapping replaces it; Windows: MEM_DECOMMIT).
 * mmapc_commit() commits it again, zero-filled, with its protection and flags, any number of
 * times; afterwards mmapc_is_reserved() is non-zero and it merges with reserved pieces.
 * A lock on the pages goes with them (MMAPC_LOCKED locks them again at commit).
 * @return 0; MMAPC_EINVAL_ARG (NULL map), MMAPC_EINVAL_OP (already reserved, or a file mapping,
 * whose pages belong to the file), MMAPC_EPERM (sealed), MMAPC_EUNSUPPORTED (Windows large
 * pages, which cannot be decommitted), or an OS error (then the mapping is as it was).
 */
MMAPC_API int mmapc_decommit(mmapc_map *map);

/**
 * How many pages of [@p offset, @p offset + @p len) (rounded out to whole pages of the mapping)
 * are resident in memory: `*count` gets the number, and when @p pages is not NULL, `pages[i]`
 * gets 1 if the i-th page of the range is resident and 0 if not; it must hold
 * `(end - start) / mmapc_map_page_size()` bytes for the rounded range. Linux asks mincore()
 * (pages of a hugetlb mapping are reported per huge page); Windows QueryWorkingSetEx (the
 * process's working set). A reservation has no resident pages; an empty range (len 0) writes
 * nothing to @p pages.
 * @return 0; MMAPC_EINVAL_ARG (NULL map or count), MMAPC_EINVAL_OFFSET, or an OS error. After an
 * OS error `*count` is untouched but @p pages may hold part of an answer (mincore() fills the
 * vector a chunk at a time).
 */
MMAPC_API int mmapc_residency(const mmapc_map *map, size_t offset, size_t len, size_t *count,
                              unsigned char *pages);

/**
 * Lock the pages of the mapping in memory as they are touched, not all at once
 * (mlock2(MLOCK_ONFAULT), Linux 4.4+): pages never touched cost nothing. mmapc_unlock() undoes
 * it. MMAPC_EUNSUPPORTED where the system lacks it (Windows, older kernels, some emulators).
 * @return 0; MMAPC_EINVAL_ARG, MMAPC_EINVAL_OP (a reservation), MMAPC_ELIMIT (past
 * RLIMIT_MEMLOCK), MMAPC_EUNSUPPORTED.
 */
MMAPC_API int mmapc_lock_on_fault(mmapc_map *map);

/**
 * Seal the mapping (mseal(), Linux 6.10+, 64-bit kernels): from now on nothing can change its
 * protection, remap, shrink or unmap it, or discard its pages, for the life of the process.
 * mmapc_protect(), mmapc_decommit() and mmapc_discard() on it are MMAPC_EPERM without asking
 * the kernel, and it merges only with sealed pieces. Sealing twice is fine.
 * mmapc_unmap() of a sealed mapping frees the handle but the pages stay mapped (the kernel
 * refuses to unmap them) until the process ends or execs.
 * @return 0; MMAPC_EINVAL_ARG, MMAPC_EINVAL_OP (a reservation: it could never be committed),
 * MMAPC_EUNSUPPORTED (Windows, older or 32-bit kernels, emulators that lack the system call).
 */
MMAPC_API int mmapc_seal(mmapc_map *map);

/** Non-zero once mmapc_seal() sealed the mapping. */
MMAPC_API int mmapc_is_sealed(const mmapc_map *map);
/**@}*/
/* ===== end of Ranges ======================================================================= */

/* ------------------------------------------------------------------------------------------ */
/* ===== Shared memory objects =============================================================== */
/** @name Shared memory objects, views, ring buffers and dual mappings
 * A shared memory object is memory with no file behind it that any number of mappings (views)
 * show: Linux memfd_create() (shm_open() + shm_unlink() where the kernel lacks it), POSIX
 * shm_open() for a named object, a Windows section backed by the paging file (a `Local\` name
 * for a named one). A view is an ordinary mapping handle (::mmapc_map): protect, flush, lock,
 * split, merge and unmap work on it as on any mapping. Views keep the memory alive: closing the
 * object does not unmap them.
 *
 * Names: `"name"` or `"/name"`, 1 to #MMAPC_SHM_NAME_MAX bytes after the optional leading `/`,
 * with no other `/` and no `\`, and not `.` or `..` (MMAPC_EINVAL_NAME otherwise). One name
 * means the same object on every platform: POSIX `/name`, Windows `Local\name` (the session's
 * namespace).
 *
 * Inheritance: an object's descriptor (HANDLE) is not passed to programs the process starts
 * (close-on-exec; not inheritable) unless #MMAPC_SHM_INHERIT or mmapc_shm_set_inherit() asks
 * for it. Views made before fork() are shared with the child, not copied.
 */
/**@{*/

/** A shared memory object: an open descriptor (HANDLE) of it. */
typedef struct mmapc_shm mmapc_shm;

/** Flags of mmapc_shm_options. */
enum mmapc_shm_flag {
    /** Programs this process starts inherit the object's descriptor (FD_CLOEXEC cleared) or
     *  HANDLE (made inheritable): pass mmapc_shm_file() to them, e.g. as an argument, and they
     *  take it up with mmapc_shm_from_file(). */
    MMAPC_SHM_INHERIT = 1u << 0,
    /** Open for reading only (mmapc_shm_open()): views can be read, never written. */
    MMAPC_SHM_READ_ONLY = 1u << 1,
};

/** Every flag of mmapc_shm_options::flags, for validation. */
#define MMAPC_SHM_FLAGS_ALL (MMAPC_SHM_INHERIT | MMAPC_SHM_READ_ONLY)

/** The longest object name, in bytes, not counting a leading `/`. */
#define MMAPC_SHM_NAME_MAX 255

/** Options of a new or opened object. All-zero (or a NULL pointer) means the defaults. */
typedef struct mmapc_shm_options {
    /** Bitwise OR of `enum mmapc_shm_flag` (an unknown bit is MMAPC_EINVAL_ARG). */
    unsigned flags;
    /** POSIX permission bits of a new named object; 0 means 0600 (the owner only). Ignored
     *  on Windows, where the object gets the process's default security. */
    unsigned mode;
} mmapc_shm_options;

/**
 * Create a shared memory object of @p size bytes, zero-filled.
 * With @p name NULL the object is anonymous: it can be reached only through its descriptor
 * (views, fork(), mmapc_shm_file() passed to a child). With a name, another process opens it
 * with mmapc_shm_open(); the name must not exist yet (MMAPC_EEXIST) and lasts until
 * mmapc_shm_unlink() (POSIX) or while a handle to the object or a view of it remains (Windows).
 * On Linux an anonymous object is a memfd that can be sealed (mmapc_shm_seal()).
 * @return 0 and `*out` set; MMAPC_EINVAL_SIZE (0, or more than the system can hold),
 * MMAPC_EINVAL_NAME, MMAPC_EINVAL_ARG (NULL out, unknown flag, MMAPC_SHM_READ_ONLY),
 * MMAPC_EEXIST, MMAPC_EACCES, MMAPC_ELIMIT, or an OS error code. Nothing is left behind.
 */
MMAPC_API int mmapc_shm_create(mmapc_shm **out, const char *name, uint64_t size,
                               const mmapc_shm_options *options);

/**
 * Open the existing object called @p name (made by this or another process), for reading and
 * writing or, with #MMAPC_SHM_READ_ONLY, for reading.
 * @return 0 and `*out` set; MMAPC_ENOTFOUND when no object has that name, MMAPC_EINVAL_NAME,
 * MMAPC_EINVAL_ARG, MMAPC_EACCES, or an OS error code.
 */
MMAPC_API int mmapc_shm_open(mmapc_shm **out, const char *name, const mmapc_shm_options *options);

/**
 * Take up an object from its descriptor (HANDLE), e.g. the value a parent passed to this
 * program after creating the object with #MMAPC_SHM_INHERIT. @p file is duplicated: the caller
 * still owns it and may close it. The new descriptor is not inherited unless the options say so.
 * @return 0 and `*out` set; MMAPC_EBADF when @p file is not open, MMAPC_EINVAL_ARG, or an OS
 * error code.
 */
MMAPC_API int mmapc_shm_from_file(mmapc_shm **out, mmapc_file file,
                                  const mmapc_shm_options *options);

/**
 * Remove the name @p name: later opens fail with MMAPC_ENOTFOUND, while objects already open
 * and their views live on. On Windows a name lasts exactly as long as a handle to its object or
 * a view of it remains, so there is nothing to remove: the name is checked and 0 returned.
 * @return 0; MMAPC_ENOTFOUND when no object has that name, MMAPC_EINVAL_NAME, MMAPC_EACCES.
 */
MMAPC_API int mmapc_shm_unlink(const char *name);

/** Close the object's descriptor (HANDLE). Its views stay valid. Accepts NULL. */
MMAPC_API void mmapc_shm_close(mmapc_shm *shm);

/**
 * The object's size in bytes as it is now (another process may have resized it). Windows
 * gives the size rounded up to whole pages.
 * @return 0 and `*size` set; MMAPC_EINVAL_ARG, or an OS error code.
 */
MMAPC_API int mmapc_shm_size(const mmapc_shm *shm, uint64_t *size);

/**
 * Grow or shrink the object to @p size bytes. Views are not resized: a view reaching past a
 * shrunken end raises SIGBUS when touched there, which is what #MMAPC_SHM_SEAL_SHRINK rules
 * out. Windows can grow a section only when the system offers it (MMAPC_EUNSUPPORTED where it
 * does not, e.g. under wine), and can never shrink one (MMAPC_EUNSUPPORTED).
 * @return 0; MMAPC_EINVAL_SIZE (0 or too large), MMAPC_EINVAL_ARG, MMAPC_EPERM (sealed, see
 * mmapc_shm_seal()), MMAPC_EACCES (opened read-only), MMAPC_EUNSUPPORTED.
 */
MMAPC_API int mmapc_shm_resize(mmapc_shm *shm, uint64_t size);

/** The object's descriptor (HANDLE on Windows), to pass to a child or to map by hand. It stays
 *  owned by @p shm. */
MMAPC_API mmapc_file mmapc_shm_file(const mmapc_shm *shm);

/**
 * Let programs started from now on inherit the object's descriptor (@p inherit non-zero) or
 * not (0). Views made before fork() are shared either way.
 * @return 0; MMAPC_EINVAL_ARG, or an OS error code.
 */
MMAPC_API int mmapc_shm_set_inherit(mmapc_shm *shm, int inherit);

/** Seals of an object (Linux memfd seals), for mmapc_shm_seal() and mmapc_shm_seals(). */
enum mmapc_shm_seal_flag {
    /** The object can no longer shrink (F_SEAL_SHRINK): a receiver's views never raise SIGBUS. */
    MMAPC_SHM_SEAL_SHRINK = 1u << 0,
    /** The object can no longer grow (F_SEAL_GROW). */
    MMAPC_SHM_SEAL_GROW = 1u << 1,
    /** The object's content can no longer change (F_SEAL_WRITE): refused with MMAPC_EBUSY while
     *  a writable shared view of it exists. */
    MMAPC_SHM_SEAL_WRITE = 1u << 2,
    /** No further seal can be added (F_SEAL_SEAL). */
    MMAPC_SHM_SEAL_SEAL = 1u << 3,
};

/** Every seal, for validation. */
#define MMAPC_SHM_SEALS_ALL                                                                        \
    (MMAPC_SHM_SEAL_SHRINK | MMAPC_SHM_SEAL_GROW | MMAPC_SHM_SEAL_WRITE | MMAPC_SHM_SEAL_SEAL)

/**
 * Add @p seals (bitwise OR of `enum mmapc_shm_seal_flag`) to the object, for good: from then
 * on mmapc_shm_resize() against a seal and writes (with #MMAPC_SHM_SEAL_WRITE) are refused for
 * every holder of the object. Only anonymous objects on Linux can be sealed: Linux shows every
 * other object as sealed with #MMAPC_SHM_SEAL_SEAL alone (mmapc_shm_seals()).
 * @return 0; MMAPC_EINVAL_ARG (unknown or no seal), MMAPC_EPERM (#MMAPC_SHM_SEAL_SEAL is set:
 * so for a named object, or an anonymous one made without memfd), MMAPC_EBUSY (see
 * #MMAPC_SHM_SEAL_WRITE), MMAPC_EUNSUPPORTED (Windows; kernels that know no seals).
 */
MMAPC_API int mmapc_shm_seal(mmapc_shm *shm, unsigned seals);

/**
 * The seals the object has, so that a receiver can check that the object will not shrink
 * under its views. On Windows, and on kernels that know no seals, there are none.
 * @return 0 and `*seals` set; MMAPC_EINVAL_ARG, or an OS error code.
 */
MMAPC_API int mmapc_shm_seals(const mmapc_shm *shm, unsigned *seals);

/**
 * Map a view of @p size bytes of the object from @p offset, a multiple of
 * mmapc_allocation_granularity() (MMAPC_EINVAL_OFFSET otherwise). The view is always shared
 * (#MMAPC_SHARED is implied): what one view writes every other view of the object sees, in
 * this process and in others. The range must lie inside the object as it is now: an offset
 * past its end is MMAPC_EINVAL_OFFSET and a size that reaches past it MMAPC_EINVAL_SIZE (the
 * view's last page may hold bytes past @p size, as with files). @p options are those of
 * mmapc_map_anon()
 * except #MMAPC_HUGE_PAGES (MMAPC_EUNSUPPORTED).
 * Views of one object at contiguous offsets that are also adjacent in memory merge with
 * mmapc_merge() like pieces of one file (POSIX; on Windows distinct views never merge, as with
 * files); views of different objects, or a view and a file mapping, are
 * MMAPC_EBACKING_MISMATCH.
 * @return 0 and `*out` set; the codes of mmapc_map_file().
 */
MMAPC_API int mmapc_shm_map(mmapc_map **out, mmapc_shm *shm, uint64_t offset, size_t size,
                            mmapc_prot prot, const mmapc_options *options);

/**
 * A writable view and an executable view of one new anonymous object of @p size bytes
 * (rounded up to the allocation granularity), for a JIT that keeps W^X without changing
 * protections: code written through `*rw` runs through `*rx` at the same offset. Neither view
 * is ever writable and executable. After writing code, call mmapc_flush_icache() on its range
 * in `*rx` before running it (a no-op on x86, needed on Arm). Unmap each view with
 * mmapc_unmap(); the memory goes with the last one.
 * @return 0 and both set; MMAPC_EINVAL_SIZE, MMAPC_EINVAL_ARG (a NULL out-pointer), or an OS
 * error code (e.g. MMAPC_EPERM where the system forbids executable shared memory).
 */
MMAPC_API int mmapc_map_dual(mmapc_map **rw, mmapc_map **rx, size_t size);

/** A ring buffer mapped twice, back to back. */
typedef struct mmapc_ring mmapc_ring;

/**
 * Map @p size bytes of the object from @p offset twice, the second view right after the first,
 * readable and writable: the byte at `ptr + size + i` is the byte at `ptr + i`, so a record that
 * runs past the end of the ring is written and read with one plain copy. @p size is rounded up
 * to mmapc_allocation_granularity(), as mmapc_map_dual() and every mapping's size are rounded
 * (mmapc_ring_size() tells the rounded size), and the rounded range must lie inside the object
 * (MMAPC_EINVAL_SIZE); @p offset must be a multiple of the granularity (MMAPC_EINVAL_OFFSET).
 * Linux reserves 2 * size inaccessible bytes and maps both views over them; Windows uses
 * placeholders (VirtualAlloc2, MapViewOfFile3) where the system has them, and otherwise
 * reserves the range, frees it and maps both views there, trying again a bounded number of
 * times (MMAPC_ENOMEM after) when another thread takes the range in between.
 * @return 0 and `*out` set; MMAPC_EINVAL_SIZE, MMAPC_EINVAL_OFFSET, MMAPC_EINVAL_ARG,
 * MMAPC_EACCES (a read-only object), MMAPC_ENOMEM, or an OS error code.
 */
MMAPC_API int mmapc_ring_map(mmapc_ring **out, mmapc_shm *shm, uint64_t offset, size_t size);

/** mmapc_ring_map() of a new anonymous object of @p size bytes (rounded up to the allocation
 *  granularity, as in mmapc_ring_map()), which the ring keeps alive. */
MMAPC_API int mmapc_ring_create(mmapc_ring **out, size_t size);

/** Start of the ring: `2 * mmapc_ring_size()` bytes can be read and written from here. */
MMAPC_API void *mmapc_ring_ptr(const mmapc_ring *ring);

/** Size of the ring in bytes (each of its two views). */
MMAPC_API size_t mmapc_ring_size(const mmapc_ring *ring);

/** Unmap both views of the ring and free it. Accepts NULL. */
MMAPC_API void mmapc_ring_free(mmapc_ring *ring);
/**@}*/
/* ===== end of Shared memory objects ======================================================== */

/* ===== Files that change size ===== */
/** @name Files that change size: whole-file maps, empty mappings, any offset, resizing
 * A file that is mapped may be empty, may grow while it is mapped, and is rarely a multiple of
 * the allocation granularity long. These calls take care of each:
 *
 * - **Whole file.** mmapc_map_file_whole() maps a file from an offset to its end: no fstat() by
 *   the caller, and mmapc_size() is exactly the bytes from the offset to the end of the file.
 * - **Empty mappings.** An empty file, or an offset equal to the file's size, gives a valid
 *   empty mapping: mmapc_size() is 0 and mmapc_ptr() is never NULL but must not be
 *   dereferenced. Every call is defined on it: flush, lock, unlock, lock on fault, protect and
 *   seal succeed and do nothing, split is MMAPC_EINVAL_OFFSET (no offset is strictly inside),
 *   merge is MMAPC_ENOT_ADJACENT (it holds no memory), the range calls accept only the empty
 *   range (0, 0), and mmapc_resize() makes it grow.
 * - **Any offset.** Every file mapping call (mmapc_map_file() and mmapc_reserve_file() too)
 *   takes any file offset: the system maps from the allocation granularity below it, and the
 *   bytes before the offset are none of the caller's business. mmapc_ptr() points at the byte
 *   at the offset, mmapc_file_offset() is the offset asked for, and sizes, flush ranges, split
 *   points and merge rules all count from mmapc_ptr(). A split point must still fall on a page
 *   boundary of the memory (mmapc_ptr() + at a multiple of mmapc_map_page_size()): at an
 *   unaligned offset the first such point is the end of the first page.
 * - **Grow and shrink.** mmapc_resize() changes a mapping's size. Made with a capacity
 *   (mmapc_map_file_growable(), mmapc_map_anon_growable()), a mapping holds that much address
 *   space from its start and grows into it in place, its address stable, on every platform (the
 *   reserve-ahead pattern). Without one, Linux grows with mremap() in place when the addresses
 *   after the mapping are free; otherwise the mapping moves only with #MMAPC_RESIZE_MAY_MOVE.
 *   Growing a shared writable file mapping past the end of its file extends the file first,
 *   with its storage allocated (posix_fallocate(); Windows SetFileInformationByHandle()), so a
 *   full disk is MMAPC_ENOSPC before any page is touched, and never a SIGBUS later.
 *
 * Every file mapping (made by these calls, mmapc_map_file() or mmapc_reserve_file()) has
 * exactly the caller's bytes as its size, not a multiple of the page size: its last page may
 * hold bytes past mmapc_size() (up to the page end: the file's next bytes, or zeros past the
 * file's end), which are not the caller's. Flush and range calls stop at mmapc_size()
 * (MMAPC_EINVAL_OFFSET past it); protection, locks and unmapping act on the whole pages.
 */
/**@{*/

/** The size that means "to the end of the file" (mmapc_map_file_growable()). */
#define MMAPC_TO_END SIZE_MAX

/**
 * Map @p file from @p offset (any offset) to its end, as the file is now.
 * `mmapc_size(*out)` is the file's size minus @p offset, exactly; an empty file or an offset
 * equal to the size gives an empty mapping (see above). The mapping does not keep @p file open
 * and cannot be resized (mmapc_map_file_growable() makes one that can). @p options and access
 * rules are those of mmapc_map_file() (no #MMAPC_HUGE_PAGES: MMAPC_EUNSUPPORTED).
 * @return 0 and `*out` set; MMAPC_EINVAL_OFFSET (@p offset past the end of the file, or past
 * what the platform can map), MMAPC_EUNSUPPORTED (not a regular file: a device has no size to
 * map to), MMAPC_EINVAL_ARG, MMAPC_EACCES, MMAPC_EBADF, or another error of mmapc_map_file().
 */
MMAPC_API int mmapc_map_file_whole(mmapc_map **out, mmapc_prot prot, mmapc_file file,
                                   uint64_t offset, const mmapc_options *options);

/**
 * Map @p size bytes of @p file from @p offset (any offset; @p size #MMAPC_TO_END: to the end of
 * the file, possibly empty) so that mmapc_resize() can change its size later. The range must
 * lie inside the file (MMAPC_EINVAL_OFFSET, MMAPC_EINVAL_SIZE, as mmapc_map_file()).
 * The mapping keeps its own duplicate of @p file (closing @p file is fine), through which it
 * extends the file when it grows. With @p capacity non-zero, at least @p size (after
 * #MMAPC_TO_END is resolved; MMAPC_EINVAL_SIZE otherwise), the mapping holds @p capacity bytes
 * of address space from mmapc_ptr(), inaccessible past its size and charging no memory, and
 * grows up to it in place (@p capacity and @p size round up to whole pages alike, as for
 * mmapc_map_anon_growable()). On Windows a file view cannot reach past its file, so there a
 * file mapping keeps no capacity past its last page (mmapc_capacity() tells) and grows past it
 * by moving.
 * @return 0 and `*out` set; the errors of mmapc_map_file().
 */
MMAPC_API int mmapc_map_file_growable(mmapc_map **out, size_t size, size_t capacity,
                                      mmapc_prot prot, mmapc_file file, uint64_t offset,
                                      const mmapc_options *options);

/**
 * Map @p size bytes of anonymous memory that holds @p capacity bytes of address space (0: none;
 * otherwise at least @p size) to grow into in place with mmapc_resize(). Both are rounded up to
 * the page size, each on its own: @p capacity is compared with @p size as asked, so a capacity
 * equal to the size, or inside the size's last page (100 and 200), is the size's pages and no
 * more. Address space past the size is inaccessible and charges no memory.
 * @return 0 and `*out` set; MMAPC_EINVAL_SIZE (@p capacity non-zero and below @p size, or past
 * the address space), or the errors of mmapc_map_anon().
 */
MMAPC_API int mmapc_map_anon_growable(mmapc_map **out, size_t size, size_t capacity,
                                      mmapc_prot prot, const mmapc_options *options);

/** Flags of mmapc_resize(). */
enum mmapc_resize_flag {
    /** The mapping may move to another address when it cannot grow in place; its contents
     *  move with it (mremap() on Linux; elsewhere a new mapping, into which a private
     *  mapping's bytes are copied). Pointers into the old place are then invalid. */
    MMAPC_RESIZE_MAY_MOVE = 1u << 0,
};

/**
 * Grow or shrink @p map to @p new_size bytes (rounded up to the page size for anonymous memory;
 * exact for a file mapping, as every file mapping's size is). Contents up to the smaller
 * size are kept; new anonymous bytes are zero.
 *
 * Growing happens in place when the mapping's capacity holds the new size or, on Linux, when
 * the addresses after it are free (mremap()); otherwise it moves with #MMAPC_RESIZE_MAY_MOVE,
 * and without it is MMAPC_ENOMEM (Linux: no room after the mapping) or MMAPC_EEXIST (the room
 * after it is taken), the mapping unchanged. A file mapping grows over the file as it is now;
 * past the end of the file, a shared writable mapping first extends the file to the new end
 * with its storage allocated, so that a full disk is MMAPC_ENOSPC with file and mapping
 * unchanged (where the file system cannot allocate ahead, e.g. some network file systems, the
 * file is extended without it); any other mapping is MMAPC_EINVAL_SIZE past the end.
 *
 * Shrinking happens in place and never changes the file: to cut the file too, truncate it
 * yourself (POSIX ftruncate(); Windows only once the mapping is gone, as it refuses to cut a
 * mapped file). The address space given up stays held as capacity when the mapping has one
 * (and on Windows, whose views and allocations go only as a whole), so it can grow back in
 * place; otherwise it is given back.
 *
 * @return 0; MMAPC_EINVAL_ARG (NULL map, unknown flag), MMAPC_EINVAL_SIZE (0, too large, or
 * past the end of a file it may not extend), MMAPC_EINVAL_OP (a reservation, a split piece,
 * or a file mapping that keeps no file: made by mmapc_map_file(), mmapc_map_file_whole(),
 * mmapc_reserve_file() or mmapc_shm_map()), MMAPC_EPERM (sealed), MMAPC_ENOMEM, MMAPC_EEXIST,
 * MMAPC_ENOSPC, MMAPC_EACCES (a file that cannot be written), or another OS error code. On
 * failure the mapping and its file are as they were.
 */
MMAPC_API int mmapc_resize(mmapc_map *map, size_t new_size, unsigned flags);

/** The bytes from mmapc_ptr() the mapping can grow to in place without asking the system for
 *  address space: to the end of the pages it maps plus the address space it holds beyond.
 *  Held in whole pages, it may be a little more than the capacity asked for: a file mapping's
 *  exact size leaves the rest of its last page, into which it grows in place with or without a
 *  capacity (100 bytes with a capacity of 4000 give one page). mmapc_size() for a mapping
 *  that cannot be resized (a file mapping that keeps no file); 0 for NULL. */
MMAPC_API size_t mmapc_capacity(const mmapc_map *map);
/**@}*/
/* ===== end of Files that change size ===== */

/* ===== Fault-safe copies ===== */
/** @name Fault-safe copies
 * Copies into and out of a mapping that turn a fault underneath (a file truncated by another
 * process, an I/O error of the disk behind a file, memory made inaccessible behind mmapc's back)
 * into MMAPC_EIO with the exact number of bytes copied, instead of a signal that ends the process.
 *
 * A guarded copy is a `memcpy` with a recovery point: when nothing faults it costs the copy, a
 * thread-local store, and on POSIX two `sigaction` queries (see below). When a fault on the
 * guarded bytes stops it, the copy is done again forward from its start, page by page and then
 * byte by byte in the page that faults, so that `*done` counts exactly the bytes before the first
 * one that cannot be copied; a fault so costs a second copy of the bytes before it. Bytes of the
 * destination past `*done` may have been written.
 *
 * Only faults inside a guarded copy of the calling thread, on the guarded bytes, are caught: the
 * mapping's side of mmapc_read() and mmapc_write() and both sides of mmapc_copy_guarded(). That is
 * SIGBUS (memory whose storage is gone) and SIGSEGV (an access violation) raised by the system
 * at an address in those bytes on POSIX; an in-page error on either side of the copy and an
 * access violation on the guarded bytes on Windows. Any other fault (an inaccessible buffer of
 * the caller's, a fault outside a guarded copy, in another thread, or in a signal handler that
 * interrupted a guarded copy) and any signal sent (kill(), pthread_kill()) goes where it would
 * have gone without mmapc.
 *
 * POSIX: the first guarded copy (or mmapc_guard_install()) installs one handler for SIGBUS and
 * SIGSEGV for the whole process, once, under a lock, and keeps the handlers it replaced. What it
 * does not catch goes to them as the system would have delivered it: mmapc's handler is
 * installed with the replaced handler's SA_ONSTACK, SA_NODEFER and `sa_mask`, so that the
 * replaced handler runs on the same stack (the alternate stack only if it asked for it) with
 * the same signals blocked, and nested faults reach it where SA_NODEFER lets them; its
 * SA_RESETHAND is done by mmapc's handler just before it calls it (the signal's disposition is
 * SIG_DFL from then on, so a fault it returns into kills the process; mmapc's handler is gone
 * for that signal too, and guarded copies refuse with MMAPC_EHANDLER until
 * mmapc_guard_install(), as after any handler installed later). The default action kills the
 * process by the signal; an ignored signal is discarded when it was sent and kills when it is a
 * fault, as the system does. A handler that jumps away (siglongjmp) from a fault passed to it
 * during a guarded copy ends that copy. A fault caught in a guarded copy leaves the thread's
 * signal mask and alternate stack as they were before it (an SS_AUTODISARM alternate stack is
 * armed again, as the return from a handler does). One difference remains: the reset of
 * SA_RESETHAND comes a moment after the delivery, so a fault of another thread in that moment
 * still reaches the replaced handler. A thread that blocks SIGBUS or SIGSEGV cannot be guarded (the
 * system kills the process). Under qemu-user a 32-bit program gets the host's address in a SIGBUS
 * (its own plus qemu's guest base); mmapc measures that offset once, at install in a 32-bit
 * process, with a fault of its own on a page of an empty shared memory object.
 *
 * A handler the program installs after mmapc's: each guarded copy first checks, with one
 * `sigaction` query per signal (a system call each, the one cost of a guarded copy on top of
 * the copy), that mmapc's handler is still the one installed; while another one is, guarded
 * copies refuse with MMAPC_EHANDLER and copy nothing, rather than let a fault reach a handler
 * that does not expect it. The program then either puts its handler in first (install it before
 * the first guarded copy: mmapc passes it every fault it does not catch), or calls
 * mmapc_guard_install() after installing it, to put mmapc's handler in front of it again. If
 * that handler itself calls the one it replaced (mmapc's), a fault outside a guarded copy that
 * comes back to mmapc's handler while it is passing it on ends with the default action rather
 * than loop. The check costs about as much as two system calls (on a virtual machine with
 * page-table isolation, about 3 us: 50 times a 4 KiB memcpy, nothing beside a 1 GiB one); a
 * program that installs no SIGBUS or SIGSEGV handler after mmapc's, or installs mmapc's again
 * after it does, turns it off with mmapc_guard_install(#MMAPC_GUARD_NO_CHECK), and a guarded
 * copy then costs a memcpy and a few stores.
 *
 * Windows: a vectored exception handler, added first in line at the first guarded copy, takes
 * EXCEPTION_IN_PAGE_ERROR (either side) and EXCEPTION_ACCESS_VIOLATION (on the guarded bytes)
 * inside a guarded copy and passes on every other exception. Handlers the program adds later with
 * AddVectoredExceptionHandler(1, ...) run before it and should pass on what they do not know;
 * MMAPC_EHANDLER never happens there. (Windows refuses to truncate a file while a view of it is
 * mapped; an in-page error comes from a failed read of the disk or network behind the view.)
 *
 * mmapc_last_os_error() after MMAPC_EIO: EIO for SIGBUS, EFAULT for SIGSEGV (POSIX);
 * ERROR_IO_DEVICE for an in-page error, ERROR_NOACCESS for an access violation (Windows).
 */
/**@{*/

/**
 * Copy @p len bytes of @p map at byte @p offset (from mmapc_ptr()) into @p buf, guarded.
 *
 * @param map    the mapping to read.
 * @param offset the first byte to read, from mmapc_ptr().
 * @param buf    where the bytes go (the caller's memory, not guarded).
 * @param len    how many bytes.
 * @param done gets the bytes copied: @p len on success, the exact count before the fault with
 *             MMAPC_EIO; untouched on any other error. May be NULL.
 * @return 0; MMAPC_EIO when the mapping faulted (`*done` bytes were copied: a short copy is an
 * error here, unlike mmapc_proc_read()'s, which succeeds with the count);
 * MMAPC_EINVAL_ARG (NULL @p map, NULL @p buf with @p len > 0, @p buf overlapping the range, or
 * @p buf + @p len past the top of the address space);
 * MMAPC_EINVAL_OFFSET (the range is not inside the mapping: `offset + len > mmapc_size()`);
 * MMAPC_EINVAL_OP (a reservation); MMAPC_EACCES (the mapping is not readable);
 * MMAPC_EHANDLER (POSIX: another signal handler displaced mmapc's, nothing copied).
 * An empty copy succeeds with `*done` = 0.
 */
MMAPC_API int mmapc_read(const mmapc_map *map, size_t offset, void *buf, size_t len, size_t *done);

/**
 * Copy @p len bytes from @p buf into @p map at byte @p offset (from mmapc_ptr()), guarded.
 * Arguments, `*done` and codes as in mmapc_read(); the mapping must be writable (MMAPC_EACCES).
 * With MMAPC_EIO, the first `*done` bytes of the range were written and the rest of the range
 * not at all where the mapping faults (past the end of a truncated file nothing can be written).
 */
MMAPC_API int mmapc_write(mmapc_map *map, size_t offset, const void *buf, size_t len, size_t *done);

/**
 * Copy @p len bytes from @p src to @p dst, any memory (a mapping that no handle owns, another
 * library's), with faults on both sides guarded: MMAPC_EIO and the exact count in `*done` when
 * either faults. @p dst and @p src must not overlap (MMAPC_EINVAL_ARG), and must not be NULL
 * when @p len > 0. `*done` and MMAPC_EHANDLER as in mmapc_read().
 */
MMAPC_API int mmapc_copy_guarded(void *dst, const void *src, size_t len, size_t *done);

/** Flags of mmapc_guard_install(). */
enum mmapc_guard_flag {
    /** From now on guarded copies do not check that mmapc's handler is still the installed one
     *  (POSIX: two `sigaction` queries per copy saved). Only for a program that installs no
     *  SIGBUS or SIGSEGV handler after this call, or calls mmapc_guard_install() again after it
     *  does: a fault in a guarded copy would otherwise go to that handler. A later call without
     *  the flag turns the check on again. No effect on Windows, which needs no check. */
    MMAPC_GUARD_NO_CHECK = 1u << 0,
};

/**
 * Install mmapc's fault handler now, in front of whatever handler is installed: on POSIX, for
 * SIGBUS and SIGSEGV, keeping the handlers it replaces to pass them the faults it does not
 * catch; on Windows, its vectored exception handler, moved first in line. Guarded copies
 * install it by themselves the first time; call this after installing a handler of your own to
 * make guarded copies work again (they refuse with MMAPC_EHANDLER until then), or early, to
 * make the first guarded copy no slower than the others. Does nothing when mmapc's handler is
 * already the installed one. @p flags: 0 or #MMAPC_GUARD_NO_CHECK (MMAPC_EINVAL_ARG for
 * another bit), which applies from now on to every guarded copy of the process.
 * @return 0, or an OS error code (the handlers are then as they were).
 */
MMAPC_API int mmapc_guard_install(unsigned flags);
/**@}*/
/* ===== end of Fault-safe copies ===== */

/* ===== Memory use per area ===== */
/** @name Memory use per area
 * How much memory each area uses (resident, proportional, shared and private, dirty, swapped,
 * locked, huge pages) and the kernel's flags of the area: opt-in, so that plain iteration and
 * queries stay as fast as they are.
 *
 * Linux reads `/proc/<pid>/smaps` (one entry per area; an iteration with usage reads it instead
 * of `maps`, whole, before the first area) and `/proc/<pid>/smaps_rollup` for the totals; keys
 * that a kernel adds later are skipped, and an entry that cannot be parsed is MMAPC_EPARSE,
 * never a zero. Windows asks `QueryWorkingSetEx` about every page of a region: it tells the
 * resident, shared, private and locked bytes (::mmapc_area_usage::known says which); the other
 * figures are unavailable there. Where the system cannot answer about another process (wine),
 * an iteration with usage of it is MMAPC_EUNSUPPORTED when it opens. Other systems return
 * MMAPC_EUNSUPPORTED.
 *
 * A figure is valid only when its bit (MMAPC_USAGE_*) is set in ::mmapc_area_usage::known;
 * the others are 0. Byte counts are in bytes (the kernel prints kB).
 */
/**@{*/

/* Bits of mmapc_area_usage::known, one per field. */
#define MMAPC_USAGE_SIZE (UINT64_C(1) << 0)              /**< size (Linux `Size`) */
#define MMAPC_USAGE_KERNEL_PAGE_SIZE (UINT64_C(1) << 1)  /**< kernel_page_size */
#define MMAPC_USAGE_MMU_PAGE_SIZE (UINT64_C(1) << 2)     /**< mmu_page_size */
#define MMAPC_USAGE_RSS (UINT64_C(1) << 3)               /**< rss */
#define MMAPC_USAGE_PSS (UINT64_C(1) << 4)               /**< pss */
#define MMAPC_USAGE_PSS_DIRTY (UINT64_C(1) << 5)         /**< pss_dirty (Linux 6.0+) */
#define MMAPC_USAGE_PSS_ANON (UINT64_C(1) << 6)          /**< pss_anon (totals only) */
#define MMAPC_USAGE_PSS_FILE (UINT64_C(1) << 7)          /**< pss_file (totals only) */
#define MMAPC_USAGE_PSS_SHMEM (UINT64_C(1) << 8)         /**< pss_shmem (totals only) */
#define MMAPC_USAGE_SHARED_CLEAN (UINT64_C(1) << 9)      /**< shared_clean */
#define MMAPC_USAGE_SHARED_DIRTY (UINT64_C(1) << 10)     /**< shared_dirty */
#define MMAPC_USAGE_PRIVATE_CLEAN (UINT64_C(1) << 11)    /**< private_clean */
#define MMAPC_USAGE_PRIVATE_DIRTY (UINT64_C(1) << 12)    /**< private_dirty */
#define MMAPC_USAGE_REFERENCED (UINT64_C(1) << 13)       /**< referenced */
#define MMAPC_USAGE_ANONYMOUS (UINT64_C(1) << 14)        /**< anonymous */
#define MMAPC_USAGE_KSM (UINT64_C(1) << 15)              /**< ksm */
#define MMAPC_USAGE_LAZY_FREE (UINT64_C(1) << 16)        /**< lazy_free */
#define MMAPC_USAGE_ANON_HUGE_PAGES (UINT64_C(1) << 17)  /**< anon_huge_pages */
#define MMAPC_USAGE_SHMEM_PMD_MAPPED (UINT64_C(1) << 18) /**< shmem_pmd_mapped */
#define MMAPC_USAGE_FILE_PMD_MAPPED (UINT64_C(1) << 19)  /**< file_pmd_mapped */
#define MMAPC_USAGE_SHARED_HUGETLB (UINT64_C(1) << 20)   /**< shared_hugetlb */
#define MMAPC_USAGE_PRIVATE_HUGETLB (UINT64_C(1) << 21)  /**< private_hugetlb */
#define MMAPC_USAGE_SWAP (UINT64_C(1) << 22)             /**< swap */
#define MMAPC_USAGE_SWAP_PSS (UINT64_C(1) << 23)         /**< swap_pss */
#define MMAPC_USAGE_LOCKED (UINT64_C(1) << 24)           /**< locked */
#define MMAPC_USAGE_THP_ELIGIBLE (UINT64_C(1) << 25)     /**< thp_eligible */
#define MMAPC_USAGE_PROTECTION_KEY (UINT64_C(1) << 26)   /**< protection_key */
#define MMAPC_USAGE_VM_FLAGS (UINT64_C(1) << 27)         /**< vm_flags */
#define MMAPC_USAGE_RESIDENT_SHARED (UINT64_C(1) << 28)  /**< resident_shared */
#define MMAPC_USAGE_RESIDENT_PRIVATE (UINT64_C(1) << 29) /**< resident_private */

/* Bits of mmapc_area_usage::vm_flags: one per two-letter code of `VmFlags` that the Linux kernel
 * documents (proc(5), Documentation/filesystems/proc.rst). A code that a later kernel adds is
 * skipped; mmapc_vm_flag_name() gives each bit's code. */
#define MMAPC_VM_READ (UINT64_C(1) << 0)          /**< `rd` readable */
#define MMAPC_VM_WRITE (UINT64_C(1) << 1)         /**< `wr` writable */
#define MMAPC_VM_EXEC (UINT64_C(1) << 2)          /**< `ex` executable */
#define MMAPC_VM_SHARED (UINT64_C(1) << 3)        /**< `sh` shared */
#define MMAPC_VM_MAYREAD (UINT64_C(1) << 4)       /**< `mr` may read */
#define MMAPC_VM_MAYWRITE (UINT64_C(1) << 5)      /**< `mw` may write */
#define MMAPC_VM_MAYEXEC (UINT64_C(1) << 6)       /**< `me` may execute */
#define MMAPC_VM_MAYSHARE (UINT64_C(1) << 7)      /**< `ms` may share */
#define MMAPC_VM_GROWSDOWN (UINT64_C(1) << 8)     /**< `gd` stack segment grows down */
#define MMAPC_VM_PFNMAP (UINT64_C(1) << 9)        /**< `pf` pure PFN range */
#define MMAPC_VM_DENYWRITE (UINT64_C(1) << 10)    /**< `dw` disabled write to the mapped file */
#define MMAPC_VM_LOCKED (UINT64_C(1) << 11)       /**< `lo` pages are locked in memory */
#define MMAPC_VM_IO (UINT64_C(1) << 12)           /**< `io` memory-mapped I/O area */
#define MMAPC_VM_SEQ_READ (UINT64_C(1) << 13)     /**< `sr` sequential read advice */
#define MMAPC_VM_RAND_READ (UINT64_C(1) << 14)    /**< `rr` random read advice */
#define MMAPC_VM_DONTCOPY (UINT64_C(1) << 15)     /**< `dc` not copied on fork */
#define MMAPC_VM_DONTEXPAND (UINT64_C(1) << 16)   /**< `de` not expanded on remap */
#define MMAPC_VM_ACCOUNT (UINT64_C(1) << 17)      /**< `ac` area is accountable */
#define MMAPC_VM_NORESERVE (UINT64_C(1) << 18)    /**< `nr` swap space is not reserved */
#define MMAPC_VM_HUGETLB (UINT64_C(1) << 19)      /**< `ht` area uses huge TLB pages */
#define MMAPC_VM_SYNC (UINT64_C(1) << 20)         /**< `sf` synchronous page faults */
#define MMAPC_VM_NONLINEAR (UINT64_C(1) << 21)    /**< `nl` non-linear mapping (before 4.0) */
#define MMAPC_VM_ARCH_1 (UINT64_C(1) << 22)       /**< `ar` architecture-specific flag */
#define MMAPC_VM_WIPEONFORK (UINT64_C(1) << 23)   /**< `wf` wiped on fork */
#define MMAPC_VM_DONTDUMP (UINT64_C(1) << 24)     /**< `dd` left out of core dumps */
#define MMAPC_VM_SOFTDIRTY (UINT64_C(1) << 25)    /**< `sd` soft-dirty */
#define MMAPC_VM_MIXEDMAP (UINT64_C(1) << 26)     /**< `mm` mixed map area */
#define MMAPC_VM_HUGEPAGE (UINT64_C(1) << 27)     /**< `hg` huge page advice */
#define MMAPC_VM_NOHUGEPAGE (UINT64_C(1) << 28)   /**< `nh` no-huge-page advice */
#define MMAPC_VM_MERGEABLE (UINT64_C(1) << 29)    /**< `mg` mergeable advice (KSM) */
#define MMAPC_VM_UFFD_MISSING (UINT64_C(1) << 30) /**< `um` userfaultfd missing-page tracking */
#define MMAPC_VM_UFFD_WP (UINT64_C(1) << 31)      /**< `uw` userfaultfd write-protect tracking */
#define MMAPC_VM_MPX (UINT64_C(1) << 32)          /**< `mp` MPX bounds table (x86, until 5.6) */
#define MMAPC_VM_ARM64_BTI (UINT64_C(1) << 33)    /**< `bt` arm64 BTI guarded page */
#define MMAPC_VM_ARM64_MTE (UINT64_C(1) << 34)    /**< `mt` arm64 MTE allocation tags enabled */
#define MMAPC_VM_UFFD_MINOR (UINT64_C(1) << 35)   /**< `ui` userfaultfd minor-fault tracking */
#define MMAPC_VM_SHADOW_STACK (UINT64_C(1) << 36) /**< `ss` shadow or guarded control stack */
#define MMAPC_VM_SEALED (UINT64_C(1) << 37)       /**< `sl` sealed (mseal) */
#define MMAPC_VM_LOCKONFAULT (UINT64_C(1) << 38)  /**< `lf` locked as they fault in; 6.1: `??` */
#define MMAPC_VM_DROPPABLE (UINT64_C(1) << 39)    /**< `dp` always lazily freeable */
#define MMAPC_VM_MAYBE_GUARD (UINT64_C(1) << 40)  /**< `gu` may contain guard regions */

/**
 * Memory use of one area, or totals of a process. Every byte count is in bytes. A field is
 * meaningful only when its MMAPC_USAGE_* bit is set in @p known (0 otherwise).
 */
typedef struct mmapc_area_usage {
    uint64_t known;            /**< MMAPC_USAGE_* bits of the fields this platform filled in */
    uint64_t size;             /**< size of the area (Linux `Size`; Windows the region) */
    uint64_t kernel_page_size; /**< page size the kernel backs the area with */
    uint64_t mmu_page_size;    /**< page size the MMU uses */
    uint64_t rss;              /**< resident in memory (`Rss`; Windows: valid in the working set) */
    uint64_t pss;              /**< proportional share of the resident memory (`Pss`) */
    uint64_t pss_dirty;        /**< proportional share of the dirty pages (`Pss_Dirty`) */
    uint64_t pss_anon;         /**< Pss of anonymous memory (`Pss_Anon`, totals only) */
    uint64_t pss_file;         /**< Pss of file memory (`Pss_File`, totals only) */
    uint64_t pss_shmem;        /**< Pss of shared memory (`Pss_Shmem`, totals only) */
    uint64_t shared_clean;     /**< resident, mapped by others too, clean (`Shared_Clean`) */
    uint64_t shared_dirty;     /**< resident, mapped by others too, dirty (`Shared_Dirty`) */
    uint64_t private_clean;    /**< resident, mapped only here, clean (`Private_Clean`) */
    uint64_t private_dirty;    /**< resident, mapped only here, dirty (`Private_Dirty`) */
    uint64_t referenced;       /**< marked referenced or accessed (`Referenced`) */
    uint64_t anonymous;        /**< belonging to no file (`Anonymous`) */
    uint64_t ksm;              /**< shared by KSM (`KSM`) */
    uint64_t lazy_free;        /**< freed with MADV_FREE, not reclaimed yet (`LazyFree`) */
    uint64_t anon_huge_pages;  /**< anonymous transparent huge pages (`AnonHugePages`) */
    uint64_t shmem_pmd_mapped; /**< shared memory mapped with huge pages (`ShmemPmdMapped`) */
    uint64_t file_pmd_mapped;  /**< file pages mapped with huge pages (`FilePmdMapped`) */
    uint64_t shared_hugetlb;   /**< hugetlbfs pages mapped by others too (`Shared_Hugetlb`) */
    uint64_t private_hugetlb;  /**< hugetlbfs pages mapped only here (`Private_Hugetlb`) */
    uint64_t swap;             /**< swapped out (`Swap`) */
    uint64_t swap_pss;         /**< proportional share of the swapped-out pages (`SwapPss`) */
    uint64_t locked; /**< locked in memory (`Locked`; Windows: locked in the working set) */
    /** Resident and mapped by other processes too: shared_clean + shared_dirty on Linux; on
     *  Windows the pages whose share count is above 1. */
    uint64_t resident_shared;
    /** Resident and mapped by this process only: private_clean + private_dirty on Linux; on
     *  Windows the resident pages whose share count is 1 at most. */
    uint64_t resident_private;
    int thp_eligible;   /**< 1 when the area may get transparent huge pages (`THPeligible`) */
    int protection_key; /**< the memory protection key (`ProtectionKey`, x86 with pkeys) */
    uint64_t vm_flags;  /**< MMAPC_VM_* bits (`VmFlags`) */
} mmapc_area_usage;

/**
 * Iterate over the areas of @p pid (MMAPC_SELF for the caller) with their memory use:
 * mmapc_areas_next() gives each area as usual and mmapc_areas_usage() its use. The listing is
 * read whole (Linux `smaps`) before the first area is returned, so it is one snapshot.
 * @return 0 and `*out` set; the errors of mmapc_areas_open(); MMAPC_EUNSUPPORTED where the
 * system cannot tell memory use (a Linux kernel without `smaps`, macOS and others for now).
 */
MMAPC_API int mmapc_areas_open_usage(mmapc_areas **out, int pid);

/**
 * As mmapc_areas_open_usage() for the areas that intersect [@p start, @p end), through an open
 * process handle (as mmapc_proc_areas()).
 */
MMAPC_API int mmapc_proc_areas_usage(mmapc_areas **out, mmapc_proc *proc, uint64_t start,
                                     uint64_t end);

/**
 * The memory use of the area that the last mmapc_areas_next() on @p it returned.
 * @return 0 and `*out` set; MMAPC_EINVAL_OP when @p it was not opened with usage or has no
 * current area (before the first area, after the end or an error); MMAPC_EINVAL_ARG.
 */
MMAPC_API int mmapc_areas_usage(const mmapc_areas *it, mmapc_area_usage *out);

/**
 * mmapc_proc_query() and the memory use of the area found. On Linux the area comes from the
 * query and its use from the matching `smaps` entry, read up to that entry and no further (the
 * kernel has no per-address smaps); when the area changes between the two reads it asks again,
 * and MMAPC_EBUSY means it kept changing.
 * @return 0 with `*out` and `*usage` set; the errors of mmapc_proc_query(); MMAPC_EPARSE,
 * MMAPC_EBUSY, MMAPC_EUNSUPPORTED (see mmapc_areas_open_usage()).
 */
MMAPC_API int mmapc_proc_query_usage(mmapc_proc *proc, uint64_t addr, mmapc_area *out,
                                     char *path_buf, size_t path_size, mmapc_area_usage *usage);

/**
 * The totals of the whole process: Linux `smaps_rollup` (one read; it also gives pss_anon,
 * pss_file and pss_shmem, and no size, page sizes, VmFlags or THPeligible); elsewhere the sum
 * of every area's use, with the bits that every area knew. A process without areas (a kernel
 * thread) gives zeros and known 0.
 * @return 0 and `*out` set; MMAPC_EINVAL_ARG, MMAPC_ESRCH, MMAPC_EPARSE, MMAPC_EUNSUPPORTED.
 */
MMAPC_API int mmapc_proc_usage_totals(mmapc_proc *proc, mmapc_area_usage *out);

/** The two-letter code of one MMAPC_VM_* bit as the kernel prints it ("rd", "sl"...), or NULL
 *  when @p flag is not exactly one known bit. */
MMAPC_API const char *mmapc_vm_flag_name(uint64_t flag);
/**@}*/
/* ===== end of Memory use per area ===== */

/* ===== Build IDs ===== */
/** @name Build IDs
 * The build ID of the file behind an area: what symbolizers and symbol servers match a binary by.
 *
 * On Linux it is the GNU build-ID note (`NT_GNU_BUILD_ID`) of the ELF file, exactly as the kernel
 * reads it: the first such note, of 1 to 20 bytes, in a `PT_NOTE` segment of an executable or
 * shared object. `PROCMAP_QUERY` (Linux 6.11+) returns it directly; without it (older kernels,
 * qemu-user, a handle opened with #MMAPC_PROC_TEXT or `MMAPC_FORCE_TEXT=1`) mmapc reads the note
 * from the file, through `/proc/<pid>/map_files/` when the path no longer leads to the area's
 * own file (deleted, replaced, another mount namespace). Both ways give the same bytes.
 *
 * On Windows it is the CodeView (`RSDS`) record of an image's debug directory, read from the
 * process's memory: the 16 bytes of the PDB GUID as stored (its first three fields
 * little-endian) followed by the 4-byte age, little-endian (20 bytes).
 *
 * An area without a build ID (anonymous memory, a pseudo-area, a file that is not ELF or has no
 * note, a Windows region that is not an image) is not an error: the size is 0.
 */
/**@{*/

/** Room for the longest build ID reported (Linux reports at most 20 bytes; Windows 20). */
#define MMAPC_BUILD_ID_MAX 32

/** Bytes of the text mmapc_build_id_hex() writes for the longest ID, its NUL included. */
#define MMAPC_BUILD_ID_HEX_SIZE (2 * MMAPC_BUILD_ID_MAX + 1)

/** A build ID: @p size bytes of @p bytes. */
typedef struct mmapc_build_id {
    size_t size;                             /**< bytes of the ID; 0 when there is none */
    unsigned char bytes[MMAPC_BUILD_ID_MAX]; /**< the ID; bytes past size are zero */
} mmapc_build_id;

/**
 * The build ID of the file behind the area that holds @p addr in @p proc.
 * With `PROCMAP_QUERY` this is one ioctl; otherwise a query of the area and a few reads of its
 * file's first bytes.
 * @return 0 and `*out` set (`out->size` 0 when the area has none); MMAPC_ENOTFOUND when no area
 * holds @p addr; MMAPC_ESRCH when the process is gone; MMAPC_EINVAL_ARG (NULL proc or out);
 * MMAPC_EACCES or MMAPC_EPERM when the file cannot be read (text path only); MMAPC_EUNSUPPORTED
 * on systems without build IDs; another OS error code.
 */
MMAPC_API int mmapc_proc_build_id(mmapc_proc *proc, uint64_t addr, mmapc_build_id *out);

/**
 * The GNU build ID of an ELF image held in memory (the file's bytes from offset 0, @p size of
 * them): 32- and 64-bit, either byte order. Reads nothing outside [@p elf, @p elf + @p size).
 * A note segment or note that does not fit where it should is passed over, as the kernel does.
 * @return 0 and `*out` set (`out->size` 0 for an ELF executable or shared object without a
 * build-ID note, and for other ELF types, which the kernel does not look into);
 * MMAPC_EPARSE when the bytes are not an ELF file, its program headers lie outside them, or a
 * malformed note was passed over and no build ID found; MMAPC_EINVAL_ARG (NULL out, or NULL
 * elf with a non-zero size).
 */
MMAPC_API int mmapc_elf_build_id(const void *elf, size_t size, mmapc_build_id *out);

/**
 * Write @p id as lowercase hexadecimal, two digits a byte in order, NUL-terminated, into
 * @p buf (@p size bytes; #MMAPC_BUILD_ID_HEX_SIZE is always enough). An ID of size 0 gives "".
 * @return 0; MMAPC_EINVAL_SIZE when @p buf is too small (nothing written); MMAPC_EINVAL_ARG
 * (NULL id or buf, or id->size above #MMAPC_BUILD_ID_MAX).
 */
MMAPC_API int mmapc_build_id_hex(const mmapc_build_id *id, char *buf, size_t size);
/**@}*/
/* ===== end of Build IDs ===== */

/* ===== Another process's memory ===== */
/** @name Another process's memory
 * Read and write the memory of a process opened with mmapc_proc_open() (MMAPC_SELF included),
 * with the exact count of bytes done when the range runs into memory that is not there.
 *
 * Linux uses process_vm_readv() / process_vm_writev(), and `/proc/<pid>/mem` where those are
 * missing (ENOSYS: kernels without cross-memory attach, emulators) or refused by a filter
 * (EPERM from seccomp, as container runtimes install). Either needs the right to trace the
 * process (ptrace access mode "attach": the same user and no Yama restriction, or
 * CAP_SYS_PTRACE); without it the call is MMAPC_EPERM. The process is named by its id: if it
 * ends and is reaped while the handle is open, a new process may take the id, so keep the
 * process from being reaped (be its parent, or stop it) while reading it. Windows uses
 * ReadProcessMemory() / WriteProcessMemory() on the handle's process handle (a write opens the
 * process again with PROCESS_VM_WRITE | PROCESS_VM_OPERATION at its first use).
 *
 * The target's protection is honoured on every path: a read stops at a page that is not
 * readable, a write at one that is not writable (no breakpoint goes into read-only code).
 * `/proc/<pid>/mem` and WriteProcessMemory() would go through a protection, as a debugger does
 * (and wine's ReadProcessMemory() reads inaccessible pages), so there, and on Windows always, the
 * range is first bounded by the protections of the areas (a query per area), and every path
 * copies the same bytes. Under qemu-user, which has no process_vm_readv(), the mem file is used;
 * an emulator that places a (32-bit) guest at an offset in its own address space makes it read
 * the wrong addresses, and `/proc/<pid>/map_files` name them too.
 */
/**@{*/

/**
 * Copy @p len bytes from address @p addr of @p proc into @p buf.
 * The copy runs from @p addr up and stops at the first page that is not mapped or not readable:
 * `*done` gets the count of bytes copied, @p len when the whole range was read, fewer when the
 * byte at `addr + *done` could not be read (0 when @p addr itself cannot). Bytes of @p buf past
 * `*done` may have been written. @p done may be NULL, as in mmapc_read(), for a caller that
 * does not need the count.
 *
 * A short copy succeeds here, where mmapc_read() and mmapc_write() fail with MMAPC_EIO: another
 * process's address space has holes and pages it may not read as a matter of course (reading
 * up to the first one is how it is explored), while a fault in one's own mapping means its
 * storage is gone. Either way `*done` counts the bytes copied.
 * @return 0 and `*done` set (also for a short copy); MMAPC_EPERM (or MMAPC_EACCES on Windows)
 * when the system forbids reading the process; MMAPC_ESRCH when it has ended; MMAPC_EINVAL_ARG
 * (NULL proc, NULL buf with a non-zero len); MMAPC_EUNSUPPORTED on systems without it;
 * another OS error code.
 */
MMAPC_API int mmapc_proc_read(mmapc_proc *proc, uint64_t addr, void *buf, size_t len, size_t *done);

/**
 * Copy @p len bytes from @p buf to address @p addr of @p proc, from @p addr up, stopping at the
 * first page that is not mapped or cannot be written (see above): `*done` gets the count of
 * bytes written, @p len when all were.
 * @return the codes of mmapc_proc_read().
 */
MMAPC_API int mmapc_proc_write(mmapc_proc *proc, uint64_t addr, const void *buf, size_t len,
                               size_t *done);
/**@}*/
/* ===== end of Another process's memory ===== */

/* ===== Working set ===== */
/** @name Working set
 * How much of its memory a process touches: the bytes of each area accessed (read or written)
 * and written during an interval, as Brendan Gregg's `wss.pl` measures them. Start the interval
 * with mmapc_proc_wss_reset(), let the process run, then read each area's figures with
 * mmapc_proc_wss_areas() and mmapc_wss_areas_next().
 *
 * Linux: the reset writes `1` to `/proc/<pid>/clear_refs` (the accessed bits of every page of the
 * process are cleared) and `4` (the soft-dirty bits; its flush of the process's TLB entries makes
 * every later access show, so it is written after `1` also where the kernel keeps no soft-dirty
 * bits, but not where it would clear soft-dirty bits that were not asked for: a page whose
 * translation a CPU still caches may then be accessed unseen); the read takes each area's
 * `Referenced` from `/proc/<pid>/smaps` and counts its resident or swapped pages whose soft-dirty
 * bit (bit 55 of `/proc/<pid>/pagemap`) is set. Soft-dirty is missing where the kernel was built
 * without `CONFIG_MEM_SOFT_DIRTY` (the write of `4` is accepted and no bit is ever set; arm64 never
 * has it): mmapc_wss_support() probes for it, and written bytes are then unknown, never 0. An area
 * mapped after the reset counts its resident pages as written (the kernel marks a new area
 * soft-dirty as a whole).
 *
 * Windows: the reset empties the working set of the process (`SetProcessWorkingSetSize` with
 * -1, -1: the process handle is opened again with `PROCESS_SET_QUOTA`); a page in the working set
 * at the read (`QueryWorkingSetEx`: valid) was accessed since. Windows keeps no record of writes
 * that another process may read: written bytes are unknown there. Other systems:
 * MMAPC_EUNSUPPORTED.
 *
 * Side effects: clearing the accessed bits makes the kernel's page reclaim take every page of
 * the process for idle for a while (Windows: the pages leave the working set and fault back in);
 * clearing soft-dirty is process-wide and disturbs any other user of the bits (CRIU's incremental
 * dumps). Cost: the read is one smaps read; the written count is a `PAGEMAP_SCAN` ioctl per area
 * that holds resident or swapped pages (Linux 6.7+), or a read of its 8-byte pagemap entries.
 */
/**@{*/

/** Figures of the working set: bits of mmapc_wss_support(), of mmapc_proc_wss_reset() and
 *  mmapc_proc_wss_areas() arguments, and of ::mmapc_wss::known. */
#define MMAPC_WSS_ACCESSED 1u /**< bytes accessed (read or written): the accessed bits */
#define MMAPC_WSS_WRITTEN 2u  /**< bytes written: the soft-dirty bits (Linux) */

/** The working set of one area during an interval. */
typedef struct mmapc_wss {
    unsigned known;    /**< MMAPC_WSS_* bits of the figures measured; the others are 0 */
    uint64_t accessed; /**< bytes of pages accessed since the reset */
    uint64_t written;  /**< bytes of pages written since the reset */
} mmapc_wss;

/**
 * Which figures this system can measure: `*out` gets MMAPC_WSS_* bits (0 where it can measure
 * none). Linux probes once whether the kernel keeps soft-dirty bits (in the calling process,
 * without clearing anything).
 * @return 0 and `*out` set; MMAPC_EINVAL_ARG for NULL.
 */
MMAPC_API int mmapc_wss_support(unsigned *out);

/**
 * Start an interval: clear the bits that @p what (MMAPC_WSS_* bits) names, in every page of the
 * process @p proc (MMAPC_SELF included). The bits are the process's, not the caller's: two
 * measurers of one process reset each other's intervals.
 * @return 0; MMAPC_EINVAL_ARG (NULL, @p what 0 or an unknown bit); MMAPC_EUNSUPPORTED when the
 * system cannot measure a figure asked for (nothing is cleared then); MMAPC_ESRCH when the
 * process has ended; MMAPC_EACCES (Linux: `clear_refs` may be written by the process's owner
 * only; Windows: no `PROCESS_SET_QUOTA` right) or MMAPC_EPERM; another OS error code.
 */
MMAPC_API int mmapc_proc_wss_reset(mmapc_proc *proc, unsigned what);

/** An iteration over areas with their working set (mmapc_proc_wss_areas()). */
typedef struct mmapc_wss_areas mmapc_wss_areas;

/**
 * Iterate over the areas of @p proc that intersect [@p start, @p end) (0 and UINT64_MAX: all)
 * with the figures @p what asks for (MMAPC_WSS_* bits; those the system cannot measure are left
 * out of ::mmapc_wss::known). The figures tell what happened since the last reset of each bit
 * (written: or since the area was mapped). The areas and accessed bytes are one snapshot (Linux
 * `smaps`, read whole first); written bytes are counted as each area comes. The process handle
 * must outlive the iteration.
 * @return 0 and `*out` set; MMAPC_EINVAL_ARG (NULL, @p what 0 or an unknown bit); the errors of
 * mmapc_proc_areas_usage(); MMAPC_EUNSUPPORTED where the system measures nothing.
 */
MMAPC_API int mmapc_proc_wss_areas(mmapc_wss_areas **out, mmapc_proc *proc, uint64_t start,
                                   uint64_t end, unsigned what);

/**
 * The next area and its working set (its strings valid until the next call on @p it).
 * @return 1 with `*area` and `*wss` set; 0 at the end; the errors of mmapc_areas_next(), and of
 * reading the written bits (MMAPC_ESRCH: the process ended), after which every call returns the
 * same error.
 */
MMAPC_API int mmapc_wss_areas_next(mmapc_wss_areas *it, mmapc_area *area, mmapc_wss *wss);

/** End an iteration. Accepts NULL. */
MMAPC_API void mmapc_wss_areas_close(mmapc_wss_areas *it);
/**@}*/
/* ===== end of Working set ===== */
/* ------------------------------------------------------------------------------------------ */
/* ===== Page state of a process ===== */
/** @name Page state of a process
 * The state of each page of a range of a process opened with mmapc_proc_open() (MMAPC_SELF
 * included): whether it is in memory, swapped out, a page of a file or of shared memory, mapped
 * by this process alone, soft-dirty, write-protected by userfaultfd, part of a huge page, and its
 * physical frame where the system shows it. Pages of equal state come as one run, so a range of
 * a gigabyte with a few pages touched is a few runs.
 *
 * Every run says what it knows: a bit of ::mmapc_page_run::flags is true when set, false when
 * clear, and unknown when set in ::mmapc_page_run::unknown (then it is clear in flags). Nothing
 * the system does not tell is guessed: a kernel without soft-dirty tracking
 * (CONFIG_MEM_SOFT_DIRTY off, arm64) reports MMAPC_PAGE_SOFT_DIRTY unknown rather than clean, and
 * the physical frame is given only where the system shows it (Linux: to a reader with
 * CAP_SYS_ADMIN; others see it as unknown).
 *
 * Linux asks the `PAGEMAP_SCAN` ioctl (Linux 6.7+), which sums up runs of pages in one call, and
 * reads `/proc/<pid>/pagemap` for what the ioctl does not tell (whether a page is mapped by this
 * process alone, its frame) for the pages in memory only. Kernels and emulators without the ioctl
 * (Linux 6.1, qemu-user) are detected once and answered from `/proc/<pid>/pagemap` alone; there
 * MMAPC_PAGE_HUGE is unknown for pages in memory (the file has no such bit). The environment
 * variable `MMAPC_FORCE_PAGEMAP=1` (read once per process) or MMAPC_PAGES_READ takes that way
 * everywhere. Reading another process's pagemap needs the right to read its memory as a debugger
 * (the same user and no Yama restriction, or CAP_SYS_PTRACE), else MMAPC_EACCES. Pages of memory
 * registered for userfaultfd write protection that were never touched show as swapped (the
 * kernel's marker), write-protected.
 *
 * Windows asks QueryWorkingSetEx: a page in the working set is present; MMAPC_PAGE_FILE is a page
 * of a section (a file or shared memory), MMAPC_PAGE_EXCLUSIVE one that no other process shares,
 * MMAPC_PAGE_HUGE a large page. Whether a page is in the page file, soft-dirty or
 * write-protected, and its frame, are not told there (unknown). macOS and other systems return
 * MMAPC_EUNSUPPORTED.
 *
 * The state is read while the process runs, a piece at a time: pages that change meanwhile may
 * be seen before or after the change (stop the process for one instant's picture).
 */
/**@{*/

/** Bits of mmapc_page_run::flags and mmapc_page_run::unknown. */
enum mmapc_page_flag {
    /** No area there: the run is a hole in the address space, and no other bit is set. */
    MMAPC_PAGE_UNMAPPED = 1u << 0,
    /** In memory (Linux pagemap bit 63; Windows: in the working set). */
    MMAPC_PAGE_PRESENT = 1u << 1,
    /** In swap (bit 62), or a userfaultfd marker of a never-touched write-protected page. */
    MMAPC_PAGE_SWAPPED = 1u << 2,
    /** A page of a file or of shared memory (page cache, shmem), not private anonymous memory
     *  (bit 61). A private file mapping's page is one until it is written, when it becomes a
     *  private copy. */
    MMAPC_PAGE_FILE = 1u << 3,
    /** In memory and mapped by this process alone (bit 56; Windows: not shared with another
     *  process). */
    MMAPC_PAGE_EXCLUSIVE = 1u << 4,
    /** Written since the soft-dirty bits were last cleared (bit 55; `/proc/<pid>/clear_refs`). */
    MMAPC_PAGE_SOFT_DIRTY = 1u << 5,
    /** Write-protected by userfaultfd (bit 57). */
    MMAPC_PAGE_WP = 1u << 6,
    /** Mapped as part of a huge page (a transparent huge page mapped whole, or hugetlbfs). */
    MMAPC_PAGE_HUGE = 1u << 7,
    /** mmapc_page_run::frame holds the physical frame number of the run's first page, and the
     *  run's pages are at consecutive frames. Clear for pages not in memory. */
    MMAPC_PAGE_FRAME = 1u << 8,
};

/** Flags of mmapc_proc_pages(). */
enum mmapc_pages_flag {
    /** Only what the fastest way tells: on Linux with `PAGEMAP_SCAN`, one ioctl and no read of
     *  the pagemap file; MMAPC_PAGE_EXCLUSIVE and MMAPC_PAGE_FRAME are then unknown everywhere. */
    MMAPC_PAGES_QUICK = 1u << 0,
    /** Linux: read `/proc/<pid>/pagemap` alone, as on a kernel without `PAGEMAP_SCAN`. */
    MMAPC_PAGES_READ = 1u << 1,
};

/** A run of pages of equal state, from mmapc_proc_pages(). */
typedef struct mmapc_page_run {
    uint64_t start;   /**< address of the first page */
    uint64_t pages;   /**< number of pages (of the system's page size, mmapc_page_size()) */
    uint64_t frame;   /**< with MMAPC_PAGE_FRAME: physical frame number of the first page; else 0 */
    unsigned flags;   /**< MMAPC_PAGE_* bits that are true */
    unsigned unknown; /**< MMAPC_PAGE_* bits that the system does not tell for these pages */
} mmapc_page_run;

/**
 * The state of the pages that hold [@p addr, @p addr + @p len) in @p proc, as runs of pages of
 * equal state in ascending order: runs[0] starts at @p addr's page, each run starts where the one
 * before ends, and two runs next to each other differ in state (or their frames are not
 * consecutive). Holes between areas come as MMAPC_PAGE_UNMAPPED runs.
 *
 * At most @p cap runs are written; `*count` gets how many, and `*next` the address up to which
 * the range is described (its last page's end when all of it is; less when @p runs was full, and
 * then a call from `*next` goes on). A @p len of 0 describes nothing: `*count` 0, `*next` @p addr.
 * @return 0 with `*count` and `*next` set; MMAPC_EINVAL_ARG (NULL proc, count or next, NULL runs
 * with a non-zero cap, an unknown flag); MMAPC_EINVAL_OFFSET when the range runs past 2^64 or
 * past the end of the process's user address space (all of it, for a process without one, as
 * a kernel thread); MMAPC_ESRCH when the process has ended; MMAPC_EACCES when its pages may not
 * be read; MMAPC_EUNSUPPORTED on systems without it. Nothing is written on failure.
 */
MMAPC_API int mmapc_proc_pages(mmapc_proc *proc, uint64_t addr, uint64_t len, unsigned flags,
                               mmapc_page_run *runs, size_t cap, size_t *count, uint64_t *next);

/**
 * The MMAPC_PAGE_* bits that this system can tell about pages, MMAPC_PAGE_UNMAPPED included
 * (0 where mmapc_proc_pages() is unsupported). MMAPC_PAGE_SOFT_DIRTY is in it only where the
 * kernel tracks soft-dirty pages (probed once: the bit of a page just written); MMAPC_PAGE_FRAME
 * is in it where the system can show frames to someone (a given reader may still not see them).
 */
MMAPC_API unsigned mmapc_pages_reported(void);
/** The name of one MMAPC_PAGE_* bit, e.g. "present", "soft_dirty" (NULL for another value). */
MMAPC_API const char *mmapc_page_flag_name(unsigned flag);
/**@}*/
/* ===== end of Page state of a process ===== */

/* ===== Write tracking ===== */
/** @name Write tracking
 * Which pages of a mapping were written since a moment: for incremental snapshots and
 * checkpoints (copy or restore only the pages a run dirtied), garbage collectors' dirty cards,
 * databases that flush only changed pages.
 *
 * mmapc_track_start() starts tracking a committed mapping; mmapc_track_bitmap() and
 * mmapc_track_runs() report the pages of a range written since the last report (or the start)
 * and reset them in the same call. Nothing is lost: a write that races with a report shows up
 * in that report or in the next one, never in neither. Each tracked mapping has its own record:
 * a report on one never changes what another reports (the process-wide soft-dirty bits of
 * Linux, which a reset clears for every user, are therefore not used).
 *
 * A page counts as written when its content may have changed: a store, and also a discard
 * (mmapc_discard(): the page reads as zeros now) and a decommit followed by a commit (every
 * page of the mapping counts as written after mmapc_commit()). A report may name a page that a
 * store reached only after the page was reported by the previous one (the store raced the
 * report), never miss one.
 *
 * Backends, queried by mmapc_track_backend():
 * - #MMAPC_TRACKER_UFFD_WP, Linux 6.7+: userfaultfd asynchronous write protection and the
 *   PAGEMAP_SCAN ioctl, which reports the written pages and protects them again atomically, in
 *   the kernel, with no signal and no handler thread. A write after a reset costs one minor
 *   fault inside the kernel. Private anonymous memory and shared memory (memory objects,
 *   MMAPC_SHARED anonymous); two descriptors per tracked mapping. Chosen when a probe (once per
 *   process) finds it working: not on Linux before 6.7, nor under an emulator that lacks it.
 * - #MMAPC_TRACKER_MPROTECT, every POSIX system: the tracked pages are made read-only, and
 *   mmapc's SIGSEGV handler (the one of guarded copies, mmapc_guard_install()) records the first
 *   write to each and makes the page writable again; a report makes the written pages read-only
 *   again. A write after a reset costs a signal and two mprotect calls. Faults that are not a
 *   first write to a tracked page go where they would without mmapc. The program must leave the
 *   handler in place (a SIGSEGV handler installed later must pass faults on to it, or call
 *   mmapc_guard_install() again), must not change the protection of tracked pages other than by
 *   mmapc_protect(), and a write by the kernel into a read-only tracked page (read() into it)
 *   fails with EFAULT instead of faulting: write such buffers yourself first, or use the
 *   uffd-wp backend. At most 64 mappings are tracked this way at a time (MMAPC_ELIMIT). Under
 *   valgrind, which does not resume a store that faulted as the system does, this backend is
 *   refused (MMAPC_EUNSUPPORTED).
 * - #MMAPC_TRACKER_WRITE_WATCH (Windows): the system's write watch of the allocation
 *   (VirtualAlloc(MEM_WRITE_WATCH)); a report is GetWriteWatch(WRITE_WATCH_FLAG_RESET), which
 *   reports and resets each page atomically: a write during a report is in this report or the
 *   next, never lost. Windows can watch only memory allocated so, which is why a mapping must be
 *   created with #MMAPC_TRACK_WRITES to be tracked there: mmapc_track_start() on such a mapping
 *   (again after mmapc_track_stop()) forgets the writes before it and tracks from then on; on
 *   any other mapping (anonymous memory created without the flag, a file mapping, a view of
 *   shared memory) it is MMAPC_EUNSUPPORTED and nothing changed. A write costs nothing more
 *   than an untracked one. Windows has no mprotect backend (#MMAPC_TRACK_MPROTECT is
 *   MMAPC_EUNSUPPORTED). Pieces of a split mapping share the allocation and each reports its
 *   own pages; after mmapc_decommit() and mmapc_commit() every page counts as written, as on
 *   the other systems, whatever the system's watch says of the pages committed again.
 *
 * With other calls: split pieces share their mapping's record, and each reports its own pages;
 * a merge needs both mappings tracked by the same record (pieces of one tracked mapping) or both
 * untracked (MMAPC_EATTR_MISMATCH otherwise: stop tracking one first); mmapc_protect() keeps
 * tracking (a read-only tracked mapping faults on a write as an untracked one does);
 * mmapc_decommit() suspends it (a report on a reservation is MMAPC_EINVAL_OP) and
 * mmapc_commit() resumes it with every page counted as written; mmapc_unmap() stops it;
 * mmapc_resize() of a tracked mapping is MMAPC_EINVAL_OP.
 *
 * In a child made by fork(), a mapping tracked by uffd-wp is not tracked (the kernel does not
 * copy the protection, and the inherited descriptors act on the parent's memory): reports there
 * are MMAPC_EBADF until mmapc_track_stop() and mmapc_track_start() again. The mprotect backend
 * goes on working in the child.
 */
/**@{*/

/** How a mapping's writes are tracked (mmapc_track_backend()). */
typedef enum mmapc_tracker {
    MMAPC_TRACKER_NONE = 0,        /**< not tracked */
    MMAPC_TRACKER_UFFD_WP = 1,     /**< Linux userfaultfd write protection + PAGEMAP_SCAN */
    MMAPC_TRACKER_MPROTECT = 2,    /**< read-only pages and mmapc's fault handler */
    MMAPC_TRACKER_WRITE_WATCH = 3, /**< Windows write watch (MEM_WRITE_WATCH, GetWriteWatch()) */
} mmapc_tracker;

/** Flags of mmapc_track_start(). */
enum mmapc_track_flag {
    /** Use the mprotect backend even where a kernel backend works (tests, measurements). */
    MMAPC_TRACK_MPROTECT = 1u << 0,
    /** Use a kernel backend (uffd-wp, write watch) or fail with MMAPC_EUNSUPPORTED: no
     *  fallback to the mprotect backend. */
    MMAPC_TRACK_KERNEL_ONLY = 1u << 1,
};
/** Every flag of mmapc_track_start(). */
#define MMAPC_TRACK_FLAGS_ALL (MMAPC_TRACK_MPROTECT | MMAPC_TRACK_KERNEL_ONLY)

/** A run of written pages, in bytes from mmapc_ptr() (whole pages of the mapping). */
typedef struct mmapc_track_run {
    size_t offset; /**< first byte of the run */
    size_t len;    /**< bytes in the run, a multiple of the page size */
} mmapc_track_run;

/**
 * Start tracking the writes to @p map, a committed mapping (its whole pages), with the best
 * backend the system has, unless @p flags ask for one. From now on no page counts as written.
 * @param map   the mapping to track.
 * @param flags 0, #MMAPC_TRACK_MPROTECT or #MMAPC_TRACK_KERNEL_ONLY (not both).
 * @return 0; MMAPC_EINVAL_ARG (NULL @p map, an unknown flag, both flags); MMAPC_EINVAL_OP (a
 * reservation, an empty mapping, a mapping already tracked, a sealed one); MMAPC_EUNSUPPORTED
 * (no backend: on Windows a mapping created without #MMAPC_TRACK_WRITES, a file mapping, or
 * #MMAPC_TRACK_MPROTECT; #MMAPC_TRACK_KERNEL_ONLY where the kernel has none, or for a file
 * mapping, which only the mprotect backend tracks); MMAPC_ELIMIT (descriptors or
 * trackers exhausted with #MMAPC_TRACK_KERNEL_ONLY or #MMAPC_TRACK_MPROTECT; without a flag the
 * other backend is tried); MMAPC_EHANDLER (another SIGSEGV handler displaced mmapc's); an OS
 * error. On failure nothing changed.
 */
MMAPC_API int mmapc_track_start(mmapc_map *map, unsigned flags);

/**
 * Stop tracking @p map: its pages get the mapping's protection back. Pieces split from it
 * before go on being tracked. 0 for a mapping that is not tracked.
 * @return 0; MMAPC_EINVAL_ARG (NULL); an OS error (still tracked).
 */
MMAPC_API int mmapc_track_stop(mmapc_map *map);

/** The backend that tracks @p map; #MMAPC_TRACKER_NONE when it is not tracked or NULL. */
MMAPC_API mmapc_tracker mmapc_track_backend(const mmapc_map *map);

/**
 * Report the pages of [@p offset, @p offset + @p len) of @p map written since the last report
 * that covered them, as a bitmap, and reset them: bit i (bit `i % 8` of byte `i / 8`) of
 * @p bits is 1 when page i of the range was written. @p bits gets `len / page size` bits
 * (rounded up to whole bytes: the spare bits are 0).
 * @param map    a tracked mapping.
 * @param offset a multiple of the mapping's page size, from mmapc_ptr().
 * @param len a multiple of the page size (the end of the mapping may also end the range).
 * @param bits   gets the bitmap: `(len / page size + 7) / 8` bytes.
 * @param count gets the number of pages written (bits set). May be NULL.
 * @return 0; MMAPC_EINVAL_ARG (NULL @p map, NULL @p bits with @p len > 0);
 * MMAPC_EINVAL_OFFSET (the range not inside the mapping, or not on page boundaries);
 * MMAPC_EINVAL_OP (not tracked, or a reservation); MMAPC_EBADF (uffd-wp in a child made by
 * fork()); an OS error. A refused call (any code but an OS error) resets nothing and leaves
 * @p bits untouched; after an OS error part of the range may have been reported in @p bits and
 * reset.
 */
MMAPC_API int mmapc_track_bitmap(mmapc_map *map, size_t offset, size_t len, unsigned char *bits,
                                 size_t *count);

/**
 * Report the written pages of [@p offset, @p offset + @p len) of @p map as runs of pages, and
 * reset them, up to @p capacity runs: `*count` gets the runs written to @p runs (ascending,
 * none adjacent to the next unless @p runs filled up between them) and `*next` the offset where
 * the report stopped: `offset + len` when the whole range was reported, less when @p runs
 * filled up, and then the pages from `*next` on were neither reported nor reset: call again
 * from `*next`. The report goes in steps of up to 4096 pages, smaller when fewer than 2048
 * entries are left (a step of k pages holds at most (k + 1) / 2 runs), so a small array costs
 * more system calls. Arguments and codes as in mmapc_track_bitmap(); @p capacity 0, or NULL
 * @p runs, @p count or @p next, is MMAPC_EINVAL_ARG.
 */
MMAPC_API int mmapc_track_runs(mmapc_map *map, size_t offset, size_t len, mmapc_track_run *runs,
                               size_t capacity, size_t *count, size_t *next);

/**
 * As mmapc_track_bitmap(), without the reset: the pages stay as they are, and the next report
 * names them again (with those written since). With mmapc_track_reset() it makes the loop of a
 * snapshot that restores what a run dirtied: peek, copy the written pages back, reset. Copying
 * into pages that a report-and-reset has just protected again would make every copied page
 * fault (and count as written at the next report).
 * @param map    a tracked mapping.
 * @param offset a multiple of the mapping's page size, from mmapc_ptr().
 * @param len    a multiple of the page size (the end of the mapping may also end the range).
 * @param bits   gets the bitmap: `(len / page size + 7) / 8` bytes.
 * @param count  gets the number of pages written (bits set). May be NULL.
 * @return the codes of mmapc_track_bitmap(); after an OS error nothing was reset.
 */
MMAPC_API int mmapc_track_peek(mmapc_map *map, size_t offset, size_t len, unsigned char *bits,
                               size_t *count);

/**
 * As mmapc_track_runs(), without the reset (see mmapc_track_peek()).
 * @return the codes of mmapc_track_runs(); after an OS error nothing was reset.
 */
MMAPC_API int mmapc_track_peek_runs(mmapc_map *map, size_t offset, size_t len,
                                    mmapc_track_run *runs, size_t capacity, size_t *count,
                                    size_t *next);

/**
 * Reset the pages of [@p offset, @p offset + @p len) of @p map without reporting them: from
 * now on none of them counts as written. A write that comes between the caller's last look and
 * this call is forgotten, which is what a caller wants after it has written the pages itself
 * (restored them from a snapshot) while nothing else wrote to them; to lose nothing, report
 * with mmapc_track_bitmap() or mmapc_track_runs() instead.
 * @param map    a tracked mapping.
 * @param offset a multiple of the mapping's page size, from mmapc_ptr().
 * @param len    a multiple of the page size (the end of the mapping may also end the range).
 * @return 0; the codes of mmapc_track_bitmap(); after an OS error part of the range may have
 * been reset.
 */
MMAPC_API int mmapc_track_reset(mmapc_map *map, size_t offset, size_t len);
/**@}*/
/* ===== end of Write tracking ===== */

#ifdef __cplusplus
}
#endif

#endif /* MMAPC_H */
