#if canImport(Glibc)
import Glibc
#endif
import MetronCore
@preconcurrency import Rainbow

/// The terminal text of an in-process run (the `Metron` library's executables), in the style of
/// `metron exec`, with the figures in-process benchmarks have and commands do not (allocations,
/// throughput, counters, overheads against baselines, complexity of parameter scans).
public enum InProcessReport {
    public static func block(_ result: BenchmarkResult, index: Int, total: Int) -> String {
        var lines = ["Benchmark \(index)/\(total): ".bold + result.key]
        if let wall = result.metric(.wallTime) {
            let stats = wall.statistics
            let (scale, unit) = Formatting.durationUnit(for: stats.mean)
            func t(_ seconds: Double) -> String { Formatting.fixed(seconds * scale, digits: 1) + " " + unit }
            let cpu = result.metric(.cpuTime).map { "    [CPU: " + Formatting.duration($0.statistics.mean).blue + "]" } ?? ""
            lines.append("  Time (mean ± σ):     " + pad(t(stats.mean)).green.bold + " ± " + pad(t(stats.stddev)).green + cpu)
            let iterations = result.warmupRuns > 0 ? ", \(Formatting.count(Double(result.warmupRuns))) warm-up iterations" : ""
            lines.append("  Range (min … max):   " + pad(t(stats.min)).cyan + " … " + pad(t(stats.max)).magenta
                         + "    \(stats.count) sample\(stats.count == 1 ? "" : "s")\(iterations)")
            let p = stats.percentiles
            var median = "  Median (p95, p99):   " + pad(t(stats.median)) + "   (\(t(p.p95)), \(t(p.p99)))"
            if let ci = stats.meanCI {
                median += "    \(Formatting.fixed(ci.level * 100, digits: 0))% CI of mean: [\(t(ci.lower)), \(t(ci.upper))]".dim
            }
            lines.append(median)
            var memory: [String] = []
            if let count = result.metric(.allocations), let bytes = result.metric(.allocatedBytes) {
                memory.append("Allocations: \(Formatting.count(count.statistics.median)) (\(Formatting.bytes(bytes.statistics.median))) per iteration")
            }
            if let peak = result.metric(.peakRSS) {
                var text = "Peak memory: " + Formatting.bytes(peak.statistics.max)
                if let growth = result.metric(.rssGrowth) { text += " (grew \(Formatting.bytes(growth.statistics.max)) while measuring)" }
                memory.append(text)
            }
            if !memory.isEmpty { lines.append("  " + memory.joined(separator: "    ")) }
            var system: [String] = []
            if let voluntary = result.metric(.voluntaryContextSwitches), let involuntary = result.metric(.involuntaryContextSwitches) {
                system.append("Context switches per iteration: \(perIteration(voluntary.statistics.mean)) voluntary, "
                              + "\(perIteration(involuntary.statistics.mean)) involuntary")
            }
            if let instructions = result.metric(.hardwareInstructions) ?? result.metric(.instructions), !instructions.isDeterministic,
               let cycles = result.metric(.cycles) {
                system.append("Instructions: \(Formatting.count(instructions.statistics.median)), cycles: \(Formatting.count(cycles.statistics.median))")
            }
            if !system.isEmpty { lines.append("  " + system.joined(separator: "    ")) }
            if let simulated = TerminalReport.simulationLine(result) { lines.append(simulated) }
            var throughput: [String] = []
            if let ops = result.metric(.operationsPerSecond) { throughput.append("\(Formatting.count(ops.statistics.mean)) ops/s") }
            if let items = result.metric(.itemsPerSecond) { throughput.append("\(Formatting.count(items.statistics.mean)) items/s") }
            if let efficiency = result.metric(.scalingEfficiency) {
                throughput.append("scaling efficiency \(Formatting.percent(efficiency.statistics.mean))")
            }
            if !throughput.isEmpty { lines.append("  Throughput: " + throughput.joined(separator: ", ")) }
            let custom = result.metrics.filter { !builtIn.contains($0.id) }
            if !custom.isEmpty {
                lines.append("  Counters: " + custom.map { metric in
                    metric.unit == .percent ? "\(metric.id) \(Formatting.percent(metric.statistics.mean))"
                        : "\(metric.id) \(perIteration(metric.statistics.mean))/iteration"
                }.joined(separator: ", "))
            }
        }
        if result.status != .ok, let message = result.message {
            lines.append("  " + ("Failed: " + message).red)
        }
        // The machine's lack of counters is said once, in the summary.
        for warning in result.warnings where warning.code != .hardwareCountersUnavailable {
            lines.append("  " + "Warning: ".yellow.bold + warning.message)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A parameter scan's complexity fitted to median wall times: a preempted sample can drag a
    /// mean far enough to flip a verdict on a busy machine, a median it cannot.
    public struct ScanFit: Sendable {
        public var title: String
        public var fit: ComplexityFit
    }

    public static func scanFits(_ results: [BenchmarkResult]) -> [ScanFit] {
        var order: [String] = []
        var points: [String: [(Double, Double)]] = [:]
        for result in results where result.status == .ok && result.parameters.count == 1 {
            let parameter = result.parameters[0]
            guard !ParameterScan.concurrencyParameters.contains(parameter.name.lowercased()),
                  let size = Double(parameter.value), let median = result.wallTime?.median else { continue }
            let title = "\(result.name) over \(parameter.name)"
            if points[title] == nil { order.append(title) }
            points[title, default: []].append((size, median))
        }
        return order.compactMap { title in
            let scan = points[title]!
            return ComplexityFit.fit(sizes: scan.map(\.0), costs: scan.map(\.1)).map { ScanFit(title: title, fit: $0) }
        }
    }

    /// Overheads against baselines, complexity of parameter scans, failures, and notes.
    public static func summary(_ results: [BenchmarkResult], scans: [ScanFit]) -> String? {
        var lines: [String] = []
        let overheads = results.compactMap { result in result.metric(.overhead).map { (result, $0) } }
        if !overheads.isEmpty {
            lines.append("Overhead against baselines".bold)
            for (result, metric) in overheads {
                let sign = metric.statistics.mean >= 0 ? "+" : ""
                lines.append("  \(result.key): \(sign)\(Formatting.percent(metric.statistics.mean)) (median \(sign)\(Formatting.percent(metric.statistics.median)))")
            }
        }
        if !scans.isEmpty {
            lines.append("Complexity".bold)
            for scan in scans {
                let fit = scan.fit
                // R² says how well a growing model explains the change; a flat verdict has none to explain.
                let quality = fit.complexity == .constant ? "" : " (R² \(Formatting.fixed(fit.rSquared, digits: 3)))".dim
                lines.append("  \(scan.title): " + fit.summary().cyan + quality)
            }
        }
        let failed = results.filter { $0.status != .ok }
        if !failed.isEmpty {
            lines.append("Failed".bold.red + ": \(failed.count) of \(results.count) — " + failed.map(\.key).joined(separator: ", "))
        }
        if let hardware = results.lazy.flatMap(\.warnings).first(where: { $0.code == .hardwareCountersUnavailable }) {
            lines.append("Note: ".yellow.bold + hardware.message)
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    public static func progress(_ text: String) {
        write("\r\u{1B}[2K  " + text.dim)
    }

    public static func clearProgress() {
        write("\r\u{1B}[2K")
    }

    private static let builtIn: Set<MetricID> = [
        .wallTime, .cpuTime, .allocations, .allocatedBytes, .peakRSS, .rssGrowth, .voluntaryContextSwitches,
        .involuntaryContextSwitches, .instructions, .cycles, .operationsPerSecond, .itemsPerSecond,
        .scalingEfficiency, .overhead, .hardwareInstructions, .l1Misses, .llMisses, .estimatedCycles,
    ]

    private static func pad(_ text: String, _ width: Int = 9) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    private static func perIteration(_ value: Double) -> String {
        if value == 0 || abs(value) >= 10 { return Formatting.count(value.rounded()) }
        if abs(value) < 0.0001 { return "<0.0001" }
        return Formatting.fixed(value, digits: abs(value) >= 0.01 ? 2 : 4)
    }

    private static func write(_ text: String) {
        _ = text.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
    }
}
