#ifndef METRON_SPAWNER_PROTOCOL_H
#define METRON_SPAWNER_PROTOCOL_H

// The messages between Metron and metron-spawner (Sources/metron-spawner/main.c), shared by both
// sides so that the layout is declared once. Native byte order: both ends run on one machine.
//
// Handshake, once, before any request: Metron sends the u32 METRON_SPAWNER_HELLO; the spawner
//   answers with a struct metron_spawner_hello carrying METRON_SPAWNER_PROTOCOL. The binaries are
//   installed side by side but built and copied separately, and METRON_SPAWNER can name any
//   build: a spawner that speaks another protocol is refused by name before anything runs (one
//   older than the handshake reads the hello as an oversized request and exits at once).
// Metron → spawner (the spawner's fd 3): a request = u32 length, then `length` bytes:
//   struct metron_run_request, then NUL-terminated strings: path, argv[0..argc), env[0..envc),
//   then, each only with its flag and in this order, the working directory the command starts
//   in (METRON_RUN_DIRECTORY), its stdin file (METRON_RUN_INPUT_FILE) and its stdout file
//   (METRON_RUN_OUTPUT_FILE).
// Spawner → Metron (its fd 4): one struct metron_run_outcome per run; the last one of a request
//   has METRON_OUTCOME_LAST set. Outcomes of short runs may arrive together (at most 50 ms late,
//   the last one never held back).
// A u32 0 sent while a request runs: stop (Metron was interrupted). The running tree is killed,
//   its outcome is marked METRON_OUTCOME_INTERRUPTED and ends the request. A stop that arrives
//   after the request ended is read as an empty request and ignored.

#include <stdint.h>

/// The version of this protocol; any change to a message's layout or meaning raises it.
#define METRON_SPAWNER_PROTOCOL 5u
/// The first word Metron sends ("MTRN"); larger than any request length a spawner accepts.
#define METRON_SPAWNER_HELLO 0x4E52544Du

struct metron_spawner_hello {
    /// METRON_SPAWNER_HELLO, echoed.
    uint32_t magic;
    /// The protocol the spawner speaks (METRON_SPAWNER_PROTOCOL of its build).
    uint32_t protocol;
};

// Request flags.
/// The command's stdout and stderr go to Metron's (otherwise to /dev/null).
#define METRON_RUN_INHERIT_OUTPUT 1u
/// Sample the summed resident memory of the live tree while it runs.
#define METRON_RUN_SAMPLE_TREE 2u
/// End the request at the first run that fails (non-zero exit, signal, timeout).
#define METRON_RUN_STOP_AT_FAILURE 4u
/// A working directory follows the environment; the command starts there (a chdir failure is
/// the outcome's error, like an execve failure).
#define METRON_RUN_DIRECTORY 8u
/// An input file follows; the command reads it as stdin (otherwise /dev/null). Opened in the
/// child, after the chdir; a failure is the outcome's error.
#define METRON_RUN_INPUT_FILE 16u
/// An output file follows; every run creates or truncates it and writes its stdout there, stderr
/// to /dev/null. Opened like the input file.
#define METRON_RUN_OUTPUT_FILE 32u
/// stdout goes through a pipe that the spawner reads and discards while the command runs,
/// stderr to /dev/null (some programs write to /dev/null faster than to a pipe).
#define METRON_RUN_OUTPUT_PIPE 64u

/// The most counters one request can ask for (perf_event_open events, one group).
#define METRON_MAX_COUNTERS 4u

/// A perf_event_open event (`perf_event_attr.type` and `.config`, linux/perf_event.h), counted
/// in user space for the command's whole tree: opened by the child on itself before execve,
/// enabled by the execve, inherited by every process the command starts.
struct metron_counter {
    uint32_t type;
    uint32_t reserved;
    uint64_t config;
};

struct metron_run_request {
    uint32_t flags;
    /// Runs of the same command, one after another.
    uint32_t count;
    uint32_t argc;
    uint32_t envc;
    /// Per-run timeout in nanoseconds; 0 for none.
    uint64_t timeout_ns;
    /// How many of `counters` each run counts (at most METRON_MAX_COUNTERS); 0 for none.
    uint32_t counter_count;
    uint32_t reserved;
    /// One group: the first is the leader, so all are scheduled on the PMU together.
    struct metron_counter counters[METRON_MAX_COUNTERS];
};

// Outcome flags.
#define METRON_OUTCOME_TIMED_OUT 1u
#define METRON_OUTCOME_INTERRUPTED 2u
/// The I/O fields hold the tree's counters.
#define METRON_OUTCOME_IO 4u
/// `peak_tree_bytes` holds a sample.
#define METRON_OUTCOME_PEAK_TREE 8u
/// No further outcome follows for this request.
#define METRON_OUTCOME_LAST 16u
/// `counts` holds the request's counters, in its order.
#define METRON_OUTCOME_COUNTED 32u
/// The counters shared the PMU with other events for part of the run; `counts` are scaled up
/// by the time they were enabled over the time they counted (what perf stat prints).
#define METRON_OUTCOME_COUNTS_SCALED 64u

struct metron_run_outcome {
    /// 0 when the process ran; otherwise the errno of clone or execve (nothing was measured), or
    /// EINVAL for a malformed request.
    int32_t error;
    int32_t pid;
    /// Exit status, or -1 when a signal ended the process.
    int32_t exit_code;
    /// The terminating signal, or 0.
    int32_t signal;
    uint32_t flags;
    /// Why the counters asked for were not counted: the errno of perf_event_open (ENOENT where
    /// the machine exposes no such event, EACCES where perf_event_paranoid forbids it) or of
    /// handing them over, EBUSY when they never got onto the PMU; 0 otherwise.
    int32_t counter_error;
    /// CLOCK_MONOTONIC nanoseconds just before execve and when the exit was seen.
    uint64_t start_ns;
    uint64_t end_ns;
    /// rusage of the process and every descendant reaped (orphans included).
    int64_t user_us;
    int64_t system_us;
    /// Largest ru_maxrss in the tree, KiB.
    int64_t max_rss_kib;
    int64_t voluntary_switches;
    int64_t involuntary_switches;
    int64_t minor_faults;
    int64_t major_faults;
    /// /proc/PID/io counters of the whole tree.
    int64_t read_chars;
    int64_t write_chars;
    int64_t read_bytes;
    int64_t write_bytes;
    int64_t cancelled_write_bytes;
    /// Peak of the summed resident memory of the live tree, bytes.
    int64_t peak_tree_bytes;
    /// The request's counters, with METRON_OUTCOME_COUNTED.
    int64_t counts[METRON_MAX_COUNTERS];
};

#endif
