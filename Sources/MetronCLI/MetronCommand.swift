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
                      ReportCommand.self, RecommendCommand.self, ServeCommand.self, MonitorCommand.self, ImportCommand.self, DoctorCommand.self])
}

@main
enum Main {
    static func main() async {
        await CommandLineMain.run(MetronCommand.self, arguments: Array(CommandLine.arguments.dropFirst())) { error in
            (error as? StoreError).map { ($0.description, ExitStatus.failure) }
        }
    }
}
