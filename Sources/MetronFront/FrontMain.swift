import Dispatch
import MetronExec

/// The `metron` users call. It holds `exec` and what `exec` needs — the runner, the statistics,
/// the terminal output and the exports — and none of the store, suite, report and server
/// modules (SQLite, PostgreSQL, YAML, HTTP): a binary without them starts in a fraction of the
/// time (docs/performance.md), and for `exec` start-up is part of what is measured against
/// hyperfine. Every other command line goes to the full CLI, `metron-full`, next to it.
/// `exec`'s arguments are parsed with `ExecCommand` as the root: no command tree to build.
///
/// `main` is synchronous so that the fork server and git start first thing, on the main thread,
/// before the concurrency runtime and the thread an async `main` hops to; the command then runs
/// as a task while the main thread serves the main queue.
@main
enum FrontMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if !FrontDispatch.runsItself(arguments) {
            FrontDispatch.handOver(CommandLine.arguments)
        }
        CommandLineMain.begin(measuring: true)
        let execArguments = Array(arguments.dropFirst())
        Task {
            await CommandLineMain.run(ExecCommand.self, arguments: execArguments, subcommand: "exec", begun: true)
        }
        dispatchMain()
    }
}
