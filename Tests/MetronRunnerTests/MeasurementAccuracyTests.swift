import Foundation
import Testing
@testable import MetronRunner

/// Measurements against workloads whose truth is known. Serialized: these assert tight
/// tolerances and must not share the two cores with each other.
@Suite(.serialized)
struct MeasurementAccuracyTests {
    let runner = ProcessRunner(ownsAllChildren: false)

    /// The workload's own start-up cost (runtime loading, page faults), measured the same way and
    /// subtracted, so what remains is the work with a known truth.
    func baseline() throws -> (wall: Double, cpu: Double, rss: Int64, writeChars: Int64) {
        let outcomes = try runner.measure(Workload.spec("noop"), times: 10)
        return (Workload.mean(outcomes.map(\.wallTime)),
                Workload.mean(outcomes.map { $0.userTime + $0.systemTime }),
                outcomes.map(\.peakRSS).max()!,
                outcomes.map { $0.io?.writeChars ?? -1 }.max()!)
    }

    @Test func sleepOf100msMeasuresWithin2Percent() throws {
        let base = try baseline()
        let outcomes = try runner.measure(Workload.spec("sleep", "0.1"), times: 10)
        let median = outcomes.map(\.wallTime).sorted()[5]
        #expect(median >= 0.1, "a 100 ms sleep cannot take less than 100 ms")
        #expect(abs(median - base.wall - 0.1) <= 0.002, "median \(median) s, start-up \(base.wall) s")
        #expect(outcomes.allSatisfy { $0.exitCode == 0 && $0.signal == nil && !$0.timedOut })
        // Sleeping is not CPU work.
        #expect(Workload.mean(outcomes.map { $0.userTime + $0.systemTime }) < 0.01)
    }

    @Test func cpuBurnOf300msIsUserTimeWithin2Percent() throws {
        let base = try baseline()
        let outcomes = try runner.measure(Workload.spec("burn", "0.3"), times: 3)
        for outcome in outcomes {
            let cpu = outcome.userTime + outcome.systemTime
            #expect(abs(cpu - 0.3) <= 0.006 + base.cpu, "cpu \(cpu) s")
            #expect(outcome.userTime > 0.25)
            #expect(outcome.commandRun.cpuPercent > 80, "cpu% \(outcome.commandRun.cpuPercent)")
        }
    }

    @Test func allocatingAndTouching200MiBRaisesPeakRSSBy200MiB() throws {
        let base = try baseline()
        let outcomes = try runner.measure(Workload.spec("alloc", "200"), times: 3)
        let mebibyte: Int64 = 1 << 20
        for outcome in outcomes {
            let growth = outcome.peakRSS - base.rss
            #expect(abs(growth - 200 * mebibyte) <= mebibyte, "peak RSS grew by \(Double(growth) / Double(mebibyte)) MiB")
        }
    }

    @Test func writing50MBCountsExactlyTheBytesWritten() throws {
        let base = try baseline()
        let file = Workload.temporaryPath("write")
        defer { unlink(file) }
        let outcome = try runner.measure(Workload.spec("write", "50000000", file), times: 1)[0]
        let written = try #require(outcome.io?.writeChars)
        #expect(written - base.writeChars == 50_000_000)
        #expect(outcome.commandRun.writeChars == written)
    }

    @Test func bytesWrittenByAReapedChildFoldIntoTheParent() throws {
        let base = try baseline()
        let file = Workload.temporaryPath("child-write")
        defer { unlink(file) }
        let outcome = try runner.measure(Workload.spec("child-write", "12345678", file), times: 1)[0]
        #expect((outcome.io?.writeChars ?? 0) - base.writeChars == 12_345_678)
    }

    @Test func childHoldingMemoryIsTheLargestProcessAndCountsInTheTree() throws {
        let base = try baseline()
        let mebibyte: Int64 = 1 << 20
        let outcome = try runner.measure(Workload.spec("fork-hold", "100", "0.4"), times: 1)[0]
        // The child's peak is reported as the largest process (rusage folds reaped children in):
        // its 100 MiB plus the part of the parent's pages it inherited at fork.
        #expect(outcome.peakRSS >= 100 * mebibyte && outcome.peakRSS <= 100 * mebibyte + base.rss + mebibyte,
                "largest process peak \(Double(outcome.peakRSS) / Double(mebibyte)) MiB")
        // The tree, sampled while the child held its memory, holds the child and the parent.
        let tree = try #require(outcome.peakRSSTree)
        #expect(tree >= 100 * mebibyte + base.rss)
        #expect(tree <= 100 * mebibyte + 3 * base.rss + 4 * mebibyte)
    }

    @Test func floodingStdoutIsDiscardedAndCounted() throws {
        let outcome = try runner.measure(Workload.spec("flood", "100000000"), times: 1)[0]
        #expect(outcome.exitCode == 0)
        #expect(outcome.io?.writeChars ?? 0 >= 100_000_000)
    }
}
