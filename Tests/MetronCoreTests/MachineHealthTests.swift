import Testing
@testable import MetronCore

/// `metron doctor`'s judgement of machine facts, each check alone.
struct MachineHealthTests {
    func finding(_ check: String, _ state: MachineState) -> HealthFinding? {
        MachineHealth.findings(state).first { $0.check == check }
    }

    @Test func frequencyScalingAndTurbo() {
        let ondemand = finding("cpu-governor", MachineState(logicalCores: 2, governors: ["performance", "powersave"]))
        #expect(ondemand?.level == .warning)
        #expect(ondemand?.summary.contains("powersave") == true)
        #expect(ondemand?.fix == "sudo cpupower frequency-set --governor performance")
        #expect(finding("cpu-governor", MachineState(logicalCores: 2, governors: ["performance", "performance"]))?.level == .ok)
        #expect(finding("cpu-governor", MachineState(logicalCores: 2))?.level == .info, "a VM without cpufreq")
        #expect(finding("turbo", MachineState(logicalCores: 2, intelNoTurbo: false))?.fix?.contains("no_turbo") == true)
        #expect(finding("turbo", MachineState(logicalCores: 2, boost: true))?.level == .warning)
        #expect(finding("turbo", MachineState(logicalCores: 2, intelNoTurbo: true))?.level == .ok)
    }

    @Test func sharedCoresStealAndLoad() {
        #expect(finding("smt", MachineState(logicalCores: 4, smtActive: true))?.level == .warning)
        #expect(finding("smt", MachineState(logicalCores: 4, smtActive: false))?.level == .ok)
        let stolen = finding("steal", MachineState(logicalCores: 2, steal: 0.05))
        #expect(stolen?.level == .warning)
        #expect(stolen?.summary.hasPrefix("5.0 %") == true)
        #expect(finding("steal", MachineState(logicalCores: 2, steal: 0.001))?.level == .ok)
        #expect(finding("load", MachineState(logicalCores: 2, loadAverage: 1.0))?.level == .warning, "half a core each")
        #expect(finding("load", MachineState(logicalCores: 8, loadAverage: 1.0))?.level == .ok)
        #expect(finding("steal", MachineState(logicalCores: 2)) == nil, "not sampled, not judged")
    }

    @Test func layoutIsolationCountersAndTimer() {
        #expect(finding("aslr", MachineState(logicalCores: 2, aslr: 2))?.fix?.contains("setarch -R") == true)
        #expect(finding("isolated-cpus", MachineState(logicalCores: 2, isolatedCPUs: ""))?.fix?.contains("isolcpus") == true)
        #expect(finding("isolated-cpus", MachineState(logicalCores: 2, isolatedCPUs: "1\n"))?.summary.contains("1") == true)
        #expect(finding("perf-counters", MachineState(logicalCores: 2, perfEventParanoid: 3))?.level == .info)
        // What opening the counters gave outranks what the sysctl suggests.
        let refused = finding("perf-counters", MachineState(logicalCores: 2, perfEventParanoid: 2,
                                                            hardwareCounters: .unavailable("perf_event_open(instructions): No such file")))
        #expect(refused?.level == .info && refused?.summary.contains("No such file") == true && refused?.fix?.contains("--valgrind") == true)
        #expect(finding("perf-counters", MachineState(logicalCores: 2, perfEventParanoid: 3, hardwareCounters: .counts))?.level == .ok)
        let quiet = Array(repeating: 0.00006, count: 100)
        #expect(finding("timer", MachineState(logicalCores: 2, timerOvershoots: quiet))?.level == .ok)
        let jittery = quiet + Array(repeating: 0.004, count: 3)
        #expect(finding("timer", MachineState(logicalCores: 2, timerOvershoots: jittery))?.level == .warning)
    }

    @Test func noiseFigureSaysWhenAMachineWasBusy() {
        #expect(NoiseFigure(loadPerCore: 0.05, steal: 0).isQuiet)
        #expect(!NoiseFigure(loadPerCore: 0.9, steal: 0).isQuiet)
        #expect(!NoiseFigure(loadPerCore: 0.05, steal: 0.03).isQuiet)
        #expect(NoiseFigure(loadPerCore: 0.9, steal: 0.001).summary == "load 0.90/core, steal 0.1 % (busy)")
    }
}
