import MetronCore

/// Small inline SVG charts for the HTML report. Every chart is sized by its viewBox and scales
/// to its container; colours come from CSS classes so the page's theme applies. All text is
/// escaped.
enum SVGChart {
    static let width = 360.0
    static let height = 150.0
    static let left = 56.0, right = 10.0, top = 12.0, bottom = 26.0

    /// Mean wall time over stored runs: the confidence band of each mean, the line, the
    /// baseline's mean as a dashed line and its run as a ringed dot.
    static func history(_ points: [HistoryPoint], baselineRunID: String?, baselineMean: Double?) -> String {
        guard points.count >= 1 else { return empty("no history yet") }
        let intervals = points.map(\.interval)
        var values = intervals.flatMap { [$0.lower, $0.upper] } + points.map(\.mean)
        if let baselineMean { values.append(baselineMean) }
        let (lo, hi) = range(values)
        let n = points.count
        func x(_ i: Int) -> Double { n == 1 ? (left + width - right) / 2 : left + Double(i) / Double(n - 1) * (width - left - right) }
        func y(_ v: Double) -> Double { top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom) }
        var svg = open(label: "History of the mean wall time over \(n) runs")
        svg += axes(lo: lo, hi: hi, format: Formatting.duration)
        let upper = intervals.indices.map { "\(f(x($0))),\(f(y(intervals[$0].upper)))" }
        let lower = intervals.indices.reversed().map { "\(f(x($0))),\(f(y(intervals[$0].lower)))" }
        if n > 1 { svg += "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\"/>" }
        if let baselineMean {
            svg += "<line class=\"baseline\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(baselineMean)))\" y2=\"\(f(y(baselineMean)))\"/>"
            svg += "<text class=\"label baseline-label\" x=\"\(f(width - right - 2))\" y=\"\(f(y(baselineMean) - 3))\" text-anchor=\"end\">baseline</text>"
        }
        if n > 1 {
            svg += "<polyline class=\"line\" points=\"\(points.indices.map { "\(f(x($0))),\(f(y(points[$0].mean)))" }.joined(separator: " "))\"/>"
        }
        for (i, point) in points.enumerated() {
            let isBaseline = point.runID == baselineRunID
            let tip = "run \(point.runID.prefix(8))\(point.commit.map { " @ \($0.prefix(10))" } ?? "") \(point.startedAt.iso8601.prefix(16)): "
                + "mean \(Formatting.duration(point.mean)) [\(Formatting.duration(intervals[i].lower)), \(Formatting.duration(intervals[i].upper))]"
                + (isBaseline ? " (baseline)" : "")
            svg += "<circle class=\"\(isBaseline ? "dot base-dot" : i == n - 1 ? "dot last-dot" : "dot")\" cx=\"\(f(x(i)))\" cy=\"\(f(y(point.mean)))\" r=\"\(isBaseline || i == n - 1 ? 4 : 2.5)\"><title>\(HTML.escape(tip))</title></circle>"
        }
        svg += "<text class=\"label\" x=\"\(f(left))\" y=\"\(f(height - 6))\">\(HTML.escape(String(points[0].startedAt.iso8601.prefix(10))))</text>"
        svg += "<text class=\"label\" x=\"\(f(width - right))\" y=\"\(f(height - 6))\" text-anchor=\"end\">\(HTML.escape(String(points[n - 1].startedAt.iso8601.prefix(10))))</text>"
        return svg + "</svg>"
    }

    /// Histogram of the latest run's samples with the median and p95 marked.
    static func distribution(_ samples: [Double], format: (Double) -> String = Formatting.duration) -> String {
        guard samples.count >= 2 else { return empty("one sample") }
        let sorted = samples.sorted()
        var (lo, hi) = (sorted.first!, sorted.last!)
        if hi <= lo { hi = lo + max(abs(lo) * 0.01, 1e-12); lo -= max(abs(lo) * 0.01, 1e-12) }
        let bins = max(5, min(30, Int(Double(sorted.count).squareRoot().rounded(.up))))
        var counts = [Int](repeating: 0, count: bins)
        for value in sorted { counts[min(bins - 1, Int((value - lo) / (hi - lo) * Double(bins)))] += 1 }
        let maxCount = Double(counts.max() ?? 1)
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * plotW }
        var svg = open(label: "Distribution of \(samples.count) samples")
        svg += "<line class=\"axis\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\"/>"
        let barW = plotW / Double(bins)
        for (i, count) in counts.enumerated() where count > 0 {
            let h = Double(count) / maxCount * plotH
            let from = lo + Double(i) * (hi - lo) / Double(bins), to = from + (hi - lo) / Double(bins)
            svg += "<rect class=\"bar\" x=\"\(f(left + Double(i) * barW + 0.5))\" y=\"\(f(top + plotH - h))\" width=\"\(f(max(barW - 1, 0.5)))\" height=\"\(f(h))\">"
                + "<title>\(HTML.escape("\(format(from)) – \(format(to)): \(count)"))</title></rect>"
        }
        let median = percentile(sorted: sorted, 50), p95 = percentile(sorted: sorted, 95)
        svg += "<line class=\"marker\" x1=\"\(f(x(median)))\" x2=\"\(f(x(median)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\"><title>median \(HTML.escape(format(median)))</title></line>"
        svg += "<line class=\"marker p95\" x1=\"\(f(x(p95)))\" x2=\"\(f(x(p95)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\"><title>p95 \(HTML.escape(format(p95)))</title></line>"
        svg += "<text class=\"label\" x=\"\(f(min(x(median) + 3, width - right - 60)))\" y=\"\(f(top + 8))\">median</text>"
        svg += "<text class=\"label\" x=\"\(f(left))\" y=\"\(f(height - 6))\">\(HTML.escape(format(lo)))</text>"
        svg += "<text class=\"label\" x=\"\(f(width - right))\" y=\"\(f(height - 6))\" text-anchor=\"end\">\(HTML.escape(format(hi)))</text>"
        svg += "<text class=\"label\" x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">\(samples.count) runs</text>"
        return svg + "</svg>"
    }

    /// Baseline and current means as bars, with the current's change and its interval.
    static func comparison(_ item: MetricComparison) -> String {
        let h = 84.0
        let hi = max(item.baseline.mean, item.current.mean, item.baseline.p95, item.current.p95) * 1.05
        guard hi > 0 else { return empty("no data") }
        let labelW = 70.0, plotW = width - labelW - 80
        func w(_ v: Double) -> Double { max(1, v / hi * plotW) }
        let verdictClass = item.verdict == .slower ? "worse" : item.verdict == .faster ? "better" : "same"
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(h))\" role=\"img\" aria-label=\"Comparison with the baseline\" xmlns=\"http://www.w3.org/2000/svg\">"
        for (row, side, cls, name) in [(0.0, item.baseline, "bar-base", "baseline"), (1.0, item.current, "bar-now \(verdictClass)", "current")] {
            let y = 10 + row * 30
            svg += "<text class=\"label\" x=\"0\" y=\"\(f(y + 13))\">\(name)</text>"
            svg += "<rect class=\"\(cls)\" x=\"\(f(labelW))\" y=\"\(f(y))\" width=\"\(f(w(side.mean)))\" height=\"18\" rx=\"3\"><title>mean \(HTML.escape(Formatting.value(side.mean, item.unit)))</title></rect>"
            svg += "<line class=\"whisker\" x1=\"\(f(labelW + w(side.p95)))\" x2=\"\(f(labelW + w(side.p95)))\" y1=\"\(f(y + 2))\" y2=\"\(f(y + 16))\"><title>p95 \(HTML.escape(Formatting.value(side.p95, item.unit)))</title></line>"
            svg += "<text class=\"label value\" x=\"\(f(labelW + w(max(side.mean, side.p95)) + 4))\" y=\"\(f(y + 13))\">\(HTML.escape(Formatting.value(side.mean, item.unit)))</text>"
        }
        let interval = item.changeCI.map { " [\(GateEvaluation.signedPercent($0.lower)), \(GateEvaluation.signedPercent($0.upper))]" } ?? ""
        svg += "<text class=\"label change \(verdictClass)\" x=\"\(f(labelW))\" y=\"\(f(h - 4))\">change \(HTML.escape(GateEvaluation.signedPercent(item.change) + interval)), p = \(HTML.escape(Formatting.pValue(item.pValue)))</text>"
        return svg + "</svg>"
    }

    /// A parameter scan: means with ±σ whiskers and the fitted complexity curve.
    static func scan(_ scan: ParameterScan) -> String {
        let points = scan.points
        guard let first = points.first, let last = points.last, last.value > first.value else { return empty("one point") }
        let fitted: [(Double, Double)] = scan.fit.map { fit in
            (0...60).map { i in
                let n = first.value + Double(i) / 60 * (last.value - first.value)
                return (n, fit.predict(n))
            }
        } ?? []
        let (lo, hi) = range(points.flatMap { [$0.mean - $0.stddev, $0.mean + $0.stddev] } + fitted.map(\.1) + [0])
        func x(_ n: Double) -> Double { left + (n - first.value) / (last.value - first.value) * (width - left - right) }
        func y(_ v: Double) -> Double { top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom) }
        var svg = open(label: "Mean wall time over \(scan.parameter)")
        svg += axes(lo: lo, hi: hi, format: Formatting.duration)
        if !fitted.isEmpty {
            svg += "<polyline class=\"fit\" points=\"\(fitted.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " "))\"/>"
        }
        svg += "<polyline class=\"line\" points=\"\(points.map { "\(f(x($0.value))),\(f(y($0.mean)))" }.joined(separator: " "))\"/>"
        for point in points {
            svg += "<line class=\"whisker\" x1=\"\(f(x(point.value)))\" x2=\"\(f(x(point.value)))\" y1=\"\(f(y(point.mean - point.stddev)))\" y2=\"\(f(y(point.mean + point.stddev)))\"/>"
            svg += "<circle class=\"dot\" cx=\"\(f(x(point.value)))\" cy=\"\(f(y(point.mean)))\" r=\"3\"><title>\(HTML.escape("\(scan.parameter)=\(Formatting.count(point.value)): \(Formatting.duration(point.mean)) ± \(Formatting.duration(point.stddev))"))</title></circle>"
        }
        svg += "<text class=\"label\" x=\"\(f(left))\" y=\"\(f(height - 6))\">\(HTML.escape("\(scan.parameter)=\(Formatting.count(first.value))"))</text>"
        svg += "<text class=\"label\" x=\"\(f(width - right))\" y=\"\(f(height - 6))\" text-anchor=\"end\">\(HTML.escape("\(scan.parameter)=\(Formatting.count(last.value))"))</text>"
        return svg + "</svg>"
    }

    // MARK: Pieces

    private static func open(label: String) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(HTML.escape(label))\" xmlns=\"http://www.w3.org/2000/svg\">"
    }

    private static func empty(_ text: String) -> String {
        open(label: text) + "<text class=\"label\" x=\"\(f(width / 2))\" y=\"\(f(height / 2))\" text-anchor=\"middle\">\(HTML.escape(text))</text></svg>"
    }

    private static func axes(lo: Double, hi: Double, format: (Double) -> String) -> String {
        var svg = ""
        for i in 0...2 {
            let v = lo + Double(i) / 2 * (hi - lo)
            let y = top + (1 - Double(i) / 2) * (height - top - bottom)
            svg += "<line class=\"grid\" x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
            svg += "<text class=\"label\" x=\"\(f(left - 4))\" y=\"\(f(y + 3))\" text-anchor=\"end\">\(HTML.escape(format(v)))</text>"
        }
        return svg
    }

    /// A padded value range that is never empty.
    private static func range(_ values: [Double]) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else { return (0, 1) }
        if hi - lo < max(abs(hi), 1e-12) * 1e-6 {
            let pad = max(abs(hi) * 0.05, 1e-9)
            return (lo - pad, hi + pad)
        }
        let pad = (hi - lo) * 0.08
        lo -= pad
        hi += pad
        if lo < 0 && finite.allSatisfy({ $0 >= 0 }) { lo = 0 }
        return (lo, hi)
    }

    /// Coordinates with one decimal: enough for a 360-unit view box, and short.
    static func f(_ value: Double) -> String { Formatting.fixed(value.isFinite ? value : 0, digits: 1) }
}
