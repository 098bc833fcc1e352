// SPDX-License-Identifier: MIT
/* The CPython binding of libmmapc: error objects, areas and usage as struct sequences built here
 * in C, process handles, and mappings that export their memory through the buffer protocol.
 * Thin: every call is one libmmapc call (or a loop of them); nothing here decides what the C
 * library does not. The GIL is held throughout, so that no two threads use one handle at once
 * and a close cannot race a use. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <mmapc.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- errors ---------------------------------------------------------------------------- */

static PyObject *Error; /* mmapc.Error, a subclass of OSError */

/* Raise mmapc.Error for @p code: message "NAME: sentence", .code, .name, .os_error (the raw
 * errno, also OSError's errno when non-zero), .done (the bytes copied, or None). */
static PyObject *raise_error_done(int code, PyObject *done)
{
    int os = mmapc_last_os_error();
    PyObject *msg = PyUnicode_FromFormat("%s: %s", mmapc_err_name(code), mmapc_strerror(code));
    if (!msg)
        return NULL;
    PyObject *args = os ? Py_BuildValue("(iO)", os, msg) : PyTuple_Pack(1, msg);
    Py_DECREF(msg);
    if (!args)
        return NULL;
    PyObject *exc = PyObject_Call(Error, args, NULL);
    Py_DECREF(args);
    if (!exc)
        return NULL;
    PyObject *c = PyLong_FromLong(code), *o = PyLong_FromLong(os);
    PyObject *n = PyUnicode_FromString(mmapc_err_name(code));
    if (!c || !o || !n || PyObject_SetAttrString(exc, "code", c) < 0 ||
        PyObject_SetAttrString(exc, "name", n) < 0 ||
        PyObject_SetAttrString(exc, "os_error", o) < 0 ||
        PyObject_SetAttrString(exc, "done", done ? done : Py_None) < 0) {
        Py_XDECREF(c);
        Py_XDECREF(o);
        Py_XDECREF(n);
        Py_DECREF(exc);
        return NULL;
    }
    Py_DECREF(c);
    Py_DECREF(o);
    Py_DECREF(n);
    PyErr_SetObject(Error, exc);
    Py_DECREF(exc);
    return NULL;
}

static PyObject *raise_error(int code)
{
    return raise_error_done(code, NULL);
}

/* ---- argument conversions: negative sizes and addresses are ValueError, not a wrap-around */

static int to_size(PyObject *o, void *out)
{
    Py_ssize_t v = PyNumber_AsSsize_t(o, PyExc_OverflowError);
    if (v == -1 && PyErr_Occurred())
        return 0;
    if (v < 0) {
        PyErr_Format(PyExc_ValueError, "a size or offset must not be negative (got %zd)", v);
        return 0;
    }
    *(size_t *)out = (size_t)v;
    return 1;
}

static int to_u64(PyObject *o, void *out)
{
    PyObject *i = PyNumber_Index(o);
    if (!i)
        return 0;
    int overflow;
    long long s = PyLong_AsLongLongAndOverflow(i, &overflow);
    if (overflow < 0 || (!overflow && s < 0)) {
        PyErr_Format(PyExc_ValueError, "an address or file offset must not be negative (got %S)",
                     i);
        Py_DECREF(i);
        return 0;
    }
    unsigned long long v = PyLong_AsUnsignedLongLong(i);
    Py_DECREF(i);
    if (v == (unsigned long long)-1 && PyErr_Occurred())
        return 0;
    *(uint64_t *)out = (uint64_t)v;
    return 1;
}

/* pid None means MMAPC_SELF. */
static int to_pid(PyObject *o, void *out)
{
    if (o == Py_None) {
        *(int *)out = MMAPC_SELF;
        return 1;
    }
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred())
        return 0;
    if (v < INT_MIN || v > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "pid out of range");
        return 0;
    }
    *(int *)out = (int)v;
    return 1;
}

/* An int file descriptor, or an object with fileno(). */
static int to_fd(PyObject *o, void *out)
{
    int fd = PyObject_AsFileDescriptor(o);
    if (fd < 0)
        return 0;
    *(mmapc_file *)out = fd;
    return 1;
}

/* ---- Area and Usage: struct sequences ------------------------------------------------- */

static PyTypeObject *AreaType, *UsageType;

static PyStructSequence_Field area_fields[] = {
    {"start", "first byte"},
    {"end", "one past the last byte"},
    {"allocation_base", "start of the allocation it belongs to (the start on Linux)"},
    {"prot", "PROT_READ | PROT_WRITE | PROT_EXEC bits"},
    {"shared", "True when shared, False when private (copy-on-write)"},
    {"kind", "what backs the area: one of the AREA_* constants"},
    {"kind_name", "the name of the kind: 'anon', 'file', 'heap', 'stack'..."},
    {"path", "file path, bracketed pseudo-area name, or '' for anonymous memory"},
    {"path_len", "length in bytes of the full path"},
    {"deleted", "True when the file was deleted"},
    {"offset", "file offset of start (0 when not file-backed)"},
    {"dev_major", "device of the file, major number"},
    {"dev_minor", "device of the file, minor number"},
    {"inode", "inode of the file"},
    {"usage", "memory use (a Usage), or None when not asked for"},
    {"build_id", "the build ID as bytes (b'' when none), or None when not asked for"},
    {NULL, NULL},
};

static PyStructSequence_Desc area_desc = {"mmapc.Area",
                                          "One memory area of a process (mmapc_area).", area_fields,
                                          (int)(sizeof area_fields / sizeof area_fields[0]) - 1};

/* The usage figures in the order of mmapc_area_usage, each with its MMAPC_USAGE_* bit. */
#define USAGE_FIGURES(X)                                                                           \
    X(size, SIZE)                                                                                  \
    X(kernel_page_size, KERNEL_PAGE_SIZE)                                                          \
    X(mmu_page_size, MMU_PAGE_SIZE)                                                                \
    X(rss, RSS)                                                                                    \
    X(pss, PSS)                                                                                    \
    X(pss_dirty, PSS_DIRTY)                                                                        \
    X(pss_anon, PSS_ANON)                                                                          \
    X(pss_file, PSS_FILE)                                                                          \
    X(pss_shmem, PSS_SHMEM)                                                                        \
    X(shared_clean, SHARED_CLEAN)                                                                  \
    X(shared_dirty, SHARED_DIRTY)                                                                  \
    X(private_clean, PRIVATE_CLEAN)                                                                \
    X(private_dirty, PRIVATE_DIRTY)                                                                \
    X(referenced, REFERENCED)                                                                      \
    X(anonymous, ANONYMOUS)                                                                        \
    X(ksm, KSM)                                                                                    \
    X(lazy_free, LAZY_FREE)                                                                        \
    X(anon_huge_pages, ANON_HUGE_PAGES)                                                            \
    X(shmem_pmd_mapped, SHMEM_PMD_MAPPED)                                                          \
    X(file_pmd_mapped, FILE_PMD_MAPPED)                                                            \
    X(shared_hugetlb, SHARED_HUGETLB)                                                              \
    X(private_hugetlb, PRIVATE_HUGETLB)                                                            \
    X(swap, SWAP)                                                                                  \
    X(swap_pss, SWAP_PSS)                                                                          \
    X(locked, LOCKED)                                                                              \
    X(resident_shared, RESIDENT_SHARED)                                                            \
    X(resident_private, RESIDENT_PRIVATE)

#define USAGE_FIELD(name, bit) {#name, "bytes (None when the system does not tell)"},
static PyStructSequence_Field usage_fields[] = {
    {"known", "MMAPC_USAGE_* bits of the figures this system filled in"},
    USAGE_FIGURES(USAGE_FIELD){"thp_eligible", "True when the area may get transparent huge pages"},
    {"protection_key", "the memory protection key"},
    {"vm_flags", "VM_* bits (the kernel's VmFlags)"},
    {NULL, NULL},
};
#undef USAGE_FIELD

static PyStructSequence_Desc usage_desc = {
    "mmapc.Usage",
    "Memory use of one area, or totals of a process (mmapc_area_usage). Byte counts in bytes; a "
    "figure the system does not tell is None.",
    usage_fields, (int)(sizeof usage_fields / sizeof usage_fields[0]) - 1};

static PyObject *kind_names[MMAPC_AREA_OTHER_PSEUDO + 1];

static PyObject *u64(uint64_t v)
{
    return PyLong_FromUnsignedLongLong(v);
}

/* Areas of a listing share most figures (0, one page, the page sizes): an iteration keeps the
 * last int of each usage field and gives it again for the same value, rather than a new one. */
#define USAGE_SLOTS 32
typedef struct value_cache {
    uint64_t value[USAGE_SLOTS];
    PyObject *obj[USAGE_SLOTS];
} value_cache;

static void value_cache_clear(value_cache *c)
{
    for (int i = 0; i < USAGE_SLOTS; i++)
        Py_CLEAR(c->obj[i]);
}

static PyObject *cached_u64(value_cache *c, Py_ssize_t slot, uint64_t v)
{
    if (!c || slot >= USAGE_SLOTS)
        return u64(v);
    if (c->obj[slot] && c->value[slot] == v)
        return Py_NewRef(c->obj[slot]);
    PyObject *o = u64(v);
    if (o) {
        Py_XSETREF(c->obj[slot], Py_NewRef(o));
        c->value[slot] = v;
    }
    return o;
}

static PyObject *make_usage(const mmapc_area_usage *u, value_cache *cache)
{
    PyObject *o = PyStructSequence_New(UsageType);
    if (!o)
        return NULL;
    Py_ssize_t i = 0;
    PyObject *v;
#define SET(expr)                                                                                  \
    do {                                                                                           \
        v = (expr);                                                                                \
        if (!v)                                                                                    \
            goto fail;                                                                             \
        PyStructSequence_SET_ITEM(o, i++, v);                                                      \
    } while (0)
#define KNOWN(bit, expr) (u->known & (bit) ? (expr) : Py_NewRef(Py_None))
    SET(u64(u->known));
#define USAGE_SET(name, bit) SET(KNOWN(MMAPC_USAGE_##bit, cached_u64(cache, i, u->name)));
    USAGE_FIGURES(USAGE_SET)
#undef USAGE_SET
    SET(KNOWN(MMAPC_USAGE_THP_ELIGIBLE, PyBool_FromLong(u->thp_eligible)));
    SET(KNOWN(MMAPC_USAGE_PROTECTION_KEY, PyLong_FromLong(u->protection_key)));
    SET(KNOWN(MMAPC_USAGE_VM_FLAGS, cached_u64(cache, i, u->vm_flags)));
#undef KNOWN
    return o;
fail:
    Py_DECREF(o);
    return NULL;
}

/* Consecutive areas often share a path (the pieces of one library): keep the last one decoded. */
typedef struct path_cache {
    char *bytes;
    size_t len, cap;
    PyObject *str;
} path_cache;

static void path_cache_clear(path_cache *c)
{
    PyMem_Free(c->bytes);
    Py_CLEAR(c->str);
    c->bytes = NULL;
    c->len = c->cap = 0;
}

static PyObject *path_str(path_cache *c, const char *path)
{
    size_t len = strlen(path);
    if (c && c->str && c->len == len && memcmp(c->bytes, path, len) == 0)
        return Py_NewRef(c->str);
    PyObject *s = PyUnicode_DecodeFSDefaultAndSize(path, (Py_ssize_t)len);
    if (!s || !c)
        return s;
    if (len + 1 > c->cap) {
        char *b = PyMem_Realloc(c->bytes, len + 1);
        if (!b) /* no cache then; the string is fine */
            return s;
        c->bytes = b;
        c->cap = len + 1;
    }
    memcpy(c->bytes, path, len + 1);
    c->len = len;
    Py_XSETREF(c->str, Py_NewRef(s));
    return s;
}

/* An Area from @p a; @p usage and @p build_id (new references, NULL meaning None) are stolen. */
static PyObject *make_area(const mmapc_area *a, path_cache *cache, PyObject *usage,
                           PyObject *build_id)
{
    PyObject *o = PyStructSequence_New(AreaType);
    if (!o) {
        Py_XDECREF(usage);
        Py_XDECREF(build_id);
        return NULL;
    }
    Py_ssize_t i = 0;
    PyObject *v;
    SET(u64(a->start));
    SET(u64(a->end));
    SET(u64(a->allocation_base));
    SET(PyLong_FromUnsignedLong(a->prot));
    SET(PyBool_FromLong(a->shared != 0));
    SET(PyLong_FromLong((long)a->kind));
    SET(Py_NewRef((unsigned)a->kind <= MMAPC_AREA_OTHER_PSEUDO ? kind_names[a->kind] : Py_None));
    SET(path_str(cache, a->path));
    SET(PyLong_FromSize_t(a->path_len));
    SET(PyBool_FromLong(a->deleted != 0));
    SET(u64(a->offset));
    SET(PyLong_FromUnsignedLong(a->dev_major));
    SET(PyLong_FromUnsignedLong(a->dev_minor));
    SET(u64(a->inode));
    PyStructSequence_SET_ITEM(o, i++, usage ? usage : Py_NewRef(Py_None));
    PyStructSequence_SET_ITEM(o, i++, build_id ? build_id : Py_NewRef(Py_None));
    return o;
fail:
    Py_XDECREF(usage);
    Py_XDECREF(build_id);
    Py_DECREF(o);
    return NULL;
}
#undef SET

/* ---- Process ------------------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD mmapc_proc *proc;
    int pid;
    Py_ssize_t iterations; /* open iterations over it: close waits for them to end */
} ProcessObject;

static PyTypeObject ProcessType;

static int proc_check(ProcessObject *self)
{
    if (!self->proc) {
        PyErr_SetString(PyExc_ValueError, "operation on a closed Process");
        return -1;
    }
    return 0;
}

static int Process_init(ProcessObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"pid", "text", NULL};
    int pid = MMAPC_SELF, text = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&p:Process", kwlist, to_pid, &pid, &text))
        return -1;
    if (self->proc) {
        PyErr_SetString(PyExc_ValueError, "Process is open already");
        return -1;
    }
    mmapc_proc *p;
    int rc = mmapc_proc_open(&p, pid, text ? MMAPC_PROC_TEXT : 0);
    if (rc < 0) {
        raise_error(rc);
        return -1;
    }
    self->proc = p;
    self->pid = pid;
    return 0;
}

static PyObject *Process_close(ProcessObject *self, PyObject *Py_UNUSED(ignored))
{
    if (self->iterations > 0) {
        PyErr_SetString(PyExc_BufferError, "cannot close a Process while an iteration over it is "
                                           "open (end or delete the iterator first)");
        return NULL;
    }
    mmapc_proc_close(self->proc);
    self->proc = NULL;
    Py_RETURN_NONE;
}

static void Process_dealloc(ProcessObject *self)
{
    mmapc_proc_close(self->proc); /* iterations hold a reference, so none is open here */
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Process_enter(ProcessObject *self, PyObject *Py_UNUSED(ignored))
{
    if (proc_check(self) < 0)
        return NULL;
    return Py_NewRef(self);
}

static PyObject *Process_exit(ProcessObject *self, PyObject *Py_UNUSED(args))
{
    return Process_close(self, NULL);
}

/* The build ID of the area at @p addr: bytes (b'' when it has none). */
static PyObject *build_id_bytes(mmapc_proc *proc, uint64_t addr)
{
    mmapc_build_id id;
    int rc = mmapc_proc_build_id(proc, addr, &id);
    if (rc < 0)
        return raise_error(rc);
    return PyBytes_FromStringAndSize((const char *)id.bytes, (Py_ssize_t)id.size);
}

/* ---- the iteration ---- */

typedef struct {
    PyObject_HEAD ProcessObject *owner; /* NULL once the iteration has ended */
    mmapc_areas *it;
    int usage, build_ids;
    int close_owner; /* the module's areas(): the Process is the iterator's own */
    path_cache cache;
    value_cache values;
} AreasIterObject;

static PyTypeObject AreasIterType;

static void iter_end(AreasIterObject *self)
{
    mmapc_areas_close(self->it);
    self->it = NULL;
    path_cache_clear(&self->cache);
    value_cache_clear(&self->values);
    if (self->owner) {
        self->owner->iterations--;
        if (self->close_owner) {
            mmapc_proc_close(self->owner->proc);
            self->owner->proc = NULL;
        }
        Py_CLEAR(self->owner);
    }
}

static PyObject *iter_new(ProcessObject *proc, int usage, int build_ids, uint64_t start,
                          uint64_t end, int close_owner)
{
    if (proc_check(proc) < 0)
        return NULL;
    mmapc_areas *it;
    int rc = usage ? mmapc_proc_areas_usage(&it, proc->proc, start, end)
                   : mmapc_proc_areas(&it, proc->proc, start, end);
    if (rc < 0)
        return raise_error(rc);
    AreasIterObject *self = PyObject_New(AreasIterObject, &AreasIterType);
    if (!self) {
        mmapc_areas_close(it);
        return NULL;
    }
    self->owner = (ProcessObject *)Py_NewRef(proc);
    proc->iterations++;
    self->it = it;
    self->usage = usage;
    self->build_ids = build_ids;
    self->close_owner = close_owner;
    memset(&self->cache, 0, sizeof self->cache);
    memset(&self->values, 0, sizeof self->values);
    return (PyObject *)self;
}

static PyObject *AreasIter_next(AreasIterObject *self)
{
    if (!self->it)
        return NULL;
    mmapc_area a;
    int rc = mmapc_areas_next(self->it, &a);
    if (rc <= 0) {
        iter_end(self);
        return rc < 0 ? raise_error(rc) : NULL; /* NULL without an error: StopIteration */
    }
    PyObject *usage = NULL, *build_id = NULL;
    if (self->usage) {
        mmapc_area_usage u;
        rc = mmapc_areas_usage(self->it, &u);
        if (rc < 0)
            return raise_error(rc);
        if (!(usage = make_usage(&u, &self->values)))
            return NULL;
    }
    if (self->build_ids && !(build_id = build_id_bytes(self->owner->proc, a.start))) {
        Py_XDECREF(usage);
        return NULL;
    }
    return make_area(&a, &self->cache, usage, build_id);
}

static void AreasIter_dealloc(AreasIterObject *self)
{
    iter_end(self);
    PyObject_Free(self);
}

static PyTypeObject AreasIterType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mmapc.AreasIterator",
    .tp_basicsize = sizeof(AreasIterObject),
    .tp_dealloc = (destructor)AreasIter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An iteration over memory areas (one snapshot of the listing).",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)AreasIter_next,
};

static PyObject *Process_areas(ProcessObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"usage", "build_ids", "start", "end", NULL};
    int usage = 0, build_ids = 0;
    uint64_t start = 0, end = UINT64_MAX;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|$ppO&O&:areas", kwlist, &usage, &build_ids, to_u64,
                                     &start, to_u64, &end))
        return NULL;
    return iter_new(self, usage, build_ids, start, end, 0);
}

/* mmapc_proc_query(), asking again with a buffer that fits when the path was longer. */
static PyObject *query_area(mmapc_proc *proc, int pid, uint64_t addr, int usage)
{
    char stack_buf[4096], *buf = stack_buf;
    size_t size = sizeof stack_buf;
    mmapc_area a;
    mmapc_area_usage u;
    int rc;
    for (;;) {
        if (usage)
            rc = mmapc_proc_query_usage(proc, addr, &a, buf, size, &u);
        else if (proc)
            rc = mmapc_proc_query(proc, addr, &a, buf, size);
        else
            rc = mmapc_area_query(pid, addr, &a, buf, size);
        if (rc < 0 || a.path_len < size)
            break;
        size = a.path_len + 1;
        char *b = PyMem_Realloc(buf == stack_buf ? NULL : buf, size);
        if (!b) {
            if (buf != stack_buf)
                PyMem_Free(buf);
            return PyErr_NoMemory();
        }
        buf = b;
    }
    PyObject *r = NULL;
    if (rc < 0)
        raise_error(rc);
    else if (!usage)
        r = make_area(&a, NULL, NULL, NULL);
    else {
        PyObject *uo = make_usage(&u, NULL);
        r = uo ? make_area(&a, NULL, uo, NULL) : NULL;
    }
    if (buf != stack_buf)
        PyMem_Free(buf);
    return r;
}

static PyObject *Process_query(ProcessObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"addr", "usage", NULL};
    uint64_t addr;
    int usage = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|$p:query", kwlist, to_u64, &addr, &usage))
        return NULL;
    if (proc_check(self) < 0)
        return NULL;
    return query_area(self->proc, self->pid, addr, usage);
}

static PyObject *Process_read(ProcessObject *self, PyObject *args)
{
    uint64_t addr;
    size_t n, done = 0;
    if (!PyArg_ParseTuple(args, "O&O&:read", to_u64, &addr, to_size, &n))
        return NULL;
    if (proc_check(self) < 0)
        return NULL;
    PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n);
    if (!b)
        return NULL;
    int rc = mmapc_proc_read(self->proc, addr, PyBytes_AS_STRING(b), n, &done);
    if (rc < 0) {
        Py_DECREF(b);
        return raise_error(rc);
    }
    if (done < n && _PyBytes_Resize(&b, (Py_ssize_t)done) < 0)
        return NULL;
    return b;
}

static PyObject *Process_write(ProcessObject *self, PyObject *args)
{
    uint64_t addr;
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "O&y*:write", to_u64, &addr, &data))
        return NULL;
    size_t done = 0;
    int rc = proc_check(self) < 0
                 ? 1
                 : mmapc_proc_write(self->proc, addr, data.buf, (size_t)data.len, &done);
    PyBuffer_Release(&data);
    if (rc > 0)
        return NULL;
    if (rc < 0)
        return raise_error(rc);
    return PyLong_FromSize_t(done);
}

static PyObject *Process_usage_totals(ProcessObject *self, PyObject *Py_UNUSED(ignored))
{
    if (proc_check(self) < 0)
        return NULL;
    mmapc_area_usage u;
    int rc = mmapc_proc_usage_totals(self->proc, &u);
    if (rc < 0)
        return raise_error(rc);
    return make_usage(&u, NULL);
}

static PyObject *Process_build_id(ProcessObject *self, PyObject *args)
{
    uint64_t addr;
    if (!PyArg_ParseTuple(args, "O&:build_id", to_u64, &addr))
        return NULL;
    if (proc_check(self) < 0)
        return NULL;
    return build_id_bytes(self->proc, addr);
}

static PyObject *Process_get_closed(ProcessObject *self, void *Py_UNUSED(c))
{
    return PyBool_FromLong(self->proc == NULL);
}

static PyObject *Process_get_direct(ProcessObject *self, void *Py_UNUSED(c))
{
    if (proc_check(self) < 0)
        return NULL;
    return PyBool_FromLong(mmapc_proc_direct(self->proc));
}

static PyObject *Process_repr(ProcessObject *self)
{
    return PyUnicode_FromFormat("<mmapc.Process pid=%d%s>", self->pid, self->proc ? "" : " closed");
}

static PyMethodDef Process_methods[] = {
    {"areas", (PyCFunction)(void (*)(void))Process_areas, METH_VARARGS | METH_KEYWORDS,
     "areas(*, usage=False, build_ids=False, start=0, end=2**64-1)\n--\n\n"
     "Iterate over the areas that intersect [start, end), with their memory use when usage is "
     "true and their build IDs when build_ids is true. The listing is one snapshot, read "
     "before the first area."},
    {"query", (PyCFunction)(void (*)(void))Process_query, METH_VARARGS | METH_KEYWORDS,
     "query(addr, *, usage=False)\n--\n\nThe Area that holds addr (mmapc.Error "
     "MMAPC_ENOTFOUND when none does)."},
    {"read", (PyCFunction)Process_read, METH_VARARGS,
     "read(addr, n)\n--\n\nUp to n bytes from addr: fewer when the byte after them could not be "
     "read (an unmapped or unreadable page)."},
    {"write", (PyCFunction)Process_write, METH_VARARGS,
     "write(addr, data)\n--\n\nWrite data at addr; returns how many bytes were written (fewer "
     "than len(data) when a page is not mapped or not writable)."},
    {"usage_totals", (PyCFunction)Process_usage_totals, METH_NOARGS,
     "usage_totals()\n--\n\nThe Usage of the whole process (Linux smaps_rollup)."},
    {"build_id", (PyCFunction)Process_build_id, METH_VARARGS,
     "build_id(addr)\n--\n\nThe build ID of the file behind the area at addr, as bytes (b'' "
     "when it has none)."},
    {"close", (PyCFunction)Process_close, METH_NOARGS,
     "close()\n--\n\nClose the handle (and its descriptor)."},
    {"__enter__", (PyCFunction)Process_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)Process_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef Process_members[] = {
    {"pid", T_INT, offsetof(ProcessObject, pid), READONLY, "the process id (0: this process)"},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef Process_getset[] = {
    {"closed", (getter)Process_get_closed, NULL, "True once closed", NULL},
    {"direct", (getter)Process_get_direct, NULL,
     "True when queries ask the kernel directly (PROCMAP_QUERY), False when they scan the text",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject ProcessType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mmapc.Process",
    .tp_basicsize = sizeof(ProcessObject),
    .tp_dealloc = (destructor)Process_dealloc,
    .tp_repr = (reprfunc)Process_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Process(pid=None, text=False)\n--\n\n"
              "An open process (mmapc_proc): None or 0 for this one. Open once, query many times; "
              "text=True answers queries from the text listing (MMAPC_PROC_TEXT).",
    .tp_methods = Process_methods,
    .tp_members = Process_members,
    .tp_getset = Process_getset,
    .tp_init = (initproc)Process_init,
    .tp_new = PyType_GenericNew,
};

/* ---- Map: a mapping, exported through the buffer protocol ---------------------------- */

typedef struct {
    PyObject_HEAD mmapc_map *map;
    Py_ssize_t exports; /* live buffers: close, resize and protect wait for them to go */
    PyObject *weakrefs;
} MapObject;

static PyTypeObject MapType;

static int map_check(MapObject *self)
{
    if (!self->map) {
        PyErr_SetString(PyExc_ValueError, "operation on a closed mapping");
        return -1;
    }
    return 0;
}

static int map_not_exported(MapObject *self, const char *what)
{
    if (self->exports > 0) {
        PyErr_Format(PyExc_BufferError,
                     "cannot %s a mapping while %zd buffer(s) of it are exported (release the "
                     "memoryview first)",
                     what, self->exports);
        return -1;
    }
    return 0;
}

static PyObject *map_wrap(mmapc_map *m)
{
    MapObject *self = PyObject_New(MapObject, &MapType);
    if (!self) {
        mmapc_unmap(m);
        return NULL;
    }
    self->map = m;
    self->exports = 0;
    self->weakrefs = NULL;
    return (PyObject *)self;
}

static int Map_getbuffer(MapObject *self, Py_buffer *view, int flags)
{
    if (map_check(self) < 0) {
        view->obj = NULL;
        return -1;
    }
    mmapc_prot prot = mmapc_protection(self->map);
    if (mmapc_is_reserved(self->map) || !(prot & MMAPC_PROT_READ)) {
        PyErr_SetString(PyExc_BufferError, "the mapping is not readable (reserved, or no read "
                                           "protection): no buffer of it");
        view->obj = NULL;
        return -1;
    }
    int readonly = !(prot & MMAPC_PROT_WRITE);
    if (PyBuffer_FillInfo(view, (PyObject *)self, mmapc_ptr(self->map),
                          (Py_ssize_t)mmapc_size(self->map), readonly, flags) < 0)
        return -1;
    self->exports++;
    return 0;
}

static void Map_releasebuffer(MapObject *self, Py_buffer *Py_UNUSED(view))
{
    self->exports--;
}

static PyBufferProcs Map_as_buffer = {
    .bf_getbuffer = (getbufferproc)Map_getbuffer,
    .bf_releasebuffer = (releasebufferproc)Map_releasebuffer,
};

static void Map_dealloc(MapObject *self)
{
    if (self->weakrefs)
        PyObject_ClearWeakRefs((PyObject *)self);
    mmapc_unmap(self->map); /* a buffer holds a reference, so none is exported here */
    PyObject_Free(self);
}

static PyObject *Map_close(MapObject *self, PyObject *Py_UNUSED(ignored))
{
    if (!self->map)
        Py_RETURN_NONE;
    if (map_not_exported(self, "close") < 0)
        return NULL;
    int rc = mmapc_unmap_checked(self->map);
    if (rc < 0)
        return raise_error(rc);
    self->map = NULL;
    Py_RETURN_NONE;
}

static PyObject *Map_enter(MapObject *self, PyObject *Py_UNUSED(ignored))
{
    if (map_check(self) < 0)
        return NULL;
    return Py_NewRef(self);
}

static PyObject *Map_exit(MapObject *self, PyObject *Py_UNUSED(args))
{
    return Map_close(self, NULL);
}

static PyObject *Map_read(MapObject *self, PyObject *args)
{
    size_t offset = 0, n = SIZE_MAX, done = 0;
    if (!PyArg_ParseTuple(args, "|O&O&:read", to_size, &offset, to_size, &n))
        return NULL;
    if (map_check(self) < 0)
        return NULL;
    if (n == SIZE_MAX) /* to the end; an offset past it is the library's to refuse */
        n = offset <= mmapc_size(self->map) ? mmapc_size(self->map) - offset : 1;
    if (n > PY_SSIZE_T_MAX)
        return PyErr_NoMemory();
    PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n);
    if (!b)
        return NULL;
    int rc = mmapc_read(self->map, offset, PyBytes_AS_STRING(b), n, &done);
    if (rc == MMAPC_EIO) { /* .done and the bytes copied before the fault as .data */
        PyObject *d = PyLong_FromSize_t(done);
        if (d && _PyBytes_Resize(&b, (Py_ssize_t)done) == 0) {
            raise_error_done(rc, d);
            PyObject *type, *value, *tb;
            PyErr_Fetch(&type, &value, &tb);
            if (value && PyObject_SetAttrString(value, "data", b) == 0)
                PyErr_Restore(type, value, tb);
            else {
                Py_XDECREF(type);
                Py_XDECREF(value);
                Py_XDECREF(tb);
            }
        }
        Py_XDECREF(b);
        Py_XDECREF(d);
        return NULL;
    }
    if (rc < 0) {
        Py_DECREF(b);
        return raise_error(rc);
    }
    return b;
}

static PyObject *Map_write(MapObject *self, PyObject *args)
{
    size_t offset;
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "O&y*:write", to_size, &offset, &data))
        return NULL;
    size_t done = 0;
    int rc =
        map_check(self) < 0 ? 1 : mmapc_write(self->map, offset, data.buf, (size_t)data.len, &done);
    PyBuffer_Release(&data);
    if (rc > 0)
        return NULL;
    if (rc == MMAPC_EIO) {
        PyObject *d = PyLong_FromSize_t(done);
        if (d)
            raise_error_done(rc, d);
        Py_XDECREF(d);
        return NULL;
    }
    if (rc < 0)
        return raise_error(rc);
    return PyLong_FromSize_t(done);
}

static PyObject *Map_protect(MapObject *self, PyObject *args)
{
    int prot;
    if (!PyArg_ParseTuple(args, "i:protect", &prot))
        return NULL;
    if (map_check(self) < 0 || map_not_exported(self, "change the protection of") < 0)
        return NULL;
    int rc = mmapc_protect(self->map, (mmapc_prot)prot);
    if (rc < 0)
        return raise_error(rc);
    Py_RETURN_NONE;
}

static PyObject *Map_flush(MapObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"start", "end", "wait", NULL};
    size_t start = 0, end = SIZE_MAX;
    int wait = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&O&$p:flush", kwlist, to_size, &start, to_size,
                                     &end, &wait))
        return NULL;
    if (map_check(self) < 0)
        return NULL;
    if (end == SIZE_MAX)
        end = mmapc_size(self->map);
    int rc = wait ? mmapc_flush(self->map, start, end) : mmapc_flush_async(self->map, start, end);
    if (rc < 0)
        return raise_error(rc);
    Py_RETURN_NONE;
}

static PyObject *Map_resize(MapObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"new_size", "may_move", NULL};
    size_t size;
    int may_move = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|$p:resize", kwlist, to_size, &size, &may_move))
        return NULL;
    if (map_check(self) < 0 || map_not_exported(self, "resize") < 0)
        return NULL;
    int rc = mmapc_resize(self->map, size, may_move ? MMAPC_RESIZE_MAY_MOVE : 0);
    if (rc < 0)
        return raise_error(rc);
    Py_RETURN_NONE;
}

static Py_ssize_t Map_length(MapObject *self)
{
    if (map_check(self) < 0)
        return -1;
    return (Py_ssize_t)mmapc_size(self->map);
}

#define MAP_GETTER(name, expr, doc)                                                                \
    static PyObject *Map_get_##name(MapObject *self, void *Py_UNUSED(c))                           \
    {                                                                                              \
        if (map_check(self) < 0)                                                                   \
            return NULL;                                                                           \
        return (expr);                                                                             \
    }
MAP_GETTER(size, PyLong_FromSize_t(mmapc_size(self->map)), "")
MAP_GETTER(address, PyLong_FromSize_t((size_t)mmapc_start(self->map)), "")
MAP_GETTER(prot, PyLong_FromLong((long)mmapc_protection(self->map)), "")
MAP_GETTER(flags, PyLong_FromUnsignedLong(mmapc_flags(self->map)), "")
MAP_GETTER(offset, u64(mmapc_file_offset(self->map)), "")
MAP_GETTER(is_file, PyBool_FromLong(mmapc_is_file(self->map)), "")
MAP_GETTER(page_size, PyLong_FromSize_t(mmapc_map_page_size(self->map)), "")
MAP_GETTER(capacity, PyLong_FromSize_t(mmapc_capacity(self->map)), "")
#undef MAP_GETTER

static PyObject *Map_get_closed(MapObject *self, void *Py_UNUSED(c))
{
    return PyBool_FromLong(self->map == NULL);
}

static PyObject *Map_repr(MapObject *self)
{
    if (!self->map)
        return PyUnicode_FromString("<mmapc.Map closed>");
    char text[128];
    snprintf(text, sizeof text, "<mmapc.Map address=0x%zx size=%zu prot=%d%s>",
             (size_t)mmapc_start(self->map), mmapc_size(self->map),
             (int)mmapc_protection(self->map), mmapc_is_file(self->map) ? " file" : "");
    return PyUnicode_FromString(text);
}

static PyMethodDef Map_methods[] = {
    {"read", (PyCFunction)Map_read, METH_VARARGS,
     "read(offset=0, n=None)\n--\n\nA guarded copy of n bytes (to the end by default) from "
     "offset: a fault (a file truncated under the mapping) raises mmapc.Error MMAPC_EIO whose "
     ".done is the exact count copied and .data those bytes."},
    {"write", (PyCFunction)Map_write, METH_VARARGS,
     "write(offset, data)\n--\n\nA guarded copy of data to offset; returns len(data). A fault "
     "raises mmapc.Error MMAPC_EIO whose .done is the exact count written."},
    {"protect", (PyCFunction)Map_protect, METH_VARARGS,
     "protect(prot)\n--\n\nChange the protection of the whole mapping (BufferError while a "
     "buffer of it is exported)."},
    {"flush", (PyCFunction)(void (*)(void))Map_flush, METH_VARARGS | METH_KEYWORDS,
     "flush(start=0, end=None, *, wait=True)\n--\n\nWrite [start, end) back to the file, "
     "waiting for the write unless wait is false."},
    {"resize", (PyCFunction)(void (*)(void))Map_resize, METH_VARARGS | METH_KEYWORDS,
     "resize(new_size, *, may_move=False)\n--\n\nGrow or shrink the mapping (BufferError while "
     "a buffer of it is exported)."},
    {"close", (PyCFunction)Map_close, METH_NOARGS,
     "close()\n--\n\nUnmap (BufferError while a buffer of it is exported). Closing twice is "
     "fine."},
    {"__enter__", (PyCFunction)Map_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)Map_exit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Map_getset[] = {
    {"size", (getter)Map_get_size, NULL, "size in bytes", NULL},
    {"address", (getter)Map_get_address, NULL, "address of the first byte", NULL},
    {"prot", (getter)Map_get_prot, NULL, "current protection (PROT_*)", NULL},
    {"flags", (getter)Map_get_flags, NULL, "the flags it was made with", NULL},
    {"offset", (getter)Map_get_offset, NULL, "file offset of the first byte (0: anonymous)", NULL},
    {"is_file", (getter)Map_get_is_file, NULL, "True for a file mapping", NULL},
    {"page_size", (getter)Map_get_page_size, NULL, "the page size backing it", NULL},
    {"capacity", (getter)Map_get_capacity, NULL, "bytes it can grow to in place", NULL},
    {"closed", (getter)Map_get_closed, NULL, "True once closed", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PySequenceMethods Map_as_sequence = {
    .sq_length = (lenfunc)Map_length,
};

static PyTypeObject MapType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "mmapc.Map",
    .tp_basicsize = sizeof(MapObject),
    .tp_dealloc = (destructor)Map_dealloc,
    .tp_repr = (reprfunc)Map_repr,
    .tp_as_sequence = &Map_as_sequence,
    .tp_as_buffer = &Map_as_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A mapping (mmapc_map), made by map_anon(), map_file() or map_file_whole(). "
              "memoryview(m) is its memory, without a copy; read() and write() are guarded "
              "copies.",
    .tp_weaklistoffset = offsetof(MapObject, weakrefs),
    .tp_methods = Map_methods,
    .tp_getset = Map_getset,
};

static int make_options(mmapc_options *o, unsigned flags, unsigned unsafe, int shared)
{
    memset(o, 0, sizeof *o);
    o->flags = flags | (shared ? MMAPC_SHARED : 0);
    o->unsafe_flags = unsafe;
    return 0;
}

static PyObject *mod_map_anon(PyObject *Py_UNUSED(m), PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"size", "prot", "flags", "unsafe_flags", "capacity", NULL};
    size_t size, capacity = 0;
    int prot = MMAPC_PROT_RW;
    unsigned flags = 0, unsafe = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|i$IIO&:map_anon", kwlist, to_size, &size, &prot,
                                     &flags, &unsafe, to_size, &capacity))
        return NULL;
    mmapc_options o;
    make_options(&o, flags, unsafe, 0);
    mmapc_map *m;
    int rc = capacity ? mmapc_map_anon_growable(&m, size, capacity, (mmapc_prot)prot, &o)
                      : mmapc_map_anon(&m, size, (mmapc_prot)prot, &o);
    if (rc < 0)
        return raise_error(rc);
    return map_wrap(m);
}

static PyObject *mod_map_file(PyObject *Py_UNUSED(m), PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"file",  "size",      "offset",   "prot",         "shared",
                             "flags", "resizable", "capacity", "unsafe_flags", NULL};
    mmapc_file fd;
    size_t size, capacity = 0;
    uint64_t offset = 0;
    int prot = MMAPC_PROT_READ, shared = 0, resizable = 0;
    unsigned flags = 0, unsafe = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&O&|O&i$pIpO&I:map_file", kwlist, to_fd, &fd,
                                     to_size, &size, to_u64, &offset, &prot, &shared, &flags,
                                     &resizable, to_size, &capacity, &unsafe))
        return NULL;
    mmapc_options o;
    make_options(&o, flags, unsafe, shared);
    mmapc_map *m;
    int rc = resizable || capacity
                 ? mmapc_map_file_growable(&m, size, capacity, (mmapc_prot)prot, fd, offset, &o)
                 : mmapc_map_file(&m, size, (mmapc_prot)prot, fd, offset, &o);
    if (rc < 0)
        return raise_error(rc);
    return map_wrap(m);
}

static PyObject *mod_map_file_whole(PyObject *Py_UNUSED(m), PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"file", "offset", "prot", "shared", "flags", "unsafe_flags", NULL};
    mmapc_file fd;
    uint64_t offset = 0;
    int prot = MMAPC_PROT_READ, shared = 0;
    unsigned flags = 0, unsafe = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|O&i$pII:map_file_whole", kwlist, to_fd, &fd,
                                     to_u64, &offset, &prot, &shared, &flags, &unsafe))
        return NULL;
    mmapc_options o;
    make_options(&o, flags, unsafe, shared);
    mmapc_map *m;
    int rc = mmapc_map_file_whole(&m, (mmapc_prot)prot, fd, offset, &o);
    if (rc < 0)
        return raise_error(rc);
    return map_wrap(m);
}

/* ---- module functions ------------------------------------------------------------------ */

static PyObject *mod_areas(PyObject *Py_UNUSED(m), PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"pid", "usage", "build_ids", NULL};
    int pid = MMAPC_SELF, usage = 0, build_ids = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|O&$pp:areas", kwlist, to_pid, &pid, &usage,
                                     &build_ids))
        return NULL;
    ProcessObject *proc = PyObject_New(ProcessObject, &ProcessType);
    if (!proc)
        return NULL;
    proc->proc = NULL;
    proc->iterations = 0;
    proc->pid = pid;
    int rc = mmapc_proc_open(&proc->proc, pid, 0);
    if (rc < 0) {
        Py_DECREF(proc);
        return raise_error(rc);
    }
    PyObject *it = iter_new(proc, usage, build_ids, 0, UINT64_MAX, 1);
    Py_DECREF(proc); /* the iteration holds it, and closes it at its end */
    return it;
}

static PyObject *mod_query(PyObject *Py_UNUSED(m), PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"addr", "pid", "usage", NULL};
    uint64_t addr;
    int pid = MMAPC_SELF, usage = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|O&$p:query", kwlist, to_u64, &addr, to_pid, &pid,
                                     &usage))
        return NULL;
    if (!usage)
        return query_area(NULL, pid, addr, 0);
    mmapc_proc *p;
    int rc = mmapc_proc_open(&p, pid, 0);
    if (rc < 0)
        return raise_error(rc);
    PyObject *r = query_area(p, pid, addr, 1);
    mmapc_proc_close(p);
    return r;
}

static PyObject *mod_strerror(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long code = PyLong_AsLong(arg);
    if (code == -1 && PyErr_Occurred())
        return NULL;
    return PyUnicode_FromString(mmapc_strerror((int)code));
}

static PyObject *mod_err_name(PyObject *Py_UNUSED(m), PyObject *arg)
{
    long code = PyLong_AsLong(arg);
    if (code == -1 && PyErr_Occurred())
        return NULL;
    return PyUnicode_FromString(mmapc_err_name((int)code));
}

static PyObject *mod_page_size(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    return PyLong_FromSize_t(mmapc_page_size());
}

static PyObject *mod_allocation_granularity(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    return PyLong_FromSize_t(mmapc_allocation_granularity());
}

static PyObject *mod_page_sizes(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(a))
{
    size_t sizes[64], count;
    int rc = mmapc_page_sizes(sizes, 64, &count);
    if (rc < 0)
        return raise_error(rc);
    if (count > 64)
        count = 64;
    PyObject *t = PyTuple_New((Py_ssize_t)count);
    for (size_t i = 0; t && i < count; i++) {
        PyObject *v = PyLong_FromSize_t(sizes[i]);
        if (!v) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, (Py_ssize_t)i, v);
    }
    return t;
}

static PyObject *mod_vm_flag_name(PyObject *Py_UNUSED(m), PyObject *arg)
{
    unsigned long long f = PyLong_AsUnsignedLongLong(arg);
    if (f == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    const char *n = mmapc_vm_flag_name((uint64_t)f);
    if (!n)
        Py_RETURN_NONE;
    return PyUnicode_FromString(n);
}

static PyMethodDef module_methods[] = {
    {"areas", (PyCFunction)(void (*)(void))mod_areas, METH_VARARGS | METH_KEYWORDS,
     "areas(pid=None, *, usage=False, build_ids=False)\n--\n\nIterate over every area of pid "
     "(None: this process), with memory use and build IDs when asked."},
    {"query", (PyCFunction)(void (*)(void))mod_query, METH_VARARGS | METH_KEYWORDS,
     "query(addr, pid=None, *, usage=False)\n--\n\nThe Area of pid that holds addr (one open, "
     "one PROCMAP_QUERY ioctl and one close on Linux 6.11+)."},
    {"map_anon", (PyCFunction)(void (*)(void))mod_map_anon, METH_VARARGS | METH_KEYWORDS,
     "map_anon(size, prot=PROT_RW, *, flags=0, unsafe_flags=0, capacity=0)\n--\n\n"
     "Map size bytes of zero-filled memory (rounded up to the page size); a capacity holds "
     "address space to resize() into in place."},
    {"map_file", (PyCFunction)(void (*)(void))mod_map_file, METH_VARARGS | METH_KEYWORDS,
     "map_file(file, size, offset=0, prot=PROT_READ, *, shared=False, flags=0, "
     "resizable=False, capacity=0, unsafe_flags=0)\n--\n\n"
     "Map size bytes of file (a descriptor or an object with fileno()) from offset. The range "
     "must lie inside the file. resizable (or a capacity) makes a mapping that resize() can "
     "change (it keeps its own duplicate of the descriptor)."},
    {"map_file_whole", (PyCFunction)(void (*)(void))mod_map_file_whole,
     METH_VARARGS | METH_KEYWORDS,
     "map_file_whole(file, offset=0, prot=PROT_READ, *, shared=False, flags=0, "
     "unsafe_flags=0)\n--\n\nMap file from offset to its end (an empty file gives an empty "
     "mapping)."},
    {"strerror", (PyCFunction)mod_strerror, METH_O, "strerror(code)\n--\n\nmmapc_strerror()."},
    {"err_name", (PyCFunction)mod_err_name, METH_O, "err_name(code)\n--\n\nmmapc_err_name()."},
    {"page_size", (PyCFunction)mod_page_size, METH_NOARGS, "page_size()\n--\n\nThe page size."},
    {"allocation_granularity", (PyCFunction)mod_allocation_granularity, METH_NOARGS,
     "allocation_granularity()\n--\n\nThe granularity of mapping addresses and file offsets."},
    {"page_sizes", (PyCFunction)mod_page_sizes, METH_NOARGS,
     "page_sizes()\n--\n\nThe supported page sizes, ascending, base page size first."},
    {"vm_flag_name", (PyCFunction)mod_vm_flag_name, METH_O,
     "vm_flag_name(flag)\n--\n\nThe kernel's two-letter code of one VM_* bit, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "mmapc._mmapc",
    .m_doc = "The C binding of libmmapc; import mmapc instead.",
    .m_size = -1,
    .m_methods = module_methods,
};

struct constant {
    const char *name;
    long long value;
};

static const struct constant constants[] = {
    {"SELF", MMAPC_SELF},
    {"PROT_NONE", MMAPC_PROT_NONE},
    {"PROT_READ", MMAPC_PROT_READ},
    {"PROT_WRITE", MMAPC_PROT_WRITE},
    {"PROT_EXEC", MMAPC_PROT_EXEC},
    {"PROT_RW", MMAPC_PROT_RW},
    {"PROT_RX", MMAPC_PROT_RX},
    {"PROT_RWX", MMAPC_PROT_RWX},
    {"SHARED", MMAPC_SHARED},
    {"POPULATE", MMAPC_POPULATE},
    {"NO_RESERVE", MMAPC_NO_RESERVE},
    {"HUGE_PAGES", MMAPC_HUGE_PAGES},
    {"TRANSPARENT_HUGE_PAGES", MMAPC_TRANSPARENT_HUGE_PAGES},
    {"STACK", MMAPC_STACK},
    {"NO_CORE_DUMP", MMAPC_NO_CORE_DUMP},
    {"LOCKED", MMAPC_LOCKED},
    {"SEQUENTIAL", MMAPC_SEQUENTIAL},
    {"RANDOM_ACCESS", MMAPC_RANDOM_ACCESS},
    {"WILL_NEED", MMAPC_WILL_NEED},
    {"DONT_NEED", MMAPC_DONT_NEED},
    {"FIXED_NOREPLACE", MMAPC_FIXED_NOREPLACE},
    {"TRACK_WRITES", MMAPC_TRACK_WRITES},
    {"UNSAFE_FIXED", MMAPC_UNSAFE_FIXED},
    {"UNSAFE_JIT", MMAPC_UNSAFE_JIT},
    {"AREA_ANON", MMAPC_AREA_ANON},
    {"AREA_FILE", MMAPC_AREA_FILE},
    {"AREA_HEAP", MMAPC_AREA_HEAP},
    {"AREA_STACK", MMAPC_AREA_STACK},
    {"AREA_VDSO", MMAPC_AREA_VDSO},
    {"AREA_VVAR", MMAPC_AREA_VVAR},
    {"AREA_VSYSCALL", MMAPC_AREA_VSYSCALL},
    {"AREA_ANON_NAMED", MMAPC_AREA_ANON_NAMED},
    {"AREA_ANON_SHMEM", MMAPC_AREA_ANON_SHMEM},
    {"AREA_OTHER_PSEUDO", MMAPC_AREA_OTHER_PSEUDO},
#define ERROR_CONSTANT(name, value, message) {#name, value},
    MMAPC_ERROR_LIST(ERROR_CONSTANT)
#undef ERROR_CONSTANT
#define USAGE_CONSTANT(name, bit) {"USAGE_" #bit, (long long)MMAPC_USAGE_##bit},
        USAGE_FIGURES(USAGE_CONSTANT)
#undef USAGE_CONSTANT
            {"USAGE_THP_ELIGIBLE", (long long)MMAPC_USAGE_THP_ELIGIBLE},
    {"USAGE_PROTECTION_KEY", (long long)MMAPC_USAGE_PROTECTION_KEY},
    {"USAGE_VM_FLAGS", (long long)MMAPC_USAGE_VM_FLAGS},
    {"VM_READ", (long long)MMAPC_VM_READ},
    {"VM_WRITE", (long long)MMAPC_VM_WRITE},
    {"VM_EXEC", (long long)MMAPC_VM_EXEC},
    {"VM_SHARED", (long long)MMAPC_VM_SHARED},
    {"VM_MAYREAD", (long long)MMAPC_VM_MAYREAD},
    {"VM_MAYWRITE", (long long)MMAPC_VM_MAYWRITE},
    {"VM_MAYEXEC", (long long)MMAPC_VM_MAYEXEC},
    {"VM_MAYSHARE", (long long)MMAPC_VM_MAYSHARE},
    {"VM_GROWSDOWN", (long long)MMAPC_VM_GROWSDOWN},
    {"VM_PFNMAP", (long long)MMAPC_VM_PFNMAP},
    {"VM_DENYWRITE", (long long)MMAPC_VM_DENYWRITE},
    {"VM_LOCKED", (long long)MMAPC_VM_LOCKED},
    {"VM_IO", (long long)MMAPC_VM_IO},
    {"VM_SEQ_READ", (long long)MMAPC_VM_SEQ_READ},
    {"VM_RAND_READ", (long long)MMAPC_VM_RAND_READ},
    {"VM_DONTCOPY", (long long)MMAPC_VM_DONTCOPY},
    {"VM_DONTEXPAND", (long long)MMAPC_VM_DONTEXPAND},
    {"VM_ACCOUNT", (long long)MMAPC_VM_ACCOUNT},
    {"VM_NORESERVE", (long long)MMAPC_VM_NORESERVE},
    {"VM_HUGETLB", (long long)MMAPC_VM_HUGETLB},
    {"VM_SYNC", (long long)MMAPC_VM_SYNC},
    {"VM_NONLINEAR", (long long)MMAPC_VM_NONLINEAR},
    {"VM_ARCH_1", (long long)MMAPC_VM_ARCH_1},
    {"VM_WIPEONFORK", (long long)MMAPC_VM_WIPEONFORK},
    {"VM_DONTDUMP", (long long)MMAPC_VM_DONTDUMP},
    {"VM_SOFTDIRTY", (long long)MMAPC_VM_SOFTDIRTY},
    {"VM_MIXEDMAP", (long long)MMAPC_VM_MIXEDMAP},
    {"VM_HUGEPAGE", (long long)MMAPC_VM_HUGEPAGE},
    {"VM_NOHUGEPAGE", (long long)MMAPC_VM_NOHUGEPAGE},
    {"VM_MERGEABLE", (long long)MMAPC_VM_MERGEABLE},
    {"VM_UFFD_MISSING", (long long)MMAPC_VM_UFFD_MISSING},
    {"VM_UFFD_WP", (long long)MMAPC_VM_UFFD_WP},
    {"VM_MPX", (long long)MMAPC_VM_MPX},
    {"VM_ARM64_BTI", (long long)MMAPC_VM_ARM64_BTI},
    {"VM_ARM64_MTE", (long long)MMAPC_VM_ARM64_MTE},
    {"VM_UFFD_MINOR", (long long)MMAPC_VM_UFFD_MINOR},
    {"VM_SHADOW_STACK", (long long)MMAPC_VM_SHADOW_STACK},
    {"VM_SEALED", (long long)MMAPC_VM_SEALED},
    {"VM_LOCKONFAULT", (long long)MMAPC_VM_LOCKONFAULT},
    {"VM_DROPPABLE", (long long)MMAPC_VM_DROPPABLE},
    {"VM_MAYBE_GUARD", (long long)MMAPC_VM_MAYBE_GUARD},
    {NULL, 0},
};

PyMODINIT_FUNC PyInit__mmapc(void);

PyMODINIT_FUNC PyInit__mmapc(void)
{
    PyObject *m = PyModule_Create(&module_def);
    if (!m)
        return NULL;
    if (PyType_Ready(&ProcessType) < 0 || PyType_Ready(&AreasIterType) < 0 ||
        PyType_Ready(&MapType) < 0)
        goto fail;
    if (!AreaType && !(AreaType = PyStructSequence_NewType(&area_desc)))
        goto fail;
    if (!UsageType && !(UsageType = PyStructSequence_NewType(&usage_desc)))
        goto fail;
    if (!Error &&
        !(Error = PyErr_NewExceptionWithDoc(
              "mmapc.Error",
              "A failed libmmapc call: .code (a negative MMAPC_E* value), .name ('MMAPC_ESRCH'), "
              "the message of mmapc_strerror(), .os_error (the raw errno of the failed system "
              "call, 0 when none; also .errno when non-zero), and .done (bytes copied before a "
              "fault, or None).",
              PyExc_OSError, NULL)))
        goto fail;
    for (int k = 0; k <= MMAPC_AREA_OTHER_PSEUDO; k++)
        if (!kind_names[k] &&
            !(kind_names[k] = PyUnicode_InternFromString(mmapc_area_kind_name(k))))
            goto fail;
    if (PyModule_AddObjectRef(m, "Error", Error) < 0 ||
        PyModule_AddObjectRef(m, "Area", (PyObject *)AreaType) < 0 ||
        PyModule_AddObjectRef(m, "Usage", (PyObject *)UsageType) < 0 ||
        PyModule_AddObjectRef(m, "Process", (PyObject *)&ProcessType) < 0 ||
        PyModule_AddObjectRef(m, "Map", (PyObject *)&MapType) < 0 ||
        PyModule_AddObjectRef(m, "AreasIterator", (PyObject *)&AreasIterType) < 0 ||
        PyModule_AddStringConstant(m, "LIBRARY_VERSION", mmapc_version()) < 0 ||
        PyModule_AddStringConstant(m, "HEADER_VERSION", MMAPC_VERSION_STRING) < 0)
        goto fail;
    for (const struct constant *c = constants; c->name; c++) {
        PyObject *v = PyLong_FromLongLong(c->value);
        if (!v || PyModule_AddObject(m, c->name, v) < 0) {
            Py_XDECREF(v);
            goto fail;
        }
    }
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
