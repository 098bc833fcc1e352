// SPDX-License-Identifier: MIT
// mmapc.hpp: owners release, move and hand out their handles; error codes, results and
// exceptions carry the C codes; spans cover the memory; the areas range is the C iteration.
// Built for C++17, 20 and 23 and without exceptions (tests/CMakeLists.txt): MMAPC_TEST_STD
// says which standard, MMAPC_TEST_NO_EXCEPTIONS that the throwing half must be compiled out.
// Where the platform never describes memory areas (tests/platform.h), every call about areas or
// another process is asserted to answer MMAPC_EUNSUPPORTED, and the rest is tested as anywhere.
#include "mmapc.hpp"

#include "../platform.h"
#include "check.hpp"

#include <cstring>

#ifndef _WIN32
#include <cerrno>
#endif
#if PLATFORM_AREAS == PROMISE_NO
#include <sys/mman.h>
#endif

// The build is what its name says.
#if MMAPC_TEST_STD >= 23
static_assert(__cplusplus > 202002L, "not C++23");
#elif MMAPC_TEST_STD >= 20
static_assert(__cplusplus >= 202002L && __cplusplus <= 202002L, "not C++20");
#else
static_assert(__cplusplus == 201703L, "not C++17");
#endif
#if defined(MMAPC_TEST_NO_EXCEPTIONS) == defined(MMAPC_HPP_EXCEPTIONS)
#error "the exceptions of this build are not those its name says"
#endif

// std::span and std::expected exactly where the library has them.
#if defined(__cpp_lib_span)
static_assert(std::is_same_v<mmapc::bytes, std::span<std::byte>>);
#else
static_assert(MMAPC_TEST_STD == 17, "C++20 without std::span");
#endif
#if defined(__cpp_lib_expected)
static_assert(std::is_same_v<mmapc::result<int>, std::expected<int, std::error_code>>);
#endif
static_assert(std::is_error_code_enum_v<mmapc::errc>);
static_assert(!std::is_copy_constructible_v<mmapc::map> &&
              std::is_nothrow_move_constructible_v<mmapc::map>);
static_assert(!std::is_copy_assignable_v<mmapc::areas> &&
              std::is_nothrow_move_assignable_v<mmapc::proc>);
static_assert(sizeof(mmapc::map) == sizeof(void *) && sizeof(mmapc::ring) == sizeof(void *));

using mmapc::errc;

static std::size_t ps;

// No mapping holds the page of addr any more: it was unmapped.
static bool gone(std::uintptr_t addr)
{
#if PLATFORM_AREAS == PROMISE_NO
    // No area to ask for; POSIX has msync() fail with ENOMEM for a range not all mapped.
    void *page = reinterpret_cast<void *>(addr & ~static_cast<std::uintptr_t>(ps - 1));
    errno = 0;
    return msync(page, ps, MS_ASYNC) != 0 && errno == ENOMEM;
#else
    auto r = mmapc::try_area_query(MMAPC_SELF, addr);
    return !r && r.error() == errc::MMAPC_ENOTFOUND;
#endif
}

// The answer of a call the platform never serves (tests/platform.h).
template <class R> static bool unsupported(const R &r)
{
    return !r && r.error() == errc::MMAPC_EUNSUPPORTED;
}

static mmapc::map anon(std::size_t size, mmapc::prot p = MMAPC_PROT_RW)
{
    auto r = mmapc::map::try_anon(size, p);
    REQUIRE(r.has_value());
    return std::move(*r);
}

static void test_errors()
{
    CHECK(std::strcmp(mmapc::category().name(), "mmapc") == 0);
#define CHECK_CODE(N, V, M)                                                                        \
    do {                                                                                           \
        std::error_code ec = errc::MMAPC_##N;                                                      \
        CHECK(ec.value() == (V) && ec.category() == mmapc::category());                            \
        CHECK(ec.message() == (M) && ec.message() == mmapc_strerror(V));                           \
        CHECK(ec == mmapc::make_error_code(errc::MMAPC_##N) && ec);                                \
    } while (0);
    MMAPC_ERROR_LIST(CHECK_CODE)
#undef CHECK_CODE
    std::error_code ok = errc::MMAPC_OK;
    CHECK(!ok);
    std::error_code size = errc::MMAPC_EINVAL_SIZE;
    CHECK(size != errc::MMAPC_EINVAL_OFFSET);
    CHECK(size != std::error_code(MMAPC_EINVAL_SIZE, std::generic_category()));
}

static void test_result()
{
    auto bad = mmapc::map::try_anon(0);
    CHECK(!bad && !bad.has_value());
    CHECK(bad.error() == errc::MMAPC_EINVAL_SIZE);
    CHECK(bad.error().message() == mmapc_strerror(MMAPC_EINVAL_SIZE));
    auto good = mmapc::map::try_anon(3 * ps, MMAPC_PROT_RW, mmapc::options{});
    REQUIRE(good);
    CHECK(good->size() == 3 * ps && (*good).ptr() != nullptr);
    mmapc::options o{};
    o.unsafe_flags = MMAPC_UNSAFE_JIT;
    CHECK(mmapc::map::try_anon(ps, MMAPC_PROT_RWX, &o).has_value());
    CHECK(mmapc::map::try_anon(ps, MMAPC_PROT_RWX).error() == errc::MMAPC_EUNSAFE_FLAG);
    o.flags = MMAPC_FLAGS_ALL + 1;
    CHECK(mmapc::map::try_anon(ps, MMAPC_PROT_RW, o).error() == errc::MMAPC_EINVAL_ARG);
    auto unit = good->try_protect(MMAPC_PROT_READ);
    CHECK(unit.has_value() && good->protection() == MMAPC_PROT_READ);
#ifdef MMAPC_HPP_EXCEPTIONS
    bool thrown = false;
    try {
        (void)bad.value();
    }
#ifdef MMAPC_HPP_STD_EXPECTED
    catch (const std::bad_expected_access<std::error_code> &e) {
        thrown = e.error() == errc::MMAPC_EINVAL_SIZE;
    }
#else
    catch (const std::system_error &e) {
        thrown = e.code() == errc::MMAPC_EINVAL_SIZE;
    }
#endif
    CHECK(thrown);
    CHECK(good.value().size() == 3 * ps);
#endif
}

static void test_owners()
{
    std::uintptr_t start;
    {
        mmapc::map m = anon(3 * ps);
        start = m.start();
        CHECK(m.end() == start + 3 * ps && m.ptr() == reinterpret_cast<void *>(start));
        auto a = mmapc::try_area_query(MMAPC_SELF, start);
#if PLATFORM_AREAS == PROMISE_NO
        CHECK(unsupported(a));
#else
        CHECK(a && a->start <= start && a->end >= m.end());
#endif
        CHECK(!gone(start) && !gone(m.end() - 1));
    }
    CHECK(gone(start)); // the destructor unmapped it

    // move construction empties the source; the new owner unmaps
    mmapc::map m = anon(3 * ps);
    start = m.start();
    mmapc_map *raw = m.get();
    mmapc::map n(std::move(m));
    CHECK(!m && m.get() == nullptr && n && n.get() == raw);
    // move assignment unmaps what the target held
    mmapc::map o = anon(ps);
    std::uintptr_t other = o.start();
    o = std::move(n);
    CHECK(gone(other) && !gone(start));
    CHECK(!n && o.get() == raw);
    // release hands the handle out: the owner's end unmaps nothing
    mmapc_map *out = o.release();
    CHECK(!o && out == raw && mmapc_size(out) == 3 * ps);
    {
        mmapc::map empty(std::move(o));
    }
    CHECK(!gone(start));
    {
        mmapc::map adopted(out); // adopting: this owner unmaps it
        CHECK(adopted.size() == 3 * ps && adopted.start() == start);
    }
    CHECK(gone(start));
    // reset unmaps at once
    mmapc::map r = anon(ps);
    start = r.start();
    r.reset();
    CHECK(!r && gone(start));
    // try_unmap: the checked unmap leaves the owner empty
    mmapc::map u = anon(ps);
    start = u.start();
    CHECK(u.try_unmap().has_value() && !u && gone(start));

    // the other owners
    std::size_t gran = mmapc::allocation_granularity();
    {
        auto s = mmapc::shm::try_create(nullptr, gran);
        REQUIRE(s);
        mmapc_shm *raw_shm = s->get();
        mmapc::shm t(std::move(*s));
        CHECK(!*s && t.get() == raw_shm);
        auto ring = mmapc::ring::try_create(gran);
        REQUIRE(ring);
        std::uintptr_t ring_start = reinterpret_cast<std::uintptr_t>(ring->ptr());
        {
            mmapc::ring moved(std::move(*ring));
        }
        CHECK(!*ring && gone(ring_start) && gone(ring_start + gran));
        auto p = mmapc::proc::try_open();
#if PLATFORM_AREAS == PROMISE_NO
        // neither a process handle nor an iteration opens: there is none to move
        CHECK(unsupported(p) && unsupported(mmapc::areas::try_open()));
#else
        REQUIRE(p);
        mmapc::proc q = std::move(*p);
        CHECK(!*p && q);
        auto it = q.try_areas();
        REQUIRE(it);
        mmapc::areas it2(std::move(*it));
        CHECK(!*it && it2);
        mmapc_areas *raw_it = it2.release();
        CHECK(!it2 && raw_it);
        mmapc_areas_close(raw_it);
#endif
    }
}

static void test_spans()
{
    mmapc::map m = anon(4 * ps);
    mmapc::bytes b = m.bytes();
    CHECK(static_cast<void *>(b.data()) == m.ptr() && b.size() == m.size() && !b.empty());
    CHECK(b.end() - b.begin() == static_cast<std::ptrdiff_t>(4 * ps));
    std::size_t i = 0;
    for (std::byte &x : b)
        x = static_cast<std::byte>(i++ * 7 + 1);
    const unsigned char *p = static_cast<const unsigned char *>(m.ptr());
    CHECK(p[0] == 1 && p[4 * ps - 1] == static_cast<unsigned char>((4 * ps - 1) * 7 + 1));
    mmapc::bytes page = b.subspan(ps, ps);
    CHECK(page.data() == b.data() + ps && page.size() == ps);
    CHECK(page[0] == b[ps] && page.front() == b[ps] && page.back() == b[2 * ps - 1]);
    CHECK(b.subspan(3 * ps).size() == ps && b.subspan(3 * ps).data() == b.data() + 3 * ps);
    CHECK(b.first(2).size() == 2 && b.last(ps).data() == b.data() + 3 * ps);
    mmapc::const_bytes c = b;
    CHECK(c.data() == b.data() && c.size_bytes() == 4 * ps);
    mmapc::bytes none;
    CHECK(none.empty() && none.data() == nullptr);
}

static void test_map_calls()
{
    // protect: refused RWX without the JIT flag leaves the protection
    mmapc::map m = anon(4 * ps);
    CHECK(m.try_protect(MMAPC_PROT_READ));
    auto a = mmapc::try_area_query(MMAPC_SELF, m.start());
#if PLATFORM_AREAS == PROMISE_NO
    CHECK(unsupported(a));
#else
    CHECK(a && a->prot == MMAPC_PROT_READ);
#endif
    CHECK(m.try_protect(MMAPC_PROT_RWX).error() == errc::MMAPC_EUNSAFE_FLAG);
    CHECK(m.protection() == MMAPC_PROT_READ);
    CHECK(m.try_protect(MMAPC_PROT_RW));

    // split and merge: the back piece gets an owner of its own; a merge consumes the other
    auto back = m.try_split_off(ps);
    REQUIRE(back);
    CHECK(m.size() == ps && back->size() == 3 * ps && back->start() == m.end());
    CHECK(m.try_split_off(ps).error() == errc::MMAPC_EINVAL_OFFSET && m.size() == ps);
    // a page that cannot touch m: its own mapping's next page lies after it (an emulator may
    // place a fresh mapping of one page right before m)
    mmapc::map apart = anon(2 * ps);
    auto apart_back = apart.try_split_off(ps);
    REQUIRE(apart_back);
    CHECK(m.try_merge(apart).error() == errc::MMAPC_ENOT_ADJACENT && apart && apart.size() == ps);
    CHECK(m.try_merge(*back) && !*back && m.size() == 4 * ps);
    auto front = m.try_split_to(2 * ps);
    REQUIRE(front);
    CHECK(front->size() == 2 * ps && front->end() == m.start() && m.size() == 2 * ps);
    CHECK(m.try_merge(*front) && !*front && m.size() == 4 * ps);

    // flush ranges are checked; reservations commit
    CHECK(m.try_flush() && m.try_flush_async(0, ps));
    CHECK(m.try_flush(0, m.size() + 1).error() == errc::MMAPC_EINVAL_OFFSET);
    auto r = mmapc::map::try_reserve_anon(2 * ps);
    REQUIRE(r);
    CHECK(r->is_reserved() && r->try_flush().error() == errc::MMAPC_EINVAL_OP);
    CHECK(r->try_commit() && !r->is_reserved());
    CHECK(r->try_commit().error() == errc::MMAPC_EINVAL_OP);
    static_cast<char *>(r->ptr())[2 * ps - 1] = 1;

    // residency, advice, discard
    for (std::byte &x : m.bytes())
        x = std::byte{0x5a};
    auto resident = m.try_residency(0, m.size());
    CHECK(resident && *resident == 4);
    CHECK(m.try_advise(0, ps, MMAPC_ADVICE_WILL_NEED));
    CHECK(m.try_advise(0, m.size() + ps, MMAPC_ADVICE_NORMAL).error() == errc::MMAPC_EINVAL_OFFSET);
    CHECK(m.try_discard(0, ps));
    CHECK(m.bytes()[0] == std::byte{0} && m.bytes()[ps] == std::byte{0x5a});
    CHECK(m.try_discard(1, ps).error() == errc::MMAPC_EINVAL_OFFSET);
    CHECK(m.try_decommit() && m.is_reserved() && m.try_commit());
    CHECK(m.bytes()[ps] == std::byte{0});

    // growing in place into a capacity
    auto g = mmapc::map::try_anon_growable(ps, 4 * ps);
    REQUIRE(g);
    void *at = g->ptr();
    CHECK(g->capacity() >= 4 * ps);
    CHECK(g->try_resize(3 * ps) && g->size() == 3 * ps && g->ptr() == at);
    CHECK(g->try_resize(0).error() == errc::MMAPC_EINVAL_SIZE && g->size() == 3 * ps);

    // the dual mapping: what rw writes, rx shows
    auto d = mmapc::map::try_dual(ps);
    REQUIRE(d);
    CHECK(d->rw.protection() == MMAPC_PROT_RW && d->rx.protection() == MMAPC_PROT_RX);
    d->rw.bytes()[7] = std::byte{0xc3};
    CHECK(d->rx.bytes()[7] == std::byte{0xc3});
}

// A file mapping truncated under it: the guarded read stops at the exact byte.
static void test_guarded()
{
    mmapc::map m = anon(2 * ps);
    unsigned char buf[64] = {0};
    std::size_t done = 99;
    mmapc::bytes out(reinterpret_cast<std::byte *>(buf), sizeof buf);
    CHECK(m.try_write(ps - 8, mmapc::const_bytes(out.data(), 16), &done) && done == 16);
    CHECK(m.try_read(0, out, &done) && done == sizeof buf);
    CHECK(m.try_read(2 * ps - 8, out, &done).error() == errc::MMAPC_EINVAL_OFFSET);
#ifndef _WIN32 // Windows refuses to truncate a mapped file
    temp_file f(3 * ps);
    auto fm = mmapc::map::try_file(3 * ps, MMAPC_PROT_READ, f.file);
    REQUIRE(fm);
    unsigned char whole[3 * 65536];
    REQUIRE(3 * ps <= sizeof whole);
    mmapc::bytes dst(reinterpret_cast<std::byte *>(whole), 3 * ps);
    CHECK(fm->try_read(0, dst, &done) && done == 3 * ps && whole[ps] == (ps * 7 + 1) % 256);
    REQUIRE(ftruncate(f.file, static_cast<off_t>(ps + 100)) == 0);
    // the page holding the new end is still there (zeros past it); the next one is not
    auto r = fm->try_read(0, dst, &done);
    CHECK(r.error() == errc::MMAPC_EIO && done == 2 * ps);
    CHECK(mmapc_last_os_error() == EIO);
    done = 0;
    CHECK(fm->try_read(ps + 50, dst.first(100), &done) && done == 100);
#ifdef MMAPC_HPP_EXCEPTIONS
    bool thrown = false;
    try {
        fm->read(ps, dst.first(2 * ps), &done);
    } catch (const mmapc::error &e) {
        thrown = e.code() == errc::MMAPC_EIO && e.os_error() == EIO && done == ps;
    }
    CHECK(thrown);
#endif
#endif
}

// The areas range gives what the C iteration gives.
static void test_areas()
{
#if PLATFORM_AREAS == PROMISE_NO
    // No iteration opens, whichever way it is asked for; the arguments are checked first.
    mmapc::map m = anon(2 * ps);
    std::uint64_t lo = m.start(), hi = m.end();
    CHECK(unsupported(mmapc::areas::try_open()) && unsupported(mmapc::areas::try_open_usage()));
    CHECK(unsupported(mmapc::areas::try_open_range(MMAPC_SELF, lo, hi)));
    CHECK(mmapc::areas::try_open_range(MMAPC_SELF, hi, lo).error() == errc::MMAPC_EINVAL_OFFSET);
    CHECK(unsupported(mmapc::proc::try_open()));
#else
    mmapc::map m = anon(3 * ps);
    for (std::byte &x : m.bytes()) // resident, for the usage below
        x = std::byte{1};
    auto b = m.try_split_off(ps);
    REQUIRE(b);
    auto c = b->try_split_off(ps);
    REQUIRE(c);
    CHECK(b->try_protect(MMAPC_PROT_READ)); // three areas: RW, R, RW
    std::uint64_t lo = m.start(), hi = c->end();

    struct seen {
        std::uint64_t start, end;
        unsigned prot;
    } from_c[16], from_cxx[16];
    int nc = 0, ncxx = 0;
    mmapc_areas *it = nullptr;
    REQUIRE(mmapc_areas_open_range(&it, MMAPC_SELF, lo, hi) == 0);
    mmapc_area a;
    int rc;
    while ((rc = mmapc_areas_next(it, &a)) == 1 && nc < 16)
        from_c[nc++] = {a.start, a.end, a.prot};
    CHECK(rc == 0);
    mmapc_areas_close(it);

    auto range = mmapc::areas::try_open_range(MMAPC_SELF, lo, hi);
    REQUIRE(range);
    for (const mmapc::area &x : *range)
        if (ncxx < 16)
            from_cxx[ncxx++] = {x.start, x.end, x.prot};
    CHECK(!range->error());
    CHECK(nc == 3 && ncxx == nc);
    for (int i = 0; i < nc && i < ncxx; i++)
        CHECK(from_c[i].start == from_cxx[i].start && from_c[i].end == from_cxx[i].end &&
              from_c[i].prot == from_cxx[i].prot);
    CHECK(from_cxx[1].start == b->start() && from_cxx[1].prot == MMAPC_PROT_READ);
    // walked once: a second walk is at the end at once
    CHECK(range->begin() == range->end());

    // through a process handle, and with next()
    auto p = mmapc::proc::try_open();
    REQUIRE(p);
    auto pr = p->try_areas(lo, hi);
    REQUIRE(pr);
    int n = 0;
    for (;;) {
        auto more = pr->try_next();
        REQUIRE(more);
        if (!*more)
            break;
        CHECK(pr->current().start == from_c[n].start && pr->current().path_view().empty());
        CHECK(pr->current().kind == MMAPC_AREA_ANON && pr->current().kind_name() == "anon");
        CHECK(pr->try_usage().error() == errc::MMAPC_EINVAL_OP); // not opened with usage
        n++;
    }
    CHECK(n == 3);

    // a file's path as a string_view, and the usage of each area
    temp_file f(2 * ps);
    auto fm = mmapc::map::try_file(2 * ps, MMAPC_PROT_READ, f.file);
    REQUIRE(fm);
    int files = 0;
    auto all = mmapc::areas::try_open();
    REQUIRE(all);
    for (const auto &x : *all)
        if (x.start <= fm->start() && fm->start() < x.end)
            files += x.kind == MMAPC_AREA_FILE && x.kind_name() == "file" &&
                     x.path_view().size() == x.path_len && x.path_view() == f.path;
    CHECK(files == 1 && !all->error());
#if defined(__linux__) || defined(_WIN32)
    auto u = p->try_areas_usage(lo, hi);
    REQUIRE(u);
    if (check_under_emulator()) {
        CHECK_SKIP("this process's own use: qemu-user passes /proc/self/smaps through, the "
                   "host's areas of qemu at the host's addresses, not the guest's");
    } else {
        n = 0;
        for (const auto &x : *u) {
            auto use = u->try_usage();
            std::uint64_t ours = (x.end < hi ? x.end : hi) - (x.start > lo ? x.start : lo);
            CHECK(use && (use->known & MMAPC_USAGE_RSS) && use->rss >= ours);
            n++;
        }
        CHECK(n == 3 && !u->error());
    }
#endif
#endif
}

static void test_proc()
{
#if PLATFORM_AREAS == PROMISE_NO
    // No process opens, so nothing is asked through one; a one-shot query is refused too.
    mmapc::map m = anon(ps);
    char path[512];
    CHECK(unsupported(mmapc::proc::try_open()));
    CHECK(unsupported(mmapc::proc::try_open(MMAPC_SELF, MMAPC_PROC_TEXT)));
    CHECK(unsupported(mmapc::try_area_query(MMAPC_SELF, m.start())));
    CHECK(unsupported(mmapc::try_area_query(MMAPC_SELF, m.start(), path, sizeof path)));
#else
    auto p = mmapc::proc::try_open();
    REQUIRE(p);
    mmapc::map m = anon(2 * ps);
    auto b = m.try_split_off(ps);
    REQUIRE(b && b->try_protect(MMAPC_PROT_NONE));

    // the query is the C query
    auto q = p->try_query(m.start());
    mmapc_area c;
    REQUIRE(q && mmapc_proc_query(p->get(), m.start(), &c, nullptr, 0) == 0);
    CHECK(q->start == c.start && q->end == c.end && q->prot == c.prot && q->kind == c.kind);
    CHECK(p->try_query(0).error() == errc::MMAPC_ENOTFOUND);
    temp_file f(ps);
    auto fm = mmapc::map::try_file(ps, MMAPC_PROT_READ, f.file);
    REQUIRE(fm);
    char path[512];
    auto fq = p->try_query(fm->start(), path, sizeof path);
    CHECK(fq && fq->kind == MMAPC_AREA_FILE && fq->path_view().data() == path);
    auto oneshot = mmapc::try_area_query(MMAPC_SELF, fm->start(), path, sizeof path);
    CHECK(oneshot && oneshot->start == fq->start && oneshot->path_view() == fq->path_view());

    // read and write: a short copy at the inaccessible page succeeds with its count
    // (qemu-user for a 32-bit guest has no process_vm_readv and places the guest at an offset in
    // its own address space, which /proc/self/mem does not know: the probe finds that out)
    static const char probe[] = "mmapc probe of guest addresses";
    char seen[sizeof probe] = {0};
    auto probed = p->try_read(reinterpret_cast<std::uintptr_t>(probe),
                              mmapc::bytes(reinterpret_cast<std::byte *>(seen), sizeof seen));
    bool offset = !probed || *probed != sizeof seen || std::memcmp(seen, probe, sizeof seen) != 0;
    if (offset && check_under_emulator()) {
        CHECK_SKIP("the emulator's guest addresses are not the host's, which /proc/self/mem reads");
    } else {
        const char text[] = "mmapc.hpp";
        auto w = p->try_write(
            m.start(), mmapc::const_bytes(reinterpret_cast<const std::byte *>(text), sizeof text));
        CHECK(w && *w == sizeof text && std::memcmp(m.ptr(), text, sizeof text) == 0);
        unsigned char buf[2 * 65536];
        REQUIRE(2 * ps <= sizeof buf);
        auto rd = p->try_read(m.start(), mmapc::bytes(reinterpret_cast<std::byte *>(buf), 2 * ps));
        CHECK(rd && *rd == ps && std::memcmp(buf, text, sizeof text) == 0);
        CHECK(p->try_read(b->start(), mmapc::bytes(reinterpret_cast<std::byte *>(buf), 1))
                  .value_or(9) == 0);
    }

    // the build ID of this program's code is the C call's
    std::uint64_t code = reinterpret_cast<std::uintptr_t>(&test_proc);
    auto id = p->try_build_id(code);
    mmapc_build_id cid;
    REQUIRE(id && mmapc_proc_build_id(p->get(), code, &cid) == 0);
    CHECK(id->size == cid.size && std::memcmp(id->bytes, cid.bytes, sizeof cid.bytes) == 0);
#if defined(__linux__) || defined(_WIN32)
    auto qu = p->try_query_usage(m.start());
    CHECK(qu && qu->area.start == q->start && (qu->usage.known & MMAPC_USAGE_RSS));
    auto totals = p->try_usage_totals();
    CHECK(totals && (totals->known & MMAPC_USAGE_RSS) && totals->rss >= ps);
#endif
#endif
    CHECK(mmapc::proc::try_open(-1).error() == errc::MMAPC_EINVAL_ARG);
}

static void test_shm()
{
    std::size_t gran = mmapc::allocation_granularity();
    auto s = mmapc::shm::try_create(nullptr, gran);
    REQUIRE(s);
    auto size = s->try_size();
    CHECK(size && *size == gran);
    auto v1 = s->try_view(0, gran), v2 = s->try_view(0, gran, MMAPC_PROT_READ);
    REQUIRE(v1 && v2);
    CHECK(v1->ptr() != v2->ptr() && (v1->flags() & MMAPC_SHARED));
    v1->bytes()[5] = std::byte{42};
    CHECK(v2->bytes()[5] == std::byte{42});
    CHECK(s->try_view(1, gran).error() == errc::MMAPC_EINVAL_OFFSET);
    CHECK(s->try_view(0, 2 * gran).error() == errc::MMAPC_EINVAL_SIZE);
    auto r = s->try_ring(0, gran);
    REQUIRE(r);
    CHECK(r->size() == gran && r->bytes().size() == 2 * gran);
    CHECK(r->bytes()[gran + 5] == std::byte{42}); // the object, seen twice
    r->bytes()[2 * gran - 1] = std::byte{7};
    CHECK(r->bytes()[gran - 1] == std::byte{7} && v2->bytes()[gran - 1] == std::byte{7});
    s->reset(); // the views live on
    CHECK(v2->bytes()[5] == std::byte{42});
    CHECK(mmapc::shm::try_open("mmapc-cxx-no-such-object").error() == errc::MMAPC_ENOTFOUND);
    CHECK(mmapc::shm::try_create("a/b", gran).error() == errc::MMAPC_EINVAL_NAME);
}

#ifdef MMAPC_HPP_EXCEPTIONS
// The throwing half: mmapc::error with the code, the call and the OS error.
static void test_throwing()
{
    int caught = 0;
    try {
        (void)mmapc::map::anon(0);
    } catch (const mmapc::error &e) {
        caught += e.code() == errc::MMAPC_EINVAL_SIZE && e.os_error() == 0 &&
                  std::strstr(e.what(), "mmapc_map_anon") != nullptr &&
                  std::strstr(e.what(), mmapc_strerror(MMAPC_EINVAL_SIZE)) != nullptr;
    }
    try {
        (void)mmapc::proc::open(-1);
    } catch (const std::system_error &e) { // an mmapc::error is one
        caught += e.code() == errc::MMAPC_EINVAL_ARG && e.code().category() == mmapc::category();
    }
    mmapc::map m = mmapc::map::anon(2 * ps);
    try {
        (void)m.split_off(1);
    } catch (const mmapc::error &e) {
        caught += e.code() == errc::MMAPC_EINVAL_OFFSET && m.size() == 2 * ps;
    }
#ifndef _WIN32
    int fd = open("/dev/null", O_RDONLY);
    close(fd);
    try {
        (void)mmapc::map::file(ps, MMAPC_PROT_READ, fd);
    } catch (const mmapc::error &e) {
        caught += e.code() == errc::MMAPC_EBADF && e.os_error() == EBADF;
    }
    CHECK(caught == 4);
#else
    CHECK(caught == 3);
#endif

    // and what succeeds returns its value
    mmapc::map back = m.split_off(ps);
    CHECK(m.size() == ps && back.start() == m.end());
    m.merge(back);
    CHECK(!back && m.size() == 2 * ps);
    m.protect(MMAPC_PROT_READ);
    CHECK(m.protection() == MMAPC_PROT_READ);
#if PLATFORM_AREAS == PROMISE_NO
    // what never opens throws its code, with the call that refused it
    int refused = 0;
    const auto unsupported_by = [](const mmapc::error &e, const char *call) {
        return e.code() == errc::MMAPC_EUNSUPPORTED && std::strstr(e.what(), call) != nullptr;
    };
    try {
        (void)mmapc::proc::open();
    } catch (const mmapc::error &e) {
        refused += unsupported_by(e, "mmapc_proc_open");
    }
    try {
        (void)mmapc::areas::open_range(MMAPC_SELF, m.start(), m.end());
    } catch (const mmapc::error &e) {
        refused += unsupported_by(e, "mmapc_areas_open_range");
    }
    try {
        (void)mmapc::area_query(MMAPC_SELF, m.start());
    } catch (const mmapc::error &e) {
        refused += unsupported_by(e, "mmapc_area_query");
    }
    CHECK(refused == 3);
#else
    mmapc::proc p = mmapc::proc::open();
    CHECK(p.query(m.start()).prot == MMAPC_PROT_READ);
    int n = 0;
    mmapc::areas it = p.areas(m.start(), m.end());
    for (const mmapc::area &a : it)
        n += a.start <= m.start() && m.end() <= a.end;
    it.check();
    CHECK(n == 1);
#endif
    mmapc::dual d = mmapc::map::dual(ps);
    CHECK(d.rw && d.rx);
    mmapc::shm s = mmapc::shm::create(nullptr, mmapc::allocation_granularity());
    mmapc::map v = s.view(0, mmapc::allocation_granularity());
    CHECK(s.size() == mmapc::allocation_granularity() && v.size() == s.size());
    std::uintptr_t start = m.start();
    m.unmap();
    CHECK(!m && gone(start));
}
#endif

int main()
{
    ps = mmapc::page_size();
    CHECK(mmapc::version() == MMAPC_VERSION_STRING);
    test_errors();
    test_result();
    test_owners();
    test_spans();
    test_map_calls();
    test_guarded();
    test_areas();
    test_proc();
    test_shm();
#ifdef MMAPC_HPP_EXCEPTIONS
    test_throwing();
#endif
    return check_done();
}
