/// What on this machine moves a measurement that is not the code: the facts `metron doctor`
/// reads (from /proc and /sys, by MetronRunner's `MachineStateCollector`), judged here.
public struct MachineState: Sendable, Equatable {
    public var logicalCores: Int
    /// The scaling governor of each CPU that has cpufreq; empty when there is none (most VMs).
    public var governors: [String]
    /// intel_pstate's no_turbo (true: turbo off); nil without intel_pstate.
    public var intelNoTurbo: Bool?
    /// cpufreq's boost switch (true: boost on); nil where the driver has none.
    public var boost: Bool?
    /// Whether SMT (hyper-threading) siblings are active; nil when the kernel does not say.
    public var smtActive: Bool?
    /// The 1-minute load average.
    public var loadAverage: Double?
    /// Share of CPU time the hypervisor gave to others (steal) over the sampling second.
    public var steal: Double?
    /// /proc/sys/kernel/randomize_va_space (2: full ASLR).
    public var aslr: Int?
    /// /sys/devices/system/cpu/isolated ("" when none).
    public var isolatedCPUs: String?
    /// /proc/sys/kernel/perf_event_paranoid.
    public var perfEventParanoid: Int?
    /// Whether the hardware's instruction and cycle counters open here, as they are opened for
    /// every measured run; nil when not tried.
    public var hardwareCounters: CounterProbe?
    /// How late each of a series of 1 ms sleeps woke, in seconds (the timer and scheduler jitter).
    public var timerOvershoots: [Double]

    public init(logicalCores: Int, governors: [String] = [], intelNoTurbo: Bool? = nil, boost: Bool? = nil,
                smtActive: Bool? = nil, loadAverage: Double? = nil, steal: Double? = nil, aslr: Int? = nil,
                isolatedCPUs: String? = nil, perfEventParanoid: Int? = nil, hardwareCounters: CounterProbe? = nil,
                timerOvershoots: [Double] = []) {
        self.logicalCores = logicalCores
        self.governors = governors
        self.intelNoTurbo = intelNoTurbo
        self.boost = boost
        self.smtActive = smtActive
        self.loadAverage = loadAverage
        self.steal = steal
        self.aslr = aslr
        self.isolatedCPUs = isolatedCPUs
        self.perfEventParanoid = perfEventParanoid
        self.hardwareCounters = hardwareCounters
        self.timerOvershoots = timerOvershoots
    }
}

/// What opening the hardware counters gave.
public enum CounterProbe: Sendable, Equatable {
    case counts
    /// Why not, as users read it ("perf_event_open(instructions): No such file or directory (…)").
    case unavailable(String)
}

/// One thing `metron doctor` checked: what it found and, when it hurts, how to fix it.
public struct HealthFinding: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable {
        /// Nothing to do.
        case ok
        /// Worth knowing; measurements are not hurt much.
        case info
        /// This will move measurements.
        case warning
    }

    /// A stable code: cpu-governor, turbo, smt, steal, load, aslr, isolated-cpus, perf-counters, timer.
    public var check: String
    public var level: Level
    public var summary: String
    /// A concrete command or step; nil when there is nothing to fix.
    public var fix: String?

    public init(check: String, level: Level, summary: String, fix: String? = nil) {
        self.check = check
        self.level = level
        self.summary = summary
        self.fix = fix
    }
}

/// How quiet the machine was around one run: recorded with every run (`RunReport.noise`) and
/// shown next to comparisons, so a verdict between a quiet and a busy session can be read as such.
public struct NoiseFigure: Codable, Sendable, Equatable {
    /// The 1-minute load average per logical core when the run started.
    public var loadPerCore: Double?
    /// Share of CPU time stolen by the hypervisor while the run measured.
    public var steal: Double?

    public init(loadPerCore: Double?, steal: Double?) {
        self.loadPerCore = loadPerCore
        self.steal = steal
    }

    /// Below a quarter of a core of other work per core, and under 1 % steal.
    public var isQuiet: Bool { (loadPerCore ?? 0) < 0.25 && (steal ?? 0) < 0.01 }

    /// "load 0.12/core, steal 0.0 %".
    public var summary: String {
        var parts: [String] = []
        if let loadPerCore { parts.append("load \(Formatting.fixed(loadPerCore, digits: 2))/core") }
        if let steal { parts.append("steal \(Formatting.fixed(steal * 100, digits: 1)) %") }
        return parts.isEmpty ? "not measured" : parts.joined(separator: ", ") + (isQuiet ? "" : " (busy)")
    }
}

public enum MachineHealth {
    /// Every check, in a fixed order. The thresholds are where a 20 ms benchmark starts to move
    /// by more than a percent on this project's 2-core VM.
    public static func findings(_ state: MachineState) -> [HealthFinding] {
        var findings: [HealthFinding] = []
        let notPerformance = Set(state.governors.filter { $0 != "performance" })
        if state.governors.isEmpty {
            findings.append(HealthFinding(check: "cpu-governor", level: .info,
                                          summary: "no cpufreq governor: the frequency is set by the hypervisor or the firmware"))
        } else if notPerformance.isEmpty {
            findings.append(HealthFinding(check: "cpu-governor", level: .ok, summary: "every CPU runs the performance governor"))
        } else {
            findings.append(HealthFinding(
                check: "cpu-governor", level: .warning,
                summary: "CPU frequency governor \(notPerformance.sorted().joined(separator: ", ")): the clock speed follows the load, so the first runs and short commands run slower",
                fix: "sudo cpupower frequency-set --governor performance"))
        }
        if state.intelNoTurbo == false {
            findings.append(HealthFinding(check: "turbo", level: .warning,
                                          summary: "Turbo Boost is on: the clock rises and falls with temperature and the other cores' load",
                                          fix: "echo 1 | sudo tee /sys/devices/system/cpu/intel_pstate/no_turbo"))
        } else if state.boost == true {
            findings.append(HealthFinding(check: "turbo", level: .warning,
                                          summary: "CPU boost is on: the clock rises and falls with temperature and the other cores' load",
                                          fix: "echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost"))
        } else if state.intelNoTurbo == true || state.boost == false {
            findings.append(HealthFinding(check: "turbo", level: .ok, summary: "turbo/boost is off"))
        } else {
            findings.append(HealthFinding(check: "turbo", level: .info, summary: "turbo/boost cannot be read here (no intel_pstate or cpufreq boost)"))
        }
        switch state.smtActive {
        case true?:
            findings.append(HealthFinding(
                check: "smt", level: .warning,
                summary: "SMT (hyper-threading) is active: a benchmark shares its core's execution units with whatever runs on the sibling",
                fix: "echo off | sudo tee /sys/devices/system/cpu/smt/control (or keep the sibling idle and pin with taskset)"))
        case false?:
            findings.append(HealthFinding(check: "smt", level: .ok, summary: "SMT is off"))
        case nil:
            findings.append(HealthFinding(check: "smt", level: .info, summary: "SMT state not reported by this kernel"))
        }
        if let steal = state.steal {
            let text = Formatting.fixed(steal * 100, digits: 1)
            findings.append(steal >= 0.01
                ? HealthFinding(check: "steal", level: .warning,
                                summary: "\(text) % of CPU time went to other virtual machines (steal) in the last second: times include waiting for the host",
                                fix: "use a dedicated or bare-metal runner; compare interleaved in one job (metron exec --reference) so steal hits both sides alike")
                : HealthFinding(check: "steal", level: .ok, summary: "steal time \(text) %"))
        }
        if let load = state.loadAverage {
            let perCore = load / Double(max(state.logicalCores, 1))
            let text = "load average \(Formatting.fixed(load, digits: 2)) on \(state.logicalCores) logical cores"
            findings.append(perCore >= 0.25
                ? HealthFinding(check: "load", level: .warning, summary: text + ": other work competes with the benchmarks",
                                fix: "stop other jobs (builds, tests, browsers) while measuring; `top -o %CPU` shows them")
                : HealthFinding(check: "load", level: .ok, summary: text))
        }
        if let aslr = state.aslr {
            findings.append(aslr == 0
                ? HealthFinding(check: "aslr", level: .ok, summary: "ASLR is off")
                : HealthFinding(check: "aslr", level: .info,
                                summary: "ASLR is on (randomize_va_space = \(aslr)): memory layout differs from run to run; Metron's many runs average it out",
                                fix: "for a fixed layout run the command under `setarch -R`"))
        }
        if let isolated = state.isolatedCPUs {
            let trimmed = String(isolated.filter { !$0.isWhitespace })
            findings.append(trimmed.isEmpty
                ? HealthFinding(check: "isolated-cpus", level: .info,
                                summary: "no isolated CPUs: the scheduler may put other work on the benchmark's CPU",
                                fix: "boot with isolcpus=N nohz_full=N and run benchmarks under taskset -c N")
                : HealthFinding(check: "isolated-cpus", level: .ok, summary: "isolated CPUs: \(trimmed) (run benchmarks there with taskset -c)"))
        }
        switch state.hardwareCounters {
        case .unavailable(let reason):
            findings.append(HealthFinding(
                check: "perf-counters", level: .info,
                summary: "hardware counters unavailable: \(reason); commands are measured without instructions and cycles",
                fix: "--valgrind counts instructions anywhere, deterministically; the hardware's counters need bare metal or a VM with a virtual PMU"))
        case .counts:
            findings.append(HealthFinding(check: "perf-counters", level: .ok,
                                          summary: "hardware counters work: every run counts its instructions and cycles"))
        case nil:
            if let paranoid = state.perfEventParanoid {
                findings.append(paranoid > 2
                    ? HealthFinding(check: "perf-counters", level: .info,
                                    summary: "perf_event_paranoid = \(paranoid): hardware counters are closed to unprivileged users",
                                    fix: "sudo sysctl kernel.perf_event_paranoid=2")
                    : HealthFinding(check: "perf-counters", level: .ok, summary: "perf_event_paranoid = \(paranoid)"))
            }
        }
        if let jitter = timerJitter(state.timerOvershoots) {
            let text = "a 1 ms sleep wakes \(Formatting.duration(jitter.median)) late (median), \(Formatting.duration(jitter.p99)) at the 99th percentile"
            findings.append(jitter.p99 > 0.0005
                ? HealthFinding(check: "timer", level: .warning,
                                summary: text + ": the scheduler is slow to run a woken task, which short benchmarks feel",
                                fix: "reduce other load; on a VM ask for dedicated vCPUs")
                : HealthFinding(check: "timer", level: .ok, summary: text))
        }
        return findings
    }

    /// Median and 99th percentile of the overshoots; nil without any.
    public static func timerJitter(_ overshoots: [Double]) -> (median: Double, p99: Double)? {
        guard !overshoots.isEmpty else { return nil }
        let sorted = overshoots.sorted()
        return (percentile(sorted: sorted, 50), percentile(sorted: sorted, 99))
    }
}
