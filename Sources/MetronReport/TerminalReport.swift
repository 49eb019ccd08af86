import MetronCore
@preconcurrency import Rainbow

/// hyperfine-style text for command benchmarks, with Metron's extra figures (percentiles,
/// confidence interval, CPU, memory, I/O, context switches, page faults).
public enum TerminalReport {
    public static func header(index: Int, result name: String, command: String?) -> String {
        var line = "Benchmark \(index): ".bold + name
        if let command, command != name { line += " (\(command))".dim }
        return line
    }

    /// `timeUnit` fixes the unit of the time lines (`--time-unit`); by default it suits the mean.
    public static func body(_ result: BenchmarkResult, timeUnit: TimeUnit? = nil) -> String {
        var lines: [String] = []
        if let wall = result.metric(.wallTime) {
            let stats = wall.statistics
            let (scale, unit) = Formatting.durationUnit(for: stats.mean, forced: timeUnit)
            func t(_ seconds: Double) -> String { Formatting.fixed(seconds * scale, digits: 1) + " " + unit }
            func pad(_ text: String, _ width: Int) -> String {
                text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
            }
            let user = result.metric(.userTime)?.statistics.mean ?? 0
            let system = result.metric(.systemTime)?.statistics.mean ?? 0
            // User and system in one unit, so "0.0 µs" of system time does not read as "0.0 s".
            let (cpuScale, cpuUnit) = Formatting.durationUnit(for: max(user, system))
            func cpu(_ value: Double) -> String {
                let scaled = value * cpuScale
                return Formatting.fixed(scaled, digits: Formatting.decimals(scaled)) + " " + cpuUnit
            }
            lines.append("  Time (mean ± σ):     " + pad(t(stats.mean), 9).green.bold + " ± " + pad(t(stats.stddev), 9).green
                         + "    [User: \(cpu(user).blue), System: \(cpu(system).blue)]")
            lines.append("  Range (min … max):   " + pad(t(stats.min), 9).cyan + " … " + pad(t(stats.max), 9).magenta
                         + "    \(stats.count) run\(stats.count == 1 ? "" : "s")")
            let p = stats.percentiles
            var median = "  Median (p95, p99):   " + pad(t(stats.median), 9) + "   (\(t(p.p95)), \(t(p.p99)))"
            if let ci = stats.meanCI {
                median += "    \(Formatting.fixed(ci.level * 100, digits: 0))% CI of mean: [\(t(ci.lower)), \(t(ci.upper))]".dim
            }
            lines.append(median)
            var resources = "  CPU: " + Formatting.percent(result.metric(.cpuPercent)?.statistics.mean ?? 0)
            if let rss = result.metric(.peakRSS) {
                resources += "    Peak memory: " + Formatting.bytes(rss.statistics.max)
                // Only worth a mention when other processes added real memory: a single process's
                // sampled RSS and its rusage peak differ by the kernel's per-CPU counter slack.
                if let tree = result.metric(.peakRSSTree),
                   tree.statistics.max - rss.statistics.max > max(1_048_576, 0.05 * rss.statistics.max) {
                    resources += " (whole tree \(Formatting.bytes(tree.statistics.max)))"
                }
            }
            if let read = result.metric(.readChars), let written = result.metric(.writeChars) {
                resources += "    I/O: read \(Formatting.bytes(read.statistics.mean)), written \(Formatting.bytes(written.statistics.mean))"
                if let disk = result.metric(.writeBytes), disk.statistics.mean > 0 {
                    resources += " (\(Formatting.bytes(disk.statistics.mean)) to storage)"
                }
            }
            lines.append(resources)
            let vcs = result.metric(.voluntaryContextSwitches)?.statistics.mean ?? 0
            let ics = result.metric(.involuntaryContextSwitches)?.statistics.mean ?? 0
            let minflt = result.metric(.minorPageFaults)?.statistics.mean ?? 0
            let majflt = result.metric(.majorPageFaults)?.statistics.mean ?? 0
            lines.append("  Context switches: \(Formatting.count(vcs.rounded())) voluntary, \(Formatting.count(ics.rounded())) involuntary"
                         + "    Page faults: \(Formatting.count(minflt.rounded())) minor, \(Formatting.count(majflt.rounded())) major")
        }
        if let line = countersLine(result) { lines.append(line) }
        if let line = simulationLine(result) { lines.append(line) }
        if result.status != .ok, let message = result.message {
            let label: String
            switch result.status {
            case .timedOut: label = "Timed out: "
            case .interrupted: label = "Interrupted: "
            case .skipped: label = "Skipped: "
            default: label = "Failed: "
            }
            lines.append("  " + (label + message).red)
        }
        for warning in result.warnings {
            lines.append("  " + "Warning: ".yellow.bold + warning.message)
        }
        return lines.joined(separator: "\n")
    }

    /// "Summary / A ran / 1.23 ± 0.04 times faster than B", over the benchmarks that measured
    /// something; nil with fewer than two. `order` `.command` lists every benchmark's speed
    /// relative to the fastest in the order given instead (hyperfine's `--sort command`).
    /// The hardware's counts of a command result, when the machine gave them (medians):
    /// "Hardware counters (user space, whole tree): 12.3 M instructions, 9.8 M cycles, 1.26 per cycle".
    public static func countersLine(_ result: BenchmarkResult) -> String? {
        guard result.kind == .command,
              let instructions = result.metric(.hardwareInstructions) ?? result.metric(.instructions), !instructions.isDeterministic,
              let cycles = result.metric(.cycles) else { return nil }
        let perCycle = cycles.statistics.median > 0
            ? ", \(Formatting.fixed(instructions.statistics.median / cycles.statistics.median, digits: 2)) per cycle" : ""
        return "  Hardware counters (user space, whole tree): \(Formatting.count(instructions.statistics.median)) instructions, "
            + "\(Formatting.count(cycles.statistics.median)) cycles\(perCycle)"
    }

    /// The deterministic counts of a result, when it has them: "Valgrind (1 run, deterministic):
    /// 128.9 k instructions, 251.4 k est. cycles, L1 misses 2662, LL misses 2401".
    public static func simulationLine(_ result: BenchmarkResult) -> String? {
        guard let instructions = result.metric(.instructions), instructions.isDeterministic else { return nil }
        func count(_ id: MetricID) -> String { result.metric(id).map { Formatting.count($0.statistics.mean.rounded()) } ?? Formatting.unknown }
        let runs = instructions.statistics.count
        let per = result.kind == .inProcess ? " per iteration" : ""
        return "  Valgrind (\(runs) run\(runs == 1 ? "" : "s"), deterministic): \(count(.instructions)) instructions\(per), "
            + "\(count(.estimatedCycles)) est. cycles    L1 misses: \(count(.l1Misses)), LL misses: \(count(.llMisses))"
    }

    public static func summary(_ results: [BenchmarkResult], order: ResultOrder = .auto) -> String? {
        let measured = results.filter { $0.wallTime != nil && $0.status != .skipped }
        guard measured.count >= 2 else { return nil }
        let (speeds, rounds) = RelativeSpeed.of(measured)
        guard let fastest = speeds.first(where: \.isFastest) else { return nil }
        let paired = rounds.map { " (paired over \($0) interleaved rounds)" } ?? ""
        if order == .command {
            var lines = ["Relative speed comparison".bold + paired]
            for speed in speeds {
                let ratio = Formatting.fixed(speed.ratio, digits: 2)
                let error = speed.isFastest ? "       " : " ± " + Formatting.fixed(speed.uncertainty, digits: 2)
                lines.append("  " + String(repeating: " ", count: max(0, 8 - ratio.count)) + ratio.bold.green
                             + error.green + "  " + measured[speed.index].name)
            }
            return lines.joined(separator: "\n")
        }
        var lines = ["Summary".bold, "  " + measured[fastest.index].name.cyan + " ran" + paired]
        for speed in speeds.sorted(by: { $0.ratio < $1.ratio }) where !speed.isFastest {
            let ratio = Formatting.fixed(speed.ratio, digits: 2).bold.green
            let error = Formatting.fixed(speed.uncertainty, digits: 2).green
            lines.append("    \(ratio) ± \(error) times faster than " + measured[speed.index].name.magenta)
        }
        return lines.joined(separator: "\n")
    }

    /// With a reference command: how each other command compares with it, and the verdict with
    /// its evidence ("B  1.052 × the reference [1.041, 1.063] — slower by 5.2 %").
    public static func referenceSummary(_ results: [BenchmarkResult], reference: Int, comparisons: [MetricComparison],
                                        paired: Bool) -> String? {
        guard results.indices.contains(reference), !comparisons.isEmpty else { return nil }
        let base = results[reference]
        var lines = ["Summary".bold + " against the reference " + base.name.cyan
                     + (paired ? " (paired by interleaved round)" : " (runs of separate sessions, not paired)")]
        for comparison in comparisons {
            let ratio = (comparison.polarity ?? .lowerIsBetter) == .lowerIsBetter ? 1 + comparison.change : 1 - comparison.change
            var line = "  " + BenchmarkKey.of(name: comparison.benchmark, parameters: comparison.parameters).magenta + ": " + Formatting.fixed(ratio, digits: 3).bold + " × the reference's time"
            if let interval = comparison.changeCI {
                line += " [\(Formatting.fixed(1 + interval.lower, digits: 3)), \(Formatting.fixed(1 + interval.upper, digits: 3))]"
            }
            let percent = Formatting.fixed(abs(comparison.change) * 100, digits: 1) + " %"
            switch comparison.verdict {
            case .slower: line += " — " + "slower by \(percent)".red.bold
            case .faster: line += " — " + "faster by \(percent)".green.bold
            case .noChange: line += " — no change"
            case .inconclusive: line += " — " + "inconclusive".yellow
            }
            lines.append(line)
            if let evidence = comparison.evidence { lines.append("    " + evidence.dim) }
        }
        return lines.joined(separator: "\n")
    }
}
