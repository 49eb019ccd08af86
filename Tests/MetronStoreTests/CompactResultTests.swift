import Foundation
import GRDB
import MetronCore
import MetronJSON
import Testing
@testable import MetronStore

/// The stored form of a result (`CompactResult`): read back equal, bit for bit, and small.
struct CompactResultTests {
    /// The golden report's results were measured by the real runner (a command and an
    /// in-process benchmark).
    static func goldenResults() throws -> [BenchmarkResult] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../MetronReportTests/Golden/export.json").standardized
        return try JSONExport.decode(Data(contentsOf: url)).benchmarks
    }

    static func roundTrip(_ result: BenchmarkResult) throws -> BenchmarkResult {
        let (record, samples) = try CompactResult.split(result)
        return try CompactResult.join(record: record, samples: samples)
    }

    @Test func measuredResultsReadBackAsTheyWere() throws {
        for result in try Self.goldenResults() {
            let back = try Self.roundTrip(result)
            #expect(back == result)
            #expect(try RecordCoding.encode(back) == RecordCoding.encode(result), "\(result.name): the same JSON, byte for byte")
        }
        let fixture = StoreFixtures.report(at: 1_700_000_000, means: ["a": 0.1]).benchmarks[0]
        #expect(try Self.roundTrip(fixture) == fixture)
    }

    @Test func aMeasuredResultIsStoredInAFractionOfItsJSON() throws {
        for result in try Self.goldenResults() where !result.runs.isEmpty {
            let (record, samples) = try CompactResult.split(result)
            let json = try RecordCoding.encode(result)
            // 12 runs of 14 metrics: 1,344 bytes of raw doubles; the JSON holds them twice as text
            // plus 14 sets of statistics. Packed, the samples are below the raw size (counters
            // take a byte or two, run fields refer to the metrics) and the statistics are left out.
            let raw = result.metrics.reduce(0) { $0 + $1.samples.count * 8 }
            #expect(samples.count < raw, "\(result.name): \(samples.count) bytes of samples for \(raw) raw")
            #expect(record.count + samples.count < json.count / 4,
                    "\(result.name): \(record.count) + \(samples.count) bytes against \(json.count) as JSON")
        }
    }

    @Test func whatCannotBePackedIsKeptAsItWas() throws {
        var result = try #require(try Self.goldenResults().first { !$0.runs.isEmpty })
        // Statistics another tool computed, a counter beyond 2⁵³, NaN, −0 and infinity.
        result.metrics[0].statistics.mean += 1e-9
        result.metrics[1].statistics.bounds = ReportedBounds(lower: 0, upper: 1)
        result.runs[0].minorPageFaults = Int64.max - 1
        result.metrics[2].samples[0] = -0.0
        result.metrics[3].samples[1] = .infinity
        result.metrics[4].samples = [.nan, 1, 2]
        result.metrics.append(Metric(id: "imported", unit: .seconds, summary: StatisticsSummary(count: 100, mean: 2)))
        let (record, samples) = try CompactResult.split(result)
        let back = try CompactResult.join(record: record, samples: samples)
        #expect(try RecordCoding.encode(back) == RecordCoding.encode(result))
        #expect(back.runs[0].minorPageFaults == Int64.max - 1)
        #expect(back.metrics[0].statistics.mean == result.metrics[0].statistics.mean)
        #expect(back.metrics[4].samples[0].isNaN)
        #expect(back.metrics[2].samples[0].sign == .minus)
    }

    @Test func damagedSamplesAreAnErrorNotACrash() throws {
        let result = try #require(try Self.goldenResults().first)
        let (record, samples) = try CompactResult.split(result)
        for length in [0, 1, 2, samples.count / 2, samples.count - 1] {
            #expect(throws: (any Error).self, "cut to \(length) bytes") {
                try CompactResult.join(record: record, samples: samples.prefix(length))
            }
        }
        #expect(throws: (any Error).self, "a byte too many") { try CompactResult.join(record: record, samples: samples + [0]) }
        var wrongFormat = samples
        wrongFormat[0] = 99
        #expect(throws: (any Error).self) { try CompactResult.join(record: record, samples: wrongFormat) }
        // Random damage anywhere: an error or some result, never a trap.
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            var damaged = samples
            damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = try? CompactResult.join(record: record, samples: damaged)
        }
    }

    @Test func columnsTakeTheirSmallestExactForm() throws {
        func packed(_ values: [Double], earlier: [[Double]] = []) throws -> [Int] {
            var writer = ByteWriter()
            PackedColumns.write(values, earlier: earlier, to: &writer)
            var reader = ByteReader(Data(writer.bytes))
            let back = try PackedColumns.read(count: values.count, earlier: earlier, from: &reader)
            #expect(PackedColumns.sameBits(back, values) && reader.isAtEnd, "\(values)")
            return [Int(writer.bytes.first ?? 0), writer.bytes.count]
        }
        #expect(try packed([0, 0, 0, 0]) == [3, 9], "a constant is one double")
        #expect(try packed([3, 1, 4, 1, 5, 9, 2, 6])[0] == 1, "small counters are varints")
        let large = Double(1 << 40)
        #expect(try packed([large, large + 3, large + 1])[0] == 2, "close large counters are differences")
        #expect(try packed([0.0123, 0.0125, 0.0121]) == [0, 25], "times are raw doubles")
        #expect(try packed([0.5, 0.25], earlier: [[1, 2], [0.5, 0.25]]) == [4, 2], "a repeated column is a reference")
        #expect(try packed([-0.0, 0])[0] == 0, "−0 is not an integer")
        #expect(try packed([9_007_199_254_740_992, 1])[0] == 0, "2⁵³ is beyond the integer forms")
        _ = try packed([.nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude])
        let big = Double(1 << 52)
        _ = try packed([-big, big, -1, 0])
        _ = try packed([])
    }

    /// Runs with hardware counts keep them; samples of format 1, written before runs had counts,
    /// still read back, and a run of theirs has none.
    @Test func countedRunsAndSamplesOfTheFirstFormat() throws {
        var result = try #require(try Self.goldenResults().first { !$0.runs.isEmpty })
        let plain = result
        for index in result.runs.indices {
            result.runs[index].instructions = 1_234_567 + Int64(index)
            result.runs[index].cycles = index == 1 ? nil : 987_654
        }
        #expect(try Self.roundTrip(result) == result)
        let old = try CompactResult.split(plain, format: 1), now = try CompactResult.split(plain)
        #expect(old.samples.first == 1 && now.samples.first == CompactResult.format)
        #expect(old.samples.count < now.samples.count, "format 2 has two more run columns")
        #expect(try CompactResult.join(record: old.record, samples: old.samples) == plain)
        var unknown = now.samples
        unknown[0] = CompactResult.format + 1
        #expect(throws: ByteReader.Malformed.self) { try CompactResult.join(record: now.record, samples: unknown) }
    }

    /// A field added to `CommandRun` or `Metric` must be stored too: these fail until it is.
    @Test func everyFieldHasAPlace() {
        let run = CommandRun(wallTime: 1, userTime: 1, systemTime: 1, peakRSS: 1)
        #expect(Mirror(reflecting: run).children.count == RunColumns.fields().count)
        let metric = Metric(id: .wallTime, unit: .seconds, samples: [1])
        #expect(Set(Mirror(reflecting: metric).children.compactMap(\.label))
            == ["id", "unit", "statistics", "samples", "polarity", "deterministic"])
    }
}

/// A store written before the samples were packed (rows of whole-result JSON) migrates when
/// opened, and every run reads back as it was.
@Suite(.serialized)
struct PackedSamplesMigrationTests {
    @Test(arguments: backends)
    func olderStoresAreRewrittenLosingNothing(backend: Backend) async throws {
        let reports = [StoreFixtures.report(at: 1_700_000_000, means: ["a": 0.1, "b": 0.2]),
                       StoreFixtures.report(at: 1_700_000_100, means: ["a": 0.11, "c": 0.3])]
        switch backend {
        case .sqlite:
            let path = StoreFixtures.temporarySQLitePath()
            let store = try SQLiteStore(path: path)
            for report in reports { try await store.save(report) }
            try await store.close()
            // Back to the earlier schema: whole results as JSON, no samples column, v3 not applied.
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                for report in reports {
                    for (position, result) in report.benchmarks.enumerated() {
                        try db.execute(sql: "UPDATE benchmarks SET result_json = ? WHERE run_id = ? AND position = ?",
                                       arguments: [try RecordCoding.encode(result), report.id, position])
                    }
                }
                try db.execute(sql: "ALTER TABLE benchmarks DROP COLUMN samples")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3-packed-samples'")
            }
            try queue.close()
            let reopened = try SQLiteStore(path: path)
            for report in reports { #expect(try await reopened.run(id: report.id) == report) }
            try await reopened.close()
            let unpacked = try await DatabaseQueue(path: path).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM benchmarks WHERE samples IS NULL")
            }
            #expect(unpacked == 0)
        case .postgres:
            let url = try await StoreFixtures.freshPostgresURL()
            let store = try await PostgresStore(url: url)
            for report in reports { try await store.save(report) }
            for report in reports {
                for (position, result) in report.benchmarks.enumerated() {
                    let hex = try RecordCoding.encode(result).map { String(format: "%02x", $0) }.joined()
                    try await store.execute("""
                        UPDATE metron_benchmarks SET result_json = '\\x\(hex)'::bytea
                        WHERE run_id = '\(report.id)' AND position = \(position)
                        """)
                }
            }
            try await store.execute("ALTER TABLE metron_benchmarks DROP COLUMN samples")
            try await store.execute("DELETE FROM metron_schema WHERE version = 3")
            try await store.close()
            let reopened = try await PostgresStore(url: url)
            for report in reports { #expect(try await reopened.run(id: report.id) == report) }
            try await reopened.close()
        }
    }
}
