import MetronCore

/// What one measured sample cost, in totals over its `operations` iterations.
struct SampleRecord {
    var operations: Int
    var wall: Double
    var cpu: Double
    var voluntarySwitches: Int
    var involuntarySwitches: Int
    var allocations: Int?
    var allocatedBytes: Int?
    var instructions: Int64?
    var cycles: Int64?
    /// The process's peak RSS after the sample, and its RSS then.
    var peakRSS: Int
    var rss: Int?
    var counters: [Int]
}

/// Everything `measure` learned, turned into metrics by `ResultBuilder`.
struct Recording {
    var samples: [SampleRecord]
    var warmupIterations: Int
    var iterationsPerSample: Int
    var rssBefore: Int?
    var warnings: [MeasurementWarning]
    /// Concurrent measurements: the worker count, and per sample the scaling efficiency in percent.
    var workers: Int?
    var efficiencies: [Double]?
}

/// Reads every probe around a sample. The wall clock is read innermost (by the driver); the
/// slower probes sit outside it so they do not inflate the timed region.
struct Recorder {
    let state: BenchmarkState
    let hardware = HardwareCounters()
    let countAllocations: Bool
    var samples: [SampleRecord] = []
    /// Taken at the first sample, after warm-up and worker threads have settled in.
    private var rssBefore: Int?
    private var usage = UsageSnapshot(voluntarySwitches: 0, involuntarySwitches: 0, peakRSS: 0)
    private var cpuStart = 0.0

    init(state: BenchmarkState) {
        self.state = state
        countAllocations = state.configuration.countAllocations && AllocationCounter.available
    }

    mutating func begin() {
        if samples.isEmpty && rssBefore == nil { rssBefore = currentRSS() }
        for counter in state.counters { counter.reset() }
        usage = UsageSnapshot.now()
        cpuStart = processCPUSeconds()
        hardware.start()
        if countAllocations { AllocationCounter.start() }
    }

    mutating func end(wall: Double, operations: Int) {
        let allocations = countAllocations ? AllocationCounter.stop() : nil
        let hardwareCounts = hardware.stop()
        let cpu = processCPUSeconds() - cpuStart
        let after = UsageSnapshot.now()
        samples.append(SampleRecord(
            operations: operations, wall: wall, cpu: cpu,
            voluntarySwitches: after.voluntarySwitches - usage.voluntarySwitches,
            involuntarySwitches: after.involuntarySwitches - usage.involuntarySwitches,
            allocations: allocations?.count, allocatedBytes: allocations?.bytes,
            instructions: hardwareCounts?.0, cycles: hardwareCounts?.1,
            peakRSS: after.peakRSS, rss: currentRSS(), counters: state.counters.map(\.value)))
    }

    func finish(plan: SamplingPlan, workers: Int? = nil, efficiencies: [Double]? = nil) -> Recording {
        var warnings: [MeasurementWarning] = []
        if let reason = hardware.unavailableReason { warnings.append(MeasurementWarning(.hardwareCountersUnavailable, reason)) }
        if state.configuration.countAllocations && !AllocationCounter.available {
            warnings.append(MeasurementWarning(.allocationsUnavailable, "allocation counts unavailable: the malloc interposer is not preloaded "
                            + "(run benchmarks through their executable's runner, which sets LD_PRELOAD)"))
        }
        if plan.configuration.iterations != nil, let first = samples.first,
           first.wall < 1000 * state.clockCost {
            warnings.append(MeasurementWarning(.shortSamples, "samples last about \(Formatting.duration(first.wall)), under 1000 clock reads "
                            + "(\(Formatting.duration(state.clockCost)) each); raise METRON_ITERATIONS or remove it"))
        }
        let perIteration = samples.map { $0.wall / Double($0.operations) }.sorted()
        if let median = perIteration.dropFirst(perIteration.count / 2).first, median < 1e-10 {
            warnings.append(MeasurementWarning(.optimisedAway, "an iteration takes \(Formatting.duration(median)), less than a clock cycle: the optimiser "
                            + "probably removed the work; pass its result to blackHole()"))
        }
        if samples.count == 1 {
            warnings.append(MeasurementWarning(.singleSample, "only one sample fitted in the maximum duration; statistics need more (raise METRON_MAX_DURATION)"))
        }
        return Recording(samples: samples, warmupIterations: plan.warmupIterations,
                         iterationsPerSample: plan.iterations, rssBefore: rssBefore, warnings: warnings,
                         workers: workers, efficiencies: efficiencies)
    }
}
