import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MetronCore
@testable import MetronReport
import Testing

/// Markdown, CSV and JUnit from the same fixture the dashboard uses.
struct TextReportTests {
    static let data = ReportFixture(benchmarks: 60).data()

    @Test func markdownStatesTheVerdictAndCannotBeBrokenByNames() {
        let markdown = MarkdownReport.render(Self.data)
        #expect(markdown.hasPrefix("## ❌ "))
        // Outside code spans (which GitHub shows literally) no markup survives from a name.
        let prose = markdown.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset.isMultiple(of: 2) }.map(\.element).joined()
        #expect(!prose.contains("<script>"))
        #expect(markdown.contains("`parsing/parse <script>alert(\"x\")</script> & 'quotes'`"))
        #expect(markdown.contains("### Recommendations"))
        // Table rows keep their column count whatever the names hold.
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(!rows.isEmpty)
        let columns = Set(rows.map { row in row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count })
        #expect(columns.count <= 2, "ragged tables: \(columns)")  // the findings and the comparison tables
    }

    /// A command's hardware counts are shown as what they are, beside Valgrind's deterministic
    /// ones when both were measured (the hardware's instructions then under their own id).
    @Test func hardwareCountersAreNamedAsSuch() {
        let runs = (0..<5).map { index in
            CommandRun(wallTime: 0.01, userTime: 0.01, systemTime: 0, peakRSS: 1 << 20,
                       instructions: 2_000_000 + Int64(index), cycles: 1_000_000)
        }
        let measured = CommandMetrics.summarize(runs, bootstrap: nil)
        var result = BenchmarkResult(name: "gzip", kind: .command, metrics: measured, runs: runs)
        let line = "Hardware counters (user space, whole tree): 2.0 M instructions, 1.0 M cycles, 2.00 per cycle"
        #expect(TerminalReport.body(result).contains(line))
        #expect(TerminalReport.simulationLine(result) == nil, "measured counts are not deterministic ones")
        result.metrics = CacheSimulation.adding([CacheSimulation(instructions: 3_000_000)], to: measured)
        let both = TerminalReport.body(result)
        #expect(both.contains(line) && both.contains("Valgrind (1 run, deterministic): 3.0 M instructions"))
        var uncounted = result
        uncounted.metrics = CommandMetrics.summarize(runs.map { var run = $0; run.cycles = nil; return run }, bootstrap: nil)
        #expect(!TerminalReport.body(uncounted).contains("Hardware counters"))
    }

    @Test func csvHasSeed002sColumnsAndOneRowPerBenchmark() throws {
        let csv = ReportCSV.render(Self.data)
        let records = try CSVReader.parse(csv)
        #expect(Array(records[0].prefix(10)) == ["benchmark_id", "suite", "start_time", "duration_s", "iterations", "status",
                                                  "mean_s", "p95_s", "max_memory_bytes", "mean_cpu_percent"])
        #expect(records.count == Self.data.run.benchmarks.count + 1)
        #expect(records.allSatisfy { $0.count == ReportCSV.header.count })
        let nasty = try #require(records.first { $0[0].contains("<script>") }, "the quoted name survives a round trip")
        #expect(nasty[0] == "parsing/" + ReportFixture.nastyName)
        let first = Self.data.run.benchmarks[0]
        let row = try #require(records.first { $0[0] == first.key })
        #expect(Double(row[6]) == first.wallTime?.mean)
        #expect(Int(row[4]) == first.wallTime?.count)
    }

    @Test func csvCellsNeverRunAsFormulas() throws {
        #expect(CSVExport.field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(CSVExport.field("+cmd") == "'+cmd" && CSVExport.field("@SUM(A1)") == "'@SUM(A1)" && CSVExport.field("-x") == "'-x")
        #expect(CSVExport.field("\tname") == "'\tname")
        // Numbers stay numbers; other text stays as it is.
        #expect(CSVExport.field("-0.25") == "-0.25" && CSVExport.field("+3") == "+3" && CSVExport.field("sort [n=5]") == "sort [n=5]")
    }

    @Test func junitIsWellFormedWithATestCasePerCheck() throws {
        let xml = JUnitReport.render(Self.data)
        let counter = JUnitCounter()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.testcases == Self.data.checks.count)
        #expect(counter.failures == Self.data.checks.filter { $0.outcome == .failed }.count)
        #expect(counter.failures > 0)
        #expect(counter.declaredFailures == counter.failures)
    }
}

final class JUnitCounter: NSObject, XMLParserDelegate {
    var testcases = 0, failures = 0, declaredFailures = 0
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "testcase": testcases += 1
        case "failure": failures += 1
        case "testsuites": declaredFailures = Int(attributes["failures"] ?? "") ?? -1
        default: break
        }
    }
}

/// RFC 4180 reader, only for checking what the exporter wrote.
enum CSVReader {
    struct Malformed: Error {}
    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var quoted = false, wasQuoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                guard field.isEmpty, !wasQuoted else { throw Malformed() }
                quoted = true; wasQuoted = true
            } else if c == "," {
                record.append(field); field = ""; wasQuoted = false
            } else if c == "\n" || c == "\r\n" {
                record.append(field); records.append(record); record = []; field = ""; wasQuoted = false
            } else { field.append(c) }
        }
        if quoted { throw Malformed() }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}
