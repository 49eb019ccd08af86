#define _GNU_SOURCE
#include "CMetronSys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int metron_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                 int stdin_fd, int stdout_fd, int stderr_fd) {
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    int rc = posix_spawnattr_init(&attr);
    if (rc != 0) return rc;
    rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) { posix_spawnattr_destroy(&attr); return rc; }

    sigset_t empty, all;
    sigemptyset(&empty);
    sigfillset(&all);
    // Own process group: timeouts and interrupts kill the whole group at once, and a Ctrl-C in
    // the terminal reaches Metron only, which then decides what to kill.
    short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    rc = posix_spawnattr_setflags(&attr, flags);
    if (rc == 0) rc = posix_spawnattr_setpgroup(&attr, 0);
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attr, &empty);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &all);
    if (rc == 0 && stdin_fd >= 0) rc = posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    if (rc == 0 && stdout_fd >= 0) rc = posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    if (rc == 0 && stderr_fd >= 0) rc = posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    if (rc == 0) rc = posix_spawn(pid, path, &actions, &attr, argv, envp);

    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return rc;
}

int metron_spawn_fork_server(pid_t *pid, const char *path, int request_fd, int reply_fd) {
    // Move both ends above 4 first, so the dup2 below always copies (and so clears FD_CLOEXEC).
    int request = fcntl(request_fd, F_DUPFD_CLOEXEC, 10);
    int reply = fcntl(reply_fd, F_DUPFD_CLOEXEC, 10);
    if (request < 0 || reply < 0) {
        int saved = errno;
        if (request >= 0) close(request);
        if (reply >= 0) close(reply);
        return saved;
    }
    posix_spawn_file_actions_t actions;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, request, 3);
    if (rc == 0) rc = posix_spawn_file_actions_adddup2(&actions, reply, 4);
    char *argv[] = { (char *)path, NULL };
    extern char **environ;
    if (rc == 0) rc = posix_spawn(pid, path, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(request);
    close(reply);
    return rc;
}

int metron_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
}

int metron_pipe_nonblocking(int fds[2]) {
    return pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0 ? 0 : errno;
}

int metron_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int metron_set_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : errno;
}

int metron_unblock_sigchld(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    return pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

int metron_wait_exited_nowait(pid_t pid, int block) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int options = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
    for (;;) {
        int rc = waitid(P_PID, (id_t)pid, &info, options);
        if (rc == 0) return info.si_pid == pid ? 1 : 0;
        if (errno != EINTR) return -1;
    }
}

int metron_reap(pid_t pid, int *exit_code, int *term_signal, struct rusage *usage) {
    int status = 0;
    for (;;) {
        pid_t rc = wait4(pid, &status, 0, usage);
        if (rc == pid) break;
        if (rc < 0 && errno != EINTR) return errno;
    }
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    *term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return 0;
}

static volatile sig_atomic_t received_signal = 0;
static int notify_descriptor = -1;

static void on_termination_signal(int sig) {
    int saved = errno;
    if (received_signal == 0) received_signal = sig;
    if (notify_descriptor >= 0) {
        char byte = (char)sig;
        ssize_t ignored = write(notify_descriptor, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int metron_install_signal_handlers(int notify_fd) {
    notify_descriptor = notify_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_termination_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    int signals[] = { SIGINT, SIGTERM, SIGHUP };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return errno;
    }
    signal(SIGPIPE, SIG_IGN);
    // A parent may have started us with these blocked (e.g. from a thread that blocks them).
    sigset_t set;
    sigemptyset(&set);
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaddset(&set, signals[i]);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return 0;
}

int metron_received_signal(void) { return received_signal; }

void metron_clear_received_signal(void) { received_signal = 0; }

int metron_perf_probe(uint32_t type, uint64_t config) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = type;
    attr.config = config;
    attr.disabled = 1;
    attr.inherit = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) return errno;
    close(fd);
    return 0;
}
