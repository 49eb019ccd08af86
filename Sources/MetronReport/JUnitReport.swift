import MetronCore

/// JUnit XML, so any CI shows the gate natively: one test suite per benchmark suite and kind of
/// check, one test case per status, budget and regression check. Violations are failures (their
/// `type` is the severity), unmeasured budgets are skipped, minor regressions pass with a note.
public enum JUnitReport {
    public static func render(_ data: ReportData) -> String {
        var groups: [(name: String, checks: [GateCheck])] = []
        var index: [String: Int] = [:]
        for check in data.checks {
            let name = "\(check.suite ?? "default").\(check.kind.rawValue)"
            if let i = index[name] { groups[i].checks.append(check) } else {
                index[name] = groups.count
                groups.append((name, [check]))
            }
        }
        let failures = data.checks.filter { $0.outcome == .failed }.count
        let skipped = data.checks.filter { $0.outcome == .notMeasured }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(x("metron: " + data.title))\" tests=\"\(data.checks.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" timestamp=\"\(x(String(data.run.startedAt.iso8601.prefix(19))))\">\n"
        for group in groups {
            let groupFailures = group.checks.filter { $0.outcome == .failed }.count
            let groupSkipped = group.checks.filter { $0.outcome == .notMeasured }.count
            xml += "  <testsuite name=\"\(x(group.name))\" tests=\"\(group.checks.count)\" failures=\"\(groupFailures)\" errors=\"0\" skipped=\"\(groupSkipped)\">\n"
            xml += "    <properties><property name=\"run\" value=\"\(x(data.run.id))\"/>"
                + (data.run.git.map { "<property name=\"commit\" value=\"\(x($0.commit))\"/>" } ?? "")
                + (data.baseline.map { "<property name=\"baseline\" value=\"\(x((data.baselineName ?? "") + " " + $0.id))\"/>" } ?? "")
                + "</properties>\n"
            for check in group.checks {
                let time = check.kind == .status ? timeOf(check, data) : "0"
                xml += "    <testcase classname=\"\(x("metron." + group.name))\" name=\"\(x(check.key + ": " + check.name))\" time=\"\(time)\""
                switch check.outcome {
                case .passed:
                    xml += "/>\n"
                case .note:
                    xml += "><system-out>\(x(check.message))</system-out></testcase>\n"
                case .notMeasured:
                    xml += "><skipped message=\"\(x(check.message))\"/></testcase>\n"
                case .failed:
                    xml += "><failure message=\"\(x(check.message))\" type=\"\((check.severity ?? .error).rawValue)\">\(x(check.key + ": " + check.message))</failure></testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// The benchmark's measured time (sum of its runs) for its status test case.
    static func timeOf(_ check: GateCheck, _ data: ReportData) -> String {
        let total = data.run.benchmarks.first { $0.key == check.key }?.metric(.wallTime)?.samples.reduce(0, +) ?? 0
        return Formatting.fixed(total, digits: 6)
    }

    /// XML text and attribute escaping; characters XML 1.0 forbids become U+FFFD.
    static func x(_ text: String) -> String { HTML.escape(text) }
}
