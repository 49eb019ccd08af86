import Glibc
import MetronCore

/// Reads what `metron doctor` judges (MachineHealth) from /proc and /sys, and the noise figure
/// recorded with every run. Anything unreadable stays nil: a fact this kernel does not expose is
/// not an error.
public enum MachineStateCollector {
    /// The machine now: a one-second /proc/stat sample for steal time and a series of 1 ms
    /// sleeps for the timer's jitter (`sleeps` of them; about a quarter of a second for 200).
    public static func collect(sleeps: Int = 200) -> MachineState {
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var governors: [String] = []
        for cpu in 0..<max(cores, 1) {
            if let governor = text("/sys/devices/system/cpu/cpu\(cpu)/cpufreq/scaling_governor") { governors.append(governor) }
        }
        let before = CPUTimes.now()
        let overshoots = timerOvershoots(count: sleeps)
        // At least a second between the two samples: /proc/stat counts in 10 ms ticks.
        let remaining = 1.0 - overshoots.reduce(0.001 * Double(sleeps)) { $0 + $1 }
        if remaining > 0 { sleep(seconds: remaining) }
        let after = CPUTimes.now()
        return MachineState(
            logicalCores: cores, governors: governors,
            intelNoTurbo: flag("/sys/devices/system/cpu/intel_pstate/no_turbo"),
            boost: flag("/sys/devices/system/cpu/cpufreq/boost"),
            smtActive: flag("/sys/devices/system/cpu/smt/active"),
            loadAverage: loadAverage(), steal: CPUTimes.steal(from: before, to: after),
            aslr: text("/proc/sys/kernel/randomize_va_space").flatMap { Int($0) },
            isolatedCPUs: text("/sys/devices/system/cpu/isolated") ?? (ProcFS.read("/sys/devices/system/cpu/isolated") != nil ? "" : nil),
            perfEventParanoid: text("/proc/sys/kernel/perf_event_paranoid").flatMap { Int($0) },
            hardwareCounters: PerfCounter.unavailableReason().map(CounterProbe.unavailable) ?? .counts,
            timerOvershoots: overshoots)
    }

    /// The 1-minute load average (/proc/loadavg).
    public static func loadAverage() -> Double? {
        text("/proc/loadavg")?.split(separator: " ").first.flatMap { Double($0) }
    }

    /// How late each of `count` 1 ms sleeps woke, in seconds.
    static func timerOvershoots(count: Int) -> [Double] {
        (0..<count).map { _ in
            let start = MonotonicClock.seconds()
            sleep(seconds: 0.001)
            return max(0, MonotonicClock.seconds() - start - 0.001)
        }
    }

    static func sleep(seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    static func text(_ path: String) -> String? {
        guard let value = ProcFS.readString(path) else { return nil }
        let trimmed = String(Substring(value).trimmed())
        return trimmed.isEmpty ? nil : trimmed
    }

    static func flag(_ path: String) -> Bool? {
        text(path).flatMap { Int($0) }.map { $0 != 0 }
    }
}

/// The machine's CPU time counters (/proc/stat's first line, in ticks), for the share of time
/// stolen between two readings.
public struct CPUTimes: Sendable, Equatable {
    public var total: Int64
    public var steal: Int64

    public static func now() -> CPUTimes? {
        guard let text = ProcFS.readString("/proc/stat"),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already
        // inside user and nice.
        let fields = line.split(separator: " ").dropFirst().compactMap { Int64($0) }
        guard fields.count >= 8 else { return nil }
        return CPUTimes(total: fields.prefix(8).reduce(0, +), steal: fields[7])
    }

    public static func steal(from before: CPUTimes?, to after: CPUTimes?) -> Double? {
        guard let before, let after, after.total > before.total else { return nil }
        return Double(after.steal - before.steal) / Double(after.total - before.total)
    }
}
