import Foundation
import MetronCore
#if canImport(Glibc)
import Glibc
#endif

/// One run of a command under Valgrind's cachegrind with the cache simulation on, children
/// followed, so every process of the tree is counted (`CacheSimulation`). The run goes through
/// the same `Executor` as every other run; only its launch is wrapped and its counts are read from
/// the files cachegrind writes, one per process.
public enum ValgrindSimulation {
    /// Why a command gives no counts; its text is the one line users see.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Variables that make common runtimes repeat their work exactly: Swift's and Python's
    /// per-process hash seeds change the work of every dictionary. Set for the simulated run
    /// only, and only when neither Metron's environment nor the benchmark sets them.
    public static let deterministicEnvironment = ["SWIFT_DETERMINISTIC_HASHING": "1", "PYTHONHASHSEED": "0"]

    /// Valgrind slows a program 20 to 100 times; a `--timeout` meant for the real runs is
    /// stretched by this factor for the simulated one.
    public static let timeoutFactor = 100.0

    /// The valgrind executable found through PATH (or the path given), with the reason when it
    /// cannot be used: a request for counts fails before anything runs.
    public static func locate(_ name: String = "valgrind") throws -> String {
        guard let path = ExecutableLookup.resolve(name) else {
            throw Failure(description: "--valgrind needs Valgrind, and '\(name)' is not in PATH (apt-get install valgrind)")
        }
        return path
    }

    /// `spec` as run under cachegrind, its output files (and Valgrind's own messages, kept off the
    /// command's stderr) in `directory`.
    public static func launch(wrapping spec: LaunchSpec, valgrind: String, directory: String) -> LaunchSpec {
        var wrapped = spec
        wrapped.counters = []
        wrapped.executablePath = valgrind
        wrapped.arguments = [valgrind, "--tool=cachegrind", "--cache-sim=yes", "--trace-children=yes",
                             "--cachegrind-out-file=\(directory)/cachegrind.out.%p", "--log-file=\(directory)/valgrind.%p.log",
                             "--", spec.executablePath] + spec.arguments.dropFirst()
        for (name, value) in deterministicEnvironment where spec.environment[name] == nil && getenv(name) == nil {
            wrapped.environment[name] = value
        }
        return wrapped
    }

    /// The counts of every process of the run, summed; `outcome` is the run's, so that a failed
    /// run is reported with Valgrind's own first complaint.
    public static func collect(_ outcome: ProcessOutcome, directory: String) throws -> CacheSimulation {
        let files = (try? listDirectory(directory)) ?? []
        if outcome.timedOut { throw Failure(description: "the run under Valgrind timed out") }
        if outcome.interrupted { throw Failure(description: "the run under Valgrind was interrupted") }
        let complaint = files.filter { $0.hasPrefix("valgrind.") }.sorted().lazy
            .compactMap { firstComplaint(readText("\(directory)/\($0)") ?? "") }.first
        if let signal = outcome.signal {
            throw Failure(description: "the run under Valgrind was terminated by \(signalName(signal))" + (complaint.map { ": \($0)" } ?? ""))
        }
        if let code = outcome.exitCode, code != 0 {
            throw Failure(description: "the run under Valgrind exited with code \(code)" + (complaint.map { ": \($0)" } ?? ""))
        }
        var total = CacheSimulation.zero
        for file in files.filter({ $0.hasPrefix("cachegrind.out.") }).sorted() {
            guard let text = readText("\(directory)/\(file)") else { continue }
            do {
                total = total + (try CacheSimulation.parse(text))
            } catch {
                throw Failure(description: "Valgrind's output \(file) cannot be read: \(error)")
            }
        }
        guard total.processes > 0 else {
            throw Failure(description: "Valgrind wrote no counts" + (complaint.map { ": \($0)" } ?? ""))
        }
        return total
    }

    /// Valgrind before 3.20 gives up on DWARF 5 debug information, which Swift 6 writes
    /// ("debuginfo reader: ensure_valid failed"). Counting needs no debug information.
    public static func isDebugInfoFailure(_ failure: Error) -> Bool {
        "\(failure)".contains("debuginfo reader") || "\(failure)".contains("unhandled dwarf2")
    }

    public static let debugInfoHint = " (this Valgrind cannot read the program's DWARF 5 debug information: "
        + "build it with -gdwarf-4 or without -g, or use Valgrind 3.20 or later)"

    /// A copy of `executable` without its debug information (objcopy --strip-debug), in
    /// `directory`, and the variables that let it find the libraries its original finds next to
    /// itself ($ORIGIN run paths); nil when there is no objcopy or it fails.
    public static func withoutDebugInfo(_ executable: String, in directory: String) -> (path: String, environment: [String: String])? {
        guard let objcopy = ExecutableLookup.resolve("objcopy") else { return nil }
        let copy = directory + "/" + (executable as NSString).lastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: objcopy)
        process.arguments = ["--strip-debug", executable, copy]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let origin = (executable as NSString).deletingLastPathComponent
        let existing = getenv("LD_LIBRARY_PATH").map { String(cString: $0) }
        return (copy, ["LD_LIBRARY_PATH": existing.map { "\(origin):\($0)" } ?? origin])
    }

    /// The first line of a Valgrind log that says what went wrong (`==PID== valgrind: …`,
    /// `==PID== Fatal error …`), without the PID prefix.
    public static func firstComplaint(_ log: String) -> String? {
        for line in log.split(separator: "\n") {
            var text = Substring(line)
            if text.hasPrefix("=="), let end = text.dropFirst(2).range(of: "==") { text = text[end.upperBound...] }
            let trimmed = text.trimmingPrefix(" ")
            let lower = trimmed.lowercased()
            if lower.contains("fatal") || lower.contains("error") || lower.hasPrefix("valgrind:") || lower.contains("cannot") {
                return String(trimmed)
            }
        }
        return nil
    }

    /// A fresh private directory for one run's files.
    public static func makeDirectory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("metron-valgrind-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create a directory for Valgrind's output: \(error.localizedDescription)")
        }
        return directory
    }

    public static func removeDirectory(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func listDirectory(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
    }

    static func readText(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
