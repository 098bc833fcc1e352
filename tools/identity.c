// SPDX-License-Identifier: MIT
/* Who a process is: its command line and executable, as the system tells them (for the identity
 * of `mmapc report`). Linux reads /proc/PID/cmdline and /proc/PID/exe; Windows asks
 * GetCommandLineW for itself and NtQueryInformationProcess (ProcessCommandLineInformation,
 * Windows 8.1+) for another process, or reads it from that process's parameters where the
 * system lacks that question (wine), and QueryFullProcessImageNameW for the executable, all as
 * UTF-8. Elsewhere neither is known. */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#include <winternl.h>
#else
#include <unistd.h>
#endif

#if defined(__linux__)
/* The whole of a small file of /proc, NUL-terminated; NULL when it cannot be read. */
static char *read_small(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap || cap >= ((size_t)1 << 20))
            break;
        char *q = realloc(buf, cap * 2 + 1);
        if (!q) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = q;
        cap *= 2;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

static void proc_dir(int pid, char *dir, size_t size)
{
    if (pid == MMAPC_SELF)
        snprintf(dir, size, "self");
    else
        snprintf(dir, size, "%d", pid);
}

char *tool_command_line(int pid)
{
    char path[64], dir[32];
    proc_dir(pid, dir, sizeof dir);
    snprintf(path, sizeof path, "/proc/%s/cmdline", dir);
    size_t len = 0;
    char *s = read_small(path, &len);
    if (!s)
        return NULL;
    while (len > 0 && s[len - 1] == '\0')
        len--;
    for (size_t i = 0; i < len; i++) /* the arguments, a space between */
        if (s[i] == '\0')
            s[i] = ' ';
    s[len] = '\0';
    return s;
}

char *tool_executable(int pid)
{
    char path[64], dir[32], exe[4096];
    proc_dir(pid, dir, sizeof dir);
    snprintf(path, sizeof path, "/proc/%s/exe", dir);
    ssize_t n = readlink(path, exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    return strdup(exe);
}

#elif defined(_WIN32)
/* len wide characters as UTF-8, NUL-terminated; NULL for none or want of memory. */
static char *utf8_of(const wchar_t *w, int len)
{
    int n = len > 0 ? WideCharToMultiByte(CP_UTF8, 0, w, len, NULL, 0, NULL, NULL) : 0;
    char *s = n > 0 ? malloc((size_t)n + 1) : NULL;
    if (!s)
        return NULL;
    WideCharToMultiByte(CP_UTF8, 0, w, len, s, n, NULL, NULL);
    s[n] = '\0';
    return s;
}

/* A function pointer from a FARPROC, without the cast warning between function types. */
#define AS_FN(type, p) ((type)(void (*)(void))(p))
typedef LONG(NTAPI *nt_query_process_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);
enum { PROCESS_COMMAND_LINE_INFORMATION = 60 };

/* The command line from the process's parameters, read from its memory (what Windows before 8.1
 * and wine have): the PEB, its ProcessParameters, their CommandLine. Only a process of this
 * program's width: the layouts are this build's. */
static char *command_line_read(HANDLE h, nt_query_process_fn query)
{
    BOOL self_wow = FALSE, its_wow = FALSE;
    if (!IsWow64Process(GetCurrentProcess(), &self_wow) || !IsWow64Process(h, &its_wow) ||
        self_wow != its_wow)
        return NULL;
    PROCESS_BASIC_INFORMATION pbi;
    ULONG got = 0;
    PEB peb;
    RTL_USER_PROCESS_PARAMETERS params;
    SIZE_T n = 0;
    if (query(h, ProcessBasicInformation, &pbi, sizeof pbi, &got) < 0 || !pbi.PebBaseAddress ||
        !ReadProcessMemory(h, pbi.PebBaseAddress, &peb, sizeof peb, &n) || n != sizeof peb ||
        !ReadProcessMemory(h, peb.ProcessParameters, &params, sizeof params, &n) ||
        n != sizeof params)
        return NULL;
    USHORT len = params.CommandLine.Length; /* bytes */
    wchar_t *w = len ? malloc(len) : NULL;
    char *s = NULL;
    if (w && ReadProcessMemory(h, params.CommandLine.Buffer, w, len, &n) && n == len)
        s = utf8_of(w, len / (int)sizeof(wchar_t));
    free(w);
    return s;
}

char *tool_command_line(int pid)
{
    if (pid == MMAPC_SELF) {
        const wchar_t *cl = GetCommandLineW();
        return cl ? utf8_of(cl, (int)wcslen(cl)) : NULL;
    }
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    nt_query_process_fn query =
        nt ? AS_FN(nt_query_process_fn, GetProcAddress(nt, "NtQueryInformationProcess")) : NULL;
    if (!query)
        return NULL;
    char *s = NULL;
    /* Windows 8.1 and later: ProcessCommandLineInformation, a UNICODE_STRING and the characters
     * after it; its size asked first */
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD)pid);
    if (h) {
        ULONG need = 0;
        query(h, PROCESS_COMMAND_LINE_INFORMATION, NULL, 0, &need);
        if (need >= sizeof(UNICODE_STRING) && need <= (1u << 20)) {
            UNICODE_STRING *u = malloc(need);
            if (u && query(h, PROCESS_COMMAND_LINE_INFORMATION, u, need, &need) >= 0 &&
                (size_t)u->Length <= need - sizeof *u)
                s = utf8_of(u->Buffer, u->Length / (int)sizeof(wchar_t));
            free(u);
        }
        CloseHandle(h);
    }
    if (!s) { /* otherwise from its memory */
        h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, (DWORD)pid);
        if (h) {
            s = command_line_read(h, query);
            CloseHandle(h);
        }
    }
    return s;
}

char *tool_executable(int pid)
{
    wchar_t exe[32768];
    DWORD n = (DWORD)(sizeof exe / sizeof exe[0]);
    if (pid == MMAPC_SELF) {
        n = GetModuleFileNameW(NULL, exe, n);
    } else {
        HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD)pid);
        if (!h || !QueryFullProcessImageNameW(h, 0, exe, &n))
            n = 0;
        if (h)
            CloseHandle(h);
    }
    return n > 0 && n < sizeof exe / sizeof exe[0] ? utf8_of(exe, (int)n) : NULL;
}

#else
char *tool_command_line(int pid)
{
    (void)pid;
    return NULL;
}

char *tool_executable(int pid)
{
    (void)pid;
    return NULL;
}
#endif
