import MetronCore

/// Markdown for pull-request comments and GitHub's job summary: the verdict, the failing
/// checks, the comparison with the baseline and the top recommendations. Cells are escaped so a
/// benchmark name cannot break a table or inject HTML.
public enum MarkdownReport {
    public static func render(_ data: ReportData, recommendationLimit: Int = 5) -> String {
        let passed = data.passed()
        var lines = ["## \(passed ? "✅" : "❌") \(cell(data.title))", ""]
        var facts = ["Run `\(code(String(data.run.id.prefix(12))))`", String(data.run.startedAt.iso8601.prefix(16)).split(separator: "T").joined(separator: " ") + " UTC"]
        if let git = data.run.git { facts.append("commit `\(code(String(git.commit.prefix(10))))`\(git.dirty ? "+dirty" : "")") }
        if let suite = data.suite { facts.append("suite **\(cell(suite))**") }
        if let name = data.baselineName, let base = data.baseline {
            facts.append("baseline **\(cell(name))** (`\(code(String(base.id.prefix(8))))`)")
        }
        lines.append(facts.joined(separator: " · "))
        lines.append("")
        let budgets = data.budgetChecks
        var summary = "**\(data.run.benchmarks.count)** benchmarks"
        if !budgets.isEmpty { summary += " · budgets met **\(budgets.filter { $0.outcome == .passed }.count)/\(budgets.count)**" }
        if data.comparison != nil && !data.regressionsSkippedForMachine {
            summary += " · **\(data.regressions.count)** regressions · **\(data.improvements.count)** improvements"
            if let ratio = data.comparison?.geometricMeanRatio { summary += " · overall \(GateEvaluation.signedPercent(ratio - 1))" }
        }
        lines += [summary, ""]
        if data.regressionsSkippedForMachine {
            lines += ["> ⚠️ The baseline was measured on a different machine; regressions are not judged.", ""]
        }
        lines += findings(data.checks)
        if let comparison = data.comparison, !data.regressionsSkippedForMachine {
            lines += comparisonTable(comparison.comparisons.filter { $0.metric == .wallTime }, title: "Comparison with the baseline")
        } else {
            lines += statisticsTable(data.run.benchmarks)
        }
        if !data.recommendations.isEmpty {
            lines += ["### Recommendations", ""]
            for item in data.recommendations.prefix(recommendationLimit) {
                lines.append("- **P\(item.priority) \(cell(item.title))** — `\(code(item.benchmark))`: \(cell(item.description)) "
                             + "_Estimated improvement \(Formatting.fixed(item.estimatedImprovement * 100, digits: 0))% of \(cell(item.improvementOf)), effort \(item.effort.rawValue)._")
            }
            if data.recommendations.count > recommendationLimit {
                lines.append("- … and \(data.recommendations.count - recommendationLimit) more (`metron recommend`)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What `metron check` appends to the job summary.
    public static func check(_ evaluation: GateEvaluation, run: RunReport, baselineName: String?, threshold: Severity) -> String {
        let failing = evaluation.failures(atLeast: threshold)
        var lines = ["## \(failing.isEmpty ? "✅ Performance check passed" : "❌ Performance check failed")", ""]
        var facts = ["Run `\(code(String(run.id.prefix(12))))`", "\(Set(evaluation.checks.map(\.key)).count) benchmarks",
                     "\(evaluation.checks.filter { $0.kind == .budget }.count) budget checks"]
        facts.append(baselineName.map { "baseline **\(cell($0))**" } ?? "no baseline")
        facts.append("failing on \(threshold.rawValue)")
        lines += [facts.joined(separator: " · "), ""]
        if evaluation.regressionsSkippedForMachine {
            lines += ["> ⚠️ The baseline was measured on a different machine; regressions are not judged.", ""]
        }
        lines += findings(evaluation.checks)
        if let comparison = evaluation.comparison, !evaluation.regressionsSkippedForMachine {
            lines += comparisonTable(comparison.comparisons.filter { $0.metric == .wallTime }, title: "Comparison with the baseline")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What `metron compare` appends to the job summary.
    public static func comparison(_ comparison: RunComparison, baseline: RunReport, current: RunReport) -> String {
        var lines = ["## Performance comparison", "",
                     "Baseline `\(code(String(baseline.id.prefix(8))))` → current `\(code(String(current.id.prefix(8))))`"
                        + (comparison.geometricMeanRatio.map { " · overall \(GateEvaluation.signedPercent($0 - 1)) (geometric mean)" } ?? ""), ""]
        if comparison.machinesDiffer { lines += ["> ⚠️ The runs come from different machines; differences may be the hardware's.", ""] }
        lines += comparisonTable(comparison.comparisons, title: nil)
        for name in comparison.added { lines.append("- `\(code(name))`: new (no baseline)") }
        for name in comparison.removed { lines.append("- `\(code(name))`: only in the baseline") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func findings(_ checks: [GateCheck]) -> [String] {
        let failed = checks.filter { $0.outcome == .failed }.sorted { ($0.severity ?? .error) > ($1.severity ?? .error) }
        guard !failed.isEmpty else { return [] }
        var lines = ["### Findings", "", "| | Benchmark | Check | Finding |", "|:-:|:---|:---|:---|"]
        for check in failed {
            lines.append("| \(check.severity == .warning ? "⚠️" : "❌") | `\(code(check.key))` | \(cell(check.name)) | \(cell(check.message)) |")
        }
        return lines + [""]
    }

    static func comparisonTable(_ items: [MetricComparison], title: String?) -> [String] {
        guard !items.isEmpty else { return [] }
        var lines = title.map { ["### \($0)", ""] } ?? []
        lines += ["| Benchmark | Baseline | Current | Change | 95% CI | p | Verdict |", "|:---|---:|---:|---:|:---:|---:|:---|"]
        let ordered = items.sorted { a, b in a.verdict == b.verdict ? a.change > b.change : order(a.verdict) < order(b.verdict) }
        for item in ordered {
            let key = BenchmarkKey.of(name: item.benchmark, parameters: item.parameters) + (item.metric == .wallTime ? "" : " \(item.metric)")
            let ci = item.changeCI.map { "\(GateEvaluation.signedPercent($0.lower)) … \(GateEvaluation.signedPercent($0.upper))" } ?? ""
            let verdict: String
            switch item.verdict {
            case .slower: verdict = (item.band == .critical ? "❌" : item.band == .warning ? "⚠️" : "🔸") + " slower (\(item.band.rawValue))"
            case .faster: verdict = "✅ faster"
            case .noChange: verdict = "no change"
            case .inconclusive: verdict = "❔ inconclusive"
            }
            lines.append("| `\(code(key))` | \(Formatting.value(item.baseline.mean, item.unit)) | \(Formatting.value(item.current.mean, item.unit)) | "
                         + "\(GateEvaluation.signedPercent(item.change)) | \(ci) | \(Formatting.pValue(item.pValue)) | \(verdict) |")
        }
        return lines + [""]
    }

    static func statisticsTable(_ results: [BenchmarkResult]) -> [String] {
        guard !results.isEmpty else { return [] }
        var lines = ["### Results", "", "| Benchmark | Runs | Mean ± σ | Median | p95 | Status |", "|:---|---:|---:|---:|---:|:---|"]
        for result in results {
            guard let wall = result.wallTime else {
                lines.append("| `\(code(result.key))` | 0 | | | | \(result.status.rawValue) |")
                continue
            }
            lines.append("| `\(code(result.key))` | \(wall.count) | \(Formatting.duration(wall.mean)) ± \(Formatting.duration(wall.stddev)) | "
                         + "\(Formatting.duration(wall.median)) | \(Formatting.duration(wall.percentiles.p95)) | \(result.status.rawValue) |")
        }
        return lines + [""]
    }

    private static func order(_ verdict: Verdict) -> Int { verdict == .slower ? 0 : verdict == .faster ? 1 : 2 }

    /// Text in a table cell: no pipes, line breaks or HTML.
    static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// Text inside a code span: backticks cannot be escaped there, so they become quotes; pipes
    /// still end a table cell on GitHub, so they are escaped.
    static func code(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "`": out += "'"
            case "|": out += "\\|"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
