#ifndef CMETRONPROBE_H
#define CMETRONPROBE_H

#include <stdint.h>

/// Opens a perf_event_open(2) group counting user-space instructions and CPU cycles of the
/// calling thread and, via inherit, threads it creates later. Returns the group leader fd
/// (instructions) and fills `cycles_fd`, or -1 with errno (EACCES/ENOENT/EOPNOTSUPP when the
/// kernel or hypervisor does not expose hardware counters).
int metron_perf_open(int *cycles_fd);

/// Resets and enables (`enable` != 0) or disables both counters.
void metron_perf_enable(int leader_fd, int enable);

/// Reads one counter; -1 on failure.
int64_t metron_perf_read(int fd);

void metron_perf_close(int leader_fd, int cycles_fd);

/// The path of the loaded shared object that defines `symbol` (dlsym + dladdr), or NULL.
const char *metron_library_of_symbol(const char *symbol);

/// 1 when running under Valgrind, 0 when not, -1 when Metron was built without Valgrind's
/// headers (so its client requests do nothing).
int metron_simulation_available(void);

/// Toggles callgrind's collection (started with --collect-atstart=no): on before a counted
/// batch, off after it.
void metron_simulation_collect(void);

/// Makes callgrind write the counts collected since the last dump to a new file (.1, .2, …).
void metron_simulation_dump(void);

#endif
