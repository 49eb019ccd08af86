import ArgumentParser
import MetronCore
import MetronExec
import MetronStore

/// The command line: one binary, `metron`, with every command.
struct MetronCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metron",
        abstract: "Measure, compare and gate performance: commands and Swift code.",
        version: MetronVersion.current,
        subcommands: [ExecCommand.self, RunCommand.self, HistoryCommand.self, BaselineCommand.self,
                      CompareCommand.self, CheckCommand.self, TrendCommand.self,
                      ReportCommand.self, RecommendCommand.self, ServeCommand.self, MonitorCommand.self, ImportCommand.self, DoctorCommand.self, ProfileCommand.self])
}

@main
enum Main {
    static func main() async {
        await CommandLineMain.run(MetronCommand.self, arguments: Array(CommandLine.arguments.dropFirst())) { error in
            // A store that cannot be used, or a run reference that names nothing, is the
            // invocation's problem (exit 2), never a failed gate; a corrupt record is a failure.
            (error as? StoreError).map { error in
                if case .corruptRecord = error { return (error.description, ExitStatus.failure) }
                return (error.description, ExitStatus.usage)
            }
        }
    }
}
