import ArgumentParser
import MetronCore
import MetronExec
import MetronStore

/// The full command line. The `metron` binary users call is the front binary (MetronFront),
/// which runs `exec` itself and hands every other command line to this one (`metron-full`).
struct MetronCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metron",
        abstract: "Measure, compare and gate performance: commands and Swift code.",
        version: MetronVersion.current,
        subcommands: [ExecCommand.self, RunCommand.self, HistoryCommand.self, BaselineCommand.self,
                      CompareCommand.self, CheckCommand.self, TrendCommand.self,
                      ReportCommand.self, RecommendCommand.self, ServeCommand.self, MonitorCommand.self, ImportCommand.self])
}

/// `exec --save` through the store module.
struct StoreSaving: RunSaving {
    func validate(store: String?) throws {
        _ = try StoreOptions(store: store).location
    }

    func save(_ report: RunReport, store: String?) async -> Bool {
        await MeasurementSession.save(report, to: StoreOptions(store: store))
    }
}

@main
enum Main {
    static func main() async {
        ExecCommand.saving = StoreSaving()
        await CommandLineMain.run(MetronCommand.self, arguments: Array(CommandLine.arguments.dropFirst())) { error in
            (error as? StoreError).map { ($0.description, ExitStatus.failure) }
        }
    }
}
