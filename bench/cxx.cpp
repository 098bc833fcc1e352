// SPDX-License-Identifier: MIT
// Rows of mmapc.hpp: its owners against the C calls they wrap, both sides in this file (same
// compiler, same flags), interleaved by the harness. The target is that the wrapper costs nothing.
#include "bench.h"

#include "mmapc.hpp"

#include <cstdio>

namespace
{
constexpr std::size_t size4k = 4096;
constexpr std::size_t name_size = 4096; // both query sides ask for the name into this much

struct create_ctx {
    void *expect;   // the isolated hole: where every mapping must land
    long misplaced; // calls whose mapping landed elsewhere
};

void create_cxx(void *arg)
{
    auto *c = static_cast<create_ctx *>(arg);
    mmapc::map m = mmapc::map::anon(size4k); // throws on failure, unmaps at the end of scope
    c->misplaced += m.ptr() != c->expect;
}

void create_c(void *arg)
{
    auto *c = static_cast<create_ctx *>(arg);
    mmapc_map *m;
    int rc = mmapc_map_anon(&m, size4k, MMAPC_PROT_RW, nullptr);
    if (rc)
        bench_die("mmapc_map_anon", rc);
    c->misplaced += mmapc_ptr(m) != c->expect;
    mmapc_unmap(m);
}

struct query_ctx {
    const mmapc::proc *proc;
    std::uint64_t addr;
    std::uint64_t start; // the answer, checked against the other side's
    char name[name_size];
};

void query_cxx(void *arg)
{
    auto *c = static_cast<query_ctx *>(arg);
    auto a = c->proc->try_query(c->addr, c->name, name_size);
    if (!a)
        bench_die("mmapc::proc::try_query", a.error().value());
    c->start = a->start;
}

void query_c(void *arg)
{
    auto *c = static_cast<query_ctx *>(arg);
    mmapc_area a;
    int rc = mmapc_proc_query(c->proc->get(), c->addr, &a, c->name, name_size);
    if (rc)
        bench_die("mmapc_proc_query", rc);
    c->start = a.start;
}

void create_row()
{
    bench_hole h;
    if (bench_hole_make(&h, size4k) != 0)
        bench_die("making an isolated hole (mmap)", 0);
    create_ctx a{h.at, 0}, b{h.at, 0};
    bench_variant v[] = {{"C++ owner", create_cxx, &a},
                         {"mmapc_map_anon+mmapc_unmap", create_c, &b}};
    bench_result r;
    bench_run(v, 2, 0, &r);
    char note[96];
    if (a.misplaced || b.misplaced)
        std::snprintf(note, sizeof note, "LANDED OUTSIDE THE HOLE: %ld C++, %ld C calls",
                      a.misplaced, b.misplaced);
    else
        std::snprintf(note, sizeof note, "mmapc::map::anon, every call in the isolated hole");
    bench_hole_free(&h);
    bench_row("C++: create+destroy anon RW", "4 KiB", r.median_ns[0], "mmapc_map_anon+mmapc_unmap",
              r.median_ns[1], r.ratio[1], "<= 1.01", note);
}

void query_row()
{
    auto p = mmapc::proc::try_open();
    if (!p)
        bench_die("mmapc::proc::try_open", p.error().value());
    mmapc::map m = mmapc::map::anon(size4k);
    query_ctx a{&*p, m.start(), 0, {}}, b{&*p, m.start(), 0, {}};
    bench_variant v[] = {{"C++ owner", query_cxx, &a}, {"mmapc_proc_query", query_c, &b}};
    bench_result r;
    bench_run(v, 2, 0, &r);
    if (a.start != b.start)
        bench_die("the two queries disagree", 0);
    bench_row("C++: query through a process handle", "N=0", r.median_ns[0], "mmapc_proc_query",
              r.median_ns[1], r.ratio[1], "<= 1.01",
              p->direct() ? "proc::try_query, PROCMAP_QUERY" : "proc::try_query, text listing");
}
} // namespace

void bench_cxx_rows(void)
{
    create_row();
    query_row();
}
