import MetronExec

/// The `metron` users call. It holds `exec` and what `exec` needs — the runner, the statistics,
/// the terminal output and the exports — and none of the store, suite, report and server
/// modules (SQLite, PostgreSQL, YAML, HTTP): a binary without them starts in a fraction of the
/// time (docs/performance.md), and for `exec` start-up is part of what is measured against
/// hyperfine. Every other command line goes to the full CLI, `metron-full`, next to it.
/// `exec`'s arguments are parsed with `ExecCommand` as the root: no command tree to build.
@main
enum FrontMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if !FrontDispatch.runsItself(arguments) {
            FrontDispatch.handOver(CommandLine.arguments)
        }
        await CommandLineMain.run(ExecCommand.self, arguments: Array(arguments.dropFirst()), subcommand: "exec")
    }
}
