#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MetronCore
import MetronJSON
import MetronRunner

/// `--valgrind` for in-process benchmarks: the benchmark's child process run once more under
/// callgrind, collection off except around the counted batches of the body (`SimulatedBatches`),
/// so set-up, tear-down, the harness and the clock are not counted. Its counts, per iteration,
/// join the result as deterministic metrics; if it fails, the timed result stands with a warning.
enum InProcessSimulation {
    /// Iterations per counted batch: about 20 ms of the body at native speed (a second or so
    /// under Valgrind), at least 1.
    static func iterations(for result: BenchmarkResult) -> Int {
        guard let perIteration = result.wallTime?.median, perIteration > 0 else { return 1 }
        return min(max(Int(0.02 / perIteration), 1), 1_000_000)
    }

    static func count(_ result: inout BenchmarkResult, valgrind: String, executable: String, index: Int,
                      environment: [String: String], timeout: Double?) {
        let iterations = iterations(for: result)
        do {
            let counts = try run(valgrind: valgrind, executable: executable, index: index, iterations: iterations,
                                 environment: environment, timeout: timeout)
            result.simulations = [counts]
            result.metrics = CacheSimulation.adding([counts], to: result.metrics)
        } catch {
            result.warnings.append(MeasurementWarning(.simulationFailed, "\(error)"))
        }
    }

    static func run(valgrind: String, executable: String, index: Int, iterations: Int, environment: [String: String],
                    timeout: Double?) throws -> CacheSimulation {
        let directory = try ValgrindSimulation.makeDirectory()
        defer { ValgrindSimulation.removeDirectory(directory) }
        // Swift 6 writes DWARF 5 debug information, which Valgrind 3.19 cannot read; counting
        // needs none, so a copy without it runs.
        var program = executable
        var variables = environment
        if let copy = ValgrindSimulation.withoutDebugInfo(executable, in: directory) {
            program = copy.path
            variables.merge(copy.environment) { _, new in new }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: valgrind)
        process.arguments = ["--tool=callgrind", "--cache-sim=yes", "--collect-atstart=no",
                             "--callgrind-out-file=\(directory)/callgrind.out", "--log-file=\(directory)/valgrind.log", "--",
                             program, "--metron-child", String(index), "--metron-result", directory + "/result.json",
                             RunnerOptions.simulateFlag, String(iterations)]
        // Valgrind counts allocations itself: the malloc interposer stays out.
        for (name, value) in ValgrindSimulation.deterministicEnvironment where variables[name] == nil { variables[name] = value }
        if variables["SWIFT_BACKTRACE"] == nil { variables["SWIFT_BACKTRACE"] = "enable=no" }
        process.environment = variables
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let limit = timeout.map { $0 * ValgrindSimulation.timeoutFactor }
        let watchdog = limit.map { Watchdog(pid: process.processIdentifier, after: $0) }
        process.waitUntilExit()
        if watchdog?.finish() == true {
            throw ValgrindSimulation.Failure(description: "the run under Valgrind was killed after \(Formatting.duration(limit!))")
        }
        let log = FileManager.default.contents(atPath: directory + "/valgrind.log").map { String(decoding: $0, as: UTF8.self) } ?? ""
        let complaint = ValgrindSimulation.firstComplaint(log).map { ": \($0)" } ?? ""
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .uncaughtSignal ? "was terminated by signal \(process.terminationStatus)"
                : "exited with code \(process.terminationStatus)"
            var reason = "the run under Valgrind \(how)\(complaint)"
            if log.contains("VALGRIND INTERNAL ERROR") {
                // Valgrind 3.19 (Debian 12) crashes when an async main parks the main thread in
                // dispatch_main; Benchmarks.main is synchronous, a main of the user's may not be.
                reason += " (Valgrind 3.19 crashes on a program whose main is async: call benchmarks.main() from a synchronous main, "
                    + "without await, or use a newer Valgrind)"
            }
            if let data = FileManager.default.contents(atPath: directory + "/result.json"),
               let child = try? JSONExport.decoder().decode(BenchmarkResult.self, from: data), let message = child.message {
                reason = "under Valgrind: \(message)"
            }
            throw ValgrindSimulation.Failure(description: reason)
        }
        if let data = FileManager.default.contents(atPath: directory + "/result.json"),
           let child = try? JSONExport.decoder().decode(BenchmarkResult.self, from: data), child.status != .ok {
            throw ValgrindSimulation.Failure(description: "under Valgrind: \(child.message ?? child.status.rawValue)")
        }
        func dump(_ part: Int) throws -> CacheSimulation {
            guard let data = FileManager.default.contents(atPath: "\(directory)/callgrind.out.\(part)") else {
                throw ValgrindSimulation.Failure(description: "callgrind wrote no counts for batch \(part)\(complaint)")
            }
            do {
                return try CacheSimulation.parse(String(decoding: data, as: UTF8.self))
            } catch {
                throw ValgrindSimulation.Failure(description: "callgrind's dump \(part) cannot be read: \(error)")
            }
        }
        var counts = try dump(2) - dump(1)
        counts.iterations = iterations
        counts.processes = 1
        guard counts.instructions >= 0 else {
            throw ValgrindSimulation.Failure(description: "the body counted fewer instructions in \(2 * iterations) iterations than in \(iterations): "
                                             + "it does not do the same work every iteration")
        }
        // Misses are not work: the longer batch may miss less than the shorter one (its caches
        // stayed warm), and fewer than no misses per iteration are none.
        for field in [\CacheSimulation.dataReads, \.dataWrites, \.l1InstructionMisses, \.l1ReadMisses, \.l1WriteMisses,
                      \.llInstructionMisses, \.llReadMisses, \.llWriteMisses] {
            counts[keyPath: field] = max(counts[keyPath: field], 0)
        }
        return counts
    }
}
