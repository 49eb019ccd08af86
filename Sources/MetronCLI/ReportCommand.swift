import ArgumentParser
import Foundation
import MetronCore
import MetronJSON
import MetronExec
import MetronReport
import MetronStore

/// `metron report`: the stored run as HTML, Markdown, CSV, JSON or JUnit XML.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a stored run as an HTML dashboard, Markdown, CSV, JSON or JUnit XML.",
        discussion: """
            The report holds the run's statistics, its comparison with the baseline, each \
            benchmark's history, the budgets of the suite file (SLA status) and recommendations. \
            HTML is one self-contained file that works offline.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, markdown, csv, json, junit, bmf
        case customSmallerIsBetter = "custom-smaller-is-better"
        case customBiggerIsBetter = "custom-bigger-is-better"
    }

    @Option(name: [.short, .long], help: ArgumentHelp(
        "html, markdown, csv, json, junit; bmf (Bencher Metric Format), custom-smaller-is-better or custom-bigger-is-better (github-action-benchmark's custom JSON): the run's figures for those tools' dashboards.",
        valueName: "FORMAT"))
    var format: Format = .html

    @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "Run to report (default: the latest; a run id, baseline name, git ref or JSON file).")
    var run: String = "latest"

    @Option(name: [.short, .long], help: "Only this suite's benchmarks.")
    var suite: String?

    @Option(name: [.short, .long], help: "Baseline to compare with (skipped if it does not exist).")
    var baseline: String = "main"

    @Option(name: [.short, .long], help: "Suite file with budgets and regression bands (optional).")
    var config: String = "metron.yml"

    @Option(help: "How many earlier stored runs the history charts span.")
    var history: Int = 30

    @Option(help: "Title of the report.")
    var title: String = "Metron performance report"

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard history >= 0 else { throw ValidationError("--history must be 0 or more") }
        if let output { try ExportTargets.checkWritable(option: "--output", path: output) }
    }

    func run() async throws {
        try storeOptions.refuseOverwriting([("--output", output)])
        let (budgets, bands) = try GateInputs.budgets(config: config, suite: suite, required: false)
        var data = try await storeOptions.withStore(creating: false) { store in
            let (report, base) = try await GateInputs.runAndBaseline(run: run, suite: suite, baseline: baseline, store: store)
            return ReportData.assemble(run: report, baseline: base, baselineName: baseline,
                                       history: try await store.runs(before: report, limit: history),
                                       budgets: budgets, bands: bands, suite: suite, profiles: ProfileIndex.latest(), title: title,
                                       generatedAt: Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970))
        }
        data.profileDiffs = ProfileIndex.diffs(for: Set(data.regressions.map { BenchmarkKey.of(name: $0.benchmark, parameters: $0.parameters) }))
        let text: String
        switch format {
        case .html: text = HTMLReport.render(data)
        case .markdown: text = MarkdownReport.render(data)
        case .csv: text = ReportCSV.render(data)
        case .junit: text = JUnitReport.render(data)
        case .bmf: text = String(decoding: try BMFJSON.bytes(data.run), as: UTF8.self) + "\n"
        case .customSmallerIsBetter: text = String(decoding: try CustomBenchmarkJSON.bytes(data.run, polarity: .lowerIsBetter), as: UTF8.self) + "\n"
        case .customBiggerIsBetter: text = String(decoding: try CustomBenchmarkJSON.bytes(data.run, polarity: .higherIsBetter), as: UTF8.self) + "\n"
        case .json:
            var json = try JSONExport.encoder().encode(data)
            json.append(0x0A)
            text = String(decoding: json, as: UTF8.self)
        }
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw UsageFailure("cannot write \(output): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("Wrote the \(format.rawValue) report of run \(data.run.id.prefix(8)) (\(Formatting.counted(data.run.benchmarks.count, "benchmark"))) to \(output)\n".utf8))
    }
}
