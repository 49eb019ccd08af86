import ArgumentParser
import Foundation
import MetronCore
import MetronRunner
import MetronStore

struct MetronCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metron",
        abstract: "Measure, compare and gate performance: commands and Swift code.",
        version: MetronVersion.current,
        subcommands: [ExecCommand.self, RunCommand.self, HistoryCommand.self, BaselineCommand.self,
                      CompareCommand.self, CheckCommand.self, TrendCommand.self,
                      ReportCommand.self, RecommendCommand.self, ServeCommand.self, MonitorCommand.self, ImportCommand.self])
}

/// Entry point. Usage errors exit with 2 and one line (ArgumentParser's default is 64 plus the
/// whole usage text); everything else keeps ArgumentParser's behaviour.
/// Bootstrap's chunks write to disjoint parts of its buffers (Bootstrap.concurrentPerform), which
/// the compiler cannot see.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

@main
enum Main {
    static func main() async {
        // Bootstrap resamples are drawn on every core (the intervals do not depend on it).
        Bootstrap.concurrentPerform = { count, body in
            withoutActuallyEscaping(body) { body in
                let chunk = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: count) { chunk.value($0) }
            }
        }
        // `exec` measures: what its first run waits for starts now and runs beside the parsing.
        // A task sent to the global queue now has a worker thread started, and still idle, by the
        // time the first bootstrap intervals are drawn (a cold pool left them to one thread).
        if CommandLine.arguments.dropFirst().first == "exec" {
            Prestart.begin()
            DispatchQueue.global().async {}
        }
        let arguments = ArgumentPreprocessor.join(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try MetronCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as ReportedFailure {
            Prestart.end()
            Foundation.exit(failure.status)
        } catch {
            Prestart.end()
            let code = MetronCommand.exitCode(for: error)
            if let usage = error as? UsageFailure {
                printError(usage.description)
                Foundation.exit(ExitStatus.usage)
            }
            if let store = error as? StoreError {
                printError(store.description)
                Foundation.exit(ExitStatus.failure)
            }
            if code == .validationFailure {
                let message = MetronCommand.message(for: error)
                    .split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                let subcommand = arguments.first.map { $0.hasPrefix("-") ? "" : " \($0)" } ?? ""
                FileHandle.standardError.write(Data("metron: error: \(message) (see 'metron\(subcommand) --help')\n".utf8))
                Foundation.exit(ExitStatus.usage)
            }
            MetronCommand.exit(withError: error)
        }
    }
}

/// Exit statuses shared by every subcommand.
enum ExitStatus {
    static let success: Int32 = 0
    /// A benchmark failed, timed out or a gate was not met.
    static let failure: Int32 = 1
    /// Bad flags, values or configuration: nothing was run.
    static let usage: Int32 = 2
}

/// An error that has already been explained to the user; only the exit status is left to set.
struct ReportedFailure: Error {
    var status: Int32
}

/// Errors that are the user's input (bad config, unknown baseline): reported in one line, exit 2.
struct UsageFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("metron: error: \(message)\n".utf8))
}
