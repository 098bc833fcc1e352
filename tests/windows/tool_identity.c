// SPDX-License-Identifier: MIT
/*
 * Windows: `mmapc report PID` of another process shows that process's command line and
 * executable. The test starts a copy of itself whose command line holds text to escape and
 * characters beyond ASCII, runs the tool (argv[1]) on it, and finds both in the page's identity,
 * as the page writes them: UTF-8, & < > " ' as entities. Usage: tool_identity PATH\TO\mmapc.exe
 */
#include "check.h"

#include <stdlib.h>

/* w as UTF-8, & < > " ' as the page's entities. */
static void html_utf8(const wchar_t *w, char *out, size_t cap)
{
    char u[4096];
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, u, (int)sizeof u, NULL, NULL);
    REQUIRE(n > 0);
    size_t k = 0;
    for (const char *p = u; *p; p++) {
        const char *e = *p == '&'    ? "&amp;"
                        : *p == '<'  ? "&lt;"
                        : *p == '>'  ? "&gt;"
                        : *p == '"'  ? "&quot;"
                        : *p == '\'' ? "&#39;"
                                     : NULL;
        size_t len = e ? strlen(e) : 1;
        REQUIRE(k + len < cap);
        memcpy(out + k, e ? e : p, len);
        k += len;
    }
    out[k] = '\0';
}

/* The text of <dd id="ID"> in page. */
static const char *field(const char *page, const char *id, char *out, size_t cap)
{
    char key[64];
    snprintf(key, sizeof key, "<dd id=\"%s\">", id);
    const char *at = strstr(page, key);
    REQUIRE(at != NULL);
    at += strlen(key);
    const char *end = strstr(at, "</dd>");
    REQUIRE(end != NULL && (size_t)(end - at) < cap);
    memcpy(out, at, (size_t)(end - at));
    out[end - at] = '\0';
    return out;
}

/* A path CMake gave (under wine, a Unix path: the Z: drive is the root). */
static void windows_path(const char *in, wchar_t *out, size_t cap)
{
    char p[MAX_PATH * 2];
    snprintf(p, sizeof p, "%s%s", in[0] == '/' ? "Z:" : "", in);
    for (char *c = p; *c; c++)
        if (*c == '/')
            *c = '\\';
    REQUIRE(MultiByteToWideChar(CP_UTF8, 0, p, -1, out, (int)cap) > 0);
}

static DWORD run(wchar_t *cmd, HANDLE *process)
{
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    REQUIRE(CreateProcessW(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    CloseHandle(pi.hThread);
    *process = pi.hProcess;
    return pi.dwProcessId;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--sleep") == 0) { /* the copy: ready, then looked at */
        HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, argv[2]);
        REQUIRE(ready != NULL && SetEvent(ready));
        Sleep(60000);
        return 0;
    }
    REQUIRE(argc == 2);
    wchar_t self[MAX_PATH], tool[MAX_PATH], dir[MAX_PATH], out[MAX_PATH];
    REQUIRE(GetModuleFileNameW(NULL, self, MAX_PATH) > 0);
    windows_path(argv[1], tool, MAX_PATH);
    REQUIRE(GetTempPathW(MAX_PATH, dir) > 0);
    REQUIRE(GetTempFileNameW(dir, L"mrp", 0, out) != 0);

    /* the copy, its command line with markup, quotes and text beyond ASCII */
    char event[64];
    snprintf(event, sizeof event, "mmapc-tool-identity-%lu", (unsigned long)GetCurrentProcessId());
    HANDLE ready = CreateEventA(NULL, TRUE, FALSE, event);
    REQUIRE(ready != NULL);
    static wchar_t cmd[4 * MAX_PATH];
    swprintf(cmd, sizeof cmd / sizeof cmd[0],
             L"\"%ls\" --sleep %hs \"a<b>&c 'd'\" \x00e9t\x00e9 \x65e5", self, event);
    HANDLE copy;
    DWORD pid = run(cmd, &copy);
    REQUIRE(WaitForSingleObject(ready, 30000) == WAIT_OBJECT_0);
    CloseHandle(ready);
    char want_cmd[4096], want_exe[4096], got[4096];
    html_utf8(cmd, want_cmd, sizeof want_cmd);
    html_utf8(self, want_exe, sizeof want_exe);

    static wchar_t tcmd[4 * MAX_PATH];
    swprintf(tcmd, sizeof tcmd / sizeof tcmd[0], L"\"%ls\" report %lu -o \"%ls\"", tool,
             (unsigned long)pid, out);
    HANDLE t;
    run(tcmd, &t);
    DWORD rc = 1;
    CHECK(WaitForSingleObject(t, 60000) == WAIT_OBJECT_0 && GetExitCodeProcess(t, &rc));
    CHECK(rc == 0);
    CloseHandle(t);
    TerminateProcess(copy, 0);
    CloseHandle(copy);

    FILE *f = _wfopen(out, L"rb");
    REQUIRE(f != NULL);
    static char page[8 << 20];
    size_t n = fread(page, 1, sizeof page - 1, f);
    fclose(f);
    DeleteFileW(out);
    page[n] = '\0';
    CHECK(strcmp(field(page, "id-cmdline", got, sizeof got), want_cmd) == 0);
    if (strcmp(got, want_cmd) != 0)
        fprintf(stderr, "command line: %s\nexpected:     %s\n", got, want_cmd);
    CHECK(_stricmp(field(page, "id-exe", got, sizeof got), want_exe) == 0);
    if (_stricmp(got, want_exe) != 0)
        fprintf(stderr, "executable: %s\nexpected:   %s\n", got, want_exe);
    char pid_text[16];
    snprintf(pid_text, sizeof pid_text, "%lu", (unsigned long)pid);
    CHECK(strcmp(field(page, "id-pid", got, sizeof got), pid_text) == 0);
    return check_done();
}
