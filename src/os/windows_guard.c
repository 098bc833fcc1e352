// SPDX-License-Identifier: MIT
/*
 * Windows side of fault-safe copies: a vectored exception handler, first in line, that takes an
 * in-page error or an access violation on the guarded bytes of a guarded copy and resumes the
 * thread at its recovery point (a __builtin_setjmp buffer); it passes on every other exception.
 * It resumes by pointing the faulting context at a function that jumps to the recovery point,
 * rather than jumping out of the handler, so that the system's dispatch of the exception ends
 * as it should (EXCEPTION_CONTINUE_EXECUTION).
 */
#include "win32.h"

typedef struct guard_frame {
    void *env[5]; /* __builtin_setjmp's buffer */
    const uintptr_t *ranges;
    struct guard_frame *outer;
    volatile DWORD code;
} guard_frame;

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static DWORD tls = TLS_OUT_OF_INDEXES;
static SRWLOCK install_lock = SRWLOCK_INIT;
static void *volatile handler; /* set under the lock */

static int in_ranges(const uintptr_t *r, uintptr_t a)
{
    return (a >= r[0] && a < r[1]) || (a >= r[2] && a < r[3]);
}

/* Where a caught fault resumes: on the faulting thread's stack, at the recovery point. */
static void resume(void)
{
    guard_frame *f = TlsGetValue(tls);
    __builtin_longjmp(f->env, 1);
}

static LONG CALLBACK on_exception(EXCEPTION_POINTERS *e)
{
    const EXCEPTION_RECORD *r = e->ExceptionRecord;
    if ((r->ExceptionCode != EXCEPTION_IN_PAGE_ERROR &&
         r->ExceptionCode != EXCEPTION_ACCESS_VIOLATION) ||
        r->NumberParameters < 2)
        return EXCEPTION_CONTINUE_SEARCH;
    DWORD err = GetLastError(); /* TlsGetValue sets it */
    guard_frame *f = TlsGetValue(tls);
    SetLastError(err);
    /* an in-page error of a copy is a view that lost its storage, on either side; an access
     * violation only on the guarded bytes (elsewhere it is the caller's bug) */
    if (!f || (r->ExceptionCode == EXCEPTION_ACCESS_VIOLATION &&
               !in_ranges(f->ranges, (uintptr_t)r->ExceptionInformation[1])))
        return EXCEPTION_CONTINUE_SEARCH;
    f->code = r->ExceptionCode;
    CONTEXT *c = e->ContextRecord;
    /* as if resume had been called: the stack aligned as after a call instruction */
#if defined(__x86_64__) || defined(_M_X64)
    c->Rsp = (c->Rsp & ~(DWORD64)15) - 8;
    c->Rip = (DWORD64)(uintptr_t)resume;
#elif defined(__i386__) || defined(_M_IX86)
    c->Esp = (c->Esp & ~(DWORD)15) - 4;
    c->Eip = (DWORD)(uintptr_t)resume;
#elif defined(__aarch64__) || defined(_M_ARM64)
    c->Sp &= ~(DWORD64)15;
    c->Pc = (DWORD64)(uintptr_t)resume;
#else
#error "no way to resume a guarded copy on this processor"
#endif
    return EXCEPTION_CONTINUE_EXECUTION;
}

static BOOL CALLBACK init(INIT_ONCE *o, void *param, void **ctx)
{
    (void)o;
    (void)param;
    (void)ctx;
    tls = TlsAlloc();
    return tls != TLS_OUT_OF_INDEXES;
}

int mmapc__os_guard_ready(int how)
{
    if (!InitOnceExecuteOnce(&once, init, NULL, NULL))
        return mmapc__win_fail(GetLastError());
    if (how == 0 && handler) /* read without the lock: set once, never cleared */
        return 0;
    AcquireSRWLockExclusive(&install_lock);
    int rc = 0;
    if (how != 0 || !handler) {
        /* the new one first, then the old one out: a guarded copy is never left unguarded */
        void *h = AddVectoredExceptionHandler(1, on_exception);
        if (!h)
            rc = mmapc__win_fail(ERROR_NOT_ENOUGH_MEMORY);
        else {
            if (handler)
                RemoveVectoredExceptionHandler(handler);
            handler = h;
        }
    }
    ReleaseSRWLockExclusive(&install_lock);
    return rc;
}

int mmapc__os_guard_run(void (*fn)(void *), void *arg, const uintptr_t ranges[4], int *raw)
{
    guard_frame f;
    f.ranges = ranges;
    f.outer = TlsGetValue(tls);
    f.code = 0;
    if (__builtin_setjmp(f.env)) {
        TlsSetValue(tls, f.outer);
        *raw = f.code == EXCEPTION_IN_PAGE_ERROR ? ERROR_IO_DEVICE : ERROR_NOACCESS;
        return 1;
    }
    TlsSetValue(tls, &f);
    fn(arg);
    TlsSetValue(tls, f.outer);
    return 0;
}
