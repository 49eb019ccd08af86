import MetronCore

/// A table for pull-request comments: mean ± σ, median, min, max, CPU, memory, relative speed.
public enum MarkdownExport {
    public static func render(_ report: RunReport) -> String {
        let measured = report.benchmarks.filter { $0.wallTime != nil }
        let reference = measured.compactMap { $0.wallTime?.mean }.min() ?? 1
        let (scale, unit) = Formatting.durationUnit(for: reference)
        func t(_ seconds: Double) -> String { Formatting.fixed(seconds * scale, digits: 1) }
        let speeds = RelativeSpeed.of(measured).speeds
        var lines = [
            "| Command | Mean [\(unit)] | Median [\(unit)] | Min [\(unit)] | Max [\(unit)] | CPU | Peak memory | Relative |",
            "|:---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        var speedIndex = 0
        for result in report.benchmarks {
            guard let wall = result.wallTime else {
                lines.append("| `\(escape(result.name))` | \(result.status.rawValue) | | | | | | |")
                continue
            }
            let speed = speeds[speedIndex]
            speedIndex += 1
            let relative = speed.isFastest
                ? "1.00"
                : "\(Formatting.fixed(speed.ratio, digits: 2)) ± \(Formatting.fixed(speed.uncertainty, digits: 2))"
            let cpu = result.metric(.cpuPercent).map { Formatting.percent($0.statistics.mean) } ?? ""
            let memory = result.metric(.peakRSS).map { Formatting.bytes($0.statistics.max) } ?? ""
            let status = result.status == .ok ? "" : " (\(result.status.rawValue))"
            lines.append("| `\(escape(result.name))`\(status) | \(t(wall.mean)) ± \(t(wall.stddev)) | \(t(wall.median)) | "
                         + "\(t(wall.min)) | \(t(wall.max)) | \(cpu) | \(memory) | \(relative) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func escape(_ text: String) -> String {
        text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
            .split(separator: "`", omittingEmptySubsequences: false).joined(separator: "'")
    }
}
