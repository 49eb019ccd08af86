// metron-spawner: a tiny fork server that starts the processes Metron measures.
//
// Why it exists: Linux folds the *spawning* process's peak RSS into the child's ru_maxrss at
// exec time (exec_mmap records the old mm's high-water mark in signal->maxrss), so every command
// spawned directly from Metron (a Swift process of ~20 MiB) would report a peak of at least
// Metron's own size. Spawned from this ~1 MiB process, `true` reports what GNU time reports.
//
// How: clone(CLONE_VM | CLONE_VFORK | CLONE_PARENT). CLONE_PARENT makes the command a child of
// Metron (our parent), so Metron waits for it, reads its rusage and /proc counters and kills its
// process group as usual, with no intermediate process. CLONE_VM | CLONE_VFORK is what
// posix_spawn does: no page tables are copied and this process is suspended until the child has
// exec'd, so the child writes its start time and any execve error straight into our memory (a
// write(2) before execve would count in the command's own I/O). The child's old mm — whose peak
// exec records — is ours, so we keep our own peak small: at start-up we drop the pages of the
// libraries SwiftPM links in but we never call (the Swift runtime, libstdc++, libm, libgcc_s)
// and reset our high-water mark (/proc/self/clear_refs), leaving a floor of about 1 MiB.
//
// Protocol (fd 3: requests from Metron, fd 4: replies to Metron):
//   request = u32 length, then `length` bytes:
//             u32 flags (bit 0: inherit stdout/stderr), u32 argc, u32 envc,
//             NUL-terminated strings: path, argv[0..argc), env[0..envc)
//   reply   = i32 pid (0 when no process was created), i32 error (errno of clone or execve; a
//             child whose execve failed exits 127), u64 start (CLOCK_MONOTONIC ns taken just
//             before execve: where Metron's wall-time measurement begins)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_FD 3
#define REPLY_FD 4

struct reply {
    int32_t pid;
    int32_t error;
    uint64_t start;
};

struct launch {
    const char *path;
    char **argv;
    char **envp;
    int inherit;
    int devnull;
    volatile int error;
    volatile uint64_t start;
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

static const int ignored_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

// Runs in the child, on its own stack, sharing our memory until execve.
static int run_child(void *argument) {
    struct launch *launch = argument;
    sigset_t empty;
    sigemptyset(&empty);
    // execve resets caught signals; only the ones this process ignores would stay ignored.
    for (size_t i = 0; i < sizeof ignored_signals / sizeof ignored_signals[0]; i++) {
        signal(ignored_signals[i], SIG_DFL);
    }
    sigprocmask(SIG_SETMASK, &empty, NULL);
    prctl(PR_SET_PDEATHSIG, 0);
    setpgid(0, 0);
    dup2(launch->devnull, 0);
    if (!launch->inherit) {
        dup2(launch->devnull, 1);
        dup2(launch->devnull, 2);
    }
    launch->error = 0;
    launch->start = monotonic_ns();
    execve(launch->path, launch->argv, launch->envp);
    launch->error = errno;
    _exit(127);
}

static char child_stack[256 * 1024] __attribute__((aligned(16)));

// Drops the resident pages of libraries this program never calls and resets the peak RSS to
// what is left. Nothing of theirs runs afterwards: the spawner only ever leaves through _exit.
static void drop_unused_libraries(void) {
    static const char *unused[] = { "libswiftCore", "libstdc++", "libm.so", "libgcc_s", "libswift_" };
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps) {
        char line[4096];
        while (fgets(line, sizeof line, maps)) {
            unsigned long start, end;
            if (sscanf(line, "%lx-%lx", &start, &end) != 2) continue;
            for (size_t i = 0; i < sizeof unused / sizeof unused[0]; i++) {
                if (strstr(line, unused[i])) {
                    madvise((void *)start, end - start, MADV_DONTNEED);
                    break;
                }
            }
        }
        fclose(maps);
    }
    int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        write_full(fd, "5", 1);
        close(fd);
    }
}

int main(void) {
    // Metron decides what to kill; a Ctrl-C in the terminal must not take the spawner down.
    // Start from default dispositions (a shell may have started Metron with some ignored, and
    // ignored signals survive execve), then ignore just these; children reset only them.
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
    }
    for (size_t i = 0; i < sizeof ignored_signals / sizeof ignored_signals[0]; i++) {
        signal(ignored_signals[i], SIG_IGN);
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) _exit(0);
    fcntl(REQUEST_FD, F_SETFD, FD_CLOEXEC);
    fcntl(REPLY_FD, F_SETFD, FD_CLOEXEC);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    drop_unused_libraries();

    for (;;) {
        uint32_t length;
        if (read_full(REQUEST_FD, &length, sizeof length) != 0) _exit(0);
        if (length < 12 || length > (64u << 20)) _exit(2);
        char *payload = malloc(length);
        if (!payload || read_full(REQUEST_FD, payload, length) != 0) _exit(2);
        uint32_t header[3];
        memcpy(header, payload, sizeof header);
        char *cursor = payload + sizeof header;
        char *end = payload + length;
        char **path = take_strings(&cursor, end, 1);
        char **argv = path ? take_strings(&cursor, end, header[1]) : NULL;
        char **envp = argv ? take_strings(&cursor, end, header[2]) : NULL;
        struct reply reply = { 0, EINVAL, 0 };
        if (envp) {
            struct launch launch = { path[0], argv, envp, (int)(header[0] & 1), devnull, ECHILD, 0 };
            pid_t pid = clone(run_child, child_stack + sizeof child_stack,
                              CLONE_VM | CLONE_VFORK | CLONE_PARENT | SIGCHLD, &launch);
            if (pid < 0) {
                reply.error = errno;
            } else {
                reply.pid = pid;
                reply.error = launch.error;
                reply.start = launch.start;
            }
        }
        write_full(REPLY_FD, &reply, sizeof reply);
        free(envp);
        free(argv);
        free(path);
        free(payload);
    }
}
