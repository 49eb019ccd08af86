/// Rule-based optimisation advice from measured data (seed 002's shape: priority, estimated
/// improvement, effort, concrete steps). Every rule and threshold is documented in
/// docs/reports.md; the figures each estimate rests on are stated in its description.
public struct Recommendation: Codable, Sendable, Equatable {
    public enum Rule: String, Codable, Sendable, CaseIterable {
        case highVariance = "high_variance"
        case coldStart = "cold_start"
        case cpuBound = "cpu_bound"
        case kernelTime = "kernel_time"
        case ioBound = "io_bound"
        case waiting
        case memoryNearBudget = "memory_near_budget"
        case memoryGrowth = "memory_growth"
        case allocationHeavy = "allocation_heavy"
        case poorScaling = "poor_scaling"
        case superlinearScan = "superlinear_scan"
        /// A stored profile (`metron profile`) shows one frame taking much of the CPU.
        case hotPath = "hot_path"
    }

    public enum Effort: String, Codable, Sendable, Comparable, CaseIterable {
        case low, medium, high
        public static func < (lhs: Effort, rhs: Effort) -> Bool { allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)! }
    }

    public var rule: Rule
    /// The benchmark key ("sort [n=10]"), or a scan's title for scan rules.
    public var benchmark: String
    public var suite: String?
    public var title: String
    /// The evidence, with the measured figures.
    public var description: String
    /// 1 (nice to have) … 5 (act now).
    public var priority: Int
    /// Fraction (0…1) of `improvementOf` the change could save, as estimated by the rule.
    public var estimatedImprovement: Double
    /// What the improvement is a fraction of: "wall time", "p95 wall time", "peak memory"…
    public var improvementOf: String
    public var effort: Effort
    public var steps: [String]
    /// Every benchmark the same advice applies to, when one rule fired alike for several (the
    /// first is `benchmark`, whose figures the description gives); nil for one benchmark.
    public var benchmarks: [String]?
}

/// The thresholds of the rules (defaults documented in docs/reports.md).
public struct RecommendationThresholds: Sendable, Equatable {
    /// Coefficient of variation of wall time above which a benchmark is noisy.
    public var coefficientOfVariation = 0.10
    /// A first run this many times the median of the others (and beyond 5 robust σ) is cold.
    public var coldStartRatio = 1.5
    /// (user + system) / wall at or above which a benchmark is CPU-bound.
    public var cpuBoundUtilisation = 0.85
    /// (user + system) / wall below which a benchmark mostly waits.
    public var idleUtilisation = 0.5
    /// Storage traffic per run (read_bytes + write_bytes) or major page faults that make waiting I/O.
    public var ioBytesPerRun = 1_048_576.0
    public var majorFaultsPerRun = 10.0
    /// Benchmarks shorter than this are not classified (spawn costs dominate).
    public var minimumWallForClassification = 0.005
    /// system / (user + system) above which kernel time is worth a look.
    public var kernelShare = 0.30
    /// Peak memory at or above this fraction of its budget is "close".
    public var memoryBudgetFraction = 0.80
    /// Growth of peak memory (last vs first) with a Spearman rank correlation ≥ `growthCorrelation`.
    public var memoryGrowth = 0.10
    public var growthCorrelation = 0.80
    /// Cost assumed per allocation (malloc + free), seconds, and the share of wall time at which
    /// allocations are heavy.
    public var allocationCost = 50e-9
    public var allocationShare = 0.05
    /// Parallel efficiency at the largest worker count below which scaling is poor.
    public var scalingEfficiency = 0.60
    /// A profiled frame with at least this share of the samples (its own time) is a hot path.
    public var hotFrameShare = 0.20

    public init() {}
}

public enum Recommendations {
    /// Count metrics treated as allocations, most specific first (the in-process library's
    /// names and ordo-one/benchmark's); any other count metric whose id contains "alloc" also counts.
    public static let allocationCountMetrics: [MetricID] = [.allocations, "malloc_count_total", "malloc_count", "mallocs"]
    /// Byte metrics reported as evidence next to the allocation count.
    public static let allocatedBytesMetrics: [MetricID] = [.allocatedBytes, "allocated_bytes_total", "memory_allocated"]

    /// All recommendations for `results`, most urgent first.
    /// - Parameters:
    ///   - history: stored points by benchmark key (`BenchmarkResult.key`), oldest first, ending
    ///     with the run being analysed.
    ///   - budgets: budgets by benchmark name, as the suite file declares them.
    ///   - logicalCores: of the machine that measured (caps ideal speed-ups), when known.
    ///   - profiles: the newest stored profile by benchmark key, or name (`metron profile --benchmark`):
    ///     advice then names the hot frames instead of asking for a profile.
    /// The same advice for several benchmarks (same rule, title and steps) is one recommendation
    /// listing them (`Recommendation.benchmarks`).
    public static func analyze(_ results: [BenchmarkResult], history: [String: [HistoryPoint]] = [:],
                               budgets: [String: [Budget]] = [:], logicalCores: Int? = nil,
                               profiles: [String: ProfileSummary] = [:],
                               thresholds: RecommendationThresholds = RecommendationThresholds()) -> [Recommendation] {
        var found: [Recommendation] = []
        for result in results where result.status == .ok {
            let profile = profiles[result.key] ?? profiles[result.name]
            found += [variance(result, thresholds), coldStart(result, thresholds), allocations(result, thresholds),
                      memoryBudget(result, BudgetLookup.budgets(for: result, in: budgets), thresholds),
                      memoryGrowth(result, history[result.key] ?? [], thresholds),
                      profile.flatMap { hotPath(result, $0, thresholds) }].compactMap { $0 }
            found += utilisation(result, logicalCores: logicalCores, profile: profile, thresholds)
        }
        let scans = ParameterScan.scans(in: results, minimumPoints: 2)
        for scan in scans {
            if scan.isConcurrency {
                if let item = scaling(scan, results: results, logicalCores: logicalCores, thresholds) { found.append(item) }
            } else if let item = superlinear(scan, results: results) {
                found.append(item)
            }
        }
        let sorted = found.enumerated().sorted { a, b in
            if a.element.priority != b.element.priority { return a.element.priority > b.element.priority }
            if a.element.estimatedImprovement != b.element.estimatedImprovement {
                return a.element.estimatedImprovement > b.element.estimatedImprovement
            }
            return a.offset < b.offset
        }.map(\.element)
        return grouped(sorted)
    }

    /// One recommendation per distinct advice: items of the same rule, title and steps merge into
    /// the first (most urgent) of them, which lists every benchmark and keeps its own figures.
    static func grouped(_ items: [Recommendation]) -> [Recommendation] {
        var merged: [Recommendation] = []
        var index: [String: Int] = [:]
        for item in items {
            let key = ([item.rule.rawValue, item.title] + item.steps).joined(separator: "\u{1F}")
            guard let at = index[key] else {
                index[key] = merged.count
                merged.append(item)
                continue
            }
            var first = merged[at]
            first.benchmarks = (first.benchmarks ?? [first.benchmark]) + [item.benchmark]
            first.estimatedImprovement = max(first.estimatedImprovement, item.estimatedImprovement)
            merged[at] = first
        }
        return merged.map { item in
            guard let all = item.benchmarks else { return item }
            var item = item
            item.description = "\(all.count) benchmarks: \(all.joined(separator: ", ")). Figures of \(item.benchmark): " + item.description
            return item
        }
    }

    /// One named frame of a stored profile holding `hotFrameShare` of the samples or more. Frames
    /// perf could not name (`[gzip]`, `[unknown]`: a binary without symbols) are no advice.
    static func hotPath(_ result: BenchmarkResult, _ profile: ProfileSummary, _ t: RecommendationThresholds) -> Recommendation? {
        guard let top = profile.hottest.first(where: { !($0.name.hasPrefix("[") && $0.name.hasSuffix("]")) }),
              top.selfShare >= t.hotFrameShare, profile.samples >= 50 else { return nil }
        let name = Formatting.printable(top.name)
        let weight = profile.weight ?? .samples
        return Recommendation(
            rule: .hotPath, benchmark: result.key, suite: result.suite, title: "Hot path: \(name)",
            description: "Its profile (\(weight.describe(profile.samples)), \(profile.startedAt.prefix(10))) spends \(pct(top.selfShare)) of "
                + (weight == .samples ? "the CPU " : "its instructions ") + "in \(name) itself (\(pct(top.totalShare)) with what it calls). Hottest frames: \(profile.hotFrames()). "
                + "The estimate is halving that frame's own time.",
            priority: top.selfShare >= 0.5 ? 4 : 3, estimatedImprovement: top.selfShare / 2, improvementOf: "CPU time", effort: .medium,
            steps: ["Open the flame graph (\(profile.folder.map { "\($0)/flamegraph.svg" } ?? "flamegraph.svg")) and click \(name) to see who calls it",
                    "Look for work \(name) repeats per call: allocation, copying, hashing, lookups that could be hoisted or cached",
                    "Check its algorithm against the input sizes it meets (the parameter scan shows the growth)",
                    "After a change, profile again with --baseline pointing at this profile: the diff shows what moved",
                    "Re-run and compare against the baseline"])
    }

    // MARK: Rules

    /// High variance; "unstable code" when CPU time varies as much as wall time, a noisy
    /// machine when the work is steady but its elapsed time is not.
    static func variance(_ result: BenchmarkResult, _ t: RecommendationThresholds) -> Recommendation? {
        guard let wall = result.metric(.wallTime), wall.statistics.count >= 5,
              wall.statistics.coefficientOfVariation >= t.coefficientOfVariation else { return nil }
        let s = wall.statistics
        var cpuCV: Double?
        if let user = result.metric(.userTime), let system = result.metric(.systemTime),
           user.samples.count == system.samples.count, user.samples.count >= 5 {
            cpuCV = Statistics(samples: zip(user.samples, system.samples).map { $0 + $1 }, bootstrap: nil).coefficientOfVariation
        }
        let machine = cpuCV.map { $0 < s.coefficientOfVariation / 2 } ?? false
        let cv = s.coefficientOfVariation
        var description = "Wall time varies by \(pct(cv)) (coefficient of variation) over \(s.count) runs: "
            + "mean \(Formatting.duration(s.mean)) ± \(Formatting.duration(s.stddev)), p95 \(Formatting.duration(s.percentiles.p95)) "
            + "vs median \(Formatting.duration(s.median))."
        if let cpuCV {
            description += machine
                ? " CPU time varies only \(pct(cpuCV)): the work is steady, the machine is not."
                : " CPU time varies \(pct(cpuCV)) too: the work itself changes from run to run."
        }
        let steps = machine
            ? ["Run on a quiet machine: stop background jobs, pin the CPU governor to performance",
               "Pin the benchmark to isolated cores (taskset, cset) and disable turbo boost for stable clocks",
               "Check involuntary context switches in the statistics table: preemption shows there",
               "Raise the run count (runs / min_runs) so the confidence interval narrows",
               "Re-run and compare the coefficient of variation"]
            : ["Look for data-dependent paths, lazy initialisation, caches or GC pauses in the benchmark body",
               "Reset state between runs with prepare: (drop caches, fresh fixtures) so every run does the same work",
               "Add warm-up runs if early runs differ from later ones",
               "Raise the run count so the confidence interval narrows",
               "Re-run and compare the coefficient of variation"]
        return Recommendation(
            rule: .highVariance, benchmark: result.key, suite: result.suite,
            title: machine ? "Stabilise a noisy machine" : "Unstable code path",
            description: description, priority: cv >= 0.30 ? 4 : cv >= 0.20 ? 3 : 2,
            estimatedImprovement: s.percentiles.p95 > 0 ? max(0, 1 - s.median / s.percentiles.p95) : 0,
            improvementOf: "p95 wall time", effort: machine ? .low : .medium, steps: steps)
    }

    /// A first run far slower than the rest: cold caches, lazy loading, JIT-like warm-up.
    static func coldStart(_ result: BenchmarkResult, _ t: RecommendationThresholds) -> Recommendation? {
        guard let wall = result.metric(.wallTime), wall.samples.count >= 5 else { return nil }
        let first = wall.samples[0]
        let rest = wall.samples.dropFirst().sorted()
        let median = percentile(sorted: rest, 50)
        let mad = percentile(sorted: rest.map { abs($0 - median) }.sorted(), 50)
        guard median > 0, first >= t.coldStartRatio * median, first > median + 5 * 1.4826 * mad else { return nil }
        let warmed = result.warmupRuns > 0
        let description = "The first measured run took \(Formatting.duration(first)), \(Formatting.fixed(first / median, digits: 1))× "
            + "the median of the other \(rest.count) (\(Formatting.duration(median)))"
            + (warmed ? ", even after \(result.warmupRuns) warm-up run\(result.warmupRuns == 1 ? "" : "s")." : "; no warm-up runs were made.")
        let steps = warmed
            ? ["Find what the first call builds: file reads, lazy singletons, connection set-up, page-ins",
               "Cache or precompute it (load once, keep a warm pool, memoise)",
               "Prefetch at start-up if users meet the cold path",
               "Measure the cold path on its own with prepare: dropping caches, if it matters to users"]
            : ["Add warm-up runs (warmup: 3 in metron.yml, or --warmup 3) so steady-state figures are not skewed",
               "If users meet the cold start, cache or precompute what the first run builds",
               "Measure the cold path on its own with prepare: dropping caches, if it matters to users"]
        return Recommendation(
            rule: .coldStart, benchmark: result.key, suite: result.suite,
            title: warmed ? "Cache what the first run builds" : "Warm up before measuring (cold caches)",
            description: description, priority: first >= 3 * median ? 4 : 3,
            estimatedImprovement: max(0, 1 - median / first), improvementOf: "first-run wall time",
            effort: warmed ? .medium : .low, steps: steps)
    }

    /// CPU-bound vs I/O-bound vs waiting, from (user + system) / wall.
    static func utilisation(_ result: BenchmarkResult, logicalCores: Int?, profile: ProfileSummary? = nil,
                            _ t: RecommendationThresholds) -> [Recommendation] {
        guard let wall = result.wallTime, wall.mean >= t.minimumWallForClassification,
              let user = result.metric(.userTime)?.statistics.mean,
              let system = result.metric(.systemTime)?.statistics.mean else { return [] }
        let cpu = user + system
        let utilisation = cpu / wall.mean
        var found: [Recommendation] = []
        let figures = "user \(Formatting.duration(user)) + system \(Formatting.duration(system)) over "
            + "\(Formatting.duration(wall.mean)) of wall time (\(pct(utilisation)) of one core)"
        if utilisation >= t.cpuBoundUtilisation {
            if let cores = logicalCores, cores >= 2, utilisation < 1.2 {
                // Amdahl's law with 90 % of the work parallel over the cores (at most 8).
                let c = Double(min(cores, 8))
                let gain = 1 - (0.1 + 0.9 / c)
                found.append(Recommendation(
                    rule: .cpuBound, benchmark: result.key, suite: result.suite, title: "CPU-bound on one core",
                    description: "CPU-bound and single-threaded: \(figures); the machine has \(cores) cores. "
                        + "The estimate assumes 90 % of the work parallelises over \(Int(c)) cores (Amdahl).",
                    priority: 3, estimatedImprovement: gain, improvementOf: "wall time", effort: .high,
                    steps: [profile.map { "Start with the hottest frames of its profile: \($0.hotFrames(minimum: 0.02))" }
                                ?? "Profile the hot path: metron profile --benchmark NAME (a flame graph and the hottest frames)",
                            "Remove redundant work first: algorithmic fixes beat parallelism",
                            "Split independent work across cores (task groups, concurrentPerform, worker processes)",
                            "Add a threads parameter to the benchmark and check the scaling in this report",
                            "Re-run and compare against the baseline"]))
            }
            if cpu > 0, system / cpu >= t.kernelShare {
                found.append(Recommendation(
                    rule: .kernelTime, benchmark: result.key, suite: result.suite, title: "Cut system-call overhead",
                    description: "\(pct(system / cpu)) of the CPU time is spent in the kernel: \(figures).",
                    priority: 2, estimatedImprovement: system / cpu / 2, improvementOf: "CPU time", effort: .medium,
                    steps: ["Trace system calls (strace -c -f) to see which dominate",
                            "Batch small reads/writes with larger buffers; avoid per-item syscalls",
                            "Reuse processes, threads and file descriptors instead of creating them per item",
                            "Check page faults in the statistics table: mmap/first-touch costs show there"]))
            }
        } else if utilisation < t.idleUtilisation {
            let io = (result.metric(.readBytes)?.statistics.mean ?? 0) + (result.metric(.writeBytes)?.statistics.mean ?? 0)
            let faults = result.metric(.majorPageFaults)?.statistics.mean ?? 0
            let idle = 1 - utilisation
            let waitsOnIO = io >= t.ioBytesPerRun || faults >= t.majorFaultsPerRun
            if waitsOnIO {
                found.append(Recommendation(
                    rule: .ioBound, benchmark: result.key, suite: result.suite, title: "I/O-bound",
                    description: "Idle \(pct(idle)) of the wall time (\(figures)) while moving \(Formatting.bytes(io)) "
                        + "to/from storage per run (\(Formatting.count(faults.rounded())) major page faults).",
                    priority: idle >= 0.8 ? 4 : 3, estimatedImprovement: idle, improvementOf: "wall time", effort: .medium,
                    steps: ["Read and write in large sequential blocks; buffer small writes",
                            "Cache what is read repeatedly (in memory, or keep files hot)",
                            "Overlap I/O with computation (async I/O, prefetch the next block)",
                            "Avoid fsync per item; batch durable writes",
                            "Measure on the storage class production uses (tmpfs vs disk changes everything)"]))
            } else {
                let switches = result.metric(.voluntaryContextSwitches)?.statistics.mean
                found.append(Recommendation(
                    rule: .waiting, benchmark: result.key, suite: result.suite, title: "Mostly waiting",
                    description: "Idle \(pct(idle)) of the wall time (\(figures)) with little storage I/O: it waits on "
                        + "sleeps, locks, the network or other processes"
                        + (switches.map { " (\(Formatting.count($0.rounded())) voluntary context switches per run)" } ?? "") + ".",
                    priority: idle >= 0.8 ? 4 : 3, estimatedImprovement: idle, improvementOf: "wall time", effort: .medium,
                    steps: ["Find the waits: strace -f -T, perf trace, or off-CPU flame graphs",
                            "Replace fixed sleeps and polling with notifications",
                            "Run independent waits concurrently (network calls, child processes)",
                            "Check lock contention and timeouts/retries in the code path",
                            "Re-run and compare the CPU utilisation"]))
            }
        }
        return found
    }

    /// Peak memory at or beyond `memoryBudgetFraction` of its max_memory budget.
    static func memoryBudget(_ result: BenchmarkResult, _ budgets: [Budget], _ t: RecommendationThresholds) -> Recommendation? {
        guard let budget = budgets.first(where: { $0.statistic == .maxMemory }), budget.limit > 0,
              let peak = BudgetEvaluation.value(of: .maxMemory, in: result),
              peak >= t.memoryBudgetFraction * budget.limit else { return nil }
        let over = peak > budget.limit
        return Recommendation(
            rule: .memoryNearBudget, benchmark: result.key, suite: result.suite,
            title: over ? "Peak memory over its budget" : "Peak memory close to its budget",
            description: "Peak memory \(Formatting.bytes(peak)) is \(pct(peak / budget.limit)) of the "
                + "\(Formatting.bytes(budget.limit)) budget. The estimate is what gets it back to 70 % of the budget.",
            priority: over ? 5 : 4, estimatedImprovement: max(0, 1 - 0.7 * budget.limit / peak), improvementOf: "peak memory",
            effort: .medium,
            steps: ["Profile the heap (heaptrack, valgrind --tool=massif) to find the largest holders",
                    "Stream data instead of loading it whole; process in bounded chunks",
                    "Release caches and buffers once used; cap cache sizes",
                    "Use compact representations (value types, smaller integers, avoid per-item boxing)",
                    "If the growth is intended, raise the budget in metron.yml deliberately"])
    }

    /// Peak memory rising across stored runs (or across the iterations of one run).
    static func memoryGrowth(_ result: BenchmarkResult, _ history: [HistoryPoint], _ t: RecommendationThresholds) -> Recommendation? {
        func growing(_ values: [Double]) -> (growth: Double, rho: Double)? {
            guard values.count >= 4, let first = values.first, let last = values.last, first > 0 else { return nil }
            let growth = last / first - 1
            let rho = spearman(Array(values.indices).map(Double.init), values)
            return growth >= t.memoryGrowth && rho >= t.growthCorrelation ? (growth, rho) : nil
        }
        let memory = result.metric(.peakRSSTree) ?? result.metric(.peakRSS)
        let values = history.compactMap(\.peakMemory)
        if let (growth, rho) = growing(values) {
            return Recommendation(
                rule: .memoryGrowth, benchmark: result.key, suite: result.suite, title: "Peak memory grows from run to run",
                description: "Peak memory rose \(pct(growth)) over the last \(values.count) stored runs "
                    + "(\(Formatting.bytes(values.first!)) → \(Formatting.bytes(values.last!)), rank correlation \(Formatting.fixed(rho, digits: 2))).",
                priority: 4, estimatedImprovement: 1 - values.first! / values.last!, improvementOf: "peak memory", effort: .medium,
                steps: ["Diff the commits between the first and the latest of these runs for new caches or data",
                        "Check whether inputs grow between runs (files, databases left by earlier runs); reset them with prepare:",
                        "Profile the heap of the latest version (heaptrack, massif) against the oldest",
                        "Add a max_memory budget so the growth fails CI next time"])
        }
        if let memory, let (growth, rho) = growing(memory.samples) {
            return Recommendation(
                rule: .memoryGrowth, benchmark: result.key, suite: result.suite, title: "Memory grows across iterations",
                description: "Peak memory rose \(pct(growth)) over the \(memory.samples.count) runs of this benchmark "
                    + "(\(Formatting.bytes(memory.samples.first!)) → \(Formatting.bytes(memory.samples.last!)), rank correlation "
                    + "\(Formatting.fixed(rho, digits: 2))): state accumulates between iterations — a leak or an unbounded cache.",
                priority: 4, estimatedImprovement: 1 - memory.samples.first! / memory.samples.last!, improvementOf: "peak memory",
                effort: .medium,
                steps: ["Look for caches, registries or collections that only grow",
                        "Run a leak checker (valgrind --leak-check=full, heaptrack) over several iterations",
                        "Reset state between iterations (prepare:, a fresh fixture) if the growth is the harness's"])
        }
        return nil
    }

    /// Allocations that cost a noticeable share of the time, at `allocationCost` each.
    static func allocations(_ result: BenchmarkResult, _ t: RecommendationThresholds) -> Recommendation? {
        guard let wall = result.wallTime, wall.mean > 0 else { return nil }
        let count = allocationCountMetrics.lazy.compactMap { result.metric($0) }.first
            ?? result.metrics.first { $0.unit == .count && $0.id.rawValue.lowercased().contains("alloc") }
        guard let count else { return nil }
        let perIteration = count.statistics.mean
        let share = perIteration * t.allocationCost / wall.mean
        guard share >= t.allocationShare else { return nil }
        let bytes = allocatedBytesMetrics.lazy.compactMap { result.metric($0) }.first
        let rate = perIteration / wall.mean
        return Recommendation(
            rule: .allocationHeavy, benchmark: result.key, suite: result.suite, title: "Allocation-heavy body",
            description: "\(Formatting.count(perIteration.rounded())) allocations (\(count.id)) per \(Formatting.duration(wall.mean)) "
                + "iteration, \(Formatting.count(rate.rounded())) per second"
                + (bytes.map { ", \(Formatting.bytes($0.statistics.mean)) allocated" } ?? "")
                + ". At ~\(Formatting.duration(t.allocationCost)) per malloc/free pair that is about \(pct(min(share, 1))) of the time.",
            priority: share >= 0.25 ? 4 : 3, estimatedImprovement: min(share, 0.95), improvementOf: "wall time", effort: .medium,
            steps: ["Reserve capacity up front (reserveCapacity) instead of growing arrays and strings",
                    "Reuse buffers across iterations; avoid temporary arrays in hot loops",
                    "Prefer value types and contiguous storage over many small class instances",
                    "Avoid bridging and String/Substring copies on the hot path",
                    "Re-run: the allocation count in this report should drop"])
    }

    /// Speed-up across a workers/threads parameter well below the ideal.
    static func scaling(_ scan: ParameterScan, results: [BenchmarkResult], logicalCores: Int?,
                        _ t: RecommendationThresholds) -> Recommendation? {
        guard let first = scan.points.first, let last = scan.points.last, first.value > 0,
              last.value >= 2 * first.value, last.mean > 0 else { return nil }
        let cap = logicalCores.map(Double.init) ?? .infinity
        let idealSpeedup = min(last.value, cap) / min(first.value, cap)
        guard idealSpeedup > 1 else { return nil }
        let speedup = first.mean / last.mean
        let efficiency = speedup / idealSpeedup
        guard efficiency < t.scalingEfficiency else { return nil }
        let suite = results.first { $0.name == scan.benchmark }?.suite
        let p = scan.parameter
        return Recommendation(
            rule: .poorScaling, benchmark: scan.title, suite: suite, title: speedup < 1 ? "Slower with more \(p)" : "Poor scaling across \(p)",
            description: "From \(p)=\(Formatting.count(first.value)) to \(Formatting.count(last.value)) the time went "
                + "\(Formatting.duration(first.mean)) → \(Formatting.duration(last.mean)): a speed-up of \(Formatting.fixed(speedup, digits: 2))× "
                + "where \(Formatting.fixed(idealSpeedup, digits: 1))× is ideal\(logicalCores.map { " on \($0) cores" } ?? "") "
                + "(parallel efficiency \(pct(efficiency))).",
            priority: speedup < 1 ? 4 : 3, estimatedImprovement: max(0, 1 - efficiency), improvementOf: "wall time at \(p)=\(Formatting.count(last.value))",
            effort: .high,
            steps: ["Look for a shared lock, queue or atomic counter all workers contend on (perf lock, off-CPU profiles)",
                    "Partition the data so workers do not share cache lines (false sharing) or state",
                    "Check the serial part: set-up and merging limit the speed-up (Amdahl)",
                    "Match the worker count to the cores; more workers than cores only adds switching",
                    "Re-run the scan and compare the curve in this report"])
    }

    /// A size scan that grows faster than linearly.
    static func superlinear(_ scan: ParameterScan, results: [BenchmarkResult]) -> Recommendation? {
        // Four sizes at least: three points fit a cubic as well as anything and prove nothing.
        guard let fit = scan.fit, fit.complexity.isSuperlinear, scan.points.count >= 4, let first = scan.points.first,
              let last = scan.points.last, first.value > 0, last.mean > 0 else { return nil }
        // What the largest size would cost if the cost kept growing as it does between the two
        // smallest sizes (a fixed part plus a linear one); the rule speaks only when the measured
        // cost is at least 10 % above that.
        let second = scan.points[1]
        let slope = max(0, (second.mean - first.mean) / (second.value - first.value))
        let linear = first.mean + slope * (last.value - first.value)
        guard 1 - linear / last.mean >= 0.10 else { return nil }
        let suite = results.first { $0.name == scan.benchmark }?.suite
        let sortLike = fit.complexity == .linearithmic
        return Recommendation(
            rule: .superlinearScan, benchmark: scan.title, suite: suite,
            title: "Grows \(fit.complexity.rawValue) with \(scan.parameter)",
            description: "Across \(scan.parameter) = \(Formatting.count(first.value))…\(Formatting.count(last.value)) the mean time fits "
                + "\(fit.complexity.rawValue) (\(fit.summary()), R² \(Formatting.fixed(fit.rSquared, digits: 3))): "
                + "\(Formatting.duration(first.mean)) → \(Formatting.duration(last.mean)). At linear cost the largest size would take "
                + "about \(Formatting.duration(linear))."
                + (sortLike ? " O(n log n) is optimal for comparison sorting; act only if the work need not sort." : ""),
            priority: sortLike ? 2 : fit.complexity == .cubic ? 5 : 4,
            estimatedImprovement: max(0, 1 - linear / last.mean), improvementOf: "wall time at \(scan.parameter)=\(Formatting.count(last.value))",
            effort: .high,
            steps: ["Find the nested loop or repeated search (profile at the largest size)",
                    "Replace linear lookups inside loops with a dictionary or set",
                    "Sort or index once instead of per item; avoid quadratic string or array concatenation",
                    "Add larger sizes to the scan to confirm the fitted class",
                    "Re-run the scan: the fitted complexity in this report should drop"])
    }

    // MARK: Helpers

    static func pct(_ fraction: Double) -> String { Formatting.fixed(fraction * 100, digits: 1) + " %" }

    /// Spearman's rank correlation (average ranks for ties).
    static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        func ranks(_ values: [Double]) -> [Double] {
            let order = values.indices.sorted { values[$0] < values[$1] }
            var result = [Double](repeating: 0, count: values.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
                for k in i...j { result[order[k]] = Double(i + j) / 2 + 1 }
                i = j + 1
            }
            return result
        }
        let rx = ranks(x), ry = ranks(y)
        let n = Double(x.count)
        let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in rx.indices {
            sxy += (rx[i] - mx) * (ry[i] - my)
            sxx += (rx[i] - mx) * (rx[i] - mx)
            syy += (ry[i] - my) * (ry[i] - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}
