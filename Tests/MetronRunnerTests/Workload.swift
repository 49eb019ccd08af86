import Foundation
@testable import MetronRunner

/// The `metron-workload` binary built next to the test bundle, and helpers around it.
enum Workload {
    static let productsDirectory: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (executable as NSString).deletingLastPathComponent
    }()

    static let path = productsDirectory + "/metron-workload"

    static func spec(_ arguments: String...) -> LaunchSpec {
        LaunchSpec(arguments: [path] + arguments, executablePath: path)
    }

    /// The command line for CommandBenchmark / `metron exec`.
    static func command(_ arguments: String...) -> String {
        ([path] + arguments).joined(separator: " ")
    }

    static func temporaryPath(_ name: String) -> String {
        let directory = NSTemporaryDirectory() + "metron-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/" + name + "-" + UUID().uuidString
    }

    /// True while the process exists and is not a zombie.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    /// Waits for a killed process to die (a SIGKILL is delivered asynchronously).
    static func dies(_ pid: pid_t, within timeout: Double = 2) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isAlive(pid) { return true }
            usleep(5_000)
        }
        return !isAlive(pid)
    }

    static func readPID(_ path: String, timeout: Double = 5) -> pid_t? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return pid }
            usleep(10_000)
        }
        return nil
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
}

extension ProcessRunner {
    func measure(_ spec: LaunchSpec, times: Int, timeout: Double? = nil) throws -> [ProcessOutcome] {
        let launch = prepare(spec)
        return try (0..<times).map { _ in try run(launch, timeout: timeout) }
    }
}
