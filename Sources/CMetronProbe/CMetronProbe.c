#define _GNU_SOURCE
#include "CMetronProbe.h"

#include <dlfcn.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int open_counter(uint64_t config, int group_fd) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = config;
    attr.disabled = group_fd == -1 ? 1 : 0;
    // User space only: unprivileged processes may count themselves at perf_event_paranoid <= 2.
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.inherit = 1;
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, group_fd, 0UL);
}

int metron_perf_open(int *cycles_fd) {
    int leader = open_counter(PERF_COUNT_HW_INSTRUCTIONS, -1);
    if (leader < 0) return -1;
    int cycles = open_counter(PERF_COUNT_HW_CPU_CYCLES, leader);
    if (cycles < 0) {
        int saved = errno;
        close(leader);
        errno = saved;
        return -1;
    }
    *cycles_fd = cycles;
    return leader;
}

void metron_perf_enable(int leader_fd, int enable) {
    if (enable) {
        ioctl(leader_fd, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
        ioctl(leader_fd, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
    } else {
        ioctl(leader_fd, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
    }
}

int64_t metron_perf_read(int fd) {
    int64_t value = 0;
    if (read(fd, &value, sizeof(value)) != (ssize_t)sizeof(value)) return -1;
    return value;
}

void metron_perf_close(int leader_fd, int cycles_fd) {
    if (cycles_fd >= 0) close(cycles_fd);
    if (leader_fd >= 0) close(leader_fd);
}

const char *metron_library_of_symbol(const char *symbol) {
    void *address = dlsym(RTLD_DEFAULT, symbol);
    if (address == NULL) return NULL;
    Dl_info info;
    if (dladdr(address, &info) == 0) return NULL;
    return info.dli_fname;
}

// Valgrind's client requests are a few no-op instructions outside Valgrind; the header ships
// with Valgrind itself, so without it the requests are absent and counting says so.
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define METRON_HAS_CALLGRIND 1
#else
#define METRON_HAS_CALLGRIND 0
#endif

int metron_simulation_available(void) {
#if METRON_HAS_CALLGRIND
    return RUNNING_ON_VALGRIND ? 1 : 0;
#else
    return -1;
#endif
}

void metron_simulation_collect(void) {
#if METRON_HAS_CALLGRIND
    CALLGRIND_TOGGLE_COLLECT;
#endif
}

void metron_simulation_dump(void) {
#if METRON_HAS_CALLGRIND
    CALLGRIND_DUMP_STATS_AT("metron batch");
#endif
}
