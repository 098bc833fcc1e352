// SPDX-License-Identifier: MIT
/* Two processes share a named shared memory object: this program creates it and writes a
 * message; a second process opens the object by its name, reads the message and answers. */
#include "mmapc.h"

#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#include <process.h>
#include <windows.h>
#define self_pid() ((unsigned long)GetCurrentProcessId())
#else
#include <sys/wait.h>
#include <unistd.h>
#define self_pid() ((unsigned long)getpid())
#endif

static int reader(const char *name);

/* Run the reader in another process and wait for it; its exit status. Windows starts this
 * program again as "argv0 read NAME"; POSIX forks, and the child opens the object by its name
 * just as an unrelated program would. */
static int run_reader(const char *argv0, const char *name)
{
    fflush(NULL);
#ifdef _WIN32
    return (int)_spawnl(_P_WAIT, argv0, argv0, "read", name, (char *)NULL);
#else
    (void)argv0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(reader(name));
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
#endif
}

static int reader(const char *name)
{
    mmapc_shm *shm;
    mmapc_map *view;
    int rc = mmapc_shm_open(&shm, name, NULL);
    if (rc == 0)
        rc = mmapc_shm_map(&view, shm, 0, 4096, MMAPC_PROT_RW, NULL);
    if (rc) {
        fprintf(stderr, "reader: %s\n", mmapc_strerror(rc));
        return 1;
    }
    mmapc_shm_close(shm); /* the view keeps the memory */
    char *text = mmapc_ptr(view);
    printf("reader got: %s\n", text);
    strcpy(text + 2048, "hello back");
    mmapc_unmap(view);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "read") == 0)
        return reader(argv[2]);

    char name[64];
    snprintf(name, sizeof name, "/mmapc-example-%lu", self_pid());
    mmapc_shm *shm;
    mmapc_map *view;
    int rc = mmapc_shm_create(&shm, name, 4096, NULL);
    if (rc == 0)
        rc = mmapc_shm_map(&view, shm, 0, 4096, MMAPC_PROT_RW, NULL);
    if (rc) {
        fprintf(stderr, "writer: %s\n", mmapc_strerror(rc));
        return 1;
    }
    char *text = mmapc_ptr(view);
    strcpy(text, "hello from the writer");
    int status = run_reader(argv[0], name);
    printf("writer got: %s\n", text + 2048);
    int ok = status == 0 && strcmp(text + 2048, "hello back") == 0;
    mmapc_shm_unlink(name); /* POSIX: the name goes; Windows: with the last handle */
    mmapc_shm_close(shm);
    mmapc_unmap(view);
    return ok ? 0 : 1;
}
