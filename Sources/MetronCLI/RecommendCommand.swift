import ArgumentParser
import Foundation
import MetronCore
import MetronReport
import MetronStore

/// `metron recommend`: rule-based optimisation advice for a stored run.
struct RecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Optimisation recommendations from a stored run: priority, estimated improvement, effort, steps.",
        discussion: """
            Rules: high variance, cold first runs, CPU-bound / I/O-bound / waiting, kernel time, \
            memory near its budget or growing across runs, allocation-heavy bodies, poor scaling \
            across threads, parameter scans worse than linear (docs/reports.md).
            """)

    @Option(help: "Run to analyse (default: the latest).")
    var run: String = "latest"

    @Option(name: [.short, .long], help: "Only this suite's benchmarks.")
    var suite: String?

    @Option(name: [.short, .long], help: "Suite file whose memory budgets apply (optional).")
    var config: String = "metron.yml"

    @Option(help: "How many earlier stored runs the memory-growth rule looks at.")
    var history: Int = 30

    @Option(help: "Show at most this many (most urgent first).")
    var limit: Int?

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard history >= 0 else { throw ValidationError("--history must be 0 or more") }
        if let limit, limit < 1 { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let (budgets, bands) = try GateInputs.budgets(config: config, suite: suite, required: false)
        let data = try await storeOptions.withStore(creating: false) { store in
            let (report, _) = try await GateInputs.runAndBaseline(run: run, suite: suite, baseline: "", store: store)
            return ReportData.assemble(run: report, baseline: nil,
                                       history: try await store.runs(before: report, limit: history),
                                       budgets: budgets, bands: bands, suite: suite, profiles: ProfileIndex.latest(),
                                       generatedAt: Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970))
        }
        let items = limit.map { Array(data.recommendations.prefix($0)) } ?? data.recommendations
        if json { return try printJSON(items) }
        let heading = "Optimization recommendations for run \(data.run.id.prefix(8))"
            + (suite.map { " (suite \($0))" } ?? "") + ", \(Formatting.counted(data.run.benchmarks.count, "benchmark")):"
        print(RecommendationText.render(items, heading: heading))
    }
}
