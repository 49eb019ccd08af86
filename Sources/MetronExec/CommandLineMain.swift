import ArgumentParser
import Dispatch
import Glibc
import MetronCore
import MetronRunner

/// What `metron` does with its command line: usage errors exit with 2 and one line
/// (ArgumentParser's default is 64 plus the whole usage text); everything else keeps
/// ArgumentParser's behaviour.
public enum CommandLineMain {
    /// What comes before parsing: for a measuring command (`measuring`) what its first run waits for — the fork server and the git and machine
    /// facts (Prestart), started now so that they run beside the parsing. A task sent to the
    /// global queue now has a worker thread started, and still idle, by the time the first
    /// bootstrap intervals are drawn (a cold pool left them to one thread).
    public static func begin(measuring: Bool) {
        if measuring {
            Prestart.begin()
            DispatchQueue.global().async {}
        }
    }

    /// Parses `arguments` (without the program name) against `root` and runs the command, then
    /// exits. `describe` turns the caller's own error types into a message and an exit status.
    public static func run(_ root: any ParsableCommand.Type, arguments: [String],
                           describe: @Sendable (any Error) -> (message: String, status: Int32)? = { _ in nil }) async -> Never {
        begin(measuring: arguments.first == "exec")
        let arguments = ArgumentPreprocessor.join(arguments)
        do {
            var command = try root.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Prestart.end()
            exit(ExitStatus.success)
        } catch let failure as ReportedFailure {
            Prestart.end()
            exit(failure.status)
        } catch {
            Prestart.end()
            if let usage = error as? UsageFailure {
                printError(usage.description)
                exit(ExitStatus.usage)
            }
            if let (message, status) = describe(error) {
                printError(message)
                exit(status)
            }
            if root.exitCode(for: error) == .validationFailure {
                let message = root.message(for: error)
                    .split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                let named = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 }
                writeStandardError("metron: error: \(message) (see 'metron\(named.map { " \($0)" } ?? "") --help')\n")
                exit(ExitStatus.usage)
            }
            root.exit(withError: error)
        }
    }
}

/// Exit statuses shared by every subcommand.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// A benchmark failed, timed out or a gate was not met.
    public static let failure: Int32 = 1
    /// Bad flags, values or configuration: nothing was run.
    public static let usage: Int32 = 2
}

/// An error that has already been explained to the user; only the exit status is left to set.
public struct ReportedFailure: Error {
    public var status: Int32
    public init(status: Int32) { self.status = status }
}

/// Errors that are the user's input (bad config, unknown baseline): reported in one line, exit 2.
public struct UsageFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public func printError(_ message: String) {
    writeStandardError("metron: error: \(message)\n")
}

/// Straight to file descriptor 2, unbuffered.
public func writeStandardError(_ text: String) {
    var text = text
    _ = text.withUTF8 { writeAll(2, $0) }
}

/// Writes all of `bytes` to `fd`, retrying interrupted and partial writes; false on an error
/// (errno tells which).
func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if written > 0 {
            offset += written
        } else if written < 0 && errno == EINTR {
            continue
        } else {
            return false
        }
    }
    return true
}
