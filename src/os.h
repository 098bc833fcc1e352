// SPDX-License-Identifier: MIT
/*
 * The platform seam. The portable core (map.c, areas.c) calls only these primitives; each
 * platform implements them in src/os/<platform>.c. Every primitive takes arguments the core has
 * already checked and aligned, does one OS thing, and returns 0 or a negative MMAPC_E* code
 * (after recording the raw OS error with mmapc__os_fail()).
 */
#ifndef MMAPC_OS_H
#define MMAPC_OS_H

#include "internal.h"

/* ---- platform facts (cheap after the first call; safe from any thread) ---- */
size_t mmapc__os_page_size(void);
size_t mmapc__os_granularity(void);
/* One past the last file byte a mapping can reach (2^44 for a 32-bit POSIX program, whose mmap2
 * counts the offset in 4096-byte units in a 32-bit word). */
uint64_t mmapc__os_file_end_limit(void);
/* Huge page sizes the system offers, ascending; *count gets the total. */
int mmapc__os_huge_page_sizes(size_t *sizes, size_t capacity, size_t *count);
size_t mmapc__os_default_huge_page_size(void);

/* ---- files ---- */
typedef struct mmapc__file_info {
    uint64_t size;
    uint64_t id[2]; /* identifies the file: device and inode on POSIX */
} mmapc__file_info;
#if defined(_WIN32)
int mmapc__os_file_info(mmapc_file file, mmapc__file_info *info);
#else
/* mmapc__os_file_info(), mmapc__os_map_plain() and mmapc__os_release(), inline */
#include "os/posix_hot.h"
#endif
int mmapc__os_file_dup(mmapc_file file, mmapc_file *out);
void mmapc__os_file_close(mmapc_file file);

/* ---- mappings ----
 * rq describes the whole mapping; b is the backing record the core allocated for it (the
 * platform may keep state in b->os). */
/* Create a committed mapping; *out gets its address. */
int mmapc__os_map(const mmapc__request *rq, mmapc__backing *b, void **out);
/* The plain mapping, the one most calls ask for: size bytes (whole pages) with prot, private,
 * no option; of *file from offset (aligned), or anonymous when file is NULL. The same as
 * mmapc__os_map() with such a request, in fewer steps (POSIX: one mmap, inline). b->os is not
 * zeroed: the platform sets what it keeps there. */
#if defined(_WIN32)
int mmapc__os_map_plain(mmapc__backing *b, size_t size, mmapc_prot prot, const mmapc_file *file,
                        uint64_t offset, void **out);
#endif
/* Reserve inaccessible address space for rq without committing memory. */
int mmapc__os_reserve(const mmapc__request *rq, mmapc__backing *b, void **out);
/* Turn the reservation at addr (rq->size bytes) into the mapping rq describes. On failure the
 * range is still reserved. */
int mmapc__os_commit(const mmapc__request *rq, mmapc__backing *b, void *addr);
/* Give back [addr, addr + size), a piece of b (addr NULL: no piece); last is non-zero when no
 * other piece of b remains, so the platform may release b's whole allocation and its own state.
 * On failure (POSIX: munmap refused at the limit of memory areas) nothing has changed. */
#if defined(_WIN32)
int mmapc__os_release(mmapc__backing *b, void *addr, size_t size, int last);
#endif
/* For a piece that could not be released: make it unusable without needing a new memory area,
 * giving its pages back and making it inaccessible where the system can. */
void mmapc__os_abandon(void *addr, size_t size);
int mmapc__os_protect(void *addr, size_t size, mmapc_prot prot);
int mmapc__os_flush(mmapc__backing *b, void *addr, size_t size, int async);
int mmapc__os_lock(void *addr, size_t size);
int mmapc__os_unlock(void *addr, size_t size);
int mmapc__os_flush_icache(const void *addr, size_t size);

/* ===== Memory areas (areas.c is the portable side; src/os/linux_areas.c, windows.c) ==========
 * A platform offers a direct query (the area at or after an address: PROCMAP_QUERY on Linux,
 * VirtualQueryEx on Windows) and/or a text listing in the format of src/maps_parse.h (Linux
 * /proc/<pid>/maps). areas.c builds every public call from these; it uses the direct query
 * when there is one (and the caller did not ask for text), and otherwise the listing. Iteration
 * reads the listing when the platform has one, and otherwise steps with the direct query. */

/* An open process, defined by each platform file. Primitives on it may run from several threads
 * at once: the platform keeps no per-call state in it (Linux opens a MMAPC_SELF handle's own
 * descriptor, lock-free, when it finds itself in a forked child). */
typedef struct mmapc__proc mmapc__proc;

/* Open pid (MMAPC_SELF: the calling process, following fork). MMAPC_ESRCH when there is no such
 * process, MMAPC_EACCES / MMAPC_EPERM when it may not be read. With MMAPC__PROC_ONCE the handle
 * serves one call right away (a one-shot query or iteration), so the platform may hand what it
 * opened to the first text stream instead of opening again. */
#define MMAPC__PROC_ONCE 1u
int mmapc__os_proc_open(int pid, unsigned flags, mmapc__proc **out);
void mmapc__os_proc_close(mmapc__proc *p);

/* Room on the caller's stack for an open process that serves one call (mmapc_area_query), so
 * that a one-shot query makes no trip to the heap. */
typedef union mmapc__proc_room {
    _Alignas(8) uint64_t words[6]; /* 8: a 64-bit atomic's alignment on 32-bit systems too */
    void *ptrs[6];
} mmapc__proc_room;
/* As mmapc__os_proc_open() with MMAPC__PROC_ONCE, the state kept in *room where it fits (Linux;
 * elsewhere, src/os/no_area_at.c, on the heap as mmapc__os_proc_open() keeps it); closed with
 * mmapc__os_proc_close_room() before room goes. */
int mmapc__os_proc_open_room(int pid, mmapc__proc_room *room, mmapc__proc **out);
void mmapc__os_proc_close_room(mmapc__proc *p);

/* Direct query: fill *out with the first area whose end is above addr (the one holding addr, or
 * the next one up) with every field except path, and copy its name (file path, or the pseudo
 * name "[heap]", "[anon:x]", with a " (deleted)" suffix as the system prints it; "" for none)
 * NUL-terminated into name[0..cap), with *name_len its full length. The name is complete when
 * *name_len < cap; otherwise only *name_len is meant, and the caller asks again with a buffer of
 * *name_len + 1 bytes.
 * Returns MMAPC_ENOTFOUND when no area is at or above addr; MMAPC_EUNSUPPORTED when the system
 * cannot answer directly (no PROCMAP_QUERY, detected once; a name it cannot report in full), so
 * that the caller uses the text listing; MMAPC_ESRCH when the process is gone. */
int mmapc__os_area_from(mmapc__proc *p, uint64_t addr, mmapc_area *out, char *name, size_t cap,
                        size_t *name_len);
/* As mmapc__os_area_from(), for the area that holds addr only, its name read straight into the
 * caller's name[0..cap) (cap > 0) and its length into out->path_len, for the caller to classify:
 * nothing is written unless it answers 0. Any other answer (no area holds addr, the name does
 * not fit, no such query here: src/os/no_area_at.c) sends the caller the general way, which
 * tells why; it records no error of its own. */
int mmapc__os_area_at(mmapc__proc *p, uint64_t addr, mmapc_area *out, char *name, size_t cap);
/* MMAPC_ESRCH (the error recorded) when the process of p has ended, a zombie included; 0 while
 * it runs, and where the system's handle keeps the process itself (src/os/no_area_at.c). Asked
 * after "no area there": an address space can outlive its process for a moment (Linux keeps it
 * while anything holds it: a kernel thread that scans it, a vfork child that shares it) and a
 * descriptor opened on it still answers from it. */
int mmapc__os_proc_ended(mmapc__proc *p);
/* Non-zero when mmapc__os_area_from() can answer for p (probes once per process if needed). */
int mmapc__os_area_direct(mmapc__proc *p);
/* name, an area's whole name, ends in " (deleted)": non-zero when it is the path of a live file
 * that is the area's own (a's device and inode), so the suffix is part of the file's name. */
int mmapc__os_name_is_file(const char *name, const mmapc_area *a);
/* name, the whole name of file area a as the text listing gives it (len bytes, a " (deleted)"
 * suffix included), holds a backslash: rewrite it in place into the file's real name (never
 * longer) and return its length. On Linux the text escapes a newline as \012 and nothing else,
 * not even a backslash; elsewhere the text is the name itself and len is returned. */
size_t mmapc__os_text_name(mmapc__proc *p, const mmapc_area *a, char *name, size_t len);

/* Text listing of p, one area per line in ascending order (src/maps_parse.h). Each open gives a
 * fresh stream from the first area. MMAPC_EUNSUPPORTED where the system has none (Windows). */
typedef struct mmapc__text {
    intptr_t h;   /* platform handle (Linux: file descriptor) */
    intptr_t aux; /* platform use (Linux: non-zero when h is the process handle's own) */
} mmapc__text;
int mmapc__os_text_open(mmapc__proc *p, mmapc__text *t);
/* Read up to cap bytes, whole lines or not; *got = 0 at the end. A listing without a line is a
 * process without areas (a kernel thread); when the process has ended (a zombie too), a read
 * returns MMAPC_ESRCH instead. */
int mmapc__os_text_read(mmapc__text *t, char *buf, size_t cap, size_t *got);
void mmapc__os_text_close(mmapc__text *t);
/* ===== end of Memory areas ================================================================== */

/* ===== Ranges (range.c is the portable side; src/os/linux_range.c, posix_range.c,
 * windows_range.c). Addresses and sizes are whole pages of the mapping; prot is the mapping's
 * protection, for the fallbacks that touch pages. ============================================= */
int mmapc__os_advise(void *addr, size_t size, mmapc_advice advice, mmapc_prot prot);
/* Private anonymous memory only (the core checks). */
int mmapc__os_discard(void *addr, size_t size, mmapc_discard_mode mode, mmapc_prot prot);
/* Make [addr, addr + size), a committed anonymous piece of b made with flags and page_size,
 * reserved again as mmapc__os_reserve() would have made it. On failure it is as it was. */
int mmapc__os_decommit(mmapc__backing *b, void *addr, size_t size, unsigned flags,
                       size_t page_size);
/* Count the resident pages of page_size bytes in [addr, addr + size); pages, when not NULL,
 * gets 1 or 0 for each. */
int mmapc__os_residency(const void *addr, size_t size, size_t page_size, size_t *count,
                        unsigned char *pages);
int mmapc__os_lock_on_fault(void *addr, size_t size);
int mmapc__os_seal(void *addr, size_t size);
/* ===== end of Ranges ======================================================================== */

/* ===== Shared memory objects (shm.c is the portable side; src/os/posix_shm.c, linux_shm.c,
 * windows_shm.c). name is checked and has no leading '/'; NULL for an anonymous object. Views
 * are made by the mapping primitives with mmapc__request::is_view. ============================ */
/* Create an object of size bytes (name NULL: anonymous). inherit: children may inherit it. */
int mmapc__os_shm_create(const char *name, uint64_t size, unsigned mode, int inherit,
                         mmapc_file *out);
int mmapc__os_shm_open(const char *name, int read_only, int inherit, mmapc_file *out);
int mmapc__os_shm_unlink(const char *name);
/* A duplicate of f that children inherit or not. */
int mmapc__os_shm_dup(mmapc_file f, int inherit, mmapc_file *out);
int mmapc__os_shm_set_inherit(mmapc_file f, int inherit);
/* size: bytes; id: the object's identity, which views compare to merge. */
int mmapc__os_shm_info(mmapc_file f, uint64_t *size, uint64_t id[2]);
int mmapc__os_shm_resize(mmapc_file f, uint64_t size);
/* seals: MMAPC_SHM_SEAL_* bits. */
int mmapc__os_shm_seal(mmapc_file f, unsigned seals);
int mmapc__os_shm_seals(mmapc_file f, unsigned *seals);
/* Map [offset, offset + size) of f read+write twice, back to back: *out and *out + size. */
int mmapc__os_ring_map(mmapc_file f, uint64_t offset, size_t size, void **out);
void mmapc__os_ring_unmap(void *addr, size_t size);
/* ===== end of Shared memory objects ========================================================= */

/* ===== Files that change size (file_size.c is the portable side; src/os/posix_resize.c with
 * the hooks of posix.h, linux_resize.c; windows_resize.c). ==================================== */
/* Map rq (rq->size may be 0: no pages) and hold *tail more bytes of inaccessible address space
 * after its pages, for it to grow into in place (rq->size + *tail > 0). *out gets the start
 * (NULL when nothing was mapped) and *tail what the platform holds: 0 where it cannot (Windows
 * file views, which cannot reach past their file). */
int mmapc__os_map_tail(const mmapc__request *rq, mmapc__backing *b, size_t *tail, void **out);
/* Make the file at least size bytes long, its storage allocated first where the system can:
 * MMAPC_ENOSPC when the disk is full, and then the file is as it was. A file already that long
 * is left alone. */
int mmapc__os_file_extend(mmapc_file file, uint64_t size);
/* Give the file back its old size after a failed grow (its length only, never more). */
void mmapc__os_file_restore(mmapc_file file, uint64_t size);
/* Resize the pages of a mapping held alone by its handle (no split pieces). */
typedef struct mmapc__resize {
    mmapc__request rq; /* the mapping at its new size: rq.size the new pages (not 0), rq.offset
                          the file offset of its base, rq.file the handle's file */
    void *base;        /* where its pages start now (NULL for an empty mapping without any) */
    size_t span;       /* its pages now (0 for an empty mapping) */
    size_t tail;       /* the address space it holds after them */
    bool ahead;        /* pages given up by a shrink stay held, as tail */
    bool may_move;     /* MMAPC_RESIZE_MAY_MOVE */
} mmapc__resize;
/* In place when the tail (or, Linux, the free space after the pages) allows, else moved when
 * r->may_move (the contents kept: a private mapping's are copied), else MMAPC_ENOMEM (Linux)
 * or MMAPC_EEXIST (the space after is taken). On success *base and *tail tell the new
 * placement; on failure nothing changed. */
int mmapc__os_resize(mmapc__backing *b, const mmapc__resize *r, void **base, size_t *tail);
/* What every platform's primitives share (file_size.c): map rq's pages at the front of a
 * reservation of rq->size + tail bytes (a reserve, then a commit); copy r's pages into to (size
 * bytes of a new read+write mapping), then give to r's protection. The old pages stay as they
 * were (an unreadable mapping is made readable for the copy, then given its protection back). */
int mmapc__map_ahead(const mmapc__request *rq, mmapc__backing *b, size_t tail, void **out);
int mmapc__resize_copy(const mmapc__resize *r, void *to, size_t size);
/* ===== end of Files that change size ========================================================= */

/* ===== Fault-safe copies (guard.c is the portable side; src/os/posix_guard.c,
 * windows_guard.c). ========================================================================== */
/* Make sure the fault handler is installed and is the one in line first. how: 0 before a
 * guarded copy; 1 to install it again over another one, the check of each copy on (the
 * default); 3 the same with that check off (MMAPC_GUARD_NO_CHECK). 0; MMAPC_EHANDLER when
 * another handler displaced it (POSIX, how 0, the check on); or an OS error, with the handlers
 * as they were. */
int mmapc__os_guard_ready(int how);
/* Run fn(arg) with the faults on the bytes [ranges[0], ranges[1]) and [ranges[2], ranges[3])
 * caught (an empty range: equal bounds): 0 when fn returned, 1 when such a fault ended it, with
 * *raw the OS's word for the fault (an errno or GetLastError() value). */
int mmapc__os_guard_run(void (*fn)(void *), void *arg, const uintptr_t ranges[4], int *raw);
/* ===== end of Fault-safe copies ============================================================= */

/* ===== Build IDs (build_id_query.c is the portable side, build_id.c the pure readers of
 * build_id.h; src/os/linux_build_id.c, windows_build_id.c). Systems without build IDs return
 * MMAPC_EUNSUPPORTED from both. ============================================================== */
/* The build ID of the area holding addr, as the system tells it directly (Linux PROCMAP_QUERY;
 * Windows: the image's debug directory in memory): out->size 0 when the area has none.
 * MMAPC_ENOTFOUND when no area holds addr; MMAPC_EUNSUPPORTED when the system cannot answer
 * directly (no PROCMAP_QUERY), so that the caller queries the area and asks
 * mmapc__os_build_id_file(). */
int mmapc__os_build_id(mmapc__proc *p, uint64_t addr, mmapc_build_id *out);
/* The build ID of a, an area of p that a query returned (a->path NUL-terminated, perhaps
 * truncated: a->path_len tells), read from its file: out->size 0 when it has none. */
int mmapc__os_build_id_file(mmapc__proc *p, const mmapc_area *a, mmapc_build_id *out);
/* ===== end of Build IDs ===================================================================== */

/* ===== Another process's memory (proc_mem.c is the portable side; src/os/linux_proc_mem.c,
 * windows_proc_mem.c). Systems without it return MMAPC_EUNSUPPORTED. ========================= */
/* Copy len bytes (len > 0) between buf and [addr, addr + len) of p (write: from buf), from addr
 * up, stopping at the first page that is not mapped or lacks the access (read; write): 0 with
 * *done the bytes copied (fewer than len when it stopped), or an error code (nothing said of
 * buf). MMAPC_EUNSUPPORTED when the system can copy only without regard to the protection
 * (Linux /proc/<pid>/mem; Windows writes): the caller then finds how far the areas allow the
 * access and asks mmapc__os_proc_copy_forced() for that much. */
int mmapc__os_proc_copy(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                        size_t *done);
/* As mmapc__os_proc_copy(), through any protection (as a debugger does): stops only where
 * nothing is mapped (or, for a write, where the system refuses it). */
int mmapc__os_proc_copy_forced(mmapc__proc *p, uint64_t addr, void *buf, size_t len, bool write,
                               size_t *done);
/* The bytes of len (> 0) that one system call from at covers (proc_mem.c): up to 1 GiB, up to the
 * end of at's page when careful, and never past the last address this program can name (at
 * itself must be one). */
size_t mmapc__proc_step(uint64_t at, size_t len, bool careful);
/* ===== end of Another process's memory ====================================================== */

/* ===== Memory use per area (usage.c is the portable side; src/os/linux_usage.c,
 * windows_usage.c, generic_usage.c). A system answers in one of two ways and returns
 * MMAPC_EUNSUPPORTED from the other: Linux gives text in the format of /proc/<pid>/smaps
 * (src/usage.h), read with mmapc__os_text_read() and closed with mmapc__os_text_close(); Windows
 * answers per area. A system that can do neither (for now macOS and the generic POSIX system)
 * returns MMAPC_EUNSUPPORTED from both. ====================================================== */
#define MMAPC__SMAPS 0        /* every area: /proc/<pid>/smaps */
#define MMAPC__SMAPS_ROLLUP 1 /* the totals: /proc/<pid>/smaps_rollup */
int mmapc__os_usage_open(mmapc__proc *p, int which, mmapc__text *t);
/* The use of [start, end), an area the direct query reported (*u zeroed and filled, its known
 * bits set); start == end only asks whether the system can answer (0) or not. */
int mmapc__os_area_usage(mmapc__proc *p, uint64_t start, uint64_t end, mmapc_area_usage *u);
/* ===== end of Memory use per area =========================================================== */

/* ===== Working set (wss.c is the portable side; src/os/linux_wss.c, windows_wss.c; systems
 * without it: src/os/no_wss.c, MMAPC_EUNSUPPORTED). The areas and their use come from the usage
 * iteration (mmapc_proc_areas_usage); the platform clears the bits and turns an area's use into
 * its figures. ============================================================================== */
/* The MMAPC_WSS_* bits the system can measure (probed once). */
unsigned mmapc__os_wss_support(void);
/* Clear the bits of what (bits the system can measure, non-zero) in every page of p. */
int mmapc__os_wss_reset(mmapc__proc *p, unsigned what);
/* What a read keeps open between areas (Linux: the pagemap descriptor); NULL when nothing. */
typedef struct mmapc__wss mmapc__wss;
int mmapc__os_wss_open(mmapc__proc *p, unsigned what, mmapc__wss **out);
/* The figures what asks for (bits the system measures) of area a, whose use is u: *out zeroed
 * and filled, its known bits set. */
int mmapc__os_wss_area(mmapc__wss *w, const mmapc_area *a, const mmapc_area_usage *u, unsigned what,
                       mmapc_wss *out);
void mmapc__os_wss_close(mmapc__wss *w);
/* ===== end of Working set =================================================================== */
/* ===== Page state of a process (pages.c is the portable side; src/os/linux_pages.c,
 * windows_pages.c; src/os/no_pages.c where the system has no way to ask). ================== */
/* What the portable side collects runs into (pages.c). */
typedef struct mmapc__page_sink {
    mmapc_page_run *runs;
    size_t cap, count;
    uint64_t next; /* where the description stopped (the caller's array full) */
    bool full;
} mmapc__page_sink;
/* Add n pages from start (page-aligned, right after what was added before, or a gap the caller
 * fills as unmapped): joined to the last run when of equal state (and frames consecutive).
 * Returns 1 when the caller's array is full (stop: nothing more is taken), else 0. */
int mmapc__pages_add(mmapc__page_sink *s, uint64_t start, uint64_t n, unsigned flags,
                     unsigned unknown, uint64_t frame);
/* Get ready to describe the pages [first, last] of p (first and last page-aligned, last >= first,
 * the caller's flags checked): MMAPC_EINVAL_OFFSET when last is past the end of p's user address
 * space, MMAPC_ESRCH, MMAPC_EACCES... *h is closed with mmapc__os_pages_close(). */
int mmapc__os_pages_open(mmapc__proc *p, uint64_t first, uint64_t last, unsigned flags,
                         mmapc__text *h);
/* Add the pages of [start, end) (whole pages, inside areas as a listing just saw them) to s,
 * up to where s fills. A page whose area went away since the listing may come as unmapped or as
 * a page of an area that holds nothing (Linux's scan does not tell the two apart). */
int mmapc__os_pages_read(mmapc__text *h, uint64_t start, uint64_t end, unsigned flags,
                         mmapc__page_sink *s);
void mmapc__os_pages_close(mmapc__text *h);
/* The MMAPC_PAGE_* bits the system can tell (mmapc_pages_reported()). */
unsigned mmapc__os_pages_reported(void);
/* ===== end of Page state of a process ====================================================== */

/* ===== Write tracking (track.c is the portable side, src/track.h the record; backends:
 * src/os/linux_track.c uffd-wp, posix_track.c mprotect, windows_track.c write watch;
 * no_uffd_track.c, no_mprotect_track.c and no_write_watch_track.c where a system lacks one:
 * MMAPC_EUNSUPPORTED from start). Pages are
 * indices from t->base, the range checked by track.c. ======================================== */
typedef struct mmapc__track mmapc__track;
/* Start tracking t's pages with uffd-wp (shared: MMAPC_SHARED memory): registered and protected,
 * t->os set. MMAPC_EUNSUPPORTED when the kernel (or an emulator) lacks it; nothing held on
 * failure. */
int mmapc__os_uffd_start(mmapc__track *t, bool shared);
/* What a scan does (how): */
#define MMAPC__SCAN_RESET 0 /* report the written pages into out and protect them again */
#define MMAPC__SCAN_PEEK 1  /* report them, leave them as they are */
#define MMAPC__SCAN_CLEAR 2 /* protect the range again, report nothing (out unused) */
/* Report the written pages of [first, first + n) into out (bit 0: first) and protect them
 * again, atomically per page; or as how says. MMAPC_EBADF in a child made by fork(). */
int mmapc__os_uffd_scan(mmapc__track *t, size_t first, size_t n, uintptr_t *out, int how);
/* Register [first, first + n) again and protect it (after a commit replaced its pages), or,
 * with protect false, leave the pages unprotected (a piece no longer tracked). */
int mmapc__os_uffd_reset(mmapc__track *t, size_t first, size_t n, bool protect);
void mmapc__os_uffd_close(mmapc__track *t);
/* The mprotect backend: start with the pages' protection prot (armed when it allows writes). */
int mmapc__os_mp_start(mmapc__track *t, mmapc_prot prot);
/* As mmapc__os_uffd_scan(); prot is the protection of the pages (of their mapping). */
int mmapc__os_mp_scan(mmapc__track *t, size_t first, size_t n, mmapc_prot prot, uintptr_t *out,
                      int how);
#define MMAPC__MP_ARM 0    /* track [first, first + n) with protection prot (protect, commit) */
#define MMAPC__MP_DISARM 1 /* stop tracking it, giving it prot (a piece stops) */
#define MMAPC__MP_DROP 2   /* stop tracking it, its protection left alone (unmap, decommit) */
int mmapc__os_mp_set(mmapc__track *t, size_t first, size_t n, mmapc_prot prot, int how);
void mmapc__os_mp_close(mmapc__track *t);
/* Windows write watch (windows_track.c; no_write_watch_track.c elsewhere): start on t's pages,
 * which lie in b's allocation, forgetting the writes before (MMAPC_EUNSUPPORTED, nothing done,
 * unless b was allocated with MEM_WRITE_WATCH); report as mmapc__os_uffd_scan(); forget the
 * writes to [first, first + n) (pages committed again: track.c counts them as written). */
int mmapc__os_ww_start(mmapc__track *t, const mmapc__backing *b);
int mmapc__os_ww_scan(mmapc__track *t, size_t first, size_t n, uintptr_t *out, int how);
int mmapc__os_ww_reset(mmapc__track *t, size_t first, size_t n);
/* ===== end of Write tracking ================================================================ */

#endif
