import Foundation
import Testing
@testable import MetronRunner

/// Measurements against workloads whose truth is known. Serialized: these assert tight
/// tolerances and must not share the two cores with each other.
@Suite(.serialized)
struct MeasurementAccuracyTests {
    let runner = try! ProcessRunner()

    /// The workload's own start-up cost (runtime loading, page faults), measured the same way and
    /// subtracted, so what remains is the work with a known truth.
    func baseline() throws -> (wall: Double, cpu: Double, rss: Int64, writeChars: Int64) {
        let outcomes = try runner.measure(Workload.spec("noop"), times: 10)
        return (Workload.mean(outcomes.map(\.wallTime)),
                Workload.mean(outcomes.map { $0.userTime + $0.systemTime }),
                outcomes.map(\.peakRSS).max()!,
                outcomes.map { $0.io?.writeChars ?? -1 }.max()!)
    }

    /// The truth is what the workload really slept, by its own monotonic clock: a loaded machine
    /// oversleeps a `nanosleep` by milliseconds, which no measuring tool should hide or be blamed
    /// for. Per run, Metron's wall time minus that truth is start-up plus Metron's own error; it
    /// must match the no-op workload's wall time within 2 ms (2 % of the sleep). No-op and sleep
    /// runs alternate so both see the same machine, and the minimum of each is compared: noise
    /// only ever adds time, while a systematic error of Metron's would shift the minimum too.
    @Test func sleepOf100msMeasuresWithin2Percent() throws {
        let truthFile = Workload.temporaryPath("slept")
        defer { unlink(truthFile) }
        let noop = runner.prepare(Workload.spec("noop"))
        let sleep = runner.prepare(Workload.spec("sleep", "0.1", truthFile))
        var startUps: [Double] = [], outcomes: [ProcessOutcome] = []
        for _ in 0..<12 {
            startUps.append(try runner.run(noop, timeout: nil).wallTime)
            outcomes.append(try runner.run(sleep, timeout: nil))
        }
        let slept = try String(contentsOfFile: truthFile, encoding: .utf8)
            .split(separator: "\n").compactMap { Double($0) }
        try #require(slept.count == outcomes.count)
        #expect(slept.allSatisfy { $0 >= 0.1 })
        #expect(outcomes.allSatisfy { $0.wallTime >= 0.1 }, "a 100 ms sleep cannot take less than 100 ms")
        let excess = zip(outcomes, slept).map { $0.wallTime - $1 }
        #expect(abs(excess.min()! - startUps.min()!) <= 0.002,
                "wall beyond the real sleep \(excess) s, start-up \(startUps) s")
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
            // CPU % is the CPU time over the wall time: near 100 on an idle core, lower when the
            // burn had to share one, so it is checked against the figures it is made of.
            let expected = cpu / outcome.wallTime * 100
            #expect(abs(outcome.commandRun.cpuPercent - expected) <= 0.5, "cpu% \(outcome.commandRun.cpuPercent), cpu/wall \(expected)")
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

    @Test func bytesWrittenByAnOrphanThatWasKilledAreCounted() throws {
        let base = try baseline()
        let file = Workload.temporaryPath("orphan-write")
        defer { unlink(file) }
        let outcome = try runner.measure(Workload.spec("orphan-write", "7654321", file), times: 1)[0]
        // The orphan's bytes and its 1-byte pipe write. (Its reads are not compared: the Swift
        // runtime's start-up reads vary by some 50 bytes between runs of the same workload.)
        #expect((outcome.io?.writeChars ?? 0) - base.writeChars == 7_654_321 + 1)
        #expect(outcome.exitCode == 0)
    }

    /// A run's I/O is the growth of the server's own counters less what the server itself read
    /// and wrote. A slip in that bookkeeping would show up as counts that change with the
    /// position in a batch, or differ between a batch and a request of one run; and the write
    /// count has a known truth: `echo hi` writes 3 bytes, the shell's `cat` reads the file whole.
    @Test func everyRunOfABatchCountsTheSameKnownIO() throws {
        let file = Workload.temporaryPath("io")
        defer { unlink(file) }
        let content = String(repeating: "x", count: 12_345)
        try content.write(toFile: file, atomically: true, encoding: .utf8)
        let spec = LaunchSpec(arguments: ["/bin/sh", "-c", "cat \(file) > /dev/null; echo hi > /dev/null"],
                              executablePath: "/bin/sh")
        let single = try #require(try runner.run(runner.prepare(spec)).io)
        #expect(single.readChars >= 12_345)
        // sh's `echo hi` (3 bytes) and cat's copy of the file.
        #expect(single.writeChars == 12_345 + 3)
        var batch: [ProcessOutcome] = []
        try runner.run(runner.prepare(spec), count: 20, stopAtFailure: true) { batch.append($0) }
        #expect(batch.count == 20)
        // Bytes passed to read and write; not storage reads, which depend on the page cache.
        for outcome in batch {
            #expect(outcome.io?.readChars == single.readChars)
            #expect(outcome.io?.writeChars == single.writeChars)
        }
    }

    @Test func aBatchEndsAtTheFirstFailedRunUnlessFailuresAreIgnored() throws {
        let counter = Workload.temporaryPath("fail-on")
        defer { unlink(counter) }
        var stopped: [ProcessOutcome] = []
        try runner.run(runner.prepare(Workload.spec("fail-on", "3", counter)), count: 10, stopAtFailure: true) {
            stopped.append($0)
        }
        #expect(stopped.map(\.exitCode) == [0, 0, 1])
        unlink(counter)
        var all: [ProcessOutcome] = []
        try runner.run(runner.prepare(Workload.spec("fail-on", "3", counter)), count: 5, stopAtFailure: false) {
            all.append($0)
        }
        #expect(all.map(\.exitCode) == [0, 0, 1, 0, 0])
    }

    /// The fork server sends the outcomes of short runs together, but holds none back for
    /// longer than 50 ms: not for the whole of a long run that follows them.
    @Test func outcomesOfShortRunsArriveWhileALongRunGoesOn() throws {
        let counter = Workload.temporaryPath("sleep-on")
        defer { unlink(counter) }
        let start = MonotonicClock.seconds()
        var arrivals: [Double] = []
        try runner.run(runner.prepare(Workload.spec("sleep-on", "4", "1.5", counter)), count: 4, stopAtFailure: true) { _ in
            arrivals.append(MonotonicClock.seconds() - start)
        }
        #expect(arrivals.count == 4)
        #expect(arrivals.count == 4 && arrivals[2] < 0.75, "outcomes of the short runs came at \(arrivals) s")
        #expect(arrivals.last ?? 0 >= 1.5)
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
