#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MetronCore
import MetronJSON
import MetronRunner

/// Runs one benchmark in a child process of this executable (re-executed with a hidden flag) and
/// reads its result back from a file. A child that crashes, is killed or writes nothing yields a
/// failed result carrying what it printed, and the run goes on.
enum ChildProcess {
    static func run(executable: String, index: Int, instance: BenchmarkInstance, suite: String,
                    environment: [String: String], timeout: Double? = nil) -> BenchmarkResult {
        var failed = BenchmarkResult(name: instance.declaration.name, kind: .inProcess, suite: suite,
                                     tags: instance.declaration.tags, parameters: instance.parameters, status: .failed)
        let resultPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("metron-\(getpid())-\(index)-\(UUID().uuidString).json").path
        defer { unlink(resultPath) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--metron-child", String(index), "--metron-result", resultPath]
        process.environment = childEnvironment(environment)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            failed.message = "could not start the benchmark process \(executable): \(error)"
            return failed
        }
        let watchdog = timeout.map { Watchdog(pid: process.processIdentifier, after: $0) }
        // Read until the child (and anything it started) closes the pipe, then reap it.
        let captured = output.fileHandleForReading.readDataToEndOfFile()
        // Disarmed before the wait reaps the child, so the watchdog never signals a reused pid.
        let timedOut = watchdog?.finish() ?? false
        process.waitUntilExit()
        let text = String(decoding: captured, as: UTF8.self)
        if timedOut {
            failed.status = .timedOut
            failed.message = "killed after the \(Formatting.duration(timeout!)) timeout"
            return failed
        }

        if process.terminationReason == .exit, process.terminationStatus == 0,
           let data = FileManager.default.contents(atPath: resultPath),
           let result = try? JSONExport.decoder().decode(BenchmarkResult.self, from: data) {
            return result
        }
        let how: String
        if process.terminationReason == .uncaughtSignal {
            how = "crashed with signal \(process.terminationStatus) (\(crashSignalName(process.terminationStatus)))"
        } else {
            how = "its process exited with status \(process.terminationStatus) without a result"
        }
        let detail = crashLine(in: text)
        failed.message = detail.map { "\(how): \($0)" } ?? how
        let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(20).joined(separator: "\n")
        if !tail.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            failed.warnings.append(MeasurementWarning(.processOutput, "last output of the benchmark process:\n" + tail))
        }
        return failed
    }

    /// The child inherits the environment, plus the malloc interposer preloaded so allocations can
    /// be counted, and Swift's crash backtracer turned off unless asked for: symbolicating takes
    /// seconds and the message is what matters here.
    static func childEnvironment(_ environment: [String: String]) -> [String: String] {
        var result = environment
        if let library = AllocationCounter.libraryPath() {
            let existing = environment["LD_PRELOAD"] ?? ""
            if !existing.contains(library) {
                result["LD_PRELOAD"] = existing.isEmpty ? library : library + ":" + existing
            }
        }
        if result["SWIFT_BACKTRACE"] == nil { result["SWIFT_BACKTRACE"] = "enable=no" }
        return result
    }

    /// The Swift runtime's "Fatal error: …" line, or the last line printed.
    static func crashLine(in text: String) -> String? {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let fatal = lines.last(where: { $0.contains("Fatal error") || $0.contains("Precondition failed")
            || $0.contains("Assertion failed") }) {
            return fatal
        }
        return lines.last
    }
}

/// Kills a child that outlives its timeout: SIGKILL, since a hung benchmark may ignore or block
/// anything gentler and its results are void anyway.
final class Watchdog: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var fired = false
    private var done = false

    init(pid: pid_t, after seconds: Double) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + seconds)
        timer.setEventHandler { [unowned self] in
            self.lock.lock()
            defer { self.lock.unlock() }
            guard !self.done else { return }
            self.fired = true
            kill(pid, SIGKILL)
        }
        timer.resume()
    }

    /// Stops the watchdog; true when it killed the child.
    func finish() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        done = true
        timer.cancel()
        return fired
    }
}
