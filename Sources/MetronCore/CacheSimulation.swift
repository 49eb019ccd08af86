/// What one run under Valgrind's cache simulation counted (cachegrind, or callgrind with
/// `--cache-sim=yes`), summed over every process of the tree: instruction reads, data reads
/// and writes, and their misses in the first-level (I1, D1) and last-level (LL) caches. These
/// counts are the same every time the same program does the same work, which wall time never is.
public struct CacheSimulation: Codable, Sendable, Equatable {
    /// Instructions executed (Ir).
    public var instructions: Int64
    /// Data reads (Dr) and writes (Dw).
    public var dataReads: Int64
    public var dataWrites: Int64
    /// First-level misses: instruction fetches (I1mr), data reads (D1mr), data writes (D1mw).
    public var l1InstructionMisses: Int64
    public var l1ReadMisses: Int64
    public var l1WriteMisses: Int64
    /// Last-level misses: ILmr, DLmr, DLmw.
    public var llInstructionMisses: Int64
    public var llReadMisses: Int64
    public var llWriteMisses: Int64
    /// How many processes' counts are summed (a shell and what it starts are two or more).
    public var processes: Int
    /// For an in-process benchmark, the iterations of the body these counts cover (the metrics
    /// are per iteration); nil for a command's whole run.
    public var iterations: Int?

    public init(instructions: Int64, dataReads: Int64 = 0, dataWrites: Int64 = 0,
                l1InstructionMisses: Int64 = 0, l1ReadMisses: Int64 = 0, l1WriteMisses: Int64 = 0,
                llInstructionMisses: Int64 = 0, llReadMisses: Int64 = 0, llWriteMisses: Int64 = 0, processes: Int = 1,
                iterations: Int? = nil) {
        self.instructions = instructions
        self.dataReads = dataReads
        self.dataWrites = dataWrites
        self.l1InstructionMisses = l1InstructionMisses
        self.l1ReadMisses = l1ReadMisses
        self.l1WriteMisses = l1WriteMisses
        self.llInstructionMisses = llInstructionMisses
        self.llReadMisses = llReadMisses
        self.llWriteMisses = llWriteMisses
        self.processes = processes
        self.iterations = iterations
    }

    public static let zero = CacheSimulation(instructions: 0, processes: 0)

    public var l1Misses: Int64 { l1InstructionMisses + l1ReadMisses + l1WriteMisses }
    public var llMisses: Int64 { llInstructionMisses + llReadMisses + llWriteMisses }

    /// Cycles estimated from the simulated cache behaviour, the formula iai-callgrind (and
    /// CodSpeed after it) use: every access that hits L1 costs 1 cycle, one that misses L1 but
    /// hits LL costs 5, one that goes to memory 35.
    ///   L1 hits  = Ir + Dr + Dw − (I1mr + D1mr + D1mw)
    ///   LL hits  = (I1mr + D1mr + D1mw) − (ILmr + DLmr + DLmw)
    ///   RAM hits = ILmr + DLmr + DLmw
    ///   estimated cycles = L1 hits + 5 × LL hits + 35 × RAM hits
    /// It ignores branch mispredictions, pipelining and out-of-order execution: a figure to compare
    /// a program with itself, not a prediction of a real CPU's cycles.
    public var estimatedCycles: Int64 {
        let l1Hits = instructions + dataReads + dataWrites - l1Misses
        let llHits = l1Misses - llMisses
        return l1Hits + 5 * llHits + 35 * llMisses
    }

    public static func + (a: CacheSimulation, b: CacheSimulation) -> CacheSimulation {
        CacheSimulation(instructions: a.instructions + b.instructions, dataReads: a.dataReads + b.dataReads,
                        dataWrites: a.dataWrites + b.dataWrites,
                        l1InstructionMisses: a.l1InstructionMisses + b.l1InstructionMisses,
                        l1ReadMisses: a.l1ReadMisses + b.l1ReadMisses, l1WriteMisses: a.l1WriteMisses + b.l1WriteMisses,
                        llInstructionMisses: a.llInstructionMisses + b.llInstructionMisses,
                        llReadMisses: a.llReadMisses + b.llReadMisses, llWriteMisses: a.llWriteMisses + b.llWriteMisses,
                        processes: a.processes + b.processes)
    }

    /// `a` − `b`, event by event: the counts of one region less those of a calibration region.
    public static func - (a: CacheSimulation, b: CacheSimulation) -> CacheSimulation {
        CacheSimulation(instructions: a.instructions - b.instructions, dataReads: a.dataReads - b.dataReads,
                        dataWrites: a.dataWrites - b.dataWrites,
                        l1InstructionMisses: a.l1InstructionMisses - b.l1InstructionMisses,
                        l1ReadMisses: a.l1ReadMisses - b.l1ReadMisses, l1WriteMisses: a.l1WriteMisses - b.l1WriteMisses,
                        llInstructionMisses: a.llInstructionMisses - b.llInstructionMisses,
                        llReadMisses: a.llReadMisses - b.llReadMisses, llWriteMisses: a.llWriteMisses - b.llWriteMisses,
                        processes: a.processes, iterations: a.iterations)
    }
}

extension CacheSimulation {
    /// Why a Valgrind output file cannot be read.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// The totals of one cachegrind or callgrind output file (format version 1: an `events:` line
    /// naming the columns and a `summary:` or `totals:` line with their sums). Events the file
    /// lacks (cachegrind without `--cache-sim=yes` counts only Ir) are 0; a file without Ir is
    /// refused.
    public static func parse(_ text: String) throws -> CacheSimulation {
        var events: [Substring]?
        var totals: [Int64]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("events:") {
                events = line.dropFirst("events:".count).split(separator: " ")
            } else if line.hasPrefix("summary:") || (line.hasPrefix("totals:") && totals == nil) {
                let label = line.hasPrefix("summary:") ? "summary:" : "totals:"
                let fields = line.dropFirst(label.count).split(separator: " ")
                var values: [Int64] = []
                for field in fields {
                    guard let value = Int64(field) else { throw ParseError(description: "a non-numeric \(label) field '\(field)'") }
                    values.append(value)
                }
                totals = values
            }
        }
        guard let events else { throw ParseError(description: "no events: line (not a cachegrind or callgrind output file)") }
        guard let totals else { throw ParseError(description: "no summary: or totals: line (the run ended before Valgrind wrote it?)") }
        var byName: [Substring: Int64] = [:]
        for (index, name) in events.enumerated() { byName[name] = index < totals.count ? totals[index] : 0 }
        guard let instructions = byName["Ir"] else { throw ParseError(description: "the events do not include Ir (instructions)") }
        return CacheSimulation(instructions: instructions, dataReads: byName["Dr"] ?? 0, dataWrites: byName["Dw"] ?? 0,
                               l1InstructionMisses: byName["I1mr"] ?? 0, l1ReadMisses: byName["D1mr"] ?? 0,
                               l1WriteMisses: byName["D1mw"] ?? 0, llInstructionMisses: byName["ILmr"] ?? 0,
                               llReadMisses: byName["DLmr"] ?? 0, llWriteMisses: byName["DLmw"] ?? 0)
    }
}

extension MetricID {
    /// Counted on Valgrind's simulated CPU (`CacheSimulation`); `instructions` is also the hardware
    /// count where perf_event_open works (then the metric is not `deterministic`).
    public static let l1Misses: MetricID = "l1_misses"
    public static let llMisses: MetricID = "ll_misses"
    public static let estimatedCycles: MetricID = "estimated_cycles"
    /// The hardware's count (perf_event_open) of a result that also has Valgrind's, which then
    /// takes the `instructions` id.
    public static let hardwareInstructions: MetricID = "hardware_instructions"

    /// The simulated metrics `metron compare` and `check` judge without being asked: the work done
    /// and its estimated cost. Cache misses are small numbers that move with layout; they are
    /// stored and shown, and compared on request (`--metric l1_misses`).
    public static let judgedDeterministic: [MetricID] = [.instructions, .estimatedCycles]
}

extension CacheSimulation {
    /// `metrics` with the simulated metrics of `runs` added; a measured (hardware) `instructions`
    /// metric already there moves to `hardware_instructions`, so each id stays unique.
    public static func adding(_ runs: [CacheSimulation], to metrics: [Metric]) -> [Metric] {
        let simulated = self.metrics(runs)
        guard !simulated.isEmpty else { return metrics }
        return metrics.map { metric in
            guard metric.id == .instructions, !metric.isDeterministic else { return metric }
            var moved = metric
            moved.id = .hardwareInstructions
            return moved
        } + simulated
    }

    /// The simulated metrics of a result, per iteration for counts that cover several
    /// (`iterations`, in-process benchmarks). Each has one sample per simulated run and is
    /// `deterministic`.
    public static func metrics(_ runs: [CacheSimulation]) -> [Metric] {
        guard !runs.isEmpty else { return [] }
        func metric(_ id: MetricID, _ value: (CacheSimulation) -> Int64) -> Metric {
            let samples = runs.map { Double(value($0)) / Double(max($0.iterations ?? 1, 1)) }
            var metric = Metric(id: id, unit: .count, samples: samples, bootstrap: nil)
            metric.deterministic = true
            return metric
        }
        return [metric(.instructions) { $0.instructions }, metric(.estimatedCycles) { $0.estimatedCycles },
                metric(.l1Misses) { $0.l1Misses }, metric(.llMisses) { $0.llMisses }]
    }
}
