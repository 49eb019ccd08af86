// metron-spawner: a tiny fork server that starts the processes Metron measures.
//
// Why it exists: Linux folds the *spawning* process's peak RSS into the child's ru_maxrss at
// exec time (exec_mmap records the old mm's high-water mark in signal->maxrss), so every command
// spawned directly from Metron (a Swift process of ~20 MiB) would report a peak of at least
// Metron's own size. Forking from this small C process keeps that floor near 1 MiB.
//
// Protocol (fd 3: requests from Metron, fd 4: replies to Metron):
//   request = u32 length, then `length` bytes:
//             u32 flags (bit 0: inherit stdout/stderr), u32 argc, u32 envc,
//             NUL-terminated strings: path, argv[0..argc), env[0..envc)
//   reply   = i32 pid, i32 error (errno of fork/exec, 0 on success), u64 start (CLOCK_MONOTONIC ns
//             taken just before execve)
// The child reports its pid, start time and any execve error through a shared memory page, not
// a write: a write before execve would be counted in the command's own I/O (wchar).
// The command is started by a double fork: the intermediate process exits at once, so the
// command is re-parented to Metron (a child subreaper), which waits for it, reads its rusage and
// /proc counters, and kills its process group. The spawner replies only after the intermediate
// is reaped, so the command is Metron's child by the time Metron sees its pid.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_FD 3
#define REPLY_FD 4

struct reply {
    int32_t pid;
    int32_t error;
    uint64_t start;
};

static int read_full(int fd, void *buffer, size_t size) {
    char *cursor = buffer;
    while (size > 0) {
        ssize_t count = read(fd, cursor, size);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) return -1;
        cursor += count;
        size -= (size_t)count;
    }
    return 0;
}

static void write_full(int fd, const void *buffer, size_t size) {
    const char *cursor = buffer;
    while (size > 0) {
        ssize_t count = write(fd, cursor, size);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) return;
        cursor += count;
        size -= (size_t)count;
    }
}

static uint64_t monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// Splits `count` NUL-terminated strings off `*cursor`; NULL if the payload is malformed.
static char **take_strings(char **cursor, char *end, uint32_t count) {
    char **list = calloc((size_t)count + 1, sizeof(char *));
    if (!list) return NULL;
    for (uint32_t i = 0; i < count; i++) {
        char *nul = memchr(*cursor, 0, (size_t)(end - *cursor));
        if (!nul) { free(list); return NULL; }
        list[i] = *cursor;
        *cursor = nul + 1;
    }
    return list;
}

static void run_child(const char *path, char **argv, char **envp, int inherit, int devnull,
                      volatile struct reply *shared) {
    sigset_t empty;
    sigemptyset(&empty);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
    }
    sigprocmask(SIG_SETMASK, &empty, NULL);
    setpgid(0, 0);
    dup2(devnull, 0);
    if (!inherit) {
        dup2(devnull, 1);
        dup2(devnull, 2);
    }
    shared->pid = (int32_t)getpid();
    shared->error = 0;
    shared->start = monotonic_ns();
    execve(path, argv, envp);
    shared->error = errno;
    _exit(127);
}

int main(void) {
    // Metron decides what to kill; a Ctrl-C in the terminal must not take the spawner down.
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) return 0;
    fcntl(REQUEST_FD, F_SETFD, FD_CLOEXEC);
    fcntl(REPLY_FD, F_SETFD, FD_CLOEXEC);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    volatile struct reply *shared = mmap(NULL, sizeof(struct reply), PROT_READ | PROT_WRITE,
                                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) return 2;

    for (;;) {
        uint32_t length;
        if (read_full(REQUEST_FD, &length, sizeof length) != 0) return 0;
        if (length < 12 || length > (64u << 20)) return 2;
        char *payload = malloc(length);
        if (!payload || read_full(REQUEST_FD, payload, length) != 0) return 2;
        uint32_t header[3];
        memcpy(header, payload, sizeof header);
        char *cursor = payload + sizeof header;
        char *end = payload + length;
        char **path = take_strings(&cursor, end, 1);
        char **argv = path ? take_strings(&cursor, end, header[1]) : NULL;
        char **envp = argv ? take_strings(&cursor, end, header[2]) : NULL;
        struct reply reply = { 0, EINVAL, 0 };
        // EOF on this pipe means the child has exec'd (O_CLOEXEC) or exited.
        int status_pipe[2];
        if (envp && pipe2(status_pipe, O_CLOEXEC) == 0) {
            shared->pid = 0;
            shared->error = ECHILD;
            shared->start = 0;
            pid_t intermediate = fork();
            if (intermediate == 0) {
                pid_t child = fork();
                if (child == 0) run_child(path[0], argv, envp, header[0] & 1, devnull, shared);
                if (child < 0) shared->error = errno;
                _exit(0);
            }
            close(status_pipe[1]);
            if (intermediate < 0) {
                reply.error = errno;
            } else {
                char byte;
                while (read(status_pipe[0], &byte, 1) < 0 && errno == EINTR) {}
                int ignored;
                while (waitpid(intermediate, &ignored, 0) < 0 && errno == EINTR) {}
                reply.pid = shared->pid;
                reply.error = shared->error;
                reply.start = shared->start;
            }
            close(status_pipe[0]);
        }
        write_full(REPLY_FD, &reply, sizeof reply);
        free(envp);
        free(argv);
        free(path);
        free(payload);
    }
}
