#ifndef CMETRONSYS_H
#define CMETRONSYS_H

#include <sys/types.h>
#include <sys/resource.h>
#include "metron_spawner_protocol.h"

/// Spawns `path` with `argv`/`envp` in a new process group (pgid == pid), with an empty signal
/// mask and default dispositions, and with stdin/stdout/stderr redirected to the given fds
/// (-1 keeps the parent's). Returns 0 or an errno value.
int metron_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                 int stdin_fd, int stdout_fd, int stderr_fd);

/// Starts the fork server at `path` with `request_fd` as its fd 3 and `reply_fd` as its fd 4
/// (see Sources/metron-spawner/main.c). Returns 0 or an errno value.
int metron_spawn_fork_server(pid_t *pid, const char *path, int request_fd, int reply_fd);

/// pipe2(O_CLOEXEC | O_NONBLOCK). Returns 0 or an errno value.
int metron_pipe_nonblocking(int fds[2]);

/// pipe2(O_CLOEXEC). Returns 0 or an errno value.
int metron_pipe_cloexec(int fds[2]);

/// pidfd_open(2); -1 with errno on failure (kernels before 5.3).
int metron_pidfd_open(pid_t pid);

/// Makes the calling process a child subreaper so orphaned grandchildren are re-parented to it
/// and can be found, killed and reaped. Returns 0 or an errno value.
int metron_set_child_subreaper(void);

/// Unblocks SIGCHLD in the calling thread. A child's exit signal is addressed to the thread that
/// created it; while that thread blocks SIGCHLD (as every libdispatch worker thread does) the
/// kernel cannot discard the default-ignored signal and queues it to the process instead, which
/// wakes the main thread parked in dispatch_main's sigsuspend: one needless cross-CPU wake-up
/// per measured run. Unblocked, SIG_DFL SIGCHLD is dropped at the source. Returns 0 or errno.
int metron_unblock_sigchld(void);

/// Waits for `pid` to exit without reaping it (waitid WEXITED|WNOWAIT), so /proc/PID/* of the
/// zombie can still be read. `block` == 0 returns immediately. Returns 1 when exited, 0 when
/// still running, -1 on error.
int metron_wait_exited_nowait(pid_t pid, int block);

/// Reaps `pid` with wait4. Fills exit code (or -1) and terminating signal (or 0) and its rusage.
/// Returns 0 or an errno value.
int metron_reap(pid_t pid, int *exit_code, int *term_signal, struct rusage *usage);

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that record the signal and write one byte to
/// `notify_fd`; SIGPIPE is ignored. Returns 0 or an errno value.
int metron_install_signal_handlers(int notify_fd);

/// The first termination signal received since installation, or 0.
int metron_received_signal(void);

/// Opens the perf_event_open event `type`/`config` on this process as metron-spawner opens
/// one for a command (user space only) and closes it again. Returns 0 or the errno.
int metron_perf_probe(uint32_t type, uint64_t config);

/// Forgets a received signal (tests interrupt the runner in-process and go on).
void metron_clear_received_signal(void);

#endif
