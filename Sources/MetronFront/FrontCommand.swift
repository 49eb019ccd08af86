import ArgumentParser
import MetronCore
import MetronExec

/// The `metron` users call. It holds `exec` and what `exec` needs — the runner, the statistics,
/// the terminal output and the exports — and none of the store, suite, report and server
/// modules (SQLite, PostgreSQL, YAML, HTTP): a binary without them starts in a fraction of the
/// time (docs/performance.md), and for `exec` start-up is part of what is measured against
/// hyperfine. Every other command line goes to the full CLI, `metron-full`, next to it.
struct FrontCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metron",
        abstract: "Measure, compare and gate performance: commands and Swift code.",
        version: MetronVersion.current,
        subcommands: [ExecCommand.self])
}

@main
enum FrontMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if !FrontDispatch.runsItself(arguments) {
            FrontDispatch.handOver(CommandLine.arguments)
        }
        await CommandLineMain.run(FrontCommand.self, arguments: arguments)
    }
}
