import MetronCore

/// One table of a run for pull-request comments and documents: mean ± σ, median, min, max, CPU,
/// memory and relative speed, in Markdown, AsciiDoc or Emacs org-mode (hyperfine's three markup
/// exports). One set of columns and cells; only the syntax around them differs.
public enum MarkupExport {
    public enum Syntax: Sendable {
        case markdown, asciidoc, orgmode
    }

    /// `timeUnit` fixes the unit of the time columns (by default the fastest mean's); `order`
    /// `.meanTime` puts the rows fastest first, otherwise they keep the run's order.
    public static func render(_ report: RunReport, syntax: Syntax = .markdown, timeUnit: TimeUnit? = nil,
                              order: ResultOrder = .auto) -> String {
        let measured = report.benchmarks.filter { $0.wallTime != nil }
        let reference = measured.compactMap { $0.wallTime?.mean }.min() ?? 1
        let (scale, unit) = Formatting.durationUnit(for: reference, forced: timeUnit)
        func t(_ seconds: Double) -> String { Formatting.fixed(seconds * scale, digits: 1) }
        let speeds = RelativeSpeed.of(measured).speeds
        let header = ["Command", "Mean [\(unit)]", "Median [\(unit)]", "Min [\(unit)]", "Max [\(unit)]", "CPU", "Peak memory", "Relative"]
        var rows: [(mean: Double, cells: [String])] = []
        var speedIndex = 0
        for result in report.benchmarks {
            guard let wall = result.wallTime else {
                rows.append((.infinity, [code(result.name, syntax), result.status.rawValue, "", "", "", "", "", ""]))
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
            rows.append((wall.mean, [code(result.name, syntax) + status, "\(t(wall.mean)) ± \(t(wall.stddev))", t(wall.median),
                                     t(wall.min), t(wall.max), cpu, memory, relative]))
        }
        if order == .meanTime {
            rows = rows.enumerated().sorted { ($0.element.mean, $0.offset) < ($1.element.mean, $1.offset) }.map(\.element)
        }
        return table(header: header, rows: rows.map(\.cells), syntax: syntax)
    }

    private static func table(header: [String], rows: [[String]], syntax: Syntax) -> String {
        // The first column is left-aligned, the figures right-aligned.
        switch syntax {
        case .markdown:
            let divider = "|:---|" + String(repeating: "---:|", count: header.count - 1)
            return ([line(header), divider] + rows.map(line)).joined(separator: "\n") + "\n"
        case .asciidoc:
            let columns = (["<"] + Array(repeating: ">", count: header.count - 1)).joined(separator: ",")
            return (["[cols=\"\(columns)\", options=\"header\"]", "|===", asciidocLine(header), ""]
                    + rows.map(asciidocLine) + ["|==="]).joined(separator: "\n") + "\n"
        case .orgmode:
            let divider = "|" + Array(repeating: "---", count: header.count).joined(separator: "+") + "|"
            return ([line(header), divider] + rows.map(line)).joined(separator: "\n") + "\n"
        }
    }

    private static func line(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }

    private static func asciidocLine(_ cells: [String]) -> String { cells.map { "| " + $0 }.joined(separator: " ") }

    /// A command name as code, with the characters that would end the cell or the code escaped.
    static func code(_ name: String, _ syntax: Syntax) -> String {
        switch syntax {
        case .markdown, .asciidoc:
            return "`" + name.replacingAll("|", with: "\\|").replacingAll("`", with: "'") + "`"
        case .orgmode:
            return "=" + name.replacingAll("|", with: "\\vert{}").replacingAll("=", with: "\\equal{}") + "="
        }
    }
}
