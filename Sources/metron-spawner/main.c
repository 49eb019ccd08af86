// metron-spawner: the small process that runs and measures the commands Metron benchmarks.
//
// Why it exists: Linux folds the *spawning* process's peak RSS into the child's ru_maxrss at
// exec time (exec_mmap records the old mm's high-water mark in signal->maxrss), so every command
// spawned directly from Metron (a Swift process of ~20 MiB) would report a peak of at least
// Metron's own size. Spawned from this ~1 MiB process, `true` reports what GNU time reports.
//
// Why it measures too: a run is then a matter of two processes, this one and the command, as
// with hyperfine, and a request can ask for many runs, so Metron's own thread is off the path
// between one run and the next (each hand-over between processes that lands on another CPU
// costs a cross-CPU wake-up; outcomes of short runs even go back together). Per run: clone, wait
// on a pidfd (with the timeout and the tree's memory sampling), kill the process group, reap,
// reap and account orphans, read the I/O.
//
// How it starts a command: clone(CLONE_VM | CLONE_VFORK), what posix_spawn does: no page tables
// are copied and this process is suspended until the child has exec'd, so the child writes its
// start time and any execve error straight into our memory. The child's old mm — whose peak
// exec records — is ours, so we keep our own peak small: at start-up we drop the pages of the
// libraries SwiftPM links in but we never call (the Swift runtime, libstdc++, libm, libgcc_s)
// and reset our high-water mark (/proc/self/clear_refs), leaving a floor of about 1 MiB.
//
// How it counts I/O without opening /proc/PID/io for every new process: the kernel adds a
// reaped child's I/O counters (its own and those of everything it reaped) to the reaper's, so
// the growth of our /proc/self/io over a run is the tree's I/O plus our own reads and writes in
// that time, which we count exactly as we make them (every read, pread and write below goes
// through `counted_read`/`counted_write`) and subtract.
//
// Orphans: this process is a child subreaper, so a command's descendants that outlive their
// parent (daemons, `cmd &`, setsid escapes) are re-parented here; after each run they are
// killed, reaped and their CPU, memory and I/O counted with the run's. We have no other children,
// so waitid(P_ALL, WNOHANG) answering ECHILD proves there are none, at the cost of one call.
//
// Counters (instructions, cycles): the child opens them on itself just before execve, disabled
// until the execve enables them and inherited by every process the command starts, and sends
// them here over a socket (SCM_RIGHTS): its own descriptors close at execve, the events live on
// in ours. After the tree is reaped each one holds the count of every process of it, and
// nothing of the spawner's (the events start at the command's execve).
//
// Protocol: Sources/CMetronSys/include/metron_spawner_protocol.h.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "metron_spawner_protocol.h"

#define REQUEST_FD 3
#define REPLY_FD 4

// --- our own I/O, counted so that it can be taken out of /proc/self/io ---

struct io_counters {
    int64_t rchar, wchar, syscr, syscw, read_bytes, write_bytes, cancelled;
};

static struct io_counters own;

static ssize_t counted_read(int fd, void *buffer, size_t size) {
    ssize_t count = read(fd, buffer, size);
    own.syscr++;
    if (count > 0) own.rchar += count;
    return count;
}

static ssize_t counted_write(int fd, const void *buffer, size_t size) {
    ssize_t count = write(fd, buffer, size);
    own.syscw++;
    if (count > 0) own.wchar += count;
    return count;
}

static int read_full(int fd, void *buffer, size_t size) {
    char *cursor = buffer;
    while (size > 0) {
        ssize_t count = counted_read(fd, cursor, size);
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
        ssize_t count = counted_write(fd, cursor, size);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) return;
        cursor += count;
        size -= (size_t)count;
    }
}

/// Reads a small /proc file into `buffer` (NUL-terminated); its length or -1.
static ssize_t read_proc(const char *path, char *buffer, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t used = 0;
    while (used + 1 < size) {
        ssize_t count = counted_read(fd, buffer + used, size - 1 - used);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) break;
        used += (size_t)count;
    }
    close(fd);
    buffer[used] = 0;
    return (ssize_t)used;
}

static int self_io_fd = -1;

/// Reads /proc/self/io into `counters`; 0 on success. The read itself is added to `own`, which
/// it then holds alone: its bytes count in the *next* snapshot, not in the one it produced.
static int take_snapshot(struct io_counters *counters) {
    char text[512];
    ssize_t length = self_io_fd >= 0 ? pread(self_io_fd, text, sizeof text - 1, 0) : -1;
    own = (struct io_counters){ .rchar = length > 0 ? length : 0, .syscr = 1 };
    if (length <= 0) return -1;
    text[length] = 0;
    memset(counters, 0, sizeof *counters);
    static const struct { const char *name; size_t offset; } fields[] = {
        { "rchar:", offsetof(struct io_counters, rchar) },
        { "wchar:", offsetof(struct io_counters, wchar) },
        { "syscr:", offsetof(struct io_counters, syscr) },
        { "syscw:", offsetof(struct io_counters, syscw) },
        { "read_bytes:", offsetof(struct io_counters, read_bytes) },
        { "write_bytes:", offsetof(struct io_counters, write_bytes) },
        { "cancelled_write_bytes:", offsetof(struct io_counters, cancelled) },
    };
    int found = 0;
    for (char *line = text; line && *line; ) {
        char *next = strchr(line, '\n');
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            size_t name_length = strlen(fields[i].name);
            if (strncmp(line, fields[i].name, name_length) == 0) {
                *(int64_t *)((char *)counters + fields[i].offset) = strtoll(line + name_length, NULL, 10);
                found++;
                break;
            }
        }
        line = next ? next + 1 : NULL;
    }
    return found == 7 ? 0 : -1;
}

// --- processes ---

static uint64_t monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct pid_list {
    pid_t *items;
    size_t count, capacity;
};

static void list_add(struct pid_list *list, pid_t pid) {
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 64;
        pid_t *items = realloc(list->items, capacity * sizeof(pid_t));
        if (!items) return;
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = pid;
}

static int list_contains(const struct pid_list *list, pid_t pid) {
    for (size_t i = 0; i < list->count; i++) {
        if (list->items[i] == pid) return 1;
    }
    return 0;
}

/// Appends the pids listed in a /proc/.../children file.
static void add_listed(const char *path, struct pid_list *out) {
    char text[16384];
    if (read_proc(path, text, sizeof text) <= 0) return;
    for (char *cursor = text; *cursor; ) {
        char *end;
        long child = strtol(cursor, &end, 10);
        if (end == cursor) break;
        list_add(out, (pid_t)child);
        cursor = end;
    }
}

/// Appends the pids listed in /proc/PID/task/TID/children for every thread of `pid`.
static void add_children(pid_t pid, struct pid_list *out) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *tasks = opendir(path);
    if (!tasks) return;
    struct dirent *entry;
    while ((entry = readdir(tasks))) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        char file[320];
        snprintf(file, sizeof file, "/proc/%d/task/%s/children", pid, entry->d_name);
        add_listed(file, out);
    }
    closedir(tasks);
}

/// Our own children: the measured process and orphans of its tree re-parented to us (we have
/// one thread, so its list is all of them).
static void own_children(struct pid_list *out) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/children", getpid());
    add_listed(path, out);
}

/// Every live process of the tree: `root`, our other children, and all their descendants.
static void collect_tree(pid_t root, struct pid_list *tree) {
    tree->count = 0;
    struct pid_list stack = { 0 };
    list_add(&stack, root);
    own_children(&stack);
    while (stack.count > 0) {
        pid_t current = stack.items[--stack.count];
        if (list_contains(tree, current)) continue;
        list_add(tree, current);
        add_children(current, &stack);
    }
    free(stack.items);
}

static int64_t page_size;

/// Sum of the resident set sizes of the live tree (shared pages count once per process, as in
/// `ps`; proportional set size would need smaps, too slow to sample).
static int64_t tree_resident_bytes(pid_t root) {
    struct pid_list tree = { 0 };
    collect_tree(root, &tree);
    int64_t total = 0;
    for (size_t i = 0; i < tree.count; i++) {
        char path[64], text[256];
        snprintf(path, sizeof path, "/proc/%d/statm", tree.items[i]);
        if (read_proc(path, text, sizeof text) <= 0) continue;
        long long size = 0, resident = 0;
        if (sscanf(text, "%lld %lld", &size, &resident) == 2) total += resident * page_size;
    }
    free(tree.items);
    return total;
}

/// SIGKILL to the process group and to every descendant, including those that moved to another
/// group or session. Repeated because a dying parent's children are re-parented to us only after
/// it is gone.
static void kill_tree(pid_t root) {
    kill(-root, SIGKILL);
    struct pid_list tree = { 0 };
    for (int round = 0; round < 3; round++) {
        collect_tree(root, &tree);
        for (size_t i = 0; i < tree.count; i++) kill(tree.items[i], SIGKILL);
        if (tree.count <= 1) break;
    }
    free(tree.items);
}

static void add_usage(struct metron_run_outcome *outcome, const struct rusage *usage) {
    outcome->user_us += (int64_t)usage->ru_utime.tv_sec * 1000000 + usage->ru_utime.tv_usec;
    outcome->system_us += (int64_t)usage->ru_stime.tv_sec * 1000000 + usage->ru_stime.tv_usec;
    if (usage->ru_maxrss > outcome->max_rss_kib) outcome->max_rss_kib = usage->ru_maxrss;
    outcome->voluntary_switches += usage->ru_nvcsw;
    outcome->involuntary_switches += usage->ru_nivcsw;
    outcome->minor_faults += usage->ru_minflt;
    outcome->major_faults += usage->ru_majflt;
}

static pid_t reap(pid_t pid, int *status, struct rusage *usage) {
    for (;;) {
        pid_t rc = wait4(pid, status, 0, usage);
        if (rc >= 0 || errno != EINTR) return rc;
    }
}

/// Kills, reaps and accounts every other child: descendants of the measured process that were
/// re-parented to us when their parent exited.
static void reap_orphans(struct metron_run_outcome *outcome) {
    for (int round = 0; round < 64; round++) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 && errno == ECHILD) return;
        struct pid_list orphans = { 0 };
        own_children(&orphans);
        if (orphans.count == 0 && info.si_pid == 0) {
            // Children exist but none is listed yet (being re-parented): look again.
            free(orphans.items);
            continue;
        }
        if (info.si_pid != 0 && !list_contains(&orphans, info.si_pid)) list_add(&orphans, info.si_pid);
        for (size_t i = 0; i < orphans.count; i++) {
            kill_tree(orphans.items[i]);
            int status;
            struct rusage usage;
            if (reap(orphans.items[i], &status, &usage) == orphans.items[i]) add_usage(outcome, &usage);
        }
        free(orphans.items);
    }
}

// --- outcomes, sent together ---
//
// Outcomes of short runs go out together, at most FLUSH_INTERVAL_NS after the oldest of them
// was ready, and always with the last one of a request: Metron then sleeps through a batch of
// short runs instead of waking on another CPU after every one of them, beside the command being
// measured. The outcome of a run of SHORT_RUN_NS or more goes out at once (with any held back):
// a wake-up per such run costs nothing, where holding it back would take a timer firing in the
// middle of the next run (measured: +0.2 ms per run of `sleep 0.05`).

/// Held back before they are sent: well under a pipe's 64 KiB, so a write never waits for Metron.
#define MAX_PENDING_OUTCOMES 256
/// The longest an outcome is held back; a progress bar still moves 20 times a second.
#define FLUSH_INTERVAL_NS 50000000u
#define SHORT_RUN_NS 10000000u
static struct metron_run_outcome pending_outcomes[MAX_PENDING_OUTCOMES];
static size_t pending_count = 0;
/// When the oldest pending outcome was ready.
static uint64_t pending_since = 0;

static void flush_outcomes(void) {
    if (pending_count == 0) return;
    write_full(REPLY_FD, pending_outcomes, pending_count * sizeof pending_outcomes[0]);
    pending_count = 0;
}

static void send_outcome(const struct metron_run_outcome *outcome) {
    uint64_t now = monotonic_ns();
    if (pending_count == 0) pending_since = now;
    pending_outcomes[pending_count++] = *outcome;
    if ((outcome->flags & METRON_OUTCOME_LAST) || pending_count == MAX_PENDING_OUTCOMES ||
        now - pending_since >= FLUSH_INTERVAL_NS || outcome->end_ns - outcome->start_ns >= SHORT_RUN_NS) {
        flush_outcomes();
    }
}

// --- one run ---

/// Metron sent a stop (it was interrupted) during the current request.
static int stop_requested = 0;

static const int ignored_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

struct launch {
    const char *path;
    /// The working directory to start in, or NULL for the spawner's own.
    const char *directory;
    char **argv;
    char **envp;
    int inherit;
    /// stdin's file, stdout's file, or NULL for /dev/null.
    const char *input;
    const char *output;
    /// The write end of the output pipe, or -1.
    int pipe_write;
    int devnull;
    volatile int error;
    volatile uint64_t start;
    /// The request's counters (none when `counter_count` is 0).
    const struct metron_run_request *request;
    /// Why the counters of this run are not counted (0 when the child sent them over).
    volatile int counter_error;
    /// An earlier run of the request found the counters unavailable on this machine: the same
    /// error for every later run, without asking the kernel again.
    int counters_refused;
};

// --- counters ---

/// The child's end [1] and ours [0] of the socket the counters come over.
static int counter_socket[2] = { -1, -1 };

/// Errors that say the machine (or its settings) cannot count these events at all, as opposed
/// to this one run failing to.
static int refuses_counters(int error) {
    return error == ENOENT || error == EACCES || error == EPERM || error == EOPNOTSUPP || error == ENODEV ||
           error == EINVAL || error == E2BIG;
}

// In the child, on the spawner's memory: opens the request's counters on itself and sends them.
static void open_counters(struct launch *launch) {
    const struct metron_run_request *request = launch->request;
    int fds[METRON_MAX_COUNTERS];
    uint32_t opened = 0;
    launch->counter_error = 0;
    for (; opened < request->counter_count; opened++) {
        struct perf_event_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.size = sizeof attr;
        attr.type = request->counters[opened].type;
        attr.config = request->counters[opened].config;
        attr.disabled = 1;
        attr.enable_on_exec = 1;
        attr.inherit = 1;
        // User space only: what an unprivileged process may count at perf_event_paranoid 2.
        attr.exclude_kernel = 1;
        attr.exclude_hv = 1;
        attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
        int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, opened == 0 ? -1 : fds[0], PERF_FLAG_FD_CLOEXEC);
        if (fd < 0) {
            launch->counter_error = errno;
            break;
        }
        fds[opened] = fd;
    }
    if (launch->counter_error == 0) {
        char control[CMSG_SPACE(sizeof fds)];
        memset(control, 0, sizeof control);
        char byte = 0;
        struct iovec iov = { &byte, 1 };
        struct msghdr message;
        memset(&message, 0, sizeof message);
        message.msg_iov = &iov;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = CMSG_SPACE(opened * sizeof(int));
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(opened * sizeof(int));
        memcpy(CMSG_DATA(header), fds, opened * sizeof(int));
        if (sendmsg(counter_socket[1], &message, MSG_DONTWAIT) < 0) launch->counter_error = errno;
    }
    for (uint32_t i = 0; i < opened; i++) close(fds[i]);
}

/// Takes the counters the child sent; fills `fds` and returns how many, or -1.
static int receive_counters(int *fds, uint32_t count) {
    char control[CMSG_SPACE(METRON_MAX_COUNTERS * sizeof(int))];
    char byte;
    struct iovec iov = { &byte, 1 };
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    if (recvmsg(counter_socket[0], &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) < 0) return -1;
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (!header || header->cmsg_type != SCM_RIGHTS) {
        errno = EBADMSG;
        return -1;
    }
    uint32_t received = (uint32_t)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    memcpy(fds, CMSG_DATA(header), received * sizeof(int));
    if (received == count) return (int)received;
    for (uint32_t i = 0; i < received; i++) close(fds[i]);
    errno = EBADMSG;
    return -1;
}

/// Reads the counts of a finished run into `outcome` and closes the counters.
static void read_counters(int *fds, uint32_t count, struct metron_run_outcome *outcome) {
    int complete = 1, scaled = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint64_t value[3] = { 0, 0, 0 };  // count, time enabled, time running
        if (read(fds[i], value, sizeof value) != (ssize_t)sizeof value || value[2] == 0) {
            complete = 0;
        } else if (value[2] < value[1]) {
            scaled = 1;
            outcome->counts[i] = (int64_t)((double)value[0] * (double)value[1] / (double)value[2]);
        } else {
            outcome->counts[i] = (int64_t)value[0];
        }
        close(fds[i]);
    }
    if (complete) {
        outcome->flags |= METRON_OUTCOME_COUNTED | (scaled ? METRON_OUTCOME_COUNTS_SCALED : 0);
    } else {
        memset(outcome->counts, 0, sizeof outcome->counts);
        outcome->counter_error = EBUSY;
    }
}

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
    setpgid(0, 0);
    dup2(launch->devnull, 0);
    if (!launch->inherit) {
        dup2(launch->pipe_write >= 0 ? launch->pipe_write : launch->devnull, 1);
        dup2(launch->devnull, 2);
    }
    if (launch->directory && chdir(launch->directory) != 0) {
        launch->error = errno;
        _exit(127);
    }
    if (launch->input) {
        int fd = open(launch->input, O_RDONLY);
        if (fd < 0 || dup2(fd, 0) < 0) {
            launch->error = errno;
            _exit(127);
        }
        if (fd != 0) close(fd);
    }
    if (launch->output) {
        int fd = open(launch->output, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0 || dup2(fd, 1) < 0) {
            launch->error = errno;
            _exit(127);
        }
        if (fd != 1) close(fd);
    }
    if (launch->request->counter_count > 0 && !launch->counters_refused) open_counters(launch);
    launch->error = 0;
    launch->start = monotonic_ns();
    execve(launch->path, launch->argv, launch->envp);
    launch->error = errno;
    _exit(127);
}

/// Reads what is in the output pipe and throws it away, counting it as the spawner's own reads
/// (so it is not charged to the command). Returns the bytes read, 0 at end of file, -1 when
/// nothing is there.
static ssize_t drain_pipe(int fd) {
    static char sink[65536];
    return counted_read(fd, sink, sizeof sink);
}

static char child_stack[256 * 1024] __attribute__((aligned(16)));

static int failed(const struct metron_run_outcome *outcome) {
    return (outcome->flags & (METRON_OUTCOME_TIMED_OUT | METRON_OUTCOME_INTERRUPTED)) ||
           outcome->signal != 0 || outcome->exit_code != 0;
}

/// Runs the command once; fills `outcome`.
static void run_once(struct launch *launch, const struct metron_run_request *request,
                     struct io_counters *before, struct metron_run_outcome *outcome) {
    memset(outcome, 0, sizeof *outcome);
    launch->error = ECHILD;
    launch->start = 0;
    launch->counter_error = ECHILD;
    int pipe_read = -1;
    launch->pipe_write = -1;
    if (request->flags & METRON_RUN_OUTPUT_PIPE) {
        int ends[2];
        if (pipe2(ends, O_CLOEXEC) != 0) {
            outcome->error = errno;
            return;
        }
        pipe_read = ends[0];
        launch->pipe_write = ends[1];
    }
    pid_t pid = clone(run_child, child_stack + sizeof child_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, launch);
    // The child has its copy of the write end (or is gone): ours would keep the pipe open.
    if (launch->pipe_write >= 0) close(launch->pipe_write);
    if (pid < 0) {
        outcome->error = errno;
        if (pipe_read >= 0) close(pipe_read);
        return;
    }
    outcome->pid = pid;
    int counter_fds[METRON_MAX_COUNTERS];
    int counters = 0;
    if (request->counter_count > 0) {
        if (launch->counters_refused) {
            outcome->counter_error = launch->counters_refused;
        } else if (launch->counter_error != 0) {
            outcome->counter_error = launch->counter_error;
            if (refuses_counters(launch->counter_error)) launch->counters_refused = launch->counter_error;
        } else if ((counters = receive_counters(counter_fds, request->counter_count)) < 0) {
            outcome->counter_error = errno ? errno : EBADMSG;
            counters = 0;
        }
    }
    if (launch->error != 0) {
        for (int i = 0; i < counters; i++) close(counter_fds[i]);
        if (pipe_read >= 0) close(pipe_read);
        // execve failed; the child exits 127 and is not a measurement.
        outcome->error = launch->error;
        int status;
        struct rusage usage;
        reap(pid, &status, &usage);
        if (take_snapshot(before) != 0) before->rchar = -1;
        return;
    }
    uint64_t start = launch->start;
    outcome->start_ns = start;
    uint64_t deadline = request->timeout_ns ? start + request->timeout_ns : UINT64_MAX;
    int sample = (request->flags & METRON_RUN_SAMPLE_TREE) != 0;
    // Sampling starts soon after the start and backs off, so short commands pay nothing and
    // long ones are sampled at 20 Hz.
    uint64_t interval = 2000000;
    uint64_t next_sample = start + interval;
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    // Anything Metron sends while a request runs is a stop.
    // A negative descriptor is skipped by ppoll: no pidfd, no pipe, or a pipe at its end.
    struct pollfd fds[3] = { { REQUEST_FD, POLLIN, 0 }, { pidfd, POLLIN, 0 }, { pipe_read, POLLIN, 0 } };
    for (;;) {
        uint64_t now = monotonic_ns();
        uint64_t wake = sample ? next_sample : UINT64_MAX;
        if (deadline < wake) wake = deadline;
        // Outcomes of earlier runs are not held back for the whole of a long one.
        uint64_t flush_at = pending_count > 0 ? pending_since + FLUSH_INTERVAL_NS : UINT64_MAX;
        if (flush_at < wake) wake = flush_at;
        struct timespec timeout, *timeout_pointer = NULL;
        if (pidfd < 0) {
            // No pidfd (kernel < 5.3): look every millisecond.
            timeout = (struct timespec){ 0, 1000000 };
            timeout_pointer = &timeout;
        } else if (wake != UINT64_MAX) {
            uint64_t left = wake > now ? wake - now : 0;
            timeout = (struct timespec){ (time_t)(left / 1000000000u), (long)(left % 1000000000u) };
            timeout_pointer = &timeout;
        }
        fds[0].revents = fds[1].revents = fds[2].revents = 0;
        int ready = ppoll(fds, 3, timeout_pointer, NULL);
        if (ready > 0 && fds[2].revents != 0 && drain_pipe(pipe_read) == 0) fds[2].fd = -1;
        if (ready > 0 && fds[0].revents != 0) {
            uint32_t message;
            // End of file: Metron is gone, and so must the tree be.
            if (read_full(REQUEST_FD, &message, sizeof message) != 0) { kill_tree(pid); _exit(0); }
            if (message == 0) stop_requested = 1;
        }
        int exited = 0;
        if (pidfd >= 0) {
            exited = ready > 0 && fds[1].revents != 0;
        } else {
            siginfo_t info;
            memset(&info, 0, sizeof info);
            exited = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
        }
        uint64_t after = monotonic_ns();
        if (exited) {
            outcome->end_ns = after;
            break;
        }
        if (stop_requested) {
            outcome->end_ns = after;
            outcome->flags |= METRON_OUTCOME_INTERRUPTED;
            kill_tree(pid);
            break;
        }
        if (after >= deadline) {
            outcome->end_ns = after;
            outcome->flags |= METRON_OUTCOME_TIMED_OUT;
            kill_tree(pid);
            break;
        }
        if (after >= flush_at) flush_outcomes();
        if (sample && after >= next_sample) {
            int64_t resident = tree_resident_bytes(pid);
            if (!(outcome->flags & METRON_OUTCOME_PEAK_TREE) || resident > outcome->peak_tree_bytes) {
                outcome->peak_tree_bytes = resident;
            }
            outcome->flags |= METRON_OUTCOME_PEAK_TREE;
            interval = interval * 2 < 50000000 ? interval * 2 : 50000000;
            next_sample = after + interval;
        }
    }
    if (pidfd >= 0) close(pidfd);
    // Background children still in the command's process group do not outlive the run.
    kill(-pid, SIGKILL);
    if (pipe_read >= 0) {
        // What the command wrote last; a writer that escaped the process group cannot hold the
        // run open.
        fcntl(pipe_read, F_SETFL, O_NONBLOCK);
        while (drain_pipe(pipe_read) > 0) {}
        close(pipe_read);
    }
    int status = 0;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    if (reap(pid, &status, &usage) == pid) {
        add_usage(outcome, &usage);
        outcome->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        outcome->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
    reap_orphans(outcome);
    // Every process of the tree is gone: its counts are all in the counters now.
    if (counters > 0) read_counters(counter_fds, (uint32_t)counters, outcome);
    // What grew since `before`, less our own reads and writes in that time.
    struct io_counters mine = own;
    struct io_counters after;
    if (before->rchar < 0) return;
    if (take_snapshot(&after) != 0) {
        before->rchar = -1;
    } else {
        outcome->read_chars = after.rchar - before->rchar - mine.rchar;
        outcome->write_chars = after.wchar - before->wchar - mine.wchar;
        outcome->read_bytes = after.read_bytes - before->read_bytes;
        outcome->write_bytes = after.write_bytes - before->write_bytes;
        outcome->cancelled_write_bytes = after.cancelled - before->cancelled;
        outcome->flags |= METRON_OUTCOME_IO;
        *before = after;
    }
}

// SwiftPM links swiftrt.o into every executable, C ones too: its constructor registers the
// image's Swift metadata with the runtime (swift_addNewDSOImage) and it keeps a reference to a
// backtracer hook. Nothing here is Swift, so both are defined here as no-ops; then no symbol of
// the Swift runtime is needed, and scripts/build-release.sh drops libswiftCore.so and the C++
// runtime it brings from the release binary's dependencies (patchelf --remove-needed): started
// with libc alone, the server is ready in 0.9 ms instead of 2.4 ms, beside Metron's own start-up
// on a 2-core machine (docs/performance.md). In builds that keep the libraries these
// definitions take precedence and change nothing, since nothing calls them but swiftrt.o.
void swift_addNewDSOImage(const void *header) { (void)header; }
_Bool _swift_backtrace_isThunkFunction(const char *name) { (void)name; return 0; }

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
    // No PR_SET_PDEATHSIG: it fires when the *thread* that started us exits (Metron starts us
    // from a worker thread that libdispatch retires when idle), not when Metron does. Metron's
    // end is the end of file on our request pipe, which the kernel closes however Metron dies
    // (kill -9 included): idle, we exit; in a run, we kill the tree first (run_once).
    if (getppid() == 1) _exit(0);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    fcntl(REQUEST_FD, F_SETFD, FD_CLOEXEC);
    fcntl(REPLY_FD, F_SETFD, FD_CLOEXEC);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    page_size = sysconf(_SC_PAGESIZE);
    self_io_fd = open("/proc/self/io", O_RDONLY | O_CLOEXEC);
    if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, counter_socket) != 0) counter_socket[0] = counter_socket[1] = -1;
    drop_unused_libraries();

    uint32_t hello;
    if (read_full(REQUEST_FD, &hello, sizeof hello) != 0) _exit(0);  // Metron is gone already
    if (hello != METRON_SPAWNER_HELLO) _exit(2);
    struct metron_spawner_hello answer = { METRON_SPAWNER_HELLO, METRON_SPAWNER_PROTOCOL };
    write_full(REPLY_FD, &answer, sizeof answer);

    for (;;) {
        uint32_t length;
        if (read_full(REQUEST_FD, &length, sizeof length) != 0) _exit(0);
        if (length == 0) continue;  // a stop that came after the request it was meant for ended
        if (length < sizeof(struct metron_run_request) || length > (64u << 20)) _exit(2);
        char *payload = malloc(length);
        if (!payload || read_full(REQUEST_FD, payload, length) != 0) _exit(2);
        struct metron_run_request request;
        memcpy(&request, payload, sizeof request);
        char *cursor = payload + sizeof request;
        char *end = payload + length;
        char **path = take_strings(&cursor, end, 1);
        char **argv = path ? take_strings(&cursor, end, request.argc) : NULL;
        char **envp = argv ? take_strings(&cursor, end, request.envc) : NULL;
        char **directory = envp && (request.flags & METRON_RUN_DIRECTORY) ? take_strings(&cursor, end, 1) : NULL;
        char **input = envp && (request.flags & METRON_RUN_INPUT_FILE) ? take_strings(&cursor, end, 1) : NULL;
        char **output = envp && (request.flags & METRON_RUN_OUTPUT_FILE) ? take_strings(&cursor, end, 1) : NULL;
        struct metron_run_outcome outcome;
        if (!envp || request.count == 0 || request.counter_count > METRON_MAX_COUNTERS || ((request.flags & METRON_RUN_DIRECTORY) && !directory) ||
            ((request.flags & METRON_RUN_INPUT_FILE) && !input) || ((request.flags & METRON_RUN_OUTPUT_FILE) && !output)) {
            memset(&outcome, 0, sizeof outcome);
            outcome.error = EINVAL;
            outcome.flags = METRON_OUTCOME_LAST;
            write_full(REPLY_FD, &outcome, sizeof outcome);
        } else {
            struct launch launch = { path[0], directory ? directory[0] : NULL, argv, envp,
                                     (request.flags & METRON_RUN_INHERIT_OUTPUT) != 0, input ? input[0] : NULL,
                                     output ? output[0] : NULL, -1, devnull, ECHILD, 0, &request, 0, 0 };
            // The baseline of the I/O counters: everything up to now, ours included, is before.
            struct io_counters before;
            if (take_snapshot(&before) != 0) before.rchar = -1;
            for (uint32_t run = 0; run < request.count; run++) {
                run_once(&launch, &request, &before, &outcome);
                int last = run + 1 == request.count || outcome.error != 0 || stop_requested ||
                           (outcome.flags & METRON_OUTCOME_INTERRUPTED) ||
                           ((request.flags & METRON_RUN_STOP_AT_FAILURE) && failed(&outcome));
                if (last) outcome.flags |= METRON_OUTCOME_LAST;
                send_outcome(&outcome);
                if (last) break;
            }
            stop_requested = 0;
        }
        free(output);
        free(input);
        free(directory);
        free(envp);
        free(argv);
        free(path);
        free(payload);
    }
}
