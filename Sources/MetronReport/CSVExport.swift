import MetronCore

/// One row per benchmark with the headline statistics; SI units (seconds, bytes) named in the
/// column headers. Parameters become `parameter_<name>` columns.
public enum CSVExport {
    public static func render(_ report: RunReport) -> String {
        let parameterNames = report.benchmarks.flatMap { $0.parameters.map(\.name) }.uniqued()
        let header = [
            "name", "command", "status", "runs", "mean_s", "stddev_s", "median_s", "min_s", "max_s",
            "p95_s", "p99_s", "ci95_mean_lower_s", "ci95_mean_upper_s", "user_s", "system_s", "cpu_percent",
            "peak_rss_bytes", "peak_rss_tree_bytes", "read_bytes", "write_bytes", "read_chars", "write_chars",
            "voluntary_context_switches", "involuntary_context_switches", "exit_codes",
        ] + parameterNames.map { "parameter_\($0)" }
        var rows = [header.map(field).joined(separator: ",")]
        for result in report.benchmarks {
            func mean(_ id: MetricID) -> String { result.metric(id).map { number($0.statistics.mean) } ?? "" }
            func maxValue(_ id: MetricID) -> String { result.metric(id).map { number($0.statistics.max) } ?? "" }
            let wall = result.wallTime
            let exitCodes = result.runs.map { $0.exitCode.map(String.init) ?? "signal \($0.signal ?? 0)" }.uniqued()
            var row: [String] = [
                result.name, result.command ?? "", result.status.rawValue, String(result.runs.count),
                wall.map { number($0.mean) } ?? "", wall.map { number($0.stddev) } ?? "",
                wall.map { number($0.median) } ?? "", wall.map { number($0.min) } ?? "",
                wall.map { number($0.max) } ?? "", wall.map { number($0.percentiles.p95) } ?? "",
                wall.map { number($0.percentiles.p99) } ?? "",
                wall?.meanCI.map { number($0.lower) } ?? "", wall?.meanCI.map { number($0.upper) } ?? "",
                mean(.userTime), mean(.systemTime), mean(.cpuPercent), maxValue(.peakRSS), maxValue(.peakRSSTree),
                mean(.readBytes), mean(.writeBytes), mean(.readChars), mean(.writeChars),
                mean(.voluntaryContextSwitches), mean(.involuntaryContextSwitches), exitCodes.joined(separator: " "),
            ]
            row += parameterNames.map { name in result.parameters.first { $0.name == name }?.value ?? "" }
            rows.append(row.map(field).joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.
    /// A text field that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
    /// a tab or a carriage return — names from imports and uploads are anyone's) gets a leading
    /// `'`, as OWASP advises; numbers ("-0.25") stay numbers.
    static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@\t\r".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
